// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ui-main.c - the curses frontend: arguments, terminal set-up and
 * restore (also on SIGINT, SIGTERM, SIGHUP), the input loop and what each
 * command does. The loop polls the terminal and the worker's wake pipe;
 * all reading of the filesystem and every change happen in the worker
 * (ui-worker.c), so keys are answered while the kernel is busy.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "nls.h"
#include "signals.h"
#include "ui-int.h"
#include "ui.h"
#include "units.h"
#include "view-format.h"

/* prompt codes beyond enum view_cmd */
enum {
	UI_P_PAUSE = 1000,
	UI_P_CANCEL_RESCAN,
	UI_P_ENABLE_FULL,
	UI_P_ENABLE_SIMPLE,
};

volatile sig_atomic_t ui_signal_caught;
static bool curses_on;

static void on_signal(int sig)
{
	ui_signal_caught = sig;
}

static void restore_terminal(void)
{
	if (curses_on) {
		endwin();
		curses_on = false;
	}
}

static void start_curses(bool *color)
{
	const char *nc = getenv("NO_COLOR");

	initscr();
	curses_on = true;
	atexit(restore_terminal);
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
	signals_catch_terminating(on_signal);
}

int ui_key(void)
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

static void message(struct ui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void message(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_error = error;
}

static void prompt(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void prompt(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->prompt, sizeof(ui->prompt), fmt, ap);
	va_end(ap);
}

/* the action applies, or say why not; true when it applies */
static bool allowed(struct ui *ui, enum session_action act, char key)
{
	const char *why = session_why_not(&ui->s, ui->m, act);

	if (why)
		message(ui, true, "%c: %s", key, why);
	return !why;
}

static const struct qgroup *cursor_qgroup(struct ui *ui)
{
	return view_row_qgroup(&ui->v, ui->v.cursor);
}

static void submit(struct ui *ui, struct ui_job *j)
{
	if (!ui_worker_submit(&ui->w, j))
		message(ui, true, "%s", _("busy with the previous action: try again in a moment"));
	else
		message(ui, false, "%s", _("working..."));
}

static void do_confirmed(struct ui *ui)
{
	struct ui_job j = { 0 };

	switch (ui->k.pending) {
	case VIEW_CMD_RESCAN:
		j.kind = UI_JOB_RESCAN;
		ui->detached = false;
		break;
	case UI_P_PAUSE:
		j.kind = UI_JOB_PAUSE;
		break;
	case UI_P_CANCEL_RESCAN:
	case VIEW_CMD_QUOTA_DISABLE:
		j.kind = UI_JOB_QUOTA_DISABLE;
		break;
	case UI_P_ENABLE_FULL:
	case UI_P_ENABLE_SIMPLE:
		j.kind = UI_JOB_QUOTA_ENABLE;
		j.flag = ui->k.pending == UI_P_ENABLE_SIMPLE;
		break;
	case VIEW_CMD_DESTROY:
		j.kind = UI_JOB_DESTROY;
		j.a = ui->target;
		break;
	case VIEW_CMD_CLEAR_STALE:
		j.kind = UI_JOB_CLEAR_STALE;
		break;
	default:
		return;
	}
	submit(ui, &j);
}

static void do_input(struct ui *ui)
{
	struct ui_job j = { 0 };
	const char *in = ui->k.input;
	char id[32];
	uint64_t v;

	switch (ui->k.pending) {
	case VIEW_CMD_CREATE:
		if (qgroup_id_parse(in, &v) || QGROUP_LEVEL(v) == 0) {
			message(ui, true, _("not a qgroup id of level 1 or higher: %s"), in);
			return;
		}
		j.kind = UI_JOB_CREATE;
		j.a = v;
		break;
	case VIEW_CMD_ASSIGN:
	case VIEW_CMD_REMOVE:
		if (qgroup_id_parse(in, &v)) {
			message(ui, true, _("not a qgroup id: %s"), in);
			return;
		}
		if (QGROUP_LEVEL(v) <= QGROUP_LEVEL(ui->target)) {
			message(ui, true, _("the parent must have a higher level than %s"),
				qgroup_id_format(ui->target, id, sizeof(id)));
			return;
		}
		j.kind = ui->k.pending == VIEW_CMD_ASSIGN ? UI_JOB_ASSIGN : UI_JOB_REMOVE;
		j.a = ui->target;
		j.b = v;
		break;
	case VIEW_CMD_LIMIT:
		if (!strcasecmp(in, "none") || !strcmp(in, "-") || !strcasecmp(in, _("none"))) {
			v = UINT64_MAX;
		} else if (units_parse_size(in, &v) || v == UINT64_MAX) {
			message(ui, true, _("not a size: %s (use e.g. 10G, 512M or none)"), in);
			return;
		}
		j.kind = UI_JOB_LIMIT;
		j.a = ui->target;
		j.which = ui->limit_which;
		j.size = v;
		break;
	default:
		return;
	}
	submit(ui, &j);
}

static void do_choice(struct ui *ui)
{
	const struct qgroup_model *m = ui->m;
	char id[32];

	switch (ui->k.pending) {
	case VIEW_CMD_ABORT:
		if (ui->k.choice == 'd') {
			ui->detached = true;
			message(ui, false, "%s", _("stopped watching; the kernel's rescan goes on"));
		} else if (ui->k.choice == 'p') {
			const char *mp = m && m->fs.mountpoints && m->fs.mountpoints[0] ?
						 m->fs.mountpoints[0] : ui->s.path;

			snprintf(ui->s.pause_mountpoint, sizeof(ui->s.pause_mountpoint), "%s", mp);
			prompt(ui, _("Remount %s read-only? Every user of the filesystem loses write "
				     "access until it is remounted read-write, then the rescan resumes. [y/N]"),
			       mp);
			view_keys_confirm(&ui->k, UI_P_PAUSE);
		} else if (ui->k.choice == 'C') {
			prompt(ui, "%s", _("Cancel by disabling quotas: this deletes every qgroup, relation "
					   "and limit (saved to a file first). Type yes:"));
			view_keys_type_yes(&ui->k, UI_P_CANCEL_RESCAN);
		}
		break;
	case VIEW_CMD_QUOTA_ENABLE:
		if (ui->k.choice == 'f') {
			prompt(ui, "%s", _("Enable quotas with full accounting? The kernel then scans "
					   "every extent. [y/N]"));
			view_keys_confirm(&ui->k, UI_P_ENABLE_FULL);
		} else {
			prompt(ui, "%s", _("Enable simple quotas? This sets a permanent feature flag on "
					   "the filesystem. [y/N]"));
			view_keys_confirm(&ui->k, UI_P_ENABLE_SIMPLE);
		}
		break;
	case VIEW_CMD_LIMIT:
		ui->limit_which = ui->k.choice == 'e' ? QGROUP_LIMIT_MAX_EXCL : QGROUP_LIMIT_MAX_RFER;
		prompt(ui, _("Limit on %s of %s (a size like 10G, or none):"),
		       ui->k.choice == 'e' ? _("exclusive") : _("referenced"),
		       qgroup_id_format(ui->target, id, sizeof(id)));
		view_keys_input(&ui->k, VIEW_CMD_LIMIT, NULL);
		break;
	default:
		break;
	}
}

static void request_freed(struct ui *ui)
{
	struct ui_job j = { .kind = UI_JOB_FREED };

	j.ids = view_marked_ids(&ui->v, &j.nr);
	if (!j.nr) {
		ui->have_freed = false;
		return;
	}
	submit(ui, &j);
}

static void search_go(struct ui *ui, bool backward)
{
	long i = view_search(&ui->v, backward);

	if (i < 0)
		i = view_reveal_match(&ui->v);	/* the match may be folded away */
	if (!ui->v.search[0])
		message(ui, false, "%s", _("no search: press / first"));
	else if (i < 0)
		message(ui, true, _("not found: %s"), ui->v.search);
	else
		view_set_cursor(&ui->v, (size_t)i);
}

/* first match at or after the row where the search started; -1 if none */
static long search_at(struct ui *ui)
{
	size_t n = ui->v.nr_rows;
	long i;

	if (!n || !ui->v.search[0])
		return -1;
	/* view_search() looks after the cursor: start one row before */
	view_set_cursor(&ui->v, ui->search_origin);
	ui->v.cursor = ui->search_origin ? ui->search_origin - 1 : n - 1;
	i = view_search(&ui->v, false);
	view_set_cursor(&ui->v, i >= 0 ? (size_t)i : ui->search_origin);
	return i;
}

/* jump to the first match while the pattern is typed */
static void search_incremental(struct ui *ui)
{
	if (!ui->searching) {
		ui->searching = true;
		ui->search_origin = ui->v.cursor;
	}
	snprintf(ui->v.search, sizeof(ui->v.search), "%s", ui->k.input);
	search_at(ui);
}

/* return true to quit */
static bool command(struct ui *ui, enum view_cmd c)
{
	const struct qgroup *q = cursor_qgroup(ui);
	bool overlay = ui->k.mode == VIEW_MODE_HELP || ui->k.mode == VIEW_MODE_INFO;
	int *scroll = ui->k.mode == VIEW_MODE_HELP ? &ui->help_top : &ui->info_top;
	long page = ui->list_height > 1 ? ui->list_height - 1 : 1;
	char id[32], other[64];
	size_t n, i;

	switch (c) {
	case VIEW_CMD_NONE:
		break;
	case VIEW_CMD_QUIT:
		return true;
	case VIEW_CMD_UP:
		if (overlay)
			(*scroll)--;
		else
			view_move(&ui->v, -1);
		break;
	case VIEW_CMD_DOWN:
		if (overlay)
			(*scroll)++;
		else
			view_move(&ui->v, 1);
		break;
	case VIEW_CMD_PGUP:
		if (overlay)
			*scroll -= LINES / 2;
		else
			view_move(&ui->v, -page);
		break;
	case VIEW_CMD_PGDN:
		if (overlay)
			*scroll += LINES / 2;
		else
			view_move(&ui->v, page);
		break;
	case VIEW_CMD_HOME:
		view_set_cursor(&ui->v, 0);
		break;
	case VIEW_CMD_END:
		view_set_cursor(&ui->v, ui->v.nr_rows ? ui->v.nr_rows - 1 : 0);
		break;
	case VIEW_CMD_EXPAND:
		view_expand(&ui->v);
		break;
	case VIEW_CMD_COLLAPSE:
		view_collapse(&ui->v);
		break;
	case VIEW_CMD_SORT_ID:
		view_set_sort(&ui->v, VIEW_SORT_ID);
		break;
	case VIEW_CMD_SORT_RFER:
		view_set_sort(&ui->v, VIEW_SORT_RFER);
		break;
	case VIEW_CMD_SORT_EXCL:
		view_set_sort(&ui->v, VIEW_SORT_EXCL);
		break;
	case VIEW_CMD_SORT_PCT:
		view_set_sort(&ui->v, VIEW_SORT_PCT);
		break;
	case VIEW_CMD_FLAT:
		view_toggle_flat(&ui->v);
		message(ui, false, "%s", ui->v.flat ? _("flat list") : _("tree"));
		break;
	case VIEW_CMD_UNITS:
		ui->v.units = units_next(ui->v.units);
		message(ui, false, _("units: %s"), units_name(ui->v.units));
		break;
	case VIEW_CMD_SEARCH_EDIT:
		search_incremental(ui);
		break;
	case VIEW_CMD_SEARCH_DONE:
		ui->searching = false;
		snprintf(ui->v.search, sizeof(ui->v.search), "%s", ui->k.input);
		if (search_at(ui) < 0 && view_reveal_match(&ui->v) < 0 && ui->v.search[0])
			message(ui, true, _("not found: %s"), ui->v.search);
		break;
	case VIEW_CMD_SEARCH_NEXT:
		search_go(ui, false);
		break;
	case VIEW_CMD_SEARCH_PREV:
		search_go(ui, true);
		break;
	case VIEW_CMD_HELP:
		ui->help_top = 0;
		break;
	case VIEW_CMD_INFO:
		ui->info_top = 0;
		break;
	case VIEW_CMD_CLOSE:
		break;
	case VIEW_CMD_MARK:
		if (!allowed(ui, SESSION_ACT_FREED, ' ') || !q)
			break;
		if (QGROUP_LEVEL(q->id)) {
			message(ui, true, "%s", _("only subvolumes (level 0) can be marked"));
			break;
		}
		view_toggle_mark(&ui->v);
		view_move(&ui->v, 1);
		request_freed(ui);
		break;
	case VIEW_CMD_REFRESH:
		ui_worker_refresh(&ui->w);
		break;
	case VIEW_CMD_REDRAW:
		clearok(curscr, TRUE);
		break;
	case VIEW_CMD_RESCAN:
		if (!allowed(ui, SESSION_ACT_RESCAN, 'r'))
			break;
		prompt(ui, _("Start a quota rescan of %s? The kernel recounts every extent; the "
			     "numbers are provisional until it ends. [y/N]"),
		       session_title(&ui->s));
		view_keys_confirm(&ui->k, VIEW_CMD_RESCAN);
		break;
	case VIEW_CMD_ABORT:
		if (!allowed(ui, SESSION_ACT_ABORT, 'a'))
			break;
		prompt(ui, "%s", _("Abort the rescan? d: stop watching (it goes on)  p: pause (remount "
				   "read-only, affects all users)  C: cancel (disable quotas)  Esc: back"));
		view_keys_menu(&ui->k, VIEW_CMD_ABORT, "dpC");
		break;
	case VIEW_CMD_QUOTA_ENABLE:
		if (!allowed(ui, SESSION_ACT_QUOTA_ENABLE, 'Q'))
			break;
		prompt(ui, "%s", _("Enable quotas: f: full accounting  s: simple quotas (permanent "
				   "feature flag)  Esc: back"));
		view_keys_menu(&ui->k, VIEW_CMD_QUOTA_ENABLE, "fs");
		break;
	case VIEW_CMD_QUOTA_DISABLE:
		if (!allowed(ui, SESSION_ACT_QUOTA_DISABLE, 'X'))
			break;
		prompt(ui, "%s", _("Disable quotas? This deletes every qgroup, relation and limit "
				   "(saved to a file first). Type yes:"));
		view_keys_type_yes(&ui->k, VIEW_CMD_QUOTA_DISABLE);
		break;
	case VIEW_CMD_CREATE:
		if (!allowed(ui, SESSION_ACT_CREATE, 'c'))
			break;
		prompt(ui, "%s", _("Create qgroup (level/id, level 1 or higher):"));
		view_keys_input(&ui->k, VIEW_CMD_CREATE, "1/");
		break;
	case VIEW_CMD_DESTROY:
		if (!allowed(ui, SESSION_ACT_DESTROY, 'D') || !q)
			break;
		ui->target = q->id;
		prompt(ui, _("Destroy qgroup %s with its limits and relations? Type yes:"),
		       qgroup_id_format(q->id, id, sizeof(id)));
		view_keys_type_yes(&ui->k, VIEW_CMD_DESTROY);
		break;
	case VIEW_CMD_ASSIGN:
	case VIEW_CMD_REMOVE:
		if (!allowed(ui, SESSION_ACT_ASSIGN, c == VIEW_CMD_ASSIGN ? '+' : '-') || !q)
			break;
		ui->target = q->id;
		other[0] = '\0';
		if (c == VIEW_CMD_REMOVE) {
			uint32_t pr = ui->v.rows[ui->v.cursor].parent_row;

			if (pr != UINT32_MAX)
				qgroup_id_format(view_row_qgroup(&ui->v, pr)->id, other, sizeof(other));
			else if (q->nr_parents)
				qgroup_id_format(q->parents[0], other, sizeof(other));
			else {
				message(ui, true, _("%s has no parent"),
					qgroup_id_format(q->id, id, sizeof(id)));
				break;
			}
		}
		prompt(ui, c == VIEW_CMD_ASSIGN ? _("Assign %s to parent qgroup:")
						: _("Remove %s from parent qgroup:"),
		       qgroup_id_format(q->id, id, sizeof(id)));
		view_keys_input(&ui->k, c, other[0] ? other : NULL);
		break;
	case VIEW_CMD_LIMIT:
		if (!allowed(ui, SESSION_ACT_LIMIT, 'L') || !q)
			break;
		ui->target = q->id;
		prompt(ui, _("Limit of %s: r: on referenced  e: on exclusive  Esc: back"),
		       qgroup_id_format(q->id, id, sizeof(id)));
		view_keys_menu(&ui->k, VIEW_CMD_LIMIT, "re");
		break;
	case VIEW_CMD_CLEAR_STALE:
		if (!allowed(ui, SESSION_ACT_CLEAR_STALE, 'C'))
			break;
		for (i = 0, n = 0; ui->m && i < ui->m->nr_qgroups; i++)
			n += ui->m->qgroups[i].state == QGROUP_STATE_STALE;
		if (!n) {
			message(ui, false, "%s", _("no stale qgroups"));
			break;
		}
		prompt(ui, P_("Destroy %zu stale qgroup (subvolume gone)? [y/N]",
			      "Destroy %zu stale qgroups (subvolumes gone)? [y/N]", n), n);
		view_keys_confirm(&ui->k, VIEW_CMD_CLEAR_STALE);
		break;
	case VIEW_CMD_CANCEL_SCAN:
		if (!allowed(ui, SESSION_ACT_CANCEL_SCAN, 'x'))
			break;
		atomic_store(&ui->s.cancel, 1);
		message(ui, false, "%s", _("stopping the scan..."));
		break;
	case VIEW_CMD_CONFIRMED:
		do_confirmed(ui);
		break;
	case VIEW_CMD_CANCELLED:
		if (ui->searching) {
			/* Esc in the search prompt goes back where it started */
			ui->searching = false;
			view_set_cursor(&ui->v, ui->search_origin);
		}
		message(ui, false, "%s", _("cancelled"));
		break;
	case VIEW_CMD_INPUT_DONE:
		do_input(ui);
		break;
	case VIEW_CMD_CHOICE:
		do_choice(ui);
		break;
	}
	return false;
}

static void take_from_worker(struct ui *ui)
{
	struct qgroup_model *m;
	char buf[64];

	while (read(ui->w.wake[0], buf, sizeof(buf)) > 0)
		;
	m = ui_worker_take(&ui->w);
	if (m) {
		struct qgroup_model *old = ui->m;

		view_build(&ui->v, m);
		ui->m = m;
		if (old) {
			qgroup_model_free(old);
			free(old);
		}
	}
	pthread_mutex_lock(&ui->w.lock);
	if (ui->w.msg_new) {
		snprintf(ui->msg, sizeof(ui->msg), "%s", ui->w.msg);
		ui->msg_error = ui->w.msg_error;
		ui->w.msg_new = false;
	}
	if (ui->w.have_freed) {
		ui->have_freed = true;
		ui->freed = ui->w.freed;
		ui->freed_nr = ui->w.freed_nr;
		ui->w.have_freed = false;
		ui->msg[0] = '\0';
	}
	if (ui->w.refresh_err != ui->refresh_err) {
		ui->refresh_err = ui->w.refresh_err;
		if (ui->refresh_err == -ECANCELED)
			message(ui, true, "%s", _("scan stopped: the numbers shown are incomplete"));
		else if (ui->refresh_err && ui->s.kind == SESSION_IMAGE && ui->s.error[0])
			message(ui, true, "%s", ui->s.error);
		else if (ui->refresh_err)
			message(ui, true, _("cannot read the quota state: %s"),
				strerror(-ui->refresh_err));
	}
	pthread_mutex_unlock(&ui->w.lock);
}

static int loop(struct ui *ui)
{
	int key;

	ui_draw(ui);
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = ui->w.wake[0], .events = POLLIN },
		};
		bool busy = (ui->m && view_rescan_active(ui->m)) ||
			    (ui->s.kind == SESSION_IMAGE && !ui->s.scanned);

		if (poll(p, 2, busy ? 200 : 1000) < 0 && errno != EINTR)
			return CLI_EXIT_FAIL;
		if (ui_signal_caught)
			return 128 + ui_signal_caught;
		if (p[1].revents & POLLIN)
			take_from_worker(ui);
		while ((key = ui_key()) >= 0) {
			if (key == 0)
				continue;
			if (command(ui, view_keys_feed(&ui->k, key)))
				return CLI_EXIT_OK;
		}
		ui_draw(ui);
	}
}

