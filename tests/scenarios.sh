#!/usr/bin/env bash
# Runs every scenario in scenarios/: each must pass (exit 0), every capture
# it writes must decode in tshark with no malformed packet and no bad
# checksum, and a second run with another locale, time zone and
# MALLOC_PERTURB_ must give byte-identical captures and output.
set -uo pipefail
cd "$(dirname "$0")/.."
V6LAB=${V6LAB:-bin/v6lab}
work=$(mktemp -d "${TMPDIR:-/tmp}/v6lab-scn.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# Wireshark 4.0's LCP Quality-Protocol option dissector reads 8 bytes past
# every option that has data (packet-ppp.c, dissect_lcp_qualprot_opt:
# `length + 4` where `length - 4` is meant), so the RFC 1989 LQR option
# ppp(8) sends with `enable lqr` is "malformed" there: that one exception
# is not ours; every other still counts.
bad_filter='(_ws.malformed && !(lcp.opt.quality_protocol == 0xc025)) || (_ws.expert.severity>=error && !_ws.malformed) || _ws.expert.group == "Checksum"'

# Prints the offending packets; a tshark that fails (bad option, unreadable
# file) prints its error instead, so it can never pass silently.
tshark_errors() {
	local out
	if ! out=$(tshark -r "$1" -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-o ip.check_checksum:TRUE \
		-Y "$bad_filter" 2>&1 >/dev/null); then
		echo "tshark failed: $out"
		return
	fi
	tshark -r "$1" -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-o ip.check_checksum:TRUE -Y "$bad_filter" 2>/dev/null
}

for scn in scenarios/*.scn; do
	name=$(basename "$scn" .scn)
	a="$work/$name.a" b="$work/$name.b"
	if "$V6LAB" run "$scn" --out "$a" >"$a.txt" 2>&1; then
		ok "$name: every expectation held"
	else
		bad "$name: v6lab run exited $? — its failures:"
		grep -E '^FAIL|^[^ ]+:[0-9]+:[0-9]+: ' "$a.txt" | head -20
		continue
	fi
	for cap in "$a"/*.pcap; do
		[ -e "$cap" ] || { bad "$name: wrote no capture"; break; }
		errs=$(tshark_errors "$cap")
		n=$(tshark -r "$cap" 2>/dev/null | wc -l)
		if [ -z "$errs" ] && [ "$n" -gt 0 ]; then ok "$name/$(basename "$cap"): $n packets decode cleanly"
		else bad "$name/$(basename "$cap"): $n packets, tshark reports:"; echo "$errs" | head -5; fi
	done
	# Determinism guard: other locale, time zone and heap contents.
	LC_ALL=C.UTF-8 TZ=Australia/Sydney MALLOC_PERTURB_=165 \
		"$V6LAB" run "$scn" --out "$b" >"$b.txt" 2>&1
	if cmp -s "$a.txt" "$b.txt" && diff -r "$a" "$b" >/dev/null; then
		ok "$name: second run byte-identical (locale, TZ, MALLOC_PERTURB_)"
	else
		bad "$name: second run differs"
		diff "$a.txt" "$b.txt" | head -10
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
