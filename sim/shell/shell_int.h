/*
 * Internal contract of sim/shell: the shell's state (shell_cmd.c), its own
 * commands (shell_builtins.c), the frames kept per link for `tcpdump`
 * (shell_capture.c, shell_tcpdump.c), running a node's command and
 * printing what appeared (shell_run.c), the commands a line started
 * (shell_jobs.c), and line splitting (shell_line.c).
 */
#ifndef V6LAB_SHELL_INT_H
#define V6LAB_SHELL_INT_H

#include "shell.h"
#include "../scenario/scn_int.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- shell_capture.c: the last frames of every link ------------------ */

#define SHELL_RING_FRAMES 1000     /* frames kept per link */

struct shell_frame {
	sim_time time;
	const struct sim_iface *from;  /* sender; NULL: injected by a replay */
	bool lost;
	uint32_t len;
	uint8_t *data;
};

/* A ring of a link's most recent frames, oldest overwritten first. */
struct shell_ring {
	struct shell_frame *slots;
	size_t cap;
	uint64_t total;                /* frames ever pushed */
};

void shell_ring_init(struct shell_ring *r, size_t cap);
void shell_ring_free(struct shell_ring *r);
/* Keep a copy of the frame (false: out of memory, the frame is skipped). */
bool shell_ring_push(struct shell_ring *r, const struct sim_frame_info *f);
/* Frames kept: min(total, cap). */
size_t shell_ring_count(const struct shell_ring *r);
/* The i-th kept frame, 0 the oldest. */
const struct shell_frame *shell_ring_get(const struct shell_ring *r, size_t i);

/* One ring per link of the simulation, by link id (hidden path hops too:
 * the runner's frame_tap sees only a path's first hop). */
struct shell_capture {
	struct shell_ring *rings;
	size_t nrings;
};

int shell_capture_attach(struct shell_capture *c, struct sim *sim, size_t per_link);
void shell_capture_free(struct shell_capture *c);
/* The ring of a link, NULL if the link came after attach. */
const struct shell_ring *shell_capture_ring(const struct shell_capture *c,
                                            const struct sim_link *l);

/* ---- shell_line.c: words of a line ---------------------------------- */

#define SHELL_LINE_MAX 1024
#define SHELL_WORDS_MAX 64

/* Split like sh: blanks separate, '...' and "..." quote. Words point into
 * buf (at least strlen(line) + 1 bytes). Returns the count, or -1 for an
 * unmatched quote or more than max words. */
int shell_split(const char *line, char *buf, char **words, int max);
/* Strip trailing CR/LF and blanks and leading blanks, in place. */
char *shell_trim(char *line);
/* `NODE# command`: the node name and the command, when the line has that
 * form (a prompt pasted from a transcript or a scenario). */
bool shell_prompt_form(const char *line, char *node, size_t cap, const char **cmd);
/* "HH:MM:SS.uuuuuu" of a Unix time in ns (UTC), as tcpdump stamps a line. */
void shell_format_stamp(uint64_t unix_ns, char *buf, size_t len);
/* "Sat May  3 09:00:12 UTC 2008", as FreeBSD's date(1) prints it. */
void shell_format_date(uint64_t unix_ns, char *buf, size_t len);
/* `wait`/`sleep` argument: a scenario duration (5s, 500ms, 2min) or a
 * number of seconds (5, 1.5). */
bool shell_parse_wait(const char *arg, sim_time *out);

/* ---- shell_tcpdump.c ------------------------------------------------ */

struct shell_tcpdump_args {
	const char *iface;             /* -i; NULL: the node's first linked one */
	bool has_count;
	uint32_t count;                /* -c N: the last N matching frames */
	bool link_hdr;                 /* -e */
	const char *write_file;        /* -w FILE */
	char filter[SHELL_LINE_MAX];   /* the rest, joined by blanks */
};

/* Parse tcpdump's words (words[0] is "tcpdump"). 0, or -1 with a message
 * in err as tcpdump words it. */
int shell_tcpdump_parse(int n, char **words, struct shell_tcpdump_args *a, char *err,
                        size_t errlen);

/* ---- the shell (shell_cmd.c) ---------------------------------------- */

struct shell {
	struct scn *s;
	struct scn_session *ss;
	struct sim *sim;
	const struct scn_node *cur;    /* the node commands run on */
	size_t printed;                /* lines of sim->out already shown */
	struct shell_capture cap;
	FILE *in, *out;
	bool tty;                      /* stdin is a terminal: it echoes for us */
	bool quit;
};

/* The prompt of a node: "k7# " for root, "freefall% " for a `user`. */
void shell_prompt(const struct scn_node *n, char *buf, size_t len);

/* ---- shell_jobs.c: the commands a line started ----------------------- */

#define SHELL_JOBS_MAX 64

struct shell_jobs {
	size_t n;
	size_t slot[SHELL_JOBS_MAX];
	uint16_t ident[SHELL_JOBS_MAX];
};

/* The node's running commands now. */
void shell_jobs_take(const struct sim_node *n, struct shell_jobs *j);
/* Those of `after` not in `before`: what a line started. */
void shell_jobs_new(const struct shell_jobs *before, const struct shell_jobs *after,
                    struct shell_jobs *out);
/* How many of `j` still run. */
size_t shell_jobs_running(const struct sim_node *n, const struct shell_jobs *j);

/* ---- shell_run.c ---------------------------------------------------- */

#define SHELL_CMD_BOUND (60 * SIM_S)   /* a command gets this much virtual time */
#define SHELL_STEP (100 * SIM_MS)      /* as the runner settles commands */

/* Print the transcript lines that appeared since the last call; `own`
 * (may be NULL) is a command just typed on the current node, already on
 * screen, so its transcript copy is skipped. */
void shell_print_new(struct shell *sh, const char *own);
/* Run a line on a node; wait while the commands it started run. */
void shell_run_on_node(struct shell *sh, const struct scn_node *n, const char *cmd);
/* Let `d` of virtual time pass, printing what appears. */
void shell_wait(struct shell *sh, sim_time d);
/* Until no command runs on any node (bounded). */
void shell_wait_idle(struct shell *sh);
/* `^C`: interrupt the current node's running commands. */
void shell_interrupt(struct shell *sh);

/* ---- shell_builtins.c ------------------------------------------------ */

/* Run one line: the shell's own command, a node switch, or a command of
 * the current node. */
void shell_exec(struct shell *sh, const char *line);
/* `nodes`: every node of the scenario and its interfaces. */
void shell_list_nodes(struct shell *sh);
/* A scenario node by name; prints the error listing the nodes if none. */
const struct scn_node *shell_find_node(struct shell *sh, const char *name);
/* `tcpdump ...` on the current node (shell_tcpdump.c). */
void shell_tcpdump(struct shell *sh, int n, char **words);

#endif /* V6LAB_SHELL_INT_H */
