/*
 * out_path_forbidden (out_path.h): the check `v6lab run` made on --out and
 * --html, shared with `v6lab lab run`.
 */
#include "out_path.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The absolute form of `path`, "." and ".." removed (lexically). */
static bool absolute_path(const char *path, char *out, size_t cap)
{
	char buf[PATH_MAX * 2], cwd[PATH_MAX];
	size_t n = 0;

	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof cwd))
			return false;
		snprintf(buf, sizeof buf, "%s/%s", cwd, path);
	} else {
		snprintf(buf, sizeof buf, "%s", path);
	}
	out[0] = '\0';
	for (char *save = NULL, *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			out[n] = '\0';
			continue;
		}
		size_t l = strlen(c);
		if (n + l + 2 > cap)
			return false;
		out[n++] = '/';
		memcpy(out + n, c, l + 1);
		n += l;
	}
	if (n == 0)
		snprintf(out, cap, "/");
	return true;
}

/* A name component of `p` (just after a '/') that is `name`. */
static bool is_component(const char *p, const char *name)
{
	size_t n = strlen(name);
	return strncmp(p, name, n) == 0 && (p[n] == '/' || p[n] == '\0');
}

bool out_path_forbidden(const char *path)
{
	char abs[PATH_MAX * 2], cwd[PATH_MAX * 2];
	const char *below;

	if (!absolute_path(path, abs, sizeof abs) || !absolute_path(".", cwd, sizeof cwd))
		return true;
	size_t cl = strlen(cwd);
	below = strncmp(abs, cwd, cl) == 0 && (abs[cl] == '/' || abs[cl] == '\0') ? abs + cl : abs;
	for (const char *p = below; *p; p++)
		if (*p == '/' && (is_component(p + 1, "scenarios") || is_component(p + 1, "captures")))
			return true;
	return false;
}

int out_path_mkdir(const char *dir)
{
	char buf[PATH_MAX];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof buf)
		return ENAMETOOLONG;
	memcpy(buf, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char c = buf[i];
		buf[i] = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return errno;
		buf[i] = c;
	}
	struct stat st;
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}
