/*
 * Address mapping: RFC 6052 section 2.4 examples, the seed's hex and
 * "decimal" addresses, rejections, the well-known-prefix rule for
 * non-global IPv4 addresses, and `map` entries.
 *
 * Every expected address is text from the RFC or the seed, converted with
 * inet_pton, never an output of the code under test.
 */
#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int suite_addrmap(void);

static void v6(const char *s, uint8_t out[16])
{
	int rc = inet_pton(AF_INET6, s, out);
	CU_ASSERT_EQUAL_FATAL(rc, 1);
}

static void v4b(const char *s, uint8_t out[4])
{
	int rc = inet_pton(AF_INET, s, out);
	CU_ASSERT_EQUAL_FATAL(rc, 1);
}

static n64_v4 v4h(const char *s)
{
	uint8_t b[4];
	v4b(s, b);
	return (n64_v4)b[0] << 24 | (n64_v4)b[1] << 16 | (n64_v4)b[2] << 8 | b[3];
}

/* RFC 6052 section 2.4, table 1: 192.0.2.33 under each prefix length. */
static const struct {
	const char *prefix;
	int plen;
	const char *mapped;
} rfc6052_table[] = {
	{ "2001:db8::", 32, "2001:db8:c000:221::" },
	{ "2001:db8:100::", 40, "2001:db8:1c0:2:21::" },
	{ "2001:db8:122::", 48, "2001:db8:122:c000:2:2100::" },
	{ "2001:db8:122:300::", 56, "2001:db8:122:3c0:0:221::" },
	{ "2001:db8:122:344::", 64, "2001:db8:122:344:c0:2:2100:0" },
	{ "2001:db8:122:344::", 96, "2001:db8:122:344::192.0.2.33" },
	{ "64:ff9b::", 96, "64:ff9b::192.0.2.33" },
};

static void test_rfc6052_table_embed(void)
{
	uint8_t v4[4], prefix[16], want[16], got[16];

	v4b("192.0.2.33", v4);
	for (size_t i = 0; i < sizeof rfc6052_table / sizeof rfc6052_table[0]; i++) {
		v6(rfc6052_table[i].prefix, prefix);
		v6(rfc6052_table[i].mapped, want);
		memset(got, 0xee, sizeof got);
		CU_ASSERT_EQUAL(nat6to4_addr_embed(prefix, rfc6052_table[i].plen, NAT6TO4_FORM_RFC6052,
		                                   v4, got), 0);
		CU_ASSERT_EQUAL(memcmp(got, want, 16), 0);
	}
}

static void test_rfc6052_table_extract(void)
{
	uint8_t want[4], prefix[16], mapped[16], got[4];

	v4b("192.0.2.33", want);
	for (size_t i = 0; i < sizeof rfc6052_table / sizeof rfc6052_table[0]; i++) {
		v6(rfc6052_table[i].prefix, prefix);
		v6(rfc6052_table[i].mapped, mapped);
		memset(got, 0, sizeof got);
		CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, rfc6052_table[i].plen,
		                                     NAT6TO4_FORM_RFC6052, mapped, got), 0);
		CU_ASSERT_EQUAL(memcmp(got, want, 4), 0);
	}
}

static void test_bad_prefix_lengths(void)
{
	static const int rfc_bad[] = { 0, 8, 33, 44, 72, 80, 95, 97, 128, -1 };
	uint8_t prefix[16], v4[4], out6[16], out4[4], mapped[16];

	v6("2001:db8::", prefix);
	v6("2001:db8::c000:221", mapped);
	v4b("192.0.2.33", v4);
	for (size_t i = 0; i < sizeof rfc_bad / sizeof rfc_bad[0]; i++) {
		CU_ASSERT_EQUAL(nat6to4_addr_embed(prefix, rfc_bad[i], NAT6TO4_FORM_RFC6052, v4, out6), -1);
		CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, rfc_bad[i], NAT6TO4_FORM_RFC6052, mapped, out4), -1);
	}
	CU_ASSERT_EQUAL(nat6to4_addr_embed(prefix, 65, NAT6TO4_FORM_DECIMAL, v4, out6), -1);
	CU_ASSERT_EQUAL(nat6to4_addr_embed(prefix, 96, NAT6TO4_FORM_DECIMAL, v4, out6), -1);
	CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, 96, NAT6TO4_FORM_DECIMAL, mapped, out4), -1);
	CU_ASSERT_EQUAL(nat6to4_addr_embed(prefix, 96, (enum nat6to4_addr_form)7, v4, out6), -1);
}

