#!/usr/bin/env bash
# Writes the lan1000 scenario (DESIGN.md's ns-3 comparison) to stdout:
# one Ethernet LAN of N IPv6 hosts and a FreeBSD router running rtadvd, a
# remote host behind a 10 ms point-to-point link, every host pinging it
# once a second for 60 simulated seconds after getting its SLAAC address.
set -euo pipefail
n=${1:-1000}
cat <<HEAD
# lan1000: $n hosts, SLAAC from rtadvd, ping6 to a remote host for 60 s
seed  1000
start 2009-11-06 12:00:00 UTC
node r1     router
node remote host
HEAD
members="r1:em0"
for ((i = 1; i <= n; i++)); do
	echo "node h$i host"
	members+=" h$i:em0"
done
cat <<LINKS
link lan  ethernet $members
link wan  p2p r1:em1 remote:em0 delay 10ms
iface r1:em0     inet6 2001:db8:1::1/64
iface r1:em1     inet6 2001:db8:2::1/64
iface remote:em0 inet6 2001:db8:2::2/64
at 0s r1# sysctl net.inet6.ip6.forwarding=1
at 0s r1# rtadvd em0
at 0s remote# route add -inet6 default 2001:db8:2::1
LINKS
# Hosts start one millisecond apart, once their address is past DAD.
for ((i = 1; i <= n; i++)); do
	printf 'at %d.%03ds h%d# ping6 -q -c 60 2001:db8:2::2\n' $((10 + i / 1000)) $((i % 1000)) "$i"
done
echo "end 75s"
