/*
 * `v6lab lab check N [--dir WORK]`: the lab's goals, met or not. The
 * scenario's goals come from a quiet run of lab.scn with WORK's files;
 * the written answers' from WORK/answers.txt against answers.check. The
 * hint is printed for the first goal not met only: one thing to fix at a
 * time.
 */
#include "lab_int.h"

#include "../scenario/scn_int.h" /* scn_read_file */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int scenario_goals(const struct lab *l, const char *work, struct lab_goals *g)
{
	bool none;
	struct scn_diag d = { .msg = "" };
	struct scn *s = lab_load(l, work, stdout, &none);

	if (none)
		return LAB_EXIT_OK;
	if (!s)
		return LAB_EXIT_ERROR;
	int rc = lab_run_goals(s, l->num, work, g, &d);
	if (rc == SCN_EXIT_INVALID)
		scn_diag_print(stderr, &d);
	scn_free(s);
	return rc == SCN_EXIT_INVALID ? LAB_EXIT_ERROR : LAB_EXIT_OK;
}

static char *read_or_complain(const char *path)
{
	char *data;
	size_t len;
	int err = scn_read_file(path, &data, &len);

	if (err) {
		fprintf(stderr, "v6lab lab: %s: %s\n", path,
		        err == EFBIG ? "file too large" : strerror(err));
		return NULL;
	}
	return data;
}

/* WORK/answers.txt, else the lab's template files/answers.txt. */
static bool answers_file(const struct lab *l, const char *work, char *path, size_t cap)
{
	if (work && lab_path(path, cap, work, "answers.txt") && lab_is_file(path)) {
		printf("using %s for the answers\n", path);
		return true;
	}
	char files[PATH_MAX];
	return lab_path(files, sizeof files, l->dir, "files") &&
	       lab_path(path, cap, files, "answers.txt");
}

static int answer_goals(const struct lab *l, const char *work, struct lab_goals *g)
{
	char cpath[PATH_MAX], apath[PATH_MAX], err[PATH_MAX + 256] = "";
	struct lab_checks c = { 0 };
	struct lab_answers a = { 0 };
	char *ctext = NULL, *atext = NULL;
	int rc = LAB_EXIT_ERROR;

	if (!lab_path(cpath, sizeof cpath, l->dir, "answers.check") || !lab_is_file(cpath))
		return LAB_EXIT_OK;
	if (!answers_file(l, work, apath, sizeof apath))
		return LAB_EXIT_ERROR;
	if ((ctext = read_or_complain(cpath)) && (atext = read_or_complain(apath))) {
		if (lab_checks_parse(cpath, ctext, &c, err, sizeof err) < 0 ||
		    lab_answers_parse(apath, atext, &a, err, sizeof err) < 0 ||
		    lab_answers_known(apath, &a, &c, err, sizeof err) < 0)
			fprintf(stderr, "%s\n", err);
		else if (!lab_answers_goals(&a, &c, g))
			fprintf(stderr, "v6lab lab: out of memory\n");
		else
			rc = LAB_EXIT_OK;
	}
	lab_checks_free(&c);
	lab_answers_free(&a);
	free(ctext);
	free(atext);
	return rc;
}

static int print_goals(const struct lab_goals *g, FILE *out)
{
	size_t met = 0;
	bool hinted = false;

	for (size_t i = 0; i < g->n; i++) {
		const struct lab_goal *x = &g->v[i];
		fprintf(out, "%-10s%zu. %s\n", x->met ? "[met]" : "[not met]", i + 1, x->text);
		if (!x->met && !hinted) {
			fprintf(out, "          hint: %s\n", x->hint);
			hinted = true;
		}
		met += x->met;
	}
	fprintf(out, "%zu of %zu goals met\n", met, g->n);
	return met == g->n ? LAB_EXIT_OK : LAB_EXIT_UNMET;
}

int lab_check(const struct lab *l, const char *work)
{
	struct lab_goals g = { 0 };
	int rc;

	printf("lab %d \xe2\x80\x94 %s\n", l->num, l->title);
	fflush(stdout);
	rc = scenario_goals(l, work, &g);
	if (rc == LAB_EXIT_OK)
		rc = answer_goals(l, work, &g);
	if (rc == LAB_EXIT_OK && g.n == 0) {
		fprintf(stderr, "v6lab lab: lab %d has nothing to check (no lab.scn, no "
		        "answers.check in %s)\n", l->num, l->dir);
		rc = LAB_EXIT_ERROR;
	}
	if (rc == LAB_EXIT_OK)
		rc = print_goals(&g, stdout);
	lab_goals_free(&g);
	return rc;
}
