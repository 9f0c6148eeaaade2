/*
 * RFC 7915 header translation, both ways, for TCP, UDP, ICMP echo and (in
 * stateless mode) any other protocol. ICMP errors are handed to icmp.c,
 * fragmenting to frag.c.
 *
 * The warm path writes the new header straight into nat->out, copies the
 * payload once and updates the transport checksum incrementally.
 */
#include "xlate.h"

#define N64_MAX_EXT_HEADERS 8    /* bound on the extension header walk */
#define N64_DF_THRESHOLD    1260 /* RFC 7915 6: bigger IPv4 packets get DF=1 */

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

static bool ip6_is_ext_header(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 60 || nh == N64_PROTO_FRAG6;
}

/* Walk hop-by-hop, routing, destination options and fragment headers. */
static enum nat6to4_reason ip6_walk_ext(struct n64_ip6 *ip)
{
	const uint8_t *p = ip->hdr;
	uint8_t nh = p[6];
	size_t off = N64_IP6_HLEN;

	for (int n = 0;; n++) {
		/* After a non-first fragment's header, the rest is payload. */
		if (!ip6_is_ext_header(nh) || (ip->has_frag && ip->frag_off != 0)) {
			ip->proto = nh;
			ip->l4off = (uint32_t)off;
			return NAT6TO4_R_OK;
		}
		if (n == N64_MAX_EXT_HEADERS || off + 8 > ip->len)
			return NAT6TO4_R_BAD_EXT_HEADER;
		if (nh == N64_PROTO_FRAG6) {
			if (ip->has_frag)
				return NAT6TO4_R_BAD_EXT_HEADER;
			uint16_t fo = rd16(p + off + 2);
			ip->has_frag = true;
			ip->frag_off = fo & 0xfff8;
			ip->frag_more = fo & 1;
			ip->frag_id = rd32(p + off + 4);
			nh = p[off];
			off += N64_FRAG_HLEN;
			continue;
		}
		if (nh == 0 && off != N64_IP6_HLEN) /* hop-by-hop only first */
			return NAT6TO4_R_BAD_EXT_HEADER;
		size_t hl = ((size_t)p[off + 1] + 1) * 8;
		if (off + hl > ip->len)
			return NAT6TO4_R_BAD_EXT_HEADER;
		if (nh == 43 && p[off + 3] != 0 && ip->segleft_at == 0)
			ip->segleft_at = (uint32_t)(off + 3);
		nh = p[off];
		off += hl;
	}
}

enum nat6to4_reason ip6_parse(const uint8_t *pkt, size_t len, bool inner, struct n64_ip6 *ip)
{
	if (len < N64_IP6_HLEN)
		return NAT6TO4_R_TRUNCATED;
	if (pkt[0] >> 4 != 6)
		return NAT6TO4_R_BAD_VERSION;
	ip->hdr = pkt;
	ip->plen = rd16(pkt + 4);
	/* Trailing bytes (link padding) are ignored; a quoted packet may be cut short. */
	if (N64_IP6_HLEN + (size_t)ip->plen <= len)
		len = N64_IP6_HLEN + (size_t)ip->plen;
	else if (!inner)
		return NAT6TO4_R_BAD_LENGTH;
	ip->len = len;
	ip->has_frag = false;
	ip->frag_more = false;
	ip->frag_off = 0;
	ip->frag_id = 0;
	ip->segleft_at = 0;
	return ip6_walk_ext(ip);
}

/* Options are dropped in translation, but an unexpired source route is not ignorable. */
static enum nat6to4_reason ip4_scan_options(const uint8_t *p, size_t ihl, struct n64_ip4 *ip)
{
	size_t i = N64_IP4_HLEN;

	while (i < ihl) {
		uint8_t type = p[i];
		if (type == 0) /* end of option list */
			break;
		if (type == 1) { /* no-operation */
			i++;
			continue;
		}
		if (i + 2 > ihl || p[i + 1] < 2 || i + p[i + 1] > ihl)
			return NAT6TO4_R_BAD_IP4_HEADER;
		/* LSRR 131, SSRR 137: pointer beyond the length means the route is used up. */
		if ((type == 131 || type == 137) && p[i + 1] >= 3 && p[i + 2] <= p[i + 1])
			ip->src_route = true;
		i += p[i + 1];
	}
	return NAT6TO4_R_OK;
}

