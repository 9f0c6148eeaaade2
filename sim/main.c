/*
 * v6lab — run a scenario: parse, validate, run, verify (v6lab.1).
 *
 *   v6lab run FILE.scn [--out DIR] [--seed N] [--trace] [--quiet] [--stats] [--html F.html]
 *   v6lab diff SAVED.pcap NOW.pcap [--ignore FIELD ...] [--ignore-time]  (sim/diff/)
 *   v6lab addr eui64|subnets|map|sweep ...  (sim/labs/addr.h)
 *   v6lab ladder FILE.scn [--links L,..] [--from T] [--to T] [--text | -o F.svg]  (sim/labs/)
 *   v6lab --help | run --help | --version
 *
 * Exit status: 0 every expectation held, 1 one failed, 2 the scenario or a
 * file it names is invalid (or the command line is).
 */
#include "diff/pcapdiff.h" /* v6lab_diff_main: `v6lab diff` */
#include "labs/addr.h"     /* v6lab_addr_main: `v6lab addr` (lab 1) */
#include "labs/lab.h"      /* v6lab_lab_main: `v6lab lab` (the labs) */
#include "labs/ladder.h"   /* v6lab_ladder_main: `v6lab ladder` */
#include "report/report.h" /* report_run: `v6lab run --html` */
#include "scenario/scenario.h"
#include "scenario/out_path.h" /* out_path_forbidden: --out and --html */
#include "shell/shell.h"   /* v6lab_shell_main: `v6lab shell` */
#include "step/step.h"     /* step_run: `v6lab run --step` */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define V6LAB_VERSION "0.1.0"

static const char usage_main[] =
	"usage: v6lab run FILE.scn [--out DIR] [--seed N] [--trace] [--quiet] [--stats]\n"
	"                 [--html FILE.html] [--step]\n"
	"       v6lab diff SAVED.pcap NOW.pcap [--ignore FIELD ...] [--ignore-time]\n"
	"       v6lab ladder FILE.scn [--links L1,L2] [--from T] [--to T] [--text | -o FILE.svg]\n"
	"       v6lab addr eui64|subnets|map|sweep ...   (v6lab addr --help)\n"
	"       v6lab shell FILE.scn [--seed N] [--at TIME]\n"
	"       v6lab lab list|show|init|run|check|hash ...   (v6lab lab --help)\n"
	"       v6lab run --help | diff --help | --help | --version\n"
	"\n"
	"A deterministic packet simulator: a scenario file describes nodes, links, a\n"
	"timeline of commands and expectations; v6lab runs it on a virtual clock and\n"
	"says which expectations held. See v6lab(1).\n"
	"\n"
	"commands:\n"
	"  run FILE.scn   validate and run a scenario, print the transcript and verdicts\n"
	"  diff A B       compare two captures packet by packet, field by field\n"
	"                 (exit 0 same, 1 different, 2 unreadable input)\n"
	"  addr CALC      the address calculations of lab 1: EUI-64, subnets, mapped\n"
	"                 IPv4 addresses, ping-sweep time\n"
	"  ladder FILE    run a scenario and draw its frames as a ladder diagram\n"
	"                 (ASCII on stdout, or -o FILE.svg; see ladder --help)\n"
	"  shell FILE     an interactive prompt on the scenario's network (shell --help)\n"
	"  lab CMD        the teaching labs: list, show, init, run and check them\n"
	"\n"
	"exit status: 0 all expectations held, 1 one failed, 2 invalid scenario or usage\n";

static const char usage_run[] =
	"usage: v6lab run FILE.scn [--out DIR] [--seed N] [--trace] [--quiet] [--stats]\n"
	"                 [--html FILE.html] [--step]\n"
	"\n"
	"Validate FILE.scn (names, filters, files, times), run it, print each node's\n"
	"commands and output as a transcript, then one PASS/FAIL line per expectation.\n"
	"\n"
	"options:\n"
	"  --out DIR   write one capture per link, DIR/LINK.pcap\n"
	"              (default out/NAME/, NAME the file name without .scn)\n"
	"  --seed N    use seed N instead of the scenario's `seed` line\n"
	"  --trace     print a tcpdump-like line for every frame on every link\n"
	"  --quiet     print no transcript and no PASS lines, only failures\n"
	"  --stats     print to stderr what the run cost: events, frames, buffers,\n"
	"              wall time and peak memory (the only non-deterministic output)\n"
	"  --html FILE.html  also write a report page: summary, expectations, ladder\n"
	"              diagram, transcript, links to the captures (no script, no network)\n"
	"  --step      pause at every frame and command: the frame decoded layer by\n"
	"              layer, the node states that changed; keys n(ext) b(ack)\n"
	"              c(ontinue) q(uit) ?(help), from a pipe one per line\n"
	"  --help      print this help\n"
	"\n"
	"exit status: 0 all expectations held, 1 one failed, 2 invalid scenario or usage\n";

struct run_args {
	const char *file;
	const char *out_dir;
	const char *html;        /* --html: the report page (sim/report/) */
	bool want_stats;
	bool step;               /* --step: one frame or command at a time (sim/step/) */
	struct scn_run_opts o;
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("v6lab: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nusage: v6lab run FILE.scn [--out DIR] [--seed N] [--trace] [--quiet] [--stats] "
	      "[--html FILE.html] [--step]\n", stderr);
	return SCN_EXIT_INVALID;
}

