/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live-mounts.h - the mounted btrfs filesystems, one entry per fsid even
 * when a filesystem is mounted several times or by subvolume.
 */
#ifndef QGTOP_LIVE_MOUNTS_H
#define QGTOP_LIVE_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "qgroup-model.h"

struct live_mount {
	char uuid[37];
	char *label;		/* NULL when none */
	char *source;		/* device of the first mount */
	char **mountpoints;	/* NULL-terminated */
	size_t nr_mountpoints;
	char *subvols_of_first;	/* subvol= of the first mount, may be NULL */
	enum qgroup_quota_mode mode;	/* from sysfs */
	bool inconsistent;		/* from sysfs */
	bool rescan_running;	/* from the status ioctl, false when unknown */
};

struct live_mount_list {
	struct live_mount *mounts;
	size_t nr;
};

/**
 * live_mounts_read() - list the mounted btrfs filesystems
 * @mountinfo: path of a mountinfo file, NULL for /proc/self/mountinfo
 * @list: filled on success; free with live_mounts_free()
 *
 * The quota mode and inconsistent flag come from sysfs; the rescan flag
 * from the status ioctl when it is allowed (root), else false.
 * Return: 0 or -errno.
 */
int live_mounts_read(const char *mountinfo, struct live_mount_list *list);

void live_mounts_free(struct live_mount_list *list);

/**
 * live_mounts_best_path() - the mountpoint to open for an entry: the one
 * with the top-level subvolume mounted if known, else the first
 */
const char *live_mounts_best_path(const struct live_mount *m);



/**
 * live_mounts_fill_model() - copy the mountpoints and source device of the
 * filesystem @m->fs.uuid into @m->fs
 * Return: 0 (also when it is not found) or -errno.
 */
int live_mounts_fill_model(struct qgroup_model *m);
#endif
