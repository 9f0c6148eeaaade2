/*
 * The translator context: creation, reload, the two entry points, the
 * counters, the names of reasons and results, and the session wrappers.
 * Everything a context needs is allocated here, once; translating a packet
 * allocates nothing.
 */
#include "xlate.h"
#include <stdio.h>
#include <stdlib.h>

static void set_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
}

nat6to4 *nat6to4_new(const nat6to4_config *cfg, char *err, size_t errlen)
{
	if (!cfg) {
		set_err(err, errlen, "no configuration");
		return NULL;
	}
	if (config_validate(cfg, err, errlen) != 0)
		return NULL;
	/* calloc: zero counters; the big buffers are written before they are read. */
	struct nat6to4 *nat = calloc(1, sizeof *nat);
	if (!nat) {
		set_err(err, errlen, "out of memory for the translator context");
		return NULL;
	}
	nat->cfg = *cfg;
	nat->frags = frag_table_new();
	if (nat->frags && nat->cfg.mode == N64_MODE_NAPT)
		nat->sessions = sessions_new(&nat->cfg);
	if (!nat->frags || (nat->cfg.mode == N64_MODE_NAPT && !nat->sessions)) {
		set_err(err, errlen, "out of memory for the session or fragment table");
		nat6to4_free(nat);
		return NULL;
	}
	return nat;
}

void nat6to4_set_scatter(nat6to4 *nat, bool on)
{
	nat->scatter = on;
}

void nat6to4_free(nat6to4 *nat)
{
	if (!nat)
		return;
	if (nat->sessions)
		sessions_free(nat->sessions);
	frag_table_free(nat->frags);
	free(nat);
}

long nat6to4_reload(nat6to4 *nat, const nat6to4_config *cfg, uint64_t now_ns,
                    char *err, size_t errlen)
{
	long kept = 0;

	if (!nat || !cfg) {
		set_err(err, errlen, "no translator or no configuration");
		return -1;
	}
	if (config_validate(cfg, err, errlen) != 0)
		return -1;
	/* Sessions first: if that fails, the old configuration stays in force. */
	if (cfg->mode == N64_MODE_NAPT && !nat->sessions) {
		nat->sessions = sessions_new(cfg);
		if (!nat->sessions) {
			set_err(err, errlen, "out of memory for the session table");
			return -1;
		}
	} else if (cfg->mode == N64_MODE_NAPT) {
		kept = sessions_reload(nat->sessions, cfg, now_ns);
		if (kept < 0) {
			set_err(err, errlen, "out of memory for the new session table");
			return -1;
		}
	} else if (nat->sessions) { /* to stateless: sessions have no meaning any more */
		sessions_free(nat->sessions);
		nat->sessions = NULL;
	}
	nat->cfg = *cfg;
	return kept;
}

/* ------------------------------------------------------------------ */
/* Translating                                                         */
/* ------------------------------------------------------------------ */

void core_emit(struct nat6to4 *nat, const uint8_t *data, size_t len, uint8_t family,
               enum nat6to4_out_kind kind)
{
	struct nat6to4_out out = { data, len, family, kind, NULL, 0 };

	if (kind == NAT6TO4_OUT_TRANSLATED && nat->tail) {
		out.tail = nat->tail;
		out.tail_len = nat->tail_len;
	}
	nat->tail = NULL;
	nat->tail_len = 0;
	nat->ctr.emitted[nat->dir & 1]++;
	if (kind == NAT6TO4_OUT_ICMP_ERROR)
		nat->ctr.icmp_errors_out++;
	if (nat->emit)
		nat->emit(nat->emit_user, &out);
}

static void begin(struct nat6to4 *nat, int dir, nat6to4_emit_fn emit, void *user)
{
	nat->emit = emit;
	nat->emit_user = user;
	nat->dir = dir;
}

static struct nat6to4_verdict finish(struct nat6to4 *nat, struct nat6to4_verdict v)
{
	nat->ctr.packets[nat->dir][v.reason]++;
	nat->emit = NULL;
	nat->emit_user = NULL;
	return v;
}

struct nat6to4_verdict nat6to4_6to4(nat6to4 *nat, const uint8_t *pkt, size_t len,
                                    uint64_t now_ns, nat6to4_emit_fn emit, void *user)
{
	begin(nat, NAT6TO4_DIR_6TO4, emit, user);
	return finish(nat, xlate_6to4(nat, pkt, pkt ? len : 0, now_ns));
}

struct nat6to4_verdict nat6to4_4to6(nat6to4 *nat, const uint8_t *pkt, size_t len,
                                    uint64_t now_ns, nat6to4_emit_fn emit, void *user)
{
	begin(nat, NAT6TO4_DIR_4TO6, emit, user);
	return finish(nat, xlate_4to6(nat, pkt, pkt ? len : 0, now_ns));
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static const char *const reason_names[NAT6TO4_REASON_COUNT] = {
#define REASON_NAME(name, shortname, text) shortname,
	NAT6TO4_REASONS(REASON_NAME)
#undef REASON_NAME
};

static const char *const reason_texts[NAT6TO4_REASON_COUNT] = {
#define REASON_TEXT(name, shortname, text) text,
	NAT6TO4_REASONS(REASON_TEXT)
#undef REASON_TEXT
};

const char *nat6to4_reason_name(enum nat6to4_reason r)
{
	return (unsigned)r < NAT6TO4_REASON_COUNT ? reason_names[r] : "unknown";
}

const char *nat6to4_reason_text(enum nat6to4_reason r)
{
	return (unsigned)r < NAT6TO4_REASON_COUNT ? reason_texts[r] : "unknown reason";
}

const char *nat6to4_result_name(enum nat6to4_result r)
{
	switch (r) {
	case NAT6TO4_TRANSLATED: return "translated";
	case NAT6TO4_DROPPED: return "dropped";
	case NAT6TO4_ERROR_SENT: return "error-sent";
	}
	return "unknown";
}

/* ------------------------------------------------------------------ */
/* Counters and sessions                                               */
/* ------------------------------------------------------------------ */

void nat6to4_get_counters(const nat6to4 *nat, struct nat6to4_counters *out)
{
	*out = nat->ctr;
	if (nat->sessions)
		sessions_counts(nat->sessions, &out->sessions_created, &out->sessions_expired,
		                &out->sessions_active, &out->bindings_active);
}

size_t nat6to4_sessions_walk(const nat6to4 *nat, nat6to4_session_fn fn, void *user)
{
	return nat->sessions ? sessions_walk(nat->sessions, &nat->cfg, fn, user) : 0;
}

size_t nat6to4_expire(nat6to4 *nat, uint64_t now_ns)
{
	return nat->sessions ? sessions_expire(nat->sessions, now_ns) : 0;
}

size_t nat6to4_bytes_per_session(const nat6to4 *nat)
{
	return nat->sessions ? sessions_bytes_per_session(nat->sessions) : 0;
}
