/*
 * The report page of `v6lab run --html` (sim/report/): HTML escaping of
 * text and hrefs compared with strings written out here; the captures'
 * directory as seen from the page; the page's structure from a model
 * built by hand (one row per expectation with its colour class, escaped
 * scenario text, capture links, the inline SVG without an XML
 * declaration, nothing external); and report_run on a small scenario:
 * the same output as scn_run, the page in place and no .tmp left, a
 * failing expectation rendered as FAIL, and an unwritable page (no such
 * directory, a directory) refused before anything runs. The "Files"
 * section: rows in file order with origin, size and escaped contents,
 * from a hand-built model and from a run with a `from` and a heredoc file.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report.h"

int suite_report(void);

static char tmpdir[64];

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* ---- escaping ---------------------------------------------------------- */

static char *escaped(const char *s, size_t len, bool href)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	if (href)
		report_put_href(f, s);
	else
		report_put_text(f, s, len);
	fclose(f);
	return buf;
}

static void test_escape_text(void)
{
	const char in[] = "a<b & \"c\" 'd'>\x01\x7f\ttab\n\xc3\xbc\0z";
	char *got = escaped(in, sizeof in - 1, false);
	CU_ASSERT_STRING_EQUAL(got, "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;??\ttab\n\xc3\xbc?z");
	free(got);
}

static void test_escape_href(void)
{
	char *got = escaped("../my caps/lan#1&\"x\".pcap", 0, true);
	CU_ASSERT_STRING_EQUAL(got, "../my%20caps/lan%231%26%22x%22.pcap");
	free(got);
}

/* ---- the captures' directory from the page ----------------------------- */

static void rel(const char *page, const char *dir, const char *want)
{
	char buf[256];
	CU_ASSERT_TRUE_FATAL(report_relative_dir(page, dir, buf, sizeof buf));
	if (strcmp(buf, want) != 0)
		fprintf(stderr, "\nrelative_dir(%s, %s) = '%s', want '%s'\n", page, dir, buf, want);
	CU_ASSERT_STRING_EQUAL(buf, want);
}

static void test_relative_dir(void)
{
	char small[4];

	rel("r.html", "out/x", "out/x/");
	rel("out/r.html", "out/x", "x/");
	rel("out/r.html", "out", "");
	rel("r.html", ".", "");
	rel("a/b/r.html", "c", "../../c/");
	rel("out/./r.html", "out/../out/x/", "x/");
	rel("/tmp/a/r.html", "/tmp/b", "../b/");
	rel("/r.html", "/", "");
	CU_ASSERT_FALSE(report_relative_dir("r.html", "out/x", small, sizeof small));
}

/* ---- the page from a model built by hand ------------------------------- */

static char *page_html(const struct report_page *p)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(report_write_html(p, f), 0);
	fclose(f);
	return buf;
}

