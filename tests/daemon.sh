#!/usr/bin/env bash
# nat6to4d and nat6to4ctl for real, as root, inside a network namespace this
# script creates (and removes whatever happens): all traffic stays in it.
#   - a bad configuration is refused with file:line:col and exit status 2;
#   - show config / counters / sessions answer; the worker runs as `nobody`;
#   - ping -6 through the daemon's TUN device makes a session;
#   - SIGHUP reloads a changed file and keeps the session; a bad file on
#     SIGHUP is refused with its file:line:col and the old one stays;
#   - malformed packets written into the TUN device (AF_PACKET, from the
#     namespace side) are counted by reason and the daemon survives;
#   - a second daemon on the same control socket is refused;
#   - without -f it detaches and writes its pidfile;
#   - SIGTERM exits 0 and removes the control socket and the pidfile.
# Each check prints what it ran and what it saw. Last line: "N passed, M failed".
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C
D=${NAT6TO4D:-$PWD/bin/nat6to4d}     # NAT6TO4D=... to test another build
C=${NAT6TO4CTL:-$PWD/bin/nat6to4ctl}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
not_ok() {
	fail=$((fail + 1))
	echo "FAIL $1"
	shift
	for line in "$@"; do printf '       %s\n' "$line"; done
}
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }

if [ "$(id -u)" -ne 0 ]; then
	not_ok "tests/daemon.sh needs root (network namespaces, TUN); CI runs make check as root"
	finish
fi
for tool in "$D" "$C"; do
	[ -x "$tool" ] || { not_ok "$tool missing; run 'make all'"; finish; }
done

ns=n64d-$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nat6to4d-test.XXXXXX")
chmod 755 "$tmp"          # the worker (nobody) rereads the file on SIGHUP
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	# A detached daemon whose pid the test never learnt: it still names our file.
	pkill -f -- "-c $tmp/" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
nsx() { ip netns exec "$ns" "$@"; }
ip netns add "$ns" || { not_ok "ip netns add $ns"; finish; }
nsx ip link set lo up

SOCK=$tmp/ctl.sock
PIDF=$tmp/nat6to4d.pid
CONF=$tmp/nat6to4.conf
write_conf() { # ICMP-TIMEOUT [EXTRA LINE]
	cat >"$CONF" <<CONF
# tests/daemon.sh
prefix 2001:db8:64::/96
pool4 198.18.0.1
timeout icmp $1
tun-device n64t
user nobody
control-socket $SOCK
pidfile $PIDF
${2:-}
CONF
	chmod 644 "$CONF"
}
# wait_for CMD...: retry up to 5 s (a wait, not a timing assertion).
wait_for() { for _ in $(seq 50); do "$@" && return 0; sleep 0.1; done; return 1; }
ctl() { nsx "$C" -s "$SOCK" "$@"; }

# ---- bad configurations: refused before anything is opened ----------------
refuse() { # NAME TEXT EXPECTED-MESSAGE
	printf '%s' "$2" >"$tmp/bad.conf"
	nsx "$D" -c "$tmp/bad.conf" -f >"$tmp/out" 2>"$tmp/err"
	rc=$?
	echo "     ran: nat6to4d -c bad.conf -f  ($1); exit $rc; stderr: $(head -c 300 "$tmp/err")"
	if [ "$rc" -eq 2 ] && [ "$(cat "$tmp/err")" = "nat6to4d: $tmp/bad.conf:$3" ]; then
		ok "bad config refused: $1"
	else
		not_ok "bad config refused: $1" "want exit 2 and: nat6to4d: $tmp/bad.conf:$3"
	fi
}
refuse "core directive" $'prefix 2001:db8:64::/96\npool4 198.18.0.1\nmtu6 12\n' \
	"3:6: mtu6 12 is out of range (1280-65535)"
refuse "daemon directive" $'prefix 2001:db8:64::/96\npool4 198.18.0.1\n  tun-device abcdefghijklmnop\n' \
	"3:3: tun-device name 'abcdefghijklmnop' is longer than 15 characters"
