// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live-rescan.c - quota rescan start/status/wait and the state machine
 * over polled statuses (see live-rescan.h for what the kernel reports).
 *
 * All system calls go through btrfs_ops, except mount(2) for the pause,
 * which btrfs_ops has no slot for; it has its own replaceable hook.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <libmount.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <linux/btrfs.h>

#include "btrfs-ops.h"
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

enum qgroup_rescan_state live_rescan_classify(const struct live_rescan_sample *s)
{
	if (!s->flag)
		return QGROUP_RESCAN_IDLE;
	if (!s->quota_on)
		return QGROUP_RESCAN_STALE;
	if (s->read_only)
		return QGROUP_RESCAN_PAUSED;
	if (s->progress == UINT64_MAX)
		return QGROUP_RESCAN_COMMITTING;
	if (s->progress == 0)
		return QGROUP_RESCAN_STARTING;
	return QGROUP_RESCAN_SCANNING;
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
	t->state = live_rescan_classify(s);
	/* a position frozen for long: paused or stalled, also at 0 */
	if ((t->state == QGROUP_RESCAN_SCANNING || t->state == QGROUP_RESCAN_STARTING) &&
	    s->t - t->changed_t >= LIVE_RESCAN_STALL_S)
		t->state = QGROUP_RESCAN_PAUSED;
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
	ret = live_fs_quota_mode(fs, &mode, &incons);
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

	ret = live_fs_quota_mode(fs, &mode, &incons);
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
		if (live_fs_quota_mode(fs, &mode, &incons) == 0 && mode == QGROUP_MODE_DISABLED)
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

/*
 * The per-mount and superblock flags MS_REMOUNT must be given again: the
 * kernel takes a remount without them as "clear nosuid, nodev, noexec,
 * sync, lazytime...", which would leave a nosuid mount honouring setuid
 * binaries once it is made read-write again. btrfs keeps its own options
 * (compress=, subvol=, ...) on a remount without data.
 */
#define KEPT_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | \
		    MS_RELATIME | MS_STRICTATIME | MS_SYNCHRONOUS | MS_DIRSYNC | \
		    MS_MANDLOCK | MS_LAZYTIME | MS_NOSYMFOLLOW)

int live_rescan_mount_flags(const char *mountinfo, const char *mountpoint, unsigned long *flags)
{
	const struct libmnt_optmap *map = mnt_get_builtin_optmap(MNT_LINUX_MAP);
	struct libmnt_table *tb;
	struct libmnt_fs *fs;
	unsigned long vfs = 0, sb = 0;
	int ret;

	*flags = 0;
	tb = mnt_new_table_from_file(mountinfo ? mountinfo : "/proc/self/mountinfo");
	if (!tb)
		return errno ? -errno : -ENOMEM;
	/* the last entry wins: a later mount on the same target hides earlier ones */
	fs = mnt_table_find_target(tb, mountpoint, MNT_ITER_BACKWARD);
	if (!fs) {
		ret = -ENOENT;
		goto out_free;
	}
	if (mnt_optstr_get_flags(mnt_fs_get_vfs_options(fs), &vfs, map) ||
	    mnt_optstr_get_flags(mnt_fs_get_fs_options(fs), &sb, map)) {
		ret = -EINVAL;
		goto out_free;
	}
	*flags = (vfs | sb) & KEPT_FLAGS;
	ret = 0;
out_free:
	mnt_unref_table(tb);
	return ret;
}

int live_rescan_pause(const char *mountpoint)
{
	unsigned long keep;
	int ret;

	ret = live_rescan_mount_flags(NULL, mountpoint, &keep);
	if (ret)
		return ret;
	/* MS_REMOUNT without MS_BIND changes the superblock: every mount of the fs */
	if (mount_fn(NULL, mountpoint, NULL, MS_REMOUNT | MS_RDONLY | keep, NULL))
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
