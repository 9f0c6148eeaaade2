/*
 * ppp.conf as ppp(8) reads it: the seed's `pppoe6` section gives the
 * settings the story needs; `default:` applies first and the label
 * overrides it; quoting, comments, abbreviations; every problem reported
 * with ppp(8)'s own words and the line it was on.
 */
#include <CUnit/CUnit.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "conf/ppp_conf.h"

int suite_pppconf(void);

/* What the warnings said: "LINE: MESSAGE" lines. */
struct seen {
	char text[2048];
	int count;
};

static void record(void *user, int line, const char *msg)
{
	struct seen *s = user;
	size_t len = strlen(s->text);
	snprintf(s->text + len, sizeof s->text - len, "%d: %s\n", line, msg);
	s->count++;
}

/* The seed's file, with the two labels the HTML lost. */
static const char seed_conf[] =
	"default:\n"
	" set log Phase Chat LCP IPCP CCP tun command\n"
	" set timeout 180\n"
	"\n"
	"pppoe6:\n"
	"    set authname \"\"\n"
	"    set authkey \"secret\"\n"
	"    set device PPPoE:sk0\n"
	"    enable lqr echo\n"
	"    nat enable yes\n"
	"    set cd 5\n"
	"    set dial\n"
	"    set login\n"
	"    set redial 0 0\n"
	"    set ifaddr\n"
	"    add default HISADDR                 # Add a (sticky) default route\n"
	"    add default HISADDR6                # Add a (sticky) default route\n";

static void test_seed_file(void)
{
	struct ppp_settings s;
	struct seen w = { .count = 0 };
	CU_ASSERT_EQUAL(ppp_conf_load(&s, seed_conf, "pppoe6", record, &w), 0);
	CU_ASSERT_EQUAL(w.count, 0);
	CU_ASSERT_STRING_EQUAL(s.authname, "");
	CU_ASSERT_STRING_EQUAL(s.authkey, "secret");
	CU_ASSERT_STRING_EQUAL(s.device, "PPPoE:sk0");
	CU_ASSERT_TRUE(s.device_pppoe);
	CU_ASSERT_STRING_EQUAL(s.pppoe_iface, "sk0");
	CU_ASSERT_STRING_EQUAL(s.pppoe_service, "");
	CU_ASSERT_TRUE(s.lqr);
	CU_ASSERT_TRUE(s.echo);
	CU_ASSERT_TRUE(s.nat);
	CU_ASSERT_EQUAL(s.cd_s, 5);
	CU_ASSERT_FALSE(s.cd_required);
	CU_ASSERT_EQUAL(s.redial_s, 0);
	CU_ASSERT_EQUAL(s.redial_attempts, 0);
	CU_ASSERT_FALSE(s.ifaddr_set);
	CU_ASSERT_EQUAL(s.mru, 1500);
	CU_ASSERT_TRUE(s.ipcp);
	CU_ASSERT_TRUE(s.ipv6cp);
	CU_ASSERT_EQUAL_FATAL(s.nroutes, 2);
	CU_ASSERT_EQUAL(s.routes[0].family, 4);
	CU_ASSERT_EQUAL(s.routes[0].plen, 0);
	CU_ASSERT_EQUAL(s.routes[0].gw, PPP_GW_HISADDR);
	CU_ASSERT_EQUAL(s.routes[1].family, 6);
	CU_ASSERT_EQUAL(s.routes[1].plen, 0);
	CU_ASSERT_EQUAL(s.routes[1].gw, PPP_GW_HISADDR6);
	CU_ASSERT_EQUAL(ppp_conf_check(seed_conf, record, &w), 0);
	CU_ASSERT_STRING_EQUAL(w.text, "");
}

