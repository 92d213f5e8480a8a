/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live-admin.h - changing the quota configuration of a mounted btrfs:
 * quota enable/disable, qgroup create/destroy/assign/remove/limit and
 * clearing stale qgroups, with guard rails where the kernel loses data:
 * disable deletes every relation, limit and higher-level qgroup (saved
 * first), and assign/remove during a rescan can leave parent totals wrong.
 *
 * Every function validates its arguments and the quota state before the
 * first change and returns 0 or a negative errno; all system calls go
 * through btrfs_ops.
 */
#ifndef QGTOP_LIVE_ADMIN_H
#define QGTOP_LIVE_ADMIN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "live-fs.h"
#include "qgroup-model.h"

/* the 6.1 uapi headers lack it; kernels from 6.7 accept it */
#ifndef BTRFS_QUOTA_CTL_ENABLE_SIMPLE_QUOTA
#define BTRFS_QUOTA_CTL_ENABLE_SIMPLE_QUOTA 4
#endif

/* assign/remove flags */
#define LIVE_ADMIN_FORCE (1U << 0)	/* go on although a rescan runs */

/* where quota disable saves the configuration by default */
#define LIVE_ADMIN_SAVE_DIR "/var/lib/qgtop"
/* environment variable that replaces LIVE_ADMIN_SAVE_DIR */
#define LIVE_ADMIN_SAVE_DIR_ENV "QGTOP_SAVE_DIR"

/**
 * live_admin_state() - quota mode and whether a rescan runs
 * @fs: open filesystem
 * @mode: quota mode from sysfs
 * @rescan_running: if not NULL, whether RESCAN_STATUS reports a rescan;
 *                  always false when quota is disabled (a stale flag)
 * Return: 0 or -errno (-EPERM: no CAP_SYS_ADMIN for the status ioctl).
 */
int live_admin_state(struct live_fs *fs, enum qgroup_quota_mode *mode, bool *rescan_running);

/**
 * live_admin_quota_enable() - enable quotas
 * @fs: open filesystem
 * @simple: simple quotas (QUOTA_CTL 4: sets a permanent incompat flag)
 *
 * Return: 0 when enabled, 1 when quota was already on in that mode
 * (nothing done), -EEXIST when it is on in the other mode, -EROFS,
 * -EPERM, other -errno.
 */
int live_admin_quota_enable(struct live_fs *fs, bool simple);

/* where live_admin_quota_disable() saved the configuration, or why not */
struct live_admin_saved {
	char *path;		/* malloc'ed: the file written, NULL when none */
	int save_err;		/* 0, or the -errno of the save that failed
				 * (quota then stays enabled) */
	bool fallback;		/* saved outside the default directory, which
				 * failed for the reason in @why */
	char why[2048];		/* "DIR: reason[; DIR: reason]" of each place
				 * that failed; "" when the first one worked */
};

/**
 * live_admin_quota_disable() - save the qgroup configuration, then
 * disable quotas
 * @fs: open filesystem
 * @save_path: where to save (replaced if it exists); NULL for
 *             $QGTOP_SAVE_DIR (no fallback) or /var/lib/qgtop, falling
 *             back to $XDG_STATE_HOME/qgtop or ~/.local/state/qgtop
 *             (never /tmp), as <uuid>-<UTC yyyymmddThhmmssZ>.qgroups
 *             (-2, -3... appended rather than replacing a file); missing
 *             directories are created 0700
 * @saved: where it went or why not; release with live_admin_saved_free()
 *
 * Every place must be private and durable (safe-file.c: /var/lib/qgtop
 * owned by root, the others by the caller, none writable by group or
 * others, no tmpfs). The file (qgroup-config.h format) is fsynced before
 * QUOTA_CTL 2 is issued; when the configuration cannot be read completely
 * or saved, quota stays enabled.
 * Return: 0; -ENOTCONN (quota already disabled), -EPERM (cannot read the
 * quota tree or not allowed), -EROFS (@fs mounted read-only); when the save
 * failed @saved->save_err, with the reasons in @saved->why; when the
 * disable itself failed its -errno, with @saved->path set.
 */
int live_admin_quota_disable(struct live_fs *fs, const char *save_path,
			     struct live_admin_saved *saved);

/**
 * live_admin_saved_free() - release what @saved owns
 */
void live_admin_saved_free(struct live_admin_saved *saved);

/**
 * live_admin_qgroup_create() - create qgroup @id
 * Return: 0, -ENOTCONN, -EEXIST, -EPERM, -EROFS, other -errno.
 */
