/*
 * `tcpdump [-ne] [-c N] [-i IFACE] [-w FILE] [EXPRESSION]` in the shell:
 * the frames recently seen on the interface's link (shell_capture.c), each
 * as `tcpdump -n` prints it, stamped with the virtual clock's time of day.
 * Unlike the real one it looks back instead of waiting: -c N shows the
 * last N frames that match. The expression is compiled by libpcap for the
 * link's type, so its errors are libpcap's own.
 */
#include "shell_int.h"
#include "../trace/trace.h"

#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

static const char tcpdump_usage[] =
	"usage: tcpdump [-ne] [-c count] [-i interface] [-w file] [expression]";

/* The option's value: the rest of the word or the next word. */
static const char *opt_value(int n, char **words, int *i, const char *p)
{
	if (p[1])
		return p + 1;
	return *i + 1 < n ? words[++*i] : NULL;
}

static int set_count(struct shell_tcpdump_args *a, const char *v, char *err, size_t errlen)
{
	char *end;
	unsigned long c = strtoul(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || c == 0 || c > 1000000) {
		snprintf(err, errlen, "tcpdump: invalid packet count %s", v);
		return -1;
	}
	a->has_count = true;
	a->count = (uint32_t)c;
	return 0;
}

/* One word of flags ("-ni", "-c3"); *i moves past a value taken. */
static int parse_flags(int n, char **words, int *i, struct shell_tcpdump_args *a, char *err,
                       size_t errlen)
{
	for (const char *p = words[*i] + 1; *p; p++) {
		if (*p == 'n' || *p == 'l') /* always numeric; always line-buffered */
			continue;
		if (*p == 'e') {
			a->link_hdr = true;
			continue;
		}
		if (*p != 'i' && *p != 'c' && *p != 'w') {
			snprintf(err, errlen, "tcpdump: illegal option -- %c\n%s", *p, tcpdump_usage);
			return -1;
		}
		const char *v = opt_value(n, words, i, p);
		if (!v) {
			snprintf(err, errlen, "tcpdump: option requires an argument -- %c\n%s", *p,
			         tcpdump_usage);
			return -1;
		}
		if (*p == 'i')
			a->iface = v;
		else if (*p == 'w')
			a->write_file = v;
		else if (set_count(a, v, err, errlen) < 0)
			return -1;
		return 0; /* a value ends the word */
	}
	return 0;
}

int shell_tcpdump_parse(int n, char **words, struct shell_tcpdump_args *a, char *err,
                        size_t errlen)
{
	int i = 1;

	*a = (struct shell_tcpdump_args){ 0 };
	for (; i < n && words[i][0] == '-' && words[i][1]; i++)
		if (parse_flags(n, words, &i, a, err, errlen) < 0)
			return -1;
	for (; i < n; i++) { /* tcpdump joins the expression's words with blanks */
		size_t used = strlen(a->filter);
		if (used + strlen(words[i]) + 2 > sizeof a->filter) {
			snprintf(err, errlen, "tcpdump: expression too long");
			return -1;
		}
		snprintf(a->filter + used, sizeof a->filter - used, "%s%s", used ? " " : "", words[i]);
	}
	return 0;
}

/* The interface asked for, or the node's first one on a link. */
static struct sim_iface *pick_iface(struct shell *sh, const struct sim_node *node,
                                    const char *name)
{
	for (int i = 0; node && i < node->nifaces; i++)
		if (name ? strcmp(node->ifaces[i]->name, name) == 0 : node->ifaces[i]->link != NULL)
			return node->ifaces[i];
	fprintf(sh->out, "tcpdump: %s: No such device exists\n", name ? name : "(any)");
	fprintf(sh->out, "(interfaces of %s:", sh->cur->name);
	for (int i = 0; node && i < node->nifaces; i++)
		fprintf(sh->out, " %s", node->ifaces[i]->name);
	fputs(")\n", sh->out);
	return NULL;
}

/* A frame the interface saw: anything on its segment (tcpdump puts the NIC
 * in promiscuous mode), but a lost frame only on the sender's side. */
static bool seen_by(const struct shell_frame *f, const struct sim_iface *ifp)
{
	return !f->lost || f->from == ifp;
}

static bool matches(const struct shell_frame *f, const struct bpf_program *prog, uint64_t start_ns)
{
	struct pcap_pkthdr h;
	uint64_t t = start_ns + f->time;

	if (!prog)
		return true;
	h.ts.tv_sec = (time_t)(t / SIM_S);
	h.ts.tv_usec = (suseconds_t)(t % SIM_S / SIM_US);
	h.caplen = h.len = f->len;
	return pcap_offline_filter(prog, &h, f->data) != 0;
}

static void print_frame(struct shell *sh, const struct shell_frame *f, int dlt, bool link_hdr)
{
	char stamp[32], line[512];

	shell_format_stamp(sh->sim->start_unix_ns + f->time, stamp, sizeof stamp);
	trace_format_snap(line, sizeof line, dlt, f->data, f->len, f->len, link_hdr);
	fprintf(sh->out, "%s %s%s\n", stamp, line, f->lost ? " (lost)" : "");
}

