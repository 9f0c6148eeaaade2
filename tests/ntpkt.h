/*
 * libnet-built ND frames for the network-layer suites (kept apart from the
 * simulator's headers: libnet's <net/if.h> clashes with sim.h's IFF_*).
 */
#ifndef NTPKT_H
#define NTPKT_H

#include <stddef.h>
#include <stdint.h>

/* Ethernet + IPv6 + NS (sll may be NULL) / NA (tll may be NULL), by libnet. */
size_t nt_build_ns(uint8_t *out, size_t cap, const uint8_t dmac[6], const uint8_t smac[6],
                   const char *src6, const char *dst6, const char *target, const uint8_t *sll);
size_t nt_build_na(uint8_t *out, size_t cap, const uint8_t dmac[6], const uint8_t smac[6],
                   const char *src6, const char *dst6, const char *target, uint32_t flags,
                   const uint8_t *tll);

int nt_same(const char *what, const uint8_t *got, size_t glen, const uint8_t *exp, size_t elen);

#endif /* NTPKT_H */
