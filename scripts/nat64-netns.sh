# scripts/nat64-netns.sh — network namespaces for NAT64 tests and benchmarks.
# A library: source it from bash (as root), do not run it.
#
#   source scripts/nat64-netns.sh
#   nat64_setup                      # namespaces, veths, addresses, trap
#   start_translator nat6to4d        # or: tayga | forward
#   ip netns exec "$NS_C" ping -6 -c 1 "$NAT64_TARGET6"
#   stop_translator                  # then start another one, if wanted
#   nat64_teardown                   # also runs by itself on EXIT
#
# Topology (addresses from the documentation ranges; the NAT64 prefixes are
# BarNet's from the seed):
#
#   NS_C (IPv6-only client)         NS_G (gateway)                 NS_S (IPv4 server)       NS_F (far IPv4 host)
#   c0 2001:db8:1::2/64 ---- g0 2001:db8:1::1/64
#                                   TUN "nat64" (the translator)
#                                   g1 192.0.2.1/24 ------------- s0 192.0.2.2/24
#                                                                 s1 203.0.113.1/24 ------- f0 203.0.113.2/24
#                                                                    (MTU 1400 on s1/f0)
#
#   * C: default IPv6 route via 2001:db8:1::1.
#   * G: IPv4 and IPv6 forwarding on, rp_filter off;
#        2001:df0:9::/96 (rfc6052, hex) and 2001:df0:9::/64 (decimal) -> TUN,
#        198.51.100.0/24 (pool4, and tayga's own address) -> TUN,
#        203.0.113.0/24 via 192.0.2.2.
#   * S: an IPv4 router too (ip_forward on): the extra IPv4 hop towards F,
#        whose link has a smaller MTU (NAT64_FAR_MTU) for Packet Too Big.
#        Default route via 192.0.2.1. IPv6 disabled on s0/s1 (IPv4-only).
#   * F: default route via 203.0.113.1. IPv6 disabled.
#   The translator's pool4 is 198.51.100.1: servers see every client as it.
#
# Functions:
#   nat64_setup            create everything above except the TUN; installs
#                          `trap nat64_teardown EXIT` and makes INT/TERM exit
#                          (a caller with its own EXIT trap calls
#                          nat64_teardown from it instead; set NAT64_NO_TRAP=1).
#   start_translator KIND  KIND = nat6to4d | tayga | forward.
#                          nat6to4d: runs $NAT6TO4D -c $NAT64_TMP/nat6to4d.conf -f
#                            (extra config lines from $NAT64_NAT6TO4D_EXTRA),
#                          tayga: runs tayga --nodetach with an equivalent
#                            config (tayga has one prefix: the hex /96 only;
#                            the client is mapped 1:1 to 198.51.100.1),
#                          then waits for the TUN device, brings it up and
#                          adds the routes.  forward: no translator; gives
#                          g1/s0 IPv6 addresses (2001:db8:2::1, ::2) and routes
#                          them, the ceiling for benchmarks.  Sets
#                          NAT64_TARGET6 to the address a client should use to
#                          reach the server S (mapped hex form, or S's IPv6
#                          address for forward) and NAT64_KIND.  Returns non-zero
#                          (and prints the translator's log) if it fails.
#   stop_translator        stops the running translator (or undoes forward).
#   nat64_bg NS LOG CMD... runs CMD in namespace NS in the background, output
#                          to LOG; its pid goes in NAT64_LAST_PID and is killed
#                          by nat64_teardown.
#   nat64_wait_tcp NS ADDR PORT [SECONDS]  waits until a TCP port listens.
#   nat64_teardown         kills every process started here and every process
#                          left in the namespaces, deletes the namespaces,
#                          removes NAT64_TMP.  Safe to call twice.
#
# Variables (read-only after sourcing; NAT64_ID may be set before sourcing):
#   NS_C NS_G NS_S NS_F    v6lab-{c,g,s,f}-$NAT64_ID (default id: $$)
#   NAT64_TUN              TUN device name in NS_G ("nat64")
#   NAT64_C6 NAT64_G6      client and gateway IPv6 addresses
#   NAT64_G4 NAT64_S4      gateway and server IPv4 addresses on the server net
#   NAT64_R4 NAT64_F4      S's address towards F, and F's address
#   NAT64_POOL4            the translator's pool4 address (198.51.100.1)
#   NAT64_S6HEX NAT64_S6DEC NAT64_F6HEX NAT64_F6DEC NAT64_G4HEX NAT64_R4HEX
#                          mapped IPv6 forms of those IPv4 addresses
#   NAT64_S6FWD            S's IPv6 address in forward mode
#   NAT64_FAR_MTU          MTU of the S-F link (1400)
#   NAT64_TMP              a temporary directory, removed by the teardown
#   NAT6TO4D               the daemon binary (default: <repo>/bin/nat6to4d)

