/*
 * ping6(8) as FreeBSD 8 prints it (KAME ping6.c): "PING6(56=40+8+8 bytes)
 * SRC --> DST", one "16 bytes from ADDR, icmp_seq=N hlim=H time=T ms" line
 * per reply (a link-local peer shown with %iface, as getnameinfo does),
 * then the statistics (pingjob.c). ICMPv6 errors are printed only with -v:
 * without it FreeBSD's ping6 installs an ICMP6_FILTER that passes echo
 * replies alone, so a "No Route to Destination" is seen as 100% loss.
 */
#include "apps_int.h"

#include <stdio.h>
#include <string.h>

#define ICMP6_ECHO_REQUEST 128
#define ICMP6_HDR 8
/* Largest payload one pbuf carries with the Ethernet and IPv6 headers. */
#define PING6_MAXDATALEN (PBUF_SIZE - PBUF_HEADROOM - 14 - 40 - ICMP6_HDR)

static const char ping6_usage[] =
	"usage: ping6 [-dfHmnNoqrRtvwW] [-a addrtype] [-b bufsiz] [-c count] [-g gateway]\n"
	"             [-h hoplimit] [-I interface] [-i wait] [-l preload] [-P policy]\n"
	"             [-p pattern] [-S sourceaddr] [-s packetsize] [hops ...] host";

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void ping6_send(struct ping_job *j)
{
	struct sim_node *n = j->node;
	uint8_t msg[ICMP6_HDR + PING6_MAXDATALEN];
	size_t len = ICMP6_HDR + j->datalen;
	uint16_t seq = (uint16_t)j->ntransmitted++;
	unsigned bit = seq % PING_DUP_BITS;
	j->rcvd[bit / 8] &= (uint8_t)~(1u << (bit % 8));
	msg[0] = ICMP6_ECHO_REQUEST;
	msg[1] = 0;
	put16(msg + 2, 0);
	put16(msg + 4, j->ident);
	put16(msg + 6, seq);
	ping_fill_payload(j, msg + ICMP6_HDR);
	put16(msg + 2, ip6_checksum(j->src, j->dst, 58, msg, len));
	const char *why = NULL;
	if (ip6_output(n, j->src, j->dst, 58, (uint8_t)(j->hlim < 0 ? 0 : j->hlim), msg, len,
	               j->oif, &why) != 0) {
		ping_say(j, "ping6: sendmsg: %s", why ? why : "No route to host");
		ping_say(j, "ping6: wrote %s %zu chars, ret=-1", j->host, len);
	}
}

static void fmt_from(char *buf, size_t len, const uint8_t *ip6, struct sim_iface *ifp)
{
	apps_fmt6(buf, len, ip6 + 8, ifp);
}

static void on_reply(void *user, struct sim_iface *ifp, const uint8_t *ip6, size_t len,
                     uint16_t id, uint16_t seq, const uint8_t *data, size_t dlen)
{
	struct ping_job *j = user;
	if (!j->active || id != j->ident || len < 40)
		return;
	bool dup;
	double rtt = ping_job_reply(j, seq, data, dlen, &dup);
	if (!j->quiet) {
		char from[APPS_ADDRSTRLEN], line[256];
		fmt_from(from, sizeof from, ip6, ifp);
		int k = snprintf(line, sizeof line, "%zu bytes from %s, icmp_seq=%u hlim=%u",
		                 dlen + ICMP6_HDR, from, seq, ip6[7]);
		if (rtt >= 0 && k > 0 && (size_t)k < sizeof line)
			k += snprintf(line + k, sizeof line - (size_t)k, " time=%.3f ms", rtt);
		if (dup && k > 0 && (size_t)k < sizeof line)
			snprintf(line + k, sizeof line - (size_t)k, "(DUP!)");
		ping_say(j, "%s", line);
	}
	ping_job_check_done(j);
}

