/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-keys.h - the frontend's key handling as a state machine: which
 * command a key means in the current mode (main screen, search input,
 * y/N confirmation, typed "yes", text input such as a size or a qgroup
 * id, help, info panel, a menu of choices). Curses-free: the frontend
 * maps its key codes to VIEW_KEY_* and acts on the returned command.
 */
#ifndef QGTOP_VIEW_KEYS_H
#define QGTOP_VIEW_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* special keys; printable keys are their character code */
enum {
	VIEW_KEY_ESC = 27,
	VIEW_KEY_ENTER = '\n',
	VIEW_KEY_BACKSPACE = 127,
	VIEW_KEY_UP = 0x110000,
	VIEW_KEY_DOWN,
	VIEW_KEY_LEFT,
	VIEW_KEY_RIGHT,
	VIEW_KEY_PGUP,
	VIEW_KEY_PGDN,
	VIEW_KEY_HOME,
	VIEW_KEY_END,
	VIEW_KEY_F10,
	VIEW_KEY_RESIZE,
};

enum view_mode {
	VIEW_MODE_NORMAL = 0,
	VIEW_MODE_SEARCH,	/* typing a search pattern */
	VIEW_MODE_CONFIRM,	/* y/N, default No */
	VIEW_MODE_TYPE_YES,	/* type "yes" and Enter */
	VIEW_MODE_INPUT,	/* a line of text: size, qgroup id */
	VIEW_MODE_HELP,
	VIEW_MODE_INFO,
	VIEW_MODE_MENU,		/* one key out of a given set */
};

enum view_cmd {
	VIEW_CMD_NONE = 0,
	VIEW_CMD_QUIT,
	VIEW_CMD_UP,
	VIEW_CMD_DOWN,
	VIEW_CMD_PGUP,
	VIEW_CMD_PGDN,
	VIEW_CMD_HOME,
	VIEW_CMD_END,
	VIEW_CMD_EXPAND,
	VIEW_CMD_COLLAPSE,
	VIEW_CMD_SORT_ID,
	VIEW_CMD_SORT_RFER,
	VIEW_CMD_SORT_EXCL,
	VIEW_CMD_SORT_PCT,
	VIEW_CMD_FLAT,
	VIEW_CMD_UNITS,
	VIEW_CMD_SEARCH_EDIT,	/* the search text changed (incremental) */
	VIEW_CMD_SEARCH_DONE,
	VIEW_CMD_SEARCH_NEXT,
	VIEW_CMD_SEARCH_PREV,
	VIEW_CMD_HELP,
	VIEW_CMD_INFO,
	VIEW_CMD_CLOSE,		/* help/info closed */
	VIEW_CMD_MARK,
	VIEW_CMD_REFRESH,
	VIEW_CMD_RESCAN,
	VIEW_CMD_ABORT,
	VIEW_CMD_QUOTA_ENABLE,
	VIEW_CMD_QUOTA_DISABLE,
	VIEW_CMD_CREATE,
	VIEW_CMD_DESTROY,
	VIEW_CMD_ASSIGN,
	VIEW_CMD_REMOVE,
	VIEW_CMD_LIMIT,
	VIEW_CMD_CLEAR_STALE,
	VIEW_CMD_THRESHOLD,	/* set drop_subtree_threshold */
	VIEW_CMD_CANCEL_SCAN,	/* offline: stop the running scan */
	VIEW_CMD_EXACT,		/* live <-> exact numbers of a mounted fs */
	VIEW_CMD_CONFIRMED,	/* k->pending was confirmed */
	VIEW_CMD_CANCELLED,	/* a prompt was answered no or escaped */
	VIEW_CMD_INPUT_DONE,	/* k->input holds the text for k->pending */
	VIEW_CMD_CHOICE,	/* k->choice is the menu key for k->pending */
	VIEW_CMD_REDRAW,
};

#define VIEW_INPUT_MAX 128

struct view_keys {
	enum view_mode mode;
	int pending;		/* the command a prompt is for */
	char input[VIEW_INPUT_MAX];
	size_t input_len;
	char choices[16];	/* menu keys */
	int choice;
	const char *yes_word;	/* the translated "yes", also accepted */
};

/**
 * view_keys_init() - main screen, nothing pending
 * @yes_word: the translated word for "yes" (the English one always works)
 */
void view_keys_init(struct view_keys *k, const char *yes_word);

/**
 * view_keys_feed() - interpret one key in the current mode
 * Return: the command to carry out (VIEW_CMD_NONE for none).
 */
enum view_cmd view_keys_feed(struct view_keys *k, int key);

/**
 * view_keys_confirm() - ask y/N for command @cmd (default No)
 */
void view_keys_confirm(struct view_keys *k, int cmd);

/**
 * view_keys_type_yes() - ask to type "yes" for destructive command @cmd
 */
void view_keys_type_yes(struct view_keys *k, int cmd);

/**
 * view_keys_input() - ask for a line of text for command @cmd
 * @initial: text to start with, may be NULL
 */
void view_keys_input(struct view_keys *k, int cmd, const char *initial);

/**
 * view_keys_menu() - ask for one of the keys in @choices for @cmd;
 * Esc or any other key cancels
 */
void view_keys_menu(struct view_keys *k, int cmd, const char *choices);

/**
 * view_keys_start_search() - open the search prompt, empty
 */
void view_keys_start_search(struct view_keys *k);

#endif
