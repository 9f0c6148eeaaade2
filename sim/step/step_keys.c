/*
 * Keys for the step view (step.h). On a terminal stdin goes to cbreak
 * mode (no line editing, no echo, Ctrl-C still a signal) so one keypress
 * is one command; the saved mode comes back on close, at exit and on
 * SIGINT, so an interrupted run never leaves the shell without echo. From
 * a pipe each line is a command (its first character), so scripts and
 * tests can drive it; end of input is KEY_EOF.
 */
#include "step.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define KEY_ESC 0x1b
#define KEY_CTRL_D 0x04

static struct termios saved;
static volatile sig_atomic_t raw_on;
static bool is_tty;

enum step_key step_key_of_char(int c)
{
	switch (c) {
	case '\n': case '\r': case ' ': case 'n': case 'j':
		return KEY_NEXT;
	case 'b': case 'p': case 'k':
		return KEY_BACK;
	case 'c':
		return KEY_CONTINUE;
	case 'q': case KEY_CTRL_D:
		return KEY_QUIT;
	case '?': case 'h':
		return KEY_HELP;
	case EOF:
		return KEY_EOF;
	default:
		return KEY_OTHER;
	}
}

/* An empty line is Enter; otherwise the first character that is not a blank. */
enum step_key step_key_of_line(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '\0' || *line == '\n' || *line == '\r')
		return KEY_NEXT;
	return step_key_of_char((unsigned char)*line);
}

static void restore(void)
{
	if (raw_on) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		raw_on = 0;
	}
}

/* Only async-signal-safe calls: tcsetattr, signal, raise. */
static void on_sigint(int sig)
{
	if (raw_on)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	raw_on = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

void step_term_open(void)
{
	static bool registered;

	is_tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
	if (!is_tty)
		return;
	struct termios t = saved;
	t.c_lflag &= (tcflag_t)~(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!registered) {
		atexit(restore);
		registered = true;
	}
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) == 0)
		raw_on = 1;
}

void step_term_close(void)
{
	restore();
	if (is_tty) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
	}
}

bool step_term_is_tty(void)
{
	return is_tty;
}

static int read_byte(int timeout_ms)
{
	unsigned char c;
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	if (timeout_ms >= 0 && poll(&p, 1, timeout_ms) <= 0)
		return -1;
	return read(STDIN_FILENO, &c, 1) == 1 ? c : EOF;
}

/* The arrow keys' escape sequences: right is next, left is back. */
static enum step_key escape_sequence(int *c)
{
	int b1 = read_byte(50);
	int b2 = b1 == '[' || b1 == 'O' ? read_byte(50) : -1;

	*c = KEY_ESC;
	if (b2 == 'C')
		return KEY_NEXT;
	if (b2 == 'D')
		return KEY_BACK;
	return KEY_OTHER;
}

enum step_key step_read_key(int *c)
{
	if (is_tty) {
		*c = read_byte(-1);
		return *c == KEY_ESC ? escape_sequence(c) : step_key_of_char(*c);
	}
	char line[256];
	if (!fgets(line, sizeof line, stdin)) {
		*c = EOF;
		return KEY_EOF;
	}
	if (!strchr(line, '\n')) /* a long line is still one command */
		for (int ch = getchar(); ch != '\n' && ch != EOF; ch = getchar())
			;
	*c = (unsigned char)line[strspn(line, " \t")];
	return step_key_of_line(line);
}
