/*
 * UDP (RFC 768) for both families: bound sockets, datagrams out with the
 * pseudo-header checksum, datagrams in to the socket bound to the port or
 * an ICMP port unreachable (what traceroute and a closed DNS port show).
 */
#include "tp_priv.h"

#include <stdlib.h>
#include <string.h>

#define UDP_HDRLEN 8
#define UDP_MAXDATA (PBUF_SIZE - PBUF_HEADROOM - 40 - UDP_HDRLEN)

struct udp_sock *udp_bind(struct sim_node *n, int family, uint16_t port, udp_recv_fn recv,
                          void *user)
{
	struct transport_node *tp = tp_of(n);
	if (!tp || (family != 4 && family != 6))
		return NULL;
	if (port == 0)
		port = tp_ephemeral_port(tp, IPPROTO4_UDP, (uint8_t)family);
	if (port == 0 || tp_port_in_use(tp, IPPROTO4_UDP, (uint8_t)family, port))
		return NULL;
	if (tp->nudp == tp->udpcap) {
		size_t cap = tp->udpcap ? tp->udpcap * 2 : 4;
		struct udp_sock **a = realloc(tp->udp, cap * sizeof *a);
		if (!a)
			return NULL;
		tp->udp = a;
		tp->udpcap = cap;
	}
	struct udp_sock *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->tp = tp;
	s->family = (uint8_t)family;
	s->port = port;
	s->recv = recv;
	s->user = user;
	tp->udp[tp->nudp++] = s;
	return s;
}

uint16_t udp_local_port(const struct udp_sock *s)
{
	return s->port;
}

bool udp_sock_at(struct sim_node *n, size_t i, struct tp_addr *local)
{
	struct transport_node *tp = tp_of(n);
	if (!tp || i >= tp->nudp)
		return false;
	memset(local, 0, sizeof *local);
	local->family = tp->udp[i]->family;
	local->port = tp->udp[i]->port;
	return true;
}

void udp_close(struct udp_sock *s)
{
	if (!s)
		return;
	struct transport_node *tp = s->tp;
	for (size_t i = 0; i < tp->nudp; i++) {
		if (tp->udp[i] != s)
			continue;
		memmove(&tp->udp[i], &tp->udp[i + 1], (tp->nudp - i - 1) * sizeof tp->udp[0]);
		tp->nudp--;
		break;
	}
	free(s);
}

void udp_free_all(struct transport_node *tp)
{
	for (size_t i = 0; i < tp->nudp; i++)
		free(tp->udp[i]);
	free(tp->udp);
	tp->udp = NULL;
	tp->nudp = tp->udpcap = 0;
}

int udp_sendto(struct udp_sock *s, const struct tp_addr *to, const uint8_t *data, size_t len,
               const char **err)
{
	const char *dummy;
	if (!err)
		err = &dummy;
	struct sim_node *n = s->tp->node;
	if (to->family != s->family) {
		*err = "Address family not supported by protocol family";
		return -1;
	}
	if (len > UDP_MAXDATA) {
		*err = "Message too long";
		return -1;
	}
	struct tp_addr src;
	if (tp_select_source(n, to, &src, err) != 0)
		return -1;
	uint8_t dgram[UDP_HDRLEN + UDP_MAXDATA];
	tp_wr16(dgram, s->port);
	tp_wr16(dgram + 2, to->port);
	tp_wr16(dgram + 4, (uint16_t)(UDP_HDRLEN + len));
	tp_wr16(dgram + 6, 0);
	if (len)
		memcpy(dgram + UDP_HDRLEN, data, len);
	uint16_t sum = tp_cksum(to->family, src.addr, to->addr, IPPROTO4_UDP, dgram, UDP_HDRLEN + len);
	tp_wr16(dgram + 6, sum ? sum : 0xffff); /* zero would mean "no checksum" */
	s->tp->udp_out++;
	return tp_ip_output(n, &src, to, IPPROTO4_UDP, false, dgram, UDP_HDRLEN + len, err);
}

void udp_input(struct transport_node *tp, const struct tp_pkt *pkt, const uint8_t *l4,
               size_t len)
{
	size_t ulen = tp_rd16(l4 + 4);
	if (ulen < UDP_HDRLEN || ulen > len) {
		tp->udp_badsum++;
		return;
	}
	tp->udp_in++;
	for (size_t i = 0; i < tp->nudp; i++) {
		struct udp_sock *s = tp->udp[i];
		if (s->port != pkt->dst.port || s->family != pkt->dst.family)
			continue;
		if (s->recv)
			s->recv(s->user, s, &pkt->src, &pkt->dst, l4 + UDP_HDRLEN, ulen - UDP_HDRLEN);
		return;
	}
	tp->udp_noport++;
	tp_port_unreach(tp->node, pkt);
}
