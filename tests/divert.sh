#!/usr/bin/env bash
# The divert story as tshark's own dissectors see it: runs
# scenarios/telnet-rompager.scn, scenarios/jailed-services.scn and
# scenarios/divert-pitfalls.scn, then checks
#   - the seed's telnet transcript, line for line;
#   - every capture decodes with no malformed packet and no bad checksum;
#   - both sides of the translator carry the same conversations: the HTTP
#     response, DNS answers, LDAP, POP and IMAP in IPv4 on the jails' side
#     and in IPv6 (at both address forms of each jail) on the other;
#   - the counters `ipfw show` printed agree with the captures: a divert
#     rule counts exactly the packets the capture shows it would match
#     (packets and bytes), up to the moment `ipfw show` ran.
# Prints "N passed, M failed" last.
set -uo pipefail
cd "$(dirname "$0")/.."
V6LAB=${V6LAB:-bin/v6lab}
work=$(mktemp -d "${TMPDIR:-/tmp}/v6lab-divert.XXXXXX")
trap 'rm -rf "$work"' EXIT
. tests/lib/tshark.sh

# Sum of FIELD over the frames of CAPTURE matching FILTER, plus ADD per frame.
field_sum() { # CAPTURE FILTER FIELD ADD
	tshark -r "$1" -Y "$2" -T fields -e "$3" 2>/dev/null |
		awk -v add="$4" '{ s += $1 + add } END { print s + 0 }'
}

