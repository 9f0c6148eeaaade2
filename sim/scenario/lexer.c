/*
 * The scenario lexer works on one line at a time: the parser asks for the
 * kind of token the grammar expects next (a word, a "string", a /regex/,
 * the rest of the line as a command), so a `#` inside a string or a
 * pattern is not a comment and `k7#` is a word. A `#` that starts a word
 * starts a comment.
 */
#include "scn_int.h"

#include <stdlib.h>
#include <string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

void lex_start(struct scn_lex *l, const struct scn *s, struct scn_diag *d, int lineno)
{
	const char *p = s->lines[lineno];
	const char *end = s->src + s->srclen;
	size_t n = 0;

	while (p + n < end && p[n] != '\n')
		n++;
	l->s = s;
	l->d = d;
	l->line = p;
	l->len = n;
	l->i = 0;
	l->last_end = 0;
	l->lineno = lineno;
}

static void skip_blanks(struct scn_lex *l)
{
	while (l->i < l->len && is_blank(l->line[l->i]))
		l->i++;
}

bool lex_done(struct scn_lex *l)
{
	skip_blanks(l);
	return l->i >= l->len || l->line[l->i] == '#';
}

int lex_col(struct scn_lex *l)
{
	skip_blanks(l);
	return (int)l->i + 1;
}

struct scn_pos lex_pos(struct scn_lex *l)
{
	struct scn_pos p = { l->lineno, lex_col(l) };
	return p;
}

static int err_here(struct scn_lex *l, const char *fmt, const char *arg)
{
	return scn_error(l->s, l->d, lex_pos(l), fmt, arg);
}

int lex_word(struct scn_lex *l, char *buf, size_t cap, const char *what)
{
	if (lex_done(l))
		return err_here(l, "missing %s", what);
	size_t b = l->i, n = 0;

	while (b + n < l->len && !is_blank(l->line[b + n]))
		n++;
	if (n + 1 > cap) {
		scn_error(l->s, l->d, lex_pos(l), "%s is too long (at most %zu characters)", what,
		          cap - 1);
		return -1;
	}
	memcpy(buf, l->line + b, n);
	buf[n] = '\0';
	l->i = l->last_end = b + n;
	return 0;
}

bool lex_keyword(struct scn_lex *l, const char *kw)
{
	if (lex_done(l))
		return false;
	size_t n = strlen(kw);

	if (l->len - l->i < n || memcmp(l->line + l->i, kw, n) != 0)
		return false;
	if (l->i + n < l->len && !is_blank(l->line[l->i + n]))
		return false;
	l->i = l->last_end = l->i + n;
	return true;
}

/* Text between delimiters `q`, with \q and \\ as escapes; with keep_other,
 * other backslash pairs are kept as written (regular expressions). */
static int delimited(struct scn_lex *l, char q, bool keep_other, char **out, const char *what)
{
	struct scn_pos at = lex_pos(l);
	char *buf = malloc(l->len + 1);
	size_t n = 0, i = l->i + 1;

	if (!buf)
		return scn_error(l->s, l->d, at, "out of memory");
	for (; i < l->len && l->line[i] != q; i++) {
		char c = l->line[i];
		if (c == '\\' && i + 1 < l->len &&
		    (l->line[i + 1] == q || l->line[i + 1] == '\\')) {
			if (keep_other && l->line[i + 1] == '\\')
				buf[n++] = c;
			c = l->line[++i];
		}
		buf[n++] = c;
	}
	if (i >= l->len) {
		free(buf);
		return scn_error(l->s, l->d, at, "unterminated %s (no closing %c)", what, q);
	}
	buf[n] = '\0';
	l->i = l->last_end = i + 1;
	if (l->i < l->len && !is_blank(l->line[l->i])) {
		free(buf);
		struct scn_pos p = { l->lineno, (int)l->i + 1 };
		return scn_error(l->s, l->d, p, "missing blank after the closing %c", q);
	}
	*out = buf;
	return 0;
}

int lex_string(struct scn_lex *l, char **out, const char *what)
{
	if (lex_done(l))
		return err_here(l, "missing %s (a \"quoted string\")", what);
	if (l->line[l->i] != '"')
		return err_here(l, "expected %s as a \"quoted string\"", what);
	return delimited(l, '"', false, out, "string");
}

int lex_string_or_word(struct scn_lex *l, char **out, const char *what)
{
	char w[SCN_WORD_MAX];

	if (!lex_done(l) && l->line[l->i] == '"')
		return delimited(l, '"', false, out, "string");
	if (lex_word(l, w, sizeof w, what) < 0)
		return -1;
	*out = scn_strndup(w, strlen(w));
	return *out ? 0 : -1;
}

int lex_regex(struct scn_lex *l, char **out)
{
	if (lex_done(l))
		return err_here(l, "missing %s", "/pattern/");
	if (l->line[l->i] != '/')
		return err_here(l, "expected a %s", "/pattern/");
	return delimited(l, '/', true, out, "pattern");
}

char *lex_rest(struct scn_lex *l)
{
	size_t b, e;
	char quote = 0;

	skip_blanks(l);
	b = l->i;
	/* A comment starts at a '#' after a blank, outside shell quotes. */
	for (e = b; e < l->len; e++) {
		char c = l->line[e];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '#' && e > b && is_blank(l->line[e - 1])) {
			break;
		}
	}
	while (e > b && is_blank(l->line[e - 1]))
		e--;
	l->i = l->len;
	l->last_end = e;
	return scn_strndup(l->line + b, e - b);
}

int lex_expect_end(struct scn_lex *l)
{
	char w[SCN_WORD_MAX];

	if (lex_done(l))
		return 0;
	struct scn_pos at = lex_pos(l);
	size_t n = 0;
	while (l->i + n < l->len && !is_blank(l->line[l->i + n]) && n + 1 < sizeof w) {
		w[n] = l->line[l->i + n];
		n++;
	}
	w[n] = '\0';
	return scn_error(l->s, l->d, at, "unexpected '%s'", w);
}
