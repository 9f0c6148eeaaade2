/*
 * `v6lab ladder FILE.scn [--links L1,L2] [--from T] [--to T] [--seed N]
 *                        [--text | -o FILE.svg [--force]]`
 *
 * Runs the scenario as `v6lab run` does (no transcript, no captures; a
 * failed expectation is printed on stderr) and draws its frames: the ASCII
 * ladder on stdout (the default), or an SVG file, which is never
 * overwritten without --force. Exit status as `v6lab run`: 0 every
 * expectation held, 1 one failed (the diagram is still drawn), 2 an
 * invalid scenario, command line or output file.
 */
#include "ladder.h"

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

struct ladder_args {
	const char *file;
	const char *svg;
	bool text, force, has_to;
	struct ladder_opts o;
};

static int ladder_usage(const char *fmt, const char *arg)
{
	fputs("v6lab ladder: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nusage: v6lab ladder FILE.scn [--links L1,L2] [--from T] [--to T] [--seed N] "
	      "[--text | -o FILE.svg [--force]]\n", stderr);
	return SCN_EXIT_INVALID;
}

/* An option's value: argv[i + 1], checked. */
static int option_value(struct ladder_args *a, const char *w, const char *v)
{
	if (strcmp(w, "--links") == 0) {
		if (*v == '\0' || v[strlen(v) - 1] == ',' || strstr(v, ",,") || *v == ',')
			return ladder_usage("--links: empty link name in '%s'", v);
		a->o.links = v;
	} else if (strcmp(w, "--from") == 0 || strcmp(w, "--to") == 0) {
		bool to = w[2] == 't';
		if (!scn_parse_duration(v, to ? &a->o.to : &a->o.from))
			return ladder_usage("invalid time '%s' (expected e.g. 5s, 1.5s, 250ms)", v);
		a->has_to |= to;
	} else if (strcmp(w, "--seed") == 0) {
		if (!scn_parse_u64(v, &a->o.seed))
			return ladder_usage("invalid seed '%s' (expected a number)", v);
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

static int check_args(const struct ladder_args *a)
{
	if (!a->file)
		return ladder_usage("%s", "missing scenario file");
	if (a->text && a->svg)
		return ladder_usage("%s", "--text and -o: choose one");
	if (a->force && !a->svg)
		return ladder_usage("%s", "--force goes with -o FILE.svg");
	if (a->has_to && a->o.to < a->o.from)
		return ladder_usage("%s", "--to is before --from");
	return 0;
}

/* 0 parsed, 1 help printed, 2 usage error. */
static int parse_ladder_args(int argc, char **argv, struct ladder_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
			fputs(usage_ladder, stdout);
			return 1;
		} else if (strcmp(w, "--text") == 0) {
			a->text = true;
		} else if (strcmp(w, "--force") == 0) {
			a->force = true;
		} else if (takes_value(w)) {
			if (i + 1 >= argc)
				return ladder_usage("%s needs a value", w);
			if (option_value(a, w, argv[++i]))
				return SCN_EXIT_INVALID;
		} else if (w[0] == '-' && w[1] != '\0') {
			return ladder_usage("unknown option '%s'", w);
		} else if (a->file) {
			return ladder_usage("one scenario file at a time ('%s' is one too many)", w);
		} else {
			a->file = w;
		}
	}
	return check_args(a);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Write the SVG; "wx" refuses a file that appeared since the check. */
static int write_svg(const struct ladder *l, const char *path, bool force)
{
	FILE *f = fopen(path, force ? "w" : "wx");
	if (!f) {
		fprintf(stderr, "v6lab ladder: %s: %s\n", path,
		        errno == EEXIST ? "exists (use --force to overwrite)" : strerror(errno));
		return -1;
	}
	int rc = ladder_write_svg(l, f);
	if (fclose(f) != 0 || rc < 0) {
		fprintf(stderr, "v6lab ladder: %s: write failed\n", path);
		unlink(path);
		return -1;
	}
	return 0;
}

static int draw(const struct ladder *l, const struct ladder_args *a)
{
	if (a->svg)
		return write_svg(l, a->svg, a->force);
	if (ladder_write_text(l, stdout) < 0 || fflush(stdout) != 0) {
		fputs("v6lab ladder: cannot write to stdout\n", stderr);
		return -1;
	}
	return 0;
}

int v6lab_ladder_main(int argc, char **argv)
{
	struct ladder_args a = { .o = { .to = SIM_NEVER, .out = stderr } };
	struct scn_diag d = { .msg = "" };
	struct ladder *l = NULL;

	int rc = parse_ladder_args(argc, argv, &a);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (a.svg && !a.force && exists(a.svg)) {
		fprintf(stderr, "v6lab ladder: %s: exists (use --force to overwrite)\n", a.svg);
		return SCN_EXIT_INVALID;
	}
	struct scn *s = scn_load(a.file, stderr);
	if (!s)
		return SCN_EXIT_INVALID;
	rc = ladder_collect(s, &a.o, &l, &d);
	if (rc == SCN_EXIT_INVALID)
		scn_diag_print(stderr, &d);
	else if (draw(l, &a) < 0)
		rc = SCN_EXIT_INVALID;
	ladder_free(l);
	scn_free(s);
	return rc;
}
