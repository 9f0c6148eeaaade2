/*
 * The RFC 1661 automaton (sim/link/ppp_fsm.c). The expected transitions
 * are the state table of RFC 1661 section 4.1 transcribed here as printed
 * and parsed by the test, independently of the implementation's table;
 * every one of the 160 cells is checked: next state, actions taken, the
 * This-Layer callbacks and the packets sent, in order, and the restart
 * counter. Then the timer (section 4.6) and packet classification
 * (section 5) are checked with a fake protocol.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "core/sim.h"
#include "link/ppp_var.h"

int suite_pppfsm(void);

static const char rfc_table_a[] =
	"      | State\n"
	"      |    0         1         2         3         4         5\n"
	"Events| Initial   Starting  Closed    Stopped   Closing   Stopping\n"
	"------+-----------------------------------------------------------\n"
	" Up   |    2     irc,scr/6     -         -         -         -\n"
	" Down |    -         -         0       tls/1       0         1\n"
	" Open |  tls/1       1     irc,scr/6     3r        5r        5r\n"
	" Close|    0       tlf/0       2         2         4         4\n"
	"      |\n"
	"  TO+ |    -         -         -         -       str/4     str/5\n"
	"  TO- |    -         -         -         -       tlf/2     tlf/3\n"
	"      |\n"
	" RCR+ |    -         -       sta/2 irc,scr,sca/8   4         5\n"
	" RCR- |    -         -       sta/2 irc,scr,scn/6   4         5\n"
	" RCA  |    -         -       sta/2     sta/3       4         5\n"
	" RCN  |    -         -       sta/2     sta/3       4         5\n"
	"      |\n"
	" RTR  |    -         -       sta/2     sta/3     sta/4     sta/5\n"
	" RTA  |    -         -         2         3       tlf/2     tlf/3\n"
	"      |\n"
	" RUC  |    -         -       scj/2     scj/3     scj/4     scj/5\n"
	" RXJ+ |    -         -         2         3         4         5\n"
	" RXJ- |    -         -       tlf/2     tlf/3     tlf/2     tlf/3\n"
	"      |\n"
	" RXR  |    -         -         2         3         4         5\n";

static const char rfc_table_b[] =
	"      | State\n"
	"      |    6         7         8           9\n"
	"Events| Req-Sent  Ack-Rcvd  Ack-Sent    Opened\n"
	"------+-----------------------------------------\n"
	" Up   |    -         -         -           -\n"
	" Down |    1         1         1         tld/1\n"
	" Open |    6         7         8           9r\n"
	" Close|irc,str/4 irc,str/4 irc,str/4 tld,irc,str/4\n"
	"      |\n"
	"  TO+ |  scr/6     scr/6     scr/8         -\n"
	"  TO- |  tlf/3p    tlf/3p    tlf/3p        -\n"
	"      |\n"
	" RCR+ |  sca/8   sca,tlu/9   sca/8   tld,scr,sca/8\n"
	" RCR- |  scn/6     scn/7     scn/6   tld,scr,scn/6\n"
	" RCA  |  irc/7     scr/6x  irc,tlu/9   tld,scr/6x\n"
	" RCN  |irc,scr/6   scr/6x  irc,scr/8   tld,scr/6x\n"
	"      |\n"
	" RTR  |  sta/6     sta/6     sta/6   tld,zrc,sta/5\n"
	" RTA  |    6         6         8       tld,scr/6\n"
	"      |\n"
	" RUC  |  scj/6     scj/7     scj/8       scj/9\n"
	" RXJ+ |    6         6         8           9\n"
	" RXJ- |  tlf/3     tlf/3     tlf/3   tld,irc,str/5\n"
	"      |\n"
	" RXR  |    6         7         8         ser/9\n";

/* ---- the table as parsed text ---- */

struct cell {
	bool legal;
	int next;
	char acts[8][4]; /* action names in the printed order */
	int nacts;
};

static struct cell table[PPP_FSM_NEVENTS][PPP_FSM_NSTATES];

