#!/usr/bin/env bash
# `v6lab run --step` (sim/step/), on scenarios/nd-no-arp.scn: driven by a
# pipe (one key per line) with exact expected lines, and through a real
# terminal in tmux (single keys, screens compared, the terminal restored
# after q). Values that do not come from the step view itself are checked
# against tshark's reading of the capture of a plain `v6lab run`, and the
# DAD Neighbor Solicitation's fields against RFC 4861 (hop limit 255,
# source ::, type 135). On scenarios/internode-adsl.scn, k7's ppp(8) line:
# LCP and IPV6CP change state at the steps the capture's frame order and
# RFC 1661 say; on telnet-rompager.scn, nat6to4d's session as the saved
# transcript lists it. Last line: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C TZ=UTC
V6LAB=${V6LAB:-$PWD/bin/v6lab}
SCN=scenarios/nd-no-arp.scn
START_EPOCH=1209810600      # the scenario's `start 2008-05-03 10:30:00 UTC`
work=$(mktemp -d "${TMPDIR:-/tmp}/v6lab-step.XXXXXX")
TMUX_SOCK="$work/tmux.sock"
tm() { env -u TMUX tmux -S "$TMUX_SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$work"' EXIT

pass=0
fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); shift; for l in "$@"; do printf '       %s\n' "$l"; done; }

