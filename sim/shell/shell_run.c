/*
 * Running a node's command from the prompt and showing what the network
 * printed meanwhile. The transcript store (sim->out) already holds every
 * line; the shell prints the new ones after each step: the scenario's own
 * timeline commands with their node's prompt, output from a node other
 * than the one speaking marked [NODE].
 */
#include "shell_int.h"
#include "../apps/apps.h"

#include <string.h>

void shell_prompt(const struct scn_node *n, char *buf, size_t len)
{
	if (n->user[0] && strcmp(n->user, "root") != 0)
		snprintf(buf, len, "%s%% ", n->name); /* tcsh's prompt for a user */
	else
		snprintf(buf, len, "%s# ", n->name);
}

static uint32_t node_id(const struct shell *sh, const struct scn_node *n)
{
	const struct sim_node *sn = sim_node_find(sh->sim, n->name);
	return sn ? sn->id : UINT32_MAX;
}

static void print_command(struct shell *sh, const char *node, const char *text)
{
	const struct scn_node *sn = scn_find_node(sh->s, node);
	char prompt[SIM_NAME_MAX + 4];

	if (sn)
		shell_prompt(sn, prompt, sizeof prompt);
	else
		snprintf(prompt, sizeof prompt, "%s# ", node);
	fprintf(sh->out, "%s%s\n", prompt, text);
}

void shell_print_new(struct shell *sh, const char *own)
{
	const struct sim_output *o = &sh->sim->out;
	uint32_t speaker = node_id(sh, sh->cur);

	for (bool first = true; sh->printed < o->n; sh->printed++, first = false) {
		const struct sim_line *l = &o->lines[sh->printed];
		const char *name = l->node < sh->sim->nnodes ? sh->sim->nodes[l->node]->name : "?";
		if (l->is_command) {
			speaker = l->node;
			/* The line just typed is on screen already. */
			if (!(first && own && l->node == node_id(sh, sh->cur) && strcmp(l->text, own) == 0))
				print_command(sh, name, l->text);
		} else if (l->node != speaker) {
			fprintf(sh->out, "[%s] %s\n", name, l->text);
		} else {
			fprintf(sh->out, "%s\n", l->text);
		}
	}
	fflush(sh->out);
}

static size_t running(const struct sim_node *n)
{
	return n && n->apps ? apps_running(n) : 0;
}

/* How many of `mine` (NULL: every command of every node) still run. */
static size_t still(const struct shell *sh, const struct sim_node *n,
                    const struct shell_jobs *mine)
{
	size_t count = 0;

	if (mine)
		return shell_jobs_running(n, mine);
	for (size_t i = 0; i < sh->sim->nnodes; i++)
		count += running(sh->sim->nodes[i]);
	return count;
}

/* Step until those commands are done, up to SHELL_CMD_BOUND. */
static bool settle(struct shell *sh, const struct sim_node *n, const struct shell_jobs *mine)
{
	sim_time limit = sh->sim->now + SHELL_CMD_BOUND;

	while (still(sh, n, mine) > 0) {
		if (sh->sim->now >= limit)
			return false;
		scn_session_run_until(sh->ss, sh->sim->now + SHELL_STEP);
		shell_print_new(sh, NULL);
	}
	return true;
}

static void still_running(struct shell *sh)
{
	fprintf(sh->out, "(still running after 60s of virtual time: ^C stops it, wait DURATION "
	                 "lets it go on)\n");
}

void shell_run_on_node(struct shell *sh, const struct scn_node *n, const char *cmd)
{
	struct sim_node *sn = sim_node_find(sh->sim, n->name);
	struct shell_jobs before, after, mine;

	shell_print_new(sh, NULL);
	shell_jobs_take(sn, &before);
	if (scn_session_command(sh->ss, n->name, cmd) < 0) {
		fprintf(sh->out, "%s is a %s: it runs no commands (tcpdump works on its ports)\n",
		        n->name, scn_kind_name(n->kind));
		return;
	}
	shell_print_new(sh, cmd);
	shell_jobs_take(sn, &after);
	shell_jobs_new(&before, &after, &mine);
	if (!settle(sh, sn, &mine))
		still_running(sh);
	fflush(sh->out);
}

void shell_wait(struct shell *sh, sim_time d)
{
	shell_print_new(sh, NULL);
	scn_session_run_until(sh->ss, d > SIM_NEVER - sh->sim->now ? SIM_NEVER - 1 : sh->sim->now + d);
	shell_print_new(sh, NULL);
}

void shell_wait_idle(struct shell *sh)
{
	shell_print_new(sh, NULL);
	if (!settle(sh, NULL, NULL))
		still_running(sh);
}

void shell_interrupt(struct shell *sh)
{
	struct sim_node *sn = sim_node_find(sh->sim, sh->cur->name);

	shell_print_new(sh, NULL);
	if (sn && sn->apps)
		apps_interrupt(sn);
	shell_print_new(sh, NULL);
}