refuse "unknown user" $'prefix 2001:db8:64::/96\npool4 198.18.0.1\nuser no-such-user-n64\n' \
	"3:1: unknown user 'no-such-user-n64'"
nsx "$D" -c "$tmp/none.conf" -f 2>"$tmp/err"
rc=$?
echo "     ran: nat6to4d -c none.conf -f; exit $rc; stderr: $(cat "$tmp/err")"
if [ "$rc" -eq 2 ] && grep -qF "none.conf: cannot open: No such file or directory" "$tmp/err"; then
	ok "missing config refused"
else not_ok "missing config refused"; fi
if nsx ip link show n64t >/dev/null 2>&1; then not_ok "a refused start left no TUN device"
else ok "a refused start left no TUN device"; fi

# ---- start ------------------------------------------------------------------
write_conf 60
ip netns exec "$ns" "$D" -c "$CONF" -f -d 2>"$tmp/log" &
daemon=$!
pids+=("$daemon")
if wait_for test -S "$SOCK"; then ok "daemon started, control socket $SOCK exists"
else not_ok "daemon started" "log: $(cat "$tmp/log")"; finish; fi
worker=$(tr -d ' ' </proc/"$daemon"/task/"$daemon"/children)
echo "     supervisor pid $daemon ($(awk '/^Uid/ {print "uid " $2}' /proc/$daemon/status)), worker pid $worker"
uid_line=$(grep '^Uid:' /proc/"$worker"/status 2>/dev/null | tr -s '\t ' ' ')
gid_line=$(grep '^Gid:' /proc/"$worker"/status 2>/dev/null | tr -s '\t ' ' ')
want_uid=$(id -u nobody) want_gid=$(id -g nobody)
echo "     /proc/$worker/status: $uid_line / $gid_line"
if [ "$uid_line" = "Uid: $want_uid $want_uid $want_uid $want_uid" ] &&
	[ "$gid_line" = "Gid: $want_gid $want_gid $want_gid $want_gid" ]; then
	ok "worker runs as nobody (real, effective, saved, fs uid and gid)"
else not_ok "worker runs as nobody" "want uid/gid $want_uid/$want_gid"; fi
if [ "$(cat "$PIDF" 2>/dev/null)" = "$daemon" ]; then ok "pidfile holds pid $daemon"
else not_ok "pidfile holds pid $daemon" "got: $(cat "$PIDF" 2>&1)"; fi

ctl show config >"$tmp/config" 2>&1
echo "     ran: nat6to4ctl show config; saw $(wc -l <"$tmp/config") lines: $(grep -E 'timeout icmp|tun-device' "$tmp/config" | tr '\n' ' ')"
if grep -qx "timeout icmp 60" "$tmp/config" && grep -qx "tun-device n64t" "$tmp/config" &&
	grep -qx "pool4 198.18.0.1 ports 1024-65535" "$tmp/config"; then ok "show config"
else not_ok "show config" "$(cat "$tmp/config")"; fi
ctl show counters >"$tmp/counters" 2>&1
echo "     ran: nat6to4ctl show counters; first line: $(head -1 "$tmp/counters" | tr -s ' ')"
if [ "$(head -1 "$tmp/counters" | tr -s ' ')" = "reason 6to4 4to6" ] &&
	grep -qE '^bad-version +0 +0$' "$tmp/counters"; then ok "show counters"
else not_ok "show counters" "$(cat "$tmp/counters")"; fi
ctl show sessions >"$tmp/sessions" 2>&1
echo "     ran: nat6to4ctl show sessions; last line: $(tail -1 "$tmp/sessions")"
if [ "$(tail -1 "$tmp/sessions")" = "0 sessions" ]; then ok "show sessions (none yet)"
else not_ok "show sessions (none yet)" "$(cat "$tmp/sessions")"; fi

