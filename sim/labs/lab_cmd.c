/*
 * `v6lab lab list | show N | run N [--dir WORK] [--out DIR] [--step |
 *  --html FILE | --ladder [LADDER OPTIONS]] | check N [--dir WORK] |
 *  init N --dir WORK | hash [--3sig] VALUE`; the ladder's options are
 *  `v6lab ladder`'s own (ladder_cmd.c).
 */
#include "lab_int.h"

#include "ladder.h"

#include <string.h>

static const char usage_lab[] =
	"usage: v6lab lab list\n"
	"       v6lab lab show N\n"
	"       v6lab lab init N --dir WORK\n"
	"       v6lab lab run N [--dir WORK] [--out DIR] [--step | --html FILE.html]\n"
	"       v6lab lab run N [--dir WORK] --ladder [--links L1,L2] [--from T] [--to T]\n"
	"                       [--text | -o FILE.svg [--force]]\n"
	"       v6lab lab check N [--dir WORK]\n"
	"       v6lab lab hash [--3sig] VALUE\n"
	"\n"
	"The teaching labs in labs/NN-slug/ ($V6LAB_LABS overrides labs/).\n"
	"\n"
	"commands:\n"
	"  list      one line per lab: number, name, title\n"
	"  show N    print lab N's handout (README.md)\n"
	"  init N    copy lab N's starting files into WORK (never overwrites)\n"
	"  run N     run lab N's scenario as `v6lab run` does, captures in out/labNN/\n"
	"  check N   run lab N's scenario and read its answers: each goal met or not,\n"
	"            with a hint for the first one not met\n"
	"  hash V    the normal form of an answer and its SHA-256, for answers.check\n"
	"            (--3sig: a number rounded to three significant figures first)\n"
	"\n"
	"options:\n"
	"  --dir WORK  use WORK's copy of each configuration file the scenario reads\n"
	"              (and WORK/answers.txt) instead of the lab's files/\n"
	"  --out DIR   run: write the captures into DIR instead of out/labNN/\n"
	"  --step      run: pause at every frame and command, as `v6lab run --step`\n"
	"              (every field layer by layer, the node states that changed)\n"
	"  --html FILE.html  run: also write the report page, as `v6lab run --html`\n"
	"  --ladder    run: draw the run as a ladder diagram instead, as `v6lab ladder`\n"
	"              draws a scenario (--links, --from, --to, --text, -o, --force are\n"
	"              its options; no transcript, no captures; \"using\" lines on stderr)\n"
	"\n"
	"exit status: 0 every goal met (or done), 1 a goal not met (or init found a file\n"
	"already there), 2 usage or lab error\n";

struct lab_args {
	const char *sub;
	const char *num;
	const char *dir;
	const char *out;
	const char *html;
	const char *value;
	bool sig3;
	bool step;
	bool ladder;             /* --ladder: the options in lad */
	struct ladder_args lad;
};

static int lab_usage(const char *fmt, const char *arg)
{
	fputs("v6lab lab: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(v6lab lab --help lists the commands)\n", stderr);
	return LAB_EXIT_ERROR;
}

/* hash takes any word as its VALUE, "-5" too. */
static bool is_hash(const struct lab_args *a)
{
	return a->sub && strcmp(a->sub, "hash") == 0;
}

/* 0 parsed, 1 help printed, 2 usage error. */
static int parse_lab_args(int argc, char **argv, struct lab_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		int taken;
		if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
			fputs(usage_lab, stdout);
			return 1;
		} else if (strcmp(w, "--3sig") == 0) {
			a->sig3 = true;
		} else if (strcmp(w, "--step") == 0) {
			a->step = true;
		} else if (strcmp(w, "--ladder") == 0) {
			a->ladder = true;
		} else if (!is_hash(a) && (taken = ladder_args_option(&a->lad, argc, argv, &i)) != 0) {
			if (taken != 1)
				return LAB_EXIT_ERROR;
		} else if (strcmp(w, "--html") == 0) {
			if (i + 1 >= argc || argv[i + 1][0] == '\0')
				return lab_usage("%s needs a file name", w);
			a->html = argv[++i];
		} else if (strcmp(w, "--dir") == 0 || strcmp(w, "--out") == 0) {
			if (i + 1 >= argc || argv[i + 1][0] == '\0')
				return lab_usage("%s needs a directory", w);
			*(w[2] == 'd' ? &a->dir : &a->out) = argv[++i];
		} else if (w[0] == '-' && w[1] != '\0' && !is_hash(a)) {
			return lab_usage("unknown option '%s'", w);
		} else if (!a->sub) {
			a->sub = w;
		} else if (!a->num && !a->value) {
			*(strcmp(a->sub, "hash") == 0 ? &a->value : &a->num) = w;
		} else {
			return lab_usage("'%s' is one word too many", w);
		}
	}
	if (!a->sub)
		return lab_usage("%s", "missing command (list, show, init, run, check or hash)");
	return 0;
}

