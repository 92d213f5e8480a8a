// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session-jobs.c - the actions a frontend asks of its source, carried out
 * and put into words: rescan, pause, quota enable and disable, qgroup
 * create, destroy, assign, remove and limit, clearing stale qgroups, the
 * drop_subtree_threshold, and the freed bytes of marked subvolumes. Each
 * job carries its parameters; the result is one message for the user.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live-admin.h"
#include "live-rescan.h"
#include "nls.h"
#include "session.h"
#include "units.h"

static void say(struct session_result *r, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct session_result *r, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	r->error = error;
}

static const char *id_str(uint64_t id, char *buf)
{
	return qgroup_id_format(id, buf, 32);
}

void session_run_job(struct session *s, const struct session_job *j, struct session_result *r)
{
	struct live_fs *fs = &s->fs;
	char a[32], b[32], sz[UNITS_FORMAT_LEN], what[160], why[512], done[96];
	const char *path = session_title(s);
	bool inconsistent = false;
	struct live_admin_saved saved;
	struct live_admin_stale *stale = NULL;
	size_t nr_stale = 0, nr_done = 0, nr_failed = 0, i;
	uint64_t bytes = 0;
	int ret = 0;

	switch (j->kind) {
	case SESSION_JOB_NONE:
		return;
	case SESSION_JOB_RESCAN:
		ret = live_rescan_start(fs);
		if (ret == 0 || ret == -EINPROGRESS) {
			if (ret == 0)
				session_rescan_started(s);
			say(r, false, "%s", ret ? _("a rescan was already running: following it")
						: _("rescan started"));
			return;
		}
		/* the rescan's own words: simple quotas, already running, ... */
		say(r, true, _("cannot start a rescan: %s"), live_rescan_strerror(ret));
		return;
	case SESSION_JOB_PAUSE:
		ret = live_rescan_pause(j->mountpoint);
		if (!ret) {
			say(r, false, _("%s remounted read-only: the rescan is paused until the "
					"next read-write mount"), j->mountpoint);
			return;
		}
		say(r, true, _("cannot remount %s read-only: %s"), j->mountpoint,
		    ret == -EBUSY ? _("files are open for writing") : strerror(-ret));
		return;
	case SESSION_JOB_QUOTA_ENABLE:
		ret = live_admin_quota_enable(fs, j->flag);
		if (ret == 1) {
			say(r, false, "%s", _("quota was already enabled"));
			return;
		}
		if (!ret) {
			say(r, false, "%s", j->flag ? _("simple quotas enabled")
						: _("quotas enabled; the kernel rescans all extents now"));
			session_rescan_started(s);
			return;
		}
		snprintf(what, sizeof(what), "%s", j->flag ? _("cannot enable simple quotas")
							   : _("cannot enable quotas"));
		break;
	case SESSION_JOB_QUOTA_DISABLE:
		/* the path of the only copy of the configuration must not scroll away */
		r->sticky = true;
		ret = live_admin_quota_disable(fs, NULL, &saved);
		if (saved.save_err)
			say(r, true, _("cannot save the qgroup configuration: %s; quotas stay "
				       "enabled"), saved.why);
		else if (!ret && saved.fallback)
			say(r, false, _("quotas disabled; the default directory failed (%s), "
					"so the configuration is saved in %s (qgtop restore "
					"re-creates it)"), saved.why, saved.path);
		else if (!ret)
			say(r, false, _("quotas disabled; the configuration is saved in %s "
					"(qgtop restore re-creates it)"), saved.path);
		else if (saved.path)
			say(r, true, _("cannot disable quotas: %s (configuration saved in %s)"),
			    live_admin_strerror(ret, path, why, sizeof(why)), saved.path);
		else
			say(r, true, _("cannot disable quotas: %s"),
			    live_admin_strerror(ret, path, why, sizeof(why)));
		live_admin_saved_free(&saved);
		return;
	case SESSION_JOB_CREATE:
		ret = live_admin_qgroup_create(fs, j->a);
		if (!ret) {
			say(r, false, _("qgroup %s created"), id_str(j->a, a));
			return;
		}
		snprintf(what, sizeof(what), _("cannot create qgroup %s"), id_str(j->a, a));
		break;
	case SESSION_JOB_DESTROY:
		ret = live_admin_qgroup_destroy(fs, j->a);
		if (!ret) {
			say(r, false, _("qgroup %s destroyed"), id_str(j->a, a));
			return;
		}
		snprintf(what, sizeof(what), _("cannot destroy qgroup %s"), id_str(j->a, a));
		break;
	case SESSION_JOB_ASSIGN:
	case SESSION_JOB_REMOVE:
		id_str(j->a, a);
		id_str(j->b, b);
		ret = live_admin_qgroup_assign(fs, j->a, j->b, j->kind == SESSION_JOB_ASSIGN, 0,
					       &inconsistent);
		if (!ret) {
			if (j->kind == SESSION_JOB_ASSIGN)
				say(r, inconsistent, inconsistent ?
				    _("%s assigned to %s; the numbers are now inconsistent: rescan with r") :
				    _("%s assigned to %s"), a, b);
			else
				say(r, inconsistent, inconsistent ?
				    _("%s removed from %s; the numbers are now inconsistent: rescan with r") :
				    _("%s removed from %s"), a, b);
			return;
		}
		if (j->kind == SESSION_JOB_ASSIGN)
			snprintf(what, sizeof(what), _("cannot assign %s to %s"), a, b);
		else
			snprintf(what, sizeof(what), _("cannot remove %s from %s"), a, b);
		break;
	case SESSION_JOB_LIMIT:
		ret = live_admin_qgroup_limit(fs, j->a, j->which, j->size);
		if (!ret) {
			const char *kind = j->which == QGROUP_LIMIT_MAX_EXCL ? _("exclusive")
									       : _("referenced");

			if (j->size == UINT64_MAX)
				say(r, false, _("%s limit of %s cleared"), kind, id_str(j->a, a));
			else
				say(r, false, _("%s limit of %s set to %s"), kind, id_str(j->a, a),
				    units_format(j->size, UNITS_DEFAULT, sz, sizeof(sz)));
			return;
		}
		snprintf(what, sizeof(what), _("cannot limit qgroup %s"), id_str(j->a, a));
		break;
	case SESSION_JOB_CLEAR_STALE:
		ret = live_admin_clear_stale(fs, &stale, &nr_stale);
		if (!ret) {
			for (i = 0; i < nr_stale; i++) {
				if (stale[i].err)
					nr_failed++;
				else
					nr_done++;
			}
			snprintf(done, sizeof(done), P_("%zu stale qgroup destroyed",
							"%zu stale qgroups destroyed", nr_done),
				 nr_done);
			if (nr_failed)
				say(r, true, P_("%s; %zu qgroup refused by the kernel (still charged or "
						"being freed)",
						"%s; %zu qgroups refused by the kernel (still charged or "
						"being freed)", nr_failed), done, nr_failed);
			else
				say(r, false, "%s", done);
			free(stale);
			return;
		}
		snprintf(what, sizeof(what), "%s", _("cannot clear stale qgroups"));
		break;
	case SESSION_JOB_THRESHOLD:
		ret = live_admin_set_drop_threshold(fs, (unsigned)j->a);
		if (!ret) {
			say(r, false, _("drop_subtree_threshold set to %u"), (unsigned)j->a);
			return;
		}
		snprintf(what, sizeof(what), "%s", _("cannot set drop_subtree_threshold"));
		break;
	case SESSION_JOB_FREED:
		ret = session_freed(s, j->ids, j->nr, &bytes);
		if (!ret) {
			r->have_freed = true;
			r->freed = bytes;
			r->freed_nr = j->nr;
			return;
		}
		say(r, true, _("cannot compute the freed bytes: %s"), strerror(-ret));
		return;
	}
	/* a missing qgroup: the kernel's ENOENT names no file */
	if (ret == -ENOENT)
		say(r, true, _("%s: no such qgroup"), what);
	else
		say(r, true, "%s: %s", what, live_admin_strerror(ret, path, why, sizeof(why)));
}
