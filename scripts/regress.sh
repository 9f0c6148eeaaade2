#!/usr/bin/env bash
# Regression against saved captures (issue 6): a scenario's run is compared
# with what is saved in captures/NAME/ — one LINK.pcap per link and the
# printed transcript in transcript.txt — byte for byte, timestamps included
# (they come from the virtual clock, so they never move by themselves).
#
#   scripts/regress.sh compare NAME NOWDIR NOWTRANSCRIPT
#       compare a run's output (v6lab run --out NOWDIR, its stdout saved in
#       NOWTRANSCRIPT) with captures/NAME/; never writes anything.
#       Exit 0 all matched, 1 something differs or is missing, 2 usage.
#   scripts/regress.sh bless [NAME ...]
#       run scenarios/NAME.scn (every scenario when no NAME is given) and
#       rewrite captures/NAME/ with what it produced: only files whose bytes
#       changed are written, each one reported with its size of change.
#       A scenario whose expectations fail is not blessed.
#
# Environment: V6LAB (default bin/v6lab), V6LAB_CAPTURES (default captures),
# V6LAB_DIFF_LINES (lines of each capture diff shown, default 40).
#
# The packet-level report comes from `v6lab diff SAVED NOW` (exit 0 same,
# 1 different, 2 unreadable); the transcript's from `diff -u`, as tcpdump's
# TESTLIST runner does for its saved outputs.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
V6LAB=${V6LAB:-bin/v6lab}
CAPTURES=${V6LAB_CAPTURES:-captures}
DIFF_LINES=${V6LAB_DIFF_LINES:-40}

usage() {
	echo "usage: scripts/regress.sh compare NAME NOWDIR NOWTRANSCRIPT" >&2
	echo "       scripts/regress.sh bless [NAME ...]" >&2
	exit 2
}

# Number of packets in a pcap file, by walking its record headers (16 bytes
# each, incl_len at +8) after the 24-byte file header; both byte orders.
# Prints "?" for a file that is not a whole pcap, so a count never lies.
pcap_count() {
	od -An -v -tu1 "$1" | awk '
		{ for (i = 1; i <= NF; i++) b[n++] = $i }
		function u32(o) { return le ? b[o] + 256 * (b[o+1] + 256 * (b[o+2] + 256 * b[o+3])) \
		                            : b[o+3] + 256 * (b[o+2] + 256 * (b[o+1] + 256 * b[o])) }
		END {
			if (n < 24) { print "?"; exit }
			le = (b[0] == 212 || b[0] == 77) ? 1 : 0	# d4 c3 b2 a1 (usec), 4d 3c b2 a1 (nsec)
			for (off = 24; off + 16 <= n; c++) off += 16 + u32(off + 8)
			print (off == n) ? c + 0 : "?"
		}'
}

# The saved files a run is compared on: its pcaps, then its transcript.
produced_files() { # NOWDIR
	(cd "$1" 2>/dev/null && find . -maxdepth 1 -type f -name '*.pcap' -printf '%f\n' | LC_ALL=C sort)
}

# Explains why two capture files differ: v6lab diff's field-level report,
# or, if it cannot read them, its error and the first differing bytes.
explain_pcap() { # SAVED NOW
	local out rc
	out=$("$V6LAB" diff "$1" "$2" 2>&1)
	rc=$?
	case $rc in
	1) printf '%s\n' "$out" | head -n "$DIFF_LINES" | sed 's/^/    /' ;;
	0) echo "    the packets are the same but the files' bytes differ (file header):"
	   cmp -l "$1" "$2" 2>&1 | head -n 5 | sed 's/^/    /' ;;
	*) printf '%s\n' "$out" | head -n 5 | sed 's/^/    v6lab diff: /'
	   cmp "$1" "$2" 2>&1 | sed 's/^/    /' ;;
	esac
}

