/*
 * suite_pppoe: PPPoE (sim/link/pppoe.c, pppoe_tags.c, trace/print_pppoe.c).
 *
 * Expected frames are written out byte by byte from RFC 2516's figures
 * (section 4: the Ethernet header, ver/type 0x11, CODE, SESSION_ID,
 * LENGTH, then TAG_TYPE/TAG_LENGTH/TAG_VALUE; section 5 and appendix A for
 * codes and tag types), never produced by the code under test. Two values
 * in them are computed outside it, by hand in Python while writing this:
 *   - the Host-Uniq: the first 64-bit output of xoshiro256** seeded
 *     through splitmix64 with SEED (as sim/core/prng.c documents), low 32
 *     bits big-endian: 0x2e15a4ad;
 *   - the AC-Cookie: splitmix64's finaliser over client_mac ^ ac_mac << 16
 *     (48-bit MACs as integers, the derivation pppoe.h documents).
 * The printed lines are tcpdump 4.99.3's own: the frames below were written
 * to a pcap (a Python one-off, from these same byte arrays) and read with
 * `tcpdump -n -t -r FILE` (and -e for the link-level line), the output
 * pasted here.
 */
#include "nettest.h"

#include <CUnit/CUnit.h>
#include <string.h>

#include "link/pppoe.h"
#include "trace/trace.h"

int suite_pppoe(void);

#define SEED 20091106

/* The seed's k7 (sk0) and the ISP's access concentrator, whose MAC gives
 * the peer link-local address fe80::20c:86ff:fe75:241b of the story. */
