/*
 * `at TIME replay FILE on LINK [filter "EXPR"]`: the parser takes the
 * line apart and refuses broken ones with the exact message a user sees;
 * validation refuses a capture that is missing, not a capture, of a link
 * type the link does not carry, truncated (naming the packet and its file
 * offset) or cut by a short snap length; the runner's injections reach
 * the link at the recorded relative times, seen by the taps with no
 * sender and delivered like a sent frame; a filter keeps only what it
 * selects; and in a whole run a simulated node answers replayed packets.
 *
 * The captures are written here byte by byte (classic pcap, little
 * endian), not with libpcap, so offsets and times are known independently
 * of the reader under test.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pktbuild.h"
#include "scenario/replay.h"
#include "scenario/scenario.h"

int suite_replay(void);

static struct scn_diag diag;
static char tmpdir[64];

/* ---- captures written by hand ------------------------------------------ */

struct rec {
	uint32_t sec, frac;       /* frac: micro- or nanoseconds */
	const uint8_t *data;
	uint32_t caplen, len;     /* len 0: same as caplen */
};

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A pcap file (24-byte header, then 16-byte record headers); `cut` bytes
 * are left off the end. */
static void write_pcap(const char *path, uint32_t linktype, bool nano, const struct rec *r,
                       size_t n, size_t cut)
{
	uint8_t buf[8192];
	size_t len = 24;

	memset(buf, 0, 24);
	le32(buf, nano ? 0xa1b23c4d : 0xa1b2c3d4);
	buf[4] = 2;  /* version 2.4 */
	buf[6] = 4;
	le32(buf + 16, 65535);
	le32(buf + 20, linktype);
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_FATAL(len + 16 + r[i].caplen <= sizeof buf);
		le32(buf + len, r[i].sec);
		le32(buf + len + 4, r[i].frac);
		le32(buf + len + 8, r[i].caplen);
		le32(buf + len + 12, r[i].len ? r[i].len : r[i].caplen);
		memcpy(buf + len + 16, r[i].data, r[i].caplen);
		len += 16 + r[i].caplen;
	}
	CU_ASSERT_FATAL(cut <= len);
	FILE *f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(buf, 1, len - cut, f), len - cut);
	fclose(f);
}

static const char *tmp(const char *name)
{
	static char paths[8][128];
	static int next;
	char *p = paths[next++ % 8];
	snprintf(p, 128, "%s/%s", tmpdir, name);
	return p;
}

