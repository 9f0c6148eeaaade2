/*
 * nat6to4.conf parsing: every directive, every error message exactly as a
 * user sees it (FILE:LINE:COL), defaults, the normalised output and its
 * round trip, the hook for the daemon's own directives, and garbage input.
 */
#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int suite_config(void);

static char err[512];

static nat6to4_config *parse(const char *text)
{
	err[0] = '\0';
	return nat6to4_config_parse(text, strlen(text), "t.conf", NULL, NULL, err, sizeof err);
}

/* The text must be refused with exactly this message. */
static void check_error(const char *text, const char *want)
{
	nat6to4_config *cfg = parse(text);

	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, want);
	if (strcmp(err, want) != 0)
		fprintf(stderr, "\n  text: %s\n  want: %s\n  got:  %s\n", text, want, err);
	nat6to4_config_free(cfg);
}

static void v6(const char *s, uint8_t out[16])
{
	int rc = inet_pton(AF_INET6, s, out);
	CU_ASSERT_EQUAL_FATAL(rc, 1);
}

static n64_v4 v4h(const char *s)
{
	struct in_addr a;
	int rc = inet_pton(AF_INET, s, &a);
	CU_ASSERT_EQUAL_FATAL(rc, 1);
	return ntohl(a.s_addr);
}

/* Field by field, so that padding bytes cannot make two equal configs differ. */
static bool config_equal(const struct nat6to4_config *a, const struct nat6to4_config *b)
{
	bool eq = a->mode == b->mode && a->filtering == b->filtering && a->nprefix == b->nprefix &&
	          a->nmap == b->nmap && a->npool == b->npool && a->nstatic == b->nstatic &&
	          a->mtu6 == b->mtu6 && a->max_sessions == b->max_sessions &&
	          a->allow_private == b->allow_private &&
	          memcmp(a->timeout_s, b->timeout_s, sizeof a->timeout_s) == 0;

	for (int i = 0; eq && i < a->nprefix; i++)
		eq = memcmp(&a->prefix[i], &b->prefix[i], sizeof a->prefix[i]) == 0;
	for (int i = 0; eq && i < a->npool; i++)
		eq = memcmp(&a->pool[i], &b->pool[i], sizeof a->pool[i]) == 0;
	for (int i = 0; eq && i < a->nmap; i++)
		eq = memcmp(a->map[i].v6, b->map[i].v6, 16) == 0 && a->map[i].v6len == b->map[i].v6len &&
		     a->map[i].v4 == b->map[i].v4 && a->map[i].v4len == b->map[i].v4len;
	for (int i = 0; eq && i < a->nstatic; i++) {
		const struct n64_static *x = &a->statics[i], *y = &b->statics[i];
		eq = x->proto == y->proto && memcmp(x->v6, y->v6, 16) == 0 &&
		     x->v6port == y->v6port && x->v4 == y->v4 && x->v4port == y->v4port;
	}
	return eq;
}

static const char default_text[] =
	"mode napt\n"
	"filtering endpoint-independent\n"
	"mtu6 1280\n"
	"timeout udp 300\n"
	"timeout tcp-est 7440\n"
	"timeout tcp-trans 240\n"
	"timeout icmp 60\n"
	"max-sessions 65536\n"
	"allow-private no\n";

static void test_defaults(void)
{
	nat6to4_config *cfg = nat6to4_config_new();
	char buf[1024];

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(cfg->mode, N64_MODE_NAPT);
	CU_ASSERT_EQUAL(cfg->filtering, N64_FILTER_ENDPOINT_INDEPENDENT);
	CU_ASSERT_EQUAL(cfg->mtu6, 1280);
	CU_ASSERT_EQUAL(cfg->timeout_s[N64_TO_UDP], 300);
	CU_ASSERT_EQUAL(cfg->timeout_s[N64_TO_TCP_EST], 7440);
	CU_ASSERT_EQUAL(cfg->timeout_s[N64_TO_TCP_TRANS], 240);
	CU_ASSERT_EQUAL(cfg->timeout_s[N64_TO_ICMP], 60);
	CU_ASSERT_EQUAL(cfg->max_sessions, 65536);
	CU_ASSERT_FALSE(cfg->allow_private);
	CU_ASSERT(cfg->nprefix == 0 && cfg->npool == 0 && cfg->nmap == 0 && cfg->nstatic == 0);
	CU_ASSERT_EQUAL(nat6to4_config_format(cfg, buf, sizeof buf), strlen(default_text));
	CU_ASSERT_STRING_EQUAL(buf, default_text);
	nat6to4_config_free(cfg);
	nat6to4_config_free(NULL);
}

