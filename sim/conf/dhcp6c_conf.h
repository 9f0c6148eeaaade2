/*
 * dhcp6c.conf(5) of WIDE-DHCPv6, the part a prefix-delegation client uses:
 *
 *   interface tun0 { send ia-pd 0; request domain-name-servers; };
 *   id-assoc pd 0 { prefix-interface sk0 { sla-id 1; sla-len 4; }; };
 *
 * (`id-assoc pd {` without a number is IAID 0.) Errors are reported as
 * WIDE reports them, through a log callback with the syslog level and the
 * function name WIDE's dprintf would print:
 *   yyerror0: /usr/local/etc/dhcp6c.conf 7: syntax error
 *   yyerror0: /usr/local/etc/dhcp6c.conf 7: fatal parse failure: exiting (1 errors)
 *   add_options: /usr/local/etc/dhcp6c.conf:2 IA_PD (3) is not defined
 */
#ifndef V6LAB_DHCP6C_CONF_H
#define V6LAB_DHCP6C_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* syslog(3) levels, as WIDE's dprintf filters on them. */
enum dh6_loglevel { DH6LOG_ERR = 3, DH6LOG_WARNING = 4, DH6LOG_NOTICE = 5, DH6LOG_INFO = 6,
                    DH6LOG_DEBUG = 7 };

typedef void (*dh6_log_fn)(void *user, int level, const char *fname, const char *msg);

#define DH6CONF_IFNAME 64               /* as long as a token can be */
#define DH6CONF_MAX_IF 8
#define DH6CONF_MAX_IA 8
#define DH6CONF_MAX_PIF 8
#define DH6CONF_MAX_REQ 8
#define DH6CONF_SLA_LEN_DEFAULT 16   /* WIDE's SLA_LEN_DEFAULT */

struct dh6conf_pif {                 /* prefix-interface NAME { ... }; */
	char ifname[DH6CONF_IFNAME];
	uint32_t sla_id;
	int sla_len;
	int sla_len_line;
	int line;                        /* of its closing "};" (where yacc made the entry) */
};

struct dh6conf_iapd {                /* id-assoc pd N { ... }; */
	uint32_t iaid;
	int line;
	size_t npif;
	struct dh6conf_pif pif[DH6CONF_MAX_PIF];
};

struct dh6conf_if {                  /* interface NAME { ... }; */
	char ifname[DH6CONF_IFNAME];
	int line;
	bool send_iapd;
	uint32_t iapd;                   /* send ia-pd N */
	int send_line;
	bool rapid_commit;               /* send rapid-commit */
	bool info_only;                  /* information-only */
	size_t nreq;
	uint16_t req[DH6CONF_MAX_REQ];   /* request ...: DHCPv6 option codes for the ORO */
};

struct dhcp6c_conf {
	size_t nif;
	struct dh6conf_if ifs[DH6CONF_MAX_IF];
	size_t niapd;
	struct dh6conf_iapd iapd[DH6CONF_MAX_IA];
};

/*
 * Parse `text` (from file `path`, named in messages). 0 when it parsed;
 * -1 after logging the errors. A second pass, dhcp6c_conf_check, does what
 * WIDE's cf_post_config does: interfaces must exist (if_exists), every
 * `send ia-pd N` needs its `id-assoc pd N`, sla-len within 0..128.
 */
int dhcp6c_conf_parse(const char *path, const char *text, struct dhcp6c_conf *c, dh6_log_fn log,
                      void *user);
int dhcp6c_conf_check(const char *path, const struct dhcp6c_conf *c,
                      bool (*if_exists)(void *user, const char *ifname), dh6_log_fn log,
                      void *user);

const struct dh6conf_if *dhcp6c_conf_if(const struct dhcp6c_conf *c, const char *ifname);
const struct dh6conf_iapd *dhcp6c_conf_iapd(const struct dhcp6c_conf *c, uint32_t iaid);

#endif /* V6LAB_DHCP6C_CONF_H */
