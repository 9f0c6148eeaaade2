/*
 * Values as written in scenario files: numbers, durations, bandwidths,
 * loss rates, MAC addresses, prefixes, dates. Exact integer arithmetic
 * wherever a value ends up in the simulation, so that a scenario means the
 * same thing on every machine.
 */
#include "scn_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#define DURATION_MAX (1000000ull * SIM_S) /* about 11.5 days of virtual time */

/* Digits with an optional fraction: value scaled by 10^9 in *nano.
 * Returns the first byte after the number, NULL if there is none. */
static const char *decimal_nano(const char *s, uint64_t *nano)
{
	uint64_t ip = 0, frac = 0, scale = 1000000000ull;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return NULL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (ip > 100000000000ull)
			return NULL;
		ip = ip * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return NULL;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (scale == 1)
				return NULL; /* finer than 1e-9 */
			scale /= 10;
			frac += (uint64_t)(*p - '0') * scale;
		}
	}
	*nano = ip * 1000000000ull + frac;
	return p;
}

bool scn_parse_duration(const char *s, sim_time *out)
{
	static const struct {
		const char *unit;
		uint64_t div, mul; /* value(ns) = nano / div * mul, exactly */
	} units[] = {
		{ "ns", 1000000000ull, 1 }, { "us", 1000000ull, 1 }, { "ms", 1000ull, 1 },
		{ "s", 1, 1 },              { "min", 1, 60 },
	};
	uint64_t nano;
	const char *u = decimal_nano(s, &nano);

	if (!u)
		return false;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(u, units[i].unit) != 0)
			continue;
		if (nano % units[i].div != 0)
			return false; /* a fraction of a nanosecond */
		uint64_t v = nano / units[i].div;
		if (v > DURATION_MAX / units[i].mul)
			return false;
		*out = v * units[i].mul;
		return true;
	}
	return false;
}

void scn_format_duration(sim_time t, char *buf, size_t len)
{
	if (t % SIM_S == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(t / SIM_S));
	else if (t % SIM_MS == 0 && t < SIM_S)
		snprintf(buf, len, "%llums", (unsigned long long)(t / SIM_MS));
	else if (t % SIM_MS == 0)
		snprintf(buf, len, "%llu.%03llus", (unsigned long long)(t / SIM_S),
		         (unsigned long long)(t % SIM_S / SIM_MS));
	else
		snprintf(buf, len, "%llu.%09llus", (unsigned long long)(t / SIM_S),
		         (unsigned long long)(t % SIM_S));
}

bool scn_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return false;
	for (; *s; s++) {
		unsigned dg;
		if (*s >= '0' && *s <= '9')
			dg = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			dg = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			dg = (unsigned)(*s - 'A' + 10);
		else
			return false;
		if (v > (UINT64_MAX - dg) / base)
			return false;
		v = v * base + dg;
	}
	*out = v;
	return true;
}

bool scn_parse_u32_range(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
	uint64_t v;

	if (s[0] == '0' && s[1] == 'x')
		return false; /* counts and sizes are decimal */
	if (!scn_parse_u64(s, &v) || v < lo || v > hi)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool scn_parse_bandwidth(const char *s, uint64_t *bps)
{
	static const struct {
		const char *unit;
		uint64_t mul;
	} units[] = {
		{ "", 1 },           { "bps", 1 },  { "bit", 1 },
		{ "kbps", 1000ull }, { "kbit", 1000ull },
		{ "Mbps", 1000000ull }, { "Mbit", 1000000ull },
		{ "Gbps", 1000000000ull }, { "Gbit", 1000000000ull },
	};
	uint64_t nano;
	const char *u = decimal_nano(s, &nano);

	if (!u)
		return false;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(u, units[i].unit) != 0)
			continue;
		/* nano = value * 1e9; bps = value * mul, exact when whole. */
		uint64_t m = units[i].mul;
		if (nano / 1000000000ull > 1000000000000ull / m)
			return false;
		uint64_t v = nano / 1000000000ull * m + nano % 1000000000ull * m / 1000000000ull;
		if (v == 0)
			return false;
		*bps = v;
		return true;
	}
	return false;
}

bool scn_parse_loss(const char *s, double *p)
{
	uint64_t nano;
	const char *u = decimal_nano(s, &nano);

	if (!u)
		return false;
	if (strcmp(u, "%") == 0)
		nano /= 100;
	else if (*u != '\0')
		return false;
	if (nano > 1000000000ull)
		return false;
	*p = (double)nano / 1e9;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool scn_parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
		if (hi < 0 || lo < 0)
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 5 && *s++ != ':')
			return false;
	}
	return *s == '\0';
}

bool scn_parse_prefix(const char *s, struct scn_addr *a, bool need_len)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	uint32_t plen;

	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(a->addr, 0, sizeof a->addr);
	if (inet_pton(AF_INET6, buf, a->addr) == 1)
		a->family = 6;
	else if (strchr(buf, '.') && inet_pton(AF_INET, buf, a->addr) == 1)
		a->family = 4;
	else
		return false;
	if (!slash) {
		if (need_len)
			return false;
		a->plen = a->family == 6 ? 128 : 32;
		return true;
	}
	if (!scn_parse_u32_range(slash + 1, 0, a->family == 6 ? 128 : 32, &plen))
		return false;
	a->plen = (uint8_t)plen;
	return true;
}

/* Days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool fixed_digits(const char *s, int n, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

bool scn_parse_date(const char *date, const char *time, uint64_t *unix_ns)
{
	static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned y, mo, d, h, mi, se;

	if (strlen(date) != 10 || date[4] != '-' || date[7] != '-' || strlen(time) != 8 ||
	    time[2] != ':' || time[5] != ':')
		return false;
	if (!fixed_digits(date, 4, &y) || !fixed_digits(date + 5, 2, &mo) ||
	    !fixed_digits(date + 8, 2, &d) || !fixed_digits(time, 2, &h) ||
	    !fixed_digits(time + 3, 2, &mi) || !fixed_digits(time + 6, 2, &se))
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || se > 59)
		return false;
	int64_t days = days_from_civil(y, mo, d);
	*unix_ns = ((uint64_t)days * 86400u + h * 3600u + mi * 60u + se) * SIM_S;
	return true;
}

bool scn_valid_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
		return false;
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}
