/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-actions.h - what the keys of the main screen do (ui-actions.c).
 */
#ifndef QGTOP_UI_ACTIONS_H
#define QGTOP_UI_ACTIONS_H

#include <stdbool.h>

#include "ui-int.h"

/**
 * ui_actions_key() - act on one key of the main screen
 * @ui: the frontend's state
 * @key: a VIEW_KEY_* or character, as ui_term_key() reads it
 * Return: true when the user asked to quit.
 */
bool ui_actions_key(struct ui *ui, int key);

/**
 * ui_actions_switch_done() - the worker ended after `e`: switch the
 * session between live and exact numbers and start a worker on it
 * Return: 0, or -errno when no worker could be started (then quit).
 */
int ui_actions_switch_done(struct ui *ui);

/**
 * ui_message() - set the one-line message above the key hints
 * @error: shown as an error (bold, in colour)
 */
void ui_message(struct ui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
