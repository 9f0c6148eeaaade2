/*
 * Reading files from the host: the scenario itself and the files it
 * places on nodes with `file ... from PATH`. Size-limited, NUL refused.
 */
#include "scn_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SCN_FILE_MAX (4u << 20) /* 4 MiB: a scenario or a configuration file */

/* 0 and a malloc'ed NUL-terminated copy, or an errno value (EFBIG when
 * too large). */
int scn_read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	char *buf;

	if (!f)
		return errno ? errno : ENOENT;
	buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return ENOMEM;
	}
	for (;;) {
		if (n + 1 >= cap) {
			if (cap >= SCN_FILE_MAX) {
				free(buf);
				fclose(f);
				return EFBIG;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				fclose(f);
				return ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	int err = ferror(f) ? EIO : 0;
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

struct scn *scn_parse_file(const char *path, struct scn_diag *d)
{
	char *text, *dir;
	size_t len;
	int err = scn_read_file(path, &text, &len);

	if (err) {
		memset(d, 0, sizeof *d);
		snprintf(d->msg, sizeof d->msg, "%s: %s", path,
		         err == EFBIG ? "file too large" : strerror(err));
		return NULL;
	}
	const char *slash = strrchr(path, '/');
	dir = slash ? scn_strndup(path, slash == path ? 1 : (size_t)(slash - path))
	            : scn_strndup(".", 1);
	struct scn *s = dir ? scn_parse(path, dir, text, len, d) : NULL;
	free(dir);
	free(text);
	return s;
}