NAT64_ID=${NAT64_ID:-$$}
NS_C=v6lab-c-$NAT64_ID
NS_G=v6lab-g-$NAT64_ID
NS_S=v6lab-s-$NAT64_ID
NS_F=v6lab-f-$NAT64_ID
NAT64_TUN=nat64
NAT64_C6=2001:db8:1::2
NAT64_G6=2001:db8:1::1
NAT64_G4=192.0.2.1
NAT64_S4=192.0.2.2
NAT64_R4=203.0.113.1
NAT64_F4=203.0.113.2
NAT64_POOL4=198.51.100.1
NAT64_TAYGA4=198.51.100.254
NAT64_PREFIX_HEX=2001:df0:9::/96
NAT64_PREFIX_DEC=2001:df0:9::/64
NAT64_S6HEX=2001:df0:9::c000:202
NAT64_S6DEC=2001:df0:9::192:0:2:2
NAT64_G4HEX=2001:df0:9::c000:201
NAT64_R4HEX=2001:df0:9::cb00:7101
NAT64_F6HEX=2001:df0:9::cb00:7102
NAT64_F6DEC=2001:df0:9::203:0:113:2
NAT64_G6FWD=2001:db8:2::1
NAT64_S6FWD=2001:db8:2::2
NAT64_FAR_MTU=1400
NAT64_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NAT6TO4D=${NAT6TO4D:-$NAT64_ROOT/bin/nat6to4d}
NAT64_TMP=
NAT64_PIDS=()
NAT64_KIND=
NAT64_TRANSLATOR_PID=
NAT64_TARGET6=

# One veth pair between two namespaces, both ends up.
nat64_veth() { # NS1 IF1 NS2 IF2
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" || return 1
	ip -n "$1" link set dev "$2" up && ip -n "$3" link set dev "$4" up
}

# Quiet sysctls inside a namespace.
nat64_sysctl() { # NS key=value...
	local ns=$1
	shift
	ip netns exec "$ns" sysctl -qw "$@" >/dev/null
}

