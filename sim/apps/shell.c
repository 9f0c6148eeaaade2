/*
 * The node's shell: splits a command line into words as sh would (quotes,
 * backslashes), runs `cmd | grep WORD` pipelines, and dispatches the first
 * word to its command. Unknown names get tcsh's message, since the seed's
 * transcripts come from a root tcsh prompt.
 */
#include "apps_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHELL_MAX_LINE 1024
#define SHELL_MAX_ARGS 64

static const struct {
	const char *name;
	apps_cmd_fn fn;
} commands[] = {
	{ "cat", cmd_cat },
	{ "dhcp6c", cmd_dhcp6c },
	{ "dhcp6s", cmd_dhcp6s },
	{ "host", cmd_host },
	{ "httpd", cmd_httpd },
	{ "ifconfig", cmd_ifconfig },
	{ "imap", cmd_imap },
	{ "imapd", cmd_imapd },
	{ "ipfw", cmd_ipfw },
	{ "isp", cmd_isp },
	{ "killall", cmd_killall },
	{ "ldapd", cmd_ldapd },
	{ "ldapsearch", cmd_ldapsearch },
	{ "nat6to4ctl", cmd_nat6to4ctl },
	{ "nat6to4d", cmd_nat6to4d },
	{ "named", cmd_named },
	{ "ndp", cmd_ndp },
	{ "netstat", cmd_netstat },
	{ "ping", cmd_ping },
	{ "ping6", cmd_ping6 },
	{ "pop3", cmd_pop3 },
	{ "pop3d", cmd_pop3d },
	{ "ppp", cmd_ppp },
	{ "pkill", cmd_killall },
	{ "rompager", cmd_rompager },
	{ "route", cmd_route },
	{ "rtadvd", cmd_rtadvd },
	{ "sysctl", cmd_sysctl },
	{ "telnet", cmd_telnet },
};

static void free_hook(struct sim *sim, void *user)
{
	(void)sim;
	apps_node_free(user);
}

void apps_node_init(struct sim_node *n)
{
	if (n->apps)
		return;
	struct apps_node *an = sim_xcalloc(1, sizeof *an);
	an->node = n;
	sim_on_free(n->sim, free_hook, n);
	/* FreeBSD hands out pids from a few hundred after boot; distinct per
	 * node so two hosts' pings do not carry the same echo identifier. */
	an->next_pid = 1000 + (n->id % 4096) * 16;
	n->apps = an;
}

void apps_node_free(struct sim_node *n)
{
	struct apps_node *an = n->apps;
	if (!an)
		return;
	for (size_t i = 0; i < an->njobs; i++) {
		struct ping_job *j = an->jobs[i];
		/* The stack may outlive us (the runner frees apps first). */
		if (j->listening && n->net && j->v6)
			icmp6_unlisten(n, j);
		else if (j->listening && n->net)
			icmp4_unlisten(n, j);
		free(j);
	}
	free(an->jobs);
	free(an);
	n->apps = NULL;
}

size_t apps_running(const struct sim_node *n)
{
	const struct apps_node *an = n->apps;
	size_t count = 0;
	for (size_t i = 0; an && i < an->njobs; i++)
		count += an->jobs[i]->active;
	return count;
}

/* Lines through `| grep WORD` (fixed strings: what the scenarios use). */
static void say_filtered(struct sim_node *n, const struct apps_node *an, char *text)
{
	for (char *line = text; line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		bool hit = strstr(line, an->grep) != NULL;
		if (hit != an->grep_invert)
			sim_say(n, "%s", line);
		line = nl ? nl + 1 : NULL;
	}
}

void apps_say(struct sim_node *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	apps_vsay(n, fmt, ap);
	va_end(ap);
}

void apps_vsay(struct sim_node *n, const char *fmt, va_list ap)
{
	char buf[8192];
	vsnprintf(buf, sizeof buf, fmt, ap);
	const struct apps_node *an = n->apps;
	if (an && an->grep)
		say_filtered(n, an, buf);
	else
		sim_say(n, "%s", buf);
}

