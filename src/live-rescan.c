// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live-rescan.c - quota rescan start/status/wait and the state machine
 * over polled statuses (see live-rescan.h and kernel-facts.md §1-§5).
 *
 * All system calls go through btrfs_ops, except mount(2) for the pause,
 * which btrfs_ops has no slot for; it has its own replaceable hook.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <linux/btrfs.h>

#include "btrfs-ops.h"
#include "live-quota.h"
#include "live-rescan.h"
#include "nls.h"

#ifndef ST_RDONLY
#define ST_RDONLY 1
#endif

void live_rescan_track_init(struct live_rescan_track *t)
{
	memset(t, 0, sizeof(*t));
	t->state = QGROUP_RESCAN_IDLE;
}

enum qgroup_rescan_state live_rescan_track_update(struct live_rescan_track *t,
						  const struct live_rescan_sample *s)
{
	bool first = !t->seen;

	t->seen = true;
	if (!s->flag) {
		if (first)
			t->end = LIVE_RESCAN_NEVER_RAN;
		else if (t->seen_flag && t->end == LIVE_RESCAN_RUNNING)
			t->end = s->inconsistent ? LIVE_RESCAN_DONE_INCONSISTENT
						 : LIVE_RESCAN_DONE;
		t->state = QGROUP_RESCAN_IDLE;
		t->progress = 0;
		t->changed_t = s->t;
		return t->state;
	}
	/* a flag after an end means a new scan (e.g. resumed at mount) */
	t->end = LIVE_RESCAN_RUNNING;
	if (first || !t->seen_flag || s->progress != t->progress) {
		t->progress = s->progress;
		t->changed_t = s->t;
	}
	t->seen_flag = true;
	if (!s->quota_on)
		t->state = QGROUP_RESCAN_STALE;
	else if (s->read_only)
		t->state = QGROUP_RESCAN_PAUSED;
	else if (s->progress == UINT64_MAX)
		t->state = QGROUP_RESCAN_COMMITTING;
	else if (s->t - t->changed_t >= LIVE_RESCAN_STALL_S)
		t->state = QGROUP_RESCAN_PAUSED;
	else if (s->progress == 0)
		t->state = QGROUP_RESCAN_STARTING;
	else
		t->state = QGROUP_RESCAN_SCANNING;
	return t->state;
}

int live_rescan_status(struct live_fs *fs, bool *flag, uint64_t *progress)
{
	struct btrfs_ioctl_quota_rescan_args rs;
	int ret;

	memset(&rs, 0, sizeof(rs));
	ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_QUOTA_RESCAN_STATUS, &rs);
	if (ret < 0)
		return ret;
	*flag = rs.flags != 0;
	/* the kernel reports progress only with the flag set */
	*progress = rs.flags ? rs.progress : 0;
	return 0;
}

int live_rescan_sample(struct live_fs *fs, double now, struct live_rescan_sample *s)
{
	enum qgroup_quota_mode mode;
	struct statfs st;
	bool incons = false;
	int ret;

	memset(s, 0, sizeof(*s));
	s->t = now;
	ret = live_rescan_status(fs, &s->flag, &s->progress);
	if (ret)
		return ret;
	ret = live_quota_read_mode(fs, &mode, &incons);
	if (ret)
		return ret;
	s->quota_on = mode != QGROUP_MODE_DISABLED;
	s->inconsistent = incons;
	/* statfs reports ST_RDONLY in f_flags: sees a remount after open */
	ret = btrfs_ops->fstatfs(fs->fd, &st);
	if (ret)
		return ret;
	s->read_only = (st.f_flags & ST_RDONLY) != 0;
	return 0;
}

int live_rescan_start(struct live_fs *fs)
{
	struct btrfs_ioctl_quota_rescan_args rs;
	enum qgroup_quota_mode mode;
	bool incons;
	int ret;

	ret = live_quota_read_mode(fs, &mode, &incons);
	if (ret)
		return ret;
	if (mode == QGROUP_MODE_DISABLED)
		return -ENOTCONN;
	if (mode == QGROUP_MODE_SIMPLE)
		return -EOPNOTSUPP;
	memset(&rs, 0, sizeof(rs));
	ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_QUOTA_RESCAN, &rs);
	if (ret == -EINVAL) {
		/* flags are 0, so EINVAL means simple quotas (enabled since we looked) */
		if (live_quota_read_mode(fs, &mode, &incons) == 0 && mode == QGROUP_MODE_DISABLED)
			return -ENOTCONN;
		return -EOPNOTSUPP;
	}
	return ret < 0 ? ret : 0;
}

int live_rescan_wait(struct live_fs *fs)
{
	int ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_QUOTA_RESCAN_WAIT, NULL);

	return ret < 0 ? ret : 0;
}

static live_rescan_mount_fn mount_fn = mount;

void live_rescan_set_mount_fn(live_rescan_mount_fn fn)
{
	mount_fn = fn ? fn : mount;
}

int live_rescan_pause(const char *mountpoint)
{
	/* MS_REMOUNT without MS_BIND changes the superblock: every mount of the fs */
	if (mount_fn(NULL, mountpoint, NULL, MS_REMOUNT | MS_RDONLY, NULL))
		return -errno;
	return 0;
}

const char *live_rescan_strerror(int err)
{
	switch (-err) {
	case ENOTCONN:
		return _("quotas are not enabled");
	case EOPNOTSUPP:
		return _("simple quotas are enabled, which have no rescan");
	case EINPROGRESS:
		return _("a rescan is already running");
	case EROFS:
		return _("the filesystem is mounted read-only");
	case EPERM:
	case EACCES:
		return _("permission denied (needs CAP_SYS_ADMIN)");
	case ENOTTY:
		return _("not a btrfs filesystem");
	case EBUSY:
		return _("the filesystem is busy");
	case EINTR:
		return _("interrupted");
	default:
		return strerror(-err);
	}
}