static const char *unreach_text(uint8_t code)
{
	static const char *const text[] = {
		"No Route to Destination", "Destination Administratively Unreachable",
		"Destination Unreachable Beyond Scope", "Destination Host Unreachable",
		"Destination Port Unreachable",
	};
	return code < sizeof text / sizeof text[0] ? text[code] : NULL;
}

/* pr_icmph's first line for the errors a ping can get back. */
static void error_head(char *buf, size_t len, uint8_t type, uint8_t code, const uint8_t *ip6)
{
	const uint8_t *icmp = ip6 + 40;
	uint32_t word = (uint32_t)icmp[4] << 24 | (uint32_t)icmp[5] << 16 | (uint32_t)icmp[6] << 8 | icmp[7];
	if (type == 1 && unreach_text(code))
		snprintf(buf, len, "%s", unreach_text(code));
	else if (type == 1)
		snprintf(buf, len, "Destination Unreachable, Bad Code: %u", code);
	else if (type == 2)
		snprintf(buf, len, "Packet too big mtu = %d", (int)word);
	else if (type == 3 && code <= 1)
		snprintf(buf, len, "%s", code ? "Frag reassembly time exceeded" : "Time to live exceeded");
	else if (type == 3)
		snprintf(buf, len, "Time exceeded, Bad Code: %u", code);
	else if (type == 4)
		snprintf(buf, len, "Parameter problem: %s pointer = 0x%02x",
		         code == 0 ? "Erroneous Header" : code == 1 ? "Unknown Nextheader" :
		         code == 2 ? "Unrecognized Option" : "Bad code", word);
	else
		snprintf(buf, len, "Bad ICMP type: %u", type);
}

/* pr_retip: the returned IPv6 header, then the ICMPv6 type and code. */
static void error_retip(char *buf, size_t len, const uint8_t *in, size_t inlen)
{
	if (inlen < 40) {
		snprintf(buf, len, "IP6...");
		return;
	}
	char src[APPS_ADDRSTRLEN], dst[APPS_ADDRSTRLEN];
	apps_fmt6(src, sizeof src, in + 8, NULL);
	apps_fmt6(dst, sizeof dst, in + 24, NULL);
	unsigned tc = (unsigned)((in[0] & 0x0f) << 4 | in[1] >> 4);
	unsigned flow = (unsigned)((in[1] & 0x0f) << 16 | in[2] << 8 | in[3]);
	unsigned plen = (unsigned)(in[4] << 8 | in[5]);
	int k = snprintf(buf, len, "Vr TC  Flow Plen Nxt Hlim\n %1x %02x %05x %04x  %02x   %02x\n%s->%s\n",
	                 in[0] >> 4, tc, flow, plen, in[6], in[7], src, dst);
	if (k < 0 || (size_t)k >= len)
		return;
	if (in[6] == 58 && inlen >= 48)
		snprintf(buf + k, len - (size_t)k, "ICMP6: type = %u, code = %u\n", in[40], in[41]);
	else
		snprintf(buf + k, len - (size_t)k, "...\n");
}

static void on_error(void *user, struct sim_iface *ifp, const uint8_t *ip6, size_t len,
                     uint8_t type, uint8_t code, const uint8_t *inner, size_t innerlen)
{
	struct ping_job *j = user;
	/* Only errors about this run's echo requests (ident in the quoted packet). */
	if (!j->active || !j->verbose || len < 48 || innerlen < 48 || inner[6] != 58 ||
	    inner[40] != ICMP6_ECHO_REQUEST || (uint16_t)(inner[44] << 8 | inner[45]) != j->ident)
		return;
	char from[APPS_ADDRSTRLEN], head[96], ret[512];
	fmt_from(from, sizeof from, ip6, ifp);
	error_head(head, sizeof head, type, code, ip6);
	error_retip(ret, sizeof ret, inner, innerlen);
	ping_say(j, "%zu bytes from %s: %s\n%s", len - 40, from, head, ret);
	ping_say(j, "%s", "");
}

