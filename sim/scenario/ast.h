/*
 * The parsed form of a scenario file (v6lab.1, SCENARIO FILES): what the
 * parser produces, what validation checks and completes, what the runner
 * builds the simulation from. Plain data, no simulation objects, so the
 * parser can be tested on its own.
 *
 * Every element keeps the position of the word that introduced it, so
 * that validation and the verdict can name it as FILE:LINE:COL.
 */
#ifndef V6LAB_SCN_AST_H
#define V6LAB_SCN_AST_H

#include "../core/sim.h"

#include <regex.h>

struct scn_pos {
	int line, col; /* 1-based; line 0: no position */
};

/* NODE:IFACE as written in a link, iface or from clause. */
struct scn_ref {
	char node[SIM_NAME_MAX];
	char iface[16];
	struct scn_pos pos;
};

struct scn_node {
	char name[SIM_NAME_MAX];
	char user[SIM_NAME_MAX];  /* `user NAME` of the transcript's prompt; "" = root */
	enum sim_node_kind kind;
	struct scn_pos pos;
};

struct scn_link {
	char name[SIM_NAME_MAX];
	enum sim_link_kind kind;
	struct scn_ref *ends;
	size_t nends;
	sim_time delay;
	uint64_t bandwidth_bps;  /* 0: infinite */
	double loss;             /* probability in [0, 1] */
	uint32_t mtu;            /* 0: the default of the kind */
	uint32_t routers;        /* LINK_PATH */
	struct scn_pos pos;
};

struct scn_addr {
	int family;              /* 4 or 6 */
	uint8_t addr[16];
	uint8_t plen;
	struct scn_pos pos;
};

/* An `iface` line: settings of an interface named in a link. */
struct scn_iface {
	struct scn_ref ref;
	bool has_mac;
	uint8_t mac[6];
	uint32_t mtu;            /* 0: from the link */
	struct scn_addr *addrs;
	size_t naddrs;
};

/* A `file` line: inline (data set by the parser) or `from` a path (data
 * read by validation). */
struct scn_file {
	char node[SIM_NAME_MAX];
	char *path;              /* on the node: "/etc/rc.conf" */
	char *from;              /* NULL for an inline heredoc */
	char *data;
	size_t len;
	struct scn_pos pos, from_pos;
};

struct scn_replay;

/* An `at` line: a command run on a node, a link action
 * (`at 60s link adsl down`: link[0] set, node empty, cmd NULL), or a
 * replay (`at 1s replay FILE on LINK`: replay and link[0] set). */
struct scn_at {
	sim_time time;           /* absolute, after resolving +relative */
	char node[SIM_NAME_MAX];
	char *cmd;
	struct scn_pos pos, node_pos;
	char link[SIM_NAME_MAX]; /* link action: the link, and up or down */
	bool link_up;
	char *replay;            /* replay: the capture FILE as written */
	char *filter;            /* replay: `filter "EXPR"`, NULL if none */
	struct scn_pos file_pos, filter_pos;
	struct scn_replay *packets; /* replay: loaded by validation (replay.h) */
};

enum scn_expect_kind {
	EXP_SAYS,                /* NODE says "TEXT" */
	EXP_MATCHES,             /* NODE matches /REGEX/ */
	EXP_PACKET,              /* packet on LINK "FILTER" [count N] [from NODE:IFACE] */
	EXP_NO_PACKET,           /* for D: no packet on LINK "FILTER" [from NODE:IFACE] */
	EXP_ROUTE,               /* NODE route "PREFIX" [via GW] [on IFACE] */
	EXP_ADDRESS,             /* NODE address "ADDR" on IFACE */
};

struct scn_expect {
	enum scn_expect_kind kind;
	int line;
	char *text_src;          /* the line as written, without comment: for verdicts */
	sim_time start;          /* time of the preceding `at`, 0 if none */
	sim_time duration;       /* `within D` / `for D` */
	char node[SIM_NAME_MAX]; /* says, matches, route, address */
	char link[SIM_NAME_MAX]; /* packet, no packet */
	char *text;              /* says: TEXT; matches: REGEX; packet: FILTER;
	                          * route: PREFIX; address: ADDR */
	uint32_t count;          /* packet: at least this many (default 1) */
	bool has_from;
	struct scn_ref from;
	char *via;               /* route: gateway as written, NULL if not given */
	struct scn_addr via_addr;/* route: the gateway's address */
	char via_scope[16];      /* route: IFACE of a gateway written ADDR%IFACE */
	char iface[16];          /* route (optional), address: the interface */
	struct scn_pos pos, node_pos, link_pos, text_pos, via_pos, iface_pos;
	struct scn_addr prefix;  /* EXP_ROUTE: the prefix; EXP_ADDRESS: the address */
	bool has_plen;           /* EXP_ADDRESS written ADDR/LEN: check the length too */
	int goal;                /* index in scn.goals of the goal line above; -1: none */
	/* Filled in by validation. */
	bool regex_ok;
	regex_t regex;           /* EXP_MATCHES */
};

/* A `goal "TEXT" hint "TEXT"` line (the labs' checker): the expectations
 * after it, up to the next goal line, are this goal's. `v6lab run`
 * ignores goals. */
struct scn_goal {
	char *text;
	char *hint;
	struct scn_pos pos;
};

struct scn {
	char *file;              /* name used in messages */
	char *dir;               /* directory of the file, for `file ... from` */
	char *src;               /* the whole text, NUL-terminated */
	size_t srclen;
	const char **lines;      /* start of each line in src, 1-based: lines[1] */
	size_t nlines;

	bool has_seed;
	uint64_t seed;
	bool has_start;
	uint64_t start_unix_ns;
	bool has_end;
	sim_time end;
	struct scn_pos seed_pos, start_pos, end_pos;

	struct scn_node *nodes;
	size_t nnodes;
	struct scn_link *links;
	size_t nlinks;
	struct scn_iface *ifaces;
	size_t nifaces;
	struct scn_file *files;
	size_t nfiles;
	struct scn_at *ats;
	size_t nats;
	struct scn_expect *expects;
	size_t nexpects;
	struct scn_goal *goals;
	size_t ngoals;
};

/* An error with its place: FILE:LINE:COL: message. */
struct scn_diag {
	char msg[512];           /* "FILE:LINE:COL: message" */
	char text[256];          /* the offending line, empty if none */
	int col;                 /* where the caret goes, 0: no caret */
};

#endif /* V6LAB_SCN_AST_H */
