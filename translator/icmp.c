/*
 * ICMP <-> ICMPv6: echo translation, the type/code tables of RFC 7915
 * sections 4.2 and 5.2, translation of ICMP errors together with the
 * packet they quote, and the errors the translator sends itself.
 */
#include "xlate.h"

/* ------------------------------------------------------------------ */
/* Errors sent by the translator                                       */
/* ------------------------------------------------------------------ */

static bool v6_is_unspecified(const uint8_t *a)
{
	static const uint8_t zero[16];
	return memcmp(a, zero, 16) == 0;
}

/*
 * The translator acts as a router (RFC 7915 1.3): its errors must come from
 * an address of its own, or traceroute6 would show the destination as the
 * hop that answered. In NAPT mode that is its first pool4 address, mapped
 * into IPv6 like any IPv4 address (tayga does the same with its ipv4-addr);
 * in stateless mode it has none, and the packet's destination stands in.
 */
static const uint8_t *own_source6(const struct nat6to4 *nat, const uint8_t *dst, uint8_t buf[16])
{
	const struct nat6to4_config *cfg = &nat->cfg;
	if (cfg->mode == N64_MODE_NAPT && cfg->npool > 0 &&
	    addrmap_4to6(cfg, cfg->pool[0].first, 0, buf) == NAT6TO4_R_OK)
		return buf;
	return dst;
}

static const uint8_t *own_source4(const struct nat6to4 *nat, const uint8_t *dst, uint8_t buf[4])
{
	const struct nat6to4_config *cfg = &nat->cfg;
	if (cfg->mode != N64_MODE_NAPT || cfg->npool == 0)
		return dst;
	n64_v4 a = cfg->pool[0].first;
	buf[0] = (uint8_t)(a >> 24);
	buf[1] = (uint8_t)(a >> 16);
	buf[2] = (uint8_t)(a >> 8);
	buf[3] = (uint8_t)a;
	return buf;
}

struct nat6to4_verdict icmp6_send_error(struct nat6to4 *nat, const struct n64_ip6 *ip,
                                        uint8_t type, uint8_t code, uint32_t param,
                                        enum nat6to4_reason reason)
{
	const uint8_t *h = ip->hdr;
	uint8_t *o = nat->err;

	/* RFC 4443 2.4(e): not about non-first fragments, multicast or unspecified. */
	if ((ip->has_frag && ip->frag_off != 0) || v6_is_unspecified(h + 8) || h[8] == 0xff ||
	    h[24] == 0xff)
		return n64_drop(reason);
	size_t quote = ip->len;
	if (quote > N64_ICMP6_ERR_MAX - N64_IP6_HLEN - N64_ICMP_HLEN)
		quote = N64_ICMP6_ERR_MAX - N64_IP6_HLEN - N64_ICMP_HLEN;
	uint16_t plen = (uint16_t)(N64_ICMP_HLEN + quote);
	uint8_t own[16];
	ip6_write(o, 0, plen, N64_PROTO_ICMP6, 64, own_source6(nat, h + 24, own), h + 8);
	o[40] = type;
	o[41] = code;
	o[42] = 0;
	o[43] = 0;
	wr32(o + 44, param);
	memcpy(o + N64_IP6_HLEN + N64_ICMP_HLEN, h, quote);
	uint32_t sum = csum_pseudo6(o + 8, o + 24, plen, N64_PROTO_ICMP6);
	uint16_t c = csum_finish(csum_add(sum, o + N64_IP6_HLEN, plen));
	memcpy(o + 42, &c, 2);
	core_emit(nat, o, N64_IP6_HLEN + plen, 6, NAT6TO4_OUT_ICMP_ERROR);
	return n64_verdict(NAT6TO4_ERROR_SENT, reason);
}

/* RFC 1812 4.3.2.7: no error to or about broadcast, multicast, this-host, loopback. */
static bool v4_may_get_error(const uint8_t *src, const uint8_t *dst)
{
	return src[0] != 0 && src[0] != 127 && src[0] < 224 && dst[0] < 224;
}

struct nat6to4_verdict icmp4_send_error(struct nat6to4 *nat, const struct n64_ip4 *ip,
                                        uint8_t type, uint8_t code, uint32_t rest,
                                        enum nat6to4_reason reason)
{
	const uint8_t *h = ip->hdr;
	uint8_t *o = nat->err;

