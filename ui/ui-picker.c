// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ui-picker.c - the first screen of `qgtop` without arguments: the mounted
 * btrfs filesystems (label, UUID, mountpoints, quota mode, inconsistent
 * flag, rescan running); Enter opens one.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live-mounts.h"
#include "nls.h"
#include "ui-int.h"
#include "ui-picker.h"
#include "ui-term.h"
#include "view-format.h"
#include "view-keys.h"
#include "view-rows.h"

static const char *mode_name(enum qgroup_quota_mode m)
{
	return m == QGROUP_MODE_FULL ? _("full") : m == QGROUP_MODE_SIMPLE ? _("simple")
									 : _("disabled");
}

static void draw(const struct live_mount_list *l, size_t cur, size_t *top)
{
	char line[1024], mp[512];
	size_t i, k, h = LINES > 5 ? (size_t)LINES - 5 : 1;

	erase();
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
		snprintf(line, sizeof(line), _("terminal too small: need %dx%d, have %dx%d"),
			 UI_MIN_COLS, UI_MIN_LINES, COLS, LINES);
		mvaddstr(0, 0, line);
		refresh();
		return;
	}
	attron(A_REVERSE);
	move(0, 0);
	addstr(view_fit(_(" qgtop: choose a mounted btrfs filesystem"), (size_t)COLS, true, line,
			sizeof(line)));
	attroff(A_REVERSE);
	attron(A_BOLD | A_UNDERLINE);
	{
		char lab[80], mode[40], inc[40], res[40];

		view_fit(_("Label"), 16, true, lab, sizeof(lab));
		view_fit(_("Quota"), 8, true, mode, sizeof(mode));
		view_fit(_("Incon"), 5, true, inc, sizeof(inc));
		view_fit(_("Rescan"), 7, true, res, sizeof(res));
		snprintf(line, sizeof(line), "  %s %-36s %s %s %s %s", lab, _("UUID"), mode, inc,
			 res, _("Mounted on"));
	}
	mvaddstr(2, 0, view_fit(line, (size_t)COLS, true, mp, sizeof(mp)));
	attroff(A_BOLD | A_UNDERLINE);
	*top = view_list_scroll(cur, *top, l->nr, h);
	for (i = *top; i < l->nr && i < *top + h; i++) {
		const struct live_mount *m = &l->mounts[i];
		size_t used = 0;

		mp[0] = '\0';
		for (k = 0; k < m->nr_mountpoints && used + 2 < sizeof(mp); k++)
			used += (size_t)snprintf(mp + used, sizeof(mp) - used, "%s%s", k ? " " : "",
						 m->mountpoints[k]);
		/* padded by terminal cells, not bytes: labels may be UTF-8 */
		char lab[80], mode[40], inc[40], res[40];

		view_fit(m->label && m->label[0] ? m->label : "-", 16, true, lab, sizeof(lab));
		view_fit(mode_name(m->mode), 8, true, mode, sizeof(mode));
		view_fit(m->inconsistent ? _("yes") : "-", 5, true, inc, sizeof(inc));
		view_fit(m->rescan_running ? _("running") : "-", 7, true, res, sizeof(res));
		snprintf(line, sizeof(line), "%s %s %-36s %s %s %s %s", i == cur ? ">" : " ", lab,
			 m->uuid, mode, inc, res, mp);
		if (i == cur)
			attron(A_REVERSE);
		move(3 + (int)(i - *top), 0);
		addstr(view_fit(line, (size_t)COLS, true, mp, sizeof(mp)));
		if (i == cur)
			attroff(A_REVERSE);
	}
	if (!l->nr)
		mvaddstr(3, 2, _("no btrfs filesystem is mounted (qgtop --image FILE opens an image)"));
	attron(A_REVERSE);
	move(LINES - 1, 0);
	addstr(view_fit(_(" Enter:open  Up/Down,j/k:move  q:quit"), (size_t)COLS, true, line,
			sizeof(line)));
	attroff(A_REVERSE);
	refresh();
}

int ui_picker(char **path)
{
	struct live_mount_list l = { 0 };
	struct view_keys k;
	size_t cur = 0, top = 0;
	int ret, key;

	ret = live_mounts_read(NULL, &l);
	if (ret)
		return ret;
	/* the main screen's keys: arrows and hjkl, PgUp/PgDn, g/G, Enter, q */
	view_keys_init(&k, NULL);
	draw(&l, cur, &top);
	for (;;) {
		long page = LINES > 6 ? LINES - 6 : 1;

		if (ui_term_signal) {
			ret = -EINTR;
			break;
		}
		ret = ui_term_wait(-1, 1000, NULL);
		if (ret)
			break;
		while ((key = ui_term_key()) >= 0) {
			/* Esc leaves the picker (on the main screen it only closes) */
			enum view_cmd c = key == VIEW_KEY_ESC ? VIEW_CMD_QUIT : view_keys_feed(&k, key);

			switch (c) {
			case VIEW_CMD_QUIT:
				ret = 0;
				goto out;
			case VIEW_CMD_UP:
			case VIEW_CMD_DOWN:
				cur = view_list_move(cur, c == VIEW_CMD_UP ? -1 : 1, l.nr);
				break;
			case VIEW_CMD_PGUP:
			case VIEW_CMD_PGDN:
				cur = view_list_move(cur, c == VIEW_CMD_PGUP ? -page : page, l.nr);
				break;
			case VIEW_CMD_HOME:
				cur = 0;
				break;
			case VIEW_CMD_END:
				cur = view_list_move(cur, (long)l.nr, l.nr);
				break;
			case VIEW_CMD_EXPAND:
				if (!l.nr)
					break;
				*path = strdup(live_mounts_best_path(&l.mounts[cur]));
				ret = *path ? 1 : -ENOMEM;
				goto out;
			default:
				/* only movement keys here: anything else (a search, a
				 * help) leaves no prompt open */
				view_keys_init(&k, NULL);
				break;
			}
		}
		draw(&l, cur, &top);
	}
out:
	live_mounts_free(&l);
	return ret;
}
