/*
 * Internal contract of sim/apps: the per-node state, the command handlers
 * the shell dispatches to, and the helpers they share (option parsing
 * without getopt's global state, FreeBSD-style address text).
 */
#ifndef V6LAB_APPS_INT_H
#define V6LAB_APPS_INT_H

#include "apps.h"
#include "../net/net.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ping_job;

/*
 * A program holding the node's terminal (ppp(8) in interactive mode): a
 * command line whose first word it owns is typed at its prompt instead of
 * the shell's; any other line runs in "another terminal", and `other` lets
 * the program finish the line it had on screen first.
 */
struct apps_fg {
	bool (*owns)(void *user, const char *word);
	int (*run)(void *user, const char *cmdline);
	void (*other)(void *user);
	void *user;
};
/* Set (fg != NULL) or clear the node's foreground program (apps/shell.c). */
void apps_set_foreground(struct sim_node *n, const struct apps_fg *fg);

struct apps_node {
	struct sim_node *node;
	struct ping_job **jobs;   /* never freed before the node: events point at them */
	size_t njobs, cap;
	uint32_t next_pid;        /* FreeBSD-like pids: ping's ident is pid & 0xffff */
	const char *grep;         /* `| grep WORD` while a command's output is produced */
	bool grep_invert;
	struct apps_fg fg;        /* foreground program, fg.run NULL when none */
	struct pppd *ppp;         /* ppp(8) and its tun0, or NULL (apps/ppp.c) */
	struct dhcp6c *dhcp6c;    /* the running dhcp6c, or NULL (apps/dhcp6c.c) */
	struct dhcp6s *dhcp6s;    /* the running dhcp6s, or NULL (apps/dhcp6s.c) */
	struct isp_node *isp;     /* NODE_ISP: the `isp` command's BRAS (apps/isp.c) */
	struct nat6to4d *nat6to4d; /* the divert translator, or NULL (apps/nat6to4d.c) */
};

