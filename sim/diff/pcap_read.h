/*
 * pcap_read — one capture file read record by record for the diff, with
 * the packet number and file offset every error message needs.
 */
#ifndef V6LAB_DIFF_PCAP_READ_H
#define V6LAB_DIFF_PCAP_READ_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pd_reader {
	pcap_t *p;
	const char *path;
	int dlt;
	bool classic;          /* pcap, not pcapng: record offsets are known */
	uint64_t count;        /* records read */
	uint64_t next_off;     /* offset of the next record's header */
};

struct pd_pkt {
	uint64_t num;          /* 1-based */
	uint64_t file_off;     /* of its record header */
	const uint8_t *data;   /* valid until the next pd_next on the reader */
	size_t caplen, wirelen;
	uint64_t ts_ns;        /* since the epoch */
};

/* 0, or -1 with "PATH: message" in err. */
int pd_open(struct pd_reader *r, const char *path, char *err, size_t errlen);
/* 1 a packet, 0 the end, -1 an error: "PATH: packet #N, offset M: msg". */
int pd_next(struct pd_reader *r, struct pd_pkt *pk, char *err, size_t errlen);
void pd_close(struct pd_reader *r);

#endif /* V6LAB_DIFF_PCAP_READ_H */
