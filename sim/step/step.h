/*
 * `v6lab run --step FILE.scn`: the scenario one step at a time, as Packet
 * Tracer's simulation mode shows it (v6lab.1, STEP MODE).
 *
 * A step is a frame on a scenario link (the runner's frame tap) or a
 * timeline command about to run (its command hook). The simulation is
 * synchronous, so the tap blocking on a key is a pause. Each step shows
 * its header, the tcpdump -n line, every field of the frame layer by
 * layer, and the node state lines that changed since the previous step.
 *
 *   step_cmd.c    the controller: runs, pauses, back (a silent re-run up
 *                 to the previous step: the run is deterministic), continue
 *   step_view.c   printing one step
 *   step_state.c  node state snapshots and their line diff
 *   step_keys.c   the terminal: keys in cbreak mode, or lines from a pipe
 */
#ifndef V6LAB_STEP_H
#define V6LAB_STEP_H

#include "../scenario/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* ---- step_cmd.c ----------------------------------------------------------- */

/*
 * Run a validated scenario in steps, the keys read from stdin and the
 * steps shown on stdout; `base` carries --out, --seed and --quiet. At the
 * end the transcript and verdicts as `v6lab run` prints them. Returns the
 * run's exit status, SCN_EXIT_PASS after `q`, SCN_EXIT_INVALID (with *d)
 * when the simulation could not be built.
 */
int step_run(struct scn *s, const struct scn_run_opts *base, struct scn_diag *d);

/* ---- step_state.c: what each node knows, as lines ----------------------- */

struct step_lines {
	char **v;
	size_t n, cap;
};

struct step_node_state {
	char *name;
	struct step_lines lines;
};

/* One text snapshot of every scenario node's interesting state. */
struct step_snap {
	struct step_node_state *nodes;
	size_t n;
};

void step_lines_add(struct step_lines *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void step_lines_free(struct step_lines *l);

/*
 * The nodes of the scenario in the simulation's order (not the hidden
 * routers of path links, not bridges), each with lines like
 *   sk0: inet6 fe80::20f:eaff:fe2c:d518%sk0 prefixlen 64 tentative scopeid 0x1
 *   sk0: neighbor 2001:df0:9::ca53:b0f8 lladdr 00:0c:86:75:24:1b REACHABLE
 *   route 2001:df0:9::/64 link#1 U sk0
 *   dhcp6c: BOUND
 *   ppp: phase Network, LCP Opened, IPCP Ack-Sent, IPV6CP Opened
 *   nat6to4d: 1 session
 *   nat6to4d: session tcp 2001:4f8:fff6::28.63665 192.168.1.1.63665 192.168.1.195.80 ESTABLISHED
 */
void step_snap_take(struct step_snap *snap, const struct scn *s, struct sim *sim);
void step_snap_free(struct step_snap *snap);

/*
 * Print "- line" / "+ line" for what changed from a to b (a longest common
 * subsequence, so a line that stayed is never shown), each preceded by
 * `indent`. Returns the number of lines that changed; out NULL: only
 * counts them.
 */
size_t step_lines_diff(const struct step_lines *a, const struct step_lines *b, const char *indent,
                       FILE *out);
/* Per node: its name, then its changed lines; "  (none)" when nothing
 * changed. Both snapshots come from the same simulation. */
void step_snap_diff(const struct step_snap *a, const struct step_snap *b, const char *since,
                    FILE *out);

/* ---- step_view.c ---------------------------------------------------------- */

/* "0.000153s": seconds from the start, microseconds. */
void step_format_time(sim_time t, char *buf, size_t len);
/* Header line, tcpdump line and every field, layer by layer. */
void step_show_frame(FILE *out, unsigned long step, const struct sim_frame_info *f,
                     unsigned long link_frame);
void step_show_command(FILE *out, unsigned long step, sim_time now, const char *node,
                       const char *cmd);
/* The heading of the layer a field belongs to ("ip6.hlim": "Internet
 * Protocol Version 6") and its label ("Hop Limit"); unknown names keep
 * their own words. */
const char *step_layer_heading(const char *field_name);
void step_field_label(const char *field_name, char *buf, size_t len);

/* ---- step_keys.c ---------------------------------------------------------- */

enum step_key { KEY_NEXT, KEY_BACK, KEY_CONTINUE, KEY_QUIT, KEY_HELP, KEY_EOF, KEY_OTHER };

/* A key pressed (a tty) or the first character of a line (a pipe). */
enum step_key step_key_of_char(int c);
enum step_key step_key_of_line(const char *line);

/* stdin in cbreak mode when it is a tty (restored by step_term_close, at
 * exit and on SIGINT); a pipe is read line by line. */
void step_term_open(void);
void step_term_close(void);
bool step_term_is_tty(void);
/* Wait for the next key; the character itself in *c (for messages). */
enum step_key step_read_key(int *c);

#endif /* V6LAB_STEP_H */
