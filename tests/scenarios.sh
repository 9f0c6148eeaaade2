#!/usr/bin/env bash
# Runs every scenario in scenarios/: each must pass (exit 0), every capture
# it writes must decode in tshark with no malformed packet and no bad
# checksum, and a second run with another locale, time zone and
# MALLOC_PERTURB_ must give byte-identical captures and output; and what the
# first run wrote (captures and transcript) must match, byte for byte, what is
# saved in captures/NAME/ (scripts/regress.sh compare; `make bless` updates).
# Each scenario runs exactly twice. With V6LAB_SUMMARY=FILE, one line per
# scenario "NAME HELD FAILED MATCHED DIFFERED SECONDS" is appended to FILE
# for the table at the end of `make check`. V6LAB_CAPTURES names another
# directory of saved captures (default captures/).
set -uo pipefail
cd "$(dirname "$0")/.."
V6LAB=${V6LAB:-bin/v6lab}
work=$(mktemp -d "${TMPDIR:-/tmp}/v6lab-scn.XXXXXX")
trap 'rm -rf "$work"' EXIT
. tests/lib/tshark.sh

rows=()
# V6LAB_SCENARIOS="a b" runs only those (tests/regress.sh uses it); default all.
scns=()
for n in ${V6LAB_SCENARIOS:-}; do scns+=("scenarios/$n.scn"); done
[ ${#scns[@]} -gt 0 ] || scns=(scenarios/*.scn)
for scn in "${scns[@]}"; do
	name=$(basename "$scn" .scn)
	a="$work/$name.a" b="$work/$name.b"
	# The transcript is stdout alone: it is what captures/NAME/transcript.txt saves.
	t0=$(date +%s%N)
	"$V6LAB" run "$scn" --out "$a" >"$a.txt" 2>"$a.err"
	status=$?
	t1=$(date +%s%N)
	held=$(grep -c '^PASS ' "$a.txt")
	failed=$(grep -c '^FAIL ' "$a.txt")
	if [ "$status" -eq 0 ]; then
		ok "$name: every expectation held ($held)"
	else
		bad "$name: v6lab run exited $status — its failures:"
		grep -hE '^FAIL|^[^ ]+:[0-9]+:[0-9]+: ' "$a.txt" "$a.err" | head -20
	fi
	# Regression against the saved captures, even when an expectation failed:
	# which packets changed is what explains the failure.
	V6LAB=$V6LAB scripts/regress.sh compare "$name" "$a" "$a.txt" >"$a.cmp" 2>&1
	cmp_status=$?
	read -r matched differed < <(sed -n 's/^.*: captures matched \([0-9]*\), differed \([0-9]*\)$/\1 \2/p' "$a.cmp" | tail -n 1)
	matched=${matched:-0} differed=${differed:-1}
	if [ "$cmp_status" -eq 0 ]; then
		ok "$name: $matched saved files match captures/$name/ byte for byte"
	else
		bad "$name: differs from captures/$name/ (to look: $V6LAB run $scn writes out/$name/; if intended: make bless SCENARIOS=$name):"
		grep -v ': captures matched [0-9]*, differed [0-9]*$' "$a.cmp"
	fi
	rows+=("$(printf '%s %d %d %d %d %d.%03d' "$name" "$held" "$failed" "$matched" "$differed" \
		$(((t1 - t0) / 1000000000)) $(((t1 - t0) / 1000000 % 1000)))")
	[ "$status" -eq 0 ] || continue
	for cap in "$a"/*.pcap; do
		[ -e "$cap" ] || { bad "$name: wrote no capture"; break; }
		errs=$(tshark_errors "$cap")
		n=$(tshark -r "$cap" 2>/dev/null | wc -l)
		if [ -z "$errs" ] && [ "$n" -gt 0 ]; then ok "$name/$(basename "$cap"): $n packets decode cleanly"
		else bad "$name/$(basename "$cap"): $n packets, tshark reports:"; echo "$errs" | head -5; fi
	done
	# Determinism guard: other locale, time zone and heap contents.
	LC_ALL=C.UTF-8 TZ=Australia/Sydney MALLOC_PERTURB_=165 \
		"$V6LAB" run "$scn" --out "$b" >"$b.txt" 2>"$b.err"
	if cmp -s "$a.txt" "$b.txt" && cmp -s "$a.err" "$b.err" && diff -r "$a" "$b" >/dev/null; then
		ok "$name: second run byte-identical (locale, TZ, MALLOC_PERTURB_)"
	else
		bad "$name: second run differs"
		diff "$a.txt" "$b.txt" | head -10
		diff -r "$a" "$b" | head -5
	fi
done

# One row per scenario: expectations held/failed, saved files (captures and
# transcript) matched/differed, wall time of the first run.
echo
printf '%-20s %5s %6s %7s %8s %8s\n' scenario held failed matched differed time
for r in "${rows[@]}"; do
	read -r n h f m d t <<<"$r"
	printf '%-20s %5d %6d %7d %8d %7ss\n' "$n" "$h" "$f" "$m" "$d" "$t"
	[ -z "${V6LAB_SUMMARY:-}" ] || echo "$r" >>"$V6LAB_SUMMARY"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