static int lab_hash(const struct lab_args *a)
{
	char norm[LAB_NORM_MAX], hex[LAB_HASH_HEX];

	if (!a->value)
		return lab_usage("%s", "hash needs a VALUE");
	if (!lab_normalise(a->value, a->sig3 ? LAB_NORM_SIG3 : LAB_NORM_TEXT, norm, sizeof norm))
		return lab_usage(a->sig3 ? "'%s' is not a number" : "'%s' is too long", a->value);
	lab_sha256_hex(norm, hex);
	printf("normal form  %s\nsha256       %s\n", norm, hex);
	return LAB_EXIT_OK;
}

/* --ladder and its options: 0 or 2 (a message printed). */
static int ladder_usage_error(const struct lab_args *a)
{
	if (a->lad.given && !a->ladder)
		return lab_usage("%s", "--links, --from, --to, --text, -o and --force go with --ladder");
	if (!a->ladder)
		return 0;
	if (a->step || a->html || a->out)
		return lab_usage("%s", "--ladder draws the run itself: it does not go with --step, "
		                 "--html or --out (it writes no captures)");
	if (a->lad.o.has_seed)
		return lab_usage("%s", "--seed does not go with lab run (lab.scn's seed line sets it)");
	return ladder_args_check(&a->lad);
}

/* The commands that take a lab number. */
static int lab_numbered(const struct lab_args *a)
{
	static const char *const subs[] = { "show", "init", "run", "check" };
	int num;
	struct lab l;
	size_t k = 0;

	while (k < 4 && strcmp(a->sub, subs[k]) != 0)
		k++;
	if (k == 4)
		return lab_usage("unknown command '%s' (list, show, init, run, check or hash)", a->sub);
	if (!a->num)
		return lab_usage("%s needs a lab number (`v6lab lab list` lists them)", a->sub);
	if (!lab_parse_number(a->num, &num))
		return lab_usage("invalid lab number '%s' (expected 1 to 99)", a->num);
	if ((a->out || a->step || a->html || a->ladder) && k != 2)
		return lab_usage("--out, --step, --html and --ladder go with run, not %s", a->sub);
	if (a->step && a->html)
		return lab_usage("%s", "--step shows every frame itself: it does not go with --html");
	if (ladder_usage_error(a))
		return LAB_EXIT_ERROR;
	if (a->dir && k == 0)
		return lab_usage("--dir does not go with %s", a->sub);
	if (k == 1 && !a->dir)
		return lab_usage("%s", "init needs --dir WORK (the directory to copy the files into)");
	if (lab_find(num, &l) < 0)
		return LAB_EXIT_ERROR;
	switch (k) {
	case 0: return lab_show(&l, stdout);
	case 1: return lab_init(&l, a->dir);
	case 2: return lab_run(&l, a->dir,
	                       &(struct lab_run_opts){ a->out, a->html, a->step,
	                                               a->ladder ? &a->lad : NULL });
	default: return lab_check(&l, a->dir);
	}
}

int v6lab_lab_main(int argc, char **argv)
{
	struct lab_args a = { 0 };
	ladder_args_init(&a.lad, "v6lab lab", "(v6lab lab --help lists the commands)");
	int rc = parse_lab_args(argc, argv, &a);

	if (rc)
		return rc == 1 ? LAB_EXIT_OK : rc;
	if (strcmp(a.sub, "list") == 0) {
		if (a.num || a.dir || a.out || a.html || a.step || a.ladder || a.lad.given)
			return lab_usage("%s", "list takes no lab number and no option");
		return lab_list(stdout);
	}
	if (strcmp(a.sub, "hash") == 0)
		return lab_hash(&a);
	return lab_numbered(&a);
}
