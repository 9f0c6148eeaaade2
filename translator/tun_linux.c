/*
 * The Linux TUN device: IP packets in, IP packets out, no link layer.
 * IFF_NO_PI: each read() is exactly one packet starting at its IP header,
 * as libnat6to4 wants it, and each write() injects one. The descriptor is
 * nonblocking so the loop can drain every ready packet per poll() wakeup
 * and stop at EAGAIN without a second poll.
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

int tun_open(const char *name, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errlen, "/dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	/* Creates the device, or attaches to a persistent one made by
	 * `ip tuntap add NAME mode tun` (its flags must match). */
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		snprintf(err, errlen, "tun-device %s: TUNSETIFF: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
