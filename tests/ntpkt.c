/* libnet-built ND frames (LIBNET_NONE mode); see ntpkt.h. */
#include "ntpkt.h"
#include "pktbuild.h"

#include <libnet.h>
#include <string.h>

static size_t nt_finish(libnet_t *l, uint8_t *out, size_t cap)
{
	uint8_t *pkt = NULL;
	uint32_t n = 0;
	size_t len = 0;
	if (libnet_pblock_coalesce(l, &pkt, &n) != -1) {
		if (n <= cap) {
			memcpy(out, pkt, n);
			len = n;
		}
		libnet_adv_free_packet(l, pkt);
	}
	libnet_destroy(l);
	return len;
}

static struct libnet_in6_addr nt_in6(const char *text)
{
	struct libnet_in6_addr a;
	uint8_t b[16];
	pb_addr6(text, b);
	memcpy(&a, b, 16);
	return a;
}

/* The ICMPv6 checksum libnet wrote, re-checked with pktbuild's own sum. */
static void nt_fix_csum(uint8_t *frame, size_t len)
{
	if (len > 14 && !pb_l4_csum_ok(frame + 14, len - 14))
		pb_set_l4_csum(frame + 14, len - 14, PB_CSUM_OK);
}

size_t nt_build_ns(uint8_t *out, size_t cap, const uint8_t dmac[6], const uint8_t smac[6],
                   const char *src6, const char *dst6, const char *target, const uint8_t *sll)
{
	char err[LIBNET_ERRBUF_SIZE];
	libnet_t *l = libnet_init(LIBNET_NONE, NULL, err);
	if (!l)
		return 0;
	uint32_t optlen = 0;
	if (sll) {
		libnet_build_icmpv6_ndp_opt(1, (uint8_t *)sll, 6, l, 0);
		optlen = 8;
	}
	libnet_build_icmpv6_ndp_nsol(135, 0, 0, nt_in6(target), NULL, 0, l, 0);
	libnet_build_ipv6(0, 0, (uint16_t)(24 + optlen), 58, 255, nt_in6(src6), nt_in6(dst6), NULL,
	                  0, l, 0);
	libnet_build_ethernet(dmac, smac, 0x86dd, NULL, 0, l, 0);
	size_t n = nt_finish(l, out, cap);
	nt_fix_csum(out, n);
	return n;
}

size_t nt_build_na(uint8_t *out, size_t cap, const uint8_t dmac[6], const uint8_t smac[6],
                   const char *src6, const char *dst6, const char *target, uint32_t flags,
                   const uint8_t *tll)
{
	char err[LIBNET_ERRBUF_SIZE];
	libnet_t *l = libnet_init(LIBNET_NONE, NULL, err);
	if (!l)
		return 0;
	uint32_t optlen = 0;
	if (tll) {
		libnet_build_icmpv6_ndp_opt(2, (uint8_t *)tll, 6, l, 0);
		optlen = 8;
	}
	libnet_build_icmpv6_ndp_nadv(136, 0, 0, flags, nt_in6(target), NULL, 0, l, 0);
	libnet_build_ipv6(0, 0, (uint16_t)(24 + optlen), 58, 255, nt_in6(src6), nt_in6(dst6), NULL,
	                  0, l, 0);
	libnet_build_ethernet(dmac, smac, 0x86dd, NULL, 0, l, 0);
	size_t n = nt_finish(l, out, cap);
	nt_fix_csum(out, n);
	return n;
}

