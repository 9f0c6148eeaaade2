/* Helpers of the network-layer suites; see nettest.h. */
#include "nettest.h"
#include "pktbuild.h"

#include <stdio.h>
#include <string.h>

void nt_tap(void *user, const struct sim_frame_info *f)
{
	struct nt_capture *c = user;
	if (c->n >= NT_MAX_FRAMES || f->lost)
		return;
	struct nt_frame *fr = &c->f[c->n++];
	fr->from = f->from;
	fr->at = f->time;
	fr->len = f->len < NT_FRAME_MAX ? f->len : NT_FRAME_MAX;
	memcpy(fr->data, f->data, fr->len);
}

static int frame_icmp6_type(const struct nt_frame *f)
{
	if (f->len < 14 + 40 + 1 || f->data[12] != 0x86 || f->data[13] != 0xdd ||
	    f->data[14 + 6] != 58)
		return -1;
	return f->data[14 + 40];
}

int nt_find_icmp6(const struct nt_capture *c, int start, uint8_t type)
{
	for (int i = start; i < c->n; i++)
		if (frame_icmp6_type(&c->f[i]) == type)
			return i;
	return -1;
}

int nt_count_icmp6(const struct nt_capture *c, uint8_t type)
{
	int n = 0;
	for (int i = 0; i < c->n; i++)
		n += frame_icmp6_type(&c->f[i]) == type;
	return n;
}

static void nt_echo_reply(void *user, struct sim_iface *ifp, const uint8_t *ip6, size_t len,
                          uint16_t id, uint16_t seq, const uint8_t *data, size_t dlen)
{
	(void)ifp, (void)len, (void)data, (void)dlen;
	struct nt_listener *l = user;
	l->replies++;
	l->last_id = id;
	l->last_seq = seq;
	l->last_hlim = ip6[7];
	memcpy(l->reply_src, ip6 + 8, 16);
}

static void nt_error(void *user, struct sim_iface *ifp, const uint8_t *ip6, size_t len,
                     uint8_t type, uint8_t code, const uint8_t *inner, size_t innerlen)
{
	(void)ifp, (void)ip6, (void)len, (void)inner, (void)innerlen;
	struct nt_listener *l = user;
	l->errors++;
	l->err_type = type;
	l->err_code = code;
}

void nt_listen(struct sim_node *n, struct nt_listener *l)
{
	memset(l, 0, sizeof *l);
	struct icmp6_listener il = { nt_echo_reply, nt_error, l };
	icmp6_listen(n, &il);
}

int nt_ping(struct sim_node *n, const uint8_t *src, const char *dst, struct sim_iface *oif,
            uint16_t id, uint16_t seq, uint8_t hlim, size_t datalen)
{
	uint8_t d[16], msg[1600] = { 128, 0, 0, 0 };
	if (datalen + 8 > sizeof msg)
		return -1;
	pb_addr6(dst, d);
	msg[4] = (uint8_t)(id >> 8);
	msg[5] = (uint8_t)id;
	msg[6] = (uint8_t)(seq >> 8);
	msg[7] = (uint8_t)seq;
	for (size_t i = 0; i < datalen; i++)
		msg[8 + i] = (uint8_t)i;
	if (src) {
		uint16_t c = ip6_checksum(src, d, 58, msg, 8 + datalen);
		msg[2] = (uint8_t)(c >> 8);
		msg[3] = (uint8_t)c;
	}
	return ip6_output(n, src, d, 58, hlim, msg, 8 + datalen, oif, NULL);
}

struct sim_iface *nt_node(struct sim *sim, const char *name, enum sim_node_kind kind,
                          const char *ifname, const uint8_t mac[6], struct sim_link *link)
{
	struct sim_node *n = sim_node_add(sim, name, kind);
	struct sim_iface *ifp = sim_iface_add(n, ifname, mac);
	if (link)
		sim_link_attach(link, ifp);
	net_node_init(n);
	return ifp;
}

int nt_same(const char *what, const uint8_t *got, size_t glen, const uint8_t *exp, size_t elen)
{
	size_t n = glen < elen ? glen : elen;
	for (size_t i = 0; i < n; i++) {
		if (got[i] != exp[i]) {
			fprintf(stderr, "\n%s: byte %zu differs: got %02x, expected %02x\n", what, i,
			        got[i], exp[i]);
			return 0;
		}
	}
	if (glen != elen) {
		fprintf(stderr, "\n%s: length %zu, expected %zu\n", what, glen, elen);
		return 0;
	}
	return 1;
}