static bool parse_seed(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

/* Wall time and memory are measured here, outside the simulation, and go to
 * stderr so the transcript stays byte-identical from run to run. */
static void print_stats(const struct scn_stats *st, double wall_s)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr,
	        "stats: %zu nodes, %zu links, %.3f s simulated\n"
	        "stats: %llu events, %llu frames (%llu bytes), %u packet buffers at peak\n"
	        "stats: %.3f s wall, %.2f M events/s, %.0f k frames/s, peak RSS %ld KiB\n",
	        st->nodes, st->links, (double)st->simulated / 1e9,
	        (unsigned long long)st->events, (unsigned long long)st->frames,
	        (unsigned long long)st->bytes, st->pbuf_peak, wall_s,
	        wall_s > 0 ? (double)st->events / wall_s / 1e6 : 0.0,
	        wall_s > 0 ? (double)st->frames / wall_s / 1e3 : 0.0, ru.ru_maxrss);
}

/* 0 parsed, 1 help printed, 2 usage error. */
static int parse_run_args(int argc, char **argv, struct run_args *a)
{
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
			fputs(usage_run, stdout);
			return 1;
		} else if (strcmp(w, "--trace") == 0) {
			a->o.trace = true;
		} else if (strcmp(w, "--stats") == 0) {
			a->want_stats = true;
		} else if (strcmp(w, "--quiet") == 0 || strcmp(w, "-q") == 0) {
			a->o.quiet = true;
		} else if (strcmp(w, "--step") == 0) {
			a->step = true;
		} else if (strcmp(w, "--html") == 0) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value", w);
			a->html = argv[++i];
		} else if (strcmp(w, "--out") == 0 || strcmp(w, "--seed") == 0) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value", w);
			const char *v = argv[++i];
			if (w[2] == 'o')
				a->out_dir = v;
			else if (!parse_seed(v, &a->o.seed))
				return usage_error("invalid seed '%s' (expected a decimal number)", v);
			else
				a->o.has_seed = true;
		} else if (w[0] == '-' && w[1] != '\0') {
			return usage_error("unknown option '%s'", w);
		} else if (a->file) {
			return usage_error("one scenario file at a time ('%s' is one too many)", w);
		} else {
			a->file = w;
		}
	}
	if (!a->file)
		return usage_error("%s", "missing scenario file");
	if (a->step && (a->o.trace || a->want_stats || a->html))
		return usage_error("%s", "--step shows every frame itself: it does not go with "
		                   "--trace, --stats or --html");
	return 0;
}

/* out/NAME for scenarios/NAME.scn */
/* out/NAME for scenarios/NAME.scn; a lab's labs/NN-slug/lab.scn goes to
 * out/labNN, where `v6lab lab run NN` puts it, not to one shared out/lab. */
static void default_out(const char *file, char *buf, size_t cap)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".scn") == 0)
		n -= 4;
	if (n == 3 && strncmp(base, "lab", 3) == 0 && base - file >= 4) {
		const char *dir = base - 1; /* the '/' before lab.scn */
		while (dir > file && dir[-1] != '/')
			dir--;
		if (isdigit((unsigned char)dir[0]) && isdigit((unsigned char)dir[1]) && dir[2] == '-') {
			snprintf(buf, cap, "out/lab%.2s", dir);
			return;
		}
	}
	snprintf(buf, cap, "out/%.*s", (int)n, base);
}

static int cmd_run(int argc, char **argv)
{
	struct run_args a = { .o = { .out = stdout } };
	char outbuf[PATH_MAX];
	struct scn_diag d = { .msg = "" };

	int rc = parse_run_args(argc, argv, &a);
	if (rc)
		return rc == 1 ? 0 : rc;
	struct scn *s = scn_load(a.file, stderr);
	if (!s)
		return SCN_EXIT_INVALID;
	if (!a.out_dir) {
		default_out(a.file, outbuf, sizeof outbuf);
		a.out_dir = outbuf;
	}
	if (out_path_forbidden(a.out_dir)) {
		scn_free(s);
		return usage_error("will not write captures into '%s' (scenarios/ and captures/ are "
		                   "inputs)", a.out_dir);
	}
	if (a.html && out_path_forbidden(a.html)) {
		scn_free(s);
		return usage_error("will not write a report into '%s' (scenarios/ and captures/ are "
		                   "inputs)", a.html);
	}
	int err = out_path_mkdir(a.out_dir);
	if (err) {
		fprintf(stderr, "v6lab: %s: %s\n", a.out_dir, strerror(err));
		scn_free(s);
		return SCN_EXIT_INVALID;
	}
	a.o.out_dir = a.out_dir;
	struct scn_stats stats;
	struct timespec t0, t1;
	if (a.want_stats)
		a.o.stats = &stats;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = a.step ? step_run(s, &a.o, &d)
	     : a.html ? report_run(s, &a.o, a.html, &d) : scn_run(s, &a.o, &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (a.want_stats && rc != SCN_EXIT_INVALID)
		print_stats(&stats, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (rc == SCN_EXIT_INVALID)
		scn_diag_print(stderr, &d);
	fflush(stdout);
	scn_free(s);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "missing command");
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("v6lab %s (%s)\n", V6LAB_VERSION, pcap_lib_version());
		return 0;
	}
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - 2, argv + 2);
	if (strcmp(cmd, "diff") == 0)
		return v6lab_diff_main(argc - 1, argv + 1);
	if (strcmp(cmd, "addr") == 0)
		return v6lab_addr_main(argc - 1, argv + 1);
	if (strcmp(cmd, "ladder") == 0)
		return v6lab_ladder_main(argc - 1, argv + 1);
	if (strcmp(cmd, "shell") == 0)
		return v6lab_shell_main(argc - 1, argv + 1);
	if (strcmp(cmd, "lab") == 0)
		return v6lab_lab_main(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", cmd);
}
