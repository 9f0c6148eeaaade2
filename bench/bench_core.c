/*
 * bench-core: libnat6to4 on one core, no I/O.
 *
 * Prints ns/packet and packets/s for warm UDP 6->4 and 4->6, TCP, ICMP
 * echo, session creation and translation spread over 1,000,000 live
 * sessions, and the memory each session costs (as the library reports it
 * and as the process's resident set grows). Each figure is the best of
 * several runs, so a noisy neighbour shows up as spread, not as a lower
 * figure. Target (DESIGN.md): >= 10 M packets/s warm each way, <= 128
 * bytes per session.
 */
#include "nat6to4.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RUNS 5
#define LIVE_SESSIONS 1000000u

struct sink {
	uint64_t packets;
	uint64_t bytes;
	uint8_t last[128]; /* the first bytes of the last packet, for replies */
	size_t last_len;
};

static void sink_emit(void *user, const struct nat6to4_out *out)
{
	struct sink *s = user;
	s->packets++;
	s->bytes += out->len;
	s->last_len = out->len < sizeof s->last ? out->len : sizeof s->last;
	memcpy(s->last, out->data, s->last_len);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long rss_kib(void)
{
	long pages_total = 0, pages_rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &pages_total, &pages_rss) != 2)
		pages_rss = -1;
	fclose(f);
	return pages_rss < 0 ? -1 : pages_rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* ---- packet construction (the benchmark's own, independent of the core) ---- */

static uint16_t ip4_header_checksum(const uint8_t *h)
{
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* IPv6 + UDP/TCP/ICMPv6 echo with `payload` bytes of data. Returns length. */
static size_t build6(uint8_t *pkt, uint8_t proto, const char *src, const char *dst,
                     uint16_t sport, uint16_t dport, size_t payload)
{
	size_t l4 = proto == 6 ? 20 : 8;
	memset(pkt, 0, 40 + l4 + payload);
	pkt[0] = 0x60;
	put16(pkt + 4, (uint16_t)(l4 + payload));
	pkt[6] = proto;
	pkt[7] = 64;
	inet_pton(AF_INET6, src, pkt + 8);
	inet_pton(AF_INET6, dst, pkt + 24);
	uint8_t *t = pkt + 40;
	if (proto == 58) {           /* echo request: type 128, id, seq */
		t[0] = 128;
		put16(t + 4, sport);
		put16(t + 6, 1);
	} else {
		put16(t, sport);
		put16(t + 2, dport);
		if (proto == 17)
			put16(t + 4, (uint16_t)(8 + payload));
		else {
			t[12] = 5 << 4;
			t[13] = 0x10; /* ACK: an established connection's segment */
		}
	}
	return 40 + l4 + payload;
}

static size_t build4_udp(uint8_t *pkt, const uint8_t src[4], const uint8_t dst[4],
                         uint16_t sport, uint16_t dport, size_t payload)
{
	memset(pkt, 0, 28 + payload);
	pkt[0] = 0x45;
	put16(pkt + 2, (uint16_t)(28 + payload));
	pkt[6] = 0x40; /* DF */
	pkt[8] = 64;
	pkt[9] = 17;
	memcpy(pkt + 12, src, 4);
	memcpy(pkt + 16, dst, 4);
	put16(pkt + 10, ip4_header_checksum(pkt));
	put16(pkt + 20, sport);
	put16(pkt + 22, dport);
	put16(pkt + 24, (uint16_t)(8 + payload));
	put16(pkt + 26, 0x1234); /* any nonzero checksum: updated, not verified */
	return 28 + payload;
}

/* ---- the benchmark cases ---- */

static nat6to4 *make_translator(uint32_t max_sessions)
{
	char text[512], err[256];
	snprintf(text, sizeof text,
	         "prefix 64:ff9b::/96\n"
	         "pool4 198.18.0.0-198.18.0.255 ports 1024-65535\n"
	         "max-sessions %u\n", max_sessions);
	nat6to4_config *cfg = nat6to4_config_parse(text, strlen(text), "bench.conf", NULL, NULL,
	                                           err, sizeof err);
	if (!cfg) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	nat6to4 *nat = nat6to4_new(cfg, err, sizeof err);
	nat6to4_config_free(cfg);
	if (!nat) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	return nat;
}

typedef struct nat6to4_verdict (*xlate_fn)(nat6to4 *, const uint8_t *, size_t, uint64_t,
                                           nat6to4_emit_fn, void *);

/* Best-of-RUNS ns per packet for `n` translations of the same packet. */
static double time_same_packet(nat6to4 *nat, xlate_fn fn, const uint8_t *pkt, size_t len,
                               uint64_t n)
{
	struct sink sink = { 0 };
	double best = 1e30;
	for (int r = 0; r < RUNS; r++) {
		uint64_t t0 = now_ns();
		for (uint64_t i = 0; i < n; i++)
			fn(nat, pkt, len, 1000000000u, sink_emit, &sink);
		double ns = (double)(now_ns() - t0) / (double)n;
		if (ns < best)
			best = ns;
	}
	if (sink.packets != (uint64_t)RUNS * n) {
		fprintf(stderr, "bench: only %llu of %llu packets were translated\n",
		        (unsigned long long)sink.packets, (unsigned long long)RUNS * n);
		exit(1);
	}
	return best;
}

static void report(const char *name, double ns)
{
	printf("  %-38s %8.1f ns/packet %10.2f M packets/s\n", name, ns, 1e3 / ns);
}

/* Open a UDP flow 6->4 and return the pool4 address/port it was given. */
static void open_udp_flow(nat6to4 *nat, const char *src6, uint16_t sport, uint8_t v4[4],
                          uint16_t *port4)
{
	uint8_t pkt[256];
	struct sink sink = { 0 };
	size_t len = build6(pkt, 17, src6, "64:ff9b::c000:221", sport, 53, 18);
	nat6to4_6to4(nat, pkt, len, 1000000000u, sink_emit, &sink);
	if (sink.packets != 1) {
		fprintf(stderr, "bench: opening a UDP flow failed\n");
		exit(1);
	}
	memcpy(v4, sink.last + 12, 4);
	*port4 = (uint16_t)(sink.last[20] << 8 | sink.last[21]);
}

static void bench_warm(void)
{
	nat6to4 *nat = make_translator(65536);
	uint8_t pkt[2048], v4[4];
	uint16_t port4;
	const uint64_t n = 4000000;

	printf("warm paths (one live session, 64-byte IP payloads unless said):\n");
	open_udp_flow(nat, "2001:db8::10", 40000, v4, &port4);
	size_t len = build6(pkt, 17, "2001:db8::10", "64:ff9b::c000:221", 40000, 53, 18);
	report("UDP 6->4", time_same_packet(nat, nat6to4_6to4, pkt, len, n));

	const uint8_t server[4] = { 192, 0, 2, 33 };
	len = build4_udp(pkt, server, v4, 53, port4, 18);
	report("UDP 4->6", time_same_packet(nat, nat6to4_4to6, pkt, len, n));

	len = build6(pkt, 17, "2001:db8::10", "64:ff9b::c000:221", 40000, 53, 1400);
	report("UDP 6->4, 1448-byte packets", time_same_packet(nat, nat6to4_6to4, pkt, len, n));

	/* TCP: open with a SYN, then time ACK segments with data. */
	struct sink sink = { 0 };
	len = build6(pkt, 6, "2001:db8::10", "64:ff9b::c000:221", 40001, 80, 0);
	pkt[40 + 13] = 0x02;
	nat6to4_6to4(nat, pkt, len, 1000000000u, sink_emit, &sink);
	len = build6(pkt, 6, "2001:db8::10", "64:ff9b::c000:221", 40001, 80, 4);
	report("TCP 6->4 (segment of open connection)", time_same_packet(nat, nat6to4_6to4, pkt, len, n));

	len = build6(pkt, 58, "2001:db8::10", "64:ff9b::c000:221", 0x4242, 0, 56);
	report("ICMPv6 echo request 6->4", time_same_packet(nat, nat6to4_6to4, pkt, len, n));
	nat6to4_free(nat);
}

/* Creation: every packet a new flow (source port and address change). */
static void bench_creation_and_live(void)
{
	nat6to4 *nat = make_translator(LIVE_SESSIONS + 1024);
	uint8_t pkt[256];
	struct sink sink = { 0 };
	char src[64];
	long rss_before = rss_kib();

	printf("sessions:\n");
	size_t len = build6(pkt, 17, "2001:db8::1:0", "64:ff9b::c000:221", 1, 53, 18);
	uint64_t t0 = now_ns();
	for (uint32_t i = 0; i < LIVE_SESSIONS; i++) {
		/* 1,000 hosts x 1,000 ports: address in bytes 20..23 of the source. */
		uint32_t host = i / 1000, port = 10000 + i % 1000;
		pkt[20] = (uint8_t)(host >> 24); pkt[21] = (uint8_t)(host >> 16);
		pkt[22] = (uint8_t)(host >> 8);  pkt[23] = (uint8_t)host;
		put16(pkt + 40, (uint16_t)port);
		nat6to4_6to4(nat, pkt, len, 1000000000u, sink_emit, &sink);
	}
	double create_ns = (double)(now_ns() - t0) / LIVE_SESSIONS;
	long rss_after = rss_kib();
	struct nat6to4_counters c;
	nat6to4_get_counters(nat, &c);
	if (c.sessions_active != LIVE_SESSIONS) {
		fprintf(stderr, "bench: %llu sessions live, expected %u\n",
		        (unsigned long long)c.sessions_active, LIVE_SESSIONS);
		exit(1);
	}
	report("session creation (UDP 6->4, new flow)", create_ns);

	/* Warm packets spread over all live sessions in a fixed pseudo-random order. */
	uint32_t x = 12345;
	const uint64_t n = 4000000;
	double best = 1e30;
	for (int r = 0; r < RUNS; r++) {
		t0 = now_ns();
		for (uint64_t k = 0; k < n; k++) {
			x = x * 1664525u + 1013904223u;
			uint32_t i = (x >> 8) % LIVE_SESSIONS;
			uint32_t host = i / 1000, port = 10000 + i % 1000;
			pkt[20] = (uint8_t)(host >> 24); pkt[21] = (uint8_t)(host >> 16);
			pkt[22] = (uint8_t)(host >> 8);  pkt[23] = (uint8_t)host;
			put16(pkt + 40, (uint16_t)port);
			nat6to4_6to4(nat, pkt, len, 1000000000u, sink_emit, &sink);
		}
		double ns = (double)(now_ns() - t0) / (double)n;
		if (ns < best)
			best = ns;
	}
	snprintf(src, sizeof src, "UDP 6->4 over %u live sessions", LIVE_SESSIONS);
	report(src, best);

	printf("memory:\n");
	printf("  %-38s %8zu bytes (library's own count, all tables / slots)\n",
	       "per session slot", nat6to4_bytes_per_session(nat));
	if (rss_before >= 0 && rss_after >= 0)
		printf("  %-38s %8.1f bytes (resident set growth / live sessions)\n",
		       "per live session, measured",
		       (double)(rss_after - rss_before) * 1024.0 / LIVE_SESSIONS);
	nat6to4_free(nat);
}

int main(void)
{
	printf("libnat6to4 %s core benchmark, one core, best of %d runs\n", NAT6TO4_VERSION, RUNS);
	bench_warm();
	bench_creation_and_live();
	printf("target: >= 10 M packets/s warm UDP each way, <= 128 bytes per session\n");
	return 0;
}
