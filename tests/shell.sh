#!/usr/bin/env bash
# v6lab shell: scripts piped into it on scenarios/lan-ping6.scn and
# scenarios/internode-adsl.scn, their output checked line by line; the
# frames its tcpdump shows compared with what the real tcpdump prints for
# the same frames written with -w; and one session typed into a terminal
# through tmux. Run by `make check`. Last line: "N passed, M failed"; the
# exit status is non-zero when anything failed.
#
# Expected lines come from outside the shell: FreeBSD's ping6/ifconfig
# output as the scenarios' own expectations state it, the scenarios'
# start dates, tcpdump 4.99's decoding, libpcap's error text.
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C TZ=UTC

V6LAB=${V6LAB:-$PWD/bin/v6lab}
LAN=$PWD/scenarios/lan-ping6.scn
ADSL=$PWD/scenarios/internode-adsl.scn
tmp=$(mktemp -d "${TMPDIR:-/tmp}/v6lab-shell.XXXXXX")
tmux_sock="v6lab-shell-test-$$"
cleanup() {
	tmux -L "$tmux_sock" kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$tmux_sock" # kill-server leaves it
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" # tcpdump -w writes here

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
not_ok() {
	fail=$((fail + 1))
	echo "FAIL $1"
	shift
	for line in "$@"; do printf '       %s\n' "$line"; done
}

# session NAME SCENARIO [OPTIONS...] <<< SCRIPT: the shell's stdout in
# $tmp/NAME.out, its status in $rc.
session() {
	local name=$1
	shift
	"$V6LAB" shell "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	echo "     ran: v6lab shell $(basename "$1") ${*:2} < $name script (exit $rc)"
}
# has NAME-of-check FILE LINE: LINE is a whole line of FILE.
has() {
	if grep -qxF -- "$3" "$2"; then ok "$1: saw '$3'"; else
		not_ok "$1" "no line '$3' in $(basename "$2"); it has:" "$(head -c 1500 "$2")"; fi
}
# has_re NAME FILE REGEX: a line matches the extended regex.
has_re() {
	local line
	if line=$(grep -m1 -E -- "$3" "$2"); then ok "$1: saw '$line'"; else
		not_ok "$1" "no line matching /$3/ in $(basename "$2"); it has:" "$(head -c 1500 "$2")"; fi
}
# in_order NAME FILE LINE1 LINE2: both present, LINE1 first.
in_order() {
	local a b
	a=$(grep -nxF -- "$3" "$2" | head -1 | cut -d: -f1)
	b=$(grep -nxF -- "$4" "$2" | tail -1 | cut -d: -f1)
	if [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]; then ok "$1: line $a before line $b"; else
		not_ok "$1" "'$3' (line ${a:-none}) should come before '$4' (line ${b:-none})"; fi
}

[ -x "$V6LAB" ] || { echo "shell.sh: $V6LAB missing; run 'make all'"; echo "0 passed, 1 failed"; exit 1; }

# ---- lan-ping6: a piped session ------------------------------------------
lan_script="time
a1
wait 10s
time
ifconfig em0
wait 1s
ping6 -c 2 2001:df0:9:b:20c:86ff:fe75:241b
tcpdump -i em0 -c 3 icmp6
tcpdump -i em0 -c 3 -w WFILE icmp6
b1
node nosuch
tcpdump -i em0 'icmp6 and'
ping7 -c 1 ::1"
session lan "$LAN" <<<"$lan_script"
out=$tmp/lan.out
if [ "$rc" -eq 0 ]; then ok "end of input: exit status 0"; else
	not_ok "end of input: exit status $rc" "$(cat "$tmp/lan.err")"; fi
has "banner names the scenario" "$out" "v6lab shell on $LAN (seed 20080503)"
has "banner lists gw's interfaces and links" "$out" "  gw   freebsd  em0 (lanA) em1 (lanB)"
# Piped: each line echoed after the prompt of the node it runs on.
has "starts on the first node" "$out" "gw# time"
has "time at the start" "$out" "virtual time 0s: Sat May  3 09:00:00 UTC 2008"
has "switching nodes changes the prompt" "$out" "a1# wait 10s"
has "wait 10s advances time" "$out" "virtual time 10s: Sat May  3 09:00:10 UTC 2008"
in_order "time 0s comes before time 10s" "$out" "virtual time 0s: Sat May  3 09:00:00 UTC 2008" \
	"virtual time 10s: Sat May  3 09:00:10 UTC 2008"
# The scenario's timeline happened while waiting, with its prompts.
has "timeline command shown with its node's prompt" "$out" "gw# sysctl net.inet6.ip6.forwarding=1"
has "timeline command's output" "$out" "net.inet6.ip6.forwarding: 0 -> 1"
# ifconfig em0 on a1 after SLAAC (addresses as lan-ping6.scn expects them).
has "ifconfig em0: flags line" "$out" "em0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500"
has "ifconfig em0: ether" "$out" "	ether 00:0f:ea:2c:d5:18"
has "ifconfig em0: SLAAC address" "$out" "	inet6 2001:df0:9:a:20f:eaff:fe2c:d518 prefixlen 64 autoconf "
has "ifconfig em0: link-local" "$out" "	inet6 fe80::20f:eaff:fe2c:d518%em0 prefixlen 64 scopeid 0x1 "
# Across the router: hlim 63 (b1 sent 64, gw forwarded it).
has_re "ping6 reply through the router, hlim 63" "$out" \
	'^16 bytes from 2001:df0:9:b:20c:86ff:fe75:241b, icmp_seq=0 hlim=63 time=[0-9.]+ ms$'
has "ping6 waited for its statistics" "$out" "2 packets transmitted, 2 packets received, 0.0% packet loss"
has_re "tcpdump header" "$out" \
	'^reading from em0 \(link lanA: [0-9]+ frames so far\), link-type EN10MB \(Ethernet\)$'
has "tcpdump -c 3: three packets" "$out" "3 packets shown"
# seq 1's request and reply are among the last ICMPv6 frames on lanA.
has_re "tcpdump: echo request one-liner" "$out" \
	'^09:00:1[1-3]\.[0-9]{6} IP6 2001:df0:9:a:20f:eaff:fe2c:d518 > 2001:df0:9:b:20c:86ff:fe75:241b: ICMP6, echo request, id [0-9]+, seq 1, length 16$'
has_re "tcpdump: echo reply one-liner" "$out" \
	'^09:00:1[1-3]\.[0-9]{6} IP6 2001:df0:9:b:20c:86ff:fe75:241b > 2001:df0:9:a:20f:eaff:fe2c:d518: ICMP6, echo reply, id [0-9]+, seq 1, length 16$'
has "tcpdump -w writes the same frames" "$out" "3 packets written to WFILE"
# What the real tcpdump prints for the frames -w wrote must be the lines the
# shell printed (same time stamps, same text).
mine=$(grep -A4 -xF "a1# tcpdump -i em0 -c 3 icmp6" "$out" | sed -n 3,5p)
theirs=$(tcpdump -n -r WFILE 2>/dev/null)
if [ -n "$theirs" ] && [ "$mine" = "$theirs" ]; then ok "tcpdump -n -r of the -w file prints the shell's 3 lines"; else
	not_ok "tcpdump -n -r of the -w file differs from the shell's lines" "shell:" "$mine" "tcpdump:" "$theirs"; fi
has "b1 is now current" "$out" "b1# node nosuch"
has "unknown node: error naming the nodes" "$out" "nosuch: no such node; the nodes: gw a1 a2 b1"
has "filter that does not compile: libpcap's message" "$out" "tcpdump: can't parse filter expression: syntax error"
has "unknown command: the node's own error" "$out" "ping7: Command not found."

# The same script twice more: byte-identical (virtual time only).
session lan2 "$LAN" <<<"$lan_script"
session lan3 "$LAN" <<<"$lan_script"
if cmp -s "$tmp/lan2.out" "$tmp/lan3.out" && [ -s "$tmp/lan2.out" ]; then
	ok "two runs of one script: identical output ($(wc -l <"$tmp/lan2.out") lines)"; else
	not_ok "two runs of one script differ" "$(diff "$tmp/lan2.out" "$tmp/lan3.out" | head -10)"; fi

# ---- internode-adsl: after PPP is up (--at 30s) --------------------------
session adsl "$ADSL" --at 30s <<'EOF'
ifconfig tun0
tcpdump -i sk0 -c 1 icmp6 and ip6[40] == 133 and ether src 00:0f:ea:2c:d5:18
wait 15s
ping6 -c 1 2001:4f8:fff6::21
tcpdump -i tun0
quit
ifconfig tun0
EOF
out=$tmp/adsl.out
[ "$rc" -eq 0 ] && ok "quit: exit status 0" || not_ok "quit: exit status $rc" "$(cat "$tmp/adsl.err")"
has "--at 30s shows what happened first" "$out" "running the scenario to 30s:"
has "...ppp's dial" "$out" "ppp ON k7> dial"
has "banner time after --at" "$out" "virtual time 30s: Fri Nov  6 11:59:30 UTC 2009"
has "banner lists k7's tun0" "$out" "  k7      freebsd  sk0 (lan) plip0 (lpt) lo0 (loop) tun0"
has "prompt of k7" "$out" "k7# ifconfig tun0"
has "ifconfig tun0: flags and MTU 1492" "$out" "tun0: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> metric 0 mtu 1492"
has "ifconfig tun0: IPV6CP link-local" "$out" "	inet6 fe80::20f:eaff:fe2c:d518%tun0 prefixlen 64 scopeid 0x4 "
has_re "tcpdump on sk0: router solicitation one-liner" "$out" \
	'^11:59:[0-9]{2}\.[0-9]{6} IP6 fe80::20f:eaff:fe2c:d518 > ff02::2: ICMP6, router solicitation, length 16$'
has "wait 15s: dhcp6c started by the timeline" "$out" "k7# dhcp6c -f -d tun0"
has "wait 15s: sk0 got the delegated /64" "$out" "	inet6 2001:44b8:7bf1:a51:20f:eaff:fe2c:d518 prefixlen 64 "
has_re "ping6 to www.isc.org: hlim 56 after 8 routers" "$out" \
	'^16 bytes from 2001:4f8:fff6::21, icmp_seq=0 hlim=56 time=[0-9.]+ ms$'
has "tcpdump on a tunnel: a clear error" "$out" \
	"tcpdump: tun0 has no link of its own (a tunnel): its packets are on the link that carries them"
if [ "$(tail -1 "$out")" = "k7# quit" ]; then ok "nothing runs after quit: the last line is 'k7# quit'"; else
	not_ok "lines after quit ran" "$(tail -5 "$out")"; fi

# ---- bad command lines and scenarios -------------------------------------
"$V6LAB" shell >/dev/null 2>"$tmp/e1"; rc=$?
[ "$rc" -eq 2 ] && grep -qF "v6lab shell: missing scenario file" "$tmp/e1" \
	&& ok "no scenario: exit 2, '$(head -1 "$tmp/e1")'" || not_ok "no scenario: exit $rc" "$(cat "$tmp/e1")"
"$V6LAB" shell "$LAN" --at soon </dev/null >/dev/null 2>"$tmp/e2"; rc=$?
[ "$rc" -eq 2 ] && grep -qF "invalid time 'soon'" "$tmp/e2" \
	&& ok "bad --at: exit 2, '$(head -1 "$tmp/e2")'" || not_ok "bad --at: exit $rc" "$(cat "$tmp/e2")"
printf 'node a freebsd\nnode b freebsd\nlink l ethernet a:em0 c:em0\n' >"$tmp/bad.scn"
"$V6LAB" shell "$tmp/bad.scn" </dev/null >/dev/null 2>"$tmp/e3"; rc=$?
[ "$rc" -eq 2 ] && grep -qE "bad.scn:3:[0-9]+: " "$tmp/e3" \
	&& ok "invalid scenario: exit 2, '$(head -1 "$tmp/e3")'" || not_ok "invalid scenario: exit $rc" "$(cat "$tmp/e3")"

# ---- a terminal: typed into tmux -----------------------------------------
# wait_pane TEXT: poll the pane (10 s at most) until it shows TEXT and the
# shell waits at a prompt again (its last line "NODE#": capture-pane drops
# the blank after it).
pane() { tmux -L "$tmux_sock" capture-pane -p -t sh >"$tmp/pane" 2>/dev/null; }
wait_pane() {
	for _ in $(seq 100); do
		pane
		if grep -qF -- "$1" "$tmp/pane" &&
			grep -v '^$' "$tmp/pane" | tail -1 | grep -qxE '[a-z0-9]+#|shell exited [0-9]+'; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}
# type LINE: send it and Enter, as a student would.
type_line() { tmux -L "$tmux_sock" send-keys -t sh -l "$1" && tmux -L "$tmux_sock" send-keys -t sh Enter; }
if ! command -v tmux >/dev/null; then
	not_ok "tmux missing (scripts/deps.sh installs it)"
else
	tmux -L "$tmux_sock" new-session -d -s sh -x 160 -y 50 \
		"'$V6LAB' shell '$LAN'; echo \"shell exited \$?\"; sleep 30"
	echo "     ran: tmux new-session v6lab shell lan-ping6.scn; typed a1, wait 12s, ping6 -c 1 ..., quit"
	if wait_pane "help"; then ok "terminal: the banner, then the prompt 'gw# '"; else
		not_ok "terminal: no prompt" "$(cat "$tmp/pane")"; fi
	type_line "a1"
	# The next line only once the shell is reading again (no type-ahead).
	wait_pane "gw# a1" && grep -v '^$' "$tmp/pane" | tail -1 | grep -qx 'a1#' ||
		not_ok "terminal: no 'a1#' prompt after 'a1'" "$(cat "$tmp/pane")"
	type_line "wait 12s"
	if wait_pane "a1# wait 12s"; then ok "terminal: 'a1' switched the prompt: 'a1# wait 12s'"; else
		not_ok "terminal: no 'a1# wait 12s'" "$(cat "$tmp/pane")"; fi
	type_line "ping6 -c 1 2001:df0:9:b:20c:86ff:fe75:241b"
	if wait_pane "1 packets transmitted, 1 packets received"; then
		ok "terminal: ping6 ran to its statistics, the prompt came back"; else
		not_ok "terminal: ping6 output missing" "$(cat "$tmp/pane")"; fi
	# Typed lines are echoed by the terminal only: once each.
	n=$(grep -c "^a1# ping6 -c 1 2001:df0:9:b:20c:86ff:fe75:241b$" "$tmp/pane")
	[ "$n" -eq 1 ] && ok "terminal: the typed command shows once, after its prompt" ||
		not_ok "terminal: typed command shows $n times" "$(cat "$tmp/pane")"
	# A ping6 without -c runs on; Ctrl-C at the prompt stops it (its
	# statistics), and the shell goes on.
	type_line "ping6 fe80::20f:eaff:fe2c:d519%em0"
	if wait_pane "(still running after 60s of virtual time"; then
		ok "terminal: ping6 without -c still runs after the 60s bound"; else
		not_ok "terminal: no 'still running'" "$(cat "$tmp/pane")"; fi
	tmux -L "$tmux_sock" send-keys -t sh C-c
	if wait_pane "--- fe80::20f:eaff:fe2c:d519%em0 ping6 statistics ---"; then
		ok "terminal: Ctrl-C stopped the ping6, the shell is still there"; else
		not_ok "terminal: Ctrl-C did not stop ping6" "$(cat "$tmp/pane")"; fi
	type_line "quit"
	if wait_pane "shell exited 0"; then ok "terminal: quit exits 0"; else
		not_ok "terminal: quit did not exit 0" "$(cat "$tmp/pane")"; fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