static const uint8_t MAC_A[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
static const uint8_t MAC_X[6] = { 0x52, 0x54, 0x00, 0x6c, 0x61, 0x01 }; /* not simulated */

/* An Ethernet frame dst <- MAC_X of `len` bytes with EtherType `type`. */
static void eth(uint8_t *out, const uint8_t dst[6], uint16_t type, size_t len, uint8_t fill)
{
	memset(out, fill, len);
	memcpy(out, dst, 6);
	memcpy(out + 6, MAC_X, 6);
	out[12] = (uint8_t)(type >> 8);
	out[13] = (uint8_t)type;
}

/* ---- parsing ----------------------------------------------------------- */

static struct scn *parse_text(const char *text)
{
	memset(&diag, 0, sizeof diag);
	return scn_parse("t.scn", tmpdir, text, strlen(text), &diag);
}

static struct scn *load_text(const char *text)
{
	struct scn *s = parse_text(text);
	if (s && scn_validate(s, &diag) < 0) {
		scn_free(s);
		return NULL;
	}
	return s;
}

static void check_error(const char *text, const char *want)
{
	struct scn *s = load_text(text);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_STRING_EQUAL(diag.msg, want);
	if (strcmp(diag.msg, want) != 0)
		fprintf(stderr, "\n  want: %s\n  got:  %s\n", want, diag.msg);
	scn_free(s);
}

#define HEAD "node k7 freebsd\nnode gw router\nlink lan ethernet k7:sk0 gw:em0\n" \
             "link wan p2p gw:ppp0 k7:ppp1\n"

static void test_parse_good(void)
{
	uint8_t f[60];
	eth(f, MAC_A, 0x86dd, sizeof f, 0);
	struct rec r[] = { { 10, 0, f, sizeof f, 0 } };
	write_pcap(tmp("one.pcap"), 1, false, r, 1, 0);

	struct scn *s = load_text(HEAD "at 1s k7# ifconfig\n"
	                          "at 2s replay one.pcap on lan filter \"ip6\"   # a comment\n"
	                          "at +1s replay \"one.pcap\" on lan\n"
	                          "expect within 1s packet on lan \"ip6\"\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->nats, 3);
	const struct scn_at *a = &s->ats[1], *b = &s->ats[2];
	CU_ASSERT_EQUAL(a->time, 2 * SIM_S);
	CU_ASSERT_STRING_EQUAL(a->replay, "one.pcap");
	CU_ASSERT_STRING_EQUAL(a->link, "lan");
	CU_ASSERT_STRING_EQUAL(a->filter, "ip6");
	CU_ASSERT_PTR_NULL(a->cmd);
	CU_ASSERT_EQUAL(a->file_pos.line, 6);
	CU_ASSERT_EQUAL(a->file_pos.col, 14);
	CU_ASSERT_EQUAL(a->filter_pos.col, 37);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a->packets);
	CU_ASSERT_EQUAL(a->packets->n, 1);
	CU_ASSERT_EQUAL(a->packets->dlt, DLT_EN10MB);
	CU_ASSERT_EQUAL(b->time, 3 * SIM_S);
	CU_ASSERT_STRING_EQUAL(b->replay, "one.pcap");
	CU_ASSERT_PTR_NULL(b->filter);
	/* The window of the expectation after a replay starts at its time. */
	CU_ASSERT_EQUAL(s->expects[0].start, 3 * SIM_S);
	scn_free(s);
}

static void test_parse_errors(void)
{
	check_error(HEAD "at 1s replay\n", "t.scn:5:13: missing capture file after 'replay'");
	check_error(HEAD "at 1s replay x.pcap\n",
	            "t.scn:5:20: expected 'on LINK' after the capture file");
	check_error(HEAD "at 1s replay x.pcap lan\n",
	            "t.scn:5:21: expected 'on LINK' after the capture file");
	check_error(HEAD "at 1s replay x.pcap on\n", "t.scn:5:23: missing link name");
	check_error(HEAD "at 1s replay x.pcap on l@n\n", "t.scn:5:24: invalid link name 'l@n'");
	check_error(HEAD "at 1s replay x.pcap on lan filter\n",
	            "t.scn:5:34: missing pcap filter (a \"quoted string\")");
	check_error(HEAD "at 1s replay x.pcap on lan filter ip6\n",
	            "t.scn:5:35: expected pcap filter as a \"quoted string\"");
	check_error(HEAD "at 1s replay x.pcap on lan filter \"ip6\" filter \"arp\"\n",
	            "t.scn:5:41: 'filter' is given twice");
	check_error(HEAD "at 1s replay x.pcap on lan at 2s\n", "t.scn:5:28: unexpected 'at'");
	check_error(HEAD "at 1s replay \"\" on lan\n", "t.scn:5:14: empty capture file name");
	check_error(HEAD "at 1s replay \"x.pcap on lan\n",
	            "t.scn:5:14: unterminated string (no closing \")");
	/* Times go forward across replay steps like any `at`. */
	check_error(HEAD "at 5s replay x.pcap on lan\nat 4s k7# ifconfig\n",
	            "t.scn:6:4: time 4s is before the previous 'at' (5s on line 5)");
}

/* ---- validation ---------------------------------------------------------- */

static void test_validate_errors(void)
{
	uint8_t f[60], ip[40];
	char want[512];
	eth(f, MAC_A, 0x86dd, sizeof f, 0);
	memset(ip, 0, sizeof ip);
	ip[0] = 0x60;
	struct rec two[] = { { 10, 0, f, sizeof f, 0 }, { 10, 500, f, sizeof f, 0 } };
	write_pcap(tmp("eth.pcap"), 1, false, two, 2, 0);
	struct rec raw[] = { { 10, 0, ip, sizeof ip, 0 } };
	write_pcap(tmp("raw.pcap"), 101, false, raw, 1, 0);

	check_error(HEAD "at 1s replay eth.pcap on nowhere\n",
	            "t.scn:5:26: unknown link 'nowhere' (no 'link nowhere' line)");
	snprintf(want, sizeof want,
	         "t.scn:5:14: cannot read capture 'nope.pcap': nope.pcap: %s", strerror(ENOENT));
	check_error(HEAD "at 1s replay nope.pcap on lan\n", want);
	check_error(HEAD "at 1s replay raw.pcap on lan\n",
	            "t.scn:5:14: capture 'raw.pcap' has link type RAW (Raw IP); ethernet link "
	            "'lan' carries EN10MB (Ethernet)");
	check_error(HEAD "at 1s replay eth.pcap on wan\n",
	            "t.scn:5:14: capture 'eth.pcap' has link type EN10MB (Ethernet); p2p link "
	            "'wan' carries RAW (Raw IP)");
	/* Filters compile for the capture's link type, and must keep something. */
	check_error(HEAD "at 1s replay eth.pcap on lan filter \"ip6 and\"\n",
	            "t.scn:5:37: invalid filter for capture 'eth.pcap' (EN10MB): "
	            "can't parse filter expression: syntax error");
	check_error(HEAD "at 1s replay eth.pcap on lan filter \"arp\"\n",
	            "t.scn:5:37: no packet of capture 'eth.pcap' matches the filter");
	write_pcap(tmp("empty.pcap"), 1, false, two, 0, 0);
	check_error(HEAD "at 1s replay empty.pcap on lan\n",
	            "t.scn:5:14: capture 'empty.pcap' holds no packet");

	/* Not a capture at all. */
	FILE *t = fopen(tmp("text.pcap"), "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	fputs("this is not a capture, just some text\n", t);
	fclose(t);
	check_error(HEAD "at 1s replay text.pcap on lan\n",
	            "t.scn:5:14: cannot read capture 'text.pcap': unknown file format");
}

/* Damaged captures name the packet and where its record starts. */
static void test_truncated(void)
{
	uint8_t f[60];
	eth(f, MAC_A, 0x86dd, sizeof f, 0);
	struct rec two[] = { { 10, 0, f, sizeof f, 0 }, { 10, 500, f, sizeof f, 0 } };
	const char *head = HEAD "at 1s replay cut.pcap on lan\n";
	char prefix[128];
	/* Packet #2's record starts after the file header and packet #1. */
	snprintf(prefix, sizeof prefix, "t.scn:5:14: capture 'cut.pcap': packet #2, offset %d: ",
	         24 + 16 + 60);

	/* Cut in the second packet's data, then in its record header. */
	size_t cuts[] = { 10, 16 + 60 - 7 };
	for (size_t i = 0; i < 2; i++) {
		write_pcap(tmp("cut.pcap"), 1, false, two, 2, cuts[i]);
		struct scn *s = load_text(head);
		CU_ASSERT_PTR_NULL(s);
		scn_free(s);
		CU_ASSERT_NSTRING_EQUAL(diag.msg, prefix, strlen(prefix));
		CU_ASSERT_PTR_NOT_NULL(strstr(diag.msg, "truncated"));
		if (strncmp(diag.msg, prefix, strlen(prefix)) != 0)
			fprintf(stderr, "\n  want: %s...\n  got:  %s\n", prefix, diag.msg);
	}

	/* Recorded with a short snap length: 60 of 118 bytes kept. */
	struct rec snap[] = { { 10, 0, f, sizeof f, 0 }, { 11, 0, f, sizeof f, 118 } };
	write_pcap(tmp("snap.pcap"), 1, false, snap, 2, 0);
	check_error(HEAD "at 1s replay snap.pcap on lan\n",
	            "t.scn:5:14: capture 'snap.pcap': packet #2, offset 100: only 60 of its 118 "
	            "bytes were captured (snap length too short to replay it)");

	/* An Ethernet record too short for its header. */
	struct rec tiny[] = { { 10, 0, f, 9, 0 } };
	write_pcap(tmp("tiny.pcap"), 1, false, tiny, 1, 0);
	check_error(HEAD "at 1s replay tiny.pcap on lan\n",
	            "t.scn:5:14: capture 'tiny.pcap': packet #1, offset 24: 9 bytes, shorter than "
	            "an Ethernet header");
}

/* ---- injection ------------------------------------------------------------ */

struct seen {
	sim_time at[16];
	const struct sim_iface *from[16];
	uint8_t last_byte[16];
	size_t len[16];
	int n;
};

static void tap(void *user, const struct sim_frame_info *f)
{
	struct seen *w = user;
	if (w->n < 16) {
		w->at[w->n] = f->time;
		w->from[w->n] = f->from;
		w->len[w->n] = f->len;
		w->last_byte[w->n] = f->data[f->len - 1];
	}
	w->n++;
}

static struct {
	const struct sim_iface *ifp[16];
	sim_time at[16];
	int n;
} rx;

static void rx_input(struct sim_iface *ifp, struct pbuf *frame)
{
	(void)frame;
	if (rx.n < 16) {
		rx.ifp[rx.n] = ifp;
		rx.at[rx.n] = ifp->node->sim->now;
	}
	rx.n++;
}

static struct sim_iface *host(struct sim *sim, const char *name, struct sim_link *l,
                              const uint8_t *mac)
{
	struct sim_node *n = sim_node_add(sim, name, NODE_HOST);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	struct sim_iface *ifp = sim_iface_add(n, "em0", mac);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ifp);
	ifp->flags |= SIM_IFF_UP | SIM_IFF_RUNNING;
	ifp->input = rx_input;
	CU_ASSERT_EQUAL(sim_link_attach(l, ifp), 0);
	return ifp;
}

/* Three frames recorded at 1000 s + 0, 0.25 s and 1.5 s, replayed from 2 s:
 * on the wire at 2 s, 2.25 s, 3.5 s; received after the link's delay, by
 * the owner of the destination MAC, and by everyone for broadcast. */
static void test_inject_times(void)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t f1[60], f2[70], f3[80];
	eth(f1, MAC_A, 0x86dd, sizeof f1, 1);
	eth(f2, bcast, 0x0806, sizeof f2, 2);
	eth(f3, MAC_A, 0x86dd, sizeof f3, 3);
	struct rec r[] = { { 1000, 0, f1, sizeof f1, 0 },
		           { 1000, 250000, f2, sizeof f2, 0 },
		           { 1001, 500000, f3, sizeof f3, 0 } };
	write_pcap(tmp("times.pcap"), 1, false, r, 3, 0);
	struct scn_replay *rp = NULL;
	char err[512];
	CU_ASSERT_EQUAL_FATAL(scn_replay_load(tmp("times.pcap"), "times.pcap", LINK_ETHERNET, "lan",
	                                      NULL, &rp, err, sizeof err), REPLAY_OK);
	CU_ASSERT_EQUAL_FATAL(rp->n, 3);
	CU_ASSERT_EQUAL(scn_replay_span(rp), 1500 * SIM_MS);

	struct sim *sim = sim_new(1, 0);
	struct sim_link *lan = sim_link_add(sim, "lan", LINK_ETHERNET);
	lan->delay = 7 * SIM_US;
	struct sim_iface *a = host(sim, "a", lan, MAC_A);
	struct sim_iface *b = host(sim, "b", lan, NULL);
	struct seen w = { .n = 0 };
	sim_link_tap(lan, tap, &w);
	memset(&rx, 0, sizeof rx);
	struct scn_replay_run run = { rp, lan };
	scn_replay_schedule(&run, sim, 2 * SIM_S);
	sim_run_until(sim, 10 * SIM_S);

	CU_ASSERT_EQUAL_FATAL(w.n, 3);
	CU_ASSERT_EQUAL(w.at[0], 2 * SIM_S);
	CU_ASSERT_EQUAL(w.at[1], 2250 * SIM_MS);
	CU_ASSERT_EQUAL(w.at[2], 3500 * SIM_MS);
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_PTR_NULL(w.from[i]);
		CU_ASSERT_EQUAL(w.last_byte[i], i + 1);
	}
	CU_ASSERT_EQUAL(w.len[2], 80);
	CU_ASSERT_EQUAL_FATAL(rx.n, 4);
	CU_ASSERT_PTR_EQUAL(rx.ifp[0], a);
	CU_ASSERT_EQUAL(rx.at[0], 2 * SIM_S + 7 * SIM_US);
	CU_ASSERT_PTR_EQUAL(rx.ifp[1], a); /* broadcast: both, in attachment order */
	CU_ASSERT_PTR_EQUAL(rx.ifp[2], b);
	CU_ASSERT_EQUAL(rx.at[2], 2250 * SIM_MS + 7 * SIM_US);
	CU_ASSERT_PTR_EQUAL(rx.ifp[3], a);
	CU_ASSERT_EQUAL(b->ipackets, 1);
	CU_ASSERT_EQUAL(sim->pool.in_use, 0);
	sim_free(sim);
	scn_replay_free(rp);
}

