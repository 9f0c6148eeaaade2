/*
 * ICMP for IPv4 (RFC 792, with RFC 1122/1812's rules for errors): echo
 * replies, errors sent about packets we cannot deliver or forward, and
 * echo replies / errors handed to the node's listeners (ping).
 */
#include "net.h"
#include "cksum.h"

#include <stdlib.h>
#include <string.h>

#define ICMP_HDRLEN 8
#define ICMP_QUOTE 8          /* net.inet.icmp.quotelen: bytes after the header */
#define ICMP_ERRS_PER_S 200   /* net.inet.icmp.icmplim */
#define ICMP_MAXLEN 576       /* RFC 1812 4.3.2.3: an error fits in 576 bytes */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static uint16_t icmp_sum(const uint8_t *icmp, size_t len)
{
	return inet_cksum(icmp, len);
}

/* ---- listeners ---------------------------------------------------------- */

int icmp4_listen(struct sim_node *n, const struct icmp4_listener *l)
{
	struct ip4_node *st = ip4_node(n);
	if (!st)
		return -1;
	if (st->nlisteners == st->lcap) {
		size_t cap = st->lcap ? st->lcap * 2 : 4;
		struct icmp4_listener *a = realloc(st->listeners, cap * sizeof *a);
		if (!a)
			return -1;
		st->listeners = a;
		st->lcap = cap;
	}
	st->listeners[st->nlisteners++] = *l;
	return 0;
}

/* Drop the blanked slots once no callback is running. */
static void listeners_compact(struct ip4_node *st)
{
	size_t j = 0;
	for (size_t i = 0; i < st->nlisteners; i++)
		if (st->listeners[i].echo_reply || st->listeners[i].error)
			st->listeners[j++] = st->listeners[i];
	st->nlisteners = j;
}

void icmp4_unlisten(struct sim_node *n, void *user)
{
	struct ip4_node *st = n->net ? n->net->ip4 : NULL;
	if (!st)
		return;
	for (size_t i = 0; i < st->nlisteners; i++) {
		if (st->listeners[i].user == user) {
			st->listeners[i].echo_reply = NULL;
			st->listeners[i].error = NULL;
		}
	}
	if (!st->lbusy)
		listeners_compact(st);
}

/* ---- errors we send ----------------------------------------------------- */