/* The seed's BarNet gateway, minimal: defaults fill in everything else. */
static void test_seed_minimal(void)
{
	nat6to4_config *cfg = parse("# BarNet\n"
	                            "prefix 2001:DF0:9::/96\n"
	                            "prefix 2001:df0:9::/64 decimal\n"
	                            "pool4 202.83.176.248\n");
	uint8_t a[16];

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(cfg->nprefix, 2);
	v6("2001:df0:9::", a);
	CU_ASSERT_EQUAL(memcmp(cfg->prefix[0].addr, a, 16), 0);
	CU_ASSERT_EQUAL(cfg->prefix[0].len, 96);
	CU_ASSERT_EQUAL(cfg->prefix[0].form, NAT6TO4_FORM_RFC6052);
	CU_ASSERT_EQUAL(memcmp(cfg->prefix[1].addr, a, 16), 0);
	CU_ASSERT_EQUAL(cfg->prefix[1].len, 64);
	CU_ASSERT_EQUAL(cfg->prefix[1].form, NAT6TO4_FORM_DECIMAL);
	CU_ASSERT_EQUAL(cfg->npool, 1);
	CU_ASSERT_EQUAL(cfg->pool[0].first, v4h("202.83.176.248"));
	CU_ASSERT_EQUAL(cfg->pool[0].last, v4h("202.83.176.248"));
	CU_ASSERT_EQUAL(cfg->pool[0].port_lo, 1024);
	CU_ASSERT_EQUAL(cfg->pool[0].port_hi, 65535);
	CU_ASSERT_EQUAL(cfg->mtu6, 1280);
	CU_ASSERT_EQUAL(cfg->mode, N64_MODE_NAPT);
	nat6to4_config_free(cfg);
}

static const char every_directive[] =
	"# every directive, odd spacing, CRLF and comments on purpose\n"
	"mode napt\r\n"
	"\tfiltering   address-dependent   # RFC 4787 section 5\n"
	"prefix 64:ff9b::/96 rfc6052\n"
	"prefix 2001:df0:9::/48 decimal\n"
	"pool4 192.0.2.1-192.0.2.6 ports 2000-3000\n"
	"pool4 198.51.100.9\n"
	"map 2001:db8:1::/120 203.0.113.0/24\n"
	"map 2001:db8:2::7 203.0.114.7\n"
	"static tcp 2001:db8:5::80 80 192.0.2.1 2080\n"
	"static udp 2001:db8:5::53 53 198.51.100.9 5353\n"
	"static icmp 2001:db8:5::1 7 198.51.100.9 1234\n"
	"mtu6 1500#no blank before the comment\n"
	"timeout udp 120\n"
	"timeout tcp-est 7200\n"
	"timeout tcp-trans 300\n"
	"timeout icmp 30\n"
	"max-sessions 16777216\n"
	"allow-private yes\n";

static void test_every_directive(void)
{
	nat6to4_config *cfg = parse(every_directive);
	uint8_t a[16];

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(cfg->filtering, N64_FILTER_ADDRESS_DEPENDENT);
	CU_ASSERT_EQUAL(cfg->nprefix, 2);
	CU_ASSERT_EQUAL(cfg->prefix[1].len, 48);
	CU_ASSERT_EQUAL(cfg->npool, 2);
	CU_ASSERT_EQUAL(cfg->pool[0].last, v4h("192.0.2.6"));
	CU_ASSERT_EQUAL(cfg->pool[0].port_lo, 2000);
	CU_ASSERT_EQUAL(cfg->pool[0].port_hi, 3000);
	CU_ASSERT_EQUAL(cfg->nmap, 2);
	v6("2001:db8:1::", a);
	CU_ASSERT_EQUAL(memcmp(cfg->map[0].v6, a, 16), 0);
	CU_ASSERT_EQUAL(cfg->map[0].v6len, 120);
	CU_ASSERT_EQUAL(cfg->map[0].v4, v4h("203.0.113.0"));
	CU_ASSERT_EQUAL(cfg->map[0].v4len, 24);
	CU_ASSERT_EQUAL(cfg->map[1].v6len, 128);
	CU_ASSERT_EQUAL(cfg->map[1].v4len, 32);
	CU_ASSERT_EQUAL(cfg->nstatic, 3);
	CU_ASSERT_EQUAL(cfg->statics[0].proto, 6);
	v6("2001:db8:5::80", a);
	CU_ASSERT_EQUAL(memcmp(cfg->statics[0].v6, a, 16), 0);
	CU_ASSERT_EQUAL(cfg->statics[0].v6port, 80);
	CU_ASSERT_EQUAL(cfg->statics[0].v4, v4h("192.0.2.1"));
	CU_ASSERT_EQUAL(cfg->statics[0].v4port, 2080);
	CU_ASSERT_EQUAL(cfg->statics[1].proto, 17);
	CU_ASSERT_EQUAL(cfg->statics[2].proto, 1);
	CU_ASSERT_EQUAL(cfg->statics[2].v6port, 7);
	CU_ASSERT_EQUAL(cfg->mtu6, 1500);
	CU_ASSERT_EQUAL(cfg->timeout_s[N64_TO_UDP], 120);
	CU_ASSERT_EQUAL(cfg->timeout_s[N64_TO_TCP_EST], 7200);
	CU_ASSERT_EQUAL(cfg->timeout_s[N64_TO_TCP_TRANS], 300);
	CU_ASSERT_EQUAL(cfg->timeout_s[N64_TO_ICMP], 30);
	CU_ASSERT_EQUAL(cfg->max_sessions, 16777216);
	CU_ASSERT_TRUE(cfg->allow_private);
	nat6to4_config_free(cfg);
}

