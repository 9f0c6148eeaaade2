/*
 * ping(8) for IPv4 as FreeBSD 8 prints it: "PING 10.0.0.1 (10.0.0.1): 56
 * data bytes", "64 bytes from 10.0.0.1: icmp_seq=0 ttl=64 time=0.123 ms",
 * the statistics (pingjob.c, "stddev"). Unlike ping6, FreeBSD's ping shows
 * ICMP errors about its own probes without -v: the error line, the
 * returned IP header, and an empty line.
 */
#include "apps_int.h"

#include <stdio.h>
#include <string.h>

#define ICMP4_HDR 8
#define PING4_MAXDATALEN (PBUF_SIZE - PBUF_HEADROOM - 14 - 20 - ICMP4_HDR)

static const char ping_usage[] =
	"usage: ping [-AaDdfnoQqRrv] [-c count] [-G sweepmaxsize] [-g sweepminsize]\n"
	"            [-h sweepincrsize] [-i wait] [-l preload] [-M mask | time] [-m ttl]\n"
	"            [-P policy] [-p pattern] [-S src_addr] [-s packetsize] [-t timeout]\n"
	"            [-W waittime] [-z tos] host\n"
	"       ping [-AaDdfLnoQqRrv] [-c count] [-I iface] [-i wait] [-l preload]\n"
	"            [-M mask | time] [-m ttl] [-P policy] [-p pattern] [-S src_addr]\n"
	"            [-s packetsize] [-T ttl] [-t timeout] [-W waittime]\n"
	"            [-z tos] mcast-group";

void ping4_send(struct ping_job *j)
{
	struct sim_node *n = j->node;
	uint8_t data[PING4_MAXDATALEN];
	uint16_t seq = (uint16_t)j->ntransmitted++;
	unsigned bit = seq % PING_DUP_BITS;
	j->rcvd[bit / 8] &= (uint8_t)~(1u << (bit % 8));
	ping_fill_payload(j, data);
	uint8_t ttl = (uint8_t)(j->hlim >= 0 ? j->hlim : (n->net->ttl ? n->net->ttl : 64));
	const char *why = NULL;
	if (icmp4_echo_send(n, NULL, j->dst, ttl, j->ident, seq, data, j->datalen, &why) != 0)
		ping_say(j, "ping: sendto: %s", why ? why : "No route to host");
}

static void on_reply(void *user, struct sim_iface *ifp, const uint8_t *ip4, size_t len,
                     uint16_t id, uint16_t seq, const uint8_t *data, size_t dlen)
{
	struct ping_job *j = user;
	(void)ifp;
	if (!j->active || id != j->ident || len < 20)
		return;
	bool dup;
	double rtt = ping_job_reply(j, seq, data, dlen, &dup);
	if (!j->quiet) {
		char from[APPS_ADDRSTRLEN], line[256];
		apps_fmt4(from, sizeof from, ip4 + 12);
		int k = snprintf(line, sizeof line, "%zu bytes from %s: icmp_seq=%u ttl=%u",
		                 dlen + ICMP4_HDR, from, seq, ip4[8]);
		if (rtt >= 0 && k > 0 && (size_t)k < sizeof line)
			k += snprintf(line + k, sizeof line - (size_t)k, " time=%.3f ms", rtt);
		if (dup && k > 0 && (size_t)k < sizeof line)
			snprintf(line + k, sizeof line - (size_t)k, " (DUP!)");
		ping_say(j, "%s", line);
	}
	ping_job_check_done(j);
}

static void error_head(char *buf, size_t len, uint8_t type, uint8_t code, const uint8_t *icmp)
{
	static const char *const unreach[] = {
		"Destination Net Unreachable", "Destination Host Unreachable",
		"Destination Protocol Unreachable", "Destination Port Unreachable",
	};
	if (type == ICMP4_UNREACH && code < 4)
		snprintf(buf, len, "%s", unreach[code]);
	else if (type == ICMP4_UNREACH && code == ICMP4_UNREACH_NEEDFRAG)
		snprintf(buf, len, "frag needed and DF set (MTU %d)", icmp[6] << 8 | icmp[7]);
	else if (type == ICMP4_UNREACH)
		snprintf(buf, len, "Dest Unreachable, Bad Code: %u", code);
	else if (type == ICMP4_TIMXCEED && code <= 1)
		snprintf(buf, len, "%s", code ? "Frag reassembly time exceeded" : "Time to live exceeded");
	else if (type == ICMP4_TIMXCEED)
		snprintf(buf, len, "Time exceeded, Bad Code: %u", code);
	else if (type == ICMP4_PARAMPROB)
		snprintf(buf, len, "Parameter problem: pointer = 0x%02x", icmp[4]);
	else
		snprintf(buf, len, "Bad ICMP type: %u", type);
}