/*
 * Words of `line` into argv (pointing into buf). A `|` outside quotes is a
 * word of its own. Returns the count, or -1 for an unmatched quote.
 */
static int split_words(const char *line, char *buf, char **argv, int max)
{
	int argc = 0;
	const char *p = line;
	char *o = buf;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || argc == max)
			return argc;
		argv[argc++] = o;
		if (*p == '|') {
			*o++ = *p++;
			*o++ = '\0';
			continue;
		}
		while (*p && *p != ' ' && *p != '\t' && *p != '|') {
			if (*p == '\'' || *p == '"') {
				char q = *p++;
				while (*p && *p != q) {
					if (q == '"' && *p == '\\' && p[1])
						p++;
					*o++ = *p++;
				}
				if (*p != q)
					return -1;
				p++;
			} else if (*p == '\\' && p[1]) {
				p++;
				*o++ = *p++;
			} else {
				*o++ = *p++;
			}
		}
		*o++ = '\0';
	}
}

static int run_words(struct sim_node *n, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			return commands[i].fn(n, argc, argv);
	sim_say(n, "%s: Command not found.", argv[0]);
	return APPS_EX_NOTFOUND;
}

/* `cmd ARGS | grep [-v] WORD`: the right side as a filter on the left. */
static int run_pipeline(struct sim_node *n, int argc, char **argv, int bar)
{
	char **rhs = argv + bar + 1;
	int rhsc = argc - bar - 1;
	if (bar == 0 || rhsc == 0) {
		sim_say(n, "Invalid null command.");
		return 1;
	}
	if (strcmp(rhs[0], "grep") != 0)
		return run_words(n, rhsc, rhs);
	bool invert = rhsc == 3 && strcmp(rhs[1], "-v") == 0;
	if (rhsc != 2 && !invert) {
		sim_say(n, "usage: grep [-v] pattern");
		return 2;
	}
	struct apps_node *an = n->apps;
	an->grep = rhs[rhsc - 1];
	an->grep_invert = invert;
	argv[bar] = NULL;
	int rc = run_words(n, bar, argv);
	an->grep = NULL;
	an->grep_invert = false;
	return rc;
}

void apps_set_foreground(struct sim_node *n, const struct apps_fg *fg)
{
	if (!n->apps)
		apps_node_init(n);
	if (n->apps)
		n->apps->fg = fg ? *fg : (struct apps_fg){ 0 };
}

/* The line goes to the foreground program when it owns its first word. */
static bool to_foreground(struct sim_node *n, const char *cmdline, int *rc)
{
	struct apps_fg fg = n->apps->fg;
	char word[32];
	size_t skip = strspn(cmdline, " \t"), len = strcspn(cmdline + skip, " \t");
	if (!fg.run)
		return false;
	if (len > 0 && len < sizeof word) {
		memcpy(word, cmdline + skip, len);
		word[len] = '\0';
		if (fg.owns(fg.user, word)) {
			*rc = fg.run(fg.user, cmdline);
			return true;
		}
	}
	if (fg.other)
		fg.other(fg.user);
	return false;
}

int apps_run(struct sim_node *n, const char *cmdline)
{
	char buf[2 * SHELL_MAX_LINE + 2];
	char *argv[SHELL_MAX_ARGS + 1];
	int fg_rc;
	if (!n->apps)
		apps_node_init(n);
	if (n->apps && to_foreground(n, cmdline, &fg_rc))
		return fg_rc;
	sim_say_command(n, cmdline);
	if (!n->apps)
		return 1;
	if (strlen(cmdline) >= SHELL_MAX_LINE) {
		sim_say(n, "Word too long.");
		return 1;
	}
	int argc = split_words(cmdline, buf, argv, SHELL_MAX_ARGS);
	if (argc < 0) {
		sim_say(n, "Unmatched '.");
		return 1;
	}
	if (argc == 0)
		return 0;
	argv[argc] = NULL;
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "|") == 0)
			return run_pipeline(n, argc, argv, i);
	return run_words(n, argc, argv);
}