	if (ip->frag_off != 0 || !v4_may_get_error(h + 12, h + 16))
		return n64_drop(reason);
	size_t quote = ip->len;
	if (quote > N64_ICMP4_ERR_MAX - N64_IP4_HLEN - N64_ICMP_HLEN)
		quote = N64_ICMP4_ERR_MAX - N64_IP4_HLEN - N64_ICMP_HLEN;
	uint16_t total = (uint16_t)(N64_IP4_HLEN + N64_ICMP_HLEN + quote);
	uint8_t own[4];
	ip4_write(o, 0, total, frag_next_id4(nat->frags), 0, 64, N64_PROTO_ICMP,
	          own_source4(nat, h + 16, own), h + 12);
	uint8_t *icmp = o + N64_IP4_HLEN;
	icmp[0] = type;
	icmp[1] = code;
	icmp[2] = 0;
	icmp[3] = 0;
	wr32(icmp + 4, rest);
	memcpy(icmp + N64_ICMP_HLEN, h, quote);
	uint16_t c = csum_finish(csum_add(0, icmp, N64_ICMP_HLEN + quote));
	memcpy(icmp + 2, &c, 2);
	core_emit(nat, o, total, 4, NAT6TO4_OUT_ICMP_ERROR);
	return n64_verdict(NAT6TO4_ERROR_SENT, reason);
}

/* ------------------------------------------------------------------ */
/* Echo                                                                */
/* ------------------------------------------------------------------ */

static uint8_t echo_type(uint8_t type, bool to6)
{
	if (to6)
		return type == 8 ? 128 : 129;
	return type == 128 ? 8 : 0;
}

/* RFC 7915 4.2/5.2: the type changes, and only ICMPv6 sums a pseudo-header. */
void icmp_echo_xlate(uint8_t *l4, size_t l4len, bool to6, const struct n64_readdr *r, uint32_t ulen)
{
	if (l4len < 4) { /* quoted and cut short: no checksum to keep right */
		if (l4len >= 1)
			l4[0] = echo_type(l4[0], to6);
		return;
	}
	uint32_t old_sum = 0, new_sum = 0;
	if (to6)
		new_sum = csum_pseudo6(r->nsrc, r->ndst, ulen, N64_PROTO_ICMP6);
	else
		old_sum = csum_pseudo6(r->osrc, r->odst, ulen, N64_PROTO_ICMP6);
	old_sum = csum_add16(old_sum, l4);
	l4[0] = echo_type(l4[0], to6);
	new_sum = csum_add16(new_sum, l4);
	if (r->port_at >= 0 && (size_t)r->port_at + 2 <= l4len) {
		old_sum = csum_add16(old_sum, l4 + r->port_at);
		wr16(l4 + r->port_at, r->port);
		new_sum = csum_add16(new_sum, l4 + r->port_at);
	}
	uint16_t c;
	memcpy(&c, l4 + 2, 2);
	c = csum_update(c, old_sum, new_sum);
	memcpy(l4 + 2, &c, 2);
}

/* ------------------------------------------------------------------ */
/* Type/code tables                                                    */
/* ------------------------------------------------------------------ */

/* What an ICMP error becomes: type, code and the 4 bytes after the checksum. */
struct icmp_xl {
	uint8_t type, code;
	uint32_t param;
	bool mtu_from_inner; /* ICMPv4 MTU was 0: RFC 1191 plateau from the quoted packet */
};

/* RFC 7915 figure 3: IPv4 header offset -> IPv6 header offset, -1 none. */
static const int8_t pointer4_to6[20] = {
	0, 1, 4, 4, -1, -1, -1, -1, 7, 6, -1, -1, 8, 8, 8, 8, 24, 24, 24, 24,
};

