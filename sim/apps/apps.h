/*
 * v6lab apps: the commands a scenario runs on a node (`at 10s k7# ping6 ...`),
 * with FreeBSD 8's output character for character: ping6, ping, ifconfig,
 * netstat -rn, route, sysctl, rtadvd.
 *
 * A command line runs as the node's sh would: its prompt and text go into
 * the transcript (sim_say_command), then its output (sim_say). Commands
 * that take time (ping6 -c 5) keep running on timers while the scenario
 * goes on; their state lives in n->apps.
 *
 * ICMPv6 errors reach ping6's output only with -v, as on FreeBSD (whose
 * ping6 filters everything but echo replies otherwise): a scenario that
 * wants to see "No Route to Destination" runs `ping6 -v ...`.
 */
#ifndef V6LAB_APPS_H
#define V6LAB_APPS_H

#include "../core/sim.h"

/* Exit statuses apps_run returns besides the command's own (0, 1, ...). */
#define APPS_EX_USAGE 64     /* usage error: the tool's usage text was printed */
#define APPS_EX_NOTFOUND 127 /* "NAME: Command not found." as tcsh prints it */

/* Give a node its command state (after net_node_init, when it has one);
 * freed by sim_free if apps_node_free was not called before. */
void apps_node_init(struct sim_node *n);
/* Release it at teardown: its pending timer events must not run after. */
void apps_node_free(struct sim_node *n);

/*
 * Run `cmdline` at the current virtual time. Returns 0 when the command
 * ran or started, APPS_EX_NOTFOUND, APPS_EX_USAGE, or the command's
 * non-zero exit status (1 for errors such as an unknown interface).
 * `cmd | grep WORD` keeps the output lines that contain WORD.
 */
int apps_run(struct sim_node *n, const char *cmdline);

/* Number of commands still running on the node (a ping6 in progress). */
size_t apps_running(const struct sim_node *n);
/* ^C: stop the node's running commands; each prints what it prints on
 * SIGINT (ping's statistics after the echoed "^C"). */
void apps_interrupt(struct sim_node *n);

#endif /* V6LAB_APPS_H */
