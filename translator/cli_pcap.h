/*
 * Captures for the nat6to4 CLI, with libpcap: a reader that knows which
 * record (number and file offset) it is at, so that a broken file is
 * reported as "IN.pcap: packet #N, offset M: ...", and a writer that only
 * makes its output appear once everything was written (temp file + rename),
 * never replacing an existing file unless asked.
 */
#ifndef NAT6TO4_CLI_PCAP_H
#define NAT6TO4_CLI_PCAP_H

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>

struct cli_reader {
	pcap_t *pcap;
	const char *path;
	int dlt;                 /* pcap_datalink() of the file */
	int nano;                /* file stores nanosecond timestamps */
	unsigned long packet_no; /* 1-based number of the record last read */
	long offset;             /* file offset where that record starts */
};

struct cli_record {
	uint64_t ts_ns;          /* record timestamp, ns since the Unix epoch */
	const uint8_t *frame;    /* link-layer frame as captured; valid until next read */
	size_t caplen;           /* bytes captured */
	size_t wirelen;          /* bytes on the wire (> caplen when snapped) */
};

enum cli_read { CLI_READ_RECORD, CLI_READ_END, CLI_READ_ERROR };

/* Open a capture (pcap or pcapng). Returns 0, or -1 with a message in err. */
int cli_reader_open(struct cli_reader *r, const char *path, char *err, size_t errlen);
/* Next record; on CLI_READ_ERROR err holds "PATH: packet #N, offset M: what". */
enum cli_read cli_reader_next(struct cli_reader *r, struct cli_record *rec, char *err,
                              size_t errlen);
void cli_reader_close(struct cli_reader *r);

struct cli_writer {
	pcap_t *dead;
	pcap_dumper_t *dumper;
	const char *path;        /* final name */
	char *tmp_path;          /* where we write until commit */
	int nano;
	int force;
};

/*
 * Start writing a link type RAW capture that will be called `path`. Without
 * `force` an existing `path` is refused here, and again atomically at commit.
 */
int cli_writer_open(struct cli_writer *w, const char *path, int force, int nano, char *err,
                    size_t errlen);
void cli_writer_put(struct cli_writer *w, uint64_t ts_ns, const uint8_t *data, size_t len);
/* Flush, close and move into place. Returns 0, or -1 with err (temp removed). */
int cli_writer_commit(struct cli_writer *w, char *err, size_t errlen);
/* Give up: close and remove the temp file; `path` is untouched. */
void cli_writer_abort(struct cli_writer *w);

/* Link layer: what the translator should be given from a frame. */
enum cli_l3 { CLI_L3_SKIP = 0, CLI_L3_IPV4 = 4, CLI_L3_IPV6 = 6 };

/*
 * Find the IP packet inside a frame of link type `dlt` (RAW, IPV4, IPV6,
 * EN10MB with at most one 802.1Q tag). On CLI_L3_SKIP `why` says why, e.g.
 * "ethertype 0x0806". Never reads beyond caplen.
 */
enum cli_l3 cli_link_decap(int dlt, const uint8_t *frame, size_t caplen, const uint8_t **ip,
                           size_t *iplen, char *why, size_t whylen);
/* True when cli_link_decap() understands the link type. */
int cli_link_supported(int dlt);

#endif /* NAT6TO4_CLI_PCAP_H */
