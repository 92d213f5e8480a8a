// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session.c - the live side of the frontend's source: open a mounted
 * filesystem, refresh a model from it, and say which actions apply.
 * The offline side (images) is in session-image.c.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live-quota.h"
#include "mono-time.h"
#include "rescan-follow.h"
#include "live-mounts.h"
#include "nls.h"
#include "session.h"
#include "view-format.h"

static const struct session_source live_source;

int session_open_live(struct session *s, const char *path)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->kind = SESSION_LIVE;
	s->src = &live_source;
	s->is_root = geteuid() == 0;
	s->path = strdup(path);
	if (!s->path)
		return -ENOMEM;
	ret = live_fs_open(path, &s->fs);
	if (ret) {
		free(s->path);
		s->path = NULL;
		return ret;
	}
	s->fs_open = true;
	return 0;
}

static void rescan_stop_following(struct session *s)
{
	if (s->follow) {
		rescan_follow_end(s->follow);
		free(s->follow);
		s->follow = NULL;
	}
	s->rescan_active_seen = false;
}

static bool rescan_active(enum qgroup_rescan_state st)
{
	return st == QGROUP_RESCAN_STARTING || st == QGROUP_RESCAN_SCANNING ||
	       st == QGROUP_RESCAN_COMMITTING || st == QGROUP_RESCAN_PAUSED;
}

/*
 * Follow the rescan (rescan-follow.h: the state machine tells paused and
 * stale flags from a running scan, and the extent-weighted estimate); note
 * the end of a scan with its duration for the frontend.
 */
static void rescan_follow(struct session *s, struct qgroup_model *m)
{
	struct qgroup_rescan r;

	if (!s->follow) {
		s->follow = calloc(1, sizeof(*s->follow));
		if (!s->follow)
			return;
		rescan_follow_init(s->follow, &s->fs, s->rescan_ours, s->rescan_t0, true);
	}
	if (rescan_follow_poll(s->follow, &r, NULL)) {
		/* no CAP_SYS_ADMIN: keep what live_quota_read saw */
		rescan_stop_following(s);
		return;
	}
	if (rescan_active(r.state)) {
		if (!s->rescan_active_seen && !s->rescan_ours) {
			/* a scan started elsewhere: the time shown is since we saw it */
			s->rescan_attached = true;
			s->rescan_t0 = s->follow->t0;
		}
		s->rescan_active_seen = true;
		m->rescan = r;
		return;
	}
	m->rescan.state = r.state;
	m->rescan.progress = r.progress;
	if (s->rescan_active_seen || s->rescan_ours) {
		s->rescan_finished = true;
		s->rescan_finished_ok = !s->follow->last.inconsistent;
		s->rescan_duration = s->follow->last.t - s->follow->t0;
		s->rescan_finished_ours = s->rescan_ours;
		s->rescan_attached = false;
		s->rescan_ours = false;
		s->rescan_t0 = 0;
	}
	rescan_stop_following(s);
}

void session_rescan_started(struct session *s)
{
	rescan_stop_following(s);
	s->rescan_ours = true;
	s->rescan_attached = false;
	s->rescan_t0 = mono_time_now();
}

bool session_news(struct session *s, struct session_result *r)
{
	char d[32];

	if (!s->rescan_finished)
		return false;
	s->rescan_finished = false;
	view_format_duration(s->rescan_duration, d, sizeof(d));
	r->error = !s->rescan_finished_ok;
	if (s->rescan_finished_ok)
		snprintf(r->msg, sizeof(r->msg), s->rescan_finished_ours ?
			 _("rescan finished in %s; the numbers are final") :
			 _("rescan finished (watched for %s); the numbers are final"), d);
	else
		snprintf(r->msg, sizeof(r->msg), s->rescan_finished_ours ?
			 _("rescan ended after %s but the numbers are still inconsistent") :
			 _("rescan ended (watched for %s) but the numbers are still inconsistent"),
			 d);
	return true;
}

