/*
 * The capture diff: two files read side by side (pcap_read.c), each pair
 * of frames compared as bytes first and, when they differ, walked into
 * fields (fields*.c) and paired (compare.c); this file decides what is a
 * difference and writes the report (see pcapdiff.h for its shape).
 */
#include "pcapdiff.h"
#include "compare.h"
#include "pcap_read.h"
#include "../trace/trace.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_PACKETS 10
#define DEFAULT_MAX_FIELDS 16
#define DECODE_MAX 320

/* A packet one side has and the other has not, kept until the total is known. */
struct pd_tail {
	uint64_t num, ts_ns;
	char decode[DECODE_MAX];
};

struct pd_ctx {
	const struct pcapdiff_opts *o;
	FILE *out;
	struct pcapdiff_result *r;
	const char *saved, *now;
	struct pd_reader ra, rb;
	bool net_layer;              /* link types differ: compare from the IP header */
	bool headed;                 /* report heading printed */
	unsigned max_packets, max_fields, reported;
	struct pd_fields fa, fb;
	struct pd_diffs diffs;
	struct pd_tail *tail;        /* max_packets entries */
};

static bool ignored_name(const struct pcapdiff_opts *o, const char *name)
{
	for (size_t i = 0; i < o->n_ignore; i++)
		if (pd_pattern_matches(o->ignore[i], name))
			return true;
	return false;
}

static void heading(struct pd_ctx *c)
{
	if (c->headed || !c->out)
		return;
	c->headed = true;
	if (c->o->label)
		fprintf(c->out, "%s\n", c->o->label);
	else
		fprintf(c->out, "--- saved %s\n+++ now   %s\n", c->saved, c->now);
}

/* One-line decode: tcpdump -e for Ethernet; from the IP header for a link
 * type the printers do not know (Linux cooked). */
static void decode(char *buf, size_t len, int dlt, const struct pd_pkt *p)
{
	long net;

	if (dlt == TRACE_DLT_EN10MB || pd_dlt_is_raw(dlt) ||
	    (net = pd_net_offset(dlt, p->data, p->caplen)) < 0) {
		trace_format_snap(buf, len, dlt, p->data, p->caplen, p->wirelen,
		                  dlt == TRACE_DLT_EN10MB);
		return;
	}
	trace_format_snap(buf, len, TRACE_DLT_RAW, p->data + net, p->caplen - (size_t)net,
	                  p->wirelen - (size_t)net, false);
}

/* ---- one differing field ----------------------------------------------- */

static void put_name(FILE *f, const struct pd_field *x)
{
	fputs(x->name, f);
	if (x->occ > 0)
		fprintf(f, " [%u]", x->occ + 1);
}

/* Opaque bytes of the same length: the first byte that differs. */
static bool put_first_byte(FILE *f, const struct pd_fields *a, const struct pd_field *fa,
                           const struct pd_fields *b, const struct pd_field *fb)
{
	if (fa->fmt != PD_BYTES || fb->fmt != PD_BYTES || fa->len <= 8)
		return false;
	if (fa->len != fb->len) {
		fprintf(f, "saved %u bytes, now %u bytes", fa->len, fb->len);
		return true;
	}
	for (uint32_t k = 0; k < fa->len; k++)
		if (a->pkt[fa->off + k] != b->pkt[fb->off + k]) {
			fprintf(f, "saved 0x%02x, now 0x%02x at byte %u of %u",
			        a->pkt[fa->off + k], b->pkt[fb->off + k], k, fa->len);
			return true;
		}
	return false;
}

/* How much later (or earlier) the new frame is: ns when under a second. */
static void put_delta(FILE *f, uint64_t saved, uint64_t now)
{
	char sign = now >= saved ? '+' : '-';
	uint64_t d = now >= saved ? now - saved : saved - now;

	if (d < 1000000000u)
		fprintf(f, " (%c%llu ns)", sign, (unsigned long long)d);
	else
		fprintf(f, " (%c%llu.%09llu s)", sign, (unsigned long long)(d / 1000000000u),
		        (unsigned long long)(d % 1000000000u));
}

static void put_values(FILE *f, const struct pd_fields *a, const struct pd_field *fa,
                       const struct pd_fields *b, const struct pd_field *fb)
{
	char va[160] = "absent", vb[160] = "absent";

	if (fa && fb && put_first_byte(f, a, fa, b, fb))
		return;
	if (fa)
		pd_format(va, sizeof va, a, fa);
	if (fb)
		pd_format(vb, sizeof vb, b, fb);
	fprintf(f, "saved %s, now %s", va, vb);
	if (fa && fb && fa->fmt == PD_TIME)
		put_delta(f, fa->val, fb->val);
}

static void put_offset(FILE *f, const struct pd_field *fa, const struct pd_field *fb)
{
	const struct pd_field *x = fa ? fa : fb;

	if (x->len == 0)
		return;   /* frame.* */
	fprintf(f, " (offset %u", x->off);
	if (fa && fb && fa->off != fb->off)
		fprintf(f, ", now %u", fb->off);
	fputs(")", f);
}

