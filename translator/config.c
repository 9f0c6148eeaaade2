/*
 * nat6to4.conf(5): parse the text, check that it makes sense as a whole,
 * and print it back in normalised form.
 *
 * Not on the packet path, so it may allocate. Every error names the place
 * at fault as FILE:LINE:COL, COL being the 1-based byte column of the
 * offending token.
 */
#include "internal.h"
#include <arpa/inet.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_PORT_LO  1024
#define DEFAULT_PORT_HI  65535
#define MTU6_MIN         1280
#define MTU6_MAX         65535
#define TIMEOUT_MAX      2147483648u
#define MAX_SESSIONS_MAX 16777216u

static const char *const mode_names[] = { "napt", "stateless" };
static const char *const filtering_names[] = { "endpoint-independent", "address-dependent" };
static const char *const form_names[] = { "rfc6052", "decimal" };
static const char *const timeout_names[N64_TO_COUNT] = { "udp", "tcp-est", "tcp-trans", "icmp" };
static const uint32_t timeout_defaults[N64_TO_COUNT] = { 300, 7440, 240, 60 };
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ------------------------------------------------------------------ */
/* Small helpers: names, numbers, addresses                            */
/* ------------------------------------------------------------------ */

static int word_index(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static const char *name_of(const char *const *names, int n, int i)
{
	return i >= 0 && i < n ? names[i] : "?";
}

/* Strict unsigned decimal: digits only, no sign; saturates far above any
 * limit so that "99999999999" is "out of range", not "invalid". */
static bool parse_decimal(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v < (UINT64_C(1) << 40))
			v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

static bool text_v4(const char *s, n64_v4 *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

static const char *v4_text(n64_v4 v4, char buf[INET_ADDRSTRLEN])
{
	struct in_addr a = { .s_addr = htonl(v4) };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN) ? buf : "?";
}

static const char *v6_text(const uint8_t v6[16], char buf[INET6_ADDRSTRLEN])
{
	return inet_ntop(AF_INET6, v6, buf, INET6_ADDRSTRLEN) ? buf : "?";
}

/* Copy s[0..n) into buf (NUL-terminated); false when it does not fit. */
static bool copy_part(char *buf, size_t size, const char *s, size_t n)
{
	if (n >= size)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return true;
}

/* "ADDR/LEN" or "ADDR" (then LEN = def; def < 0 means "/LEN" is required). */
static bool split_len(const char *s, char *addr, size_t size, int def, uint32_t max,
                      uint32_t *len)
{
	const char *slash = strchr(s, '/');
	uint64_t v;

	if (!copy_part(addr, size, s, slash ? (size_t)(slash - s) : strlen(s)))
		return false;
	if (!slash) {
		*len = (uint32_t)def;
		return def >= 0;
	}
	if (!parse_decimal(slash + 1, &v) || v > max)
		return false;
	*len = (uint32_t)v;
	return true;
}

/* Split "A-B" into A and B; a lone "A" gives A twice. */
static bool split_range(const char *s, char *lo, char *hi, size_t size)
{
	const char *dash = strchr(s, '-');

	if (!dash)
		return copy_part(lo, size, s, strlen(s)) && copy_part(hi, size, s, strlen(s));
	return copy_part(lo, size, s, (size_t)(dash - s)) &&
	       copy_part(hi, size, dash + 1, strlen(dash + 1));
}

static void v6_clear_host_bits(uint8_t a[16], unsigned len)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = len > 8 * i ? len - 8 * i : 0;
		if (keep < 8)
			a[i] &= (uint8_t)(0xff00u >> keep);
	}
}

static bool v6_host_bits_zero(const uint8_t a[16], unsigned len)
{
	uint8_t m[16];

	memcpy(m, a, 16);
	v6_clear_host_bits(m, len);
	return memcmp(m, a, 16) == 0;
}

static uint32_t v4_host_mask(unsigned len)
{
	return len >= 32 ? 0 : 0xffffffffu >> len;
}

static bool prefix_len_ok(int form, unsigned len)
{
	if (form == NAT6TO4_FORM_DECIMAL)
		return len <= 64;
	return form == NAT6TO4_FORM_RFC6052 && (len == 32 || len == 40 || len == 48 ||
	                                        len == 56 || len == 64 || len == 96);
}

/* ------------------------------------------------------------------ */
/* Error messages                                                      */
/* ------------------------------------------------------------------ */

struct pos {
	int line, col; /* line 0: no position known */
};

/* A token as it may appear inside a message: at most 64 bytes of it. */
struct quoted {
	char s[72];
};

static struct quoted q(const char *tok)
{
	struct quoted r;
	size_t n = strlen(tok);

	if (n > 64)
		snprintf(r.s, sizeof r.s, "%.64s...", tok);
	else
		snprintf(r.s, sizeof r.s, "%s", tok);
	return r;
}

