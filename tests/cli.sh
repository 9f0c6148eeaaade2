#!/usr/bin/env bash
# Tests of the nat6to4 command-line tool and of bin/mkcapture, run by
# `make check` (after `make all`). Last line: "N passed, M failed"; the exit
# status is non-zero when anything failed.
#
# Expected values come from outside the code under test: RFC 6052 text,
# the seed story, tshark's dissection, the bytes mkcapture put in the input.
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C TZ=UTC

NAT=${NAT6TO4:-$PWD/bin/nat6to4}   # NAT6TO4=build-asan/nat6to4 to test another build
MK=$PWD/bin/mkcapture
CONF=$PWD/tests/data/rompager.conf
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nat6to4-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
not_ok() {
	fail=$((fail + 1))
	echo "FAIL $1"
	shift
	for line in "$@"; do printf '       %s\n' "$line"; done
}
# run CMD...: stdout to $tmp/stdout, stderr to $tmp/stderr, status in $rc
run() { "$@" >stdout 2>stderr; rc=$?; }
expect_eq() { # name expected actual
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected: $2" "got:      $3"; fi
}
expect_rc() { # name expected-status (of the last run)
	if [ "$rc" -eq "$2" ]; then ok "$1"; else
		not_ok "$1" "exit status $rc, expected $2" "stderr: $(head -c 400 stderr)"; fi
}
expect_grep() { # name file fixed-string
	if grep -qF -- "$3" "$2"; then ok "$1"; else
		not_ok "$1" "no '$3' in $2:" "$(head -c 600 "$2")"; fi
}
tshark_q() { tshark "$@" 2>/dev/null; }
# Every decoding error or bad checksum tshark finds in a capture.
tshark_problems() {
	tshark_q -r "$1" -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-o ip.check_checksum:TRUE -Y '_ws.malformed || _ws.expert.severity>=error || _ws.expert.group == "Checksum"'
}
expect_clean() { # name capture
	local problems
	problems=$(tshark_problems "$2")
	if [ -z "$problems" ] && [ -s "$2" ]; then ok "$1"; else
		not_ok "$1" "tshark reports:" "$problems"; fi
}
# Canonical spelling of an IPv6 address (RFC 5952, via libc, not our code).
canon6() { perl -MSocket=inet_pton,inet_ntop,AF_INET6 -e 'print inet_ntop(AF_INET6, inet_pton(AF_INET6, $ARGV[0])), "\n"' "$1"; }

for tool in "$NAT" "$MK"; do
	[ -x "$tool" ] || { echo "cli.sh: $tool missing; run 'make all'"; echo "0 passed, 1 failed"; exit 1; }
done

# ---- the RomPager exchange ------------------------------------------------

run "$MK" rompager rompager.pcap
expect_rc "mkcapture rompager" 0
run "$NAT" translate -c "$CONF" -i rompager.pcap -o out.pcap -v
expect_rc "translate rompager: exit 0" 0
expect_eq "translate rompager: one -v line per packet" 11 "$(grep -c '^#[0-9]' stdout)"
expect_eq "translate rompager: first line" "#1 6to4 translated" "$(head -n 1 stdout)"
expect_eq "translate rompager: SYN-ACK reaches the client (port kept)" \
	"#2 4to6 translated" "$(sed -n 2p stdout)"
expect_eq "translate rompager: every packet translated" 11 \
	"$(grep -c '^#[0-9]* \(6to4\|4to6\) translated$' stdout)"
expect_eq "translate rompager: counters, packets in" "packets in 6 5" \
	"$(grep '^packets in' stdout | tr -s ' ')"
expect_eq "translate rompager: counters, packets out" "packets out 6 5" \
	"$(grep '^packets out' stdout | tr -s ' ')"
expect_eq "translate rompager: output has 11 packets" 11 "$(tshark_q -r out.pcap | wc -l)"
expect_clean "translate rompager: tshark finds no malformed packet, no bad checksum" out.pcap
expect_eq "translate rompager: IPv4 side, client NAPT-ed to pool4, to the RomPager" \
	"192.168.1.1 192.168.1.195 50834" \
	"$(tshark_q -r out.pcap -Y 'ip and tcp.flags.syn == 1' -T fields -e ip.src -e ip.dst -e tcp.srcport | tr '\t' ' ')"
expect_eq "translate rompager: IPv6 side sees the HTTP 200 from Allegro-Software-RomPager/4.34" \
	"2001:5c0:8fff:ffff::c3 2001:5c0:8fff:fffe::2 200" \
	"$(tshark_q -r out.pcap -Y 'ipv6 and http.server == "Allegro-Software-RomPager/4.34"' \
		-T fields -e ipv6.src -e ipv6.dst -e http.response.code | tr '\t' ' ')"
expect_eq "translate rompager: HTTP response bytes unchanged by translation" \
	"$(tshark_q -r rompager.pcap -Y 'ip and tcp.len > 100' -T fields -e tcp.payload)" \
	"$(tshark_q -r out.pcap -Y 'ipv6 and tcp.len > 100' -T fields -e tcp.payload)"