/* A filter keeps what it selects; times are relative to the first kept.
 * Nanosecond captures keep their nanoseconds; a stamp that goes back is
 * sent with the one before it. Raw IP on a p2p link reaches both ends. */
static void test_filter_and_raw(void)
{
	uint8_t f1[60], f2[60], f3[60];
	eth(f1, MAC_A, 0x0806, sizeof f1, 1);
	eth(f2, MAC_A, 0x86dd, sizeof f2, 2);
	eth(f3, MAC_A, 0x86dd, sizeof f3, 3);
	struct rec r[] = { { 5, 0, f1, sizeof f1, 0 },
		           { 5, 100, f2, sizeof f2, 0 },
		           { 5, 300, f3, sizeof f3, 0 } };
	write_pcap(tmp("mixed.pcap"), 1, false, r, 3, 0);
	struct scn_replay *rp = NULL;
	char err[512];
	CU_ASSERT_EQUAL_FATAL(scn_replay_load(tmp("mixed.pcap"), "mixed.pcap", LINK_ETHERNET, "lan",
	                                      "ether proto 0x86dd", &rp, err, sizeof err),
	                      REPLAY_OK);
	CU_ASSERT_EQUAL_FATAL(rp->n, 2);
	CU_ASSERT_EQUAL(rp->pkts[0].num, 2);
	CU_ASSERT_EQUAL(rp->pkts[0].rel, 0);
	CU_ASSERT_EQUAL(rp->pkts[1].num, 3);
	CU_ASSERT_EQUAL(rp->pkts[1].rel, 200 * SIM_US);
	CU_ASSERT_EQUAL(rp->pkts[1].data[59], 3);
	scn_replay_free(rp);

	/* Raw IPv6, nanosecond stamps; the third goes back in time. */
	uint8_t ip[48];
	memset(ip, 0, sizeof ip);
	ip[0] = 0x60;
	struct rec raw[] = { { 7, 5, ip, sizeof ip, 0 },
		             { 7, 1000000, ip, 40, 0 },
		             { 7, 900000, ip, 44, 0 } };
	write_pcap(tmp("raw.pcap"), 101, true, raw, 3, 0);
	CU_ASSERT_EQUAL_FATAL(scn_replay_load(tmp("raw.pcap"), "raw.pcap", LINK_P2P, "wan", NULL,
	                                      &rp, err, sizeof err), REPLAY_OK);
	CU_ASSERT_EQUAL_FATAL(rp->n, 3);
	CU_ASSERT_EQUAL(rp->pkts[1].rel, 999995);
	CU_ASSERT_EQUAL(rp->pkts[2].rel, 999995);

	struct sim *sim = sim_new(1, 0);
	struct sim_link *wan = sim_link_add(sim, "wan", LINK_P2P);
	struct sim_iface *a = host(sim, "a", wan, NULL);
	struct sim_iface *b = host(sim, "b", wan, NULL);
	memset(&rx, 0, sizeof rx);
	struct scn_replay_run run = { rp, wan };
	scn_replay_schedule(&run, sim, SIM_S);
	sim_run_until(sim, 2 * SIM_S);
	CU_ASSERT_EQUAL(rx.n, 6);
	CU_ASSERT_EQUAL(a->ipackets, 3);
	CU_ASSERT_EQUAL(b->ipackets, 3);
	CU_ASSERT_EQUAL(rx.at[2], SIM_S + 999995);
	CU_ASSERT_EQUAL(sim->pool.in_use, 0);
	sim_free(sim);
	scn_replay_free(rp);
}

