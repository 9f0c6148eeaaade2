/*
 * v6lab shell (sim/shell/): the pure parts — splitting a line into words,
 * the `NODE# command` form, `wait` durations, tcpdump's options, the time
 * stamps of tcpdump and date(1), the ring of recent frames wrapping round
 * — and lines run through shell_exec on a two-node network, the output
 * compared with text written out here (FreeBSD's ping6 and tcpdump -n
 * lines, dates checked with `date -u -d @SECONDS`).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/apps.h"
#include "shell/shell_int.h"

int suite_shell(void);

static void test_split(void)
{
	char buf[128];
	char *w[8];

	CU_ASSERT_EQUAL(shell_split("  tcpdump -i em0\t'icmp6 and ip6[40] == 128' ", buf, w, 8), 4);
	CU_ASSERT_STRING_EQUAL(w[0], "tcpdump");
	CU_ASSERT_STRING_EQUAL(w[2], "em0");
	CU_ASSERT_STRING_EQUAL(w[3], "icmp6 and ip6[40] == 128");
	CU_ASSERT_EQUAL(shell_split("a\"b c\"d", buf, w, 8), 1);
	CU_ASSERT_STRING_EQUAL(w[0], "ab cd");
	CU_ASSERT_EQUAL(shell_split("echo 'open", buf, w, 8), -1);   /* unmatched quote */
	CU_ASSERT_EQUAL(shell_split("a b c", buf, w, 2), -1);         /* too many words */
	CU_ASSERT_EQUAL(shell_split("   ", buf, w, 8), 0);
}

static void test_trim_and_prompt_form(void)
{
	char line[] = "  \tping6 -c 1 ::1  \r\n";
	char node[33];
	const char *cmd;

	CU_ASSERT_STRING_EQUAL(shell_trim(line), "ping6 -c 1 ::1");
	CU_ASSERT_TRUE(shell_prompt_form("k7# ifconfig sk0", node, sizeof node, &cmd));
	CU_ASSERT_STRING_EQUAL(node, "k7");
	CU_ASSERT_STRING_EQUAL(cmd, "ifconfig sk0");
	CU_ASSERT_TRUE(shell_prompt_form("gw#", node, sizeof node, &cmd));
	CU_ASSERT_STRING_EQUAL(cmd, "");
	CU_ASSERT_FALSE(shell_prompt_form("# a comment", node, sizeof node, &cmd));
	CU_ASSERT_FALSE(shell_prompt_form("ping6 #1", node, sizeof node, &cmd));
	CU_ASSERT_FALSE(shell_prompt_form("a/b# x", node, sizeof node, &cmd)); /* not a name */
}

static void test_wait_durations(void)
{
	sim_time t = 0;

	CU_ASSERT_TRUE(shell_parse_wait("5s", &t));
	CU_ASSERT_EQUAL(t, 5 * SIM_S);
	CU_ASSERT_TRUE(shell_parse_wait("500ms", &t));
	CU_ASSERT_EQUAL(t, 500 * SIM_MS);
	CU_ASSERT_TRUE(shell_parse_wait("2min", &t));
	CU_ASSERT_EQUAL(t, 120 * SIM_S);
	CU_ASSERT_TRUE(shell_parse_wait("3", &t)); /* bare seconds, as sleep(1) */
	CU_ASSERT_EQUAL(t, 3 * SIM_S);
	CU_ASSERT_TRUE(shell_parse_wait("1.5", &t));
	CU_ASSERT_EQUAL(t, 1500 * SIM_MS);
	CU_ASSERT_FALSE(shell_parse_wait("", &t));
	CU_ASSERT_FALSE(shell_parse_wait("5x", &t));
	CU_ASSERT_FALSE(shell_parse_wait("-1s", &t));
}

static void test_stamps(void)
{
	char buf[64];

	/* 2008-05-03 09:00:00 UTC is 1209805200 (date -u -d). */
	shell_format_stamp(1209805200ull * SIM_S + 12 * SIM_S + 345678 * SIM_US + 999, buf,
	                   sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "09:00:12.345678");
	shell_format_date(1257508770ull * SIM_S, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "Fri Nov  6 11:59:30 UTC 2009");
	shell_format_date(1209805200ull * SIM_S, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "Sat May  3 09:00:00 UTC 2008");
}

static int parse_line(const char *line, struct shell_tcpdump_args *a, char *err, size_t errlen)
{
	static char buf[256];
	static char *w[16];
	int n = shell_split(line, buf, w, 16);
	return shell_tcpdump_parse(n, w, a, err, errlen);
}

