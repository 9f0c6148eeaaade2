/*
 * `cat FILE ...`: a file of the node's simulated filesystem (placed by the
 * scenario or written by a daemon, like httpd's access log), with cat(1)'s
 * message for one that does not exist.
 */
#include "apps_int.h"

int cmd_cat(struct sim_node *n, int argc, char **argv)
{
	int rc = 0;
	if (argc < 2) {
		apps_say(n, "usage: cat file ...");
		return APPS_EX_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		const struct sim_file *f = sim_file_get(n, argv[i]);
		if (!f) {
			apps_say(n, "cat: %s: No such file or directory", argv[i]);
			rc = 1;
			continue;
		}
		/* Line by line: a long log must not be cut at a print buffer's size. */
		for (size_t at = 0; at < f->len;) {
			size_t end = at;
			while (end < f->len && f->data[end] != '\n')
				end++;
			apps_say(n, "%.*s", (int)(end - at), f->data + at);
			at = end + 1;
		}
	}
	return rc;
}
