/*
 * Written answers: the student's answers.txt (`KEY = VALUE` lines) and the
 * lab's answers.check (`KEY sha256 HEX[,HEX] "goal" hint "hint"`: the
 * accepted answers' hashes, so reading it does not give them away).
 * Errors name FILE:LINE:COL.
 */
#include "lab_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* One line being read: the text, its number, the next column. */
struct cur {
	const char *file;
	char *text;
	int line;
	size_t i;
	char *err;
	size_t errlen;
};

static int cur_error(const struct cur *c, size_t col0, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int cur_error(const struct cur *c, size_t col0, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, c->errlen, "%s:%d:%zu: ", c->file, c->line, col0 + 1);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void skip_blanks(struct cur *c)
{
	while (c->text[c->i] == ' ' || c->text[c->i] == '\t' || c->text[c->i] == '\r')
		c->i++;
}

/* A comment starts at '#' at the start or after a blank. */
static void cut_comment(char *t)
{
	for (size_t i = 0; t[i]; i++)
		if (t[i] == '#' && (i == 0 || t[i - 1] == ' ' || t[i - 1] == '\t')) {
			t[i] = '\0';
			return;
		}
}

static void trim_end(char *t)
{
	size_t n = strlen(t);
	while (n > 0 && isspace((unsigned char)t[n - 1]))
		t[--n] = '\0';
}

/* KEY: letters, digits, '_' (at most 63). */
static int read_key(struct cur *c, char key[64])
{
	size_t b = c->i, n = 0;

	skip_blanks(c);
	b = c->i;
	while (isalnum((unsigned char)c->text[c->i + n]) || c->text[c->i + n] == '_')
		n++;
	if (n == 0)
		return cur_error(c, b, "expected a key (letters, digits and '_')");
	if (n >= 64)
		return cur_error(c, b, "key is too long (at most 63 characters)");
	memcpy(key, c->text + b, n);
	key[n] = '\0';
	c->i += n;
	return 0;
}

/* The text of each line in turn; calls fn(c) with comments cut off and
 * blank lines skipped. */
static int each_line(const char *file, const char *text, char *err, size_t errlen,
                     int (*fn)(struct cur *, void *), void *user)
{
	int rc = 0, line = 0;

	for (const char *p = text; *p && rc == 0; line++) {
		size_t n = strcspn(p, "\n");
		char *t = malloc(n + 1);
		if (!t) {
			snprintf(err, errlen, "%s: out of memory", file);
			return -1;
		}
		memcpy(t, p, n);
		t[n] = '\0';
		cut_comment(t);
		trim_end(t);
		struct cur c = { file, t, line + 1, 0, err, errlen };
		skip_blanks(&c);
		if (t[c.i])
			rc = fn(&c, user);
		free(t);
		p += n + (p[n] == '\n');
	}
	return rc;
}

/* ---- answers.txt --------------------------------------------------------- */

static int answer_line(struct cur *c, void *user)
{
	struct lab_answers *a = user;
	struct lab_answer x = { .line = c->line };
	size_t kcol = c->i;

	if (!strchr(c->text, '='))
		return cur_error(c, c->i, "expected KEY = VALUE (no '=' on this line)");
	if (read_key(c, x.key) < 0)
		return -1;
	skip_blanks(c);
	if (c->text[c->i] != '=')
		return cur_error(c, c->i, "expected '=' after the key '%s'", x.key);
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].key, x.key) == 0)
			return cur_error(c, kcol, "key '%s' is already given on line %d", x.key,
			                 a->v[i].line);
	c->i++;
	skip_blanks(c);
	struct lab_answer *v = realloc(a->v, (a->n + 1) * sizeof *v);
	if (!v || !(x.value = strdup(c->text + c->i))) {
		if (v)
			a->v = v;
		return cur_error(c, kcol, "out of memory");
	}
	a->v = v;
	a->v[a->n++] = x;
	return 0;
}

int lab_answers_parse(const char *file, const char *text, struct lab_answers *a, char *err,
                      size_t errlen)
{
	return each_line(file, text, err, errlen, answer_line, a);
}

void lab_answers_free(struct lab_answers *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].value);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

/* ---- answers.check --------------------------------------------------------- */

/* "TEXT" with \" and \\ escapes, malloc'ed. */
static int read_string(struct cur *c, char **out, const char *what)
{
	skip_blanks(c);
	size_t b = c->i;
	if (c->text[c->i] != '"')
		return cur_error(c, b, "expected the %s as a \"quoted string\"", what);
	char *s = malloc(strlen(c->text + b) + 1);
	size_t n = 0;
	if (!s)
		return cur_error(c, b, "out of memory");
	for (c->i++; c->text[c->i] && c->text[c->i] != '"'; c->i++) {
		if (c->text[c->i] == '\\' && (c->text[c->i + 1] == '"' || c->text[c->i + 1] == '\\'))
			c->i++;
		s[n++] = c->text[c->i];
	}
	s[n] = '\0';
	if (c->text[c->i] != '"') {
		free(s);
		return cur_error(c, b, "unterminated %s (no closing \")", what);
	}
	c->i++;
	*out = s;
	return 0;
}