expect_eq "translate rompager: timestamps of the input kept" \
	"$(tshark_q -r rompager.pcap -T fields -e frame.time_epoch | tr '\n' ' ')" \
	"$(tshark_q -r out.pcap -T fields -e frame.time_epoch | tr '\n' ' ')"
expect_grep "translate rompager: output link type RAW" <(tcpdump -r out.pcap 2>&1 >/dev/null) \
	"link-type RAW"

# ---- Ethernet with ARP and an 802.1Q tag gives the same output ----------------

run "$MK" ether ether.pcap
run "$NAT" translate -c "$CONF" -i ether.pcap -o ether-out.pcap -v
expect_rc "translate ether: exit 0" 0
expect_eq "translate ether: ARP skipped" "#1 skipped (ethertype 0x0806)" "$(head -n 1 stdout)"
expect_grep "translate ether: skipped frames counted" stdout "frames skipped (not IPv4 or IPv6): 1"
if cmp -s ether-out.pcap out.pcap; then ok "translate ether: same bytes as from the RAW capture"
else not_ok "translate ether: same bytes as from the RAW capture" "ether-out.pcap differs from out.pcap"; fi

# ---- UDP: the reply comes back under the address form the client used ----------

run "$MK" udp-dns dns.pcap
run "$NAT" translate -c "$CONF" -i dns.pcap -o dns-out.pcap
expect_rc "translate udp-dns: exit 0" 0
expect_clean "translate udp-dns: no malformed packet, no bad checksum" dns-out.pcap
expect_eq "translate udp-dns: both queries go to 202.83.176.248:53" \
	"202.83.176.248 202.83.176.248" \
	"$(tshark_q -r dns-out.pcap -Y 'ip and dns.flags.response == 0' -T fields -e ip.dst | tr '\n' ' ' | sed 's/ $//')"
expect_eq "translate udp-dns: answers come from the hex and the decimal address" \
	"$(canon6 2001:df0:9::ca53:b0f8) $(canon6 2001:DF0:0009::0202:0083:0176:0248)" \
	"$(tshark_q -r dns-out.pcap -Y 'ipv6 and dns.flags.response == 1' -T fields -e ipv6.src | tr '\n' ' ' | sed 's/ $//')"

# ---- ICMP echo ----------------------------------------------------------------

run "$MK" icmp-echo echo.pcap
run "$NAT" translate -c "$CONF" -i echo.pcap -o echo-out.pcap
expect_rc "translate icmp-echo: exit 0" 0
expect_clean "translate icmp-echo: no malformed packet, no bad checksum" echo-out.pcap
expect_eq "translate icmp-echo: two ICMPv6 echo replies to the client" 2 \
	"$(tshark_q -r echo-out.pcap -Y 'icmpv6.type == 129 && ipv6.dst == 2001:5c0:8fff:fffe::2' | wc -l)"

# ---- packets the translator refuses -------------------------------------------

run "$MK" errors errors.pcap
run "$NAT" translate -c "$CONF" -i errors.pcap -o errors-out.pcap -v
expect_rc "translate errors: drops are not a failure (exit 0)" 0
expect_eq "translate errors: reasons" \
	"#1 4to6 (no-session)|#2 6to4 (dst-not-mapped)|#3 6to4 (not-syn)|#4 6to4 (hop-limit)|#5 4to6 (bad-ip4-checksum)|#6 6to4 (truncated)" \
	"$(grep '^#' stdout | sed 's/ [a-z-]* (/ (/' | paste -sd '|')"
expect_eq "translate errors: one ICMPv6 Time Exceeded back to the client" \
	"2001:5c0:8fff:fffe::2 3" \
	"$(tshark_q -r errors-out.pcap -T fields -E occurrence=f -e ipv6.dst -e icmpv6.type | tr '\t' ' ')"
expect_clean "translate errors: the ICMPv6 error decodes cleanly" errors-out.pcap

# ---- broken captures, refusing to overwrite --------------------------------------

run "$MK" truncated truncated.pcap
run "$NAT" translate -c "$CONF" -i truncated.pcap -o trunc-out.pcap
expect_rc "truncated capture: exit 2" 2
# The last record (#11, 16-byte header + 40 bytes) starts 56 bytes before the
# end of the complete file; mkcapture cut 20 bytes off it.
full=$(stat -c %s rompager.pcap)
expect_grep "truncated capture: names packet and offset" stderr \
	"truncated.pcap: packet #11, offset $((full - 56)): truncated record"
expect_eq "truncated capture: nothing written, no temp file left" "" \
	"$(ls | grep -E '^trunc-out' || true)"
run "$NAT" translate -c "$CONF" -i "$CONF" -o x.pcap
expect_rc "not a capture: exit 2" 2
expect_grep "not a capture: says so" stderr "not a pcap or pcapng capture"

echo "precious" > keep.pcap
run "$NAT" translate -c "$CONF" -i rompager.pcap -o keep.pcap
expect_rc "existing OUT: refused with exit 2" 2
expect_grep "existing OUT: says why" stderr "keep.pcap already exists"
expect_eq "existing OUT: left untouched" "precious" "$(cat keep.pcap)"
run "$NAT" translate -f -c "$CONF" -i rompager.pcap -o keep.pcap
expect_rc "existing OUT with -f: exit 0" 0
if cmp -s keep.pcap out.pcap; then ok "existing OUT with -f: replaced"
else not_ok "existing OUT with -f: replaced" "keep.pcap differs from out.pcap"; fi

