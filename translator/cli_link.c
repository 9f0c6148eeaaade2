/*
 * The link layers `nat6to4 translate` accepts: raw IP (DLT_RAW is 12 on most
 * systems and 14 on OpenBSD; LINKTYPE_RAW is 101 in files), IPv4-only (228),
 * IPv6-only (229) and Ethernet (1) with at most one 802.1Q tag.
 */
#include "cli_pcap.h"

#include <stdio.h>

#define LT_RAW_COMMON  12
#define LT_RAW_OPENBSD 14
#define LT_RAW_FILE    101
#define LT_IPV4        228
#define LT_IPV6        229
#define LT_EN10MB      1

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHER_HDR      14
#define VLAN_TAG       4

int cli_link_supported(int dlt)
{
	switch (dlt) {
	case LT_RAW_COMMON: case LT_RAW_OPENBSD: case LT_RAW_FILE:
	case LT_IPV4: case LT_IPV6: case LT_EN10MB:
		return 1;
	default:
		return 0;
	}
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* Raw IP: the version nibble says which way the packet goes. */
static enum cli_l3 by_version(const uint8_t *p, size_t len, char *why, size_t whylen)
{
	if (len == 0) {
		snprintf(why, whylen, "empty packet");
		return CLI_L3_SKIP;
	}
	switch (p[0] >> 4) {
	case 4: return CLI_L3_IPV4;
	case 6: return CLI_L3_IPV6;
	default:
		snprintf(why, whylen, "not IP (version %u)", (unsigned)(p[0] >> 4));
		return CLI_L3_SKIP;
	}
}

static enum cli_l3 ethernet(const uint8_t *frame, size_t caplen, const uint8_t **ip,
                            size_t *iplen, char *why, size_t whylen)
{
	size_t hdr = ETHER_HDR;
	if (caplen < hdr) {
		snprintf(why, whylen, "Ethernet frame of %zu bytes", caplen);
		return CLI_L3_SKIP;
	}
	uint16_t type = get16(frame + 12);
	if (type == ETHERTYPE_VLAN) {
		hdr += VLAN_TAG;
		if (caplen < hdr) {
			snprintf(why, whylen, "802.1Q frame of %zu bytes", caplen);
			return CLI_L3_SKIP;
		}
		type = get16(frame + 16);
	}
	*ip = frame + hdr;
	*iplen = caplen - hdr;
	if (type == ETHERTYPE_IPV4)
		return CLI_L3_IPV4;
	if (type == ETHERTYPE_IPV6)
		return CLI_L3_IPV6;
	if (type == ETHERTYPE_VLAN)
		snprintf(why, whylen, "more than one 802.1Q tag");
	else
		snprintf(why, whylen, "ethertype 0x%04x", (unsigned)type);
	return CLI_L3_SKIP;
}

enum cli_l3 cli_link_decap(int dlt, const uint8_t *frame, size_t caplen, const uint8_t **ip,
                           size_t *iplen, char *why, size_t whylen)
{
	*ip = frame;
	*iplen = caplen;
	switch (dlt) {
	case LT_RAW_COMMON: case LT_RAW_OPENBSD: case LT_RAW_FILE:
		return by_version(frame, caplen, why, whylen);
	case LT_IPV4:
		return CLI_L3_IPV4; /* the translator checks the version itself */
	case LT_IPV6:
		return CLI_L3_IPV6;
	case LT_EN10MB:
		return ethernet(frame, caplen, ip, iplen, why, whylen);
	default:
		snprintf(why, whylen, "link type %d not supported", dlt);
		return CLI_L3_SKIP;
	}
}