static bool is_icmp_error_type(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/* RFC 1122 3.2.2 / RFC 1812 4.3.2.7: when an error must not be sent. */
static bool error_allowed(const uint8_t *ip, size_t len, size_t hlen)
{
	const uint8_t *src = ip + 12, *dst = ip + 16;
	if ((rd16(ip + 6) & 0x1fff) != 0)
		return false; /* not the first fragment */
	if (dst[0] >= 224 || memcmp(dst, "\xff\xff\xff\xff", 4) == 0)
		return false;
	if (src[0] == 0 || src[0] == 127 || src[0] >= 224)
		return false;
	if (ip[9] == IPPROTO4_ICMP && (len < hlen + 1 || is_icmp_error_type(ip[hlen])))
		return false; /* never an error about an error */
	return true;
}

/* The same one-second window limiter as FreeBSD's badport_bandlim. */
static bool rate_ok(struct sim_node *n, struct ip4_node *st)
{
	sim_time now = n->sim->now;
	if (now - st->icmp_lim_start >= SIM_S || now < st->icmp_lim_start) {
		st->icmp_lim_start = now;
		st->icmp_lim_count = 0;
	}
	return st->icmp_lim_count++ < ICMP_ERRS_PER_S;
}

void icmp4_error(struct sim_node *n, const uint8_t *offending, size_t len, uint8_t type,
                 uint8_t code, uint32_t param)
{
	struct ip4_node *st = ip4_node(n);
	if (!st || len < 20 || offending[0] >> 4 != 4)
		return;
	size_t hlen = (size_t)(offending[0] & 15) * 4;
	if (hlen < 20 || hlen > len || !error_allowed(offending, len, hlen) || !rate_ok(n, st))
		return;
	/* Quote the header and 8 bytes, or the whole TCP header (FreeBSD). */
	size_t quote = ICMP_QUOTE;
	if (offending[9] == IPPROTO4_TCP && len >= hlen + 13) {
		size_t thlen = (size_t)(offending[hlen + 12] >> 4) * 4;
		if (thlen > quote)
			quote = thlen;
	}
	size_t inner = hlen + quote < len ? hlen + quote : len;
	if (inner > ICMP_MAXLEN - 20 - ICMP_HDRLEN)
		inner = ICMP_MAXLEN - 20 - ICMP_HDRLEN;
	uint8_t msg[ICMP_MAXLEN];
	memset(msg, 0, ICMP_HDRLEN);
	msg[0] = type;
	msg[1] = code;
	if (type == ICMP4_PARAMPROB)
		msg[4] = (uint8_t)param;
	else if (type == ICMP4_UNREACH && code == ICMP4_UNREACH_NEEDFRAG)
		wr16(msg + 6, (uint16_t)param);
	memcpy(msg + ICMP_HDRLEN, offending, inner);
	wr16(msg + 2, icmp_sum(msg, ICMP_HDRLEN + inner));
	st->icmp_out++;
	ip4_output(n, NULL, offending + 12, IPPROTO4_ICMP, n->net->ttl ? n->net->ttl : 64, msg,
	           ICMP_HDRLEN + inner, NULL);
}

/* ---- input ------------------------------------------------------------- */

/* Echo reply from the address the request was sent to, with the
 * request's id, seq and data. */
static void echo_reply(struct sim_iface *ifp, const uint8_t *ip4, const uint8_t *icmp,
                       size_t icmplen)
{
	struct sim_node *n = ifp->node;
	uint8_t msg[PBUF_SIZE];
	if (icmplen > sizeof msg)
		return;
	memcpy(msg, icmp, icmplen);
	msg[0] = ICMP4_ECHOREPLY;
	wr16(msg + 2, 0);
	wr16(msg + 2, icmp_sum(msg, icmplen));
	ip4_output(n, ip4 + 16, ip4 + 12, IPPROTO4_ICMP, n->net->ttl ? n->net->ttl : 64, msg, icmplen,
	           NULL);
}

static void to_listeners(struct sim_iface *ifp, struct ip4_node *st, const uint8_t *ip4,
                         size_t len, const uint8_t *icmp, size_t icmplen)
{
	/* A callback may listen or unlisten: slots stay in place meanwhile,
	 * and listeners added now are not called for this packet. */
	st->lbusy++;
	size_t count = st->nlisteners;
	for (size_t i = 0; i < count; i++) {
		struct icmp4_listener l = st->listeners[i];
		if (icmp[0] == ICMP4_ECHOREPLY && l.echo_reply)
			l.echo_reply(l.user, ifp, ip4, len, rd16(icmp + 4), rd16(icmp + 6),
			             icmp + ICMP_HDRLEN, icmplen - ICMP_HDRLEN);
		else if (icmp[0] != ICMP4_ECHOREPLY && l.error)
			l.error(l.user, ifp, ip4, len, icmp[0], icmp[1], icmp + ICMP_HDRLEN,
			        icmplen - ICMP_HDRLEN);
	}
	if (--st->lbusy == 0)
		listeners_compact(st);
}

void icmp4_input(struct sim_iface *ifp, const uint8_t *ip4, size_t len, const uint8_t *icmp,
                 size_t icmplen)
{
	struct ip4_node *st = ip4_node(ifp->node);
	if (!st || icmplen < ICMP_HDRLEN || icmp_sum(icmp, icmplen) != 0)
		return;
	st->icmp_in++;
	uint8_t type = icmp[0];
	/* Broadcast pings go unanswered (net.inet.icmp.bmcastecho=0). */
	if (type == ICMP4_ECHO && !ip4_is_broadcast(ifp, ip4 + 16) && ip4[16] < 224)
		echo_reply(ifp, ip4, icmp, icmplen);
	else if (type == ICMP4_ECHOREPLY || is_icmp_error_type(type))
		to_listeners(ifp, st, ip4, len, icmp, icmplen);
}

int icmp4_echo_send(struct sim_node *n, const uint8_t *src, const uint8_t dst[4], uint8_t ttl,
                    uint16_t id, uint16_t seq, const uint8_t *data, size_t dlen,
                    const char **err_reason)
{
	uint8_t msg[PBUF_SIZE];
	if (dlen > sizeof msg - ICMP_HDRLEN) {
		if (err_reason)
			*err_reason = "Message too long";
		return -1;
	}
	msg[0] = ICMP4_ECHO;
	msg[1] = 0;
	wr16(msg + 2, 0);
	wr16(msg + 4, id);
	wr16(msg + 6, seq);
	if (dlen)
		memcpy(msg + ICMP_HDRLEN, data, dlen);
	wr16(msg + 2, icmp_sum(msg, ICMP_HDRLEN + dlen));
	return ip4_output(n, src, dst, IPPROTO4_ICMP, ttl, msg, ICMP_HDRLEN + dlen, err_reason);
}
