/*
 * Address mapping between IPv6 and IPv4:
 *   - RFC 6052 section 2.2 embedding (/32 /40 /48 /56 /64 /96, u-octet),
 *   - the seed's "decimal" form, one IPv4 octet per low 16-bit group written
 *     in decimal digits (2001:df0:9::202:83:176:248 = 202.83.176.248),
 *   - the configuration's `map` entries, which win over the prefixes.
 *
 * addrmap_6to4 runs for every packet: no allocation, whole-word compares.
 */
#include "internal.h"

/* The RFC 6052 well-known prefix 64:ff9b::/96. */
static const uint8_t wkp_addr[16] = { 0x00, 0x64, 0xff, 0x9b };
#define WKP_LEN 96

/* IPv4 ranges that are not global (RFC 6890 registry, RFC 6052 section 3.1).
 * The documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24) are
 * deliberately absent: examples and tests use them as "the Internet". */
static const struct {
	n64_v4 net;
	uint8_t len;
} non_global4[] = {
	{ 0x00000000, 8 },  /* 0.0.0.0/8 "this network" */
	{ 0x0a000000, 8 },  /* 10.0.0.0/8 RFC 1918 */
	{ 0x64400000, 10 }, /* 100.64.0.0/10 shared address space */
	{ 0x7f000000, 8 },  /* 127.0.0.0/8 loopback */
	{ 0xa9fe0000, 16 }, /* 169.254.0.0/16 link local */
	{ 0xac100000, 12 }, /* 172.16.0.0/12 RFC 1918 */
	{ 0xc0000000, 24 }, /* 192.0.0.0/24 IETF protocol assignments */
	{ 0xc0a80000, 16 }, /* 192.168.0.0/16 RFC 1918 */
	{ 0xc6120000, 15 }, /* 198.18.0.0/15 benchmarking */
	{ 0xe0000000, 3 },  /* 224.0.0.0/3: multicast, 240/4 reserved, broadcast */
};

static uint64_t load_be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The top `bits` bits of a 64-bit word set (bits 0..64). */
static uint64_t top_mask64(unsigned bits)
{
	return bits == 0 ? 0 : ~UINT64_C(0) << (64 - bits);
}

/* The low `bits` bits of a 32-bit word set (bits 0..32). */
static uint32_t low_mask32(unsigned bits)
{
	return bits >= 32 ? 0xffffffffu : (UINT32_C(1) << bits) - 1;
}

/* True when the first plen bits (0..128) of a and p are equal. */
static bool v6_match(const uint8_t a[16], const uint8_t p[16], unsigned plen)
{
	uint64_t hi = load_be64(a) ^ load_be64(p);

	if (plen <= 64)
		return (hi & top_mask64(plen)) == 0;
	if (hi != 0)
		return false;
	return ((load_be64(a + 8) ^ load_be64(p + 8)) & top_mask64(plen - 64)) == 0;
}

static bool rfc6052_len_ok(int plen)
{
	return plen == 32 || plen == 40 || plen == 48 || plen == 56 || plen == 64 || plen == 96;
}

static bool plen_ok(int plen, enum nat6to4_addr_form form)
{
	if (form == NAT6TO4_FORM_RFC6052)
		return rfc6052_len_ok(plen);
	return form == NAT6TO4_FORM_DECIMAL && plen >= 0 && plen <= 64;
}

/* 202 -> 0x0202: the decimal digits of the octet, one per nibble. */
static unsigned octet_to_decimal_group(uint8_t o)
{
	return (unsigned)(o / 100) << 8 | (unsigned)(o / 10 % 10) << 4 | (unsigned)(o % 10);
}

/* 0x0202 -> 202; -1 when a nibble is not a decimal digit or the value > 255. */
static int decimal_group_to_octet(unsigned group)
{
	unsigned v = 0;

	for (int shift = 12; shift >= 0; shift -= 4) {
		unsigned digit = (group >> shift) & 0xf;
		if (digit > 9)
			return -1;
		v = v * 10 + digit;
	}
	return v <= 255 ? (int)v : -1;
}

int nat6to4_addr_embed(const uint8_t prefix[16], int plen, enum nat6to4_addr_form form,
                       const uint8_t v4[4], uint8_t v6[16])
{
	uint8_t out[16] = { 0 };

	if (!plen_ok(plen, form))
		return -1;
	if (form == NAT6TO4_FORM_RFC6052) {
		/* Octets follow the prefix, jumping over the u-octet (bits 64-71). */
		int pos = plen / 8;
		memcpy(out, prefix, (size_t)pos);
		for (int i = 0; i < 4; i++) {
			if (pos == 8)
				pos++;
			out[pos++] = v4[i];
		}
	} else {
		/* Prefix bits, zeros up to bit 64, then one group per octet. */
		uint64_t hi = load_be64(prefix) & top_mask64((unsigned)plen);
		for (int i = 0; i < 8; i++)
			out[i] = (uint8_t)(hi >> (56 - 8 * i));
		for (int i = 0; i < 4; i++) {
			unsigned g = octet_to_decimal_group(v4[i]);
			out[8 + 2 * i] = (uint8_t)(g >> 8);
			out[9 + 2 * i] = (uint8_t)g;
		}
	}
	memcpy(v6, out, 16);
	return 0;
}

static int extract_rfc6052(const uint8_t prefix[16], int plen, const uint8_t v6[16],
                           uint8_t v4[4])
{
	int pos = plen / 8;

	if (!v6_match(v6, prefix, (unsigned)plen))
		return -1;
	for (int i = 0; i < 4; i++) {
		if (pos == 8)
			pos++; /* u-octet: ignored on input (RFC 6052 section 2.2) */
		v4[i] = v6[pos++];
	}
	return 0;
}