# ---- traffic: the namespace pings 192.0.2.1 (on its lo) through the daemon --
nsx ip link set n64t up
nsx ip -6 addr add 2001:db8:1::1/128 dev lo nodad
nsx ip addr add 192.0.2.1/32 dev lo
nsx ip -6 route add 2001:db8:64::/96 dev n64t
nsx ip route add 198.18.0.0/16 dev n64t
nsx ping -6 -c 3 -i 0.2 -W 2 2001:db8:64::c000:201 >"$tmp/ping" 2>&1
echo "     ran: ping -6 -c 3 2001:db8:64::c000:201; saw: $(grep 'packets transmitted' "$tmp/ping")"
if grep -q ' 3 received' "$tmp/ping"; then ok "ping -6 through nat6to4d (192.0.2.1 as 2001:db8:64::c000:201)"
else not_ok "ping -6 through nat6to4d" "$(cat "$tmp/ping")"; fi
ctl show sessions >"$tmp/sessions" 2>&1
session=$(grep '^icmp ' "$tmp/sessions" | tr -s ' ')
echo "     ran: nat6to4ctl show sessions; saw: $session"
case "$session" in
"icmp 2001:db8:1::1 "*" 198.18.0.1 "*" 192.0.2.1 0 2001:db8:64::c000:201 ICMP "*)
	ok "show sessions lists the ping's session" ;;
*) not_ok "show sessions lists the ping's session" "$(cat "$tmp/sessions")" ;;
esac
if grep -qF "6to4 2001:db8:1::1 > 2001:db8:64::c000:201 proto 58 len 104: translated (ok)" "$tmp/log" &&
	grep -qF "4to6 192.0.2.1 > 198.18.0.1 proto 1 len 84: translated (ok)" "$tmp/log"; then
	ok "-d logs one line per packet with its verdict"
else not_ok "-d logs one line per packet" "$(tail -5 "$tmp/log")"; fi

# ---- SIGHUP: a changed file is reloaded and the session kept ----------------
write_conf 45
kill -HUP "$daemon"
has_icmp45() { ctl show config 2>/dev/null | grep -qx "timeout icmp 45"; }
if wait_for has_icmp45; then ok "SIGHUP: show config now says timeout icmp 45"
else not_ok "SIGHUP reload" "log: $(tail -3 "$tmp/log")"; fi
echo "     log: $(grep reloaded "$tmp/log")"
if grep -qF "reloaded $CONF: 1 session kept" "$tmp/log"; then ok "SIGHUP: log says 1 session kept"
else not_ok "SIGHUP: log says 1 session kept" "$(tail -3 "$tmp/log")"; fi
after=$(ctl show sessions | grep '^icmp ' | tr -s ' ')
echo "     session after reload: $after"
if [ -n "$after" ] && [ "${after%% ICMP *}" = "${session%% ICMP *}" ]; then
	ok "SIGHUP: the session survived with the same binding"
else not_ok "SIGHUP: the session survived" "before: $session" "after:  $after"; fi

# ---- SIGHUP with a bad file: refused, the old configuration stays -----------
write_conf 30 "bogus-directive 1"
badline=$(grep -n '^bogus-directive' "$CONF" | cut -d: -f1)
kill -HUP "$daemon"
refused() { grep -q "reload refused" "$tmp/log"; }
wait_for refused
msg=$(grep "reload refused" "$tmp/log")
echo "     log: $msg"
if [ "$msg" = "nat6to4d: reload refused, keeping the old configuration: $CONF:$badline:1: unknown directive 'bogus-directive'" ]
then ok "bad file on SIGHUP refused with file:line:col"
else not_ok "bad file on SIGHUP refused with file:line:col"; fi
if has_icmp45; then ok "bad file on SIGHUP: timeout icmp 45 still in force"
else not_ok "bad file on SIGHUP: old configuration kept" "$(ctl show config)"; fi