static const char every_directive_normalised[] =
	"mode napt\n"
	"filtering address-dependent\n"
	"prefix 64:ff9b::/96 rfc6052\n"
	"prefix 2001:df0:9::/48 decimal\n"
	"pool4 192.0.2.1-192.0.2.6 ports 2000-3000\n"
	"pool4 198.51.100.9 ports 1024-65535\n"
	"map 2001:db8:1::/120 203.0.113.0/24\n"
	"map 2001:db8:2::7 203.0.114.7\n"
	"static tcp 2001:db8:5::80 80 192.0.2.1 2080\n"
	"static udp 2001:db8:5::53 53 198.51.100.9 5353\n"
	"static icmp 2001:db8:5::1 7 198.51.100.9 1234\n"
	"mtu6 1500\n"
	"timeout udp 120\n"
	"timeout tcp-est 7200\n"
	"timeout tcp-trans 300\n"
	"timeout icmp 30\n"
	"max-sessions 16777216\n"
	"allow-private yes\n";

static void test_format_and_round_trip(void)
{
	nat6to4_config *a = parse(every_directive), *b;
	char buf[4096], again[4096];
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	n = nat6to4_config_format(a, buf, sizeof buf);
	CU_ASSERT_EQUAL(n, strlen(every_directive_normalised));
	CU_ASSERT_STRING_EQUAL(buf, every_directive_normalised);
	b = parse(buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_TRUE(config_equal(a, b));
	CU_ASSERT_EQUAL(memcmp(a, b, sizeof *a), 0);
	nat6to4_config_format(b, again, sizeof again);
	CU_ASSERT_STRING_EQUAL(again, buf);
	nat6to4_config_free(a);
	nat6to4_config_free(b);
}

/* Uppercase, uncompressed and dotted spellings come back canonical. */
static void test_format_canonical_addresses(void)
{
	nat6to4_config *cfg = parse("mode stateless\n"
	                            "prefix 2001:0DB8:0000:0000::/64\n"
	                            "map 2001:DB8:0:0:0:0:0:C000/126 192.0.2.64/30\n"
	                            "map 2001:db8:9::203.0.113.1 203.0.113.1\n");
	char buf[1024];

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	nat6to4_config_format(cfg, buf, sizeof buf);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "mode stateless\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nprefix 2001:db8::/64 rfc6052\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nmap 2001:db8::c000/126 192.0.2.64/30\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nmap 2001:db8:9::cb00:7101 203.0.113.1\n"));
	CU_ASSERT_PTR_NULL(strstr(buf, "pool4"));
	nat6to4_config_free(cfg);
}

/* snprintf semantics: the needed length whatever the room. */
static void test_format_small_buffer(void)
{
	nat6to4_config *cfg = parse(every_directive);
	char buf[40];
	size_t full = strlen(every_directive_normalised);

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(nat6to4_config_format(cfg, NULL, 0), full);
	memset(buf, 'x', sizeof buf);
	CU_ASSERT_EQUAL(nat6to4_config_format(cfg, buf, sizeof buf), full);
	CU_ASSERT_EQUAL(strlen(buf), sizeof buf - 1);
	CU_ASSERT_EQUAL(strncmp(buf, every_directive_normalised, sizeof buf - 1), 0);
	memset(buf, 'x', sizeof buf);
	CU_ASSERT_EQUAL(nat6to4_config_format(cfg, buf, 1), full);
	CU_ASSERT_EQUAL(buf[0], '\0');
	CU_ASSERT_EQUAL(buf[1], 'x');
	nat6to4_config_free(cfg);
}

