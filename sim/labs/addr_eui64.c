/*
 * `v6lab addr eui64 MAC [PREFIX/64]`: the modified EUI-64 interface
 * identifier of a 48-bit MAC address (RFC 4291 section 2.5.1 and appendix
 * A): ff:fe inserted between the OUI and the rest, then the
 * universal/local bit (0x02 of the first octet) inverted. With it, the
 * link-local address fe80::/64 + identifier (RFC 4862 section 5.3), and
 * with a /64 the address SLAAC forms there (the seed's sk0:
 * 2001:44b8:7bf1:a51:20f:eaff:fe2c:d518).
 */
#include "addr_int.h"

#include <string.h>

static const char hexdigits[] = "0123456789abcdefABCDEF";

static int hexval(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static int bad_octet(const struct addr_io *io, const char *mac, int i, const char *p)
{
	int n = (int)strcspn(p, ":-");
	return addr_err(io, "'%s' is not a MAC address: octet %d is '%.*s', expected 1 or 2 hex "
	                "digits (write it like 00:0f:ea:2c:d5:18)", mac, i, n, p);
}

/* Six octets of 1 or 2 hex digits, separated by ':' (or all by '-'). */
static int parse_mac(const struct addr_io *io, const char *s, uint8_t mac[6])
{
	const char *p = s;
	char sep = 0;

	for (int i = 0; i < 6; i++) {
		size_t n = strspn(p, hexdigits);
		if (n == 0 || n > 2)
			return bad_octet(io, s, i + 1, p);
		mac[i] = (uint8_t)(n == 1 ? hexval(p[0]) : hexval(p[0]) * 16 + hexval(p[1]));
		p += n;
		if (i == 5)
			break;
		if (*p == '\0')
			return addr_err(io, "'%s' is not a MAC address: %d octets, expected 6", s, i + 1);
		if ((*p != ':' && *p != '-') || (sep && *p != sep))
			return addr_err(io, "'%s' is not a MAC address: '%c' after octet %d, expected "
			                "'%c'", s, *p, i + 1, sep ? sep : ':');
		sep = *p++;
	}
	if (*p == sep)
		return addr_err(io, "'%s' is not a MAC address: more than 6 octets", s);
	if (*p)
		return addr_err(io, "'%s' is not a MAC address: '%s' after octet 6", s, p);
	return ADDR_EXIT_OK;
}

static void fmt_octets(const uint8_t *o, size_t n, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%02x", i ? ":" : "", o[i]);
}

static void print_steps(const struct addr_io *io, const uint8_t mac[6], const uint8_t id[8])
{
	char t[32];
	uint8_t mid[8] = { mac[0], mac[1], mac[2], 0xff, 0xfe, mac[3], mac[4], mac[5] };
	bool local = mac[0] & 0x02;

	fmt_octets(mac, 6, t, sizeof t);
	fprintf(io->out, "MAC address           %s\n", t);
	fmt_octets(mid, 8, t, sizeof t);
	fprintf(io->out, "ff:fe inserted        %s  (between the OUI %02x:%02x:%02x and the "
	        "rest %02x:%02x:%02x: 48 bits become 64)\n", t, mac[0], mac[1], mac[2], mac[3],
	        mac[4], mac[5]);
	fmt_octets(id, 8, t, sizeof t);
	fprintf(io->out, "u/l bit flipped       %s  (first octet 0x%02x xor 0x02 = 0x%02x: the "
	        "u/l bit was %d, a %s MAC, so the modified EUI-64 writes %d)\n", t, mac[0], id[0],
	        local, local ? "locally administered" : "universal (globally unique)", !local);
	if (mac[0] & 0x01)
		fprintf(io->out, "note: bit 0x01 of the first octet is set: a group (multicast) "
		        "MAC, which no interface has as its own address\n");
}

/* The /64 SLAAC would put the identifier under, checked before any output. */
static int parse_under(const struct addr_io *io, const char *arg, uint8_t a[16])
{
	int len;

	if (addr_parse_prefix(io, arg, a, &len) != ADDR_EXIT_OK)
		return ADDR_EXIT_USAGE;
	if (len != 64)
		return addr_err(io, "'%s': a 64-bit interface identifier needs a /64 prefix, not "
		                "/%d (RFC 4291 section 2.5.1)", arg, len);
	return ADDR_EXIT_OK;
}

int addr_cmd_eui64(const struct addr_io *io, int argc, char **argv)
{
	uint8_t mac[6], ll[16] = { 0xfe, 0x80 }, under[16];
	char t[ADDR_TEXT6];

	if (argc < 2 || argc > 3)
		return addr_err(io, "expected MAC [PREFIX/64], e.g. eui64 00:0f:ea:2c:d5:18");
	if (parse_mac(io, argv[1], mac) != ADDR_EXIT_OK)
		return ADDR_EXIT_USAGE;
	if (argc == 3 && parse_under(io, argv[2], under) != ADDR_EXIT_OK)
		return ADDR_EXIT_USAGE;
	const uint8_t id[8] = { mac[0] ^ 0x02, mac[1], mac[2], 0xff, 0xfe, mac[3], mac[4], mac[5] };
	print_steps(io, mac, id);
	fprintf(io->out, "interface identifier  %02x%02x:%02x%02x:%02x%02x:%02x%02x\n", id[0],
	        id[1], id[2], id[3], id[4], id[5], id[6], id[7]);
	memcpy(ll + 8, id, 8);
	addr_fmt6(ll, t, sizeof t);
	fprintf(io->out, "link-local address    %s\n", t);
	if (argc == 3) {
		memcpy(under + 8, id, 8);
		addr_fmt6(under, t, sizeof t);
		fprintf(io->out, "SLAAC address         %s  (%s + the identifier)\n", t, argv[2]);
	}
	return ADDR_EXIT_OK;
}
