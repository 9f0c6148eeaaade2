/*
 * `v6lab addr subnets PREFIX/LEN NEWLEN [--sla-id N --sla-len L]`: how many
 * /NEWLEN subnets a /LEN holds (2^(NEWLEN-LEN): the seed's /48 holds 65,536
 * /64s), the first and last ones; with --sla-id/--sla-len, the subnet WIDE
 * dhcp6c carves from a delegated prefix for one interface: the SLA ID's
 * sla-len bits written right after the delegated prefix (dhcp6c.conf(5),
 * prefix-interface; the seed's /60 with sla-id 1, sla-len 4 gives ...a51::/64).
 */
#include "addr_int.h"

#include <string.h>

#define SHOW_EACH_END 3 /* subnets listed at each end when they do not all fit */

struct subnets_args {
	const char *prefix_text;
	uint8_t base[16];
	int len, newlen;
	bool has_id, has_slen;
	uint64_t sla_id, sla_len;
};

/* base with its subnet field (bits len..newlen-1) holding `v` in its low
 * 64 bits and `high` in every bit above those. */
static void subnet_at(const struct subnets_args *a, uint64_t v, bool high, uint8_t out[16])
{
	memcpy(out, a->base, 16);
	for (int b = a->newlen - 1, i = 0; b >= a->len; b--, i++)
		addr_set_bit(out, b, i < 64 ? (v >> i) & 1 : high);
}

static int parse_newlen(const struct addr_io *io, const char *s, struct subnets_args *a)
{
	uint64_t v;

	if (!addr_parse_uint(s[0] == '/' ? s + 1 : s, 128, &v))
		return addr_err(io, "NEWLEN '%s' is not a prefix length 0 to 128", s);
	a->newlen = (int)v;
	if (a->newlen < a->len)
		return addr_err(io, "NEWLEN /%d is shorter than the prefix's /%d: a /%d cannot hold "
		                "a bigger /%d", a->newlen, a->len, a->len, a->newlen);
	return ADDR_EXIT_OK;
}

static int parse_option(const struct addr_io *io, const char *opt, const char *val,
                        struct subnets_args *a)
{
	bool is_id = strcmp(opt, "--sla-id") == 0;

	if (!is_id && strcmp(opt, "--sla-len") != 0)
		return addr_err(io, "unknown option '%s' (--sla-id N --sla-len L)", opt);
	if (!val)
		return addr_err(io, "%s needs a value", opt);
	if (!addr_parse_uint(val, is_id ? UINT32_MAX : 128, is_id ? &a->sla_id : &a->sla_len))
		return addr_err(io, "%s '%s' is not a number 0 to %s", opt, val,
		                is_id ? "4294967295 (dhcp6c's sla-id is 32 bits)" : "128");
	if (is_id)
		a->has_id = true;
	else
		a->has_slen = true;
	return ADDR_EXIT_OK;
}

static int check_sla(const struct addr_io *io, const struct subnets_args *a)
{
	if (a->has_id != a->has_slen)
		return addr_err(io, "--sla-id and --sla-len go together (dhcp6c.conf needs both)");
	if (!a->has_id)
		return ADDR_EXIT_OK;
	uint64_t bits = (uint64_t)(a->newlen - a->len);
	if (a->sla_len != bits)
		return addr_err(io, "--sla-len %llu does not fit /%d into /%d: the SLA ID fills the "
		                "%llu bits between them, so sla-len must be %d - %d = %llu",
		                (unsigned long long)a->sla_len, a->len, a->newlen,
		                (unsigned long long)bits, a->newlen, a->len, (unsigned long long)bits);
	if (bits < 64 && a->sla_id >> bits)
		return addr_err(io, "--sla-id %llu does not fit in sla-len %llu bits (0 to %llu)",
		                (unsigned long long)a->sla_id, (unsigned long long)bits,
		                (unsigned long long)((1ull << bits) - 1));
	return ADDR_EXIT_OK;
}

static int parse_args(const struct addr_io *io, int argc, char **argv, struct subnets_args *a)
{
	if (argc < 3)
		return addr_err(io, "expected PREFIX/LEN NEWLEN, e.g. subnets 2001:df0:9::/48 64");
	a->prefix_text = argv[1];
	if (addr_parse_prefix(io, argv[1], a->base, &a->len) != ADDR_EXIT_OK ||
	    parse_newlen(io, argv[2], a) != ADDR_EXIT_OK)
		return ADDR_EXIT_USAGE;
	for (int i = 3; i < argc; i += 2)
		if (parse_option(io, argv[i], i + 1 < argc ? argv[i + 1] : NULL, a) != ADDR_EXIT_OK)
			return ADDR_EXIT_USAGE;
	return check_sla(io, a);
}

