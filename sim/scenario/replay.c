/*
 * Replaying a saved capture onto a link. libpcap reads the file (classic
 * pcap or pcapng, either byte order, micro- or nanosecond stamps, asked
 * for in nanoseconds) and evaluates the filter, compiled for the
 * capture's own link type; we track the file offset of each record so a
 * damaged capture is reported as "packet #N, offset M".
 *
 * A packet is replayed only as it was recorded, whole: one the capture cut
 * short (snap length) is refused rather than sent truncated, since the
 * simulated receivers would judge a packet nobody sent.
 */
#include "replay.h"

#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ETH_HLEN 14
#define REPLAY_MAX_SPAN (1000000ull * SIM_S)  /* as far as an `at` may go */
/* What a pbuf holds after its headroom. */
#define REPLAY_MAX_LEN (PBUF_SIZE - PBUF_HEADROOM)

struct loader {
	pcap_t *p;
	const char *shown;
	struct scn_replay *r;
	char *err;
	size_t errlen;
};

static enum scn_replay_err fail(struct loader *ld, enum scn_replay_err e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum scn_replay_err fail(struct loader *ld, enum scn_replay_err e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ld->err, ld->errlen, fmt, ap);
	va_end(ap);
	return e;
}

/* Ethernet links carry Ethernet captures; p2p and path links raw IP
 * (LINKTYPE_RAW, or the per-family DLT_IPV4 / DLT_IPV6). */
static bool dlt_fits(int dlt, enum sim_link_kind kind)
{
	if (kind == LINK_ETHERNET)
		return dlt == DLT_EN10MB;
	return dlt == DLT_RAW || dlt == DLT_IPV4 || dlt == DLT_IPV6;
}

static void dlt_text(int dlt, char *buf, size_t len)
{
	const char *name = pcap_datalink_val_to_name(dlt);
	const char *desc = pcap_datalink_val_to_description(dlt);

	if (name)
		snprintf(buf, len, "%s (%s)", name, desc ? desc : "?");
	else
		snprintf(buf, len, "%d", dlt);
}

static enum scn_replay_err check_dlt(struct loader *ld, enum sim_link_kind kind,
                                     const char *link)
{
	char have[128], want[128];

	ld->r->dlt = pcap_datalink(ld->p);
	if (dlt_fits(ld->r->dlt, kind))
		return REPLAY_OK;
	dlt_text(ld->r->dlt, have, sizeof have);
	dlt_text(kind == LINK_ETHERNET ? DLT_EN10MB : DLT_RAW, want, sizeof want);
	return fail(ld, REPLAY_EFILE, "capture '%s' has link type %s; %s link '%s' carries %s",
	            ld->shown, have, scn_link_kind_name(kind), link, want);
}

/* A packet read whole: one we can replay as it was on the wire. */
static enum scn_replay_err check_packet(struct loader *ld, const struct pcap_pkthdr *h,
                                        uint32_t num, long off)
{
	if (h->caplen < h->len)
		return fail(ld, REPLAY_EFILE,
		            "capture '%s': packet #%u, offset %ld: only %u of its %u bytes were "
		            "captured (snap length too short to replay it)",
		            ld->shown, num, off, h->caplen, h->len);
	if (h->caplen > REPLAY_MAX_LEN)
		return fail(ld, REPLAY_EFILE,
		            "capture '%s': packet #%u, offset %ld: %u bytes, more than the %d a "
		            "simulated frame holds", ld->shown, num, off, h->caplen, REPLAY_MAX_LEN);
	if (h->caplen == 0 || (ld->r->dlt == DLT_EN10MB && h->caplen < ETH_HLEN))
		return fail(ld, REPLAY_EFILE,
		            "capture '%s': packet #%u, offset %ld: %u bytes, shorter than %s header",
		            ld->shown, num, off, h->caplen,
		            ld->r->dlt == DLT_EN10MB ? "an Ethernet" : "any");
	return REPLAY_OK;
}

static sim_time stamp_ns(const struct pcap_pkthdr *h)
{
	/* Opened with nanosecond precision: tv_usec holds nanoseconds. */
	return (sim_time)h->ts.tv_sec * SIM_S + (sim_time)h->ts.tv_usec;
}

/* Keep one packet: times relative to the first kept, never going back
 * (a capture merged from several interfaces may step back a little). */
