/*
 * v6lab diff SAVED.pcap NOW.pcap [--ignore FIELD ...] [--ignore-time] [--max N]
 *
 * The capture comparison of `make check` as a command, for any two
 * captures (a v6lab run against a tcpdump capture from a real system, say,
 * with --ignore ip.id --ignore ip.checksum). The report goes to standard
 * output, errors to standard error. Exit status: 0 the same, 1 different,
 * 2 a file is unreadable or the command line is wrong.
 */
#include "pcapdiff.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: v6lab diff SAVED.pcap NOW.pcap [--ignore FIELD ...] [--ignore-time] [--max N]\n"
	"\n"
	"Compare two captures packet by packet. For each packet that differs: its\n"
	"number, both times, every differing field by protocol name with both values\n"
	"and its byte offset, and a one-line decode of both; then missing and extra\n"
	"packets. Captures of different link types are compared from the IP header.\n"
	"\n"
	"options:\n"
	"  --ignore FIELD  do not compare FIELD, nor the fields inside it: ip.id,\n"
	"                  ip.checksum, tcp.seq, tcp.option, frame.linktype, ...\n"
	"                  (repeatable; names as in Wireshark's display filters)\n"
	"  --ignore-time   do not compare timestamps (the field frame.time)\n"
	"  --max N         report at most N packets (default 10); all are counted\n"
	"  --help          print this help\n"
	"\n"
	"exit status: 0 same, 1 different, 2 unreadable input or usage\n";

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "v6lab diff: %s%s%s\n", what, arg ? " " : "", arg ? arg : "");
	fputs("usage: v6lab diff SAVED.pcap NOW.pcap [--ignore FIELD ...] [--ignore-time] "
	      "[--max N]\n", stderr);
	return PCAPDIFF_UNREADABLE;
}

static bool parse_count(const char *s, unsigned *out)
{
	unsigned long v = 0;

	if (*s == '\0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000ul)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v == 0)
		return false;
	*out = (unsigned)v;
	return true;
}

struct diff_args {
	const char *files[2];
	size_t n_files;
	const char **ignore;
	struct pcapdiff_opts o;
};

/* One option or file name at argv[*i]; 0, or an exit status to return. */
static int parse_one(struct diff_args *a, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];

	if (strcmp(arg, "--ignore-time") == 0) {
		a->o.ignore_time = true;
	} else if (strcmp(arg, "--ignore") == 0 || strcmp(arg, "--max") == 0) {
		if (*i + 1 >= argc)
			return usage_error("missing value after", arg);
		const char *val = argv[++*i];
		if (arg[2] == 'm' && !parse_count(val, &a->o.max_packets))
			return usage_error("--max wants a positive number, not", val);
		if (arg[2] == 'i' && !pcapdiff_field_known(val))
			return usage_error("no such field:", val);
		if (arg[2] == 'i')
			a->ignore[a->o.n_ignore++] = val;
	} else if (arg[0] == '-' && arg[1] != '\0') {
		return usage_error("unknown option", arg);
	} else if (a->n_files < 2) {
		a->files[a->n_files++] = arg;
	} else {
		return usage_error("too many files:", arg);
	}
	return 0;
}

int v6lab_diff_main(int argc, char **argv)
{
	struct diff_args a = { .n_files = 0 };
	struct pcapdiff_result r;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		}
	a.ignore = calloc((size_t)(argc > 0 ? argc : 1), sizeof *a.ignore);
	if (!a.ignore)
		return usage_error("out of memory", NULL);
	for (int i = 1; i < argc; i++) {
		int rc = parse_one(&a, argc, argv, &i);
		if (rc != 0) {
			free(a.ignore);
			return rc;
		}
	}
	if (a.n_files != 2) {
		free(a.ignore);
		return usage_error("two capture files are needed", NULL);
	}
	a.o.ignore = a.ignore;
	int rc = pcapdiff_files(a.files[0], a.files[1], &a.o, stdout, &r);
	fflush(stdout);
	if (rc == PCAPDIFF_UNREADABLE)
		fprintf(stderr, "v6lab diff: %s\n", r.error);
	free(a.ignore);
	return rc;
}
