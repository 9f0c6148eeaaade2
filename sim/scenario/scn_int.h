/*
 * Internals shared by the scenario files: the line lexer (lexer.c), error
 * reporting (diag.c), value parsers (values.c), the AST helpers (ast.c).
 */
#ifndef V6LAB_SCN_INT_H
#define V6LAB_SCN_INT_H

#include "scenario.h"

#include <stdarg.h>

/* ---- diag.c ---------------------------------------------------------- */

/* Fill *d with "FILE:LINE:COL: message" and the line's text. */
int scn_error(const struct scn *s, struct scn_diag *d, struct scn_pos at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int scn_verror(const struct scn *s, struct scn_diag *d, struct scn_pos at, const char *fmt,
               va_list ap);

/* ---- lexer.c: one line at a time -------------------------------------- */

#define SCN_WORD_MAX 256

struct scn_lex {
	const struct scn *s;
	struct scn_diag *d;
	const char *line;        /* the line, not NUL-terminated */
	size_t len;
	size_t i;                /* next byte */
	size_t last_end;         /* just after the last token read */
	int lineno;
};

void lex_start(struct scn_lex *l, const struct scn *s, struct scn_diag *d, int lineno);
/* True when only blanks and a comment are left. */
bool lex_done(struct scn_lex *l);
/* Column (1-based) of the next token, after blanks. */
int lex_col(struct scn_lex *l);
struct scn_pos lex_pos(struct scn_lex *l);
/* A word: bytes up to a blank. -1 (error set) when longer than cap-1, or
 * when there is none (`what` names what was expected). */
int lex_word(struct scn_lex *l, char *buf, size_t cap, const char *what);
/* The next word if it equals kw (consumed), else false (nothing consumed). */
bool lex_keyword(struct scn_lex *l, const char *kw);
/* "TEXT" with \" and \\ escapes; malloc'ed copy in *out. */
int lex_string(struct scn_lex *l, char **out, const char *what);
/* A quoted string or a bare word (for addresses and prefixes). */
int lex_string_or_word(struct scn_lex *l, char **out, const char *what);
/* /REGEX/ with \/ for a slash; malloc'ed pattern in *out. */
int lex_regex(struct scn_lex *l, char **out);
/* The rest of the line without a trailing comment, trimmed (a command). */
char *lex_rest(struct scn_lex *l);
/* Error "unexpected 'WORD'" at the next token unless the line is done. */
int lex_expect_end(struct scn_lex *l);

/* ---- values.c -------------------------------------------------------- */

bool scn_parse_u64(const char *s, uint64_t *out);      /* decimal or 0x hex */
bool scn_parse_u32_range(const char *s, uint32_t lo, uint32_t hi, uint32_t *out);
bool scn_parse_bandwidth(const char *s, uint64_t *bps); /* 10Mbit, 1Gbps, 64kbit, 9600 */
bool scn_parse_loss(const char *s, double *p);          /* 1%, 0.5%, 0.01 */
bool scn_parse_mac(const char *s, uint8_t mac[6]);
/* ADDR/LEN, family 4 or 6; need_len: the /LEN is required. */
bool scn_parse_prefix(const char *s, struct scn_addr *a, bool need_len);
/* YYYY-MM-DD HH:MM:SS as Unix nanoseconds (proleptic Gregorian, UTC). */
bool scn_parse_date(const char *date, const char *time, uint64_t *unix_ns);
/* Names of nodes, links, interfaces: [A-Za-z0-9_.-], starting alnum. */
bool scn_valid_name(const char *s);

/* ---- source.c -------------------------------------------------------- */

/* 0 and a malloc'ed NUL-terminated copy in *data, or an errno value. */
int scn_read_file(const char *path, char **data, size_t *len);

/* ---- validate.c ------------------------------------------------------ */

struct bpf_program;
/* The pcap link type filters of a link kind compile for (DLT_EN10MB,
 * DLT_RAW). */
int scn_link_dlt(enum sim_link_kind k);
/* pcap_compile on a pcap_open_dead of the kind's link type. */
int scn_compile_filter(const char *filter, enum sim_link_kind k, struct bpf_program *prog,
                       char *err, size_t errlen);

/* ---- ast.c ----------------------------------------------------------- */

/* Grow an array by one zeroed element; NULL when out of memory. */
void *scn_grow(void *arrayp, size_t *n, size_t elem);
char *scn_strndup(const char *p, size_t n);
const char *scn_kind_name(enum sim_node_kind k);
const char *scn_link_kind_name(enum sim_link_kind k);
const struct scn_node *scn_find_node(const struct scn *s, const char *name);
const struct scn_link *scn_find_link(const struct scn *s, const char *name);
/* The link an interface is on; NULL when on none. */
const struct scn_link *scn_iface_link(const struct scn *s, const char *node, const char *iface);

#endif /* V6LAB_SCN_INT_H */
