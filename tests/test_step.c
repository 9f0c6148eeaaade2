/*
 * The step view's pure parts (sim/step/): the line diff of node state
 * snapshots (unchanged lines never shown, a changed line as - then +,
 * insertions and removals in the middle, both sides empty), the per-node
 * snapshot diff, a real snapshot before and after Duplicate Address
 * Detection (the link-local address leaves "tentative"), ppp(8)'s phase
 * and automata and nat6to4d's sessions in snapshots of saved scenarios
 * (looking expires nothing), the keys read
 * from a pipe and from a terminal, the layer headings and field labels,
 * and the time format of the header. Expected texts are written out here.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "step/step.h"

int suite_step(void);

static void lines_of(struct step_lines *l, const char *const *v)
{
	*l = (struct step_lines){ 0 };
	for (; *v; v++)
		step_lines_add(l, "%s", *v);
}

/* The diff of two NULL-terminated line lists, as printed. */
static char *diff_text(const char *const *a, const char *const *b, size_t *changed)
{
	struct step_lines la, lb;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	lines_of(&la, a);
	lines_of(&lb, b);
	*changed = step_lines_diff(&la, &lb, "  ", f);
	fclose(f);
	CU_ASSERT_EQUAL(step_lines_diff(&la, &lb, "", NULL), *changed);
	step_lines_free(&la);
	step_lines_free(&lb);
	return text;
}

static void check_diff(const char *const *a, const char *const *b, const char *want,
                       size_t want_changed)
{
	size_t changed;
	char *got = diff_text(a, b, &changed);
	if (strcmp(got, want) != 0)
		printf("\nwant:\n%sgot:\n%s", want, got);
	CU_ASSERT_STRING_EQUAL(got, want);
	CU_ASSERT_EQUAL(changed, want_changed);
	free(got);
}

static void test_diff_same(void)
{
	const char *const a[] = { "sk0: UP mtu 1500", "route6 ::1/128 link#2 UH lo0", NULL };
	check_diff(a, a, "", 0);
}

static void test_diff_changed_line(void)
{
	const char *const a[] = { "sk0: UP mtu 1500",
		                  "sk0: inet6 fe80::1%sk0 prefixlen 64 tentative",
		                  "sk0: group ff02::1", NULL };
	const char *const b[] = { "sk0: UP mtu 1500", "sk0: inet6 fe80::1%sk0 prefixlen 64",
		                  "sk0: group ff02::1", NULL };
	check_diff(a, b,
	           "  - sk0: inet6 fe80::1%sk0 prefixlen 64 tentative\n"
	           "  + sk0: inet6 fe80::1%sk0 prefixlen 64\n",
	           2);
}

static void test_diff_insert_remove(void)
{
	const char *const a[] = { "A", "B", "C", "D", NULL };
	const char *const b[] = { "A", "X", "C", "D", "E", NULL };
	check_diff(a, b, "  - B\n  + X\n  + E\n", 3);
	const char *const c[] = { "B", "C", NULL };
	check_diff(a, c, "  - A\n  - D\n", 2);
}

static void test_diff_empty(void)
{
	const char *const none[] = { NULL };
	const char *const one[] = { "dhcp6c: BOUND", NULL };
	check_diff(none, none, "", 0);
	check_diff(none, one, "  + dhcp6c: BOUND\n", 1);
	check_diff(one, none, "  - dhcp6c: BOUND\n", 1);
}

/* Two hand-made snapshots: only the node that changed is listed. */
static void test_snap_diff(void)
{
	struct step_node_state na[2] = { { .name = "k7" }, { .name = "jail" } };
	struct step_node_state nb[2] = { { .name = "k7" }, { .name = "jail" } };
	const char *const k7[] = { "sk0: UP mtu 1500", NULL };
	const char *const jail_a[] = { "em0: UP mtu 1500", NULL };
	const char *const jail_b[] = { "em0: UP mtu 1500",
		                       "em0: neighbor fd00::7 lladdr 00:0f:ea:2c:d5:18 STALE", NULL };
	lines_of(&na[0].lines, k7);
	lines_of(&nb[0].lines, k7);
	lines_of(&na[1].lines, jail_a);
	lines_of(&nb[1].lines, jail_b);
	struct step_snap a = { na, 2 }, b = { nb, 2 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	step_snap_diff(&a, &b, NULL, f);
	step_snap_diff(&a, &a, "since step 1 (t=0.000000s)", f);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(text, "node states that changed:\n"
	                             "  jail\n"
	                             "    + em0: neighbor fd00::7 lladdr 00:0f:ea:2c:d5:18 STALE\n"
	                             "node states that changed since step 1 (t=0.000000s):\n"
	                             "  (none)\n");
	free(text);
	for (int i = 0; i < 2; i++) {
		step_lines_free(&na[i].lines);
		step_lines_free(&nb[i].lines);
	}
}

static bool has_line(const struct step_snap *s, const char *node, const char *line)
{
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; strcmp(s->nodes[i].name, node) == 0 && j < s->nodes[i].lines.n; j++)
			if (strcmp(s->nodes[i].lines.v[j], line) == 0)
				return true;
	return false;
}

