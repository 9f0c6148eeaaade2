#!/usr/bin/env bash
# Simulator benchmark (DESIGN.md "lan1000"): 1,000 IPv6 hosts on one
# Ethernet LAN get SLAAC addresses from a router's rtadvd and each ping a
# remote host behind a 10 ms link once a second for 60 simulated seconds.
# Prints v6lab's --stats (events/s, frames/s, peak memory) and checks that
# every host's 60 pings were answered, so a fast but broken run can't pass.
set -euo pipefail
cd "$(dirname "$0")/.."
hosts=${1:-1000}
work=$(mktemp -d "${TMPDIR:-/tmp}/v6lab-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
bench/gen_lan1000.sh "$hosts" > "$work/lan$hosts.scn"
echo "v6lab lan$hosts: $hosts hosts + router + remote host, 60 s of ping6 each"
rc=0
bin/v6lab run "$work/lan$hosts.scn" --out "$work/out" --stats > "$work/transcript.txt" 2> "$work/stats.txt" || rc=$?
sed 's/^stats: /  /' "$work/stats.txt"
[ "$rc" -eq 0 ] || { echo "v6lab run exited $rc"; exit 1; }
answered=$(grep -c '^60 packets transmitted, 60 packets received, 0.0% packet loss$' "$work/transcript.txt" || true)
echo "hosts whose 60 pings were all answered: $answered of $hosts"
echo "captures written: $(du -sh "$work/out" | cut -f1) in $(ls "$work/out" | wc -l) files"
echo "reference (DESIGN.md, ns-3 3.37 on this machine kind): ~117 s wall, 126 M events, 122 MB peak"
[ "$answered" -eq "$hosts" ]
