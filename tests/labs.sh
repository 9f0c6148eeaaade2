#!/usr/bin/env bash
# The labs and their checkers (labs/*/, v6lab lab): every lab with solution/
# and wrong/ passes `v6lab lab check N --dir solution` with every goal met,
# fails with each wrong/NAME at the goal its expect-unmet names, and does
# not pass with its starting files/. Then the lab command's own behaviour:
# list (titles aligned), show, init (never overwrites), run (--step and
# --html with the student's files; --out/--html refused in scenarios/ and
# captures/; --ladder of the student's run), --dir's "using" lines, errors.
cd "$(dirname "$0")/.." || exit 2
V6LAB=${V6LAB:-bin/v6lab}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# CMD... : runs it, output in $out, exit status in $rc.
run() { out=$("$@" 2>&1); rc=$?; }

check_lab() {
	local dir=$1 num name want first
	num=$((10#$(basename "$dir" | cut -c1-2)))
	run "$V6LAB" lab check "$num" --dir "$dir/solution"
	if [ "$rc" -eq 0 ] && ! grep -q '^\[not met\]' <<<"$out" && grep -q '^\[met\]' <<<"$out"; then
		ok "lab $num: solution/ meets every goal ($(tail -1 <<<"$out"))"
	else
		bad "lab $num: solution/ (exit $rc): $(grep -m1 -A1 '^\[not met\]' <<<"$out" || tail -3 <<<"$out")"
	fi
	for w in "$dir"/wrong/*/; do
		name=$(basename "$w")
		want=$(head -1 "$w/expect-unmet" 2>/dev/null)
		run "$V6LAB" lab check "$num" --dir "$w"
		first=$(grep -m1 '^\[not met\]' <<<"$out")
		if [ -z "$want" ]; then
			bad "lab $num: wrong/$name has no expect-unmet"
		elif [ "$rc" -eq 1 ] && [[ "$first" == *"$want"* ]]; then
			ok "lab $num: wrong/$name: exit 1, first unmet: $first"
		else
			bad "lab $num: wrong/$name: exit $rc, first unmet '$first', expected '$want'"
		fi
	done
	run "$V6LAB" lab check "$num"
	if [ "$rc" -eq 1 ] && grep -q '^\[not met\]' <<<"$out"; then
		ok "lab $num: the starting files/ do not pass ($(tail -1 <<<"$out"))"
	else
		bad "lab $num: the starting files/ (exit $rc): $(tail -2 <<<"$out")"
	fi
}

for d in labs/*/; do
	d=${d%/}
	[ -d "$d/solution" ] && [ -d "$d/wrong" ] && check_lab "$d"
done

# list: one line per lab, number, slug, title from the handout.
run "$V6LAB" lab list
if [ "$rc" -eq 0 ] && grep -qx '  1  addressing          Addressing: a /48, 65,536 /64s, EUI-64, sla-id, mapped IPv4 addresses' <<<"$out" &&
   grep -q '^  2  nd-multicast ' <<<"$out"; then
	ok "lab list: lines for labs 1 and 2"
else
	bad "lab list (exit $rc): $out"
fi
# Every title (the handout's first line after "# Lab N — ") starts in the
# same column, the longest slug (jails-address-plan, 18) included.
cols=$(for d in labs/[0-9][0-9]-*/; do
	title=$(head -1 "$d/README.md" | sed 's/^# Lab [0-9]* — //')
	line=$(grep "^ *$((10#$(basename "$d" | cut -c1-2)))  $(basename "$d" | cut -c4-) " <<<"$out")
	prefix=${line%%"$title"}
	[ "$prefix" != "$line" ] && echo "${#prefix}" || echo "no-title:$d"
done | sort -u | tr '\n' ' ')
if [ "$(wc -l <<<"$out")" -eq "$(ls -d labs/[0-9][0-9]-*/ | wc -l)" ] && [[ "$cols" =~ ^[0-9]+\ $ ]] &&
   grep -q '^  7  jails-address-plan  Jailed services' <<<"$out"; then
	ok "lab list: every handout's title starts in column ${cols% }, after the 18-character slug too"
else
	bad "lab list alignment: title columns '$cols': $out"
fi

# show: the handout itself.
run "$V6LAB" lab show 1
if [ "$rc" -eq 0 ] && [ "$out" = "$(cat labs/01-addressing/README.md)" ]; then
	ok "lab show 1 prints labs/01-addressing/README.md"
else
	bad "lab show 1 (exit $rc)"
fi

# init: copies files/, then refuses to overwrite (exit 1, the file named).
run "$V6LAB" lab init 1 --dir "$work/w1"
if [ "$rc" -eq 0 ] && cmp -s labs/01-addressing/files/answers.txt "$work/w1/answers.txt"; then
	ok "lab init 1 copies files/answers.txt into a new directory"
else
	bad "lab init 1 (exit $rc): $out"
fi
echo "q1_count56 = 256" >"$work/w1/answers.txt"
run "$V6LAB" lab init 1 --dir "$work/w1"
if [ "$rc" -eq 1 ] && grep -q "$work/w1/answers.txt already exists" <<<"$out" &&
   [ "$(cat "$work/w1/answers.txt")" = "q1_count56 = 256" ]; then
	ok "lab init 1 again: exit 1, names the file, leaves it alone"
else
	bad "lab init again (exit $rc): $out"
fi

# A student's partial answers: the "using" line, goal 1 still unmet (3 of 4 keys).
printf 'q1_count56 = 256\nq1_count64 = 65536\nq1_first56 = 2001:df0:9::/56\n' >"$work/w1/answers.txt"
run "$V6LAB" lab check 1 --dir "$work/w1"
if [ "$rc" -eq 1 ] && grep -qx "using $work/w1/answers.txt for the answers" <<<"$out" &&
   grep -q '^\[not met\] 1\. ' <<<"$out" && grep -qx '0 of 8 goals met' <<<"$out"; then
	ok "lab check 1 with three of goal 1's four answers: goal 1 not met, 0 of 8"
else
	bad "lab check 1 partial (exit $rc): $out"
fi

# A bad answers file: FILE:LINE:COL, exit 2.
printf 'q1_count56 = 256\nq1_count64 65536\n' >"$work/w1/answers.txt"
run "$V6LAB" lab check 1 --dir "$work/w1"
if [ "$rc" -eq 2 ] && grep -q "^$work/w1/answers.txt:2:1: expected KEY = VALUE" <<<"$out"; then
	ok "a line without '=' in answers.txt: file:line:col, exit 2"
else
	bad "bad answers.txt (exit $rc): $out"
fi
printf 'q1_count5 = 256\n' >"$work/w1/answers.txt"
run "$V6LAB" lab check 1 --dir "$work/w1"
if [ "$rc" -eq 2 ] && grep -q "answers.txt:1:1: unknown key 'q1_count5'" <<<"$out"; then
	ok "a misspelt key: named with file:line:col, exit 2"
else
	bad "misspelt key (exit $rc): $out"
fi

# Lab 1 has no scenario: run points at v6lab addr.
run "$V6LAB" lab run 1
if [ "$rc" -eq 2 ] && grep -q 'lab 1 has no scenario' <<<"$out" && grep -q 'v6lab addr' <<<"$out"; then
	ok "lab run 1: no scenario, points at v6lab addr"
else
	bad "lab run 1 (exit $rc): $out"
fi

# lab run 2: the transcript and the captures in --out.
run "$V6LAB" lab run 2 --out "$work/out2"
if [ "$rc" -eq 0 ] && [ -s "$work/out2/lan.pcap" ] && grep -q '^PASS ' <<<"$out"; then
	ok "lab run 2 --out: exit 0, PASS lines, lan.pcap written"
else
	bad "lab run 2 (exit $rc): $(tail -3 <<<"$out")"
fi
if command -v tshark >/dev/null; then
	n=$(tshark -r "$work/out2/lan.pcap" -Y 'arp || eth.dst == ff:ff:ff:ff:ff:ff' 2>/dev/null | wc -l)
	m=$(tshark -r "$work/out2/lan.pcap" -Y 'icmpv6.type == 135 && ipv6.dst == ff02::1:ff53:b0f8 && eth.dst == 33:33:ff:53:b0:f8' 2>/dev/null | wc -l)
	if [ "$n" -eq 0 ] && [ "$m" -ge 2 ]; then
		ok "tshark on lab 2's lan.pcap: no ARP or broadcast, $m NS to ff02::1:ff53:b0f8 on 33:33:ff:53:b0:f8"
	else
		bad "tshark on lab 2's capture: $n ARP/broadcast frames, $m NS to a2's group"
	fi
fi

# lab run --step and --html: the student's files swapped in. A rapid-commit
# dhcp6c.conf (the solution plus `send rapid-commit;`) makes an exchange
# without Advertise and Request, which tells its runs from the solution's.
mkdir -p "$work/rc"
sed 's/^\(\t*\)send ia-pd 0;/&\n\1send rapid-commit;/' labs/04-dhcpv6-pd/solution/dhcp6c.conf >"$work/rc/dhcp6c.conf"
run "$V6LAB" lab check 4 --dir "$work/rc"
if [ "$rc" -eq 0 ] && grep -q 'send rapid-commit;' "$work/rc/dhcp6c.conf" && grep -qx '6 of 6 goals met' <<<"$out"; then
	ok "lab check 4 with rapid commit added to the solution: 6 of 6 goals met"
else
	bad "lab check 4 rapid commit (exit $rc): $(grep -m1 -A1 '^\[not met\]' <<<"$out")"
fi
step_out=$(printf 'q\n' | "$V6LAB" lab run 4 --dir "$work/rc" --step --out "$work/s4" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ "$(sed -n 1p <<<"$step_out")" = "using $work/rc/dhcp6c.conf for k7:/usr/local/etc/dhcp6c.conf" ] &&
   [ "$(sed -n 2p <<<"$step_out")" = "step 1  t=0.000000s  bras# dhcp6s -P 2001:44b8:7bf1:a50::/60 -n 1 -t 300,480 -l 600,1200 eth0" ] &&
   grep -qx '\[n\]ext \[b\]ack \[c\]ontinue \[q\]uit \[?\]help' <<<"$step_out" && ! grep -q '^step 2 ' <<<"$step_out"; then
	ok "printf 'q\\n' | lab run 4 --dir WORK --step: the using line, step 1 (lab.scn's first command), the keys, nothing more"
else
	bad "lab run --step (exit $rc): $(head -4 <<<"$step_out")"
fi
# End of input: the rest runs, and the transcript is the plain lab run's.
"$V6LAB" lab run 4 --dir "$work/rc" --out "$work/p4" >"$work/p4.txt" 2>&1
step_out=$(printf '' | "$V6LAB" lab run 4 --dir "$work/rc" --step --out "$work/s4b" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ "$(sed -n '/^--- end of the run: /,$p' <<<"$step_out" | tail -n +2)" = "$(sed '1d;$d' "$work/p4.txt")" ] &&
   cmp -s "$work/s4b/adsl.pcap" "$work/p4/adsl.pcap"; then
	ok "lab run 4 --dir WORK --step to the end: the transcript and adsl.pcap of lab run 4 --dir WORK"
else
	bad "lab run --step to the end (exit $rc)" "$(diff <(sed '1d;$d' "$work/p4.txt") <(sed -n '/^--- end of the run: /,$p' <<<"$step_out" | tail -n +2) | head -5)"
fi
if command -v tshark >/dev/null; then
	types=$(tshark -r "$work/s4b/adsl.pcap" -Y dhcpv6 -T fields -e dhcpv6.msgtype 2>/dev/null | sort -un | tr '\n' ' ')
	[ "$types" = "1 5 7 " ] && ok "tshark on the stepped run's adsl.pcap: DHCPv6 types $types(rapid commit: no 2 or 3)" ||
		bad "the stepped run is not the student's rapid-commit one: DHCPv6 types '$types'"
fi
run "$V6LAB" lab run 4 --dir "$work/rc" --html "$work/r4.html" --out "$work/h4"
run2=$("$V6LAB" lab run 4 --html "$work/r4s.html" --dir labs/04-dhcpv6-pd/solution --out "$work/h4s" 2>&1)
if [ "$rc" -eq 0 ] && grep -q '<svg' "$work/r4.html" && grep -q 'dhcp6 solicit' "$work/r4.html" &&
   ! grep -q 'dhcp6 advertise' "$work/r4.html" && grep -q 'dhcp6 advertise' "$work/r4s.html" &&
   grep -qx "captures: $work/h4/LINK.pcap, one per link" <<<"$out"; then
	ok "lab run 4 --dir WORK --html: a page with the ladder, WORK's exchange (no advertise; the solution's has one)"
else
	bad "lab run --html (exit $rc): $(tail -2 <<<"$out")"
fi
# --out and --html never write into scenarios/ or captures/ (v6lab run's rule, shared).
for args in "lab run 2 --out scenarios/labtest" "lab run 2 --out out/../captures/labtest" \
	"lab run 2 --html captures/labtest.html" "run scenarios/lan-ping6.scn --out captures/labtest"; do
	# shellcheck disable=SC2086
	run "$V6LAB" $args
	if [ "$rc" -eq 2 ] && grep -q "will not write .* (scenarios/ and captures/ are inputs)" <<<"$out" &&
	   [ ! -e scenarios/labtest ] && [ ! -e captures/labtest ] && [ ! -e captures/labtest.html ]; then
		ok "v6lab $args: refused, exit 2, nothing written"
	else
		bad "v6lab $args (exit $rc): $out"
	fi
done
run "$V6LAB" lab run 4 --step --html "$work/x.html"
if [ "$rc" -eq 2 ] && grep -q 'does not go with --html' <<<"$out"; then ok "lab run --step --html: exit 2"; else bad "--step --html (exit $rc): $out"; fi
run "$V6LAB" lab check 4 --step
if [ "$rc" -eq 2 ] && grep -q 'go with run, not check' <<<"$out"; then ok "lab check --step: exit 2 (run only)"; else bad "check --step (exit $rc): $out"; fi

# lab run --ladder: the ladder of the student's own run. Lab 3's solution
# dials (PADI and PADR from k7 to bras, PADO and PADS back: k7 is the
# first column); the starting ppp.conf names the wrong card, so its ladder
# has k7's ND on sk0 but no PPPoE at all, and the failed goals on stderr.
"$V6LAB" lab run 3 --dir labs/03-pppoe-ppp/solution --ladder --text --links adsl >"$work/l3.txt" 2>"$work/l3.err"
rc=$?
echo "     ran: v6lab lab run 3 --dir labs/03-pppoe-ppp/solution --ladder --text --links adsl: exit $rc, $(wc -l <"$work/l3.txt") lines"
if [ "$rc" -eq 0 ] && grep -Eq '^ +time +k7 +bras$' "$work/l3.txt" &&
   grep -Eq -- '-->\|  PPPoE PADI ' "$work/l3.txt" && grep -Eq '\|<--+\|  PPPoE PADO ' "$work/l3.txt" &&
   grep -Eq -- '-->\|  PPPoE PADR ' "$work/l3.txt" && grep -Eq '\|<--+\|  PPPoE PADS ' "$work/l3.txt" &&
   [ "$(cat "$work/l3.err")" = "using labs/03-pppoe-ppp/solution/ppp.conf for k7:/etc/ppp/ppp.conf" ]; then
	ok "lab run 3 --dir solution --ladder --text: k7 -> bras PADI, PADR; bras -> k7 PADO, PADS; the using line alone on stderr"
else
	bad "lab run 3 --ladder (exit $rc): $(head -8 "$work/l3.txt") / $(head -2 "$work/l3.err")"
fi
"$V6LAB" lab run 3 --ladder --text --links adsl >"$work/l3s.txt" 2>"$work/l3s.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'router solicitation' "$work/l3s.txt" && ! grep -q 'PPPoE' "$work/l3s.txt" &&
   grep -q '^FAIL labs/03-pppoe-ppp/lab.scn:39: .*ether\[15\] == 0x09' "$work/l3s.err"; then
	ok "lab run 3 --ladder with the starting files: exit 1, ND arrows but no PPPoE one, the PADI expectation failed on stderr"
else
	bad "lab run 3 --ladder starting files (exit $rc): $(grep -c PPPoE "$work/l3s.txt") PPPoE lines, $(head -1 "$work/l3s.err")"
fi
# The same drawing as `v6lab ladder` of the lab's scenario (lab 2 has no
# configuration file to swap), window included.
run "$V6LAB" lab run 2 --ladder --text --from 12s --to 13s
want=$("$V6LAB" ladder labs/02-nd-multicast/lab.scn --text --from 12s --to 13s 2>&1)
if [ "$rc" -eq 0 ] && [ "$out" = "$want" ] && grep -q 'neighbor solicitation' <<<"$out" && ! grep -q '^ *1[0-1]\.\| 0\.' <<<"$out"; then
	ok "lab run 2 --ladder --text --from 12s --to 13s: byte for byte v6lab ladder's, 12-13 s only"
else
	bad "lab run 2 --ladder vs v6lab ladder (exit $rc): $(diff <(echo "$want") <(echo "$out") | head -4)"
fi
# -o: a standalone SVG with the student's PPPoE labels, nothing on stdout;
# then the refusals: an existing file without --force, scenarios/, captures/.
svgout=$("$V6LAB" lab run 3 --dir labs/03-pppoe-ppp/solution --ladder -o "$work/l3.svg" --links adsl 2>/dev/null)
rc=$?
if [ "$rc" -eq 0 ] && [ -z "$svgout" ] && head -1 "$work/l3.svg" | grep -q '^<?xml' && grep -q '<svg ' "$work/l3.svg" &&
   grep -q 'PPPoE PADS' "$work/l3.svg" && grep -q '</svg>' "$work/l3.svg"; then
	ok "lab run 3 --dir solution --ladder -o FILE.svg: an SVG with the PADS label, stdout empty"
else
	bad "lab run 3 --ladder -o (exit $rc, stdout '$svgout'): $(head -c 200 "$work/l3.svg" 2>&1)"
fi
echo 'keep me' >"$work/keep.svg"
run "$V6LAB" lab run 3 --ladder -o "$work/keep.svg"
if [ "$rc" -eq 2 ] && grep -qx "v6lab lab: $work/keep.svg: exists (use --force to overwrite)" <<<"$out" &&
   [ "$(cat "$work/keep.svg")" = "keep me" ]; then
	ok "lab run 3 --ladder -o EXISTING: refused, exit 2, the file untouched"
else
	bad "lab run --ladder -o existing (exit $rc): $out"
fi
run "$V6LAB" lab run 3 --ladder -o "$work/keep.svg" --force
if [ "$rc" -eq 1 ] && grep -q '<svg ' "$work/keep.svg"; then
	ok "lab run 3 --ladder -o EXISTING --force: overwritten with an SVG (exit 1: the starting files fail)"
else
	bad "lab run --ladder --force (exit $rc): $(head -c 100 "$work/keep.svg")"
fi
for o in scenarios/labtest.svg captures/labtest.svg out/../captures/labtest.svg; do
	run "$V6LAB" lab run 3 --ladder -o "$o"
	if [ "$rc" -eq 2 ] && grep -qF "will not write the ladder into '$o' (scenarios/ and captures/ are inputs)" <<<"$out" &&
	   [ ! -e scenarios/labtest.svg ] && [ ! -e captures/labtest.svg ]; then
		ok "lab run 3 --ladder -o $o: refused, exit 2, nothing written"
	else
		bad "lab run --ladder -o $o (exit $rc): $out"
	fi
done
run "$V6LAB" ladder scenarios/lan-ping6.scn -o captures/labtest.svg
if [ "$rc" -eq 2 ] && grep -qF "will not write the ladder into 'captures/labtest.svg'" <<<"$out" &&
   [ ! -e captures/labtest.svg ]; then
	ok "v6lab ladder -o captures/labtest.svg: refused as well, exit 2"
else
	bad "v6lab ladder -o captures/labtest.svg (exit $rc): $out"
fi
for args in "run 3 --text:go with --ladder" "run 3 --ladder --step:does not go with --step" \
	"run 3 --ladder --out $work/x:does not go with --step, --html or --out" \
	"check 3 --ladder:go with run, not check" "run 3 --ladder --seed 1:--seed does not go with lab run" \
	"run 3 --ladder --text -o $work/y.svg:--text and -o: choose one" "run 3 --ladder --to:--to needs a value"; do
	# shellcheck disable=SC2086
	run "$V6LAB" lab ${args%%:*}
	if [ "$rc" -eq 2 ] && grep -qF -- "${args#*:}" <<<"$out" && [ ! -e "$work/y.svg" ]; then
		ok "lab ${args%%:*}: exit 2, '${args#*:}'"
	else
		bad "lab ${args%%:*} (exit $rc): $out"
	fi
done

# --dir with a scenario file: the override line and the student's file used;
# a file the scenario needs in neither place is named.
mkdir -p "$work/labs/09-t/files" "$work/w9"
cat >"$work/labs/09-t/lab.scn" <<'SCN'
node a host
link l ethernet a:e0
file a:/etc/motd from files/motd
at 1s a# cat /etc/motd
goal "a says hello" hint "write hello into motd"
expect within 1s a says "hello"
SCN
echo 'bye' >"$work/labs/09-t/files/motd"
echo '# Lab 9 — Test' >"$work/labs/09-t/README.md"
echo 'hello' >"$work/w9/motd"
run env V6LAB_LABS="$work/labs" "$V6LAB" lab check 9 --dir "$work/w9"
if [ "$rc" -eq 0 ] && grep -qx "using $work/w9/motd for a:/etc/motd" <<<"$out" &&
   grep -qx '\[met\]     1\. a says hello' <<<"$out" && head -1 <<<"$out" | grep -qx 'lab 9 — Test'; then
	ok "--dir: the student's motd replaces files/motd (using line, goal met)"
else
	bad "--dir override (exit $rc): $out"
fi
run env V6LAB_LABS="$work/labs" "$V6LAB" lab check 9
if [ "$rc" -eq 1 ] && grep -qx '          hint: write hello into motd' <<<"$out"; then
	ok "without --dir: files/motd, goal not met, its hint printed"
else
	bad "no --dir (exit $rc): $out"
fi
rm "$work/labs/09-t/files/motd" "$work/w9/motd"
run env V6LAB_LABS="$work/labs" "$V6LAB" lab check 9 --dir "$work/w9"
if [ "$rc" -eq 2 ] && grep -q "lab 9 needs motd for a:/etc/motd" <<<"$out"; then
	ok "a file in neither place: named, exit 2"
else
	bad "missing file (exit $rc): $out"
fi

# Usage errors.
run "$V6LAB" lab check 99
if [ "$rc" -eq 2 ] && grep -q 'no lab 99' <<<"$out"; then ok "lab check 99: no such lab, exit 2"; else bad "lab 99 (exit $rc): $out"; fi
run "$V6LAB" lab check x1
if [ "$rc" -eq 2 ] && grep -q "invalid lab number 'x1'" <<<"$out"; then ok "lab check x1: invalid number, exit 2"; else bad "x1 (exit $rc): $out"; fi
run "$V6LAB" lab init 1
if [ "$rc" -eq 2 ] && grep -q 'init needs --dir' <<<"$out"; then ok "lab init without --dir: exit 2"; else bad "init no dir (exit $rc): $out"; fi

# hash: the normal form and the SHA-256 that sha256sum gives for it.
run "$V6LAB" lab hash ' 2001:DF0:0009::0202:0083:0176:0248 '
want=$(printf '%s' '2001:df0:9:0:202:83:176:248' | sha256sum | cut -d' ' -f1)
if [ "$rc" -eq 0 ] && grep -qx 'normal form  2001:df0:9:0:202:83:176:248' <<<"$out" &&
   grep -qx "sha256       $want" <<<"$out"; then
	ok "lab hash: RFC 5952 normal form and sha256sum's hash of it"
else
	bad "lab hash (exit $rc): $out"
fi

# The implicit goal's hint sends the student to the transcript of their own
# files: a nat6to4.conf that stops nat6to4d fails lab 8's first goal, and
# the hint names `--dir WORK` (the starting files' transcript looks fine).
mkdir -p "$work/w8bad"
cp labs/08-troubleshooting/files/* "$work/w8bad/"
echo 'bogus line' >>"$work/w8bad/nat6to4.conf"
run "$V6LAB" lab check 8 --dir "$work/w8bad"
if [ "$rc" -eq 1 ] && grep -q '^\[not met\] 1\. the lab.s network comes up' <<<"$out" &&
   grep -qF "hint: run \`v6lab lab run 8 --dir $work/w8bad\` and read the transcript" <<<"$out"; then
	ok "lab check 8 with a broken nat6to4.conf: goal 1 not met, its hint names --dir $work/w8bad"
else
	bad "lab check 8 --dir w8bad (exit $rc): $(grep -A1 '^\[not met\]' <<<"$out" | head -2)"
fi
# Every hint that says to step through a run steps through the student's
# files (lab run N --dir WORK --step), not the lab's starting files.
if grep -n 'hint "[^"]*v6lab run --step' labs/*/lab.scn; then
	bad "a lab.scn hint steps through the starting files (above): use lab run N --dir WORK --step"
else
	ok "no lab.scn hint says 'v6lab run --step' (the starting files) instead of 'lab run N --dir WORK --step'"
fi

# v6lab run on a lab's own lab.scn: captures in out/labNN, as `lab run NN`
# writes them, not in one out/lab shared by every lab.
repo=$PWD
mkdir -p "$work/defout"
(cd "$work/defout" && "$repo/bin/v6lab" run "$repo/labs/02-nd-multicast/lab.scn" --quiet >/dev/null 2>&1)
echo "     ran: (in a scratch dir) v6lab run labs/02-nd-multicast/lab.scn --quiet; out/: $(ls "$work/defout/out" 2>/dev/null | tr '\n' ' ')"
if [ -s "$work/defout/out/lab02/lan.pcap" ] && [ ! -e "$work/defout/out/lab" ]; then
	ok "v6lab run labs/02-nd-multicast/lab.scn writes out/lab02/"
else
	bad "v6lab run labs/02-nd-multicast/lab.scn writes out/lab02/"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
