/*
 * The shell's own commands (help, node, nodes, wait, sleep, time, date,
 * tcpdump, ^C, quit) and the dispatch of a line: a node's name alone
 * switches to it, `NODE# command` runs on NODE, anything else goes to the
 * current node's command interpreter, which prints its own errors
 * (`ping7: Command not found.`).
 */
#include "shell_int.h"

#include <string.h>

static const char shell_help[] =
	"Every line runs on the current node, as at its prompt, except:\n"
	"  NODE  or  node NAME     make NAME the current node\n"
	"  NODE# COMMAND           run COMMAND on NODE and make it current\n"
	"  nodes                   the nodes, their interfaces and links\n"
	"  wait DURATION           let virtual time pass: 5s, 500ms, 2min\n"
	"  sleep SECONDS           the same, in seconds\n"
	"  wait                    until every running command has finished (at most 60s)\n"
	"  time                    the virtual time and date (date: the date alone)\n"
	"  tcpdump [-ne] [-c N] [-i IFACE] [-w FILE] [EXPRESSION]\n"
	"                          the frames recently seen on IFACE's link, as tcpdump -n\n"
	"                          prints them (-c N: the last N that match EXPRESSION)\n"
	"  ^C                      interrupt the commands running on the current node\n"
	"  help                    this text\n"
	"  quit, exit, EOF         leave the shell\n"
	"A command waits for what it started (ping6 -c 3), up to 60s of virtual time.\n"
	"The scenario's timeline goes on as time passes: its commands are shown with\n"
	"their node's prompt, output of a node that is not the one speaking as [NODE].\n";

const struct scn_node *shell_find_node(struct shell *sh, const char *name)
{
	const struct scn_node *n = scn_find_node(sh->s, name);
	if (n)
		return n;
	fprintf(sh->out, "%s: no such node; the nodes:", name);
	for (size_t i = 0; i < sh->s->nnodes; i++)
		fprintf(sh->out, " %s", sh->s->nodes[i].name);
	fputc('\n', sh->out);
	return NULL;
}

/* The scenario's name for an interface's link (a path link's later hops
 * are "core-8" in the simulation, "core" in the file). */
static const char *link_name(const struct shell *sh, const struct scn_node *n,
                             const struct sim_iface *ifp)
{
	const struct scn_link *k = scn_iface_link(sh->s, n->name, ifp->name);
	return k ? k->name : ifp->link ? ifp->link->name : NULL;
}

void shell_list_nodes(struct shell *sh)
{
	int w = 4;
	for (size_t i = 0; i < sh->s->nnodes; i++)
		if ((int)strlen(sh->s->nodes[i].name) > w)
			w = (int)strlen(sh->s->nodes[i].name);
	for (size_t i = 0; i < sh->s->nnodes; i++) {
		const struct scn_node *n = &sh->s->nodes[i];
		const struct sim_node *sn = sim_node_find(sh->sim, n->name);
		fprintf(sh->out, "  %-*s %-8s", w, n->name, scn_kind_name(n->kind));
		for (int j = 0; sn && j < sn->nifaces; j++) {
			const char *l = link_name(sh, n, sn->ifaces[j]);
			fprintf(sh->out, " %s", sn->ifaces[j]->name);
			if (l)
				fprintf(sh->out, " (%s)", l);
		}
		fputc('\n', sh->out);
	}
}

static void print_time(struct shell *sh, bool with_elapsed)
{
	char when[32], date[64];

	scn_format_duration(sh->sim->now, when, sizeof when);
	shell_format_date(sim_unix_ns(sh->sim), date, sizeof date);
	if (with_elapsed)
		fprintf(sh->out, "virtual time %s: %s\n", when, date);
	else
		fprintf(sh->out, "%s\n", date);
}

/* `wait [DURATION]`, `sleep SECONDS` (a number, as sleep(1) takes). */
static void wait_cmd(struct shell *sh, int n, char **w)
{
	sim_time d;
	bool seconds = strcmp(w[0], "sleep") == 0;

	if (n == 1 && !seconds)
		shell_wait_idle(sh);
	else if (n == 2 && (!seconds || strspn(w[1], "0123456789.") == strlen(w[1])) &&
	         shell_parse_wait(w[1], &d))
		shell_wait(sh, d);
	else if (seconds)
		fprintf(sh->out, "usage: sleep SECONDS\n");
	else
		fprintf(sh->out, "usage: wait [DURATION]   (e.g. 5s, 500ms, 2min)\n");
}

static void node_cmd(struct shell *sh, int n, char **w)
{
	if (n != 2) {
		fprintf(sh->out, "usage: node NAME\n");
		return;
	}
	const struct scn_node *nd = shell_find_node(sh, w[1]);
	if (nd)
		sh->cur = nd;
}

/* Builtins by their first word; false when the word is none of them. */
static bool builtin(struct shell *sh, int n, char **w)
{
	const char *c = w[0];

	if (strcmp(c, "help") == 0 || strcmp(c, "?") == 0)
		fputs(shell_help, sh->out);
	else if (strcmp(c, "quit") == 0 || strcmp(c, "exit") == 0 || strcmp(c, "logout") == 0)
		sh->quit = true;
	else if (strcmp(c, "node") == 0)
		node_cmd(sh, n, w);
	else if (strcmp(c, "nodes") == 0)
		shell_list_nodes(sh);
	else if (strcmp(c, "wait") == 0 || strcmp(c, "sleep") == 0)
		wait_cmd(sh, n, w);
	else if (strcmp(c, "time") == 0 || strcmp(c, "date") == 0)
		print_time(sh, c[0] == 't');
	else if (strcmp(c, "tcpdump") == 0)
		shell_tcpdump(sh, n, w);
	else if (strcmp(c, "^C") == 0)
		shell_interrupt(sh);
	else
		return false;
	return true;
}

void shell_exec(struct shell *sh, const char *line)
{
	char buf[SHELL_LINE_MAX + 1], node[SIM_NAME_MAX + 1];
	char *w[SHELL_WORDS_MAX];
	const char *cmd;

	if (strlen(line) > SHELL_LINE_MAX) {
		fprintf(sh->out, "line too long (more than %d characters)\n", SHELL_LINE_MAX);
		return;
	}
	if (shell_prompt_form(line, node, sizeof node, &cmd)) {
		const struct scn_node *nd = shell_find_node(sh, node);
		if (nd && *cmd) {
			sh->cur = nd;
			shell_exec(sh, cmd);
		} else if (nd) {
			sh->cur = nd;
		}
		return;
	}
	/* An unmatched quote: the node's own shell says so. */
	int n = shell_split(line, buf, w, SHELL_WORDS_MAX);
	if (n == 1 && scn_find_node(sh->s, w[0])) {
		sh->cur = scn_find_node(sh->s, w[0]);
		return;
	}
	if (n > 0 && builtin(sh, n, w))
		return;
	shell_run_on_node(sh, sh->cur, line);
}