static bool unreach4_to6(uint8_t code, const uint8_t *icmp, struct icmp_xl *x)
{
	x->type = 1;
	switch (code) {
	case 0: case 1: case 5: case 6: case 7: case 8: case 11: case 12:
		x->code = 0; /* no route to destination */
		return true;
	case 2: /* protocol unreachable: points at the Next Header field */
		x->type = 4;
		x->code = 1;
		x->param = 6;
		return true;
	case 3:
		x->code = 4; /* port unreachable */
		return true;
	case 4: /* fragmentation needed: Packet Too Big, MTU fixed up later */
		x->type = 2;
		x->code = 0;
		x->param = rd16(icmp + 6);
		x->mtu_from_inner = x->param == 0;
		return true;
	case 9: case 10: case 13: case 15:
		x->code = 1; /* administratively prohibited */
		return true;
	default: /* 14 host precedence violation, unknown codes */
		return false;
	}
}

/* RFC 7915 4.2: ICMPv4 error -> ICMPv6 error. */
static bool error4_to6(const uint8_t *icmp, struct icmp_xl *x)
{
	x->param = 0;
	x->mtu_from_inner = false;
	switch (icmp[0]) {
	case 3:
		return unreach4_to6(icmp[1], icmp, x);
	case 11: /* time exceeded, same code */
		x->type = 3;
		x->code = icmp[1];
		return true;
	case 12: /* parameter problem: codes 0 and 2 carry a pointer */
		if ((icmp[1] != 0 && icmp[1] != 2) || icmp[4] >= sizeof pointer4_to6 ||
		    pointer4_to6[icmp[4]] < 0)
			return false;
		x->type = 4;
		x->code = 0;
		x->param = (uint32_t)pointer4_to6[icmp[4]];
		return true;
	default: /* source quench, redirect */
		return false;
	}
}

/* RFC 7915 figure 6: IPv6 header offset -> IPv4 header offset. */
static bool pointer6_to4(uint32_t p6, uint8_t *p4)
{
	if (p6 <= 1)
		*p4 = (uint8_t)p6;
	else if (p6 == 4 || p6 == 5)
		*p4 = 2;
	else if (p6 == 6)
		*p4 = 9;
	else if (p6 == 7)
		*p4 = 8;
	else if (p6 >= 8 && p6 <= 23)
		*p4 = 12;
	else if (p6 >= 24 && p6 <= 39)
		*p4 = 16;
	else
		return false;
	return true;
}

/* RFC 7915 5.2: minimum(MTU-20, MTU_of_IPv6_nexthop-20); no IPv4 MTU is known here. */
static uint32_t mtu6_to4(uint32_t mtu, uint32_t mtu6)
{
	if (mtu > mtu6)
		mtu = mtu6;
	if (mtu < 68 + 20)
		return 68; /* the IPv4 minimum (RFC 791) */
	return mtu - 20 > 0xffff ? 0xffff : mtu - 20;
}

/* RFC 7915 5.2: ICMPv6 error -> ICMPv4 error. */
static bool error6_to4(const uint8_t *icmp, uint32_t mtu6, struct icmp_xl *x)
{
	uint8_t code = icmp[1], p4;

	x->param = 0;
	x->mtu_from_inner = false;
	switch (icmp[0]) {
	case 1: /* destination unreachable */
		x->type = 3;
		if (code == 0 || code == 2 || code == 3)
			x->code = 1; /* host unreachable */
		else if (code == 1)
			x->code = 10; /* communication administratively prohibited */
		else if (code == 4)
			x->code = 3; /* port unreachable */
		else
			return false;
		return true;
	case 2: /* packet too big */
		x->type = 3;
		x->code = 4;
		x->param = mtu6_to4(rd32(icmp + 4), mtu6);
		return true;
	case 3: /* time exceeded, same code */
		x->type = 11;
		x->code = code;
		return true;
	case 4: /* parameter problem */
		if (code == 1) { /* unrecognized next header */
			x->type = 3;
			x->code = 2;
			return true;
		}
		if (code != 0 || !pointer6_to4(rd32(icmp + 4), &p4))
			return false;
		x->type = 12;
		x->code = 0;
		x->param = (uint32_t)p4 << 24;
		return true;
	default:
		return false;
	}
}

/* RFC 1191 plateaus: the greatest one below the quoted packet's length. */
static uint32_t mtu_plateau_below(uint32_t total)
{
	static const uint16_t plateau[] = { 65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006,
	                                    508, 296, 68 };
	for (size_t i = 0; i < sizeof plateau / sizeof plateau[0]; i++)
		if (plateau[i] < total)
			return plateau[i];
	return 68;
}

