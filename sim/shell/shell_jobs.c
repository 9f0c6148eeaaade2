/*
 * Which commands a line started, so the prompt waits for those and not
 * for a ping6 the scenario's timeline (or an earlier line) left running.
 * apps.h only counts a node's running commands, so this reads the jobs of
 * sim/apps (apps_int.h): a job is its slot and its ident (the pid), as
 * apps reuses the slots of finished jobs.
 */
#include "shell_int.h"
#include "../apps/apps_int.h"

void shell_jobs_take(const struct sim_node *n, struct shell_jobs *j)
{
	const struct apps_node *an = n ? n->apps : NULL;

	j->n = 0;
	for (size_t i = 0; an && i < an->njobs && j->n < SHELL_JOBS_MAX; i++) {
		if (!an->jobs[i]->active)
			continue;
		j->slot[j->n] = i;
		j->ident[j->n++] = an->jobs[i]->ident;
	}
}

static bool has(const struct shell_jobs *j, size_t slot, uint16_t ident)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->slot[i] == slot && j->ident[i] == ident)
			return true;
	return false;
}

void shell_jobs_new(const struct shell_jobs *before, const struct shell_jobs *after,
                    struct shell_jobs *out)
{
	out->n = 0;
	for (size_t i = 0; i < after->n; i++) {
		if (has(before, after->slot[i], after->ident[i]))
			continue;
		out->slot[out->n] = after->slot[i];
		out->ident[out->n++] = after->ident[i];
	}
}

size_t shell_jobs_running(const struct sim_node *n, const struct shell_jobs *j)
{
	struct shell_jobs now;
	size_t count = 0;

	shell_jobs_take(n, &now);
	for (size_t i = 0; i < j->n; i++)
		count += has(&now, j->slot[i], j->ident[i]);
	return count;
}