/* ---- a whole run: a simulated node answers replayed packets ---------------- */

/* An echo request from fd00::100 (MAC_X) to fd00::18 (MAC_A), preceded by
 * its neighbour solicitation with the sender's link-layer address. */
static size_t echo_request(uint8_t *out, uint16_t seq)
{
	static const uint8_t payload[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct pb_ip6 ip = { .src = "fd00::100", .dst = "fd00::18", .hlim = 64 };
	struct pb_l4 l4 = { .proto = 58, .type = 128, .word = 0x1234u << 16 | seq,
		            .payload = payload, .payload_len = sizeof payload };
	size_t n = pb_ip6(out + 14, PB_MAX - 14, &ip, &l4);
	eth(out, MAC_A, 0x86dd, 14, 0);
	return n ? n + 14 : 0;
}

static size_t neighbour_solicitation(uint8_t *out)
{
	static const uint8_t sn_mac[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x18 };
	uint8_t body[28]; /* reserved, target, SLLA option */
	memset(body, 0, sizeof body);
	pb_addr6("fd00::18", body + 4);
	body[20] = 1;
	body[21] = 1;
	memcpy(body + 22, MAC_X, 6);
	struct pb_ip6 ip = { .src = "fd00::100", .dst = "ff02::1:ff00:18", .hlim = 255 };
	struct pb_l4 l4 = { .proto = 58, .type = 135, .payload = body + 4,
		            .payload_len = sizeof body - 4 };
	size_t n = pb_ip6(out + 14, PB_MAX - 14, &ip, &l4);
	eth(out, sn_mac, 0x86dd, 14, 0);
	return n ? n + 14 : 0;
}

static void test_run_answers(void)
{
	static uint8_t ns[PB_MAX], e1[PB_MAX], e2[PB_MAX];
	size_t nns = neighbour_solicitation(ns), n1 = echo_request(e1, 1), n2 = echo_request(e2, 2);
	CU_ASSERT_FATAL(nns && n1 && n2);
	struct rec r[] = { { 100, 0, ns, (uint32_t)nns, 0 },
		           { 100, 50, e1, (uint32_t)n1, 0 },
		           { 101, 50, e2, (uint32_t)n2, 0 } };
	write_pcap(tmp("echo.pcap"), 1, false, r, 3, 0);

	/* DAD of k7's address takes about a second: replay after it. */
	struct scn *s = load_text("node k7 freebsd\n"
	                          "link lan ethernet k7:sk0\n"
	                          "iface k7:sk0 ether 00:0f:ea:2c:d5:18 inet6 fd00::18/64\n"
	                          "at 5s replay echo.pcap on lan\n"
	                          "expect within 10ms packet on lan \"icmp6 and ip6[40] == 136\" "
	                          "from k7:sk0\n"
	                          "expect within 2s packet on lan \"icmp6 and ip6[40] == 129 and "
	                          "ip6[24:4] == 0xfd000000 and ip6[36:4] == 0x100\" count 2 "
	                          "from k7:sk0\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	FILE *out = fopen("/dev/null", "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	struct scn_run_opts o = { .out = out, .quiet = true, .out_dir = tmpdir };
	CU_ASSERT_EQUAL(scn_run(s, &o, &diag), SCN_EXIT_PASS);
	fclose(out);
	scn_free(s);

	/* The link's capture holds the replayed frames as they were recorded,
	 * at 5 s, 5.00005 s and 6.00005 s after the start. */
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(tmp("lan.pcap"), err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	struct pcap_pkthdr *h;
	const u_char *d;
	int found = 0;
	while (pcap_next_ex(p, &h, &d) == 1) {
		for (int i = 0; i < 3; i++) {
			if (h->caplen == r[i].caplen && memcmp(d, r[i].data, h->caplen) == 0) {
				CU_ASSERT_EQUAL(h->ts.tv_sec, 5 + (i == 2));
				CU_ASSERT_EQUAL(h->ts.tv_usec, i == 0 ? 0 : 50);
				found |= 1 << i;
			}
		}
	}
	pcap_close(p);
	CU_ASSERT_EQUAL(found, 7);
}

static int setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/v6lab-replay-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void)
{
	static const char *const names[] = { "one.pcap", "eth.pcap", "raw.pcap", "empty.pcap",
		                             "text.pcap", "cut.pcap", "snap.pcap", "tiny.pcap",
		                             "times.pcap", "mixed.pcap", "echo.pcap", "lan.pcap" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		unlink(tmp(names[i]));
	return rmdir(tmpdir) == 0 ? 0 : -1;
}

int suite_replay(void)
{
	CU_pSuite s = CU_add_suite("replay", setup, teardown);
	if (!s)
		return -1;
	if (!CU_add_test(s, "parse_good", test_parse_good) ||
	    !CU_add_test(s, "parse_errors", test_parse_errors) ||
	    !CU_add_test(s, "validate_errors", test_validate_errors) ||
	    !CU_add_test(s, "truncated", test_truncated) ||
	    !CU_add_test(s, "inject_times", test_inject_times) ||
	    !CU_add_test(s, "filter_and_raw", test_filter_and_raw) ||
	    !CU_add_test(s, "run_answers", test_run_answers))
		return -1;
	return 0;
}
