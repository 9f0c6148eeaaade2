/*
 * Validation: the scenario as a whole makes sense before anything runs.
 * Every node, interface and link named resolves, every pcap filter
 * compiles for its link's type, every pattern compiles, every `file ...
 * from` is readable, and the times fit together.
 */
#include "../conf/ppp_conf.h"
#include "replay.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

static const struct scn_node *need_node(const struct scn *s, struct scn_diag *d,
                                        const char *name, struct scn_pos at)
{
	const struct scn_node *n = scn_find_node(s, name);

	if (!n)
		scn_error(s, d, at, "unknown node '%s' (no 'node %s' line)", name, name);
	return n;
}

static int check_links(const struct scn *s, struct scn_diag *d)
{
	for (size_t i = 0; i < s->nlinks; i++) {
		const struct scn_link *k = &s->links[i];
		for (size_t j = 0; j < k->nends; j++)
			if (!need_node(s, d, k->ends[j].node, k->ends[j].pos))
				return -1;
		/* sim_path_add names its hidden routers LINK-rN. */
		for (uint32_t r = 1; k->kind == LINK_PATH && r <= k->routers; r++) {
			char name[SIM_NAME_MAX + 16];
			snprintf(name, sizeof name, "%s-r%u", k->name, r);
			const struct scn_node *n = scn_find_node(s, name);
			if (n)
				return scn_error(s, d, n->pos,
				                 "node '%s' has the name of a router of path link '%s'", name,
				                 k->name);
			if (strlen(name) >= SIM_NAME_MAX)
				return scn_error(s, d, k->pos, "link name '%s' is too long for a path",
				                 k->name);
		}
	}
	for (size_t i = 0; i < s->nnodes; i++) {
		size_t n = 0;
		for (size_t j = 0; j < s->nlinks; j++)
			for (size_t e = 0; e < s->links[j].nends; e++)
				n += strcmp(s->links[j].ends[e].node, s->nodes[i].name) == 0;
		if (n > SIM_MAX_IFACES)
			return scn_error(s, d, s->nodes[i].pos, "node '%s' has %zu interfaces (at most %d)",
			                 s->nodes[i].name, n, SIM_MAX_IFACES);
	}
	return 0;
}

static int check_ifaces(const struct scn *s, struct scn_diag *d)
{
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct scn_iface *f = &s->ifaces[i];
		const struct scn_node *n = need_node(s, d, f->ref.node, f->ref.pos);
		if (!n)
			return -1;
		const struct scn_link *k = scn_iface_link(s, f->ref.node, f->ref.iface);
		if (!k)
			return scn_error(s, d, f->ref.pos, "interface %s:%s is not on any link",
			                 f->ref.node, f->ref.iface);
		if (n->kind == NODE_BRIDGE && f->naddrs > 0)
			return scn_error(s, d, f->addrs[0].pos,
			                 "node '%s' is a bridge: its interfaces have no addresses", n->name);
		if (f->has_mac && k->kind != LINK_ETHERNET)
			return scn_error(s, d, f->ref.pos,
			                 "interface %s:%s is on %s link '%s': it has no MAC address",
			                 f->ref.node, f->ref.iface, scn_link_kind_name(k->kind), k->name);
	}
	return 0;
}

/* A `from` path is relative to the scenario's directory, or else to the
 * current directory (where `make check` runs). */
static int read_from(struct scn *s, struct scn_diag *d, struct scn_file *f)
{
	size_t need = strlen(s->dir) + strlen(f->from) + 2;
	char *p = malloc(need);
	int err;

	if (!p)
		return scn_error(s, d, f->from_pos, "out of memory");
	if (f->from[0] == '/')
		snprintf(p, need, "%s", f->from);
	else
		snprintf(p, need, "%s/%s", s->dir, f->from);
	err = scn_read_file(p, &f->data, &f->len);
	if (err == ENOENT && f->from[0] != '/')
		err = scn_read_file(f->from, &f->data, &f->len);
	free(p);
	if (err)
		return scn_error(s, d, f->from_pos, "cannot read '%s': %s", f->from,
		                 err == EFBIG ? "file too large" : strerror(err));
	if (memchr(f->data, '\0', f->len))
		return scn_error(s, d, f->from_pos, "'%s' contains a NUL byte (not a text file)",
		                 f->from);
	return 0;
}

/*
 * ppp(8) itself names no line for most bad ppp.conf lines ("set foo:
 * Invalid command"), and the transcript shows ppp's own words; validation
 * adds the place, as a warning on stderr (ppp still runs with such a file).
 * An inline file's lines are lines of the scenario; a `from` file's are its own.
 */
