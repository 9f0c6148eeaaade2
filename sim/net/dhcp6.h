/*
 * DHCPv6 (RFC 8415) with prefix delegation: the message and option codec
 * (net/dhcp6_codec.c), and the two daemons built on it, WIDE-DHCPv6's
 * dhcp6c (apps/dhcp6c.c) and a delegating dhcp6s (apps/dhcp6s.c).
 *
 * The codec is pure: bytes in, a struct dhcp6_msg out (and back). Every
 * read is length-checked; a malformed message is refused with the offset
 * (from the first byte of the DHCPv6 message) of the first bad option.
 */
#ifndef V6LAB_DHCP6_H
#define V6LAB_DHCP6_H

#include "../core/sim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547
/* All_DHCP_Relay_Agents_and_Servers, ff02::1:2 */
extern const uint8_t dhcp6_all_agents[16];

enum dhcp6_msgtype {
	DH6_SOLICIT = 1,
	DH6_ADVERTISE = 2,
	DH6_REQUEST = 3,
	DH6_CONFIRM = 4,
	DH6_RENEW = 5,
	DH6_REBIND = 6,
	DH6_REPLY = 7,
	DH6_RELEASE = 8,
	DH6_DECLINE = 9,
	DH6_RECONFIGURE = 10,
	DH6_INFORM_REQ = 11,
};

enum dhcp6_optcode {
	DH6OPT_CLIENTID = 1,
	DH6OPT_SERVERID = 2,
	DH6OPT_IA_NA = 3,
	DH6OPT_ORO = 6,
	DH6OPT_PREFERENCE = 7,
	DH6OPT_ELAPSED_TIME = 8,
	DH6OPT_STATUS_CODE = 13,
	DH6OPT_RAPID_COMMIT = 14,
	DH6OPT_DNS_SERVERS = 23,
	DH6OPT_IA_PD = 25,
	DH6OPT_IAPREFIX = 26,
};

enum dhcp6_status {
	DH6ST_SUCCESS = 0,
	DH6ST_UNSPECFAIL = 1,
	DH6ST_NOADDRSAVAIL = 2,
	DH6ST_NOBINDING = 3,
	DH6ST_NOTONLINK = 4,
	DH6ST_USEMULTICAST = 5,
	DH6ST_NOPREFIXAVAIL = 6,
};

#define DHCP6_INFINITY 0xffffffffu   /* a lifetime or T1/T2 that never ends */
#define DHCP6_DUID_MAX 130           /* 2 bytes of type + at most 128 (RFC 8415 11.1) */
#define DHCP6_MAX_PREFIX 4           /* IAPREFIXes kept per IA_PD */
#define DHCP6_MAX_IAPD 4
#define DHCP6_MAX_ORO 8
#define DHCP6_MAX_DNS 4
#define DHCP6_STATUS_MSG_MAX 64
#define DHCP6_MSG_MAX 1024           /* biggest message we build */

struct dhcp6_duid {
	uint16_t len;                    /* 0: absent */
	uint8_t id[DHCP6_DUID_MAX];
};

struct dhcp6_prefix {
	uint32_t preferred, valid;       /* seconds, DHCP6_INFINITY */
	uint8_t plen;
	uint8_t addr[16];
	bool has_status;                 /* a Status Code inside the IAPREFIX */
	uint16_t status;
};

struct dhcp6_iapd {
	uint32_t iaid, t1, t2;
	size_t nprefix;
	struct dhcp6_prefix prefix[DHCP6_MAX_PREFIX];
	bool has_status;                 /* a Status Code inside the IA_PD */
	uint16_t status;
};

/* A message as the daemons see it; what is not there is zero / false. */
struct dhcp6_msg {
	uint8_t type;                    /* enum dhcp6_msgtype */
	uint32_t xid;                    /* 24 bits */
	struct dhcp6_duid clientid, serverid;
	bool has_elapsed;
	uint16_t elapsed;                /* hundredths of a second */
	bool has_pref;
	uint8_t pref;
	bool rapid_commit;
	bool has_status;
	uint16_t status;
	char status_msg[DHCP6_STATUS_MSG_MAX]; /* UTF-8 text, cut, NUL-terminated */
	size_t noro;
	uint16_t oro[DHCP6_MAX_ORO];
	size_t ndns;
	uint8_t dns[DHCP6_MAX_DNS][16];
	size_t niapd;
	struct dhcp6_iapd iapd[DHCP6_MAX_IAPD];
};

/* ---- option walker ---------------------------------------------------- */

enum dhcp6_err {
	DHCP6_OK = 0,
	DHCP6_ERR_SHORT,      /* fewer than 4 bytes: no type and transaction id */
	DHCP6_ERR_OPTHDR,     /* fewer than 4 bytes left for an option header */
	DHCP6_ERR_OPTLEN,     /* the option's length runs past its container */
	DHCP6_ERR_BADLEN,     /* a length the option's format does not allow */
	DHCP6_ERR_DUP,        /* an option that may appear once came twice */
	DHCP6_ERR_TOOMANY,    /* more IA_PDs / prefixes / ... than we keep */
	DHCP6_ERR_NOSPACE,    /* encoder: the buffer is too small */
};

