#!/usr/bin/env bash
# scripts/record-real.sh — record real IPv6 packets from a real program, for
# scenarios/replay-real.scn to replay into the simulation.
#
# What it does (as root; network namespaces and veth need it):
#   1. creates two network namespaces joined by a veth pair:
#        v6lab-rec-host  veth v6lab-rec-h  MAC 52:54:00:6c:61:01  fd00:6:1ab::100/64
#        v6lab-rec-peer  veth v6lab-rec-p  MAC 00:0f:ea:2c:d5:18  fd00:6:1ab::18/64
#      The peer has k7:sk0's MAC from the seed and the address the simulated
#      k7 gets in the scenario, so the recorded frames are addressed to it
#      as they are; addresses are added with `nodad` so nothing waits for DAD.
#   2. runs tcpdump -w on v6lab-rec-h inside the host namespace, then the
#      REAL program there:  ping -6 -c 3 -i 1 -s 56 fd00:6:1ab::18
#      (iputils-ping; its neighbour solicitation for the peer comes from the
#      host's kernel, its echo requests from ping itself);
#   3. keeps only what the host sent towards the peer — the neighbour
#      solicitation for fd00:6:1ab::18 and the echo requests — with
#      `tcpdump -r ... -w ...` and a filter (packets are copied, not
#      rewritten: bytes and relative times are the real ones);
#   4. removes both namespaces whatever happens (trap on EXIT).
# The peer's replies (the real kernel's NA and echo replies) are not kept:
# in the scenario the simulated FreeBSD node gives them.
#
# Output: captures/real/ping6-echo.pcap (Ethernet, a few hundred bytes).
#
# The committed captures/real/ping6-echo.pcap (528 bytes, 4 packets) was
# made by exactly this script, run as root from the top of the tree:
#   command:   sudo scripts/record-real.sh
#   program:   ping -6 -c 3 -i 1 fd00:6:1ab::18     (id 27467 = 0x6b4b, its pid)
#   packages:  iputils-ping 3:20221126-1+deb12u1, tcpdump 4.99.3-1,
#              libpcap0.8 1.10.3-1, iproute2 6.1.0-3 (Debian 12 "bookworm"),
#              Linux 6.18.44
#   date:      2026-11-26 18:27:54 UTC (the first packet's time stamp)
#   kept:      4 of the 17 packets seen on v6lab-rec-h (the rest: the peer's
#              NA and echo replies, MLD reports of both ends)
#
# Usage: sudo scripts/record-real.sh [OUTDIR]   (default captures/real)
set -euo pipefail

OUT=${1:-captures/real}
NS_H=v6lab-rec-host
NS_P=v6lab-rec-peer
IF_H=v6lab-rec-h
IF_P=v6lab-rec-p
MAC_H=52:54:00:6c:61:01
MAC_P=00:0f:ea:2c:d5:18
ADDR_H=fd00:6:1ab::100
ADDR_P=fd00:6:1ab::18
TMP=$(mktemp -d /tmp/v6lab-rec.XXXXXX)

if [ "$(id -u)" -ne 0 ]; then
	echo "record-real.sh: needs root (network namespaces)" >&2
	exit 1
fi
for c in ip ping tcpdump; do
	command -v "$c" >/dev/null || { echo "record-real.sh: $c not found (scripts/deps.sh)" >&2; exit 1; }
done

cleanup() {
	[ -n "${TCPDUMP_PID:-}" ] && kill "$TCPDUMP_PID" 2>/dev/null || true
	ip netns del "$NS_H" 2>/dev/null || true
	ip netns del "$NS_P" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

# Leftovers of an interrupted run would make `ip netns add` fail.
ip netns del "$NS_H" 2>/dev/null || true
ip netns del "$NS_P" 2>/dev/null || true
ip netns add "$NS_H"
ip netns add "$NS_P"
ip link add "$IF_H" netns "$NS_H" type veth peer name "$IF_P" netns "$NS_P"

setup_end() { # NS IF MAC ADDR
	ip -n "$1" link set dev lo up
	ip -n "$1" link set dev "$2" address "$3"
	# No router solicitations or autoconfiguration: only the ping's packets.
	ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.accept_ra=0" "net.ipv6.conf.$2.autoconf=0"
	ip -n "$1" addr add "$4/64" dev "$2" nodad
	ip -n "$1" link set dev "$2" up
}
setup_end "$NS_H" "$IF_H" "$MAC_H" "$ADDR_H"
setup_end "$NS_P" "$IF_P" "$MAC_P" "$ADDR_P"

ip netns exec "$NS_H" tcpdump -q -n -U -s 0 -i "$IF_H" -w "$TMP/all.pcap" ip6 2>"$TMP/tcpdump.err" &
TCPDUMP_PID=$!
# tcpdump says "listening on" once the capture is open.
for _ in $(seq 50); do grep -q listening "$TMP/tcpdump.err" && break; sleep 0.1; done
sleep 1

ip netns exec "$NS_H" ping -6 -c 3 -i 1 "$ADDR_P"

sleep 1
kill -INT "$TCPDUMP_PID"
wait "$TCPDUMP_PID" || true
TCPDUMP_PID=

# From the host to the peer: its NS for the peer's address (to the
# solicited-node group) and its echo requests. ip6[40] is the ICMPv6 type.
KEEP="ether src $MAC_H and icmp6 and (ip6[40] == 128 or (ip6[40] == 135 and ip6[48:4] == 0xfd000006 and ip6[52:4] == 0x01ab0000 and ip6[56:4] == 0 and ip6[60:4] == 0x18))"
# tcpdump writes as its own user; copy so the result belongs to the caller.
tcpdump -q -n -r "$TMP/all.pcap" -w "$TMP/kept.pcap" "$KEEP" 2>/dev/null
mkdir -p "$OUT"
cp "$TMP/kept.pcap" "$OUT/ping6-echo.pcap"
echo "record-real.sh: kept $(tcpdump -n -r "$OUT/ping6-echo.pcap" 2>/dev/null | wc -l) of $(tcpdump -n -r "$TMP/all.pcap" 2>/dev/null | wc -l) packets in $OUT/ping6-echo.pcap"
tcpdump -n -e -r "$OUT/ping6-echo.pcap" 2>/dev/null
