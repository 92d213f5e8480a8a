/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-int.h - state shared by the curses frontend's files: the screen
 * state (ui-main.c), drawing (ui-draw.c) and the filesystem picker
 * (ui-picker.c). Everything drawn comes from this state, so a resize
 * simply redraws.
 */
#ifndef QGTOP_UI_INT_H
#define QGTOP_UI_INT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qgroup-model.h"
#include "session.h"
#include "ui-worker.h"
#include "view-keys.h"
#include "view-rows.h"

#define UI_MIN_COLS 50
#define UI_MIN_LINES 10

/* colour pairs; every one of them also has a character or attribute */
enum {
	UI_PAIR_WARN = 1,	/* over limit, errors */
	UI_PAIR_PROV,		/* provisional, rescan running */
	UI_PAIR_BAR,		/* usage bar fill */
	UI_PAIR_HEAD,		/* header and footer */
	UI_PAIR_DIFF,		/* offline: stored number differs */
};

struct ui {
	struct session s;
	struct ui_worker w;
	struct qgroup_model *m;	/* the model the rows point into */
	struct view v;
	struct view_keys k;
	bool ascii, color;
	char msg[512];
	bool msg_error;
	char prompt[512];	/* shown while a prompt mode is active */
	int help_top, info_top;	/* scroll positions of the overlays */
	bool help_lines_known;
	int list_height;	/* rows of the tree on screen */
	uint64_t target;	/* the qgroup a prompt is about */
	uint64_t target2;
	uint64_t limit_which;
	bool have_freed;
	uint64_t freed;
	size_t freed_nr;
	bool detached;		/* the user chose to stop watching the rescan */
	size_t search_origin;	/* cursor when / was pressed */
	bool searching;
	int refresh_err;
};

/**
 * ui_draw() - draw everything from @ui's state
 */
void ui_draw(struct ui *ui);

/**
 * ui_color() - the attribute of colour pair @pair, or 0 in monochrome
 */
int ui_color(const struct ui *ui, int pair);

/* the signal that asks the frontend to restore the terminal and end */
extern volatile sig_atomic_t ui_signal_caught;

/**
 * ui_picker() - let the user choose a mounted btrfs filesystem
 * @path: receives the malloc'ed mountpoint
 * Return: 1 chosen, 0 quit, -EINTR on a signal, other -errno.
 */
int ui_picker(char **path);

/**
 * ui_key() - read a key from curses and map it to VIEW_KEY_*
 * Return: the key, or -1 when none is waiting.
 */
int ui_key(void);

/**
 * ui_help_text() - the help screen, one line per element, NULL-terminated
 * (translated; built once)
 */
const char *const *ui_help_text(void);

#endif
