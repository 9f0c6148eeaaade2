/*
 * dhcp6c.conf parser: WIDE-DHCPv6's cftoken.l/cfparse.y grammar for the
 * statements a prefix-delegation client uses, by recursive descent. Like
 * the yacc parser it stops at the first syntax error, reported on the line
 * of the token it could not use ("FILE LINE: syntax error", then "fatal
 * parse failure"); the checks of cf_post_config come after, in
 * dhcp6c_conf_check, with config.c's "FILE:LINE message" wording.
 */
#include "dhcp6c_conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok { T_EOF, T_WORD, T_QSTRING, T_BCL, T_ECL, T_EOS, T_COMMA, T_SLASH, T_BAD };

struct lex {
	const char *p;
	int line;          /* lines consumed so far, as flex's lineno */
	enum tok t;
	char word[64];
	const char *path;
	dh6_log_fn log;
	void *user;
	int errors;
};

/* Characters of cftoken.l's {string}. */
static int is_word_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == ':' || ch == '.' || ch == '_' || ch == '-';
}

static void skip_blank(struct lex *lx)
{
	for (;;) {
		char ch = *lx->p;
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			lx->p++;
		} else if (ch == '\n') {
			lx->line++;
			lx->p++;
		} else if (ch == '#') {
			while (*lx->p && *lx->p != '\n')
				lx->p++;
		} else {
			return;
		}
	}
}

static void scan_word(struct lex *lx)
{
	size_t n = 0;
	while (is_word_char(*lx->p)) {
		if (n + 1 < sizeof lx->word)
			lx->word[n++] = *lx->p;
		lx->p++;
	}
	lx->word[n] = '\0';
	lx->t = T_WORD;
}

static void next(struct lex *lx)
{
	skip_blank(lx);
	char ch = *lx->p;
	lx->word[0] = '\0';
	static const char punct[] = "{};,/";
	static const enum tok ptok[] = { T_BCL, T_ECL, T_EOS, T_COMMA, T_SLASH };
	if (!ch) {
		lx->t = T_EOF;
	} else if (strchr(punct, ch)) {
		lx->t = ptok[strchr(punct, ch) - punct];
		lx->p++;
	} else if (ch == '"') {
		const char *end = strchr(lx->p + 1, '"');
		lx->t = end ? T_QSTRING : T_BAD;
		for (const char *q = lx->p; end && q < end; q++)
			lx->line += *q == '\n';
		lx->p = end ? end + 1 : lx->p + 1;
	} else if (is_word_char(ch)) {
		scan_word(lx);
	} else {
		lx->t = T_BAD;
		lx->p++;
	}
}

/* yyerror0: "FILE LINE: message" at the given level. */
static void yyerror_line(struct lex *lx, int line, int level, const char *msg)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s %d: %s", lx->path, line, msg);
	if (lx->log)
		lx->log(lx->user, level, "yyerror0", buf);
}

static void yyerror_at(struct lex *lx, int level, const char *msg)
{
	yyerror_line(lx, lx->line, level, msg);
}

static int syntax_error(struct lex *lx)
{
	if (lx->errors == 0)
		yyerror_at(lx, DH6LOG_ERR, "syntax error");
	lx->errors++;
	return -1;
}

static int expect(struct lex *lx, enum tok t)
{
	if (lx->t != t)
		return syntax_error(lx);
	next(lx);
	return 0;
}

static bool is_kw(const struct lex *lx, const char *kw)
{
	return lx->t == T_WORD && strcmp(lx->word, kw) == 0;
}

/* {number}: digits (WIDE also takes "1.5"; strtoll keeps the integer part). */
static int number(struct lex *lx, long long *out)
{
	if (lx->t != T_WORD || lx->word[0] < '0' || lx->word[0] > '9')
		return syntax_error(lx);
	for (const char *q = lx->word; *q; q++)
		if ((*q < '0' || *q > '9') && *q != '.')
			return syntax_error(lx);
	*out = strtoll(lx->word, NULL, 10);
	next(lx);
	return 0;
}

/* ---- interface NAME { declarations }; --------------------------------------- */

/* Option names of `request` / `send` that are information options. */
static int info_option(const char *w)
{
	static const struct {
		const char *name;
		uint16_t code;
	} opts[] = {
		{ "domain-name-servers", 23 }, { "domain-name", 24 }, { "ntp-servers", 56 },
		{ "sip-server-address", 22 }, { "sip-server-domain-name", 21 }, { "refreshtime", 32 },
	};
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (strcmp(w, opts[i].name) == 0)
			return opts[i].code;
	return -1;
}

