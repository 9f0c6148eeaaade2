/*
 * After the run: the transcript (each command with the seed's prompt,
 * `[~] root@k7>ping6 ...` or, for a node line with `user edwin`,
 * `[~] edwin@freefall>telnet ...`, then its output, in time order) and one
 * verdict line per expectation, with what was seen instead when it failed.
 * Nothing here reads a clock: times are virtual, counted from `start`.
 */
#include "expect.h"
#include "../trace/trace.h"

#include <stdlib.h>
#include <string.h>

/* The prompt's user: the node's `user` option, else root. */
static const char *prompt_user(const struct scn *s, const char *node)
{
	const struct scn_node *n = s ? scn_find_node(s, node) : NULL;

	return n && n->user[0] ? n->user : "root";
}

void scn_print_transcript(const struct scn *s, const struct sim *sim, FILE *out)
{
	for (size_t i = 0; i < sim->out.n; i++) {
		const struct sim_line *l = &sim->out.lines[i];
		const char *node = l->node < sim->nnodes ? sim->nodes[l->node]->name : "?";
		if (l->is_command)
			fprintf(out, "[~] %s@%s>%s\n", prompt_user(s, node), node, l->text);
		else
			fprintf(out, "%s\n", l->text);
	}
}

static void print_time(FILE *out, sim_time t)
{
	fprintf(out, "%llu.%06llus", (unsigned long long)(t / SIM_S),
	        (unsigned long long)(t % SIM_S / SIM_US));
}

static void print_frame(FILE *out, const struct xp_frame *f, int dlt)
{
	char line[400];

	trace_format_snap(line, sizeof line, dlt, f->data, f->caplen, f->len, false);
	fputs("    ", out);
	print_time(out, f->time);
	fprintf(out, " %s\n", line);
}

static void window(FILE *out, const struct scn_expect *e)
{
	fputs("between ", out);
	print_time(out, e->start);
	fputs(" and ", out);
	print_time(out, e->start + e->duration);
}

static bool line_fits(const struct scn_expect *e, const char *text)
{
	if (e->kind == EXP_SAYS)
		return strstr(text, e->text) != NULL;
	return regexec(&e->regex, text, 0, NULL, 0) == 0;
}

/* Output expectations are settled from the transcript. */
static bool output_held(const struct xp_state *st, FILE *out, bool print)
{
	const struct scn_expect *e = st->e;
	const struct sim_output *o = &st->sim->out;
	size_t last[3], nlast = 0;

	for (size_t i = 0; st->node && i < o->n; i++) {
		const struct sim_line *l = &o->lines[i];
		if (l->node != st->node->id || l->is_command || l->time < e->start ||
		    l->time > e->start + e->duration)
			continue;
		if (line_fits(e, l->text))
			return true;
		last[nlast++ % 3] = i;
	}
	if (!print)
		return false;
	if (nlast == 0) {
		fprintf(out, "no output from %s ", e->node);
		window(out, e);
		fputc('\n', out);
		return false;
	}
	fprintf(out, "%zu line%s of output from %s ", nlast, nlast == 1 ? "" : "s", e->node);
	window(out, e);
	fputs(", the last:\n", out);
	for (size_t k = nlast > 3 ? nlast - 3 : 0; k < nlast; k++) {
		const struct sim_line *l = &o->lines[last[k % 3]];
		fputs("    ", out);
		print_time(out, l->time);
		fprintf(out, " %s\n", l->text);
	}
	return false;
}

static void packet_seen(const struct xp_state *st, FILE *out)
{
	const struct scn_expect *e = st->e;

	if (e->kind == EXP_NO_PACKET) {
		fprintf(out, "%u matching packet%s on %s, the first:\n", st->seen,
		        st->seen == 1 ? "" : "s", e->link);
		print_frame(out, &st->first_match, st->dlt);
		return;
	}
	fprintf(out, "%u matching packet%s (%u wanted); ", st->seen, st->seen == 1 ? "" : "s",
	        e->count);
	if (st->nrecent == 0) {
		fprintf(out, "no packets on %s ", e->link);
		window(out, e);
		fputc('\n', out);
		return;
	}
	fprintf(out, "%u packet%s on %s in the window, the last:\n", st->nrecent,
	        st->nrecent == 1 ? "" : "s", e->link);
	uint32_t k = st->nrecent > XP_RECENT ? st->nrecent - XP_RECENT : 0;
	for (; k < st->nrecent; k++)
		print_frame(out, &st->recent[k % XP_RECENT], st->dlt);
}

static bool held(const struct xp_state *st)
{
	switch (st->e->kind) {
	case EXP_SAYS:
	case EXP_MATCHES:
		return output_held(st, NULL, false);
	case EXP_NO_PACKET:
		return st->seen == 0;
	default:
		return st->held;
	}
}

/* What was seen instead of a failed expectation, as printed after
 * "seen instead: ". */
static void seen_instead(const struct xp_state *st, FILE *out)
{
	const struct scn_expect *e = st->e;

	if (e->kind == EXP_SAYS || e->kind == EXP_MATCHES)
		output_held(st, out, true);
	else if (e->kind == EXP_PACKET || e->kind == EXP_NO_PACKET)
		packet_seen(st, out);
	else
		fprintf(out, "%s of %s: %s\n", e->kind == EXP_ROUTE ? "routes" : "addresses",
		        e->node, st->desc[0] ? st->desc : "not checked (the window never opened)");
}

size_t xp_verdicts(struct xp_set *x, const struct scn *s, FILE *out,
                   const struct scn_run_opts *o)
{
	size_t failed = 0;

	for (size_t i = 0; i < x->n; i++) {
		const struct xp_state *st = &x->xs[i];
		const struct scn_expect *e = st->e;
		if (held(st)) {
			if (!o->quiet)
				fprintf(out, "PASS %s:%d: %s\n", s->file, e->line, e->text_src);
			if (o->verdict_hook)
				o->verdict_hook(o->verdict_hook_user, e, true, NULL);
			continue;
		}
		failed++;
		char *text = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);
		seen_instead(st, mem ? mem : out);
		if (mem)
			fclose(mem);
		fprintf(out, "FAIL %s:%d: %s \xe2\x80\x94 seen instead: %s", s->file, e->line,
		        e->text_src, text ? text : "");
		if (o->verdict_hook)
			o->verdict_hook(o->verdict_hook_user, e, false, text ? text : "");
		free(text);
	}
	return failed;
}