static const char *const ev_labels[PPP_FSM_NEVENTS] = {
	"Up", "Down", "Open", "Close", "TO+", "TO-", "RCR+", "RCR-",
	"RCA", "RCN", "RTR", "RTA", "RUC", "RXJ+", "RXJ-", "RXR",
};

static int event_of(const char *label)
{
	for (int i = 0; i < PPP_FSM_NEVENTS; i++)
		if (strcmp(label, ev_labels[i]) == 0)
			return i;
	return -1;
}

static void parse_cell(const char *tok, struct cell *c)
{
	memset(c, 0, sizeof *c);
	if (strcmp(tok, "-") == 0)
		return;
	char buf[32];
	snprintf(buf, sizeof buf, "%s", tok);
	size_t n = strlen(buf);
	if (n && (buf[n - 1] == 'r' || buf[n - 1] == 'p' || buf[n - 1] == 'x'))
		buf[--n] = '\0';
	c->legal = true;
	char *slash = strrchr(buf, '/');
	c->next = (slash ? slash[1] : buf[0]) - '0';
	if (!slash)
		return;
	*slash = '\0';
	char *save = NULL;
	for (char *a = strtok_r(buf, ",", &save); a && c->nacts < 8; a = strtok_r(NULL, ",", &save))
		snprintf(c->acts[c->nacts++], sizeof c->acts[0], "%s", a);
}

/* Returns the number of cells parsed. */
static int parse_table(const char *text, int first_state)
{
	int cells = 0;
	char line[128];
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = (size_t)(nl - p);
		snprintf(line, sizeof line, "%.*s", (int)n, p);
		p = nl + 1;
		char *bar = strchr(line, '|');
		if (!bar)
			continue;
		*bar = '\0';
		char label[16];
		if (sscanf(line, "%15s", label) != 1)
			continue;
		int ev = event_of(label);
		if (ev < 0)
			continue;
		int st = first_state;
		char *save = NULL;
		for (char *t = strtok_r(bar + 1, " ", &save); t && st < PPP_FSM_NSTATES;
		     t = strtok_r(NULL, " ", &save))
			parse_cell(t, &table[ev][st++]), cells++;
	}
	return cells;
}

/* ---- a fake protocol that records what the automaton does ---- */

struct fake {
	struct sim *sim;
	struct ppp_fsm f;
	char calls[64];           /* "tld,tlu," ... */
	uint8_t codes[32];        /* codes of the packets sent */
	uint8_t ids[32];
	sim_time times[32];
	int nsent;
	uint8_t last[64];
	size_t last_len;
	sim_time tlf_at;
	enum ppp_cr_verdict verdict;
	bool may_nak_seen[16];
	int nreq;
};

static struct fake *fk(struct ppp_fsm *f) { return f->owner; }

static void fake_out(void *owner, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct fake *k = owner;
	CU_ASSERT_EQUAL(proto, 0xc021);
	if (k->nsent < 32) {
		k->codes[k->nsent] = pkt[0];
		k->ids[k->nsent] = pkt[1];
		k->times[k->nsent] = k->sim->now;
	}
	k->nsent++;
	k->last_len = len < sizeof k->last ? len : sizeof k->last;
	memcpy(k->last, pkt, k->last_len);
}

static size_t fake_build(struct ppp_fsm *f, uint8_t *out, size_t room)
{
	(void)f;
	static const uint8_t mru[4] = { 1, 4, 0x05, 0xd4 };
	if (room < 4)
		return 0;
	memcpy(out, mru, 4);
	return 4;
}

static enum ppp_cr_verdict fake_rcv_req(struct ppp_fsm *f, const uint8_t *opt, size_t len,
                                        uint8_t *reply, size_t room, size_t *rlen, bool may_nak)
{
	struct fake *k = fk(f);
	if (k->nreq < 16)
		k->may_nak_seen[k->nreq] = may_nak;
	k->nreq++;
	*rlen = len < room ? len : room;
	memcpy(reply, opt, *rlen);
	if (k->verdict == PPP_CR_NAK && !may_nak)
		return PPP_CR_REJ;
	return k->verdict;
}

