/*
 * Errors in scenario files: "FILE:LINE:COL: message", then the offending
 * line and a caret under the column, as compilers print them.
 */
#include "scn_int.h"

#include <stdarg.h>
#include <string.h>

/* Copy line `lineno` of the scenario (without its newline) into buf. */
static void line_text(const struct scn *s, int lineno, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (!s || !s->lines || lineno < 1 || (size_t)lineno > s->nlines)
		return;
	const char *p = s->lines[lineno];
	const char *end = s->src + s->srclen;
	size_t n = 0;

	while (p + n < end && p[n] != '\n' && p[n] != '\r' && n + 1 < cap)
		n++;
	memcpy(buf, p, n);
	buf[n] = '\0';
}

int scn_verror(const struct scn *s, struct scn_diag *d, struct scn_pos at, const char *fmt,
               va_list ap)
{
	size_t used = 0;
	int n;

	if (!d)
		return -1;
	const char *file = s && s->file ? s->file : "(scenario)";
	if (at.line > 0)
		n = snprintf(d->msg, sizeof d->msg, "%s:%d:%d: ", file, at.line, at.col);
	else
		n = snprintf(d->msg, sizeof d->msg, "%s: ", file);
	used = n < 0 ? 0 : (size_t)n;
	if (used < sizeof d->msg)
		vsnprintf(d->msg + used, sizeof d->msg - used, fmt, ap);
	line_text(s, at.line, d->text, sizeof d->text);
	d->col = at.line > 0 ? at.col : 0;
	return -1;
}

int scn_error(const struct scn *s, struct scn_diag *d, struct scn_pos at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_verror(s, d, at, fmt, ap);
	va_end(ap);
	return -1;
}

void scn_diag_print(FILE *f, const struct scn_diag *d)
{
	fprintf(f, "%s\n", d->msg);
	if (d->text[0] == '\0' || d->col < 1)
		return;
	fprintf(f, "%s\n", d->text);
	/* Keep tabs so the caret lines up whatever the tab width. */
	size_t tl = strlen(d->text);
	for (int i = 0; i < d->col - 1; i++)
		fputc((size_t)i < tl && d->text[i] == '\t' ? '\t' : ' ', f);
	fputs("^\n", f);
}
