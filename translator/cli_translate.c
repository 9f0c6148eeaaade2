/*
 * `nat6to4 translate -c CONF -i IN.pcap -o OUT.pcap [-v] [-f]`: run every
 * packet of a capture through libnat6to4, IPv6 ones through nat6to4_6to4 and
 * IPv4 ones through nat6to4_4to6, with the packet's timestamp as the clock,
 * and write what comes out (link type RAW) with the same timestamp.
 */
#include "cli_commands.h"
#include "cli_pcap.h"

#include <unistd.h>
#include <stdlib.h>
#include <string.h>

struct translate_opts {
	const char *conf, *in, *out;
	int verbose, force;
};

struct run {
	nat6to4 *nat;
	struct cli_reader in;
	struct cli_writer out;
	uint64_t ts_ns;          /* timestamp of the packet being translated */
	unsigned long produced;  /* packets emitted for it */
	unsigned long skipped;   /* frames that were not IPv4/IPv6 */
	int verbose;
};

static void on_emit(void *user, const struct nat6to4_out *o)
{
	struct run *run = user;
	run->produced++;
	cli_writer_put(&run->out, run->ts_ns, o->data, o->len);
}

static int parse_opts(int argc, char **argv, struct translate_opts *o)
{
	int c;
	memset(o, 0, sizeof *o);
	optind = 1;
	opterr = 0;
	while ((c = getopt(argc, argv, "+:c:i:o:vfh")) != -1) {
		switch (c) {
		case 'c': o->conf = optarg; break;
		case 'i': o->in = optarg; break;
		case 'o': o->out = optarg; break;
		case 'v': o->verbose = 1; break;
		case 'f': o->force = 1; break;
		case 'h': fputs(cli_help_for("translate"), stdout); exit(CLI_EXIT_OK);
		case ':': cli_usage_error("translate", "option -%c needs an argument", optopt); return -1;
		default: cli_usage_error("translate", "unknown option -%c", optopt); return -1;
		}
	}
	if (optind < argc) {
		cli_usage_error("translate", "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (!o->conf || !o->in || !o->out) {
		cli_usage_error("translate", "-c CONF, -i IN.pcap and -o OUT.pcap are all required");
		return -1;
	}
	return 0;
}

/* `#N 6to4 translated`, `#N 4to6 dropped (no-session)`, `#N skipped (ethertype 0x0806)` */
static void print_verdict(const struct run *run, int dir, struct nat6to4_verdict v,
                          const struct cli_record *rec)
{
	printf("#%lu %s %s", run->in.packet_no, dir == NAT6TO4_DIR_6TO4 ? "6to4" : "4to6",
	       nat6to4_result_name(v.result));
	if (v.result != NAT6TO4_TRANSLATED)
		printf(" (%s)", nat6to4_reason_name(v.reason));
	else if (run->produced != 1)
		printf(" (%lu packets out)", run->produced);
	if (rec->caplen < rec->wirelen)
		printf(" [captured %zu of %zu bytes]", rec->caplen, rec->wirelen);
	putchar('\n');
}

static void translate_record(struct run *run, const struct cli_record *rec)
{
	const uint8_t *ip;
	size_t len;
	char why[64];
	enum cli_l3 l3 = cli_link_decap(run->in.dlt, rec->frame, rec->caplen, &ip, &len, why,
	                                sizeof why);
	if (l3 == CLI_L3_SKIP) {
		run->skipped++;
		if (run->verbose)
			printf("#%lu skipped (%s)\n", run->in.packet_no, why);
		return;
	}
	run->ts_ns = rec->ts_ns;
	run->produced = 0;
	struct nat6to4_verdict v;
	int dir = l3 == CLI_L3_IPV6 ? NAT6TO4_DIR_6TO4 : NAT6TO4_DIR_4TO6;
	if (dir == NAT6TO4_DIR_6TO4)
		v = nat6to4_6to4(run->nat, ip, len, rec->ts_ns, on_emit, run);
	else
		v = nat6to4_4to6(run->nat, ip, len, rec->ts_ns, on_emit, run);
	if (run->verbose)
		print_verdict(run, dir, v, rec);
}

/* The verdict counters: packets in and out per direction, every non-zero reason. */
static void print_counters(const struct run *run)
{
	struct nat6to4_counters c;
	uint64_t in[2] = { 0, 0 };
	nat6to4_get_counters(run->nat, &c);
	for (int d = 0; d < 2; d++)
		for (int r = 0; r < NAT6TO4_REASON_COUNT; r++)
			in[d] += c.packets[d][r];

	printf("%-24s %10s %10s\n", "", "6to4", "4to6");
	printf("%-24s %10llu %10llu\n", "packets in", (unsigned long long)in[0],
	       (unsigned long long)in[1]);
	for (int r = 0; r < NAT6TO4_REASON_COUNT; r++) {
		if (!c.packets[0][r] && !c.packets[1][r])
			continue;
		printf("  %-22s %10llu %10llu   %s\n", nat6to4_reason_name((enum nat6to4_reason)r),
		       (unsigned long long)c.packets[0][r], (unsigned long long)c.packets[1][r],
		       nat6to4_reason_text((enum nat6to4_reason)r));
	}
	printf("%-24s %10llu %10llu\n", "packets out", (unsigned long long)c.emitted[0],
	       (unsigned long long)c.emitted[1]);
	printf("of those: %llu ICMP errors, %llu fragments\n",
	       (unsigned long long)c.icmp_errors_out, (unsigned long long)c.fragments_out);
	if (run->skipped)
		printf("frames skipped (not IPv4 or IPv6): %lu\n", run->skipped);
	printf("sessions: %llu created, %llu expired, %llu active\n",
	       (unsigned long long)c.sessions_created, (unsigned long long)c.sessions_expired,
	       (unsigned long long)c.sessions_active);
}

/* Read everything; 0 at the end of the capture, -1 (message printed) if it broke. */
static int translate_all(struct run *run)
{
	struct cli_record rec;
	char err[PCAP_ERRBUF_SIZE + 256];
	for (;;) {
		switch (cli_reader_next(&run->in, &rec, err, sizeof err)) {
		case CLI_READ_RECORD:
			translate_record(run, &rec);
			break;
		case CLI_READ_END:
			return 0;
		case CLI_READ_ERROR:
			fprintf(stderr, "%s\n", err);
			return -1;
		}
	}
}

static int run_translate(struct run *run, const struct translate_opts *o)
{
	char err[PCAP_ERRBUF_SIZE + 256];
	if (cli_reader_open(&run->in, o->in, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return CLI_EXIT_USAGE;
	}
	int rc = CLI_EXIT_USAGE;
	if (cli_writer_open(&run->out, o->out, o->force, run->in.nano, err, sizeof err) != 0) {
		fprintf(stderr, "nat6to4: %s\n", err);
	} else if (translate_all(run) != 0) {
		fprintf(stderr, "nat6to4: %s not written\n", o->out);
		cli_writer_abort(&run->out);
	} else if (cli_writer_commit(&run->out, err, sizeof err) != 0) {
		fprintf(stderr, "nat6to4: %s\n", err);
	} else {
		print_counters(run);
		rc = CLI_EXIT_OK;
	}
	cli_reader_close(&run->in);
	return rc;
}

int cli_translate(int argc, char **argv)
{
	struct translate_opts o;
	struct run run;
	char err[512];

	if (parse_opts(argc, argv, &o) != 0)
		return CLI_EXIT_USAGE;
	nat6to4_config *cfg = cli_load_config(o.conf, stderr);
	if (!cfg)
		return CLI_EXIT_USAGE;
	memset(&run, 0, sizeof run);
	run.verbose = o.verbose;
	run.nat = nat6to4_new(cfg, err, sizeof err);
	nat6to4_config_free(cfg);
	if (!run.nat) {
		fprintf(stderr, "%s: %s\n", o.conf, err);
		return CLI_EXIT_USAGE;
	}
	int rc = run_translate(&run, &o);
	nat6to4_free(run.nat);
	return rc;
}