static void test_page_structure(void)
{
	size_t to1[] = { 1 };
	char *cols[] = { "k7", "gw" };
	struct ladder_arrow arrows[] = {
		{ .time = SIM_S, .from = 0, .to = to1, .nto = 1, .label = "IP6 a > b: <echo>" },
	};
	struct ladder l = { .cols = cols, .ncols = 2, .arrows = arrows, .narrows = 1 };
	char *lan_lines[] = { "09:00:01.000000 lan IP6 a > b: <echo>" };
	struct report_link links[] = {
		{ .name = "lan", .kind = "ethernet", .frames = 3, .lines = lan_lines, .nlines = 1 },
		{ .name = "adsl", .kind = "p2p", .frames = 0 },
	};
	struct report_verdict v[] = {
		{ .line = 7, .text = "expect within 1s k7 says \"a < b\"", .held = true },
		{ .line = 9, .text = "expect within 2s packet on lan \"ip6[7] < 64\"", .held = false,
		  .seen = "no packet <matched> & none\n" },
		{ .line = 12, .text = "expect for 1s no packet on adsl \"ip6\"", .held = true },
	};
	struct report_page p = {
		.scenario = "labs/<x>.scn", .seed = 42, .start_unix_ns = 1209805200ull * 1000000000u,
		.exit_status = SCN_EXIT_FAIL, .transcript = "[~] root@k7>cat\n<?xml & stuff\n",
		.links = links, .nlinks = 2, .verdicts = v, .nverdicts = 3, .ladder = &l,
		.capture_dir = "out/a b/",
	};
	char *h = page_html(&p);

	CU_ASSERT_EQUAL(strncmp(h, "<!DOCTYPE html>\n<html lang=\"en\">\n", 33), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<title>v6lab report: labs/&lt;x&gt;.scn</title>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "seed 42 &middot; start 2008-05-03 09:00:00 UTC"));
	CU_ASSERT_EQUAL(count(h, "<tr class=\"v6-expect\""), 3);
	CU_ASSERT_EQUAL(count(h, "<td class=\"v6-verdict v6-pass\">PASS</td>"), 2);
	CU_ASSERT_EQUAL(count(h, "<td class=\"v6-verdict v6-fail\">FAIL</td>"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<code>labs/&lt;x&gt;.scn:9</code>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "says &quot;a &lt; b&quot;</code>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<pre class=\"v6-seen\">no packet &lt;matched&gt; &amp; none\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<span class=\"v6-badge v6-pass\">2 passed</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<span class=\"v6-badge v6-fail\">1 failed</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "href=\"out/a%20b/lan.pcap\">lan.pcap</a>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "href=\"out/a%20b/adsl.pcap\">adsl.pcap</a>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<td class=\"v6-num\">3</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "&lt;?xml &amp; stuff\n</pre>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "lan IP6 a &gt; b: &lt;echo&gt;\n... 2 more"));
	CU_ASSERT_EQUAL(count(h, "<details"), 2);
	/* inline SVG: one element, no XML declaration inside an HTML page */
	CU_ASSERT_EQUAL(count(h, "<svg xmlns=\"http://www.w3.org/2000/svg\""), 1);
	CU_ASSERT_PTR_NULL(strstr(h, "<?xml"));
	CU_ASSERT_EQUAL(count(h, "<line class=\"arrow"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, ">IP6 a &gt; b: &lt;echo&gt;</text>"));
	/* self-contained: no script, no external resource */
	CU_ASSERT_PTR_NULL(strstr(h, "<script"));
	CU_ASSERT_PTR_NULL(strstr(h, "<link"));
	CU_ASSERT_PTR_NULL(strstr(h, "src="));
	CU_ASSERT_EQUAL(count(h, "http"), 1); /* the SVG namespace only */
	size_t n = strlen(h);
	CU_ASSERT(n > 16 && strcmp(h + n - 16, "</body>\n</html>\n") == 0);
	free(h);
}

static void test_page_no_captures(void)
{
	struct report_link links[] = { { .name = "lan", .kind = "ethernet" } };
	struct report_page p = { .scenario = "t.scn", .links = links, .nlinks = 1 };
	char *h = page_html(&p);

	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<td>(not written)</td>"));
	CU_ASSERT_PTR_NULL(strstr(h, ".pcap\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<p>The scenario has no expectations.</p>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<p>No frames.</p>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<span class=\"v6-badge v6-none\">0 failed</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, ">(no output)\n</pre>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<p>The scenario places no files on its nodes.</p>"));
	CU_ASSERT_EQUAL(count(h, "<tr class=\"v6-file\""), 0);
	free(h);
}

/* The "Files" section from a model: the rows in the files' order. */
static void test_page_files(void)
{
	static char conf[] = "pppoe6:\n set device PPPoE:sk0\n";
	static char odd[] = "a <b> & c\x01\nno newline";
	struct scn_file files[] = {
		{ .node = "k7", .path = "/etc/ppp/ppp.conf", .from = "/home/st 1/ppp.conf",
		  .data = conf, .len = sizeof conf - 1, .pos = { 23, 1 } },
		{ .node = "bras", .path = "/etc/<isp>.conf", .from = NULL, .data = odd,
		  .len = sizeof odd - 1, .pos = { 25, 1 } },
		{ .node = "gw", .path = "/etc/empty", .from = "empty", .data = NULL, .len = 0 },
	};
	struct report_page p = { .scenario = "labs/03/lab.scn", .files = files, .nfiles = 3 };
	char *h = page_html(&p);

	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<a href=\"#files\">Files</a>"));
	CU_ASSERT_EQUAL(count(h, "<h2 id=\"files\">Files</h2>"), 1);
	CU_ASSERT_EQUAL(count(h, "<tr class=\"v6-file\">"), 3);
	const char *r1 = strstr(h, "<tr class=\"v6-file\"><td>k7</td><td><code>/etc/ppp/ppp.conf"
	                           "</code></td><td><code>/home/st 1/ppp.conf</code></td>"
	                           "<td class=\"v6-num\">30</td>");
	const char *r2 = strstr(h, "<tr class=\"v6-file\"><td>bras</td><td><code>/etc/&lt;isp&gt;"
	                           ".conf</code></td><td><code>labs/03/lab.scn:25</code></td>"
	                           "<td class=\"v6-num\">21</td>");
	const char *r3 = strstr(h, "<td>gw</td><td><code>/etc/empty</code></td><td><code>empty"
	                           "</code></td><td class=\"v6-num\">0</td>");
	CU_ASSERT(r1 && r2 && r3 && r1 < r2 && r2 < r3);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<summary>2 lines</summary><pre>pppoe6:\n set device "
	                                 "PPPoE:sk0\n</pre></details>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<summary>2 lines</summary><pre>a &lt;b&gt; &amp; c?\n"
	                                 "no newline</pre></details>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<summary>0 lines</summary><pre></pre>"));
	CU_ASSERT_PTR_NULL(strstr(h, "<b>"));
	/* after the transcript, before the frames */
	const char *t = strstr(h, "id=\"transcript\""), *fi = strstr(h, "id=\"files\""),
	           *fr = strstr(h, "id=\"frames\"");
	CU_ASSERT(t && fi && fr && t < fi && fi < fr);
	free(h);
}

