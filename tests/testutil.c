/* Helpers shared by the translation suites (see testutil.h). */
#include "testutil.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/* The seed's gateway: hex and "decimal" forms under 2001:df0:9::/48, the
 * IPv4 side NAPT-ed to one documentation address. /96 comes first so the
 * hex form 2001:df0:9::ca53:b0f8 is matched by it, not by the /64. */
const char tu_conf_napt[] =
	"prefix 2001:df0:9::/96\n"
	"prefix 2001:df0:9::/64 decimal\n"
	"pool4 203.0.113.1\n";

/* Stateless: one IPv6 host mapped 1:1, IPv4 peers under an RFC 6052 /96. */
const char tu_conf_stateless[] =
	"mode stateless\n"
	"prefix 2001:db8:64::/96\n"
	"map 2001:db8:1::10 192.0.2.10\n";

nat6to4 *tu_nat(const char *conf_text)
{
	char err[256] = "";
	nat6to4_config *cfg = nat6to4_config_parse(conf_text, strlen(conf_text), "test.conf",
	                                           NULL, NULL, err, sizeof err);
	nat6to4 *nat;

	if (!cfg) {
		fprintf(stderr, "config: %s\n", err);
		return NULL;
	}
	nat = nat6to4_new(cfg, err, sizeof err);
	if (!nat)
		fprintf(stderr, "nat6to4_new: %s\n", err);
	nat6to4_config_free(cfg);
	return nat;
}

void tu_capture_reset(struct tu_capture *c)
{
	c->n = 0;
	c->overflow = 0;
}

void tu_capture_emit(void *user, const struct nat6to4_out *out)
{
	struct tu_capture *c = user;

	if (c->n >= TU_MAX_OUT || out->len > PB_MAX) {
		c->overflow++;
		return;
	}
	memcpy(c->pkt[c->n].data, out->data, out->len);
	c->pkt[c->n].len = out->len;
	c->pkt[c->n].family = out->family;
	c->pkt[c->n].kind = out->kind;
	c->n++;
}

struct nat6to4_verdict tu_6to4(nat6to4 *nat, struct tu_capture *c, const uint8_t *pkt,
                               size_t len, uint64_t now)
{
	tu_capture_reset(c);
	return nat6to4_6to4(nat, pkt, len, now, tu_capture_emit, c);
}

struct nat6to4_verdict tu_4to6(nat6to4 *nat, struct tu_capture *c, const uint8_t *pkt,
                               size_t len, uint64_t now)
{
	tu_capture_reset(c);
	return nat6to4_4to6(nat, pkt, len, now, tu_capture_emit, c);
}

