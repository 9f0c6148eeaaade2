/*
 * The pure parts of reading a line: words, the `NODE# command` form,
 * durations, and the time stamps tcpdump and date(1) print. Dates are
 * UTC from the virtual clock: nothing here reads the wall clock.
 */
#include "shell_int.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

int shell_split(const char *line, char *buf, char **words, int max)
{
	int n = 0;
	const char *p = line;
	char *o = buf;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return n;
		if (n == max)
			return -1;
		words[n++] = o;
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '\'' || *p == '"') {
				const char *close = strchr(p + 1, *p);
				if (!close)
					return -1;
				memcpy(o, p + 1, (size_t)(close - p - 1));
				o += close - p - 1;
				p = close + 1;
			} else {
				*o++ = *p++;
			}
		}
		*o++ = '\0';
	}
}

char *shell_trim(char *line)
{
	size_t n = strlen(line);
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

bool shell_prompt_form(const char *line, char *node, size_t cap, const char **cmd)
{
	size_t len = strcspn(line, "# \t");
	if (len == 0 || line[len] != '#' || len >= cap)
		return false;
	memcpy(node, line, len);
	node[len] = '\0';
	if (!scn_valid_name(node))
		return false;
	const char *c = line + len + 1;
	while (*c == ' ' || *c == '\t')
		c++;
	*cmd = c;
	return true;
}

void shell_format_stamp(uint64_t unix_ns, char *buf, size_t len)
{
	uint64_t s = unix_ns / SIM_S;
	unsigned day_s = (unsigned)(s % 86400u);

	snprintf(buf, len, "%02u:%02u:%02u.%06u", day_s / 3600, day_s / 60 % 60, day_s % 60,
	         (unsigned)(unix_ns % SIM_S / SIM_US));
}

void shell_format_date(uint64_t unix_ns, char *buf, size_t len)
{
	time_t t = (time_t)(unix_ns / SIM_S);
	struct tm tm;

	/* The C locale (v6lab never calls setlocale): English names. */
	if (!gmtime_r(&t, &tm) || strftime(buf, len, "%a %b %e %H:%M:%S UTC %Y", &tm) == 0)
		snprintf(buf, len, "?");
}

bool shell_parse_wait(const char *arg, sim_time *out)
{
	char with_unit[64];
	size_t n = strlen(arg);

	if (n == 0 || n + 2 > sizeof with_unit)
		return false;
	if (isdigit((unsigned char)arg[n - 1])) { /* bare seconds, as sleep(1) takes */
		snprintf(with_unit, sizeof with_unit, "%ss", arg);
		return scn_parse_duration(with_unit, out);
	}
	return scn_parse_duration(arg, out);
}
