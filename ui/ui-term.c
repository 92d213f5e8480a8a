// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ui-term.c - terminal set-up, restore and keys of the frontend (see
 * ui-term.h). The signal handler only sets a flag: the input loop sees it
 * within one poll and ends through the normal path, which restores the
 * terminal.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "signals.h"
#include "ui-term.h"
#include "view-keys.h"

volatile sig_atomic_t ui_term_signal;
static bool curses_on;

static void on_signal(int sig)
{
	ui_term_signal = sig;
}

void ui_term_catch_signals(void)
{
	signals_catch_terminating(on_signal);
}

void ui_term_end(void)
{
	if (curses_on) {
		endwin();
		curses_on = false;
	}
}

void ui_term_start(bool *color)
{
	static bool registered;
	const char *nc = getenv("NO_COLOR");

	initscr();
	curses_on = true;
	if (!registered)
		atexit(ui_term_end);
	registered = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	*color = has_colors() && !(nc && nc[0]);
	if (*color) {
		start_color();
		use_default_colors();
		init_pair(UI_PAIR_WARN, COLOR_RED, -1);
		init_pair(UI_PAIR_PROV, COLOR_YELLOW, -1);
		init_pair(UI_PAIR_BAR, COLOR_GREEN, -1);
		init_pair(UI_PAIR_HEAD, COLOR_CYAN, -1);
		init_pair(UI_PAIR_DIFF, COLOR_MAGENTA, -1);
	}
	/* curses installed its own handlers for some: ours must win */
	ui_term_catch_signals();
}

int ui_term_key(void)
{
	int ch = getch();

	switch (ch) {
	case ERR:
		return -1;
	case KEY_UP:
		return VIEW_KEY_UP;
	case KEY_DOWN:
		return VIEW_KEY_DOWN;
	case KEY_LEFT:
		return VIEW_KEY_LEFT;
	case KEY_RIGHT:
		return VIEW_KEY_RIGHT;
	case KEY_PPAGE:
		return VIEW_KEY_PGUP;
	case KEY_NPAGE:
		return VIEW_KEY_PGDN;
	case KEY_HOME:
		return VIEW_KEY_HOME;
	case KEY_END:
		return VIEW_KEY_END;
	case KEY_F(10):
		return VIEW_KEY_F10;
	case KEY_RESIZE:
		return VIEW_KEY_RESIZE;
	case KEY_ENTER:
	case '\r':
		return '\n';
	case KEY_BACKSPACE:
	case 8:
		return VIEW_KEY_BACKSPACE;
	default:
		return ch >= KEY_MIN ? 0 : ch;
	}
}

int ui_term_wait(int fd, int ms, bool *fd_ready)
{
	struct pollfd p[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = fd, .events = POLLIN },
	};

	if (fd_ready)
		*fd_ready = false;
	if (poll(p, fd >= 0 ? 2 : 1, ms) < 0)
		return errno == EINTR ? 0 : -errno;
	if (fd_ready && fd >= 0)
		*fd_ready = (p[1].revents & POLLIN) != 0;
	return 0;
}