static const uint8_t K7_MAC[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
static const uint8_t BRAS_MAC[6] = { 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b };

/* ---- frames written out from RFC 2516 ------------------------------------ */

/* PADI (5.1): broadcast, code 0x09, session 0; Service-Name (empty: any),
 * Host-Uniq. */
static const uint8_t PADI[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18, 0x88, 0x63,
	0x11, 0x09, 0x00, 0x00, 0x00, 0x0c,
	0x01, 0x01, 0x00, 0x00,                                  /* Service-Name "" */
	0x01, 0x03, 0x00, 0x04, 0x2e, 0x15, 0xa4, 0xad,          /* Host-Uniq */
};

/* PADO (5.2): unicast to the host, code 0x07; AC-Name "bras", the
 * Service-Name of the PADI, Host-Uniq back, AC-Cookie. */
static const uint8_t PADO[] = {
	0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18, 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b, 0x88, 0x63,
	0x11, 0x07, 0x00, 0x00, 0x00, 0x20,
	0x01, 0x02, 0x00, 0x04, 'b', 'r', 'a', 's',              /* AC-Name */
	0x01, 0x01, 0x00, 0x00,                                  /* Service-Name "" */
	0x01, 0x03, 0x00, 0x04, 0x2e, 0x15, 0xa4, 0xad,          /* Host-Uniq */
	0x01, 0x04, 0x00, 0x08, 0x2d, 0x47, 0xa3, 0xf7, 0x85, 0x2f, 0xe6, 0xc9, /* AC-Cookie */
};

/* PADR (5.3): to the AC, code 0x19; in ng_pppoe's order Host-Uniq,
 * AC-Cookie and AC-Name returned, Service-Name. */
static const uint8_t PADR[] = {
	0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b, 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18, 0x88, 0x63,
	0x11, 0x19, 0x00, 0x00, 0x00, 0x20,
	0x01, 0x03, 0x00, 0x04, 0x2e, 0x15, 0xa4, 0xad,          /* Host-Uniq */
	0x01, 0x04, 0x00, 0x08, 0x2d, 0x47, 0xa3, 0xf7, 0x85, 0x2f, 0xe6, 0xc9, /* AC-Cookie */
	0x01, 0x02, 0x00, 0x04, 'b', 'r', 'a', 's',              /* AC-Name */
	0x01, 0x01, 0x00, 0x00,                                  /* Service-Name "" */
};

/* PADS (5.4): code 0x65, session id 1; Service-Name, Host-Uniq. */
static const uint8_t PADS[] = {
	0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18, 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b, 0x88, 0x63,
	0x11, 0x65, 0x00, 0x01, 0x00, 0x0c,
	0x01, 0x01, 0x00, 0x00,                                  /* Service-Name "" */
	0x01, 0x03, 0x00, 0x04, 0x2e, 0x15, 0xa4, 0xad,          /* Host-Uniq */
};

/* Session stage (section 6): ethertype 0x8864, code 0, session 1, the PPP
 * frame from its protocol field: an LCP Echo-Request, magic 0x01020304. */
static const uint8_t LCP_ECHO[] = { 0xc0, 0x21, 0x09, 0x01, 0x00, 0x08, 0x01, 0x02, 0x03, 0x04 };
static const uint8_t SESS_K7[] = {
	0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b, 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18, 0x88, 0x64,
	0x11, 0x00, 0x00, 0x01, 0x00, 0x0a,
	0xc0, 0x21, 0x09, 0x01, 0x00, 0x08, 0x01, 0x02, 0x03, 0x04,
};

/* PADT (5.5) from the host, with ng_pppoe's Generic-Error sign-off. */
static const uint8_t PADT_K7[] = {
	0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b, 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18, 0x88, 0x63,
	0x11, 0xa7, 0x00, 0x01, 0x00, 0x12,
	0x02, 0x03, 0x00, 0x0e, 's', 'e', 's', 's', 'i', 'o', 'n', ' ', 'c', 'l', 'o', 's', 'e',
	'd',
};

/* PADT from the AC: no tags. */
static const uint8_t PADT_BRAS[] = {
	0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18, 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b, 0x88, 0x63,
	0x11, 0xa7, 0x00, 0x01, 0x00, 0x00,
};

/* ---- the tag codec ---------------------------------------------------------- */

static void test_tags_roundtrip(void)
{
	uint8_t buf[64];
	size_t n = 0;
	const uint8_t uniq[3] = { 0xde, 0xad, 0x01 };

	n += pppoe_tag_put(buf + n, sizeof buf - n, PPPOE_TAG_SERVICE_NAME, NULL, 0);
	n += pppoe_tag_put(buf + n, sizeof buf - n, PPPOE_TAG_AC_NAME, "bras", 4);
	n += pppoe_tag_put(buf + n, sizeof buf - n, PPPOE_TAG_HOST_UNIQ, uniq, 3);
	static const uint8_t want[] = {
		0x01, 0x01, 0x00, 0x00, 0x01, 0x02, 0x00, 0x04, 'b', 'r', 'a', 's',
		0x01, 0x03, 0x00, 0x03, 0xde, 0xad, 0x01,
	};
	CU_ASSERT_TRUE(nt_same("tags", buf, n, want, sizeof want));

	struct pppoe_tag t[4];
	size_t err = 99;
	CU_ASSERT_EQUAL(pppoe_tags_decode(buf, n, t, 4, &err), 3);
	CU_ASSERT_EQUAL(err, 99);
	CU_ASSERT_EQUAL(t[0].type, PPPOE_TAG_SERVICE_NAME);
	CU_ASSERT_EQUAL(t[0].len, 0);
	CU_ASSERT_EQUAL(t[1].type, PPPOE_TAG_AC_NAME);
	CU_ASSERT_EQUAL(t[1].len, 4);
	CU_ASSERT_EQUAL(memcmp(t[1].value, "bras", 4), 0);
	CU_ASSERT_EQUAL(t[2].type, PPPOE_TAG_HOST_UNIQ);
	CU_ASSERT_EQUAL(t[2].len, 3);
	CU_ASSERT_PTR_EQUAL(t[2].value, buf + 16);
	/* Does not fit: nothing written. */
	CU_ASSERT_EQUAL(pppoe_tag_put(buf, 7, PPPOE_TAG_AC_NAME, "bras", 4), 0);
	CU_ASSERT_EQUAL(pppoe_tag_put(buf, 8, PPPOE_TAG_AC_NAME, "bras", 4), 8);
	CU_ASSERT_EQUAL(pppoe_tag_put(buf, 8, PPPOE_TAG_AC_NAME, NULL, 4), 0);
}

static void test_tags_malformed(void)
{
	struct pppoe_tag t[4];
	size_t err;

	/* Empty payload: no tags, no error. */
	err = 99;
	CU_ASSERT_EQUAL(pppoe_tags_decode((const uint8_t *)"", 0, t, 4, &err), 0);
	CU_ASSERT_EQUAL(err, 99);
	/* Second tag's header cut after 2 bytes: offset 4. */
	static const uint8_t cut_hdr[] = { 0x01, 0x01, 0x00, 0x00, 0x01, 0x02 };
	CU_ASSERT_EQUAL(pppoe_tags_decode(cut_hdr, sizeof cut_hdr, t, 4, &err), -1);
	CU_ASSERT_EQUAL(err, 4);
	/* Value runs past the end by one byte: offset of that tag, 4. */
	static const uint8_t long_val[] = { 0x01, 0x01, 0x00, 0x00, 0x01, 0x02, 0x00, 0x05,
		                            'b', 'r', 'a', 's' };
	CU_ASSERT_EQUAL(pppoe_tags_decode(long_val, sizeof long_val, t, 4, &err), -1);
	CU_ASSERT_EQUAL(err, 4);
	/* First tag claims 0xffff bytes: offset 0. */
	static const uint8_t huge[] = { 0x01, 0x03, 0xff, 0xff, 0xaa };
	CU_ASSERT_EQUAL(pppoe_tags_decode(huge, sizeof huge, t, 4, &err), -1);
	CU_ASSERT_EQUAL(err, 0);
	/* Odd lengths are fine; a third tag's lone byte is not. */
	static const uint8_t odd[] = { 0x01, 0x02, 0x00, 0x03, 'a', 'b', 'c',
		                       0x01, 0x03, 0x00, 0x01, 'x', 0x01 };
	CU_ASSERT_EQUAL(pppoe_tags_decode(odd, sizeof odd - 1, t, 4, &err), 2);
	CU_ASSERT_EQUAL(t[0].len, 3);
	CU_ASSERT_EQUAL(t[1].len, 1);
	CU_ASSERT_EQUAL(t[1].value[0], 'x');
	CU_ASSERT_EQUAL(pppoe_tags_decode(odd, sizeof odd, t, 4, &err), -1);
	CU_ASSERT_EQUAL(err, 12);
	/* End-Of-List ends the list: what follows is not looked at. */
	static const uint8_t eol[] = { 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		                       0xff, 0xff, 0xff };
	CU_ASSERT_EQUAL(pppoe_tags_decode(eol, sizeof eol, t, 4, &err), 1);
	/* More tags than room: the first `max` kept, the rest still checked. */
	static const uint8_t three[] = { 0x01, 0x01, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00,
		                         0x01, 0x03, 0x00, 0x00, 0x01, 0x04, 0x00, 0x09 };
	CU_ASSERT_EQUAL(pppoe_tags_decode(three, 12, t, 2, &err), 2);
	CU_ASSERT_EQUAL(t[1].type, PPPOE_TAG_AC_NAME);
	CU_ASSERT_EQUAL(pppoe_tags_decode(three, sizeof three, t, 2, &err), -1);
	CU_ASSERT_EQUAL(err, 12);
}

/* ---- a client and an AC on one Ethernet link ---------------------------------- */

struct events {
	int up, down, recv;
	char why[64];
	struct pppoe_session *s;       /* the client's session (up) */
	uint8_t last[64];
	size_t last_len;
	int ac_up, ac_down, ac_recv;
	struct pppoe_session *ac_s;    /* the AC's side of it */
	sim_time down_at;
};

struct lab {
	struct sim *sim;
	struct sim_iface *k7, *bras;
	struct nt_capture cap;
	struct events ev;
	struct pppoe_session *cl;
	struct pppoe_ac *ac;
};

static void cl_up(void *user, struct pppoe_session *s)
{
	struct events *e = user;
	e->up++;
	e->s = s;
}

static void cl_down(void *user, const char *why)
{
	struct events *e = user;
	e->down++;
	snprintf(e->why, sizeof e->why, "%s", why);
}

static void cl_recv(void *user, const uint8_t *ppp, size_t len)
{
	struct events *e = user;
	e->recv++;
	e->last_len = len < sizeof e->last ? len : sizeof e->last;
	memcpy(e->last, ppp, e->last_len);
}

static void ac_up(void *user, struct pppoe_session *s)
{
	struct events *e = user;
	e->ac_up++;
	e->ac_s = s;
}

static void ac_down(void *user, struct pppoe_session *s)
{
	struct events *e = user;
	e->ac_down++;
	if (e->ac_s == s)
		e->ac_s = NULL;
}

static void ac_recv(void *user, struct pppoe_session *s, const uint8_t *ppp, size_t len)
{
	struct events *e = user;
	(void)s;
	e->ac_recv++;
	e->last_len = len < sizeof e->last ? len : sizeof e->last;
	memcpy(e->last, ppp, e->last_len);
}

/* k7:sk0 -- bras:eth0, stacks ready, interfaces up without ND traffic. */
static void lab_init(struct lab *l, bool with_ac, const char *ac_service)
{
	memset(l, 0, sizeof *l);
	l->sim = sim_new(SEED, 0);
	struct sim_link *link = sim_link_add(l->sim, "adsl", LINK_ETHERNET);
	l->k7 = nt_node(l->sim, "k7", NODE_FREEBSD, "sk0", K7_MAC, link);
	l->bras = nt_node(l->sim, "bras", NODE_ISP, "eth0", BRAS_MAC, link);
	l->k7->flags |= SIM_IFF_UP | SIM_IFF_RUNNING;
	l->bras->flags |= SIM_IFF_UP | SIM_IFF_RUNNING;
	sim_link_tap(link, nt_tap, &l->cap);
	if (with_ac) {
		struct pppoe_ac_cb acb = { ac_up, ac_down, ac_recv, &l->ev };
		l->ac = pppoe_ac_start(l->bras, "bras", ac_service, &acb);
	}
}

static void lab_dial(struct lab *l, const char *service)
{
	struct pppoe_client_cb cb = { cl_up, cl_down, cl_recv, &l->ev };
	l->cl = pppoe_client_start(l->k7, service, &cb);
}

static void lab_free(struct lab *l)
{
	pppoe_client_stop(l->cl);
	pppoe_ac_stop(l->ac);
	sim_free(l->sim);
}

#define FRAME_IS(l, i, want) \
	CU_ASSERT_TRUE((i) < (l)->cap.n && \
	               nt_same(#want, (l)->cap.f[i].data, (l)->cap.f[i].len, want, sizeof want))

static void test_discovery(void)
{
	struct lab l;
	lab_init(&l, true, "");
	lab_dial(&l, "");
	CU_ASSERT_STRING_EQUAL(pppoe_session_state(l.cl), "padi-sent");
	sim_run_until(l.sim, 1 * SIM_S);
	CU_ASSERT_EQUAL(l.cap.n, 4);
	FRAME_IS(&l, 0, PADI);
	FRAME_IS(&l, 1, PADO);
	FRAME_IS(&l, 2, PADR);
	FRAME_IS(&l, 3, PADS);
	CU_ASSERT_EQUAL(l.ev.up, 1);
	CU_ASSERT_EQUAL(l.ev.ac_up, 1);
	CU_ASSERT_EQUAL(l.ev.down, 0);
	CU_ASSERT_PTR_EQUAL(l.ev.s, l.cl);
	CU_ASSERT_EQUAL(pppoe_session_id(l.cl), 1);
	CU_ASSERT_EQUAL(pppoe_session_id(l.ev.ac_s), 1);
	CU_ASSERT_STRING_EQUAL(pppoe_session_state(l.cl), "session");
	/* No retransmission once the session is up. */
	sim_run_until(l.sim, 100 * SIM_S);
	CU_ASSERT_EQUAL(l.cap.n, 4);
	lab_free(&l);
}

static void test_session_frames(void)
{
	struct lab l;
	lab_init(&l, true, "");
	lab_dial(&l, "");
	sim_run_until(l.sim, 1 * SIM_S);
	CU_ASSERT_FATAL(l.ev.ac_s != NULL);
	int n0 = l.cap.n;
	CU_ASSERT_EQUAL(pppoe_send(l.cl, LCP_ECHO, sizeof LCP_ECHO), 0);
	sim_run_until(l.sim, 2 * SIM_S);
	FRAME_IS(&l, n0, SESS_K7);
	CU_ASSERT_EQUAL(l.ev.ac_recv, 1);
	CU_ASSERT_TRUE(nt_same("ac got", l.ev.last, l.ev.last_len, LCP_ECHO, sizeof LCP_ECHO));

	/* The other way: an Echo-Reply from the AC's session. */
	static const uint8_t reply[] = { 0xc0, 0x21, 0x0a, 0x01, 0x00, 0x08, 0x0a, 0x0b, 0x0c, 0x0d };
	static const uint8_t sess_bras[] = {
		0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18, 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b, 0x88, 0x64,
		0x11, 0x00, 0x00, 0x01, 0x00, 0x0a,
		0xc0, 0x21, 0x0a, 0x01, 0x00, 0x08, 0x0a, 0x0b, 0x0c, 0x0d,
	};
	CU_ASSERT_EQUAL(pppoe_send(l.ev.ac_s, reply, sizeof reply), 0);
	sim_run_until(l.sim, 3 * SIM_S);
	FRAME_IS(&l, n0 + 1, sess_bras);
	CU_ASSERT_EQUAL(l.ev.recv, 1);
	CU_ASSERT_TRUE(nt_same("client got", l.ev.last, l.ev.last_len, reply, sizeof reply));

	/* A full-size frame fits (1494 = 1500 - 6), one more byte does not. */
	static uint8_t big[1495];
	CU_ASSERT_EQUAL(pppoe_send(l.cl, big, 1494), 0);
	CU_ASSERT_EQUAL(pppoe_send(l.cl, big, 1495), -1);
	lab_free(&l);
}

/* Session frames for someone else are not delivered: wrong session id,
 * wrong source, bad version, a length beyond the frame. */
static void test_session_filter(void)
{
	struct lab l;
	lab_init(&l, true, "");
	lab_dial(&l, "");
	sim_run_until(l.sim, 1 * SIM_S);
	uint8_t f[sizeof SESS_K7];

	memcpy(f, SESS_K7, sizeof f);
	f[17] = 2;                              /* session 2 */
	pppoe_input(l.bras, ETHERTYPE_PPPOE_SESS, f, sizeof f);
	memcpy(f, SESS_K7, sizeof f);
	f[11] = 0x19;                           /* another host */
	pppoe_input(l.bras, ETHERTYPE_PPPOE_SESS, f, sizeof f);
	memcpy(f, SESS_K7, sizeof f);
	f[14] = 0x21;                           /* version 2 */
	pppoe_input(l.bras, ETHERTYPE_PPPOE_SESS, f, sizeof f);
	memcpy(f, SESS_K7, sizeof f);
	f[19] = 0x0b;                           /* one byte more than carried */
	pppoe_input(l.bras, ETHERTYPE_PPPOE_SESS, f, sizeof f);
	for (size_t cut = 0; cut < 20; cut++)
		pppoe_input(l.bras, ETHERTYPE_PPPOE_SESS, SESS_K7, cut);
	CU_ASSERT_EQUAL(l.ev.ac_recv, 0);
	/* The real one, with Ethernet padding after it: padding dropped. */
	uint8_t padded[sizeof SESS_K7 + 4] = { 0 };
	memcpy(padded, SESS_K7, sizeof SESS_K7);
	pppoe_input(l.bras, ETHERTYPE_PPPOE_SESS, padded, sizeof padded);
	CU_ASSERT_EQUAL(l.ev.ac_recv, 1);
	CU_ASSERT_EQUAL(l.ev.last_len, sizeof LCP_ECHO);
	lab_free(&l);
}

static void test_padt_from_client(void)
{
	struct lab l;
	lab_init(&l, true, "");
	lab_dial(&l, "");
	sim_run_until(l.sim, 1 * SIM_S);
	int n0 = l.cap.n;
	pppoe_client_stop(l.cl);
	l.cl = NULL;
	CU_ASSERT_EQUAL(l.ev.down, 1);
	CU_ASSERT_STRING_EQUAL(l.ev.why, "Received NGM_PPPOE_CLOSE");
	sim_run_until(l.sim, 2 * SIM_S);
	FRAME_IS(&l, n0, PADT_K7);
	CU_ASSERT_EQUAL(l.ev.ac_down, 1);
	CU_ASSERT_PTR_NULL(l.ev.ac_s);
	lab_free(&l);
}

static void test_padt_from_ac(void)
{
	struct lab l;
	lab_init(&l, true, "");
	lab_dial(&l, "");
	sim_run_until(l.sim, 1 * SIM_S);
	int n0 = l.cap.n;
	pppoe_ac_close(l.ac, l.ev.ac_s);
	CU_ASSERT_EQUAL(l.ev.ac_down, 1);
	sim_run_until(l.sim, 2 * SIM_S);
	FRAME_IS(&l, n0, PADT_BRAS);
	CU_ASSERT_EQUAL(l.ev.down, 1);
	CU_ASSERT_STRING_EQUAL(l.ev.why, "Received NGM_PPPOE_CLOSE");
	CU_ASSERT_STRING_EQUAL(pppoe_session_state(l.cl), "dead");
	CU_ASSERT_EQUAL(pppoe_send(l.cl, LCP_ECHO, sizeof LCP_ECHO), -1);
	/* Stopping a dead session sends nothing and says nothing more. */
	pppoe_client_stop(l.cl);
	l.cl = NULL;
	sim_run_until(l.sim, 3 * SIM_S);
	CU_ASSERT_EQUAL(l.cap.n, n0 + 1);
	CU_ASSERT_EQUAL(l.ev.down, 1);

	/* Dial again: a new session, id 2. */
	lab_dial(&l, "");
	sim_run_until(l.sim, 4 * SIM_S);
	CU_ASSERT_EQUAL(l.ev.up, 2);
	CU_ASSERT_EQUAL(pppoe_session_id(l.cl), 2);
	lab_free(&l);
}

/* No AC: PADI at 0, 2, 6, 14 and 30 s (ng_pppoe's 2 s doubling), then down. */
static void test_no_ac(void)
{
	struct lab l;
	lab_init(&l, false, "");
	lab_dial(&l, "");
	sim_run_until(l.sim, 61 * SIM_S);
	CU_ASSERT_EQUAL(l.ev.down, 0);
	sim_run_until(l.sim, 62 * SIM_S);
	CU_ASSERT_EQUAL(l.ev.down, 1);
	CU_ASSERT_STRING_EQUAL(l.ev.why, "Received NGM_PPPOE_FAIL");
	CU_ASSERT_EQUAL(l.cap.n, PPPOE_MAX_TRIES);
	static const sim_time at[] = { 0, 2, 6, 14, 30 };
	for (int i = 0; i < l.cap.n && i < 5; i++) {
		CU_ASSERT_EQUAL(l.cap.f[i].at, at[i] * SIM_S);
		FRAME_IS(&l, i, PADI);
	}
	sim_run_until(l.sim, 200 * SIM_S);
	CU_ASSERT_EQUAL(l.cap.n, PPPOE_MAX_TRIES);
	CU_ASSERT_EQUAL(l.ev.down, 1);
	lab_free(&l);
}

/* An AC offering "internode": a PADI for another service is not answered,
 * one for any service gets both Service-Names in the PADO. */
static void test_service_name(void)
{
	struct lab l;
	lab_init(&l, true, "internode");
	lab_dial(&l, "other");
	sim_run_until(l.sim, 1 * SIM_S);
	CU_ASSERT_EQUAL(l.cap.n, 1);
	pppoe_client_stop(l.cl);
	l.cl = NULL;

	int n0 = l.cap.n;
	lab_dial(&l, "");
	sim_run_until(l.sim, 2 * SIM_S);
	CU_ASSERT_EQUAL(l.ev.up, 1);
	CU_ASSERT_FATAL(l.cap.n == n0 + 4);
	const struct nt_frame *pado = &l.cap.f[n0 + 1];
	struct pppoe_tag t[8];
	size_t err;
	int nt = pppoe_tags_decode(pado->data + 20, pado->len - 20, t, 8, &err);
	CU_ASSERT_EQUAL(nt, 5);
	if (nt == 5) {
		CU_ASSERT_EQUAL(t[1].type, PPPOE_TAG_SERVICE_NAME);
		CU_ASSERT_EQUAL(t[1].len, 0);
		CU_ASSERT_EQUAL(t[2].type, PPPOE_TAG_SERVICE_NAME);
		CU_ASSERT_EQUAL(t[2].len, 9);
		CU_ASSERT_EQUAL(memcmp(t[2].value, "internode", 9), 0);
	}
	lab_free(&l);
}

/* A PADR the AC refuses: session id 0 and Service-Name-Error; the client
 * gives up. The PADR is injected: a real client only asks what was offered. */
static void test_pads_refused(void)
{
	struct lab l;
	lab_init(&l, true, "internode");
	static const uint8_t padr_other[] = {
		0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b, 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18, 0x88, 0x63,
		0x11, 0x19, 0x00, 0x00, 0x00, 0x17,
		0x01, 0x03, 0x00, 0x00,                                  /* Host-Uniq "" */
		0x01, 0x04, 0x00, 0x08, 0x2d, 0x47, 0xa3, 0xf7, 0x85, 0x2f, 0xe6, 0xc9,
		0x01, 0x01, 0x00, 0x03, 'f', 'o', 'o',                   /* Service-Name */
	};
	static const uint8_t pads_err[] = {
		0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18, 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b, 0x88, 0x63,
		0x11, 0x65, 0x00, 0x00, 0x00, 0x08,
		0x02, 0x01, 0x00, 0x00,                                  /* Service-Name-Error */
		0x01, 0x03, 0x00, 0x00,                                  /* Host-Uniq */
	};
	pppoe_input(l.bras, ETHERTYPE_PPPOE_DISC, padr_other, sizeof padr_other);
	sim_run_until(l.sim, 1 * SIM_S);
	FRAME_IS(&l, 0, pads_err);
	CU_ASSERT_EQUAL(l.ev.ac_up, 0);
	/* A wrong cookie is not ours: no answer at all. */
	uint8_t bad[sizeof padr_other];
	memcpy(bad, padr_other, sizeof bad);
	bad[31] ^= 1;
	pppoe_input(l.bras, ETHERTYPE_PPPOE_DISC, bad, sizeof bad);
	sim_run_until(l.sim, 2 * SIM_S);
	CU_ASSERT_EQUAL(l.cap.n, 1);
	lab_free(&l);
}

/* The PADS is lost: the client resends its PADR after 2 s and the AC
 * answers with the same session rather than a second one. */
static void test_padr_resent(void)
{
	struct lab l;
	lab_init(&l, true, "");
	sim_link_find(l.sim, "adsl")->delay = SIM_MS;
	lab_dial(&l, "");
	/* PADI arrives at 1 ms, PADO at 2, PADR at 3, PADS at 4: take k7 off
	 * the wire before the PADS arrives. */
	sim_run_until(l.sim, 3500 * SIM_US);
	CU_ASSERT_EQUAL(l.cap.n, 4);
	l.k7->flags &= ~(uint32_t)SIM_IFF_UP;
	sim_run_until(l.sim, 1 * SIM_S);
	CU_ASSERT_EQUAL(l.ev.ac_up, 1);
	CU_ASSERT_EQUAL(l.ev.up, 0);
	l.k7->flags |= SIM_IFF_UP;
	sim_run_until(l.sim, 3 * SIM_S);
	CU_ASSERT_EQUAL(l.ev.up, 1);
	CU_ASSERT_EQUAL(l.ev.ac_up, 1);
	CU_ASSERT_EQUAL(pppoe_session_id(l.cl), 1);
	/* The PADR, sent at 2 ms, again 2 s later; the same PADS back. */
	CU_ASSERT_EQUAL(l.cap.n, 6);
	if (l.cap.n == 6) {
		CU_ASSERT_EQUAL(l.cap.f[4].at, 2 * SIM_S + 2 * SIM_MS);
		FRAME_IS(&l, 4, PADR);
		FRAME_IS(&l, 5, PADS);
	}
	lab_free(&l);
}

/* Garbage on the discovery ethertype never crashes and never answers. */
static void test_disc_malformed(void)
{
	struct lab l;
	lab_init(&l, true, "");
	uint8_t f[sizeof PADI];
	for (size_t cut = 0; cut <= sizeof PADI; cut++)
		pppoe_input(l.bras, ETHERTYPE_PPPOE_DISC, PADI, cut);
	sim_run_until(l.sim, 1 * SIM_S);
	/* Only the whole PADI is answered (it has no Host-Uniq match to check). */
	CU_ASSERT_EQUAL(l.cap.n, 1);
	memcpy(f, PADI, sizeof f);
	f[19] = 0x0d;                 /* length one past the frame */
	pppoe_input(l.bras, ETHERTYPE_PPPOE_DISC, f, sizeof f);
	memcpy(f, PADI, sizeof f);
	f[23] = 0x20;                 /* Service-Name runs past the payload */
	pppoe_input(l.bras, ETHERTYPE_PPPOE_DISC, f, sizeof f);
	memcpy(f, PADI, sizeof f);
	f[16] = 0x01;                 /* a PADI must have session id 0 */
	pppoe_input(l.bras, ETHERTYPE_PPPOE_DISC, f, sizeof f);
	memcpy(f, PADI, sizeof f);
	f[20] = 0x02;                 /* no Service-Name at all */
	pppoe_input(l.bras, ETHERTYPE_PPPOE_DISC, f, sizeof f);
	sim_run_until(l.sim, 2 * SIM_S);
	CU_ASSERT_EQUAL(l.cap.n, 1);
	CU_ASSERT_TRUE(l.bras->ierrors >= 2);
	lab_free(&l);
}

/* ---- the printer against tcpdump 4.99.3 ------------------------------------ */

static void line_is(const uint8_t *pkt, size_t len, bool with_link, const char *want)
{
	char buf[512];
	trace_format(buf, sizeof buf, TRACE_DLT_EN10MB, pkt, len, with_link);
	CU_ASSERT_STRING_EQUAL(buf, want);
	if (strcmp(buf, want) != 0)
		fprintf(stderr, "\n got: %s\nwant: %s\n", buf, want);
}

static void test_print(void)
{
	line_is(PADI, sizeof PADI, false, "PPPoE PADI [Service-Name] [Host-Uniq 0x2E15A4AD]");
	line_is(PADO, sizeof PADO, false,
	        "PPPoE PADO [AC-Name \"bras\"] [Service-Name] [Host-Uniq 0x2E15A4AD] "
	        "[AC-Cookie 0x2D47A3F7852FE6C9]");
	line_is(PADR, sizeof PADR, false,
	        "PPPoE PADR [Host-Uniq 0x2E15A4AD] [AC-Cookie 0x2D47A3F7852FE6C9] "
	        "[AC-Name \"bras\"] [Service-Name]");
	line_is(PADS, sizeof PADS, false, "PPPoE PADS [ses 0x1] [Service-Name] [Host-Uniq 0x2E15A4AD]");
	line_is(PADT_K7, sizeof PADT_K7, false,
	        "PPPoE PADT [ses 0x1] [Generic-Error \"session closed\"]");
	line_is(PADT_BRAS, sizeof PADT_BRAS, false, "PPPoE PADT [ses 0x1]");
	line_is(SESS_K7, sizeof SESS_K7, false,
	        "PPPoE  [ses 0x1] LCP, Echo-Request (0x09), id 1, length 10");
	line_is(PADI, sizeof PADI, true,
	        "00:0f:ea:2c:d5:18 > ff:ff:ff:ff:ff:ff, ethertype PPPoE D (0x8863), length 32: "
	        "PPPoE PADI [Service-Name] [Host-Uniq 0x2E15A4AD]");
}

/* Cut captures and lying lengths, as tcpdump printed them. */
static void test_print_malformed(void)
{
	char buf[512];
	/* PADO captured short, inside the AC-Cookie value (tcpdump -s 49). */
	trace_format_snap(buf, sizeof buf, TRACE_DLT_EN10MB, PADO, sizeof PADO - 3, sizeof PADO,
	                  false);
	CU_ASSERT_STRING_EQUAL(buf, "PPPoE PADO [AC-Name \"bras\"] [Service-Name] "
	                            "[Host-Uniq 0x2E15A4AD] [|pppoe]");
	/* Header says 0x30 bytes, the frame has 0x20. */
	uint8_t f[sizeof PADO];
	memcpy(f, PADO, sizeof f);
	f[19] = 0x30;
	line_is(f, sizeof f, false,
	        "PPPoE PADO [len 48 > 32!] [AC-Name \"bras\"] [Service-Name] "
	        "[Host-Uniq 0x2E15A4AD] [AC-Cookie 0x2D47A3F7852FE6C9]");
	/* Version 2, unknown code 0x42. */
	memcpy(f, PADO, sizeof f);
	f[14] = 0x21;
	f[15] = 0x42;
	line_is(f, sizeof f, false,
	        " [ver 2]PPPoE PAD-42 [AC-Name \"bras\"] [Service-Name] [Host-Uniq 0x2E15A4AD] "
	        "[AC-Cookie 0x2D47A3F7852FE6C9]");
	/* Every cut length decodes without reading past the end (ASan watches),
	 * and a frame cut inside the PPPoE part says so: "[|..." when a field is
	 * cut, "[len N > M!]" when the header's length is more than is there. */
	for (size_t cut = 0; cut <= sizeof PADO; cut++) {
		trace_format(buf, sizeof buf, TRACE_DLT_EN10MB, PADO, cut, false);
		if (cut >= 20 && cut < sizeof PADO)
			CU_ASSERT_TRUE(strstr(buf, "[|") || strstr(buf, "[len "));
	}
	for (size_t cut = 0; cut <= sizeof SESS_K7; cut++) {
		trace_format(buf, sizeof buf, TRACE_DLT_EN10MB, SESS_K7, cut, false);
		if (cut >= 20 && cut < sizeof SESS_K7)
			CU_ASSERT_TRUE(strstr(buf, "[|") || strstr(buf, "[len "));
	}
}

int suite_pppoe(void)
{
	CU_pSuite s = CU_add_suite("pppoe", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "tags_roundtrip", test_tags_roundtrip) ||
	    !CU_add_test(s, "tags_malformed", test_tags_malformed) ||
	    !CU_add_test(s, "discovery", test_discovery) ||
	    !CU_add_test(s, "session_frames", test_session_frames) ||
	    !CU_add_test(s, "session_filter", test_session_filter) ||
	    !CU_add_test(s, "padt_from_client", test_padt_from_client) ||
	    !CU_add_test(s, "padt_from_ac", test_padt_from_ac) ||
	    !CU_add_test(s, "no_ac", test_no_ac) ||
	    !CU_add_test(s, "service_name", test_service_name) ||
	    !CU_add_test(s, "pads_refused", test_pads_refused) ||
	    !CU_add_test(s, "padr_resent", test_padr_resent) ||
	    !CU_add_test(s, "disc_malformed", test_disc_malformed) ||
	    !CU_add_test(s, "print", test_print) ||
	    !CU_add_test(s, "print_malformed", test_print_malformed))
		return -1;
	return 0;
}
