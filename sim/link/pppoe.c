/*
 * PPPoE (RFC 2516): the discovery stage as a client (FreeBSD's ng_pppoe
 * under ppp(8)) and as an access concentrator, and the session stage.
 *
 *   client                          AC
 *   PADI  (broadcast) ----------->            Service-Name, Host-Uniq
 *         <-------------------- PADO          AC-Name, Service-Name, Host-Uniq, AC-Cookie
 *   PADR  (unicast)   ----------->            Host-Uniq, AC-Cookie, AC-Name, Service-Name
 *         <-------------------- PADS          session id, Service-Name, Host-Uniq
 *   0x8864 session frames <------>            PPP, protocol field first
 *   PADT  <---------------------->            either side ends the session
 *
 * The client's tag order is ng_pppoe's, so the capture reads like one
 * taken behind a FreeBSD 8 host. PADI and PADR are resent with ng_pppoe's
 * backoff (2 s, doubling, RFC 2516 section 5) and, unlike ng_pppoe which
 * retries forever, the client gives up after PPPOE_MAX_TRIES sends so
 * ppp(8)'s model can report it. The AC keeps no state per PADI: its
 * AC-Cookie is computed from the client's MAC and checked in the PADR.
 *
 * Where the state lives: nothing in the engine's structures is PPPoE's, so
 * a per-simulation registry hangs off the simulation's free hooks (found
 * by its hook function). Timer events point at the registry, which lives
 * as long as the simulation, and carry a token naming the session, so a
 * session freed with a timer pending is never touched.
 */
#include "pppoe.h"

#include "../net/net.h"

#include <stdlib.h>
#include <string.h>

#define PPPOE_HDRLEN 6
#define ETHER_HDRLEN 14
#define PPPOE_VERTYPE 0x11
#define CODE_SESSION 0x00
#define CODE_PADI 0x09
#define CODE_PADO 0x07
#define CODE_PADR 0x19
#define CODE_PADS 0x65
#define CODE_PADT 0xa7
#define HOST_UNIQ_LEN 4   /* ng_pppoe sends a pointer: 4 bytes on the seed's i386 k7 */
#define AC_COOKIE_LEN 8
#define TAG_VALUE_MAX 64  /* names, Host-Uniq and cookies kept from the peer */
#define MAX_TAGS 16
#define DISC_MAX 1494     /* Ethernet payload 1500 - PPPoE header */

static const uint8_t ether_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* ---- states ------------------------------------------------------------ */

enum pppoe_state {
	PPPOE_IDLE,        /* client created, nothing sent */
	PPPOE_PADI_SENT,   /* client: waiting for a PADO */
	PPPOE_PADR_SENT,   /* client: waiting for the PADS */
	PPPOE_SESSION,     /* both: session id known, PPP flows */
	PPPOE_DEAD,        /* both: gave up or PADT; waiting to be freed */
	PPPOE_NSTATES
};

static const char *const pppoe_state_names[PPPOE_NSTATES] = {
	"idle", "padi-sent", "padr-sent", "session", "dead",
};

enum pppoe_event {
	EV_START,      /* pppoe_client_start */
	EV_TIMEOUT,    /* the PADI / PADR retransmission timer */
	EV_PADO,       /* a PADO answering our PADI */
	EV_PADS,       /* a PADS answering our PADR */
	EV_PADT,       /* the peer ended the session */
	EV_STOP,       /* our owner ends it */
};

/* ppp(8)'s words when its netgraph node reports (usr.sbin/ppp/ether.c). */
#define WHY_FAIL "Received NGM_PPPOE_FAIL"
#define WHY_CLOSE "Received NGM_PPPOE_CLOSE"
/* What ng_pppoe puts in the Generic-Error of the PADT it sends. */
#define PPPOE_SIGNOFF "session closed"

/* ---- objects ------------------------------------------------------------ */

struct pppoe_reg {
	struct sim *sim;
	struct pppoe_session **cl;  /* client sessions, creation order */
	size_t ncl, capcl;
	struct pppoe_ac **ac;       /* access concentrators, creation order */
	size_t nac, capac;
	uint64_t next_token;        /* timer tokens, never 0 */
};

