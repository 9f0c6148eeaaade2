/*
 * mkcapture — write the deterministic captures the nat6to4 demo and the CLI
 * tests feed to `nat6to4 translate`.
 *
 *   bin/mkcapture KIND OUT.pcap        KIND: see `bin/mkcapture --list`
 *
 * Packets are built with libnet in LIBNET_NONE mode (no privileges, no
 * injection: libnet_pblock_coalesce + libnet_adv_free_packet) and written
 * with libpcap (pcap_open_dead + pcap_dump_open). Timestamps are fixed, so
 * the same KIND always gives the same bytes.
 *
 * The captures hold packets as they ARRIVE at the translator, from both
 * sides, in time order: IPv6 packets from the client, IPv4 packets from the
 * servers. Address plan (see tests/data/rompager.conf):
 *
 *   client (freefall)        2001:5c0:8fff:fffe::2   IPv6 only
 *   RomPager as IPv6 clients see it   2001:5c0:8fff:ffff::c3  (map line)
 *   RomPager's real address  192.168.1.195           IPv4 only
 *   gateway's pool4 address  192.168.1.1             source of translated packets
 *   BarNet DNS jail          202.83.176.248 = 2001:df0:9::ca53:b0f8
 *                                           = 2001:df0:9::202:83:176:248 (decimal)
 *
 * The translator chooses the pool4 port of a new session; these captures
 * assume it keeps the client's port (RFC 6146 section 3.5.1.1 prefers port
 * preservation, and libnat6to4 does so when the port is free), so the IPv4
 * replies are addressed to 192.168.1.1:<client port>.
 */
#include <arpa/inet.h>
#include <libnet.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Tue, 13 May 2008 14:10:23 GMT: the Date of the RomPager's reply in the seed. */
#define SEED_EPOCH 1210687823u

#define CLIENT6   "2001:5c0:8fff:fffe::2"
#define ROMPAGER6 "2001:5c0:8fff:ffff::c3"
#define ROMPAGER4 "192.168.1.195"
#define POOL4     "192.168.1.1"
#define DNS6_HEX  "2001:df0:9::ca53:b0f8"
#define DNS6_DEC  "2001:df0:9::202:83:176:248"
#define DNS4      "202.83.176.248"

/* The client's hop limit as packets reach the gateway (64 minus 12 hops). */
#define CLIENT_HLIM 52
#define LAN_TTL     64

#define MAX_PKT 2048

struct packet {
	uint8_t data[MAX_PKT];
	size_t len;
};

/* Everything one packet needs; zero fields mean "none". */
struct spec {
	const char *src, *dst;     /* family taken from the address spelling */
	uint8_t proto;             /* IPPROTO_TCP, IPPROTO_UDP, ICMP(v6) */
	uint8_t ttl;
	uint16_t ip_id;
	uint16_t sport, dport;     /* echo: sport = identifier, dport = sequence */
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	const uint8_t *opts;       /* TCP options */
	uint32_t opts_len;
	const uint8_t *payload;
	uint32_t payload_len;
	int echo_reply;
};

struct capture {
	pcap_t *dead;
	pcap_dumper_t *dumper;
	int dlt;
};

static void die(const char *what, const char *why)
{
	fprintf(stderr, "mkcapture: %s: %s\n", what, why);
	exit(1);
}

static int is_v6(const char *addr) { return strchr(addr, ':') != NULL; }

static struct libnet_in6_addr addr6(const char *text)
{
	struct libnet_in6_addr a;
	if (inet_pton(AF_INET6, text, &a) != 1)
		die(text, "not an IPv6 address");
	return a;
}

static uint32_t addr4(const char *text)
{
	struct in_addr a;
	if (inet_pton(AF_INET, text, &a) != 1)
		die(text, "not an IPv4 address");
	return a.s_addr; /* libnet wants network byte order */
}

