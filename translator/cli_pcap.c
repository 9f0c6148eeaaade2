/*
 * Reading and writing captures for the nat6to4 CLI (see cli_pcap.h).
 */
#include "cli_pcap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUT_SNAPLEN 262144 /* a 64 KiB packet grown by translation still fits */

/* ---- reader ----------------------------------------------------------- */

/* True when the file is a classic pcap with nanosecond timestamps. */
static int file_is_nano(const char *path)
{
	uint8_t magic[4];
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(magic, 1, sizeof magic, f);
	fclose(f);
	if (n != sizeof magic)
		return 0;
	static const uint8_t nano_be[4] = { 0xa1, 0xb2, 0x3c, 0x4d };
	static const uint8_t nano_le[4] = { 0x4d, 0x3c, 0xb2, 0xa1 };
	return memcmp(magic, nano_be, 4) == 0 || memcmp(magic, nano_le, 4) == 0;
}

int cli_reader_open(struct cli_reader *r, const char *path, char *err, size_t errlen)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	memset(r, 0, sizeof *r);
	r->path = path;
	r->pcap = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
	                                                  pcap_err);
	if (!r->pcap) {
		/* libpcap sometimes names the file itself, sometimes not. */
		const char *hint = strstr(pcap_err, "unknown file format")
			? " (not a pcap or pcapng capture)" : "";
		if (strncmp(pcap_err, path, strlen(path)) == 0)
			snprintf(err, errlen, "%s%s", pcap_err, hint);
		else
			snprintf(err, errlen, "%s: %s%s", path, pcap_err, hint);
		return -1;
	}
	r->dlt = pcap_datalink(r->pcap);
	if (!cli_link_supported(r->dlt)) {
		const char *name = pcap_datalink_val_to_name(r->dlt);
		snprintf(err, errlen,
		         "%s: link type %s (%d) is not supported; use RAW, IPV4, IPV6 or EN10MB",
		         path, name ? name : "?", r->dlt);
		pcap_close(r->pcap);
		r->pcap = NULL;
		return -1;
	}
	r->nano = file_is_nano(path);
	return 0;
}

enum cli_read cli_reader_next(struct cli_reader *r, struct cli_record *rec, char *err,
                              size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;

	/* Where this record starts: libpcap reads through stdio, so ftell is exact. */
	FILE *f = pcap_file(r->pcap);
	r->offset = f ? ftell(f) : -1;
	r->packet_no++;
	int rc = pcap_next_ex(r->pcap, &h, &data);
	if (rc == PCAP_ERROR_BREAK) {
		r->packet_no--;
		return CLI_READ_END;
	}
	if (rc != 1) {
		const char *why = pcap_geterr(r->pcap);
		int truncated = strstr(why, "truncated") != NULL;
		char where[64] = "";
		if (r->offset >= 0)
			snprintf(where, sizeof where, ", offset %ld", r->offset);
		snprintf(err, errlen, "%s: packet #%lu%s: %s%s%s%s", r->path, r->packet_no, where,
		         truncated ? "truncated record" : why, truncated ? " (libpcap: " : "",
		         truncated ? why : "", truncated ? ")" : "");
		return CLI_READ_ERROR;
	}
	long long sec = (long long)h->ts.tv_sec;
	rec->ts_ns = sec < 0 ? 0 : (uint64_t)sec * 1000000000u + (uint64_t)h->ts.tv_usec;
	rec->frame = data;
	rec->caplen = h->caplen;
	rec->wirelen = h->len;
	return CLI_READ_RECORD;
}

void cli_reader_close(struct cli_reader *r)
{
	if (r->pcap)
		pcap_close(r->pcap);
	r->pcap = NULL;
}

/* ---- writer ----------------------------------------------------------- */

static void refuse_existing(const char *path, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s already exists; not overwriting it (use -f to replace it)",
	         path);
}