enum nat6to4_reason ip4_parse(const uint8_t *pkt, size_t len, bool inner, struct n64_ip4 *ip)
{
	if (len < N64_IP4_HLEN)
		return NAT6TO4_R_TRUNCATED;
	if (pkt[0] >> 4 != 4)
		return NAT6TO4_R_BAD_VERSION;
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl < N64_IP4_HLEN || ihl > len)
		return NAT6TO4_R_BAD_IP4_HEADER;
	uint16_t total = rd16(pkt + 2);
	if (total < ihl)
		return NAT6TO4_R_BAD_LENGTH;
	if (total <= len)
		len = total;
	else if (!inner)
		return NAT6TO4_R_BAD_LENGTH;
	if (!inner && csum_fold(csum_add(0, pkt, ihl)) != 0xffff)
		return NAT6TO4_R_BAD_IP4_CHECKSUM;
	uint16_t fo = rd16(pkt + 6);
	ip->hdr = pkt;
	ip->len = len;
	ip->total = total;
	ip->ihl = (uint16_t)ihl;
	ip->df = fo & N64_IP4_DF;
	ip->mf = fo & N64_IP4_MF;
	ip->frag_off = (uint16_t)((fo & N64_IP4_OFFMASK) * 8);
	ip->proto = pkt[9];
	ip->src_route = false;
	return ihl > N64_IP4_HLEN ? ip4_scan_options(pkt, ihl, ip) : NAT6TO4_R_OK;
}

/* ------------------------------------------------------------------ */
/* Header writers and transport checksums                              */
/* ------------------------------------------------------------------ */

void ip4_write(uint8_t *o, uint8_t tos, uint16_t total, uint16_t id, uint16_t flags_off,
               uint8_t ttl, uint8_t proto, const uint8_t src[4], const uint8_t dst[4])
{
	o[0] = 0x45;
	o[1] = tos;
	wr16(o + 2, total);
	wr16(o + 4, id);
	wr16(o + 6, flags_off);
	o[8] = ttl;
	o[9] = proto;
	o[10] = 0;
	o[11] = 0;
	memcpy(o + 12, src, 4);
	memcpy(o + 16, dst, 4);
	uint16_t c = csum_finish(csum_add_words(0, o, N64_IP4_HLEN));
	memcpy(o + 10, &c, 2);
}

void ip6_write(uint8_t *o, uint8_t tclass, uint16_t plen, uint8_t nh, uint8_t hlim,
               const uint8_t src[16], const uint8_t dst[16])
{
	o[0] = (uint8_t)(0x60 | tclass >> 4);
	o[1] = (uint8_t)(tclass << 4); /* flow label 0 (RFC 7915 4.1) */
	o[2] = 0;
	o[3] = 0;
	wr16(o + 4, plen);
	o[6] = nh;
	o[7] = hlim;
	memcpy(o + 8, src, 16);
	memcpy(o + 24, dst, 16);
}

void frag6_write(uint8_t *o, uint8_t nh, uint16_t off_bytes, bool more, uint32_t id)
{
	o[0] = nh;
	o[1] = 0;
	wr16(o + 2, (uint16_t)((off_bytes & 0xfff8) | (more ? 1 : 0)));
	wr32(o + 4, id);
}

/* Inline in this file so the per-packet calls get their address lengths as constants. */
static inline void readdress(uint8_t *l4, size_t l4len, uint8_t proto, const struct n64_readdr *r)
{
	size_t csum_at;

	if (proto == N64_PROTO_TCP)
		csum_at = 16;
	else if (proto == N64_PROTO_UDP)
		csum_at = 6;
	else
		return;
	uint32_t old_sum = csum_add_words(csum_add_words(0, r->osrc, r->oalen), r->odst, r->oalen);
	uint32_t new_sum = csum_add_words(csum_add_words(0, r->nsrc, r->nalen), r->ndst, r->nalen);
	if (r->port_at >= 0 && (size_t)r->port_at + 2 <= l4len) {
		old_sum = csum_add16(old_sum, l4 + r->port_at);
		wr16(l4 + r->port_at, r->port);
		new_sum = csum_add16(new_sum, l4 + r->port_at);
	}
	if (csum_at + 2 > l4len)
		return; /* quoted packet cut before its checksum */
	uint16_t c;
	memcpy(&c, l4 + csum_at, 2);
	if (proto == N64_PROTO_UDP && c == 0)
		return; /* no checksum: the 4->6 path computes one, IPv4 allows none */
	c = csum_update(c, old_sum, new_sum);
	if (proto == N64_PROTO_UDP && c == 0)
		c = 0xffff; /* RFC 768: a computed zero is sent as all ones */
	memcpy(l4 + csum_at, &c, 2);
}

