#!/usr/bin/env bash
# Install every Debian package the build and the tests need.
# Idempotent and non-interactive. `scripts/deps.sh --check` only reports
# what is missing (exit 1 when something is).
set -euo pipefail

# Build: compiler, libraries. Tests: CUnit, tshark/tcpdump to decode what we
# produce, clang for the sanitizer build. Real-world tests: iproute2, ping,
# curl, telnet, traceroute, a DNS server, tayga (the peer we measure against).
PACKAGES=(
  build-essential pkg-config
  libpcap-dev libnet1-dev libcunit1-dev libmd-dev
  clang libclang-rt-14-dev
  tshark tcpdump
  # tests/step.sh, tests/shell.sh: v6lab run --step and v6lab shell driven
  # through a terminal
  tmux
  # tests/html.sh: the report page and the ladder SVG rendered headless, with
  # fonts for its text, and python3 to read the screenshots' pixels
  chromium fonts-dejavu-core python3
  # scripts/record-real.sh: the real ping -6 whose packets replay-real.scn replays
  iputils-ping iproute2
  # tests/realworld.sh: real clients and servers across the translator
  curl telnet traceroute dnsmasq-base bind9-dnsutils procps
  # make bench-real: the peer nat6to4d is measured against, and TCP throughput
  tayga iperf3 ethtool
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${1:-}" = "--check" ]; then
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing Debian packages: ${missing[*]}" >&2
    exit 1
  fi
  exit 0
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps.sh: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "deps.sh: need root to install: ${missing[*]}" >&2
  echo "run: sudo scripts/deps.sh" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, no prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "deps.sh: installed ${missing[*]}"