struct dhcp6_error {
	enum dhcp6_err code;
	size_t offset;        /* of the offending option's header, from the message start */
	uint16_t option;      /* its code (0 for DHCP6_ERR_SHORT) */
};

struct dhcp6_opt {
	uint16_t code;
	uint16_t len;
	const uint8_t *val;
	size_t offset;        /* of the option header, from the message start */
};

/* Walks the options of one container (the message, an IA_PD, an IAPREFIX). */
struct dhcp6_opt_iter {
	const uint8_t *p;
	size_t len, pos;
	size_t base;          /* offset of p[0] from the message start */
};

void dhcp6_opt_iter_init(struct dhcp6_opt_iter *it, const uint8_t *p, size_t len, size_t base);
/* 1 and *o filled for the next option, 0 at the end, -1 with *err when
 * the next option does not fit (DHCP6_ERR_OPTHDR / DHCP6_ERR_OPTLEN). */
int dhcp6_opt_next(struct dhcp6_opt_iter *it, struct dhcp6_opt *o, struct dhcp6_error *err);

/* ---- messages ------------------------------------------------------------ */

/* Decode a whole message (client/server format, not relay). 0, or -1 with
 * *err. Unknown options are skipped (RFC 8415 16); options kept are
 * checked against their formats, nested ones too. */
int dhcp6_decode(const uint8_t *p, size_t len, struct dhcp6_msg *m, struct dhcp6_error *err);
/* Encode into buf; returns the length, or 0 when cap is too small. The
 * options go in WIDE-DHCPv6's order: Client ID, Server ID, Rapid Commit,
 * Preference, Elapsed Time, Status Code, ORO, DNS servers, IA_PDs. */
size_t dhcp6_encode(const struct dhcp6_msg *m, uint8_t *buf, size_t cap);
/* "offset 28: option 25 (IA_PD) runs past its container" and the like. */
void dhcp6_strerror(const struct dhcp6_error *err, char *buf, size_t len);

/* Names as WIDE's dhcp6msgstr prints them ("solicit", "advertise", ...;
 * "msgN" otherwise) and as tcpdump prints them ("inf-req", "msgtype-N"). */
const char *dhcp6_msg_name(uint8_t type, char *buf, size_t len);
const char *dhcp6_msg_tcpdump_name(uint8_t type, char *buf, size_t len);
const char *dhcp6_opt_name(uint16_t code);           /* NULL when unknown */
const char *dhcp6_status_name(uint16_t status, char *buf, size_t len); /* WIDE's words */

/*
 * DUID-LLT (RFC 8415 11.2) as WIDE's get_duid makes it: type 1, hardware
 * type 1 (Ethernet), time = seconds since 2000-01-01 00:00 UTC modulo 2^32
 * (taken from the virtual clock by the caller), the MAC.
 */
void dhcp6_duid_llt(struct dhcp6_duid *d, uint32_t time_since_2000, const uint8_t mac[6]);
#define DHCP6_EPOCH_2000 946684800u  /* 2000-01-01 00:00:00 UTC in Unix time */
/* "00:01:00:01:12:80:4e:37:00:0f:ea:2c:d5:18" (WIDE's duidstr). */
void dhcp6_duid_str(const struct dhcp6_duid *d, char *buf, size_t len);
bool dhcp6_duid_eq(const struct dhcp6_duid *a, const struct dhcp6_duid *b);

/*
 * The interface prefix WIDE carves out of a delegated prefix for a
 * prefix-interface: plen + sla_len bits, the SLA ID in the bits just below
 * the interface ID (add_ifprefix). False when plen + sla_len > 64 (WIDE:
 * "invalid prefix length"); out gets the /(plen+sla_len) prefix.
 */
bool dhcp6_carve(const uint8_t prefix[16], uint8_t plen, uint32_t sla_id, uint8_t sla_len,
                 uint8_t out[16], uint8_t *out_plen);

/* ---- the daemons (apps/dhcp6c.c, apps/dhcp6s.c) --------------------------- */

/* SIGTERM, as `killall dhcp6c` sends it: Release the delegated prefixes
 * (the Reply or REL_MAX_RC tries end it), then "exiting". Returns -1 when
 * no dhcp6c runs on the node. */
int dhcp6c_terminate(struct sim_node *n);
/* "INIT", "SOLICIT", "REQUEST", "BOUND", "RENEW", "REBIND", "RELEASE", or
 * "EXITED" when no dhcp6c runs on the node (tests, traces). */
const char *dhcp6c_state_name(const struct sim_node *n);
/* The server stops at once (it has nothing to release). */
int dhcp6s_terminate(struct sim_node *n);
/* Serve on an interface that appeared after dhcp6s started (the ISP's
 * per-customer tun): joins ff02::1:2 there. 0, or -1 without a dhcp6s. */
int dhcp6s_add_iface(struct sim_node *n, struct sim_iface *ifp);

#endif /* V6LAB_DHCP6_H */