/* The seed: 2001:DF0:9::CA53:B0F8 and 2001:DF0:9::202:83:176:248 are both
 * 202.83.176.248. */
static void test_seed_hex_form(void)
{
	uint8_t prefix[16], want6[16], got6[16], want4[4], got4[4];

	v6("2001:df0:9::", prefix);
	v6("2001:DF0:9::CA53:B0F8", want6);
	v4b("202.83.176.248", want4);
	CU_ASSERT_EQUAL(nat6to4_addr_embed(prefix, 96, NAT6TO4_FORM_RFC6052, want4, got6), 0);
	CU_ASSERT_EQUAL(memcmp(got6, want6, 16), 0);
	CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, 96, NAT6TO4_FORM_RFC6052, want6, got4), 0);
	CU_ASSERT_EQUAL(memcmp(got4, want4, 4), 0);
}

static void test_seed_decimal_form(void)
{
	static const int lens[] = { 48, 64 };
	uint8_t prefix[16], want6[16], got6[16], want4[4], got4[4];

	v6("2001:df0:9::", prefix);
	v6("2001:DF0:0009::0202:0083:0176:0248", want6);
	v4b("202.83.176.248", want4);
	for (size_t i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(nat6to4_addr_embed(prefix, lens[i], NAT6TO4_FORM_DECIMAL, want4, got6), 0);
		CU_ASSERT_EQUAL(memcmp(got6, want6, 16), 0);
		memset(got4, 0, 4);
		CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, lens[i], NAT6TO4_FORM_DECIMAL, want6, got4), 0);
		CU_ASSERT_EQUAL(memcmp(got4, want4, 4), 0);
	}
}

static void test_decimal_edges(void)
{
	uint8_t prefix[16], a[16], want6[16], got4[4], want4[4];

	v6("2001:df0:9::", prefix);
	v6("2001:df0:9::0:255:100:9", want6);
	v4b("0.255.100.9", want4);
	CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, 64, NAT6TO4_FORM_DECIMAL, want6, got4), 0);
	CU_ASSERT_EQUAL(memcmp(got4, want4, 4), 0);
	/* Embedding keeps only the prefix bits, whatever follows them. */
	v6("2001:df0:9:ffff::1", prefix);
	CU_ASSERT_EQUAL(nat6to4_addr_embed(prefix, 48, NAT6TO4_FORM_DECIMAL, want4, a), 0);
	CU_ASSERT_EQUAL(memcmp(a, want6, 16), 0);
	/* A /0 decimal prefix: the address is the four groups alone. */
	v6("::202:83:176:248", want6);
	v4b("202.83.176.248", want4);
	CU_ASSERT_EQUAL(nat6to4_addr_embed(prefix, 0, NAT6TO4_FORM_DECIMAL, want4, a), 0);
	CU_ASSERT_EQUAL(memcmp(a, want6, 16), 0);
}

static void test_decimal_rejects(void)
{
	static const char *const bad[] = {
		"2001:df0:9::202:83:176:256",  /* "256" is above 255 */
		"2001:df0:9::202:83:176:a1",   /* 0x00a1: not decimal digits */
		"2001:df0:9::202:83:1000:248", /* four digits */
		"2001:df0:9::ca53:b0f8",       /* the hex form is not the decimal form */
		"2001:df0:9:1:202:83:176:248", /* bits between /48 and /64 set */
		"2001:df0:8::202:83:176:248",  /* outside the prefix */
	};
	uint8_t prefix[16], a[16], got4[4] = { 1, 2, 3, 4 };

	v6("2001:df0:9::", prefix);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v6(bad[i], a);
		CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, 48, NAT6TO4_FORM_DECIMAL, a, got4), -1);
	}
	/* A rejected address leaves the output alone. */
	CU_ASSERT(got4[0] == 1 && got4[1] == 2 && got4[2] == 3 && got4[3] == 4);
}

static void test_outside_prefix(void)
{
	uint8_t prefix[16], a[16], got4[4];

	v6("64:ff9b::", prefix);
	v6("64:ff9c::192.0.2.33", a);
	CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, 96, NAT6TO4_FORM_RFC6052, a, got4), -1);
	v6("64:ff9b:0:0:0:1:c000:221", a);
	CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, 96, NAT6TO4_FORM_RFC6052, a, got4), -1);
	v6("2001:db8::", prefix);
	v6("2001:db9:c000:221::", a);
	CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, 32, NAT6TO4_FORM_RFC6052, a, got4), -1);
	v6("2001:db8:100::", prefix);
	v6("2001:db8:2c0:2:21::", a); /* bit 39 differs */
	CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, 40, NAT6TO4_FORM_RFC6052, a, got4), -1);
}