static void test_defaults_then_label(void)
{
	static const char text[] =
		"# comment at the top\n"
		"default:\n"
		" set mru 1400\n"
		" set authname fromdefault\n"
		" disable ipv6cp\n"
		"other:\n"
		" set authname other\n"
		"isp:\n"
		" set authname fromlabel\n"
		"\tset echoperiod 3\n"
		"  enable ipv6cp\n"
		"last:\n"
		" set mru 600\n";
	struct ppp_settings s;
	struct seen w = { .count = 0 };
	CU_ASSERT_EQUAL(ppp_conf_load(&s, text, "isp", record, &w), 0);
	CU_ASSERT_EQUAL(w.count, 0);
	CU_ASSERT_EQUAL(s.mru, 1400);                 /* from default: */
	CU_ASSERT_STRING_EQUAL(s.authname, "fromlabel"); /* the label overrides */
	CU_ASSERT_EQUAL(s.echo_period_s, 3);
	CU_ASSERT_TRUE(s.ipv6cp);
	CU_ASSERT_EQUAL(s.lqr_period_s, 30);           /* ppp(8)'s default */
	/* `default` alone, and a label that is not there. */
	CU_ASSERT_EQUAL(ppp_conf_load(&s, text, "default", record, &w), 0);
	CU_ASSERT_STRING_EQUAL(s.authname, "fromdefault");
	CU_ASSERT_FALSE(s.ipv6cp);
	CU_ASSERT_EQUAL(ppp_conf_load(&s, text, "nosuch", record, &w), -1);
	CU_ASSERT_EQUAL(ppp_conf_load(&s, text, "ISP", record, &w), -1); /* labels are exact */
	/* A file without default: */
	CU_ASSERT_EQUAL(ppp_conf_load(&s, "x:\n set mtu 1400\n", "x", record, &w), 0);
	CU_ASSERT_EQUAL(s.mtu, 1400);
	CU_ASSERT_EQUAL(w.count, 0);
}

static void test_quoting_and_abbreviations(void)
{
	struct ppp_settings s;
	struct seen w = { .count = 0 };
	ppp_conf_defaults(&s);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "set authkey \"two words # not a comment\"", 1,
	                                 record, &w), 0);
	CU_ASSERT_STRING_EQUAL(s.authkey, "two words # not a comment");
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "set authname a\\ b", 2, record, &w), 0);
	CU_ASSERT_STRING_EQUAL(s.authname, "a b");
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "se dev PPPoE:em1:internode", 3, record, &w), 0);
	CU_ASSERT_STRING_EQUAL(s.pppoe_iface, "em1");
	CU_ASSERT_STRING_EQUAL(s.pppoe_service, "internode");
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "SET KEY x", 4, record, &w), 0); /* alias, any case */
	CU_ASSERT_STRING_EQUAL(s.authkey, "x");
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "set cd 7!", 5, record, &w), 0);
	CU_ASSERT_EQUAL(s.cd_s, 7);
	CU_ASSERT_TRUE(s.cd_required);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "set redial 15+5-30.2 4", 6, record, &w), 0);
	CU_ASSERT_EQUAL(s.redial_s, 15);
	CU_ASSERT_EQUAL(s.redial_attempts, 4);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "set mru max 1492", 7, record, &w), 0);
	CU_ASSERT_EQUAL(s.mru, 1492);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "set mru 0", 8, record, &w), 0);
	CU_ASSERT_EQUAL(s.mru, 1500);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "disable lqr echo ipcp", 9, record, &w), 0);
	CU_ASSERT_FALSE(s.lqr);
	CU_ASSERT_FALSE(s.echo);
	CU_ASSERT_FALSE(s.ipcp);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "deny pap chap", 10, record, &w), 0);
	CU_ASSERT_FALSE(s.accept_pap);
	CU_ASSERT_FALSE(s.accept_chap);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "enable chap", 11, record, &w), 0);
	CU_ASSERT_TRUE(s.enable_chap);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "nat enable no", 12, record, &w), 0);
	CU_ASSERT_FALSE(s.nat);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "   # only a comment", 13, record, &w), 0);
	CU_ASSERT_EQUAL(w.count, 0);
	CU_ASSERT_STRING_EQUAL(w.text, "");
}