struct ppp_warn_ctx {
	const struct scn *s;
	const struct scn_file *f;
};

static void ppp_conf_warning(void *user, int line, const char *msg)
{
	const struct ppp_warn_ctx *c = user;
	if (c->f->from)
		fprintf(stderr, "%s:%d: warning: %s:%d: %s\n", c->s->file, c->f->pos.line,
		        c->f->from, line, msg);
	else
		fprintf(stderr, "%s:%d: warning: %s: %s\n", c->s->file, c->f->pos.line + line,
		        c->f->path, msg);
}

static void check_ppp_conf(const struct scn *s, const struct scn_file *f)
{
	if (strcmp(f->path, "/etc/ppp/ppp.conf") != 0 || !f->data)
		return;
	struct ppp_warn_ctx c = { s, f };
	ppp_conf_check(f->data, ppp_conf_warning, &c);
}

static int check_files(struct scn *s, struct scn_diag *d)
{
	for (size_t i = 0; i < s->nfiles; i++) {
		struct scn_file *f = &s->files[i];
		if (!need_node(s, d, f->node, f->pos))
			return -1;
		if (f->from && !f->data && read_from(s, d, f) < 0)
			return -1;
		check_ppp_conf(s, f);
	}
	return 0;
}

/*
 * A replay's capture is read now, relative to the scenario's directory or
 * else the current directory (as `file ... from`), so that a missing,
 * damaged or misfitting capture stops the scenario before it runs.
 */
static int check_replay(const struct scn *s, struct scn_diag *d, struct scn_at *a)
{
	const struct scn_link *k = scn_find_link(s, a->link);
	char err[PCAP_ERRBUF_SIZE + 512];
	size_t need = strlen(s->dir) + strlen(a->replay) + 2;

	if (!k)
		return scn_error(s, d, a->node_pos, "unknown link '%s' (no 'link %s' line)", a->link,
		                 a->link);
	char *path = malloc(need);
	if (!path)
		return scn_error(s, d, a->file_pos, "out of memory");
	if (a->replay[0] == '/')
		snprintf(path, need, "%s", a->replay);
	else
		snprintf(path, need, "%s/%s", s->dir, a->replay);
	FILE *f = fopen(path, "rb");
	if (f)
		fclose(f);
	else if (a->replay[0] != '/')
		snprintf(path, need, "%s", a->replay);
	enum scn_replay_err e = scn_replay_load(path, a->replay, k->kind, k->name, a->filter,
	                                        &a->packets, err, sizeof err);
	free(path);
	if (e == REPLAY_OK)
		return 0;
	return scn_error(s, d, e == REPLAY_EFILTER ? a->filter_pos : a->file_pos, "%s", err);
}

static int check_ats(struct scn *s, struct scn_diag *d)
{
	for (size_t i = 0; i < s->nats; i++) {
		struct scn_at *a = &s->ats[i];
		if (a->replay) {
			if (!a->packets && check_replay(s, d, a) < 0)
				return -1;
			continue;
		}
		if (a->link[0]) {
			if (!scn_find_link(s, a->link))
				return scn_error(s, d, a->node_pos, "unknown link '%s' (no 'link %s' line)",
				                 a->link, a->link);
			continue;
		}
		const struct scn_node *n = need_node(s, d, a->node, a->node_pos);
		if (!n)
			return -1;
		if (n->kind == NODE_BRIDGE)
			return scn_error(s, d, a->node_pos, "node '%s' is a bridge: it runs no commands",
			                 a->node);
	}
	return 0;
}

/* Interfaces that commands create while the scenario runs (ppp's tun0,
 * gif tunnels, the loopback) cannot be checked before the run. */
