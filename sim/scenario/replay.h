/*
 * `at TIME replay FILE on LINK [filter "EXPR"]` (v6lab.1): the packets of
 * a saved capture put onto a link at their recorded relative times.
 * Validation loads the capture (so a bad one stops the scenario before it
 * runs); the runner schedules one injection per packet.
 */
#ifndef V6LAB_SCN_REPLAY_H
#define V6LAB_SCN_REPLAY_H

#include "scn_int.h"

#define REPLAY_MAX_PACKETS 100000u  /* a test input, not a trace archive */

struct scn_replay_pkt {
	sim_time rel;            /* after the first packet kept */
	uint32_t num;            /* its number in the file, 1-based */
	uint32_t len;
	uint8_t *data;
};

/* The packets of a capture that passed the filter, in file order. */
struct scn_replay {
	struct scn_replay_pkt *pkts;
	size_t n;
	int dlt;                 /* the capture's link type (pcap DLT_*) */
};

/* How scn_replay_load failed: which part of the line is at fault. */
enum scn_replay_err { REPLAY_OK = 0, REPLAY_EFILE = -1, REPLAY_EFILTER = -2 };

/*
 * Read capture `path` (named `shown` in messages) for a link of kind
 * `kind` named `link`, keeping the packets `filter` (NULL: all) selects.
 * REPLAY_OK and *out, or an error and a message in err: unreadable file,
 * a link type the link does not carry, a truncated or cut packet
 * ("packet #N, offset M: ..."), a frame too large, nothing selected.
 */
enum scn_replay_err scn_replay_load(const char *path, const char *shown, enum sim_link_kind kind,
                                    const char *link, const char *filter,
                                    struct scn_replay **out, char *err, size_t errlen);
void scn_replay_free(struct scn_replay *r);
/* When the last packet goes out, after the step's time. */
sim_time scn_replay_span(const struct scn_replay *r);

/* One replay step bound to its link for a run. */
struct scn_replay_run {
	const struct scn_replay *r;
	struct sim_link *link;
};

/* Schedule every packet of run->r onto run->link at `at` + its relative
 * time. `run` must live until the simulation is freed. */
void scn_replay_schedule(struct scn_replay_run *run, struct sim *sim, sim_time at);

#endif /* V6LAB_SCN_REPLAY_H */
