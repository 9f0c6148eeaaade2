/*
 * The daemon's own directives in nat6to4.conf, handled through the core
 * parser's `extra` hook (the core knows nothing of TUN devices or users):
 *
 *   tun-device NAME        the TUN interface (default nat64)
 *   user NAME              who the daemon runs as after opening it (nobody)
 *   control-socket PATH    where nat6to4ctl connects (/run/nat6to4d.sock)
 *   pidfile PATH           optional
 *   offload yes|no         TUN offloads: checksums and IPv6 super-packets (yes)
 *
 * The core prefixes our messages with file:line:col (the keyword's column).
 */
#include "daemon.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SEEN_TUN = 1, SEEN_USER = 2, SEEN_SOCKET = 4, SEEN_PIDFILE = 8, SEEN_OFFLOAD = 16 };

void daemon_conf_defaults(struct daemon_conf *dc)
{
	memset(dc, 0, sizeof *dc);
	snprintf(dc->tun_device, sizeof dc->tun_device, "%s", DCONF_DEFAULT_TUN);
	snprintf(dc->user, sizeof dc->user, "%s", DCONF_DEFAULT_USER);
	snprintf(dc->control_socket, sizeof dc->control_socket, "%s", DCONF_DEFAULT_SOCKET);
	dc->offload = true;
}

static int yes_no(bool *dst, const char *what, const char *v, char *err, size_t errlen)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0) {
		*dst = v[0] == 'y';
		return 0;
	}
	snprintf(err, errlen, "%s takes yes or no, not '%.64s'", what, v);
	return -1;
}

/* The kernel's dev_valid_name(): 1-15 bytes, not . or .., no / : or blank. */
static int tun_name(struct daemon_conf *dc, const char *v, char *err, size_t errlen)
{
	size_t n = strlen(v);

	if (n >= sizeof dc->tun_device) {
		snprintf(err, errlen, "tun-device name '%.64s' is longer than %zu characters", v,
		         sizeof dc->tun_device - 1);
		return -1;
	}
	if (strcmp(v, ".") == 0 || strcmp(v, "..") == 0 || strpbrk(v, "/:")) {
		snprintf(err, errlen, "invalid tun-device name '%s'", v);
		return -1;
	}
	memcpy(dc->tun_device, v, n + 1);
	return 0;
}

/* The user must exist now: a typo is better refused at start than at setuid. */
static int user_name(struct daemon_conf *dc, const char *v, char *err, size_t errlen)
{
	if (strlen(v) >= sizeof dc->user) {
		snprintf(err, errlen, "user name '%.64s' is longer than %zu characters", v,
		         sizeof dc->user - 1);
		return -1;
	}
	errno = 0;
	if (!getpwnam(v)) {
		snprintf(err, errlen, "unknown user '%s'", v);
		return -1;
	}
	snprintf(dc->user, sizeof dc->user, "%s", v);
	return 0;
}

/* An absolute path that fits in SIZE bytes (NUL included). */
static int abs_path(char *dst, size_t size, const char *what, const char *v, char *err,
                    size_t errlen)
{
	size_t n = strlen(v);

	if (v[0] != '/') {
		snprintf(err, errlen, "%s '%.64s' is not an absolute path", what, v);
		return -1;
	}
	if (n >= size) {
		snprintf(err, errlen, "%s path is longer than %zu bytes", what, size - 1);
		return -1;
	}
	memcpy(dst, v, n + 1);
	return 0;
}

static int handle(struct daemon_conf *dc, unsigned bit, const char *v, char *err,
                  size_t errlen)
{
	switch (bit) {
	case SEEN_TUN: return tun_name(dc, v, err, errlen);
	case SEEN_USER: return user_name(dc, v, err, errlen);
	case SEEN_OFFLOAD: return yes_no(&dc->offload, "offload", v, err, errlen);
	case SEEN_SOCKET:
		return abs_path(dc->control_socket, sizeof dc->control_socket, "control-socket", v,
		                err, errlen);
	default:
		return abs_path(dc->pidfile, sizeof dc->pidfile, "pidfile", v, err, errlen);
	}
}

int daemon_conf_directive(void *user, const char *keyword, const char *const *args, int nargs,
                          char *err, size_t errlen)
{
	static const struct {
		const char *name;
		unsigned bit;
	} known[] = {
		{ "tun-device", SEEN_TUN },
		{ "user", SEEN_USER },
		{ "control-socket", SEEN_SOCKET },
		{ "pidfile", SEEN_PIDFILE },
		{ "offload", SEEN_OFFLOAD },
	};
	struct daemon_conf *dc = user;

	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		if (strcmp(keyword, known[i].name) != 0)
			continue;
		if (nargs != 1) {
			snprintf(err, errlen, "'%s' takes 1 argument, got %d", keyword, nargs);
			return -1;
		}
		if (dc->seen & known[i].bit) {
			snprintf(err, errlen, "'%s' given twice", keyword);
			return -1;
		}
		dc->seen |= known[i].bit;
		return handle(dc, known[i].bit, args[0], err, errlen);
	}
	return 1;
}

nat6to4_config *daemon_conf_parse(const char *text, size_t len, const char *filename,
                                  struct daemon_conf *dc, char *err, size_t errlen)
{
	daemon_conf_defaults(dc);
	return nat6to4_config_parse(text, len, filename, daemon_conf_directive, dc, err, errlen);
}

/* The whole file in memory (configuration files are small; cap at 16 MB). */
static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	char *buf;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap || cap >= (16u << 20))
			break;
		char *bigger = realloc(buf, cap * 2);
		if (!bigger) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = bigger;
		cap *= 2;
	}
	if (buf && ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		free(buf);
		buf = NULL;
	} else if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
	}
	fclose(f);
	*len = n;
	return buf;
}

nat6to4_config *daemon_conf_load(const char *path, struct daemon_conf *dc, char *err,
                                 size_t errlen)
{
	size_t len = 0;
	char *text = slurp(path, &len, err, errlen);
	nat6to4_config *cfg;

	if (!text)
		return NULL;
	cfg = daemon_conf_parse(text, len, path, dc, err, errlen);
	free(text);
	return cfg;
}

size_t daemon_conf_format(const struct daemon_conf *dc, char *buf, size_t len)
{
	int n = snprintf(buf, len, "tun-device %s\nuser %s\ncontrol-socket %s\noffload %s\n",
	                 dc->tun_device, dc->user, dc->control_socket, dc->offload ? "yes" : "no");
	size_t used = n < 0 ? 0 : (size_t)n;

	if (dc->pidfile[0]) {
		n = snprintf(used < len ? buf + used : NULL, used < len ? len - used : 0,
		             "pidfile %s\n", dc->pidfile);
		used += n < 0 ? 0 : (size_t)n;
	}
	return used;
}
