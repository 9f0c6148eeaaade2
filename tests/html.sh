#!/usr/bin/env bash
# `v6lab run --html` (sim/report/) and the ladder SVG, looked at as a person
# would: the report of lan-ping6 (every expectation held) and of a copy
# with one expectation broken (and `<` `&` in its text) is checked as text
# (same stdout and exit status as without --html, one row per expectation
# of the scenario file, capture links to files that exist with the frame
# counts tcpdump finds in them, escaping, the same bytes twice, a refusal
# to write below scenarios/); the Files section (a row per `file` line:
# internode-adsl's three, a scenario whose files hold < & and a control
# byte, `lab run 3 --dir` showing the student's ppp.conf); then headless
# Chromium renders it: the DOM it
# built has the ladder's arrows and labels, and its screenshot is read
# pixel by pixel (python3, the PNG decoded with zlib): the size asked for,
# not blank, the multicast arrows' blue, PASS green, FAIL red only in the
# broken run, dark text. `v6lab ladder -o x.svg` gets the same look-check.
# Chromium is a declared dependency (scripts/deps.sh): missing, it fails.
set -uo pipefail
cd "$(dirname "$0")/.."
V6LAB=$(realpath "${V6LAB:-bin/v6lab}")
work=$(mktemp -d "${TMPDIR:-/tmp}/v6lab-html.XXXXXX")
shot_dir=out/html
chrome_pgid=
cleanup() {
	# Only the process group of the Chromium this test started.
	[ -z "$chrome_pgid" ] || kill -- "-$chrome_pgid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
pass=0
fail=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# ---- helpers ----------------------------------------------------------------

# PNG statistics: "W H NONBG BLUE GREEN RED DARK DARK_RIGHT" (pixel
# counts). Colours within 24 (sum of channel differences) of the page's and
# the SVG's CSS: background #ffffff, multicast arrow #1565c0, PASS #2e7d32,
# FAIL #d32f2f; dark: every channel below 90 (text, black arrows);
# DARK_RIGHT: dark pixels at x >= X0 (the optional second argument).
cat >"$work/pngstat.py" <<'EOF'
import sys, zlib, struct, collections
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat = 8, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
assert depth == 8 and ctype in (2, 6) and interlace == 0, 'unsupported PNG'
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
x0 = int(sys.argv[2]) if len(sys.argv) > 2 else w
prev, counts, right = bytearray(stride), collections.Counter(), collections.Counter()
def unfilter(f, line, prev):  # Sub, Average, Paeth: byte by byte
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    return line
# Byte-wise a + b mod 256 on whole rows as big integers (no carry between
# bytes): most of a screenshot's rows use the Up filter.
lo7, hi1 = int.from_bytes(b'\x7f' * stride, 'big'), int.from_bytes(b'\x80' * stride, 'big')
def add_rows(a, b):
    x, y = int.from_bytes(a, 'big'), int.from_bytes(b, 'big')
    return bytearray((((x & lo7) + (y & lo7)) ^ ((x ^ y) & hi1)).to_bytes(stride, 'big'))
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    if f == 2:
        line = add_rows(line, prev)
    elif f == 1 and line.count(0, bpp) == stride - bpp:
        line = line[:bpp] * w  # a flat row: every pixel like the first
    elif f != 0:
        line = unfilter(f, line, prev)
    counts.update(zip(line[0::bpp], line[1::bpp], line[2::bpp]))
    r = line[x0 * bpp:]
    right.update(zip(r[0::bpp], r[1::bpp], r[2::bpp]))
    prev = line
def near(rgb):
    return sum(n for c, n in counts.items() if sum(abs(x - y) for x, y in zip(c, rgb)) <= 24)
def dark(cs):
    return sum(n for c, n in cs.items() if max(c) < 90)
print(w, h, w * h - near((255, 255, 255)), near((0x15, 0x65, 0xc0)), near((0x2e, 0x7d, 0x32)),
      near((0xd3, 0x2f, 0x2f)), dark(counts), dark(right))
EOF

# chromium ARGS...: one headless Chromium, in its own process group so the
# trap can end what it leaves behind; its own HOME and profile.
chromium_run() {
	mkdir -p "$work/home"
	HOME="$work/home" setsid timeout 60 chromium --headless --no-sandbox --disable-gpu \
		--disable-dev-shm-usage --hide-scrollbars --user-data-dir="$work/home/profile" \
		--no-first-run "$@" 2>>"$work/chromium.err" &
	chrome_pgid=$!
	wait "$chrome_pgid"
	local rc=$?
	kill -- "-$chrome_pgid" 2>/dev/null
	chrome_pgid=
	return $rc
}

# screenshot PAGE PNG WIDTH HEIGHT
screenshot() {
	chromium_run --window-size="$3,$4" --screenshot="$2" "file://$1" >/dev/null &&
		[ -s "$2" ]
}

# count PATTERN FILE: lines of FILE with PATTERN (grep -c, 0 when none).
count() { grep -c -- "$1" "$2"; }

# ---- the runs ----------------------------------------------------------------

# The broken copy: the sysctl expectation wants text never printed (with
# < & > in it), an RS filter uses `<`, a comment holds a <script> tag.
sed -e 's|gw says "net.inet6.ip6.forwarding: 0 -> 1"|gw says "forwarding: 0 -> 1 <\&> never"|' \
	-e 's|"icmp6 and ip6\[40\] == 133"|"icmp6 and ip6[40] < 134 and ip6[40] > 132"|' \
	-e '1a # <script>alert("x")</script> & friends' \
	scenarios/lan-ping6.scn >"$work/broken.scn"
if grep -q 'never"' "$work/broken.scn" && grep -q '\] < 134' "$work/broken.scn"; then
	ok "broken copy of lan-ping6.scn written ($work/broken.scn)"
else
	bad "broken copy: sed did not change the expectations (lan-ping6.scn changed?)"
fi

# Plain and --html runs of both; relative paths from $work, as a student types them.
cp scenarios/lan-ping6.scn "$work/lan-ping6.scn"
(
	cd "$work" || exit 1
	for n in lan-ping6 broken; do
		"$V6LAB" run "$n.scn" --out "plain-$n" >"plain-$n.txt" 2>&1
		echo $? >"plain-$n.rc"
		"$V6LAB" run "$n.scn" --out "caps-$n" --html "$n.html" >"html-$n.txt" 2>&1
		echo $? >"html-$n.rc"
	done
	"$V6LAB" run lan-ping6.scn --out caps-again --html again.html >/dev/null 2>&1
)
for n in lan-ping6 broken; do
	want=$([ $n = broken ] && echo 1 || echo 0)
	p=$(cat "$work/plain-$n.rc") h=$(cat "$work/html-$n.rc")
	if [ "$p" = "$want" ] && [ "$h" = "$want" ]; then
		ok "$n: exit status $h with --html, $p without"
	else
		bad "$n: exit status $h with --html, $p without (want $want)"
	fi
	if cmp -s "$work/plain-$n.txt" "$work/html-$n.txt"; then
		ok "$n: output with --html identical to without ($(wc -l <"$work/html-$n.txt") lines)"
	else
		bad "$n: output differs with --html:"
		diff "$work/plain-$n.txt" "$work/html-$n.txt" | head -5
	fi
	if [ -s "$work/$n.html" ] && [ ! -e "$work/$n.html.tmp" ]; then
		ok "$n: $n.html written ($(wc -c <"$work/$n.html") bytes), no .tmp left"
	else
		bad "$n: $n.html missing or $n.html.tmp left behind"
	fi
done

# ---- the page as text ----------------------------------------------------------

page=$work/lan-ping6.html
broken=$work/broken.html
nexp=$(grep -c '^expect' scenarios/lan-ping6.scn)
rows=$(count '<tr class="v6-expect"' "$page")
passes=$(count '<td class="v6-verdict v6-pass">PASS</td>' "$page")
if [ "$rows" -eq "$nexp" ] && [ "$passes" -eq "$nexp" ]; then
	ok "lan-ping6: $rows expectation rows, $passes PASS, as the file's $nexp expect lines"
else
	bad "lan-ping6: $rows rows, $passes PASS; the file has $nexp expect lines"
fi
# Each expect line of the file has its row: FILE:LINE then its text.
missing=0
while IFS=: read -r line text; do
	text=${text%%#*}
	text=$(sed -e 's/[[:space:]]*$//' -e 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g' <<<"$text")
	grep -qF "<code>lan-ping6.scn:$line</code></td><td><code>$text</code>" "$page" || {
		missing=$((missing + 1)); echo "  no row for line $line: $text"; }
done < <(grep -n '^expect' "$work/lan-ping6.scn")
if [ "$missing" -eq 0 ]; then ok "lan-ping6: each expect line has its row (file:line, text)"
else bad "lan-ping6: $missing expect lines without their row"; fi

fails=$(count '<td class="v6-verdict v6-fail">FAIL</td>' "$broken")
bpass=$(count '<td class="v6-verdict v6-pass">PASS</td>' "$broken")
if [ "$fails" -eq 1 ] && [ "$bpass" -eq $((nexp - 1)) ]; then
	ok "broken: 1 FAIL row, $bpass PASS rows"
else
	bad "broken: $fails FAIL rows, $bpass PASS rows (want 1 and $((nexp - 1)))"
fi
if grep -qF 'gw says &quot;forwarding: 0 -&gt; 1 &lt;&amp;&gt; never&quot;</code></td><td class="v6-verdict v6-fail">FAIL</td><td><pre class="v6-seen">' "$broken"; then
	ok "broken: the failed expectation escaped (&lt;&amp;&gt;), FAIL, with what was seen instead"
else
	bad "broken: no escaped FAIL row for the sysctl expectation"
fi
if grep -qF '&quot;icmp6 and ip6[40] &lt; 134 and ip6[40] &gt; 132&quot;</code></td><td class="v6-verdict v6-pass">PASS' "$broken"; then
	ok "broken: the filter with '<' escaped, and it held"
else
	bad "broken: no escaped PASS row for the filter with '<'"
fi
# No raw '<' from the scenario: every tag in the page is one the page writes.
strays=$(grep -oE '<[^ >/]+' "$broken" | sort -u | grep -vxE '<(!DOCTYPE|html|head|meta|title|style|body|h1|h2|code|p|a|span|table|tr|th|td|pre|div|details|summary|svg|defs|marker|path|rect|text|line|circle)' | tr '\n' ' ')
if [ -z "$strays" ] && ! grep -q '<script' "$broken"; then
	ok "broken: no tag from the scenario's text leaked (no <script, no <&>)"
else
	bad "broken: unexpected tags: $strays"
fi
if grep -qE '<script|<link|src=|@import|url\(http' "$page"; then
	bad "lan-ping6: the page loads something or runs a script"
else
	ok "lan-ping6: self-contained (no script, no <link>, no src=, no @import)"
fi

# Capture links: relative, to files that exist, with tcpdump's frame counts.
links=$(grep -oE '<tr><td>[^<]+</td><td>[a-z0-9]+</td><td class="v6-num">[0-9]+</td><td><a class="v6-capture" href="[^"]+"' "$page" |
	sed -E 's|<tr><td>([^<]+)</td><td>[a-z0-9]+</td><td class="v6-num">([0-9]+)</td><td><a class="v6-capture" href="([^"]+)"|\1 \2 \3|')
nlinks=$(grep -c '^link ' scenarios/lan-ping6.scn)
seen=0
while read -r name frames href; do
	[ -n "$name" ] || continue
	seen=$((seen + 1))
	got=$(tcpdump -n -r "$work/$href" 2>/dev/null | wc -l)
	if [ "$href" = "caps-lan-ping6/$name.pcap" ] && [ -f "$work/$href" ] && [ "$got" -eq "$frames" ]; then
		ok "link $name: href=\"$href\" exists, $frames frames (tcpdump reads $got)"
	else
		bad "link $name: href=\"$href\" (exists: $([ -f "$work/$href" ] && echo yes || echo no)), page says $frames frames, tcpdump reads $got"
	fi
done <<<"$links"
if [ "$seen" -eq "$nlinks" ]; then ok "lan-ping6: one capture link per link ($seen)"
else bad "lan-ping6: $seen capture links, the scenario has $nlinks links"; fi
ndetails=$(count '<details class="v6-link">' "$page")
if [ "$ndetails" -eq "$nlinks" ] && grep -q 'lanA IP6 fe80::250:56ff:fe00:1 &gt; ff02::1: ICMP6, router advertisement' "$page"; then
	ok "lan-ping6: $ndetails <details> of tcpdump lines, the router advertisement among them"
else
	bad "lan-ping6: $ndetails <details> (want $nlinks) or no RA line"
fi
if grep -qF '[~] root@a1&gt;ping6 -c 2 2001:df0:9:b:20c:86ff:fe75:241b' "$page" &&
	grep -qF 'seed 20080503 &middot; start 2008-05-03 09:00:00 UTC' "$page"; then
	ok "lan-ping6: transcript with prompts; title with seed and start date"
else
	bad "lan-ping6: transcript prompt or seed/start line missing"
fi
if [ -s "$work/again.html" ] &&
	diff <(sed 's|caps-again/|caps-lan-ping6/|g' "$work/again.html") "$page" >/dev/null; then
	ok "lan-ping6: a second run gives the same page (captures' directory aside)"
else
	bad "lan-ping6: a second run gave another page"
fi
if "$V6LAB" run scenarios/lan-ping6.scn --out "$work/x" --html scenarios/report.html >"$work/refuse.txt" 2>&1; then
	bad "--html scenarios/report.html was accepted"
elif [ ! -e scenarios/report.html ] && grep -q "will not write a report into 'scenarios/report.html'" "$work/refuse.txt"; then
	ok "--html scenarios/report.html refused: $(head -1 "$work/refuse.txt")"
else
	bad "--html scenarios/report.html: $(head -1 "$work/refuse.txt")"
	rm -f scenarios/report.html
fi

# ---- the Files section ----------------------------------------------------------

# file_row PAGE NODE PATH FROM BYTES: the page has the row, HTML-escaped.
esc() { sed -e "s/&/\\&amp;/g; s/</\\&lt;/g; s/>/\\&gt;/g; s/\"/\\&quot;/g; s/'/\\&#39;/g" <<<"$1"; }
file_row() {
	grep -qF "<tr class=\"v6-file\"><td>$(esc "$2")</td><td><code>$(esc "$3")</code></td><td><code>$(esc "$4")</code></td><td class=\"v6-num\">$5</td>" "$1"
}

# internode-adsl: a row per `file ... from` line, in file order, with the
# size wc -c finds and each file's first line in the folded contents.
adsl=$work/adsl.html
"$V6LAB" run scenarios/internode-adsl.scn --out "$work/caps-adsl" --html "$adsl" >/dev/null 2>&1
nfile=$(grep -c '^file ' scenarios/internode-adsl.scn)
frows=$(count '<tr class="v6-file">' "$adsl")
if grep -qF '<h2 id="files">Files</h2>' "$adsl" && grep -qF '<a href="#files">Files</a>' "$adsl" &&
	[ "$frows" -eq "$nfile" ] && [ "$nfile" -ge 3 ]; then
	ok "internode-adsl: Files section linked from the top, $frows rows for $nfile file lines"
else
	bad "internode-adsl: Files section/link missing or $frows rows for $nfile file lines"
fi
order=
while read -r _ target _ from; do
	node=${target%%:*} path=${target#*:}
	bytes=$(wc -c <"scenarios/$from")
	first=$(esc "$(head -1 "scenarios/$from")")
	if file_row "$adsl" "$node" "$path" "$from" "$bytes" &&
		grep -qF "<pre>$first" "$adsl"; then
		ok "internode-adsl: row $node | $path | $from | $bytes bytes, contents start '$(head -c 40 "scenarios/$from")...'"
	else
		bad "internode-adsl: no row $node | $path | $from | $bytes bytes with its contents"
	fi
	order="$order$(grep -n -F "<td><code>$(esc "$from")</code></td>" "$adsl" | cut -d: -f1 | head -1) "
done < <(grep '^file ' scenarios/internode-adsl.scn)
if [ "$(tr ' ' '\n' <<<"$order" | grep . | sort -n | tr '\n' ' ')" = "$order" ]; then
	ok "internode-adsl: rows in the scenario's order (page lines $order)"
else
	bad "internode-adsl: rows out of order (page lines $order)"
fi
if grep -qF "$(realpath scenarios)" "$adsl"; then
	bad "internode-adsl: the page holds an absolute path the scenario did not write"
else
	ok "internode-adsl: no absolute path in the page"
fi

# A scenario whose files hold < & > and a control byte: a heredoc (origin
# FILE:LINE) and a `from` file with a tag in it.
printf 'x=<tag> & "q"\001\n' >"$work/odd&conf"
cat >"$work/files.scn" <<'SCN'
node k7 freebsd
node gw freebsd
link lan ethernet k7:sk0 gw:em0
file gw:/etc/odd.conf from odd&conf
file k7:/etc/hosts <<END
::1 localhost <script>alert(1)</script> & more
END
at 1s k7# cat /etc/hosts
SCN
(cd "$work" && "$V6LAB" run files.scn --html files.html >/dev/null 2>&1)
fpage=$work/files.html
if file_row "$fpage" gw /etc/odd.conf 'odd&conf' 15 &&
	grep -qF '<pre>x=&lt;tag&gt; &amp; &quot;q&quot;?' "$fpage"; then
	ok "files.scn: 'from odd&conf' row (15 bytes), contents escaped, control byte as '?'"
else
	bad "files.scn: no escaped row for odd&conf: $(grep -o '<tr class="v6-file">.\{0,200\}' "$fpage" | head -1)"
fi
if file_row "$fpage" k7 /etc/hosts files.scn:5 47 &&
	grep -qF '<pre>::1 localhost &lt;script&gt;alert(1)&lt;/script&gt; &amp; more' "$fpage" &&
	! grep -q '<script\|<tag' "$fpage"; then
	ok "files.scn: heredoc row from files.scn:5 (47 bytes), <script> escaped, no raw tag"
else
	bad "files.scn: heredoc row or its escaping wrong"
fi

# `lab run 3 --dir DIR --html`: the student's DIR/ppp.conf, with the
# student's edit in it, not the lab's files/ppp.conf.
sdir=$work/student
"$V6LAB" lab init 3 --dir "$sdir" >/dev/null 2>&1
echo '# edited by student <42> & co' >>"$sdir/ppp.conf"
"$V6LAB" lab run 3 --dir "$sdir" --out "$work/caps-lab3" --html "$work/lab3.html" >"$work/lab3.txt" 2>&1
bytes=$(wc -c <"$sdir/ppp.conf" 2>/dev/null || echo 0)
if file_row "$work/lab3.html" k7 /etc/ppp/ppp.conf "$sdir/ppp.conf" "$bytes" &&
	grep -qF '# edited by student &lt;42&gt; &amp; co' "$work/lab3.html" &&
	! grep -qF '<code>files/ppp.conf</code>' "$work/lab3.html"; then
	ok "lab run 3 --dir: row shows $sdir/ppp.conf ($bytes bytes) with the student's edit"
else
	bad "lab run 3 --dir: no row for $sdir/ppp.conf ($bytes bytes) with the edit: $(grep -o '<tr class="v6-file">.\{0,160\}' "$work/lab3.html" | head -1)"
fi
if file_row "$work/lab3.html" bras /etc/isp.conf labs/03-pppoe-ppp/lab.scn:"$(grep -n '^file bras:' labs/03-pppoe-ppp/lab.scn | cut -d: -f1)" \
	"$(sed -n '/^file bras:.*<<END/,/^END/p' labs/03-pppoe-ppp/lab.scn | sed '1d;$d' | wc -c)"; then
	ok "lab run 3 --dir: the lab's inline isp.conf row names lab.scn:LINE and its size"
else
	bad "lab run 3 --dir: no row for the inline bras:/etc/isp.conf"
fi

# ---- rendered by Chromium ----------------------------------------------------

if ! command -v chromium >/dev/null; then
	bad "chromium is not installed (scripts/deps.sh installs it): nothing rendered"
	echo "$pass passed, $fail failed"
	exit 1
fi

# The DOM Chromium built: the inline SVG's arrows and labels, the table.
if chromium_run --dump-dom "file://$page" >"$work/dom.html" && [ -s "$work/dom.html" ]; then
	arrows=$(grep -cE '<line class="arrow[^"]*"[^>]*marker-(end|start)="url\(#head\)"' "$work/dom.html")
	labels=$(grep -c '<text class="label"' "$work/dom.html")
	marker=$(grep -c '<marker id="head"' "$work/dom.html")
	frames=$(grep -oE '<p>[0-9]+ frames, time' "$page" | grep -oE '[0-9]+')
	if [ "$arrows" -ge 40 ] && [ "$labels" -eq "$frames" ] && [ "$marker" -eq 1 ]; then
		ok "DOM: $arrows arrow lines with an arrowhead marker, $labels labels for $frames frames"
	else
		bad "DOM: $arrows arrow lines with marker, $labels labels, $marker markers ($frames frames)"
	fi
	drows=$(grep -c '<tr class="v6-expect"' "$work/dom.html")
	if [ "$drows" -eq "$nexp" ]; then ok "DOM: $drows expectation rows"
	else bad "DOM: $drows expectation rows, want $nexp"; fi
else
	bad "chromium --dump-dom failed: $(tail -3 "$work/chromium.err")"
fi

# look NAME PNG [X0]: read the screenshot's statistics into w h nonbg blue
# green red dark right, and print them.
look() {
	local s
	s=$(python3 "$work/pngstat.py" "$2" ${3:+"$3"} 2>&1) || { echo "  pngstat $2: $s"; s="0 0 0 0 0 0 0 0"; }
	read -r w h nonbg blue green red dark right <<<"$s"
	echo "  $1: ${w}x$h, $nonbg non-background px ($((nonbg * 100 / (w * h + 1)))%)," \
		"blue $blue, green $green, red $red, dark $dark"
}

for n in lan-ping6 broken; do
	png=$work/$n.png
	if ! screenshot "$work/$n.html" "$png" 1280 2000; then
		bad "$n: no screenshot: $(tail -3 "$work/chromium.err")"
		continue
	fi
	look "$n.png" "$png"
	if [ "${w:-0}" -eq 1280 ] && [ "${h:-0}" -eq 2000 ]; then ok "$n.png: ${w}x$h as asked"
	else bad "$n.png: ${w:-?}x${h:-?}, asked 1280x2000"; continue; fi
	# A blank or unstyled page has almost nothing but white.
	if [ "$nonbg" -ge $((w * h / 20)) ]; then ok "$n.png: not blank ($nonbg non-background pixels, >= 5%)"
	else bad "$n.png: nearly blank ($nonbg non-background pixels)"; fi
	if [ "$blue" -ge 1000 ]; then ok "$n.png: ladder's multicast arrows drawn (blue #1565c0: $blue px)"
	else bad "$n.png: ladder's blue arrows missing ($blue px)"; fi
	if [ "$dark" -ge 20000 ]; then ok "$n.png: dark text and black arrows ($dark px)"
	else bad "$n.png: too little dark text ($dark px)"; fi
	if [ "$green" -ge 3000 ]; then ok "$n.png: PASS green present ($green px)"
	else bad "$n.png: PASS green missing ($green px)"; fi
	if [ $n = broken ]; then
		if [ "$red" -ge 1000 ]; then ok "$n.png: FAIL red present ($red px)"
		else bad "$n.png: FAIL red missing ($red px)"; fi
	elif [ "$red" -lt 50 ]; then ok "$n.png: no FAIL red when all held ($red px)"
	else bad "$n.png: FAIL red in a run where all held ($red px)"; fi
done
if [ -s "$work/broken.png" ]; then
	mkdir -p "$shot_dir" && cp "$work/broken.png" "$shot_dir/report-broken.png" &&
		echo "screenshot for a person to look at: $shot_dir/report-broken.png"
fi

# The standalone ladder SVG: rendered, with arrows, and labels right of the
# lifelines (dark pixels from the labels' x on).
svg=$work/ladder.svg
if "$V6LAB" ladder scenarios/lan-ping6.scn -o "$svg" 2>"$work/ladder.err" && [ -s "$svg" ] &&
	screenshot "$svg" "$work/ladder.png" 1600 1400; then
	x0=$(grep -oE '<text class="label" x="[0-9]+"' "$svg" | head -1 | sed -E 's/.*x="([0-9]+)"/\1/')
	look ladder.png "$work/ladder.png" "${x0:-1600}"
	if [ "$w" -eq 1600 ] && [ "$h" -eq 1400 ] && [ "$nonbg" -ge $((w * h / 50)) ]; then
		ok "ladder.svg rendered ${w}x$h, not blank ($nonbg non-background px)"
	else
		bad "ladder.svg rendered ${w}x$h, $nonbg non-background px"
	fi
	if [ "$blue" -ge 1000 ] && [ "$dark" -ge 10000 ]; then
		ok "ladder.svg: multicast arrows blue ($blue px), black arrows and text ($dark dark px)"
	else
		bad "ladder.svg: blue $blue px, dark $dark px"
	fi
	if [ -n "$x0" ] && [ "$right" -ge 10000 ]; then
		ok "ladder.svg: labels drawn right of x=$x0 ($right dark px)"
	else
		bad "ladder.svg: labels missing right of x=${x0:-?} ($right dark px)"
	fi
else
	bad "v6lab ladder -o / its screenshot failed: $(tail -2 "$work/ladder.err" "$work/chromium.err")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
