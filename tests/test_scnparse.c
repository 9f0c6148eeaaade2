/*
 * The scenario parser and validator: a good file parses to the AST it
 * describes (values worked out by hand from the text), and every broken
 * file is refused with exactly the message a user sees, FILE:LINE:COL
 * included. Run from the top of the tree (paths under tests/data/scn).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"

int suite_scnparse(void);

#define DATA "tests/data/scn/"

static struct scn_diag diag;

static struct scn *parse_text(const char *text)
{
	memset(&diag, 0, sizeof diag);
	return scn_parse("t.scn", DATA, text, strlen(text), &diag);
}

/* Parse + validate text; NULL (and diag set) when refused. */
static struct scn *load_text(const char *text)
{
	struct scn *s = parse_text(text);
	if (s && scn_validate(s, &diag) < 0) {
		scn_free(s);
		return NULL;
	}
	return s;
}

static void check_text_error(const char *text, const char *want)
{
	struct scn *s = load_text(text);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_STRING_EQUAL(diag.msg, want);
	if (strcmp(diag.msg, want) != 0)
		fprintf(stderr, "\n  want: %s\n  got:  %s\n", want, diag.msg);
	scn_free(s);
}

static const uint8_t k7_mac[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };

static void test_good_header(void)
{
	struct scn *s = scn_parse_file(DATA "good.scn", &diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(scn_validate(s, &diag), 0);
	CU_ASSERT_TRUE(s->has_seed);
	CU_ASSERT_EQUAL(s->seed, 20091106u);
	/* date -u -d '2009-11-06 11:59:00' +%s */
	CU_ASSERT_EQUAL(s->start_unix_ns, 1257508740ull * 1000000000ull);
	CU_ASSERT_TRUE(s->has_end);
	CU_ASSERT_EQUAL(s->end, 30 * SIM_S);
	CU_ASSERT_EQUAL_FATAL(s->nnodes, 5);
	CU_ASSERT_STRING_EQUAL(s->nodes[0].name, "k7");
	CU_ASSERT_EQUAL(s->nodes[0].kind, NODE_FREEBSD);
	CU_ASSERT_EQUAL(s->nodes[1].kind, NODE_ROUTER);
	CU_ASSERT_EQUAL(s->nodes[2].kind, NODE_BRIDGE);
	CU_ASSERT_EQUAL(s->nodes[3].kind, NODE_HOST);
	CU_ASSERT_EQUAL(s->nodes[4].pos.line, 10);
	CU_ASSERT_EQUAL(s->nodes[4].pos.col, 6);
	scn_free(s);
}

static void test_good_links(void)
{
	struct scn *s = scn_parse_file(DATA "good.scn", &diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->nlinks, 3);
	const struct scn_link *lan = &s->links[0], *lan2 = &s->links[1], *core = &s->links[2];
	CU_ASSERT_EQUAL(lan->kind, LINK_ETHERNET);
	CU_ASSERT_EQUAL_FATAL(lan->nends, 2);
	CU_ASSERT_STRING_EQUAL(lan->ends[0].node, "k7");
	CU_ASSERT_STRING_EQUAL(lan->ends[0].iface, "sk0");
	CU_ASSERT_STRING_EQUAL(lan->ends[1].iface, "p1");
	CU_ASSERT_EQUAL(lan->delay, 1 * SIM_MS);
	CU_ASSERT_EQUAL(lan->bandwidth_bps, 100000000u);
	CU_ASSERT_EQUAL(lan2->nends, 3);
	CU_ASSERT_DOUBLE_EQUAL(lan2->loss, 0.005, 1e-12);
	CU_ASSERT_EQUAL(lan2->mtu, 1492);
	CU_ASSERT_EQUAL(core->kind, LINK_PATH);
	CU_ASSERT_EQUAL(core->routers, 7);
	CU_ASSERT_EQUAL(core->delay, 92 * SIM_MS);
	scn_free(s);
}

static void test_good_ifaces_files(void)
{
	struct scn *s = scn_parse_file(DATA "good.scn", &diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(scn_validate(s, &diag), 0);
	CU_ASSERT_EQUAL_FATAL(s->nifaces, 2);
	const struct scn_iface *f = &s->ifaces[0];
	CU_ASSERT_TRUE(f->has_mac);
	CU_ASSERT_EQUAL(memcmp(f->mac, k7_mac, 6), 0);
	CU_ASSERT_EQUAL(f->mtu, 1500);
	CU_ASSERT_EQUAL_FATAL(f->naddrs, 2);
	CU_ASSERT_EQUAL(f->addrs[0].family, 6);
	CU_ASSERT_EQUAL(f->addrs[0].plen, 64);
	CU_ASSERT_EQUAL(f->addrs[0].addr[0], 0x20);
	CU_ASSERT_EQUAL(f->addrs[0].addr[15], 0x07);
	CU_ASSERT_EQUAL(f->addrs[1].family, 4);
	CU_ASSERT_EQUAL(memcmp(f->addrs[1].addr, "\xc0\x00\x02\x07", 4), 0);
	CU_ASSERT_EQUAL(f->addrs[1].plen, 24);
	CU_ASSERT_EQUAL_FATAL(s->nfiles, 2);
	CU_ASSERT_STRING_EQUAL(s->files[0].path, "/etc/rc.conf");
	CU_ASSERT_STRING_EQUAL(s->files[0].data, "hostname=\"k7\"\nipv6_enable=\"YES\"\n");
	CU_ASSERT_STRING_EQUAL(s->files[1].node, "gw");
	CU_ASSERT_PTR_NULL(s->files[1].from);
	CU_ASSERT_STRING_EQUAL(s->files[1].data, "em0:\\\n\t:addr=\"2001:db8:1::\":prefixlen#64:\n");
	CU_ASSERT_EQUAL(s->files[1].len, strlen(s->files[1].data));
	scn_free(s);
}

static void test_good_timeline(void)
{
	struct scn *s = scn_parse_file(DATA "good.scn", &diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->nats, 4);
	CU_ASSERT_EQUAL(s->ats[0].time, 0);
	CU_ASSERT_STRING_EQUAL(s->ats[0].cmd, "sysctl net.inet6.ip6.forwarding=1");
	CU_ASSERT_EQUAL(s->ats[1].time, 1500 * SIM_MS);
	CU_ASSERT_STRING_EQUAL(s->ats[1].cmd, "rtadvd em0");
	CU_ASSERT_STRING_EQUAL(s->ats[2].node, "k7");
	CU_ASSERT_STRING_EQUAL(s->ats[2].cmd, "ping6 -c 1 fe80::1%sk0");
	CU_ASSERT_EQUAL(s->ats[3].time, 12 * SIM_S);
	scn_free(s);
}

static void test_good_expects(void)
{
	struct scn *s = scn_parse_file(DATA "good.scn", &diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(scn_validate(s, &diag), 0);
	CU_ASSERT_EQUAL_FATAL(s->nexpects, 9);
	const struct scn_expect *e = s->expects;
	CU_ASSERT_EQUAL(e[0].kind, EXP_SAYS);
	CU_ASSERT_EQUAL(e[0].start, 0);               /* before any at */
	CU_ASSERT_EQUAL(e[0].duration, 1 * SIM_S);
	CU_ASSERT_STRING_EQUAL(e[0].text_src, "expect within 1s k7 says \"never\"");
	CU_ASSERT_EQUAL(e[1].start, 10 * SIM_S);
	CU_ASSERT_STRING_EQUAL(e[1].text, "icmp_seq=0 hlim=64");
	CU_ASSERT_EQUAL(e[1].line, 28);
	CU_ASSERT_EQUAL(e[2].kind, EXP_MATCHES);
	CU_ASSERT_EQUAL(e[2].duration, 250 * SIM_MS);
	CU_ASSERT_TRUE(e[2].regex_ok);
	CU_ASSERT_EQUAL(regexec(&e[2].regex, "icmp_seq=0 hlim=56 time=194.522 ms", 0, NULL, 0), 0);
	CU_ASSERT_NOT_EQUAL(regexec(&e[2].regex, "icmp_seq=0 hlim=63 time=1 ms", 0, NULL, 0), 0);
	CU_ASSERT_EQUAL(e[3].kind, EXP_PACKET);
	CU_ASSERT_STRING_EQUAL(e[3].link, "lan");
	CU_ASSERT_STRING_EQUAL(e[3].text, "icmp6 and ip6[40] == 129");
	CU_ASSERT_EQUAL(e[3].count, 2);
	CU_ASSERT_TRUE(e[3].has_from);
	CU_ASSERT_STRING_EQUAL(e[3].from.iface, "sk0");
	CU_ASSERT_EQUAL(e[4].kind, EXP_NO_PACKET);
	CU_ASSERT_EQUAL(e[4].count, 1);
	CU_ASSERT_EQUAL(e[5].kind, EXP_ROUTE);
	CU_ASSERT_EQUAL(e[5].start, 12 * SIM_S);      /* after the +2s at */
	CU_ASSERT_EQUAL(e[5].prefix.plen, 64);
	CU_ASSERT_STRING_EQUAL(e[5].iface, "em0");
	CU_ASSERT_EQUAL(e[6].prefix.plen, 0);         /* default */
	CU_ASSERT_EQUAL(e[6].prefix.family, 6);
	CU_ASSERT_STRING_EQUAL(e[6].via_scope, "em0");
	CU_ASSERT_EQUAL(e[6].via_addr.addr[0], 0xfe);
	CU_ASSERT_EQUAL(e[6].via_addr.addr[15], 0x01);
	CU_ASSERT_EQUAL(e[7].kind, EXP_ADDRESS);
	CU_ASSERT_TRUE(e[7].has_plen);
	CU_ASSERT_FALSE(e[8].has_plen);
	CU_ASSERT_EQUAL(e[8].prefix.family, 4);
	scn_free(s);
}

/* Every broken file, with the exact message (validation included). */
static const struct {
	const char *file, *msg;
} broken[] = {
	{ "unknown-keyword", "2:1: unknown keyword 'nod' (expected seed, start, node, link, iface, "
	                     "file, at, expect or end)" },
	{ "bad-time", "2:4: invalid time '10x' (expected a time such as 10s, 1.5s, 250ms or +2s)" },
	{ "unknown-node", "2:26: unknown node 'k8' (no 'node k8' line)" },
	{ "bad-mac", "3:20: invalid MAC address '00:0f:ea:2c:d5' (expected 6 hex bytes, as in "
	             "00:0f:ea:2c:d5:18)" },
	{ "multicast-mac", "3:20: MAC address '01:00:5e:00:00:01' is a multicast address" },
	{ "unterminated-string", "3:26: unterminated string (no closing \")" },
	{ "bad-filter", "3:32: invalid filter for ethernet link 'lan': can't parse filter "
	                "expression: syntax error" },
	{ "missing-file", "2:27: cannot read 'files/nonexistent.conf': No such file or directory" },
	{ "duplicate-node", "3:6: node 'k7' is already defined on line 1" },
	{ "iface-not-on-link", "3:7: interface k7:sk1 is not on any link" },
	{ "relative-first", "2:4: relative time '+2s' with no 'at' before it" },
	{ "heredoc-no-end", "2:22: heredoc '<<EOF' has no end (no line 'EOF' before the end of "
	                    "the file)" },
	{ "bad-count", "3:46: invalid count '0' (expected a number from 1 to 1000000)" },
	{ "time-backwards", "3:4: time 5s is before the previous 'at' (10s on line 2)" },
	{ "unknown-kind", "1:9: unknown node kind 'hosts' (expected freebsd, host, router, bridge "
	                  "or isp)" },
	{ "unknown-link", "2:28: unknown link 'wan' (no 'link wan' line)" },
	{ "iface-twice", "4:14: interface k7:sk0 is already on link 'lan' (line 3)" },
	{ "p2p-three", "4:22: a p2p link joins exactly 2 interfaces (found 3)" },
	{ "path-no-routers", "3:1: path link 'core' needs 'routers N'" },
	{ "bad-regex", "2:29: invalid pattern: Unmatched ( or \\(" },
	{ "bridge-command", "4:7: node 'sw' is a bridge: it runs no commands" },
	{ "for-says", "2:8: 'for D' goes with 'no packet' (use 'within D' here)" },
	{ "within-no-packet", "3:8: 'no packet' goes with 'for D', not 'within D'" },
	{ "from-other-link", "5:45: interface k7:sk0 is not on link 'wan'" },
	{ "seed-twice", "2:3: 'seed' is already set on line 1" },
	{ "bad-start", "1:7: invalid start '2009-02-29 11:59:00' (expected YYYY-MM-DD HH:MM:SS UTC)" },
	{ "start-zone", "1:27: time zone 'CET' is not supported (write the time in UTC)" },
	{ "end-before-at", "3:1: 'end 5s' is before the last 'at' (10s on line 2)" },
	{ "window-after-end", "3:1: this expectation's window ends at 15s, after 'end 12s' (line 4)" },
	{ "missing-command", "2:13: missing command after 'k7#'" },
	{ "no-prompt", "2:7: expected 'NODE#' before the command (as in 'k7# ping6 ::1'), not 'k7'" },
	{ "bad-route", "2:27: invalid prefix '2001:db8::/129' (expected ADDR/LEN, as in "
	               "2001:db8::/64, or default)" },
	{ "bad-loss", "2:29: invalid loss '150%' (expected a rate such as 1% or 0.01)" },
	{ "unexpected-word", "1:13: unexpected 'extra'" },
	{ "ethernet-routers", "2:24: 'routers' is not a setting of an ethernet link" },
	{ "bad-iface-ref", "2:19: invalid interface 'a' (expected NODE:IFACE, as in k7:sk0)" },
	{ "bad-bandwidth", "2:34: invalid bandwidth 'fast' (expected e.g. 10Mbit, 1Gbps, 64kbit)" },
	{ "tab-caret", "2:31: invalid delay '5' (expected a time such as 10s, 1.5s or 250ms)" },
};

static void test_broken_files(void)
{
	char path[256], want[512];

	for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		snprintf(path, sizeof path, DATA "bad/%s.scn", broken[i].file);
		snprintf(want, sizeof want, "%s:%s", path, broken[i].msg);
		memset(&diag, 0, sizeof diag);
		struct scn *s = scn_parse_file(path, &diag);
		if (s && scn_validate(s, &diag) == 0) {
			scn_free(s);
			s = NULL;
			snprintf(diag.msg, sizeof diag.msg, "(accepted)");
		}
		scn_free(s);
		CU_ASSERT_STRING_EQUAL(diag.msg, want);
		if (strcmp(diag.msg, want) != 0)
			fprintf(stderr, "\n  want: %s\n  got:  %s\n", want, diag.msg);
	}
}

/* `node NAME KIND user USER`: the transcript's prompt is USER@NODE. */
static void test_node_user(void)
{
	struct scn *s = load_text("node freefall host user edwin\nnode gw freebsd\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->nnodes, 2);
	CU_ASSERT_STRING_EQUAL(s->nodes[0].user, "edwin");
	CU_ASSERT_EQUAL(s->nodes[0].kind, NODE_HOST);
	CU_ASSERT_STRING_EQUAL(s->nodes[1].user, "");
	scn_free(s);
	check_text_error("node freefall host user ed/win\n",
	                 "t.scn:1:25: invalid user name 'ed/win' (letters, digits, '-', '_', '.')");
	check_text_error("node freefall host user\n", "t.scn:1:24: missing user name");
	check_text_error("node freefall host user edwin root\n",
	                 "t.scn:1:31: unexpected 'root'");
}

/* `at T link NAME down|up`: a link action has no node and no command. */
static void test_link_actions(void)
{
	struct scn *s = load_text("node k7 freebsd\nlink lan ethernet k7:sk0\n"
	                          "at 5s link lan down\nat +1s link lan up\nat 7s k7# ifconfig\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->nats, 3);
	CU_ASSERT_STRING_EQUAL(s->ats[0].link, "lan");
	CU_ASSERT_FALSE(s->ats[0].link_up);
	CU_ASSERT_PTR_NULL(s->ats[0].cmd);
	CU_ASSERT_EQUAL(s->ats[0].node[0], '\0');
	CU_ASSERT_EQUAL(s->ats[1].time, 6 * SIM_S);
	CU_ASSERT_TRUE(s->ats[1].link_up);
	CU_ASSERT_EQUAL(s->ats[2].link[0], '\0');
	scn_free(s);
	check_text_error("node k7 freebsd\nlink lan ethernet k7:sk0\nat 5s link lan sideways\n",
	                 "t.scn:3:16: expected 'down' or 'up' after 'link lan', not 'sideways'");
	check_text_error("node k7 freebsd\nlink lan ethernet k7:sk0\nat 5s link wan down\n",
	                 "t.scn:3:12: unknown link 'wan' (no 'link wan' line)");
	check_text_error("node k7 freebsd\nlink lan ethernet k7:sk0\nat 5s link lan down now\n",
	                 "t.scn:3:21: unexpected words after 'link lan down'");
}

/* What a user sees on stderr: message, line, caret (tabs kept). */
static void test_caret(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NULL(parse_text("node k7 host\n\tat 1x k7# ifconfig\n"));
	scn_diag_print(f, &diag);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "t.scn:2:5: invalid time '1x' (expected a time such as 10s, "
	                            "1.5s, 250ms or +2s)\n"
	                            "\tat 1x k7# ifconfig\n"
	                            "\t   ^\n");
	free(buf);
}

static void test_missing_scenario(void)
{
	memset(&diag, 0, sizeof diag);
	CU_ASSERT_PTR_NULL(scn_parse_file(DATA "no-such.scn", &diag));
	CU_ASSERT_STRING_EQUAL(diag.msg, DATA "no-such.scn: No such file or directory");
}

static void test_memory_buffers(void)
{
	static const char nul[] = "node a host\nno\0de b host\n";
	memset(&diag, 0, sizeof diag);
	CU_ASSERT_PTR_NULL(scn_parse("t.scn", NULL, nul, sizeof nul - 1, &diag));
	CU_ASSERT_STRING_EQUAL(diag.msg, "t.scn:2:3: NUL byte in the file");

	struct scn *s = load_text("seed 0x10\r\nnode a host\r\nlink l ethernet a:e0\r\n"
	                          "at 1s a# echo 'x # y' # a comment\r\n"
	                          "at +500ms a#echo \"q\\\"q\"\n"
	                          "at +250ms a# true\n"
	                          "expect within 1s a says \"a # \\\"b\\\" \\\\\"   # comment\n"
	                          "expect within 1s a matches /a\\/b\\.c/\n"
	                          "file a:/x <<  END\n# not a comment\n\nEND  \r\n"
	                          "file a:/empty <<E\nE\n"
	                          "expect within 1s packet on l \"\"");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->seed, 16);
	CU_ASSERT_STRING_EQUAL(s->nodes[0].name, "a");
	CU_ASSERT_EQUAL_FATAL(s->nats, 3);
	CU_ASSERT_STRING_EQUAL(s->ats[0].cmd, "echo 'x # y'");
	CU_ASSERT_STRING_EQUAL(s->ats[1].cmd, "echo \"q\\\"q\"");
	CU_ASSERT_EQUAL(s->ats[2].time, 1750 * SIM_MS);
	CU_ASSERT_EQUAL_FATAL(s->nexpects, 3);
	CU_ASSERT_STRING_EQUAL(s->expects[0].text, "a # \"b\" \\");
	CU_ASSERT_EQUAL(s->expects[0].start, 1750 * SIM_MS);
	CU_ASSERT_STRING_EQUAL(s->expects[1].text, "a/b\\.c");
	CU_ASSERT_EQUAL(regexec(&s->expects[1].regex, "xa/b.c", 0, NULL, 0), 0);
	CU_ASSERT_NOT_EQUAL(regexec(&s->expects[1].regex, "a/bxc", 0, NULL, 0), 0);
	CU_ASSERT_STRING_EQUAL(s->expects[2].text, "");
	CU_ASSERT_EQUAL_FATAL(s->nfiles, 2);
	CU_ASSERT_STRING_EQUAL(s->files[0].data, "# not a comment\n\n");
	CU_ASSERT_EQUAL(s->files[1].len, 0);
	CU_ASSERT_FALSE(s->has_start);
	scn_free(s);

	s = load_text("");
	CU_ASSERT_PTR_NOT_NULL(s);
	CU_ASSERT_EQUAL(s ? s->nnodes : 99, 0);
	scn_free(s);
	s = load_text("# only a comment\n\n   \t\n");
	CU_ASSERT_PTR_NOT_NULL(s);
	scn_free(s);
}

static void test_memory_errors(void)
{
	char longw[400];
	memset(longw, 'x', sizeof longw - 1);
	longw[sizeof longw - 1] = '\0';
	check_text_error(longw, "t.scn:1:1: keyword is too long (at most 255 characters)");
	check_text_error("\x01\xff", "t.scn:1:1: unknown keyword '\x01\xff' (expected seed, start, "
	                 "node, link, iface, file, at, expect or end)");
	check_text_error("node a host\nfile a:/x <<E\nE\nfile a:/x from y\n",
	                 "t.scn:4:6: file a:/x is already placed on line 2");
	check_text_error("node a host\nfile a:etc <<E\nE\n",
	                 "t.scn:2:6: invalid file 'a:etc' (expected NODE:/PATH, as in k7:/etc/rc.conf)");
	check_text_error("node a host\nexpect within 1s a says \"\"",
	                 "t.scn:2:25: empty text (it would match any line)");
	check_text_error("node a host\nexpect within 1s a shouts \"x\"",
	                 "t.scn:2:20: unknown expectation 'shouts' (expected says, matches, route "
	                 "or address)");
	check_text_error("node a host\nexpect within 0s a says \"x\"",
	                 "t.scn:2:8: a window of 0s holds nothing");
	check_text_error("node a host\nexpect within 1s a address 2001:db8::1",
	                 "t.scn:2:39: missing 'on IFACE' after the address");
	check_text_error("node a host\nlink l ethernet a:e0\nexpect within 1s a address 2001:db8::1 "
	                 "on e9", "t.scn:3:43: unknown interface a:e9 (on no link)");
	check_text_error("node a host\nexpect within 1s a route 2001:db8::/64 via 10.0.0.1",
	                 "t.scn:2:44: gateway '10.0.0.1' is not of the prefix's address family");
	check_text_error("node a host\nlink l p2p a:e0 a:e1\niface a:e0 ether 02:00:00:00:00:01",
	                 "t.scn:3:7: interface a:e0 is on p2p link 'l': it has no MAC address");
	check_text_error("node a host\nlink l p2p a:e0 a:e1\nexpect within 1s packet on l \"arp\"",
	                 "t.scn:3:30: invalid filter for p2p link 'l': expression rejects all "
	                 "packets");
	check_text_error("node core-r1 host\nnode b host\nlink core path core-r1:e0 b:e0 routers 2",
	                 "t.scn:1:6: node 'core-r1' has the name of a router of path link 'core'");
	check_text_error("node a host\nlink l ethernet a:e0 delay 1ms delay 2ms",
	                 "t.scn:2:32: 'delay' is given twice");
	check_text_error("at 1s a# x\n", "t.scn:1:7: unknown node 'a' (no 'node a' line)");
	check_text_error("node a host\nat 1.0000000001s a# x\n",
	                 "t.scn:2:4: invalid time '1.0000000001s' (expected a time such as 10s, 1.5s, "
	                 "250ms or +2s)");
}

/* Goals group the expectations after them; those before the first goal
 * have none (-1), and `v6lab run` sees the same expectations as without. */
static void test_goals(void)
{
	struct scn *s = load_text("node a host\n"
	                          "expect within 1s a says \"up\"\n"
	                          "goal \"first \\\"one\\\"\" hint \"look at a\"  # c\n"
	                          "expect within 1s a says \"x\"\n"
	                          "expect within 1s a says \"y\"\n"
	                          "goal \"second\" hint \"h2\"\n"
	                          "expect within 1s a says \"z\"\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->ngoals, 2);
	CU_ASSERT_STRING_EQUAL(s->goals[0].text, "first \"one\"");
	CU_ASSERT_STRING_EQUAL(s->goals[0].hint, "look at a");
	CU_ASSERT_EQUAL(s->goals[0].pos.line, 3);
	CU_ASSERT_EQUAL(s->goals[0].pos.col, 1);
	CU_ASSERT_STRING_EQUAL(s->goals[1].text, "second");
	CU_ASSERT_EQUAL_FATAL(s->nexpects, 4);
	CU_ASSERT_EQUAL(s->expects[0].goal, -1);
	CU_ASSERT_EQUAL(s->expects[1].goal, 0);
	CU_ASSERT_EQUAL(s->expects[2].goal, 0);
	CU_ASSERT_EQUAL(s->expects[3].goal, 1);
	scn_free(s);
}

static void test_goal_errors(void)
{
	check_text_error("node a host\ngoal\n",
	                 "t.scn:2:5: missing goal text (a \"quoted string\")");
	check_text_error("node a host\ngoal ping works\n",
	                 "t.scn:2:6: expected goal text as a \"quoted string\"");
	check_text_error("node a host\ngoal \"\" hint \"h\"\n", "t.scn:2:6: empty goal text");
	check_text_error("node a host\ngoal \"g\"\n",
	                 "t.scn:2:9: expected 'hint \"TEXT\"' after the goal text");
	check_text_error("node a host\ngoal \"g\" hint\n",
	                 "t.scn:2:14: missing hint text (a \"quoted string\")");
	check_text_error("node a host\ngoal \"g\" hint \"\"\n", "t.scn:2:15: empty hint text");
	check_text_error("node a host\ngoal \"g\" hint \"h\" extra\n",
	                 "t.scn:2:19: unexpected 'extra'");
	check_text_error("node a host\ngoal \"g\" hint \"h\"\nexpect within 1s a says \"x\"\n"
	                 "goal \"g\" hint \"i\"\n",
	                 "t.scn:4:6: goal \"g\" is already set on line 2");
	check_text_error("node a host\ngoal \"g\" hint \"h\"\ngoal \"k\" hint \"i\"\n"
	                 "expect within 1s a says \"x\"\n",
	                 "t.scn:2:1: goal \"g\" has no expectations (put 'expect' lines after it)");
}

static void test_durations(void)
{
	static const struct {
		const char *text;
		sim_time want;
	} ok[] = {
		{ "10s", 10 * SIM_S },   { "1.5s", 1500 * SIM_MS }, { "250ms", 250 * SIM_MS },
		{ "20us", 20 * SIM_US }, { "1ns", 1 },              { "2min", 120 * SIM_S },
		{ "0.000000001s", 1 },   { "0s", 0 },               { "1.25ms", 1250 * SIM_US },
	};
	static const char *const bad[] = { "1.5", "s", "-1s", "1.s", ".5s", "1.5ns", "10 s",
		                           "1e3s", "2000000s", "", "1sec" };
	sim_time t;
	char buf[32];

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		CU_ASSERT_TRUE(scn_parse_duration(ok[i].text, &t));
		CU_ASSERT_EQUAL(t, ok[i].want);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CU_ASSERT_FALSE(scn_parse_duration(bad[i], &t));
	scn_format_duration(1500 * SIM_MS, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "1.500s");
	scn_format_duration(250 * SIM_MS, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "250ms");
	scn_format_duration(7 * SIM_S, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "7s");
}

/* Dates checked against `date -u -d ... +%s`. */
static void test_dates(void)
{
	struct scn *s = load_text("start 2008-02-29 00:00:00");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->start_unix_ns, 1204243200ull * SIM_S);
	scn_free(s);
	s = load_text("start 2038-01-19 03:14:08 UTC");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->start_unix_ns, 2147483648ull * SIM_S);
	scn_free(s);
	check_text_error("start 2009-13-01 00:00:00",
	                 "t.scn:1:7: invalid start '2009-13-01 00:00:00' (expected YYYY-MM-DD "
	                 "HH:MM:SS UTC)");
	check_text_error("start 2009-11-06 24:00:00",
	                 "t.scn:1:7: invalid start '2009-11-06 24:00:00' (expected YYYY-MM-DD "
	                 "HH:MM:SS UTC)");
}

int suite_scnparse(void)
{
	CU_pSuite s = CU_add_suite("scnparse", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "good_header", test_good_header) ||
	    !CU_add_test(s, "good_links", test_good_links) ||
	    !CU_add_test(s, "good_ifaces_files", test_good_ifaces_files) ||
	    !CU_add_test(s, "good_timeline", test_good_timeline) ||
	    !CU_add_test(s, "good_expects", test_good_expects) ||
	    !CU_add_test(s, "broken_files", test_broken_files) ||
	    !CU_add_test(s, "caret", test_caret) ||
	    !CU_add_test(s, "missing_scenario", test_missing_scenario) ||
	    !CU_add_test(s, "memory_buffers", test_memory_buffers) ||
	    !CU_add_test(s, "memory_errors", test_memory_errors) ||
	    !CU_add_test(s, "durations", test_durations) ||
	    !CU_add_test(s, "dates", test_dates) ||
	    !CU_add_test(s, "link_actions", test_link_actions) ||
	    !CU_add_test(s, "node_user", test_node_user) ||
	    !CU_add_test(s, "goals", test_goals) ||
	    !CU_add_test(s, "goal_errors", test_goal_errors))
		return -1;
	return 0;
}