/* RFC 7915 4.2: minimum(MTU+20, MTU_of_IPv6_nexthop). */
static uint32_t mtu4_to6(uint32_t mtu4, uint32_t mtu6)
{
	uint32_t mtu = mtu4 + 20;
	return mtu > mtu6 ? mtu6 : mtu;
}

/* ------------------------------------------------------------------ */
/* Translating errors and the packet inside                           */
/* ------------------------------------------------------------------ */

/* New outer and inner addresses of a translated error. */
struct err_map {
	uint8_t osrc[16], odst[16];
	uint8_t isrc[16], idst[16];
	int port_at;             /* inner port/identifier rewritten (NAPT), -1 none */
	uint16_t port;
};

/* Where the inner transport header keeps the host-side port, and which protocol. */
static bool inner_port_at(uint8_t proto, size_t l4len, bool host_is_src,
                          uint8_t *sproto, int *at)
{
	if (proto == N64_PROTO_TCP || proto == N64_PROTO_UDP) {
		*sproto = proto;
		*at = host_is_src ? 0 : 2;
		return l4len >= 4;
	}
	if (proto == N64_PROTO_ICMP || proto == N64_PROTO_ICMP6) {
		*sproto = N64_PROTO_ICMP;
		*at = 4; /* echo identifier */
		return l4len >= 6;
	}
	return false;
}

/* NAPT, 4->6: the quoted packet went out from a pool4 address (RFC 6146 3.5.3). */
static enum nat6to4_reason napt_error_4to6(struct nat6to4 *nat, const struct n64_ip4 *ip,
                                           const struct n64_ip4 *in, struct err_map *m)
{
	const uint8_t *il4 = in->hdr + in->ihl;
	size_t il4len = in->len - in->ihl;
	uint8_t sproto, prefix_idx = 0;
	uint16_t port6;

	if (in->proto != N64_PROTO_TCP && in->proto != N64_PROTO_UDP && in->proto != N64_PROTO_ICMP)
		return NAT6TO4_R_UNSUPPORTED_PROTO;
	if (in->frag_off != 0 || !inner_port_at(in->proto, il4len, true, &sproto, &m->port_at))
		return NAT6TO4_R_ICMP_INNER_BAD;
	if (!sessions_find_by4(nat->sessions, sproto, rdv4(in->hdr + 12), rd16(il4 + m->port_at),
	                       rdv4(in->hdr + 16), m->isrc, &port6, &prefix_idx))
		return NAT6TO4_R_NO_SESSION;
	m->port = port6;
	memcpy(m->odst, m->isrc, 16);
	if (addrmap_4to6(&nat->cfg, rdv4(in->hdr + 16), prefix_idx, m->idst) != NAT6TO4_R_OK ||
	    addrmap_4to6(&nat->cfg, rdv4(ip->hdr + 12), prefix_idx, m->osrc) != NAT6TO4_R_OK)
		return NAT6TO4_R_SRC_NOT_MAPPED;
	return NAT6TO4_R_OK;
}

static enum nat6to4_reason map_error_4to6(struct nat6to4 *nat, const struct n64_ip4 *ip,
                                          const struct n64_ip4 *in, struct err_map *m)
{
	const struct nat6to4_config *cfg = &nat->cfg;

	m->port_at = -1;
	m->port = 0;
	if (cfg->mode == N64_MODE_NAPT)
		return napt_error_4to6(nat, ip, in, m);
	if (addrmap_4to6(cfg, rdv4(ip->hdr + 12), 0, m->osrc) != NAT6TO4_R_OK ||
	    addrmap_4to6(cfg, rdv4(in->hdr + 16), 0, m->idst) != NAT6TO4_R_OK)
		return NAT6TO4_R_SRC_NOT_MAPPED;
	if (addrmap_4to6(cfg, rdv4(ip->hdr + 16), 0, m->odst) != NAT6TO4_R_OK ||
	    addrmap_4to6(cfg, rdv4(in->hdr + 12), 0, m->isrc) != NAT6TO4_R_OK)
		return NAT6TO4_R_DST_NOT_MAPPED;
	return NAT6TO4_R_OK;
}

