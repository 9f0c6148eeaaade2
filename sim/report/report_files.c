/*
 * The report page's "Files" section (report.h): the configuration files
 * the run placed on its nodes, one row per `file` statement in the
 * scenario's order, so that a trainer handed a student's page sees which
 * files were used (after `lab --dir`, `from` names the student's copy)
 * and what they said. Contents fold in <details>; the origin is the
 * `from` path as written, or FILE:LINE of an inline heredoc, never a path
 * the scenario did not spell out.
 */
#include "report.h"

/* Lines as `wc -l` would count them, plus an unterminated last one. */
static size_t line_count(const char *data, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += data[i] == '\n';
	return n + (len > 0 && data[len - 1] != '\n');
}

static void origin_cell(const struct report_page *p, const struct scn_file *sf, FILE *f)
{
	fputs("<td><code>", f);
	if (sf->from) {
		report_put_str(f, sf->from);
	} else {
		report_put_str(f, p->scenario);
		fprintf(f, ":%d", sf->pos.line);
	}
	fputs("</code></td>", f);
}

static void contents_cell(const struct scn_file *sf, FILE *f)
{
	size_t lines = line_count(sf->data, sf->len);

	fprintf(f, "<td><details class=\"v6-file-data\"><summary>%zu line%s</summary>"
	        "<pre>", lines, lines == 1 ? "" : "s");
	report_put_text(f, sf->data ? sf->data : "", sf->data ? sf->len : 0);
	fputs("</pre></details></td>", f);
}

static void file_row(const struct report_page *p, const struct scn_file *sf, FILE *f)
{
	fputs("<tr class=\"v6-file\"><td>", f);
	report_put_str(f, sf->node);
	fputs("</td><td><code>", f);
	report_put_str(f, sf->path);
	fputs("</code></td>", f);
	origin_cell(p, sf, f);
	fprintf(f, "<td class=\"v6-num\">%zu</td>", sf->data ? sf->len : 0);
	contents_cell(sf, f);
	fputs("</tr>\n", f);
}

void report_write_files(const struct report_page *p, FILE *f)
{
	fputs("<h2 id=\"files\">Files</h2>\n", f);
	if (p->nfiles == 0) {
		fputs("<p>The scenario places no files on its nodes.</p>\n", f);
		return;
	}
	fputs("<p>The files the run placed on the nodes, in the scenario's order: from a file "
	      "(the path as the scenario or <code>lab --dir</code> gave it) or inline "
	      "(<code>FILE:LINE</code> of the heredoc).</p>\n"
	      "<table class=\"v6-table v6-files\">\n<tr><th>node</th><th>path</th><th>from</th>"
	      "<th>bytes</th><th>contents</th></tr>\n", f);
	for (size_t i = 0; i < p->nfiles; i++)
		file_row(p, &p->files[i], f);
	fputs("</table>\n", f);
}
