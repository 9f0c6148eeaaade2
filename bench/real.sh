#!/usr/bin/env bash
# make bench-real: nat6to4d against tayga and against plain IPv6 forwarding.
#
# The namespaces of scripts/nat64-netns.sh: an IPv6-only client, a gateway,
# an IPv4-only server network. The gateway runs, in turn,
#   forward      plain kernel IPv6 forwarding (the server gets an IPv6
#                address for this path only): the ceiling
#   tayga        tayga 0.9 (Debian) on a TUN device, the client mapped 1:1
#                to the pool4 address
#   nat6to4d     bin/nat6to4d on a TUN device, NAPT to that pool4 address
# and for each the same measurements are made, one path after the other in
# this one invocation, twice: first with the veths' offloads as the kernel
# sets them (TSO/GSO/GRO on: what a real gateway has; TCP moves as 64 KB
# super-packets, which nat6to4d takes whole through its TUN offloads and
# tayga cannot), then with them off (every packet handled one by one):
#   UDP  64-byte datagrams with bin/udpblast (sendmmsg/recvmmsg): flat out
#        (received packets/s and loss), then a short search for the highest
#        offered rate that loses less than 1%;
#   TCP  iperf3 -t 5, 1 stream and 4 streams, at MTU 1500;
#   CPU  the translator process's user+system time over each run
#        (/proc/PID/stat), in % of one core; forwarding runs in the kernel.
# Then a table and the ratios nat6to4d/tayga and nat6to4d/forward.
#
# A third pass, "pinned", models the gateway as a machine of its own: the
# client and server programs run on CPU 0, the translator on CPU 1, and
# receive packet steering (RPS) puts the gateway's packet processing on
# CPU 1 and the endpoints' on CPU 0, for every path alike (offloads on).
# In the two shared passes sender, receiver and gateway compete for both
# cores, and a receiver woken by the translator's write preempts it.
# OFFLOADS=on, off or pinned runs one pass only (default: all three).
#
# Traffic never leaves the namespaces created here, which are removed on any
# exit (the library's trap). There are no assertions on the figures: this
# prints them. Environment: BENCH_PATHS (default: the three above),
# UDP_SECONDS (default 2), TCP_SECONDS (default 5), OFFLOADS (on, off,
# pinned or all; default all).
# No `set -e`: a failed step reports itself and the run goes on to the next.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

PATHS=${BENCH_PATHS:-forward tayga nat6to4d}
UDP_SECONDS=${UDP_SECONDS:-2}
TCP_SECONDS=${TCP_SECONDS:-5}
UDP_SIZE=64
UDP_PORT=9000

if [ "$(id -u)" -ne 0 ]; then
	echo "bench-real: needs root (network namespaces, TUN devices)" >&2
	exit 2
fi
for tool in ip iperf3 tayga ss taskset; do
	command -v "$tool" >/dev/null || { echo "bench-real: $tool not found; run scripts/deps.sh" >&2; exit 2; }
done
[ -x bin/udpblast ] || { echo "bench-real: bin/udpblast missing; run make bin/udpblast" >&2; exit 2; }

# ---- namespaces and paths: scripts/nat64-netns.sh ----------------------------------
# Its nat64_setup creates the client, gateway and server namespaces (and its
# trap removes them, with every process started in them, on any exit);
# start_translator forward|tayga|nat6to4d sets NAT64_TARGET6 and
# NAT64_TRANSLATOR_PID. tayga maps the one client host 1:1 to the pool4
# address nat6to4d uses, so both put the same IPv4 source on the wire.
# shellcheck source=scripts/nat64-netns.sh
source scripts/nat64-netns.sh
inc() { ip netns exec "$1" "${@:2}"; }
TRANSLATOR_PID=
DEST=