/* The quoted IPv4 packet as IPv6 at `o`; returns its (possibly cut) length. */
static size_t write_inner_4to6(const struct n64_ip4 *in, const struct err_map *m, uint8_t *o,
                               size_t room)
{
	const uint8_t *h = in->hdr;
	bool frag = ip4_is_fragment(in);
	size_t hl = N64_IP6_HLEN + (frag ? N64_FRAG_HLEN : 0);
	uint8_t nh = in->proto == N64_PROTO_ICMP ? N64_PROTO_ICMP6 : in->proto;
	/* The length fields tell the original size, not what is quoted. */
	uint32_t ulen = (uint32_t)in->total - in->ihl;

	ip6_write(o, h[1], (uint16_t)(ulen + hl - N64_IP6_HLEN), frag ? N64_PROTO_FRAG6 : nh, h[8],
	          m->isrc, m->idst);
	if (frag)
		frag6_write(o + N64_IP6_HLEN, nh, in->frag_off, in->mf, rd16(h + 4));
	size_t l4len = in->len - in->ihl;
	if (l4len > room - hl)
		l4len = room - hl;
	uint8_t *l4 = o + hl;
	memcpy(l4, h + in->ihl, l4len);
	if (in->frag_off != 0)
		return hl + l4len;
	struct n64_readdr r = {
		.osrc = h + 12, .odst = h + 16, .oalen = 4,
		.nsrc = m->isrc, .ndst = m->idst, .nalen = 16,
		.port_at = m->port_at, .port = m->port,
	};
	if (in->proto == N64_PROTO_ICMP)
		icmp_echo_xlate(l4, l4len, true, &r, ulen);
	else
		l4_readdress(l4, l4len, in->proto, &r);
	return hl + l4len;
}

/* Checks on the quoted IPv4 packet shared by both modes. */
static enum nat6to4_reason inner4_check(const struct n64_ip4 *in)
{
	if (in->proto != N64_PROTO_ICMP || in->frag_off != 0 || in->len <= in->ihl)
		return NAT6TO4_R_OK;
	uint8_t type = in->hdr[in->ihl];
	if (icmp4_is_error(type))
		return NAT6TO4_R_ICMP_ERROR_NESTED;
	/* Only echo crosses the translator, so nothing else can be quoted back. */
	return type == 8 || type == 0 ? NAT6TO4_R_OK : NAT6TO4_R_ICMP_INNER_BAD;
}

struct nat6to4_verdict icmp_error_4to6(struct nat6to4 *nat, const struct n64_ip4 *ip)
{
	const uint8_t *h = ip->hdr, *icmp = h + ip->ihl;
	size_t icmp_len = ip->len - ip->ihl;
	struct icmp_xl x;
	struct n64_ip4 in;
	struct err_map m;

	if (!error4_to6(icmp, &x))
		return n64_drop(NAT6TO4_R_ICMP_UNTRANSLATABLE);
	if (h[8] <= 1) /* never an error about an error */
		return n64_drop(NAT6TO4_R_HOP_LIMIT);
	if (ip4_parse(icmp + N64_ICMP_HLEN, icmp_len - N64_ICMP_HLEN, true, &in) != NAT6TO4_R_OK)
		return n64_drop(NAT6TO4_R_ICMP_INNER_BAD);
	enum nat6to4_reason r = inner4_check(&in);
	if (r == NAT6TO4_R_OK)
		r = map_error_4to6(nat, ip, &in, &m);
	if (r != NAT6TO4_R_OK)
		return n64_drop(r);
	if (x.type == 2)
		x.param = mtu4_to6(x.mtu_from_inner ? mtu_plateau_below(in.total) : x.param,
		                   nat->cfg.mtu6);

