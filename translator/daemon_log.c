/*
 * Where nat6to4d's messages go: stderr with -f (each line prefixed with the
 * program name, so a test's log reads like syslog would), otherwise
 * syslog(3) as "nat6to4d", facility daemon.
 */
#include "daemon.h"

#include <stdio.h>
#include <syslog.h>

void dlog_open(struct daemon_log *lg, int foreground, int debug)
{
	lg->foreground = foreground;
	lg->debug = debug;
	if (!foreground)
		openlog("nat6to4d", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void dlog(const struct daemon_log *lg, int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (lg->foreground) {
		char line[1024];
		vsnprintf(line, sizeof line, fmt, ap);
		/* one fprintf per line: the worker and supervisor share stderr */
		fprintf(stderr, "nat6to4d: %s\n", line);
	} else {
		vsyslog(priority, fmt, ap);
	}
	va_end(ap);
}
