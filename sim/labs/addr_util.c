/*
 * What the calculations of `v6lab addr` share: error messages, parsing a
 * prefix and a number, and printing addresses and grouped numbers
 * (locale-free: the ',' between groups of three digits is written here).
 */
#include "addr_int.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>

int addr_err(const struct addr_io *io, const char *fmt, ...)
{
	va_list ap;

	fprintf(io->err, "v6lab addr %s: ", io->cmd);
	va_start(ap, fmt);
	vfprintf(io->err, fmt, ap);
	va_end(ap);
	fputc('\n', io->err);
	return ADDR_EXIT_USAGE;
}

bool addr_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0' || strlen(s) > 20)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		uint64_t d = (uint64_t)(*s - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool addr_bit(const uint8_t a[16], int b)
{
	return (a[b / 8] >> (7 - b % 8)) & 1;
}

void addr_set_bit(uint8_t a[16], int b, bool one)
{
	uint8_t m = (uint8_t)(0x80 >> (b % 8));
	a[b / 8] = one ? (uint8_t)(a[b / 8] | m) : (uint8_t)(a[b / 8] & ~m);
}

static int first_host_bit(const uint8_t a[16], int len)
{
	for (int b = len; b < 128; b++)
		if (addr_bit(a, b))
			return b;
	return -1;
}

int addr_parse_prefix(const struct addr_io *io, const char *arg, uint8_t addr[16], int *len)
{
	char text[INET6_ADDRSTRLEN];
	const char *slash = strchr(arg, '/');
	size_t alen = slash ? (size_t)(slash - arg) : 0;
	uint64_t l;

	if (!slash)
		return addr_err(io, "'%s' is not an IPv6 prefix: no '/LEN' (write it like "
		                "2001:df0:9::/48)", arg);
	if (alen == 0 || alen >= sizeof text)
		return addr_err(io, "'%s' is not an IPv6 prefix: the address before '/' is %s", arg,
		                alen ? "too long" : "missing");
	memcpy(text, arg, alen);
	text[alen] = '\0';
	if (inet_pton(AF_INET6, text, addr) != 1)
		return addr_err(io, "'%s' is not an IPv6 prefix: '%s' is not an IPv6 address", arg,
		                text);
	if (!addr_parse_uint(slash + 1, 128, &l))
		return addr_err(io, "'%s' is not an IPv6 prefix: length '%s' is not 0 to 128", arg,
		                slash + 1);
	*len = (int)l;
	int b = first_host_bit(addr, *len);
	if (b >= 0)
		return addr_err(io, "'%s' is not an IPv6 prefix: bit %d is set, after the first %d "
		                "(the prefix is the address with every bit after /%d zero)",
		                arg, b, *len, *len);
	return ADDR_EXIT_OK;
}

void addr_fmt6(const uint8_t a[16], char *buf, size_t cap)
{
	if (!inet_ntop(AF_INET6, a, buf, (socklen_t)cap) && cap > 0)
		snprintf(buf, cap, "?");
}

void addr_fmt_prefix(const uint8_t a[16], int len, char *buf, size_t cap)
{
	char t[INET6_ADDRSTRLEN];

	addr_fmt6(a, t, sizeof t);
	snprintf(buf, cap, "%s/%d", t, len);
}

/* digits "1234567.8" -> "1,234,567.8" */
static void group(const char *digits, char *buf, size_t cap)
{
	size_t nint = strcspn(digits, ".");
	size_t o = 0;

	for (size_t i = 0; digits[i] && o + 2 < cap; i++) {
		if (i > 0 && i < nint && (nint - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	if (cap > 0)
		buf[o < cap ? o : cap - 1] = '\0';
}

void addr_fmt_u64(uint64_t v, char *buf, size_t cap)
{
	char t[24];

	snprintf(t, sizeof t, "%llu", (unsigned long long)v);
	group(t, buf, cap);
}

/* Schoolbook doubling on decimal digits, least significant first. */
void addr_fmt_pow2(unsigned n, char *buf, size_t cap)
{
	uint8_t d[40] = { 1 };
	size_t nd = 1;
	char t[41];

	if (n > 128)
		n = 128;
	for (unsigned i = 0; i < n; i++) {
		unsigned carry = 0;
		for (size_t k = 0; k < nd; k++) {
			unsigned x = d[k] * 2u + carry;
			d[k] = (uint8_t)(x % 10);
			carry = x / 10;
		}
		if (carry && nd < sizeof d)
			d[nd++] = (uint8_t)carry;
	}
	for (size_t k = 0; k < nd; k++)
		t[k] = (char)('0' + d[nd - 1 - k]);
	t[nd] = '\0';
	group(t, buf, cap);
}

void addr_fmt_real(double v, int decimals, char *buf, size_t cap)
{
	char t[ADDR_NUM];

	snprintf(t, sizeof t, "%.*f", decimals, v);
	group(t, buf, cap);
}
