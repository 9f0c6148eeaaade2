/*
 * The captures' directory as an href from the page (report.h): both paths
 * are made absolute on the current directory's name and compared name by
 * name, so `--html r.html --out out/x` gives "out/x/" whatever the
 * current directory is, and no absolute path lands in the page.
 */
#include "report.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

#define MAX_NAMES 256

struct names {
	char buf[PATH_MAX * 2];
	const char *v[MAX_NAMES];
	size_t n;
};

/* Split PATH (relative to the current directory) into names, resolving
 * "." and ".." on the way; false when too long or too deep. */
static bool split_abs(const char *path, struct names *out)
{
	char cwd[PATH_MAX];
	int w;

	if (path[0] == '/')
		w = snprintf(out->buf, sizeof out->buf, "%s", path);
	else if (getcwd(cwd, sizeof cwd))
		w = snprintf(out->buf, sizeof out->buf, "%s/%s", cwd, path);
	else
		return false;
	if (w < 0 || (size_t)w >= sizeof out->buf)
		return false;
	out->n = 0;
	for (char *save = NULL, *c = strtok_r(out->buf, "/", &save); c;
	     c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			out->n -= out->n > 0;
			continue;
		}
		if (out->n == MAX_NAMES)
			return false;
		out->v[out->n++] = c;
	}
	return true;
}

static bool append(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t l = strlen(s);
	if (*len + l + 1 > cap)
		return false;
	memcpy(buf + *len, s, l + 1);
	*len += l;
	return true;
}

bool report_relative_dir(const char *page, const char *dir, char *buf, size_t cap)
{
	struct names from, to;
	size_t len = 0, common = 0;

	if (cap == 0 || !split_abs(page, &from) || !split_abs(dir, &to))
		return false;
	buf[0] = '\0';
	from.n -= from.n > 0; /* the page's directory */
	while (common < from.n && common < to.n && strcmp(from.v[common], to.v[common]) == 0)
		common++;
	for (size_t i = common; i < from.n; i++)
		if (!append(buf, cap, &len, "../"))
			return false;
	for (size_t i = common; i < to.n; i++)
		if (!append(buf, cap, &len, to.v[i]) || !append(buf, cap, &len, "/"))
			return false;
	return true;
}
