/*
 * `v6lab lab run N [--dir WORK] [--out DIR]`: `v6lab run` of the lab's
 * lab.scn with the student's files, captures in out/labNN/.
 */
#include "lab_int.h"

#include <string.h>

struct scn *lab_load(const struct lab *l, const char *work, FILE *out, bool *none)
{
	char path[PATH_MAX];
	struct scn_diag d = { .msg = "" };
	struct scn *s;

	*none = false;
	if (!lab_path(path, sizeof path, l->dir, "lab.scn") || !lab_is_file(path)) {
		*none = true;
		return NULL;
	}
	if (!(s = scn_parse_file(path, &d))) {
		scn_diag_print(stderr, &d);
		return NULL;
	}
	if (lab_override_files(s, l, work, out) < 0) {
		scn_free(s);
		return NULL;
	}
	if (scn_validate(s, &d) < 0) {
		scn_diag_print(stderr, &d);
		scn_free(s);
		return NULL;
	}
	return s;
}

int lab_run(const struct lab *l, const char *work, const char *out_dir)
{
	char dflt[64];
	bool none;
	struct scn_diag d = { .msg = "" };
	struct scn *s = lab_load(l, work, stdout, &none);

	if (none) {
		fprintf(stderr, "v6lab lab: lab %d has no scenario: its exercises are calculations, "
		        "done with `v6lab addr` (see `v6lab addr --help` and `v6lab lab show %d`)\n",
		        l->num, l->num);
		return LAB_EXIT_ERROR;
	}
	if (!s)
		return LAB_EXIT_ERROR;
	snprintf(dflt, sizeof dflt, "out/lab%02d", l->num);
	if (!out_dir)
		out_dir = dflt;
	int err = lab_mkdir_p(out_dir);
	if (err) {
		fprintf(stderr, "v6lab lab: %s: %s\n", out_dir, strerror(err));
		scn_free(s);
		return LAB_EXIT_ERROR;
	}
	struct scn_run_opts o = { .out = stdout, .out_dir = out_dir };
	int rc = scn_run(s, &o, &d);
	if (rc == SCN_EXIT_INVALID)
		scn_diag_print(stderr, &d);
	else
		printf("captures: %s/LINK.pcap, one per link\n", out_dir);
	fflush(stdout);
	scn_free(s);
	return rc;
}