# Every capture a scenario wrote decodes cleanly.
run_and_check() {
	run "$1"
	for cap in "$work/$1"/*.pcap; do [ -e "$cap" ] && clean "$cap"; done
}

# The output of the Nth (1-based) run of COMMAND on NODE in TRANSCRIPT:
# the lines after its prompt, up to the next prompt.
output_of() { # TRANSCRIPT NODE COMMAND N
	awk -v p="[~] root@$2>$3" -v n="$4" '
		/^\[~\] [^ ]*@[^ ]*>/ { if (inside) exit; if ($0 == p && ++seen == n) { inside = 1; next } }
		/^(PASS|FAIL) / { if (inside) exit }
		inside { print }' "$1"
}

# The packet and byte counters of the `ipfw show` line of a rule.
counters() { # SHOW-OUTPUT RULE-TEXT  -> "PACKETS BYTES" or "- -"
	awk -v r="$2" '{ n = $1; pk = $2; by = $3; $1 = $2 = $3 = ""; sub(/^ +/, "");
		if (n " " $0 == r) { print pk, by; found = 1; exit } }
		END { if (!found) print "- -" }' <<<"$1"
}

# The rule's counters equal what the capture shows it matched: packets,
# and bytes as ipfw counts them, the IP packet (IPv6: its header's 40
# bytes and the payload length; IPv4: the total length).
agree() { # SHOW-OUTPUT RULE-TEXT CAPTURE FILTER ip4|ip6 WHAT
	local show=$1 rule=$2 cap=$3 filter=$4 fam=$5 what=$6 pk by cpk cby
	read -r pk by < <(counters "$show" "$rule")
	cpk=$(frames "$cap" "$filter")
	if [ "$fam" = ip6 ]; then cby=$(field_sum "$cap" "$filter" ipv6.plen 40)
	else cby=$(field_sum "$cap" "$filter" ip.len 0); fi
	if [ "$pk" = "$cpk" ] && [ "$by" = "$cby" ] && [ "$cpk" -gt 0 ]; then
		ok "$what: ipfw counts $pk packets, $by bytes, as the capture shows"
	else
		bad "$what: ipfw says $pk packets $by bytes for '$rule', $(basename "$cap") shows $cpk packets $cby bytes"
	fi
}

# What nat6to4d says it received in one direction (`nat6to4ctl show
# counters`: "6to4:" or "4to6:", then "\tN packets received") equals the
# packets the divert rule counted.
xlate_agrees() { # TRANSCRIPT NODE SHOW-OUTPUT RULE-TEXT 6to4|4to6
	local pk got
	read -r pk _ < <(counters "$3" "$4")
	got=$(output_of "$1" "$2" "nat6to4ctl show counters" 1 |
		awk -v d="$5:" '$0 == d { on = 1; next } on && / packets received$/ { print $1; exit }')
	if [ -n "$got" ] && [ "$got" = "$pk" ]; then
		ok "$2: nat6to4d received $got packets $5, what '$4' diverted"
	else
		bad "$2: nat6to4d received '${got}' packets $5, '$4' counted $pk"
	fi
}

# ---- telnet-rompager ------------------------------------------------------
run_and_check telnet-rompager
t=$work/telnet-rompager.txt
uplink=$work/telnet-rompager/uplink.pcap
lan=$work/telnet-rompager/lan.pcap
v6net=$work/telnet-rompager/v6net.pcap

# The seed's transcript, character for character (the post of 2008-05-13).
cat >"$work/seed-telnet.txt" <<'SEED'
[~] edwin@freefall>telnet 2001:5c0:8fff:ffff::c3 80
Trying 2001:5c0:8fff:ffff::c3...
Connected to 2001:5c0:8fff:ffff::c3.
Escape character is '^]'.

HTTP/1.1 200 OK
Content-Type: text/xml; charset="utf-8"
Date: Tue, 13 May 2008 14:10:23 GMT
Expires: Thu, 26 Oct 1995 00:00:00 GMT
Last-Modified: Tue, 13 May 2008 14:10:23 GMT
Pragma: no-cache
Content-Length: 32
Server: Allegro-Software-RomPager/4.34

Connection closed by foreign host.
SEED
# The seed is a web page: what the terminal showed inside <...> (the
# RomPager's XML body) was taken for markup and vanished when the page
# was rendered. Our transcript is compared as that page would show it.
awk '/^\[~\] edwin@freefall>telnet / { on = 1 } on { print } /Connection closed by foreign host\.$/ { if (on) exit }' \
	"$t" | sed 's/<[^>]*>//g' >"$work/got-telnet.txt"
if diff -u "$work/seed-telnet.txt" "$work/got-telnet.txt" >"$work/telnet.diff"; then
	ok "telnet transcript matches the seed's (as its web page renders it)"
else
	bad "telnet transcript differs from the seed's:"; head -30 "$work/telnet.diff"
fi

gw6=2001:5c0:8fff:ffff::c3
ff=2001:4f8:fff6::28
want "$lan" 'http.response.code == 200 && ip.src == 192.168.1.195 && ip.dst == 192.168.1.1 && http.server == "Allegro-Software-RomPager/4.34"' 1 \
	"IPv4 side: the RomPager answers the gateway's address"
want "$lan" 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && ip.src == 192.168.1.1 && tcp.dstport == 80' 1 \
	"IPv4 side: the translated SYN comes from the gateway"
none "$lan" "ip.dst == 192.168.1.195 && ip.src != 192.168.1.1" "IPv4 side: nobody but the gateway talks to the RomPager"
want "$uplink" "ip.proto == 41 && http.response.code == 200 && ipv6.src == $gw6 && ipv6.dst == $ff" 1 \
	"IPv6 side: the same response from ::c3 to freefall, in 6in4 on the uplink"
want "$uplink" "ip.proto == 41 && tcp.flags.syn == 1 && tcp.flags.ack == 0 && ipv6.src == $ff && ipv6.dst == $gw6" 1 \
	"IPv6 side: freefall's SYN, with freefall's address, in 6in4 on the uplink"
want "$v6net" "http.response.code == 200 && ipv6.src == $gw6 && ipv6.dst == $ff && !ip" 1 \
	"IPv6 side: the response reaches freefall as plain IPv6"

# Counters of the one `ipfw show` against the uplink and LAN captures up to
# its time, 14:10:27 (1210687827): IPv6 to the gateway's tunnel addresses
# (::2, ::c3) inside IPv4 to its WAN address; IPv4 to 192.168.1.1 on the LAN.
show=$(output_of "$t" gw "ipfw show" 1)
before='frame.time_epoch < 1210687827'
me6='(ipv6.dst == 2001:5c0:8fff:ffff::2 || ipv6.dst == 2001:5c0:8fff:ffff::c3)'
agree "$show" "01006 divert 8666 ip6 from any to me6 via tun1" "$uplink" \
	"$before && ip.dst == 202.83.191.2 && ip.proto == 41 && $me6 && !icmpv6" ip6 "divert 8666"
agree "$show" "01006 allow ipv6-icmp from any to me6 via tun1" "$uplink" \
	"$before && ip.dst == 202.83.191.2 && ip.proto == 41 && $me6 && icmpv6" ip6 "allow ipv6-icmp"
agree "$show" "01005 divert 8664 ip from any to 192.168.1.1" "$lan" \
	"$before && ip.dst == 192.168.1.1 && !ipv6" ip4 "divert 8664"
xlate_agrees "$t" gw "$show" "01006 divert 8666 ip6 from any to me6 via tun1" 6to4
xlate_agrees "$t" gw "$show" "01005 divert 8664 ip from any to 192.168.1.1" 4to6

# ---- jailed-services --------------------------------------------------------
run_and_check jailed-services
jails=$work/jailed-services/jails.pcap
office=$work/jailed-services/office.pcap
t=$work/jailed-services.txt
for a in 248:ca53:b0f8:http 249:ca53:b0f9:dns 250:ca53:b0fa:ldap 251:ca53:b0fb:mail; do
	IFS=: read -r oct hi lo svc <<<"$a"
	v4=202.83.176.$oct
	for v6 in "2001:df0:9::$hi:$lo" "2001:df0:9:0:202:83:176:$oct"; do
		case $svc in
		http) f='http.response.code == 200' ;;
		dns)  f='dns.flags.response == 1 && dns.flags.rcode == 0 && dns.count.answers >= 1' ;;
		ldap) f='ldap.protocolOp == 4' ;;   # searchResEntry
		mail) f='pop.response' ;;
		esac
		want "$office" "$f && ipv6.src == $v6" 1 "IPv6 side: $svc answers from $v6"
		if [ "$svc" = mail ]; then
			want "$office" "imap.response && ipv6.src == $v6" 1 "IPv6 side: imap answers from $v6"
		fi
	done
	want "$jails" "$f && ip.src == $v4 && ip.dst == 202.83.176.1" 2 \
		"IPv4 side: $svc answers the gateway from $v4, once per address form"
	if [ "$svc" = mail ]; then
		want "$jails" "imap.response && ip.src == $v4 && ip.dst == 202.83.176.1" 2 \
			"IPv4 side: imap answers the gateway from $v4, once per address form"
	fi
done
want "$jails" 'dns.flags.response == 1 && dns.aaaa == 2001:df0:9::ca53:b0f8' 1 "IPv4 side: the AAAA answer"
want "$office" 'dns.flags.response == 1 && dns.a == 202.83.176.248' 1 "IPv6 side: the A answer"
want "$jails" 'ldap.protocolOp == 1 && ldap.resultCode == 0' 2 "IPv4 side: LDAP binds succeed"
want "$jails" 'http.request.method == "GET" && ip.src == 202.83.176.1' 2 "IPv4 side: the GETs come from the gateway"
none "$jails" 'ip && !(ip.addr == 202.83.176.1)' "IPv4 side: the jails talk to nobody but the gateway"
none "$office" 'ip' "IPv6 side: no IPv4 at all"
# Counters at 22:30:37 (1210717837), when `ipfw show` ran: IPv6 for the
# jails' /64 arriving on em0, IPv4 to the gateway arriving on em1; and
# nat6to4d received exactly what the rules diverted.
show=$(output_of "$t" gw "ipfw show" 1)
before='frame.time_epoch < 1210717837'
agree "$show" "01006 divert 8666 ip6 from any to 2001:df0:9::/64 in via em0" "$office" \
	"$before && eth.dst == 00:0e:0c:b4:6e:17 && ipv6.dst == 2001:df0:9::/64" ip6 "jails: divert 8666"
agree "$show" "01005 divert 8664 ip from any to 202.83.176.1 in via em1" "$jails" \
	"$before && ip.dst == 202.83.176.1" ip4 "jails: divert 8664"
xlate_agrees "$t" gw "$show" "01006 divert 8666 ip6 from any to 2001:df0:9::/64 in via em0" 6to4
xlate_agrees "$t" gw "$show" "01005 divert 8664 ip from any to 202.83.176.1 in via em1" 4to6

log=$(output_of "$t" www "cat /var/log/httpd-access.log" 1)
if [ "$(grep -c '^202\.83\.176\.1 - - ' <<<"$log")" -eq 2 ] && ! grep -q '2001:' <<<"$log"; then
	ok "the access log shows the gateway asking, twice, and never the IPv6 client"
else
	bad "access log: $log"
fi

# ---- divert-pitfalls ---------------------------------------------------------
run_and_check divert-pitfalls
office=$work/divert-pitfalls/office.pcap
jails=$work/divert-pitfalls/jails.pcap
t=$work/divert-pitfalls.txt
k7=00:0f:ea:2c:d5:18

# 1. gw1: its divert rule counted, by 22:00:14, one packet for each line
#    nat6to4d -d logged; those from k7 are exactly the neighbour
#    discovery k7 sent to gw1's addresses (the one other is gw1's own
#    "address unreachable" error to itself, which no link carries).
show=$(output_of "$t" gw1 "ipfw show" 1)
read -r pk _ < <(counters "$show" "01006 divert 8666 ip6 from any to me6 via em0")
logged=$(output_of "$t" gw1 "ping6 -c 1 2001:df0:9:1::7" 1 | grep -c '^nat6to4d: 6to4 ')
from_k7=$(output_of "$t" gw1 "ping6 -c 1 2001:df0:9:1::7" 1 |
	grep -c '^nat6to4d: 6to4 icmp6 2001:df0:9:1::7 > 2001:df0:9:1::1 type 13[56] code 0: dropped (icmp-untranslatable)$')
nd=$(frames "$office" "frame.time_epoch < 1210629614 && eth.src == $k7 && (icmpv6.type == 135 || icmpv6.type == 136) && (ipv6.dst == 2001:df0:9:1::1 || ipv6.dst == 2001:df0:9:1::a1)")
if [ "$pk" = "$logged" ] && [ "$from_k7" = "$nd" ] && [ "$nd" -gt 0 ]; then
	ok "gw1 divert 8666 (no allow ipv6-icmp): $pk diverted = $logged logged by nat6to4d; $nd ND packets from k7 in the capture, all dropped"
else
	bad "gw1 divert 8666: ipfw $pk, nat6to4d logged $logged ($from_k7 ND from k7), capture $nd ND packets from k7"
fi
want "$office" "frame.time_epoch < 1210629614 && icmpv6.type == 136 && eth.src == $k7" 1 \
	"gw1: k7 did advertise itself"
none "$office" "frame.time_epoch < 1210629614 && icmpv6.type == 128" "gw1: no echo request left before the fix"
want "$office" "frame.time_epoch > 1210629614 && icmpv6.type == 129 && eth.src == $k7" 1 \
	"gw1: after 'allow ipv6-icmp', k7 answers the ping"

# 2. gw2: nothing bound to port 8666; every packet the rule counted is gone.
show=$(output_of "$t" gw2 "ipfw show" 1)
agree "$show" "01006 divert 8666 ip6 from any to me6 via em0" "$office" \
	"frame.time_epoch < 1210629700 && eth.src == $k7 && (ipv6.dst == 2001:df0:9:1::2 || ipv6.dst == 2001:df0:9:1::a2) && !icmpv6" \
	ip6 "gw2 divert 8666 (no socket)"
none "$jails" 'ip.src == 202.83.176.2' "gw2: nothing translated reaches the jail"

# ... and the kernel's divert counters (nat6to4ctl show counters) say
# where they went: dropped, no socket bound.
divstat() { # TRANSCRIPT NODE TEXT -> the number before TEXT
	output_of "$1" "$2" "nat6to4ctl show counters" 1 |
		awk -v w="$3" '{ n = $1; $1 = ""; sub(/^ /, ""); if ($0 == w) { print n; exit } }'
}
read -r pk _ < <(counters "$show" "01006 divert 8666 ip6 from any to me6 via em0")
ns=$(divstat "$t" gw2 "packets dropped, no socket bound")
if [ -n "$ns" ] && [ "$ns" = "$pk" ]; then ok "gw2: $ns packets dropped, no socket bound = what rule 1006 diverted"
else bad "gw2: divert says '$ns' dropped with no socket, ipfw diverted $pk"; fi

# 3. gw3 (nat6to4d -B): the jail answers, the answer never reaches k7.
want "$jails" 'tcp.flags.syn == 1 && tcp.flags.ack == 1 && ip.src == 202.83.176.248 && ip.dst == 202.83.176.3' 1 \
	"gw3: the jail's SYN-ACK reaches the gateway"
none "$office" 'ipv6.src == 2001:df0:9:1::a3 && tcp' "gw3: no TCP from ::a3 ever reaches k7"
show=$(output_of "$t" gw3 "ipfw show" 1)
agree "$show" "01005 divert 8664 ip from any to 202.83.176.3" "$jails" \
	"frame.time_epoch < 1210629790 && ip.dst == 202.83.176.3" ip4 "gw3 divert 8664 (answers written to the wrong socket)"
# Every answer diverted to nat6to4d was translated, written to the IPv4
# socket and lost there: the divert counter of lost packets equals what
# the rule diverted, and nothing went to the IPv6 socket.
read -r pk _ < <(counters "$show" "01005 divert 8664 ip from any to 202.83.176.3")
wf=$(divstat "$t" gw3 "packets lost, wrong address family")
if [ -n "$wf" ] && [ "$wf" = "$pk" ]; then ok "gw3: $wf packets lost, wrong address family = what rule 1005 diverted"
else bad "gw3: divert says '$wf' lost to the wrong family, ipfw diverted $pk"; fi
if output_of "$t" gw3 "nat6to4ctl show counters" 1 | grep -qx $'\t[1-9][0-9]* written to divert4 port 8664, 0 to divert6 port 8666'; then
	ok "gw3: nat6to4d wrote nothing to its IPv6 socket"
else
	bad "gw3: nat6to4d's written counters unexpected"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
