/*
 * The SVG ladder (`v6lab ladder -o FILE.svg`): a standalone document, the
 * same bytes for the same ladder. Column names on top over dashed
 * lifelines (<line class="life">); each frame one row: its time on the
 * left, one <line class="arrow"> from the sender's lifeline to the
 * receiver's with an arrowhead <marker>, its summary on the right. A
 * multicast or broadcast frame is one line to the farthest receiver on
 * each side (arrowheads at both ends when it goes both ways) with a dot
 * (<circle class="fan">) on the sender's and every receiver's lifeline; a
 * lost frame is red and dashed and ends in a cross. Text is escaped for
 * XML; bytes outside printable ASCII become '?'.
 */
#include "ladder.h"

#include <string.h>

#define CHAR_W 8        /* px per character of 12px monospace, rounded up */
#define TIME_W 100      /* the time column */
#define COL_MIN 130
#define TOP 44          /* first lifeline pixel below the names */
#define ROW_H 24
#define LABEL_GAP 16

struct svg_geom {
	unsigned colw, label_x, width, height;
};

static unsigned col_x(const struct svg_geom *g, size_t col)
{
	return TIME_W + (unsigned)col * g->colw + g->colw / 2;
}

static unsigned row_y(size_t i) { return TOP + ROW_H * (unsigned)(i + 1); }

static void geometry(const struct ladder *l, struct svg_geom *g)
{
	size_t longest = 0;

	g->colw = COL_MIN;
	for (size_t i = 0; i < l->ncols; i++)
		if (strlen(l->cols[i]) * CHAR_W + 20 > g->colw)
			g->colw = (unsigned)strlen(l->cols[i]) * CHAR_W + 20;
	for (size_t i = 0; i < l->narrows; i++)
		if (strlen(l->arrows[i].label) > longest)
			longest = strlen(l->arrows[i].label);
	g->label_x = TIME_W + (unsigned)l->ncols * g->colw + LABEL_GAP;
	g->width = g->label_x + (unsigned)longest * CHAR_W + LABEL_GAP;
	g->height = row_y(l->narrows) + ROW_H / 2;
}

/* XML text: & < > " ' escaped, anything but printable ASCII as '?'. */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(c >= 0x20 && c < 0x7f ? c : '?', f);
		}
	}
}

static void prologue(const struct svg_geom *g, bool xml_decl, FILE *f)
{
	if (xml_decl)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f,
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" "
	        "viewBox=\"0 0 %u %u\" font-family=\"monospace\" font-size=\"12\">\n",
	        g->width, g->height, g->width, g->height);
	fputs("<title>v6lab ladder diagram</title>\n"
	      "<style>\n"
	      ".node{font-weight:bold}\n"
	      ".life{stroke:#9e9e9e;stroke-dasharray:4 3}\n"
	      ".arrow{stroke:#000;stroke-width:1.2}\n"
	      ".mcast{stroke:#1565c0}\n"
	      ".lost{stroke:#c62828;stroke-dasharray:6 3}\n"
	      ".fan{fill:#1565c0}\n"
	      ".time{fill:#555}\n"
	      "</style>\n"
	      "<defs>\n"
	      "<marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
	      "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/>"
	      "</marker>\n"
	      "<marker id=\"cross\" viewBox=\"0 0 10 10\" refX=\"5\" refY=\"5\" markerWidth=\"8\" "
	      "markerHeight=\"8\"><path d=\"M0,0 L10,10 M0,10 L10,0\" stroke=\"#c62828\" "
	      "stroke-width=\"2\"/></marker>\n"
	      "</defs>\n"
	      "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n", f);
}

static void columns(const struct ladder *l, const struct svg_geom *g, FILE *f)
{
	for (size_t i = 0; i < l->ncols; i++) {
		unsigned x = col_x(g, i);
		fprintf(f, "<text class=\"node\" x=\"%u\" y=\"%u\" text-anchor=\"middle\">", x,
		        TOP - 14);
		put_escaped(f, l->cols[i]);
		fprintf(f, "</text>\n<line class=\"life\" x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\"/>\n",
		        x, TOP - 8, x, g->height - 4);
	}
}

/* The line's ends: the farthest receiver on each side (or the sender). */
static void arrow_ends(const struct ladder_arrow *a, size_t *lo, size_t *hi)
{
	*lo = *hi = a->from;
	if (a->nto && a->to[0] < *lo)
		*lo = a->to[0];
	if (a->nto && a->to[a->nto - 1] > *hi)
		*hi = a->to[a->nto - 1];
}

static void fans(const struct ladder_arrow *a, const struct svg_geom *g, unsigned y, FILE *f)
{
	fprintf(f, "<circle class=\"fan\" cx=\"%u\" cy=\"%u\" r=\"4\"/>\n", col_x(g, a->from), y);
	for (size_t i = 0; i < a->nto; i++)
		fprintf(f, "<circle class=\"fan\" cx=\"%u\" cy=\"%u\" r=\"2.5\"/>\n", col_x(g, a->to[i]),
		        y);
}

static void arrow_line(const struct ladder_arrow *a, const struct svg_geom *g, unsigned y,
                       FILE *f)
{
	size_t lo, hi;
	const char *head = a->lost ? "url(#cross)" : "url(#head)";

	arrow_ends(a, &lo, &hi);
	/* Drawn from the sender's side so marker-end is the receiver's. */
	bool left = lo < a->from;
	size_t x1 = left && hi == a->from ? a->from : lo, x2 = x1 == lo ? hi : lo;
	fprintf(f, "<line class=\"arrow%s%s\" x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\"",
	        a->multicast ? " mcast" : "", a->lost ? " lost" : "", col_x(g, x1), y, col_x(g, x2),
	        y);
	if (x1 != a->from)
		fprintf(f, " marker-start=\"%s\"", head);
	if (x2 != a->from)
		fprintf(f, " marker-end=\"%s\"", head);
	fputs("/>\n", f);
}

static void row(const struct ladder_arrow *a, size_t i, const struct svg_geom *g, FILE *f)
{
	char t[32];
	unsigned y = row_y(i);

	ladder_format_time(a->time, t, sizeof t);
	fprintf(f, "<text class=\"time\" x=\"%u\" y=\"%u\" text-anchor=\"end\">%s</text>\n",
	        TIME_W - 12, y + 4, t);
	if (a->nto)
		arrow_line(a, g, y, f);
	if (a->multicast || !a->nto)
		fans(a, g, y, f);
	fprintf(f, "<text class=\"label\" x=\"%u\" y=\"%u\">", g->label_x, y + 4);
	put_escaped(f, a->label);
	fputs("</text>\n", f);
}

static int write_svg(const struct ladder *l, bool xml_decl, FILE *f)
{
	struct svg_geom g;

	geometry(l, &g);
	prologue(&g, xml_decl, f);
	columns(l, &g, f);
	for (size_t i = 0; i < l->narrows; i++)
		row(&l->arrows[i], i, &g, f);
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}

int ladder_write_svg(const struct ladder *l, FILE *f) { return write_svg(l, true, f); }

int ladder_write_svg_element(const struct ladder *l, FILE *f) { return write_svg(l, false, f); }