static void test_ifaddr_and_routes(void)
{
	struct ppp_settings s;
	struct seen w = { .count = 0 };
	uint8_t a[16];
	ppp_conf_defaults(&s);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "set ifaddr 10.0.0.1/0 10.0.0.2/0 255.255.255.0 0.0.0.0",
	                                 1, record, &w), 0);
	CU_ASSERT_TRUE(s.ifaddr_set);
	inet_pton(AF_INET, "10.0.0.1", a);
	CU_ASSERT_EQUAL(memcmp(s.my_ip4, a, 4), 0);
	CU_ASSERT_EQUAL(s.my_plen, 0);
	inet_pton(AF_INET, "255.255.255.0", a);
	CU_ASSERT_EQUAL(memcmp(s.netmask, a, 4), 0);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "set ifaddr", 2, record, &w), 0);
	CU_ASSERT_FALSE(s.ifaddr_set);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "add 2001:db8::/32 HISADDR6", 3, record, &w), 0);
	CU_ASSERT_EQUAL(ppp_conf_command(&s, "add! 192.0.2.0/24 198.51.100.1", 4, record, &w), 0);
	CU_ASSERT_EQUAL_FATAL(s.nroutes, 2);
	inet_pton(AF_INET6, "2001:db8::", a);
	CU_ASSERT_EQUAL(s.routes[0].family, 6);
	CU_ASSERT_EQUAL(s.routes[0].plen, 32);
	CU_ASSERT_EQUAL(memcmp(s.routes[0].dst, a, 16), 0);
	CU_ASSERT_EQUAL(s.routes[1].family, 4);
	CU_ASSERT_EQUAL(s.routes[1].plen, 24);
	CU_ASSERT_EQUAL(s.routes[1].gw, PPP_GW_ADDR);
	inet_pton(AF_INET, "198.51.100.1", a);
	CU_ASSERT_EQUAL(memcmp(s.routes[1].gw_addr, a, 4), 0);
	CU_ASSERT_EQUAL(w.count, 0);
}

/* One command, and exactly what ppp(8) says about it. */
static void check_msg(const char *line, const char *want)
{
	struct ppp_settings s;
	struct seen w = { .count = 0 };
	ppp_conf_defaults(&s);
	CU_ASSERT_NOT_EQUAL(ppp_conf_command(&s, line, 12, record, &w), 0);
	CU_ASSERT_STRING_EQUAL(w.text, want);
	if (strcmp(w.text, want) != 0)
		fprintf(stderr, "\n  line: %s\n  want: %s  got:  %s", line, want, w.text);
}

static void test_bad_commands(void)
{
	check_msg("foo", "12: foo: Invalid command\n");
	check_msg("set foo 1", "12: set foo: Invalid command\n");
	check_msg("s mru 1", "12: s: Ambiguous command\n"); /* set, shell, show */
	check_msg("set mru 100", "12: MRU 100: too small - min 296\n12: set mru: Failed 1\n");
	check_msg("set mru 3000", "12: MRU 3000: too big - max 2048\n12: set mru: Failed 1\n");
	check_msg("set mru lots", "12: Usage: set mru [max[imum]] [value]\n");
	check_msg("set cd", "12: Usage: set cd value[!]\n");
	check_msg("set redial soon", "12: Usage: set redial secs[+inc[-incmax]][.next] [attempts]\n");
	check_msg("set echoperiod 0", "12: 0: Invalid echo period - min 1\n12: set echoperiod: Failed 1\n");
	check_msg("set ifaddr 1 2 3 4 5",
	          "12: Usage: set ifaddr [src-addr [dst-addr [netmask [trg-addr]]]]\n");
	check_msg("set ifaddr 10.0.0.300", "12: set ifaddr: Failed 1\n");
	check_msg("enable lqr bogus", "12: enable bogus: Invalid command\n");
	check_msg("enable", "12: Usage: enable option ..\n");
	check_msg("nat enable maybe", "12: Usage: nat enable yes|no\n");
	check_msg("nat", "12: Usage: nat option yes|no\n");
	check_msg("add default", "12: Usage: add dest mask gateway\n");
	check_msg("add default HISADDR6 extra junk", "12: Usage: add dest mask gateway\n");
	check_msg("add 10.0.0.0/8 HISADDR6", "12: Usage: add dest mask gateway\n");
	check_msg("set authkey \"unterminated", "12: /etc/ppp/ppp.conf: 12: Syntax error\n");
}