/* ---- report_run -------------------------------------------------------- */

#define PING_SCN                                                                       \
	"seed 1\n"                                                                     \
	"start 2008-05-03 09:00:00 UTC\n"                                              \
	"node k7 freebsd\n"                                                            \
	"node gw freebsd\n"                                                            \
	"link lan ethernet k7:sk0 gw:em0 delay 1ms\n"                                  \
	"iface k7:sk0 ether 00:0f:ea:2c:d5:18 inet6 fd00::18/64\n"                     \
	"iface gw:em0 ether 00:0c:86:75:24:1b inet6 fd00::1/64\n"                      \
	"at 5s k7# ping6 -c 1 fd00::1\n"                                               \
	"expect within 2s k7 says \"icmp_seq=0 hlim=64\"\n"                            \
	"expect within 2s packet on lan \"icmp6 and ip6[40] < 129\"\n"                 \
	"expect within 2s k7 says \"%s\"\n"

static struct scn *load(const char *third)
{
	char text[1024];
	struct scn_diag d = { .msg = "" };

	snprintf(text, sizeof text, PING_SCN, third);
	struct scn *s = scn_parse("t.scn", tmpdir, text, strlen(text), &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(scn_validate(s, &d), 0);
	return s;
}

struct run_result {
	int rc;
	char *out;
	size_t len;
	struct scn_diag d;
};

/* Run the scenario with its third expectation `third`, by report_run when
 * html is given, else by scn_run. */
static void run(const char *third, const char *html, struct run_result *r)
{
	char caps[128];
	struct scn *s = load(third);

	snprintf(caps, sizeof caps, "%s/caps", tmpdir);
	mkdir(caps, 0777);
	memset(r, 0, sizeof *r);
	FILE *f = open_memstream(&r->out, &r->len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	struct scn_run_opts o = { .out = f, .out_dir = caps };
	r->rc = html ? report_run(s, &o, html, &r->d) : scn_run(s, &o, &r->d);
	fclose(f);
	scn_free(s);
}

static char *slurp(const char *path)
{
	char *data = NULL;
	size_t n = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	FILE *m = open_memstream(&data, &n);
	char buf[4096];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, got, m);
	fclose(m);
	fclose(f);
	return data;
}

static void test_run_pass(void)
{
	char html[128], tmp[136];
	struct run_result plain, rep;

	snprintf(html, sizeof html, "%s/r.html", tmpdir);
	snprintf(tmp, sizeof tmp, "%s.tmp", html);
	run("1 packets received", NULL, &plain);
	run("1 packets received", html, &rep);
	CU_ASSERT_EQUAL(plain.rc, SCN_EXIT_PASS);
	CU_ASSERT_EQUAL(rep.rc, SCN_EXIT_PASS);
	CU_ASSERT_EQUAL(rep.len, plain.len);
	CU_ASSERT(rep.len == plain.len && memcmp(rep.out, plain.out, rep.len) == 0);
	CU_ASSERT_NOT_EQUAL(access(tmp, F_OK), 0);
	char *h = slurp(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(count(h, "<tr class=\"v6-expect\""), 3);
	CU_ASSERT_EQUAL(count(h, ">PASS</td>"), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<span class=\"v6-badge v6-pass\">3 passed</span>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "href=\"caps/lan.pcap\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "[~] root@k7&gt;ping6 -c 1 fd00::1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "&quot;icmp6 and ip6[40] &lt; 129&quot;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "seed 1 &middot; start 2008-05-03 09:00:00 UTC"));
	/* the ping: NS, NA, echo request, echo reply at least, each an arrow */
	CU_ASSERT(count(h, "<line class=\"arrow") >= 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "ICMP6, echo request"));
	free(h);
	free(plain.out);
	free(rep.out);
}

static void test_run_fail(void)
{
	char html[128];
	struct run_result r;

	snprintf(html, sizeof html, "%s/f.html", tmpdir);
	run("<b>never & said</b>", html, &r);
	CU_ASSERT_EQUAL(r.rc, SCN_EXIT_FAIL);
	char *h = slurp(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(count(h, ">PASS</td>"), 2);
	CU_ASSERT_EQUAL(count(h, "<td class=\"v6-verdict v6-fail\">FAIL</td>"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "says &quot;&lt;b&gt;never &amp; said&lt;/b&gt;&quot;"));
	CU_ASSERT_PTR_NULL(strstr(h, "<b>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<pre class=\"v6-seen\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "exit status 1 (an expectation failed)"));
	free(h);
	free(r.out);
}

static void test_run_bad_path(void)
{
	char html[128];
	struct run_result r;

	snprintf(html, sizeof html, "%s/no/such/dir/r.html", tmpdir);
	run("x", html, &r);
	CU_ASSERT_EQUAL(r.rc, SCN_EXIT_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.d.msg, "no/such/dir/r.html.tmp: No such file or directory"));
	CU_ASSERT_EQUAL(r.len, 0); /* refused before the run */
	free(r.out);
	run("x", tmpdir, &r); /* a directory */
	CU_ASSERT_EQUAL(r.rc, SCN_EXIT_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.d.msg, ": Is a directory"));
	CU_ASSERT_EQUAL(r.len, 0);
	free(r.out);
}

/* A run with a `from` file and a heredoc: the page shows both as run. */
static void test_run_files(void)
{
	static const char text[] =
		"node k7 freebsd\n"
		"node gw freebsd\n"
		"link lan ethernet k7:sk0 gw:em0\n"
		"file gw:/etc/rc.conf from conf/rc.conf\n"
		"file k7:/etc/hosts <<END\n"
		"::1 localhost # a < b & c\n"
		"END\n"
		"at 1s k7# cat /etc/hosts\n";
	char path[160], html[160];
	struct scn_diag d = { .msg = "" };

	snprintf(path, sizeof path, "%s/conf", tmpdir);
	mkdir(path, 0777);
	snprintf(path, sizeof path, "%s/conf/rc.conf", tmpdir);
	FILE *c = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	fputs("ipv6_enable=\"YES\"\n", c);
	fclose(c);
	struct scn *s = scn_parse("files.scn", tmpdir, text, strlen(text), &d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(scn_validate(s, &d), 0);
	snprintf(html, sizeof html, "%s/files.html", tmpdir);
	FILE *out = fopen("/dev/null", "w");
	struct scn_run_opts o = { .out = out };
	CU_ASSERT_EQUAL(report_run(s, &o, html, &d), SCN_EXIT_PASS);
	fclose(out);
	scn_free(s);
	char *h = slurp(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(count(h, "<tr class=\"v6-file\">"), 2);
	const char *r1 = strstr(h, "<td>gw</td><td><code>/etc/rc.conf</code></td><td><code>"
	                           "conf/rc.conf</code></td><td class=\"v6-num\">18</td>");
	const char *r2 = strstr(h, "<td>k7</td><td><code>/etc/hosts</code></td><td><code>"
	                           "files.scn:5</code></td><td class=\"v6-num\">26</td>");
	CU_ASSERT(r1 && r2 && r1 < r2);
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<pre>ipv6_enable=&quot;YES&quot;\n</pre>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h, "<pre>::1 localhost # a &lt; b &amp; c\n</pre>"));
	CU_ASSERT_PTR_NULL(strstr(h, tmpdir)); /* no absolute path the scenario did not write */
	free(h);
}

static int setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/v6lab-report-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void)
{
	static const char *const files[] = { "r.html", "f.html", "caps/lan.pcap", "caps",
		                              "files.html", "conf/rc.conf", "conf", NULL };
	char path[160];

	for (size_t i = 0; files[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
		remove(path);
	}
	return rmdir(tmpdir);
}

int suite_report(void)
{
	CU_pSuite s = CU_add_suite("report", setup, teardown);
	if (!s)
		return -1;
	if (!CU_add_test(s, "escape text", test_escape_text) ||
	    !CU_add_test(s, "escape href", test_escape_href) ||
	    !CU_add_test(s, "relative dir", test_relative_dir) ||
	    !CU_add_test(s, "page structure", test_page_structure) ||
	    !CU_add_test(s, "page without captures", test_page_no_captures) ||
	    !CU_add_test(s, "page: files", test_page_files) ||
	    !CU_add_test(s, "run: pass", test_run_pass) ||
	    !CU_add_test(s, "run: fail", test_run_fail) ||
	    !CU_add_test(s, "run: unwritable page", test_run_bad_path) ||
	    !CU_add_test(s, "run: files", test_run_files))
		return -1;
	return 0;
}
