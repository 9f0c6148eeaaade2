#!/usr/bin/env bash
# The Internode ADSL story as tshark's own dissectors see it: runs
# scenarios/internode-adsl.scn and scenarios/pppoe-failures.scn, then asks
# tshark (field filters, not our printers) for the packets the story is
# made of: PPPoE discovery, LCP Configure-Ack with MRU 1492, CHAP
# Success, IPV6CP Configure-Ack with both interface identifiers, the
# ICMPv6 "beyond scope of source address" error, the DHCPv6 Reply with
# IA_PD and the /60, the DAD probe of the address dhcp6c puts on sk0
# before its first use, its renewal at T1, and the echo replies with the
# seed's hop limits; every capture decodes without malformed packets or
# bad checksums. Prints "N passed, M failed" last.
set -uo pipefail
cd "$(dirname "$0")/.."
V6LAB=${V6LAB:-bin/v6lab}
work=$(mktemp -d "${TMPDIR:-/tmp}/v6lab-internode.XXXXXX")
trap 'rm -rf "$work"' EXIT
. tests/lib/tshark.sh

run internode-adsl
adsl=$work/internode-adsl/adsl.pcap
lan=$work/internode-adsl/lan.pcap
core=$work/internode-adsl/core.pcap
for cap in "$work"/internode-adsl/*.pcap; do clean "$cap"; done
# Wireshark lists no zero-length tag: the empty Service-Name is the 4 bytes
# besides the 8 of Host-Uniq.
want "$adsl" 'pppoed && pppoe.code == 0x09 && pppoed.tags.host_uniq && pppoe.payload_length == 12' 1 \
	"PADI with an empty Service-Name and a Host-Uniq"
want "$adsl" 'pppoed && pppoe.code == 0x07 && pppoed.tags.ac_name == "bras" && pppoed.tags.ac_cookie' 1 \
	"PADO from AC-Name bras with an AC-Cookie"
want "$adsl" 'pppoed && pppoe.code == 0x19 && pppoed.tags.ac_cookie' 1 "PADR echoing the AC-Cookie"
want "$adsl" 'pppoed && pppoe.code == 0x65 && pppoe.session_id == 0x0001' 1 "PADS for session 1"
want "$adsl" 'lcp && ppp.code == 2 && lcp.opt.mru == 1492 && eth.src == 00:0c:86:75:24:1b' 1 \
	"LCP Configure-Ack of k7's MRU 1492"
want "$adsl" 'chap.code == 3' 1 "CHAP Success"
want "$adsl" 'ipv6cp && ppp.code == 2 && ipv6cp.interface_identifier == 02:0f:ea:ff:fe:2c:d5:18' 1 \
	"IPV6CP Configure-Ack of k7's identifier 020f:eaff:fe2c:d518"
want "$adsl" 'ipv6cp && ppp.code == 2 && ipv6cp.interface_identifier == 02:0c:86:ff:fe:75:24:1b' 1 \
	"IPV6CP Configure-Ack of the ISP's identifier 020c:86ff:fe75:241b"
want "$adsl" 'icmpv6.type == 1 && icmpv6.code == 2 && ipv6.src == fe80::20c:86ff:fe75:241b' 1 \
	"Destination Unreachable, beyond scope of source address, from the ISP's router"
want "$adsl" 'dhcpv6.msgtype == 7 && dhcpv6.option.type == 25 && dhcpv6.iaprefix.pref_addr == 2001:44b8:7bf1:a50:: && dhcpv6.iaprefix.pref_len == 60' 1 \
	"DHCPv6 Reply with IA_PD 2001:44b8:7bf1:a50::/60"
want "$adsl" 'dhcpv6.msgtype == 5 && frame.time_relative > 300' 1 "DHCPv6 Renew at T1"
want "$adsl" 'dhcpv6.msgtype == 7 && frame.time_relative > 300' 1 "DHCPv6 Reply to the Renew"
want "$lan" 'icmpv6.type == 129 && ipv6.hlim == 56 && ipv6.dst == 2001:44b8:7bf1:a51:20f:eaff:fe2c:d518' 1 \
	"echo reply to k7 with hlim 56"
want "$lan" 'icmpv6.type == 134 && icmpv6.opt.prefix == 2001:44b8:7bf1:a51::' 1 \
	"router advertisement of 2001:44b8:7bf1:a51::/64 on the LAN"
want "$lan" 'icmpv6.type == 129 && ipv6.hlim == 55' 1 "echo reply to the second computer with hlim 55"
none "$core" 'icmpv6.type == 128 && ipv6.src == fe80::/10' "no link-local source beyond the ISP"

# dhcp6c's address on sk0 is probed like any other (FreeBSD's in6_update_ifa
# marks it tentative, nd6_dad_start): one NS from :: to its solicited-node
# group after the Reply, and the address is no source until RetransTimer
# (1 s) after that probe.
k7pd=2001:44b8:7bf1:a51:20f:eaff:fe2c:d518
dadns="icmpv6.type == 135 && ipv6.src == :: && ipv6.dst == ff02::1:ff2c:d518 && icmpv6.nd.ns.target_address == $k7pd && eth.src == 00:0f:ea:2c:d5:18"
want "$lan" "$dadns" 1 "DAD NS from :: for dhcp6c's address $k7pd on the LAN"
# Epoch time of the first frame of CAPTURE matching FILTER ("" if none).
first_time() { tshark -r "$1" -Y "$2" -T fields -e frame.time_epoch 2>/dev/null | head -1; }
t_reply=$(first_time "$lan" 'dhcpv6.msgtype == 7')
t_dad=$(first_time "$lan" "$dadns")
t_src=$(first_time "$lan" "ipv6.src == $k7pd")
echo "     saw: Reply at $t_reply, DAD NS at $t_dad, first packet from $k7pd at $t_src"
if [ -n "$t_reply" ] && [ -n "$t_dad" ] && [ -n "$t_src" ] &&
   awk -v r="$t_reply" -v d="$t_dad" -v s="$t_src" 'BEGIN { exit !(r < d && d + 1 <= s) }'; then
	ok "DAD NS after the DHCPv6 Reply, the address a source only a RetransTimer (1 s) after it"
else
	bad "DAD NS not between the Reply and the address's first use as a source"
fi

run pppoe-failures
for cap in "$work"/pppoe-failures/*.pcap; do clean "$cap"; done
fails=$work/pppoe-failures
want "$fails/adsl.pcap" 'chap.code == 4 || pap.code == 3' 1 "authentication refused"
want "$fails/adsl.pcap" 'pppoed && pppoe.code == 0xa7' 1 "PADT after the refusal"
want "$fails/dark.pcap" 'pppoed && pppoe.code == 0x09' 3 "PADI retransmitted with nobody answering"
want "$fails/adsl.pcap" 'lcp && ppp.code == 9' 3 "LCP Echo-Requests while the line is down"

# A bad ppp.conf line: ppp prints its own words in the transcript, and the
# scenario's validation names the line (in the scenario, for an inline file).
cat > "$work/badconf.scn" <<'SCN'
seed 1
start 2009-11-06 11:59:00 UTC
node k7 freebsd
node bras isp
link adsl ethernet k7:sk0 bras:eth0
file k7:/etc/ppp/ppp.conf <<END
pppoe6:
 set device PPPoE:sk0
 set frobnicate 12
END
at 0s k7# ppp pppoe6
SCN
bin/v6lab run "$work/badconf.scn" --out "$work/badconf" >"$work/badconf.out" 2>"$work/badconf.err"
if grep -qx "$work/badconf.scn:9: warning: /etc/ppp/ppp.conf: set frobnicate: Invalid command" "$work/badconf.err" &&
   grep -qx "Warning: set frobnicate: Invalid command" "$work/badconf.out"; then
	ok "bad ppp.conf line: ppp's message in the transcript, scenario line 9 named by validation"
else
	bad "bad ppp.conf line not reported as expected:"; cat "$work/badconf.err" "$work/badconf.out"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
