/*
 * Internal interfaces between the files of sim/core/ (not for modules:
 * everything they need is in sim.h).
 */
#ifndef V6LAB_CORE_PRIV_H
#define V6LAB_CORE_PRIV_H

#include "sim.h"

/* ---- MAC tables (core/mactab.c) ---------------------------------------
 * Open addressing keyed by the 6-byte MAC, power-of-two sized, linear
 * probing, no deletion (values are indexes the owner keeps stable). The
 * probe sequence depends only on the MAC, never on pointers. */
struct mac_hash {
	uint64_t *keys;    /* MAC in the low 48 bits, bit 48 set = used */
	uint32_t *vals;
	uint32_t cap, n;   /* cap 0 or a power of two */
};
bool mac_hash_get(const struct mac_hash *h, const uint8_t mac[6], uint32_t *val);
void mac_hash_put(struct mac_hash *h, const uint8_t mac[6], uint32_t val);
void mac_hash_free(struct mac_hash *h);

/* The interfaces a link delivers a destination MAC to. Members are never
 * removed (refs drop to 0), so delivery can walk a set by index while an
 * input handler joins or leaves groups. */
struct mac_member {
	struct sim_iface *ifp;
	uint32_t refs;
};
struct mac_set {
	struct mac_member *m;
	uint32_t n, cap;
};
struct mac_table {
	struct mac_hash h;  /* MAC -> index in sets */
	struct mac_set *sets;
	uint32_t nsets, cap;
};
struct mac_set *mac_table_set(struct mac_table *t, const uint8_t mac[6], bool create);
void mac_table_add(struct mac_table *t, const uint8_t mac[6], struct sim_iface *ifp);
void mac_table_remove(struct mac_table *t, const uint8_t mac[6], struct sim_iface *ifp);
void mac_table_free(struct mac_table *t);

/* ---- links (core/link.c) ---- */
void link_attach_tables(struct sim_link *link, struct sim_iface *ifp);
void link_free(struct sim_link *link);

/* ---- teardown of the other parts (called by sim_free) ---- */
void topo_free(struct sim *sim);
void output_free(struct sim_output *out);
void pbuf_pool_free(struct pbuf_pool *pool);

#endif /* V6LAB_CORE_PRIV_H */