/* A real run: k7's link-local address (EUI-64 of 00:0f:ea:2c:d5:18) is
 * tentative at the start and not any more once DAD is over (1 s + jitter). */
static void test_snapshot_dad(void)
{
	static const char text[] =
		"seed 1\n"
		"node k7 freebsd\n"
		"node gw freebsd\n"
		"link lan ethernet k7:sk0 gw:em0\n"
		"iface k7:sk0 ether 00:0f:ea:2c:d5:18 inet6 fd00::18/64\n"
		"iface gw:em0 ether 00:0c:86:75:24:1b\n"
		"expect within 5s packet on lan \"icmp6\"\n";
	struct scn_diag d = { .msg = "" };
	struct scn *s = scn_parse("t.scn", NULL, text, sizeof text - 1, &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(scn_validate(s, &d), 0);
	struct scn_run_opts o = { .quiet = true, .out = stderr };
	struct scn_session *ss = scn_session_open(s, &o, &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ss);
	struct step_snap before, after;
	step_snap_take(&before, s, scn_session_sim(ss));
	scn_session_run_until(ss, 4 * SIM_S);
	step_snap_take(&after, s, scn_session_sim(ss));
	const char *tent = "sk0: inet6 fe80::20f:eaff:fe2c:d518%sk0 prefixlen 64 tentative";
	const char *done = "sk0: inet6 fe80::20f:eaff:fe2c:d518%sk0 prefixlen 64";
	CU_ASSERT_EQUAL(before.n, 2);
	CU_ASSERT_TRUE(has_line(&before, "k7", tent));
	CU_ASSERT_FALSE(has_line(&before, "k7", done));
	CU_ASSERT_TRUE(has_line(&after, "k7", done));
	CU_ASSERT_FALSE(has_line(&after, "k7", tent));
	CU_ASSERT_TRUE(has_line(&after, "k7", "route6 fd00::/64 link#1 U sk0"));
	CU_ASSERT_TRUE(has_line(&after, "gw", "em0: UP mtu 1500"));
	step_snap_free(&before);
	step_snap_free(&after);
	scn_session_close(ss);
	scn_free(s);
}

/* Lines of `node` in `s` that start with `prefix`. */
static size_t count_prefixed(const struct step_snap *s, const char *node, const char *prefix)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; strcmp(s->nodes[i].name, node) == 0 && j < s->nodes[i].lines.n; j++)
			n += strncmp(s->nodes[i].lines.v[j], prefix, strlen(prefix)) == 0;
	return n;
}

/* A saved scenario opened as a session, its transcript into o->out (a
 * temporary file); the session keeps `o`. */
static struct scn_session *open_scenario(const char *path, struct scn **s,
                                         struct scn_run_opts *o)
{
	struct scn_diag d = { .msg = "" };
	*s = scn_parse_file(path, &d);
	if (!*s || scn_validate(*s, &d) != 0) {
		printf("\n%s: %s\n", path, d.msg);
		return NULL;
	}
	*o = (struct scn_run_opts){ .quiet = true, .out = tmpfile() };
	return o->out ? scn_session_open(*s, o, &d) : NULL;
}

/* Run the session on to time t and take the snapshot there. */
static void snap_at(struct scn_session *ss, struct scn *s, sim_time t, struct step_snap *snap)
{
	scn_session_run_until(ss, t);
	step_snap_take(snap, s, scn_session_sim(ss));
}

