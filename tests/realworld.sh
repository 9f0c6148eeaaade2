#!/usr/bin/env bash
# tests/realworld.sh — nat6to4d between real programs, in network namespaces.
#
# Builds the namespaces of scripts/nat64-netns.sh (an IPv6-only client, the
# gateway running the translator on a TUN device, an IPv4-only server network
# with a far host behind one more IPv4 router and a 1400-byte MTU link) and
# checks, with real programs from Debian packages:
#   - ping -6 to the server's mapped address, hex and decimal forms;
#   - curl -6 and telnet to a real HTTP server (bin/rompager-httpd) that
#     answers with the seed's RomPager headers; a 10 MB download whose
#     SHA-256 is the same on both sides;
#   - a DNS query (dig) answered by dnsmasq on the IPv4 side;
#   - traceroute6 shows the IPv4 router hop as its mapped address (ICMP Time
#     Exceeded translated); ping -M do through the 1400-byte link gets Packet
#     Too Big and the client's route MTU drops;
#   - the HTTP and DNS servers saw every client as the pool4 address.
# Each check prints the command it ran and what it saw. Everything runs inside
# namespaces this test creates and removes (trap), whatever happens.
#
# REALWORLD_TRANSLATOR=tayga runs the same checks against tayga (which has no
# decimal prefix: that check is expected to fail there).
set -uo pipefail
cd "$(dirname "$0")/.."

TRANSLATOR=${REALWORLD_TRANSLATOR:-nat6to4d}
pass=0
fail=0

if [ "$(id -u)" -ne 0 ]; then
	echo "realworld: needs root (network namespaces, veth, TUN); CI runs make check as root"
	echo "0 passed, 1 failed"
	exit 1
fi