static int one_option(struct lex *lx, struct dh6conf_if *ifc, bool send, int line)
{
	long long num;
	int code = lx->t == T_WORD ? info_option(lx->word) : -1;
	if (code >= 0) {
		if (!send && ifc->nreq < DH6CONF_MAX_REQ)
			ifc->req[ifc->nreq++] = (uint16_t)code;
		next(lx);
		return 0;
	}
	if (is_kw(lx, "rapid-commit")) {
		ifc->rapid_commit |= send;
		next(lx);
		return 0;
	}
	if (!is_kw(lx, "ia-pd"))
		return syntax_error(lx);
	next(lx);
	if (number(lx, &num) < 0)
		return -1;
	if (send) {
		ifc->send_iapd = true;
		ifc->iapd = (uint32_t)num;
		ifc->send_line = line;
	}
	return 0;
}

static int option_list(struct lex *lx, struct dh6conf_if *ifc, bool send)
{
	int line = lx->line;
	next(lx);
	for (;;) {
		if (one_option(lx, ifc, send, line) < 0)
			return -1;
		if (lx->t != T_COMMA)
			return expect(lx, T_EOS);
		next(lx);
	}
}

static int declaration(struct lex *lx, struct dh6conf_if *ifc)
{
	if (is_kw(lx, "send"))
		return option_list(lx, ifc, true);
	if (is_kw(lx, "request"))
		return option_list(lx, ifc, false);
	if (is_kw(lx, "information-only")) {
		ifc->info_only = true;
		next(lx);
		return expect(lx, T_EOS);
	}
	if (is_kw(lx, "script")) {
		next(lx);
		if (expect(lx, T_QSTRING) < 0)
			return -1;
		return expect(lx, T_EOS);
	}
	return syntax_error(lx);
}

static int interface_statement(struct lex *lx, struct dhcp6c_conf *c)
{
	struct dh6conf_if ifc = { .line = lx->line };
	next(lx);
	if (lx->t != T_WORD)
		return syntax_error(lx);
	snprintf(ifc.ifname, sizeof ifc.ifname, "%s", lx->word);
	next(lx);
	if (expect(lx, T_BCL) < 0)
		return -1;
	while (lx->t != T_ECL)
		if (declaration(lx, &ifc) < 0)
			return -1;
	next(lx);
	int at = lx->line; /* yacc reduces on the ";", before reading further */
	if (expect(lx, T_EOS) < 0)
		return -1;
	for (size_t i = 0; i < c->nif; i++)
		if (strcmp(c->ifs[i].ifname, ifc.ifname) == 0) {
			char msg[128];
			snprintf(msg, sizeof msg, "duplicated name: %s (ignored)", ifc.ifname);
			yyerror_line(lx, at, DH6LOG_WARNING, msg);
			return 0;
		}
	if (c->nif < DH6CONF_MAX_IF)
		c->ifs[c->nif++] = ifc;
	return 0;
}

/* ---- id-assoc pd [N] { prefix-interface NAME { ... }; ... }; ------------- */

static int ifparam(struct lex *lx, struct dh6conf_pif *pif)
{
	long long num;
	int line = lx->line;
	bool id = is_kw(lx, "sla-id");
	if (!id && !is_kw(lx, "sla-len"))
		return syntax_error(lx);
	next(lx);
	if (number(lx, &num) < 0 || expect(lx, T_EOS) < 0)
		return -1;
	if (id) {
		pif->sla_id = (uint32_t)num;
	} else {
		pif->sla_len = num > 1000 ? 1000 : (int)num;
		pif->sla_len_line = line;
	}
	return 0;
}

static int prefix_interface(struct lex *lx, struct dh6conf_iapd *ia)
{
	struct dh6conf_pif pif = { .sla_len = DH6CONF_SLA_LEN_DEFAULT };
	if (!is_kw(lx, "prefix-interface"))
		return syntax_error(lx);
	next(lx);
	if (lx->t != T_WORD)
		return syntax_error(lx);
	snprintf(pif.ifname, sizeof pif.ifname, "%s", lx->word);
	next(lx);
	if (expect(lx, T_BCL) < 0)
		return -1;
	while (lx->t != T_ECL)
		if (ifparam(lx, &pif) < 0)
			return -1;
	next(lx);
	pif.line = lx->line; /* yacc builds the entry when it reduces at "};" */
	if (expect(lx, T_EOS) < 0)
		return -1;
	if (ia->npif < DH6CONF_MAX_PIF)
		ia->pif[ia->npif++] = pif;
	return 0;
}