/* internode-adsl: ppp(8) starts at 1 s in phase Dead with every automaton
 * Initial (RFC 1661's first state), k7 dials at 2 s and by 10 s all is
 * Opened (the scenario's ifconfig tun0 shows both families then). After
 * `quit` ppp is gone and so is its line. */
static void test_snapshot_ppp(void)
{
	struct scn *s;
	struct scn_run_opts o;
	struct scn_session *ss = open_scenario("scenarios/internode-adsl.scn", &s, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ss);
	struct step_snap a, b, c, d;
	snap_at(ss, s, SIM_S / 2, &a);
	snap_at(ss, s, 3 * SIM_S / 2, &b);
	snap_at(ss, s, 10 * SIM_S, &c);
	scn_session_command(ss, "k7", "quit");
	snap_at(ss, s, 15 * SIM_S, &d);
	CU_ASSERT_EQUAL(count_prefixed(&a, "k7", "ppp: "), 0);
	CU_ASSERT_TRUE(has_line(&b, "k7", "ppp: phase Dead, LCP Initial, IPCP Initial, IPV6CP Initial"));
	CU_ASSERT_TRUE(has_line(&c, "k7", "ppp: phase Network, LCP Opened, IPCP Opened, IPV6CP Opened"));
	CU_ASSERT_EQUAL(count_prefixed(&c, "k7", "ppp: "), 1);
	CU_ASSERT_EQUAL(count_prefixed(&d, "k7", "ppp: "), 0);
	step_snap_free(&a);
	step_snap_free(&b);
	step_snap_free(&c);
	step_snap_free(&d);
	scn_session_close(ss);
	scn_free(s);
	fclose(o.out);
}

/* telnet-rompager: nat6to4d starts at 1 s, the telnet at 22 s; the session
 * is the one the saved transcript's `nat6to4ctl show sessions` lists. Its
 * 240 s after both FINs end by 300 s: the snapshot leaves it out, and
 * looking expires nothing (the counters still count it active). */
static void test_snapshot_nat6to4d(void)
{
	static const char sess[] = "nat6to4d: session tcp 2001:4f8:fff6::28.63665 "
	                           "192.168.1.1.63665 192.168.1.195.80 ";
	char est[128], fin[128];
	snprintf(est, sizeof est, "%sESTABLISHED", sess);
	snprintf(fin, sizeof fin, "%sV6_FIN_V4_FIN", sess);
	struct scn *s;
	struct scn_run_opts o;
	struct scn_session *ss = open_scenario("scenarios/telnet-rompager.scn", &s, &o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ss);
	struct step_snap a, b, c, d, e;
	snap_at(ss, s, SIM_S / 2, &a);
	snap_at(ss, s, 2 * SIM_S, &b);
	snap_at(ss, s, 22 * SIM_S + SIM_S / 2, &c);
	snap_at(ss, s, 27 * SIM_S + SIM_S / 2, &d);
	snap_at(ss, s, 300 * SIM_S, &e);
	CU_ASSERT_EQUAL(count_prefixed(&a, "gw", "nat6to4d: "), 0);
	CU_ASSERT_TRUE(has_line(&b, "gw", "nat6to4d: 0 sessions"));
	CU_ASSERT_TRUE(has_line(&c, "gw", "nat6to4d: 1 session"));
	CU_ASSERT_TRUE(has_line(&c, "gw", est));
	CU_ASSERT_TRUE(has_line(&d, "gw", fin));
	CU_ASSERT_TRUE(has_line(&e, "gw", "nat6to4d: 0 sessions"));
	CU_ASSERT_EQUAL(count_prefixed(&e, "gw", "nat6to4d: session "), 0);
	/* What show counters prints now, from the transcript store. */
	struct sim *sim = scn_session_sim(ss);
	size_t before = sim->out.n;
	bool active = false;
	scn_session_command(ss, "gw", "nat6to4ctl show counters");
	static const char want[] = "\t1 active, 1 created, 0 expired,";
	for (size_t i = before; i < sim->out.n; i++)
		active |= strncmp(sim->out.lines[i].text, want, sizeof want - 1) == 0;
	CU_ASSERT_TRUE(active);
	step_snap_free(&a);
	step_snap_free(&b);
	step_snap_free(&c);
	step_snap_free(&d);
	step_snap_free(&e);
	scn_session_close(ss);
	scn_free(s);
	fclose(o.out);
}

