// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session.c - the live side of the frontend's source: open a mounted
 * filesystem, refresh a model from it, and say which actions apply.
 * The offline side (images) is in session-image.c.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live-quota.h"
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

static int live_refresh(struct session *s, struct qgroup_model *m)
{
	int ret;

	ret = live_quota_read(&s->fs, m, &s->missing);
	if (ret)
		return ret;
	/* the mountpoints for the header; not finding them is no error */
	return live_mounts_fill_model(m);
}

static void live_close(struct session *s)
{
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
			return s->scanned ? NULL : _("the scan has not finished yet");
		case SESSION_ACT_CANCEL_SCAN:
			return s->scanned ? _("the scan has finished") : NULL;
		default:
			return _("not available on an offline image (read-only)");
		}
	}
	switch (act) {
	case SESSION_ACT_FREED:
		return _("only for offline images (qgtop --image)");
	case SESSION_ACT_CANCEL_SCAN:
		return _("no offline scan runs");
	default:
		break;
	}
	if (!s->is_root || (s->missing & LIVE_QUOTA_NO_TREE))
		return _("needs root (CAP_SYS_ADMIN)");
	if (act == SESSION_ACT_ABORT)
		return running ? NULL : _("no rescan is running");
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