void l4_readdress(uint8_t *l4, size_t l4len, uint8_t proto, const struct n64_readdr *r)
{
	readdress(l4, l4len, proto, r);
}

/* Bytes of transport header a first fragment must hold to be translated. */
static size_t l4_min_len(uint8_t proto)
{
	switch (proto) {
	case N64_PROTO_TCP: return 20;
	case N64_PROTO_UDP: return 8;
	case N64_PROTO_ICMP:
	case N64_PROTO_ICMP6: return N64_ICMP_HLEN;
	default: return 0;
	}
}

/* Where a packet goes: its new addresses, and in NAPT the new port. */
struct n64_xl {
	uint8_t src[16], dst[16];
	bool new_port;
	uint16_t port;
};

static void frag_key_set(struct n64_frag_key *k, uint8_t dir, uint8_t proto, uint32_t id,
                         const uint8_t *src, const uint8_t *dst, size_t alen)
{
	memset(k, 0, sizeof *k);
	k->dir = (uint8_t)dir;
	k->proto = proto;
	k->id = id;
	memcpy(k->src, src, alen);
	memcpy(k->dst, dst, alen);
}

/* ------------------------------------------------------------------ */
/* IPv6 -> IPv4                                                        */
/* ------------------------------------------------------------------ */

static enum nat6to4_reason napt_6to4(struct nat6to4 *nat, const struct n64_ip6 *ip, uint64_t now,
                                     uint8_t prefix_idx, n64_v4 dst4, struct n64_xl *xl)
{
	uint8_t proto = ip->proto == N64_PROTO_ICMP6 ? N64_PROTO_ICMP : ip->proto;
	const uint8_t *src6 = ip->hdr + 8;
	struct n64_frag_key key;

	if (proto != N64_PROTO_TCP && proto != N64_PROTO_UDP && ip->proto != N64_PROTO_ICMP6)
		return NAT6TO4_R_UNSUPPORTED_PROTO;
	if (ip6_is_fragment(ip))
		frag_key_set(&key, NAT6TO4_DIR_6TO4, proto, ip->frag_id, src6, ip->hdr + 24, 16);
	if (ip->has_frag && ip->frag_off != 0) /* no ports here: as the first fragment went */
		return frag_lookup(nat->frags, &key, xl->src, xl->dst, 4, now)
		           ? NAT6TO4_R_OK : NAT6TO4_R_FRAG_NO_FIRST;

	const uint8_t *l4 = ip->hdr + ip->l4off;
	struct n64_flow6 f = { .proto = proto, .src6 = src6, .dst4 = dst4, .prefix_idx = prefix_idx };
	if (proto == N64_PROTO_ICMP) {
		f.sport = rd16(l4 + 4); /* echo identifier */
	} else {
		f.sport = rd16(l4);
		f.dport = rd16(l4 + 2);
		f.tcp_flags = proto == N64_PROTO_TCP ? l4[13] : 0;
	}
	n64_v4 src4;
	enum nat6to4_reason r = sessions_out(nat->sessions, &f, now, &src4, &xl->port);
	if (r != NAT6TO4_R_OK)
		return r;
	wrv4(xl->src, src4);
	xl->new_port = true;
	if (ip6_is_fragment(ip))
		frag_remember(nat->frags, &key, xl->src, xl->dst, 4, now);
	return NAT6TO4_R_OK;
}

