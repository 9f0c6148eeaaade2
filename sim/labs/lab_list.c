/*
 * Finding the labs: labs/NN-slug/ directories, each with a README.md whose
 * first line is "# Lab N — Title". `v6lab lab list` and `show`.
 */
#include "lab_int.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *lab_root(void)
{
	const char *r = getenv("V6LAB_LABS");
	return r && *r ? r : "labs";
}

bool lab_parse_number(const char *s, int *num)
{
	int v = 0;

	if (!*s || strlen(s) > 2)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (*s - '0');
	}
	*num = v;
	return v >= 1;
}

bool lab_path(char *buf, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(buf, cap, "%s/%s", dir, name);
	return n >= 0 && (size_t)n < cap;
}

bool lab_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The title after "# Lab N — " (or " - ") on README.md's first line; the
 * slug when there is no such line. */
static void read_title(struct lab *l)
{
	char path[PATH_MAX], line[512];
	FILE *f;

	snprintf(l->title, sizeof l->title, "%s", l->slug);
	if (!lab_path(path, sizeof path, l->dir, "README.md") || !(f = fopen(path, "r")))
		return;
	if (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		const char *t = line;
		if (strncmp(t, "# Lab ", 6) == 0) {
			t += 6;
			while (isdigit((unsigned char)*t))
				t++;
			if (strncmp(t, " \xe2\x80\x94 ", 5) == 0) /* an em dash */
				t += 5;
			else if (strncmp(t, " - ", 3) == 0)
				t += 3;
			size_t n = strlen(t) < sizeof l->title ? strlen(t) : sizeof l->title - 1;
			if (n > 0) {
				memcpy(l->title, t, n);
				l->title[n] = '\0';
			}
		}
	}
	fclose(f);
}

/* "03-pppoe-ppp": lab 3, slug "pppoe-ppp"; false for any other name. */
static bool lab_from_dirent(const char *name, struct lab *l)
{
	if (!isdigit((unsigned char)name[0]) || !isdigit((unsigned char)name[1]) ||
	    name[2] != '-' || !name[3] || strlen(name + 3) >= sizeof l->slug)
		return false;
	l->num = (name[0] - '0') * 10 + (name[1] - '0');
	snprintf(l->slug, sizeof l->slug, "%s", name + 3);
	if (l->num < 1 || !lab_path(l->dir, sizeof l->dir, lab_root(), name))
		return false;
	struct stat st;
	if (stat(l->dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return false;
	read_title(l);
	return true;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lab directories' names, sorted; NULL when the root is unreadable. */
static char **lab_names(size_t *n)
{
	DIR *d = opendir(lab_root());
	char **v = NULL;
	struct dirent *e;

	*n = 0;
	if (!d) {
		perror(lab_root());
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		struct lab l;
		if (!lab_from_dirent(e->d_name, &l))
			continue;
		char **nv = realloc(v, (*n + 1) * sizeof *v);
		if (!nv || !(nv[*n] = strdup(e->d_name))) {
			v = nv;
			break;
		}
		v = nv;
		(*n)++;
	}
	closedir(d);
	if (v)
		qsort(v, *n, sizeof *v, by_name);
	return v ? v : calloc(1, sizeof *v);
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int lab_find(int num, struct lab *l)
{
	size_t n;
	char **v = lab_names(&n);
	bool found = false;

	for (size_t i = 0; v && i < n && !found; i++)
		found = lab_from_dirent(v[i], l) && l->num == num;
	free_names(v, n);
	if (!found) {
		fprintf(stderr, "v6lab lab: no lab %d (no directory %s/%02d-*; `v6lab lab list` lists "
		        "them)\n", num, lab_root(), num);
		return -1;
	}
	return 0;
}

/* The slug column is as wide as the longest slug: the titles line up. */
int lab_list(FILE *out)
{
	size_t n;
	char **v = lab_names(&n);
	int width = 1;
	struct lab l;

	if (!v)
		return LAB_EXIT_ERROR;
	for (size_t i = 0; i < n; i++)
		if (lab_from_dirent(v[i], &l) && (int)strlen(l.slug) > width)
			width = (int)strlen(l.slug);
	for (size_t i = 0; i < n; i++)
		if (lab_from_dirent(v[i], &l))
			fprintf(out, "%3d  %-*s  %s\n", l.num, width, l.slug, l.title);
	free_names(v, n);
	return LAB_EXIT_OK;
}

int lab_show(const struct lab *l, FILE *out)
{
	char path[PATH_MAX], buf[4096];
	size_t got;
	FILE *f;

	if (!lab_path(path, sizeof path, l->dir, "README.md") || !(f = fopen(path, "r"))) {
		fprintf(stderr, "v6lab lab: lab %d has no handout (%s/README.md)\n", l->num, l->dir);
		return LAB_EXIT_ERROR;
	}
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, got, out);
	fclose(f);
	return LAB_EXIT_OK;
}