static void vset_error(char *err, size_t errlen, const char *file, const struct pos *at,
                       const char *fmt, va_list ap)
{
	size_t used = 0;
	int n;

	if (!err || errlen == 0)
		return;
	err[0] = '\0';
	if (file && at && at->line > 0) {
		n = snprintf(err, errlen, "%s:%d:%d: ", file, at->line, at->col);
		used = n < 0 ? 0 : (size_t)n;
	}
	if (used < errlen)
		vsnprintf(err + used, errlen - used, fmt, ap);
}

static void set_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset_error(err, errlen, NULL, NULL, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Defaults and lifetime                                               */
/* ------------------------------------------------------------------ */

nat6to4_config *nat6to4_config_new(void)
{
	nat6to4_config *cfg = calloc(1, sizeof *cfg);

	if (!cfg)
		return NULL;
	cfg->mode = N64_MODE_NAPT;
	cfg->filtering = N64_FILTER_ENDPOINT_INDEPENDENT;
	cfg->mtu6 = MTU6_MIN;
	for (int i = 0; i < N64_TO_COUNT; i++)
		cfg->timeout_s[i] = timeout_defaults[i];
	cfg->max_sessions = 65536;
	cfg->allow_private = false;
	return cfg;
}

void nat6to4_config_free(nat6to4_config *cfg)
{
	free(cfg);
}

/* ------------------------------------------------------------------ */
/* Semantic checks of a whole configuration                            */
/* ------------------------------------------------------------------ */

struct static_pos {
	struct pos v6, v6port, v4, v4port;
};

/* Where each item was written, so that whole-file checks can name it. */
struct src_pos {
	const char *file;
	struct pos end; /* just after the last line: where a missing directive goes */
	struct pos pool[N64_MAX_POOLS];
	struct pos map_v6[N64_MAX_MAPS], map_v4[N64_MAX_MAPS];
	struct static_pos statics[N64_MAX_STATICS];
};

struct vctx {
	char *err;
	size_t errlen;
	const struct src_pos *src; /* NULL when checking a configuration built in memory */
};

#define AT(v, field) ((v)->src ? &(v)->src->field : NULL)

static int verr(const struct vctx *v, const struct pos *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset_error(v->err, v->errlen, v->src ? v->src->file : NULL, at, fmt, ap);
	va_end(ap);
	return -1;
}

/* " (first on line N)" when the line is known. */
static const char *first_on(const struct vctx *v, const struct pos *at, char buf[40])
{
	buf[0] = '\0';
	if (v->src && at && at->line > 0)
		snprintf(buf, 40, " (first on line %d)", at->line);
	return buf;
}

static const char *port_word(uint8_t proto)
{
	return proto == 1 ? "id" : "port";
}

static const char *proto_name(uint8_t proto)
{
	return proto == 6 ? "tcp" : proto == 17 ? "udp" : proto == 1 ? "icmp" : "?";
}

/* Values a parsed file cannot produce but a configuration built in memory can. */
static int check_ranges(const struct nat6to4_config *cfg, const struct vctx *v)
{
	if (cfg->nprefix < 0 || cfg->nprefix > N64_MAX_PREFIXES || cfg->nmap < 0 ||
	    cfg->nmap > N64_MAX_MAPS || cfg->npool < 0 || cfg->npool > N64_MAX_POOLS ||
	    cfg->nstatic < 0 || cfg->nstatic > N64_MAX_STATICS)
		return verr(v, NULL, "configuration has an invalid number of entries");
	if ((unsigned)cfg->mode > N64_MODE_STATELESS)
		return verr(v, NULL, "invalid mode %d", (int)cfg->mode);
	if ((unsigned)cfg->filtering > N64_FILTER_ADDRESS_DEPENDENT)
		return verr(v, NULL, "invalid filtering %d", (int)cfg->filtering);
	if (cfg->mtu6 < MTU6_MIN || cfg->mtu6 > MTU6_MAX)
		return verr(v, NULL, "mtu6 %u is out of range (%u-%u)", cfg->mtu6, MTU6_MIN, MTU6_MAX);
	for (int i = 0; i < N64_TO_COUNT; i++)
		if (cfg->timeout_s[i] < 1 || cfg->timeout_s[i] > TIMEOUT_MAX)
			return verr(v, NULL, "timeout %s %u is out of range (1-%u)", timeout_names[i],
			            cfg->timeout_s[i], TIMEOUT_MAX);
	if (cfg->max_sessions < 1 || cfg->max_sessions > MAX_SESSIONS_MAX)
		return verr(v, NULL, "max-sessions %u is out of range (1-%u)", cfg->max_sessions,
		            MAX_SESSIONS_MAX);
	return 0;
}

static int check_entries(const struct nat6to4_config *cfg, const struct vctx *v)
{
	for (int i = 0; i < cfg->nprefix; i++) {
		const struct n64_prefix *p = &cfg->prefix[i];
		if (!prefix_len_ok(p->form, p->len) || !v6_host_bits_zero(p->addr, p->len))
			return verr(v, NULL, "prefix %d has an invalid length, form or host bits", i + 1);
	}
	for (int i = 0; i < cfg->npool; i++) {
		const struct n64_pool *p = &cfg->pool[i];
		if (p->first > p->last || p->port_lo < 1 || p->port_lo > p->port_hi)
			return verr(v, NULL, "pool4 %d has an empty address or port range", i + 1);
	}
	for (int i = 0; i < cfg->nmap; i++) {
		const struct n64_map *m = &cfg->map[i];
		if (m->v6len > 128 || m->v4len > 32 || 128 - m->v6len != 32 - m->v4len ||
		    !v6_host_bits_zero(m->v6, m->v6len) || (m->v4 & v4_host_mask(m->v4len)))
			return verr(v, NULL, "map %d has mismatched lengths or host bits set", i + 1);
	}
	for (int i = 0; i < cfg->nstatic; i++) {
		uint8_t p = cfg->statics[i].proto;
		if (p != 6 && p != 17 && p != 1)
			return verr(v, NULL, "static %d has protocol %u (tcp, udp or icmp)", i + 1, p);
	}
	return 0;
}

static int check_needs(const struct nat6to4_config *cfg, const struct vctx *v)
{
	if (cfg->nprefix == 0 && cfg->nmap == 0)
		return verr(v, AT(v, end),
		            "no 'prefix' or 'map' directive: no IPv6 address can be translated");
	if (cfg->mode == N64_MODE_NAPT && cfg->npool == 0)
		return verr(v, AT(v, end), "napt mode needs at least one 'pool4' range");
	return 0;
}

static int check_pools(const struct nat6to4_config *cfg, const struct vctx *v)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], ref[40];

	for (int i = 0; i < cfg->npool; i++)
		for (int j = 0; j < i; j++) {
			const struct n64_pool *x = &cfg->pool[i], *y = &cfg->pool[j];
			if (x->first <= y->last && y->first <= x->last)
				return verr(v, AT(v, pool[i]), "pool4 range %s-%s overlaps another%s",
				            v4_text(x->first, a), v4_text(x->last, b),
				            first_on(v, AT(v, pool[j]), ref));
		}
	return 0;
}