struct pppoe_session {
	struct pppoe_reg *reg;      /* NULL once the simulation is being freed */
	struct sim_iface *ifp;
	struct pppoe_ac *ac;        /* AC side: the concentrator; client: NULL */
	enum pppoe_state state;
	uint16_t sid;
	uint8_t peer[6];            /* the other end's MAC */
	uint8_t uniq[TAG_VALUE_MAX];   /* client: ours; AC side: the client's */
	uint16_t uniq_len;
	bool has_uniq;
	uint8_t cookie[TAG_VALUE_MAX]; /* client: the AC-Cookie of the PADO taken */
	uint16_t cookie_len;
	bool has_cookie;
	char service[TAG_VALUE_MAX];   /* client: asked for; AC side: granted */
	char ac_name[TAG_VALUE_MAX];   /* client: the AC that offered */
	unsigned tries;             /* sends of the current PADI / PADR */
	uint32_t timeout_s;         /* wait before the next resend */
	uint64_t timer_token;       /* 0 when no timer is pending */
	struct pppoe_client_cb cb;  /* client only */
	void *user;                 /* pppoe_session_set_user */
	bool freeing;
};

struct pppoe_ac {
	struct pppoe_reg *reg;
	struct sim_iface *ifp;
	char name[TAG_VALUE_MAX];
	char service[TAG_VALUE_MAX];
	struct pppoe_ac_cb cb;
	struct pppoe_session **s;   /* open sessions, creation order */
	size_t ns, caps;
	uint16_t next_sid;
	bool stopping;
};

/* A received discovery packet, tags picked out (values point into it). */
struct disc_in {
	uint8_t code;
	uint16_t sid;
	const uint8_t *src;
	const struct pppoe_tag *service, *ac_name, *uniq, *cookie;
	bool error;                 /* Service-Name-, AC-System- or Generic-Error */
};

/* ---- registry ------------------------------------------------------------ */

static void reg_free_hook(struct sim *sim, void *user);

/* sim_free drops a hook from the list before running it, so a registry
 * being freed is no longer found. */
static struct pppoe_reg *reg_find(struct sim *sim)
{
	for (size_t i = 0; i < sim->nfree_hooks; i++)
		if (sim->free_hooks[i].fn == reg_free_hook)
			return sim->free_hooks[i].user;
	return NULL;
}

static struct pppoe_reg *reg_get(struct sim *sim)
{
	struct pppoe_reg *r = reg_find(sim);
	if (!r) {
		r = sim_xcalloc(1, sizeof *r);
		r->sim = sim;
		r->next_token = 1;
		sim_on_free(sim, reg_free_hook, r);
	}
	return r;
}

/* Sessions and ACs belong to their owners, who free them with _stop; at
 * the end of the simulation they are only cut loose, so an owner freeing
 * them from its own hook afterwards finds nothing dangling. */
static void reg_free_hook(struct sim *sim, void *user)
{
	(void)sim;
	struct pppoe_reg *r = user;
	for (size_t i = 0; i < r->ncl; i++) {
		r->cl[i]->reg = NULL;
		r->cl[i]->timer_token = 0;
	}
	for (size_t i = 0; i < r->nac; i++)
		r->ac[i]->reg = NULL;
	free(r->cl);
	free(r->ac);
	free(r);
}

/* Growing arrays of pointers, kept in creation order (determinism). */
#define VEC_PUSH(arr, n, cap, item)                                        \
	do {                                                               \
		if ((n) == (cap)) {                                        \
			(cap) = (cap) ? (cap) * 2 : 4;                     \
			(arr) = sim_xrealloc((arr), (cap), sizeof *(arr)); \
		}                                                          \
		(arr)[(n)++] = (item);                                     \
	} while (0)

#define VEC_REMOVE(arr, n, item)                                                    \
	do {                                                                        \
		for (size_t i_ = 0; i_ < (n); i_++) {                               \
			if ((arr)[i_] == (item)) {                                  \
				memmove((arr) + i_, (arr) + i_ + 1,                 \
				        ((n) - i_ - 1) * sizeof *(arr));            \
				(n)--;                                              \
				break;                                              \
			}                                                           \
		}                                                                   \
	} while (0)

/* ---- small helpers -------------------------------------------------------- */

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void copy_name(char *dst, size_t room, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= room)
		n = room - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool tag_is(const struct pppoe_tag *t, const void *v, size_t len)
{
	return t && t->len == len && (len == 0 || memcmp(t->value, v, len) == 0);
}

/* ---- sending ------------------------------------------------------------ */

