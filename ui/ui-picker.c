// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ui-picker.c - the first screen of `qgtop` without arguments: the mounted
 * btrfs filesystems (label, UUID, mountpoints, quota mode, inconsistent
 * flag, rescan running); Enter opens one.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live-mounts.h"
#include "nls.h"
#include "ui-int.h"
#include "view-format.h"

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
	if (cur < *top)
		*top = cur;
	if (cur >= *top + h)
		*top = cur - h + 1;
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
	size_t cur = 0, top = 0;
	int ret, key;

	ret = live_mounts_read(NULL, &l);
	if (ret)
		return ret;
	draw(&l, cur, &top);
	for (;;) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

		if (ui_signal_caught) {
			ret = -EINTR;
			break;
		}
		if (poll(&p, 1, 1000) < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		while ((key = ui_key()) >= 0) {
			switch (key) {
			case 'q':
			case VIEW_KEY_ESC:
			case VIEW_KEY_F10:
				ret = 0;
				goto out;
			case VIEW_KEY_UP:
			case 'k':
				if (cur)
					cur--;
				break;
			case VIEW_KEY_DOWN:
			case 'j':
				if (cur + 1 < l.nr)
					cur++;
				break;
			case VIEW_KEY_HOME:
			case 'g':
				cur = 0;
				break;
			case VIEW_KEY_END:
			case 'G':
				cur = l.nr ? l.nr - 1 : 0;
				break;
			case '\n':
			case '\r':
			case VIEW_KEY_RIGHT:
			case 'l':
				if (!l.nr)
					break;
				*path = strdup(live_mounts_best_path(&l.mounts[cur]));
				ret = *path ? 1 : -ENOMEM;
				goto out;
			default:
				break;
			}
		}
		draw(&l, cur, &top);
	}
out:
	live_mounts_free(&l);
	return ret;
}
