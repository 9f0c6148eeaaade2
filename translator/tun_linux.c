/*
 * The Linux TUN device: IP packets in, IP packets out, no link layer.
 * IFF_NO_PI: each read() is exactly one packet starting at its IP header,
 * as libnat6to4 wants it, and each write() injects one. The descriptor is
 * nonblocking so the loop can drain every ready packet per poll() wakeup
 * and stop at EAGAIN without a second poll. With `offload yes` (the
 * default) every packet also carries a struct virtio_net_hdr in front
 * (IFF_VNET_HDR, 10 bytes): see daemon_offload.c.
 */
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Ask for checksum offload and IPv6 TCP super-packets. Not IPv4 ones
 * (daemon_offload.c says why), hence no UDP segmentation offload either:
 * the kernel grants USO only for both families at once. */
static void set_offloads(int fd, char *what, size_t whatlen)
{
	static const struct {
		unsigned flags;
		const char *names;
	} tries[] = {
		{ TUN_F_CSUM | TUN_F_TSO6 | TUN_F_TSO_ECN, "csum,tso6" },
		{ TUN_F_CSUM, "csum" },
	};

	snprintf(what, whatlen, "%s", "");
	for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		if (ioctl(fd, TUNSETOFFLOAD, (unsigned long)tries[i].flags) == 0) {
			snprintf(what, whatlen, "%s", tries[i].names);
			return;
		}
	}
}

int tun_open(const char *name, bool offload, char *what, size_t whatlen, char *err,
             size_t errlen)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	snprintf(what, whatlen, "%s", "");
	if (fd < 0) {
		snprintf(err, errlen, "/dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = (short)(IFF_TUN | IFF_NO_PI | (offload ? IFF_VNET_HDR : 0));
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	/* Creates the device, or attaches to a persistent one made by
	 * `ip tuntap add NAME mode tun` (its flags must match). */
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		snprintf(err, errlen, "tun-device %s: TUNSETIFF: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	if (offload)
		set_offloads(fd, what, whatlen);
	return fd;
}