# The veths' TSO/GSO/GRO, on (the kernel's defaults) or off.
set_offloads() { # on|off
	local ns dev
	command -v ethtool >/dev/null || { echo "  (ethtool not installed: offloads left as they are)"; return 0; }
	for ns_dev in "$NS_C:c0" "$NS_G:g0" "$NS_G:g1" "$NS_S:s0"; do
		ns=${ns_dev%%:*} dev=${ns_dev#*:}
		ip netns exec "$ns" ethtool -K "$dev" tso "$1" gso "$1" gro "$1" >/dev/null 2>&1 || true
	done
}

# Pinned pass: endpoint programs on CPU 0 (this prefix), gateway on CPU 1.
ENDPOINT=()
pin_translator() { # pid: it and its children (the daemon's worker) on CPU 1
	local p
	for p in "$1" $(pgrep -P "$1"); do taskset -a -p 2 "$p" >/dev/null 2>&1; done
}
set_rps() { # on|off: gateway receive processing on CPU 1, endpoints' on CPU 0
	local ns_dev ns dev mask
	for ns_dev in "$NS_C:c0:1" "$NS_G:g0:2" "$NS_G:g1:2" "$NS_S:s0:1"; do
		IFS=: read -r ns dev mask <<<"$ns_dev"
		[ "$1" = on ] || mask=0
		ip netns exec "$ns" sh -c "echo $mask > /sys/class/net/$dev/queues/rx-0/rps_cpus" 2>/dev/null ||
			echo "  (could not set RPS on $dev)"
	done
}
set_mode() { # on|off|pinned
	case $1 in
	pinned) set_offloads on; set_rps on; ENDPOINT=(taskset -c 0) ;;
	*) set_offloads "$1"; set_rps off; ENDPOINT=() ;;
	esac
}