/* A discovery packet being built: header, then tags appended in order. */
struct disc_out {
	uint8_t b[DISC_MAX];
	size_t n;
};

static void out_init(struct disc_out *o, uint8_t code, uint16_t sid)
{
	o->b[0] = PPPOE_VERTYPE;
	o->b[1] = code;
	wr16(o->b + 2, sid);
	o->n = PPPOE_HDRLEN;
}

/* Values are at most TAG_VALUE_MAX bytes and a packet has a few tags, so
 * they always fit in DISC_MAX; pppoe_tag_put still checks. */
static void out_tag(struct disc_out *o, uint16_t type, const void *v, size_t len)
{
	o->n += pppoe_tag_put(o->b + o->n, sizeof o->b - o->n, type, v, (uint16_t)len);
}

static void out_send(struct sim_iface *ifp, const uint8_t dst[6], uint16_t ethertype,
                     struct disc_out *o)
{
	wr16(o->b + 4, (uint16_t)(o->n - PPPOE_HDRLEN));
	struct pbuf *p = pbuf_copy(ifp->node->sim, o->b, o->n);
	if (p)
		ether_output(ifp, dst, ethertype, p);
}

/* ---- parsing ------------------------------------------------------------ */

/*
 * Check the PPPoE header of a frame (Ethernet header first): version and
 * type 1, a length that fits. Returns the payload and its length (the
 * header's, Ethernet padding dropped) or NULL.
 */
static const uint8_t *hdr_check(const uint8_t *frame, size_t len, size_t *plen)
{
	if (len < ETHER_HDRLEN + PPPOE_HDRLEN)
		return NULL;
	const uint8_t *h = frame + ETHER_HDRLEN;
	size_t n = rd16(h + 4);
	if (h[0] != PPPOE_VERTYPE || n > len - ETHER_HDRLEN - PPPOE_HDRLEN)
		return NULL;
	*plen = n;
	return h + PPPOE_HDRLEN;
}

static int disc_parse(const uint8_t *frame, size_t len, struct pppoe_tag *tags,
                      struct disc_in *d)
{
	size_t plen, err;
	const uint8_t *pl = hdr_check(frame, len, &plen);
	int n = pl ? pppoe_tags_decode(pl, plen, tags, MAX_TAGS, &err) : -1;
	if (n < 0)
		return -1;
	memset(d, 0, sizeof *d);
	d->code = frame[ETHER_HDRLEN + 1];
	d->sid = rd16(frame + ETHER_HDRLEN + 2);
	d->src = frame + 6;
	/* The first of each kind counts, as in ng_pppoe's get_tag. */
	for (int i = n - 1; i >= 0; i--) {
		switch (tags[i].type) {
		case PPPOE_TAG_SERVICE_NAME: d->service = &tags[i]; break;
		case PPPOE_TAG_AC_NAME: d->ac_name = &tags[i]; break;
		case PPPOE_TAG_HOST_UNIQ: d->uniq = &tags[i]; break;
		case PPPOE_TAG_AC_COOKIE: d->cookie = &tags[i]; break;
		case PPPOE_TAG_SERVICE_NAME_ERROR:
		case PPPOE_TAG_AC_SYSTEM_ERROR:
		case PPPOE_TAG_GENERIC_ERROR: d->error = true; break;
		default: break;
		}
	}
	return 0;
}

/* ---- client: packets ------------------------------------------------------ */

static void client_send_padi(struct pppoe_session *s)
{
	struct disc_out o;
	out_init(&o, CODE_PADI, 0);
	out_tag(&o, PPPOE_TAG_SERVICE_NAME, s->service, strlen(s->service));
	out_tag(&o, PPPOE_TAG_HOST_UNIQ, s->uniq, s->uniq_len);
	out_send(s->ifp, ether_bcast, ETHERTYPE_PPPOE_DISC, &o);
}

/* ng_pppoe's PADR: Host-Uniq, the AC-Cookie and AC-Name returned, then
 * the Service-Name asked for. */
static void client_send_padr(struct pppoe_session *s)
{
	struct disc_out o;
	out_init(&o, CODE_PADR, 0);
	out_tag(&o, PPPOE_TAG_HOST_UNIQ, s->uniq, s->uniq_len);
	if (s->has_cookie)
		out_tag(&o, PPPOE_TAG_AC_COOKIE, s->cookie, s->cookie_len);
	if (s->ac_name[0])
		out_tag(&o, PPPOE_TAG_AC_NAME, s->ac_name, strlen(s->ac_name));
	out_tag(&o, PPPOE_TAG_SERVICE_NAME, s->service, strlen(s->service));
	out_send(s->ifp, s->peer, ETHERTYPE_PPPOE_DISC, &o);
}

