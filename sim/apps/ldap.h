/*
 * The LDAPv3 subset (RFC 4511) that ldapd serves and ldapsearch asks:
 * protocol operation tags, result codes with OpenLDAP's texts, filter
 * choices, and the two halves of the filter codec both sides share.
 */
#ifndef V6LAB_LDAP_H
#define V6LAB_LDAP_H

#include "../net/ber.h"

#include <stdbool.h>

#define LDAP_PORT 389

/* protocolOp tags (RFC 4511 section 4.2 ff., appendix B). */
enum {
	LDAP_BIND_REQ = 0x60,         /* [APPLICATION 0] constructed */
	LDAP_BIND_RESP = 0x61,
	LDAP_UNBIND_REQ = 0x42,       /* [APPLICATION 2] NULL, primitive */
	LDAP_SEARCH_REQ = 0x63,
	LDAP_SEARCH_ENTRY = 0x64,
	LDAP_SEARCH_DONE = 0x65,
	LDAP_ABANDON_REQ = 0x50,
	LDAP_AUTH_SIMPLE = 0x80,      /* AuthenticationChoice simple [0] */
	LDAP_CONTROLS = 0xa0,         /* LDAPMessage controls [0] */
};

/* Filter CHOICE tags (RFC 4511 section 4.5.1). */
enum {
	LDAP_FILTER_AND = 0xa0,
	LDAP_FILTER_OR = 0xa1,
	LDAP_FILTER_NOT = 0xa2,
	LDAP_FILTER_EQUALITY = 0xa3,
	LDAP_FILTER_PRESENT = 0x87,
};

enum ldap_scope { LDAP_SCOPE_BASE = 0, LDAP_SCOPE_ONE = 1, LDAP_SCOPE_SUB = 2 };

enum {
	LDAP_SUCCESS = 0,
	LDAP_PROTOCOL_ERROR = 2,
	LDAP_AUTH_METHOD_NOT_SUPPORTED = 7,
	LDAP_NO_SUCH_OBJECT = 32,
	LDAP_INVALID_CREDENTIALS = 49,
};
/* ldap_err2string(3)'s text: "Success", "No such object", ... */
const char *ldap_result_text(long code);

#define LDAP_FILTER_DEPTH 8

/*
 * A filter in RFC 4515 text ("(uid=edwin)", "(&(objectClass=*)(cn=x))")
 * into BER: equality, present, and, or, not. false when the text is not
 * one (OpenLDAP: "Bad search filter").
 */
bool ldap_filter_encode(struct ber_writer *w, const char *text);

/* What an entry offers a filter: its attributes' values by name (case-insensitive). */
struct ldap_attrs_view {
	bool (*has)(const void *entry, const char *attr, const char *value /* NULL: any */);
	const void *entry;
};
/* 1 matches, 0 does not, -1 malformed filter (a protocol error). */
int ldap_filter_eval(const struct ber_tlv *filter, const struct ldap_attrs_view *v, int depth);

#endif /* V6LAB_LDAP_H */
