/*
 * Allocation helpers of the engine. Running out of memory is not an input
 * error the simulator can report at a file:line, and a half-built model
 * would give wrong answers, so the run stops here with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static void oom(size_t nmemb, size_t size)
{
	fprintf(stderr, "v6lab: out of memory (%zu x %zu bytes)\n", nmemb, size);
	abort();
}

void *sim_xrealloc(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		oom(nmemb, size);
	size_t n = nmemb * size;
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(nmemb, size);
	return q;
}

void *sim_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb, size);
	return p;
}

char *sim_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = sim_xrealloc(NULL, n, 1);
	memcpy(d, s, n);
	return d;
}
