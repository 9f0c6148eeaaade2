/*
 * PPPoE (RFC 2516): discovery (PADI/PADO/PADR/PADS/PADT) and the session
 * stage, as a client (ppp(8) with `set device PPPoE:sk0`) and as an access
 * concentrator (the `isp` node). PPP frames passed in and out start at the
 * PPP protocol field (no address/control bytes, RFC 2516 section 7).
 */
#ifndef V6LAB_PPPOE_H
#define V6LAB_PPPOE_H

#include "../core/sim.h"

#define ETHERTYPE_PPPOE_DISC 0x8863
#define ETHERTYPE_PPPOE_SESS 0x8864
#define PPPOE_MTU 1492 /* 1500 - 6 (PPPoE header) - 2 (PPP protocol) */
/* Client retransmissions of PADI and PADR: FreeBSD ng_pppoe's first wait
 * (2 s) doubling up to its limit (64 s), as RFC 2516 5.1 asks; the client
 * gives up after PPPOE_MAX_TRIES sends of the same packet (PADI at 0, 2, 6,
 * 14 and 30 s, `down` at 62 s), where ng_pppoe would go on for ever. */
#define PPPOE_INITIAL_TIMEOUT_S 2
#define PPPOE_TIMEOUT_LIMIT_S 64
#define PPPOE_MAX_TRIES 5

struct pppoe_session;
struct pppoe_ac;

struct pppoe_client_cb {
	/* Discovery finished (PADS received): the session may carry PPP. */
	void (*up)(void *user, struct pppoe_session *s);
	/* Discovery gave up (no PADO after the retries), PADT received, or
	 * pppoe_client_stop: `why` is the message ppp(8) would log:
	 * "Received NGM_PPPOE_FAIL" (no PADO or PADS after PPPOE_MAX_TRIES,
	 * or a PADS refusing the service), "Received NGM_PPPOE_CLOSE" (PADT,
	 * or pppoe_client_stop). Called once; the session stays allocated
	 * (pppoe_send fails) until pppoe_client_stop, which may be called
	 * from this callback. */
	void (*down)(void *user, const char *why);
	/* A PPP frame arrived in the session. */
	void (*recv)(void *user, const uint8_t *ppp, size_t len);
	void *user;
};

/* Start discovery on an Ethernet interface (Service-Name may be ""). */
struct pppoe_session *pppoe_client_start(struct sim_iface *ifp, const char *service,
                                         const struct pppoe_client_cb *cb);
/* Send PADT if the session is up (with ng_pppoe's Generic-Error "session
 * closed"), stop timers, call `down` if not called yet, free. Sessions
 * still open at sim_free are cut loose, not freed: stop them (a free hook
 * may do it, before or after PPPoE's own). */
void pppoe_client_stop(struct pppoe_session *s);

struct pppoe_ac_cb {
	void (*session_up)(void *user, struct pppoe_session *s);    /* PADS sent */
	/* PADT either way; `s` is freed when this returns. */
	void (*session_down)(void *user, struct pppoe_session *s);
	void (*recv)(void *user, struct pppoe_session *s, const uint8_t *ppp, size_t len);
	void *user;
};

/* Serve PADIs on an Ethernet interface as AC-Name, offering `service`
 * ("" or "*": any). No state per PADI: the AC-Cookie is computed from the
 * two MACs and checked in the PADR. Session ids from 1, counting up. */
struct pppoe_ac *pppoe_ac_start(struct sim_iface *ifp, const char *ac_name, const char *service,
                                const struct pppoe_ac_cb *cb);
/* PADT and session_down for every session, then free. */
void pppoe_ac_stop(struct pppoe_ac *ac);
/* AC side: end one session with PADT. */
void pppoe_ac_close(struct pppoe_ac *ac, struct pppoe_session *s);

/* Send a PPP frame (protocol field first) in the session. -1 when down. */
int pppoe_send(struct pppoe_session *s, const uint8_t *ppp, size_t len);
uint16_t pppoe_session_id(const struct pppoe_session *s);
void pppoe_session_set_user(struct pppoe_session *s, void *user);
void *pppoe_session_user(const struct pppoe_session *s);
/* State name for traces and tests: "idle", "padi-sent", "padr-sent",
 * "session", "dead". */
const char *pppoe_session_state(const struct pppoe_session *s);

/* Ethernet input for 0x8863/0x8864 (called by net/stack.c's ether_input):
 * `frame` starts at the Ethernet header (the source MAC is the peer's). */
void pppoe_input(struct sim_iface *ifp, uint16_t ethertype, const uint8_t *frame, size_t len);

/* Tag codec (pppoe_tags.c), exposed for tests: TLVs after the 6-byte header. */
struct pppoe_tag {
	uint16_t type;
	uint16_t len;
	const uint8_t *value;
};
#define PPPOE_TAG_END_OF_LIST 0x0000
#define PPPOE_TAG_SERVICE_NAME 0x0101
#define PPPOE_TAG_AC_NAME 0x0102
#define PPPOE_TAG_HOST_UNIQ 0x0103
#define PPPOE_TAG_AC_COOKIE 0x0104
#define PPPOE_TAG_SERVICE_NAME_ERROR 0x0201
#define PPPOE_TAG_AC_SYSTEM_ERROR 0x0202
#define PPPOE_TAG_GENERIC_ERROR 0x0203
/* Decode up to `max` tags from a PPPoE payload. Returns the count, or -1 with
 * *err_off set to the offset of the first tag that runs past the end.
 * Decoding stops at End-Of-List (not returned); tags past `max` are still
 * checked but not stored. */
int pppoe_tags_decode(const uint8_t *p, size_t len, struct pppoe_tag *tags, int max,
                      size_t *err_off);
/* Append a tag; returns bytes written or 0 if it does not fit. */
size_t pppoe_tag_put(uint8_t *p, size_t room, uint16_t type, const void *value, uint16_t len);

#endif /* V6LAB_PPPOE_H */
