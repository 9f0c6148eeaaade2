/*
 * Ladder diagrams (sim/labs/ladder*.c): the ASCII ladder of a two-node
 * ping6 compared character for character with a ladder written out here;
 * the renderers on ladders built by hand (unicast both ways, a multicast
 * fanning out both ways, a lost frame, a frame nobody receives); the SVG's
 * names, one arrow line per frame, escaped labels, identical bytes twice;
 * the --from/--to window (inclusive at both ends); the receivers of a
 * multicast on a three-node segment; lost frames; an unknown link in
 * --links; and the command's refusal to overwrite an SVG without --force.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "labs/ladder.h"

int suite_ladder(void);

static struct scn_diag diag;
static char tmpdir[64];

/*
 * Two nodes on one Ethernet link with 1 ms of delay and no bandwidth
 * limit (so a frame arrives exactly 1 ms after it is sent), the addresses
 * configured at boot (DAD is over long before 5 s), one ping6 at 5 s.
 */
#define TWO_NODES                                                                      \
	"seed 1\n"                                                                     \
	"start 2008-05-03 09:00:00 UTC\n"                                              \
	"node k7 freebsd\n"                                                            \
	"node gw freebsd\n"                                                            \
	"link lan ethernet k7:sk0 gw:em0 delay 1ms%s\n"                                \
	"iface k7:sk0 ether 00:0f:ea:2c:d5:18 inet6 fd00::18/64\n"                     \
	"iface gw:em0 ether 00:0c:86:75:24:1b inet6 fd00::1/64\n"                      \
	"at 5s k7# ping6 -c 1 fd00::1\n"                                               \
	"expect within 2s k7 says \"icmp_seq=0 hlim=64\"\n"

static struct scn *load(const char *link_extra)
{
	char text[1024];
	snprintf(text, sizeof text, TWO_NODES, link_extra);
	memset(&diag, 0, sizeof diag);
	struct scn *s = scn_parse("t.scn", tmpdir, text, strlen(text), &diag);
	if (s && scn_validate(s, &diag) < 0) {
		scn_free(s);
		return NULL;
	}
	return s;
}

