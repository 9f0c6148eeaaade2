/*
 * `v6lab addr sweep [--rate PPS] [--len LEN]`: how long a ping sweep of
 * every address of a /LEN (default the /64 of a LAN) takes at PPS probes
 * per second (default 1,000,000), one probe per address. The seed (2008-05-03)
 * says a /64 takes "seventeen days"; the honest figure, at any rate a
 * sender can reach, is hundreds of thousands of years: this prints it, the
 * rate seventeen days would need, and what seventeen days does sweep.
 */
#include "addr_int.h"

#include <stdlib.h>
#include <string.h>

#define DAY_S 86400.0
#define YEAR_S (365.0 * DAY_S) /* years of 365 days */
#define SEVENTEEN_DAYS_S (17.0 * DAY_S)
#define MAX_RATE 1000000000000000000ull /* 1e18 probes/s: beyond any sender */

struct sweep_args {
	uint64_t rate;
	int len;
};

static int parse_args(const struct addr_io *io, int argc, char **argv, struct sweep_args *a)
{
	for (int i = 1; i < argc; i += 2) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool is_rate = strcmp(opt, "--rate") == 0;
		uint64_t v;
		if (!is_rate && strcmp(opt, "--len") != 0)
			return addr_err(io, "unknown option '%s' (--rate PPS, --len LEN)", opt);
		if (!val)
			return addr_err(io, "%s needs a value", opt);
		if (is_rate && (!addr_parse_uint(val, MAX_RATE, &v) || v == 0))
			return addr_err(io, "--rate '%s' is not a whole number of probes per second, 1 "
			                "to 1000000000000000000", val);
		if (!is_rate && !addr_parse_uint(val[0] == '/' ? val + 1 : val, 128, &v))
			return addr_err(io, "--len '%s' is not a prefix length 0 to 128", val);
		if (is_rate)
			a->rate = v;
		else
			a->len = (int)v;
	}
	return ADDR_EXIT_OK;
}

/* 2^n as a double, exactly (no libm). */
static double pow2(int n)
{
	double v = 1.0;

	for (int i = 0; i < n; i++)
		v *= 2.0;
	return v;
}

/* Below 1,000 with two decimals, above as a whole number. */
static void fmt_amount(double v, char *buf, size_t cap)
{
	addr_fmt_real(v, v < 1000.0 ? 2 : 0, buf, cap);
}

static void print_time(const struct addr_io *io, const struct sweep_args *a, double n)
{
	char r[ADDR_NUM], s[ADDR_NUM], d[ADDR_NUM], y[ADDR_NUM];
	double secs = n / (double)a->rate;

	addr_fmt_u64(a->rate, r, sizeof r);
	fmt_amount(secs, s, sizeof s);
	addr_fmt_real(secs / DAY_S, 1, d, sizeof d);
	addr_fmt_real(secs / YEAR_S, 1, y, sizeof y);
	fprintf(io->out, "at %s probes/s, one probe per address, a sweep takes %s s\n", r, s);
	fprintf(io->out, "  = %s days = %s years (of 365 days)\n", d, y);
}

/* 1.26e13: three digits, the exponent without '+' or leading zeros. */
static void fmt_sci(double v, char *buf, size_t cap)
{
	char t[32];

	snprintf(t, sizeof t, "%.2e", v);
	char *e = strchr(t, 'e');
	if (!e) {
		snprintf(buf, cap, "%s", t);
		return;
	}
	snprintf(buf, cap, "%.*se%d", (int)(e - t), t, (int)strtol(e + 1, NULL, 10));
}

static void print_seventeen(const struct addr_io *io, int bits, double n)
{
	char need[ADDR_NUM], sci[32], v4[ADDR_NUM], times[ADDR_NUM];
	double pps = n / SEVENTEEN_DAYS_S;

	fmt_amount(pps, need, sizeof need);
	fmt_sci(pps, sci, sizeof sci);
	fprintf(io->out, "seventeen days (17 x 86,400 = 1,468,800 s) would need 2^%d / 1,468,800 "
	        "= %s probes/s (about %s)\n", bits, need, sci);
	addr_fmt_real(pow2(32) / SEVENTEEN_DAYS_S, 0, v4, sizeof v4);
	addr_fmt_pow2(32, times, sizeof times);
	fprintf(io->out, "the seed's \"seventeen days\" is far too short for a /64: it is what "
	        "2^32 addresses (every IPv4 address) take at %s probes/s; a /64 has 2^32 = %s "
	        "times as many\n", v4, times);
}

int addr_cmd_sweep(const struct addr_io *io, int argc, char **argv)
{
	struct sweep_args a = { .rate = 1000000, .len = 64 };
	char n[ADDR_NUM];

	if (parse_args(io, argc, argv, &a) != ADDR_EXIT_OK)
		return ADDR_EXIT_USAGE;
	int bits = 128 - a.len;
	double count = pow2(bits); /* exact: a power of two */
	addr_fmt_pow2((unsigned)bits, n, sizeof n);
	fprintf(io->out, "a /%d holds 2^%d = %s address%s\n", a.len, bits, n, bits ? "es" : "");
	print_time(io, &a, count);
	print_seventeen(io, bits, count);
	return ADDR_EXIT_OK;
}
