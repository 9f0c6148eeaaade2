/*
 * What the jails' small TCP services (ldapd, pop3d, imapd) and their
 * clients (ldapsearch, pop3, imap) share: a receive buffer that frames a
 * byte stream into lines or BER elements, the server's table of sessions,
 * the client's "where to connect" parsing, and the mbox mailboxes the
 * two mail servers serve.
 */
#ifndef V6LAB_SVC_H
#define V6LAB_SVC_H

#include "apps_int.h"
#include "../transport/transport.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- receive buffer ----------------------------------------------------------------------- */

/* Bytes received and not yet consumed; grows up to `max`. */
struct svc_rx {
	uint8_t *data;
	size_t len, cap, max;
};

/* Append what TCP delivered; false (nothing kept) when it would pass rx->max. */
bool svc_rx_add(struct svc_rx *rx, const uint8_t *p, size_t n);
/* Drop the first n bytes. */
void svc_rx_consume(struct svc_rx *rx, size_t n);
/*
 * The next complete line (up to LF, without the CR LF) copied into out:
 * 1, 0 when no whole line is there yet, -1 when the line does not fit in
 * cap (it is consumed anyway: a protocol answers it with an error).
 */
int svc_rx_line(struct svc_rx *rx, char *out, size_t cap);
void svc_rx_free(struct svc_rx *rx);

/* ---- server sessions ---------------------------------------------------------------------- */

/*
 * A server's sessions, each `size` bytes starting with struct svc_sess.
 * Slots are reused, never freed before the simulation: a handle given
 * back to TCP (tcp_close) may still have events pending in the transport,
 * but never callbacks, so a slot is free again as soon as it is closed.
 */
struct svc_sess {
	bool active;
	struct tcp_conn *conn;
	struct svc_rx rx;
	char *out;                /* replies not yet handed to TCP (svc_send .. svc_flush) */
	size_t outlen, outcap;
	void *server;             /* the owning server's state */
};

struct svc_accept;

struct svc_server {
	struct sim_node *node;
	struct tcp_listener *lis4, *lis6;
	struct svc_sess **sess;
	size_t nsess, size;
	void (*free_sess)(struct svc_sess *s);  /* extra cleanup of a slot, or NULL */
	struct svc_accept *acc;   /* the listeners' context (svc.c) */
};

/*
 * Listen on port for IPv4 (and IPv6 too when v6), accepting into
 * sessions of `size` bytes whose callbacks are cb (user: the session).
 * Prints "NAME: bind: Address already in use" and returns false when taken.
 */
bool svc_server_start(struct svc_server *srv, struct sim_node *n, const char *name,
                      uint16_t port, bool v6, size_t size, const struct tcp_callbacks *cb,
                      void (*accepted)(struct svc_sess *s));
/* Free the sessions (from the daemon's sim_on_free hook: the transport may be gone). */
void svc_server_release(struct svc_server *srv);
/* Queue text on a session; svc_flush hands what is queued to TCP in one
 * write, as a server's stdio buffer does after it answered a command. */
void svc_send(struct svc_sess *s, const char *text);
void svc_flush(struct svc_sess *s);
/* Close the session (flushed first, FIN after it); its slot becomes free. */
void svc_close(struct svc_sess *s);
/* tcp_callbacks a server uses as they are: the peer's FIN or an error closes the session. */
void svc_on_closed(void *user, struct tcp_conn *c);
void svc_on_error(void *user, struct tcp_conn *c, const char *reason);

/* ---- clients ------------------------------------------------------------------------------- */

/* "ADDR" (IPv4 or IPv6, IPv6 with an optional %scope) and a port. false when malformed. */
bool svc_parse_dst(struct sim_node *n, const char *text, uint16_t port, struct tp_addr *dst);

/* ---- mbox mailboxes (pop3d, imapd) --------------------------------------------------------- */

#define SVC_MAX_MSGS 64

/* A user's mailbox: the messages in CR LF form, as the protocols count them. */
struct svc_mbox {
	size_t n;
	char *msg[SVC_MAX_MSGS];  /* NUL-terminated, CR LF line ends */
	size_t size[SVC_MAX_MSGS];
	size_t total;
};

/*
 * Read DIR/USER (mbox: each message starts with a "From " line, which is
 * not part of it; the blank line before the next one neither). A missing
 * file is an empty mailbox. Release with svc_mbox_free.
 */
void svc_mbox_load(struct svc_mbox *mb, const struct sim_node *n, const char *dir,
                   const char *user);
void svc_mbox_free(struct svc_mbox *mb);

/* ---- line-based mail daemons (pop3d, imapd) ------------------------------------------------ */

/* What differs between the two mail daemons; the rest is svc_maild_cmd's. */
struct svc_mail_proto {
	const char *name;                          /* "pop3d": usage and bind messages */
	uint16_t port;                             /* default port */
	size_t sess_size;                          /* their session struct, svc_sess first */
	size_t line_max;                           /* longest command line */
	void (*accepted)(struct svc_sess *s);      /* the greeting */
	void (*command)(struct svc_sess *s, char *line);
	void (*line_too_long)(struct svc_sess *s); /* answer to an over-long line */
	void (*overflow)(struct svc_sess *s);      /* too much unread input: go away */
	void (*free_sess)(struct svc_sess *s);
};

/* A mail daemon's state; a session's `server` points here. */
struct svc_maild {
	struct svc_server srv;                     /* first */
	char dir[128];                             /* the mailboxes: DIR/USER */
	const struct svc_mail_proto *proto;
};

/* `NAME [-6] [-p port] [-d maildir]`: parse, listen, serve lines to proto. */
int svc_maild_cmd(struct sim_node *n, int argc, char **argv, const struct svc_mail_proto *proto);

/* ---- line-based mail clients (pop3, imap) -------------------------------------------------- */

struct svc_mailc;

/* What differs between the two mail clients; the rest is svc_mailc_cmd's. */
struct svc_mailc_proto {
	const char *name;                          /* "pop3": usage and messages */
	uint16_t port;                             /* default port */
	size_t size;                               /* their client struct, svc_mailc first */
	void (*connected)(struct svc_mailc *c);    /* now wait for the greeting */
	void (*data)(void *user, struct tcp_conn *conn, const uint8_t *data, size_t len);
	/* The server's FIN is the normal end here (POP3 after QUIT); NULL: never. */
	bool (*close_expected)(struct svc_mailc *c);
	void (*end)(struct svc_mailc *c);          /* to the client's DONE: svc_mailc_close */
};

/* A mail client's connection; the first member of pop3's and imap's structs. */
struct svc_mailc {
	struct sim_node *node;
	struct tcp_conn *conn;
	struct svc_rx rx;
	bool connected, closed;
	char addr[APPS_ADDRSTRLEN], user[64], pass[64];
	const struct svc_mailc_proto *proto;
};

/* `NAME [-p port] address user password`: parse, connect, hand over to proto. */
int svc_mailc_cmd(struct sim_node *n, int argc, char **argv, const struct svc_mailc_proto *proto);
/* Print "C: LINE" on the node and send LINE CR LF. */
void svc_mailc_send(struct svc_mailc *c, const char *line);
/* The dialogue is over: close the connection, drop what was not read. */
void svc_mailc_close(struct svc_mailc *c);

#endif /* V6LAB_SVC_H */