static enum nat6to4_reason map_6to4(struct nat6to4 *nat, const struct n64_ip6 *ip, uint64_t now,
                                    struct n64_xl *xl)
{
	n64_v4 dst4, src4;
	uint8_t prefix_idx, unused;
	enum nat6to4_reason r = addrmap_6to4(&nat->cfg, ip->hdr + 24, &dst4, &prefix_idx);

	if (r != NAT6TO4_R_OK)
		return r;
	wrv4(xl->dst, dst4);
	xl->new_port = false;
	if (nat->cfg.mode == N64_MODE_NAPT)
		return napt_6to4(nat, ip, now, prefix_idx, dst4, xl);
	r = addrmap_6to4(&nat->cfg, ip->hdr + 8, &src4, &unused);
	if (r != NAT6TO4_R_OK)
		return r == NAT6TO4_R_PRIVATE_ADDR ? r : NAT6TO4_R_SRC_NOT_MAPPED;
	wrv4(xl->src, src4);
	return NAT6TO4_R_OK;
}

static void l4_fix_6to4(const struct n64_ip6 *ip, const struct n64_xl *xl, uint8_t *l4, size_t l4len)
{
	struct n64_readdr r = {
		.osrc = ip->hdr + 8, .odst = ip->hdr + 24, .oalen = 16,
		.nsrc = xl->src, .ndst = xl->dst, .nalen = 4,
		.port_at = -1, .port = xl->port,
	};

	if (ip->proto == N64_PROTO_ICMP6) {
		r.port_at = xl->new_port ? 4 : -1;
		icmp_echo_xlate(l4, l4len, false, &r, (uint32_t)l4len);
		return;
	}
	r.port_at = xl->new_port ? 0 : -1;
	readdress(l4, l4len, ip->proto, &r);
}

/*
 * How much of a TCP/UDP packet's upper layer to copy into nat->out: all of
 * it, or with scatter output only the bytes the translation rewrites (TCP
 * ports and checksum: 18 bytes; UDP: its 8-byte header), the rest left in
 * the input as the emitted packet's tail (nat6to4_set_scatter).
 */
#define SCATTER_MIN 256
static size_t l4_copy_len(struct nat6to4 *nat, const uint8_t *l4, uint8_t proto, size_t l4len,
                          bool whole)
{
	size_t keep = proto == N64_PROTO_TCP ? 18 : proto == N64_PROTO_UDP ? 8 : 0;

	if (!nat->scatter || whole || keep == 0 || l4len <= SCATTER_MIN)
		return l4len;
	nat->tail = l4 + keep;
	nat->tail_len = l4len - keep;
	return keep;
}

/* RFC 7915 5.1: the IPv4 header, then the payload once, then the checksum.
 * Returns the bytes written to nat->out (the tail, if any, comes after). */
static size_t write_6to4(struct nat6to4 *nat, const struct n64_ip6 *ip, const struct n64_xl *xl)
{
	const uint8_t *h = ip->hdr;
	size_t l4len = ip->len - ip->l4off;
	uint16_t total = (uint16_t)(N64_IP4_HLEN + l4len);
	uint16_t id = 0, flags = 0;

	if (ip->has_frag) {
		id = (uint16_t)ip->frag_id;
		flags = (uint16_t)(ip->frag_off >> 3 | (ip->frag_more ? N64_IP4_MF : 0));
	} else if (total > N64_DF_THRESHOLD) {
		flags = N64_IP4_DF;
	} else {
		id = frag_next_id4(nat->frags);
	}
	uint8_t proto = ip->proto == N64_PROTO_ICMP6 ? N64_PROTO_ICMP : ip->proto;
	ip4_write(nat->out, ip6_tclass(h), total, id, flags, (uint8_t)(h[7] - 1), proto,
	          xl->src, xl->dst);
	size_t copy = l4_copy_len(nat, h + ip->l4off, ip->proto, l4len, ip->has_frag);
	memcpy(nat->out + N64_IP4_HLEN, h + ip->l4off, copy);
	if (!(ip->has_frag && ip->frag_off != 0))
		l4_fix_6to4(ip, xl, nat->out + N64_IP4_HLEN, l4len);
	return N64_IP4_HLEN + copy;
}

static bool settle(struct nat6to4_verdict *v, struct nat6to4_verdict verdict)
{
	*v = verdict;
	return true;
}

