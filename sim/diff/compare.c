/*
 * Pairing the fields of two frames: a field of the saved frame goes with
 * the field of the new one that has the same name and occurrence number
 * (the second "tcp.option nop" with the second), so a length change that
 * shifts everything after it is reported where it happened, not as a
 * difference in every byte that follows.
 */
#include "compare.h"

#include <string.h>

bool pd_pattern_matches(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);

	if (strncmp(pattern, name, n) != 0)
		return false;
	return name[n] == '\0' || name[n] == '.' || name[n] == ' ';
}

static bool ignored(const struct pcapdiff_opts *o, const char *name)
{
	if (o->ignore_time && strcmp(name, "frame.time") == 0)
		return true;
	for (size_t i = 0; i < o->n_ignore; i++)
		if (pd_pattern_matches(o->ignore[i], name))
			return true;
	return false;
}

static const struct pd_field *partner(const struct pd_fields *b, const struct pd_field *fa,
                                      size_t hint)
{
	if (hint < b->n && b->f[hint].occ == fa->occ && strcmp(b->f[hint].name, fa->name) == 0)
		return &b->f[hint];
	for (size_t j = 0; j < b->n; j++)
		if (b->f[j].occ == fa->occ && strcmp(b->f[j].name, fa->name) == 0)
			return &b->f[j];
	return NULL;
}

static void note(struct pd_diffs *d, const struct pcapdiff_opts *o, const struct pd_field *a,
                 const struct pd_field *b)
{
	if (ignored(o, a ? a->name : b->name)) {
		d->n_ignored++;
		return;
	}
	if (d->n < PD_MAX_DIFFS) {
		d->d[d->n].a = a;
		d->d[d->n].b = b;
	}
	d->n++;
}

/* A byte no field covers differs (cannot happen while every walker covers
 * what it is given; kept so nothing is ever reported the same by mistake). */
static void uncovered(struct pd_diffs *d, const struct pd_fields *a, size_t base_a,
                      const struct pd_fields *b, size_t base_b)
{
	size_t la = a->caplen - base_a, lb = b->caplen - base_b;
	size_t n = la < lb ? la : lb;

	for (size_t k = 0; k < n; k++)
		if (a->pkt[base_a + k] != b->pkt[base_b + k]) {
			d->byte_a = (struct pd_field){ .name = "frame.data", .off = (uint32_t)(base_a + k),
			                               .len = 1, .fmt = PD_HEX };
			d->byte_b = d->byte_a;
			d->byte_b.off = (uint32_t)(base_b + k);
			d->d[0].a = &d->byte_a;
			d->d[0].b = &d->byte_b;
			d->n = 1;
			return;
		}
}

void pd_compare(struct pd_diffs *d, const struct pcapdiff_opts *o, const struct pd_fields *a,
                size_t base_a, const struct pd_fields *b, size_t base_b)
{
	bool used[PD_MAX_FIELDS] = { false };

	d->n = 0;
	d->n_ignored = 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct pd_field *fb = partner(b, &a->f[i], i);
		if (fb)
			used[fb - b->f] = true;
		if (!fb || !pd_same_value(a, &a->f[i], b, fb))
			note(d, o, &a->f[i], fb);
	}
	for (size_t j = 0; j < b->n; j++)
		if (!used[j])
			note(d, o, NULL, &b->f[j]);
	if (d->n == 0 && d->n_ignored == 0)
		uncovered(d, a, base_a, b, base_b);
}