static const struct {
	const char *text, *want;
} syntax_errors[] = {
	{ "prefix 2001:zz::/48\n", "t.conf:1:8: invalid IPv6 prefix '2001:zz::/48'" },
	{ "prefix 2001:db8::\n", "t.conf:1:8: invalid IPv6 prefix '2001:db8::'" },
	{ "prefix 2001:db8::/129\n", "t.conf:1:8: invalid IPv6 prefix '2001:db8::/129'" },
	{ "prefix 2001:db8::/-1\n", "t.conf:1:8: invalid IPv6 prefix '2001:db8::/-1'" },
	{ "prefix 192.0.2.0/24\n", "t.conf:1:8: invalid IPv6 prefix '192.0.2.0/24'" },
	{ "\n  prefix 2001:db8::/44\n",
	  "t.conf:2:10: prefix length 44 is not one of 32, 40, 48, 56, 64, 96 (RFC 6052)" },
	{ "prefix 2001:db8::/72 decimal\n",
	  "t.conf:1:8: prefix length 72 is too long for the decimal form (at most 64)" },
	{ "prefix 2001:db8::/96 hex\n",
	  "t.conf:1:22: unknown address form 'hex' (expected rfc6052 or decimal)" },
	{ "prefix 2001:db8::1/96\n",
	  "t.conf:1:8: prefix '2001:db8::1/96' has host bits set (did you mean 2001:db8::/96?)" },
	{ "prefix 2001:df0:9:1::/48 decimal\n",
	  "t.conf:1:8: prefix '2001:df0:9:1::/48' has host bits set (did you mean 2001:df0:9::/48?)" },
	{ "prefix 64:ff9b::/96\nprefix 64:FF9B::/96 rfc6052\n",
	  "t.conf:2:8: prefix 64:ff9b::/96 is already configured on line 1" },
	{ "pool 192.0.2.1\n", "t.conf:1:1: unknown directive 'pool'" },
	{ "mtu6 1280 1500\n", "t.conf:1:1: 'mtu6' takes 1 argument, got 2" },
	{ "  pool4\n", "t.conf:1:3: 'pool4' takes 1 or 3 arguments, got 0" },
	{ "pool4 192.0.2.1 ports\n", "t.conf:1:1: 'pool4' takes 1 or 3 arguments, got 2" },
	{ "static tcp ::1 80\n", "t.conf:1:1: 'static' takes 5 arguments, got 3" },
	{ "prefix\n", "t.conf:1:1: 'prefix' takes 1 or 2 arguments, got 0" },
	{ "timeout udp\n", "t.conf:1:1: 'timeout' takes 2 arguments, got 1" },
	{ "map a b c d e f g h i j\n", "t.conf:1:1: 'map' takes 2 arguments, got 10" },
	{ "pool4 192.0.2.300\n", "t.conf:1:7: invalid IPv4 address range '192.0.2.300'" },
	{ "pool4 192.0.2.1-\n", "t.conf:1:7: invalid IPv4 address range '192.0.2.1-'" },
	{ "pool4 192.0.2.9-192.0.2.1\n",
	  "t.conf:1:7: pool4 range '192.0.2.9-192.0.2.1' is backwards (first address above last)" },
	{ "pool4 192.0.2.1 port 1-2\n", "t.conf:1:17: expected 'ports', got 'port'" },
	{ "pool4 192.0.2.1 ports 0-10\n",
	  "t.conf:1:23: invalid port range '0-10' (expected LO-HI with 1 <= LO <= HI <= 65535)" },
	{ "pool4 192.0.2.1 ports 10-5\n",
	  "t.conf:1:23: invalid port range '10-5' (expected LO-HI with 1 <= LO <= HI <= 65535)" },
	{ "pool4 192.0.2.1 ports 1-65536\n",
	  "t.conf:1:23: invalid port range '1-65536' (expected LO-HI with 1 <= LO <= HI <= 65535)" },
	{ "pool4 192.0.2.1 ports 80\n",
	  "t.conf:1:23: invalid port range '80' (expected LO-HI with 1 <= LO <= HI <= 65535)" },
	{ "static sctp ::1 80 192.0.2.1 80\n",
	  "t.conf:1:8: unknown protocol 'sctp' (expected tcp, udp or icmp)" },
	{ "static tcp ::g 80 192.0.2.1 80\n", "t.conf:1:12: invalid IPv6 address '::g'" },
	{ "static tcp ::1 0 192.0.2.1 80\n", "t.conf:1:16: port 0 is out of range (1-65535)" },
	{ "static tcp ::1 http 192.0.2.1 80\n",
	  "t.conf:1:16: invalid port 'http' (expected a number)" },
	{ "static udp ::1 53 192.0.2 53\n", "t.conf:1:19: invalid IPv4 address '192.0.2'" },
	{ "static udp ::1 53 192.0.2.1 65536\n",
	  "t.conf:1:29: port 65536 is out of range (1-65535)" },
	{ "static icmp ::1 65536 192.0.2.1 1\n",
	  "t.conf:1:17: ICMP echo identifier 65536 is out of range (0-65535)" },
	{ "map 2001:db8::1 192.0.2.1/24\n",
	  "t.conf:1:17: map sides differ in size: /128 leaves 0 host bits in IPv6, /24 leaves 8 in IPv4" },
	{ "map 2001:db8::/64 192.0.2.1\n",
	  "t.conf:1:19: map sides differ in size: /64 leaves 64 host bits in IPv6, /32 leaves 0 in IPv4" },
	{ "map 2001:db8::1/120 192.0.2.0/24\n",
	  "t.conf:1:5: map address '2001:db8::1/120' has host bits set" },
	{ "map 2001:db8::/120 192.0.2.1/24\n",
	  "t.conf:1:20: map address '192.0.2.1/24' has host bits set" },
	{ "map 2001:db8::x 192.0.2.1\n", "t.conf:1:5: invalid IPv6 address or prefix '2001:db8::x'" },
	{ "map 2001:db8::1 192.0.2.1/33\n",
	  "t.conf:1:17: invalid IPv4 address or prefix '192.0.2.1/33'" },
	{ "mode nat\n", "t.conf:1:6: unknown mode 'nat' (expected napt or stateless)" },
	{ "filtering full-cone\n",
	  "t.conf:1:11: unknown filtering 'full-cone' (expected endpoint-independent or address-dependent)" },
	{ "allow-private true\n",
	  "t.conf:1:15: unknown allow-private value 'true' (expected yes or no)" },
	{ "mtu6 1279\n", "t.conf:1:6: mtu6 1279 is out of range (1280-65535)" },
	{ "mtu6 65536\n", "t.conf:1:6: mtu6 65536 is out of range (1280-65535)" },
	{ "mtu6 +1500\n", "t.conf:1:6: invalid mtu6 '+1500' (expected a number)" },
	{ "mtu6 1500.0\n", "t.conf:1:6: invalid mtu6 '1500.0' (expected a number)" },
	{ "mtu6 99999999999999999999999\n",
	  "t.conf:1:6: mtu6 99999999999999999999999 is out of range (1280-65535)" },
	{ "timeout tcp 60\n",
	  "t.conf:1:9: unknown timeout 'tcp' (expected udp, tcp-est, tcp-trans or icmp)" },
	{ "timeout udp 0\n", "t.conf:1:13: timeout udp 0 is out of range (1-2147483648)" },
	{ "timeout icmp 2147483649\n",
	  "t.conf:1:14: timeout icmp 2147483649 is out of range (1-2147483648)" },
	{ "max-sessions 0\n", "t.conf:1:14: max-sessions 0 is out of range (1-16777216)" },
	{ "max-sessions 16777217\n",
	  "t.conf:1:14: max-sessions 16777217 is out of range (1-16777216)" },
	{ "mode napt\nmode stateless\n", "t.conf:2:1: 'mode' is already set on line 1" },
	{ "mtu6 1500\n\n mtu6 1500\n", "t.conf:3:2: 'mtu6' is already set on line 1" },
	{ "timeout udp 1\ntimeout icmp 1\ntimeout udp 2\n",
	  "t.conf:3:1: 'timeout udp' is already set on line 1" },
	{ "allow-private no\nallow-private yes\n",
	  "t.conf:2:1: 'allow-private' is already set on line 1" },
	{ "filtering address-dependent\nfiltering address-dependent\n",
	  "t.conf:2:1: 'filtering' is already set on line 1" },
	{ "max-sessions 5\nmax-sessions 5\n", "t.conf:2:1: 'max-sessions' is already set on line 1" },
	{ "Mode napt\n", "t.conf:1:1: unknown directive 'Mode'" },
};

