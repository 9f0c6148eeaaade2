/*
 * Helpers the commands share: getopt(3) without its global state (every
 * node parses its own command lines), strict number parsing (no locale,
 * no strtod), and IPv6/IPv4 text the way FreeBSD's getnameinfo prints it.
 */
#include "apps_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

void apps_opt_init(struct apps_opt *o)
{
	o->ind = 1;
	o->pos = 0;
	o->arg = NULL;
	o->bad = 0;
	o->missing = false;
}

/* Same rules as getopt(3): options stop at "--" or the first operand. */
int apps_getopt(struct apps_opt *o, int argc, char **argv, const char *spec)
{
	o->arg = NULL;
	if (o->pos == 0) {
		if (o->ind >= argc || argv[o->ind][0] != '-' || argv[o->ind][1] == '\0')
			return -1;
		if (strcmp(argv[o->ind], "--") == 0) {
			o->ind++;
			return -1;
		}
		o->pos = 1;
	}
	const char *word = argv[o->ind];
	char c = word[o->pos++];
	const char *p = c != ':' ? strchr(spec, c) : NULL;
	bool last = word[o->pos] == '\0';
	if (!p) {
		o->bad = c;
		if (last) {
			o->ind++;
			o->pos = 0;
		}
		return '?';
	}
	if (p[1] != ':') {
		if (last) {
			o->ind++;
			o->pos = 0;
		}
		return c;
	}
	/* The argument is the rest of this word, or the next word. */
	int at = o->pos;
	o->pos = 0;
	if (!last) {
		o->arg = word + at;
		o->ind++;
		return c;
	}
	if (o->ind + 1 >= argc) {
		o->bad = c;
		o->missing = true;
		o->ind++;
		return '?';
	}
	o->arg = argv[o->ind + 1];
	o->ind += 2;
	return c;
}

bool apps_parse_long(const char *s, long lo, long hi, long *out)
{
	if (!s)
		return false;
	bool neg = *s == '-';
	if (neg)
		s++;
	if (!*s)
		return false;
	long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > 100000000000L) /* far beyond any option's range */
			return false;
		v = v * 10 + (*s - '0');
	}
	if (neg)
		v = -v;
	if (v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* "1", "0.5", ".25": nanoseconds, digits past the ninth decimal ignored. */
bool apps_parse_seconds(const char *s, sim_time *out)
{
	if (!s || !*s)
		return false;
	uint64_t whole = 0, frac = 0, scale = SIM_S;
	bool digits = false;
	for (; *s >= '0' && *s <= '9'; s++, digits = true) {
		whole = whole * 10 + (uint64_t)(*s - '0');
		if (whole > 100000000ull)
			return false;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits = true) {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*s - '0') * scale;
			}
		}
	}
	if (*s || !digits)
		return false;
	*out = whole * SIM_S + frac;
	return true;
}

bool apps_is_linklocal6(const uint8_t a[16])
{
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return true;
	return a[0] == 0xff && ((a[1] & 0x0f) == 0x02 || (a[1] & 0x0f) == 0x01);
}

/* inet_ntop is the BSD/BIND algorithm on glibc too: same text as FreeBSD. */
void apps_fmt6(char *buf, size_t len, const uint8_t a[16], const struct sim_iface *scope)
{
	char text[INET6_ADDRSTRLEN];
	if (!inet_ntop(AF_INET6, a, text, sizeof text))
		snprintf(text, sizeof text, "?");
	if (scope && apps_is_linklocal6(a))
		snprintf(buf, len, "%s%%%s", text, scope->name);
	else
		snprintf(buf, len, "%s", text);
}

void apps_fmt4(char *buf, size_t len, const uint8_t a[4])
{
	snprintf(buf, len, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

int apps_parse6(struct sim_node *n, const char *text, uint8_t out[16], struct sim_iface **scope)
{
	char tmp[APPS_ADDRSTRLEN];
	size_t len = strlen(text);
	if (len >= sizeof tmp)
		return -1;
	memcpy(tmp, text, len + 1);
	*scope = NULL;
	char *pct = strchr(tmp, '%');
	if (pct) {
		*pct = '\0';
		*scope = sim_iface_find(n, pct + 1);
	}
	if (inet_pton(AF_INET6, tmp, out) != 1)
		return -1;
	if (pct && !*scope)
		return -2;
	return 0;
}

/* Dotted quad only (inet_pton's rule: no shorthand, no octal). */
bool apps_parse4(const char *text, uint8_t out[4])
{
	return inet_pton(AF_INET, text, out) == 1;
}

uint32_t apps_new_pid(struct sim_node *n)
{
	struct apps_node *an = n->apps;
	if (!an)
		return 1000;
	return an->next_pid++;
}