start_path() {
	start_translator "$1"
	DEST=$NAT64_TARGET6
	TRANSLATOR_PID=$NAT64_TRANSLATOR_PID
	[ ${#ENDPOINT[@]} -eq 0 ] || [ -z "$TRANSLATOR_PID" ] || pin_translator "$TRANSLATOR_PID"
}

stop_path() {
	stop_translator
	TRANSLATOR_PID=
}

# ---- measurements ---------------------------------------------------------------

# CPU ticks (user+system) of the translator and its descendants so far (a
# daemon may run its packet loop in a forked worker), or nothing for the
# kernel. After the ")" that ends the command name, the 2nd field is the
# parent pid, the 12th utime, the 13th stime.
cpu_ticks() {
	[ -n "$TRANSLATOR_PID" ] && [ -r "/proc/$TRANSLATOR_PID/stat" ] || return 0
	local f
	for f in /proc/[0-9]*/stat; do
		printf '%s ' "${f//[^0-9]/}"
		sed 's/^.*) //' "$f" 2>/dev/null || echo
	done | awk -v root="$TRANSLATOR_PID" '
		NF >= 14 { parent[$1] = $3; ticks[$1] = $13 + $14 }
		END {
			for (p in ticks) {
				for (q = p; q != "" && q != 0 && q != root; q = parent[q]) if (++guard[p] > 64) break
				if (q == root) sum += ticks[p]
			}
			print sum + 0
		}'
}

# "% of one core" between two cpu_ticks readings taken SECONDS apart.
cpu_pct() { # before after seconds
	if [ -z "$1" ] || [ -z "$2" ]; then echo -; return; fi
	awk -v b="$1" -v a="$2" -v s="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f%%", (a - b) / hz / s * 100 }'
}

kv() { # key line: the value of key=value in a udpblast line
	sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"
}

# A short-lived server in the server namespace; $! is its pid (ip netns exec
# execs it). We wait for it ourselves; if the run is cut short, the
# library's teardown kills whatever is left in its namespaces.
server_bg() { # LOG CMD...
	local log=$1
	shift
	ip netns exec "$NS_S" "${ENDPOINT[@]}" "$@" >"$log" 2>&1 &
}

wait_listen() { # proto port: until something listens in the server namespace
	local i
	for i in $(seq 50); do
		inc "$NS_S" ss -Hln"$1" "sport = :$2" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# One UDP run at RATE packets/s (0: flat out). Sets SENT TXPPS RECV RPPS LOSS CPU.
udp_run() {
	local rate=$1 rx tx c0 c1
	server_bg "$work/rx" bin/udpblast recv "$UDP_PORT" -t $((UDP_SECONDS + 5)) -i 500
	local rxpid=$!
	wait_listen u "$UDP_PORT" || { echo "  udpblast recv did not start: $(cat "$work/rx")"; return 1; }
	c0=$(cpu_ticks)
	tx=$(inc "$NS_C" "${ENDPOINT[@]}" bin/udpblast send "$DEST" "$UDP_PORT" -s "$UDP_SIZE" -r "$rate" -t "$UDP_SECONDS")
	c1=$(cpu_ticks)
	wait "$rxpid" || true
	rx=$(cat "$work/rx")
	SENT=$(kv pkts "$tx")
	RECV=$(kv pkts "$rx")
	RPPS=$(kv pps "$rx")
	TXPPS=$(kv pps "$tx")
	if [ -z "$SENT" ] || [ -z "$RECV" ]; then echo "  udpblast: $tx / $rx"; return 1; fi
	LOSS=$(awk -v s="$SENT" -v r="$RECV" 'BEGIN { printf "%.2f", s ? (s - r) * 100 / s : 100 }')
	CPU=$(cpu_pct "$c0" "$c1" "$UDP_SECONDS")
	printf '  udp %-9s sent %8d (%7s/s)  received %8d (%7s/s)  loss %6s%%  translator cpu %s\n' \
		"$([ "$rate" = 0 ] && echo flat-out || echo "$rate/s")" "$SENT" "$TXPPS" "$RECV" "$RPPS" "$LOSS" "$CPU"
}

lossy() { awk -v l="$1" 'BEGIN { exit !(l >= 1) }'; }

# The middle of three numbers.
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

# Flat out three times (two cores shared by sender, translator and receiver
# make single runs noisy): the median run's figures. Then, if that lost 1%
# or more, a search between a third of the delivered rate and 1.2x it for
# the highest offered rate that loses less than 1%; a rate that loses is
# tried once more before it counts as too fast (one scheduling hiccup is
# not the path's limit).
measure_udp() {
	local p=$1 rate lo hi runs=() i
	echo "  ran: udpblast send $DEST $UDP_PORT -s $UDP_SIZE -t $UDP_SECONDS (client) -> udpblast recv $UDP_PORT (server)"
	for i in 1 2 3; do
		udp_run 0 || return 0
		runs+=("${RPPS%.*} $LOSS $CPU $TXPPS")
	done
	local mid
	mid=$(median3 "${runs[0]%% *}" "${runs[1]%% *}" "${runs[2]%% *}")
	for i in 0 1 2; do
		[ "${runs[$i]%% *}" = "$mid" ] || continue
		read -r RPPS LOSS CPU TXPPS <<<"${runs[$i]}"
		break
	done
	R_FLAT_PPS[$p]=$RPPS R_FLAT_LOSS[$p]=$LOSS% R_FLAT_CPU[$p]=$CPU
	echo "  flat out, median of 3: $RPPS/s received, loss $LOSS%"
	# No loss flat out: the sender was the limit; the path's is higher.
	if ! lossy "$LOSS"; then R_BEST[$p]="$TXPPS*"; return 0; fi
	lo=$((RPPS / 3)) hi=$((RPPS * 12 / 10))
	for i in 1 2 3 4 5 6; do
		rate=$(((lo + hi) / 2))
		udp_run "$rate" || return 0
		lossy "$LOSS" && { udp_run "$rate" || return 0; }
		if lossy "$LOSS"; then hi=$rate; else lo=$rate R_BEST[$p]=$rate; fi
	done
}

# iperf3 from the client to the server, STREAMS parallel streams.
tcp_run() { # path streams
	local p=$1 n=$2 out c0 c1 mbps
	server_bg "$work/iperf3-server" iperf3 -s -1
	local spid=$!
	wait_listen t 5201 || { echo "  iperf3 server did not start"; return 0; }
	echo "  ran: iperf3 -c $DEST -t $TCP_SECONDS -P $n -f m"
	c0=$(cpu_ticks)
	out=$(inc "$NS_C" "${ENDPOINT[@]}" iperf3 -c "$DEST" -t "$TCP_SECONDS" -P "$n" -f m 2>&1) || true
	c1=$(cpu_ticks)
	wait "$spid" 2>/dev/null || true
	mbps=$(awk '/receiver/ { for (i = 2; i <= NF; i++) if ($i == "Mbits/sec") v = $(i - 1) } END { print v }' <<<"$out")
	if [ -z "$mbps" ]; then
		echo "  iperf3 failed: $(tail -n 3 <<<"$out")"
		return 0
	fi
	R_TCP[$p,$n]=$mbps R_TCP_CPU[$p,$n]=$(cpu_pct "$c0" "$c1" "$TCP_SECONDS")
	echo "  saw: $(grep receiver <<<"$out" | tail -n 1 | tr -s ' ')  translator cpu ${R_TCP_CPU[$p,$n]}"
}

# A ping through the path first, so a broken path says so instead of zeros.
check_path() {
	local out
	echo "  ran: ping -6 -c 2 -i 0.2 $DEST"
	if out=$(inc "$NS_C" ping -6 -c 2 -i 0.2 -W 2 "$DEST" 2>&1); then
		echo "  saw: $(grep -E 'packets transmitted' <<<"$out")"
		return 0
	fi
	echo "  saw: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
	return 1
}

# ---- report ---------------------------------------------------------------------

declare -A R_FLAT_PPS R_FLAT_LOSS R_FLAT_CPU R_BEST R_TCP R_TCP_CPU

ratio() { # a b: a/b with two decimals, or n/a
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'
}

report() { # mode: on, off or pinned
	local m=$1 p k what="veth offloads $1"
	[ "$m" != pinned ] || what="pinned: endpoints on CPU 0, gateway on CPU 1, offloads on"
	echo
	echo "=== bench-real: $what; $UDP_SIZE-byte UDP, iperf3 TCP (-t $TCP_SECONDS, MTU 1500), $(nproc) cores"
	printf '%-11s %12s %7s %7s %14s %10s %7s %10s %7s\n' path 'udp max pps' loss cpu 'udp <1% loss' \
		'tcp1 Mb/s' cpu 'tcp4 Mb/s' cpu
	for p in $PATHS; do
		k=$m:$p
		printf '%-11s %12s %7s %7s %14s %10s %7s %10s %7s\n' "$p" "${R_FLAT_PPS[$k]:--}" \
			"${R_FLAT_LOSS[$k]:--}" "${R_FLAT_CPU[$k]:--}" "${R_BEST[$k]:--}" \
			"${R_TCP[$k,1]:--}" "${R_TCP_CPU[$k,1]:--}" "${R_TCP[$k,4]:--}" "${R_TCP_CPU[$k,4]:--}"
	done
	echo
	printf '%-22s %12s %14s %10s %10s\n' ratio 'udp max pps' 'udp <1% loss' 'tcp1' 'tcp4'
	for base in tayga forward; do
		printf '%-22s %12s %14s %10s %10s\n' "nat6to4d/$base" \
			"$(ratio "${R_FLAT_PPS[$m:nat6to4d]:-}" "${R_FLAT_PPS[$m:$base]:-}")" \
			"$(ratio "${R_BEST[$m:nat6to4d]:-}" "${R_BEST[$m:$base]:-}")" \
			"$(ratio "${R_TCP[$m:nat6to4d,1]:-}" "${R_TCP[$m:$base,1]:-}")" \
			"$(ratio "${R_TCP[$m:nat6to4d,4]:-}" "${R_TCP[$m:$base,4]:-}")"
	done
}

report_notes() {
	echo
	echo "udp <1% loss: the highest offered rate that lost under 1%; * = none lost flat out (sender-limited)"
	echo "targets (DESIGN.md): nat6to4d/tayga >= 1.5, nat6to4d/forward >= 0.90"
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (figures are noisy when other work runs)"
	echo "cpu: the translator process's user+system time in % of one core (forward: kernel, not counted)"
}

# ---- main -----------------------------------------------------------------------

case ${OFFLOADS:-all} in
on | off | pinned) MODES=$OFFLOADS ;;
all) MODES="on off pinned" ;;
*) echo "bench-real: OFFLOADS is on, off, pinned or all, not '$OFFLOADS'" >&2; exit 2 ;;
esac
nat64_setup || exit 2
work=$NAT64_TMP
# Our own control socket, not the system's /run one.
export NAT64_NAT6TO4D_EXTRA="control-socket $work/nat6to4d.sock"
echo "namespaces: client $NS_C ($NAT64_C6), gateway $NS_G, server $NS_S ($NAT64_S4 = $NAT64_S6HEX)"
# Two cores shared by sender, translator, receiver and softirqs: anything
# else running shows up as noise in the figures, so say how busy we were.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for m in $MODES; do
	set_mode "$m"
	for p in $PATHS; do
		echo
		echo "=== $p ($m)"
		if ! start_path "$p" || ! check_path; then
			echo "  $p: path not working, skipped"
			stop_path
			continue
		fi
		measure_udp "$m:$p"
		tcp_run "$m:$p" 1
		tcp_run "$m:$p" 4
		stop_path
	done
done
for m in $MODES; do report "$m"; done
report_notes
