/*
 * compare — the differing fields of two walked frames, ignore patterns
 * applied (compare.c). Internal to sim/diff/.
 */
#ifndef V6LAB_DIFF_COMPARE_H
#define V6LAB_DIFF_COMPARE_H

#include "fields.h"
#include "pcapdiff.h"

#define PD_MAX_DIFFS 64    /* kept for the report; n counts them all */

struct pd_diff {
	const struct pd_field *a;   /* in the saved frame; NULL: absent there */
	const struct pd_field *b;   /* in the new frame; NULL: absent there */
};

struct pd_diffs {
	size_t n;                   /* differences not ignored */
	size_t n_ignored;
	struct pd_diff d[PD_MAX_DIFFS];
	struct pd_field byte_a, byte_b;   /* "frame.data", when only a byte says */
};

/* `name` is `pattern` or continues it after '.' or ' '. */
bool pd_pattern_matches(const char *pattern, const char *name);

/* Fill d with the differences between frames a and b (walked from
 * base_a and base_b), in the saved frame's order, then fields only the
 * new frame has. */
void pd_compare(struct pd_diffs *d, const struct pcapdiff_opts *o, const struct pd_fields *a,
                size_t base_a, const struct pd_fields *b, size_t base_b);

#endif /* V6LAB_DIFF_COMPARE_H */