/* PADT from either side; ng_pppoe signs off with a Generic-Error. */
static void send_padt(struct pppoe_session *s, const char *why)
{
	struct disc_out o;
	out_init(&o, CODE_PADT, s->sid);
	if (why)
		out_tag(&o, PPPOE_TAG_GENERIC_ERROR, why, strlen(why));
	out_send(s->ifp, s->peer, ETHERTYPE_PPPOE_DISC, &o);
}

/* ---- client: timer -------------------------------------------------------- */

static void client_event(struct pppoe_session *s, enum pppoe_event ev, const struct disc_in *d);

static void client_timer_fire(struct sim *sim, void *obj, uint64_t token)
{
	(void)sim;
	struct pppoe_reg *r = obj;
	for (size_t i = 0; i < r->ncl; i++) {
		if (r->cl[i]->timer_token == token) {
			r->cl[i]->timer_token = 0;
			client_event(r->cl[i], EV_TIMEOUT, NULL);
			return;
		}
	}
}

static void client_arm(struct pppoe_session *s)
{
	if (!s->reg)
		return;
	struct sim *sim = s->reg->sim;
	s->timer_token = s->reg->next_token++;
	sim_at(sim, sim->now + (sim_time)s->timeout_s * SIM_S, client_timer_fire, s->reg,
	       s->timer_token);
}

/* (Re)send the packet of the current state and wait, doubling the wait
 * up to ng_pppoe's limit. */
static void client_resend(struct pppoe_session *s)
{
	if (s->state == PPPOE_PADI_SENT)
		client_send_padi(s);
	else
		client_send_padr(s);
	s->tries++;
	client_arm(s);
	s->timeout_s *= 2;
	if (s->timeout_s > PPPOE_TIMEOUT_LIMIT_S)
		s->timeout_s = PPPOE_TIMEOUT_LIMIT_S;
}

static void client_begin(struct pppoe_session *s, enum pppoe_state st)
{
	s->state = st;
	s->tries = 0;
	s->timeout_s = PPPOE_INITIAL_TIMEOUT_S;
	client_resend(s);
}

/* ---- client: the state machine -------------------------------------------- */

/* The PADO answers our PADI and offers what we asked (RFC 2516 5.2). */
static bool client_pado_ok(const struct pppoe_session *s, const struct disc_in *d)
{
	if (d->error || !d->ac_name || !d->service || d->sid != 0)
		return false;
	if (!tag_is(d->uniq, s->uniq, s->uniq_len))
		return false;
	return s->service[0] == '\0' || tag_is(d->service, s->service, strlen(s->service));
}

static void client_take_pado(struct pppoe_session *s, const struct disc_in *d)
{
	memcpy(s->peer, d->src, 6);
	s->has_cookie = d->cookie && d->cookie->len <= TAG_VALUE_MAX;
	if (s->has_cookie) {
		s->cookie_len = d->cookie->len;
		memcpy(s->cookie, d->cookie->value, s->cookie_len);
	}
	size_t n = d->ac_name->len < TAG_VALUE_MAX - 1 ? d->ac_name->len : TAG_VALUE_MAX - 1;
	memcpy(s->ac_name, d->ac_name->value, n);
	s->ac_name[n] = '\0';
}

/* Leave for good: no timer, the owner told once, s untouched afterwards
 * (the owner may free it from the callback). */
static void client_finish(struct pppoe_session *s, const char *why)
{
	s->state = PPPOE_DEAD;
	s->timer_token = 0;
	if (s->cb.down)
		s->cb.down(s->cb.user, why);
}

