/*
 * The transcript store: every line a node prints (command output) or runs
 * (a prompt + command), in the order they happen. The clock never goes
 * back, so appending keeps the store in time order; the scenario runner
 * prints it, per node or interleaved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

static void add_line(struct sim_node *node, const char *text, size_t len, bool is_command)
{
	struct sim_output *out = &node->sim->out;
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 256;
		out->lines = sim_xrealloc(out->lines, out->cap, sizeof *out->lines);
	}
	char *copy = sim_xrealloc(NULL, len + 1, 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	out->lines[out->n++] = (struct sim_line){
		.time = node->sim->now, .node = node->id, .is_command = is_command, .text = copy,
	};
}

/* One line per '\n'; a single trailing newline does not make an empty line. */
static void add_text(struct sim_node *node, const char *text, bool is_command)
{
	size_t len = strlen(text);
	if (len > 0 && text[len - 1] == '\n')
		len--;
	const char *p = text, *end = text + len;
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			add_line(node, p, (size_t)(end - p), is_command);
			return;
		}
		add_line(node, p, (size_t)(nl - p), is_command);
		p = nl + 1;
	}
}

void sim_vsay(struct sim_node *node, const char *fmt, va_list ap)
{
	char small[256];
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0) {
		va_end(again);
		return; /* an encoding error: nothing sensible to print */
	}
	if ((size_t)n < sizeof small) {
		add_text(node, small, false);
	} else {
		char *big = sim_xrealloc(NULL, (size_t)n + 1, 1);
		vsnprintf(big, (size_t)n + 1, fmt, again);
		add_text(node, big, false);
		free(big);
	}
	va_end(again);
}

void sim_say(struct sim_node *node, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sim_vsay(node, fmt, ap);
	va_end(ap);
}

void sim_say_command(struct sim_node *node, const char *cmdline)
{
	add_text(node, cmdline ? cmdline : "", true);
}

void output_free(struct sim_output *out)
{
	for (size_t i = 0; i < out->n; i++)
		free(out->lines[i].text);
	free(out->lines);
	memset(out, 0, sizeof *out);
}