static void put_diff(struct pd_ctx *c, const struct pd_diff *d)
{
	fputs("  ", c->out);
	put_name(c->out, d->a ? d->a : d->b);
	fputs(": ", c->out);
	put_values(c->out, &c->fa, d->a, &c->fb, d->b);
	put_offset(c->out, d->a, d->b);
	fputc('\n', c->out);
}

/* ---- one pair of packets ----------------------------------------------- */

static void report_pair(struct pd_ctx *c, const struct pd_pkt *a, const struct pd_pkt *b)
{
	char ta[32], tb[32], line[DECODE_MAX];
	size_t shown = c->diffs.n < PD_MAX_DIFFS ? c->diffs.n : PD_MAX_DIFFS;

	if (shown > c->max_fields)
		shown = c->max_fields;
	heading(c);
	pd_format_time(ta, sizeof ta, a->ts_ns);
	pd_format_time(tb, sizeof tb, b->ts_ns);
	fprintf(c->out, "packet #%llu differs (saved %s, now %s):\n", (unsigned long long)a->num,
	        ta, tb);
	for (size_t i = 0; i < shown; i++)
		put_diff(c, &c->diffs.d[i]);
	if (c->diffs.n > shown)
		fprintf(c->out, "  ... and %zu more fields\n", c->diffs.n - shown);
	decode(line, sizeof line, c->ra.dlt, a);
	fprintf(c->out, "  saved: %s\n", line);
	decode(line, sizeof line, c->rb.dlt, b);
	fprintf(c->out, "  now:   %s\n", line);
}

static bool bytes_equal(const struct pd_pkt *a, const struct pd_pkt *b)
{
	return a->caplen == b->caplen && a->wirelen == b->wirelen &&
	       memcmp(a->data, b->data, a->caplen) == 0;
}

/* Where the comparison starts in a frame: 0, or its network layer when
 * the link types differ and it has one. */
static size_t base_of(const struct pd_ctx *c, int dlt, const struct pd_pkt *p)
{
	long net = c->net_layer ? pd_net_offset(dlt, p->data, p->caplen) : 0;
	return net > 0 ? (size_t)net : 0;
}

static void compare_pair(struct pd_ctx *c, const struct pd_pkt *a, const struct pd_pkt *b)
{
	c->r->compared++;
	if (!c->net_layer && bytes_equal(a, b) &&
	    (a->ts_ns == b->ts_ns || c->o->ignore_time || ignored_name(c->o, "frame.time")))
		return;
	size_t ba = base_of(c, c->ra.dlt, a), bb = base_of(c, c->rb.dlt, b);
	pd_walk(&c->fa, c->ra.dlt, a->data, a->caplen, a->wirelen, a->ts_ns, ba);
	pd_walk(&c->fb, c->rb.dlt, b->data, b->caplen, b->wirelen, b->ts_ns, bb);
	pd_compare(&c->diffs, c->o, &c->fa, ba, &c->fb, bb);
	if (c->diffs.n == 0)
		return;
	if (c->r->differing++ == 0)
		c->r->first_differing = a->num;
	if (c->out && c->reported < c->max_packets) {
		c->reported++;
		report_pair(c, a, b);
	}
}

/* ---- packets only one side has ------------------------------------------ */

/*
 * The longer capture read to its end: every packet counted, the first few
 * kept, then reported once the totals are known ("saved has 40 packets,
 * now 39"). -1 when that capture turns out unreadable.
 */
static int drain_tail(struct pd_ctx *c, struct pd_reader *rd, const struct pd_pkt *first)
{
	struct pd_pkt p = *first;
	unsigned kept = 0;
	int rc = 1;

	while (rc == 1) {
		if (c->reported + kept < c->max_packets) {
			struct pd_tail *t = &c->tail[kept++];
			t->num = p.num;
			t->ts_ns = p.ts_ns;
			decode(t->decode, sizeof t->decode, rd->dlt, &p);
		}
		rc = pd_next(rd, &p, c->r->error, sizeof c->r->error);
	}
	return rc < 0 ? -1 : (int)kept;
}

static void report_tail(struct pd_ctx *c, unsigned kept, bool missing, uint64_t n_more)
{
	char t[32];

	if (!c->out)
		return;
	for (unsigned i = 0; i < kept; i++) {
		heading(c);
		pd_format_time(t, sizeof t, c->tail[i].ts_ns);
		fprintf(c->out, "packet #%llu %s (saved has %llu packets, now %llu): %s %s\n",
		        (unsigned long long)c->tail[i].num, missing ? "missing" : "extra",
		        (unsigned long long)c->r->saved_packets,
		        (unsigned long long)c->r->now_packets, t, c->tail[i].decode);
	}
	c->reported += kept;
	if (n_more > kept)
		fprintf(c->out, "... and %llu more %s packets\n",
		        (unsigned long long)(n_more - kept), missing ? "missing" : "extra");
}

