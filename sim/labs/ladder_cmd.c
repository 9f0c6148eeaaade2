/*
 * `v6lab ladder FILE.scn [--links L1,L2] [--from T] [--to T] [--seed N]
 *                        [--text | -o FILE.svg [--force]]`
 *
 * Runs the scenario as `v6lab run` does (no transcript, no captures; a
 * failed expectation is printed on stderr) and draws its frames: the ASCII
 * ladder on stdout (the default), or an SVG file, which is never
 * overwritten without --force. Exit status as `v6lab run`: 0 every
 * expectation held, 1 one failed (the diagram is still drawn), 2 an
 * invalid scenario, command line or output file. The options' parsing
 * and the drawing are shared with `v6lab lab run N --ladder` (lab_ladder.c).
 */
#include "ladder.h"

#include "../scenario/out_path.h"
#include "../scenario/scn_int.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_ladder[] =
	"usage: v6lab ladder FILE.scn [--links L1,L2] [--from T] [--to T] [--seed N]\n"
	"                    [--text | -o FILE.svg [--force]]\n"
	"\n"
	"Run FILE.scn and draw its frames as a ladder (sequence) diagram: nodes as\n"
	"columns, each frame an arrow from its sender to its receivers, labelled\n"
	"with its time from the start and its one-line summary.\n"
	"\n"
	"options:\n"
	"  --links L1,L2  only the frames of these links (default: every link)\n"
	"  --from T       only frames at or after T (like an `at` time: 5s, 250ms)\n"
	"  --to T         only frames at or before T\n"
	"  --seed N       use seed N instead of the scenario's `seed` line\n"
	"  --text         an ASCII ladder on stdout (the default)\n"
	"  -o FILE.svg    a standalone SVG file instead\n"
	"  --force        overwrite FILE.svg if it exists\n"
	"\n"
	"exit status: 0 all expectations held, 1 one failed, 2 invalid scenario or usage\n";

static const char usage_line[] =
	"usage: v6lab ladder FILE.scn [--links L1,L2] [--from T] [--to T] [--seed N] "
	"[--text | -o FILE.svg [--force]]";

static int ladder_usage(const struct ladder_args *a, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", a->prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s\n", a->usage);
	return SCN_EXIT_INVALID;
}

void ladder_args_init(struct ladder_args *a, const char *prog, const char *usage)
{
	*a = (struct ladder_args){ .prog = prog, .usage = usage,
	                           .o = { .to = SIM_NEVER, .out = stderr } };
}

/* An option's value: argv[i + 1], checked. */
static int option_value(struct ladder_args *a, const char *w, const char *v)
{
	if (strcmp(w, "--links") == 0) {
		if (*v == '\0' || v[strlen(v) - 1] == ',' || strstr(v, ",,") || *v == ',')
			return ladder_usage(a, "--links: empty link name in '%s'", v);
		a->o.links = v;
	} else if (strcmp(w, "--from") == 0 || strcmp(w, "--to") == 0) {
		bool to = w[2] == 't';
		if (!scn_parse_duration(v, to ? &a->o.to : &a->o.from))
			return ladder_usage(a, "invalid time '%s' (expected e.g. 5s, 1.5s, 250ms)", v);
		a->has_to |= to;
	} else if (strcmp(w, "--seed") == 0) {
		if (!scn_parse_u64(v, &a->o.seed))
			return ladder_usage(a, "invalid seed '%s' (expected a number)", v);
		a->o.has_seed = true;
	} else {
		a->svg = v;
	}
	return 0;
}

static bool takes_value(const char *w)
{
	return strcmp(w, "--links") == 0 || strcmp(w, "--from") == 0 || strcmp(w, "--to") == 0 ||
	       strcmp(w, "--seed") == 0 || strcmp(w, "-o") == 0;
}

int ladder_args_option(struct ladder_args *a, int argc, char **argv, int *i)
{
	const char *w = argv[*i];

	if (strcmp(w, "--text") == 0) {
		a->text = true;
	} else if (strcmp(w, "--force") == 0) {
		a->force = true;
	} else if (takes_value(w)) {
		if (*i + 1 >= argc)
			return ladder_usage(a, "%s needs a value", w);
		if (option_value(a, w, argv[++*i]))
			return SCN_EXIT_INVALID;
	} else {
		return 0;
	}
	a->given = true;
	return 1;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

int ladder_args_check(const struct ladder_args *a)
{
	if (a->text && a->svg)
		return ladder_usage(a, "%s", "--text and -o: choose one");
	if (a->force && !a->svg)
		return ladder_usage(a, "%s", "--force goes with -o FILE.svg");
	if (a->has_to && a->o.to < a->o.from)
		return ladder_usage(a, "%s", "--to is before --from");
	if (a->svg && out_path_forbidden(a->svg)) {
		fprintf(stderr, "%s: will not write the ladder into '%s' (scenarios/ and captures/ "
		        "are inputs)\n", a->prog, a->svg);
		return SCN_EXIT_INVALID;
	}
	if (a->svg && !a->force && exists(a->svg)) {
		fprintf(stderr, "%s: %s: exists (use --force to overwrite)\n", a->prog, a->svg);
		return SCN_EXIT_INVALID;
	}
	return 0;
}

/* 0 parsed, 1 help printed, 2 usage error. */
static int parse_ladder_args(int argc, char **argv, struct ladder_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		int taken;
		if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
			fputs(usage_ladder, stdout);
			return 1;
		} else if ((taken = ladder_args_option(a, argc, argv, &i)) != 0) {
			if (taken != 1)
				return SCN_EXIT_INVALID;
		} else if (w[0] == '-' && w[1] != '\0') {
			return ladder_usage(a, "unknown option '%s'", w);
		} else if (a->file) {
			return ladder_usage(a, "one scenario file at a time ('%s' is one too many)", w);
		} else {
			a->file = w;
		}
	}
	if (!a->file)
		return ladder_usage(a, "%s", "missing scenario file");
	return ladder_args_check(a);
}

/* Write the SVG; "wx" refuses a file that appeared since the check. */
static int write_svg(const struct ladder *l, const struct ladder_args *a)
{
	FILE *f = fopen(a->svg, a->force ? "w" : "wx");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", a->prog, a->svg,
		        errno == EEXIST ? "exists (use --force to overwrite)" : strerror(errno));
		return -1;
	}
	int rc = ladder_write_svg(l, f);
	if (fclose(f) != 0 || rc < 0) {
		fprintf(stderr, "%s: %s: write failed\n", a->prog, a->svg);
		unlink(a->svg);
		return -1;
	}
	return 0;
}

int ladder_draw(const struct ladder *l, const struct ladder_args *a)
{
	if (a->svg)
		return write_svg(l, a);
	if (ladder_write_text(l, stdout) < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "%s: cannot write to stdout\n", a->prog);
		return -1;
	}
	return 0;
}

int v6lab_ladder_main(int argc, char **argv)
{
	struct ladder_args a;
	struct scn_diag d = { .msg = "" };
	struct ladder *l = NULL;

	ladder_args_init(&a, "v6lab ladder", usage_line);
	int rc = parse_ladder_args(argc, argv, &a);
	if (rc)
		return rc == 1 ? 0 : rc;
	struct scn *s = scn_load(a.file, stderr);
	if (!s)
		return SCN_EXIT_INVALID;
	rc = ladder_collect(s, &a.o, &l, &d);
	if (rc == SCN_EXIT_INVALID)
		scn_diag_print(stderr, &d);
	else if (ladder_draw(l, &a) < 0)
		rc = SCN_EXIT_INVALID;
	ladder_free(l);
	scn_free(s);
	return rc;
}
