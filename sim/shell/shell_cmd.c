/*
 * `v6lab shell FILE.scn [--seed N] [--at TIME]`: the entry point, its
 * options, the banner and the read loop. Lines come from a terminal (which
 * echoes them) or a pipe (the shell echoes each after its prompt, so a
 * piped session reads like a typed one). Everything the session prints
 * goes to stdout, in order; only a bad command line or scenario goes to
 * stderr.
 */
#include "shell_int.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static const char usage_shell[] =
	"usage: v6lab shell FILE.scn [--seed N] [--at TIME]\n"
	"\n"
	"An interactive prompt on the network of FILE.scn: each line runs on the\n"
	"current node (the first node of the scenario at start) as at its shell;\n"
	"virtual time passes while a command runs and with `wait 5s`, and the\n"
	"scenario's timeline happens as it passes. `help` at the prompt lists the\n"
	"shell's own commands (node, nodes, wait, time, tcpdump, quit).\n"
	"\n"
	"options:\n"
	"  --seed N    use seed N instead of the scenario's `seed` line\n"
	"  --at TIME   run the scenario to TIME first (e.g. 30s) and show its output\n"
	"  --help      print this help\n"
	"\n"
	"exit status: 0 at quit, exit or end of input; 2 invalid scenario or usage\n";

struct shell_args {
	const char *file;
	sim_time at;
	struct scn_run_opts o;
};

static int shell_usage(const char *fmt, const char *arg)
{
	fputs("v6lab shell: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nusage: v6lab shell FILE.scn [--seed N] [--at TIME]\n", stderr);
	return SCN_EXIT_INVALID;
}

/* 0 parsed, 1 help printed, 2 usage error. */
static int parse_shell_args(int argc, char **argv, struct shell_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
			fputs(usage_shell, stdout);
			return 1;
		} else if (strcmp(w, "--seed") == 0 || strcmp(w, "--at") == 0) {
			if (i + 1 >= argc)
				return shell_usage("%s needs a value", w);
			const char *v = argv[++i];
			if (w[2] == 'a' && !scn_parse_duration(v, &a->at))
				return shell_usage("invalid time '%s' (expected e.g. 30s, 1.5s, 250ms)", v);
			if (w[2] == 's' && !scn_parse_u64(v, &a->o.seed))
				return shell_usage("invalid seed '%s' (expected a number)", v);
			a->o.has_seed |= w[2] == 's';
		} else if (w[0] == '-' && w[1] != '\0') {
			return shell_usage("unknown option '%s'", w);
		} else if (a->file) {
			return shell_usage("one scenario file at a time ('%s' is one too many)", w);
		} else {
			a->file = w;
		}
	}
	return a->file ? 0 : shell_usage("%s", "missing scenario file");
}

static void banner(struct shell *sh, const struct shell_args *a)
{
	char when[32], date[64];

	fprintf(sh->out, "v6lab shell on %s (seed %llu)\n", a->file,
	        (unsigned long long)(a->o.has_seed ? a->o.seed : sh->s->seed));
	if (a->at) {
		scn_format_duration(a->at, when, sizeof when);
		fprintf(sh->out, "running the scenario to %s:\n", when);
		scn_session_run_until(sh->ss, a->at);
		shell_print_new(sh, NULL);
	}
	scn_format_duration(sh->sim->now, when, sizeof when);
	shell_format_date(sim_unix_ns(sh->sim), date, sizeof date);
	fprintf(sh->out, "virtual time %s: %s\n", when, date);
	shell_list_nodes(sh);
	fprintf(sh->out, "Lines run on the current node, %s; `help` lists the shell's own "
	                 "commands, `quit` leaves.\n", sh->cur->name);
	fflush(sh->out);
}

/* Ctrl-C at a terminal's prompt is `^C` (stop the node's ping6), not the
 * end of the whole session. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void catch_sigint(void)
{
	struct sigaction sa = { .sa_handler = on_sigint }; /* no SA_RESTART: fgets returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

/* A line into buf: 1 read, 0 end of input, -1 too long (the rest of it
 * is read and dropped), 2 interrupted by Ctrl-C. */
static int read_line(struct shell *sh, char *buf, size_t cap)
{
	if (!fgets(buf, (int)cap, sh->in)) {
		if (!interrupted || errno != EINTR)
			return 0;
		interrupted = 0;
		clearerr(sh->in);
		return 2;
	}
	size_t n = strlen(buf);
	if (n + 1 < cap || buf[n - 1] == '\n' || feof(sh->in))
		return 1;
	for (int c = 0; c != '\n' && c != EOF;)
		c = fgetc(sh->in);
	return -1;
}

static void read_loop(struct shell *sh)
{
	char buf[SHELL_LINE_MAX + 2], prompt[SIM_NAME_MAX + 4];

	while (!sh->quit) {
		shell_prompt(sh->cur, prompt, sizeof prompt);
		if (sh->tty) {
			fputs(prompt, sh->out);
			fflush(sh->out);
		}
		int rc = read_line(sh, buf, sizeof buf);
		if (rc == 0) {
			if (sh->tty)
				fputc('\n', sh->out);
			break;
		}
		if (rc == 2) { /* the terminal echoed ^C */
			fputc('\n', sh->out);
			shell_interrupt(sh);
			continue;
		}
		char *line = shell_trim(buf);
		if (!sh->tty)
			fprintf(sh->out, "%s%s\n", prompt, line);
		if (rc < 0)
			fprintf(sh->out, "line too long (more than %d characters)\n", SHELL_LINE_MAX);
		else if (*line && *line != '#')
			shell_exec(sh, line);
		fflush(sh->out);
	}
}

static int run_shell(struct scn *s, struct shell_args *a)
{
	struct scn_diag d = { .msg = "" };
	struct shell sh = { .s = s, .in = stdin, .out = stdout, .tty = isatty(STDIN_FILENO) != 0,
		            .cur = &s->nodes[0] };

	a->o.out = stdout;
	a->o.quiet = true; /* no captures (out_dir NULL), no verdicts: a session */
	sh.ss = scn_session_open(s, &a->o, &d);
	if (!sh.ss) {
		scn_diag_print(stderr, &d);
		return SCN_EXIT_INVALID;
	}
	sh.sim = scn_session_sim(sh.ss);
	if (shell_capture_attach(&sh.cap, sh.sim, SHELL_RING_FRAMES) < 0) {
		fputs("v6lab shell: out of memory\n", stderr);
		scn_session_close(sh.ss);
		return SCN_EXIT_INVALID;
	}
	banner(&sh, a);
	if (sh.tty)
		catch_sigint();
	read_loop(&sh);
	fflush(sh.out);
	scn_session_close(sh.ss); /* stops the taps before the rings go */
	shell_capture_free(&sh.cap);
	return 0;
}

int v6lab_shell_main(int argc, char **argv)
{
	struct shell_args a = { 0 };

	int rc = parse_shell_args(argc, argv, &a);
	if (rc)
		return rc == 1 ? 0 : rc;
	struct scn *s = scn_load(a.file, stderr);
	if (!s)
		return SCN_EXIT_INVALID;
	if (s->nnodes == 0) {
		fprintf(stderr, "v6lab shell: %s has no nodes\n", a.file);
		scn_free(s);
		return SCN_EXIT_INVALID;
	}
	rc = run_shell(s, &a);
	scn_free(s);
	return rc;
}