/*
 * Checks that need no address mapping. Returns true when the packet is
 * dealt with (dropped, answered, or an ICMP error translated) with *v set.
 */
static bool precheck_6to4(struct nat6to4 *nat, const struct n64_ip6 *ip, struct nat6to4_verdict *v)
{
	const uint8_t *l4 = ip->hdr + ip->l4off;
	size_t l4len = ip->len - ip->l4off;

	if (ip->proto == N64_PROTO_ICMP6) {
		if (ip6_is_fragment(ip))
			return settle(v, n64_drop(NAT6TO4_R_FRAG_ICMP));
		if (l4len < N64_ICMP_HLEN)
			return settle(v, n64_drop(NAT6TO4_R_TRUNCATED));
		if (icmp6_is_error(l4[0]))
			return settle(v, icmp_error_6to4(nat, ip));
		if (l4[0] != 128 && l4[0] != 129) /* only echo crosses; ND, MLD... do not */
			return settle(v, n64_drop(NAT6TO4_R_ICMP_UNTRANSLATABLE));
	} else if (ip->proto == N64_PROTO_ICMP) {
		return settle(v, n64_drop(NAT6TO4_R_UNSUPPORTED_PROTO));
	}
	if (!(ip->has_frag && ip->frag_off != 0) && l4len < l4_min_len(ip->proto))
		return settle(v, n64_drop(NAT6TO4_R_TRUNCATED));
	if (N64_IP4_HLEN + l4len > 65535)
		return settle(v, n64_drop(NAT6TO4_R_BAD_LENGTH)); /* cannot be one IPv4 packet */
	if (ip->hdr[7] <= 1)
		return settle(v, icmp6_send_error(nat, ip, 3, 0, 0, NAT6TO4_R_HOP_LIMIT));
	if (ip->segleft_at)
		return settle(v, icmp6_send_error(nat, ip, 4, 0, ip->segleft_at,
		                                  NAT6TO4_R_SEGMENTS_LEFT));
	return false;
}

struct nat6to4_verdict xlate_6to4(struct nat6to4 *nat, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct n64_ip6 ip;
	struct n64_xl xl;
	enum nat6to4_reason r = ip6_parse(pkt, len, false, &ip);

	if (r != NAT6TO4_R_OK)
		return n64_drop(r);
	struct nat6to4_verdict v;
	if (precheck_6to4(nat, &ip, &v))
		return v;
	r = map_6to4(nat, &ip, now, &xl);
	if (r != NAT6TO4_R_OK)
		return n64_drop(r);
	size_t n = write_6to4(nat, &ip, &xl);
	core_emit(nat, nat->out, n, 4, NAT6TO4_OUT_TRANSLATED);
	return n64_ok();
}

/* ------------------------------------------------------------------ */
/* IPv4 -> IPv6                                                        */
/* ------------------------------------------------------------------ */

static enum nat6to4_reason napt_4to6(struct nat6to4 *nat, const struct n64_ip4 *ip, uint64_t now,
                                     struct n64_xl *xl)
{
	const uint8_t *h = ip->hdr, *l4 = h + ip->ihl;
	uint8_t proto = ip->proto;
	struct n64_frag_key key;

	if (proto != N64_PROTO_TCP && proto != N64_PROTO_UDP && proto != N64_PROTO_ICMP)
		return NAT6TO4_R_UNSUPPORTED_PROTO;
	if (ip4_is_fragment(ip))
		frag_key_set(&key, NAT6TO4_DIR_4TO6, proto, rd16(h + 4), h + 12, h + 16, 4);
	if (ip->frag_off != 0)
		return frag_lookup(nat->frags, &key, xl->src, xl->dst, 16, now)
		           ? NAT6TO4_R_OK : NAT6TO4_R_FRAG_NO_FIRST;

