/*
 * The ASCII ladder (`v6lab ladder --text`): a header with the column
 * names over `|` lifelines, then one line per frame:
 *
 *       time         k7          gw
 *                     |           |
 *   5.000000          o---------->|  IP6 fd00::18 > ff02::1:ff00:1: ICMP6, ...
 *   5.001000          |<----------|  IP6 fd00::1 > fd00::18: ICMP6, ...
 *
 * Columns are COLW wide (wider for long names), the time right-aligned.
 * A unicast arrow runs from the sender's lifeline to the receiver's with
 * `>` or `<` next to it; a multicast or broadcast frame is one arrow to
 * the farthest receiver on each side, `o` on the sender's lifeline and `+`
 * where it crosses another receiver's; a lost frame ends in `x`. A frame
 * nobody receives shows `*` on its sender's lifeline.
 */
#include "ladder.h"

#include <stdlib.h>
#include <string.h>

#define COLW 12        /* minimum column width */
#define TIME_HEAD "time"

struct grid {
	size_t colw, timew;
	size_t width;               /* a frame's row: up to the last lifeline */
	size_t full;                /* the header's: every column whole */
	char *row;                  /* full + 1 bytes */
};

static size_t center(const struct grid *g, size_t col) { return col * g->colw + g->colw / 2; }

static void lifelines(struct grid *g, size_t ncols)
{
	memset(g->row, ' ', g->width);
	g->row[g->width] = '\0';
	for (size_t i = 0; i < ncols; i++)
		g->row[center(g, i)] = '|';
}

/* '-' strictly between the lifelines of columns a < b. */
static void shaft(struct grid *g, size_t a, size_t b)
{
	for (size_t x = center(g, a) + 1; x < center(g, b); x++)
		g->row[x] = '-';
}

static void draw_unicast(struct grid *g, const struct ladder_arrow *a)
{
	size_t to = a->to[0];
	char head = a->lost ? 'x' : 0;

	if (to > a->from) {
		shaft(g, a->from, to);
		g->row[center(g, to) - 1] = head ? head : '>';
	} else if (to < a->from) {
		shaft(g, to, a->from);
		g->row[center(g, to) + 1] = head ? head : '<';
	}
}

static void draw_multicast(struct grid *g, const struct ladder_arrow *a)
{
	size_t lo = a->to[0], hi = a->to[a->nto - 1];

	if (lo < a->from) {
		shaft(g, lo, a->from);
		g->row[center(g, lo) + 1] = a->lost ? 'x' : '<';
	}
	if (hi > a->from) {
		shaft(g, a->from, hi);
		g->row[center(g, hi) - 1] = a->lost ? 'x' : '>';
	}
	for (size_t i = 0; i < a->nto; i++)
		if (a->to[i] != lo && a->to[i] != hi)
			g->row[center(g, a->to[i])] = '+';
	g->row[center(g, a->from)] = 'o';
}

static void draw_arrow(struct grid *g, size_t ncols, const struct ladder_arrow *a)
{
	lifelines(g, ncols);
	if (a->nto == 0)
		g->row[center(g, a->from)] = '*';
	else if (a->multicast)
		draw_multicast(g, a);
	else
		draw_unicast(g, a);
}

static void sizes(const struct ladder *l, struct grid *g)
{
	char t[32];

	g->colw = COLW;
	for (size_t i = 0; i < l->ncols; i++)
		if (strlen(l->cols[i]) + 2 > g->colw)
			g->colw = strlen(l->cols[i]) + 2;
	g->timew = strlen(TIME_HEAD);
	for (size_t i = 0; i < l->narrows; i++) {
		ladder_format_time(l->arrows[i].time, t, sizeof t);
		if (strlen(t) > g->timew)
			g->timew = strlen(t);
	}
	/* Up to the last lifeline: the label follows it. */
	g->width = l->ncols ? center(g, l->ncols - 1) + 1 : 0;
	g->full = l->ncols * g->colw;
}

/* Trailing blanks cut, then a newline. */
static void put_trimmed(FILE *f, const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	fprintf(f, "%.*s\n", (int)n, s);
}

static void header(const struct ladder *l, struct grid *g, FILE *f)
{
	memset(g->row, ' ', g->full);
	g->row[g->full] = '\0';
	for (size_t i = 0; i < l->ncols; i++) {
		size_t len = strlen(l->cols[i]);
		memcpy(g->row + center(g, i) - len / 2, l->cols[i], len);
	}
	fprintf(f, "%*s  ", (int)g->timew, TIME_HEAD);
	put_trimmed(f, g->row);
	lifelines(g, l->ncols);
	fprintf(f, "%*s  ", (int)g->timew, "");
	put_trimmed(f, g->row);
}

int ladder_write_text(const struct ladder *l, FILE *f)
{
	struct grid g;
	char t[32];

	sizes(l, &g);
	g.row = malloc(g.full + 1);
	if (!g.row)
		return -1;
	header(l, &g, f);
	for (size_t i = 0; i < l->narrows; i++) {
		const struct ladder_arrow *a = &l->arrows[i];
		ladder_format_time(a->time, t, sizeof t);
		draw_arrow(&g, l->ncols, a);
		fprintf(f, "%*s  %s  %s\n", (int)g.timew, t, g.row, a->label);
	}
	free(g.row);
	return ferror(f) ? -1 : 0;
}
