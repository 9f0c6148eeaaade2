/*
 * Expectations while a scenario runs (expect.c) and after (verdict.c):
 * packet expectations are fed by a tap on their link, route and address
 * expectations poll the node every 10 ms of virtual time inside their
 * window, output expectations read the transcript at the end.
 */
#ifndef V6LAB_SCN_EXPECT_H
#define V6LAB_SCN_EXPECT_H

#include "scn_int.h"

#include <pcap/pcap.h>

#define XP_RECENT 4          /* packets kept for "seen instead" */
#define XP_SNAP 200          /* bytes kept of each: enough for the headers */
#define XP_POLL (10 * SIM_MS)

struct xp_frame {
	sim_time time;
	uint32_t len, caplen;
	uint8_t data[XP_SNAP];
};

struct xp_state {
	const struct scn_expect *e;
	struct sim *sim;
	struct sim_node *node;         /* says, matches, route, address */
	const struct sim_iface *from;  /* packet: only frames sent by it */
	int dlt;                       /* trace_format's link type */
	struct bpf_program prog;
	bool has_prog;
	bool held;                     /* decided: the expectation held */
	sim_time held_at;
	uint32_t seen;                 /* matching frames in the window */
	struct xp_frame recent[XP_RECENT];
	uint32_t nrecent;              /* frames in the window, all kinds */
	struct xp_frame first_match;   /* no packet: the first offender */
	char desc[400];                /* route, address: what the last poll saw */
};

/* Frames of one link, fanned out to its packet expectations. */
struct xp_watch {
	struct xp_state **xs;
	size_t n;
	int dlt;
	FILE *trace;                   /* --trace: one line per frame, or NULL */
	struct sim *sim;
};

struct xp_set {
	struct xp_state *xs;
	size_t n;
	struct xp_watch *watch;        /* one per scenario link */
	size_t nwatch;
};

/* Build the states; links[i] is the simulated link of s->links[i]. */
int xp_init(struct xp_set *x, const struct scn *s, struct sim *sim, struct sim_link **links,
            FILE *trace, struct scn_diag *d);
/* Schedule the polls of route and address expectations. */
void xp_schedule(struct xp_set *x);
/* A sim_tap_fn: user is a struct xp_watch. */
void xp_tap(void *user, const struct sim_frame_info *f);
void xp_free(struct xp_set *x);
/* The end of the latest window. */
sim_time xp_last_window_end(const struct scn *s);

/* verdict.c: settle the output expectations, print one line each (none
 * for a pass with o->quiet), tell o->verdict_hook; the number that failed. */
size_t xp_verdicts(struct xp_set *x, const struct scn *s, FILE *out,
                   const struct scn_run_opts *o);
/* The transcript: prompts (`[~] USER@NODE>`, USER from the scenario's
 * node line, root by default) and output in time order. */
void scn_print_transcript(const struct scn *s, const struct sim *sim, FILE *out);
/* Route and address checks (checks.c): true when present; otherwise what
 * is there instead, in buf. */
bool xp_has_route(struct sim_node *n, const struct scn_expect *e, char *buf, size_t len);
bool xp_has_address(struct sim_node *n, const struct scn_expect *e, char *buf, size_t len);

#endif /* V6LAB_SCN_EXPECT_H */
