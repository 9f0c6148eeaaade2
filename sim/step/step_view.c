/*
 * One step on the screen (step.h): the header, the tcpdump -n line, then
 * the frame's fields layer by layer as `tshark -V` and Packet Tracer's PDU
 * details show them: a heading per layer ("Internet Protocol Version 6")
 * and indented "Label: value" lines. The fields come from the capture
 * diff's walkers (diff/fields.h), so every byte of the frame is shown
 * under the name of the field that holds it.
 */
#include "step.h"

#include "../diff/fields.h"
#include "../trace/trace.h"

#include <stdlib.h>
#include <string.h>

void step_format_time(sim_time t, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%06llus", (unsigned long long)(t / SIM_S),
	         (unsigned long long)(t % SIM_S / SIM_US));
}

/* ---- names ------------------------------------------------------------- */

struct name_map {
	const char *key;
	const char *text;
};

static const struct name_map headings[] = {
	{ "eth", "Ethernet II" },
	{ "vlan", "802.1Q Virtual LAN" },
	{ "sll", "Linux cooked capture" },
	{ "arp", "Address Resolution Protocol" },
	{ "ip", "Internet Protocol Version 4" },
	{ "ip6", "Internet Protocol Version 6" },
	{ "icmp", "Internet Control Message Protocol" },
	{ "icmp6", "Internet Control Message Protocol v6" },
	{ "udp", "User Datagram Protocol" },
	{ "tcp", "Transmission Control Protocol" },
	{ "pppoe", "PPP-over-Ethernet" },
	{ "ppp", "Point-to-Point Protocol" },
	{ "lcp", "PPP Link Control Protocol" },
	{ "ipcp", "PPP IP Control Protocol" },
	{ "ipv6cp", "PPP IPv6 Control Protocol" },
	{ "ccp", "PPP Compression Control Protocol" },
	{ "pap", "PPP Password Authentication Protocol" },
	{ "chap", "PPP Challenge Handshake Authentication Protocol" },
	{ "dhcp6", "DHCPv6" },
	{ "dns", "Domain Name System" },
	{ "frame", "Frame" },
};

/* tshark's labels for the fields a student looks at first. */
static const struct name_map labels[] = {
	{ "frame.time", "Arrival Time" }, { "frame.len", "Frame Length" },
	{ "frame.cap_len", "Capture Length" }, { "frame.trailer", "Trailer" },
	{ "eth.dst", "Destination" }, { "eth.src", "Source" }, { "eth.type", "Type" },
	{ "ip6.version", "Version" }, { "ip6.tclass", "Traffic Class" },
	{ "ip6.flow", "Flow Label" }, { "ip6.plen", "Payload Length" },
	{ "ip6.nxt", "Next Header" }, { "ip6.hlim", "Hop Limit" },
	{ "ip6.src", "Source Address" }, { "ip6.dst", "Destination Address" },
	{ "ip.version", "Version" }, { "ip.hdr_len", "Header Length" },
	{ "ip.dsfield", "Differentiated Services Field" }, { "ip.len", "Total Length" },
	{ "ip.id", "Identification" }, { "ip.flags", "Flags" },
	{ "ip.frag_offset", "Fragment Offset" }, { "ip.ttl", "Time to Live" },
	{ "ip.proto", "Protocol" }, { "ip.checksum", "Header Checksum" },
	{ "ip.src", "Source Address" }, { "ip.dst", "Destination Address" },
	{ "icmp6.type", "Type" }, { "icmp6.code", "Code" }, { "icmp6.checksum", "Checksum" },
	{ "icmp6.reserved", "Reserved" }, { "icmp6.nd.target", "Target Address" },
	{ "icmp6.na.flags", "Flags (Router, Solicited, Override)" },
	{ "icmp6.echo.id", "Identifier" }, { "icmp6.echo.seq", "Sequence" },
	{ "icmp6.ra.cur_hop_limit", "Cur hop limit" }, { "icmp6.ra.flags", "Flags" },
	{ "icmp6.ra.router_lifetime", "Router lifetime (s)" },
	{ "icmp6.ra.reachable_time", "Reachable time (ms)" },
	{ "icmp6.ra.retrans_timer", "Retrans timer (ms)" },
	{ "icmp.type", "Type" }, { "icmp.code", "Code" }, { "icmp.checksum", "Checksum" },
	{ "icmp.ident", "Identifier" }, { "icmp.seq", "Sequence Number" },
	{ "udp.srcport", "Source Port" }, { "udp.dstport", "Destination Port" },
	{ "udp.length", "Length" }, { "udp.checksum", "Checksum" },
	{ "tcp.srcport", "Source Port" }, { "tcp.dstport", "Destination Port" },
	{ "tcp.seq", "Sequence Number" }, { "tcp.ack", "Acknowledgment Number" },
	{ "tcp.hdr_len", "Header Length (32-bit words)" }, { "tcp.flags", "Flags" },
	{ "tcp.window", "Window" }, { "tcp.checksum", "Checksum" },
	{ "tcp.urgent_pointer", "Urgent Pointer" },
	{ "pppoe.version", "Version" }, { "pppoe.type", "Type" }, { "pppoe.code", "Code" },
	{ "pppoe.session_id", "Session ID" }, { "pppoe.payload_length", "Payload Length" },
	{ "ppp.address", "Address" }, { "ppp.control", "Control" },
	{ "ppp.protocol", "Protocol" },
	{ "dhcp6.msgtype", "Message type" }, { "dhcp6.xid", "Transaction ID" },
};

