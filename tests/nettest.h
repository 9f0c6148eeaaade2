/*
 * Helpers of the network-layer suites (route, nd, slaac): small
 * topologies, a tap recording every frame of a link, ICMPv6 echo built
 * by the test, a listener recording what comes back, and libnet-built
 * Neighbor Solicitations/Advertisements to compare frames with.
 */
#ifndef NETTEST_H
#define NETTEST_H

#include "net/net.h"
#include "ntpkt.h"

#include <stddef.h>
#include <stdint.h>

#define NT_MAX_FRAMES 256
#define NT_FRAME_MAX 1600

struct nt_frame {
	const struct sim_iface *from;
	sim_time at;
	size_t len;
	uint8_t data[NT_FRAME_MAX];
};

struct nt_capture {
	int n;
	struct nt_frame f[NT_MAX_FRAMES];
};

/* sim_tap_fn: user is a struct nt_capture. */
void nt_tap(void *user, const struct sim_frame_info *f);

/* Frames with IPv6 ICMPv6 type `type` (Ethernet framing), from index `from`. */
int nt_count_icmp6(const struct nt_capture *c, uint8_t type);
/* Index of the first such frame at or after `start`, -1 if none. */
int nt_find_icmp6(const struct nt_capture *c, int start, uint8_t type);

/* What an icmp6 listener saw. */
struct nt_listener {
	int replies, errors;
	uint16_t last_seq, last_id;
	uint8_t last_hlim;
	uint8_t err_type, err_code;
	uint8_t reply_src[16];
};
void nt_listen(struct sim_node *n, struct nt_listener *l);

/* Send an echo request (8 bytes of data) from n; 0 or -1. */
int nt_ping(struct sim_node *n, const uint8_t *src, const char *dst, struct sim_iface *oif,
            uint16_t id, uint16_t seq, uint8_t hlim, size_t datalen);

/* A node with one interface, stack ready (not up yet). */
struct sim_iface *nt_node(struct sim *sim, const char *name, enum sim_node_kind kind,
                          const char *ifname, const uint8_t mac[6], struct sim_link *link);

#endif /* NETTEST_H */
