/*
 * ipfw(8) of FreeBSD 6/7, the subset a gateway like the seed's uses:
 *
 *   [NUM] ACTION PROTO from [not] SRC [PORTS] to [not] DST [PORTS]
 *         [[not] in|out] [[not] via|recv|xmit IFACE] ...
 *
 * Rules are parsed (ipfw_parse.c) into struct ipfw_rule, kept sorted by
 * number per node with the default rule 65535 last (ipfw.c), and run as
 * the node's net->filter hook on every IP packet in and out. A `divert`
 * rule hands the packet to divert.c (divert.h: the sockets).
 *
 * The default rule is `allow ip from any to any`: the seed's box showed
 * `65535 ... allow ip from any to any`, a kernel built with
 * IPFIREWALL_DEFAULT_TO_ACCEPT (FreeBSD's own default is deny).
 */
#ifndef V6LAB_IPFW_H
#define V6LAB_IPFW_H

#include "../core/sim.h"
#include "divert.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPFW_DEFAULT_RULE 65535
#define IPFW_AUTOINC_STEP 100     /* net.inet.ip.fw.autoinc_step */
#define IPFW_MAX_PORTS 16         /* ranges in one port list */
#define IPFW_MAX_OPTS 8           /* options after the destination */
#define IPFW_ERRLEN 160           /* room for a parser message */

enum ipfw_action {
	IPFW_ALLOW,     /* allow accept pass permit */
	IPFW_DENY,      /* deny drop */
	IPFW_COUNT,
	IPFW_SKIPTO,    /* arg: rule number */
	IPFW_REJECT,    /* unreach CODE / reject / reset: arg ICMP code or IPFW_RST */
	IPFW_UNREACH6,  /* unreach6 CODE: arg ICMPv6 code */
	IPFW_DIVERT,    /* arg: divert port */
};
#define IPFW_RST 0x100            /* `reset`: a TCP RST instead of an ICMP error */

enum ipfw_proto_kind {
	IPFW_P_ALL,     /* ip / all */
	IPFW_P_IP4,     /* ip4 / ipv4 */
	IPFW_P_IP6,     /* ip6 / ipv6 */
	IPFW_P_NUM,     /* a protocol by name or number: the upper layer */
};

enum ipfw_addr_kind {
	IPFW_A_ANY,
	IPFW_A_ME,      /* any address of the node, IPv4 or IPv6 (FreeBSD 7) */
	IPFW_A_ME6,     /* any IPv6 address of the node */
	IPFW_A_NET4,    /* address/plen (plen 32: one host) */
	IPFW_A_NET6,    /* address/plen (plen 128: one host) */
};

struct ipfw_addr {
	uint8_t kind;           /* enum ipfw_addr_kind */
	bool not;
	uint8_t plen;
	uint8_t addr[16];       /* IPv4 in the first 4 bytes; host bits cleared */
};

struct ipfw_ports {
	uint8_t n;              /* 0: no port list */
	bool not;
	uint16_t lo[IPFW_MAX_PORTS], hi[IPFW_MAX_PORTS];
};

enum ipfw_opt_kind { IPFW_O_IN, IPFW_O_VIA, IPFW_O_RECV, IPFW_O_XMIT };

struct ipfw_opt {
	uint8_t kind;           /* enum ipfw_opt_kind; `out` is `not in` */
	bool not;
	char ifname[16];
};

struct ipfw_rule {
	uint16_t num;           /* 0 from the parser: numbered when added */
	uint8_t action;         /* enum ipfw_action */
	uint16_t arg;
	uint8_t proto_kind;     /* enum ipfw_proto_kind */
	uint8_t proto;          /* IPFW_P_NUM: the protocol number */
	bool proto_not;
	struct ipfw_addr src, dst;
	struct ipfw_ports sport, dport;
	struct ipfw_opt opt[IPFW_MAX_OPTS];
	uint8_t nopt;
	uint64_t pcnt, bcnt;    /* packets and bytes (whole IP packets) matched */
};

/* ---- parser (ipfw_parse.c) ------------------------------------------- */

/*
 * The words after `ipfw add` (argv[0] is the rule number or the action).
 * 0 and *r filled, or -1 with ipfw(8)'s own message in err (without the
 * "ipfw: " that errx(3) puts in front), e.g. "invalid action frob",
 * "missing ``from''", "invalid protocol ``icmpx''".
 */
int ipfw_parse(int argc, char **argv, struct ipfw_rule *r, char *err, size_t errlen);
/* The rule as `ipfw list` prints it after the number ("divert 8666 ip6
 * from any to me6 via tun1"). */
void ipfw_format(const struct ipfw_rule *r, char *buf, size_t len);
/* Split one line of a rules file (or of a command) into words in place:
 * blanks separate, `#` starts a comment. Returns the count (<= max). */
int ipfw_split(char *line, char **argv, int max);

/* ---- the rule list of a node (ipfw.c) ---------------------------------- */

struct ipfw_chain {
	struct ipfw_rule *r;    /* sorted by number, stable; the default rule last */
	size_t n, cap;
};

/* The node's ipfw, made (with the default rule, and the filter hook
 * installed on its stack) on first use; NULL for a node without a stack. */
struct ipfw_chain *ipfw_chain(struct sim_node *n);
/* Add a parsed rule: number 0 gets the last rule's + 100 (autoinc_step).
 * A rule goes after the rules of its number. The stored copy (counters
 * zero) is returned, NULL when the number is 65535 (EINVAL). */
const struct ipfw_rule *ipfw_add(struct sim_node *n, const struct ipfw_rule *r);
/* Delete every rule numbered num: the number of rules removed (0: none). */
size_t ipfw_delete(struct sim_node *n, uint16_t num);
/* Zero the counters of rule num (0: all rules). false when num has no rule. */
bool ipfw_zero(struct sim_node *n, uint16_t num);
/* Remove every rule but the default one. */
void ipfw_flush(struct sim_node *n);

/*
 * Run the rules on one packet, starting after rule number `after` (0:
 * from the first rule), as the filter hook does. ifp: the interface it
 * came in on (dir DIVERT_IN) or leaves by (DIVERT_OUT). Returns true when
 * the packet was taken: denied, diverted, rejected.
 */
bool ipfw_check(struct sim_node *n, struct sim_iface *ifp, int dir, const uint8_t *ip,
                size_t len, uint32_t after);

/* ---- between ipfw.c and divert.c ---------------------------------------- */

struct divert_state;

/* A node's ipfw: its rules, the resume point of a reinjected packet, its
 * divert sockets. Hangs off net->ipfw; freed with the simulation. */
struct ipfw_state {
	struct sim_node *node;
	struct ipfw_chain chain;
	/* The next call of the filter hook for exactly this packet buffer in
	 * this direction starts after rule resume_after (a reinjection). */
	const uint8_t *resume_pkt;
	int resume_dir;
	uint32_t resume_after;
	struct divert_state *divert;  /* divert.c, NULL until a socket is bound */
};

/* The node's state, made (and the hook installed) on first use; NULL for
 * a node without a network stack. */
struct ipfw_state *ipfw_state_get(struct sim_node *n);
/* A `divert PORT` rule matched: the packet goes to divert.c, which queues
 * it for the socket bound to the port or drops it. */
void divert_packet(struct sim_node *n, uint16_t port, const struct divert_info *info,
                   const uint8_t *ip, size_t len);
/* At sim_free (ipfw.c's hook): the sockets still open outlive the node's
 * state until their divert_close. */
void divert_state_release(struct sim *sim, struct divert_state *d);

#endif /* V6LAB_IPFW_H */