	uint8_t *o = nat->out;
	size_t head = N64_IP6_HLEN + N64_ICMP_HLEN;
	size_t inner = write_inner_4to6(&in, &m, o + head, N64_ICMP6_ERR_MAX - head);
	uint16_t plen = (uint16_t)(N64_ICMP_HLEN + inner);
	ip6_write(o, h[1], plen, N64_PROTO_ICMP6, (uint8_t)(h[8] - 1), m.osrc, m.odst);
	o[40] = x.type;
	o[41] = x.code;
	o[42] = 0;
	o[43] = 0;
	wr32(o + 44, x.param);
	/* The payload changed length and content: recompute, do not update. */
	uint32_t sum = csum_pseudo6(m.osrc, m.odst, plen, N64_PROTO_ICMP6);
	uint16_t c = csum_finish(csum_add(sum, o + N64_IP6_HLEN, plen));
	memcpy(o + 42, &c, 2);
	core_emit(nat, o, N64_IP6_HLEN + plen, 6, NAT6TO4_OUT_TRANSLATED);
	return n64_ok();
}

/* NAPT, 6->4: the quoted packet came in to an IPv6 host through its binding. */
static enum nat6to4_reason napt_error_6to4(struct nat6to4 *nat, const struct n64_ip6 *ip,
                                           const struct n64_ip6 *in, struct err_map *m)
{
	const uint8_t *il4 = in->hdr + in->l4off;
	size_t il4len = in->len - in->l4off;
	uint8_t sproto, unused;
	n64_v4 pool4, v4;
	uint16_t port4;

	if (in->proto != N64_PROTO_TCP && in->proto != N64_PROTO_UDP &&
	    in->proto != N64_PROTO_ICMP6)
		return NAT6TO4_R_UNSUPPORTED_PROTO;
	if ((in->has_frag && in->frag_off != 0) ||
	    !inner_port_at(in->proto, il4len, false, &sproto, &m->port_at))
		return NAT6TO4_R_ICMP_INNER_BAD;
	if (!sessions_find_by6(nat->sessions, sproto, in->hdr + 24, rd16(il4 + m->port_at), &pool4,
	                       &port4))
		return NAT6TO4_R_NO_SESSION;
	m->port = port4;
	wrv4(m->idst, pool4);
	wrv4(m->osrc, pool4); /* the IPv6 router has no IPv4 address: speak as the pool */
	if (addrmap_6to4(&nat->cfg, in->hdr + 8, &v4, &unused) != NAT6TO4_R_OK)
		return NAT6TO4_R_DST_NOT_MAPPED;
	wrv4(m->isrc, v4);
	if (addrmap_6to4(&nat->cfg, ip->hdr + 24, &v4, &unused) != NAT6TO4_R_OK)
		return NAT6TO4_R_DST_NOT_MAPPED;
	wrv4(m->odst, v4);
	return NAT6TO4_R_OK;
}

static enum nat6to4_reason map_error_6to4(struct nat6to4 *nat, const struct n64_ip6 *ip,
                                          const struct n64_ip6 *in, struct err_map *m)
{
	const struct nat6to4_config *cfg = &nat->cfg;
	n64_v4 a[4];
	uint8_t unused;

	m->port_at = -1;
	m->port = 0;
	if (cfg->mode == N64_MODE_NAPT)
		return napt_error_6to4(nat, ip, in, m);
	if (addrmap_6to4(cfg, ip->hdr + 8, &a[0], &unused) != NAT6TO4_R_OK ||
	    addrmap_6to4(cfg, in->hdr + 24, &a[1], &unused) != NAT6TO4_R_OK)
		return NAT6TO4_R_SRC_NOT_MAPPED;
	if (addrmap_6to4(cfg, ip->hdr + 24, &a[2], &unused) != NAT6TO4_R_OK ||
	    addrmap_6to4(cfg, in->hdr + 8, &a[3], &unused) != NAT6TO4_R_OK)
		return NAT6TO4_R_DST_NOT_MAPPED;
	wrv4(m->osrc, a[0]);
	wrv4(m->idst, a[1]);
	wrv4(m->odst, a[2]);
	wrv4(m->isrc, a[3]);
	return NAT6TO4_R_OK;
}

