/*
 * pcapdiff — compare two captures packet by packet, field by field
 * (ns-3's PcapFile::Diff, told in protocol terms).
 *
 * Both files are read with libpcap (pcap and pcapng, any byte order,
 * microsecond or nanosecond timestamps), so captures from tcpdump or
 * Wireshark compare as well as v6lab's own. Packets are paired in order:
 * packet #N of the saved capture with packet #N of the new one. For each
 * pair that differs the report gives the packet number, both timestamps,
 * every differing field by its protocol name with both values and its byte
 * offset in the frame ("ip6.hlim: saved 64, now 63 (offset 21)"; up to
 * max_fields of them), and a tcpdump-style one-line decode of both. The
 * timestamp is the field frame.time, the lengths frame.len and
 * frame.cap_len. Packets one capture has and the other has not are
 * reported as "missing" or "extra".
 *
 * Link types: when the two captures' link types differ (Ethernet from a
 * real interface against a raw-IP capture of a v6lab p2p link), that is
 * reported as the field frame.linktype and packets are compared from the
 * network layer (IPv4/IPv6 after the Ethernet or Linux cooked header);
 * `--ignore frame.linktype` then makes the network layers decide.
 *
 * Field names (fields.h) are Wireshark's where it has one: eth.src,
 * ip.id, ip.checksum, ip6.hlim, tcp.seq, udp.checksum, icmp6.type,
 * dns.id; options and tags are "tcp.option mss", "lcp.option MRU",
 * "pppoe.tag Host-Uniq", "dhcp6.option 25 length". An ignore pattern
 * matches a field of that name and every field whose name continues it
 * after a '.' or ' ': "ip.checksum" only that one, "tcp.option" every TCP
 * option, "dhcp6.option 25" the IA_PD option and its parts, "tcp" all of TCP.
 *
 * Errors name where: "FILE: packet #N, offset M: truncated dump file; ...",
 * M the byte offset of the record in the file (classic pcap; a pcapng file
 * gives the packet number only).
 */
#ifndef V6LAB_PCAPDIFF_H
#define V6LAB_PCAPDIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PCAPDIFF_SAME 0
#define PCAPDIFF_DIFFERENT 1
#define PCAPDIFF_UNREADABLE 2

struct pcapdiff_opts {
	const char *const *ignore;   /* field name patterns (see above) */
	size_t n_ignore;
	bool ignore_time;            /* same as ignoring frame.time */
	unsigned max_packets;        /* differing/missing/extra packets reported; 0: 10 */
	unsigned max_fields;         /* fields listed per packet; 0: 16 */
	const char *label;           /* heading of the report; 0: "SAVED vs NOW" */
};

struct pcapdiff_result {
	uint64_t compared;           /* pairs of packets compared */
	uint64_t differing;          /* pairs with a difference not ignored */
	uint64_t missing;            /* in saved, not in now */
	uint64_t extra;              /* in now, not in saved */
	uint64_t saved_packets, now_packets;
	uint64_t first_differing;    /* its number, 0 when none */
	int saved_dlt, now_dlt;      /* link types as libpcap gives them */
	bool linktype_differs;
	char error[512];             /* when 2 is returned: what and where */
};

/*
 * Compare `saved` with `now`. The report (nothing when they are the same)
 * goes to `report` when it is not NULL; an error is not printed, it is
 * left in r->error. Returns PCAPDIFF_SAME (0), PCAPDIFF_DIFFERENT (1) or
 * PCAPDIFF_UNREADABLE (2: a file cannot be opened or read to its end;
 * what was compared before the error is reported and counted).
 */
int pcapdiff_files(const char *saved, const char *now, const struct pcapdiff_opts *o,
                   FILE *report, struct pcapdiff_result *r);

/* Whether an ignore pattern names a protocol the field tables know
 * ("ip.id" yes, "ipp.id" no), so a typo is an error, not a silent no-op. */
bool pcapdiff_field_known(const char *pattern);

/* The `v6lab diff` command (diff_cmd.c); argv[0] is "diff". */
int v6lab_diff_main(int argc, char **argv);

#endif /* V6LAB_PCAPDIFF_H */