/* RFC 6052 2.2: u-octet and suffix are ignored on input. */
static void test_u_octet_and_suffix_ignored(void)
{
	uint8_t prefix[16], a[16], got4[4], want4[4];

	v4b("192.0.2.33", want4);
	v6("2001:db8:122:344::", prefix);
	v6("2001:db8:122:344:ffc0:2:2100:0", a);
	CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, 64, NAT6TO4_FORM_RFC6052, a, got4), 0);
	CU_ASSERT_EQUAL(memcmp(got4, want4, 4), 0);
	v6("2001:db8::", prefix);
	v6("2001:db8:c000:221:ab:cdef:1234:5678", a);
	memset(got4, 0, 4);
	CU_ASSERT_EQUAL(nat6to4_addr_extract(prefix, 32, NAT6TO4_FORM_RFC6052, a, got4), 0);
	CU_ASSERT_EQUAL(memcmp(got4, want4, 4), 0);
}

/* ---- the configuration-level mapping ---------------------------------- */

static void add_prefix(struct nat6to4_config *cfg, const char *p, int len, int form)
{
	struct n64_prefix *px = &cfg->prefix[cfg->nprefix++];
	v6(p, px->addr);
	px->len = (uint8_t)len;
	px->form = (uint8_t)form;
}

static void add_map(struct nat6to4_config *cfg, const char *a6, int l6, const char *a4, int l4)
{
	struct n64_map *m = &cfg->map[cfg->nmap++];
	v6(a6, m->v6);
	m->v6len = (uint8_t)l6;
	m->v4 = v4h(a4);
	m->v4len = (uint8_t)l4;
}

static enum nat6to4_reason to4(const struct nat6to4_config *cfg, const char *a6, n64_v4 *v4,
                               uint8_t *idx)
{
	uint8_t a[16];
	v6(a6, a);
	return addrmap_6to4(cfg, a, v4, idx);
}