/* Print one or more output lines of the node (through the grep filter). */
void apps_say(struct sim_node *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void apps_vsay(struct sim_node *n, const char *fmt, va_list ap);

/* A command: argv[0] is its name. Returns its exit status. */
typedef int (*apps_cmd_fn)(struct sim_node *n, int argc, char **argv);

int cmd_ping6(struct sim_node *n, int argc, char **argv);
int cmd_ping(struct sim_node *n, int argc, char **argv);
int cmd_ifconfig(struct sim_node *n, int argc, char **argv);
int cmd_netstat(struct sim_node *n, int argc, char **argv);
int cmd_ndp(struct sim_node *n, int argc, char **argv);   /* apps/ndp.c */
int cmd_route(struct sim_node *n, int argc, char **argv);
int cmd_sysctl(struct sim_node *n, int argc, char **argv);
int cmd_rtadvd(struct sim_node *n, int argc, char **argv);
int cmd_ppp(struct sim_node *n, int argc, char **argv);
/*
 * ppp(8)'s state on the node, for the step view: "phase Network, LCP
 * Opened, IPCP Opened, IPV6CP Opened" (ppp(8)'s phase names, RFC 1661's
 * automaton states). False (buf untouched) when ppp is not running.
 */
bool ppp_status(const struct sim_node *n, char *buf, size_t len);
int cmd_dhcp6c(struct sim_node *n, int argc, char **argv);
int cmd_dhcp6s(struct sim_node *n, int argc, char **argv);
int cmd_killall(struct sim_node *n, int argc, char **argv);
int cmd_isp(struct sim_node *n, int argc, char **argv);
/* The jails' LDAP, POP3 and IMAP servers and their clients (ldapd.c, ldapsearch.c, pop3d.c, imapd.c). */
int cmd_ldapd(struct sim_node *n, int argc, char **argv);
int cmd_ldapsearch(struct sim_node *n, int argc, char **argv);
int cmd_pop3d(struct sim_node *n, int argc, char **argv);
int cmd_pop3(struct sim_node *n, int argc, char **argv);
int cmd_imapd(struct sim_node *n, int argc, char **argv);
int cmd_imap(struct sim_node *n, int argc, char **argv);
int cmd_ipfw(struct sim_node *n, int argc, char **argv);
int cmd_telnet(struct sim_node *n, int argc, char **argv);
/* The telnet session's state names ("CONNECTING", ...), for traces. */
const char *telnet_state_name(int state);
int cmd_rompager(struct sim_node *n, int argc, char **argv);
int cmd_httpd(struct sim_node *n, int argc, char **argv);
int cmd_cat(struct sim_node *n, int argc, char **argv);
int cmd_named(struct sim_node *n, int argc, char **argv);
int cmd_host(struct sim_node *n, int argc, char **argv);
int cmd_nat6to4d(struct sim_node *n, int argc, char **argv);
int cmd_nat6to4ctl(struct sim_node *n, int argc, char **argv);
/* SIGTERM to the node's nat6to4d (for killall): 0, or -1 when none runs. */
int nat6to4d_terminate(struct sim_node *n);
/*
 * The running nat6to4d's live sessions, for the step view: each as one line
 * of `nat6to4ctl show sessions` without the countdown ("tcp
 * 2001:db8::2.40000 203.0.113.1.1024 202.83.176.248.80 ESTABLISHED"), given
 * to fn. Returns how many, or -1 when nat6to4d is not running. Changes
 * nothing (expired sessions are skipped, not removed).
 */
long nat6to4d_sessions(const struct sim_node *n, void (*fn)(void *user, const char *line),
                       void *user);

/* ---- options (apps/util.c): getopt(3) semantics, state in the struct ---- */
struct apps_opt {
	int ind;          /* next argv index, starts at 1 */
	int pos;          /* position inside a cluster like -vc */
	const char *arg;  /* argument of the option returned */
	char bad;         /* the offending option letter after '?' */
	bool missing;     /* ... which lacked its argument (else: unknown) */
};
void apps_opt_init(struct apps_opt *o);
/* Next option letter, '?' on an unknown one or a missing argument, -1 at the end. */
int apps_getopt(struct apps_opt *o, int argc, char **argv, const char *spec);

/* Whole-string decimal integer; false when not a number or out of [lo, hi]. */
bool apps_parse_long(const char *s, long lo, long hi, long *out);
/* Decimal seconds like "0.5" or "2" into nanoseconds; false when malformed. */
bool apps_parse_seconds(const char *s, sim_time *out);

/* ---- addresses (apps/util.c) ---- */
#define APPS_ADDRSTRLEN 64   /* IPv6 text + "%" + interface name + "/128" */

bool apps_is_linklocal6(const uint8_t a[16]);   /* fe80::/10, ff02::/16, ff01::/16 */
/* FreeBSD getnameinfo(NI_NUMERICHOST) form: scope added as %ifname. */
void apps_fmt6(char *buf, size_t len, const uint8_t a[16], const struct sim_iface *scope);
void apps_fmt4(char *buf, size_t len, const uint8_t a[4]);
/*
 * "ADDR" or "ADDR%IFACE" into bytes and scope interface (NULL without %).
 * Returns 0, -1 for a malformed address, -2 for an unknown interface.
 */
int apps_parse6(struct sim_node *n, const char *text, uint8_t out[16], struct sim_iface **scope);
bool apps_parse4(const char *text, uint8_t out[4]);

/* A new process id for the node (deterministic: a counter per node). */
uint32_t apps_new_pid(struct sim_node *n);

/* ---- ping jobs (apps/pingjob.c): what ping and ping6 share ---------- */
#define PING_DUP_BITS 1024   /* duplicate detection window (sequence numbers) */

struct ping_job {
	struct sim_node *node;
	struct sim_timer timer;
	bool active, v6, verbose, quiet;
	bool timing;              /* payload holds a timestamp: print times */
	bool almost_done;         /* last probe sent, waiting for stragglers */
	uint16_t ident;
	uint8_t dst[16], src[16];
	struct sim_iface *oif;    /* forced outgoing interface (%scope), or NULL */
	char host[APPS_ADDRSTRLEN]; /* the target as typed, for the summary */
	int hlim;                 /* -h / -m, or -1 for the node's default */
	uint32_t datalen;         /* -s */
	long npackets;            /* -c, 0 = until stopped */
	long ntransmitted, nreceived, nrepeats;
	sim_time interval;        /* -i */
	double tmin, tmax, tsum, tsumsq;
	uint8_t rcvd[PING_DUP_BITS / 8];
	bool listening;
	bool has_grep, grep_invert; /* `ping6 ... | grep WORD` filters later lines too */
	char grep[64];
	struct icmp6_listener l6; /* registered while the job runs */
	struct icmp4_listener l4;
};

/* An idle job of the node (reused: pending events may still point at it). */
struct ping_job *ping_job_new(struct sim_node *n);
struct ping_job *ping_job_find(struct sim_node *n, bool v6, uint16_t ident);
/* Send the first probe now and run the FreeBSD timing from there. */
void ping_job_start(struct ping_job *j);
/* Count a reply; returns the round-trip time in ms (or -1 without timing)
 * and sets *dup for a sequence number seen before. May finish the job. */
double ping_job_reply(struct ping_job *j, uint16_t seq, const uint8_t *data, size_t dlen,
                      bool *dup);
/* Output of a running job, through its own `| grep`. */
void ping_say(struct ping_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Finish now if every probe was answered (after the reply was printed). */
void ping_job_check_done(struct ping_job *j);
/* The echo payload FreeBSD sends: timestamp, then bytes 8, 9, 10, ... */
void ping_fill_payload(struct ping_job *j, uint8_t *data);

/* Family-specific probe senders (ping6.c, ping.c). */
void ping6_send(struct ping_job *j);
void ping4_send(struct ping_job *j);
/* Start / stop hearing the job's replies and errors (ping6.c, ping.c). */
void ping6_listen(struct ping_job *j);
void ping4_listen(struct ping_job *j);

#endif /* V6LAB_APPS_INT_H */