static void client_event(struct pppoe_session *s, enum pppoe_event ev, const struct disc_in *d)
{
	switch (s->state) {
	case PPPOE_IDLE:
		if (ev == EV_START)
			client_begin(s, PPPOE_PADI_SENT);
		else if (ev == EV_STOP)
			client_finish(s, WHY_CLOSE);
		break;
	case PPPOE_PADI_SENT:
	case PPPOE_PADR_SENT:
		if (ev == EV_TIMEOUT && s->tries >= PPPOE_MAX_TRIES)
			client_finish(s, WHY_FAIL);
		else if (ev == EV_TIMEOUT)
			client_resend(s);
		else if (ev == EV_PADO && s->state == PPPOE_PADI_SENT && client_pado_ok(s, d)) {
			client_take_pado(s, d);
			client_begin(s, PPPOE_PADR_SENT);
		} else if (ev == EV_PADS && s->state == PPPOE_PADR_SENT) {
			/* RFC 2516 5.4: session id 0 or an error tag is a refusal. */
			if (d->sid == 0 || d->sid == 0xffff || d->error) {
				client_finish(s, WHY_FAIL);
				break;
			}
			s->sid = d->sid;
			s->state = PPPOE_SESSION;
			s->timer_token = 0;
			if (s->cb.up)
				s->cb.up(s->cb.user, s);
		} else if (ev == EV_STOP)
			client_finish(s, WHY_CLOSE);
		break;
	case PPPOE_SESSION:
		if (ev == EV_STOP)
			send_padt(s, PPPOE_SIGNOFF);
		if (ev == EV_STOP || ev == EV_PADT)
			client_finish(s, WHY_CLOSE);
		break;
	case PPPOE_DEAD:
	case PPPOE_NSTATES:
		break;
	}
}

/* ---- client: API ----------------------------------------------------------- */

struct pppoe_session *pppoe_client_start(struct sim_iface *ifp, const char *service,
                                         const struct pppoe_client_cb *cb)
{
	if (!ifp || !cb)
		return NULL;
	struct sim *sim = ifp->node->sim;
	struct pppoe_reg *r = reg_get(sim);
	struct pppoe_session *s = sim_xcalloc(1, sizeof *s);
	s->reg = r;
	s->ifp = ifp;
	s->cb = *cb;
	s->user = cb->user;
	copy_name(s->service, sizeof s->service, service);
	uint32_t u = (uint32_t)prng_next(&sim->prng);
	s->uniq_len = HOST_UNIQ_LEN;
	s->has_uniq = true;
	for (int i = 0; i < HOST_UNIQ_LEN; i++)
		s->uniq[i] = (uint8_t)(u >> (24 - 8 * i));
	VEC_PUSH(r->cl, r->ncl, r->capcl, s);
	client_event(s, EV_START, NULL);
	return s;
}

void pppoe_client_stop(struct pppoe_session *s)
{
	if (!s || s->freeing || s->ac)
		return;
	s->freeing = true;
	/* Once the simulation is being freed nothing is sent or reported. */
	if (s->reg) {
		client_event(s, EV_STOP, NULL);
		VEC_REMOVE(s->reg->cl, s->reg->ncl, s);
	}
	free(s);
}

/* ---- access concentrator ---------------------------------------------------- */

/*
 * The AC-Cookie (RFC 2516 5.2: it lets the AC answer PADIs without keeping
 * state and check that a PADR comes from where the PADO went): the client
 * and AC MACs through splitmix64's finaliser, 8 bytes big-endian.
 */
static void ac_cookie(const struct pppoe_ac *ac, const uint8_t client[6], uint8_t out[AC_COOKIE_LEN])
{
	uint64_t c = 0, a = 0;
	for (int i = 0; i < 6; i++) {
		c = c << 8 | client[i];
		a = a << 8 | ac->ifp->mac[i];
	}
	uint64_t z = (c ^ a << 16) + 0x9e3779b97f4a7c15ull;
	z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ z >> 27) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	for (int i = 0; i < AC_COOKIE_LEN; i++)
		out[i] = (uint8_t)(z >> (56 - 8 * i));
}

/* Service-Name matching: an empty or "*" service of ours serves anything,
 * an empty Service-Name asked for takes any service (RFC 2516 5.1). */
static bool ac_serves(const struct pppoe_ac *ac, const struct pppoe_tag *svc)
{
	if (!svc)
		return false;
	if (ac->service[0] == '\0' || strcmp(ac->service, "*") == 0 || svc->len == 0)
		return true;
	return tag_is(svc, ac->service, strlen(ac->service));
}