static void test_tcpdump_options(void)
{
	struct shell_tcpdump_args a;
	char err[256];

	CU_ASSERT_EQUAL(parse_line("tcpdump -ni em0 -c3 icmp6 and ip6[40] == 128", &a, err,
	                           sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(a.iface, "em0");
	CU_ASSERT_TRUE(a.has_count);
	CU_ASSERT_EQUAL(a.count, 3);
	CU_ASSERT_FALSE(a.link_hdr);
	CU_ASSERT_STRING_EQUAL(a.filter, "icmp6 and ip6[40] == 128");
	CU_ASSERT_EQUAL(parse_line("tcpdump -e -w /tmp/x.pcap", &a, err, sizeof err), 0);
	CU_ASSERT_TRUE(a.link_hdr);
	CU_ASSERT_PTR_NULL(a.iface);
	CU_ASSERT_STRING_EQUAL(a.write_file, "/tmp/x.pcap");
	CU_ASSERT_STRING_EQUAL(a.filter, "");
	CU_ASSERT_EQUAL(parse_line("tcpdump -X", &a, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "tcpdump: illegal option -- X"));
	CU_ASSERT_EQUAL(parse_line("tcpdump -i", &a, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "option requires an argument -- i"));
	CU_ASSERT_EQUAL(parse_line("tcpdump -c 0", &a, err, sizeof err), -1);
	CU_ASSERT_STRING_EQUAL(err, "tcpdump: invalid packet count 0");
	CU_ASSERT_EQUAL(parse_line("tcpdump -c 2x", &a, err, sizeof err), -1);
}

/* Five frames pushed through a ring of three: the last three are kept,
 * oldest first, each a copy of its bytes. */
static void test_ring_wraps(void)
{
	struct shell_ring r;
	uint8_t bytes[5][4];

	shell_ring_init(&r, 3);
	for (int i = 0; i < 5; i++) {
		memset(bytes[i], 0x10 + i, sizeof bytes[i]);
		struct sim_frame_info f = { .time = (sim_time)(i + 1) * SIM_MS, .data = bytes[i],
			                    .len = (size_t)(i % 2 ? 4 : 2) };
		CU_ASSERT_TRUE(shell_ring_push(&r, &f));
	}
	memset(bytes, 0, sizeof bytes); /* the ring kept copies */
	CU_ASSERT_EQUAL(shell_ring_count(&r), 3);
	CU_ASSERT_EQUAL(r.total, 5);
	for (size_t i = 0; i < 3; i++) {
		const struct shell_frame *f = shell_ring_get(&r, i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		CU_ASSERT_EQUAL(f->time, (i + 3) * SIM_MS);
		CU_ASSERT_EQUAL(f->len, i % 2 ? 4u : 2u); /* frames 3, 4, 5: 2, 4, 2 bytes */
		CU_ASSERT_EQUAL(f->data[0], 0x12 + i);
	}
	CU_ASSERT_PTR_NULL(shell_ring_get(&r, 3));
	shell_ring_free(&r);
}

/* ---- lines through shell_exec on a small network ------------------------ */

#define TWO_NODES                                                                  \
	"seed 1\n"                                                                 \
	"start 2008-05-03 09:00:00 UTC\n"                                          \
	"node k7 freebsd\n"                                                        \
	"node gw freebsd\n"                                                        \
	"link lan ethernet k7:sk0 gw:em0 delay 1ms\n"                              \
	"iface k7:sk0 ether 00:0f:ea:2c:d5:18 inet6 fd00::18/64\n"                 \
	"iface gw:em0 ether 00:0c:86:75:24:1b inet6 fd00::1/64\n"                  \
	"at 4s gw# sysctl net.inet6.ip6.forwarding=1\n"

struct fixture {
	struct scn *s;
	struct scn_diag d;
	struct scn_run_opts o;
	struct shell sh;
	char *text;
	size_t len;
	char src[1024];
};

/* `extra`: more scenario lines after TWO_NODES. */
static int open_fixture(struct fixture *fx, const char *extra)
{
	memset(fx, 0, sizeof *fx);
	snprintf(fx->src, sizeof fx->src, "%s%s", TWO_NODES, extra);
	fx->s = scn_parse("two.scn", ".", fx->src, strlen(fx->src), &fx->d);
	if (!fx->s || scn_validate(fx->s, &fx->d) < 0)
		return -1;
	fx->o.quiet = true;
	fx->sh = (struct shell){ .s = fx->s, .cur = &fx->s->nodes[0] };
	fx->sh.out = open_memstream(&fx->text, &fx->len);
	fx->sh.ss = scn_session_open(fx->s, &fx->o, &fx->d);
	if (!fx->sh.out || !fx->sh.ss)
		return -1;
	fx->sh.sim = scn_session_sim(fx->sh.ss);
	return shell_capture_attach(&fx->sh.cap, fx->sh.sim, SHELL_RING_FRAMES);
}

/* What the lines printed, from the start of the fixture. */
static const char *output(struct fixture *fx, const char *const *lines)
{
	for (; *lines; lines++)
		shell_exec(&fx->sh, *lines);
	fflush(fx->sh.out);
	return fx->text ? fx->text : "";
}

static void close_fixture(struct fixture *fx)
{
	if (fx->sh.out)
		fclose(fx->sh.out);
	scn_session_close(fx->sh.ss);
	shell_capture_free(&fx->sh.cap);
	scn_free(fx->s);
	free(fx->text);
}

static void test_exec_ping_and_time(void)
{
	struct fixture fx;
	static const char *const lines[] = { "wait 5s", "time", "ping6 -c 2 fd00::1", NULL };

	/* The timeline's ping6 starts while the line's runs and outlives it:
	 * the prompt comes back when the line's own ping6 is done. */
	CU_ASSERT_EQUAL_FATAL(open_fixture(&fx, "at 6s gw# ping6 -c 5 fd00::18\n"), 0);
	const char *out = output(&fx, lines);
	/* The timeline's command at 4s, with gw's prompt, under k7's wait. */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "gw# sysctl net.inet6.ip6.forwarding=1\n"
	                                   "net.inet6.ip6.forwarding: 0 -> 1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "virtual time 5s: Sat May  3 09:00:05 UTC 2008\n"));
	/* Once neighbour discovery is done (the first echo waits for it), 1 ms
	 * each way and no bandwidth limit: 2.000 ms. The command line itself
	 * is not repeated (the terminal showed it); the shell waited for the
	 * statistics. */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PING6(56=40+8+8 bytes) fd00::18 --> fd00::1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "16 bytes from fd00::1, icmp_seq=1 hlim=64 time=2.000 ms\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "ping6 -c 2 fd00::1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "2 packets transmitted, 2 packets received, 0.0% packet loss\n"));
	CU_ASSERT(fx.sh.sim->now >= 6 * SIM_S && fx.sh.sim->now < 7 * SIM_S);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "gw# ping6 -c 5 fd00::18\n"));
	close_fixture(&fx);
}

