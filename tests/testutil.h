/*
 * Helpers shared by the translation suites: a translator built from config
 * text, a capture of everything it emits, and a byte-for-byte packet
 * comparison that prints the first differing offset and both hex dumps.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include "nat6to4.h"
#include "pktbuild.h"

#include <CUnit/CUnit.h>
#include <stddef.h>
#include <stdint.h>

#define TU_MAX_OUT 64

struct tu_pkt {
	uint8_t data[PB_MAX];
	size_t len;
	uint8_t family;
	enum nat6to4_out_kind kind;
};

struct tu_capture {
	int n;
	int overflow;        /* packets that did not fit in pkt[] */
	struct tu_pkt pkt[TU_MAX_OUT];
};

/* The seed's NAPT gateway and a stateless translator (see testutil.c). */
extern const char tu_conf_napt[];
extern const char tu_conf_stateless[];

/* Translator from configuration text; NULL (and a message) on error. */
nat6to4 *tu_nat(const char *conf_text);

/* emit() callback: user is a struct tu_capture. */
void tu_capture_emit(void *user, const struct nat6to4_out *out);
void tu_capture_reset(struct tu_capture *c);

/* Run one packet through, capturing into c (reset first). */
struct nat6to4_verdict tu_6to4(nat6to4 *nat, struct tu_capture *c, const uint8_t *pkt,
                               size_t len, uint64_t now);
struct nat6to4_verdict tu_4to6(nat6to4 *nat, struct tu_capture *c, const uint8_t *pkt,
                               size_t len, uint64_t now);

/* 1 when equal; otherwise prints what/offset/hex dumps and returns 0. */
int tu_same(const char *what, const uint8_t *got, size_t got_len, const uint8_t *exp,
            size_t exp_len);
#define TU_ASSERT_SAME(got, glen, exp, elen) \
	CU_ASSERT_TRUE(tu_same(__func__, (got), (glen), (exp), (elen)))

/* Verdict check with a readable message on mismatch. */
int tu_verdict_is(const char *what, struct nat6to4_verdict v, enum nat6to4_result res,
                  enum nat6to4_reason reason);
#define TU_ASSERT_VERDICT(v, res, reason) \
	CU_ASSERT_TRUE(tu_verdict_is(__func__, (v), (res), (reason)))

void tu_hexdump(const char *label, const uint8_t *p, size_t len);

uint16_t tu_rd16(const uint8_t *p);
uint32_t tu_rd32(const uint8_t *p);
void tu_wr16(uint8_t *p, uint16_t v);

/* The seed's addresses (NAPT) and the stateless plan. */
#define TU_CLIENT6     "2001:db8:1::10"
#define TU_SERVER6     "2001:df0:9::ca53:b0f8"
#define TU_SERVER6_DEC "2001:df0:9::202:83:176:248"
#define TU_SERVER4     "202.83.176.248"
#define TU_POOL4       "203.0.113.1"
#define TU_SL_HOST6    "2001:db8:1::10"
#define TU_SL_HOST4    "192.0.2.10"
#define TU_SL_PEER6    "2001:db8:64::c633:6407"
#define TU_SL_PEER4    "198.51.100.7"

/* Text form of an address in a packet (static buffer, one per family). */
const char *tu_ntop6(const uint8_t *a);
const char *tu_ntop4(const uint8_t *a);

/*
 * The client's TCP SYN [TU_CLIENT6]:40000 -> [server6]:80 through the NAPT
 * translator; returns the pool port the translator chose (0 on failure).
 */
uint16_t tu_open_tcp(nat6to4 *nat, struct tu_capture *c, const char *server6, uint64_t now);

/*
 * Check that `got` is an ICMPv6 error (type, code, word) sent back to the
 * sender of `orig`, carrying `orig` (all of it when it fits in 1280 bytes,
 * RFC 4443 section 2.4 (c)). The source address, hop limit and traffic
 * class of an error the translator originates are its own choice: they are
 * read from `got` and fed into the libnet-built expectation.
 */
int tu_check_err6(const struct tu_pkt *got, uint8_t type, uint8_t code, uint32_t word,
                  const uint8_t *orig, size_t orig_len);
/* Same for ICMPv4; RFC 792 asks for the header + 64 bits of the original at
 * least, RFC 1812 4.3.2.3 for no more than 576 bytes in all: the length
 * carried is read from `got` and checked against those bounds. */
int tu_check_err4(const struct tu_pkt *got, uint8_t type, uint8_t code, uint32_t word,
                  const uint8_t *orig, size_t orig_len);

/* 1 s in the translator's clock; T0 an arbitrary start far from 0. */
#define TU_SEC 1000000000ull
#define TU_T0 (1000ull * TU_SEC)

#endif /* TESTUTIL_H */