static void ac_padi(struct pppoe_ac *ac, const struct disc_in *d)
{
	/* An AC that cannot serve the request does not answer (RFC 2516 5.2). */
	if (d->sid != 0 || !ac_serves(ac, d->service))
		return;
	uint8_t cookie[AC_COOKIE_LEN];
	ac_cookie(ac, d->src, cookie);
	struct disc_out o;
	out_init(&o, CODE_PADO, 0);
	out_tag(&o, PPPOE_TAG_AC_NAME, ac->name, strlen(ac->name));
	out_tag(&o, PPPOE_TAG_SERVICE_NAME, d->service->value, d->service->len);
	/* Asked for any service: name ours too. */
	if (d->service->len == 0 && ac->service[0] && strcmp(ac->service, "*") != 0)
		out_tag(&o, PPPOE_TAG_SERVICE_NAME, ac->service, strlen(ac->service));
	if (d->uniq)
		out_tag(&o, PPPOE_TAG_HOST_UNIQ, d->uniq->value, d->uniq->len);
	out_tag(&o, PPPOE_TAG_AC_COOKIE, cookie, sizeof cookie);
	out_send(ac->ifp, d->src, ETHERTYPE_PPPOE_DISC, &o);
}

/* PADS: the session id, the Service-Name granted and the Host-Uniq back;
 * a refused service gets session id 0 and Service-Name-Error (5.4). */
static void ac_send_pads(struct pppoe_ac *ac, uint16_t sid, const struct disc_in *d)
{
	struct disc_out o;
	out_init(&o, CODE_PADS, sid);
	if (sid != 0)
		out_tag(&o, PPPOE_TAG_SERVICE_NAME, d->service->value, d->service->len);
	else
		out_tag(&o, PPPOE_TAG_SERVICE_NAME_ERROR, NULL, 0);
	if (d->uniq)
		out_tag(&o, PPPOE_TAG_HOST_UNIQ, d->uniq->value, d->uniq->len);
	out_send(ac->ifp, d->src, ETHERTYPE_PPPOE_DISC, &o);
}

static struct pppoe_session *ac_find(const struct pppoe_ac *ac, uint16_t sid,
                                     const uint8_t mac[6])
{
	for (size_t i = 0; i < ac->ns; i++)
		if (ac->s[i]->sid == sid && (!mac || memcmp(ac->s[i]->peer, mac, 6) == 0))
			return ac->s[i];
	return NULL;
}

/* Session ids from 1 upwards, skipping those in use; 0 and 0xffff are
 * reserved (RFC 2516 4). 0 when all are taken. */
static uint16_t ac_alloc_sid(struct pppoe_ac *ac)
{
	for (unsigned n = 0; n < 0xfffe; n++) {
		uint16_t sid = ac->next_sid;
		ac->next_sid = sid >= 0xfffe ? 1 : (uint16_t)(sid + 1);
		if (!ac_find(ac, sid, NULL))
			return sid;
	}
	return 0;
}

/* A PADR resent because the PADS was lost: same client, same Host-Uniq. */
static struct pppoe_session *ac_find_padr(const struct pppoe_ac *ac, const struct disc_in *d)
{
	for (size_t i = 0; i < ac->ns; i++) {
		const struct pppoe_session *s = ac->s[i];
		if (memcmp(s->peer, d->src, 6) == 0 && s->has_uniq == (d->uniq != NULL) &&
		    (!d->uniq || tag_is(d->uniq, s->uniq, s->uniq_len)))
			return ac->s[i];
	}
	return NULL;
}

static struct pppoe_session *ac_session_new(struct pppoe_ac *ac, const struct disc_in *d)
{
	uint16_t sid = ac_alloc_sid(ac);
	if (sid == 0 || (d->uniq && d->uniq->len > TAG_VALUE_MAX))
		return NULL;
	struct pppoe_session *s = sim_xcalloc(1, sizeof *s);
	s->reg = ac->reg;
	s->ifp = ac->ifp;
	s->ac = ac;
	s->state = PPPOE_SESSION;
	s->sid = sid;
	memcpy(s->peer, d->src, 6);
	s->has_uniq = d->uniq != NULL;
	if (d->uniq) {
		s->uniq_len = d->uniq->len;
		memcpy(s->uniq, d->uniq->value, s->uniq_len);
	}
	size_t n = d->service->len < TAG_VALUE_MAX - 1 ? d->service->len : TAG_VALUE_MAX - 1;
	memcpy(s->service, d->service->value, n);
	VEC_PUSH(ac->s, ac->ns, ac->caps, s);
	return s;
}

/* The AC side of one session: PADR again -> PADS again; PADT received or
 * sent -> the owner is told and the session freed (not touched after). */
