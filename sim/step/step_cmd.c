/*
 * The step controller (step.h): runs the scenario with a frame tap and a
 * command hook that pause at every step and wait for a key.
 *
 * Back cannot undo a simulation, so it re-runs it: the current run goes on
 * to its end without pausing or showing anything, then a new run starts
 * and shows nothing up to the step before the one wanted. The run is
 * deterministic (same scenario, same seed), so that step is the same step
 * in the same state and its screen is the same screen. The transcript of
 * each run goes to memory and is printed only for the run that ends.
 */
#include "step.h"

#include "../scenario/scn_int.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char status_line[] = "[n]ext [b]ack [c]ontinue [q]uit [?]help";

static const char help_text[] =
	"keys:\n"
	"  n, Enter, space, right arrow   next step (a frame on a link, or a command)\n"
	"  b, left arrow                  back to the previous step (the scenario runs\n"
	"                                 again from the start without pausing: it is\n"
	"                                 deterministic, so it is the same state)\n"
	"  c   continue without pausing to the next moment an expectation's window\n"
	"      opens or closes (its `at` time, or that time plus its within/for\n"
	"      duration), and pause at the first frame or command from then on;\n"
	"      the expectations whose window is open are listed at every step\n"
	"  q   quit at once (no transcript, no verdicts; exit status 0)\n"
	"  ?, h   this help\n"
	"From a pipe each line is a key (an empty line is Enter); at the end of the\n"
	"input the rest runs without pausing and the transcript and verdicts follow.\n";

enum step_mode {
	MODE_STEPPING,  /* pause at the steps */
	MODE_SILENT,    /* end of input: run to the end, then print the results */
	MODE_RESTART,   /* `b`: finish this run silently, run again to show_from */
	MODE_QUIT,
};

struct stepper {
	struct scn *s;
	struct scn_run_opts o;      /* the caller's, with the hooks and out = transcript */
	struct sim *sim;
	FILE *screen;
	bool clear;                 /* stdout is a tty: each step on a clean screen */
	enum step_mode mode;
	unsigned long step;         /* steps so far in this run */
	unsigned long show_from;    /* the first step that pauses (after `b`: the one wanted) */
	unsigned long *link_frames; /* frames so far, per simulation link */
	bool continuing;            /* `c`: no pause before continue_to */
	sim_time continue_to;
	struct step_snap prev;      /* the state at the previous step */
	sim_time prev_time;         /* and when it was taken */
};

/* ---- what is shown ------------------------------------------------------- */

static void show_watching(const struct stepper *st, sim_time now)
{
	const char *sep = " lines ";
	size_t n = 0;

	fputs("expectations watching now:", st->screen);
	for (size_t i = 0; i < st->s->nexpects; i++) {
		const struct scn_expect *e = &st->s->expects[i];
		if (now >= e->start && now - e->start <= e->duration) {
			fprintf(st->screen, "%s%d", n ? ", " : sep, e->line);
			n++;
		}
	}
	fputs(n ? "\n" : " none\n", st->screen);
}

static void show_step(struct stepper *st, sim_time now, const struct sim_frame_info *f,
                      unsigned long link_frame, const char *node, const char *cmd,
                      const struct step_snap *snap)
{
	if (st->clear)
		fputs("\033[H\033[2J", st->screen);
	else if (st->step > 1)
		fputs("\n", st->screen);
	if (f)
		step_show_frame(st->screen, st->step, f, link_frame);
	else
		step_show_command(st->screen, st->step, now, node, cmd);
	fputs("\n", st->screen);
	show_watching(st, now);
	/* A frame is shown as it leaves; what it did on arrival shows at the
	 * next step, hence "since": the change happened in between. */
	char since[80] = "", t[32];
	if (st->step > 1) {
		step_format_time(st->prev_time, t, sizeof t);
		snprintf(since, sizeof since, "since step %lu (t=%s)", st->step - 1, t);
	}
	step_snap_diff(&st->prev, snap, since[0] ? since : NULL, st->screen);
}

static void prompt(const struct stepper *st)
{
	fprintf(st->screen, "%s%s", status_line, st->clear ? "" : "\n");
	fflush(st->screen);
}

/* The next time after `now` at which an expectation's window opens or
 * closes; SIM_NEVER when none does. */
static sim_time next_window_edge(const struct scn *s, sim_time now)
{
	sim_time best = SIM_NEVER;

	for (size_t i = 0; i < s->nexpects; i++) {
		sim_time open = s->expects[i].start, close = open + s->expects[i].duration;
		if (open > now && open < best)
			best = open;
		if (close > now && close < best)
			best = close;
	}
	return best;
}

static void start_continue(struct stepper *st, sim_time now)
{
	char t[32];

	st->continuing = true;
	st->continue_to = next_window_edge(st->s, now);
	if (st->continue_to == SIM_NEVER) {
		fprintf(st->screen, "%sno expectation window opens or closes after this: "
		        "running to the end\n", st->clear ? "\n" : "");
		return;
	}
	step_format_time(st->continue_to, t, sizeof t);
	fprintf(st->screen, "%scontinuing to t=%s\n", st->clear ? "\n" : "", t);
}