/* Two maps with the same IPv6 (or IPv4) side make translation ambiguous. */
static int check_maps(const struct nat6to4_config *cfg, const struct vctx *v)
{
	char a[INET6_ADDRSTRLEN], ref[40];

	for (int i = 0; i < cfg->nmap; i++)
		for (int j = 0; j < i; j++) {
			const struct n64_map *x = &cfg->map[i], *y = &cfg->map[j];
			if (x->v6len == y->v6len && memcmp(x->v6, y->v6, 16) == 0)
				return verr(v, AT(v, map_v6[i]), "%s/%u is already mapped%s",
				            v6_text(x->v6, a), x->v6len, first_on(v, AT(v, map_v6[j]), ref));
			if (x->v4len == y->v4len && x->v4 == y->v4)
				return verr(v, AT(v, map_v4[i]), "%s/%u is already mapped%s",
				            v4_text(x->v4, a), x->v4len, first_on(v, AT(v, map_v4[j]), ref));
		}
	return 0;
}

/* In NAPT mode a static binding hands out a pool4 address and port. */
static int check_static_in_pool(const struct nat6to4_config *cfg, const struct vctx *v, int i)
{
	const struct n64_static *s = &cfg->statics[i];
	const struct n64_pool *in = NULL;
	char a[INET_ADDRSTRLEN];

	for (int k = 0; k < cfg->npool && !in; k++)
		if (s->v4 >= cfg->pool[k].first && s->v4 <= cfg->pool[k].last)
			in = &cfg->pool[k];
	if (!in)
		return verr(v, AT(v, statics[i].v4), "static address %s is not inside any pool4 range",
		            v4_text(s->v4, a));
	if (s->v4port < in->port_lo || s->v4port > in->port_hi)
		return verr(v, AT(v, statics[i].v4port),
		            "static %s %u is outside the pool4 port range %u-%u of %s",
		            port_word(s->proto), s->v4port, in->port_lo, in->port_hi, v4_text(s->v4, a));
	return 0;
}

