#!/usr/bin/env bash
# The demo (`make demo`, after `make all`): the 2008-05-13 telnet from an
# IPv6-only host to the IPv4-only RomPager device, through libnat6to4.
#
#   1. bin/mkcapture writes the packets as they reached the gateway, from both
#      sides, in time order (out/demo/rompager.pcap);
#   2. bin/nat6to4 translate runs them through the translator;
#   3. both captures are printed as `tcpdump -n` prints them;
#   4. bin/v6lab runs scenarios/telnet-rompager.scn: the same telnet, now
#      simulated end to end (freefall, the freenet6 tunnel broker, the
#      gateway's ipfw rules and divert sockets around libnat6to4 in
#      nat6to4d, the RomPager), and its transcript and captures are shown.
#
# Deterministic: fixed timestamps, TZ=UTC for tcpdump, no randomness.
set -euo pipefail
cd "$(dirname "$0")/.."

out=out/demo
conf=tests/data/rompager.conf
in_pcap=$out/rompager.pcap
out_pcap=$out/rompager-translated.pcap
export TZ=UTC LC_ALL=C

for tool in bin/mkcapture bin/nat6to4 bin/v6lab; do
	[ -x "$tool" ] || { echo "demo: $tool missing; run 'make all' first" >&2; exit 1; }
done
command -v tcpdump >/dev/null || { echo "demo: tcpdump missing; run scripts/deps.sh" >&2; exit 1; }

heading() { printf '\n== %s\n' "$1"; shift; for line in "$@"; do printf '   %s\n' "$line"; done; echo; }
show() { tcpdump -n "$@" 2>/dev/null; }

mkdir -p "$out"
bin/mkcapture rompager "$in_pcap"

heading "The gateway's configuration ($conf)" \
	"IPv6 clients reach the RomPager as 2001:5c0:8fff:ffff::c3; it is 192.168.1.195 on the LAN."
grep -v '^#' "$conf" | grep .

heading "1. What reached the gateway, both sides in time order ($in_pcap)" \
	"IP6 lines: from the IPv6-only client 2001:5c0:8fff:fffe::2 (telnet ... 80)" \
	"IP  lines: from the IPv4-only RomPager 192.168.1.195, to the gateway's 192.168.1.1"
show -r "$in_pcap"

heading "2. bin/nat6to4 translate -f -v -c $conf -i $in_pcap -o $out_pcap"
bin/nat6to4 translate -f -v -c "$conf" -i "$in_pcap" -o "$out_pcap"

heading "3. What the translator sent ($out_pcap)" \
	"IP  lines: to the RomPager, the client now 192.168.1.1 (NAPT, port kept)" \
	"IP6 lines: to the client, the RomPager now 2001:5c0:8fff:ffff::c3"
show -r "$out_pcap"

heading "4. The RomPager's answer as the IPv6 client received it (tcpdump -A)"
# No extension headers here, so the TCP flags byte is at 40 + 13; 0x08 = PSH.
show -A -r "$out_pcap" 'ip6 and ip6[6] == 6 and src port 80 and ip6[53] & 0x08 != 0' |
	tr -d '\r' | sed '/^[0-9][0-9]:/!s/^.*\(HTTP\/1\.1 \)/\1/'

scn=scenarios/telnet-rompager.scn
sim_out=$out/telnet-rompager
heading "5. bin/v6lab run $scn --out $sim_out" \
	"The whole 2008-05-13 setup simulated: freefall's telnet through the freenet6 tunnel (tun1)," \
	"the gateway's ipfw rules, divert sockets 8666/8664 and nat6to4d (libnat6to4), the RomPager." \
	"Its transcript (the seed's web page lost the RomPager's XML body, which ends without a" \
	"newline, as markup), then how many of the scenario's expectations held:"
rm -rf "$sim_out"
status=0
bin/v6lab run "$scn" --out "$sim_out" >"$out/telnet-rompager.txt" || status=$?
# The transcript, with the seed's prompt, up to the verdicts.
sed -n '/^\(PASS\|FAIL\) /!p' "$out/telnet-rompager.txt"
echo
held=$(grep -c '^PASS ' "$out/telnet-rompager.txt" || true)
failed=$(grep -c '^FAIL ' "$out/telnet-rompager.txt" || true)
echo "$held expectations held, $failed failed (every line: $out/telnet-rompager.txt)"
grep '^FAIL ' "$out/telnet-rompager.txt" || true

heading "6. Its captures, one per link (tcpdump -n -r FILE, or wireshark)"
for cap in "$sim_out"/*.pcap; do
	printf '   %-40s %4d packets\n' "$cap" "$(tcpdump -n -r "$cap" 2>/dev/null | wc -l)"
done
echo
echo "   The telnet inside IPv4 (6in4) on the gateway's uplink, and translated on the LAN:"
show -r "$sim_out/uplink.pcap" 'ip proto 41 and ip[26] == 6' >"$out/uplink.txt" || true
sed -n 1,12p "$out/uplink.txt"
echo "   ..."
show -r "$sim_out/lan.pcap" 'tcp' >"$out/lan.txt" || true
sed -n 1,12p "$out/lan.txt"
exit "$status"