# ---- malformed packets into the TUN device ----------------------------------
# AF_PACKET/SOCK_RAW on n64t: the bytes are queued to the device as they are
# and the daemon reads them. Perl's Socket (perl-base), no extra package.
inject() { # HEX...
	nsx perl -MSocket -e '
		my $if = shift; open(my $f, "<", "/sys/class/net/$if/ifindex") or die "$if: $!";
		my $idx = <$f>; chomp $idx;
		socket(my $s, 17, SOCK_RAW, 0) or die "AF_PACKET: $!";
		my $sa = pack("S n i S C C a8", 17, 0x86dd, $idx, 0, 0, 0, "");
		for my $h (@ARGV) { send($s, pack("H*", $h), 0, $sa) or die "send: $!"; }' n64t "$@"
}
counter() { # REASON COLUMN(2=6to4,3=4to6)
	ctl show counters | awk -v r="$1" -v c="$2" '$1 == r { print $c }'
}
v6hdr="60000000" ipv6addrs="20010db8000100000000000000000001""20010db8006400000000000000c00002"
declare -A want=(
	[bad-version:2]=1 [truncated:2]=1 [bad-length:2]=1 [bad-ext-header:2]=1
	[bad-ip4-checksum:3]=1 [bad-ip4-header:3]=1
)
declare -A before
for k in "${!want[@]}"; do before[$k]=$(counter "${k%:*}" "${k#*:}"); done
inject \
	"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0011223344556677" \
	"60000000000a" \
	"${v6hdr}03e81140${ipv6addrs}0035003500080000" \
	"${v6hdr}00080040${ipv6addrs}11ff000000000000" \
	"4500001c000040004001ffffc0000201c6120001080000000000000" \
	"4300001c000040004001ffffc0000201c6120001080000000000000" 2>"$tmp/inject.err"
echo "     ran: 6 malformed packets into n64t via AF_PACKET $(cat "$tmp/inject.err")"
got_all() {
	for k in "${!want[@]}"; do
		[ "$(counter "${k%:*}" "${k#*:}")" = "$((before[$k] + want[$k]))" ] || return 1
	done
}
wait_for got_all
for k in "${!want[@]}"; do
	now=$(counter "${k%:*}" "${k#*:}")
	dir=$([ "${k#*:}" = 2 ] && echo 6to4 || echo 4to6)
	if [ "$now" = "$((before[$k] + 1))" ]; then ok "malformed packet counted: ${k%:*} ($dir) ${before[$k]} -> $now"
	else not_ok "malformed packet counted: ${k%:*} ($dir)" "was ${before[$k]}, now $now"; fi
done
# 300 random packets of 1 to 1500 bytes.
junk=()
for _ in $(seq 300); do
	junk+=("$(head -c $((RANDOM % 1500 + 1)) /dev/urandom | od -An -v -tx1 | tr -d ' \n')")
done
reads0=$(counter tun-reads 2)
inject "${junk[@]}" 2>"$tmp/inject.err"
reads_grew() { [ "$(counter tun-reads 2)" -ge $((reads0 + 300)) ]; }
wait_for reads_grew
sum_ok() { # every packet read is counted under exactly one reason
	ctl show counters | awk '
		NR > 1 && NF == 3 && $1 != "emitted" { s += $2 + $3 }
		$1 == "tun-reads" { r = $2 }
		END { print s " " r; exit !(s == r) }'
}
sums=$(sum_ok)
echo "     ran: 300 random packets into n64t; counted/tun-reads: $sums; tun-reads was $reads0"
if reads_grew && sum_ok >/dev/null; then ok "random junk: every packet read is counted under one reason"
else not_ok "random junk counted" "$(cat "$tmp/inject.err")"; fi
if kill -0 "$daemon" 2>/dev/null && kill -0 "$worker" 2>/dev/null; then ok "daemon survived the junk"
else not_ok "daemon survived the junk" "$(tail -5 "$tmp/log")"; fi
nsx ping -6 -c 1 -W 2 2001:db8:64::c000:201 >"$tmp/ping" 2>&1
if grep -q ' 1 received' "$tmp/ping"; then ok "ping -6 still answered after the junk"
else not_ok "ping -6 still answered after the junk" "$(cat "$tmp/ping")"; fi

# ---- the control protocol and a second daemon -------------------------------
answer=$(nsx perl -MIO::Socket::UNIX -e '
	my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "$!"; print $s "bogus\n";
	print while <$s>;' "$SOCK")
echo "     sent 'bogus' to the socket; answer: $answer"
case "$answer" in "error: unknown command 'bogus'"*) ok "unknown command answered with error:" ;;
*) not_ok "unknown command answered with error:" ;; esac
ctl show nothing 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ]; then ok "nat6to4ctl show nothing: usage, exit 2"
else not_ok "nat6to4ctl show nothing: exit $rc" "$(cat "$tmp/err")"; fi
sed 's/^tun-device n64t/tun-device n64u/; s/^timeout icmp.*//; s/^bogus.*//' "$CONF" >"$tmp/second.conf"
nsx "$D" -c "$tmp/second.conf" -f 2>"$tmp/err"
rc=$?
echo "     ran: a second nat6to4d on the same control socket; exit $rc: $(cat "$tmp/err")"
if [ "$rc" -eq 1 ] && grep -qF "control-socket $SOCK: another daemon is answering on it" "$tmp/err" &&
	ctl show counters >/dev/null; then ok "second daemon refused, first still answers"
