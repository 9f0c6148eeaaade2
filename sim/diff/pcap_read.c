/*
 * Reading a capture for the diff: libpcap does the reading; this file
 * keeps count of where each record starts (the 24-byte file header, then
 * a 16-byte header and the captured bytes per record) so that an error
 * can say "packet #N, offset M", which libpcap's own messages do not.
 */
#include "pcap_read.h"

#include <stdio.h>
#include <string.h>

#define PCAP_FILE_HDR 24
#define PCAP_REC_HDR 16

/* The magic number says whether records sit where this file counts them:
 * classic pcap, microsecond or nanosecond, either byte order. */
static void read_magic(struct pd_reader *r)
{
	uint8_t m[4];
	FILE *f = fopen(r->path, "rb");

	r->classic = false;
	if (!f)
		return;
	if (fread(m, 1, 4, f) == 4) {
		uint32_t be = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
		uint32_t le = (uint32_t)m[3] << 24 | (uint32_t)m[2] << 16 | (uint32_t)m[1] << 8 | m[0];
		r->classic = be == 0xa1b2c3d4 || le == 0xa1b2c3d4 || be == 0xa1b23c4d ||
		             le == 0xa1b23c4d;
	}
	fclose(f);
}

int pd_open(struct pd_reader *r, const char *path, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";

	memset(r, 0, sizeof *r);
	r->path = path;
	read_magic(r);
	/* Nanoseconds whatever the file has, so both sides compare exactly. */
	r->p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!r->p) {
		/* libpcap names the file in some messages, not in others. */
		if (strncmp(ebuf, path, strlen(path)) == 0)
			snprintf(err, errlen, "%s", ebuf);
		else
			snprintf(err, errlen, "%s: %s", path, ebuf[0] ? ebuf : "cannot read");
		return -1;
	}
	r->dlt = pcap_datalink(r->p);
	r->next_off = PCAP_FILE_HDR;
	return 0;
}

void pd_close(struct pd_reader *r)
{
	if (r->p)
		pcap_close(r->p);
	r->p = NULL;
}

static void where(const struct pd_reader *r, char *err, size_t errlen, const char *msg)
{
	if (r->classic)
		snprintf(err, errlen, "%s: packet #%llu, offset %llu: %s", r->path,
		         (unsigned long long)r->count + 1, (unsigned long long)r->next_off, msg);
	else
		snprintf(err, errlen, "%s: packet #%llu: %s", r->path,
		         (unsigned long long)r->count + 1, msg);
}

int pd_next(struct pd_reader *r, struct pd_pkt *pk, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(r->p, &h, &data);

	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		where(r, err, errlen, rc == PCAP_ERROR ? pcap_geterr(r->p) : "read error");
		return -1;
	}
	r->count++;
	pk->num = r->count;
	pk->file_off = r->next_off;
	pk->data = data;
	pk->caplen = h->caplen;
	pk->wirelen = h->len;
	pk->ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
	r->next_off += PCAP_REC_HDR + h->caplen;
	return 1;
}