	struct n64_flow4 f = { .proto = proto, .src4 = rdv4(h + 12), .dst4 = rdv4(h + 16) };
	if (proto == N64_PROTO_ICMP) {
		f.dport = rd16(l4 + 4); /* echo identifier */
	} else {
		f.sport = rd16(l4);
		f.dport = rd16(l4 + 2);
		f.tcp_flags = proto == N64_PROTO_TCP ? l4[13] : 0;
	}
	uint8_t prefix_idx = 0;
	enum nat6to4_reason r = sessions_in(nat->sessions, &f, now, xl->dst, &xl->port, &prefix_idx);
	if (r != NAT6TO4_R_OK)
		return r;
	if (addrmap_4to6(&nat->cfg, f.src4, prefix_idx, xl->src) != NAT6TO4_R_OK)
		return NAT6TO4_R_SRC_NOT_MAPPED;
	xl->new_port = true;
	if (ip4_is_fragment(ip))
		frag_remember(nat->frags, &key, xl->src, xl->dst, 16, now);
	return NAT6TO4_R_OK;
}

static enum nat6to4_reason map_4to6(struct nat6to4 *nat, const struct n64_ip4 *ip, uint64_t now,
                                    struct n64_xl *xl)
{
	xl->new_port = false;
	if (nat->cfg.mode == N64_MODE_NAPT)
		return napt_4to6(nat, ip, now, xl);
	if (addrmap_4to6(&nat->cfg, rdv4(ip->hdr + 12), 0, xl->src) != NAT6TO4_R_OK)
		return NAT6TO4_R_SRC_NOT_MAPPED;
	if (addrmap_4to6(&nat->cfg, rdv4(ip->hdr + 16), 0, xl->dst) != NAT6TO4_R_OK)
		return NAT6TO4_R_DST_NOT_MAPPED;
	return NAT6TO4_R_OK;
}

static void l4_fix_4to6(const struct n64_ip4 *ip, const struct n64_xl *xl, uint8_t *l4,
                        size_t l4len, bool udp_no_csum)
{
	struct n64_readdr r = {
		.osrc = ip->hdr + 12, .odst = ip->hdr + 16, .oalen = 4,
		.nsrc = xl->src, .ndst = xl->dst, .nalen = 16,
		.port_at = -1, .port = xl->port,
	};

	if (ip->proto == N64_PROTO_ICMP) {
		r.port_at = xl->new_port ? 4 : -1;
		icmp_echo_xlate(l4, l4len, true, &r, (uint32_t)l4len);
		return;
	}
	r.port_at = xl->new_port ? 2 : -1;
	readdress(l4, l4len, ip->proto, &r);
	if (udp_no_csum) { /* IPv6 requires a UDP checksum (RFC 7915 4.5) */
		uint32_t sum = csum_pseudo6(xl->src, xl->dst, (uint32_t)l4len, N64_PROTO_UDP);
		uint16_t c = csum_finish(csum_add(sum, l4, l4len));
		if (c == 0)
			c = 0xffff;
		memcpy(l4 + 6, &c, 2);
	}
}

/* RFC 7915 4.1: the IPv6 header (and a fragment header), the payload, the
 * checksum. Returns the bytes written to nat->out (a tail may follow). */
static size_t write_4to6(struct nat6to4 *nat, const struct n64_ip4 *ip, const struct n64_xl *xl,
                         bool frag_hdr, bool udp_no_csum)
{
	const uint8_t *h = ip->hdr;
	uint8_t *o = nat->out;
	size_t l4len = ip->len - ip->ihl;
	size_t hl = N64_IP6_HLEN + (frag_hdr ? N64_FRAG_HLEN : 0);
	uint8_t nh = ip->proto == N64_PROTO_ICMP ? N64_PROTO_ICMP6 : ip->proto;

	ip6_write(o, h[1], (uint16_t)(hl - N64_IP6_HLEN + l4len), frag_hdr ? N64_PROTO_FRAG6 : nh,
	          (uint8_t)(h[8] - 1), xl->src, xl->dst);
	if (frag_hdr)
		frag6_write(o + N64_IP6_HLEN, nh, ip->frag_off, ip->mf, rd16(h + 4));
	/* Fragments (made here or received) and a UDP checksum to compute
	 * over the whole payload need it all in nat->out. */
	size_t copy = l4_copy_len(nat, h + ip->ihl, ip->proto, l4len,
	                          frag_hdr || udp_no_csum);
	memcpy(o + hl, h + ip->ihl, copy);
	if (ip->frag_off == 0)
		l4_fix_4to6(ip, xl, o + hl, l4len, udp_no_csum);
	return hl + copy;
}