static int check_static_unique(const struct nat6to4_config *cfg, const struct vctx *v, int i)
{
	const struct n64_static *s = &cfg->statics[i];
	char a[INET6_ADDRSTRLEN], ref[40];

	for (int j = 0; j < i; j++) {
		const struct n64_static *o = &cfg->statics[j];
		if (o->proto != s->proto)
			continue;
		if (o->v4 == s->v4 && o->v4port == s->v4port)
			return verr(v, AT(v, statics[i].v4), "duplicate static: %s %s %s %u is already bound%s",
			            proto_name(s->proto), v4_text(s->v4, a), port_word(s->proto),
			            s->v4port, first_on(v, AT(v, statics[j].v4), ref));
		if (memcmp(o->v6, s->v6, 16) == 0 && o->v6port == s->v6port)
			return verr(v, AT(v, statics[i].v6), "duplicate static: %s %s %s %u is already bound%s",
			            proto_name(s->proto), v6_text(s->v6, a), port_word(s->proto),
			            s->v6port, first_on(v, AT(v, statics[j].v6), ref));
	}
	return 0;
}

static int validate(const struct nat6to4_config *cfg, const struct vctx *v)
{
	if (!cfg)
		return verr(v, NULL, "no configuration");
	if (check_ranges(cfg, v) || check_entries(cfg, v) || check_needs(cfg, v) ||
	    check_pools(cfg, v) || check_maps(cfg, v))
		return -1;
	for (int i = 0; i < cfg->nstatic; i++) {
		if (cfg->mode == N64_MODE_NAPT && check_static_in_pool(cfg, v, i))
			return -1;
		if (check_static_unique(cfg, v, i))
			return -1;
	}
	return 0;
}

int config_validate(const struct nat6to4_config *cfg, char *err, size_t errlen)
{
	struct vctx v = { err, errlen, NULL };

	return validate(cfg, &v);
}

/* ------------------------------------------------------------------ */
/* The parser: one line at a time, one function per directive          */
/* ------------------------------------------------------------------ */

struct token {
	char *s;
	int col;
};

/* Directives that may be given once; a second value is probably a mistake. */
enum once_slot { ONCE_MODE, ONCE_FILTERING, ONCE_MTU6, ONCE_MAX_SESSIONS, ONCE_ALLOW_PRIVATE,
                 ONCE_TIMEOUT, ONCE_COUNT = ONCE_TIMEOUT + N64_TO_COUNT };

struct parser {
	struct nat6to4_config *cfg;
	struct src_pos *src;
	nat6to4_directive_fn extra;
	void *extra_user;
	char *err;
	size_t errlen;
	int line;
	struct token *tok; /* the current line's tokens; tok[0] is the keyword */
	int ntok, tokcap;
	int once_line[ONCE_COUNT];
	int prefix_line[N64_MAX_PREFIXES];
};

static int perr(const struct parser *p, int col, const char *fmt, ...)
{
	struct pos at = { p->line, col };
	va_list ap;

	va_start(ap, fmt);
	vset_error(p->err, p->errlen, p->src->file, &at, fmt, ap);
	va_end(ap);
	return -1;
}

static struct pos tok_pos(const struct parser *p, int i)
{
	struct pos at = { p->line, p->tok[i].col };
	return at;
}

static int once(struct parser *p, int slot, const char *what)
{
	if (p->once_line[slot])
		return perr(p, p->tok[0].col, "'%s' is already set on line %d", what,
		            p->once_line[slot]);
	p->once_line[slot] = p->line;
	return 0;
}

/* Number token in [min, max]; `what` names it in messages. */
static int tok_number(struct parser *p, int i, const char *what, uint32_t min, uint32_t max,
                      uint32_t *out)
{
	const struct token *t = &p->tok[i];
	uint64_t v;

	if (!parse_decimal(t->s, &v))
		return perr(p, t->col, "invalid %s '%s' (expected a number)", what, q(t->s).s);
	if (v < min || v > max)
		return perr(p, t->col, "%s %s is out of range (%u-%u)", what, q(t->s).s, min, max);
	*out = (uint32_t)v;
	return 0;
}