static void print_counts(const struct addr_io *io, const struct subnets_args *a)
{
	int bits = a->newlen - a->len;
	char n[ADDR_NUM], each[ADDR_NUM], all[ADDR_NUM];

	addr_fmt_pow2((unsigned)bits, n, sizeof n);
	addr_fmt_pow2((unsigned)(128 - a->newlen), each, sizeof each);
	addr_fmt_pow2((unsigned)(128 - a->len), all, sizeof all);
	fprintf(io->out, "%s into /%d: %d - %d = %d subnet bits, 2^%d = %s subnet%s\n",
	        a->prefix_text, a->newlen, a->newlen, a->len, bits, bits, n, bits ? "s" : "");
	fprintf(io->out, "each /%d holds 2^%d = %s address%s; the /%d holds 2^%d = %s\n",
	        a->newlen, 128 - a->newlen, each, a->newlen == 128 ? "" : "es", a->len,
	        128 - a->len, all);
}

/* Subnet number k from the start, or from the end (k = 0 the last). */
static void print_one(const struct addr_io *io, const struct subnets_args *a, uint64_t k,
                      bool from_end, int width)
{
	int bits = a->newlen - a->len;
	uint64_t top = bits >= 64 ? UINT64_MAX : (1ull << bits) - 1;
	uint64_t v = from_end ? top - k : k;
	uint8_t s[16];
	char label[ADDR_NUM], t[ADDR_TEXT6];

	if (from_end && bits > 64)
		snprintf(label, sizeof label, "2^%d - %llu", bits, (unsigned long long)k + 1);
	else
		addr_fmt_u64(v, label, sizeof label);
	subnet_at(a, v, from_end, s);
	addr_fmt_prefix(s, a->newlen, t, sizeof t);
	fprintf(io->out, "  subnet %-*s  %s\n", width, label, t);
}

static void print_list(const struct addr_io *io, const struct subnets_args *a)
{
	int bits = a->newlen - a->len;
	char label[ADDR_NUM];

	if (bits > 64)
		snprintf(label, sizeof label, "2^%d - 3", bits);
	else
		addr_fmt_u64(bits == 64 ? UINT64_MAX : (1ull << bits) - 1, label, sizeof label);
	int width = (int)strlen(label);
	if (bits <= 3) { /* at most 8: all of them */
		for (uint64_t k = 0; k < (1ull << bits); k++)
			print_one(io, a, k, false, width);
		return;
	}
	for (uint64_t k = 0; k < SHOW_EACH_END; k++)
		print_one(io, a, k, false, width);
	fprintf(io->out, "  ...\n");
	for (uint64_t k = SHOW_EACH_END; k-- > 0;)
		print_one(io, a, k, true, width);
}

static void print_bits(const struct addr_io *io, uint64_t id, int n)
{
	for (int i = n - 1; i >= 0; i--)
		fputc(i < 64 && (id >> i) & 1 ? '1' : '0', io->out);
}

static void print_sla(const struct addr_io *io, const struct subnets_args *a)
{
	int bits = a->newlen - a->len;
	uint8_t s[16];
	char t[ADDR_TEXT6];

	subnet_at(a, a->sla_id, false, s);
	addr_fmt_prefix(s, a->newlen, t, sizeof t);
	fprintf(io->out, "dhcp6c sla-id %llu, sla-len %d: %s", (unsigned long long)a->sla_id, bits, t);
	if (bits == 0) {
		fprintf(io->out, "  (sla-len 0: the delegated prefix itself)\n");
	} else {
		fprintf(io->out, "  (sla-id %llu = ", (unsigned long long)a->sla_id);
		print_bits(io, a->sla_id, bits <= 32 ? bits : 32);
		fprintf(io->out, "%s in binary, written into bits %d to %d)\n",
		        bits > 32 ? " (low 32 bits)" : "", a->len, a->newlen - 1);
	}
	if (a->newlen != 64)
		fprintf(io->out, "note: dhcp6c adds a 64-bit interface identifier, so it refuses "
		        "this: %d + %d + 64 = %d, not 128\n", a->len, bits, a->newlen + 64);
}

int addr_cmd_subnets(const struct addr_io *io, int argc, char **argv)
{
	struct subnets_args a = { 0 };

	if (parse_args(io, argc, argv, &a) != ADDR_EXIT_OK)
		return ADDR_EXIT_USAGE;
	print_counts(io, &a);
	if (a.has_id)
		print_sla(io, &a);
	else
		print_list(io, &a);
	return ADDR_EXIT_OK;
}
