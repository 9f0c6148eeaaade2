/*
 * `v6lab lab run N [--dir WORK] [--out DIR] [--step | --html FILE]`:
 * `v6lab run` of the lab's lab.scn with the student's files, captures in
 * out/labNN/; --step and --html hand the same run to the step view and
 * the report page, so a student steps through their own configuration.
 * `--ladder` draws that run as `v6lab ladder` draws a scenario.
 */
#include "lab_int.h"

#include "ladder.h"

#include "../report/report.h"
#include "../scenario/out_path.h"
#include "../step/step.h"

#include <string.h>

struct scn *lab_load(const struct lab *l, const char *work, FILE *out, bool *none)
{
	char path[PATH_MAX];
	struct scn_diag d = { .msg = "" };
	struct scn *s;

	*none = false;
	if (!lab_path(path, sizeof path, l->dir, "lab.scn") || !lab_is_file(path)) {
		*none = true;
		return NULL;
	}
	if (!(s = scn_parse_file(path, &d))) {
		scn_diag_print(stderr, &d);
		return NULL;
	}
	if (lab_override_files(s, l, work, out) < 0) {
		scn_free(s);
		return NULL;
	}
	if (scn_validate(s, &d) < 0) {
		scn_diag_print(stderr, &d);
		scn_free(s);
		return NULL;
	}
	return s;
}

/* scenarios/ and captures/ are inputs, as for `v6lab run`. */
static bool refused(const char *path, const char *what)
{
	if (!path || !out_path_forbidden(path))
		return false;
	fprintf(stderr, "v6lab lab: will not write %s into '%s' (scenarios/ and captures/ are "
	        "inputs)\n", what, path);
	return true;
}

/* The captures' directory, made; NULL with a message when it cannot be. */
static const char *captures_dir(const struct lab *l, const char *out_dir, char *buf, size_t cap)
{
	snprintf(buf, cap, "out/lab%02d", l->num);
	if (!out_dir)
		out_dir = buf;
	if (refused(out_dir, "captures"))
		return NULL;
	int err = out_path_mkdir(out_dir);
	if (err) {
		fprintf(stderr, "v6lab lab: %s: %s\n", out_dir, strerror(err));
		return NULL;
	}
	return out_dir;
}

/* The ladder of the student's run: the diagram on stdout or in -o's
 * file, a failed expectation on stderr; exit status as `v6lab ladder`. */
static int run_ladder(struct scn *s, const struct ladder_args *a)
{
	struct scn_diag d = { .msg = "" };
	struct ladder *lad = NULL;

	int rc = ladder_collect(s, &a->o, &lad, &d);
	if (rc == SCN_EXIT_INVALID)
		scn_diag_print(stderr, &d);
	else if (ladder_draw(lad, a) < 0)
		rc = LAB_EXIT_ERROR;
	ladder_free(lad);
	return rc;
}

/* The run with its transcript (or step by step, or with the report). */
static int run_shown(const struct lab *l, struct scn *s, const struct lab_run_opts *ro)
{
	char dflt[64];
	struct scn_diag d = { .msg = "" };

	const char *out_dir = captures_dir(l, ro->out_dir, dflt, sizeof dflt);
	if (!out_dir)
		return LAB_EXIT_ERROR;
	fflush(stdout); /* the "using" lines before anything the step view writes */
	struct scn_run_opts o = { .out = stdout, .out_dir = out_dir };
	int rc = ro->step ? step_run(s, &o, &d)
	         : ro->html ? report_run(s, &o, ro->html, &d) : scn_run(s, &o, &d);
	if (rc == SCN_EXIT_INVALID)
		scn_diag_print(stderr, &d);
	else if (!ro->step) /* after `q` there is no whole run to point at */
		printf("captures: %s/LINK.pcap, one per link\n", out_dir);
	fflush(stdout);
	return rc;
}

int lab_run(const struct lab *l, const char *work, const struct lab_run_opts *ro)
{
	bool none;

	if (refused(ro->html, "a report"))
		return LAB_EXIT_ERROR;
	/* With --ladder, stdout is the diagram alone. */
	struct scn *s = lab_load(l, work, ro->ladder ? stderr : stdout, &none);
	if (none) {
		fprintf(stderr, "v6lab lab: lab %d has no scenario: its exercises are calculations, "
		        "done with `v6lab addr` (see `v6lab addr --help` and `v6lab lab show %d`)\n",
		        l->num, l->num);
		return LAB_EXIT_ERROR;
	}
	if (!s)
		return LAB_EXIT_ERROR;
	int rc = ro->ladder ? run_ladder(s, ro->ladder) : run_shown(l, s, ro);
	scn_free(s);
	return rc;
}