static int do_prefix(struct parser *p)
{
	struct nat6to4_config *cfg = p->cfg;
	const struct token *t = &p->tok[1];
	struct n64_prefix px = { .form = NAT6TO4_FORM_RFC6052 };
	char addr[INET6_ADDRSTRLEN + 1], fixed[INET6_ADDRSTRLEN];
	uint32_t len;

	if (cfg->nprefix >= N64_MAX_PREFIXES)
		return perr(p, p->tok[0].col, "too many prefixes (at most %d)", N64_MAX_PREFIXES);
	if (!split_len(t->s, addr, sizeof addr, -1, 128, &len) || inet_pton(AF_INET6, addr, px.addr) != 1)
		return perr(p, t->col, "invalid IPv6 prefix '%s'", q(t->s).s);
	if (p->ntok == 3) {
		int form = word_index(p->tok[2].s, form_names, NELEM(form_names));
		if (form < 0)
			return perr(p, p->tok[2].col, "unknown address form '%s' (expected rfc6052 or decimal)",
			            q(p->tok[2].s).s);
		px.form = (uint8_t)form;
	}
	if (px.form == NAT6TO4_FORM_RFC6052 && !prefix_len_ok(px.form, len))
		return perr(p, t->col, "prefix length %u is not one of 32, 40, 48, 56, 64, 96 (RFC 6052)", len);
	if (px.form == NAT6TO4_FORM_DECIMAL && len > 64)
		return perr(p, t->col, "prefix length %u is too long for the decimal form (at most 64)", len);
	px.len = (uint8_t)len;
	if (!v6_host_bits_zero(px.addr, len)) {
		v6_clear_host_bits(px.addr, len);
		return perr(p, t->col, "prefix '%s' has host bits set (did you mean %s/%u?)", q(t->s).s,
		            v6_text(px.addr, fixed), len);
	}
	for (int i = 0; i < cfg->nprefix; i++)
		if (cfg->prefix[i].len == len && cfg->prefix[i].form == px.form &&
		    memcmp(cfg->prefix[i].addr, px.addr, 16) == 0)
			return perr(p, t->col, "prefix %s/%u is already configured on line %d",
			            v6_text(px.addr, fixed), len, p->prefix_line[i]);
	p->prefix_line[cfg->nprefix] = p->line;
	cfg->prefix[cfg->nprefix++] = px;
	return 0;
}

static bool text_port_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	char a[8], b[8];
	uint64_t x, y;

	if (!strchr(s, '-') || !split_range(s, a, b, sizeof a) || !parse_decimal(a, &x) ||
	    !parse_decimal(b, &y) || x < 1 || x > y || y > 65535)
		return false;
	*lo = (uint16_t)x;
	*hi = (uint16_t)y;
	return true;
}

static int do_pool4(struct parser *p)
{
	struct nat6to4_config *cfg = p->cfg;
	const struct token *t = &p->tok[1];
	struct n64_pool pl = { .port_lo = DEFAULT_PORT_LO, .port_hi = DEFAULT_PORT_HI };
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (cfg->npool >= N64_MAX_POOLS)
		return perr(p, p->tok[0].col, "too many pool4 ranges (at most %d)", N64_MAX_POOLS);
	if (!split_range(t->s, a, b, sizeof a) || !text_v4(a, &pl.first) || !text_v4(b, &pl.last))
		return perr(p, t->col, "invalid IPv4 address range '%s'", q(t->s).s);
	if (pl.first > pl.last)
		return perr(p, t->col, "pool4 range '%s' is backwards (first address above last)",
		            q(t->s).s);
	if (p->ntok == 4) {
		if (strcmp(p->tok[2].s, "ports") != 0)
			return perr(p, p->tok[2].col, "expected 'ports', got '%s'", q(p->tok[2].s).s);
		if (!text_port_range(p->tok[3].s, &pl.port_lo, &pl.port_hi))
			return perr(p, p->tok[3].col,
			            "invalid port range '%s' (expected LO-HI with 1 <= LO <= HI <= 65535)",
			            q(p->tok[3].s).s);
	}
	p->src->pool[cfg->npool] = tok_pos(p, 1);
	cfg->pool[cfg->npool++] = pl;
	return 0;
}