/* pr_iph: the returned IPv4 header as FreeBSD's ping dumps it. */
static void error_iph(char *buf, size_t len, const uint8_t *in, size_t inlen)
{
	if (inlen < 20) {
		snprintf(buf, len, "%s", "");
		return;
	}
	char src[20], dst[20];
	apps_fmt4(src, sizeof src, in + 12);
	apps_fmt4(dst, sizeof dst, in + 16);
	unsigned off = (unsigned)(in[6] << 8 | in[7]);
	snprintf(buf, len,
	         "Vr HL TOS  Len   ID Flg  off TTL Pro  cks      Src      Dst\n"
	         " %1x  %1x  %02x %04x %04x   %1x %04x  %02x  %02x %04x %s  %s ",
	         in[0] >> 4, in[0] & 0x0f, in[1], (unsigned)(in[2] << 8 | in[3]),
	         (unsigned)(in[4] << 8 | in[5]), off >> 13, off & 0x1fff, in[8], in[9],
	         (unsigned)(in[10] << 8 | in[11]), src, dst);
}

static void on_error(void *user, struct sim_iface *ifp, const uint8_t *ip4, size_t len,
                     uint8_t type, uint8_t code, const uint8_t *inner, size_t innerlen)
{
	struct ping_job *j = user;
	(void)ifp;
	if (!j->active || len < 28 || innerlen < 28 || inner[9] != IPPROTO4_ICMP)
		return;
	size_t ihl = (size_t)(inner[0] & 0x0f) * 4, ohl = (size_t)(ip4[0] & 0x0f) * 4;
	if (ihl < 20 || innerlen < ihl + 8 || ohl < 20 || len < ohl + 8)
		return;
	if (inner[ihl] != ICMP4_ECHO || (uint16_t)(inner[ihl + 4] << 8 | inner[ihl + 5]) != j->ident)
		return;
	char from[20], head[96], iph[256];
	apps_fmt4(from, sizeof from, ip4 + 12);
	error_head(head, sizeof head, type, code, ip4 + ohl);
	error_iph(iph, sizeof iph, inner, innerlen);
	ping_say(j, "%zu bytes from %s: %s\n%s", len - ohl, from, head, iph);
	ping_say(j, "%s", "");
}

void ping4_listen(struct ping_job *j)
{
	j->l4 = (struct icmp4_listener){ .echo_reply = on_reply, .error = on_error, .user = j };
	if (icmp4_listen(j->node, &j->l4) == 0)
		j->listening = true;
}

static int usage4(struct sim_node *n, const struct apps_opt *o)
{
	if (o->bad)
		apps_say(n, "ping: %s -- %c",
		         o->missing ? "option requires an argument" : "illegal option", o->bad);
	apps_say(n, "%s", ping_usage);
	return APPS_EX_USAGE;
}

static int parse_opts4(struct sim_node *n, struct ping_job *j, struct apps_opt *o, int argc,
                       char **argv)
{
	int c;
	long v;
	while ((c = apps_getopt(o, argc, argv, "AaDdfnoQqRrvc:G:g:h:i:l:M:m:P:p:S:s:t:W:z:I:T:L")) != -1) {
		switch (c) {
		case 'c':
			if (!apps_parse_long(o->arg, 1, 0x7fffffffL, &v)) {
				apps_say(n, "ping: invalid count of packets to transmit: `%s'", o->arg);
				return 64;
			}
			j->npackets = v;
			break;
		case 'm':
		case 'T':
			if (!apps_parse_long(o->arg, 0, 255, &v)) {
				apps_say(n, "ping: invalid TTL: `%s'", o->arg);
				return 64;
			}
			j->hlim = (int)v;
			break;
		case 'i':
			if (!apps_parse_seconds(o->arg, &j->interval) || j->interval == 0) {
				apps_say(n, "ping: invalid timing interval: `%s'", o->arg);
				return 64;
			}
			break;
		case 's':
			if (!apps_parse_long(o->arg, 0, PING4_MAXDATALEN, &v)) {
				apps_say(n, "ping: invalid packet size: `%s'", o->arg);
				return 64;
			}
			j->datalen = (uint32_t)v;
			break;
		case 'q':
			j->quiet = true;
			break;
		case 'v':
			j->verbose = true;
			break;
		case '?':
			return usage4(n, o);
		default:
			break;
		}
	}
	return 0;
}

int cmd_ping(struct sim_node *n, int argc, char **argv)
{
	struct ping_job *j = ping_job_new(n);
	j->hlim = -1;
	j->datalen = 56;
	j->interval = SIM_S;
	struct apps_opt o;
	apps_opt_init(&o);
	int rc = parse_opts4(n, j, &o, argc, argv);
	if (rc)
		return rc;
	if (argc - o.ind != 1)
		return usage4(n, &o);
	const char *target = argv[o.ind];
	if (!apps_parse4(target, j->dst)) {
		apps_say(n, "ping: cannot resolve %s: Unknown host", target);
		return 68;
	}
	if (!n->net) {
		apps_say(n, "ping: socket: Protocol not supported");
		return 1;
	}
	snprintf(j->host, sizeof j->host, "%s", target);
	char dst[20];
	apps_fmt4(dst, sizeof dst, j->dst);
	apps_say(n, "PING %s (%s): %u data bytes", target, dst, j->datalen);
	j->ident = (uint16_t)(apps_new_pid(n) & 0xffff);
	ping_job_start(j);
	return 0;
}
