/*
 * The student's files: `--dir WORK` swaps each `file ... from PATH` of the
 * lab's scenario for WORK/basename(PATH) when it exists there, before
 * validation reads the files (so the runner knows nothing of labs); and
 * `lab init` copies the lab's files/ into WORK to start from.
 */
#include "lab_int.h"
#include "../scenario/out_path.h"

#include "../scenario/scn_int.h" /* scn_read_file */

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* The scenario's own file, found as validation would find it. */
static bool lab_file_exists(const struct scn *s, const char *from)
{
	char p[PATH_MAX];
	if (from[0] == '/')
		return lab_is_file(from);
	return (lab_path(p, sizeof p, s->dir, from) && lab_is_file(p)) || lab_is_file(from);
}

/* Read WORK's copy into f: from then names it in every later message. */
static int use_work_file(struct scn_file *f, const char *path)
{
	char *data, *name;
	size_t len;
	int err = scn_read_file(path, &data, &len);

	if (err) {
		fprintf(stderr, "v6lab lab: %s: %s\n", path,
		        err == EFBIG ? "file too large" : strerror(err));
		return -1;
	}
	if (memchr(data, '\0', len)) {
		fprintf(stderr, "v6lab lab: %s contains a NUL byte (not a text file)\n", path);
		free(data);
		return -1;
	}
	if (!(name = strdup(path))) {
		free(data);
		return -1;
	}
	free(f->from);
	free(f->data);
	f->from = name;
	f->data = data;
	f->len = len;
	return 0;
}

int lab_override_files(struct scn *s, const struct lab *l, const char *work, FILE *out)
{
	for (size_t i = 0; i < s->nfiles; i++) {
		struct scn_file *f = &s->files[i];
		char mine[PATH_MAX];
		if (!f->from)
			continue;
		if (work && lab_path(mine, sizeof mine, work, base_name(f->from)) &&
		    lab_is_file(mine)) {
			if (use_work_file(f, mine) < 0)
				return -1;
			fprintf(out, "using %s for %s:%s\n", mine, f->node, f->path);
		} else if (!lab_file_exists(s, f->from)) {
			fprintf(stderr, "v6lab lab: lab %d needs %s for %s:%s (%s:%d): it is in neither "
			        "%s/ nor %s/\n", l->num, base_name(f->from), f->node, f->path, s->file,
			        f->pos.line, work ? work : "a work directory (--dir)", s->dir);
			return -1;
		}
	}
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = NULL;
	char buf[4096];
	size_t got;
	int err = 0;

	if (!in || !(out = fopen(to, "wx"))) { /* x: never overwrite */
		err = errno;
		if (in)
			fclose(in);
		return err;
	}
	while ((got = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, got, out) != got)
			err = errno ? errno : EIO;
	if (ferror(in))
		err = EIO;
	fclose(in);
	if (fclose(out) != 0 && !err)
		err = errno;
	return err;
}

/* The regular files of DIR/files, sorted by name (scandir). */
static int starting_files(const struct lab *l, char *files, size_t cap, struct dirent ***v)
{
	if (!lab_path(files, cap, l->dir, "files"))
		return -1;
	int n = scandir(files, v, NULL, alphasort);
	if (n < 0)
		fprintf(stderr, "v6lab lab: lab %d has no starting files (%s: %s)\n", l->num, files,
		        strerror(errno));
	return n;
}

static void free_dirents(struct dirent **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Refuse before copying anything when one file is already there. */
static int none_there(const char *files, struct dirent **v, int n, const char *work)
{
	char src[PATH_MAX], dst[PATH_MAX];

	for (int i = 0; i < n; i++) {
		if (!lab_path(src, sizeof src, files, v[i]->d_name) || !lab_is_file(src) ||
		    !lab_path(dst, sizeof dst, work, v[i]->d_name))
			continue;
		struct stat st;
		if (lstat(dst, &st) == 0) {
			fprintf(stderr, "v6lab lab: %s already exists: nothing copied (init never "
			        "overwrites; remove it or use another --dir)\n", dst);
			return -1;
		}
	}
	return 0;
}

int lab_init(const struct lab *l, const char *work)
{
	char files[PATH_MAX], src[PATH_MAX], dst[PATH_MAX];
	struct dirent **v;
	int n = starting_files(l, files, sizeof files, &v), rc = LAB_EXIT_OK, err;

	if (n < 0)
		return LAB_EXIT_ERROR;
	if ((err = out_path_mkdir(work)) != 0) {
		fprintf(stderr, "v6lab lab: %s: %s\n", work, strerror(err));
		free_dirents(v, n);
		return LAB_EXIT_ERROR;
	}
	if (none_there(files, v, n, work) < 0) {
		free_dirents(v, n);
		return LAB_EXIT_UNMET;
	}
	for (int i = 0; i < n && rc == LAB_EXIT_OK; i++) {
		if (!lab_path(src, sizeof src, files, v[i]->d_name) || !lab_is_file(src))
			continue;
		if (!lab_path(dst, sizeof dst, work, v[i]->d_name) || (err = copy_file(src, dst))) {
			fprintf(stderr, "v6lab lab: %s: %s\n", dst, strerror(err ? err : ENAMETOOLONG));
			rc = LAB_EXIT_ERROR;
		} else {
			printf("copied %s to %s\n", src, dst);
		}
	}
	free_dirents(v, n);
	if (rc == LAB_EXIT_OK)
		printf("edit the files in %s/, then: v6lab lab check %d --dir %s\n", work, l->num, work);
	return rc;
}
