/*
 * nat6to4d's own directives (translator/daemon_conf.c) through the core
 * parser's extra hook: defaults, each directive, and every refusal with
 * its exact file:line:col message (the column is the keyword's, as the
 * core reports hook errors). Also daemon_conf_load on a real file and the
 * `show config` text of the daemon part.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"

int suite_daemonconf(void);

#define BASE "prefix 2001:db8:64::/96\npool4 198.18.0.1\n"

static nat6to4_config *parse(const char *text, struct daemon_conf *dc, char *err, size_t n)
{
	return daemon_conf_parse(text, strlen(text), "d.conf", dc, err, n);
}

static void test_defaults(void)
{
	struct daemon_conf dc;
	char err[256] = "";
	nat6to4_config *cfg = parse(BASE, &dc, err, sizeof err);

	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_STRING_EQUAL(dc.tun_device, "nat64");
	CU_ASSERT_STRING_EQUAL(dc.user, "nobody");
	CU_ASSERT_STRING_EQUAL(dc.control_socket, "/run/nat6to4d.sock");
	CU_ASSERT_STRING_EQUAL(dc.pidfile, "");
	CU_ASSERT_TRUE(dc.offload);
	nat6to4_config_free(cfg);
}

static void test_every_directive(void)
{
	struct daemon_conf dc;
	char err[256] = "";
	nat6to4_config *cfg = parse(BASE "tun-device nat64b   # comment\n"
	                                 "user root\n"
	                                 "control-socket /tmp/x/ctl.sock\n"
	                                 "pidfile /run/nat6to4d.pid\n"
	                                 "offload no\n",
	                            &dc, err, sizeof err);

	if (!cfg)
		fprintf(stderr, "\n%s\n", err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_STRING_EQUAL(dc.tun_device, "nat64b");
	CU_ASSERT_STRING_EQUAL(dc.user, "root");
	CU_ASSERT_STRING_EQUAL(dc.control_socket, "/tmp/x/ctl.sock");
	CU_ASSERT_STRING_EQUAL(dc.pidfile, "/run/nat6to4d.pid");
	CU_ASSERT_FALSE(dc.offload);
	nat6to4_config_free(cfg);
}

/* A directive the daemon does not know either is still the core's error. */
static void test_refusals(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ BASE "tun-device abcdefghijklmnop\n",
		  "d.conf:3:1: tun-device name 'abcdefghijklmnop' is longer than 15 characters" },
		{ BASE "tun-device abcdefghijklmno\n", NULL },
		{ BASE "tun-device a/b\n", "d.conf:3:1: invalid tun-device name 'a/b'" },
		{ BASE "tun-device ..\n", "d.conf:3:1: invalid tun-device name '..'" },
		{ BASE "tun-device a:1\n", "d.conf:3:1: invalid tun-device name 'a:1'" },
		{ BASE "tun-device\n", "d.conf:3:1: 'tun-device' takes 1 argument, got 0" },
		{ BASE "  user a b\n", "d.conf:3:3: 'user' takes 1 argument, got 2" },
		{ BASE "user no-such-user-n64\n", "d.conf:3:1: unknown user 'no-such-user-n64'" },
		{ BASE "offload maybe\n", "d.conf:3:1: offload takes yes or no, not 'maybe'" },
		{ BASE "offload yes\noffload no\n", "d.conf:4:1: 'offload' given twice" },
		{ BASE "offload\n", "d.conf:3:1: 'offload' takes 1 argument, got 0" },
		{ BASE "user abcdefghijklmnopqrstuvwxyz0123456\n",
		  "d.conf:3:1: user name 'abcdefghijklmnopqrstuvwxyz0123456' is longer than 32 "
		  "characters" },
		{ BASE "control-socket ctl.sock\n",
		  "d.conf:3:1: control-socket 'ctl.sock' is not an absolute path" },
		{ BASE "control-socket /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
		  "d.conf:3:1: control-socket path is longer than 107 bytes" },
		{ BASE "pidfile run/x.pid\n", "d.conf:3:1: pidfile 'run/x.pid' is not an absolute path" },
		{ BASE "tun-device a\ntun-device b\n", "d.conf:4:1: 'tun-device' given twice" },
		{ BASE "pidfile /a\n\tpidfile /a\n", "d.conf:4:2: 'pidfile' given twice" },
		{ BASE "tun_device a\n", "d.conf:3:1: unknown directive 'tun_device'" },
		{ "tun-device x\n", "d.conf:2:1: no 'prefix' or 'map' directive: no IPv6 address can be translated" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct daemon_conf dc;
		char err[512] = "";
		nat6to4_config *cfg = parse(cases[i].text, &dc, err, sizeof err);
		if (!cases[i].want) {
			CU_ASSERT_PTR_NOT_NULL(cfg);
		} else {
			CU_ASSERT_PTR_NULL(cfg);
			if (strcmp(err, cases[i].want) != 0)
				fprintf(stderr, "\ncase %zu:\n  got:  %s\n  want: %s\n", i, err,
				        cases[i].want);
			CU_ASSERT_STRING_EQUAL(err, cases[i].want);
		}
		nat6to4_config_free(cfg);
	}
}

