/*
 * The report page (report.h) from its model: one HTML5 file with its CSS
 * inline and the ladder as inline SVG, readable without a network and
 * without JavaScript (the frame lists fold with <details>). Every text
 * from the scenario or the run goes through report_put_text. The order
 * puts what a student checks first (verdicts) above the long parts.
 */
#include "report.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

/* Class names start with "v6-": the inline SVG's own <style> (ladder_svg.c)
 * styles .node, .life, .arrow, .time, .label for the whole page. */
static const char css[] =
	"body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#212121;"
	"background:#fff;font-size:14px}\n"
	"h1{font-size:22px;margin:0 0 6px}\nh1 code{font-size:20px}\n"
	"h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ccc}\n"
	"code,pre{font-family:'DejaVu Sans Mono',monospace;font-size:12px}\n"
	"pre{margin:0;white-space:pre-wrap}\n"
	".v6-meta{color:#555}\n"
	".v6-nav a{margin-right:12px}\n"
	".v6-badge{display:inline-block;padding:4px 12px;margin-right:8px;border-radius:4px;"
	"font-weight:bold}\n"
	".v6-pass{background:#2e7d32;color:#fff}\n"
	".v6-fail{background:#d32f2f;color:#fff}\n"
	".v6-none{background:#e0e0e0;color:#212121}\n"
	"table.v6-table{border-collapse:collapse;margin-top:8px}\n"
	".v6-table th,.v6-table td{border:1px solid #bdbdbd;padding:3px 8px;text-align:left;"
	"vertical-align:top}\n"
	".v6-table th{background:#eeeeee}\n"
	".v6-table td.v6-num{text-align:right}\n"
	".v6-verdict{font-weight:bold;text-align:center}\n"
	".v6-transcript,.v6-frames{background:#f5f5f5;border:1px solid #ddd;padding:8px}\n"
	".v6-ladder{overflow-x:auto;border:1px solid #ddd;padding:4px}\n"
	"details{margin:4px 0}\n"
	"summary{cursor:pointer}\n";

static void put_date(FILE *f, uint64_t unix_ns)
{
	time_t t = (time_t)(unix_ns / 1000000000u);
	struct tm tm;
	char buf[64];

	if (gmtime_r(&t, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm))
		fputs(buf, f);
	else
		fprintf(f, "%" PRIu64 " s after 1970", unix_ns / 1000000000u);
}

static size_t failures(const struct report_page *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nverdicts; i++)
		n += !p->verdicts[i].held;
	return n;
}

static void head(const struct report_page *p, FILE *f)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<title>v6lab report: ", f);
	report_put_str(f, p->scenario);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
}

static void title(const struct report_page *p, FILE *f)
{
	fputs("<h1>v6lab run <code>", f);
	report_put_str(f, p->scenario);
	fprintf(f, "</code></h1>\n<p class=\"v6-meta\">seed %" PRIu64 " &middot; start ", p->seed);
	put_date(f, p->start_unix_ns);
	fprintf(f, " &middot; exit status %d (%s)</p>\n", p->exit_status,
	        p->exit_status == SCN_EXIT_PASS ? "every expectation held" : "an expectation failed");
	fputs("<p class=\"v6-nav\"><a href=\"#summary\">Summary</a><a href=\"#expectations\">"
	      "Expectations</a><a href=\"#ladder\">Ladder diagram</a><a href=\"#transcript\">"
	      "Transcript</a><a href=\"#files\">Files</a><a href=\"#frames\">Frames</a></p>\n", f);
}

static void capture_cell(const struct report_page *p, const struct report_link *k, FILE *f)
{
	if (!p->capture_dir) {
		fputs("<td>(not written)</td>", f);
		return;
	}
	fputs("<td><a class=\"v6-capture\" href=\"", f);
	report_put_href(f, p->capture_dir);
	report_put_href(f, k->name);
	fputs(".pcap\">", f);
	report_put_str(f, k->name);
	fputs(".pcap</a></td>", f);
}