static void test_broken_file(void)
{
	static const char text[] =
		"default:\n"                /* 1 */
		" set log Phase\n"          /* 2 */
		"pppoe6\n"                  /* 3: no colon */
		"pppoe6:\n"                 /* 4 */
		" set device PPPoE:sk0\n"   /* 5 */
		" sett mru 1492\n"          /* 6 */
		" set mru 20\n"             /* 7 */
		"\n"                        /* 8 */
		" # a comment\n"            /* 9 */
		" set authkey \"oops\n"     /* 10 */
		"!include other.conf\n"     /* 11 */
		"bad label:\n"              /* 12 */
		"  unknowncmd x\n";         /* 13: in no valid section */
	struct seen w = { .count = 0 };
	int n = ppp_conf_check(text, record, &w);
	const char *want =
		"3: Bad label in /etc/ppp/ppp.conf (line 3) - missing colon\n"
		"6: sett: Invalid command\n"
		"7: MRU 20: too small - min 296\n"
		"7: set mru: Failed 1\n"
		"10: /etc/ppp/ppp.conf: 10: Syntax error\n"
		"11: /etc/ppp/ppp.conf: !include other.conf: Invalid command\n"
		"12: Bad label in /etc/ppp/ppp.conf (line 12) - missing colon\n";
	CU_ASSERT_EQUAL(n, 7);
	CU_ASSERT_STRING_EQUAL(w.text, want);
	if (strcmp(w.text, want) != 0)
		fprintf(stderr, "\n  want:\n%s  got:\n%s", want, w.text);
	/* Loading pppoe6 warns about its own lines (and the bad label met on
	 * the way to it), then still applies the good ones. */
	struct ppp_settings s;
	struct seen w2 = { .count = 0 };
	CU_ASSERT_EQUAL(ppp_conf_load(&s, text, "pppoe6", record, &w2), 0);
	CU_ASSERT_STRING_EQUAL(s.pppoe_iface, "sk0");
	CU_ASSERT_EQUAL(s.mru, 1500);
	CU_ASSERT_PTR_NOT_NULL(strstr(w2.text, "6: sett: Invalid command\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(w2.text, "10: /etc/ppp/ppp.conf: 10: Syntax error\n"));
}

static void test_garbage(void)
{
	char text[4096];
	struct seen w;
	struct ppp_settings s;
	uint32_t x = 12345;
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof text - 1; i++) {
			x = x * 1103515245u + 12345u;
			char c = (char)(x >> 16);
			text[i] = c ? c : '\n';
		}
		text[sizeof text - 1] = '\0';
		memset(&w, 0, sizeof w);
		ppp_conf_check(text, record, &w);
		ppp_conf_load(&s, text, "default", NULL, NULL);
	}
	/* A very long line is a syntax error, not an overflow. */
	memset(text, 'a', sizeof text - 1);
	text[0] = 'x';
	text[1] = ':';
	text[2] = '\n';
	text[3] = ' ';
	text[sizeof text - 1] = '\0';
	memset(&w, 0, sizeof w);
	CU_ASSERT_EQUAL(ppp_conf_check(text, record, &w), 1);
	CU_ASSERT_TRUE(ppp_conf_is_command("dial"));
	CU_ASSERT_TRUE(ppp_conf_is_command("bye"));
	CU_ASSERT_FALSE(ppp_conf_is_command("ifconfig"));
	CU_ASSERT_FALSE(ppp_conf_is_command("di")); /* the shell hands over whole words only */
}

int suite_pppconf(void)
{
	CU_pSuite s = CU_add_suite("pppconf", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "seed_file", test_seed_file) ||
	    !CU_add_test(s, "defaults_then_label", test_defaults_then_label) ||
	    !CU_add_test(s, "quoting_and_abbreviations", test_quoting_and_abbreviations) ||
	    !CU_add_test(s, "ifaddr_and_routes", test_ifaddr_and_routes) ||
	    !CU_add_test(s, "bad_commands", test_bad_commands) ||
	    !CU_add_test(s, "broken_file", test_broken_file) ||
	    !CU_add_test(s, "garbage", test_garbage))
		return -1;
	return 0;
}