# compare NAME NOWDIR NOWTRANSCRIPT: prints one line per saved file and a last
# line "NAME: captures matched M, differed D" that tests/scenarios.sh reads.
cmd_compare() {
	[ $# -eq 3 ] || usage
	local name=$1 now=$2 transcript=$3 saved="$CAPTURES/$1" matched=0 differed=0 f
	if [ ! -d "$saved" ]; then
		echo "DIFF $name: no saved captures in $saved/ — review the run, then: make bless SCENARIOS=$name"
		echo "$name: captures matched 0, differed 1"
		return 1
	fi
	for f in $(produced_files "$now"); do
		if [ ! -e "$saved/$f" ]; then
			echo "DIFF $name/$f: extra capture (link not in $saved/; $(pcap_count "$now/$f") packets now)"
			differed=$((differed + 1))
		elif cmp -s "$saved/$f" "$now/$f"; then
			matched=$((matched + 1))
		else
			echo "DIFF $name/$f: differs from $saved/$f (saved $(pcap_count "$saved/$f") packets, now $(pcap_count "$now/$f"))"
			explain_pcap "$saved/$f" "$now/$f"
			differed=$((differed + 1))
		fi
	done
	for f in $(produced_files "$saved"); do
		[ -e "$now/$f" ] && continue
		echo "DIFF $name/$f: missing capture (saved in $saved/, the run wrote none)"
		differed=$((differed + 1))
	done
	if [ ! -e "$saved/transcript.txt" ]; then
		echo "DIFF $name/transcript.txt: missing in $saved/"
		differed=$((differed + 1))
	elif cmp -s "$saved/transcript.txt" "$transcript"; then
		matched=$((matched + 1))
	else
		echo "DIFF $name/transcript.txt: differs (- saved, + now):"
		diff -u --label "saved/$name/transcript.txt" --label "now/$name/transcript.txt" \
			"$saved/transcript.txt" "$transcript" | head -n 200 | sed 's/^/    /'
		differed=$((differed + 1))
	fi
	echo "$name: captures matched $matched, differed $differed"
	[ "$differed" -eq 0 ]
}

# The size of one capture's change, from v6lab diff's own summary (its last
# line), so a reviewer sees how many packets differ before committing.
change_size() { # SAVED NOW
	local out
	out=$("$V6LAB" diff "$1" "$2" 2>&1)
	case $? in
	1) printf '%s\n' "$out" | awk 'NF { last = $0 } END { print last }' ;;
	0) echo "same packets, file header differs" ;;
	*) echo "saved $(pcap_count "$1") packets, now $(pcap_count "$2") (v6lab diff could not compare)" ;;
	esac
}

# Writes SRC over DEST through a temporary file in DEST's directory, so an
# interrupted bless never leaves a half-written saved capture.
install_file() { # SRC DEST
	cp "$1" "$2.bless-tmp" && mv -f "$2.bless-tmp" "$2"
}

# bless_one NAME: 0 blessed (or nothing to do), 1 refused or failed.
bless_one() {
	local name=$1 scn="scenarios/$1.scn" saved="$CAPTURES/$1" now="$work/$1" rc f
	local changed=0 new=0 removed=0 same=0
	if [ ! -f "$scn" ]; then
		echo "bless: $name: no such scenario ($scn)"
		return 1
	fi
	"$V6LAB" run "$scn" --out "$now" >"$now.txt" 2>"$now.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "bless: $name: v6lab run exited $rc — a failing run is not a baseline; nothing written"
		grep -hE '^FAIL|^[^ ]+:[0-9]+:[0-9]+: ' "$now.txt" "$now.err" | head -n 10 | sed 's/^/    /'
		return 1
	fi
	cp "$now.txt" "$now/transcript.txt"
	for f in $(produced_files "$now") transcript.txt; do
		if [ -e "$saved/$f" ] && cmp -s "$saved/$f" "$now/$f"; then
			same=$((same + 1))
			continue
		fi
		mkdir -p "$saved" || return 1
		if [ ! -e "$saved/$f" ]; then
			case $f in
			*.pcap) echo "new      $saved/$f ($(pcap_count "$now/$f") packets)" ;;
			*) echo "new      $saved/$f ($(wc -l <"$now/$f") lines)" ;;
			esac
			new=$((new + 1))
		else
			case $f in
			*.pcap) echo "changed  $saved/$f: $(change_size "$saved/$f" "$now/$f")" ;;
			*) echo "changed  $saved/$f: $(diff "$saved/$f" "$now/$f" | grep -c '^<') lines removed, $(diff "$saved/$f" "$now/$f" | grep -c '^>') added" ;;
			esac
			changed=$((changed + 1))
		fi
		install_file "$now/$f" "$saved/$f" || return 1
	done
	# A link the scenario no longer has: its saved capture would fail every
	# later comparison, so the bless that was asked for removes it.
	if [ -d "$saved" ]; then
		for f in $(produced_files "$saved"); do
			[ -e "$now/$f" ] && continue
			echo "removed  $saved/$f (the scenario no longer has this link)"
			rm -f "$saved/$f"
			removed=$((removed + 1))
		done
	fi
	if [ $((changed + new + removed)) -eq 0 ]; then
		echo "bless: $name: $same files unchanged, nothing written"
	else
		echo "bless: $name: $changed changed, $new new, $removed removed, $same unchanged"
	fi
	return 0
}

cmd_bless() {
	local names=("$@") failed=0 n
	if [ ${#names[@]} -eq 0 ]; then
		for n in scenarios/*.scn; do [ -e "$n" ] && names+=("$(basename "$n" .scn)"); done
	fi
	work=$(mktemp -d "${TMPDIR:-/tmp}/v6lab-bless.XXXXXX") || exit 1
	trap 'rm -rf "$work"' EXIT
	for n in "${names[@]}"; do
		n=$(basename "$n" .scn)
		bless_one "$n" || failed=$((failed + 1))
	done
	[ "$failed" -eq 0 ] || { echo "bless: $failed scenario(s) not blessed"; exit 1; }
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case $cmd in
compare) cmd_compare "$@" ;;
bless) cmd_bless "$@" ;;
*) usage ;;
esac