/* The transport header (and options), built before the IP header, as libnet requires. */
static uint32_t build_transport(libnet_t *l, const struct spec *s, int v6)
{
	libnet_ptag_t t = 0;
	uint32_t len = s->payload_len;

	if (s->proto == IPPROTO_TCP) {
		if (s->opts_len && libnet_build_tcp_options(s->opts, s->opts_len, l, 0) == -1)
			die("tcp options", libnet_geterror(l));
		len += LIBNET_TCP_H + s->opts_len;
		t = libnet_build_tcp(s->sport, s->dport, s->seq, s->ack, s->flags, s->win, 0, 0,
		                     (uint16_t)len, s->payload, s->payload_len, l, 0);
	} else if (s->proto == IPPROTO_UDP) {
		len += LIBNET_UDP_H;
		t = libnet_build_udp(s->sport, s->dport, (uint16_t)len, 0, s->payload,
		                     s->payload_len, l, 0);
	} else if (v6) {
		len += LIBNET_ICMPV6_ECHO_H;
		t = libnet_build_icmpv6_echo(s->echo_reply ? 129 : 128, 0, 0, s->sport, s->dport,
		                             (uint8_t *)s->payload, s->payload_len, l, 0);
	} else {
		len += LIBNET_ICMPV4_ECHO_H;
		t = libnet_build_icmpv4_echo(s->echo_reply ? ICMP_ECHOREPLY : ICMP_ECHO, 0, 0,
		                             s->sport, s->dport, s->payload, s->payload_len, l, 0);
	}
	if (t == -1)
		die("transport header", libnet_geterror(l));
	return len;
}

static void build(libnet_t *l, const struct spec *s, struct packet *out)
{
	int v6 = is_v6(s->src);
	uint32_t ulen = build_transport(l, s, v6);
	libnet_ptag_t t;

	if (v6)
		t = libnet_build_ipv6(0, 0, (uint16_t)ulen, s->proto, s->ttl, addr6(s->src),
		                      addr6(s->dst), NULL, 0, l, 0);
	else
		t = libnet_build_ipv4((uint16_t)(LIBNET_IPV4_H + ulen), 0, s->ip_id, 0, s->ttl,
		                      s->proto, 0, addr4(s->src), addr4(s->dst), NULL, 0, l, 0);
	if (t == -1)
		die("ip header", libnet_geterror(l));

	uint8_t *bytes = NULL;
	uint32_t size = 0;
	if (libnet_pblock_coalesce(l, &bytes, &size) == -1)
		die("coalesce", libnet_geterror(l));
	if (size > sizeof out->data)
		die("packet", "too large");
	memcpy(out->data, bytes, size);
	out->len = size;
	libnet_adv_free_packet(l, bytes);
	libnet_clear_packet(l);
}

/* ---- capture output --------------------------------------------------- */

static void cap_open(struct capture *c, const char *path, int dlt)
{
	c->dlt = dlt;
	c->dead = pcap_open_dead(dlt, 65535);
	if (!c->dead)
		die(path, "pcap_open_dead failed");
	c->dumper = pcap_dump_open(c->dead, path);
	if (!c->dumper)
		die(path, pcap_geterr(c->dead));
}

static void cap_write_raw(struct capture *c, uint32_t usec_offset, const uint8_t *data,
                          size_t len)
{
	struct pcap_pkthdr h;
	h.ts.tv_sec = SEED_EPOCH + usec_offset / 1000000u;
	h.ts.tv_usec = usec_offset % 1000000u;
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)c->dumper, &h, data);
}

/* Ethernet framing for the `ether` kind: gateway NIC <- router / LAN. */
static void cap_write(struct capture *c, uint32_t usec_offset, const struct packet *p,
                      uint16_t vlan)
{
	static const uint8_t gw_mac[6] = { 0x00, 0x0f, 0xea, 0x2c, 0xd5, 0x18 };
	static const uint8_t peer_mac[6] = { 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b };
	uint8_t frame[MAX_PKT + 18];
	size_t n = 0;

	if (c->dlt != DLT_EN10MB) {
		cap_write_raw(c, usec_offset, p->data, p->len);
		return;
	}
	memcpy(frame, gw_mac, 6);
	memcpy(frame + 6, peer_mac, 6);
	n = 12;
	if (vlan) {
		frame[n++] = 0x81; frame[n++] = 0x00;
		frame[n++] = (uint8_t)(vlan >> 8); frame[n++] = (uint8_t)vlan;
	}
	int v6 = (p->data[0] >> 4) == 6;
	frame[n++] = v6 ? 0x86 : 0x08;
	frame[n++] = v6 ? 0xdd : 0x00;
	memcpy(frame + n, p->data, p->len);
	cap_write_raw(c, usec_offset, frame, n + p->len);
}