/* Write the frames as a pcap file (tcpdump -w); the count, or -1. */
static long write_frames(struct shell *sh, const struct sim_iface *ifp, const char *path,
                         const struct shell_frame **fs, size_t n)
{
	char err[300];
	struct trace_pcap *w = trace_pcap_open(path, trace_link_dlt(ifp->link),
	                                       sh->sim->start_unix_ns, err, sizeof err);
	if (!w) {
		fprintf(sh->out, "tcpdump: %s\n", err);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct sim_frame_info fi = { .link = ifp->link, .from = fs[i]->from, .time = fs[i]->time,
			                     .data = fs[i]->data, .len = fs[i]->len, .lost = fs[i]->lost };
		trace_pcap_tap(w, &fi);
	}
	if (trace_pcap_close(w) < 0) {
		fprintf(sh->out, "tcpdump: %s: write failed\n", path);
		return -1;
	}
	return (long)n;
}

/* The matching frames, oldest first, the last `count` of them if set. */
static size_t select_frames(const struct shell_ring *r, const struct sim_iface *ifp,
                            const struct bpf_program *prog, uint64_t start_ns,
                            const struct shell_tcpdump_args *a, const struct shell_frame **out)
{
	size_t n = 0;
	for (size_t i = 0; r && i < shell_ring_count(r); i++) {
		const struct shell_frame *f = shell_ring_get(r, i);
		if (seen_by(f, ifp) && matches(f, prog, start_ns))
			out[n++] = f;
	}
	if (a->has_count && n > a->count) {
		memmove(out, out + (n - a->count), a->count * sizeof *out);
		n = a->count;
	}
	return n;
}

static void print_frames(struct shell *sh, const struct sim_iface *ifp, const struct shell_ring *r,
                         const struct shell_frame **fs, size_t n, bool link_hdr)
{
	int dlt = scn_link_dlt(ifp->link->kind);

	uint64_t total = r ? r->total : 0;
	size_t kept = r ? shell_ring_count(r) : 0;

	if (kept == total)
		fprintf(sh->out, "reading from %s (link %s: %zu frames so far)", ifp->name,
		        ifp->link->name, kept);
	else
		fprintf(sh->out, "reading from %s (link %s: the last %zu of %llu frames)", ifp->name,
		        ifp->link->name, kept, (unsigned long long)total);
	fprintf(sh->out, ", link-type %s (%s)\n", pcap_datalink_val_to_name(dlt),
	        pcap_datalink_val_to_description(dlt));
	for (size_t i = 0; i < n; i++)
		print_frame(sh, fs[i], trace_link_dlt(ifp->link), link_hdr);
	fprintf(sh->out, "%zu packet%s shown\n", n, n == 1 ? "" : "s");
}

/* Scenarios and saved captures are inputs (as `v6lab run` keeps them):
 * no directory on the path may be one of theirs. */
static bool inputs_dir(const char *path)
{
	for (const char *p = path, *slash; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
		size_t len = (size_t)(slash - p);
		if ((len == 9 && strncmp(p, "scenarios", 9) == 0) ||
		    (len == 8 && strncmp(p, "captures", 8) == 0))
			return true;
	}
	return false;
}

static void show(struct shell *sh, const struct sim_iface *ifp, const struct bpf_program *prog,
                 const struct shell_tcpdump_args *a)
{
	const struct shell_ring *r = shell_capture_ring(&sh->cap, ifp->link);
	const struct shell_frame **fs = calloc(SHELL_RING_FRAMES, sizeof *fs);

	if (!fs) {
		fputs("tcpdump: out of memory\n", sh->out);
		return;
	}
	size_t n = select_frames(r, ifp, prog, sh->sim->start_unix_ns, a, fs);
	if (a->write_file && inputs_dir(a->write_file)) {
		fprintf(sh->out, "tcpdump: will not write into %s (scenarios/ and captures/ are "
		                 "inputs)\n", a->write_file);
	} else if (a->write_file) {
		long w = write_frames(sh, ifp, a->write_file, fs, n);
		if (w >= 0)
			fprintf(sh->out, "%ld packet%s written to %s\n", w, w == 1 ? "" : "s", a->write_file);
	} else {
		print_frames(sh, ifp, r, fs, n, a->link_hdr);
	}
	free(fs);
}

void shell_tcpdump(struct shell *sh, int n, char **words)
{
	struct shell_tcpdump_args a;
	char err[PCAP_ERRBUF_SIZE + 200];
	struct bpf_program prog;

	if (shell_tcpdump_parse(n, words, &a, err, sizeof err) < 0) {
		fprintf(sh->out, "%s\n", err);
		return;
	}
	struct sim_iface *ifp = pick_iface(sh, sim_node_find(sh->sim, sh->cur->name), a.iface);
	if (!ifp)
		return;
	if (!ifp->link) {
		fprintf(sh->out, "tcpdump: %s has no link of its own (a tunnel): its packets are on "
		                 "the link that carries them\n", ifp->name);
		return;
	}
	if (a.filter[0] &&
	    scn_compile_filter(a.filter, ifp->link->kind, &prog, err, sizeof err) < 0) {
		fprintf(sh->out, "tcpdump: %s\n", err);
		return;
	}
	show(sh, ifp, a.filter[0] ? &prog : NULL, &a);
	if (a.filter[0])
		pcap_freecode(&prog);
}
