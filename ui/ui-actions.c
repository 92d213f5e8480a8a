// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ui-actions.c - what each command of the frontend does, one small
 * handler a command in a table (as htop's Action.c), and the prompts that
 * lead to a job for the worker: the keys come decoded by view_keys_feed();
 * the handlers change the view, ask, or submit a session job.
 */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "live-admin.h"
#include "nls.h"
#include "ui-actions.h"
#include "units.h"
#include "view-format.h"

/* prompt codes beyond enum view_cmd */
enum {
	UI_P_PAUSE = 1000,
	UI_P_CANCEL_RESCAN,
	UI_P_ENABLE_FULL,
	UI_P_ENABLE_SIMPLE,
};

void ui_message(struct ui *ui, bool error, const char *fmt, ...)
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
		ui_message(ui, true, "%c: %s", key, why);
	return !why;
}

static const struct qgroup *cursor_qgroup(struct ui *ui)
{
	return view_row_qgroup(&ui->v, ui->v.cursor);
}

static void submit(struct ui *ui, struct session_job *j)
{
	if (!ui_worker_submit(&ui->w, j))
		ui_message(ui, true, "%s", _("busy with the previous action: try again in a moment"));
	else
		ui_message(ui, false, "%s", _("working..."));
}

static void do_confirmed(struct ui *ui)
{
	struct session_job j = { 0 };

	switch (ui->k.pending) {
	case VIEW_CMD_RESCAN:
		j.kind = SESSION_JOB_RESCAN;
		ui->detached = false;
		break;
	case UI_P_PAUSE:
		j.kind = SESSION_JOB_PAUSE;
		snprintf(j.mountpoint, sizeof(j.mountpoint), "%s", ui->pause_mountpoint);
		break;
	case UI_P_CANCEL_RESCAN:
	case VIEW_CMD_QUOTA_DISABLE:
		j.kind = SESSION_JOB_QUOTA_DISABLE;
		break;
	case UI_P_ENABLE_FULL:
	case UI_P_ENABLE_SIMPLE:
		j.kind = SESSION_JOB_QUOTA_ENABLE;
		j.flag = ui->k.pending == UI_P_ENABLE_SIMPLE;
		break;
	case VIEW_CMD_DESTROY:
		j.kind = SESSION_JOB_DESTROY;
		j.a = ui->target;
		break;
	case VIEW_CMD_CLEAR_STALE:
		j.kind = SESSION_JOB_CLEAR_STALE;
		break;
	default:
		return;
	}
	submit(ui, &j);
}