# ---- configurations -----------------------------------------------------------

printf 'prefix 2001:df0:9::/96\npool4 192.168.1.1\n\tpool4   192.168.1.300   # typo\n' > bad.conf
run "$NAT" check -c bad.conf
expect_rc "bad config: exit 2" 2
expect_eq "bad config: file:line:col of the bad address" "bad.conf:3:10:" \
	"$(head -n 1 stderr | cut -d' ' -f1)"
expect_eq "bad config: the offending line is shown" \
	"$(printf '    \tpool4   192.168.1.300   # typo')" "$(sed -n 2p stderr)"
expect_eq "bad config: caret under column 10 (tab kept)" \
	"$(printf '    \t        ^')" "$(sed -n 3p stderr)"
printf 'prefix 2001:df0:9::/96\npool 192.168.1.1\n' > bad2.conf
run "$NAT" translate -c bad2.conf -i rompager.pcap -o never.pcap
expect_rc "bad config in translate: exit 2" 2
expect_eq "bad config in translate: unknown directive at 2:1" "bad2.conf:2:1:" \
	"$(head -n 1 stderr | cut -d' ' -f1)"
expect_eq "bad config in translate: nothing written" "" "$(ls never.pcap* 2>/dev/null)"

run "$NAT" check -c "$CONF"
expect_rc "check rompager.conf: exit 0" 0
cp stdout norm1.conf
expect_grep "check: normalised prefix" norm1.conf "prefix 2001:df0:9::/96 rfc6052"
expect_grep "check: default made explicit" norm1.conf "mtu6 1280"
run "$NAT" check -c norm1.conf
if [ "$rc" -eq 0 ] && cmp -s stdout norm1.conf; then ok "check: its output checks to itself"
else not_ok "check: its output checks to itself" "$(diff norm1.conf stdout | head)"; fi

# ---- map: RFC 6052 section 2.4 and the seed ---------------------------------------

while read -r prefix v6; do
	run "$NAT" map "$prefix" 192.0.2.33
	expect_eq "map $prefix 192.0.2.33 (RFC 6052 2.4)" "$(canon6 "$v6")" "$(cat stdout)"
	run "$NAT" map "$prefix" "$v6"
	expect_eq "map $prefix $v6 (RFC 6052 2.4)" "192.0.2.33" "$(cat stdout)"
done <<'TABLE'
2001:db8::/32          2001:db8:c000:221::
2001:db8:100::/40      2001:db8:1c0:2:21::
2001:db8:122::/48      2001:db8:122:c000:2:2100::
2001:db8:122:300::/56  2001:db8:122:3c0:0:221::
2001:db8:122:344::/64  2001:db8:122:344:c0:2:2100:0
2001:db8:122:344::/96  2001:db8:122:344::192.0.2.33
64:ff9b::/96           64:ff9b::192.0.2.33
TABLE
run "$NAT" map 2001:df0:9::/96 202.83.176.248
expect_eq "map the seed's hex form" "2001:df0:9::ca53:b0f8" "$(cat stdout)"
run "$NAT" map 2001:df0:9::/64 202.83.176.248 decimal
expect_eq "map the seed's decimal form" "$(canon6 2001:DF0:9::202:83:176:248)" "$(cat stdout)"
run "$NAT" map 2001:df0:9::/64 2001:DF0:0009::0202:0083:0176:0248 decimal
expect_eq "map the seed's decimal form back" "202.83.176.248" "$(cat stdout)"
run "$NAT" map 2001:df0:9::/44 202.83.176.248
expect_rc "map: /44 refused" 2
expect_grep "map: /44 explained" stderr "prefix length 44 is not one of 32, 40, 48, 56, 64, 96"
run "$NAT" map 2001:df0:9::/64 2001:df0:9::256:83:176:248 decimal
expect_rc "map: 256 is not an octet" 2
run "$NAT" map 2001:df0:9::/96 2001:db8::1
expect_grep "map: outside the prefix" stderr "2001:db8::1 is not inside 2001:df0:9::/96"

# ---- usage --------------------------------------------------------------------

run "$NAT"
expect_rc "no arguments: exit 2" 2
run "$NAT" --help
expect_rc "--help: exit 0" 0
expect_grep "--help: lists translate" stdout "nat6to4 translate -c CONF -i IN.pcap -o OUT.pcap"
run "$NAT" --version
expect_eq "--version" "nat6to4 0.1.0" "$(cut -d' ' -f1-2 stdout)"
run "$NAT" help translate
expect_grep "help translate: describes -f" stdout "replace OUT if it exists"
run "$NAT" translate -c "$CONF" -i rompager.pcap
expect_rc "translate without -o: exit 2" 2
expect_grep "translate without -o: usage shown" stderr "usage: nat6to4 translate"
run "$NAT" frobnicate
expect_rc "unknown command: exit 2" 2

echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
