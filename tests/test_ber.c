/*
 * The BER codec (sim/net/ber.c) and the LDAP filter codec
 * (sim/apps/ldap_filter.c). Expected encodings are written out by hand
 * from X.690 (8.1.3 lengths, 8.3 INTEGER, 8.2 BOOLEAN) and RFC 4511
 * (section 4.2 BindRequest, 4.5.1 SearchRequest, appendix B tags); text
 * parts are spelled as string literals next to the length octets counted
 * for them.
 */
#include <CUnit/CUnit.h>
#include <string.h>
#include <strings.h>

#include "apps/ldap.h"
#include "net/ber.h"

int suite_ber(void);

/* LDAPMessage { 1, BindRequest { 3, "cn=admin,dc=barnet,dc=com,dc=au", simple "secret" } } */
static const uint8_t bind_req[] = {
	0x30, 0x31,                         /* SEQUENCE, 49 octets */
	0x02, 0x01, 0x01,                   /* messageID 1 */
	0x60, 0x2c,                         /* [APPLICATION 0], 44 octets */
	0x02, 0x01, 0x03,                   /* version 3 */
	0x04, 0x1f,                         /* name, 31 octets: */
	'c', 'n', '=', 'a', 'd', 'm', 'i', 'n', ',', 'd', 'c', '=', 'b', 'a', 'r', 'n',
	'e', 't', ',', 'd', 'c', '=', 'c', 'o', 'm', ',', 'd', 'c', '=', 'a', 'u',
	0x80, 0x06,                         /* simple [0], 6 octets */
	's', 'e', 'c', 'r', 'e', 't',
};

/* LDAPMessage { 2, SearchRequest { "dc=barnet,dc=com,dc=au", wholeSubtree,
 * neverDerefAliases, 0, 0, FALSE, (uid=edwin), {} } } */
static const uint8_t search_req[] = {
	0x30, 0x3c,                         /* SEQUENCE, 60 octets */
	0x02, 0x01, 0x02,                   /* messageID 2 */
	0x63, 0x37,                         /* [APPLICATION 3], 55 octets */
	0x04, 0x16,                         /* baseObject, 22 octets */
	'd', 'c', '=', 'b', 'a', 'r', 'n', 'e', 't', ',', 'd', 'c', '=', 'c', 'o', 'm',
	',', 'd', 'c', '=', 'a', 'u',
	0x0a, 0x01, 0x02,                   /* scope wholeSubtree */
	0x0a, 0x01, 0x00,                   /* derefAliases never */
	0x02, 0x01, 0x00,                   /* sizeLimit 0 */
	0x02, 0x01, 0x00,                   /* timeLimit 0 */
	0x01, 0x01, 0x00,                   /* typesOnly FALSE */
	0xa3, 0x0c,                         /* equalityMatch [3], 12 octets */
	0x04, 0x03, 'u', 'i', 'd',
	0x04, 0x05, 'e', 'd', 'w', 'i', 'n',
	0x30, 0x00,                         /* attributes: none (all) */
};

static long encode_bind(uint8_t *buf, size_t cap)
{
	struct ber_writer w;
	ber_writer_init(&w, buf, cap);
	ber_begin(&w, BER_SEQUENCE);
	ber_put_int(&w, BER_INTEGER, 1);
	ber_begin(&w, LDAP_BIND_REQ);
	ber_put_int(&w, BER_INTEGER, 3);
	ber_put_str(&w, BER_OCTETS, "cn=admin,dc=barnet,dc=com,dc=au");
	ber_put_str(&w, LDAP_AUTH_SIMPLE, "secret");
	ber_end(&w);
	ber_end(&w);
	return ber_finish(&w);
}

static void test_bind_request_encoding(void)
{
	uint8_t buf[128];
	long len = encode_bind(buf, sizeof buf);
	CU_ASSERT_EQUAL(len, (long)sizeof bind_req);
	CU_ASSERT(len > 0 && memcmp(buf, bind_req, sizeof bind_req) == 0);
}

