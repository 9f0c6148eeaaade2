/*
 * dhcp6c.conf parser: the seed's file, the forms WIDE accepts (IAID
 * omitted = 0, comments, several options in one `request`), and broken
 * files with WIDE's exact messages and line numbers (cfparse.y's
 * "FILE LINE: syntax error", config.c's "FILE:LINE ..." checks).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "conf/dhcp6c_conf.h"

int suite_dhcp6cconf(void);

#define PATH "/usr/local/etc/dhcp6c.conf"

/* The seed's configuration, its braces as WIDE needs them. */
static const char SEED[] = "interface sk0 {\n"
                           "};\n"
                           "\n"
                           "interface tun0 {\n"
                           "\tsend ia-pd 0;\n"
                           "};\n"
                           "\n"
                           "id-assoc pd {\n"
                           "\tprefix-interface sk0 {\n"
                           "\t\tsla-id 1;\n"
                           "\t\tsla-len 4;\n"
                           "\t};\n"
                           "};\n";

struct logbuf {
	int n;
	char lines[8][160];
	int levels[8];
};

static void collect(void *user, int level, const char *fname, const char *msg)
{
	struct logbuf *b = user;
	if (b->n < 8) {
		b->levels[b->n] = level;
		snprintf(b->lines[b->n++], sizeof b->lines[0], "%s: %s", fname, msg);
	}
}

static bool exists(void *user, const char *name)
{
	(void)user;
	return strcmp(name, "sk0") == 0 || strcmp(name, "tun0") == 0;
}

static int parse(const char *text, struct dhcp6c_conf *c, struct logbuf *b)
{
	memset(b, 0, sizeof *b);
	if (dhcp6c_conf_parse(PATH, text, c, collect, b) < 0)
		return -1;
	return dhcp6c_conf_check(PATH, c, exists, collect, b);
}