/* Decimal form: the bits between the prefix and bit 64 must be zero too,
 * otherwise 2001:df0:9:1::... would alias 2001:df0:9::... under a /48. */
static int extract_decimal(const uint8_t prefix[16], int plen, const uint8_t v6[16],
                           uint8_t v4[4])
{
	uint64_t want = load_be64(prefix) & top_mask64((unsigned)plen);
	uint8_t octets[4];

	if (load_be64(v6) != want)
		return -1;
	for (int i = 0; i < 4; i++) {
		int o = decimal_group_to_octet((unsigned)v6[8 + 2 * i] << 8 | v6[9 + 2 * i]);
		if (o < 0)
			return -1;
		octets[i] = (uint8_t)o;
	}
	memcpy(v4, octets, 4);
	return 0;
}

int nat6to4_addr_extract(const uint8_t prefix[16], int plen, enum nat6to4_addr_form form,
                         const uint8_t v6[16], uint8_t v4[4])
{
	if (!plen_ok(plen, form))
		return -1;
	if (form == NAT6TO4_FORM_RFC6052)
		return extract_rfc6052(prefix, plen, v6, v4);
	return extract_decimal(prefix, plen, v6, v4);
}

static bool is_wkp(const struct n64_prefix *p)
{
	return p->form == NAT6TO4_FORM_RFC6052 && p->len == WKP_LEN &&
	       memcmp(p->addr, wkp_addr, 12) == 0;
}

static bool v4_is_global(n64_v4 a)
{
	for (size_t i = 0; i < sizeof non_global4 / sizeof non_global4[0]; i++) {
		uint32_t mask = ~low_mask32(32u - non_global4[i].len);
		if ((a & mask) == non_global4[i].net)
			return false;
	}
	return true;
}

/* The `map` entry with the longest IPv6 side covering v6, or NULL. */
static const struct n64_map *map_by_v6(const struct nat6to4_config *cfg, const uint8_t v6[16])
{
	const struct n64_map *best = NULL;

	for (int i = 0; i < cfg->nmap; i++) {
		const struct n64_map *m = &cfg->map[i];
		if ((!best || m->v6len > best->v6len) && v6_match(v6, m->v6, m->v6len))
			best = m;
	}
	return best;
}

/* The `map` entry with the longest IPv4 side covering v4, or NULL. */
static const struct n64_map *map_by_v4(const struct nat6to4_config *cfg, n64_v4 v4)
{
	const struct n64_map *best = NULL;

	for (int i = 0; i < cfg->nmap; i++) {
		const struct n64_map *m = &cfg->map[i];
		uint32_t net = ~low_mask32(32u - m->v4len);
		if ((!best || m->v4len > best->v4len) && ((v4 ^ m->v4) & net) == 0)
			best = m;
	}
	return best;
}

enum nat6to4_reason addrmap_6to4(const struct nat6to4_config *cfg, const uint8_t v6[16],
                                 n64_v4 *v4, uint8_t *prefix_idx)
{
	const struct n64_map *m = map_by_v6(cfg, v6);

	if (m) {
		uint32_t host = low_mask32(128u - m->v6len);
		*v4 = (m->v4 & ~host) | (load_be32(v6 + 12) & host);
		*prefix_idx = 0xff;
		return NAT6TO4_R_OK;
	}
	/* First prefix in configuration order that yields an address wins;
	 * a decimal prefix can share its /64 with an RFC 6052 /96. */
	for (int i = 0; i < cfg->nprefix; i++) {
		const struct n64_prefix *p = &cfg->prefix[i];
		uint8_t b[4];
		if (nat6to4_addr_extract(p->addr, p->len, p->form, v6, b) != 0)
			continue;
		n64_v4 a = load_be32(b);
		if (!cfg->allow_private && is_wkp(p) && !v4_is_global(a))
			return NAT6TO4_R_PRIVATE_ADDR;
		*v4 = a;
		*prefix_idx = (uint8_t)i;
		return NAT6TO4_R_OK;
	}
	return NAT6TO4_R_DST_NOT_MAPPED;
}

enum nat6to4_reason addrmap_4to6(const struct nat6to4_config *cfg, n64_v4 v4,
                                 uint8_t prefix_idx, uint8_t v6[16])
{
	const struct n64_map *m = map_by_v4(cfg, v4);
	uint8_t b[4];

	if (m) {
		uint32_t host = low_mask32(32u - m->v4len);
		memcpy(v6, m->v6, 16);
		store_be32(v6 + 12, (load_be32(m->v6 + 12) & ~host) | (v4 & host));
		return NAT6TO4_R_OK;
	}
	if (cfg->nprefix <= 0)
		return NAT6TO4_R_SRC_NOT_MAPPED;
	const struct n64_prefix *p = &cfg->prefix[prefix_idx < cfg->nprefix ? prefix_idx : 0];
	/* RFC 6052 section 3.1 forbids the well-known prefix for non-global
	 * addresses in both directions. */
	if (!cfg->allow_private && is_wkp(p) && !v4_is_global(v4))
		return NAT6TO4_R_PRIVATE_ADDR;
	store_be32(b, v4);
	if (nat6to4_addr_embed(p->addr, p->len, p->form, b, v6) != 0)
		return NAT6TO4_R_SRC_NOT_MAPPED;
	return NAT6TO4_R_OK;
}

bool addrmap_in_pool(const struct nat6to4_config *cfg, n64_v4 v4)
{
	for (int i = 0; i < cfg->npool; i++)
		if (v4 >= cfg->pool[i].first && v4 <= cfg->pool[i].last)
			return true;
	return false;
}