void ping6_listen(struct ping_job *j)
{
	j->l6 = (struct icmp6_listener){ .echo_reply = on_reply, .error = on_error, .user = j };
	icmp6_listen(j->node, &j->l6);
	j->listening = true;
}

/* getopt(3)'s complaint, then the usage text. */
static int usage6(struct sim_node *n, const struct apps_opt *o, int c)
{
	if (c == '?' && o->bad)
		apps_say(n, "ping6: %s -- %c",
		         o->missing ? "option requires an argument" : "illegal option", o->bad);
	apps_say(n, "%s", ping6_usage);
	return APPS_EX_USAGE;
}

/* -c -h -i -s -I -S -v -q; returns 0, or the exit status of a bad option. */
static int parse_opts6(struct sim_node *n, struct ping_job *j, struct apps_opt *o, int argc,
                       char **argv, const char **ifname, const char **srcname)
{
	int c;
	long v;
	while ((c = apps_getopt(o, argc, argv, "a:b:c:dfHg:h:I:i:l:mnNop:qrRS:s:tvwW")) != -1) {
		switch (c) {
		case 'c':
			if (!apps_parse_long(o->arg, 1, 0x7fffffffL, &v)) {
				apps_say(n, "ping6: illegal number of packets -- %s", o->arg);
				return 1;
			}
			j->npackets = v;
			break;
		case 'h':
			if (!apps_parse_long(o->arg, -1, 255, &v)) {
				apps_say(n, "ping6: illegal hoplimit -- %s", o->arg);
				return 1;
			}
			j->hlim = (int)v;
			break;
		case 'i':
			if (!apps_parse_seconds(o->arg, &j->interval)) {
				apps_say(n, "ping6: illegal timing interval %s", o->arg);
				return 1;
			}
			if (j->interval == 0)
				j->interval = SIM_US; /* "too small interval, raised to .000001" */
			break;
		case 's':
			if (!apps_parse_long(o->arg, 1, 0x7fffffffL, &v)) {
				apps_say(n, "ping6: illegal datalen value -- %s", o->arg);
				return 1;
			}
			if (v > PING6_MAXDATALEN) {
				apps_say(n, "ping6: datalen value too large, maximum is %d", PING6_MAXDATALEN);
				return 1;
			}
			j->datalen = (uint32_t)v;
			break;
		case 'I':
			*ifname = o->arg;
			break;
		case 'S':
			*srcname = o->arg;
			break;
		case 'v':
			j->verbose = true;
			break;
		case 'q':
			j->quiet = true;
			break;
		case '?':
			return usage6(n, o, c);
		default:
			break; /* accepted, no effect in the simulator */
		}
	}
	return 0;
}

/*
 * A link-local target typed without %iface: the kernel's default zone.
 * With one attached interface there is no ambiguity (the seed pings its
 * PPP peer that way); otherwise ip6_output picks by route.
 */
static struct sim_iface *default_zone(struct sim_node *n)
{
	struct sim_iface *only = NULL;
	for (int i = 0; i < n->nifaces; i++) {
		struct sim_iface *ifp = n->ifaces[i];
		if (!ifp->link || (ifp->flags & SIM_IFF_LOOPBACK))
			continue;
		if (only)
			return NULL;
		only = ifp;
	}
	return only;
}

/* The interface the route to dst leaves by (the seed's default route out
 * of tun0, which also matches an unscoped fe80::), NULL without one. */
static struct sim_iface *route_ifp(struct sim_node *n, const uint8_t dst[16])
{
	struct route *r = in6_is_multicast(dst) ? NULL : route_lookup(&n->net->rt6, dst);
	return r ? r->ifp : NULL;
}