static void test_seed(void)
{
	struct dhcp6c_conf c;
	struct logbuf b;
	CU_ASSERT_EQUAL_FATAL(parse(SEED, &c, &b), 0);
	CU_ASSERT_EQUAL(b.n, 0);
	const struct dh6conf_if *tun0 = dhcp6c_conf_if(&c, "tun0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tun0);
	CU_ASSERT_TRUE(tun0->send_iapd);
	CU_ASSERT_EQUAL(tun0->iapd, 0);
	CU_ASSERT_PTR_NOT_NULL(dhcp6c_conf_if(&c, "sk0"));
	const struct dh6conf_iapd *ia = dhcp6c_conf_iapd(&c, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ia);
	CU_ASSERT_EQUAL_FATAL(ia->npif, 1);
	CU_ASSERT_STRING_EQUAL(ia->pif[0].ifname, "sk0");
	CU_ASSERT_EQUAL(ia->pif[0].sla_id, 1);
	CU_ASSERT_EQUAL(ia->pif[0].sla_len, 4);
}

static void test_forms(void)
{
	struct dhcp6c_conf c;
	struct logbuf b;
	static const char text[] = "# comment\ninterface tun0 { send ia-pd 7, rapid-commit; "
	                           "request domain-name-servers, ntp-servers; };  # more\n"
	                           "id-assoc pd 7 { prefix-interface sk0 { sla-id 2; }; };\n";
	CU_ASSERT_EQUAL_FATAL(parse(text, &c, &b), 0);
	const struct dh6conf_if *tun0 = dhcp6c_conf_if(&c, "tun0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(tun0);
	CU_ASSERT_EQUAL(tun0->iapd, 7);
	CU_ASSERT_TRUE(tun0->rapid_commit);
	CU_ASSERT_EQUAL_FATAL(tun0->nreq, 2);
	CU_ASSERT_EQUAL(tun0->req[0], 23);
	CU_ASSERT_EQUAL(tun0->req[1], 56);
	const struct dh6conf_iapd *ia = dhcp6c_conf_iapd(&c, 7);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ia);
	CU_ASSERT_EQUAL(ia->pif[0].sla_len, 16); /* WIDE's default */
}

/* Parse a broken text: the logged lines must be exactly these. */
static void broken(const char *text, const char *l0, const char *l1)
{
	struct dhcp6c_conf c;
	struct logbuf b;
	CU_ASSERT_EQUAL(parse(text, &c, &b), -1);
	CU_ASSERT_EQUAL(b.n, l1 ? 2 : 1);
	CU_ASSERT_STRING_EQUAL(b.lines[0], l0);
	if (l1 && b.n > 1)
		CU_ASSERT_STRING_EQUAL(b.lines[1], l1);
	CU_ASSERT_EQUAL(b.levels[0], DH6LOG_ERR);
}

static void test_broken(void)
{
	/* The seed's file with the "};" of interface tun0 lost: id-assoc on
	 * line 8 is not a declaration. */
	char text[sizeof SEED];
	snprintf(text, sizeof text, "%s", SEED);
	char *cut = strstr(text, "\tsend ia-pd 0;\n};\n");
	memmove(cut + 15, cut + 18, strlen(cut + 18) + 1);
	broken(text, "yyerror0: " PATH " 7: syntax error",
	       "yyerror0: " PATH " 7: fatal parse failure: exiting (1 errors)");
	broken("interface tun0 {\n\tsend ia-pd;\n};\n", "yyerror0: " PATH " 2: syntax error",
	       "yyerror0: " PATH " 2: fatal parse failure: exiting (1 errors)");
	broken("interface tun0 {\n\tsend ia-pd 0\n};\n", "yyerror0: " PATH " 3: syntax error",
	       "yyerror0: " PATH " 3: fatal parse failure: exiting (1 errors)");
	/* End of file inside a block: flex's lineno is past the last line. */
	broken("id-assoc pd {\n\tprefix-interface sk0 {\n\t\tsla-id 1;\n\t};\n",
	       "yyerror0: " PATH " 5: syntax error",
	       "yyerror0: " PATH " 5: fatal parse failure: exiting (1 errors)");
	broken("interface tun0 { bogus; };\n", "yyerror0: " PATH " 1: syntax error",
	       "yyerror0: " PATH " 1: fatal parse failure: exiting (1 errors)");
	broken("interface tun0 { send ia-pd 1; };\n",
	       "add_options: " PATH ":1 IA_PD (1) is not defined", NULL);
	broken("interface tun0 { send ia-pd 0; };\nid-assoc pd {\n prefix-interface em9 {\n"
	       " };\n};\n",
	       "add_pd_pif: " PATH ":4 invalid interface (em9): Device not configured", NULL);
	broken("id-assoc pd {\n prefix-interface sk0 {\n  sla-len 200;\n };\n};\n",
	       "add_pd_pif: " PATH ":3 invalid SLA length: 200", NULL);
	broken("interface ppp0 { };\n",
	       "configure_interface: invalid interface(ppp0): Device not configured", NULL);
}

static void test_duplicate_warns(void)
{
	struct dhcp6c_conf c;
	struct logbuf b;
	CU_ASSERT_EQUAL(parse("interface tun0 { };\ninterface tun0 { };\n", &c, &b), 0);
	CU_ASSERT_EQUAL_FATAL(b.n, 1);
	CU_ASSERT_EQUAL(b.levels[0], DH6LOG_WARNING);
	CU_ASSERT_STRING_EQUAL(b.lines[0], "yyerror0: " PATH " 2: duplicated name: tun0 (ignored)");
	CU_ASSERT_EQUAL(c.nif, 1);
}

int suite_dhcp6cconf(void)
{
	CU_pSuite s = CU_add_suite("dhcp6cconf", NULL, NULL);
	if (!s || !CU_add_test(s, "seed", test_seed) || !CU_add_test(s, "forms", test_forms) ||
	    !CU_add_test(s, "broken", test_broken) ||
	    !CU_add_test(s, "duplicate_warns", test_duplicate_warns))
		return -1;
	return 0;
}