static void ac_session_event(struct pppoe_session *s, enum pppoe_event ev, const struct disc_in *d)
{
	struct pppoe_ac *ac = s->ac;
	if (s->state != PPPOE_SESSION)
		return;
	if (ev == EV_PADS) {   /* the client asked again: answer again */
		ac_send_pads(ac, s->sid, d);
		return;
	}
	if (ev != EV_PADT && ev != EV_STOP)
		return;
	if (ev == EV_STOP && ac->reg)
		send_padt(s, NULL);
	s->state = PPPOE_DEAD;
	VEC_REMOVE(ac->s, ac->ns, s);
	if (ac->reg && ac->cb.session_down)
		ac->cb.session_down(ac->cb.user, s);
	free(s);
}

static void ac_padr(struct pppoe_ac *ac, const struct disc_in *d)
{
	uint8_t cookie[AC_COOKIE_LEN];
	ac_cookie(ac, d->src, cookie);
	/* Not the cookie of our PADO to this client: some other AC's. */
	if (d->sid != 0 || !tag_is(d->cookie, cookie, sizeof cookie))
		return;
	struct pppoe_session *s = ac_find_padr(ac, d);
	if (s) {
		ac_session_event(s, EV_PADS, d);
		return;
	}
	if (!ac_serves(ac, d->service)) {
		if (d->service)
			ac_send_pads(ac, 0, d);
		return;
	}
	s = ac_session_new(ac, d);
	if (!s)
		return;
	ac_send_pads(ac, s->sid, d);
	if (ac->cb.session_up)
		ac->cb.session_up(ac->cb.user, s);
}

struct pppoe_ac *pppoe_ac_start(struct sim_iface *ifp, const char *ac_name, const char *service,
                                const struct pppoe_ac_cb *cb)
{
	if (!ifp || !cb)
		return NULL;
	struct pppoe_reg *r = reg_get(ifp->node->sim);
	struct pppoe_ac *ac = sim_xcalloc(1, sizeof *ac);
	ac->reg = r;
	ac->ifp = ifp;
	ac->cb = *cb;
	ac->next_sid = 1;
	copy_name(ac->name, sizeof ac->name, ac_name);
	copy_name(ac->service, sizeof ac->service, service);
	VEC_PUSH(r->ac, r->nac, r->capac, ac);
	return ac;
}

void pppoe_ac_stop(struct pppoe_ac *ac)
{
	if (!ac || ac->stopping)
		return;
	ac->stopping = true;
	while (ac->ns > 0)
		ac_session_event(ac->s[0], EV_STOP, NULL);
	if (ac->reg)
		VEC_REMOVE(ac->reg->ac, ac->reg->nac, ac);
	free(ac->s);
	free(ac);
}

void pppoe_ac_close(struct pppoe_ac *ac, struct pppoe_session *s)
{
	if (ac && s && s->ac == ac)
		ac_session_event(s, EV_STOP, NULL);
}

/* ---- both sides ------------------------------------------------------------- */

int pppoe_send(struct pppoe_session *s, const uint8_t *ppp, size_t len)
{
	if (!s || !s->reg || s->state != PPPOE_SESSION || (len > 0 && !ppp))
		return -1;
	/* The Ethernet payload is the PPPoE header and the PPP frame. */
	if (len > DISC_MAX || len + PPPOE_HDRLEN > s->ifp->mtu)
		return -1;
	struct pbuf *p = pbuf_alloc(s->ifp->node->sim);
	uint8_t *h = pbuf_append(p, PPPOE_HDRLEN + len);
	if (!h) {
		pbuf_release(s->ifp->node->sim, p);
		return -1;
	}
	h[0] = PPPOE_VERTYPE;
	h[1] = CODE_SESSION;
	wr16(h + 2, s->sid);
	wr16(h + 4, (uint16_t)len);
	if (len)
		memcpy(h + PPPOE_HDRLEN, ppp, len);
	ether_output(s->ifp, s->peer, ETHERTYPE_PPPOE_SESS, p);
	return 0;
}

uint16_t pppoe_session_id(const struct pppoe_session *s)
{
	return s ? s->sid : 0;
}

void pppoe_session_set_user(struct pppoe_session *s, void *user)
{
	if (s)
		s->user = user;
}

void *pppoe_session_user(const struct pppoe_session *s)
{
	return s ? s->user : NULL;
}

