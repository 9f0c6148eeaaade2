/*
 * `nat6to4 map PREFIX/LEN ADDRESS [rfc6052|decimal]`: the address arithmetic
 * of RFC 6052 (and the seed's decimal form) on the command line.
 *   IPv4 ADDRESS -> the IPv6 address that embeds it under PREFIX
 *   IPv6 ADDRESS -> the IPv4 address embedded in it
 */
#include "cli_commands.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

struct map_prefix {
	uint8_t addr[16];
	int len;
	enum nat6to4_addr_form form;
};

static int parse_length(const char *s, int *len)
{
	if (!*s || strlen(s) > 3 || strspn(s, "0123456789") != strlen(s))
		return -1;
	*len = atoi(s);
	return *len <= 128 ? 0 : -1;
}

static int parse_form(const char *s, enum nat6to4_addr_form *form)
{
	if (strcmp(s, "rfc6052") == 0)
		*form = NAT6TO4_FORM_RFC6052;
	else if (strcmp(s, "decimal") == 0)
		*form = NAT6TO4_FORM_DECIMAL;
	else
		return -1;
	return 0;
}

/* The lengths each form allows, checked here to say exactly what is wrong. */
static int check_length(const struct map_prefix *p)
{
	if (p->form == NAT6TO4_FORM_DECIMAL) {
		if (p->len <= 64)
			return 0;
		fprintf(stderr, "nat6to4 map: the decimal form needs a prefix of /64 or shorter, "
		                "got /%d\n", p->len);
		return -1;
	}
	switch (p->len) {
	case 32: case 40: case 48: case 56: case 64: case 96:
		return 0;
	}
	fprintf(stderr, "nat6to4 map: prefix length %d is not one of 32, 40, 48, 56, 64, 96 "
	                "(RFC 6052)\n", p->len);
	return -1;
}

static int host_bits_zero(const uint8_t a[16], int len)
{
	for (int bit = len; bit < 128; bit++)
		if (a[bit / 8] & (0x80 >> (bit % 8)))
			return 0;
	return 1;
}

static int parse_prefix(const char *arg, struct map_prefix *p)
{
	char text[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(arg, '/');
	size_t alen = slash ? (size_t)(slash - arg) : 0;
	if (!slash || alen >= INET6_ADDRSTRLEN) {
		fprintf(stderr, "nat6to4 map: '%s' is not an IPv6 prefix; write it as ADDRESS/LENGTH, "
		                "e.g. 2001:df0:9::/96\n", arg);
		return -1;
	}
	memcpy(text, arg, alen);
	text[alen] = '\0';
	if (inet_pton(AF_INET6, text, p->addr) != 1) {
		fprintf(stderr, "nat6to4 map: invalid IPv6 prefix '%s'\n", arg);
		return -1;
	}
	if (parse_length(slash + 1, &p->len) != 0) {
		fprintf(stderr, "nat6to4 map: invalid prefix length '%s' (0 to 128)\n", slash + 1);
		return -1;
	}
	if (check_length(p) != 0)
		return -1;
	if (!host_bits_zero(p->addr, p->len)) {
		fprintf(stderr, "nat6to4 map: prefix '%s' has bits set after the first %d\n", arg,
		        p->len);
		return -1;
	}
	return 0;
}

static int embed(const struct map_prefix *p, const uint8_t v4[4])
{
	uint8_t v6[16];
	char out[INET6_ADDRSTRLEN];
	if (nat6to4_addr_embed(p->addr, p->len, p->form, v4, v6) != 0 ||
	    !inet_ntop(AF_INET6, v6, out, sizeof out)) {
		fprintf(stderr, "nat6to4 map: cannot embed with this prefix and form\n");
		return CLI_EXIT_USAGE;
	}
	printf("%s\n", out);
	return CLI_EXIT_OK;
}

static int extract(const struct map_prefix *p, const uint8_t v6[16], const char *text,
                   const char *prefix_text)
{
	uint8_t v4[4];
	char out[INET_ADDRSTRLEN];
	if (nat6to4_addr_extract(p->addr, p->len, p->form, v6, v4) == 0 &&
	    inet_ntop(AF_INET, v4, out, sizeof out)) {
		printf("%s\n", out);
		return CLI_EXIT_OK;
	}
	int inside = 1;
	for (int bit = 0; bit < p->len; bit++)
		if ((v6[bit / 8] ^ p->addr[bit / 8]) & (0x80 >> (bit % 8)))
			inside = 0;
	if (!inside)
		fprintf(stderr, "nat6to4 map: %s is not inside %s\n", text, prefix_text);
	else if (p->form == NAT6TO4_FORM_DECIMAL)
		fprintf(stderr, "nat6to4 map: %s does not embed an IPv4 address in decimal form "
		                "(the last four groups must each be 0 to 255 written in decimal "
		                "digits, the bits between them and the prefix zero)\n", text);
	else
		fprintf(stderr, "nat6to4 map: %s does not embed an IPv4 address under %s\n", text,
		        prefix_text);
	return CLI_EXIT_USAGE;
}

int cli_map(int argc, char **argv)
{
	struct map_prefix p = { .form = NAT6TO4_FORM_RFC6052 };
	uint8_t addr[16];

	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		fputs(cli_help_for("map"), stdout);
		return CLI_EXIT_OK;
	}
	if (argc < 3 || argc > 4) {
		cli_usage_error("map", "expected PREFIX/LEN ADDRESS [rfc6052|decimal]");
		return CLI_EXIT_USAGE;
	}
	if (argc == 4 && parse_form(argv[3], &p.form) != 0) {
		cli_usage_error("map", "unknown form '%s' (rfc6052 or decimal)", argv[3]);
		return CLI_EXIT_USAGE;
	}
	if (parse_prefix(argv[1], &p) != 0)
		return CLI_EXIT_USAGE;
	if (inet_pton(AF_INET, argv[2], addr) == 1)
		return embed(&p, addr);
	if (inet_pton(AF_INET6, argv[2], addr) == 1)
		return extract(&p, addr, argv[2], argv[1]);
	fprintf(stderr, "nat6to4 map: '%s' is neither an IPv4 nor an IPv6 address\n", argv[2]);
	return CLI_EXIT_USAGE;
}