nat64_setup() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "nat64-netns: needs root (network namespaces, veth, TUN)" >&2
		return 1
	fi
	NAT64_TMP=$(mktemp -d "${TMPDIR:-/tmp}/v6lab-nat64.XXXXXX") || return 1
	if [ -z "${NAT64_NO_TRAP:-}" ]; then
		trap nat64_teardown EXIT
		trap 'exit 130' INT TERM
	fi
	local ns
	for ns in "$NS_C" "$NS_G" "$NS_S" "$NS_F"; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set dev lo up
	done
	nat64_veth "$NS_C" c0 "$NS_G" g0 || return 1
	nat64_veth "$NS_G" g1 "$NS_S" s0 || return 1
	nat64_veth "$NS_S" s1 "$NS_F" f0 || return 1
	# IPv6 only where the stories have it; no RA/autoconf noise anywhere.
	nat64_sysctl "$NS_C" net.ipv6.conf.c0.accept_ra=0 net.ipv6.conf.c0.autoconf=0
	nat64_sysctl "$NS_G" net.ipv6.conf.all.forwarding=1 net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	nat64_sysctl "$NS_S" net.ipv6.conf.s0.disable_ipv6=1 net.ipv6.conf.s1.disable_ipv6=1 \
		net.ipv4.ip_forward=1
	nat64_sysctl "$NS_F" net.ipv6.conf.f0.disable_ipv6=1
	ip -n "$NS_C" -6 addr add "$NAT64_C6/64" dev c0 nodad || return 1
	ip -n "$NS_G" -6 addr add "$NAT64_G6/64" dev g0 nodad || return 1
	ip -n "$NS_C" -6 route add default via "$NAT64_G6" dev c0 || return 1
	ip -n "$NS_G" addr add "$NAT64_G4/24" dev g1 || return 1
	ip -n "$NS_S" addr add "$NAT64_S4/24" dev s0 || return 1
	ip -n "$NS_S" addr add "$NAT64_R4/24" dev s1 || return 1
	ip -n "$NS_F" addr add "$NAT64_F4/24" dev f0 || return 1
	ip -n "$NS_S" link set dev s1 mtu "$NAT64_FAR_MTU"
	ip -n "$NS_F" link set dev f0 mtu "$NAT64_FAR_MTU"
	ip -n "$NS_S" route add default via "$NAT64_G4" || return 1
	ip -n "$NS_F" route add default via "$NAT64_R4" || return 1
	ip -n "$NS_G" route add 203.0.113.0/24 via "$NAT64_S4" || return 1
}

nat64_write_nat6to4d_conf() { # FILE
	cat >"$1" <<-EOF
		# written by scripts/nat64-netns.sh
		tun-device $NAT64_TUN
		prefix $NAT64_PREFIX_HEX rfc6052
		prefix $NAT64_PREFIX_DEC decimal
		pool4 $NAT64_POOL4
		mtu6 1500
		${NAT64_NAT6TO4D_EXTRA:-}
	EOF
}

nat64_write_tayga_conf() { # FILE
	mkdir -p "$NAT64_TMP/tayga"
	cat >"$1" <<-EOF
		tun-device $NAT64_TUN
		ipv4-addr $NAT64_TAYGA4
		prefix $NAT64_PREFIX_HEX
		dynamic-pool 198.51.100.128/25
		map $NAT64_POOL4 $NAT64_C6
		data-dir $NAT64_TMP/tayga
	EOF
}

# Waits up to 5 s for the translator to create its TUN device.
nat64_wait_tun() {
	local i
	for i in $(seq 50); do
		ip -n "$NS_G" link show dev "$NAT64_TUN" >/dev/null 2>&1 && return 0
		kill -0 "$NAT64_TRANSLATOR_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# The TUN is the translator's: up, then the NAT64 prefixes and pool4 to it.
nat64_route_tun() {
	ip -n "$NS_G" link set dev "$NAT64_TUN" up || return 1
	ip -n "$NS_G" -6 route add "$NAT64_PREFIX_HEX" dev "$NAT64_TUN" || return 1
	ip -n "$NS_G" -6 route add "$NAT64_PREFIX_DEC" dev "$NAT64_TUN" || return 1
	ip -n "$NS_G" route add 198.51.100.0/24 dev "$NAT64_TUN" || return 1
}

nat64_start_forward() {
	# No DAD on the link-local addresses either: routes work at once.
	nat64_sysctl "$NS_S" net.ipv6.conf.s0.accept_dad=0 net.ipv6.conf.s0.disable_ipv6=0
	ip -n "$NS_G" -6 addr add "$NAT64_G6FWD/64" dev g1 nodad || return 1
	ip -n "$NS_S" -6 addr add "$NAT64_S6FWD/64" dev s0 nodad || return 1
	ip -n "$NS_S" -6 route add default via "$NAT64_G6FWD" dev s0 || return 1
	NAT64_TARGET6=$NAT64_S6FWD
}

start_translator() { # nat6to4d | tayga | forward
	local kind=$1 log="$NAT64_TMP/translator-$1.log"
	if [ -n "$NAT64_KIND" ]; then
		echo "nat64-netns: $NAT64_KIND is already running" >&2
		return 1
	fi
	NAT64_KIND=$kind
	case $kind in
	forward) nat64_start_forward; return ;;
	nat6to4d)
		[ -x "$NAT6TO4D" ] || { echo "nat64-netns: $NAT6TO4D not built" >&2; return 1; }
		nat64_write_nat6to4d_conf "$NAT64_TMP/nat6to4d.conf"
		nat64_bg "$NS_G" "$log" "$NAT6TO4D" -c "$NAT64_TMP/nat6to4d.conf" -f ;;
	tayga)
		command -v tayga >/dev/null || { echo "nat64-netns: tayga not installed" >&2; return 1; }
		nat64_write_tayga_conf "$NAT64_TMP/tayga.conf"
		nat64_bg "$NS_G" "$log" tayga --nodetach -c "$NAT64_TMP/tayga.conf" ;;
	*) echo "nat64-netns: unknown translator '$kind'" >&2; NAT64_KIND=; return 1 ;;
	esac
	NAT64_TRANSLATOR_PID=$NAT64_LAST_PID
	NAT64_TARGET6=$NAT64_S6HEX
	if ! nat64_wait_tun || ! nat64_route_tun; then
		echo "nat64-netns: $kind did not come up; its log:" >&2
		sed 's/^/  | /' "$log" >&2
		return 1
	fi
}