/* The quoted IPv6 packet as IPv4 at `o`; returns its (possibly cut) length. */
static size_t write_inner_6to4(const struct n64_ip6 *in, const struct err_map *m, uint8_t *o,
                               size_t room)
{
	const uint8_t *h = in->hdr;
	uint32_t ulen = in->plen - (in->l4off - N64_IP6_HLEN); /* original, not quoted, size */
	uint32_t total = N64_IP4_HLEN + ulen > 0xffff ? 0xffff : N64_IP4_HLEN + ulen;
	uint16_t id = 0, flags = total > 1260 ? N64_IP4_DF : 0;

	if (in->has_frag) {
		id = (uint16_t)in->frag_id;
		flags = (uint16_t)(in->frag_off >> 3 | (in->frag_more ? N64_IP4_MF : 0));
	}
	uint8_t proto = in->proto == N64_PROTO_ICMP6 ? N64_PROTO_ICMP : in->proto;
	ip4_write(o, ip6_tclass(h), (uint16_t)total, id, flags, h[7], proto, m->isrc, m->idst);
	size_t l4len = in->len - in->l4off;
	if (l4len > room - N64_IP4_HLEN)
		l4len = room - N64_IP4_HLEN;
	uint8_t *l4 = o + N64_IP4_HLEN;
	memcpy(l4, h + in->l4off, l4len);
	if (in->has_frag && in->frag_off != 0)
		return N64_IP4_HLEN + l4len;
	struct n64_readdr r = {
		.osrc = h + 8, .odst = h + 24, .oalen = 16,
		.nsrc = m->isrc, .ndst = m->idst, .nalen = 4,
		.port_at = m->port_at, .port = m->port,
	};
	if (in->proto == N64_PROTO_ICMP6)
		icmp_echo_xlate(l4, l4len, false, &r, ulen);
	else
		l4_readdress(l4, l4len, in->proto, &r);
	return N64_IP4_HLEN + l4len;
}

/* Checks on the quoted IPv6 packet shared by both modes. */
static enum nat6to4_reason inner6_check(const struct n64_ip6 *in)
{
	if (in->proto != N64_PROTO_ICMP6 || (in->has_frag && in->frag_off != 0) ||
	    in->len <= in->l4off)
		return NAT6TO4_R_OK;
	uint8_t type = in->hdr[in->l4off];
	if (icmp6_is_error(type))
		return NAT6TO4_R_ICMP_ERROR_NESTED;
	return type == 128 || type == 129 ? NAT6TO4_R_OK : NAT6TO4_R_ICMP_INNER_BAD;
}

struct nat6to4_verdict icmp_error_6to4(struct nat6to4 *nat, const struct n64_ip6 *ip)
{
	const uint8_t *h = ip->hdr, *icmp = h + ip->l4off;
	size_t icmp_len = ip->len - ip->l4off;
	struct icmp_xl x;
	struct n64_ip6 in;
	struct err_map m;

	if (!error6_to4(icmp, nat->cfg.mtu6, &x))
		return n64_drop(NAT6TO4_R_ICMP_UNTRANSLATABLE);
	if (h[7] <= 1) /* never an error about an error */
		return n64_drop(NAT6TO4_R_HOP_LIMIT);
	if (ip6_parse(icmp + N64_ICMP_HLEN, icmp_len - N64_ICMP_HLEN, true, &in) != NAT6TO4_R_OK)
		return n64_drop(NAT6TO4_R_ICMP_INNER_BAD);
	enum nat6to4_reason r = inner6_check(&in);
	if (r == NAT6TO4_R_OK)
		r = map_error_6to4(nat, ip, &in, &m);
	if (r != NAT6TO4_R_OK)
		return n64_drop(r);

	uint8_t *o = nat->out;
	size_t head = N64_IP4_HLEN + N64_ICMP_HLEN;
	size_t inner = write_inner_6to4(&in, &m, o + head, N64_ICMP4_ERR_MAX - head);
	uint16_t total = (uint16_t)(head + inner);
	ip4_write(o, ip6_tclass(h), total, frag_next_id4(nat->frags), 0, (uint8_t)(h[7] - 1),
	          N64_PROTO_ICMP, m.osrc, m.odst);
	uint8_t *oi = o + N64_IP4_HLEN;
	oi[0] = x.type;
	oi[1] = x.code;
	oi[2] = 0;
	oi[3] = 0;
	wr32(oi + 4, x.param);
	uint16_t c = csum_finish(csum_add(0, oi, N64_ICMP_HLEN + inner));
	memcpy(oi + 2, &c, 2);
	core_emit(nat, o, total, 4, NAT6TO4_OUT_TRANSLATED);
	return n64_ok();
}