/* Parsing twice starts from the defaults again: a reload sees only its file. */
static void test_reparse_resets(void)
{
	struct daemon_conf dc;
	char err[256];
	nat6to4_config *a = parse(BASE "tun-device t1\npidfile /p\n", &dc, err, sizeof err);
	nat6to4_config *b = parse(BASE, &dc, err, sizeof err);

	CU_ASSERT_PTR_NOT_NULL(a);
	CU_ASSERT_PTR_NOT_NULL(b);
	CU_ASSERT_STRING_EQUAL(dc.tun_device, "nat64");
	CU_ASSERT_STRING_EQUAL(dc.pidfile, "");
	nat6to4_config_free(a);
	nat6to4_config_free(b);
}

static void test_load_file(void)
{
	char path[] = "/tmp/daemonconf.XXXXXX";
	int fd = mkstemp(path);
	const char text[] = BASE "tun-device n64x\nmtu6 12\n";
	struct daemon_conf dc;
	char err[512], want[600];
	nat6to4_config *cfg;

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
	close(fd);
	cfg = daemon_conf_load(path, &dc, err, sizeof err);
	CU_ASSERT_PTR_NULL(cfg);
	snprintf(want, sizeof want, "%s:4:6: mtu6 12 is out of range (1280-65535)", path);
	if (strcmp(err, want) != 0)
		fprintf(stderr, "\n  got:  %s\n  want: %s\n", err, want);
	CU_ASSERT_STRING_EQUAL(err, want);
	nat6to4_config_free(cfg);
	unlink(path);
	cfg = daemon_conf_load(path, &dc, err, sizeof err);
	CU_ASSERT_PTR_NULL(cfg);
	snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
	CU_ASSERT_STRING_EQUAL(err, want);
}

static void test_format(void)
{
	struct daemon_conf dc;
	char buf[512], small[8];
	size_t n;

	daemon_conf_defaults(&dc);
	n = daemon_conf_format(&dc, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "tun-device nat64\nuser nobody\n"
	                            "control-socket /run/nat6to4d.sock\noffload yes\n");
	CU_ASSERT_EQUAL(n, strlen(buf));
	snprintf(dc.pidfile, sizeof dc.pidfile, "/run/n.pid");
	n = daemon_conf_format(&dc, small, sizeof small);
	dc.offload = false;
	n = daemon_conf_format(&dc, small, sizeof small);
	CU_ASSERT_EQUAL(n, strlen("tun-device nat64\nuser nobody\n"
	                          "control-socket /run/nat6to4d.sock\noffload no\npidfile /run/n.pid\n"));
	CU_ASSERT_STRING_EQUAL(small, "tun-dev");
}

int suite_daemonconf(void)
{
	CU_pSuite s = CU_add_suite("daemonconf", NULL, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "defaults", test_defaults) ||
	    !CU_add_test(s, "every_directive", test_every_directive) ||
	    !CU_add_test(s, "refusals", test_refusals) ||
	    !CU_add_test(s, "reparse_resets", test_reparse_resets) ||
	    !CU_add_test(s, "load_file", test_load_file) ||
	    !CU_add_test(s, "format", test_format))
		return -1;
	return 0;
}