# KEYS (printf format) piped into `v6lab run --step ARGS...`: stdout in $work/out.txt, status in $rc.
piped() {
	local keys=$1
	shift
	printf "$keys" | "$V6LAB" run --step "$@" >"$work/out.txt" 2>"$work/err.txt"
	rc=$?
	local shown=${keys//$'\n'/\\n}
	[ ${#shown} -gt 40 ] && shown="${shown:0:12}... ($(printf "$keys" | wc -l) keys)"
	echo "  ran: printf '$shown' | v6lab run --step $* -> exit $rc, $(wc -l <"$work/out.txt") lines"
}
has_line() { # WHAT LINE: the exact line is in out.txt
	if grep -qxF -- "$2" "$work/out.txt"; then ok "$1: '$2'"; else
		bad "$1" "no line '$2' in the output; it starts:" "$(head -5 "$work/out.txt")"; fi
}
# The screen of step N (its header to its status line), the Kth time shown.
screen_of() { awk -v n="$1" -v k="${2:-1}" '
	$0 ~ "^step " n "  " { seen++ } seen == k { print } seen == k && /^\[n\]ext/ { exit }' "$work/out.txt"; }
step_headers() { grep -o '^step [0-9]*' "$work/out.txt" | tr '\n' ' '; }

# ---- reference: a plain run and tshark's view of its capture --------------

"$V6LAB" run "$SCN" --out "$work/plain" >"$work/plain.txt" 2>&1
plain_rc=$?
echo "  ran: v6lab run $SCN -> exit $plain_rc"
ref=$(tshark -r "$work/plain/lan.pcap" -c 1 -T fields -E separator=' ' \
	-e frame.time_epoch -e ipv6.hlim -e ipv6.src -e icmpv6.type -e eth.src 2>/dev/null)
echo "  tshark, first frame of lan.pcap: $ref"
read -r t_epoch t_hlim t_src t_type t_eth <<<"$ref"
t_rel=$(awk -v e="$t_epoch" -v s="$START_EPOCH" 'BEGIN { printf "%.6f", e - s }')

# ---- piped: the first step -------------------------------------------------

piped 'n\nn\nq\n' "$SCN" --out "$work/o1"
[ "$rc" -eq 0 ] && ok "q exits 0" || bad "q exits 0" "exit $rc: $(head -3 "$work/err.txt")"
[ "$(step_headers)" = "step 1 step 2 step 3 " ] && ok "n n q shows steps 1, 2, 3" ||
	bad "n n q shows steps 1, 2, 3" "saw: $(step_headers)"
first=$(head -1 "$work/out.txt")
want_first="step 1  t=${t_rel}s  link lan (ethernet)  frame 1 of this link  from jail:em0"
[ "$first" = "$want_first" ] && ok "header of step 1 (time from tshark): $first" ||
	bad "header of step 1" "want: $want_first" "got:  $first"
[ "$t_hlim" = 255 ] && [ "$t_src" = "::" ] && [ "$t_type" = 135 ] &&
	ok "tshark agrees: the first frame is the DAD NS (hlim 255, src ::, type 135)" ||
	bad "tshark: first frame is not the DAD NS" "$ref"
# The IPv6 and ICMPv6 layers of step 1, line for line.
want_ip6='Internet Protocol Version 6
    Version: 6
    Traffic Class: 0x0
    Flow Label: 0x0
    Payload Length: 24
    Next Header: 58 (ICMPv6)
    Hop Limit: 255
    Source Address: ::
    Destination Address: ff02::1:ff53:b0f8
Internet Control Message Protocol v6
    Type: 135 (Neighbor Solicitation)
    Code: 0'
got_ip6=$(screen_of 1 | sed -n '/^Internet Protocol Version 6$/,/^    Code:/p')
[ "$got_ip6" = "$want_ip6" ] && ok "step 1: every IPv6 field and the ICMPv6 type 135, exactly" ||
	bad "step 1 IPv6 layer" "want:" "$want_ip6" "got:" "$got_ip6"
has_line "step 1 Ethernet layer" "    Source: $t_eth"
has_line "step 1 Ethernet layer" "    Type: 0x86dd (IPv6)"
has_line "step 1 target" "    Target Address: 2001:df0:9::ca53:b0f8"
has_line "step 1 one-liner" "IP6 :: > ff02::1:ff53:b0f8: ICMP6, neighbor solicitation, who has 2001:df0:9::ca53:b0f8, length 24"
has_line "step 1 starting state" "    + em0: inet6 2001:df0:9::ca53:b0f8 prefixlen 64 tentative"
has_line "status line" "[n]ext [b]ack [c]ontinue [q]uit [?]help"
if grep -q '^PASS ' "$work/out.txt"; then bad "q prints no verdicts" "$(grep -m1 '^PASS' "$work/out.txt")"
else ok "q prints no verdicts"; fi
cp "$work/out.txt" "$work/first.txt"
piped 'n\nn\nq\n' "$SCN" --out "$work/o1b"
cmp -s "$work/out.txt" "$work/first.txt" && ok "same keys, byte-identical output" ||
	bad "same keys, same output" "$(diff "$work/first.txt" "$work/out.txt" | head -5)"

# ---- piped: state changes, back, continue ---------------------------------

piped 'n\nn\nn\nn\nn\nn\nn\nn\nn\nq\n' "$SCN" --out "$work/o2"
s5=$(screen_of 5)
grep -qxF '    - em0: inet6 2001:df0:9::ca53:b0f8 prefixlen 64 tentative' <<<"$s5" &&
	grep -qxF '    + em0: inet6 2001:df0:9::ca53:b0f8 prefixlen 64' <<<"$s5" &&
	ok "step 5: jail's address leaves tentative (- tentative, + without)" ||
	bad "step 5: address leaving tentative" "$s5"
has_line "step 8: k7's neighbor cache entry" "    + sk0: neighbor 2001:df0:9::ca53:b0f8 lladdr (incomplete) INCOMPLETE"
has_line "step 10: the NA makes it REACHABLE" "    + sk0: neighbor 2001:df0:9::ca53:b0f8 lladdr 00:0c:86:75:24:1b REACHABLE"
has_line "step 7: the command step" "step 7  t=5.000000s  k7# ping6 -c 1 2001:df0:9::ca53:b0f8"

piped 'n\nn\nb\nq\n' "$SCN" --out "$work/o3"
[ "$(step_headers)" = "step 1 step 2 step 3 step 2 " ] && ok "b after step 3 shows step 2 again" ||
	bad "b shows the previous step" "saw: $(step_headers)"
a=$(screen_of 2 1) b=$(screen_of 2 2)
[ -n "$a" ] && [ "$a" = "$b" ] && ok "step 2 after b: the same screen as before ($(wc -l <<<"$a") lines)" ||
	bad "step 2 after b differs" "$(diff <(echo "$a") <(echo "$b") | head -6)"
piped 'b\nq\n' "$SCN" --out "$work/o3b"
has_line "b at step 1" "this is the first step"

# c from step 1 (t=0.173 s): the next window edge is 3 s (line 21's `within
# 3s` closes); the first step from then on is the ping6 at 5 s, step 7.
piped 'c\nq\n' "$SCN" --out "$work/o4"
[ "$(step_headers)" = "step 1 step 7 " ] && ok "c jumps from step 1 to step 7" ||
	bad "c jumps to the next expectation window" "saw: $(step_headers)"
has_line "c says where it goes" "continuing to t=3.000000s"
has_line "c: the expectations watching at 5 s" "expectations watching now: lines 19, 27, 29, 30"

# ---- piped: end of input runs to the end, as `v6lab run` ------------------

piped 'n\n' "$SCN" --out "$work/o5"
sed -n '/^--- end of the run: /,$p' "$work/out.txt" | tail -n +2 >"$work/tail.txt"
[ "$rc" -eq "$plain_rc" ] && cmp -s "$work/tail.txt" "$work/plain.txt" &&
	ok "end of input: transcript and verdicts as v6lab run prints them, exit $rc" ||
	bad "end of input: output as v6lab run" "exit $rc vs $plain_rc" "$(diff "$work/plain.txt" "$work/tail.txt" | head -5)"
cmp -s "$work/o5/lan.pcap" "$work/plain/lan.pcap" && ok "--out: the capture is the plain run's, byte for byte" ||
	bad "--out capture differs from the plain run's"
printf 'seed 1\nnode k7 freebsd\nnode gw freebsd\nlink lan ethernet k7:sk0 gw:em0\nat 1s k7# ping6 -c 1 fd00::99\nexpect within 1s k7 says "never printed"\n' >"$work/failing.scn"
piped '' "$work/failing.scn" --out "$work/o6"
[ "$rc" -eq 1 ] && grep -q '^FAIL ' "$work/out.txt" && ok "a failing expectation: FAIL line and exit 1, as run" ||
	bad "failing scenario under --step" "exit $rc" "$(tail -3 "$work/out.txt")"
piped '' "$SCN" --trace
[ "$rc" -eq 2 ] && grep -q -- '--step shows every frame itself' "$work/err.txt" && ok "--step --trace refused (exit 2)" ||
	bad "--step --trace" "exit $rc: $(cat "$work/err.txt")"
piped '' "$work/nosuch.scn"
[ "$rc" -eq 2 ] && grep -q 'nosuch.scn' "$work/err.txt" && ok "missing scenario: exit 2 naming it" ||
	bad "missing scenario" "exit $rc: $(cat "$work/err.txt")"

# ---- piped: ppp(8)'s automata and nat6to4d's sessions in the node state ---

# internode-adsl: k7 dials at 2 s. The expected LCP path is RFC 1661's
# table applied to the order of the frames in tshark's reading of the
# plain run's lan.pcap (k7 is 00:0f:ea:2c:d5:18, lan's delay 50 us).
ADSL=scenarios/internode-adsl.scn
ADSL_EPOCH=1257508740       # its `start 2009-11-06 11:59:00 UTC`
K7=00:0f:ea:2c:d5:18
"$V6LAB" run "$ADSL" --out "$work/adsl" >"$work/adsl.txt" 2>&1
echo "  ran: v6lab run $ADSL -> exit $?"
# Seconds from the start of the first frame on lan.pcap matching FILTER.
t_of() { tshark -r "$work/adsl/lan.pcap" -Y "$1" -T fields -e frame.time_epoch 2>/dev/null |
	awk -v s="$ADSL_EPOCH" 'NF { printf "%.6f", $1 - s; exit }'; }
t_lcp_req=$(t_of "lcp && ppp.code == 1 && eth.src == $K7")
t_peer_req=$(t_of "lcp && ppp.code == 1 && eth.dst == $K7")
t_peer_ack=$(t_of "lcp && ppp.code == 2 && eth.dst == $K7")
t_v6_ack=$(t_of "ipv6cp && ppp.code == 2 && eth.dst == $K7")
echo "  tshark, lan.pcap: k7's LCP Conf-Request ${t_lcp_req}s, the peer's ${t_peer_req}s," \
	"its Conf-Ack ${t_peer_ack}s, its IPV6CP Conf-Ack ${t_v6_ack}s"
# Req-Sent, then the peer's request first (Ack-Sent) or its ack first (Ack-Rcvd).
mid=$(awk -v r="$t_peer_req" -v a="$t_peer_ack" 'BEGIN { print (r < a ? "Ack-Sent" : "Ack-Rcvd") }')
piped "$(printf 'n\\n%.0s' $(seq 70))" "$ADSL" --out "$work/o7"
# "STEP TIME PPP-LINE" for each step where k7's ppp line changed.
awk '/^step [0-9]+  t=/ { step = $2; t = substr($3, 3); sub(/s$/, "", t) }
	/^  [^ ]/ { node = $1 }
	node == "k7" && /^    \+ ppp: / { sub(/^    \+ ppp: /, ""); print step, t, $0 }' \
	"$work/out.txt" >"$work/ppp.txt"
echo "  k7's ppp line changed at steps: $(cut -d' ' -f1 "$work/ppp.txt" | tr '\n' ' ')"
lcp_path=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "LCP") s = $(i + 1); sub(/,$/, "", s)
	if (s != last) printf "%s ", s; last = s }' "$work/ppp.txt")
[ "$lcp_path" = "Initial Starting Req-Sent $mid Opened " ] &&
	ok "LCP on k7: $lcp_path(RFC 1661, from the frame order in the capture)" ||
	bad "LCP path on k7" "want: Initial Starting Req-Sent $mid Opened" "got:  $lcp_path"
phases=$(awk '{ s = $4; sub(/,$/, "", s); if (s != last) printf "%s ", s; last = s }' "$work/ppp.txt")
[ "$phases" = "Dead Establish Authenticate Network " ] &&
	ok "ppp(8)'s phases on k7: $phases" || bad "ppp phases" "got: $phases"
req_step=$(awk '/LCP Req-Sent/ { print $1, $2; exit }' "$work/ppp.txt")
[ "${req_step#* }" = "$t_lcp_req" ] && screen_of "${req_step% *}" | sed -n 2p | grep -q 'LCP, Conf-Request' &&
	ok "LCP Req-Sent at step ${req_step% *}, the frame of k7's Conf-Request (t=${t_lcp_req}s as tshark reads it)" ||
	bad "LCP Req-Sent step" "want t=$t_lcp_req, got step/time: $req_step"
# IPV6CP opens when the peer's ack reaches k7: the first step at or after
# the frame's time plus the link delay, and not the step before it.
want_v6=$(awk -v a="$t_v6_ack" '/^step [0-9]+  t=/ { t = substr($3, 3); sub(/s$/, "", t)
	if (t + 0 >= a + 0.00005) { print $2; exit } }' "$work/out.txt")
got_v6=$(awk '/IPV6CP Opened/ { print $1; exit }' "$work/ppp.txt")
[ -n "$want_v6" ] && [ "$got_v6" = "$want_v6" ] &&
	ok "IPV6CP Opened at step $got_v6, the first after the peer's Conf-Ack (${t_v6_ack}s) reached k7" ||
	bad "IPV6CP Opened step" "want step $want_v6, got step $got_v6"
has_line "all of PPP up" "    + ppp: phase Network, LCP Opened, IPCP Opened, IPV6CP Opened"
sed -n '/^--- end of the run: /,$p' "$work/out.txt" | tail -n +2 >"$work/tail7.txt"
cmp -s "$work/tail7.txt" "$work/adsl.txt" && ok "internode-adsl: stepping changes nothing (transcript and verdicts as v6lab run)" ||
	bad "internode-adsl under --step differs from run" "$(diff "$work/adsl.txt" "$work/tail7.txt" | head -5)"

# telnet-rompager: nat6to4d's session as `nat6to4ctl show sessions` prints
# it in the saved transcript (the countdown left out).
TR=scenarios/telnet-rompager.scn
piped "$(printf 'n\\n%.0s' $(seq 200))" "$TR" --out "$work/o8"
has_line "nat6to4d starts with no session" "    + nat6to4d: 0 sessions"
saved=$(awk '/^Proto +IPv6 endpoint/ { getline; print $1, $2, $3, $4, $5; exit }' captures/telnet-rompager/transcript.txt)
for state in V6_INIT ESTABLISHED; do
	has_line "the telnet's session, $state" "    + nat6to4d: session ${saved% *} $state"
done
has_line "the session at its last state, as the saved transcript shows" "    + nat6to4d: session $saved"
sed -n '/^--- end of the run: /,$p' "$work/out.txt" | tail -n +2 >"$work/tail8.txt"
"$V6LAB" run "$TR" --out "$work/tr" >"$work/tr.txt" 2>&1
cmp -s "$work/tail8.txt" "$work/tr.txt" && ok "telnet-rompager: stepping changes nothing (as v6lab run)" ||
	bad "telnet-rompager under --step differs from run" "$(diff "$work/tr.txt" "$work/tail8.txt" | head -5)"

# ---- tmux: a real terminal -------------------------------------------------

# Poll the pane until every PATTERN (fixed strings) is on it; 10 s at most.
pane() { tm capture-pane -p -t step; }
wait_for() {
	local i p all
	for ((i = 0; i < 200; i++)); do
		all=1
		for p in "$@"; do pane | grep -qF -- "$p" || { all=0; break; }; done
		[ $all = 1 ] && return 0
		sleep 0.05
	done
	return 1
}
# Send keys and say what was sent; seen() says what the pane shows now.
key() { echo "  sent: tmux send-keys $*"; tm send-keys -t step "$@"; }
seen() { echo "  pane: $(pane | grep -m1 '^step ' || echo '(no step header)') ... last line: $(pane | grep -v '^ *$' | tail -1)"; }
STATUS='[n]ext [b]ack [c]ontinue [q]uit [?]help'

if ! command -v tmux >/dev/null; then
	bad "tmux is not installed (scripts/deps.sh installs it)"
else
	tm -f /dev/null new-session -d -s step -x 160 -y 100 "env -i PATH=$PATH TERM=screen PS1='steptest\$ ' bash --norc --noprofile"
	wait_for 'steptest$' || bad "tmux shell did not start" "$(pane)"
	key "cd $PWD && $V6LAB run --step $SCN --out $work/t1" Enter
	if wait_for 'step 1  t=' 'Hop Limit: 255' "$STATUS"; then
		seen
		p=$(pane)
		grep -qxF '    Source Address: ::' <<<"$p" && grep -qxF '    Type: 135 (Neighbor Solicitation)' <<<"$p" &&
			ok "tmux: step 1 on screen with Hop Limit 255, source ::, type 135" ||
			bad "tmux: step 1 fields" "$p"
	else
		bad "tmux: no step 1 screen" "$(pane | head -20)"
	fi
	key n
	wait_for 'step 2  t=' "$STATUS"; seen
	wait_for 'step 2  t=' "$STATUS" && ! pane | grep -q '^step 1 ' &&
		ok "tmux: n (one key, no Enter) shows step 2 on a cleared screen" || bad "tmux: n" "$(pane | head -5)"
	s2=$(pane)
	key n
	wait_for 'step 3  t=' "$STATUS"; seen
	wait_for 'step 3  t=' "$STATUS" && ok "tmux: n shows step 3" || bad "tmux: step 3" "$(pane | head -5)"
	key b
	wait_for 'step 2  t=' "$STATUS"; seen
	[ "$(pane)" = "$s2" ] && ok "tmux: b shows step 2 again, the same screen" ||
		bad "tmux: b, step 2 differs" "$(diff <(echo "$s2") <(pane) | head -8)"
	key n n n
	wait_for 'step 5  t=' "$STATUS"; seen
	wait_for 'step 5  t=' "$STATUS" && pane | grep -qxF '    - em0: inet6 fe80::20c:86ff:fe75:241b%em0 prefixlen 64 tentative' &&
		ok "tmux: step 5 shows jail's link-local address leaving tentative" || bad "tmux: step 5" "$(pane | tail -12)"
	key c
	wait_for 'step 7  t=' "$STATUS"; seen
	wait_for 'step 7  t=5.000000s  k7# ping6 -c 1 2001:df0:9::ca53:b0f8' "$STATUS" &&
		ok "tmux: c jumps to the ping6 at 5 s (step 7)" || bad "tmux: c" "$(pane | head -5)"
	key n
	wait_for 'step 8  t=' "$STATUS"; seen
	wait_for 'step 8  t=' 'lladdr (incomplete) INCOMPLETE' "$STATUS" &&
		ok "tmux: step 8 shows k7's INCOMPLETE neighbor cache entry" || bad "tmux: step 8" "$(pane | tail -8)"
	key '?'
	wait_for 'keys:' 'b, left arrow' && ok "tmux: ? shows the key help" || bad "tmux: ?" "$(pane | tail -8)"
	key q
	wait_for 'steptest$'; seen
	running=$(wait_for 'steptest$' && tm display-message -p -t step '#{pane_current_command}')
	[ "$running" = bash ] && ok "tmux: q quits, the shell prompt is back (pane runs $running)" ||
		bad "tmux: q" "pane runs $running" "$(pane | tail -5)"
	# Echo and line editing are back: stty shows "echo" and "icanon", not "-echo".
	modes='echo modes=$(stty -a | tr " ;" "\n\n" | grep -cx -e echo -e icanon)'
	key "$modes" Enter
	wait_for 'modes=2' && ok "tmux: terminal restored (stty: echo icanon)" ||
		bad "tmux: terminal not restored" "$(pane | tail -5)"
	# Ctrl-C at a pause: the terminal mode comes back too.
	key clear Enter
	key "$V6LAB run --step $SCN --out $work/t2" Enter
	wait_for 'step 1  t=' "$STATUS"; seen
	key C-c
	running=$(wait_for 'steptest$' && tm display-message -p -t step '#{pane_current_command}')
	seen
	key clear Enter
	key "$modes" Enter
	[ "$running" = bash ] && wait_for 'modes=2' &&
		ok "tmux: Ctrl-C stops it and the terminal is restored (echo, canonical input)" ||
		bad "tmux: Ctrl-C" "pane runs $running" "$(pane | tail -5)"
fi

# The state heading says since when: a frame is shown as it leaves, so what
# its arrival changed shows at the next step, under "since step N (t=...)".
heads=$(printf 'n\nq\n' | "$V6LAB" run --step scenarios/nd-no-arp.scn 2>&1 | grep '^node states that changed')
echo "     ran: printf 'n\\nq\\n' | v6lab run --step scenarios/nd-no-arp.scn; headings: $(tr '\n' '|' <<<"$heads")"
if [ "$heads" = "node states that changed:
node states that changed since step 1 (t=0.173000s):" ]; then
	ok "state headings: step 1 from the start, step 2 since step 1 at its time"
else
	bad "state headings" "$heads"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