static int tok_static_port(struct parser *p, int i, uint8_t proto, uint16_t *port)
{
	uint32_t v;

	if (tok_number(p, i, proto == 1 ? "ICMP echo identifier" : "port", proto == 1 ? 0 : 1,
	               65535, &v))
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int do_static(struct parser *p)
{
	static const char *const protos[] = { "tcp", "udp", "icmp" };
	static const uint8_t proto_numbers[] = { 6, 17, 1 };
	struct nat6to4_config *cfg = p->cfg;
	struct n64_static st;
	int k = word_index(p->tok[1].s, protos, NELEM(protos));

	memset(&st, 0, sizeof st); /* padding too: configurations compare with memcmp */
	if (cfg->nstatic >= N64_MAX_STATICS)
		return perr(p, p->tok[0].col, "too many statics (at most %d)", N64_MAX_STATICS);
	if (k < 0)
		return perr(p, p->tok[1].col, "unknown protocol '%s' (expected tcp, udp or icmp)",
		            q(p->tok[1].s).s);
	st.proto = proto_numbers[k];
	if (inet_pton(AF_INET6, p->tok[2].s, st.v6) != 1)
		return perr(p, p->tok[2].col, "invalid IPv6 address '%s'", q(p->tok[2].s).s);
	if (tok_static_port(p, 3, st.proto, &st.v6port))
		return -1;
	if (!text_v4(p->tok[4].s, &st.v4))
		return perr(p, p->tok[4].col, "invalid IPv4 address '%s'", q(p->tok[4].s).s);
	if (tok_static_port(p, 5, st.proto, &st.v4port))
		return -1;
	struct static_pos *sp = &p->src->statics[cfg->nstatic];
	sp->v6 = tok_pos(p, 2);
	sp->v6port = tok_pos(p, 3);
	sp->v4 = tok_pos(p, 4);
	sp->v4port = tok_pos(p, 5);
	memcpy(&cfg->statics[cfg->nstatic++], &st, sizeof st); /* with its zeroed padding */
	return 0;
}

static int do_map(struct parser *p)
{
	struct nat6to4_config *cfg = p->cfg;
	const struct token *t6 = &p->tok[1], *t4 = &p->tok[2];
	struct n64_map m;
	char addr[INET6_ADDRSTRLEN + 1];
	uint32_t len6, len4;

	memset(&m, 0, sizeof m); /* padding too: configurations compare with memcmp */
	if (cfg->nmap >= N64_MAX_MAPS)
		return perr(p, p->tok[0].col, "too many maps (at most %d)", N64_MAX_MAPS);
	if (!split_len(t6->s, addr, sizeof addr, 128, 128, &len6) || inet_pton(AF_INET6, addr, m.v6) != 1)
		return perr(p, t6->col, "invalid IPv6 address or prefix '%s'", q(t6->s).s);
	if (!split_len(t4->s, addr, sizeof addr, 32, 32, &len4) || !text_v4(addr, &m.v4))
		return perr(p, t4->col, "invalid IPv4 address or prefix '%s'", q(t4->s).s);
	if (128 - len6 != 32 - len4)
		return perr(p, t4->col, "map sides differ in size: /%u leaves %u host bits in IPv6, "
		            "/%u leaves %u in IPv4", len6, 128 - len6, len4, 32 - len4);
	if (!v6_host_bits_zero(m.v6, len6))
		return perr(p, t6->col, "map address '%s' has host bits set", q(t6->s).s);
	if (m.v4 & v4_host_mask(len4))
		return perr(p, t4->col, "map address '%s' has host bits set", q(t4->s).s);
	m.v6len = (uint8_t)len6;
	m.v4len = (uint8_t)len4;
	p->src->map_v6[cfg->nmap] = tok_pos(p, 1);
	p->src->map_v4[cfg->nmap] = tok_pos(p, 2);
	memcpy(&cfg->map[cfg->nmap++], &m, sizeof m); /* with its zeroed padding */
	return 0;
}

/* Keyword argument from a fixed list; `expected` spells the list for humans. */
static int tok_choice(struct parser *p, const char *const *names, int n, const char *what,
                      const char *expected)
{
	int k = word_index(p->tok[1].s, names, n);

	if (k < 0)
		return perr(p, p->tok[1].col, "unknown %s '%s' (expected %s)", what, q(p->tok[1].s).s,
		            expected);
	return k;
}

static int do_mode(struct parser *p)
{
	int k = tok_choice(p, mode_names, NELEM(mode_names), "mode", "napt or stateless");

	if (k < 0 || once(p, ONCE_MODE, "mode"))
		return -1;
	p->cfg->mode = (enum n64_mode)k;
	return 0;
}

static int do_filtering(struct parser *p)
{
	int k = tok_choice(p, filtering_names, NELEM(filtering_names), "filtering",
	                   "endpoint-independent or address-dependent");

	if (k < 0 || once(p, ONCE_FILTERING, "filtering"))
		return -1;
	p->cfg->filtering = (enum n64_filtering)k;
	return 0;
}

static int do_allow_private(struct parser *p)
{
	static const char *const yes_no[] = { "no", "yes" };
	int k = tok_choice(p, yes_no, 2, "allow-private value", "yes or no");

	if (k < 0 || once(p, ONCE_ALLOW_PRIVATE, "allow-private"))
		return -1;
	p->cfg->allow_private = k == 1;
	return 0;
}

static int do_mtu6(struct parser *p)
{
	uint32_t v = 0; /* set by tok_number on success; -O3 cannot see that */

	if (tok_number(p, 1, "mtu6", MTU6_MIN, MTU6_MAX, &v) || once(p, ONCE_MTU6, "mtu6"))
		return -1;
	p->cfg->mtu6 = v;
	return 0;
}

static int do_max_sessions(struct parser *p)
{
	uint32_t v = 0; /* set by tok_number on success; -O3 cannot see that */

	if (tok_number(p, 1, "max-sessions", 1, MAX_SESSIONS_MAX, &v) ||
	    once(p, ONCE_MAX_SESSIONS, "max-sessions"))
		return -1;
	p->cfg->max_sessions = v;
	return 0;
}

static int do_timeout(struct parser *p)
{
	char what[32];
	uint32_t v;
	int k = tok_choice(p, timeout_names, N64_TO_COUNT, "timeout",
	                   "udp, tcp-est, tcp-trans or icmp");

	if (k < 0)
		return -1;
	snprintf(what, sizeof what, "timeout %s", timeout_names[k]);
	if (tok_number(p, 2, what, 1, TIMEOUT_MAX, &v) || once(p, ONCE_TIMEOUT + k, what))
		return -1;
	p->cfg->timeout_s[k] = v;
	return 0;
}

#define ARGS(n) (1u << (n))

static const struct directive {
	const char *name;
	unsigned nargs; /* bit n set: n arguments accepted */
	int (*parse)(struct parser *p);
} directives[] = {
	{ "prefix",        ARGS(1) | ARGS(2), do_prefix },
	{ "pool4",         ARGS(1) | ARGS(3), do_pool4 },
	{ "static",        ARGS(5),           do_static },
	{ "map",           ARGS(2),           do_map },
	{ "mode",          ARGS(1),           do_mode },
	{ "filtering",     ARGS(1),           do_filtering },
	{ "mtu6",          ARGS(1),           do_mtu6 },
	{ "timeout",       ARGS(2),           do_timeout },
	{ "max-sessions",  ARGS(1),           do_max_sessions },
	{ "allow-private", ARGS(1),           do_allow_private },
};

/* "'mtu6' takes 1 argument, got 2" / "'pool4' takes 1 or 3 arguments, got 2" */
static int wrong_arg_count(struct parser *p, const struct directive *d)
{
	int counts[2], n = 0;

	for (int i = 0; i < 8 && n < 2; i++)
		if (d->nargs & ARGS(i))
			counts[n++] = i;
	if (n == 1)
		return perr(p, p->tok[0].col, "'%s' takes %d argument%s, got %d", d->name, counts[0],
		            counts[0] == 1 ? "" : "s", p->ntok - 1);
	return perr(p, p->tok[0].col, "'%s' takes %d or %d arguments, got %d", d->name, counts[0],
	            counts[1], p->ntok - 1);
}

/* Unknown keywords go to the caller's hook (the daemon's own directives). */
static int unknown_directive(struct parser *p)
{
	const struct token *kw = &p->tok[0];
	char msg[256] = "";
	int rc = 1;

	if (p->extra) {
		const char **args = malloc(sizeof *args * (size_t)p->ntok);
		if (!args)
			return perr(p, kw->col, "out of memory");
		for (int i = 1; i < p->ntok; i++)
			args[i - 1] = p->tok[i].s;
		rc = p->extra(p->extra_user, kw->s, args, p->ntok - 1, msg, sizeof msg);
		free(args);
	}
	if (rc == 0)
		return 0;
	if (rc < 0)
		return perr(p, kw->col, "%s", msg[0] ? msg : "invalid arguments");
	return perr(p, kw->col, "unknown directive '%s'", q(kw->s).s);
}

static int run_directive(struct parser *p)
{
	for (int i = 0; i < NELEM(directives); i++) {
		const struct directive *d = &directives[i];
		if (strcmp(p->tok[0].s, d->name) != 0)
			continue;
		if (p->ntok - 1 >= 8 || !(d->nargs & ARGS(p->ntok - 1)))
			return wrong_arg_count(p, d);
		return d->parse(p);
	}
	return unknown_directive(p);
}

static int col_of(size_t offset)
{
	return offset >= INT_MAX ? INT_MAX : (int)offset + 1;
}

static int push_token(struct parser *p, char *s, size_t offset)
{
	if (p->ntok == p->tokcap) {
		int cap = p->tokcap ? 2 * p->tokcap : 16;
		struct token *t = realloc(p->tok, sizeof *t * (size_t)cap);
		if (!t)
			return perr(p, col_of(offset), "out of memory");
		p->tok = t;
		p->tokcap = cap;
	}
	p->tok[p->ntok].s = s;
	p->tok[p->ntok].col = col_of(offset);
	p->ntok++;
	return 0;
}

/* A configuration is text: control characters mean a binary or corrupt file. */
static int check_text(struct parser *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\0')
			return perr(p, col_of(i), "NUL byte: this is not a text file");
		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
			return perr(p, col_of(i), "control character 0x%02x: this is not a text file", c);
	}
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Split the line s[0..n) in place; s[n] is writable (newline or final NUL). */
static int parse_line(struct parser *p, char *s, size_t n)
{
	size_t i = 0;

	if (check_text(p, s, n))
		return -1;
	p->ntok = 0;
	while (i < n && s[i] != '#') {
		if (is_blank(s[i])) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < n && !is_blank(s[i]) && s[i] != '#')
			i++;
		if (push_token(p, s + start, start))
			return -1;
		bool comment = i < n && s[i] == '#';
		s[i] = '\0';
		if (comment)
			break;
		i++;
	}
	return p->ntok ? run_directive(p) : 0;
}

