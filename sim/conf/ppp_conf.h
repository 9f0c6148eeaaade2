/*
 * /etc/ppp/ppp.conf as FreeBSD's ppp(8) reads it: a label at column 0
 * ending in ':' ("default:", "pppoe6:"), the indented command lines that
 * belong to it, '#' comments, `!include` is not supported. `ppp LABEL`
 * applies the `default` section, then LABEL's.
 *
 * Commands are matched as ppp(8) matches them (case-insensitive, any
 * unique prefix: "se dev PPPoE:sk0" is "set device PPPoE:sk0"), and a bad
 * one gets ppp(8)'s own words, which carry no line number:
 *   Warning: foo: Invalid command
 *   Warning: set foo: Invalid command
 *   Warning: Usage: set mru [max[imum]] [value]
 *   Warning: MRU 20: too small - min 296
 * Only two messages of ppp(8) name the line (systems.c):
 *   Warning: Bad label in /etc/ppp/ppp.conf (line 3) - missing colon
 *   Warning: /etc/ppp/ppp.conf: 7: Syntax error
 * Every message reaches the caller's callback with the line number too, so
 * that the scenario checker can say `file:line: message` up front.
 */
#ifndef V6LAB_PPP_CONF_H
#define V6LAB_PPP_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PPP_CONF_PATH "/etc/ppp/ppp.conf"
#define PPP_CONF_MAX_ROUTES 8

/* The gateway of a sticky route: a fixed address or the peer's, which
 * ppp(8) fills in when the NCP comes up (and follows when it changes). */
enum ppp_conf_gw { PPP_GW_ADDR, PPP_GW_HISADDR, PPP_GW_HISADDR6 };

struct ppp_conf_route {
	int family;                  /* 4 or 6 */
	uint8_t dst[16];             /* IPv4 in the first 4 bytes */
	uint8_t plen;                /* `default`: 0 */
	enum ppp_conf_gw gw;
	uint8_t gw_addr[16];         /* PPP_GW_ADDR only */
};

/* What a label sets up, with ppp(8)'s defaults for what it does not. */
struct ppp_settings {
	char authname[64], authkey[64];
	char device[64];             /* as written: "PPPoE:sk0" */
	bool device_pppoe;           /* a "PPPoE:IFACE[:SERVICE]" device */
	char pppoe_iface[16];        /* "sk0" */
	char pppoe_service[64];      /* "" = any */
	bool lqr, echo;              /* enable lqr / enable echo */
	bool nat;                    /* nat enable yes */
	uint32_t cd_s;               /* set cd N: seconds to wait for carrier */
	bool cd_required;            /* set cd N!: no carrier is an error */
	char dial[128], login[128];  /* chat scripts (empty for PPPoE) */
	uint32_t redial_s;           /* set redial SECS ATTEMPTS */
	uint32_t redial_attempts;    /* 0 = keep trying */
	bool ifaddr_set;             /* set ifaddr with addresses */
	uint8_t my_ip4[4], his_ip4[4];
	uint8_t my_plen, his_plen;   /* 10.0.0.1/0 = any address */
	uint8_t netmask[4];          /* interface netmask, 0 = classful */
	uint16_t mru, mtu;           /* mtu 0 = the negotiated peer MRU */
	uint32_t echo_period_s, lqr_period_s;
	bool ipcp, ipv6cp;           /* enable / disable ipcp, ipv6cp */
	bool accept_pap, accept_chap;  /* authenticate ourselves with it */
	bool enable_pap, enable_chap;  /* ask the peer to authenticate */
	struct ppp_conf_route routes[PPP_CONF_MAX_ROUTES];
	size_t nroutes;
};

/*
 * Called for every problem: `line` in the file (0 for a command typed at
 * the prompt), `msg` as ppp(8) prints it after "Warning: ".
 */
typedef void (*ppp_conf_warn_fn)(void *user, int line, const char *msg);

/* ppp(8)'s defaults: MRU 1500, echo/LQR period 10/30 s, IPCP and IPV6CP
 * enabled, PAP and CHAP accepted, carrier delay 5 s (PPPoE), redial off. */
void ppp_conf_defaults(struct ppp_settings *s);

/*
 * Run one command line ("set mru 1492", "add default HISADDR") on s.
 * Returns 0 when it was applied, else non-zero after warning (the values
 * ppp(8)'s FindExec reports: -1 usage, 1.. failed).
 */
int ppp_conf_command(struct ppp_settings *s, const char *line, int lineno,
                     ppp_conf_warn_fn warn, void *user);

/* Apply section `label` of the file text. 0, or -1 when it has no such
 * label (nothing is warned then: the caller says it its way). */
int ppp_conf_select(struct ppp_settings *s, const char *text, const char *label,
                    ppp_conf_warn_fn warn, void *user);

/* Defaults, then `default:` (if present), then `label`. -1: no such label. */
int ppp_conf_load(struct ppp_settings *s, const char *text, const char *label,
                  ppp_conf_warn_fn warn, void *user);

/* Check every line of every section without running anything (the
 * scenario's validation stage). Returns the number of problems warned. */
int ppp_conf_check(const char *text, ppp_conf_warn_fn warn, void *user);

/* Is `word` a command of ppp's prompt (the shell hands it to ppp)? */
bool ppp_conf_is_command(const char *word);

#endif /* V6LAB_PPP_CONF_H */
