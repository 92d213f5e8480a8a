/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-int.h - the state of the curses frontend's main screen, shared by the
 * loop (ui-main.c), the actions (ui-actions.c) and drawing (ui-draw.c).
 * Everything drawn comes from this state, so a resize simply redraws.
 */
#ifndef QGTOP_UI_INT_H
#define QGTOP_UI_INT_H

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
/* how long a quit waits for the worker to finish what it does */
#define UI_QUIT_WAIT_MS 700
/* how long the e key waits for it before the loop polls for its end */
#define UI_SWITCH_WAIT_MS 300

struct ui {
	struct session s;
	struct ui_worker w;
	struct qgroup_model *m;	/* the model the rows point into */
	struct view v;
	struct view_keys k;
	bool ascii, color;
	char msg[SESSION_MSG_MAX];
	bool msg_error;
	bool msg_sticky;	/* shown until a key is pressed (the key is
				 * used for nothing else) */
	char prompt[512];	/* shown while a prompt mode is active */
	int help_top, info_top;	/* scroll positions of the overlays */
	int list_height;	/* rows of the tree on screen */
	uint64_t target;	/* the qgroup a prompt is about */
	uint64_t limit_which;
	char pause_mountpoint[4096];	/* the mount the pause prompt names */
	bool have_freed;
	uint64_t freed;
	size_t freed_nr;
	bool detached;		/* the user chose to stop watching the rescan */
	size_t search_origin;	/* cursor when / was pressed */
	bool searching;
	int refresh_err;
	bool worker_left_running;	/* it did not stop in time at quit */
	bool switching;		/* e pressed: the worker is ending, then the
				 * session switches (ui_actions_switch_done) */
	int worker_err;		/* no worker could be started again: quit */
};

#endif