static void rec(struct ppp_fsm *f, const char *what)
{
	struct fake *k = fk(f);
	strncat(k->calls, what, sizeof k->calls - strlen(k->calls) - 1);
}
static void fake_tlu(struct ppp_fsm *f) { rec(f, "tlu,"); }
static void fake_tld(struct ppp_fsm *f) { rec(f, "tld,"); }
static void fake_tls(struct ppp_fsm *f) { rec(f, "tls,"); }
static void fake_tlf(struct ppp_fsm *f)
{
	rec(f, "tlf,");
	fk(f)->tlf_at = fk(f)->sim->now;
}
static void fake_ser(struct ppp_fsm *f) { rec(f, "ser,"); }

static const struct ppp_fsm_ops fake_ops = {
	.proto = 0xc021, .name = "fake", .build_req = fake_build, .rcv_req = fake_rcv_req,
	.ser = fake_ser, .tlu = fake_tlu, .tld = fake_tld, .tls = fake_tls, .tlf = fake_tlf,
};

static void fake_init(struct fake *k, const struct ppp_conf *conf)
{
	memset(k, 0, sizeof *k);
	k->sim = sim_new(1, 0);
	k->verdict = PPP_CR_ACK;
	ppp_fsm_init(&k->f, k->sim, &fake_ops, k, fake_out, conf);
}

static void fake_done(struct fake *k)
{
	sim_free(k->sim);
}

/* ---- the 160 cells ---- */