static void summary(const struct report_page *p, FILE *f)
{
	size_t failed = failures(p);

	fputs("<h2 id=\"summary\">Summary</h2>\n<p>", f);
	fprintf(f, "<span class=\"v6-badge v6-pass\">%zu passed</span>", p->nverdicts - failed);
	fprintf(f, "<span class=\"v6-badge %s\">%zu failed</span>", failed ? "v6-fail" : "v6-none",
	        failed);
	fprintf(f, " of %zu expectation%s</p>\n", p->nverdicts, p->nverdicts == 1 ? "" : "s");
	fputs("<table class=\"v6-table v6-links\">\n<tr><th>link</th><th>kind</th><th>frames</th>"
	      "<th>capture</th></tr>\n", f);
	for (size_t i = 0; i < p->nlinks; i++) {
		const struct report_link *k = &p->links[i];
		fputs("<tr><td>", f);
		report_put_str(f, k->name);
		fprintf(f, "</td><td>%s</td><td class=\"v6-num\">%" PRIu64 "</td>", k->kind, k->frames);
		capture_cell(p, k, f);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void verdict_row(const struct report_page *p, const struct report_verdict *v, FILE *f)
{
	fprintf(f, "<tr class=\"v6-expect\" id=\"line-%d\"><td><code>", v->line);
	report_put_str(f, p->scenario);
	fprintf(f, ":%d</code></td><td><code>", v->line);
	report_put_str(f, v->text);
	fprintf(f, "</code></td><td class=\"v6-verdict %s\">%s</td><td>",
	        v->held ? "v6-pass" : "v6-fail", v->held ? "PASS" : "FAIL");
	if (v->seen) {
		fputs("<pre class=\"v6-seen\">", f);
		report_put_str(f, v->seen);
		fputs("</pre>", f);
	}
	fputs("</td></tr>\n", f);
}

static void expectations(const struct report_page *p, FILE *f)
{
	fputs("<h2 id=\"expectations\">Expectations</h2>\n", f);
	if (p->nverdicts == 0) {
		fputs("<p>The scenario has no expectations.</p>\n", f);
		return;
	}
	fputs("<table class=\"v6-table v6-expectations\">\n<tr><th>where</th><th>expectation</th>"
	      "<th>verdict</th><th>seen instead</th></tr>\n", f);
	for (size_t i = 0; i < p->nverdicts; i++)
		verdict_row(p, &p->verdicts[i], f);
	fputs("</table>\n", f);
}

static int ladder(const struct report_page *p, FILE *f)
{
	fputs("<h2 id=\"ladder\">Ladder diagram</h2>\n", f);
	if (!p->ladder || p->ladder->narrows == 0) {
		fputs("<p>No frames.</p>\n", f);
		return 0;
	}
	fprintf(f, "<p>%zu frames, time in seconds from the start; blue: multicast (a dot on "
	        "every receiver), red and dashed: lost.</p>\n<div class=\"v6-ladder\">\n",
	        p->ladder->narrows);
	int rc = ladder_write_svg_element(p->ladder, f);
	fputs("</div>\n", f);
	return rc;
}

static void transcript(const struct report_page *p, FILE *f)
{
	fputs("<h2 id=\"transcript\">Transcript</h2>\n<pre class=\"v6-transcript\">", f);
	report_put_str(f, p->transcript && *p->transcript ? p->transcript : "(no output)\n");
	fputs("</pre>\n", f);
}

static void frames(const struct report_page *p, FILE *f)
{
	fputs("<h2 id=\"frames\">Frames</h2>\n<p>Each link's frames as <code>v6lab run --trace"
	      "</code> prints them: time of day (UTC), link, the <code>tcpdump -n</code> line."
	      "</p>\n", f);
	for (size_t i = 0; i < p->nlinks; i++) {
		const struct report_link *k = &p->links[i];
		fputs("<details class=\"v6-link\"><summary>", f);
		report_put_str(f, k->name);
		fprintf(f, ": %" PRIu64 " frame%s</summary>\n<pre class=\"v6-frames\">", k->frames,
		        k->frames == 1 ? "" : "s");
		for (size_t j = 0; j < k->nlines; j++) {
			report_put_str(f, k->lines[j]);
			fputc('\n', f);
		}
		if (k->frames > k->nlines)
			fprintf(f, "... %" PRIu64 " more (see the capture)\n", k->frames - k->nlines);
		fputs("</pre></details>\n", f);
	}
}

int report_write_html(const struct report_page *p, FILE *f)
{
	head(p, f);
	title(p, f);
	summary(p, f);
	expectations(p, f);
	int rc = ladder(p, f);
	transcript(p, f);
	report_write_files(p, f);
	frames(p, f);
	fputs("</body>\n</html>\n", f);
	return rc < 0 || ferror(f) ? -1 : 0;
}
