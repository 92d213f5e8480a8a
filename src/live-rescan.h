/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live-rescan.h - starting, reading and following a quota rescan of a
 * mounted btrfs, and the state machine over polled RESCAN_STATUS values
 * that follows.
 *
 * The kernel's status flag alone lies in two measured cases: it stays set
 * with a frozen progress while the filesystem is read-only (paused), and
 * after quota disable (stale). The tracker tells these apart with the
 * sysfs qgroups directory and the mount's read-only flag, and confirms
 * the end of a scan by the flag going from 1 to 0 with inconsistent==0.
 */
#ifndef QGTOP_LIVE_RESCAN_H
#define QGTOP_LIVE_RESCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "live-fs.h"
#include "qgroup-model.h"

/* progress frozen this long with the flag set: paused or stalled */
#define LIVE_RESCAN_STALL_S 3.0

/* one observation of the kernel's rescan state */
struct live_rescan_sample {
	double t;		/* monotonic seconds */
	bool flag;		/* RESCAN_STATUS flags != 0 */
	uint64_t progress;	/* RESCAN_STATUS progress */
	bool quota_on;		/* /sys/fs/btrfs/UUID/qgroups exists */
	bool inconsistent;	/* sysfs qgroups/inconsistent */
	bool read_only;		/* the mount is read-only now */
};

/* how a followed rescan ended */
enum live_rescan_end {
	LIVE_RESCAN_RUNNING = 0,	/* not ended */
	LIVE_RESCAN_DONE,		/* flag 1 -> 0 and inconsistent == 0 */
	LIVE_RESCAN_DONE_INCONSISTENT,	/* flag gone but numbers still inconsistent */
	LIVE_RESCAN_NEVER_RAN,		/* idle at the first observation */
};

struct live_rescan_track {
	enum qgroup_rescan_state state;
	bool seen;		/* at least one sample */
	bool seen_flag;		/* the flag was set in some sample */
	uint64_t progress;	/* last progress */
	double changed_t;	/* when progress last changed (or was first seen) */
	enum live_rescan_end end;
};

/**
 * live_rescan_track_init() - reset a tracker
 * @t: tracker
 */
void live_rescan_track_init(struct live_rescan_track *t);

/**
 * live_rescan_classify() - the state one observation shows: flag clear ->
 * idle; quota off with the flag set -> stale; read-only with the flag set
 * -> paused; U64_MAX -> committing; progress 0 -> starting; else scanning.
 * Pure: no system calls.
 */
enum qgroup_rescan_state live_rescan_classify(const struct live_rescan_sample *s);

/**
 * live_rescan_track_update() - feed one observation into the state machine
 * @t: tracker
 * @s: the observation; samples must come in time order
 *
 * Pure: no system calls. The state of live_rescan_classify(), except that
 * a progress frozen for LIVE_RESCAN_STALL_S is paused (stalled).
 * Return: the new state.
 */
enum qgroup_rescan_state live_rescan_track_update(struct live_rescan_track *t,
						  const struct live_rescan_sample *s);

/**
 * live_rescan_status() - read RESCAN_STATUS
 * @fs: open filesystem
 * @flag: set when the kernel's rescan flag is set
 * @progress: the raw progress (an extent-tree key objectid + 1)
 * Return: 0, -EPERM (no CAP_SYS_ADMIN), -ENOTTY, other -errno.
 */
int live_rescan_status(struct live_fs *fs, bool *flag, uint64_t *progress);

/**
 * live_rescan_sample() - take one full observation: RESCAN_STATUS, the
 * sysfs qgroups directory and inconsistent flag, the read-only flag
 * @fs: open filesystem
 * @now: the time to stamp it with
 * @s: filled
 * Return: 0 or the -errno of RESCAN_STATUS or fstatfs.
 */
int live_rescan_sample(struct live_fs *fs, double now, struct live_rescan_sample *s);

/**
 * live_rescan_start() - start a rescan (BTRFS_IOC_QUOTA_RESCAN)
 * @fs: open filesystem
 *
 * Checks the quota mode first so nothing is asked of the kernel that it
 * must refuse.
 * Return: 0 when started; -ENOTCONN quota disabled; -EOPNOTSUPP simple
 * quotas (the kernel's EINVAL); -EINPROGRESS already running; -EROFS
 * read-only mount; -EPERM no CAP_SYS_ADMIN; -ENOTTY not btrfs; other
 * -errno.
 */
int live_rescan_start(struct live_fs *fs);

/**
 * live_rescan_wait() - one BTRFS_IOC_QUOTA_RESCAN_WAIT
 * @fs: open filesystem
 *
 * Returns 0 at once when no scan runs, also after a scan paused by a
 * read-only remount was resumed by remount rw (measured: the resumed scan
 * still runs), and -EINTR on a signal without SA_RESTART: callers confirm
 * the end with live_rescan_sample() and the tracker.
 * Return: 0 or -errno.
 */
int live_rescan_wait(struct live_fs *fs);

/**
 * live_rescan_pause() - remount the filesystem read-only, which pauses a
 * running rescan until the next read-write mount; affects every user
 * @mountpoint: the mountpoint (MS_REMOUNT needs it exactly)
 *
 * Keeps every per-mount and superblock flag of the mount (nosuid, nodev,
 * noexec, atime, sync, lazytime) as live_rescan_mount_flags() reads them.
 * Return: 0 or -errno (-EBUSY when files are open for writing, -ENOENT
 * when @mountpoint is not a mountpoint).
 */

/**
 * live_rescan_mount_flags() - the MS_* flags a remount of @mountpoint must
 * repeat to keep its options
 * @mountinfo: a mountinfo file, NULL for /proc/self/mountinfo
 * @mountpoint: the mount's target
 * @flags: receives the MS_NOSUID, MS_NODEV, MS_NOEXEC, atime, MS_SYNCHRONOUS,
 *         MS_DIRSYNC, MS_MANDLOCK, MS_LAZYTIME and MS_NOSYMFOLLOW flags in force
 * Return: 0, -ENOENT (not a mountpoint), -EINVAL, -ENOMEM.
 */
int live_rescan_mount_flags(const char *mountinfo, const char *mountpoint, unsigned long *flags);
int live_rescan_pause(const char *mountpoint);

/* mount(2) as used by live_rescan_pause(); replaceable for tests */
typedef int (*live_rescan_mount_fn)(const char *source, const char *target,
				    const char *fstype, unsigned long flags,
				    const void *data);

/**
 * live_rescan_set_mount_fn() - replace mount(2) (tests); NULL restores it
 */
void live_rescan_set_mount_fn(live_rescan_mount_fn fn);

/**
 * live_rescan_strerror() - a sysadmin's words for an error of the
 * functions above (translated), or strerror() for the rest
 */
const char *live_rescan_strerror(int err);

#endif