static int ia_statement(struct lex *lx, struct dhcp6c_conf *c)
{
	struct dh6conf_iapd ia = { .line = lx->line };
	long long num = 0;
	next(lx);
	if (!is_kw(lx, "pd"))
		return syntax_error(lx);
	next(lx);
	if (lx->t == T_WORD && number(lx, &num) < 0)
		return -1;
	ia.iaid = (uint32_t)num;
	if (expect(lx, T_BCL) < 0)
		return -1;
	while (lx->t != T_ECL)
		if (prefix_interface(lx, &ia) < 0)
			return -1;
	next(lx);
	int at = lx->line;
	if (expect(lx, T_EOS) < 0)
		return -1;
	if (dhcp6c_conf_iapd(c, ia.iaid)) {
		char msg[64];
		snprintf(msg, sizeof msg, "duplicated name: %u (ignored)", ia.iaid);
		yyerror_line(lx, at, DH6LOG_WARNING, msg);
	} else if (c->niapd < DH6CONF_MAX_IA) {
		c->iapd[c->niapd++] = ia;
	}
	return 0;
}

int dhcp6c_conf_parse(const char *path, const char *text, struct dhcp6c_conf *c, dh6_log_fn log,
                      void *user)
{
	struct lex lx = { .p = text, .line = 1, .path = path, .log = log, .user = user };
	memset(c, 0, sizeof *c);
	next(&lx);
	while (lx.t != T_EOF) {
		int r;
		if (is_kw(&lx, "interface"))
			r = interface_statement(&lx, c);
		else if (is_kw(&lx, "id-assoc"))
			r = ia_statement(&lx, c);
		else
			r = syntax_error(&lx);
		if (r < 0)
			break;
	}
	if (lx.errors == 0)
		return 0;
	char msg[64];
	snprintf(msg, sizeof msg, "fatal parse failure: exiting (%d errors)", lx.errors);
	yyerror_at(&lx, DH6LOG_ERR, msg);
	return -1;
}

/* ---- cf_post_config --------------------------------------------------------------- */

const struct dh6conf_if *dhcp6c_conf_if(const struct dhcp6c_conf *c, const char *ifname)
{
	for (size_t i = 0; i < c->nif; i++)
		if (strcmp(c->ifs[i].ifname, ifname) == 0)
			return &c->ifs[i];
	return NULL;
}

const struct dh6conf_iapd *dhcp6c_conf_iapd(const struct dhcp6c_conf *c, uint32_t iaid)
{
	for (size_t i = 0; i < c->niapd; i++)
		if (c->iapd[i].iaid == iaid)
			return &c->iapd[i];
	return NULL;
}

static void logf_(dh6_log_fn log, void *user, const char *fname, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void logf_(dh6_log_fn log, void *user, const char *fname, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (log)
		log(user, DH6LOG_ERR, fname, buf);
}

/* configure_ia -> add_pd_pif: the prefix interfaces (FreeBSD's if_nametoindex
 * fails with ENXIO, "Device not configured"). */
static int check_ia(const char *path, const struct dh6conf_iapd *ia,
                    bool (*if_exists)(void *, const char *), dh6_log_fn log, void *user)
{
	for (size_t k = 0; k < ia->npif; k++) {
		const struct dh6conf_pif *p = &ia->pif[k];
		if (!if_exists(user, p->ifname)) {
			logf_(log, user, "add_pd_pif", "%s:%d invalid interface (%s): %s", path, p->line,
			      p->ifname, "Device not configured");
			return -1;
		}
		if (p->sla_len < 0 || p->sla_len > 128) {
			logf_(log, user, "add_pd_pif", "%s:%d invalid SLA length: %d", path, p->sla_len_line,
			      p->sla_len);
			return -1;
		}
	}
	return 0;
}

int dhcp6c_conf_check(const char *path, const struct dhcp6c_conf *c,
                      bool (*if_exists)(void *user, const char *ifname), dh6_log_fn log,
                      void *user)
{
	for (size_t i = 0; i < c->niapd; i++)
		if (check_ia(path, &c->iapd[i], if_exists, log, user) < 0)
			return -1;
	for (size_t i = 0; i < c->nif; i++) {
		const struct dh6conf_if *ifc = &c->ifs[i];
		if (!if_exists(user, ifc->ifname)) {
			logf_(log, user, "configure_interface", "invalid interface(%s): %s", ifc->ifname,
			      "Device not configured");
			return -1;
		}
		if (ifc->send_iapd && !dhcp6c_conf_iapd(c, ifc->iapd)) {
			logf_(log, user, "add_options", "%s:%d IA_PD (%lu) is not defined", path,
			      ifc->send_line, (unsigned long)ifc->iapd);
			return -1;
		}
	}
	return 0;
}