static int live_refresh(struct session *s, struct qgroup_model *m)
{
	int ret;

	unsigned missing = 0;

	ret = live_quota_read(&s->fs, m, &missing);
	if (ret)
		return ret;
	s->missing = missing;
	if (m->mode != QGROUP_MODE_DISABLED || s->follow || s->rescan_ours)
		rescan_follow(s, m);
	/* the mountpoints for the header; not finding them is no error */
	return live_mounts_fill_model(m);
}

static void live_close(struct session *s)
{
	rescan_stop_following(s);
	if (s->fs_open)
		live_fs_close(&s->fs);
	s->fs_open = false;
}

static const struct session_source live_source = {
	.refresh = live_refresh,
	.close = live_close,
};

int session_refresh(struct session *s, struct qgroup_model *m)
{
	return s->src->refresh(s, m);
}

int session_freed(struct session *s, const uint64_t *ids, size_t nr, uint64_t *bytes)
{
	if (!s->src->freed)
		return -EINVAL;
	return s->src->freed(s, ids, nr, bytes);
}

const char *session_why_not(const struct session *s, const struct qgroup_model *m,
			    enum session_action act)
{
	bool running = m && view_rescan_active(m) && m->rescan.state != QGROUP_RESCAN_STALE;
	enum qgroup_quota_mode mode = m ? m->mode : QGROUP_MODE_DISABLED;

	if (s->kind == SESSION_IMAGE) {
		switch (act) {
		case SESSION_ACT_FREED:
			if (!s->scanned)
				return _("the scan has not finished yet");
			if (mode == QGROUP_MODE_SIMPLE)
				return _("freed bytes need full qgroup accounting, not simple quotas");
			return NULL;
		case SESSION_ACT_CANCEL_SCAN:
			return s->scanned ? _("the scan has finished") : NULL;
		case SESSION_ACT_EXACT:
			return s->exact_live ? NULL : _("an unmounted image has only exact numbers");
		default:
			return _("not available on an offline image (read-only)");
		}
	}
	switch (act) {
	case SESSION_ACT_FREED:
		return _("needs exact numbers: press e first");
	case SESSION_ACT_CANCEL_SCAN:
		return _("no offline scan runs");
	case SESSION_ACT_EXACT:
		return s->is_root ? NULL : _("needs root: exact numbers read the filesystem's devices");
	default:
		break;
	}
	if (!s->is_root || (s->missing & LIVE_QUOTA_NO_TREE))
		return _("needs root (CAP_SYS_ADMIN)");
	if (act == SESSION_ACT_ABORT)
		return running ? NULL : _("no rescan is running");
	/* a kernel setting: a read-only mount takes it too */
	if (act == SESSION_ACT_THRESHOLD) {
		if (mode == QGROUP_MODE_DISABLED)
			return _("quota is disabled");
		if (m && m->drop_subtree_threshold < 0)
			return _("this kernel has no drop_subtree_threshold");
		return NULL;
	}
	if (s->fs.read_only)
		return _("the filesystem is mounted read-only");
	if (act == SESSION_ACT_QUOTA_ENABLE)
		return mode == QGROUP_MODE_DISABLED ? NULL : _("quota is already enabled");
	if (mode == QGROUP_MODE_DISABLED)
		return _("quota is disabled");
	switch (act) {
	case SESSION_ACT_RESCAN:
		if (mode == QGROUP_MODE_SIMPLE)
			return _("simple quotas are exact and have no rescan");
		if (running)
			return _("a rescan is already running");
		return NULL;
	case SESSION_ACT_ASSIGN:
		if (running)
			return _("not while a rescan runs: the kernel would end it with wrong totals");
		return NULL;
	default:
		return NULL;
	}
}

const char *session_title(const struct session *s)
{
	return s->path ? s->path : "";
}

void session_close(struct session *s)
{
	size_t i;

	if (s->src)
		s->src->close(s);
	for (i = 0; i < s->nr_images; i++)
		free(s->images[i]);
	free(s->images);
	free(s->path);
	memset(s, 0, sizeof(*s));
}