static void test_keys(void)
{
	CU_ASSERT_EQUAL(step_key_of_line("\n"), KEY_NEXT);
	CU_ASSERT_EQUAL(step_key_of_line(""), KEY_NEXT);
	CU_ASSERT_EQUAL(step_key_of_line("n\n"), KEY_NEXT);
	CU_ASSERT_EQUAL(step_key_of_line("  b\n"), KEY_BACK);
	CU_ASSERT_EQUAL(step_key_of_line("c\n"), KEY_CONTINUE);
	CU_ASSERT_EQUAL(step_key_of_line("quit\n"), KEY_QUIT);
	CU_ASSERT_EQUAL(step_key_of_line("?\n"), KEY_HELP);
	CU_ASSERT_EQUAL(step_key_of_line("x\n"), KEY_OTHER);
	CU_ASSERT_EQUAL(step_key_of_char(' '), KEY_NEXT);
	CU_ASSERT_EQUAL(step_key_of_char('\r'), KEY_NEXT);
	CU_ASSERT_EQUAL(step_key_of_char('h'), KEY_HELP);
	CU_ASSERT_EQUAL(step_key_of_char(0x04), KEY_QUIT);   /* Ctrl-D in cbreak mode */
	CU_ASSERT_EQUAL(step_key_of_char(EOF), KEY_EOF);
	CU_ASSERT_EQUAL(step_key_of_char('Z'), KEY_OTHER);
}

static void test_names(void)
{
	char label[96];

	CU_ASSERT_STRING_EQUAL(step_layer_heading("ip6.hlim"), "Internet Protocol Version 6");
	CU_ASSERT_STRING_EQUAL(step_layer_heading("icmp6.option slla"),
	                       "Internet Control Message Protocol v6");
	CU_ASSERT_STRING_EQUAL(step_layer_heading("lcp.option MRU"), "PPP Link Control Protocol");
	CU_ASSERT_STRING_EQUAL(step_layer_heading("eth.src"), "Ethernet II");
	CU_ASSERT_STRING_EQUAL(step_layer_heading("nosuch.x"), "Data");
	step_field_label("ip6.hlim", label, sizeof label);
	CU_ASSERT_STRING_EQUAL(label, "Hop Limit");
	step_field_label("icmp6.nd.target", label, sizeof label);
	CU_ASSERT_STRING_EQUAL(label, "Target Address");
	step_field_label("icmp6.option slla type", label, sizeof label);
	CU_ASSERT_STRING_EQUAL(label, "Option slla type");
	step_field_label("dhcp6.option 25 iaid", label, sizeof label);
	CU_ASSERT_STRING_EQUAL(label, "Option 25 iaid");
	step_field_label("tcp.option ts val", label, sizeof label);
	CU_ASSERT_STRING_EQUAL(label, "Option ts val");
}

static void test_time(void)
{
	char t[32];
	step_format_time(1000153000ull, t, sizeof t);
	CU_ASSERT_STRING_EQUAL(t, "1.000153s");
	step_format_time(0, t, sizeof t);
	CU_ASSERT_STRING_EQUAL(t, "0.000000s");
	step_format_time(125 * SIM_S + 999, t, sizeof t);   /* nanoseconds below a µs: cut */
	CU_ASSERT_STRING_EQUAL(t, "125.000000s");
}

int suite_step(void)
{
	CU_pSuite s = CU_add_suite("step", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "diff of equal lists", test_diff_same) ||
	    !CU_add_test(s, "diff of a changed line", test_diff_changed_line) ||
	    !CU_add_test(s, "diff with insertions and removals", test_diff_insert_remove) ||
	    !CU_add_test(s, "diff with an empty side", test_diff_empty) ||
	    !CU_add_test(s, "snapshot diff per node", test_snap_diff) ||
	    !CU_add_test(s, "snapshot before and after DAD", test_snapshot_dad) ||
	    !CU_add_test(s, "snapshot: ppp(8)'s phase and automata", test_snapshot_ppp) ||
	    !CU_add_test(s, "snapshot: nat6to4d's sessions", test_snapshot_nat6to4d) ||
	    !CU_add_test(s, "keys", test_keys) ||
	    !CU_add_test(s, "layer headings and labels", test_names) ||
	    !CU_add_test(s, "time of a step", test_time))
		return -1;
	return 0;
}
