/*
 * The labs' pieces, one concern per file:
 *
 *   lab_cmd.c      argument parsing and dispatch of `v6lab lab ...`
 *   lab_list.c     finding labs/NN-slug/ and its title; list and show
 *   lab_files.c    --dir: swapping a scenario's `file ... from` files for
 *                  the student's; `init`; directories
 *   lab_run.c      `lab run N`: the lab's scenario, as `v6lab run` runs it
 *                  (or `run --step`, `run --html`, `ladder`)
 *   lab_check.c    `lab check N`: goals met or not, with a hint
 *   lab_goals.c    the goals of a scenario run (the `goal` statement)
 *   lab_answers.c  answers.txt and answers.check: reading both files
 *   lab_norm.c     normalising an answer and hashing it (SHA-256)
 */
#ifndef V6LAB_LAB_INT_H
#define V6LAB_LAB_INT_H

#include "lab.h"

#include "../scenario/scenario.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define LAB_EXIT_OK    0
#define LAB_EXIT_UNMET 1
#define LAB_EXIT_ERROR 2

/* ---- lab_list.c -------------------------------------------------------- */

struct lab {
	int num;                 /* 3 */
	char dir[PATH_MAX];      /* labs/03-pppoe-ppp */
	char slug[64];           /* pppoe-ppp */
	char title[256];         /* "PPPoE and PPP: ...", from README.md's "# Lab 3 — " line */
};

/* Where the labs are: $V6LAB_LABS, else "labs" (the top of the checkout). */
const char *lab_root(void);
/* "3" or "03": the lab number; false when not a number from 1 to 99. */
bool lab_parse_number(const char *s, int *num);
/* Lab `num` into *l; -1 with a message on stderr when there is none. */
int lab_find(int num, struct lab *l);
/* "DIR/NAME" into buf; false when it does not fit. */
bool lab_path(char *buf, size_t cap, const char *dir, const char *name);
bool lab_is_file(const char *path);
int lab_list(FILE *out);
int lab_show(const struct lab *l, FILE *out);

/* ---- lab_files.c ------------------------------------------------------- */

/* With work != NULL, each `file ... from PATH` of s whose basename exists
 * in work is read from there instead (one "using ..." line per file on
 * out); a file in neither place is an error. 0, or -1 with a message on
 * stderr. Call between scn_parse and scn_validate. */
int lab_override_files(struct scn *s, const struct lab *l, const char *work, FILE *out);
/* Copy the lab's files/ into work (created); never overwrites a file. */
int lab_init(const struct lab *l, const char *work);

/* ---- lab_goals.c ------------------------------------------------------- */

/* A goal's verdict, as `lab check` prints it. */
struct lab_goal {
	char *text;
	char *hint;
	bool met;
};

struct lab_goals {
	struct lab_goal *v;
	size_t n;
};

bool lab_goals_add(struct lab_goals *g, const char *text, const char *hint, bool met);
void lab_goals_free(struct lab_goals *g);
/* Run a validated scenario quietly and add its goals to *g (expectations
 * before the first goal line make the implicit first goal; its hint names
 * `--dir work` when work is not NULL). The run's exit status
 * (SCN_EXIT_INVALID with *d when it could not be built). */
int lab_run_goals(struct scn *s, int num, const char *work, struct lab_goals *g,
                  struct scn_diag *d);

/* ---- lab_norm.c -------------------------------------------------------- */

#define LAB_NORM_MAX 512
#define LAB_HASH_HEX 65          /* 64 hex digits and a NUL */

/* How an answer is compared: its normal form's hash, or (SIG3) a number
 * rounded to three significant figures first. */
enum lab_norm_kind { LAB_NORM_TEXT, LAB_NORM_SIG3 };

/* The normal form of an answer: blanks trimmed and collapsed, lower case,
 * IPv6 addresses (and prefixes) in RFC 5952 form, MAC addresses with
 * colons, hex groups without leading zeros, numbers without thousands
 * separators; SIG3 also rounds a number to "5.85e+11". false when it
 * does not fit, or (SIG3) is not a number. */
bool lab_normalise(const char *answer, enum lab_norm_kind k, char *out, size_t cap);
/* SHA-256 of text, in lower-case hex. */
void lab_sha256_hex(const char *text, char hex[LAB_HASH_HEX]);

/* ---- lab_answers.c ----------------------------------------------------- */

struct lab_answer {
	char key[64];
	char *value;             /* as written, trimmed */
	int line;
};

struct lab_answers {
	struct lab_answer *v;
	size_t n;
};

/* One line of answers.check: KEY sha256[-3sig] HEX[,HEX...] "goal" hint "hint". */
struct lab_check_line {
	char key[64];
	enum lab_norm_kind kind;
	char (*hashes)[LAB_HASH_HEX];
	size_t nhashes;
	char *goal, *hint;
	int line;
};

struct lab_checks {
	struct lab_check_line *v;
	size_t n;
};

/* Read answers.txt (KEY = VALUE lines, # comments). 0, or -1 with
 * "FILE:LINE:COL: message" in err. */
int lab_answers_parse(const char *file, const char *text, struct lab_answers *a, char *err,
                      size_t errlen);
int lab_checks_parse(const char *file, const char *text, struct lab_checks *c, char *err,
                     size_t errlen);
/* Every key of a must be one of c's: -1 with FILE:LINE:COL in err if not. */
int lab_answers_known(const char *file, const struct lab_answers *a, const struct lab_checks *c,
                      char *err, size_t errlen);
/* Add c's goals to g, in order of first appearance: a goal is met when
 * every key of it is answered with a value whose normal form's hash is
 * listed. */
bool lab_answers_goals(const struct lab_answers *a, const struct lab_checks *c,
                       struct lab_goals *g);
void lab_answers_free(struct lab_answers *a);
void lab_checks_free(struct lab_checks *c);

/* ---- lab_run.c, lab_check.c -------------------------------------------- */

/* The lab's lab.scn parsed, its files swapped for work's (the "using"
 * lines on out) and validated; NULL with a message on stderr. *none is
 * set when the lab has no scenario (no message then). */
struct scn *lab_load(const struct lab *l, const char *work, FILE *out, bool *none);
/* How `lab run` shows the run: as `v6lab run` prints it, one step at a
 * time (--step), with a report page as well (--html FILE), or as a
 * ladder diagram alone (--ladder: no transcript, no captures). */
struct ladder_args;
struct lab_run_opts {
	const char *out_dir;     /* the captures; NULL: out/labNN */
	const char *html;        /* the report page, or NULL */
	bool step;
	const struct ladder_args *ladder;  /* checked (ladder_args_check), or NULL */
};
int lab_run(const struct lab *l, const char *work, const struct lab_run_opts *ro);
int lab_check(const struct lab *l, const char *work);

#endif /* V6LAB_LAB_INT_H */