/* As precheck_6to4, the other way. */
static bool precheck_4to6(struct nat6to4 *nat, const struct n64_ip4 *ip, struct nat6to4_verdict *v)
{
	const uint8_t *l4 = ip->hdr + ip->ihl;
	size_t l4len = ip->len - ip->ihl;

	if (ip->proto == N64_PROTO_ICMP) {
		if (ip4_is_fragment(ip))
			return settle(v, n64_drop(NAT6TO4_R_FRAG_ICMP));
		if (l4len < N64_ICMP_HLEN)
			return settle(v, n64_drop(NAT6TO4_R_TRUNCATED));
		if (icmp4_is_error(l4[0]))
			return settle(v, icmp_error_4to6(nat, ip));
		if (l4[0] != 8 && l4[0] != 0)
			return settle(v, n64_drop(NAT6TO4_R_ICMP_UNTRANSLATABLE));
	} else if (ip->proto == N64_PROTO_ICMP6) {
		return settle(v, n64_drop(NAT6TO4_R_UNSUPPORTED_PROTO));
	}
	if (ip->frag_off == 0 && l4len < l4_min_len(ip->proto))
		return settle(v, n64_drop(NAT6TO4_R_TRUNCATED));
	if (ip->hdr[8] <= 1)
		return settle(v, icmp4_send_error(nat, ip, 11, 0, 0, NAT6TO4_R_HOP_LIMIT));
	if (ip->src_route)
		return settle(v, icmp4_send_error(nat, ip, 3, 5, 0, NAT6TO4_R_SOURCE_ROUTE));
	/* Only the whole packet lets us compute a missing UDP checksum (RFC 7915 4.5). */
	if (ip->proto == N64_PROTO_UDP && ip->frag_off == 0 && ip->mf && rd16(l4 + 6) == 0)
		return settle(v, n64_drop(NAT6TO4_R_FRAG_UDP_NO_CSUM));
	return false;
}

/* RFC 1191 next-hop MTU for Fragmentation Needed: mtu6 in the IPv4 world's terms. */
static uint32_t next_hop_mtu4(uint32_t mtu6, bool frag_hdr)
{
	uint32_t growth = N64_IP6_HLEN - N64_IP4_HLEN + (frag_hdr ? N64_FRAG_HLEN : 0);
	if (mtu6 < 68 + growth)
		return 68;
	return mtu6 - growth > 0xffff ? 0xffff : mtu6 - growth;
}

struct nat6to4_verdict xlate_4to6(struct nat6to4 *nat, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct n64_ip4 ip;
	struct n64_xl xl;
	enum nat6to4_reason r = ip4_parse(pkt, len, false, &ip);

	if (r != NAT6TO4_R_OK)
		return n64_drop(r);
	struct nat6to4_verdict v;
	if (precheck_4to6(nat, &ip, &v))
		return v;
	r = map_4to6(nat, &ip, now, &xl);
	if (r != NAT6TO4_R_OK)
		return n64_drop(r);

	size_t l4len = ip.len - ip.ihl;
	bool frag_hdr = ip4_is_fragment(&ip);
	size_t out_len = N64_IP6_HLEN + (frag_hdr ? N64_FRAG_HLEN : 0) + l4len;
	uint32_t mtu6 = nat->cfg.mtu6;
	if (out_len > mtu6) {
		if (ip.df)
			return icmp4_send_error(nat, &ip, 3, 4, next_hop_mtu4(mtu6, frag_hdr),
			                        NAT6TO4_R_FRAG_NEEDED);
		if (!frag_hdr)
			out_len += N64_FRAG_HLEN;
		frag_hdr = true;
	}
	bool udp_no_csum = ip.proto == N64_PROTO_UDP && !ip4_is_fragment(&ip) &&
	                   rd16(pkt + ip.ihl + 6) == 0;
	size_t written = write_4to6(nat, &ip, &xl, frag_hdr, udp_no_csum);
	if (out_len > mtu6)
		frag_emit6(nat, out_len, mtu6);
	else
		core_emit(nat, nat->out, written, 6, NAT6TO4_OUT_TRANSLATED);
	return n64_ok();
}
