/*
 * Loading a nat6to4.conf for the CLI: read the file, hand the text to the
 * core's parser, and when it refuses, show WHERE like a compiler does:
 *
 *   rompager.conf:3:8: invalid IPv6 prefix '2001:zz::/48'
 *       prefix 2001:zz::/48
 *              ^
 */
#include "cli_commands.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Whole file in memory; the parser wants one buffer. NULL with errno set on failure. */
static char *read_whole_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		char *bigger = realloc(buf, cap * 2);
		if (!bigger) {
			free(buf);
			buf = NULL;
			errno = ENOMEM;
			break;
		}
		buf = bigger;
		cap *= 2;
	}
	int failed = buf && ferror(f);
	int saved = errno;
	fclose(f);
	if (failed) {
		free(buf);
		errno = saved ? saved : EIO;
		return NULL;
	}
	*len = n;
	return buf;
}

/* Where line `lineno` (1-based) starts in text, and its length; -1 if absent. */
static int find_line(const char *text, size_t len, unsigned long lineno, size_t *start,
                     size_t *linelen)
{
	size_t pos = 0;
	for (unsigned long l = 1; l < lineno; l++) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		if (!nl)
			return -1;
		pos = (size_t)(nl - text) + 1;
	}
	if (pos > len || (pos == len && lineno > 1))
		return -1;
	const char *nl = memchr(text + pos, '\n', len - pos);
	*start = pos;
	*linelen = nl ? (size_t)(nl - text) - pos : len - pos;
	if (*linelen && text[pos + *linelen - 1] == '\r')
		(*linelen)--;
	return 0;
}

/*
 * Print the line and a caret under byte column `col` (1-based). Tabs are kept
 * so the caret lines up; other control bytes and non-ASCII print as '?' so
 * one byte stays one column. Very long lines are shown as a window.
 */
static void show_excerpt(FILE *out, const char *line, size_t len, unsigned long col)
{
	enum { BEFORE = 60, WIDTH = 160 };
	size_t at = col ? (size_t)col - 1 : 0;
	size_t from = at > WIDTH - 40 ? at - BEFORE : 0;
	size_t to = len - from > WIDTH ? from + WIDTH : len;
	const char *lead = from ? "..." : "";

	fprintf(out, "    %s", lead);
	for (size_t i = from; i < to; i++) {
		unsigned char c = (unsigned char)line[i];
		fputc(c == '\t' || (c >= 0x20 && c < 0x7f) ? c : '?', out);
	}
	fprintf(out, "%s\n    %s", to < len ? "..." : "", from ? "   " : "");
	for (size_t i = from; i < at && i < len; i++)
		fputc(line[i] == '\t' ? '\t' : ' ', out);
	for (size_t i = len; i < at; i++)
		fputc(' ', out);
	fputs("^\n", out);
}

/* "PATH:LINE:COL: ..." -> LINE and COL; 0 when the message has none. */
static int error_position(const char *err, const char *path, unsigned long *line,
                          unsigned long *col)
{
	size_t plen = strlen(path);
	if (strncmp(err, path, plen) != 0 || err[plen] != ':')
		return 0;
	char *end;
	*line = strtoul(err + plen + 1, &end, 10);
	if (*end != ':')
		return 0;
	*col = strtoul(end + 1, &end, 10);
	return *end == ':' && *line > 0;
}

nat6to4_config *cli_load_config(const char *path, FILE *err)
{
	size_t len = 0;
	char *text = read_whole_file(path, &len);
	if (!text) {
		fprintf(err, "%s: cannot read configuration: %s\n", path, strerror(errno));
		return NULL;
	}
	char msg[512] = "";
	nat6to4_config *cfg = nat6to4_config_parse(text, len, path, NULL, NULL, msg, sizeof msg);
	if (!cfg) {
		unsigned long line = 0, col = 0;
		size_t start, linelen;
		fprintf(err, "%s\n", msg[0] ? msg : "configuration rejected (no message)");
		if (error_position(msg, path, &line, &col) &&
		    find_line(text, len, line, &start, &linelen) == 0 && linelen > 0)
			show_excerpt(err, text + start, linelen, col);
	}
	free(text);
	return cfg;
}
