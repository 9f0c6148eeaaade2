/*
 * Ladder (sequence) diagrams of a scenario's frames (v6lab.1, LADDER
 * DIAGRAMS): nodes as columns, every frame on the chosen links as an arrow
 * from its sender to its receiver(s), labelled with the time and the text
 * trace's one-line summary.
 *
 *   ladder.c       the model: runs the scenario with a tap on every link and
 *                  keeps the frames in the time window, with their columns
 *   ladder_text.c  the ASCII ladder for a terminal
 *   ladder_svg.c   the standalone SVG
 *   ladder_cmd.c   `v6lab ladder FILE.scn ...`, and its options for
 *                  `v6lab lab run N --ladder`
 *
 * Receivers: on Ethernet, a unicast frame goes to the interface owning
 * its destination MAC (or, when none does, to the bridge ports that
 * forward it), a multicast or broadcast frame to every other node on the
 * segment (drawn as one arrow with a fan marker); on p2p links to the
 * other end. A frame with no sender (a replayed capture) comes from the
 * link's edge, a column named "(LINK)"; a unicast frame nobody receives
 * goes to it.
 */
#ifndef V6LAB_LADDER_H
#define V6LAB_LADDER_H

#include "../scenario/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define LADDER_LABEL_MAX 512   /* one summary line, cut beyond */

struct ladder_opts {
	const char *links;       /* "lan,adsl": comma-separated link names; NULL: all */
	sim_time from, to;       /* the window, inclusive, from the scenario's start */
	bool has_seed;           /* --seed overrides the file's seed */
	uint64_t seed;
	FILE *out;               /* the run's failures (quiet run); NULL: stderr */
};

struct ladder_arrow {
	sim_time time;
	size_t from;             /* sender's column */
	size_t *to;              /* receivers' columns, ascending */
	size_t nto;
	bool multicast;          /* group destination: drawn with a fan marker */
	bool lost;               /* dropped by the link's loss model */
	char *label;             /* trace_format without the link layer */
};

struct ladder {
	char **cols;             /* column names, in order of first appearance */
	size_t ncols;
	struct ladder_arrow *arrows;
	size_t narrows;
	int run_rc;              /* SCN_EXIT_PASS / _FAIL of the run */
};

/*
 * Run a validated scenario and collect its ladder. SCN_EXIT_PASS or
 * SCN_EXIT_FAIL (the run's verdict, *out filled), or SCN_EXIT_INVALID
 * with *d filled (an unknown link in o->links names its position in the
 * list; a simulation that could not be built).
 */
int ladder_collect(struct scn *s, const struct ladder_opts *o, struct ladder **out,
                   struct scn_diag *d);
void ladder_free(struct ladder *l);

/*
 * The same from a run the caller makes (v6lab run --html): begin checks
 * o->links (NULL and *d filled when one is unknown; only links, from and
 * to are used); put ladder_collector_tap and the collector in the run's
 * frame_tap; end frees the collector and hands over the ladder with the
 * run's status (NULL when run_rc is SCN_EXIT_INVALID).
 */
struct ladder_collector;
struct ladder_collector *ladder_collector_begin(const struct scn *s, const struct ladder_opts *o,
                                               struct scn_diag *d);
void ladder_collector_tap(void *user, const struct sim_frame_info *f);
struct ladder *ladder_collector_end(struct ladder_collector *c, int run_rc);

/* "12.000345": seconds from the start, microseconds, truncated. */
void ladder_format_time(sim_time t, char *buf, size_t len);

/* Write the diagram; 0, or -1 when a write failed. */
int ladder_write_text(const struct ladder *l, FILE *f);
int ladder_write_svg(const struct ladder *l, FILE *f);
/* The <svg> element alone, without the XML declaration: for inlining in
 * an HTML page (v6lab run --html). */
int ladder_write_svg_element(const struct ladder *l, FILE *f);

/*
 * The ladder's command-line options (ladder_cmd.c), shared by `v6lab
 * ladder` and `v6lab lab run N --ladder`: --links, --from, --to, --seed,
 * --text, -o FILE.svg, --force. Errors go to stderr as "PROG: message"
 * and the usage line under it; they return SCN_EXIT_INVALID.
 */
struct ladder_args {
	const char *prog;        /* "v6lab ladder": starts every message */
	const char *usage;       /* printed under a usage error */
	const char *file;        /* v6lab ladder's FILE.scn */
	const char *svg;         /* -o FILE.svg; NULL: the ASCII ladder on stdout */
	bool text, force, has_to;
	bool given;              /* at least one of the options above */
	struct ladder_opts o;
};

void ladder_args_init(struct ladder_args *a, const char *prog, const char *usage);
/* argv[*i] when it is a ladder option: 1 (its value taken, *i moved past
 * it), 0 when it is not one, SCN_EXIT_INVALID with a message. */
int ladder_args_option(struct ladder_args *a, int argc, char **argv, int *i);
/* The options together (--text or -o, --force with -o, --from before
 * --to), then -o's file: not there yet unless --force, and never in
 * scenarios/ or captures/. 0 or SCN_EXIT_INVALID. */
int ladder_args_check(const struct ladder_args *a);
/* The diagram where the options say: 0, or -1 with a message. */
int ladder_draw(const struct ladder *l, const struct ladder_args *a);

/* `v6lab ladder`: argv[0] is "ladder". Exit status like `v6lab run`. */
int v6lab_ladder_main(int argc, char **argv);

#endif /* V6LAB_LADDER_H */