static void test_exec_tcpdump_and_nodes(void)
{
	struct fixture fx;
	static const char *const lines[] = {
		"wait 5s", "gw# ping6 -c 2 fd00::18", "k7", "tcpdump -i sk0 -c 2 icmp6 and ip6[40] < 130",
		"tcpdump -i sk0 'icmp6 and'", "tcpdump -i em9", "node zz", NULL
	};

	CU_ASSERT_EQUAL_FATAL(open_fixture(&fx, ""), 0);
	const char *out = output(&fx, lines);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "reading from sk0 (link lan: "));
	/* The last two ICMPv6 echoes: seq 1 leaves gw 1 s after seq 0 (sent at
	 * 5 s) and k7 answers 1 ms later. */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "09:00:06.000000 IP6 fd00::1 > fd00::18: ICMP6, echo "
	                                   "request, id 1016, seq 1, length 16\n"
	                                   "09:00:06.001000 IP6 fd00::18 > fd00::1: ICMP6, echo "
	                                   "reply, id 1016, seq 1, length 16\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "2 packets shown\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "tcpdump: can't parse filter expression: syntax error\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "tcpdump: em9: No such device exists\n"
	                                   "(interfaces of k7: sk0)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "zz: no such node; the nodes: k7 gw\n"));
	CU_ASSERT_STRING_EQUAL(fx.sh.cur->name, "k7");
	close_fixture(&fx);
}

/* A ping6 without -c outlasts the 60 s a line gets; ^C stops it and it
 * prints its statistics, as on SIGINT. */
static void test_exec_bound_and_interrupt(void)
{
	struct fixture fx;
	static const char *const lines[] = { "wait 5s", "ping6 fd00::1", "^C", NULL };

	CU_ASSERT_EQUAL_FATAL(open_fixture(&fx, ""), 0);
	const char *out = output(&fx, lines);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "(still running after 60s of virtual time"));
	CU_ASSERT(fx.sh.sim->now >= 65 * SIM_S && fx.sh.sim->now <= 66 * SIM_S);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--- fd00::1 ping6 statistics ---\n"));
	CU_ASSERT_EQUAL(apps_running(sim_node_find(fx.sh.sim, "k7")), 0);
	close_fixture(&fx);
}

int suite_shell(void)
{
	CU_pSuite s = CU_add_suite("shell", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "words of a line", test_split) ||
	    !CU_add_test(s, "trim, NODE# form", test_trim_and_prompt_form) ||
	    !CU_add_test(s, "wait durations", test_wait_durations) ||
	    !CU_add_test(s, "tcpdump and date stamps", test_stamps) ||
	    !CU_add_test(s, "tcpdump options", test_tcpdump_options) ||
	    !CU_add_test(s, "ring of recent frames", test_ring_wraps) ||
	    !CU_add_test(s, "ping6, wait, time", test_exec_ping_and_time) ||
	    !CU_add_test(s, "tcpdump, nodes", test_exec_tcpdump_and_nodes) ||
	    !CU_add_test(s, "60 s bound, ^C", test_exec_bound_and_interrupt))
		return -1;
	return 0;
}
