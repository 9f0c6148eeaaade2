/*
 * ipfw(8): `ipfw [-q] [-f] [-a] add|list|show|zero|delete|flush ...` and
 * `ipfw [-q] /path/to/rules` (a file placed on the node, one command per
 * line as its arguments, `#` comments). Output and messages as FreeBSD
 * 7's ipfw prints them: `add` echoes the rule as `list` shows it; `show`
 * lays out `%05u %*llu %*llu rule` with the counter widths of the largest
 * counters; errors go through errx(3), so they read "ipfw: message", or
 * "Line N: message" while a file is read (ipfw calls setprogname() with
 * the line), and the first bad line stops the file.
 */
#include "apps_int.h"
#include "../net/ipfw.h"

#include <stdio.h>
#include <string.h>

#define EX_USAGE 64
#define EX_DATAERR 65
#define EX_UNAVAILABLE 69
#define IPFW_MAX_WORDS 64

struct ipfw_ctx {
	struct sim_node *n;
	bool quiet, force, counters;
	const char *prog;   /* "ipfw", or "Line N" while reading a file */
};

static int warnx_rc(const struct ipfw_ctx *c, int rc, const char *msg)
{
	apps_say(c->n, "%s: %s", c->prog, msg);
	return rc;
}

/* ---- show / list ------------------------------------------------------ */

static int digits(uint64_t v)
{
	char buf[24];
	return snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
}

static void show_rule(const struct ipfw_ctx *c, const struct ipfw_rule *r, int pw, int bw)
{
	char body[512];
	ipfw_format(r, body, sizeof body);
	if (pw > 0 || bw > 0)
		apps_say(c->n, "%05u %*llu %*llu %s", r->num, pw, (unsigned long long)r->pcnt, bw,
		         (unsigned long long)r->bcnt, body);
	else
		apps_say(c->n, "%05u %s", r->num, body);
}

/* `list [N[-M] ...]`; counters for `show` (or -a). */
static int do_list(const struct ipfw_ctx *c, int argc, char **argv, bool counters)
{
	const struct ipfw_chain *ch = ipfw_chain(c->n);
	int pw = 0, bw = 0, rc = 0;
	for (size_t i = 0; counters && i < ch->n; i++) {
		pw = digits(ch->r[i].pcnt) > pw ? digits(ch->r[i].pcnt) : pw;
		bw = digits(ch->r[i].bcnt) > bw ? digits(ch->r[i].bcnt) : bw;
	}
	if (argc == 0) {
		for (size_t i = 0; i < ch->n; i++)
			show_rule(c, &ch->r[i], pw, bw);
		return 0;
	}
	for (int a = 0; a < argc; a++) {
		long lo, hi;
		char *dash = strchr(argv[a], '-');
		if (dash)
			*dash = '\0';
		bool ok = apps_parse_long(argv[a], 0, 65535, &lo) &&
		          (!dash || apps_parse_long(dash + 1, 0, 65535, &hi));
		if (dash)
			*dash = '-';
		if (!ok) {
			char msg[128];
			snprintf(msg, sizeof msg, "invalid rule number: %s", argv[a]);
			rc = warnx_rc(c, EX_USAGE, msg);
			continue;
		}
		if (!dash)
			hi = lo;
		bool seen = false;
		for (size_t i = 0; i < ch->n; i++) {
			if (ch->r[i].num >= lo && ch->r[i].num <= hi) {
				show_rule(c, &ch->r[i], pw, bw);
				seen = true;
			}
		}
		if (!seen) {
			char msg[64];
			snprintf(msg, sizeof msg, "rule %ld does not exist", lo);
			rc = rc ? rc : warnx_rc(c, EX_UNAVAILABLE, msg);
		}
	}
	return rc;
}

/* ---- add / delete / zero / flush ----------------------------------------------- */

static int do_add(const struct ipfw_ctx *c, int argc, char **argv)
{
	struct ipfw_rule r;
	char err[IPFW_ERRLEN];
	if (ipfw_parse(argc, argv, &r, err, sizeof err) < 0)
		return warnx_rc(c, strncmp(err, "missing", 7) ? EX_DATAERR : EX_USAGE, err);
	const struct ipfw_rule *added = ipfw_add(c->n, &r);
	if (!added)
		return warnx_rc(c, EX_UNAVAILABLE, "getsockopt(IP_FW_ADD): Invalid argument");
	if (!c->quiet)
		show_rule(c, added, 0, 0);
	return 0;
}