stop_translator() {
	case $NAT64_KIND in
	forward)
		ip -n "$NS_S" -6 route del default via "$NAT64_G6FWD" dev s0 2>/dev/null
		ip -n "$NS_G" -6 addr del "$NAT64_G6FWD/64" dev g1 2>/dev/null
		ip -n "$NS_S" -6 addr del "$NAT64_S6FWD/64" dev s0 2>/dev/null
		nat64_sysctl "$NS_S" net.ipv6.conf.s0.disable_ipv6=1 ;;
	nat6to4d | tayga)
		nat64_kill "$NAT64_TRANSLATOR_PID"
		# A TUN that is not persistent goes with its last user; wait for it.
		local i
		for i in $(seq 30); do
			ip -n "$NS_G" link show dev "$NAT64_TUN" >/dev/null 2>&1 || break
			sleep 0.1
		done
		ip -n "$NS_G" link del dev "$NAT64_TUN" 2>/dev/null ;;
	esac
	NAT64_KIND=
	NAT64_TRANSLATOR_PID=
	NAT64_TARGET6=
	return 0
}

nat64_bg() { # NS LOG CMD...
	local ns=$1 log=$2
	shift 2
	# `ip netns exec` execs CMD, so $! is CMD's own pid.
	ip netns exec "$ns" "$@" >"$log" 2>&1 &
	NAT64_LAST_PID=$!
	NAT64_PIDS+=("$NAT64_LAST_PID")
}

# TERM, up to a second's grace, then KILL: the pid given and the children it
# had (nat6to4d runs a privilege-dropped worker under a root parent).
nat64_kill() { # PID
	local pid=$1 i kids
	[ -n "$pid" ] || return 0
	kids=$(ps -o pid= --ppid "$pid" 2>/dev/null)
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 10); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	for i in $kids; do kill -KILL "$i" 2>/dev/null; done
	return 0
}

nat64_wait_tcp() { # NS ADDR PORT [SECONDS]
	local i n=$((${4:-5} * 10))
	for i in $(seq "$n"); do
		ip netns exec "$1" ss -Htln "src $2 sport = :$3" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

nat64_teardown() {
	local pid ns
	for pid in "${NAT64_PIDS[@]}"; do nat64_kill "$pid"; done
	NAT64_PIDS=()
	for ns in "$NS_C" "$NS_G" "$NS_S" "$NS_F"; do
		ip netns list 2>/dev/null | grep -qw "^$ns" || continue
		# Anything still running in our own namespaces was started by us.
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$NAT64_TMP" ] && rm -rf "$NAT64_TMP"
	NAT64_TMP=
	NAT64_KIND=
	return 0
}