else not_ok "second daemon refused"; fi

# ---- SIGTERM -------------------------------------------------------------------
kill -TERM "$daemon"
wait "$daemon"
rc=$?
pids=()
echo "     SIGTERM: exit status $rc; log: $(tail -1 "$tmp/log")"
if [ "$rc" -eq 0 ]; then ok "SIGTERM: exit status 0"; else not_ok "SIGTERM: exit status $rc"; fi
if [ ! -e "$SOCK" ] && [ ! -e "$PIDF" ]; then ok "SIGTERM: control socket and pidfile removed"
else not_ok "SIGTERM: control socket and pidfile removed" "$(ls -l "$tmp")"; fi
if ! kill -0 "$worker" 2>/dev/null; then ok "SIGTERM: worker gone"; else not_ok "SIGTERM: worker gone"; fi
ctl show counters 2>"$tmp/err"
rc=$?
echo "     ran: nat6to4ctl show counters with no daemon; exit $rc: $(cat "$tmp/err")"
if [ "$rc" -eq 1 ] && grep -qF "is nat6to4d running?" "$tmp/err"; then ok "nat6to4ctl without a daemon: exit 1"
else not_ok "nat6to4ctl without a daemon"; fi

# ---- without -f: detaches, pidfile, syslog; and `offload no` --------------------
write_conf 60 "offload no"
nsx "$D" -c "$CONF" 2>"$tmp/err"
rc=$?
# The socket is opened before the daemon detaches, the pidfile written
# after: wait for both.
wait_for test -S "$SOCK"
wait_for test -s "$PIDF"
bg=$(cat "$PIDF" 2>/dev/null)
[ -n "$bg" ] && pids+=("$bg")
echo "     ran: nat6to4d -c CONF (no -f); exit $rc, pidfile: ${bg:-none}"
if [ "$rc" -eq 0 ] && [ -n "$bg" ] && kill -0 "$bg" 2>/dev/null && ctl show counters >/dev/null
then ok "without -f: detached, pidfile written, control socket answers"
else not_ok "without -f: detached" "$(cat "$tmp/err")"; fi
# The TUN device is new: its routes went with the old one.
nsx ip link set n64t up
nsx ip -6 route replace 2001:db8:64::/96 dev n64t
nsx ip route replace 198.18.0.0/16 dev n64t
nsx ping -6 -c 2 -i 0.2 -W 2 2001:db8:64::c000:201 >"$tmp/ping" 2>&1
offl=$(ctl show counters 2>/dev/null | awk '$1 == "tun-offloads" { print $2 }')
echo "     ran: ping -6 -c 2 2001:db8:64::c000:201 with 'offload no'; saw: $(grep 'packets transmitted' "$tmp/ping"); tun-offloads $offl"
if grep -q ' 2 received' "$tmp/ping" && [ "$offl" = off ]; then
	ok "offload no: plain TUN packets (no virtio-net header) still translated"
else not_ok "offload no: ping through the daemon" "$(cat "$tmp/ping")"; fi
if [ -n "$bg" ]; then
	kill -TERM "$bg"
	gone() { [ ! -e "$SOCK" ] && ! kill -0 "$bg" 2>/dev/null; }
	if wait_for gone && [ ! -e "$PIDF" ]; then ok "without -f: SIGTERM cleans up"
	else not_ok "without -f: SIGTERM cleans up"; fi
fi
pids=()
finish