static void test_syntax_errors(void)
{
	for (size_t i = 0; i < sizeof syntax_errors / sizeof syntax_errors[0]; i++)
		check_error(syntax_errors[i].text, syntax_errors[i].want);
}

static const struct {
	const char *text, *want;
} semantic_errors[] = {
	{ "", "t.conf:1:1: no 'prefix' or 'map' directive: no IPv6 address can be translated" },
	{ "# only a comment\n\n",
	  "t.conf:3:1: no 'prefix' or 'map' directive: no IPv6 address can be translated" },
	{ "mode stateless\npool4 192.0.2.1",
	  "t.conf:2:16: no 'prefix' or 'map' directive: no IPv6 address can be translated" },
	{ "prefix 64:ff9b::/96\n", "t.conf:2:1: napt mode needs at least one 'pool4' range" },
	{ "map 2001:db8::1 192.0.2.1", "t.conf:1:26: napt mode needs at least one 'pool4' range" },
	{ "prefix 64:ff9b::/96\npool4 192.0.2.1\nstatic tcp 2001:db8::80 80 192.0.2.2 8080\n",
	  "t.conf:3:28: static address 192.0.2.2 is not inside any pool4 range" },
	{ "prefix 64:ff9b::/96\npool4 192.0.2.1\nstatic tcp 2001:db8::80 80 192.0.2.1 80\n",
	  "t.conf:3:38: static port 80 is outside the pool4 port range 1024-65535 of 192.0.2.1" },
	{ "prefix 64:ff9b::/96\npool4 192.0.2.1 ports 1-999\n"
	  "static icmp 2001:db8::80 9 192.0.2.1 1000\n",
	  "t.conf:3:38: static id 1000 is outside the pool4 port range 1-999 of 192.0.2.1" },
	{ "prefix 64:ff9b::/96\npool4 192.0.2.1\n"
	  "static udp 2001:db8::53 53 192.0.2.1 5353\n"
	  "static udp 2001:db8::54 53 192.0.2.1 5353\n",
	  "t.conf:4:28: duplicate static: udp 192.0.2.1 port 5353 is already bound (first on line 3)" },
	{ "prefix 64:ff9b::/96\npool4 192.0.2.1\n"
	  "static udp 2001:db8::53 53 192.0.2.1 5353\n"
	  "static tcp 2001:db8::53 53 192.0.2.1 5353\n"
	  "static udp 2001:db8::53 53 192.0.2.1 5354\n",
	  "t.conf:5:12: duplicate static: udp 2001:db8::53 port 53 is already bound (first on line 3)" },
	{ "prefix 64:ff9b::/96\npool4 192.0.2.1-192.0.2.10\npool4 192.0.2.10-192.0.2.20\n",
	  "t.conf:3:7: pool4 range 192.0.2.10-192.0.2.20 overlaps another (first on line 2)" },
	{ "mode stateless\nmap 2001:db8::/120 192.0.2.0/24\nmap 2001:db8::/120 198.51.100.0/24\n",
	  "t.conf:3:5: 2001:db8::/120 is already mapped (first on line 2)" },
	{ "mode stateless\nmap 2001:db8::1 192.0.2.1\nmap 2001:db8::2 192.0.2.1/32\n",
	  "t.conf:3:17: 192.0.2.1/32 is already mapped (first on line 2)" },
};