static int read_method(struct cur *c, struct lab_check_line *x)
{
	skip_blanks(c);
	size_t b = c->i, n = strcspn(c->text + b, " \t");
	if (n == 6 && strncmp(c->text + b, "sha256", 6) == 0)
		x->kind = LAB_NORM_TEXT;
	else if (n == 11 && strncmp(c->text + b, "sha256-3sig", 11) == 0)
		x->kind = LAB_NORM_SIG3;
	else
		return cur_error(c, b, "expected 'sha256' or 'sha256-3sig' after the key '%s'", x->key);
	c->i += n;
	return 0;
}

/* HEX[,HEX...]: 64 lower-case hex digits each. */
static int read_hashes(struct cur *c, struct lab_check_line *x)
{
	skip_blanks(c);
	for (;;) {
		size_t b = c->i, n = 0;
		while (isxdigit((unsigned char)c->text[b + n]) && !isupper((unsigned char)c->text[b + n]))
			n++;
		if (n != 64)
			return cur_error(c, b, "expected a SHA-256 in 64 lower-case hex digits "
			                 "(`v6lab lab hash VALUE` prints it)");
		char (*h)[LAB_HASH_HEX] = realloc(x->hashes, (x->nhashes + 1) * sizeof *h);
		if (!h)
			return cur_error(c, b, "out of memory");
		x->hashes = h;
		memcpy(h[x->nhashes], c->text + b, 64);
		h[x->nhashes++][64] = '\0';
		c->i = b + 64;
		if (c->text[c->i] != ',')
			return 0;
		c->i++;
	}
}

static void check_line_free(struct lab_check_line *x)
{
	free(x->hashes);
	free(x->goal);
	free(x->hint);
}

static int check_fields(struct cur *c, struct lab_check_line *x)
{
	if (read_key(c, x->key) < 0 || read_method(c, x) < 0 || read_hashes(c, x) < 0 ||
	    read_string(c, &x->goal, "goal text") < 0)
		return -1;
	skip_blanks(c);
	if (strncmp(c->text + c->i, "hint", 4) != 0)
		return cur_error(c, c->i, "expected 'hint \"TEXT\"' after the goal text");
	c->i += 4;
	if (read_string(c, &x->hint, "hint") < 0)
		return -1;
	skip_blanks(c);
	if (c->text[c->i])
		return cur_error(c, c->i, "unexpected '%s'", c->text + c->i);
	return 0;
}

static int check_line(struct cur *c, void *user)
{
	struct lab_checks *cs = user;
	struct lab_check_line x = { .line = c->line };
	size_t kcol = c->i;

	if (check_fields(c, &x) < 0) {
		check_line_free(&x);
		return -1;
	}
	for (size_t i = 0; i < cs->n; i++)
		if (strcmp(cs->v[i].key, x.key) == 0) {
			check_line_free(&x);
			return cur_error(c, kcol, "key '%s' is already checked on line %d", cs->v[i].key,
			                 cs->v[i].line);
		}
	struct lab_check_line *v = realloc(cs->v, (cs->n + 1) * sizeof *v);
	if (!v) {
		check_line_free(&x);
		return cur_error(c, kcol, "out of memory");
	}
	cs->v = v;
	cs->v[cs->n++] = x;
	return 0;
}

int lab_checks_parse(const char *file, const char *text, struct lab_checks *c, char *err,
                     size_t errlen)
{
	return each_line(file, text, err, errlen, check_line, c);
}

void lab_checks_free(struct lab_checks *c)
{
	for (size_t i = 0; i < c->n; i++)
		check_line_free(&c->v[i]);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* ---- comparing ------------------------------------------------------------ */

static const struct lab_answer *find_answer(const struct lab_answers *a, const char *key)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].key, key) == 0)
			return &a->v[i];
	return NULL;
}

int lab_answers_known(const char *file, const struct lab_answers *a, const struct lab_checks *c,
                      char *err, size_t errlen)
{
	for (size_t i = 0; i < a->n; i++) {
		bool known = false;
		for (size_t j = 0; j < c->n && !known; j++)
			known = strcmp(c->v[j].key, a->v[i].key) == 0;
		if (!known) {
			snprintf(err, errlen, "%s:%d:1: unknown key '%s' (the keys are those of the lab's "
			         "files/answers.txt)", file, a->v[i].line, a->v[i].key);
			return -1;
		}
	}
	return 0;
}

static bool answer_right(const struct lab_answer *x, const struct lab_check_line *c)
{
	char norm[LAB_NORM_MAX], hex[LAB_HASH_HEX];

	if (!x || !x->value[0] || !lab_normalise(x->value, c->kind, norm, sizeof norm))
		return false;
	lab_sha256_hex(norm, hex);
	for (size_t i = 0; i < c->nhashes; i++)
		if (strcmp(hex, c->hashes[i]) == 0)
			return true;
	return false;
}

bool lab_answers_goals(const struct lab_answers *a, const struct lab_checks *c,
                       struct lab_goals *g)
{
	for (size_t i = 0; i < c->n; i++) {
		bool seen = false, met = true;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(c->v[j].goal, c->v[i].goal) == 0;
		if (seen)
			continue; /* already added with its first key */
		for (size_t j = i; j < c->n; j++)
			if (strcmp(c->v[j].goal, c->v[i].goal) == 0)
				met &= answer_right(find_answer(a, c->v[j].key), &c->v[j]);
		if (!lab_goals_add(g, c->v[i].goal, c->v[i].hint, met))
			return false;
	}
	return true;
}