static void cap_close(struct capture *c)
{
	pcap_dump_close(c->dumper);
	pcap_close(c->dead);
}

/* ---- the RomPager telnet of 2008-05-13 --------------------------------- */

#define CLIENT_PORT 50834
#define CLIENT_ISN  1804289383u
#define SERVER_ISN  846930886u

static const char rompager_request_line[] = "GET / HTTP/1.0\r\n";
static const char rompager_request_end[] = "\r\n";
/* The seed's response, byte for byte, and a 32-byte text/xml body (the
 * seed does not show it; the same body as the simulated RomPager's, with no
 * line end, so telnet prints "Connection closed..." right after it). */
static const char rompager_response[] =
	"HTTP/1.1 200 OK\r\n"
	"Content-Type: text/xml; charset=\"utf-8\"\r\n"
	"Date: Tue, 13 May 2008 14:10:23 GMT\r\n"
	"Expires: Thu, 26 Oct 1995 00:00:00 GMT\r\n"
	"Last-Modified: Tue, 13 May 2008 14:10:23 GMT\r\n"
	"Pragma: no-cache\r\n"
	"Content-Length: 32\r\n"
	"Server: Allegro-Software-RomPager/4.34\r\n"
	"\r\n"
	"<?xml version=\"1.0\" ?><status />";

/* MSS 1420: the client sits behind a 1480-byte IPv6-in-IPv4 tunnel. */
static const uint8_t mss_client[4] = { 2, 4, 0x05, 0x8c };
static const uint8_t mss_server[4] = { 2, 4, 0x05, 0xb4 };

struct timed {
	uint32_t usec;     /* offset from SEED_EPOCH */
	struct spec s;
};

#define PL(str) (const uint8_t *)(str), (uint32_t)(sizeof(str) - 1)