/* ---- the whole comparison ------------------------------------------------ */

static void check_linktypes(struct pd_ctx *c)
{
	struct pcapdiff_result *r = c->r;

	r->saved_dlt = c->ra.dlt;
	r->now_dlt = c->rb.dlt;
	r->linktype_differs = c->ra.dlt != c->rb.dlt;
	c->net_layer = r->linktype_differs;
	if (!r->linktype_differs || ignored_name(c->o, "frame.linktype") || !c->out)
		return;
	const char *na = pcap_datalink_val_to_name(c->ra.dlt);
	const char *nb = pcap_datalink_val_to_name(c->rb.dlt);
	heading(c);
	fprintf(c->out,
	        "frame.linktype: saved %s (%d), now %s (%d); packets compared from the network "
	        "layer\n", na ? na : "?", c->ra.dlt, nb ? nb : "?", c->rb.dlt);
}

/* Both captures side by side; then whichever is longer, to its end. */
static int run(struct pd_ctx *c)
{
	struct pcapdiff_result *r = c->r;
	struct pd_pkt a, b;
	char *err = r->error;
	size_t el = sizeof r->error;

	for (;;) {
		int ea = pd_next(&c->ra, &a, err, el);
		if (ea < 0)
			return -1;
		int eb = pd_next(&c->rb, &b, err, el);
		if (eb < 0)
			return -1;
		if (ea == 0 || eb == 0) {
			r->saved_packets = c->ra.count;
			r->now_packets = c->rb.count;
			if (ea == eb)
				return 0;
			bool missing = eb == 0;
			int kept = drain_tail(c, missing ? &c->ra : &c->rb, missing ? &a : &b);
			if (kept < 0)
				return -1;
			r->saved_packets = c->ra.count;
			r->now_packets = c->rb.count;
			if (missing)
				r->missing = r->saved_packets - r->now_packets;
			else
				r->extra = r->now_packets - r->saved_packets;
			report_tail(c, (unsigned)kept, missing, missing ? r->missing : r->extra);
			return 0;
		}
		compare_pair(c, &a, &b);
	}
}

static int finish(struct pd_ctx *c, int rc)
{
	struct pcapdiff_result *r = c->r;
	bool differs = r->differing || r->missing || r->extra ||
	               (r->linktype_differs && !ignored_name(c->o, "frame.linktype"));

	if (rc == 0 && !differs)
		return PCAPDIFF_SAME;
	if (c->out && (differs || c->headed)) {
		heading(c);
		fprintf(c->out, "%llu packets compared: %llu differ, %llu missing, %llu extra%s\n",
		        (unsigned long long)r->compared, (unsigned long long)r->differing,
		        (unsigned long long)r->missing, (unsigned long long)r->extra,
		        rc < 0 ? ", then a read error" : "");
	}
	return rc < 0 ? PCAPDIFF_UNREADABLE : PCAPDIFF_DIFFERENT;
}

int pcapdiff_files(const char *saved, const char *now, const struct pcapdiff_opts *o,
                   FILE *report, struct pcapdiff_result *r)
{
	static const struct pcapdiff_opts defaults;
	struct pd_ctx *c = calloc(1, sizeof *c);

	memset(r, 0, sizeof *r);
	if (!o)
		o = &defaults;
	unsigned maxp = o->max_packets ? o->max_packets : DEFAULT_MAX_PACKETS;
	if (c)
		c->tail = calloc(maxp, sizeof *c->tail);
	if (!c || !c->tail) {
		snprintf(r->error, sizeof r->error, "%s: out of memory", saved);
		if (c)
			free(c->tail);
		free(c);
		return PCAPDIFF_UNREADABLE;
	}
	c->o = o;
	c->out = report;
	c->r = r;
	c->saved = saved;
	c->now = now;
	c->max_packets = maxp;
	c->max_fields = o->max_fields ? o->max_fields : DEFAULT_MAX_FIELDS;
	int rc = -1;
	if (pd_open(&c->ra, saved, r->error, sizeof r->error) == 0 &&
	    pd_open(&c->rb, now, r->error, sizeof r->error) == 0) {
		check_linktypes(c);
		rc = run(c);
	}
	int ret = finish(c, rc);
	pd_close(&c->ra);
	pd_close(&c->rb);
	free(c->tail);
	free(c);
	return ret;
}

bool pcapdiff_field_known(const char *pattern)
{
	/* The protocols the field tables (fields_*.c) name fields in. */
	static const char *const protos[] = {
		"frame", "eth", "vlan", "sll", "arp", "ip", "ip6", "icmp", "icmp6", "udp",
		"tcp", "pppoe", "ppp", "lcp", "ipcp", "ipv6cp", "ccp", "pap", "chap",
		"dhcp6", "dns",
	};
	size_t n = strcspn(pattern, ". ");

	for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++)
		if (strlen(protos[i]) == n && strncmp(protos[i], pattern, n) == 0)
			return pattern[n] == '\0' || pattern[n + 1] != '\0';
	return false;
}
