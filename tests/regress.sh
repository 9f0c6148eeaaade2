#!/usr/bin/env bash
# Regression against saved captures (scripts/regress.sh, `v6lab diff`):
# a byte changed in a saved capture is reported with its field's name, a
# changed transcript as a unified diff, missing and extra captures as such;
# bless rewrites only what changed in the scenarios it is given, never
# anything else, and never a failing run; `v6lab diff` exit codes.
# Everything works on temporary copies of captures/: the real one is only
# read.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
V6LAB=${V6LAB:-bin/v6lab}
export V6LAB
unset V6LAB_SUMMARY V6LAB_SCENARIOS
tmp=$(mktemp -d "${TMPDIR:-/tmp}/v6lab-regress.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
check() { # DESCRIPTION COMMAND...: passes when COMMAND succeeds
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
# verdict DESCRIPTION: passes when the command just before it succeeded.
verdict() { if [ "$?" -eq 0 ]; then ok "$1"; else bad "$1"; fi; }
has() { grep -qE -- "$2" "$1"; }                      # FILE REGEX
lacks() { ! grep -qE -- "$2" "$1"; }

# A copy of captures/ whose every file has an old, known mtime, so that any
# rewrite (even within the same second) shows.
fresh_copy() { # DIR
	rm -rf "$1"
	cp -R captures "$1"
	find "$1" -exec touch -d '2001-02-03 04:05:06' {} +
}
# Path, size, mtime and content hash of every file: equal snapshots mean
# nothing was written.
snapshot() { # DIR [EXCLUDED-SUBDIR]
	(cd "$1" && find . -type f ! -path "./${2:-//}/*" -printf '%p %s %T@\n' | LC_ALL=C sort &&
		find . -type f ! -path "./${2:-//}/*" -print0 | LC_ALL=C sort -z | xargs -0 md5sum)
}
run_scn() { # NAME: runs it into $tmp/now/NAME, transcript $tmp/now/NAME.txt
	mkdir -p "$tmp/now"
	rm -rf "$tmp/now/$1"
	"$V6LAB" run "scenarios/$1.scn" --out "$tmp/now/$1" >"$tmp/now/$1.txt" 2>/dev/null
}
# Data offset and captured length of packet #N (1-based) of a little-endian
# pcap, walking the record headers: the expected byte positions come from
# the file format, not from the code under test.
packet_at() { # FILE N
	od -An -v -tu1 "$1" | awk -v want="$2" '
		{ for (i = 1; i <= NF; i++) b[n++] = $i }
		END {
			for (off = 24; off + 16 <= n; off += 16 + len) {
				len = b[off+8] + 256 * (b[off+9] + 256 * (b[off+10] + 256 * b[off+11]))
				if (++k == want) { print off + 16, len; exit }
			}
		}'
}
byte_at() { od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' '; }
# shellcheck disable=SC2059 # the format is the byte itself, as an octal escape
put_byte() { printf "$(printf '\\%03o' "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }

[ -x "$V6LAB" ] || { bad "$V6LAB not built"; echo "$pass passed, $fail failed"; exit 1; }
[ -d captures/lan-ping6 ] || { bad "captures/lan-ping6 missing (make bless)"; echo "$pass passed, $fail failed"; exit 1; }

# --- every saved scenario matches a fresh run --------------------------------
saved="$tmp/saved"
fresh_copy "$saved"
export V6LAB_CAPTURES="$saved"
run_scn lan-ping6
scripts/regress.sh compare lan-ping6 "$tmp/now/lan-ping6" "$tmp/now/lan-ping6.txt" >"$tmp/out" 2>&1
rc=$?
nfiles=$(($(find captures/lan-ping6 -name '*.pcap' | wc -l) + 1))
check "compare: a fresh lan-ping6 run matches its saved files (exit $rc)" [ "$rc" -eq 0 ]
check "compare: counts $nfiles files matched, none differed" \
	has "$tmp/out" "^lan-ping6: captures matched $nfiles, differed 0$"

# --- one byte changed: the hop limit of the first echo request ---------------
# tshark (independently of the code under test) names the packet and its
# hop limit; the record walk gives its offset; the byte is checked before use.
read -r frame hlim < <(tshark -r captures/lan-ping6/lanA.pcap -Y 'icmpv6.type == 128' \
	-T fields -e frame.number -e ipv6.hlim 2>/dev/null | head -n 1)
read -r data _ < <(packet_at "$saved/lan-ping6/lanA.pcap" "${frame:-0}")
hoff=$((${data:-0} + 14 + 7)) # Ethernet header, then IPv6's 8th byte
[ -n "${frame:-}" ] && [ "$(byte_at "$saved/lan-ping6/lanA.pcap" "$hoff")" = "$hlim" ]
verdict "setup: tshark found echo request #${frame:-?} with hlim ${hlim:-?} at file offset $hoff"
put_byte "$saved/lan-ping6/lanA.pcap" "$hoff" $((hlim - 1))
before=$(snapshot "$saved")
scripts/regress.sh compare lan-ping6 "$tmp/now/lan-ping6" "$tmp/now/lan-ping6.txt" >"$tmp/out" 2>&1
rc=$?
check "compare: a changed hop limit fails (exit $rc)" [ "$rc" -eq 1 ]
check "compare: names the link file lanA.pcap" has "$tmp/out" '^DIFF lan-ping6/lanA\.pcap'
check "compare: names the field: ip6.hlim: saved $((hlim - 1)), now $hlim" \
	has "$tmp/out" "ip6\.hlim: saved $((hlim - 1)), now $hlim"
check "compare: names packet #$frame" has "$tmp/out" "#$frame\b"
check "compare: lanB.pcap and the transcript still match (matched 2, differed 1)" \
	has "$tmp/out" '^lan-ping6: captures matched 2, differed 1$'
check "compare: wrote nothing into the saved directory" [ "$before" = "$(snapshot "$saved")" ]

# The same through make check's scenario runner: the run fails, naming the field.
V6LAB_SCENARIOS=lan-ping6 bash tests/scenarios.sh >"$tmp/scn" 2>&1
rc=$?
check "tests/scenarios.sh with that saved copy fails (exit $rc)" [ "$rc" -ne 0 ]
check "tests/scenarios.sh names ip6.hlim" has "$tmp/scn" 'ip6\.hlim'
check "tests/scenarios.sh says how to accept it" has "$tmp/scn" 'make bless SCENARIOS=lan-ping6'
check "tests/scenarios.sh table row: 14+ held, 0 failed, 2 matched, 1 differed" \
	has "$tmp/scn" '^lan-ping6 +[0-9]+ +0 +2 +1 '

# --- transcript: a unified diff ------------------------------------------------
line=$(grep -m1 '^PASS ' "$saved/lan-ping6/transcript.txt")
sed -i "0,/^PASS /s//PASX /" "$saved/lan-ping6/transcript.txt"
scripts/regress.sh compare lan-ping6 "$tmp/now/lan-ping6" "$tmp/now/lan-ping6.txt" >"$tmp/out" 2>&1
check "transcript: reported as differing" has "$tmp/out" '^DIFF lan-ping6/transcript\.txt'
check "transcript: unified diff headers" has "$tmp/out" '^    --- saved/lan-ping6/transcript\.txt'
check "transcript: the saved line with -" grep -qF -- "    -PASX ${line#PASS }" "$tmp/out"
check "transcript: the new line with +" grep -qF -- "    +$line" "$tmp/out"

# --- missing and extra captures ----------------------------------------------
fresh_copy "$saved"
rm "$saved/lan-ping6/lanB.pcap"
scripts/regress.sh compare lan-ping6 "$tmp/now/lan-ping6" "$tmp/now/lan-ping6.txt" >"$tmp/out" 2>&1
check "extra: a link the saved directory lacks is an extra capture" has "$tmp/out" '^DIFF lan-ping6/lanB\.pcap: extra capture.*19 packets now'
cp captures/lan-ping6/lanB.pcap "$saved/lan-ping6/"
mv "$tmp/now/lan-ping6/lanA.pcap" "$tmp/lanA.pcap"
scripts/regress.sh compare lan-ping6 "$tmp/now/lan-ping6" "$tmp/now/lan-ping6.txt" >"$tmp/out" 2>&1
rc=$?
check "missing: a saved link the run did not write fails (exit $rc)" [ "$rc" -eq 1 ]
check "missing: reported as a missing capture" has "$tmp/out" '^DIFF lan-ping6/lanA\.pcap: missing capture'
mv "$tmp/lanA.pcap" "$tmp/now/lan-ping6/"
rm -r "$saved/lan-ping6"
scripts/regress.sh compare lan-ping6 "$tmp/now/lan-ping6" "$tmp/now/lan-ping6.txt" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && has "$tmp/out" 'make bless SCENARIOS=lan-ping6'
verdict "new scenario: no saved directory fails (exit $rc) and says to bless"
check "new scenario: compare did not create its directory" [ ! -e "$saved/lan-ping6" ]

# --- bless ---------------------------------------------------------------------
fresh_copy "$saved"
put_byte "$saved/lan-ping6/lanA.pcap" "$hoff" $((hlim - 1))
others=$(snapshot "$saved" lan-ping6)
lanb=$(stat -c %Y "$saved/lan-ping6/lanB.pcap")
scripts/regress.sh bless lan-ping6 >"$tmp/out" 2>&1
rc=$?
check "bless lan-ping6: exit $rc" [ "$rc" -eq 0 ]
check "bless: reports lanA.pcap changed" has "$tmp/out" "^changed  $saved/lan-ping6/lanA\.pcap: "
check "bless: the change's size names 1 differing packet" \
	has "$tmp/out" "lanA\.pcap: .*\b1\b.*differ"
check "bless: summary 1 changed, 0 new, 0 removed, 2 unchanged" \
	has "$tmp/out" '^bless: lan-ping6: 1 changed, 0 new, 0 removed, 2 unchanged$'
check "bless: lanA.pcap is now the run's (byte-identical to captures/)" \
	cmp -s "$saved/lan-ping6/lanA.pcap" captures/lan-ping6/lanA.pcap
check "bless: unchanged lanB.pcap not rewritten (mtime kept)" \
	[ "$(stat -c %Y "$saved/lan-ping6/lanB.pcap")" = "$lanb" ]
check "bless: the other scenarios' files byte-identical, mtimes unchanged" \
	[ "$others" = "$(snapshot "$saved" lan-ping6)" ]
check "bless: no temporary file left behind" [ -z "$(find "$saved" -name '*.bless-tmp')" ]

# Every scenario that has saved captures (a scenario being written may have
# none yet: blessing it is its author's call).
blessed=()
for d in captures/*/; do
	d=$(basename "$d")
	[ -f "scenarios/$d.scn" ] && blessed+=("$d")
done
all=$(snapshot "$saved")
scripts/regress.sh bless "${blessed[@]}" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && [ "$(grep -c 'nothing written$' "$tmp/out")" -eq "${#blessed[@]}" ]
verdict "bless all ${#blessed[@]} saved scenarios when nothing changed: exit $rc, nothing written for each"
check "bless with nothing changed writes nothing (sizes, mtimes, contents)" [ "$all" = "$(snapshot "$saved")" ]

# A new scenario: its directory is created by bless, with every link's capture.
rm -r "$saved/nd-no-arp"
echo "notes kept by a user" >"$saved/lan-ping6/NOTES"
cp captures/lan-ping6/lanA.pcap "$saved/lan-ping6/old-link.pcap"
others=$(snapshot "$saved" nd-no-arp)
scripts/regress.sh bless nd-no-arp >"$tmp/out" 2>&1
n=$(tshark -r captures/nd-no-arp/lan.pcap 2>/dev/null | wc -l)
check "bless new scenario: lan.pcap reported new with its $n packets" \
	has "$tmp/out" "^new      $saved/nd-no-arp/lan\.pcap \($n packets\)"
check "bless new scenario: directory created, same bytes as captures/" \
	diff -r "$saved/nd-no-arp" captures/nd-no-arp
check "bless new scenario: nothing else touched" [ "$others" = "$(snapshot "$saved" nd-no-arp)" ]
scripts/regress.sh bless lan-ping6 >"$tmp/out" 2>&1
[ ! -e "$saved/lan-ping6/old-link.pcap" ] && has "$tmp/out" '^removed  .*old-link\.pcap'
verdict "bless: a saved link the scenario no longer has is removed and reported"
check "bless: a file that is not a capture is left alone" [ -e "$saved/lan-ping6/NOTES" ]

scripts/regress.sh bless no-such-scenario >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && has "$tmp/out" 'no such scenario' && [ ! -e "$saved/no-such-scenario" ]
verdict "bless unknown scenario: exit $rc, says so, creates nothing"

# A failing run is never a baseline: a v6lab whose run fails an expectation.
printf '#!/bin/sh\necho "FAIL scenarios/x.scn:3: expect something"\nexit 1\n' >"$tmp/failing-v6lab"
chmod +x "$tmp/failing-v6lab"
all=$(snapshot "$saved")
V6LAB="$tmp/failing-v6lab" scripts/regress.sh bless lan-ping6 >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && has "$tmp/out" 'not a baseline' && has "$tmp/out" 'FAIL scenarios/x\.scn:3'
verdict "bless a failing run: exit $rc, refused with its failure shown"
check "bless a failing run: wrote nothing" [ "$all" = "$(snapshot "$saved")" ]

scripts/regress.sh >/dev/null 2>&1
rc=$?
check "regress.sh with no command is a usage error, exit 2 (exit $rc)" [ "$rc" -eq 2 ]

# --- v6lab diff exit codes -----------------------------------------------------
orig=captures/lan-ping6/lanA.pcap
changed="$tmp/changed.pcap"
cp "$orig" "$changed"
put_byte "$changed" "$hoff" $((hlim - 1))
"$V6LAB" diff "$orig" "$orig" >/dev/null 2>&1
rc=$?
check "v6lab diff: same file exits 0 (exit $rc)" [ "$rc" -eq 0 ]
"$V6LAB" diff "$orig" "$changed" >"$tmp/out" 2>&1
rc=$?
check "v6lab diff: one changed byte exits 1 (exit $rc)" [ "$rc" -eq 1 ]
check "v6lab diff: ip6.hlim: saved $hlim, now $((hlim - 1))" has "$tmp/out" "ip6\.hlim: saved $hlim, now $((hlim - 1))"
"$V6LAB" diff "$orig" "$changed" --ignore ip6.hlim >/dev/null 2>&1
rc=$?
check "v6lab diff --ignore ip6.hlim: the only difference ignored exits 0 (exit $rc)" [ "$rc" -eq 0 ]
"$V6LAB" diff "$orig" "$tmp/does-not-exist.pcap" >/dev/null 2>&1
rc=$?
check "v6lab diff: missing file exits 2 (exit $rc)" [ "$rc" -eq 2 ]
"$V6LAB" diff captures/lan-ping6/transcript.txt "$orig" >/dev/null 2>&1
rc=$?
check "v6lab diff: a file that is not a capture exits 2 (exit $rc)" [ "$rc" -eq 2 ]
head -c $((data + 10)) "$orig" >"$tmp/cut.pcap" # cut inside packet #$frame
"$V6LAB" diff "$orig" "$tmp/cut.pcap" >"$tmp/out" 2>&1
rc=$?
check "v6lab diff: truncated capture exits 2 (exit $rc)" [ "$rc" -eq 2 ]
check "v6lab diff: truncated capture names packet #$frame and its offset" \
	has "$tmp/out" "packet #$frame, offset [0-9]+"
"$V6LAB" diff "$orig" >/dev/null 2>&1
rc=$?
check "v6lab diff: one file only is a usage error, exit 2 (exit $rc)" [ "$rc" -eq 2 ]

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
