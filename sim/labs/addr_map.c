/*
 * `v6lab addr map PREFIX/LEN ADDRESS [rfc6052|decimal]`: the two ways the
 * seed writes an IPv4 address inside its /48, both ways round, through
 * libnat6to4 (nat6to4_addr_embed/extract):
 *   RFC 6052  2001:df0:9::/96 + 202.83.176.248 = 2001:df0:9::ca53:b0f8
 *   decimal   2001:df0:9::/64 + 202.83.176.248 = 2001:df0:9:0:202:83:176:248
 * An IPv4 ADDRESS is embedded, an IPv6 one extracted.
 */
#include "addr_int.h"
#include "nat6to4.h"

#include <arpa/inet.h>
#include <string.h>

struct map_args {
	const char *prefix_text;
	uint8_t prefix[16];
	int len;
	enum nat6to4_addr_form form;
};

static const char *form_name(enum nat6to4_addr_form f)
{
	return f == NAT6TO4_FORM_DECIMAL ? "decimal" : "RFC 6052";
}

static int check_length(const struct addr_io *io, const struct map_args *m)
{
	if (m->form == NAT6TO4_FORM_DECIMAL) {
		if (m->len <= 64)
			return ADDR_EXIT_OK;
		return addr_err(io, "'%s': the decimal form needs a prefix of /64 or shorter (its "
		                "four groups are the last 64 bits), got /%d", m->prefix_text, m->len);
	}
	switch (m->len) {
	case 32: case 40: case 48: case 56: case 64: case 96:
		return ADDR_EXIT_OK;
	}
	return addr_err(io, "'%s': prefix length %d is not one of 32, 40, 48, 56, 64, 96 "
	                "(RFC 6052 section 2.2)", m->prefix_text, m->len);
}

/* Where RFC 6052 puts the 32 bits after a /len: bits 64..71 (u) skipped. */
static void print_rfc6052_bits(const struct addr_io *io, int len)
{
	if (len == 96) {
		fprintf(io->out, "bits 96 to 127");
		return;
	}
	int end1 = len + 32 < 64 ? len + 32 : 64;
	fprintf(io->out, "bits %d to %d", len, end1 - 1);
	if (len + 32 > 64)
		fprintf(io->out, " and 72 to %d", 72 + (len + 32 - 64) - 1);
	if (len + 32 >= 64)
		fprintf(io->out, " (bits 64 to 71, the u octet, stay 0)");
}

/* The 16-bit value of a group holding octet o in decimal digits: 202 -> 0x202. */
static unsigned decimal_group(unsigned o)
{
	return (o / 100u) * 256u + (o / 10u % 10u) * 16u + o % 10u;
}

static void explain(const struct addr_io *io, const struct map_args *m, const uint8_t v4[4],
                    bool embedding)
{
	if (m->form == NAT6TO4_FORM_DECIMAL) {
		fprintf(io->out, "  the last four 16-bit groups are the octets in decimal digits: "
		        ":%u:%u:%u:%u (group :%u: is 0x%04x = %u as a number: %s as text, no "
		        "dec-to-hex conversion)\n", v4[0], v4[1], v4[2], v4[3], v4[0],
		        decimal_group(v4[0]), decimal_group(v4[0]), embedding ? "written" : "read");
		return;
	}
	fprintf(io->out, "  %u.%u.%u.%u = %02x %02x %02x %02x in hex, %s ", v4[0], v4[1], v4[2],
	        v4[3], v4[0], v4[1], v4[2], v4[3], embedding ? "written into" : "read from");
	print_rfc6052_bits(io, m->len);
	fputc('\n', io->out);
}

static int embed(const struct addr_io *io, const struct map_args *m, const char *text,
                 const uint8_t v4[4])
{
	uint8_t v6[16];
	char t[ADDR_TEXT6];

	if (nat6to4_addr_embed(m->prefix, m->len, m->form, v4, v6) != 0)
		return addr_err(io, "cannot embed %s under %s in the %s form", text, m->prefix_text,
		                form_name(m->form));
	addr_fmt6(v6, t, sizeof t);
	fprintf(io->out, "%s under %s, %s form: %s\n", text, m->prefix_text, form_name(m->form), t);
	explain(io, m, v4, true);
	return ADDR_EXIT_OK;
}

static bool inside(const struct map_args *m, const uint8_t v6[16])
{
	for (int b = 0; b < m->len; b++)
		if (addr_bit(v6, b) != addr_bit(m->prefix, b))
			return false;
	return true;
}

static int extract(const struct addr_io *io, const struct map_args *m, const char *text,
                   const uint8_t v6[16])
{
	uint8_t v4[4];

	if (!inside(m, v6))
		return addr_err(io, "%s is not inside %s", text, m->prefix_text);
	if (nat6to4_addr_extract(m->prefix, m->len, m->form, v6, v4) != 0)
		return addr_err(io, "%s does not embed an IPv4 address in the %s form under %s%s",
		                text, form_name(m->form), m->prefix_text,
		                m->form == NAT6TO4_FORM_DECIMAL ? " (the last four groups must each "
		                "be 0 to 255 in decimal digits, the bits before them zero)" : "");
	fprintf(io->out, "%s under %s, %s form: %u.%u.%u.%u\n", text, m->prefix_text,
	        form_name(m->form), v4[0], v4[1], v4[2], v4[3]);
	explain(io, m, v4, false);
	return ADDR_EXIT_OK;
}

static int parse_form(const struct addr_io *io, const char *s, struct map_args *m)
{
	if (strcmp(s, "decimal") == 0)
		m->form = NAT6TO4_FORM_DECIMAL;
	else if (strcmp(s, "rfc6052") == 0)
		m->form = NAT6TO4_FORM_RFC6052;
	else
		return addr_err(io, "unknown form '%s' (rfc6052 or decimal)", s);
	return ADDR_EXIT_OK;
}

int addr_cmd_map(const struct addr_io *io, int argc, char **argv)
{
	struct map_args m = { .form = NAT6TO4_FORM_RFC6052 };
	uint8_t a[16];

	if (argc < 3 || argc > 4)
		return addr_err(io, "expected PREFIX/LEN ADDRESS [rfc6052|decimal], e.g. map "
		                "2001:df0:9::/96 202.83.176.248");
	m.prefix_text = argv[1];
	if ((argc == 4 && parse_form(io, argv[3], &m) != ADDR_EXIT_OK) ||
	    addr_parse_prefix(io, argv[1], m.prefix, &m.len) != ADDR_EXIT_OK ||
	    check_length(io, &m) != ADDR_EXIT_OK)
		return ADDR_EXIT_USAGE;
	if (inet_pton(AF_INET, argv[2], a) == 1)
		return embed(io, &m, argv[2], a);
	if (inet_pton(AF_INET6, argv[2], a) == 1)
		return extract(io, &m, argv[2], a);
	return addr_err(io, "'%s' is neither an IPv4 nor an IPv6 address", argv[2]);
}