static size_t rompager_specs(struct timed *t)
{
	const uint32_t c = CLIENT_ISN, s = SERVER_ISN;
	const uint32_t req = sizeof rompager_request_line - 1 + sizeof rompager_request_end - 1;
	const uint32_t resp = sizeof rompager_response - 1;
	const struct timed list[] = {
		{ 0, { CLIENT6, ROMPAGER6, IPPROTO_TCP, CLIENT_HLIM, 0, CLIENT_PORT, 80, c, 0,
		       TH_SYN, 65535, mss_client, 4, NULL, 0, 0 } },
		{ 380, { ROMPAGER4, POOL4, IPPROTO_TCP, LAN_TTL, 0x0101, 80, CLIENT_PORT, s, c + 1,
		         TH_SYN | TH_ACK, 8192, mss_server, 4, NULL, 0, 0 } },
		{ 183521, { CLIENT6, ROMPAGER6, IPPROTO_TCP, CLIENT_HLIM, 0, CLIENT_PORT, 80, c + 1,
		            s + 1, TH_ACK, 65535, NULL, 0, NULL, 0, 0 } },
		{ 412870, { CLIENT6, ROMPAGER6, IPPROTO_TCP, CLIENT_HLIM, 0, CLIENT_PORT, 80, c + 1,
		            s + 1, TH_PUSH | TH_ACK, 65535, NULL, 0, PL(rompager_request_line), 0 } },
		{ 413204, { ROMPAGER4, POOL4, IPPROTO_TCP, LAN_TTL, 0x0102, 80, CLIENT_PORT, s + 1,
		            c + 17, TH_ACK, 8192, NULL, 0, NULL, 0, 0 } },
		{ 596002, { CLIENT6, ROMPAGER6, IPPROTO_TCP, CLIENT_HLIM, 0, CLIENT_PORT, 80, c + 17,
		            s + 1, TH_PUSH | TH_ACK, 65535, NULL, 0, PL(rompager_request_end), 0 } },
		{ 598740, { ROMPAGER4, POOL4, IPPROTO_TCP, LAN_TTL, 0x0103, 80, CLIENT_PORT, s + 1,
		            c + 1 + req, TH_PUSH | TH_ACK, 8192, NULL, 0, PL(rompager_response), 0 } },
		{ 598901, { ROMPAGER4, POOL4, IPPROTO_TCP, LAN_TTL, 0x0104, 80, CLIENT_PORT,
		            s + 1 + resp, c + 1 + req, TH_FIN | TH_ACK, 8192, NULL, 0, NULL, 0, 0 } },
		{ 781436, { CLIENT6, ROMPAGER6, IPPROTO_TCP, CLIENT_HLIM, 0, CLIENT_PORT, 80,
		            c + 1 + req, s + 2 + resp, TH_ACK, 65535, NULL, 0, NULL, 0, 0 } },
		{ 781502, { CLIENT6, ROMPAGER6, IPPROTO_TCP, CLIENT_HLIM, 0, CLIENT_PORT, 80,
		            c + 1 + req, s + 2 + resp, TH_FIN | TH_ACK, 65535, NULL, 0, NULL, 0, 0 } },
		{ 781811, { ROMPAGER4, POOL4, IPPROTO_TCP, LAN_TTL, 0x0105, 80, CLIENT_PORT,
		            s + 2 + resp, c + 2 + req, TH_ACK, 8192, NULL, 0, NULL, 0, 0 } },
	};
	memcpy(t, list, sizeof list);
	return sizeof list / sizeof list[0];
}

/* ---- DNS over UDP: the BarNet DNS jail, by hex and by decimal address --- */

/* A DNS message for `www.barnet.com.au. IN A`, answered when `answer`. */
static size_t dns_message(uint8_t *m, uint16_t id, int answer)
{
	static const uint8_t qname[] = "\3www\6barnet\3com\2au";
	size_t n = 0;
	m[n++] = (uint8_t)(id >> 8); m[n++] = (uint8_t)id;
	m[n++] = answer ? 0x85 : 0x01;        /* QR, AA, RD   /  RD */
	m[n++] = answer ? 0x80 : 0x00;        /* RA, NOERROR */
	const uint8_t counts[8] = { 0, 1, 0, (uint8_t)(answer ? 1 : 0), 0, 0, 0, 0 };
	memcpy(m + n, counts, 8); n += 8;
	memcpy(m + n, qname, sizeof qname); n += sizeof qname; /* includes the root label */
	const uint8_t qtail[4] = { 0, 1, 0, 1 };              /* A, IN */
	memcpy(m + n, qtail, 4); n += 4;
	if (answer) {
		const uint8_t rr[16] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4,
		                         202, 83, 176, 248 };  /* TTL 3600 */
		memcpy(m + n, rr, sizeof rr); n += sizeof rr;
	}
	return n;
}

static size_t dns_specs(struct timed *t, uint8_t bufs[4][128])
{
	size_t q1 = dns_message(bufs[0], 0x1d2c, 0), a1 = dns_message(bufs[1], 0x1d2c, 1);
	size_t q2 = dns_message(bufs[2], 0x1d2d, 0), a2 = dns_message(bufs[3], 0x1d2d, 1);
	const struct timed list[] = {
		{ 0, { CLIENT6, DNS6_HEX, IPPROTO_UDP, CLIENT_HLIM, 0, 53001, 53, 0, 0, 0, 0, NULL,
		       0, bufs[0], (uint32_t)q1, 0 } },
		{ 702, { DNS4, POOL4, IPPROTO_UDP, LAN_TTL, 0x2001, 53, 53001, 0, 0, 0, 0, NULL, 0,
		         bufs[1], (uint32_t)a1, 0 } },
		{ 250000, { CLIENT6, DNS6_DEC, IPPROTO_UDP, CLIENT_HLIM, 0, 53002, 53, 0, 0, 0, 0,
		            NULL, 0, bufs[2], (uint32_t)q2, 0 } },
		{ 250655, { DNS4, POOL4, IPPROTO_UDP, LAN_TTL, 0x2002, 53, 53002, 0, 0, 0, 0, NULL,
		            0, bufs[3], (uint32_t)a2, 0 } },
	};
	memcpy(t, list, sizeof list);
	return sizeof list / sizeof list[0];
}