static void test_semantic_errors(void)
{
	for (size_t i = 0; i < sizeof semantic_errors / sizeof semantic_errors[0]; i++)
		check_error(semantic_errors[i].text, semantic_errors[i].want);
}

static void test_statics_accepted(void)
{
	/* Stateless mode has no pool: statics are not tied to one. */
	nat6to4_config *cfg = parse("mode stateless\nprefix 64:ff9b::/96\n"
	                            "static tcp 2001:db8::80 80 198.51.100.1 80\n");
	CU_ASSERT_PTR_NOT_NULL(cfg);
	nat6to4_config_free(cfg);
	/* Same v4 port in two protocols, icmp id 0, the edge ports of the pool. */
	cfg = parse("prefix 64:ff9b::/96\npool4 192.0.2.1-192.0.2.2 ports 1-65535\n"
	            "static tcp 2001:db8::1 1 192.0.2.1 1\n"
	            "static udp 2001:db8::1 1 192.0.2.1 1\n"
	            "static icmp 2001:db8::1 0 192.0.2.2 65535\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(cfg->nstatic, 3);
	CU_ASSERT_EQUAL(cfg->statics[2].v6port, 0);
	CU_ASSERT_EQUAL(cfg->statics[2].v4port, 65535);
	nat6to4_config_free(cfg);
}

static void test_filename_in_messages(void)
{
	nat6to4_config *cfg;

	cfg = nat6to4_config_parse("pool\n", 5, "/etc/nat6to4.conf", NULL, NULL, err, sizeof err);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, "/etc/nat6to4.conf:1:1: unknown directive 'pool'");
	cfg = nat6to4_config_parse("pool\n", 5, NULL, NULL, NULL, err, sizeof err);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, "(config):1:1: unknown directive 'pool'");
	/* A short error buffer is truncated, not overrun. */
	char small[12];
	memset(small, 'x', sizeof small);
	cfg = nat6to4_config_parse("pool\n", 5, "t.conf", NULL, NULL, small, sizeof small);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(small, "t.conf:1:1:");
	cfg = nat6to4_config_parse("pool\n", 5, "t.conf", NULL, NULL, NULL, 0);
	CU_ASSERT_PTR_NULL(cfg);
}

/* ---- the hook for directives the core does not know --------------------- */

struct hook_log {
	int calls;
	char device[64];
	int nargs_seen;
};

static int daemon_directives(void *user, const char *keyword, const char *const *args,
                             int nargs, char *msg, size_t msglen)
{
	struct hook_log *log = user;

	log->calls++;
	log->nargs_seen = nargs;
	if (strcmp(keyword, "tun-device") == 0) {
		if (nargs != 1) {
			snprintf(msg, msglen, "'tun-device' takes 1 argument, got %d", nargs);
			return -1;
		}
		snprintf(log->device, sizeof log->device, "%s", args[0]);
		return 0;
	}
	if (strcmp(keyword, "user") == 0)
		return -1; /* no message: the parser says something generic */
	return 1;
}

static void test_extra_hook(void)
{
	static const char text[] = "tun-device nat64   # the daemon's\nprefix 64:ff9b::/96\n"
	                           "pool4 192.0.2.1\nmtu6 1500\n";
	struct hook_log log = { 0 };
	nat6to4_config *cfg;

	cfg = nat6to4_config_parse(text, strlen(text), "d.conf", daemon_directives, &log, err,
	                           sizeof err);
	CU_ASSERT_PTR_NOT_NULL(cfg);
	CU_ASSERT_EQUAL(log.calls, 1); /* known directives never reach the hook */
	CU_ASSERT_STRING_EQUAL(log.device, "nat64");
	CU_ASSERT_EQUAL(log.nargs_seen, 1);
	nat6to4_config_free(cfg);

	memset(&log, 0, sizeof log);
	cfg = nat6to4_config_parse("\n  tun-device a b\n", 18, "d.conf", daemon_directives, &log,
	                           err, sizeof err);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, "d.conf:2:3: 'tun-device' takes 1 argument, got 2");
	cfg = nat6to4_config_parse("user\n", 5, "d.conf", daemon_directives, &log, err, sizeof err);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, "d.conf:1:1: invalid arguments");
	CU_ASSERT_EQUAL(log.nargs_seen, 0);
	cfg = nat6to4_config_parse("group x\n", 8, "d.conf", daemon_directives, &log, err, sizeof err);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, "d.conf:1:1: unknown directive 'group'");
}

