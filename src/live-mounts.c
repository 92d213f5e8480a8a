// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live-mounts.c - btrfs mounts from libmount's mountinfo parser, grouped
 * by filesystem UUID. The UUID comes from the kernel (FS_INFO ioctl via
 * live_fs_open) rather than from blkid, so a mount of a device that blkid
 * has not probed still groups correctly.
 */
#include "config.h"

#include <errno.h>
#include <libmount.h>
#include <linux/fs.h>
#include <linux/btrfs.h>
#include <stdlib.h>
#include <string.h>

#include "btrfs-ops.h"
#include "live-fs.h"
#include "live-mounts.h"
#include "live-rescan.h"

static struct live_mount *find_uuid(struct live_mount_list *l, const char *uuid)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->mounts[i].uuid, uuid))
			return &l->mounts[i];
	return NULL;
}

static int add_mountpoint(struct live_mount *m, const char *target, const char *root)
{
	char **n = realloc(m->mountpoints, (m->nr_mountpoints + 2) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	m->mountpoints = n;
	n[m->nr_mountpoints] = strdup(target);
	if (!n[m->nr_mountpoints])
		return -ENOMEM;
	n[++m->nr_mountpoints] = NULL;
	/* remember where the top level (fs root "/") is mounted: first in list */
	if (root && !strcmp(root, "/") && m->nr_mountpoints > 1) {
		char *t = n[m->nr_mountpoints - 1];

		memmove(&n[1], &n[0], (m->nr_mountpoints - 1) * sizeof(*n));
		n[0] = t;
	}
	return 0;
}

static void read_quota_flags(struct live_mount *m, struct live_fs *fs)
{
	uint64_t progress;
	bool flag;

	if (live_fs_quota_mode(fs, &m->mode, &m->inconsistent))
		m->mode = QGROUP_MODE_DISABLED;
	/* the status ioctl needs root: without it, "not running" */
	if (m->mode != QGROUP_MODE_DISABLED && live_rescan_status(fs, &flag, &progress) == 0)
		m->rescan_running = flag;
}

static int add_fs(struct live_mount_list *l, struct libmnt_fs *mfs)
{
	const char *target = mnt_fs_get_target(mfs);
	const char *root = mnt_fs_get_root(mfs);
	struct live_fs fs;
	struct live_mount *m;
	char label[BTRFS_LABEL_SIZE + 1];
	int ret;

	if (!target)
		return 0;
	ret = live_fs_open(target, &fs);
	if (ret)
		return 0;	/* gone or not accessible: not worth failing the list */
	m = find_uuid(l, fs.uuid);
	if (m) {
		ret = add_mountpoint(m, target, root);
		goto out_close;
	}
	m = realloc(l->mounts, (l->nr + 1) * sizeof(*m));
	if (!m) {
		ret = -ENOMEM;
		goto out_close;
	}
	l->mounts = m;
	m = &l->mounts[l->nr++];
	memset(m, 0, sizeof(*m));
	memcpy(m->uuid, fs.uuid, sizeof(m->uuid));
	if (mnt_fs_get_source(mfs))
		m->source = strdup(mnt_fs_get_source(mfs));
	if (root)
		m->subvols_of_first = strdup(root);
	memset(label, 0, sizeof(label));
	if (btrfs_ops->ioctl(fs.fd, BTRFS_IOC_GET_FSLABEL, label) >= 0 && label[0])
		m->label = strdup(label);
	read_quota_flags(m, &fs);
	ret = add_mountpoint(m, target, NULL);

out_close:
	live_fs_close(&fs);
	return ret;
}

int live_mounts_read(const char *mountinfo, struct live_mount_list *list)
{
	struct libmnt_table *tb;
	struct libmnt_iter *it = NULL;
	struct libmnt_fs *mfs;
	int ret;

	memset(list, 0, sizeof(*list));
	tb = mnt_new_table();
	if (!tb)
		return -ENOMEM;
	ret = mnt_table_parse_mtab(tb, mountinfo);
	if (ret)
		goto out_free_table;
	it = mnt_new_iter(MNT_ITER_FORWARD);
	if (!it) {
		ret = -ENOMEM;
		goto out_free_table;
	}
	while (mnt_table_next_fs(tb, it, &mfs) == 0) {
		if (!mnt_fs_match_fstype(mfs, "btrfs"))
			continue;
		ret = add_fs(list, mfs);
		if (ret)
			goto out_free_iter;
	}
	ret = 0;

out_free_iter:
	mnt_free_iter(it);
out_free_table:
	mnt_unref_table(tb);
	if (ret)
		live_mounts_free(list);
	return ret;
}

void live_mounts_free(struct live_mount_list *list)
{
	for (size_t i = 0; i < list->nr; i++) {
		struct live_mount *m = &list->mounts[i];

		for (size_t j = 0; j < m->nr_mountpoints; j++)
			free(m->mountpoints[j]);
		free(m->mountpoints);
		free(m->label);
		free(m->source);
		free(m->subvols_of_first);
	}
	free(list->mounts);
	memset(list, 0, sizeof(*list));
}

const char *live_mounts_best_path(const struct live_mount *m)
{
	return m->nr_mountpoints ? m->mountpoints[0] : NULL;
}

int live_mounts_fill_model(struct qgroup_model *m)
{
	struct live_mount_list l;
	struct live_mount *lm;
	char **mps;
	int ret;

	ret = live_mounts_read(NULL, &l);
	if (ret)
		return ret;
	lm = find_uuid(&l, m->fs.uuid);
	if (!lm)
		goto out_free;
	mps = calloc(lm->nr_mountpoints + 1, sizeof(*mps));
	if (!mps) {
		ret = -ENOMEM;
		goto out_free;
	}
	/* hand the strings over instead of copying them */
	for (size_t i = 0; i < lm->nr_mountpoints; i++) {
		mps[i] = lm->mountpoints[i];
		lm->mountpoints[i] = NULL;
	}
	lm->nr_mountpoints = 0;
	m->fs.mountpoints = mps;
	if (!m->fs.source) {
		m->fs.source = lm->source;
		lm->source = NULL;
	}
out_free:
	live_mounts_free(&l);
	return ret;
}