/* ---- ping6 to the DNS jail: FreeBSD ping6's 8-byte payload ---------------- */

static const uint8_t ping_payload[8] = { 0x48, 0x29, 0xa1, 0xcf, 0x00, 0x01, 0x2c, 0x5e };

static size_t echo_specs(struct timed *t)
{
	const struct timed list[] = {
		{ 0, { CLIENT6, DNS6_HEX, IPPROTO_ICMPV6, CLIENT_HLIM, 0, 0x0b2d, 0, 0, 0, 0, 0,
		       NULL, 0, ping_payload, 8, 0 } },
		{ 512, { DNS4, POOL4, IPPROTO_ICMP, LAN_TTL, 0x3001, 0x0b2d, 0, 0, 0, 0, 0, NULL, 0,
		         ping_payload, 8, 1 } },
		{ 1000000, { CLIENT6, DNS6_HEX, IPPROTO_ICMPV6, CLIENT_HLIM, 0, 0x0b2d, 1, 0, 0, 0,
		             0, NULL, 0, ping_payload, 8, 0 } },
		{ 1000498, { DNS4, POOL4, IPPROTO_ICMP, LAN_TTL, 0x3002, 0x0b2d, 1, 0, 0, 0, 0, NULL,
		             0, ping_payload, 8, 1 } },
	};
	memcpy(t, list, sizeof list);
	return sizeof list / sizeof list[0];
}

/* ---- packets the translator must refuse, one reason each ------------------ */

static size_t errors_specs(struct timed *t)
{
	const struct timed list[] = {
		/* #1 IPv4 reply to a pool port nobody opened: no-session */
		{ 0, { DNS4, POOL4, IPPROTO_UDP, LAN_TTL, 0x4001, 9, 40000, 0, 0, 0, 0, NULL, 0,
		       PL("stray"), 0 } },
		/* #2 IPv6 to an address outside every prefix and map: dst-not-mapped */
		{ 1000, { CLIENT6, "2001:db8::1", IPPROTO_UDP, CLIENT_HLIM, 0, 53003, 9, 0, 0, 0, 0,
		          NULL, 0, PL("nowhere"), 0 } },
		/* #3 TCP ACK without a SYN before it: not-syn */
		{ 2000, { CLIENT6, ROMPAGER6, IPPROTO_TCP, CLIENT_HLIM, 0, 50999, 80, 1, 1, TH_ACK,
		          65535, NULL, 0, NULL, 0, 0 } },
		/* #4 hop limit 1: ICMPv6 Time Exceeded back to the client */
		{ 3000, { CLIENT6, ROMPAGER6, IPPROTO_UDP, 1, 0, 53004, 9, 0, 0, 0, 0, NULL, 0,
		          PL("last hop"), 0 } },
	};
	memcpy(t, list, sizeof list);
	return sizeof list / sizeof list[0];
}

/* ---- writing a kind ------------------------------------------------------ */

static void write_specs(struct capture *c, libnet_t *l, const struct timed *t, size_t n,
                        uint16_t vlan_of_third)
{
	struct packet p;
	for (size_t i = 0; i < n; i++) {
		build(l, &t[i].s, &p);
		cap_write(c, t[i].usec, &p, i == 2 ? vlan_of_third : 0);
	}
}