static enum scn_replay_err keep(struct loader *ld, const struct pcap_pkthdr *h,
                                const u_char *data, uint32_t num, sim_time *t0, long off)
{
	struct scn_replay *r = ld->r;
	sim_time t = stamp_ns(h);

	if (r->n == 0)
		*t0 = t;
	if (r->n >= REPLAY_MAX_PACKETS)
		return fail(ld, REPLAY_EFILE, "capture '%s': more than %u packets to replay",
		            ld->shown, REPLAY_MAX_PACKETS);
	sim_time rel = t > *t0 ? t - *t0 : 0;
	if (r->n > 0 && rel < r->pkts[r->n - 1].rel)
		rel = r->pkts[r->n - 1].rel;
	if (rel > REPLAY_MAX_SPAN)
		return fail(ld, REPLAY_EFILE, "capture '%s': packet #%u, offset %ld: more than "
		            "1000000s after the first packet replayed", ld->shown, num, off);
	struct scn_replay_pkt *k = scn_grow(&r->pkts, &r->n, sizeof *k);
	if (!k || !(k->data = malloc(h->caplen)))
		return fail(ld, REPLAY_EFILE, "out of memory");
	memcpy(k->data, data, h->caplen);
	k->len = h->caplen;
	k->num = num;
	k->rel = rel;
	return REPLAY_OK;
}

static enum scn_replay_err read_all(struct loader *ld, const struct bpf_program *prog)
{
	FILE *f = pcap_file(ld->p);
	struct pcap_pkthdr *h;
	const u_char *data;
	sim_time t0 = 0;

	for (uint32_t num = 1;; num++) {
		long off = f ? ftell(f) : -1; /* where this packet's record starts */
		int rc = pcap_next_ex(ld->p, &h, &data);
		if (rc == PCAP_ERROR_BREAK)
			break;
		if (rc != 1)
			return fail(ld, REPLAY_EFILE, "capture '%s': packet #%u, offset %ld: %s",
			            ld->shown, num, off, pcap_geterr(ld->p));
		enum scn_replay_err e = check_packet(ld, h, num, off);
		if (e != REPLAY_OK)
			return e;
		if (prog && !pcap_offline_filter(prog, h, data))
			continue;
		if ((e = keep(ld, h, data, num, &t0, off)) != REPLAY_OK)
			return e;
	}
	return REPLAY_OK;
}

static enum scn_replay_err load(struct loader *ld, enum sim_link_kind kind, const char *link,
                                const char *filter)
{
	struct bpf_program prog;
	enum scn_replay_err e = check_dlt(ld, kind, link);

	if (e != REPLAY_OK)
		return e;
	if (filter && pcap_compile(ld->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0)
		return fail(ld, REPLAY_EFILTER, "invalid filter for capture '%s' (%s): %s", ld->shown,
		            pcap_datalink_val_to_name(ld->r->dlt), pcap_geterr(ld->p));
	e = read_all(ld, filter ? &prog : NULL);
	if (filter)
		pcap_freecode(&prog);
	if (e != REPLAY_OK)
		return e;
	if (ld->r->n == 0 && filter)
		return fail(ld, REPLAY_EFILTER, "no packet of capture '%s' matches the filter",
		            ld->shown);
	if (ld->r->n == 0)
		return fail(ld, REPLAY_EFILE, "capture '%s' holds no packet", ld->shown);
	return REPLAY_OK;
}

enum scn_replay_err scn_replay_load(const char *path, const char *shown, enum sim_link_kind kind,
                                    const char *link, const char *filter,
                                    struct scn_replay **out, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct loader ld = { .shown = shown, .err = err, .errlen = errlen };

	*out = NULL;
	ld.p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);
	if (!ld.p)
		return fail(&ld, REPLAY_EFILE, "cannot read capture '%s': %s", shown, perr);
	ld.r = calloc(1, sizeof *ld.r);
	enum scn_replay_err e = ld.r ? load(&ld, kind, link, filter)
	                             : fail(&ld, REPLAY_EFILE, "out of memory");
	pcap_close(ld.p);
	if (e != REPLAY_OK) {
		scn_replay_free(ld.r);
		return e;
	}
	*out = ld.r;
	return REPLAY_OK;
}

void scn_replay_free(struct scn_replay *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->pkts[i].data);
	free(r->pkts);
	free(r);
}

sim_time scn_replay_span(const struct scn_replay *r)
{
	return r && r->n ? r->pkts[r->n - 1].rel : 0;
}

/* ---- while the scenario runs ------------------------------------------ */

static void inject_ev(struct sim *sim, void *obj, uint64_t arg)
{
	const struct scn_replay_run *run = obj;
	const struct scn_replay_pkt *k = &run->r->pkts[arg];

	sim_link_inject(run->link, pbuf_copy(sim, k->data, k->len));
}

void scn_replay_schedule(struct scn_replay_run *run, struct sim *sim, sim_time at)
{
	for (size_t i = 0; run->r && run->link && i < run->r->n; i++)
		sim_at(sim, at + run->r->pkts[i].rel, inject_ev, run, i);
}
