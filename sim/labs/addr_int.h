/*
 * Contracts between the files of `v6lab addr` (sim/labs/addr*.c).
 */
#ifndef V6LAB_LABS_ADDR_INT_H
#define V6LAB_LABS_ADDR_INT_H

#include "addr.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Where results and errors go, and which calculation is running. */
struct addr_io {
	FILE *out;
	FILE *err;
	const char *cmd; /* "eui64", "subnets", "map", "sweep" */
};

/* Text sizes: an IPv6 address with "/128", and a grouped number. */
#define ADDR_TEXT6 64
#define ADDR_NUM 96

/* "v6lab addr CMD: message\n" on io->err; returns ADDR_EXIT_USAGE. */
int addr_err(const struct addr_io *io, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ADDRESS/LEN with every bit after LEN zero; on error says which part. */
int addr_parse_prefix(const struct addr_io *io, const char *arg, uint8_t addr[16], int *len);

/* A decimal number 0..max, digits only; false otherwise. */
bool addr_parse_uint(const char *s, uint64_t max, uint64_t *out);

/* RFC 5952 text of an address (inet_ntop), and ADDRESS/LEN. */
void addr_fmt6(const uint8_t a[16], char *buf, size_t cap);
void addr_fmt_prefix(const uint8_t a[16], int len, char *buf, size_t cap);

/* Numbers with ',' between groups of three digits. */
void addr_fmt_u64(uint64_t v, char *buf, size_t cap);
void addr_fmt_pow2(unsigned n, char *buf, size_t cap);       /* 2^n exactly, n <= 128 */
void addr_fmt_real(double v, int decimals, char *buf, size_t cap); /* v >= 0 */

/* Bit b (0 = leftmost) of a 128-bit address. */
bool addr_bit(const uint8_t a[16], int b);
void addr_set_bit(uint8_t a[16], int b, bool one);

/* The calculations; argv[0] is the calculation's name. */
int addr_cmd_eui64(const struct addr_io *io, int argc, char **argv);
int addr_cmd_subnets(const struct addr_io *io, int argc, char **argv);
int addr_cmd_map(const struct addr_io *io, int argc, char **argv);
int addr_cmd_sweep(const struct addr_io *io, int argc, char **argv);

#endif /* V6LAB_LABS_ADDR_INT_H */