/* An IPv4 packet whose header checksum is wrong, then one cut after 30 bytes. */
static void write_broken_tail(struct capture *c, libnet_t *l)
{
	struct spec s = { DNS4, POOL4, IPPROTO_UDP, LAN_TTL, 0x4005, 9, 53001, 0, 0, 0, 0,
	                  NULL, 0, PL("bad checksum"), 0 };
	struct packet p;
	build(l, &s, &p);
	p.data[10] ^= 0xff; /* corrupt the IPv4 header checksum */
	cap_write(c, 4000, &p, 0);
	struct spec s6 = { CLIENT6, ROMPAGER6, IPPROTO_UDP, CLIENT_HLIM, 0, 53005, 9, 0, 0, 0,
	                   0, NULL, 0, PL("cut short"), 0 };
	build(l, &s6, &p);
	p.len = 30; /* shorter than the 40-byte IPv6 header */
	cap_write(c, 5000, &p, 0);
}

/* An ARP request (skipped by the translator) for the `ether` kind. */
static void write_arp(struct capture *c)
{
	static const uint8_t arp[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
		0x00, 0x0c, 0x86, 0x75, 0x24, 0x1b, 192, 168, 1, 195,
		0, 0, 0, 0, 0, 0, 192, 168, 1, 1,
	};
	cap_write_raw(c, 0, arp, sizeof arp);
}

/* Cut the last record short so that readers must report a truncated file. */
static void truncate_tail(const char *path, long cut)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0)
		die(path, "cannot reopen");
	long size = ftell(f);
	fclose(f);
	if (size <= cut || truncate(path, size - cut) != 0)
		die(path, "cannot truncate");
}

static const char *const kinds[][2] = {
	{ "rompager",  "the seed's telnet to the RomPager, IPv6 and IPv4 sides (link type RAW)" },
	{ "ether",     "the same on Ethernet: an ARP first, packet #4 in VLAN 5 (link type EN10MB)" },
	{ "udp-dns",   "two DNS queries to the BarNet DNS jail, hex and decimal address form" },
	{ "icmp-echo", "ping6 to the DNS jail and the IPv4 echo replies" },
	{ "errors",    "six packets refused for six different reasons" },
	{ "truncated", "the rompager capture with its last record cut short" },
};

static void usage(FILE *to)
{
	fprintf(to, "usage: mkcapture KIND OUT.pcap\nkinds:\n");
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		fprintf(to, "  %-10s %s\n", kinds[i][0], kinds[i][1]);
}

static int make(const char *kind, const char *path, libnet_t *l)
{
	struct timed t[16];
	uint8_t dns[4][128];
	struct capture c;
	int ether = strcmp(kind, "ether") == 0;

	cap_open(&c, path, ether ? DLT_EN10MB : DLT_RAW);
	if (strcmp(kind, "rompager") == 0 || strcmp(kind, "truncated") == 0) {
		write_specs(&c, l, t, rompager_specs(t), 0);
	} else if (ether) {
		write_arp(&c);
		write_specs(&c, l, t, rompager_specs(t), 5);
	} else if (strcmp(kind, "udp-dns") == 0) {
		write_specs(&c, l, t, dns_specs(t, dns), 0);
	} else if (strcmp(kind, "icmp-echo") == 0) {
		write_specs(&c, l, t, echo_specs(t), 0);
	} else if (strcmp(kind, "errors") == 0) {
		write_specs(&c, l, t, errors_specs(t), 0);
		write_broken_tail(&c, l);
	} else {
		cap_close(&c);
		unlink(path);
		fprintf(stderr, "mkcapture: unknown kind '%s'\n", kind);
		usage(stderr);
		return 2;
	}
	cap_close(&c);
	if (strcmp(kind, "truncated") == 0)
		truncate_tail(path, 20);
	return 0;
}

int main(int argc, char **argv)
{
	char errbuf[LIBNET_ERRBUF_SIZE];

	if (argc == 2 && (strcmp(argv[1], "--list") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc != 3) {
		usage(stderr);
		return 2;
	}
	libnet_t *l = libnet_init(LIBNET_NONE, NULL, errbuf);
	if (!l)
		die("libnet_init", errbuf);
	int rc = make(argv[1], argv[2], l);
	libnet_destroy(l);
	return rc;
}