/* ---- garbage ------------------------------------------------------------ */

static void test_binary_and_nul(void)
{
	static const char nul_text[] = "prefix 64:ff9b::/96\nmtu6 15\0000\n";
	nat6to4_config *cfg;

	cfg = nat6to4_config_parse(nul_text, sizeof nul_text - 1, "t.conf", NULL, NULL, err,
	                           sizeof err);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, "t.conf:2:8: NUL byte: this is not a text file");
	check_error("\x7f" "ELF\x02\x01\x01", "t.conf:1:1: control character 0x7f: this is not a text file");
	check_error("# \x1b[31m red\n", "t.conf:1:3: control character 0x1b: this is not a text file");
	/* Non-ASCII is fine in comments, and reported, quoted, in a token. */
	cfg = parse("# caf\xc3\xa9 \xe2\x80\x94 BarNet\nprefix 64:ff9b::/96\npool4 192.0.2.1\n");
	CU_ASSERT_PTR_NOT_NULL(cfg);
	nat6to4_config_free(cfg);
	check_error("mtu6 \xff\xfe\n", "t.conf:1:6: invalid mtu6 '\xff\xfe' (expected a number)");
	cfg = nat6to4_config_parse(NULL, 0, "t.conf", NULL, NULL, err, sizeof err);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, "t.conf:1:1: no 'prefix' or 'map' directive: no IPv6 address can be translated");
	cfg = nat6to4_config_parse(NULL, 10, "t.conf", NULL, NULL, err, sizeof err);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err, "no configuration text");
}

/* Lines of any length: no fixed buffer, columns still right. */
static void test_very_long_lines(void)
{
	size_t pad = 1 << 20;
	char *text = malloc(3 * pad + 200);
	char want[200];
	nat6to4_config *cfg;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	memset(text, ' ', pad);
	strcpy(text + pad, "prefix 64:ff9b::/96\npool4 192.0.2.1 # ");
	size_t n = strlen(text);
	memset(text + n, 'c', pad);
	strcpy(text + n + pad, "\n");
	cfg = parse(text);
	CU_ASSERT_PTR_NOT_NULL(cfg);
	nat6to4_config_free(cfg);

	/* A megabyte-long keyword: quoted, shortened, at column 1. */
	memset(text, 'a', pad);
	strcpy(text + pad, " 1\n");
	snprintf(want, sizeof want, "t.conf:1:1: unknown directive '%.64s...'", text);
	check_error(text, want);

	/* A bad value after a megabyte of blanks: its column counts them. */
	memset(text, '\t', pad);
	strcpy(text + pad, "mtu6 9");
	snprintf(want, sizeof want, "t.conf:1:%zu: mtu6 9 is out of range (1280-65535)", pad + 6);
	check_error(text, want);

	/* Many tokens on one line. */
	strcpy(text, "prefix");
	for (n = 6; n < pad; n += 2)
		memcpy(text + n, " x", 2);
	text[n] = '\0';
	snprintf(want, sizeof want, "t.conf:1:1: 'prefix' takes 1 or 2 arguments, got %zu",
	         (pad - 6) / 2);
	check_error(text, want);
	free(text);
}

/* Random bytes and mutated good files: an answer every time, never a crash. */
static void test_random_input(void)
{
	uint32_t seed = 20080513;
	char text[1024];
	size_t good_len = strlen(every_directive);
	int answered = 0;

	CU_ASSERT_FATAL(good_len <= sizeof text);
	for (int round = 0; round < 4000; round++) {
		size_t len;
		if (round % 2) {
			len = good_len;
			memcpy(text, every_directive, len);
			for (int k = 0; k < 3; k++) {
				seed = seed * 1103515245u + 12345u;
				text[(seed >> 8) % len] = (char)(seed >> 24);
			}
		} else {
			seed = seed * 1103515245u + 12345u;
			len = (seed >> 16) % sizeof text;
			for (size_t i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				text[i] = (char)(seed >> 24);
			}
		}
		err[0] = '\0';
		nat6to4_config *cfg = nat6to4_config_parse(text, len, "r.conf", NULL, NULL, err, sizeof err);
		if (cfg || strncmp(err, "r.conf:", 7) == 0)
			answered++;
		nat6to4_config_free(cfg);
	}
	CU_ASSERT_EQUAL(answered, 4000);
}

