/*
 * Scenario files: parse -> validate -> run -> verify, as packetdrill does.
 * A scenario that does not validate never starts (v6lab.1).
 */
#ifndef V6LAB_SCENARIO_H
#define V6LAB_SCENARIO_H

#include "ast.h"

#include <stdio.h>

/* Exit statuses of `v6lab run`. */
#define SCN_EXIT_PASS    0
#define SCN_EXIT_FAIL    1
#define SCN_EXIT_INVALID 2

/* Parse scenario text; `file` is the name used in messages and `dir` the
 * directory that `file ... from` paths are relative to (NULL: "."). NULL
 * and *d filled in on error. */
struct scn *scn_parse(const char *file, const char *dir, const char *text, size_t len,
                      struct scn_diag *d);
/* Read and parse a file (dir: the file's directory). */
struct scn *scn_parse_file(const char *path, struct scn_diag *d);
/* Resolve every name, compile filters and patterns, read `file ... from`
 * files, check the times. 0, or -1 with *d filled in. */
int scn_validate(struct scn *s, struct scn_diag *d);
void scn_free(struct scn *s);
/* Parse and validate a scenario file; on failure print the diagnostic to
 * err and return NULL (the command then exits SCN_EXIT_INVALID). */
struct scn *scn_load(const char *path, FILE *err);

/* "FILE:LINE:COL: message", then the line and a caret under the column. */
void scn_diag_print(FILE *f, const struct scn_diag *d);

struct scn_run_opts {
	const char *out_dir;     /* captures go here; NULL: none written */
	bool has_seed;           /* --seed overrides the file's seed */
	uint64_t seed;
	bool trace;              /* one line per frame per link, as it happens */
	bool quiet;              /* no transcript, no PASS lines */
	FILE *out;               /* transcript and verdicts */
	struct scn_stats *stats; /* filled at the end of the run when not NULL */
	/* Called for every frame on every scenario link (a path link: its
	 * first hop), after the captures' taps; NULL: none (v6lab ladder). */
	sim_tap_fn frame_tap;
	void *frame_tap_user;
	/* Called when a timeline command is about to run on NODE (v6lab run
	 * --step pauses here); NULL: none. */
	void (*command_hook)(void *user, sim_time now, const char *node, const char *cmd);
	void *command_hook_user;
	/* Called for each expectation as its verdict is settled, in file
	 * order: held or not, and (when it failed) what was seen instead, the
	 * text printed after "seen instead: " (v6lab run --html); NULL: none. */
	void (*verdict_hook)(void *user, const struct scn_expect *e, bool held,
	                     const char *seen_instead);
	void *verdict_hook_user;
};

/* What a run did, for --stats and the benchmark (all deterministic). */
struct scn_stats {
	sim_time simulated;      /* virtual time reached */
	uint64_t events;         /* events run */
	uint64_t frames;         /* frames sent, summed over every link */
	uint64_t bytes;          /* their bytes */
	uint32_t pbuf_peak;      /* packet buffers in use at the worst moment */
	size_t nodes, links;
};

/* Run a validated scenario and print transcript + verdicts. Returns
 * SCN_EXIT_PASS, SCN_EXIT_FAIL, or SCN_EXIT_INVALID (with *d) when the
 * simulation could not be built as described. */
int scn_run(struct scn *s, const struct scn_run_opts *o, struct scn_diag *d);

/* The same run in steps, for v6lab shell and run --step: open builds the
 * simulation (NULL and *d on failure); run_until advances virtual time;
 * command runs a command on a node now, as an `at` line would (-1: no
 * such node); finish runs the rest as scn_run does and prints transcript
 * and verdicts (the exit status); close frees it all. s and o must
 * outlive the session. */
struct scn_session;
struct scn_session *scn_session_open(struct scn *s, const struct scn_run_opts *o,
                                     struct scn_diag *d);
struct sim *scn_session_sim(struct scn_session *ss);
sim_time scn_session_planned_end(const struct scn_session *ss);
void scn_session_run_until(struct scn_session *ss, sim_time t);
int scn_session_command(struct scn_session *ss, const char *node, const char *cmd);
int scn_session_finish(struct scn_session *ss);
void scn_session_close(struct scn_session *ss);

/* Durations as written in scenarios: "10s", "1.5s", "250ms", "20us",
 * "100ns", "2min". Exact (no floating point). false when invalid. */
bool scn_parse_duration(const char *s, sim_time *out);
/* "1.5s", "250ms": the shortest exact form, for messages. */
void scn_format_duration(sim_time t, char *buf, size_t len);

#endif /* V6LAB_SCENARIO_H */
