/*
 * A small BER encoder/decoder (X.690) for the LDAP subset of RFC 4511:
 * INTEGER, ENUMERATED, BOOLEAN, NULL, OCTET STRING, SEQUENCE, SET,
 * application and context tags, short and long-form definite lengths.
 *
 * What LDAP forbids is refused on input (RFC 4511 section 5.1): the
 * indefinite length form, and tags above 30 (multi-byte tags) which no
 * LDAP PDU uses. Every read is checked against the bytes available; a
 * length that runs past its enclosing element is an error, never a read.
 *
 * The writer produces DER-minimal lengths: a constructed element's length
 * is patched in when it ends (the content is moved right by the number
 * of length octets needed).
 */
#ifndef V6LAB_BER_H
#define V6LAB_BER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Universal tags (X.690 8.x) and the class / form bits of a tag octet. */
enum {
	BER_BOOLEAN = 0x01,
	BER_INTEGER = 0x02,
	BER_OCTETS = 0x04,
	BER_NULL = 0x05,
	BER_ENUMERATED = 0x0a,
	BER_SEQUENCE = 0x30,
	BER_SET = 0x31,
	BER_CONSTRUCTED = 0x20,
	BER_APPLICATION = 0x40,
	BER_CONTEXT = 0x80,
};
#define BER_APP(n) ((uint8_t)(BER_APPLICATION | (n)))             /* primitive [APPLICATION n] */
#define BER_APPC(n) ((uint8_t)(BER_APPLICATION | BER_CONSTRUCTED | (n)))
#define BER_CTX(n) ((uint8_t)(BER_CONTEXT | (n)))                 /* primitive [n] */
#define BER_CTXC(n) ((uint8_t)(BER_CONTEXT | BER_CONSTRUCTED | (n)))

/* Why a decode failed. */
enum ber_err {
	BER_OK = 0,
	BER_ETRUNC,       /* the element does not fit in the bytes available */
	BER_EINDEF,       /* indefinite length (0x80): refused by LDAP */
	BER_ELENGTH,      /* long-form length of more than 4 octets or 0x80|0, or > SIZE_MAX */
	BER_ETAG,         /* multi-byte tag (low bits 11111) */
	BER_ETYPE,        /* not the tag expected */
	BER_EVALUE,       /* bad content: INTEGER of 0 or > 4 octets, BOOLEAN not 1 octet */
};
const char *ber_strerror(enum ber_err e);

/* One decoded element: its tag octet and where its content is. */
struct ber_tlv {
	uint8_t tag;
	const uint8_t *val;
	size_t len;
};

/* A cursor over a run of elements (a message, or a constructed element's content). */
struct ber_reader {
	const uint8_t *p;
	size_t len, off;
	enum ber_err err;         /* first error met; later reads fail with it */
};

void ber_reader_init(struct ber_reader *r, const uint8_t *p, size_t len);
/* The content of a constructed element, as a reader of its own. */
void ber_reader_sub(struct ber_reader *r, const struct ber_tlv *t);
bool ber_at_end(const struct ber_reader *r);
/* Next element: true, or false with r->err set (also false at the end: BER_ETRUNC). */
bool ber_next(struct ber_reader *r, struct ber_tlv *t);
/* Next element, which must carry `tag` (else BER_ETYPE). */
bool ber_expect(struct ber_reader *r, uint8_t tag, struct ber_tlv *t);
/* Typed reads of the next element with the given tag. */
bool ber_get_int(struct ber_reader *r, uint8_t tag, long *v);
bool ber_get_bool(struct ber_reader *r, uint8_t tag, bool *v);
/* An OCTET STRING copied as text (NUL-terminated, at most cap-1 bytes: longer is BER_EVALUE). */
bool ber_get_str(struct ber_reader *r, uint8_t tag, char *buf, size_t cap);
/* Content of a primitive INTEGER / ENUMERATED element as a signed value. */
bool ber_tlv_int(const struct ber_tlv *t, long *v);

/*
 * Framing on a byte stream (LDAP over TCP): how long the element at the
 * start of buf is. 1 with *total when it is all there, 0 when more bytes
 * are needed, -1 with *err when the header is malformed.
 */
int ber_frame(const uint8_t *buf, size_t len, size_t *total, enum ber_err *err);

/* ---- writer ------------------------------------------------------------------------------- */

#define BER_MAX_DEPTH 16

struct ber_writer {
	uint8_t *buf;
	size_t cap, len;
	size_t open[BER_MAX_DEPTH]; /* offset of each open element's content */
	int depth;
	bool failed;              /* out of room or unbalanced: ber_finish says -1 */
};

void ber_writer_init(struct ber_writer *w, uint8_t *buf, size_t cap);
/* Open a constructed element (SEQUENCE, SET, [APPLICATION n], ...); ber_end closes it. */
void ber_begin(struct ber_writer *w, uint8_t tag);
void ber_end(struct ber_writer *w);
/* INTEGER or ENUMERATED (or a context tag) in the fewest two's complement octets. */
void ber_put_int(struct ber_writer *w, uint8_t tag, long v);
void ber_put_bool(struct ber_writer *w, uint8_t tag, bool v);
void ber_put_octets(struct ber_writer *w, uint8_t tag, const void *p, size_t len);
void ber_put_str(struct ber_writer *w, uint8_t tag, const char *s);
/* The encoding's length, or -1 when it did not fit or an element is still open. */
long ber_finish(const struct ber_writer *w);

#endif /* V6LAB_BER_H */