static void do_input(struct ui *ui)
{
	struct session_job j = { 0 };
	const char *in = ui->k.input;
	char id[32];
	uint64_t v;
	int ret;

	switch (ui->k.pending) {
	case VIEW_CMD_CREATE:
		if (qgroup_id_parse(in, &v) || QGROUP_LEVEL(v) == 0) {
			ui_message(ui, true, _("not a qgroup id of level 1 or higher: %s"), in);
			return;
		}
		j.kind = SESSION_JOB_CREATE;
		j.a = v;
		break;
	case VIEW_CMD_ASSIGN:
	case VIEW_CMD_REMOVE:
		if (qgroup_id_parse(in, &v)) {
			ui_message(ui, true, _("not a qgroup id: %s"), in);
			return;
		}
		if (QGROUP_LEVEL(v) <= QGROUP_LEVEL(ui->target)) {
			ui_message(ui, true, _("the parent must have a higher level than %s"),
				qgroup_id_format(ui->target, id, sizeof(id)));
			return;
		}
		j.kind = ui->k.pending == VIEW_CMD_ASSIGN ? SESSION_JOB_ASSIGN : SESSION_JOB_REMOVE;
		j.a = ui->target;
		j.b = v;
		break;
	case VIEW_CMD_LIMIT:
		/* "-" is how the limit column shows no limit */
		if (!strcmp(in, "-")) {
			v = UINT64_MAX;
			ret = 0;
		} else {
			ret = units_parse_limit(in, _("none"), &v);
		}
		if (ret) {
			ui_message(ui, true, _("not a size: %s: %s (use e.g. 10G, 512M or none)"), in,
				units_parse_strerror(ret));
			return;
		}
		j.kind = SESSION_JOB_LIMIT;
		j.a = ui->target;
		j.which = ui->limit_which;
		j.size = v;
		break;
	case VIEW_CMD_THRESHOLD:
		if (!in[0] || strspn(in, "0123456789") != strlen(in) || strlen(in) > 1 ||
		    (unsigned)(in[0] - '0') > LIVE_ADMIN_MAX_DROP_THRESHOLD) {
			ui_message(ui, true, _("not a level from 0 to %d: %s"),
				LIVE_ADMIN_MAX_DROP_THRESHOLD, in);
			return;
		}
		j.kind = SESSION_JOB_THRESHOLD;
		j.a = (uint64_t)(in[0] - '0');
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
			ui_message(ui, false, "%s", _("stopped watching; the kernel's rescan goes on"));
		} else if (ui->k.choice == 'p') {
			const char *mp = m && m->fs.mountpoints && m->fs.mountpoints[0] ?
						 m->fs.mountpoints[0] : ui->s.path;

			snprintf(ui->pause_mountpoint, sizeof(ui->pause_mountpoint), "%s", mp);
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
	struct session_job j = { .kind = SESSION_JOB_FREED };

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
		ui_message(ui, false, "%s", _("no search: press / first"));
	else if (i < 0)
		ui_message(ui, true, _("not found: %s"), ui->v.search);
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


/* ---- the handlers: return true to quit ---- */

typedef bool (*ui_action_fn)(struct ui *ui);

static bool overlay_open(const struct ui *ui)
{
	return ui->k.mode == VIEW_MODE_HELP || ui->k.mode == VIEW_MODE_INFO;
}

/* move the cursor, or scroll the open help or info overlay */
static void move_by(struct ui *ui, long rows, long overlay_rows)
{
	int *scroll = ui->k.mode == VIEW_MODE_HELP ? &ui->help_top : &ui->info_top;

	if (overlay_open(ui))
		*scroll += (int)overlay_rows;
	else
		view_move(&ui->v, rows);
}

static long page(const struct ui *ui)
{
	return ui->list_height > 1 ? ui->list_height - 1 : 1;
}

static bool act_quit(struct ui *ui)
{
	return true;
}

static bool act_up(struct ui *ui)
{
	move_by(ui, -1, -1);
	return false;
}

static bool act_down(struct ui *ui)
{
	move_by(ui, 1, 1);
	return false;
}

static bool act_pgup(struct ui *ui)
{
	move_by(ui, -page(ui), -LINES / 2);
	return false;
}

static bool act_pgdn(struct ui *ui)
{
	move_by(ui, page(ui), LINES / 2);
	return false;
}

static bool act_home(struct ui *ui)
{
	view_set_cursor(&ui->v, 0);
	return false;
}

static bool act_end(struct ui *ui)
{
	view_set_cursor(&ui->v, ui->v.nr_rows ? ui->v.nr_rows - 1 : 0);
	return false;
}

static bool act_expand(struct ui *ui)
{
	view_expand(&ui->v);
	return false;
}

static bool act_collapse(struct ui *ui)
{
	view_collapse(&ui->v);
	return false;
}

static bool sort_by(struct ui *ui, enum view_sort key)
{
	view_set_sort(&ui->v, key);
	return false;
}

static bool act_sort_id(struct ui *ui)
{
	return sort_by(ui, VIEW_SORT_ID);
}

static bool act_sort_rfer(struct ui *ui)
{
	return sort_by(ui, VIEW_SORT_RFER);
}

static bool act_sort_excl(struct ui *ui)
{
	return sort_by(ui, VIEW_SORT_EXCL);
}

static bool act_sort_pct(struct ui *ui)
{
	return sort_by(ui, VIEW_SORT_PCT);
}

static bool act_flat(struct ui *ui)
{
	view_toggle_flat(&ui->v);
	ui_message(ui, false, "%s", ui->v.flat ? _("flat list") : _("tree"));
	return false;
}

static bool act_units(struct ui *ui)
{
	ui->v.units = units_next(ui->v.units);
	ui_message(ui, false, _("units: %s"), units_name(ui->v.units));
	return false;
}

static bool act_search_edit(struct ui *ui)
{
	search_incremental(ui);
	return false;
}

static bool act_search_done(struct ui *ui)
{
	ui->searching = false;
	snprintf(ui->v.search, sizeof(ui->v.search), "%s", ui->k.input);
	if (search_at(ui) < 0 && view_reveal_match(&ui->v) < 0 && ui->v.search[0])
		ui_message(ui, true, _("not found: %s"), ui->v.search);
	return false;
}

static bool act_search_next(struct ui *ui)
{
	search_go(ui, false);
	return false;
}

static bool act_search_prev(struct ui *ui)
{
	search_go(ui, true);
	return false;
}

static bool act_help(struct ui *ui)
{
	ui->help_top = 0;
	return false;
}

static bool act_info(struct ui *ui)
{
	ui->info_top = 0;
	return false;
}

static bool act_mark(struct ui *ui)
{
	const struct qgroup *q = cursor_qgroup(ui);

	if (!allowed(ui, SESSION_ACT_FREED, ' ') || !q)
		return false;
	if (QGROUP_LEVEL(q->id)) {
		ui_message(ui, true, "%s", _("only subvolumes (level 0) can be marked"));
		return false;
	}
	view_toggle_mark(&ui->v);
	view_move(&ui->v, 1);
	request_freed(ui);
	return false;
}

static bool act_refresh(struct ui *ui)
{
	ui_worker_refresh(&ui->w);
	return false;
}

static bool act_redraw(struct ui *ui)
{
	clearok(curscr, TRUE);
	return false;
}

static bool act_rescan(struct ui *ui)
{
	if (!allowed(ui, SESSION_ACT_RESCAN, 'r'))
		return false;
	prompt(ui, _("Start a quota rescan of %s? The kernel recounts every extent; the "
		     "numbers are provisional until it ends. [y/N]"),
	       session_title(&ui->s));
	view_keys_confirm(&ui->k, VIEW_CMD_RESCAN);
	return false;
}

static bool act_abort(struct ui *ui)
{
	if (!allowed(ui, SESSION_ACT_ABORT, 'a'))
		return false;
	prompt(ui, "%s", _("Abort the rescan? d: stop watching (it goes on)  p: pause (remount "
			   "read-only, affects all users)  C: cancel (disable quotas)  Esc: back"));
	view_keys_menu(&ui->k, VIEW_CMD_ABORT, "dpC");
	return false;
}

static bool act_quota_enable(struct ui *ui)
{
	if (!allowed(ui, SESSION_ACT_QUOTA_ENABLE, 'Q'))
		return false;
	prompt(ui, "%s", _("Enable quotas: f: full accounting  s: simple quotas (permanent "
			   "feature flag)  Esc: back"));
	view_keys_menu(&ui->k, VIEW_CMD_QUOTA_ENABLE, "fs");
	return false;
}

static bool act_quota_disable(struct ui *ui)
{
	if (!allowed(ui, SESSION_ACT_QUOTA_DISABLE, 'X'))
		return false;
	prompt(ui, "%s", _("Disable quotas? This deletes every qgroup, relation and limit "
			   "(saved to a file first). Type yes:"));
	view_keys_type_yes(&ui->k, VIEW_CMD_QUOTA_DISABLE);
	return false;
}

static bool act_create(struct ui *ui)
{
	if (!allowed(ui, SESSION_ACT_CREATE, 'c'))
		return false;
	prompt(ui, "%s", _("Create qgroup (level/id, level 1 or higher):"));
	view_keys_input(&ui->k, VIEW_CMD_CREATE, "1/");
	return false;
}

static bool act_destroy(struct ui *ui)
{
	const struct qgroup *q = cursor_qgroup(ui);
	char id[32];

	if (!allowed(ui, SESSION_ACT_DESTROY, 'D') || !q)
		return false;
	ui->target = q->id;
	prompt(ui, _("Destroy qgroup %s with its limits and relations? Type yes:"),
	       qgroup_id_format(q->id, id, sizeof(id)));
	view_keys_type_yes(&ui->k, VIEW_CMD_DESTROY);
	return false;
}

static bool assign_or_remove(struct ui *ui, bool assign)
{
	const struct qgroup *q = cursor_qgroup(ui);
	char id[32], other[64] = "";

	if (!allowed(ui, SESSION_ACT_ASSIGN, assign ? '+' : '-') || !q)
		return false;
	ui->target = q->id;
	if (!assign) {
		/* the parent it is shown under, else its first one */
		uint32_t pr = ui->v.rows[ui->v.cursor].parent_row;

		if (pr != UINT32_MAX) {
			qgroup_id_format(view_row_qgroup(&ui->v, pr)->id, other, sizeof(other));
		} else if (q->nr_parents) {
			qgroup_id_format(q->parents[0], other, sizeof(other));
		} else {
			ui_message(ui, true, _("%s has no parent"),
				   qgroup_id_format(q->id, id, sizeof(id)));
			return false;
		}
	}
	prompt(ui, assign ? _("Assign %s to parent qgroup:") : _("Remove %s from parent qgroup:"),
	       qgroup_id_format(q->id, id, sizeof(id)));
	view_keys_input(&ui->k, assign ? VIEW_CMD_ASSIGN : VIEW_CMD_REMOVE,
			other[0] ? other : NULL);
	return false;
}

static bool act_assign(struct ui *ui)
{
	return assign_or_remove(ui, true);
}

static bool act_remove(struct ui *ui)
{
	return assign_or_remove(ui, false);
}

static bool act_limit(struct ui *ui)
{
	const struct qgroup *q = cursor_qgroup(ui);
	char id[32];

	if (!allowed(ui, SESSION_ACT_LIMIT, 'L') || !q)
		return false;
	ui->target = q->id;
	prompt(ui, _("Limit of %s: r: on referenced  e: on exclusive  Esc: back"),
	       qgroup_id_format(q->id, id, sizeof(id)));
	view_keys_menu(&ui->k, VIEW_CMD_LIMIT, "re");
	return false;
}

static bool act_clear_stale(struct ui *ui)
{
	size_t n = 0;

	if (!allowed(ui, SESSION_ACT_CLEAR_STALE, 'C'))
		return false;
	for (size_t i = 0; ui->m && i < ui->m->nr_qgroups; i++)
		n += ui->m->qgroups[i].state == QGROUP_STATE_STALE;
	if (!n) {
		ui_message(ui, false, "%s", _("no stale qgroups"));
		return false;
	}
	prompt(ui, P_("Destroy %zu stale qgroup (subvolume gone)? [y/N]",
		      "Destroy %zu stale qgroups (subvolumes gone)? [y/N]", n), n);
	view_keys_confirm(&ui->k, VIEW_CMD_CLEAR_STALE);
	return false;
}

static bool act_threshold(struct ui *ui)
{
	if (!allowed(ui, SESSION_ACT_THRESHOLD, 'T'))
		return false;
	prompt(ui, _("drop_subtree_threshold (0-%d, now %d): deleting a subvolume whose tree is "
		     "at least this tall marks the numbers inconsistent (a rescan is needed) "
		     "instead of tracing it; lower: faster deletes, more rescans:"),
	       LIVE_ADMIN_MAX_DROP_THRESHOLD, ui->m ? ui->m->drop_subtree_threshold : -1);
	view_keys_input(&ui->k, VIEW_CMD_THRESHOLD, NULL);
	return false;
}

static bool act_cancel_scan(struct ui *ui)
{
	if (!allowed(ui, SESSION_ACT_CANCEL_SCAN, 'x'))
		return false;
	atomic_store(&ui->s.cancel, 1);
	ui_message(ui, false, "%s", _("stopping the scan..."));
	return false;
}

int ui_actions_switch_done(struct ui *ui)
{
	int ret;

	ui->switching = false;
	ret = session_switch_exact(&ui->s);
	if (ret) {
		/* the old session goes on; only its stopped scan starts over */
		ui_message(ui, true, _("e: cannot open %s: %s"), session_title(&ui->s),
			   strerror(-ret));
	} else {
		if (ui->m) {
			qgroup_model_free(ui->m);
			free(ui->m);
			ui->m = NULL;
		}
		view_forget_model(&ui->v);
		ui->have_freed = false;
		ui->refresh_err = 0;
		ui->detached = false;
		ui_message(ui, false, "%s", ui->s.exact_live ?
			   _("exact numbers from the devices: x stops the scan, e goes back") :
			   _("live numbers from the kernel"));
	}
	atomic_store(&ui->s.cancel, 0);
	ret = ui_worker_start(&ui->w, &ui->s);
	if (ret)
		ui->worker_err = ret;
	return ret;
}

static bool act_exact(struct ui *ui)
{
	if (ui->switching || !allowed(ui, SESSION_ACT_EXACT, 'e'))
		return false;
	ui->switching = true;
	/* a live refresh ends at once, a scan within its cancel latency; a
	 * read the kernel holds up is waited for by the loop, keys still work */
	if (!ui_worker_stop(&ui->w, UI_SWITCH_WAIT_MS)) {
		ui_message(ui, false, "%s", _("waiting for the current read to end..."));
		return false;
	}
	return ui_actions_switch_done(ui) != 0;
}

static bool act_confirmed(struct ui *ui)
{
	do_confirmed(ui);
	return false;
}

static bool act_cancelled(struct ui *ui)
{
	if (ui->searching) {
		/* Esc in the search prompt goes back where it started */
		ui->searching = false;
		view_set_cursor(&ui->v, ui->search_origin);
	}
	ui_message(ui, false, "%s", _("cancelled"));
	return false;
}

static bool act_input_done(struct ui *ui)
{
	do_input(ui);
	return false;
}

static bool act_choice(struct ui *ui)
{
	do_choice(ui);
	return false;
}

static const ui_action_fn actions[] = {
	[VIEW_CMD_QUIT] = act_quit,
	[VIEW_CMD_UP] = act_up,
	[VIEW_CMD_DOWN] = act_down,
	[VIEW_CMD_PGUP] = act_pgup,
	[VIEW_CMD_PGDN] = act_pgdn,
	[VIEW_CMD_HOME] = act_home,
	[VIEW_CMD_END] = act_end,
	[VIEW_CMD_EXPAND] = act_expand,
	[VIEW_CMD_COLLAPSE] = act_collapse,
	[VIEW_CMD_SORT_ID] = act_sort_id,
	[VIEW_CMD_SORT_RFER] = act_sort_rfer,
	[VIEW_CMD_SORT_EXCL] = act_sort_excl,
	[VIEW_CMD_SORT_PCT] = act_sort_pct,
	[VIEW_CMD_FLAT] = act_flat,
	[VIEW_CMD_UNITS] = act_units,
	[VIEW_CMD_SEARCH_EDIT] = act_search_edit,
	[VIEW_CMD_SEARCH_DONE] = act_search_done,
	[VIEW_CMD_SEARCH_NEXT] = act_search_next,
	[VIEW_CMD_SEARCH_PREV] = act_search_prev,
	[VIEW_CMD_HELP] = act_help,
	[VIEW_CMD_INFO] = act_info,
	[VIEW_CMD_MARK] = act_mark,
	[VIEW_CMD_REFRESH] = act_refresh,
	[VIEW_CMD_RESCAN] = act_rescan,
	[VIEW_CMD_ABORT] = act_abort,
	[VIEW_CMD_QUOTA_ENABLE] = act_quota_enable,
	[VIEW_CMD_QUOTA_DISABLE] = act_quota_disable,
	[VIEW_CMD_CREATE] = act_create,
	[VIEW_CMD_DESTROY] = act_destroy,
	[VIEW_CMD_ASSIGN] = act_assign,
	[VIEW_CMD_REMOVE] = act_remove,
	[VIEW_CMD_LIMIT] = act_limit,
	[VIEW_CMD_CLEAR_STALE] = act_clear_stale,
	[VIEW_CMD_THRESHOLD] = act_threshold,
	[VIEW_CMD_CANCEL_SCAN] = act_cancel_scan,
	[VIEW_CMD_EXACT] = act_exact,
	[VIEW_CMD_CONFIRMED] = act_confirmed,
	[VIEW_CMD_CANCELLED] = act_cancelled,
	[VIEW_CMD_INPUT_DONE] = act_input_done,
	[VIEW_CMD_CHOICE] = act_choice,
	[VIEW_CMD_REDRAW] = act_redraw,
};

bool ui_actions_key(struct ui *ui, int key)
{
	enum view_cmd c = view_keys_feed(&ui->k, key);

	/* VIEW_CMD_NONE and VIEW_CMD_CLOSE (an overlay closed) have nothing to do */
	if ((size_t)c >= sizeof(actions) / sizeof(actions[0]) || !actions[c])
		return false;
	return actions[c](ui);
}
