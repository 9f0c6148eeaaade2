/*
 * The scenario AST: growing its arrays, looking names up, freeing it.
 * Scenarios are small and parsed once: linear searches are fine here.
 */
#include "replay.h"

#include <stdlib.h>
#include <string.h>

void *scn_grow(void *arrayp, size_t *n, size_t elem)
{
	void **ap = arrayp;
	char *a = realloc(*ap, (*n + 1) * elem);

	if (!a)
		return NULL;
	*ap = a;
	memset(a + *n * elem, 0, elem);
	return a + (*n)++ * elem;
}

char *scn_strndup(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		return NULL;
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

const char *scn_kind_name(enum sim_node_kind k)
{
	static const char *const names[] = { "freebsd", "host", "router", "bridge", "isp" };
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

const char *scn_link_kind_name(enum sim_link_kind k)
{
	static const char *const names[] = { "ethernet", "p2p", "path" };
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

const struct scn_node *scn_find_node(const struct scn *s, const char *name)
{
	for (size_t i = 0; i < s->nnodes; i++)
		if (strcmp(s->nodes[i].name, name) == 0)
			return &s->nodes[i];
	return NULL;
}

const struct scn_link *scn_find_link(const struct scn *s, const char *name)
{
	for (size_t i = 0; i < s->nlinks; i++)
		if (strcmp(s->links[i].name, name) == 0)
			return &s->links[i];
	return NULL;
}

const struct scn_link *scn_iface_link(const struct scn *s, const char *node, const char *iface)
{
	for (size_t i = 0; i < s->nlinks; i++)
		for (size_t j = 0; j < s->links[i].nends; j++)
			if (strcmp(s->links[i].ends[j].node, node) == 0 &&
			    strcmp(s->links[i].ends[j].iface, iface) == 0)
				return &s->links[i];
	return NULL;
}

static void free_expect(struct scn_expect *e)
{
	free(e->text_src);
	free(e->text);
	free(e->via);
	if (e->regex_ok)
		regfree(&e->regex);
}

void scn_free(struct scn *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nlinks; i++)
		free(s->links[i].ends);
	for (size_t i = 0; i < s->nifaces; i++)
		free(s->ifaces[i].addrs);
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].path);
		free(s->files[i].from);
		free(s->files[i].data);
	}
	for (size_t i = 0; i < s->nats; i++) {
		free(s->ats[i].cmd);
		free(s->ats[i].replay);
		free(s->ats[i].filter);
		scn_replay_free(s->ats[i].packets);
	}
	for (size_t i = 0; i < s->nexpects; i++)
		free_expect(&s->expects[i]);
	for (size_t i = 0; i < s->ngoals; i++) {
		free(s->goals[i].text);
		free(s->goals[i].hint);
	}
	free(s->goals);
	free(s->nodes);
	free(s->links);
	free(s->ifaces);
	free(s->files);
	free(s->ats);
	free(s->expects);
	free(s->lines);
	free(s->src);
	free(s->file);
	free(s->dir);
	free(s);
}