static unsigned mask_of(const char *a)
{
	static const struct {
		const char *name;
		unsigned bit;
	} m[] = {
		{ "tld", PPP_A_TLD }, { "tls", PPP_A_TLS }, { "irc", PPP_A_IRC }, { "zrc", PPP_A_ZRC },
		{ "scr", PPP_A_SCR }, { "sca", PPP_A_SCA }, { "scn", PPP_A_SCN }, { "str", PPP_A_STR },
		{ "sta", PPP_A_STA }, { "scj", PPP_A_SCJ }, { "ser", PPP_A_SER }, { "tlu", PPP_A_TLU },
		{ "tlf", PPP_A_TLF },
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (strcmp(a, m[i].name) == 0)
			return m[i].bit;
	CU_FAIL("unknown action in the transcribed table");
	return 0;
}

/* Code of the packet each sending action emits (RFC 1661 section 5). */
static int code_of(const char *a)
{
	if (!strcmp(a, "scr")) return 1;
	if (!strcmp(a, "sca")) return 2;
	if (!strcmp(a, "scn")) return 3;
	if (!strcmp(a, "str")) return 5;
	if (!strcmp(a, "sta")) return 6;
	if (!strcmp(a, "scj")) return 7;
	return 0;
}

static bool has(const struct cell *c, const char *a)
{
	for (int i = 0; i < c->nacts; i++)
		if (!strcmp(c->acts[i], a))
			return true;
	return false;
}

static void check_cell(int st, int ev, const struct cell *c)
{
	struct fake k;
	fake_init(&k, NULL);
	k.f.state = (enum ppp_fsm_state)st;
	k.f.restart_count = 5;
	unsigned act = ppp_fsm_event(&k.f, (enum ppp_fsm_event)ev);
	char where[64];
	snprintf(where, sizeof where, "%s in %s", ev_labels[ev], ppp_fsm_state_names[st]);
	if (!c->legal) {
		CU_ASSERT_EQUAL(act, PPP_A_ILLEGAL);
		CU_ASSERT_EQUAL(k.f.state, st);
		CU_ASSERT_EQUAL(k.nsent, 0);
		CU_ASSERT_STRING_EQUAL(k.calls, "");
		fake_done(&k);
		return;
	}
	unsigned want = 0;
	char calls[64] = "";
	int codes[8], ncodes = 0;
	for (int i = 0; i < c->nacts; i++) {
		want |= mask_of(c->acts[i]);
		if (c->acts[i][0] == 't' || !strcmp(c->acts[i], "ser"))
			strcat(strcat(calls, c->acts[i]), ",");
		if (code_of(c->acts[i]))
			codes[ncodes++] = code_of(c->acts[i]);
	}
	if (act != want || (int)k.f.state != c->next)
		fprintf(stderr, "\n  %s: got actions %#x state %s\n", where, act,
		        ppp_fsm_state_names[k.f.state]);
	CU_ASSERT_EQUAL(act, want);
	CU_ASSERT_EQUAL(k.f.state, c->next);
	CU_ASSERT_STRING_EQUAL(k.calls, calls);
	CU_ASSERT_EQUAL(k.nsent, ncodes);
	for (int i = 0; i < ncodes && i < k.nsent; i++)
		CU_ASSERT_EQUAL(k.codes[i], codes[i]);
	/* Counter: irc loads Max-Terminate (2) before str, Max-Configure (10)
	 * before scr; every scr/str uses one; zrc empties it. */
	bool sends = has(c, "scr") || has(c, "str");
	uint32_t count = 5;
	if (has(c, "irc"))
		count = (c->next == PPP_CLOSING || c->next == PPP_STOPPING) ? 2 : 10;
	if (has(c, "zrc"))
		count = 0;
	if (sends)
		count--;
	CU_ASSERT_EQUAL(k.f.restart_count, count);
	bool timer = sends || has(c, "zrc");
	CU_ASSERT_EQUAL(k.f.timer.when != SIM_NEVER, timer);
	fake_done(&k);
}

static void test_state_table(void)
{
	memset(table, 0, sizeof table);
	int a = parse_table(rfc_table_a, 0);
	int b = parse_table(rfc_table_b, 6);
	CU_ASSERT_EQUAL(a, 16 * 6);
	CU_ASSERT_EQUAL(b, 16 * 4);
	int checked = 0;
	for (int ev = 0; ev < PPP_FSM_NEVENTS; ev++)
		for (int st = 0; st < PPP_FSM_NSTATES; st++, checked++)
			check_cell(st, ev, &table[ev][st]);
	CU_ASSERT_EQUAL(checked, 160);
}

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(ppp_fsm_state_names[PPP_INITIAL], "Initial");
	CU_ASSERT_STRING_EQUAL(ppp_fsm_state_names[PPP_REQ_SENT], "Req-Sent");
	CU_ASSERT_STRING_EQUAL(ppp_fsm_state_names[PPP_OPENED], "Opened");
	CU_ASSERT_STRING_EQUAL(ppp_fsm_event_names[PPP_EV_RXJ_MINUS], "RXJ-");
}

/* ---- timer and counters (section 4.6) ---- */

static void test_configure_retries(void)
{
	struct fake k;
	fake_init(&k, NULL);
	ppp_fsm_event(&k.f, PPP_EV_UP);
	ppp_fsm_event(&k.f, PPP_EV_OPEN);
	sim_run_until(k.sim, 60 * SIM_S);
	CU_ASSERT_EQUAL(k.nsent, 10); /* Max-Configure */
	for (int i = 0; i < 10 && i < k.nsent; i++) {
		CU_ASSERT_EQUAL(k.codes[i], 1);
		CU_ASSERT_EQUAL(k.times[i], (sim_time)i * 3 * SIM_S); /* restart timer 3 s */
		CU_ASSERT_EQUAL(k.ids[i], (uint8_t)(k.ids[0] + i));  /* a new id each time */
	}
	CU_ASSERT_EQUAL(k.f.state, PPP_STOPPED);
	CU_ASSERT_STRING_EQUAL(k.calls, "tlf,");
	CU_ASSERT_EQUAL(k.tlf_at, 30 * SIM_S);
	fake_done(&k);

	/* Configurable: Max-Configure 3, restart 1 s. */
	struct ppp_conf conf = { .max_configure = 3, .restart_ms = 1000 };
	fake_init(&k, &conf);
	ppp_fsm_event(&k.f, PPP_EV_OPEN);
	ppp_fsm_event(&k.f, PPP_EV_UP);
	sim_run_until(k.sim, 60 * SIM_S);
	CU_ASSERT_EQUAL(k.nsent, 3);
	CU_ASSERT_EQUAL(k.tlf_at, 3 * SIM_S);
	CU_ASSERT_STRING_EQUAL(k.calls, "tls,tlf,");
	fake_done(&k);
}