static FILE *devnull(void)
{
	FILE *f = fopen("/dev/null", "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	return f;
}

/* Collect a ladder of the two-node scenario in [from, to]. */
static struct ladder *collect(const char *link_extra, const char *links, sim_time from,
                              sim_time to, int want_rc)
{
	struct scn *s = load(link_extra);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	FILE *quiet = devnull();
	struct ladder_opts o = { .links = links, .from = from, .to = to, .out = quiet };
	struct ladder *l = NULL;
	CU_ASSERT_EQUAL(ladder_collect(s, &o, &l, &diag), want_rc);
	fclose(quiet);
	scn_free(s);
	return l;
}

/* What a renderer writes, as a malloc'ed string. */
static char *render(const struct ladder *l, int (*fn)(const struct ladder *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fn(l, f), 0);
	fclose(f);
	return buf;
}

static void check_text(const char *got, const char *want)
{
	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n--- want\n%s--- got\n%s---\n", want, got);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* ---- the ping6, end to end ---------------------------------------------- */

/*
 * At 5 s k7 has no neighbour entry for fd00::1, so (RFC 4861 7.2.2):
 *   5.000 k7 multicasts an NS to the solicited-node group of fd00::1,
 *         ff02::1:ff00:1 (RFC 4291 2.7.1: ff02::1:ff + the low 24 bits
 *         00:00:01), from its global address; 24 bytes of NS + an 8-byte
 *         source link-layer address option = length 32;
 *   5.001 the NS arrived (5.000 + 1 ms): gw answers with a unicast NA,
 *         24 + 8 (target link-layer option) = 32;
 *   5.002 the NA arrived: the queued echo request goes out, 8 bytes of
 *         ICMPv6 header + ping6's 8 data bytes = 16 (PING6(56=40+8+8));
 *   5.003 gw's echo reply.
 * id 1000 is the simulated ping6's pid, its first process's. Columns 12
 * wide: k7's lifeline at 6, gw's at 18; time column 8 wide ("5.000000")
 * then 2 blanks, so lifelines at 16 and 28; "k7" centred at 16 - 1.
 */
static void test_text_ping6(void)
{
	struct ladder *l = collect("", NULL, 5 * SIM_S, 5 * SIM_S + 100 * SIM_MS, SCN_EXIT_PASS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL(l->ncols, 2);
	CU_ASSERT_EQUAL(l->narrows, 4);
	char *got = render(l, ladder_write_text);
	check_text(got,
	           "    time       k7          gw\n"
	           "                |           |\n"
	           "5.000000        o---------->|  IP6 fd00::18 > ff02::1:ff00:1: ICMP6, neighbor "
	           "solicitation, who has fd00::1, length 32\n"
	           "5.001000        |<----------|  IP6 fd00::1 > fd00::18: ICMP6, neighbor "
	           "advertisement, tgt is fd00::1, length 32\n"
	           "5.002000        |---------->|  IP6 fd00::18 > fd00::1: ICMP6, echo request, id "
	           "1000, seq 0, length 16\n"
	           "5.003000        |<----------|  IP6 fd00::1 > fd00::18: ICMP6, echo reply, id 1000, "
	           "seq 0, length 16\n");
	free(got);
	ladder_free(l);
}

/* ---- renderers on hand-built ladders ----------------------------------- */

static char *cols3[] = { "a", "bb", "(lan)" };

/*
 * Three columns 12 wide, lifelines at 6, 18, 30 of the column area, which
 * starts after the time column ("12.000999": 9 wide) and 2 blanks, so at
 * 17, 29, 41 of the line; "bb" starts at 18 - 2/2 = 17 of the area,
 * "(lan)" at 30 - 5/2 = 28. Row 1: a -> (lan), unicast: '-' from 7 to 28
 * (over bb's lifeline), '>' at 29 next to (lan)'s. Row 2: bb multicasts to
 * a and (lan): 'o' on bb's lifeline (18), '<' at 7, '>' at 29. Row 3:
 * (lan) -> a, lost: 'x' at 7 where '<' would be. Row 4: nobody receives:
 * '*' on a's lifeline. 999999 ns is 999 us once truncated: "12.000999".
 */
static void test_text_shapes(void)
{
	size_t to_lan[] = { 2 }, to_both[] = { 0, 2 }, to_a[] = { 0 };
	struct ladder_arrow arrows[] = {
		{ .time = 1 * SIM_S, .from = 0, .to = to_lan, .nto = 1, .label = "one" },
		{ .time = 2 * SIM_S + 5 * SIM_US, .from = 1, .to = to_both, .nto = 2,
		  .multicast = true, .label = "two" },
		{ .time = 12 * SIM_S + 999999, .from = 2, .to = to_a, .nto = 1,
		  .lost = true, .label = "three (lost)" },
		{ .time = 13 * SIM_S, .from = 0, .nto = 0, .label = "four" },
	};
	struct ladder l = { .cols = cols3, .ncols = 3, .arrows = arrows, .narrows = 4 };
	char *got = render(&l, ladder_write_text);
	check_text(got,
	           "     time        a          bb         (lan)\n"
	           "                 |           |           |\n"
	           " 1.000000        |---------------------->|  one\n"
	           " 2.000005        |<----------o---------->|  two\n"
	           "12.000999        |x----------------------|  three (lost)\n"
	           "13.000000        *           |           |  four\n");
	free(got);
}

/* An arrow line per frame, the names, escaped labels, markers. */
static void test_svg_escaped(void)
{
	size_t to1[] = { 1 }, to0[] = { 0 };
	char *cols[] = { "k7", "<gw&>" };
	struct ladder_arrow arrows[] = {
		{ .time = 1 * SIM_S, .from = 0, .to = to1, .nto = 1, .label = "a < b & \"c\" 'd'" },
		{ .time = 2 * SIM_S, .from = 1, .to = to0, .nto = 1, .label = "back\x01" },
	};
	struct ladder l = { .cols = cols, .ncols = 2, .arrows = arrows, .narrows = 2 };
	char *svg = render(&l, ladder_write_svg);
	CU_ASSERT_EQUAL(strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">k7</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">&lt;gw&amp;&gt;</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">a &lt; b &amp; &quot;c&quot; &apos;d&apos;</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, ">back?</text>"));
	CU_ASSERT_PTR_NULL(strstr(svg, "<gw"));
	CU_ASSERT_EQUAL(count(svg, "<line class=\"arrow"), 2);
	CU_ASSERT_EQUAL(count(svg, "<line class=\"life\""), 2);
	CU_ASSERT_EQUAL(count(svg, "marker-end=\"url(#head)\""), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<marker id=\"head\""));
	size_t n = strlen(svg);
	CU_ASSERT(n > 7 && strcmp(svg + n - 7, "</svg>\n") == 0);
	free(svg);
}

/* The ping6's SVG: names, four arrows, labels escaped, same bytes twice. */
static void test_svg_ping6(void)
{
	char *svg[2];
	for (int i = 0; i < 2; i++) {
		struct ladder *l = collect("", NULL, 5 * SIM_S, 5 * SIM_S + 100 * SIM_MS,
		                            SCN_EXIT_PASS);
		CU_ASSERT_PTR_NOT_NULL_FATAL(l);
		svg[i] = render(l, ladder_write_svg);
		ladder_free(l);
	}
	CU_ASSERT_STRING_EQUAL(svg[0], svg[1]);
	CU_ASSERT_PTR_NOT_NULL(strstr(svg[0], ">k7</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg[0], ">gw</text>"));
	CU_ASSERT_EQUAL(count(svg[0], "<line class=\"arrow"), 4);
	CU_ASSERT_EQUAL(count(svg[0], "<line class=\"arrow mcast\""), 1); /* the NS */
	CU_ASSERT_PTR_NOT_NULL(strstr(svg[0], ">IP6 fd00::18 &gt; fd00::1: ICMP6, echo request, "
	                                      "id 1000, seq 0, length 16</text>"));
	CU_ASSERT_PTR_NULL(strstr(svg[0], "fd00::18 > "));
	free(svg[0]);
	free(svg[1]);
}

/* ---- the window, the links, the receivers ------------------------------ */

/* Inclusive at both ends: [5.001 s, 5.002 s] holds the NA (5.001) and the
 * echo request (5.002); the two halves of a split add up to the whole. */
static void test_window(void)
{
	struct ladder *l = collect("", NULL, 5 * SIM_S + SIM_MS, 5 * SIM_S + 2 * SIM_MS,
	                           SCN_EXIT_PASS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL_FATAL(l->narrows, 2);
	CU_ASSERT_EQUAL(l->arrows[0].time, 5 * SIM_S + SIM_MS);
	CU_ASSERT_EQUAL(l->arrows[1].time, 5 * SIM_S + 2 * SIM_MS);
	/* gw sent first in this window: it is the first column. */
	CU_ASSERT_STRING_EQUAL(l->cols[0], "gw");
	CU_ASSERT_PTR_NOT_NULL(strstr(l->arrows[0].label, "neighbor advertisement"));
	ladder_free(l);

	struct ladder *all = collect("", NULL, 0, SIM_NEVER, SCN_EXIT_PASS);
	struct ladder *before = collect("", NULL, 0, 5 * SIM_S - 1, SCN_EXIT_PASS);
	struct ladder *after = collect("", NULL, 5 * SIM_S, SIM_NEVER, SCN_EXIT_PASS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(all);
	CU_ASSERT_PTR_NOT_NULL_FATAL(before);
	CU_ASSERT_PTR_NOT_NULL_FATAL(after);
	CU_ASSERT(before->narrows >= 4); /* at least each node's DAD of 2 addresses */
	CU_ASSERT(after->narrows >= 4);
	CU_ASSERT_EQUAL(before->narrows + after->narrows, all->narrows);
	for (size_t i = 0; i < before->narrows; i++)
		CU_ASSERT(before->arrows[i].time < 5 * SIM_S);
	for (size_t i = 0; i < after->narrows; i++)
		CU_ASSERT(after->arrows[i].time >= 5 * SIM_S);
	ladder_free(all);
	ladder_free(before);
	ladder_free(after);
}

/* `loss 100%`: every frame is lost, shown so, and the expectation fails. */
static void test_lost(void)
{
	struct ladder *l = collect(" loss 100%", "lan", 5 * SIM_S, 6 * SIM_S, SCN_EXIT_FAIL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT(l->narrows >= 1);
	CU_ASSERT_EQUAL(l->run_rc, SCN_EXIT_FAIL);
	for (size_t i = 0; i < l->narrows; i++) {
		CU_ASSERT(l->arrows[i].lost);
		size_t n = strlen(l->arrows[i].label);
		CU_ASSERT(n > 7 && strcmp(l->arrows[i].label + n - 7, " (lost)") == 0);
	}
	ladder_free(l);
}

static void test_unknown_link(void)
{
	struct ladder *l = collect("", "lan,wan", 0, SIM_NEVER, SCN_EXIT_INVALID);
	CU_ASSERT_PTR_NULL(l);
	CU_ASSERT_STRING_EQUAL(diag.msg, "t.scn: --links: unknown link 'wan' at offset 4 (links: lan)");
}

/* A multicast on a three-node segment goes to both other nodes. */
static void test_multicast_fan(void)
{
	const char *text =
		"node k7 freebsd\nnode gw freebsd\nnode a2 freebsd\n"
		"link lan ethernet k7:sk0 gw:em0 a2:em0 delay 1ms\n"
		"iface k7:sk0 inet6 fd00::18/64\niface gw:em0 inet6 fd00::1/64\n"
		"at 5s k7# ping6 -c 1 fd00::1\n";
	memset(&diag, 0, sizeof diag);
	struct scn *s = scn_parse("t.scn", tmpdir, text, strlen(text), &diag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(scn_validate(s, &diag), 0);
	struct ladder_opts o = { .from = 5 * SIM_S, .to = 5 * SIM_S, .out = stderr };
	struct ladder *l = NULL;
	CU_ASSERT_EQUAL(ladder_collect(s, &o, &l, &diag), SCN_EXIT_PASS);
	scn_free(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL_FATAL(l->narrows, 1); /* only the NS is sent at 5.000 */
	CU_ASSERT(l->arrows[0].multicast);
	CU_ASSERT_STRING_EQUAL(l->cols[l->arrows[0].from], "k7");
	CU_ASSERT_EQUAL_FATAL(l->arrows[0].nto, 2);
	/* Columns in order of appearance: k7, then the segment's order gw, a2. */
	CU_ASSERT_STRING_EQUAL(l->cols[l->arrows[0].to[0]], "gw");
	CU_ASSERT_STRING_EQUAL(l->cols[l->arrows[0].to[1]], "a2");
	ladder_free(l);
}

/* ---- the command ------------------------------------------------------- */

static int run_cmd(const char *scn, const char *a1, const char *a2, const char *a3)
{
	char *argv[] = { "ladder", (char *)scn, (char *)a1, (char *)a2, (char *)a3, NULL };
	int argc = 2 + (a1 != NULL) + (a2 != NULL) + (a3 != NULL);
	return v6lab_ladder_main(argc, argv);
}

static void test_command(void)
{
	char scn[128], svg[128], text[1024];
	snprintf(scn, sizeof scn, "%s/two.scn", tmpdir);
	snprintf(svg, sizeof svg, "%s/two.svg", tmpdir);
	snprintf(text, sizeof text, TWO_NODES, "");
	FILE *f = fopen(scn, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	f = fopen(svg, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("keep me\n", f);
	fclose(f);

	CU_ASSERT_EQUAL(run_cmd(scn, "-o", svg, NULL), 2); /* exists, no --force */
	char buf[64] = "";
	f = fopen(svg, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof buf, f));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "keep me\n");

	CU_ASSERT_EQUAL(run_cmd(scn, "-o", svg, "--force"), 0);
	f = fopen(svg, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof buf, f));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	unlink(svg);

	CU_ASSERT_EQUAL(run_cmd(scn, "--links", "wan", NULL), 2);
	CU_ASSERT_EQUAL(run_cmd(scn, "--text", "-o", svg), 2);
	CU_ASSERT_EQUAL(run_cmd(scn, "--from", "2s", "--to"), 2);
	CU_ASSERT_EQUAL(run_cmd(scn, "--from", "soon", NULL), 2);
	CU_ASSERT_EQUAL(access(svg, F_OK), -1); /* none of these wrote it */
	unlink(scn);
}

static int setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/v6lab-ladder-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void)
{
	return rmdir(tmpdir);
}

int suite_ladder(void)
{
	CU_pSuite s = CU_add_suite("ladder", setup, teardown);
	if (!s)
		return -1;
	if (!CU_add_test(s, "text ladder of a ping6", test_text_ping6) ||
	    !CU_add_test(s, "text shapes", test_text_shapes) ||
	    !CU_add_test(s, "svg escaped", test_svg_escaped) ||
	    !CU_add_test(s, "svg of a ping6", test_svg_ping6) ||
	    !CU_add_test(s, "from/to window", test_window) ||
	    !CU_add_test(s, "lost frames", test_lost) ||
	    !CU_add_test(s, "unknown link", test_unknown_link) ||
	    !CU_add_test(s, "multicast fan", test_multicast_fan) ||
	    !CU_add_test(s, "command", test_command))
		return -1;
	return 0;
}
