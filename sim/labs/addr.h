/*
 * `v6lab addr`: the address calculations of lab 1 (labs/01-addressing/).
 *
 *   v6lab addr eui64 MAC [PREFIX/64]
 *   v6lab addr subnets PREFIX/LEN NEWLEN [--sla-id N --sla-len L]
 *   v6lab addr map PREFIX/LEN ADDRESS [rfc6052|decimal]
 *   v6lab addr sweep [--rate PPS] [--len LEN]
 *
 * Every command prints what it computed and, one line each, why; errors
 * name the command and the argument at fault. Output is deterministic:
 * no locale, no clock, numbers grouped with ',' by the code itself.
 */
#ifndef V6LAB_LABS_ADDR_H
#define V6LAB_LABS_ADDR_H

#include <stdio.h>

enum { ADDR_EXIT_OK = 0, ADDR_EXIT_USAGE = 2 };

/* argv[0] is "addr", argv[1] the calculation. Writes to stdout/stderr. */
int v6lab_addr_main(int argc, char **argv);

/* The same, writing results to out and errors to err (for the tests). */
int v6lab_addr_run(int argc, char **argv, FILE *out, FILE *err);

#endif /* V6LAB_LABS_ADDR_H */