/* addrmap_4to6 result compared with the expected text address. */
static void check_4to6(const struct nat6to4_config *cfg, const char *a4, uint8_t idx,
                       const char *want)
{
	uint8_t got[16], w[16];
	v6(want, w);
	CU_ASSERT_EQUAL(addrmap_4to6(cfg, v4h(a4), idx, got), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(memcmp(got, w, 16), 0);
}

static void test_wkp_private(void)
{
	static const char *const private4[] = {
		"0.1.2.3", "10.1.2.3", "100.64.0.0", "100.127.255.255", "127.0.0.1", "169.254.1.1",
		"172.16.0.0", "172.31.255.255", "192.0.0.8", "192.168.1.1", "198.18.0.1",
		"198.19.255.255", "224.0.0.1", "239.255.255.255", "240.0.0.1", "255.255.255.255",
	};
	static const char *const global4[] = {
		"1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
		"172.15.255.255", "172.32.0.0", "192.0.1.255", "192.0.2.33", "192.169.0.0",
		"198.17.255.255", "198.20.0.0", "202.83.176.248", "223.255.255.255",
	};
	struct nat6to4_config *cfg = nat6to4_config_new();
	char a6[64];
	n64_v4 v4;
	uint8_t idx, out[16];

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	add_prefix(cfg, "64:ff9b::", 96, NAT6TO4_FORM_RFC6052);
	for (size_t i = 0; i < sizeof private4 / sizeof private4[0]; i++) {
		snprintf(a6, sizeof a6, "64:ff9b::%s", private4[i]);
		CU_ASSERT_EQUAL(to4(cfg, a6, &v4, &idx), NAT6TO4_R_PRIVATE_ADDR);
		CU_ASSERT_EQUAL(addrmap_4to6(cfg, v4h(private4[i]), 0, out), NAT6TO4_R_PRIVATE_ADDR);
	}
	for (size_t i = 0; i < sizeof global4 / sizeof global4[0]; i++) {
		snprintf(a6, sizeof a6, "64:ff9b::%s", global4[i]);
		CU_ASSERT_EQUAL(to4(cfg, a6, &v4, &idx), NAT6TO4_R_OK);
		CU_ASSERT_EQUAL(v4, v4h(global4[i]));
		check_4to6(cfg, global4[i], 0, a6);
	}
	cfg->allow_private = true;
	CU_ASSERT_EQUAL(to4(cfg, "64:ff9b::10.1.2.3", &v4, &idx), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(v4, v4h("10.1.2.3"));
	check_4to6(cfg, "192.168.1.1", 0, "64:ff9b::192.168.1.1");
	nat6to4_config_free(cfg);
}

/* The rule is for the well-known prefix only (RFC 6052 section 3.1). */
static void test_private_ok_with_network_specific_prefix(void)
{
	struct nat6to4_config *cfg = nat6to4_config_new();
	n64_v4 v4 = 0;
	uint8_t idx = 9;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	add_prefix(cfg, "2001:db8:64::", 96, NAT6TO4_FORM_RFC6052);
	CU_ASSERT_EQUAL(to4(cfg, "2001:db8:64::10.1.2.3", &v4, &idx), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(v4, v4h("10.1.2.3"));
	CU_ASSERT_EQUAL(idx, 0);
	check_4to6(cfg, "192.168.7.7", 0, "2001:db8:64::192.168.7.7");
	nat6to4_config_free(cfg);
}

static void test_map_before_prefix(void)
{
	struct nat6to4_config *cfg = nat6to4_config_new();
	n64_v4 v4 = 0;
	uint8_t idx = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	add_prefix(cfg, "2001:db8::", 96, NAT6TO4_FORM_RFC6052);
	add_map(cfg, "2001:db8::c000:221", 128, "198.51.100.7", 32);
	CU_ASSERT_EQUAL(to4(cfg, "2001:db8::c000:221", &v4, &idx), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(v4, v4h("198.51.100.7"));
	CU_ASSERT_EQUAL(idx, 0xff);
	CU_ASSERT_EQUAL(to4(cfg, "2001:db8::c000:222", &v4, &idx), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(v4, v4h("192.0.2.34"));
	CU_ASSERT_EQUAL(idx, 0);
	check_4to6(cfg, "198.51.100.7", 0, "2001:db8::c000:221");
	check_4to6(cfg, "192.0.2.34", 0, "2001:db8::192.0.2.34");
	nat6to4_config_free(cfg);
}

static void test_map_ranges(void)
{
	struct nat6to4_config *cfg = nat6to4_config_new();
	n64_v4 v4 = 0;
	uint8_t idx = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	add_map(cfg, "2001:db8:1::", 120, "192.0.2.0", 24);
	add_map(cfg, "2001:db8:1::5", 128, "203.0.113.5", 32); /* more specific wins */
	add_map(cfg, "2001:db8:2::", 112, "198.51.0.0", 16);
	CU_ASSERT_EQUAL(to4(cfg, "2001:db8:1::7", &v4, &idx), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(v4, v4h("192.0.2.7"));
	CU_ASSERT_EQUAL(idx, 0xff);
	CU_ASSERT_EQUAL(to4(cfg, "2001:db8:1::5", &v4, &idx), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(v4, v4h("203.0.113.5"));
	CU_ASSERT_EQUAL(to4(cfg, "2001:db8:2::abcd", &v4, &idx), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(v4, v4h("198.51.171.205"));
	CU_ASSERT_EQUAL(to4(cfg, "2001:db8:1::100", &v4, &idx), NAT6TO4_R_DST_NOT_MAPPED);
	check_4to6(cfg, "192.0.2.200", 0, "2001:db8:1::c8");
	check_4to6(cfg, "203.0.113.5", 0, "2001:db8:1::5");
	check_4to6(cfg, "198.51.1.2", 0, "2001:db8:2::102");
	uint8_t out[16];
	CU_ASSERT_EQUAL(addrmap_4to6(cfg, v4h("203.0.113.6"), 0, out), NAT6TO4_R_SRC_NOT_MAPPED);
	nat6to4_config_free(cfg);
}

/* The seed's two forms side by side in one /64: configuration order decides. */
static void test_prefix_order_and_index(void)
{
	struct nat6to4_config *cfg = nat6to4_config_new();
	n64_v4 v4 = 0;
	uint8_t idx = 9;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	add_prefix(cfg, "2001:df0:9::", 96, NAT6TO4_FORM_RFC6052);
	add_prefix(cfg, "2001:df0:9::", 64, NAT6TO4_FORM_DECIMAL);
	CU_ASSERT_EQUAL(to4(cfg, "2001:DF0:9::CA53:B0F8", &v4, &idx), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(v4, v4h("202.83.176.248"));
	CU_ASSERT_EQUAL(idx, 0);
	CU_ASSERT_EQUAL(to4(cfg, "2001:DF0:9::202:83:176:248", &v4, &idx), NAT6TO4_R_OK);
	CU_ASSERT_EQUAL(v4, v4h("202.83.176.248"));
	CU_ASSERT_EQUAL(idx, 1);
	CU_ASSERT_EQUAL(to4(cfg, "2001:df0:9::1:2:3:4a", &v4, &idx), NAT6TO4_R_DST_NOT_MAPPED);
	CU_ASSERT_EQUAL(to4(cfg, "2001:df0:a::1", &v4, &idx), NAT6TO4_R_DST_NOT_MAPPED);
	check_4to6(cfg, "202.83.176.248", 0, "2001:DF0:9::CA53:B0F8");
	check_4to6(cfg, "202.83.176.248", 1, "2001:DF0:9::202:83:176:248");
	/* No such prefix (or 0xff from a map): the first one. */
	check_4to6(cfg, "202.83.176.248", 7, "2001:DF0:9::CA53:B0F8");
	check_4to6(cfg, "202.83.176.248", 0xff, "2001:DF0:9::CA53:B0F8");
	nat6to4_config_free(cfg);
}

static void test_nothing_configured(void)
{
	struct nat6to4_config *cfg = nat6to4_config_new();
	n64_v4 v4;
	uint8_t idx, out[16];

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(to4(cfg, "64:ff9b::192.0.2.33", &v4, &idx), NAT6TO4_R_DST_NOT_MAPPED);
	CU_ASSERT_EQUAL(addrmap_4to6(cfg, v4h("192.0.2.33"), 0, out), NAT6TO4_R_SRC_NOT_MAPPED);
	CU_ASSERT_FALSE(addrmap_in_pool(cfg, v4h("192.0.2.33")));
	nat6to4_config_free(cfg);
}

static void test_in_pool(void)
{
	struct nat6to4_config *cfg = nat6to4_config_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	cfg->pool[0] = (struct n64_pool){ v4h("192.0.2.1"), v4h("192.0.2.10"), 1024, 65535 };
	cfg->pool[1] = (struct n64_pool){ v4h("202.83.176.248"), v4h("202.83.176.248"), 1024, 65535 };
	cfg->npool = 2;
	CU_ASSERT_FALSE(addrmap_in_pool(cfg, v4h("192.0.2.0")));
	CU_ASSERT_TRUE(addrmap_in_pool(cfg, v4h("192.0.2.1")));
	CU_ASSERT_TRUE(addrmap_in_pool(cfg, v4h("192.0.2.10")));
	CU_ASSERT_FALSE(addrmap_in_pool(cfg, v4h("192.0.2.11")));
	CU_ASSERT_TRUE(addrmap_in_pool(cfg, v4h("202.83.176.248")));
	CU_ASSERT_FALSE(addrmap_in_pool(cfg, v4h("202.83.176.249")));
	nat6to4_config_free(cfg);
}

int suite_addrmap(void)
{
	CU_pSuite s = CU_add_suite("addrmap", NULL, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "rfc6052_table_embed", test_rfc6052_table_embed) ||
	    !CU_add_test(s, "rfc6052_table_extract", test_rfc6052_table_extract) ||
	    !CU_add_test(s, "bad_prefix_lengths", test_bad_prefix_lengths) ||
	    !CU_add_test(s, "seed_hex_form", test_seed_hex_form) ||
	    !CU_add_test(s, "seed_decimal_form", test_seed_decimal_form) ||
	    !CU_add_test(s, "decimal_edges", test_decimal_edges) ||
	    !CU_add_test(s, "decimal_rejects", test_decimal_rejects) ||
	    !CU_add_test(s, "outside_prefix", test_outside_prefix) ||
	    !CU_add_test(s, "u_octet_and_suffix_ignored", test_u_octet_and_suffix_ignored) ||
	    !CU_add_test(s, "wkp_private", test_wkp_private) ||
	    !CU_add_test(s, "private_ok_with_nsp", test_private_ok_with_network_specific_prefix) ||
	    !CU_add_test(s, "map_before_prefix", test_map_before_prefix) ||
	    !CU_add_test(s, "map_ranges", test_map_ranges) ||
	    !CU_add_test(s, "prefix_order_and_index", test_prefix_order_and_index) ||
	    !CU_add_test(s, "nothing_configured", test_nothing_configured) ||
	    !CU_add_test(s, "in_pool", test_in_pool))
		return -1;
	return 0;
}
