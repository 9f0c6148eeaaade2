/*
 * DNS messages (RFC 1035 section 4): the codec the simulated name server
 * (apps/dnsd.c), the `host` client and the trace printer share.
 *
 * Decoding checks every length before it reads and names the offset of
 * the first thing wrong. Compression pointers must point strictly before
 * the label they replace (every encoder does that, RFC 1035 4.1.4), which
 * makes a pointer loop impossible to follow; a hop limit guards as well.
 * Names are text without the trailing dot ("www.barnet.com.au", "" for the
 * root); bytes that are not printable, '.' and '\' inside a label are
 * written as BIND does (\DDD, \., \\).
 */
#ifndef V6LAB_DNS_H
#define V6LAB_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_PORT 53
#define DNS_HDR_LEN 12
#define DNS_LABEL_MAX 63
#define DNS_NAME_WIRE_MAX 255   /* RFC 1035 2.3.4, length octets included */
#define DNS_NAME_TEXT_MAX 1024  /* 255 octets, each at worst "\DDD" */
#define DNS_UDP_MAX 512         /* RFC 1035 2.3.4: UDP messages */
#define DNS_MAX_RR 16           /* records of a message kept by the decoder */
#define DNS_RDATA_MAX 16        /* rdata kept: enough for A and AAAA */

enum dns_type {
	DNS_T_A = 1,
	DNS_T_NS = 2,
	DNS_T_CNAME = 5,
	DNS_T_SOA = 6,
	DNS_T_PTR = 12,
	DNS_T_MX = 15,
	DNS_T_TXT = 16,
	DNS_T_AAAA = 28,
	DNS_T_ANY = 255,
};
enum { DNS_C_IN = 1 };

enum dns_rcode {
	DNS_R_NOERROR = 0,
	DNS_R_FORMERR = 1,
	DNS_R_SERVFAIL = 2,
	DNS_R_NXDOMAIN = 3,
	DNS_R_NOTIMP = 4,
	DNS_R_REFUSED = 5,
};

/* Header flag bits (RFC 1035 4.1.1). */
#define DNS_F_QR 0x8000
#define DNS_F_OPCODE 0x7800
#define DNS_F_AA 0x0400
#define DNS_F_TC 0x0200
#define DNS_F_RD 0x0100
#define DNS_F_RA 0x0080
#define DNS_F_RCODE 0x000f

struct dns_header {
	uint16_t id, flags, qdcount, ancount, nscount, arcount;
};

struct dns_question {
	char name[DNS_NAME_TEXT_MAX];
	uint16_t qtype, qclass;
};

enum dns_section { DNS_S_ANSWER, DNS_S_AUTHORITY, DNS_S_ADDITIONAL };

struct dns_rr {
	enum dns_section section;
	char name[DNS_NAME_TEXT_MAX];
	uint16_t type, rclass;
	uint32_t ttl;
	uint16_t rdlength;
	uint8_t rdata[DNS_RDATA_MAX];   /* the first bytes of rdata */
};

/* A message: the header, its first question, and up to DNS_MAX_RR records
 * (the others are checked but not kept). */
struct dns_msg {
	struct dns_header h;
	bool has_question;
	struct dns_question q;
	size_t nrr;
	struct dns_rr rr[DNS_MAX_RR];
};

/* Where decoding stopped: byte offset into the message and why. */
struct dns_error {
	size_t offset;
	const char *what;
};

/* "A", "AAAA", ... or NULL for a type without a name here. */
const char *dns_type_name(uint16_t type);
/* "NOERROR", "NXDOMAIN", ... (BIND's spelling) or NULL. */
const char *dns_rcode_name(unsigned rcode);

/*
 * The name at `off` of the message into text. On success returns 0 and
 * sets *next to the offset after the name where it started (after the
 * first pointer, if any). -1 with *err otherwise.
 */
int dns_name_decode(const uint8_t *msg, size_t len, size_t off, char *out, size_t cap,
                    size_t *next, struct dns_error *err);

/* A whole message. 0, or -1 with *err. */
int dns_decode(const uint8_t *msg, size_t len, struct dns_msg *m, struct dns_error *err);

/* Case-insensitive (ASCII, RFC 4343) comparison of two names in text. */
bool dns_name_equal(const char *a, const char *b);

/*
 * Encode `m` into buf: header (counts taken from m: qdcount is 1 when it
 * has a question, an/ns/arcount from the records' sections, in that
 * order), the question and the records. A record named like the question
 * gets a compression pointer to it. Returns the length, 0 when it does
 * not fit or a name is not valid (label longer than 63 octets, empty
 * label, name over 255 octets).
 */
size_t dns_encode(uint8_t *buf, size_t cap, const struct dns_msg *m);

/* A standard query for NAME/TYPE/IN: the length, or 0 (as dns_encode). */
size_t dns_encode_query(uint8_t *buf, size_t cap, uint16_t id, bool rd, const char *name,
                        uint16_t qtype);

#endif /* V6LAB_DNS_H */