static bool runtime_iface(const char *name)
{
	static const char *const prefixes[] = { "tun", "gif", "stf", "lo", "ng" };
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

int scn_link_dlt(enum sim_link_kind k)
{
	return k == LINK_ETHERNET ? DLT_EN10MB : DLT_RAW;
}

int scn_compile_filter(const char *filter, enum sim_link_kind k, struct bpf_program *prog,
                       char *err, size_t errlen)
{
	pcap_t *p = pcap_open_dead(scn_link_dlt(k), 65535);
	int rc;

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = pcap_compile(p, prog, filter, 1, PCAP_NETMASK_UNKNOWN);
	if (rc != 0)
		snprintf(err, errlen, "%s", pcap_geterr(p));
	pcap_close(p);
	return rc == 0 ? 0 : -1;
}

static int check_packet(const struct scn *s, struct scn_diag *d, const struct scn_expect *e)
{
	const struct scn_link *k = scn_find_link(s, e->link);
	struct bpf_program prog;
	char err[PCAP_ERRBUF_SIZE + 64];

	if (!k)
		return scn_error(s, d, e->link_pos, "unknown link '%s' (no 'link %s' line)", e->link,
		                 e->link);
	if (scn_compile_filter(e->text, k->kind, &prog, err, sizeof err) < 0)
		return scn_error(s, d, e->text_pos, "invalid filter for %s link '%s': %s",
		                 scn_link_kind_name(k->kind), k->name, err);
	pcap_freecode(&prog);
	if (!e->has_from)
		return 0;
	if (!need_node(s, d, e->from.node, e->from.pos))
		return -1;
	if (scn_iface_link(s, e->from.node, e->from.iface) != k)
		return scn_error(s, d, e->from.pos, "interface %s:%s is not on link '%s'", e->from.node,
		                 e->from.iface, k->name);
	return 0;
}

static int check_node_expect(const struct scn *s, struct scn_diag *d, struct scn_expect *e)
{
	const struct scn_node *n = need_node(s, d, e->node, e->node_pos);

	if (!n)
		return -1;
	if (n->kind == NODE_BRIDGE)
		return scn_error(s, d, e->node_pos, "node '%s' is a bridge: it has no %s", e->node,
		                 e->kind == EXP_SAYS || e->kind == EXP_MATCHES ? "output" :
		                 e->kind == EXP_ROUTE ? "routes" : "addresses");
	if (e->iface[0] && !runtime_iface(e->iface) && !scn_iface_link(s, e->node, e->iface))
		return scn_error(s, d, e->iface_pos, "unknown interface %s:%s (on no link)", e->node,
		                 e->iface);
	if (e->via_scope[0] && !runtime_iface(e->via_scope) &&
	    !scn_iface_link(s, e->node, e->via_scope))
		return scn_error(s, d, e->via_pos, "unknown interface %s:%s (on no link)", e->node,
		                 e->via_scope);
	if (e->kind != EXP_MATCHES)
		return 0;
	int rc = regcomp(&e->regex, e->text, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		char err[128];
		regerror(rc, &e->regex, err, sizeof err);
		return scn_error(s, d, e->text_pos, "invalid pattern: %s", err);
	}
	e->regex_ok = true;
	return 0;
}

static int check_expects(struct scn *s, struct scn_diag *d)
{
	char a[32], b[32];

	for (size_t i = 0; i < s->nexpects; i++) {
		struct scn_expect *e = &s->expects[i];
		int rc = e->kind == EXP_PACKET || e->kind == EXP_NO_PACKET ? check_packet(s, d, e)
		                                                             : check_node_expect(s, d, e);
		if (rc < 0)
			return -1;
		if (s->has_end && e->start + e->duration > s->end) {
			scn_format_duration(e->start + e->duration, a, sizeof a);
			scn_format_duration(s->end, b, sizeof b);
			return scn_error(s, d, e->pos,
			                 "this expectation's window ends at %s, after 'end %s' (line %d)",
			                 a, b, s->end_pos.line);
		}
	}
	return 0;
}

static int check_end(const struct scn *s, struct scn_diag *d)
{
	char a[32], b[32];

	if (!s->has_end || s->nats == 0)
		return 0;
	const struct scn_at *last = &s->ats[s->nats - 1];
	if (s->end >= last->time)
		return 0;
	scn_format_duration(s->end, a, sizeof a);
	scn_format_duration(last->time, b, sizeof b);
	return scn_error(s, d, s->end_pos, "'end %s' is before the last 'at' (%s on line %d)", a, b,
	                 last->pos.line);
}

int scn_validate(struct scn *s, struct scn_diag *d)
{
	if (check_links(s, d) < 0 || check_ifaces(s, d) < 0 || check_files(s, d) < 0 ||
	    check_ats(s, d) < 0 || check_end(s, d) < 0 || check_expects(s, d) < 0)
		return -1;
	return 0;
}

struct scn *scn_load(const char *path, FILE *err)
{
	struct scn_diag d = { .msg = "" };
	struct scn *s = scn_parse_file(path, &d);

	if (!s || scn_validate(s, &d) < 0) {
		scn_diag_print(err, &d);
		scn_free(s);
		return NULL;
	}
	return s;
}
