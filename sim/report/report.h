/*
 * `v6lab run FILE.scn --html REPORT.html` (v6lab.1, HTML REPORTS): the run
 * as usual (same stdout, same exit status) and one self-contained page:
 * title, summary, the expectations as a table, the ladder diagram, the
 * transcript, the files placed on the nodes, links to the captures and
 * the frames as tcpdump -n prints them. Inline CSS and SVG, no script, no external resource; the same
 * bytes for the same scenario and seed.
 *
 *   report_run.c     the run: a frame tap and the verdict hook fill the
 *                    page's model, then the page is written
 *   report_html.c    the page from the model (pure: model in, HTML out)
 *   report_files.c   its "Files" section: the scenario's file statements
 *   report_escape.c  HTML text and href escaping
 *   report_path.c    the captures' directory as seen from the page
 */
#ifndef V6LAB_REPORT_H
#define V6LAB_REPORT_H

#include "../labs/ladder.h"
#include "../scenario/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Frames listed per link; beyond, only counted (the capture has them). */
#define REPORT_LINES_MAX 2000

struct report_link {
	const char *name;
	const char *kind;        /* "ethernet", "p2p", "path" */
	uint64_t frames;         /* every frame, lost ones too (as the capture) */
	char **lines;            /* tcpdump -n one-liners, at most REPORT_LINES_MAX */
	size_t nlines;
};

struct report_verdict {
	int line;
	const char *text;        /* the expectation as written */
	bool held;
	char *seen;              /* a failure: what was seen instead; NULL if held */
};

struct report_page {
	const char *scenario;    /* the file as given on the command line */
	uint64_t seed;
	uint64_t start_unix_ns;
	int exit_status;         /* SCN_EXIT_PASS or SCN_EXIT_FAIL */
	const char *transcript;  /* prompts and output, NUL-terminated */
	struct report_link *links;
	size_t nlinks;
	struct report_verdict *verdicts;
	size_t nverdicts;
	const struct ladder *ladder; /* NULL: no diagram */
	const char *capture_dir; /* href of the captures' directory from the
	                          * page, "" or ending in '/'; NULL: no captures */
	const struct scn_file *files; /* the scenario's file statements, as run */
	size_t nfiles;
};

/* Write the page; 0, or -1 when a write failed. */
int report_write_html(const struct report_page *p, FILE *f);

/*
 * Run a validated scenario as scn_run does (o->out gets the transcript
 * and verdicts) and write the page to html_path (via html_path.tmp,
 * renamed). The run's status; SCN_EXIT_INVALID with *d when the run could
 * not start or the page could not be written.
 */
int report_run(struct scn *s, const struct scn_run_opts *o, const char *html_path,
               struct scn_diag *d);

/* ---- report_files.c -------------------------------------------------- */

/* The "Files" section (id "files"): a row per file statement, node, path,
 * origin (`from` as written or SCENARIO:LINE), size, contents folded. */
void report_write_files(const struct report_page *p, FILE *f);

/* ---- report_escape.c ------------------------------------------------- */

/* Text for HTML content or a quoted attribute: & < > " ' escaped, control
 * bytes other than tab and newline shown as '?'; UTF-8 passes. */
void report_put_text(FILE *f, const char *s, size_t len);
void report_put_str(FILE *f, const char *s);
/* A relative URL path: bytes outside A-Z a-z 0-9 - . _ ~ / as %XX. */
void report_put_href(FILE *f, const char *path);

/* ---- report_path.c --------------------------------------------------- */

/*
 * The href of directory `dir` seen from the page at `page` (both as given
 * on the command line, relative to the current directory or absolute):
 * "" when the page is in dir, else a relative path ending in '/'
 * ("out/run1/", "../caps/"). Lexical: "." and ".." resolved on the names,
 * as the shell does with cd -L. false when it does not fit in cap.
 */
bool report_relative_dir(const char *page, const char *dir, char *buf, size_t cap);

#endif /* V6LAB_REPORT_H */