static const char *lookup(const struct name_map *m, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].key, key) == 0)
			return m[i].text;
	return NULL;
}

#define LOOKUP(table, key) lookup(table, sizeof table / sizeof table[0], key)

/* "ip6" of "ip6.hlim", "icmp6" of "icmp6.option slla". */
static void layer_of(const char *name, char *buf, size_t len)
{
	size_t n = strcspn(name, ". ");
	snprintf(buf, len, "%.*s", (int)n, name);
}

const char *step_layer_heading(const char *field_name)
{
	char layer[PD_NAME_MAX];
	layer_of(field_name, layer, sizeof layer);
	const char *h = LOOKUP(headings, layer);
	return h ? h : "Data";
}

/* Unknown names keep their words: "option slla type" -> "Option slla type". */
void step_field_label(const char *field_name, char *buf, size_t len)
{
	const char *known = LOOKUP(labels, field_name);
	if (known) {
		snprintf(buf, len, "%s", known);
		return;
	}
	const char *rest = field_name + strcspn(field_name, ". ");
	rest += *rest != '\0';
	snprintf(buf, len, "%s", *rest ? rest : field_name);
	for (char *p = buf; *p; p++)
		if (*p == '_' || *p == '.')
			*p = ' ';
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

/* ---- what a number means ------------------------------------------------- */

static const char *proto_name(uint64_t v)
{
	switch (v) {
	case 0: return "Hop-by-Hop Options";
	case 1: return "ICMP";
	case 4: return "IPv4";
	case 6: return "TCP";
	case 17: return "UDP";
	case 41: return "IPv6";
	case 43: return "Routing";
	case 44: return "Fragment";
	case 58: return "ICMPv6";
	case 59: return "No Next Header";
	case 60: return "Destination Options";
	default: return NULL;
	}
}

static const char *icmp6_type_name(uint64_t v)
{
	switch (v) {
	case 1: return "Destination Unreachable";
	case 2: return "Packet Too Big";
	case 3: return "Time Exceeded";
	case 4: return "Parameter Problem";
	case 128: return "Echo (ping) request";
	case 129: return "Echo (ping) reply";
	case 133: return "Router Solicitation";
	case 134: return "Router Advertisement";
	case 135: return "Neighbor Solicitation";
	case 136: return "Neighbor Advertisement";
	case 137: return "Redirect";
	case 143: return "Multicast Listener Report Message v2";
	default: return NULL;
	}
}

static const char *icmp_type_name(uint64_t v)
{
	switch (v) {
	case 0: return "Echo (ping) reply";
	case 3: return "Destination unreachable";
	case 8: return "Echo (ping) request";
	case 11: return "Time-to-live exceeded";
	default: return NULL;
	}
}

static const char *ethertype_name(uint64_t v)
{
	switch (v) {
	case 0x0800: return "IPv4";
	case 0x0806: return "ARP";
	case 0x86dd: return "IPv6";
	case 0x8863: return "PPPoE Discovery";
	case 0x8864: return "PPPoE Session";
	default: return NULL;
	}
}

static const char *ppp_protocol_name(uint64_t v)
{
	switch (v) {
	case 0x0021: return "IPv4";
	case 0x0057: return "IPv6";
	case 0x8021: return "IPCP";
	case 0x8057: return "IPV6CP";
	case 0xc021: return "LCP";
	case 0xc023: return "PAP";
	case 0xc025: return "LQR";
	case 0xc223: return "CHAP";
	default: return NULL;
	}
}

/* RFC 1661 packet codes, shared by LCP, IPCP and IPV6CP. */
static const char *cp_code_name(uint64_t v)
{
	static const char *const names[] = { NULL, "Configure-Request", "Configure-Ack",
		"Configure-Nak", "Configure-Reject", "Terminate-Request", "Terminate-Ack",
		"Code-Reject", "Protocol-Reject", "Echo-Request", "Echo-Reply", "Discard-Request" };
	return v < sizeof names / sizeof names[0] ? names[v] : NULL;
}

static const char *pppoe_code_name(uint64_t v)
{
	switch (v) {
	case 0x00: return "Session Data";
	case 0x07: return "PADO";
	case 0x09: return "PADI";
	case 0x19: return "PADR";
	case 0x65: return "PADS";
	case 0xa7: return "PADT";
	default: return NULL;
	}
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

static const char *meaning(const struct pd_fields *fs, const struct pd_field *f)
{
	uint64_t v = pd_value(fs, f);
	if (strcmp(f->name, "ip6.nxt") == 0 || strcmp(f->name, "ip.proto") == 0 ||
	    (strncmp(f->name, "ip6.", 4) == 0 && ends_with(f->name, ".nxt")))
		return proto_name(v);
	if (strcmp(f->name, "icmp6.type") == 0)
		return icmp6_type_name(v);
	if (strcmp(f->name, "icmp.type") == 0)
		return icmp_type_name(v);
	if (strcmp(f->name, "eth.type") == 0 || strcmp(f->name, "sll.etype") == 0)
		return ethertype_name(v);
	if (strcmp(f->name, "ppp.protocol") == 0)
		return ppp_protocol_name(v);
	if (strcmp(f->name, "pppoe.code") == 0)
		return pppoe_code_name(v);
	if (strcmp(f->name, "lcp.code") == 0 || strcmp(f->name, "ipcp.code") == 0 ||
	    strcmp(f->name, "ipv6cp.code") == 0)
		return cp_code_name(v);
	return NULL;
}

/* ---- the screen ---------------------------------------------------------- */

static const char *const link_kinds[] = { "ethernet", "p2p", "path" };

static void show_fields(FILE *out, const struct pd_fields *fs, unsigned long link_frame)
{
	char layer[PD_NAME_MAX] = "", now_layer[PD_NAME_MAX], label[96], value[160];

	for (size_t i = 0; i < fs->n; i++) {
		const struct pd_field *f = &fs->f[i];
		layer_of(f->name, now_layer, sizeof now_layer);
		if (strcmp(now_layer, layer) != 0) {
			if (i == 0)
				fprintf(out, "Frame %lu: %llu bytes on wire, %llu bytes captured\n",
				        link_frame, (unsigned long long)fs->f[1].val,
				        (unsigned long long)fs->f[2].val);
			else
				fprintf(out, "%s\n", strcmp(now_layer, "frame") == 0
				                         ? "Trailer"
				                         : step_layer_heading(f->name));
			snprintf(layer, sizeof layer, "%s", now_layer);
		}
		step_field_label(f->name, label, sizeof label);
		pd_format(value, sizeof value, fs, f);
		const char *m = meaning(fs, f);
		fprintf(out, "    %s: %s%s%s%s\n", label, value, m ? " (" : "", m ? m : "",
		        m ? ")" : "");
	}
}

void step_show_frame(FILE *out, unsigned long step, const struct sim_frame_info *f,
                     unsigned long link_frame)
{
	char t[32], line[1024];
	int dlt = trace_link_dlt(f->link);
	struct pd_fields *fs = sim_xcalloc(1, sizeof *fs);

	step_format_time(f->time, t, sizeof t);
	fprintf(out, "step %lu  t=%s  link %s (%s)  frame %lu of this link", step, t, f->link->name,
	        link_kinds[f->link->kind <= LINK_PATH ? f->link->kind : 0], link_frame);
	if (f->from)
		fprintf(out, "  from %s:%s", f->from->node->name, f->from->name);
	fputs(f->lost ? "  (lost)\n" : "\n", out);
	trace_format_snap(line, sizeof line, dlt, f->data, f->len, f->len, false);
	fprintf(out, "%s\n\n", line);
	pd_walk(fs, dlt, f->data, f->len, f->len, f->link->sim->start_unix_ns + f->time, 0);
	show_fields(out, fs, link_frame);
	free(fs);
}

void step_show_command(FILE *out, unsigned long step, sim_time now, const char *node,
                       const char *cmd)
{
	char t[32];
	step_format_time(now, t, sizeof t);
	fprintf(out, "step %lu  t=%s  %s# %s\n", step, t, node, cmd);
}