int live_admin_qgroup_create(struct live_fs *fs, uint64_t id);

/**
 * live_admin_qgroup_destroy() - destroy qgroup @id
 * Return: 0, -ENOTCONN, -ENOENT, -EBUSY (has members, or is the qgroup
 * of a live subvolume), -EPERM, -EROFS, other -errno.
 */
int live_admin_qgroup_destroy(struct live_fs *fs, uint64_t id);

/**
 * live_admin_qgroup_assign() - make @child a member of @parent, or
 * remove it
 * @fs: open filesystem
 * @child: member qgroup
 * @parent: higher-level qgroup
 * @assign: true to add the relation, false to remove it
 * @flags: LIVE_ADMIN_FORCE to go on while a rescan runs
 * @inconsistent: set true when the numbers are now wrong (the kernel
 *                returned 1, or a rescan was running): a rescan is needed
 *
 * Refuses while a rescan runs, since the kernel can then finish the scan
 * with wrong parent totals and no inconsistent flag.
 * Return: 0, -EINVAL (child level not below parent level), -ENOTCONN,
 * -EINPROGRESS (rescan running, no FORCE), -EPERM, -EROFS, other -errno.
 */
int live_admin_qgroup_assign(struct live_fs *fs, uint64_t child, uint64_t parent, bool assign,
			     unsigned flags, bool *inconsistent);

/**
 * live_admin_qgroup_limit() - set or clear a limit of qgroup @id
 * @fs: open filesystem
 * @id: qgroup
 * @which: QGROUP_LIMIT_MAX_RFER and/or QGROUP_LIMIT_MAX_EXCL
 * @size: the limit in bytes; UINT64_MAX clears it ("none")
 * Return: 0, -EINVAL, -ENOTCONN, -ENOENT, -EPERM, -EROFS, other -errno.
 */
int live_admin_qgroup_limit(struct live_fs *fs, uint64_t id, uint64_t which, uint64_t size);

/* one stale qgroup and what happened to it */
struct live_admin_stale {
	uint64_t id;
	int err;	/* 0 destroyed, else the kernel's -errno (-EBUSY: it
			 * still counts bytes, e.g. simple quotas charge
			 * extents a snapshot still uses) */
};

/**
 * live_admin_clear_stale() - destroy the level-0 qgroups whose subvolume
 * is gone
 * @fs: open filesystem
 * @list: malloc'ed array of the stale qgroups found (NULL when none)
 * @nr: their number
 *
 * A qgroup the kernel removed by itself meanwhile is not listed.
 * Return: 0 (also when some were refused: see each err), -ENOTCONN,
 * -EPERM, -EROFS, other -errno.
 */
int live_admin_clear_stale(struct live_fs *fs, struct live_admin_stale **list, size_t *nr);

/**
 * live_admin_rescan_wait_idle() - poll RESCAN_STATUS until no rescan runs
 * @fs: open filesystem
 * @interval_ms: poll interval
 * @stop: if not NULL, checked between polls (a signal handler's flag);
 *        when set, return -EINTR
 *
 * Polls instead of RESCAN_WAIT, which returns early after a resumed scan.
 * Return: 0 or -errno.
 */
int live_admin_rescan_wait_idle(struct live_fs *fs, unsigned interval_ms,
				volatile const sig_atomic_t *stop);

/* the highest drop_subtree_threshold: a btrfs tree has at most 8 levels */
#define LIVE_ADMIN_MAX_DROP_THRESHOLD 8

/**
 * live_admin_set_drop_threshold() - set the qgroups' drop_subtree_threshold
 * @fs: open filesystem with quotas enabled
 * @level: 0..LIVE_ADMIN_MAX_DROP_THRESHOLD
 *
 * Deleting a subvolume whose tree is at least @level tall then marks the
 * qgroup numbers inconsistent (a rescan is needed) instead of tracing
 * every extent of it in the transaction: lower means faster deletes and
 * more rescans, 8 always traces. The kernel's default is 3.
 * Return: 0, -EINVAL (level out of range), -ENOTCONN, -EACCES (not root),
 * other -errno.
 */
int live_admin_set_drop_threshold(struct live_fs *fs, unsigned level);

/**
 * live_admin_strerror() - a sysadmin's words for an error of the
 * functions above (translated), for every frontend alike
 * @err: negative errno
 * @path: the filesystem's path as the user named it, for the messages that
 *        name it
 * @buf: receives the text
 * Return: @buf.
 */
const char *live_admin_strerror(int err, const char *path, char *buf, size_t len);

#endif
