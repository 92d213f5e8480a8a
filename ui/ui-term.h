/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-term.h - the terminal of the curses frontend: set-up and restore (at
 * every exit, on SIGINT, SIGTERM and SIGHUP), the keys mapped to VIEW_KEY_*,
 * and the signal that asks the frontend to end. The main screen and the
 * picker both run on it.
 */
#ifndef QGTOP_UI_TERM_H
#define QGTOP_UI_TERM_H

#include <signal.h>
#include <stdbool.h>

/* colour pairs; every one of them also has a character or attribute */
enum {
	UI_PAIR_WARN = 1,	/* over limit, errors */
	UI_PAIR_PROV,		/* provisional, rescan running */
	UI_PAIR_BAR,		/* usage bar fill */
	UI_PAIR_HEAD,		/* header and footer */
	UI_PAIR_DIFF,		/* offline: stored number differs */
};

/* the terminating signal caught (0 while none): the frontend restores the
 * terminal and exits with 128 + it */
extern volatile sig_atomic_t ui_term_signal;

/**
 * ui_term_catch_signals() - make SIGINT, SIGTERM and SIGHUP set
 * ui_term_signal (also before the terminal is set up)
 */
void ui_term_catch_signals(void);

/**
 * ui_term_start() - set up curses: cbreak, no echo, keypad, no delay
 * @color: receives whether colours are used (a colour terminal, and
 *         NO_COLOR unset or empty)
 *
 * The terminal is restored by ui_term_end() and, as well, at exit().
 * Curses keeps its Ctrl-Z handler: the terminal is restored while stopped
 * and the screen redrawn on fg.
 */
void ui_term_start(bool *color);

/**
 * ui_term_end() - restore the terminal (does nothing when not set up)
 */
void ui_term_end(void);

/**
 * ui_term_key() - read a waiting key and map it to VIEW_KEY_* (printable
 * keys are their character)
 * Return: the key, 0 for a key without meaning here, -1 when none waits.
 */
int ui_term_key(void);

/**
 * ui_term_wait() - wait until a key or @fd (if >= 0) is readable, a
 * signal arrives or @ms pass
 * Return: 0, or -errno of poll() other than EINTR.
 */
int ui_term_wait(int fd, int ms, bool *fd_ready);

#endif
