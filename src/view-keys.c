// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-keys.c - key handling state machine of the frontend. The keys
 * follow ncdu/htop/tmux habits: arrows and hjkl, g/G, / n N, ? for help,
 * q to quit; default-No confirmations, a typed "yes" for what destroys
 * configuration (cfdisk accepts the English and the translated word).
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "view-keys.h"

void view_keys_init(struct view_keys *k, const char *yes_word)
{
	memset(k, 0, sizeof(*k));
	k->yes_word = yes_word;
}

static void input_reset(struct view_keys *k, const char *initial)
{
	k->input[0] = '\0';
	k->input_len = 0;
	if (initial) {
		strncpy(k->input, initial, VIEW_INPUT_MAX - 1);
		k->input[VIEW_INPUT_MAX - 1] = '\0';
		k->input_len = strlen(k->input);
	}
}

void view_keys_confirm(struct view_keys *k, int cmd)
{
	k->mode = VIEW_MODE_CONFIRM;
	k->pending = cmd;
}

void view_keys_type_yes(struct view_keys *k, int cmd)
{
	k->mode = VIEW_MODE_TYPE_YES;
	k->pending = cmd;
	input_reset(k, NULL);
}

void view_keys_input(struct view_keys *k, int cmd, const char *initial)
{
	k->mode = VIEW_MODE_INPUT;
	k->pending = cmd;
	input_reset(k, initial);
}

void view_keys_menu(struct view_keys *k, int cmd, const char *choices)
{
	k->mode = VIEW_MODE_MENU;
	k->pending = cmd;
	strncpy(k->choices, choices, sizeof(k->choices) - 1);
	k->choices[sizeof(k->choices) - 1] = '\0';
	k->choice = 0;
}

void view_keys_start_search(struct view_keys *k)
{
	k->mode = VIEW_MODE_SEARCH;
	k->pending = VIEW_CMD_SEARCH_DONE;
	input_reset(k, NULL);
}

/* edit the input line; true when the key was an edit */
static bool edit(struct view_keys *k, int key)
{
	if (key == VIEW_KEY_BACKSPACE || key == 8) {
		if (k->input_len) {
			/* drop a whole UTF-8 sequence */
			do
				k->input_len--;
			while (k->input_len && ((unsigned char)k->input[k->input_len] & 0xc0) == 0x80);
			k->input[k->input_len] = '\0';
		}
		return true;
	}
	if (key == 21) {	/* ^U */
		input_reset(k, NULL);
		return true;
	}
	if (key >= 32 && key < 256 && key != 127 && k->input_len + 1 < VIEW_INPUT_MAX) {
		k->input[k->input_len++] = (char)key;
		k->input[k->input_len] = '\0';
		return true;
	}
	return false;
}

static bool is_enter(int key)
{
	return key == '\n' || key == '\r';
}

static enum view_cmd normal(struct view_keys *k, int key)
{
	switch (key) {
	case 'q':
	case VIEW_KEY_F10:
		return VIEW_CMD_QUIT;
	case VIEW_KEY_UP:
	case 'k':
		return VIEW_CMD_UP;
	case VIEW_KEY_DOWN:
	case 'j':
		return VIEW_CMD_DOWN;
	case VIEW_KEY_PGUP:
	case 2:			/* ^B */
		return VIEW_CMD_PGUP;
	case VIEW_KEY_PGDN:
	case 6:			/* ^F */
		return VIEW_CMD_PGDN;
	case VIEW_KEY_HOME:
	case 'g':
		return VIEW_CMD_HOME;
	case VIEW_KEY_END:
	case 'G':
		return VIEW_CMD_END;
	case VIEW_KEY_RIGHT:
	case 'l':
	case '\n':
	case '\r':
		return VIEW_CMD_EXPAND;
	case VIEW_KEY_LEFT:
	case 'h':
		return VIEW_CMD_COLLAPSE;
	case '1':
		return VIEW_CMD_SORT_ID;
	case '2':
		return VIEW_CMD_SORT_RFER;
	case '3':
		return VIEW_CMD_SORT_EXCL;
	case '4':
		return VIEW_CMD_SORT_PCT;
	case 'f':
		return VIEW_CMD_FLAT;
	case 'u':
		return VIEW_CMD_UNITS;
	case '/':
		view_keys_start_search(k);
		return VIEW_CMD_SEARCH_EDIT;
	case 'n':
		return VIEW_CMD_SEARCH_NEXT;
	case 'N':
		return VIEW_CMD_SEARCH_PREV;
	case '?':
		k->mode = VIEW_MODE_HELP;
		return VIEW_CMD_HELP;
	case 'i':
		k->mode = VIEW_MODE_INFO;
		return VIEW_CMD_INFO;
	case ' ':
		return VIEW_CMD_MARK;
	case 12:		/* ^L */
		return VIEW_CMD_REDRAW;
	case VIEW_KEY_RESIZE:
		return VIEW_CMD_REDRAW;
	case 'F':
		return VIEW_CMD_REFRESH;
	case 'r':
		return VIEW_CMD_RESCAN;
	case 'a':
		return VIEW_CMD_ABORT;
	case 'Q':
		return VIEW_CMD_QUOTA_ENABLE;
	case 'X':
		return VIEW_CMD_QUOTA_DISABLE;
	case 'c':
		return VIEW_CMD_CREATE;
	case 'D':
		return VIEW_CMD_DESTROY;
	case '+':
		return VIEW_CMD_ASSIGN;
	case '-':
		return VIEW_CMD_REMOVE;
	case 'L':
		return VIEW_CMD_LIMIT;
	case 'C':
		return VIEW_CMD_CLEAR_STALE;
	case 'T':
		return VIEW_CMD_THRESHOLD;
	case 'x':
		return VIEW_CMD_CANCEL_SCAN;
	case 'e':
		return VIEW_CMD_EXACT;
	default:
		return VIEW_CMD_NONE;
	}
}