static void test_terminate_retries(void)
{
	struct fake k;
	fake_init(&k, NULL);
	k.f.state = PPP_OPENED;
	ppp_fsm_event(&k.f, PPP_EV_CLOSE);
	sim_run_until(k.sim, 60 * SIM_S);
	CU_ASSERT_EQUAL(k.nsent, 2); /* Max-Terminate */
	CU_ASSERT_EQUAL(k.codes[0], 5);
	CU_ASSERT_EQUAL(k.codes[1], 5);
	CU_ASSERT_EQUAL(k.times[1], 3 * SIM_S);
	CU_ASSERT_EQUAL(k.tlf_at, 6 * SIM_S);
	CU_ASSERT_EQUAL(k.f.state, PPP_CLOSED);
	CU_ASSERT_STRING_EQUAL(k.calls, "tld,tlf,");
	fake_done(&k);

	/* RTR in Opened: one Terminate-Ack, a restart period, then Stopped. */
	fake_init(&k, NULL);
	k.f.state = PPP_OPENED;
	ppp_fsm_event(&k.f, PPP_EV_RTR);
	sim_run_until(k.sim, 60 * SIM_S);
	CU_ASSERT_EQUAL(k.nsent, 1);
	CU_ASSERT_EQUAL(k.codes[0], 6);
	CU_ASSERT_EQUAL(k.tlf_at, 3 * SIM_S);
	CU_ASSERT_EQUAL(k.f.state, PPP_STOPPED);
	fake_done(&k);
}

static void test_timer_stops(void)
{
	struct fake k;
	fake_init(&k, NULL);
	ppp_fsm_event(&k.f, PPP_EV_UP);
	ppp_fsm_event(&k.f, PPP_EV_OPEN);
	CU_ASSERT_NOT_EQUAL(k.f.timer.when, SIM_NEVER);
	k.f.state = PPP_ACK_SENT;
	ppp_fsm_event(&k.f, PPP_EV_RCA); /* -> Opened: the timer stops */
	CU_ASSERT_EQUAL(k.f.state, PPP_OPENED);
	CU_ASSERT_EQUAL(k.f.timer.when, SIM_NEVER);
	sim_run_until(k.sim, 60 * SIM_S);
	CU_ASSERT_EQUAL(k.nsent, 1);
	fake_done(&k);
}

/* ---- packets -> events (section 5) ---- */

static void feed(struct fake *k, const uint8_t *p, size_t n) { ppp_fsm_input(&k->f, p, n); }