static void test_search_request_encoding(void)
{
	uint8_t buf[128];
	struct ber_writer w;
	ber_writer_init(&w, buf, sizeof buf);
	ber_begin(&w, BER_SEQUENCE);
	ber_put_int(&w, BER_INTEGER, 2);
	ber_begin(&w, LDAP_SEARCH_REQ);
	ber_put_str(&w, BER_OCTETS, "dc=barnet,dc=com,dc=au");
	ber_put_int(&w, BER_ENUMERATED, LDAP_SCOPE_SUB);
	ber_put_int(&w, BER_ENUMERATED, 0);
	ber_put_int(&w, BER_INTEGER, 0);
	ber_put_int(&w, BER_INTEGER, 0);
	ber_put_bool(&w, BER_BOOLEAN, false);
	CU_ASSERT_TRUE(ldap_filter_encode(&w, "(uid=edwin)"));
	ber_begin(&w, BER_SEQUENCE);
	ber_end(&w);
	ber_end(&w);
	ber_end(&w);
	long len = ber_finish(&w);
	CU_ASSERT_EQUAL(len, (long)sizeof search_req);
	CU_ASSERT(len > 0 && memcmp(buf, search_req, sizeof search_req) == 0);
}

/* X.690 8.3: two's complement in the fewest octets. */
static void test_integers(void)
{
	static const struct { long v; uint8_t enc[6]; size_t n; } cases[] = {
		{ 0, { 0x02, 0x01, 0x00 }, 3 },
		{ 127, { 0x02, 0x01, 0x7f }, 3 },
		{ 128, { 0x02, 0x02, 0x00, 0x80 }, 4 },
		{ 256, { 0x02, 0x02, 0x01, 0x00 }, 4 },
		{ -128, { 0x02, 0x01, 0x80 }, 3 },
		{ -129, { 0x02, 0x02, 0xff, 0x7f }, 4 },
		{ 2147483647, { 0x02, 0x04, 0x7f, 0xff, 0xff, 0xff }, 6 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t buf[16];
		struct ber_writer w;
		ber_writer_init(&w, buf, sizeof buf);
		ber_put_int(&w, BER_INTEGER, cases[i].v);
		CU_ASSERT_EQUAL(ber_finish(&w), (long)cases[i].n);
		CU_ASSERT(memcmp(buf, cases[i].enc, cases[i].n) == 0);
		struct ber_reader r;
		long v = 12345;
		ber_reader_init(&r, cases[i].enc, cases[i].n);
		CU_ASSERT_TRUE(ber_get_int(&r, BER_INTEGER, &v));
		CU_ASSERT_EQUAL(v, cases[i].v);
	}
}

static void test_bool_and_null(void)
{
	uint8_t buf[8];
	struct ber_writer w;
	ber_writer_init(&w, buf, sizeof buf);
	ber_put_bool(&w, BER_BOOLEAN, true);
	ber_put_octets(&w, LDAP_UNBIND_REQ, NULL, 0);
	static const uint8_t exp[] = { 0x01, 0x01, 0xff, 0x42, 0x00 };
	CU_ASSERT_EQUAL(ber_finish(&w), 5);
	CU_ASSERT(memcmp(buf, exp, sizeof exp) == 0);
}

/* X.690 8.1.3.5: lengths from 128 on in long form, fewest octets. */
static void test_long_form_lengths(void)
{
	static uint8_t big[300];
	uint8_t buf[400];
	memset(big, 'x', sizeof big);
	struct ber_writer w;
	ber_writer_init(&w, buf, sizeof buf);
	ber_put_octets(&w, BER_OCTETS, big, 200);
	CU_ASSERT_EQUAL(ber_finish(&w), 203);
	CU_ASSERT(buf[0] == 0x04 && buf[1] == 0x81 && buf[2] == 0xc8);
	ber_writer_init(&w, buf, sizeof buf);
	ber_begin(&w, BER_SEQUENCE);
	ber_put_octets(&w, BER_OCTETS, big, 296);
	ber_end(&w);
	/* content 4 + 296 = 300 = 0x012c: 30 82 01 2c 04 82 01 28 ... */
	CU_ASSERT_EQUAL(ber_finish(&w), 304);
	static const uint8_t head[] = { 0x30, 0x82, 0x01, 0x2c, 0x04, 0x82, 0x01, 0x28, 'x' };
	CU_ASSERT(memcmp(buf, head, sizeof head) == 0);
	/* and back */
	struct ber_reader r, in;
	struct ber_tlv t, s;
	ber_reader_init(&r, buf, 304);
	CU_ASSERT_TRUE(ber_expect(&r, BER_SEQUENCE, &t));
	CU_ASSERT_EQUAL(t.len, 300);
	ber_reader_sub(&in, &t);
	CU_ASSERT_TRUE(ber_expect(&in, BER_OCTETS, &s));
	CU_ASSERT_EQUAL(s.len, 296);
	CU_ASSERT_TRUE(ber_at_end(&in) && ber_at_end(&r));
}

static void test_decode_bind(void)
{
	struct ber_reader r, msg, op;
	struct ber_tlv seq, t, auth;
	long id, version;
	char dn[64];
	ber_reader_init(&r, bind_req, sizeof bind_req);
	CU_ASSERT_FATAL(ber_expect(&r, BER_SEQUENCE, &seq));
	ber_reader_sub(&msg, &seq);
	CU_ASSERT_TRUE(ber_get_int(&msg, BER_INTEGER, &id));
	CU_ASSERT_EQUAL(id, 1);
	CU_ASSERT_FATAL(ber_expect(&msg, LDAP_BIND_REQ, &t));
	ber_reader_sub(&op, &t);
	CU_ASSERT_TRUE(ber_get_int(&op, BER_INTEGER, &version));
	CU_ASSERT_EQUAL(version, 3);
	CU_ASSERT_TRUE(ber_get_str(&op, BER_OCTETS, dn, sizeof dn));
	CU_ASSERT_STRING_EQUAL(dn, "cn=admin,dc=barnet,dc=com,dc=au");
	CU_ASSERT_TRUE(ber_next(&op, &auth));
	CU_ASSERT_EQUAL(auth.tag, LDAP_AUTH_SIMPLE);
	CU_ASSERT(auth.len == 6 && memcmp(auth.val, "secret", 6) == 0);
	CU_ASSERT_TRUE(ber_at_end(&op));
	/* a DN buffer too small is an error, not a cut */
	struct ber_reader op2;
	ber_reader_sub(&op2, &t);
	CU_ASSERT_TRUE(ber_get_int(&op2, BER_INTEGER, &version));
	CU_ASSERT_FALSE(ber_get_str(&op2, BER_OCTETS, dn, 16));
	CU_ASSERT_EQUAL(op2.err, BER_EVALUE);
}

static void test_truncated(void)
{
	size_t total = 0;
	enum ber_err e = BER_OK;
	for (size_t cut = 0; cut < sizeof bind_req; cut++) {
		struct ber_reader r;
		struct ber_tlv t;
		ber_reader_init(&r, bind_req, cut);
		CU_ASSERT_FALSE(ber_next(&r, &t));
		CU_ASSERT_EQUAL(r.err, BER_ETRUNC);
		CU_ASSERT_EQUAL(ber_frame(bind_req, cut, &total, &e), 0); /* wait for more */
	}
	CU_ASSERT_EQUAL(ber_frame(bind_req, sizeof bind_req, &total, &e), 1);
	CU_ASSERT_EQUAL(total, sizeof bind_req);
	/* an inner element running past its SEQUENCE */
	static const uint8_t inner[] = { 0x30, 0x05, 0x04, 0x10, 'a', 'b', 'c' };
	struct ber_reader r, in;
	struct ber_tlv t, s;
	ber_reader_init(&r, inner, sizeof inner);
	CU_ASSERT_TRUE(ber_next(&r, &t));
	ber_reader_sub(&in, &t);
	CU_ASSERT_FALSE(ber_next(&in, &s));
	CU_ASSERT_EQUAL(in.err, BER_ETRUNC);
	/* after an error every read fails */
	CU_ASSERT_FALSE(ber_next(&in, &s));
}

static void test_length_overflow(void)
{
	/* four length octets claiming 4 GiB: never read, framing waits (the server caps it) */
	static const uint8_t huge[] = { 0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01 };
	/* five length octets: refused outright */
	static const uint8_t five[] = { 0x30, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02 };
	struct ber_reader r;
	struct ber_tlv t;
	size_t total = 0;
	enum ber_err e = BER_OK;
	ber_reader_init(&r, huge, sizeof huge);
	CU_ASSERT_FALSE(ber_next(&r, &t));
	CU_ASSERT_EQUAL(r.err, BER_ETRUNC);
	CU_ASSERT_EQUAL(ber_frame(huge, sizeof huge, &total, &e), 0);
	CU_ASSERT_EQUAL(total, 6 + 0xffffffffull);
	ber_reader_init(&r, five, sizeof five);
	CU_ASSERT_FALSE(ber_next(&r, &t));
	CU_ASSERT_EQUAL(r.err, BER_ELENGTH);
	CU_ASSERT_EQUAL(ber_frame(five, sizeof five, &total, &e), -1);
	CU_ASSERT_EQUAL(e, BER_ELENGTH);
}

static void test_indefinite_refused(void)
{
	/* X.690 8.1.3.6: 0x80 then end-of-contents; RFC 4511 5.1 forbids it */
	static const uint8_t indef[] = { 0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00 };
	static const uint8_t bigtag[] = { 0x1f, 0x81, 0x00, 0x01, 0x00 };
	struct ber_reader r;
	struct ber_tlv t;
	size_t total;
	enum ber_err e = BER_OK;
	ber_reader_init(&r, indef, sizeof indef);
	CU_ASSERT_FALSE(ber_next(&r, &t));
	CU_ASSERT_EQUAL(r.err, BER_EINDEF);
	CU_ASSERT_EQUAL(ber_frame(indef, sizeof indef, &total, &e), -1);
	CU_ASSERT_EQUAL(e, BER_EINDEF);
	ber_reader_init(&r, bigtag, sizeof bigtag);
	CU_ASSERT_FALSE(ber_next(&r, &t));
	CU_ASSERT_EQUAL(r.err, BER_ETAG);
	CU_ASSERT_STRING_EQUAL(ber_strerror(BER_EINDEF), "indefinite length");
}

static void test_bad_values(void)
{
	static const uint8_t int0[] = { 0x02, 0x00 };
	static const uint8_t int5[] = { 0x02, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00 };
	static const uint8_t bool2[] = { 0x01, 0x02, 0xff, 0xff };
	static const uint8_t wrongtag[] = { 0x04, 0x01, 0x01 };
	struct ber_reader r;
	long v;
	bool b;
	ber_reader_init(&r, int0, sizeof int0);
	CU_ASSERT_FALSE(ber_get_int(&r, BER_INTEGER, &v));
	CU_ASSERT_EQUAL(r.err, BER_EVALUE);
	ber_reader_init(&r, int5, sizeof int5);
	CU_ASSERT_FALSE(ber_get_int(&r, BER_INTEGER, &v));
	CU_ASSERT_EQUAL(r.err, BER_EVALUE);
	ber_reader_init(&r, bool2, sizeof bool2);
	CU_ASSERT_FALSE(ber_get_bool(&r, BER_BOOLEAN, &b));
	CU_ASSERT_EQUAL(r.err, BER_EVALUE);
	ber_reader_init(&r, wrongtag, sizeof wrongtag);
	CU_ASSERT_FALSE(ber_get_int(&r, BER_INTEGER, &v));
	CU_ASSERT_EQUAL(r.err, BER_ETYPE);
}

static void test_writer_limits(void)
{
	uint8_t buf[50];
	CU_ASSERT_EQUAL(encode_bind(buf, sizeof buf), -1); /* 51 octets needed */
	struct ber_writer w;
	ber_writer_init(&w, buf, sizeof buf);
	ber_begin(&w, BER_SEQUENCE);
	CU_ASSERT_EQUAL(ber_finish(&w), -1); /* still open */
	ber_end(&w);
	CU_ASSERT_EQUAL(ber_finish(&w), 2);
	ber_end(&w);
	CU_ASSERT_EQUAL(ber_finish(&w), -1); /* one end too many */
}

/* ---- filters ---- */

struct fake_entry {
	const char *names[4], *values[4];
};

static bool fake_has(const void *entry, const char *attr, const char *value)
{
	const struct fake_entry *e = entry;
	for (int i = 0; i < 4 && e->names[i]; i++)
		if (strcasecmp(e->names[i], attr) == 0 && (!value || strcasecmp(e->values[i], value) == 0))
			return true;
	return false;
}

static int eval_text(const char *filter)
{
	static const struct fake_entry edwin = { { "uid", "cn", "mail" },
		                                 { "edwin", "Edwin Groothuis", "edwin@barnet.com.au" } };
	const struct ldap_attrs_view v = { .has = fake_has, .entry = &edwin };
	uint8_t buf[256];
	struct ber_writer w;
	struct ber_reader r;
	struct ber_tlv t;
	ber_writer_init(&w, buf, sizeof buf);
	if (!ldap_filter_encode(&w, filter))
		return -2;
	long len = ber_finish(&w);
	ber_reader_init(&r, buf, len > 0 ? (size_t)len : 0);
	if (!ber_next(&r, &t))
		return -3;
	return ldap_filter_eval(&t, &v, 0);
}

static void test_filters(void)
{
	CU_ASSERT_EQUAL(eval_text("(uid=edwin)"), 1);
	CU_ASSERT_EQUAL(eval_text("(UID=EDWIN)"), 1);
	CU_ASSERT_EQUAL(eval_text("uid=edwin"), 1);
	CU_ASSERT_EQUAL(eval_text("(uid=other)"), 0);
	CU_ASSERT_EQUAL(eval_text("(objectClass=*)"), 1);
	CU_ASSERT_EQUAL(eval_text("(telephoneNumber=*)"), 0);
	CU_ASSERT_EQUAL(eval_text("(&(cn=Edwin Groothuis)(mail=edwin@barnet.com.au))"), 1);
	CU_ASSERT_EQUAL(eval_text("(&(uid=edwin)(uid=other))"), 0);
	CU_ASSERT_EQUAL(eval_text("(|(uid=other)(uid=edwin))"), 1);
	CU_ASSERT_EQUAL(eval_text("(!(uid=other))"), 1);
	CU_ASSERT_EQUAL(eval_text("(cn=Edwin\\20Groothuis)"), 1);
	/* not RFC 4515, or not in the subset */
	CU_ASSERT_EQUAL(eval_text("(uid=edwin"), -2);
	CU_ASSERT_EQUAL(eval_text("(uid=ed*)"), -2);
	CU_ASSERT_EQUAL(eval_text("(uid~=edwin)"), -2);
	CU_ASSERT_EQUAL(eval_text("(!(a=b)(c=d))"), -2);
	CU_ASSERT_EQUAL(eval_text("(&)"), -2);
	CU_ASSERT_EQUAL(eval_text("((uid=edwin))"), -2);
	CU_ASSERT_EQUAL(eval_text("(uid=edwin)x"), -2);
	/* nesting: 8 levels below the top one are fine, 10 are refused */
	CU_ASSERT_EQUAL(eval_text("(&(&(&(&(&(&(&(&(uid=edwin)))))))))"), 1);
	CU_ASSERT_EQUAL(eval_text("(&(&(&(&(&(&(&(&(&(&(a=b)))))))))))"), -2);
}

/* The encoding of (&(objectClass=*)(uid=edwin)), by hand from RFC 4511 4.5.1. */
static void test_filter_bytes(void)
{
	static const uint8_t exp[] = {
		0xa0, 0x1b,                                     /* and [0], 13 + 14 octets */
		0x87, 0x0b, 'o', 'b', 'j', 'e', 'c', 't', 'C', 'l', 'a', 's', 's', /* present [7] */
		0xa3, 0x0c, 0x04, 0x03, 'u', 'i', 'd', 0x04, 0x05, 'e', 'd', 'w', 'i', 'n',
	};
	uint8_t buf[64];
	struct ber_writer w;
	ber_writer_init(&w, buf, sizeof buf);
	CU_ASSERT_TRUE(ldap_filter_encode(&w, "(&(objectClass=*)(uid=edwin))"));
	CU_ASSERT_EQUAL(ber_finish(&w), (long)sizeof exp);
	CU_ASSERT(memcmp(buf, exp, sizeof exp) == 0);
}

/* Malformed filters on the server's side: an error, never a read past the end. */
static void test_filter_malformed(void)
{
	static const uint8_t eq_short[] = { 0xa3, 0x03, 0x04, 0x05, 'u' };
	static const uint8_t and_bad[] = { 0xa0, 0x02, 0x30, 0x80 };
	static const uint8_t not_two[] = { 0xa2, 0x06, 0x87, 0x01, 'a', 0x87, 0x01, 'b' };
	const struct fake_entry e = { { "uid" }, { "edwin" } };
	const struct ldap_attrs_view v = { .has = fake_has, .entry = &e };
	struct ber_tlv t = { .tag = eq_short[0], .val = eq_short + 2, .len = 3 };
	CU_ASSERT_EQUAL(ldap_filter_eval(&t, &v, 0), -1);
	t = (struct ber_tlv){ .tag = and_bad[0], .val = and_bad + 2, .len = 2 };
	CU_ASSERT_EQUAL(ldap_filter_eval(&t, &v, 0), -1);
	t = (struct ber_tlv){ .tag = not_two[0], .val = not_two + 2, .len = 6 };
	CU_ASSERT_EQUAL(ldap_filter_eval(&t, &v, 0), -1);
	CU_ASSERT_EQUAL(ldap_filter_eval(&t, &v, LDAP_FILTER_DEPTH + 1), -1);
}

int suite_ber(void)
{
	CU_pSuite s = CU_add_suite("ber", NULL, NULL);
	if (!s)
		return -1;
	if (!CU_add_test(s, "bind_request_encoding", test_bind_request_encoding) ||
	    !CU_add_test(s, "search_request_encoding", test_search_request_encoding) ||
	    !CU_add_test(s, "integers", test_integers) ||
	    !CU_add_test(s, "bool_and_null", test_bool_and_null) ||
	    !CU_add_test(s, "long_form_lengths", test_long_form_lengths) ||
	    !CU_add_test(s, "decode_bind", test_decode_bind) ||
	    !CU_add_test(s, "truncated", test_truncated) ||
	    !CU_add_test(s, "length_overflow", test_length_overflow) ||
	    !CU_add_test(s, "indefinite_refused", test_indefinite_refused) ||
	    !CU_add_test(s, "bad_values", test_bad_values) ||
	    !CU_add_test(s, "writer_limits", test_writer_limits) ||
	    !CU_add_test(s, "filters", test_filters) ||
	    !CU_add_test(s, "filter_bytes", test_filter_bytes) ||
	    !CU_add_test(s, "filter_malformed", test_filter_malformed))
		return -1;
	return 0;
}