static bool is_yes(const struct view_keys *k)
{
	if (!strcasecmp(k->input, "yes"))
		return true;
	return k->yes_word && *k->yes_word && !strcasecmp(k->input, k->yes_word);
}

enum view_cmd view_keys_feed(struct view_keys *k, int key)
{
	if (key == VIEW_KEY_RESIZE)
		return VIEW_CMD_REDRAW;
	switch (k->mode) {
	case VIEW_MODE_NORMAL:
		return normal(k, key);
	case VIEW_MODE_SEARCH:
		if (is_enter(key)) {
			k->mode = VIEW_MODE_NORMAL;
			return VIEW_CMD_SEARCH_DONE;
		}
		if (key == VIEW_KEY_ESC) {
			k->mode = VIEW_MODE_NORMAL;
			return VIEW_CMD_CANCELLED;
		}
		return edit(k, key) ? VIEW_CMD_SEARCH_EDIT : VIEW_CMD_NONE;
	case VIEW_MODE_CONFIRM:
		k->mode = VIEW_MODE_NORMAL;
		if (key == 'y' || key == 'Y')
			return VIEW_CMD_CONFIRMED;
		return VIEW_CMD_CANCELLED;
	case VIEW_MODE_TYPE_YES:
	case VIEW_MODE_INPUT:
		if (is_enter(key)) {
			bool yes = k->mode == VIEW_MODE_TYPE_YES;

			k->mode = VIEW_MODE_NORMAL;
			if (yes)
				return is_yes(k) ? VIEW_CMD_CONFIRMED : VIEW_CMD_CANCELLED;
			return VIEW_CMD_INPUT_DONE;
		}
		if (key == VIEW_KEY_ESC) {
			k->mode = VIEW_MODE_NORMAL;
			return VIEW_CMD_CANCELLED;
		}
		edit(k, key);
		return VIEW_CMD_NONE;
	case VIEW_MODE_HELP:
	case VIEW_MODE_INFO:
		switch (key) {
		case VIEW_KEY_UP:
		case 'k':
			return VIEW_CMD_UP;
		case VIEW_KEY_DOWN:
		case 'j':
			return VIEW_CMD_DOWN;
		case VIEW_KEY_PGUP:
			return VIEW_CMD_PGUP;
		case VIEW_KEY_PGDN:
		case ' ':
			return VIEW_CMD_PGDN;
		case VIEW_KEY_F10:
			return VIEW_CMD_QUIT;
		case 'i':
			if (k->mode == VIEW_MODE_HELP)
				return VIEW_CMD_NONE;
			break;
		case '?':
			if (k->mode == VIEW_MODE_INFO)
				return VIEW_CMD_NONE;
			break;
		case 'q':
		case VIEW_KEY_ESC:
		case VIEW_KEY_LEFT:
		case 'h':
			break;
		default:
			return VIEW_CMD_NONE;
		}
		k->mode = VIEW_MODE_NORMAL;
		return VIEW_CMD_CLOSE;
	case VIEW_MODE_MENU:
		k->mode = VIEW_MODE_NORMAL;
		if (key > 0 && key < 128 && key != VIEW_KEY_ESC && strchr(k->choices, key)) {
			k->choice = key;
			return VIEW_CMD_CHOICE;
		}
		return VIEW_CMD_CANCELLED;
	}
	return VIEW_CMD_NONE;
}