static int parse_text(struct parser *p, char *buf, size_t len)
{
	size_t start = 0, last_len = 0;
	bool ends_with_newline = len > 0 && buf[len - 1] == '\n'; /* before tokens overwrite it */

	p->line = 0;
	while (start < len) {
		char *nl = memchr(buf + start, '\n', len - start);
		size_t n = nl ? (size_t)(nl - (buf + start)) : len - start;
		p->line = p->line < INT_MAX ? p->line + 1 : INT_MAX;
		if (parse_line(p, buf + start, n))
			return -1;
		start += n + 1;
		last_len = n;
	}
	/* Whole-file errors ("no prefix") point just past the end of the text. */
	if (len == 0 || ends_with_newline)
		p->src->end = (struct pos){ p->line + (p->line < INT_MAX), 1 };
	else
		p->src->end = (struct pos){ p->line, col_of(last_len) };
	return 0;
}

nat6to4_config *nat6to4_config_parse(const char *text, size_t len, const char *filename,
                                     nat6to4_directive_fn extra, void *extra_user,
                                     char *err, size_t errlen)
{
	struct parser p = { .extra = extra, .extra_user = extra_user, .err = err, .errlen = errlen };
	char *buf = malloc(len + 1);
	int rc = -1;

	p.cfg = nat6to4_config_new();
	p.src = calloc(1, sizeof *p.src);
	if (err && errlen)
		err[0] = '\0';
	if (!buf || !p.cfg || !p.src || (!text && len)) {
		set_error(err, errlen, "%s", (!text && len) ? "no configuration text" : "out of memory");
		goto out;
	}
	p.src->file = filename ? filename : "(config)";
	if (len)
		memcpy(buf, text, len);
	buf[len] = '\0';
	if (parse_text(&p, buf, len) == 0) {
		struct vctx v = { err, errlen, p.src };
		rc = validate(p.cfg, &v);
	}
out:
	free(buf);
	free(p.tok);
	free(p.src);
	if (rc != 0) {
		nat6to4_config_free(p.cfg);
		return NULL;
	}
	return p.cfg;
}

