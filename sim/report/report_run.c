/*
 * The run behind a report page (report.h): the scenario runs through the
 * session API exactly as scn_run runs it (same output on o->out, same
 * status); a frame tap counts and lists each link's frames and feeds the
 * ladder collector, the verdict hook keeps every expectation's verdict,
 * and before the session closes the transcript is printed once more, into
 * memory, for the page (so it is there with --quiet and without --trace
 * lines). Then the page goes to PATH.tmp, renamed to PATH when complete.
 */
#include "report.h"

#include "../scenario/expect.h"
#include "../scenario/scn_int.h"
#include "../trace/trace.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct report_run {
	const struct scn *s;
	const struct scn_run_opts *o;    /* the caller's hooks, still called */
	struct ladder_collector *ladder;
	struct report_link *links;       /* one per scenario link */
	struct report_verdict *verdicts;
	size_t nverdicts;
};

static struct report_link *link_of(struct report_run *r, const struct sim_link *k)
{
	for (size_t i = 0; i < r->s->nlinks; i++)
		if (strcmp(r->links[i].name, k->name) == 0)
			return &r->links[i];
	return NULL;
}

static void report_tap(void *user, const struct sim_frame_info *f)
{
	struct report_run *r = user;
	char line[LADDER_LABEL_MAX];

	if (r->o->frame_tap)
		r->o->frame_tap(r->o->frame_tap_user, f);
	ladder_collector_tap(r->ladder, f);
	struct report_link *k = link_of(r, f->link);
	if (!k)
		return;
	k->frames++;
	if (k->nlines >= REPORT_LINES_MAX)
		return;
	trace_line(line, sizeof line, f->link->sim, f, trace_link_dlt(f->link));
	k->lines = sim_xrealloc(k->lines, k->nlines + 1, sizeof *k->lines);
	k->lines[k->nlines++] = sim_xstrdup(line);
}

static void report_verdict(void *user, const struct scn_expect *e, bool held,
                           const char *seen_instead)
{
	struct report_run *r = user;

	if (r->o->verdict_hook)
		r->o->verdict_hook(r->o->verdict_hook_user, e, held, seen_instead);
	r->verdicts = sim_xrealloc(r->verdicts, r->nverdicts + 1, sizeof *r->verdicts);
	r->verdicts[r->nverdicts++] = (struct report_verdict){
		.line = e->line, .text = e->text_src, .held = held,
		.seen = held ? NULL : sim_xstrdup(seen_instead ? seen_instead : ""),
	};
}

/* The run itself; the page's transcript in *transcript (malloc'ed). */
static int run(struct report_run *r, struct scn *s, struct scn_diag *d, char **transcript)
{
	struct scn_run_opts ro = *r->o;
	size_t len = 0;

	ro.frame_tap = report_tap;
	ro.frame_tap_user = r;
	ro.verdict_hook = report_verdict;
	ro.verdict_hook_user = r;
	*transcript = NULL;
	struct scn_session *ss = scn_session_open(s, &ro, d);
	if (!ss)
		return SCN_EXIT_INVALID;
	int rc = scn_session_finish(ss);
	FILE *mem = open_memstream(transcript, &len);
	if (mem) {
		scn_print_transcript(s, scn_session_sim(ss), mem);
		fclose(mem);
	}
	scn_session_close(ss);
	return rc;
}

/* A page that cannot be written is an error of the command line's, not
 * of the scenario: no position, the path first. */
static int page_error(struct scn_diag *d, const char *path, const char *why)
{
	snprintf(d->msg, sizeof d->msg, "v6lab: %.400s: %s", path, why);
	d->text[0] = '\0';
	d->col = 0;
	return -1;
}

/* PATH.tmp, opened before the run so that a bad path fails early. */
static FILE *open_page(const char *path, char *tmp, size_t cap, struct scn_diag *d)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		page_error(d, path, strerror(EISDIR));
		return NULL;
	}
	if (snprintf(tmp, cap, "%s.tmp", path) >= (int)cap) {
		page_error(d, path, strerror(ENAMETOOLONG));
		return NULL;
	}
	FILE *f = fopen(tmp, "w");
	if (!f)
		page_error(d, tmp, strerror(errno));
	return f;
}

/* No page after a run that could not start: PATH stays as it was. */
static void discard_page(FILE *f, const char *tmp)
{
	fclose(f);
	unlink(tmp);
}

/* Write the page into f (PATH.tmp) and rename it into place; on failure
 * the .tmp file goes and PATH stays as it was. */
static int write_page(const struct report_page *p, FILE *f, const char *tmp, const char *path,
                      struct scn_diag *d)
{
	int rc = report_write_html(p, f);
	if (fclose(f) != 0 || rc < 0) {
		unlink(tmp);
		return page_error(d, tmp, "write failed");
	}
	if (rename(tmp, path) != 0) {
		int err = errno;
		unlink(tmp);
		return page_error(d, path, strerror(err));
	}
	return 0;
}

static void free_run(struct report_run *r)
{
	for (size_t i = 0; r->links && i < r->s->nlinks; i++) {
		for (size_t j = 0; j < r->links[i].nlines; j++)
			free(r->links[i].lines[j]);
		free(r->links[i].lines);
	}
	for (size_t i = 0; i < r->nverdicts; i++)
		free(r->verdicts[i].seen);
	free(r->links);
	free(r->verdicts);
}

/* The page's model from a finished run. */
static void fill_page(const struct report_run *r, const struct scn_run_opts *o, int rc,
                      struct report_page *p)
{
	p->seed = o->has_seed ? o->seed : r->s->seed;
	p->start_unix_ns = r->s->start_unix_ns;
	p->exit_status = rc;
	p->links = r->links;
	p->nlinks = r->s->nlinks;
	p->verdicts = r->verdicts;
	p->nverdicts = r->nverdicts;
	p->files = r->s->files;
	p->nfiles = r->s->nfiles;
}

int report_run(struct scn *s, const struct scn_run_opts *o, const char *html_path,
               struct scn_diag *d)
{
	struct ladder_opts lo = { .to = SIM_NEVER };
	struct report_run r = { .s = s, .o = o };
	char dir[PATH_MAX], tmp[PATH_MAX], *transcript = NULL;

	if (o->out_dir && !report_relative_dir(html_path, o->out_dir, dir, sizeof dir)) {
		page_error(d, html_path, "path too long");
		return SCN_EXIT_INVALID;
	}
	FILE *f = open_page(html_path, tmp, sizeof tmp, d);
	if (!f)
		return SCN_EXIT_INVALID;
	r.ladder = ladder_collector_begin(s, &lo, d);
	if (!r.ladder) {
		discard_page(f, tmp);
		return SCN_EXIT_INVALID;
	}
	r.links = sim_xcalloc(s->nlinks + 1, sizeof *r.links);
	for (size_t i = 0; i < s->nlinks; i++)
		r.links[i] = (struct report_link){ .name = s->links[i].name,
		                                   .kind = scn_link_kind_name(s->links[i].kind) };
	int rc = run(&r, s, d, &transcript);
	struct ladder *l = ladder_collector_end(r.ladder, rc);
	struct report_page p = { .scenario = s->file, .transcript = transcript, .ladder = l,
	                         .capture_dir = o->out_dir ? dir : NULL };
	fill_page(&r, o, rc, &p);
	if (rc == SCN_EXIT_INVALID)
		discard_page(f, tmp);
	else if (write_page(&p, f, tmp, html_path, d) < 0)
		rc = SCN_EXIT_INVALID;
	ladder_free(l);
	free(transcript);
	free_run(&r);
	return rc;
}