/* delete / zero: rule numbers, each "rule N: setsockopt(...)" when absent. */
static int do_numbers(const struct ipfw_ctx *c, int argc, char **argv, bool zero)
{
	int rc = 0;
	if (argc == 0 && !zero)
		return warnx_rc(c, EX_USAGE, "missing rule specification");
	if (argc == 0) {
		ipfw_zero(c->n, 0);
		if (!c->quiet)
			apps_say(c->n, "Accounting cleared.");
		return 0;
	}
	for (int a = 0; a < argc; a++) {
		long num;
		char msg[96];
		if (!apps_parse_long(argv[a], 0, 65535, &num)) {
			snprintf(msg, sizeof msg, "invalid rule number ``%s''", argv[a]);
			return warnx_rc(c, EX_USAGE, msg);
		}
		bool ok = zero ? ipfw_zero(c->n, (uint16_t)num) && num != 0
		               : ipfw_delete(c->n, (uint16_t)num) > 0;
		if (!ok) {
			snprintf(msg, sizeof msg, "rule %ld: setsockopt(IP_FW_%s): Invalid argument", num,
			         zero ? "ZERO" : "DEL");
			rc = warnx_rc(c, EX_UNAVAILABLE, msg);
		} else if (zero && !c->quiet) {
			apps_say(c->n, "Entry %ld cleared.", num);
		}
	}
	return rc;
}

static int do_flush(const struct ipfw_ctx *c)
{
	if (!c->force && !c->quiet) {
		/* ipfw asks, and a shell with no terminal input answers EOF: no flush. */
		apps_say(c->n, "Are you sure? [yn] ");
		return 0;
	}
	ipfw_flush(c->n);
	if (!c->quiet)
		apps_say(c->n, "Flushed all rules.");
	return 0;
}

/* ---- the command ----------------------------------------------------------------- */

/* Leading options, then the command word. */
static int ipfw_main(struct ipfw_ctx *c, int argc, char **argv)
{
	int i = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'q')
				c->quiet = true;
			else if (*o == 'f')
				c->force = true;
			else if (*o == 'a')
				c->counters = true;
			else if (*o != 'N' && *o != 'n')
				return warnx_rc(c, EX_USAGE, "usage: ipfw [options]\n"
				                             "do \"ipfw -h\" or \"man ipfw\" for details");
		}
	}
	argc -= i;
	argv += i;
	if (argc == 0) {
		apps_say(c->n, "usage: ipfw [options]\ndo \"ipfw -h\" or \"man ipfw\" for details");
		return EX_USAGE;
	}
	const char *w = argv[0];
	if (!strcmp(w, "add"))
		return do_add(c, argc - 1, argv + 1);
	if (!strcmp(w, "show") || !strcmp(w, "list"))
		return do_list(c, argc - 1, argv + 1, w[0] == 's' || c->counters);
	if (!strcmp(w, "delete") || !strcmp(w, "zero"))
		return do_numbers(c, argc - 1, argv + 1, w[0] == 'z');
	if (!strcmp(w, "flush"))
		return do_flush(c);
	char msg[128];
	snprintf(msg, sizeof msg, "bad command `%s'", w);
	return warnx_rc(c, EX_USAGE, msg);
}

/* Each line is a command of its own, named "Line N" in messages. */
static int run_file(struct ipfw_ctx *c, const struct sim_file *f)
{
	const char *p = f->data;
	for (unsigned lineno = 1; p && *p; lineno++) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024], prog[24];
		snprintf(line, sizeof line, "%.*s", (int)(l < sizeof line ? l : sizeof line - 1), p);
		p = nl ? nl + 1 : NULL;
		char *argv[IPFW_MAX_WORDS];
		int argc = ipfw_split(line, argv, IPFW_MAX_WORDS);
		if (argc == 0)
			continue;
		snprintf(prog, sizeof prog, "Line %u", lineno);
		struct ipfw_ctx lc = *c;
		lc.prog = prog;
		int rc = ipfw_main(&lc, argc, argv);
		if (rc != 0)
			return rc; /* errx() ends ipfw at the first bad line */
	}
	return 0;
}

int cmd_ipfw(struct sim_node *n, int argc, char **argv)
{
	struct ipfw_ctx c = { .n = n, .prog = "ipfw" };
	if (!ipfw_chain(n)) {
		apps_say(n, "ipfw: socket: Protocol not supported");
		return EX_UNAVAILABLE;
	}
	/* As ipfw's main(): a last argument that is an absolute path of a
	 * readable file is a rules file; the words before it are options. */
	const struct sim_file *f = argc > 1 ? sim_file_get(n, argv[argc - 1]) : NULL;
	if (f && argv[argc - 1][0] == '/') {
		for (int i = 1; i < argc - 1; i++) {
			if (!strcmp(argv[i], "-q"))
				c.quiet = true;
			else if (!strcmp(argv[i], "-f"))
				c.force = true;
		}
		return run_file(&c, f);
	}
	return ipfw_main(&c, argc - 1, argv + 1);
}
