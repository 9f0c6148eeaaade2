/*
 * Goals from a scenario run: each `goal` line's expectations (v6lab.1,
 * GOALS) are settled by the runner's verdict hook; a goal is met when all
 * of them held. Expectations before the first goal line make an implicit
 * first goal, that the lab's network comes up.
 */
#include "lab_int.h"

#include <stdlib.h>
#include <string.h>

bool lab_goals_add(struct lab_goals *g, const char *text, const char *hint, bool met)
{
	struct lab_goal *v = realloc(g->v, (g->n + 1) * sizeof *v);

	if (!v)
		return false;
	g->v = v;
	v[g->n] = (struct lab_goal){ strdup(text), strdup(hint), met };
	if (!v[g->n].text || !v[g->n].hint) {
		free(v[g->n].text);
		free(v[g->n].hint);
		return false;
	}
	g->n++;
	return true;
}

void lab_goals_free(struct lab_goals *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].text);
		free(g->v[i].hint);
	}
	free(g->v);
	g->v = NULL;
	g->n = 0;
}

/* failed[0] is the implicit goal, failed[1 + i] the scenario's goal i. */
struct goal_tally {
	bool *failed;
	size_t n;
};

static void tally_verdict(void *user, const struct scn_expect *e, bool held,
                          const char *seen_instead)
{
	struct goal_tally *t = user;
	size_t slot = e->goal < 0 ? 0 : (size_t)e->goal + 1;

	(void)seen_instead;
	if (!held && slot < t->n)
		t->failed[slot] = true;
}

/* The implicit goal's hint names the student's work directory: the
 * transcript to read is the one of their files, not the starting ones. */
static bool add_scenario_goals(const struct scn *s, int num, const char *work,
                               const struct goal_tally *t, struct lab_goals *g)
{
	char hint[PATH_MAX + 64];
	bool implicit = false;

	for (size_t i = 0; i < s->nexpects; i++)
		implicit |= s->expects[i].goal < 0;
	snprintf(hint, sizeof hint, "run `v6lab lab run %d%s%s` and read the transcript", num,
	         work ? " --dir " : "", work ? work : "");
	if (implicit && !lab_goals_add(g, "the lab's network comes up", hint, !t->failed[0]))
		return false;
	for (size_t i = 0; i < s->ngoals; i++)
		if (!lab_goals_add(g, s->goals[i].text, s->goals[i].hint, !t->failed[i + 1]))
			return false;
	return true;
}

int lab_run_goals(struct scn *s, int num, const char *work, struct lab_goals *g,
                  struct scn_diag *d)
{
	struct goal_tally t = { calloc(s->ngoals + 1, sizeof(bool)), s->ngoals + 1 };
	FILE *sink = fopen("/dev/null", "w"); /* the transcript: check prints goals only */

	if (!t.failed || !sink) {
		free(t.failed);
		if (sink)
			fclose(sink);
		snprintf(d->msg, sizeof d->msg, "%s: out of memory", s->file);
		return SCN_EXIT_INVALID;
	}
	struct scn_run_opts o = { .quiet = true, .out = sink, .verdict_hook = tally_verdict,
		                  .verdict_hook_user = &t };
	int rc = scn_run(s, &o, d);
	fclose(sink);
	if (rc != SCN_EXIT_INVALID && !add_scenario_goals(s, num, work, &t, g)) {
		snprintf(d->msg, sizeof d->msg, "%s: out of memory", s->file);
		rc = SCN_EXIT_INVALID;
	}
	free(t.failed);
	return rc;
}