static int run(struct ui *ui)
{
	sigset_t block, old;
	int ret;

	/* the worker (and the threads it starts) must not take our signals */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	ret = ui_worker_start(&ui->w, &ui->s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		restore_terminal();
		cli_error(_("cannot start the worker thread: %s"), strerror(-ret));
		return CLI_EXIT_FAIL;
	}
	ret = loop(ui);
	restore_terminal();
	ui_worker_stop(&ui->w);
	return ret;
}

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

int ui_main(int argc, char **argv)
{
	struct ui ui;
	bool ascii = false, image = false;
	char **files = NULL, *path = NULL, *picked = NULL;
	size_t nr_files = 0;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ascii")) {
			ascii = true;
		} else if (!strcmp(argv[i], "--image")) {
			image = true;
			files = argv + i + 1;
			for (nr_files = 0; i + 1 < argc && strcmp(argv[i + 1], "--ascii"); i++)
				nr_files++;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cli_error(_("unknown option %s (see qgtop --help)"), argv[i]);
			return CLI_EXIT_USAGE;
		} else if (!path) {
			path = argv[i];
		} else {
			cli_error(_("more than one path given: %s"), argv[i]);
			return CLI_EXIT_USAGE;
		}
	}
	if (image && (!nr_files || path)) {
		cli_error("%s", nr_files ? _("--image takes image files, not a path as well")
					 : _("--image needs at least one image file"));
		return CLI_EXIT_USAGE;
	}
	if (!locale_is_utf8())
		ascii = true;

	memset(&ui, 0, sizeof(ui));
	ui.ascii = ascii;
	view_init(&ui.v);
	view_keys_init(&ui.k, _("yes"));
	/* a bad path or image is reported as such, terminal or not */
	if (image) {
		ret = session_open_image(&ui.s, files, nr_files);
		if (ret) {
			cli_error("%s", ui.s.error[0] ? ui.s.error : strerror(-ret));
			/* as qgtop scan: every image error is bad input, but permission */
			return ret == -EACCES || ret == -EPERM ? CLI_EXIT_PERM : CLI_EXIT_USAGE;
		}
	} else if (path) {
		ret = session_open_live(&ui.s, path);
		if (ret == -ENOENT && !strchr(path, '/')) {
			/* most likely a mistyped command word */
			cli_error(_("%s is neither a command nor an existing path (see qgtop --help)"),
				  path);
			return CLI_EXIT_USAGE;
		}
		if (ret)
			return cli_open_error(path, ret);
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("%s", _("the interactive view needs a terminal (qgtop show PATH prints a table)"));
		session_close(&ui.s);
		return CLI_EXIT_USAGE;
	}
	signals_catch_terminating(on_signal);
	if (image || path) {
		start_curses(&ui.color);
	} else {
		start_curses(&ui.color);
		ret = ui_picker(&picked);
		if (ret <= 0 || ui_signal_caught) {
			restore_terminal();
			free(picked);
			if (ui_signal_caught)
				return 128 + ui_signal_caught;
			if (ret < 0) {
				cli_error(_("cannot list the mounted filesystems: %s"), strerror(-ret));
				return cli_exit_for_errno(ret);
			}
			return CLI_EXIT_OK;
		}
		ret = session_open_live(&ui.s, picked);
		if (ret) {
			restore_terminal();
			ret = cli_open_error(picked, ret);
			free(picked);
			return ret;
		}
		free(picked);
	}
	ret = run(&ui);
	view_free(&ui.v);
	if (ui.m) {
		qgroup_model_free(ui.m);
		free(ui.m);
	}
	session_close(&ui.s);
	return ret;
}
