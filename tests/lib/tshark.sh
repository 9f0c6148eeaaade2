# Sourced by the shell tests that ask tshark (its dissectors, not our
# printers) about the captures a scenario wrote. Needs $work (a temp dir)
# and $V6LAB; keeps the pass/fail counts the test prints last.
pass=0
fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# Frames of CAPTURE matching a tshark display FILTER (-1 if tshark fails,
# so a wrong field name can never pass as "0 frames").
frames() {
	local err
	err=$(tshark -r "$1" -Y "$2" 2>&1 >/dev/null) || { echo -1; return; }
	if grep -qv '^Running as user' <<<"$err"; then echo -1; return; fi
	tshark -r "$1" -Y "$2" 2>/dev/null | wc -l
}

# CAPTURE FILTER MIN WHAT: at least MIN frames match.
want() {
	local n
	n=$(frames "$1" "$2")
	if [ "$n" -ge "$3" ]; then ok "$4 ($n)"; else bad "$4: $n frames match '$2' in $(basename "$1")"; fi
}

# CAPTURE FILTER WHAT: no frame matches (and tshark understood the filter).
none() {
	local n
	n=$(frames "$1" "$2")
	if [ "$n" -eq 0 ]; then ok "$3"; else bad "$3: $n frames match '$2' in $(basename "$1")"; fi
}

# A packet tshark finds malformed or with a bad checksum. An ICMPv6 checksum
# error is only a *warning* in tshark, hence the Checksum group. One
# exception that is not ours: Wireshark 4.0's LCP Quality-Protocol option
# dissector reads past every option with data (packet-ppp.c,
# dissect_lcp_qualprot_opt: `length + 4` where `length - 4` is meant), so
# the RFC 1989 LQR option ppp(8) sends with `enable lqr` is "malformed".
decode_errors='(_ws.malformed && !(lcp.opt.quality_protocol == 0xc025)) || (_ws.expert.severity >= error && !_ws.malformed) || _ws.expert.group == "Checksum"'

# The offending packets of CAPTURE, one per line; a tshark that fails (bad
# option, unreadable file) prints its error instead, so it never passes.
tshark_errors() {
	local out
	if ! out=$(tshark -r "$1" -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-o ip.check_checksum:TRUE -Y "$decode_errors" 2>&1 >/dev/null); then
		echo "tshark failed: $out"
		return
	fi
	tshark -r "$1" -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-o ip.check_checksum:TRUE -Y "$decode_errors" 2>/dev/null
}

# CAPTURE decodes cleanly and is not empty.
clean() {
	local errs
	errs=$(tshark_errors "$1")
	if [ -z "$errs" ] && [ "$(frames "$1" frame)" -gt 0 ]; then ok "$(basename "$1") decodes cleanly"
	else bad "$(basename "$1"): decode errors or no frames:"; echo "$errs" | head -5; fi
}

# Run scenarios/NAME.scn into $work/NAME (transcript $work/NAME.txt).
run() {
	if "$V6LAB" run "scenarios/$1.scn" --out "$work/$1" >"$work/$1.txt" 2>&1; then
		ok "$1: every expectation held"
	else
		bad "$1: v6lab run failed"
		grep -E '^FAIL|^[^ ]+:[0-9]+:[0-9]+: ' "$work/$1.txt" | head -20
	fi
}