/* The source FreeBSD's ping6 learns by connecting a UDP socket. */
static int choose_source(struct sim_node *n, struct ping_job *j, const char *srcname)
{
	struct sim_iface *sifp = NULL;
	if (srcname) {
		struct sim_iface *scope;
		if (apps_parse6(n, srcname, j->src, &scope) != 0) {
			apps_say(n, "ping6: invalid source address: hostname nor servname provided, or not known");
			return 1;
		}
		if (!ip6_is_local(n, j->src, &sifp)) {
			apps_say(n, "ping6: bind: Can't assign requested address");
			return 1;
		}
		return 0;
	}
	if (!j->oif && !in6_is_multicast(j->dst) && !route_lookup(&n->net->rt6, j->dst) &&
	    !ip6_is_local(n, j->dst, NULL)) {
		apps_say(n, "ping6: UDP connect: No route to host");
		return 1;
	}
	/* connect(2) picks the source for the interface the route leaves by. */
	const uint8_t *src = ip6_select_source(n, j->dst, j->oif ? j->oif : route_ifp(n, j->dst));
	if (!src) {
		apps_say(n, "ping6: UDP connect: Can't assign requested address");
		return 1;
	}
	memcpy(j->src, src, 16);
	return 0;
}

/* The interface of the source, for its %scope: the one the packets leave
 * by when it has the address (the same EUI-64 link-local is on sk0 and
 * tun0), else the first that has it. */
static struct sim_iface *src_scope(struct sim_node *n, const struct ping_job *j)
{
	struct sim_iface *via = j->oif ? j->oif : route_ifp(n, j->dst), *sifp = NULL;
	if (via && in6_addr_find(via, j->src))
		return via;
	ip6_is_local(n, j->src, &sifp);
	return sifp ? sifp : j->oif;
}

/* Target, interface and source; 0 when the run can start. */
static int resolve6(struct sim_node *n, struct ping_job *j, const char *target,
                    const char *ifname, const char *srcname)
{
	struct sim_iface *scope = NULL;
	if (apps_parse6(n, target, j->dst, &scope) != 0) {
		apps_say(n, "ping6: hostname nor servname provided, or not known");
		return 1;
	}
	snprintf(j->host, sizeof j->host, "%s", target);
	j->oif = scope;
	if (ifname) {
		j->oif = sim_iface_find(n, ifname);
		if (!j->oif) {
			apps_say(n, "ping6: %s: invalid interface name", ifname);
			return 1;
		}
	}
	/* No %scope: the interface of the matching route, else the only one. */
	if (!j->oif && in6_is_link_scoped(j->dst))
		j->oif = route_ifp(n, j->dst);
	if (!j->oif && in6_is_link_scoped(j->dst))
		j->oif = default_zone(n);
	return choose_source(n, j, srcname);
}

int cmd_ping6(struct sim_node *n, int argc, char **argv)
{
	struct ping_job *j = ping_job_new(n);
	j->v6 = true;
	j->hlim = -1;
	j->datalen = 8;
	j->interval = SIM_S;
	struct apps_opt o;
	apps_opt_init(&o);
	const char *ifname = NULL, *srcname = NULL;
	int rc = parse_opts6(n, j, &o, argc, argv, &ifname, &srcname);
	if (rc)
		return rc;
	if (argc - o.ind != 1) {
		apps_say(n, "%s", ping6_usage);
		return APPS_EX_USAGE;
	}
	if (!n->net) {
		apps_say(n, "ping6: socket: Protocol not supported");
		return 1;
	}
	rc = resolve6(n, j, argv[o.ind], ifname, srcname);
	if (rc)
		return rc;
	struct sim_iface *sifp = src_scope(n, j);
	char src[APPS_ADDRSTRLEN], dst[APPS_ADDRSTRLEN];
	apps_fmt6(src, sizeof src, j->src, sifp ? sifp : j->oif);
	/* The target keeps a scope in the banner only when one was typed. */
	apps_fmt6(dst, sizeof dst, j->dst, strchr(argv[o.ind], '%') ? j->oif : NULL);
	apps_say(n, "PING6(%u=40+8+%u bytes) %s --> %s", 40 + ICMP6_HDR + j->datalen, j->datalen,
	         src, dst);
	j->ident = (uint16_t)(apps_new_pid(n) & 0xffff);
	ping_job_start(j);
	return 0;
}