static void test_classify(void)
{
	struct fake k;
	fake_init(&k, NULL);
	ppp_fsm_event(&k.f, PPP_EV_UP);
	ppp_fsm_event(&k.f, PPP_EV_OPEN); /* Req-Sent, request id k.ids[0] */
	uint8_t id = k.ids[0];
	uint8_t ack_bad_id[] = { 2, (uint8_t)(id + 1), 0, 8, 1, 4, 0x05, 0xd4 };
	uint8_t ack_bad_opt[] = { 2, id, 0, 8, 1, 4, 0x05, 0xdc };
	uint8_t ack_short[] = { 2, id, 0, 9, 1, 4, 0x05, 0xd4 }; /* Length past the end */
	uint8_t ack[] = { 2, id, 0, 8, 1, 4, 0x05, 0xd4 };
	feed(&k, ack_bad_id, sizeof ack_bad_id);
	feed(&k, ack_bad_opt, sizeof ack_bad_opt);
	feed(&k, ack_short, sizeof ack_short);
	feed(&k, ack, 3);
	CU_ASSERT_EQUAL(k.f.state, PPP_REQ_SENT);
	feed(&k, ack, sizeof ack);
	CU_ASSERT_EQUAL(k.f.state, PPP_ACK_RCVD);
	feed(&k, ack, sizeof ack); /* a duplicate answers nothing new */
	CU_ASSERT_EQUAL(k.f.state, PPP_ACK_RCVD);

	/* An unknown code: Code-Reject carrying the packet. */
	uint8_t odd[] = { 0x42, 7, 0, 6, 0xaa, 0xbb };
	int before = k.nsent;
	feed(&k, odd, sizeof odd);
	CU_ASSERT_EQUAL(k.nsent, before + 1);
	CU_ASSERT_EQUAL(k.last[0], 7);
	CU_ASSERT_EQUAL(k.last[3], 10);
	CU_ASSERT_EQUAL(memcmp(k.last + 4, odd, sizeof odd), 0);
	CU_ASSERT_EQUAL(k.f.state, PPP_ACK_RCVD);

	/* Code-Reject of an extension code is RXJ+ (Ack-Rcvd -> Req-Sent),
	 * of Configure-Request RXJ- (-> Stopped, tlf). */
	uint8_t rej_echo[] = { 7, 9, 0, 8, 9, 1, 0, 4 };
	feed(&k, rej_echo, sizeof rej_echo);
	CU_ASSERT_EQUAL(k.f.state, PPP_REQ_SENT);
	uint8_t rej_cr[] = { 7, 10, 0, 8, 1, 1, 0, 4 };
	feed(&k, rej_cr, sizeof rej_cr);
	CU_ASSERT_EQUAL(k.f.state, PPP_STOPPED);
	CU_ASSERT_STRING_EQUAL(k.calls, "tlf,");
	fake_done(&k);
}

static void test_max_failure(void)
{
	struct fake k;
	fake_init(&k, NULL);
	ppp_fsm_event(&k.f, PPP_EV_UP);
	ppp_fsm_event(&k.f, PPP_EV_OPEN);
	k.verdict = PPP_CR_NAK;
	uint8_t cr[] = { 1, 1, 0, 8, 1, 4, 0x00, 0x10 };
	for (int i = 0; i < 7; i++) {
		cr[1] = (uint8_t)(i + 1);
		feed(&k, cr, sizeof cr);
		CU_ASSERT_EQUAL(k.last[0], i < 5 ? 3 : 4); /* Nak x5 (Max-Failure), then Reject */
		CU_ASSERT_EQUAL(k.last[1], i + 1);
		CU_ASSERT_EQUAL(k.may_nak_seen[i], i < 5);
	}
	/* A Configure-Ack sent resets the count. */
	k.verdict = PPP_CR_ACK;
	feed(&k, cr, sizeof cr);
	CU_ASSERT_EQUAL(k.last[0], 2);
	k.verdict = PPP_CR_NAK;
	feed(&k, cr, sizeof cr);
	CU_ASSERT_EQUAL(k.last[0], 3);
	fake_done(&k);
}

int suite_pppfsm(void)
{
	CU_pSuite s = CU_add_suite("pppfsm", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "names", test_names) ||
	    !CU_add_test(s, "rfc1661_state_table_160_cells", test_state_table) ||
	    !CU_add_test(s, "configure_request_every_3s_10_times", test_configure_retries) ||
	    !CU_add_test(s, "terminate_request_2_times", test_terminate_retries) ||
	    !CU_add_test(s, "timer_stops_in_opened", test_timer_stops) ||
	    !CU_add_test(s, "packets_to_events", test_classify) ||
	    !CU_add_test(s, "max_failure_nak_becomes_reject", test_max_failure))
		return -1;
	return 0;
}