const char *pppoe_session_state(const struct pppoe_session *s)
{
	return s && s->state < PPPOE_NSTATES ? pppoe_state_names[s->state] : "none";
}

/* ---- input ----------------------------------------------------------------- */

/* The session a session frame or PADT belongs to: id and peer MAC. */
static struct pppoe_session *session_lookup(const struct pppoe_reg *r, const struct sim_iface *ifp,
                                            uint16_t sid, const uint8_t src[6])
{
	for (size_t i = 0; i < r->ncl; i++) {
		struct pppoe_session *s = r->cl[i];
		if (s->ifp == ifp && s->state == PPPOE_SESSION && s->sid == sid &&
		    memcmp(s->peer, src, 6) == 0)
			return s;
	}
	for (size_t i = 0; i < r->nac; i++) {
		struct pppoe_session *s = r->ac[i]->ifp == ifp ? ac_find(r->ac[i], sid, src) : NULL;
		if (s)
			return s;
	}
	return NULL;
}

static void session_input(struct pppoe_reg *r, struct sim_iface *ifp, const uint8_t *frame,
                          size_t len)
{
	size_t plen;
	const uint8_t *pl = hdr_check(frame, len, &plen);
	if (!pl || frame[ETHER_HDRLEN + 1] != CODE_SESSION) {
		ifp->ierrors++;
		return;
	}
	struct pppoe_session *s = session_lookup(r, ifp, rd16(frame + ETHER_HDRLEN + 2), frame + 6);
	if (!s)
		return;
	if (s->ac && s->ac->cb.recv)
		s->ac->cb.recv(s->ac->cb.user, s, pl, plen);
	else if (!s->ac && s->cb.recv)
		s->cb.recv(s->cb.user, pl, plen);
}

/* The client waiting for this answer: our Host-Uniq, the right state. */
static struct pppoe_session *client_for(const struct pppoe_reg *r, const struct sim_iface *ifp,
                                        const struct disc_in *d, enum pppoe_state st)
{
	for (size_t i = 0; i < r->ncl; i++) {
		struct pppoe_session *s = r->cl[i];
		if (s->ifp == ifp && s->state == st && tag_is(d->uniq, s->uniq, s->uniq_len) &&
		    (st != PPPOE_PADR_SENT || memcmp(s->peer, d->src, 6) == 0))
			return s;
	}
	return NULL;
}

static void disc_input(struct pppoe_reg *r, struct sim_iface *ifp, const uint8_t *frame,
                       size_t len)
{
	struct pppoe_tag tags[MAX_TAGS];
	struct disc_in d;
	if (disc_parse(frame, len, tags, &d) != 0) {
		ifp->ierrors++;
		return;
	}
	struct pppoe_session *s = NULL;
	switch (d.code) {
	case CODE_PADI:
		for (size_t i = 0; i < r->nac; i++)
			if (r->ac[i]->ifp == ifp)
				ac_padi(r->ac[i], &d);
		break;
	case CODE_PADO:
		if ((s = client_for(r, ifp, &d, PPPOE_PADI_SENT)))
			client_event(s, EV_PADO, &d);
		break;
	case CODE_PADR:
		/* ACs on one interface share its MAC, hence their cookies: the
		 * first answers, and only it (its callback may stop the others). */
		for (size_t i = 0; i < r->nac; i++) {
			if (r->ac[i]->ifp == ifp) {
				ac_padr(r->ac[i], &d);
				break;
			}
		}
		break;
	case CODE_PADS:
		if ((s = client_for(r, ifp, &d, PPPOE_PADR_SENT)))
			client_event(s, EV_PADS, &d);
		break;
	case CODE_PADT:
		if ((s = session_lookup(r, ifp, d.sid, d.src)) && s->ac)
			ac_session_event(s, EV_PADT, &d);
		else if (s)
			client_event(s, EV_PADT, &d);
		break;
	default:
		break;
	}
}

void pppoe_input(struct sim_iface *ifp, uint16_t ethertype, const uint8_t *frame, size_t len)
{
	struct pppoe_reg *r = ifp && frame ? reg_find(ifp->node->sim) : NULL;
	if (!r)
		return;
	if (ethertype == ETHERTYPE_PPPOE_SESS)
		session_input(r, ifp, frame, len);
	else if (ethertype == ETHERTYPE_PPPOE_DISC)
		disc_input(r, ifp, frame, len);
}
