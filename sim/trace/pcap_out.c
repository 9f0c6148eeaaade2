/*
 * Per-link pcap writer. libpcap writes the file (pcap_open_dead +
 * pcap_dump_open), microsecond timestamps for the widest compatibility,
 * taken from the virtual clock: start of the scenario + frame time. The
 * capture goes to PATH.tmp and is renamed into place on close, so a run
 * that dies never leaves a half capture under the real name. Nothing in
 * the output depends on the machine: same frames, same bytes.
 */
#include "trace.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct trace_pcap {
	pcap_t *dead;
	pcap_dumper_t *dumper;
	uint64_t start_unix_ns;
	uint64_t frames;
	bool failed;                  /* a write or the flush failed */
	char *path;                   /* final name; path + ".tmp" while open */
	char *tmp;
};

int trace_link_dlt(const struct sim_link *link)
{
	return link->kind == LINK_ETHERNET ? TRACE_DLT_EN10MB : TRACE_DLT_RAW;
}

/* libpcap wants the platform's DLT; LINKTYPE_RAW (101) maps to DLT_RAW. */
static int to_pcap_dlt(int dlt)
{
	if (dlt == TRACE_DLT_RAW || dlt == DLT_RAW)
		return DLT_RAW;
	if (dlt == TRACE_DLT_EN10MB)
		return DLT_EN10MB;
	return -1;
}

static void destroy(struct trace_pcap *w)
{
	if (w->dumper)
		pcap_dump_close(w->dumper);
	if (w->dead)
		pcap_close(w->dead);
	free(w->path);
	free(w->tmp);
	free(w);
}

struct trace_pcap *trace_pcap_open(const char *path, int dlt, uint64_t start_unix_ns, char *err,
                                   size_t errlen)
{
	int pdlt = to_pcap_dlt(dlt);
	size_t n = strlen(path);
	struct trace_pcap *w = calloc(1, sizeof *w);

	if (!w || pdlt < 0) {
		snprintf(err, errlen, "%s: %s", path, w ? "unsupported link type" : "out of memory");
		free(w);
		return NULL;
	}
	w->start_unix_ns = start_unix_ns;
	w->path = malloc(n + 1);
	w->tmp = malloc(n + 5);
	w->dead = pcap_open_dead_with_tstamp_precision(pdlt, 65535, PCAP_TSTAMP_PRECISION_MICRO);
	if (!w->path || !w->tmp || !w->dead) {
		snprintf(err, errlen, "%s: out of memory", path);
		destroy(w);
		return NULL;
	}
	memcpy(w->path, path, n + 1);
	memcpy(w->tmp, path, n);
	memcpy(w->tmp + n, ".tmp", 5);
	w->dumper = pcap_dump_open(w->dead, w->tmp);
	if (!w->dumper) {
		snprintf(err, errlen, "%s", pcap_geterr(w->dead));
		destroy(w);
		return NULL;
	}
	return w;
}

void trace_pcap_tap(void *user, const struct sim_frame_info *f)
{
	struct trace_pcap *w = user;
	uint64_t ns = w->start_unix_ns + f->time;
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof h);
	h.ts.tv_sec = (time_t)(ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
	h.caplen = (bpf_u_int32)(f->len > 65535 ? 65535 : f->len);
	h.len = (bpf_u_int32)f->len;
	pcap_dump((u_char *)w->dumper, &h, f->data);
	/* pcap_dump reports nothing: the stream's error flag is the only trace
	 * of a full disk, and close must then refuse to publish the file. */
	if (ferror(pcap_dump_file(w->dumper)))
		w->failed = true;
	w->frames++;
}

uint64_t trace_pcap_count(const struct trace_pcap *w)
{
	return w->frames;
}

int trace_pcap_close(struct trace_pcap *w)
{
	if (!w)
		return -1;
	FILE *fp = pcap_dump_file(w->dumper);
	bool ok = !w->failed && pcap_dump_flush(w->dumper) == 0 && !ferror(fp);

	pcap_dump_close(w->dumper); /* fclose: its error is not reported by libpcap */
	w->dumper = NULL;
	if (ok && rename(w->tmp, w->path) != 0)
		ok = false;
	if (!ok)
		remove(w->tmp);
	destroy(w);
	return ok ? 0 : -1;
}
