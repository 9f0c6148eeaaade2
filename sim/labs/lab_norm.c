/*
 * Answers are compared by the SHA-256 of their normal form, so that the
 * lab directory does not give them away and "2001:DF0:0009::/56" and
 * "2001:df0:9::/56", "65,536" and "65536" count as the same answer.
 */
#include "lab_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <sha2.h>
#include <stdlib.h>
#include <string.h>

static bool all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return n > 0;
}

/* "65,536", "1_208_925", "12,345.5": groups of three after a first group
 * of one to three digits; the separators go. */
static bool strip_separators(char *t)
{
	size_t n = strcspn(t, ".");
	size_t first = strcspn(t, ",_");

	if (first == n || first == 0 || first > 3 || !all_digits(t, first))
		return false;
	for (size_t i = first; i < n; i += 4)
		if ((t[i] != ',' && t[i] != '_') || i + 4 > n || !all_digits(t + i + 1, 3))
			return false;
	if (t[n] && !all_digits(t + n + 1, strlen(t + n + 1)))
		return false;
	char *w = t;
	for (const char *r = t; *r; r++)
		if (*r != ',' && *r != '_')
			*w++ = *r;
	*w = '\0';
	return true;
}

/* Up to `max` groups of 1..glen hex digits separated by `sep`; their
 * values in v. The count, 0 when t is not such a list. */
static size_t hex_groups(const char *t, char sep, size_t glen, size_t max, unsigned *v)
{
	size_t n = 0;

	for (const char *p = t;; p++) {
		size_t d = 0;
		unsigned x = 0;
		while (isxdigit((unsigned char)p[d]) && d <= glen) {
			x = x * 16 + (unsigned)(isdigit((unsigned char)p[d]) ? p[d] - '0' : p[d] - 'a' + 10);
			d++;
		}
		if (d == 0 || d > glen || n == max)
			return 0;
		v[n++] = x;
		p += d;
		if (*p == '\0')
			return n;
		if (*p != sep)
			return 0;
	}
}

/* 00-0C-86-75-24-1B, 0:c:86:75:24:1b: written 00:0c:86:75:24:1b. */
static bool mac_form(char *t, size_t cap)
{
	unsigned v[6];
	char sep = strchr(t, '-') ? '-' : ':';

	if (hex_groups(t, sep, 2, 6, v) != 6 || cap < 18)
		return false;
	snprintf(t, cap, "%02x:%02x:%02x:%02x:%02x:%02x", v[0], v[1], v[2], v[3], v[4], v[5]);
	return true;
}

/* An IPv6 address, with a /LEN or %SCOPE kept as written: RFC 5952. */
static bool ipv6_form(char *t, size_t cap)
{
	char addr[INET6_ADDRSTRLEN + 1], out[INET6_ADDRSTRLEN];
	struct in6_addr a;
	size_t n = strcspn(t, "/%");

	if (!strchr(t, ':') || n >= sizeof addr)
		return false;
	memcpy(addr, t, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET6, addr, &a) != 1 || !inet_ntop(AF_INET6, &a, out, sizeof out))
		return false;
	char rest[LAB_NORM_MAX];
	snprintf(rest, sizeof rest, "%s", t + n);
	return (size_t)snprintf(t, cap, "%s%s", out, rest) < cap;
}

/* "020c:86ff:fe75:241b" (an interface identifier): groups without their
 * leading zeros, as an address prints them. */
static bool hex_group_form(char *t, size_t cap)
{
	unsigned v[8];
	size_t n = hex_groups(t, ':', 4, 8, v), w = 0;

	if (n < 2)
		return false;
	for (size_t i = 0; i < n && w < cap; i++)
		w += (size_t)snprintf(t + w, cap - w, "%s%x", i ? ":" : "", v[i]);
	return w < cap;
}

static void normalise_token(char *t, size_t cap)
{
	if (!strip_separators(t) && !mac_form(t, cap) && !ipv6_form(t, cap))
		hex_group_form(t, cap);
}

/* Trimmed, blanks collapsed to one space, lower case. */
static bool squeeze(const char *in, char *out, size_t cap)
{
	size_t w = 0;

	for (const char *p = in; *p; p++) {
		if (isspace((unsigned char)*p)) {
			if (w > 0 && out[w - 1] != ' ')
				out[w++] = ' ';
		} else {
			out[w++] = (char)tolower((unsigned char)*p);
		}
		if (w + 1 >= cap)
			return false;
	}
	if (w > 0 && out[w - 1] == ' ')
		w--;
	out[w] = '\0';
	return true;
}

/* 584942417355 or 5.849e11: "5.85e+11". */
static bool three_figures(char *t, size_t cap)
{
	char *end;
	double v = strtod(t, &end);

	if (end == t || *end != '\0' || !isfinite(v))
		return false;
	return (size_t)snprintf(t, cap, "%.2e", v) < cap;
}

bool lab_normalise(const char *answer, enum lab_norm_kind k, char *out, size_t cap)
{
	char line[LAB_NORM_MAX], tok[LAB_NORM_MAX];
	size_t w = 0;

	if (!squeeze(answer, line, sizeof line))
		return false;
	for (char *save = NULL, *t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		snprintf(tok, sizeof tok, "%s", t);
		normalise_token(tok, sizeof tok);
		int n = snprintf(out + w, cap - w, "%s%s", w ? " " : "", tok);
		if (n < 0 || (size_t)n >= cap - w)
			return false;
		w += (size_t)n;
	}
	if (w == 0)
		out[0] = '\0';
	return k != LAB_NORM_SIG3 || three_figures(out, cap);
}

void lab_sha256_hex(const char *text, char hex[LAB_HASH_HEX])
{
	SHA256Data((const uint8_t *)text, strlen(text), hex);
}
