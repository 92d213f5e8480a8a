/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live-quota.h - fill a qgroup_model from a mounted filesystem: the quota
 * tree (TREE_SEARCH_V2), the live numbers in sysfs, subvolume paths.
 */
#ifndef QGTOP_LIVE_QUOTA_H
#define QGTOP_LIVE_QUOTA_H

#include "live-fs.h"
#include "qgroup-model.h"

/* what live_quota_read() could not read, for the frontends to say so */
#define LIVE_QUOTA_NO_TREE	(1U << 0)	/* no CAP_SYS_ADMIN: sysfs only */
#define LIVE_QUOTA_NO_PATHS	(1U << 1)	/* subvolume paths unknown */

/**
 * live_quota_read() - read the quota state of @fs into @m
 * @fs: open filesystem
 * @m: an initialised, empty model; finished on success
 * @missing: if not NULL, LIVE_QUOTA_* bits of what could not be read
 *
 * Quota disabled is not an error: the model's mode is then
 * QGROUP_MODE_DISABLED with no qgroups.
 * Return: 0 or -errno.
 */
int live_quota_read(struct live_fs *fs, struct qgroup_model *m, unsigned *missing);

#endif
