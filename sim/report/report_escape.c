/*
 * Escaping for the report page (report.h): scenario text, transcripts and
 * packet summaries may hold < & " ' (a filter "ip6[40] < 134", an HTTP
 * body), and capture names become hrefs.
 */
#include "report.h"

#include <string.h>

void report_put_text(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\t': case '\n': fputc(c, f); break;
		default: fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
		}
	}
}

void report_put_str(FILE *f, const char *s)
{
	report_put_text(f, s, strlen(s));
}

static bool url_safe(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

/* Nothing left to escape for HTML: every byte that needs it is %XX. */
void report_put_href(FILE *f, const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (url_safe(*p))
			fputc(*p, f);
		else
			fprintf(f, "%%%02X", *p);
	}
}