/* ------------------------------------------------------------------ */
/* Normalised output                                                   */
/* ------------------------------------------------------------------ */

struct out {
	char *buf;
	size_t size;
	size_t need; /* length of the full text so far */
};

static void put(struct out *o, const char *fmt, ...)
{
	bool room = o->buf && o->need < o->size;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->need : NULL, room ? o->size - o->need : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->need += (size_t)n;
}

static void put_map(struct out *o, const struct n64_map *m)
{
	char a[INET6_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (m->v6len == 128 && m->v4len == 32)
		put(o, "map %s %s\n", v6_text(m->v6, a), v4_text(m->v4, b));
	else
		put(o, "map %s/%u %s/%u\n", v6_text(m->v6, a), m->v6len, v4_text(m->v4, b), m->v4len);
}

static void put_pool(struct out *o, const struct n64_pool *pl)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (pl->first == pl->last)
		put(o, "pool4 %s", v4_text(pl->first, a));
	else
		put(o, "pool4 %s-%s", v4_text(pl->first, a), v4_text(pl->last, b));
	put(o, " ports %u-%u\n", pl->port_lo, pl->port_hi);
}

static int clamp_count(int n, int max)
{
	return n < 0 ? 0 : n > max ? max : n;
}

size_t nat6to4_config_format(const nat6to4_config *cfg, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	char a[INET6_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (buf && len)
		buf[0] = '\0';
	put(&o, "mode %s\n", name_of(mode_names, NELEM(mode_names), (int)cfg->mode));
	put(&o, "filtering %s\n", name_of(filtering_names, NELEM(filtering_names), (int)cfg->filtering));
	for (int i = 0; i < clamp_count(cfg->nprefix, N64_MAX_PREFIXES); i++)
		put(&o, "prefix %s/%u %s\n", v6_text(cfg->prefix[i].addr, a), cfg->prefix[i].len,
		    name_of(form_names, NELEM(form_names), cfg->prefix[i].form));
	for (int i = 0; i < clamp_count(cfg->npool, N64_MAX_POOLS); i++)
		put_pool(&o, &cfg->pool[i]);
	for (int i = 0; i < clamp_count(cfg->nmap, N64_MAX_MAPS); i++)
		put_map(&o, &cfg->map[i]);
	for (int i = 0; i < clamp_count(cfg->nstatic, N64_MAX_STATICS); i++) {
		const struct n64_static *s = &cfg->statics[i];
		put(&o, "static %s %s %u %s %u\n", proto_name(s->proto), v6_text(s->v6, a), s->v6port,
		    v4_text(s->v4, b), s->v4port);
	}
	put(&o, "mtu6 %u\n", cfg->mtu6);
	for (int i = 0; i < N64_TO_COUNT; i++)
		put(&o, "timeout %s %u\n", timeout_names[i], cfg->timeout_s[i]);
	put(&o, "max-sessions %u\n", cfg->max_sessions);
	put(&o, "allow-private %s\n", cfg->allow_private ? "yes" : "no");
	return o.need;
}