void tu_hexdump(const char *label, const uint8_t *p, size_t len)
{
	fprintf(stderr, "  %s (%zu bytes):", label, len);
	for (size_t i = 0; i < len; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n    ", p[i]);
	fprintf(stderr, "\n");
}

int tu_same(const char *what, const uint8_t *got, size_t got_len, const uint8_t *exp,
            size_t exp_len)
{
	size_t n = got_len < exp_len ? got_len : exp_len;
	size_t i = 0;

	if (!got || !exp) {
		fprintf(stderr, "\n%s: no packet to compare\n", what);
		return 0;
	}
	while (i < n && got[i] == exp[i])
		i++;
	if (i == n && got_len == exp_len)
		return 1;
	fprintf(stderr, "\n%s: packets differ at offset %zu (got %zu bytes, expected %zu)\n",
	        what, i, got_len, exp_len);
	tu_hexdump("got", got, got_len);
	tu_hexdump("expected", exp, exp_len);
	return 0;
}

int tu_verdict_is(const char *what, struct nat6to4_verdict v, enum nat6to4_result res,
                  enum nat6to4_reason reason)
{
	if (v.result == res && v.reason == reason)
		return 1;
	fprintf(stderr, "\n%s: verdict %s/%s, expected %s/%s\n", what,
	        nat6to4_result_name(v.result), nat6to4_reason_name(v.reason),
	        nat6to4_result_name(res), nat6to4_reason_name(reason));
	return 0;
}

uint16_t tu_rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
uint32_t tu_rd32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
void tu_wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

const char *tu_ntop6(const uint8_t *a)
{
	static char buf[INET6_ADDRSTRLEN];

	return inet_ntop(AF_INET6, a, buf, sizeof buf);
}

const char *tu_ntop4(const uint8_t *a)
{
	static char buf[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, a, buf, sizeof buf);
}

uint16_t tu_open_tcp(nat6to4 *nat, struct tu_capture *c, const char *server6, uint64_t now)
{
	uint8_t pkt[PB_MAX];
	struct pb_ip6 ip = { .src = TU_CLIENT6, .dst = server6, .hlim = 64 };
	struct pb_l4 syn = { .proto = 6, .sport = 40000, .dport = 80, .seq = 1000,
	                     .flags = 0x02, .win = 65535 };
	size_t len = pb_ip6(pkt, sizeof pkt, &ip, &syn);
	struct nat6to4_verdict v = tu_6to4(nat, c, pkt, len, now);

	if (v.result != NAT6TO4_TRANSLATED || c->n != 1 || c->pkt[0].len < 40 ||
	    c->pkt[0].family != 4) {
		fprintf(stderr, "tu_open_tcp: SYN not translated (%s/%s, %d packets)\n",
		        nat6to4_result_name(v.result), nat6to4_reason_name(v.reason), c->n);
		return 0;
	}
	return tu_rd16(c->pkt[0].data + 20);
}

int tu_check_err6(const struct tu_pkt *got, uint8_t type, uint8_t code, uint32_t word,
                  const uint8_t *orig, size_t orig_len)
{
	uint8_t exp[PB_MAX];
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	size_t carried = orig_len < 1280 - 48 ? orig_len : 1280 - 48;

	if (got->family != 6 || got->kind != NAT6TO4_OUT_ICMP_ERROR || got->len < 48) {
		fprintf(stderr, "tu_check_err6: not an ICMPv6 error (family %u kind %d len %zu)\n",
		        got->family, (int)got->kind, got->len);
		return 0;
	}
	inet_ntop(AF_INET6, got->data + 8, src, sizeof src); /* translator's own choice */
	inet_ntop(AF_INET6, orig + 8, dst, sizeof dst);      /* back to the sender */
	uint32_t first = tu_rd32(got->data);
	struct pb_ip6 ip = { .src = src, .dst = dst, .hlim = got->data[7],
	                     .tclass = (uint8_t)(first >> 20), .flow = first & 0xfffff };
	struct pb_l4 icmp = { .proto = 58, .type = type, .code = code, .word = word,
	                      .payload = orig, .payload_len = carried };
	size_t len = pb_ip6(exp, sizeof exp, &ip, &icmp);
	return tu_same("ICMPv6 error", got->data, got->len, exp, len);
}

int tu_check_err4(const struct tu_pkt *got, uint8_t type, uint8_t code, uint32_t word,
                  const uint8_t *orig, size_t orig_len)
{
	uint8_t exp[PB_MAX];
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
	size_t ihl = (size_t)(orig[0] & 15) * 4;

	if (got->family != 4 || got->kind != NAT6TO4_OUT_ICMP_ERROR || got->len < 28 ||
	    (got->data[0] & 15) != 5) {
		fprintf(stderr, "tu_check_err4: not a plain ICMPv4 error (family %u kind %d len %zu)\n",
		        got->family, (int)got->kind, got->len);
		return 0;
	}
	size_t carried = got->len - 28;
	size_t least = orig_len < ihl + 8 ? orig_len : ihl + 8;
	if (carried < least || carried > orig_len || got->len > 576) {
		fprintf(stderr, "tu_check_err4: carries %zu bytes of a %zu-byte packet (total %zu)\n",
		        carried, orig_len, got->len);
		return 0;
	}
	inet_ntop(AF_INET, got->data + 12, src, sizeof src); /* translator's own choice */
	inet_ntop(AF_INET, orig + 12, dst, sizeof dst);
	/* TOS, ID, DF and TTL of an originated error: the translator's choice. */
	struct pb_ip4 ip = { .src = src, .dst = dst, .ttl = got->data[8], .tos = got->data[1],
	                     .id = tu_rd16(got->data + 4), .df = (got->data[6] & 0x40) != 0 };
	struct pb_l4 icmp = { .proto = 1, .type = type, .code = code, .word = word,
	                      .payload = orig, .payload_len = carried };
	size_t len = pb_ip4(exp, sizeof exp, &ip, &icmp);
	return tu_same("ICMPv4 error", got->data, got->len, exp, len);
}