/* ---- config_validate on a configuration built in memory ------------------ */

static void test_validate_in_memory(void)
{
	struct nat6to4_config *cfg = nat6to4_config_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(config_validate(cfg, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "no 'prefix' or 'map' directive: no IPv6 address can be translated");
	v6("64:ff9b::", cfg->prefix[0].addr);
	cfg->prefix[0].len = 96;
	cfg->nprefix = 1;
	CU_ASSERT_EQUAL(config_validate(cfg, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "napt mode needs at least one 'pool4' range");
	cfg->pool[0] = (struct n64_pool){ v4h("192.0.2.1"), v4h("192.0.2.1"), 1024, 65535 };
	cfg->npool = 1;
	CU_ASSERT_EQUAL(config_validate(cfg, err, sizeof err), 0);
	cfg->statics[0] = (struct n64_static){ .proto = 6, .v6port = 80, .v4 = v4h("192.0.2.1"),
	                                       .v4port = 80 };
	cfg->nstatic = 1;
	CU_ASSERT_EQUAL(config_validate(cfg, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "static port 80 is outside the pool4 port range 1024-65535 of 192.0.2.1");
	cfg->statics[0].v4port = 8080;
	CU_ASSERT_EQUAL(config_validate(cfg, err, sizeof err), 0);
	cfg->mtu6 = 1000;
	CU_ASSERT_EQUAL(config_validate(cfg, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "mtu6 1000 is out of range (1280-65535)");
	cfg->mtu6 = 1280;
	cfg->prefix[0].len = 44;
	CU_ASSERT_EQUAL(config_validate(cfg, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "prefix 1 has an invalid length, form or host bits");
	cfg->prefix[0].len = 96;
	cfg->nprefix = 17;
	CU_ASSERT_EQUAL(config_validate(cfg, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "configuration has an invalid number of entries");
	cfg->nprefix = 1;
	cfg->timeout_s[N64_TO_TCP_EST] = 0;
	CU_ASSERT_EQUAL(config_validate(cfg, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "timeout tcp-est 0 is out of range (1-2147483648)");
	CU_ASSERT_EQUAL(config_validate(NULL, err, sizeof err), -1);
	nat6to4_config_free(cfg);
}

/* The sample files under tests/data/conf are kept working (run from the top). */
static void test_sample_files(void)
{
	static const struct {
		const char *path;
		const char *want_err; /* NULL: must parse */
	} files[] = {
		{ "tests/data/conf/barnet.conf", NULL },
		{ "tests/data/conf/stateless.conf", NULL },
		{ "tests/data/conf/bad-prefix.conf",
		  "tests/data/conf/bad-prefix.conf:6:8: prefix length 44 is not one of 32, 40, 48, 56, 64, 96 (RFC 6052)" },
		{ "tests/data/conf/bad-static.conf",
		  "tests/data/conf/bad-static.conf:8:36: static address 202.83.176.249 is not inside any pool4 range" },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char buf[8192];
		FILE *f = fopen(files[i].path, "rb");
		if (!f) {
			CU_FAIL("sample file missing (run from the top of the tree)");
			continue;
		}
		size_t n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		nat6to4_config *cfg = nat6to4_config_parse(buf, n, files[i].path, NULL, NULL, err,
		                                           sizeof err);
		if (files[i].want_err) {
			CU_ASSERT_PTR_NULL(cfg);
			CU_ASSERT_STRING_EQUAL(err, files[i].want_err);
		} else {
			CU_ASSERT_PTR_NOT_NULL(cfg);
		}
		nat6to4_config_free(cfg);
	}
}

int suite_config(void)
{
	CU_pSuite s = CU_add_suite("config", NULL, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "defaults", test_defaults) ||
	    !CU_add_test(s, "seed_minimal", test_seed_minimal) ||
	    !CU_add_test(s, "every_directive", test_every_directive) ||
	    !CU_add_test(s, "format_and_round_trip", test_format_and_round_trip) ||
	    !CU_add_test(s, "format_canonical_addresses", test_format_canonical_addresses) ||
	    !CU_add_test(s, "format_small_buffer", test_format_small_buffer) ||
	    !CU_add_test(s, "syntax_errors", test_syntax_errors) ||
	    !CU_add_test(s, "semantic_errors", test_semantic_errors) ||
	    !CU_add_test(s, "statics_accepted", test_statics_accepted) ||
	    !CU_add_test(s, "filename_in_messages", test_filename_in_messages) ||
	    !CU_add_test(s, "extra_hook", test_extra_hook) ||
	    !CU_add_test(s, "binary_and_nul", test_binary_and_nul) ||
	    !CU_add_test(s, "very_long_lines", test_very_long_lines) ||
	    !CU_add_test(s, "random_input", test_random_input) ||
	    !CU_add_test(s, "validate_in_memory", test_validate_in_memory) ||
	    !CU_add_test(s, "sample_files", test_sample_files))
		return -1;
	return 0;
}