/* A temp file next to `path` (same file system, so rename is atomic). */
static FILE *open_temp(struct cli_writer *w, char *err, size_t errlen)
{
	size_t n = strlen(w->path) + sizeof ".tmpXXXXXX";
	w->tmp_path = malloc(n);
	if (!w->tmp_path) {
		snprintf(err, errlen, "%s: out of memory", w->path);
		return NULL;
	}
	snprintf(w->tmp_path, n, "%s.tmpXXXXXX", w->path);
	int fd = mkstemp(w->tmp_path);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", w->path, strerror(errno));
		free(w->tmp_path);
		w->tmp_path = NULL;
		return NULL;
	}
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask); /* mkstemp makes 0600; give the usual mode */
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", w->tmp_path, strerror(errno));
		close(fd);
		unlink(w->tmp_path);
		free(w->tmp_path);
		w->tmp_path = NULL;
	}
	return f;
}

int cli_writer_open(struct cli_writer *w, const char *path, int force, int nano, char *err,
                    size_t errlen)
{
	struct stat st;
	memset(w, 0, sizeof *w);
	w->path = path;
	w->force = force;
	w->nano = nano;
	if (!force && lstat(path, &st) == 0) {
		refuse_existing(path, err, errlen);
		return -1;
	}
	FILE *f = open_temp(w, err, errlen);
	if (!f)
		return -1;
	w->dead = pcap_open_dead_with_tstamp_precision(
		DLT_RAW, OUT_SNAPLEN, nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
	w->dumper = w->dead ? pcap_dump_fopen(w->dead, f) : NULL;
	if (!w->dumper) {
		snprintf(err, errlen, "%s: %s", path, w->dead ? pcap_geterr(w->dead) : "libpcap");
		fclose(f);
		cli_writer_abort(w);
		return -1;
	}
	return 0;
}

void cli_writer_put(struct cli_writer *w, uint64_t ts_ns, const uint8_t *data, size_t len)
{
	struct pcap_pkthdr h;
	uint64_t frac = ts_ns % 1000000000u;
	h.ts.tv_sec = (time_t)(ts_ns / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(w->nano ? frac : frac / 1000u);
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)w->dumper, &h, data);
}

/* Move the finished temp file to its name; without -f never replace one. */
static int publish(struct cli_writer *w, char *err, size_t errlen)
{
	if (w->force)
		return rename(w->tmp_path, w->path);
	if (link(w->tmp_path, w->path) == 0)
		return unlink(w->tmp_path);
	if (errno == EEXIST) {
		refuse_existing(w->path, err, errlen);
		return -1;
	}
	/* No hard links on this file system: check, then rename. */
	struct stat st;
	if (lstat(w->path, &st) == 0) {
		refuse_existing(w->path, err, errlen);
		return -1;
	}
	return rename(w->tmp_path, w->path);
}

int cli_writer_commit(struct cli_writer *w, char *err, size_t errlen)
{
	FILE *f = pcap_dump_file(w->dumper);
	int bad = pcap_dump_flush(w->dumper) != 0 || ferror(f);
	int saved = errno;
	pcap_dump_close(w->dumper);
	w->dumper = NULL;
	if (bad) {
		snprintf(err, errlen, "%s: write failed: %s", w->path, strerror(saved ? saved : EIO));
		cli_writer_abort(w);
		return -1;
	}
	err[0] = '\0';
	if (publish(w, err, errlen) != 0) {
		if (!err[0])
			snprintf(err, errlen, "%s: %s", w->path, strerror(errno));
		cli_writer_abort(w);
		return -1;
	}
	free(w->tmp_path);
	w->tmp_path = NULL;
	pcap_close(w->dead);
	w->dead = NULL;
	return 0;
}

void cli_writer_abort(struct cli_writer *w)
{
	if (w->dumper)
		pcap_dump_close(w->dumper);
	w->dumper = NULL;
	if (w->tmp_path) {
		unlink(w->tmp_path);
		free(w->tmp_path);
		w->tmp_path = NULL;
	}
	if (w->dead)
		pcap_close(w->dead);
	w->dead = NULL;
}