/* ---- the pause ------------------------------------------------------------ */

static void wait_for_key(struct stepper *st, sim_time now)
{
	for (;;) {
		int c;
		prompt(st);
		switch (step_read_key(&c)) {
		case KEY_NEXT:
			return;
		case KEY_BACK:
			if (st->step <= 1) {
				fprintf(st->screen, "%sthis is the first step\n", st->clear ? "\n" : "");
				continue;
			}
			st->show_from = st->step - 1;
			st->mode = MODE_RESTART;
			return;
		case KEY_CONTINUE:
			start_continue(st, now);
			return;
		case KEY_QUIT:
			st->mode = MODE_QUIT;
			return;
		case KEY_EOF:
			st->mode = MODE_SILENT;
			return;
		case KEY_HELP:
			fprintf(st->screen, "%s%s", st->clear ? "\n" : "", help_text);
			continue;
		case KEY_OTHER:
			fprintf(st->screen, "%sunknown key", st->clear ? "\n" : "");
			fprintf(st->screen, c > 0x20 && c < 0x7f ? " '%c'" : " (code %d)", c);
			fputs(": ? for help\n", st->screen);
			continue;
		}
	}
}

/* Every step comes here: a frame (f) or a command (node, cmd). */
static void at_step(struct stepper *st, sim_time now, const struct sim_frame_info *f,
                    const char *node, const char *cmd)
{
	unsigned long link_frame = f ? ++st->link_frames[f->link->id] : 0;

	st->step++;
	/* Replaying after `b`: no snapshot is needed until the step before. */
	if (st->mode != MODE_STEPPING || st->step + 1 < st->show_from)
		return;
	struct step_snap snap;
	step_snap_take(&snap, st->s, st->sim);
	bool pause = st->step >= st->show_from && !(st->continuing && now < st->continue_to);
	if (pause) {
		st->continuing = false;
		show_step(st, now, f, link_frame, node, cmd, &snap);
	}
	step_snap_free(&st->prev);
	st->prev = snap;
	st->prev_time = now;
	if (pause)
		wait_for_key(st, now);
}

static void frame_tap(void *user, const struct sim_frame_info *f)
{
	at_step(user, f->time, f, NULL, NULL);
}

static void command_hook(void *user, sim_time now, const char *node, const char *cmd)
{
	at_step(user, now, NULL, node, cmd);
}

/* ---- the runs ------------------------------------------------------------ */

/* One run from the start; the transcript and verdicts into *text when it
 * ran to its end in MODE_STEPPING or MODE_SILENT. */
static int run_once(struct stepper *st, struct scn_diag *d, char **text, size_t *len)
{
	int rc = SCN_EXIT_PASS;

	st->o.out = open_memstream(text, len);
	if (!st->o.out) {
		scn_error(st->s, d, (struct scn_pos){ 0, 0 }, "out of memory");
		return SCN_EXIT_INVALID;
	}
	struct scn_session *ss = scn_session_open(st->s, &st->o, d);
	if (!ss) {
		fclose(st->o.out);
		return SCN_EXIT_INVALID;
	}
	st->sim = scn_session_sim(ss);
	st->link_frames = sim_xcalloc(st->sim->nlinks + 1, sizeof *st->link_frames);
	st->step = 0;
	st->continuing = false;
	/* The first step shows the whole state as it changed from nothing. */
	st->prev = (struct step_snap){ 0 };
	scn_session_run_until(ss, scn_session_planned_end(ss));
	if (st->mode == MODE_STEPPING || st->mode == MODE_SILENT)
		rc = scn_session_finish(ss);
	scn_session_close(ss);
	step_snap_free(&st->prev);
	free(st->link_frames);
	st->link_frames = NULL;
	fclose(st->o.out);
	st->o.out = NULL;
	return rc;
}

int step_run(struct scn *s, const struct scn_run_opts *base, struct scn_diag *d)
{
	struct stepper st = { .s = s, .o = *base, .screen = stdout, .show_from = 1 };
	char *text = NULL;
	size_t len = 0;
	int rc;

	st.o.trace = false;
	st.o.frame_tap = frame_tap;
	st.o.frame_tap_user = &st;
	st.o.command_hook = command_hook;
	st.o.command_hook_user = &st;
	st.clear = isatty(fileno(stdout));
	step_term_open();
	for (;;) {
		free(text);
		text = NULL;
		rc = run_once(&st, d, &text, &len);
		if (rc == SCN_EXIT_INVALID || st.mode != MODE_RESTART)
			break;
		st.mode = MODE_STEPPING;
	}
	step_term_close();
	if (st.mode == MODE_QUIT) {
		fputs(st.clear ? "\n" : "", stdout);
		rc = SCN_EXIT_PASS;
	} else if (rc != SCN_EXIT_INVALID) {
		fprintf(stdout, "\n--- end of the run: %lu steps ---\n", st.step);
		fwrite(text, 1, len, stdout);
	}
	fflush(stdout);
	free(text);
	return rc;
}