ok() { echo "  PASS: $*"; pass=$((pass + 1)); }
bad() { echo "  FAIL: $*"; fail=$((fail + 1)); }
check() { # DESCRIPTION CONDITION-COMMAND...
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
finish() {
	echo
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# Runs CMD in namespace NS, bounded; prints it and what it printed. OUT, RC.
OUT=
RC=0
run() { # NS-LABEL NS SECONDS CMD...
	local label=$1 ns=$2 secs=$3
	shift 3
	echo
	echo "[$label]# $*"
	OUT=$(ip netns exec "$ns" timeout "$secs" "$@" 2>&1)
	RC=$?
	printf '%s\n' "$OUT" | sed 's/^/    | /'
	echo "    (exit $RC)"
}
has() { grep -qE -- "$1" <<<"$OUT"; }

need_programs() {
	local c missing=()
	for c in ip ping curl telnet traceroute6 dnsmasq dig sha256sum ss; do
		command -v "$c" >/dev/null || missing+=("$c")
	done
	[ -x bin/rompager-httpd ] || missing+=(bin/rompager-httpd)
	if [ ${#missing[@]} -gt 0 ]; then
		echo "realworld: missing ${missing[*]} (scripts/deps.sh, make all)"
		return 1
	fi
}

# shellcheck source=../scripts/nat64-netns.sh
. scripts/nat64-netns.sh

if ! need_programs; then
	echo "0 passed, 1 failed"
	exit 1
fi

echo "realworld: translator $TRANSLATOR; namespaces $NS_C (client) $NS_G (gateway) $NS_S (server) $NS_F (far host)"
# Our own control socket (nat6to4ctl below), not the system's /run one.
if ! nat64_setup || ! NAT64_NAT6TO4D_EXTRA="control-socket $NAT64_TMP/nat6to4d.sock" \
	start_translator "$TRANSLATOR"; then
	bad "namespaces and $TRANSLATOR started"
	finish
	exit 1
fi
ok "namespaces built and $TRANSLATOR running on TUN $NAT64_TUN in $NS_G"

# ---- servers on the IPv4 side ------------------------------------------------
BIG=$NAT64_TMP/big.bin
HTTPLOG=$NAT64_TMP/httpd.log
DNSLOG=$NAT64_TMP/dnsmasq.log
head -c $((10 * 1024 * 1024)) /dev/urandom >"$BIG"
nat64_bg "$NS_S" "$NAT64_TMP/httpd.out" bin/rompager-httpd -l "$NAT64_S4" -p 80 \
	-f "$BIG" -u /big.bin -L "$HTTPLOG"
nat64_bg "$NS_S" "$DNSLOG" dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts \
	--bind-interfaces --listen-address="$NAT64_S4" --port=53 --user=nobody --group=nogroup \
	--pid-file="$NAT64_TMP/dnsmasq.pid" --log-queries --log-facility=- \
	--host-record=rompager.barnet.example,"$NAT64_S4"
nat64_wait_tcp "$NS_S" "$NAT64_S4" 80 5 || echo "realworld: rompager-httpd is not listening"
for _ in $(seq 50); do
	ip netns exec "$NS_S" ss -Hlun "sport = :53" | grep -q . && break
	sleep 0.1
done

run server "$NS_S" 5 ip -o addr show
check "server network is IPv4-only (s0 and s1 have no IPv6 address)" \
	bash -c '! grep -qE "^[0-9]+: s[01] +inet6 " <<<"$1" && grep -qE "s0 +inet $2/" <<<"$1"' _ "$OUT" "$NAT64_S4"

# ---- ping, both address forms -----------------------------------------------
run client "$NS_C" 10 ping -6 -c 2 -i 0.2 -W 2 "$NAT64_S6HEX"
check "ping -6 $NAT64_S6HEX (hex form of $NAT64_S4): 2 replies" has " 2 received"
run client "$NS_C" 10 ping -6 -c 2 -i 0.2 -W 2 "$NAT64_S6DEC"
check "ping -6 $NAT64_S6DEC (decimal form of $NAT64_S4): 2 replies" has " 2 received"

# ---- HTTP: curl and telnet ----------------------------------------------------
HEADERS=('^HTTP/1\.1 200 OK' '^Content-Type: text/xml; charset="utf-8"' '^Date: ' \
	'^Expires: Thu, 26 Oct 1995 00:00:00 GMT' '^Last-Modified: ' '^Pragma: no-cache' \
	'^Content-Length: 32' '^Server: Allegro-Software-RomPager/4.34')
rompager_headers() { # all the seed's headers in OUT, and the body
	local h
	for h in "${HEADERS[@]}"; do
		tr -d '\r' <<<"$OUT" | grep -qE -- "$h" || { echo "    missing: $h"; return 1; }
	done
	has '<\?xml version="1.0" \?><status />'
}
run client "$NS_C" 10 curl -6 -sS -i --max-time 8 "http://[$NAT64_S6HEX]/"
check "curl -6 http://[$NAT64_S6HEX]/ gets the RomPager headers and body" rompager_headers
# TCP needs the replies to come from the very address it connected to.
run client "$NS_C" 10 curl -6 -sS -i --max-time 8 "http://[$NAT64_S6DEC]/"
check "curl -6 http://[$NAT64_S6DEC]/ (decimal form) gets the RomPager headers and body" rompager_headers

# telnet reads the request from a pipe, as if typed (it sends each newline as
# CR LF); stdin stays open until the server has answered and closed.
run client "$NS_C" 10 bash -c "(sleep 1; printf 'GET / HTTP/1.1\\nHost: rompager\\n\\n'; sleep 2) | telnet -6 $NAT64_S6HEX 80"
check "telnet -6 $NAT64_S6HEX 80 connects" has "^Connected to $NAT64_S6HEX"
check "telnet: RomPager headers" rompager_headers

# ---- 10 MB download, SHA-256 both sides ---------------------------------------
run client "$NS_C" 30 curl -6 -sS --max-time 25 -o "$NAT64_TMP/got.bin" \
	-w 'downloaded %{size_download} bytes at %{speed_download} B/s\n' "http://[$NAT64_S6HEX]/big.bin"
sum_server=$(sha256sum <"$BIG" | cut -d' ' -f1)
sum_client=$( [ -f "$NAT64_TMP/got.bin" ] && sha256sum <"$NAT64_TMP/got.bin" | cut -d' ' -f1)
echo "    server side sha256 $sum_server ($(stat -c %s "$BIG") bytes)"
echo "    client side sha256 ${sum_client:-none} ($(stat -c %s "$NAT64_TMP/got.bin" 2>/dev/null || echo 0) bytes)"
check "10 MB download: SHA-256 matches on both sides" test "$sum_server" = "${sum_client:-x}"

# ---- 10 MB upload: the 6->4 direction, TCP super-packets through the TUN -------
# The client's TCP sends 64 KB super-packets (TSO on its veth); the gateway
# hands them to nat6to4d whole (its TUN offloads), which translates each
# once and writes one IPv4 super-packet back. The server answers the
# SHA-256 of what it received.
ctl_counter() { # NAME: a counter of `nat6to4ctl show counters`
	ip netns exec "$NS_G" bin/nat6to4ctl -s "$NAT64_TMP/nat6to4d.sock" show counters 2>/dev/null |
		awk -v n="$1" '$1 == n { print $2 }'
}
super0=$(ctl_counter tun-super-packets)
run client "$NS_C" 30 curl -6 -sS --max-time 25 --data-binary @"$BIG" \
	-H 'Content-Type: application/octet-stream' "http://[$NAT64_S6HEX]/upload"
check "10 MB upload: the server's SHA-256 of the body is the client's ($sum_server)" \
	has "^sha256 $sum_server\$"
if [ "$TRANSLATOR" = nat6to4d ]; then
	super1=$(ctl_counter tun-super-packets)
	echo "    nat6to4ctl show counters: tun-offloads $(ctl_counter tun-offloads), tun-super-packets ${super0:-?} -> ${super1:-?}"
	check "10 MB upload: nat6to4d translated TCP super-packets whole (tun-super-packets grew)" \
		test "${super1:-0}" -gt "${super0:-0}"
fi

# ---- UDP: DNS ------------------------------------------------------------------
run client "$NS_C" 10 dig -6 +time=2 +tries=2 @"$NAT64_S6HEX" rompager.barnet.example A
check "dig @$NAT64_S6HEX: dnsmasq answers rompager.barnet.example A $NAT64_S4" \
	has "^rompager\.barnet\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+$NAT64_S4"

# ---- ICMP errors ----------------------------------------------------------------
run client "$NS_C" 20 traceroute6 -n -q 1 -w 2 -m 8 "$NAT64_F6HEX"
check "traceroute6: the gateway's IPv4 side $NAT64_G4 appears as hop $NAT64_G4HEX (Time Exceeded translated)" \
	has "^ *[0-9]+ +$NAT64_G4HEX "
check "traceroute6: the IPv4 router $NAT64_S4 appears as hop $NAT64_S6HEX (Time Exceeded translated)" \
	has "^ *[0-9]+ +$NAT64_S6HEX "
# Not counted: a hop that answers in the destination's name makes the path
# look shorter than it is (the translator has no address of its own to use).
if grep -E "^ *[0-9]+ +$NAT64_F6HEX " <<<"$OUT" | head -n -1 | grep -q .; then
	echo "    NOTE: a hop before the last answered as $NAT64_F6HEX itself"
fi
check "traceroute6: the far host $NAT64_F6HEX is reached (Port Unreachable translated)" \
	has "^ *[0-9]+ +$NAT64_F6HEX "

run client "$NS_C" 10 ping -6 -c 1 -W 2 -s 1450 -M do "$NAT64_F6HEX"
check "ping -6 -s 1450 -M do over the $NAT64_FAR_MTU-byte IPv4 link: Packet too big" \
	has "Packet too big: mtu=$((NAT64_FAR_MTU + 20))"
run client "$NS_C" 5 ip -6 route get "$NAT64_F6HEX"
check "the client's route to $NAT64_F6HEX learned mtu $((NAT64_FAR_MTU + 20))" \
	has "mtu $((NAT64_FAR_MTU + 20))"

# ---- who the servers saw ----------------------------------------------------------
echo
echo "[server]# cat httpd.log   (bin/rompager-httpd -L)"
sed 's/^/    | /' "$HTTPLOG"
clients=$(grep -c '^client ' "$HTTPLOG")
others=$(grep '^client ' "$HTTPLOG" | grep -vc "^client $NAT64_POOL4 ")
check "HTTP server saw $clients connections (curl twice, telnet, download), all from pool4 $NAT64_POOL4" \
	test "$clients" -ge 4 -a "$others" -eq 0
echo
echo "[server]# cat dnsmasq.log   (dnsmasq --log-queries --log-facility=-)"
sed 's/^/    | /' "$DNSLOG"
queries=$(grep -c 'query\[' "$DNSLOG")
qothers=$(grep 'query\[' "$DNSLOG" | grep -vc " from $NAT64_POOL4\$")
check "DNS server saw $queries queries, all from pool4 $NAT64_POOL4" \
	test "$queries" -ge 1 -a "$qothers" -eq 0

finish
