// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live-quota.c - reading the quota state of a mounted btrfs.
 *
 * The quota tree gives the qgroups, limits and relations (it needs
 * CAP_SYS_ADMIN); sysfs gives the in-memory numbers, which is what the
 * kernel enforces and what moves during a rescan. Without the tree we fall
 * back to sysfs alone and say so (no relations there).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>

#include "btrfs-ops.h"
#include "le.h"
#include "live-quota.h"
#include "live-rescan.h"
#include "quota-items.h"

#define ROOT_TREE_ID 1ULL
#define QUOTA_TREE_ID 8ULL
#define FS_TREE_ID 5ULL
#define FIRST_FREE_ID 256ULL
#define LAST_FREE_ID (-256ULL)

struct quota_ctx {
	struct qgroup_model *m;
	struct quota_items_status status;
};

static int quota_item(const struct live_tree_item *it, void *ctx)
{
	struct quota_ctx *qc = ctx;

	return quota_items_add(qc->m, it->objectid, it->type, it->offset, it->data, it->len,
			       QUOTA_ITEMS_NUMBERS, &qc->status);
}

/* overlay the live in-memory numbers of sysfs, where the kernel has them */
static void read_sysfs_numbers(const struct live_fs *fs, struct qgroup *q)
{
	char rel[96];
	int len;
	uint64_t v;

	len = snprintf(rel, sizeof(rel), "qgroups/%u_%" PRIu64 "/",
		       (unsigned)QGROUP_LEVEL(q->id), (uint64_t)QGROUP_SUBID(q->id));
	if (len < 0 || (size_t)len >= sizeof(rel) - sizeof("rsv_meta_pertrans"))
		return;
	strcpy(rel + len, "referenced");
	if (live_fs_sysfs_read_u64(fs, rel, &v) == 0) {
		q->rfer = v;
		q->has_info = true;
	}
	strcpy(rel + len, "exclusive");
	if (live_fs_sysfs_read_u64(fs, rel, &v) == 0)
		q->excl = v;
	/* the reservations count against the limits like usage (EDQUOT) */
	strcpy(rel + len, "rsv_data");
	if (live_fs_sysfs_read_u64(fs, rel, &q->rsv_data) != 0)
		return;
	strcpy(rel + len, "rsv_meta_pertrans");
	if (live_fs_sysfs_read_u64(fs, rel, &q->rsv_meta_pertrans) != 0)
		return;
	strcpy(rel + len, "rsv_meta_prealloc");
	if (live_fs_sysfs_read_u64(fs, rel, &q->rsv_meta_prealloc) != 0)
		return;
	q->has_rsv = true;
}

/* the quota settings the kernel keeps in sysfs (-1 when absent) */
static void read_sysfs_settings(const struct live_fs *fs, struct qgroup_model *m)
{
	uint64_t v;

	if (live_fs_sysfs_read_u64(fs, "qgroups/drop_subtree_threshold", &v) == 0 && v <= 255)
		m->drop_subtree_threshold = (int)v;
	if (live_fs_sysfs_read_u64(fs, "quota_override", &v) == 0)
		m->quota_override = v != 0;
}

/* without the quota tree (no privilege): the qgroups sysfs lists */
static int read_sysfs_qgroups(const struct live_fs *fs, struct qgroup_model *m)
{
	char path[160];
	DIR *dir;
	struct dirent *de;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/qgroups", fs->sysfs);
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dir))) {
		unsigned level;
		uint64_t sub, v;
		char rel[300];
		struct qgroup *q;

		if (sscanf(de->d_name, "%u_%" SCNu64, &level, &sub) != 2)
			continue;
		ret = qgroup_model_get(m, QGROUP_ID(level, sub), &q);
		if (ret)
			break;
		read_sysfs_numbers(fs, q);
		snprintf(rel, sizeof(rel), "qgroups/%s/limit_flags", de->d_name);
		if (live_fs_sysfs_read_u64(fs, rel, &v) == 0) {
			q->limit_flags = v;
			q->has_limit = true;
		}
		snprintf(rel, sizeof(rel), "qgroups/%s/max_referenced", de->d_name);
		if (live_fs_sysfs_read_u64(fs, rel, &v) == 0)
			q->max_rfer = v;
		snprintf(rel, sizeof(rel), "qgroups/%s/max_exclusive", de->d_name);
		if (live_fs_sysfs_read_u64(fs, rel, &v) == 0)
			q->max_excl = v;
	}
	closedir(dir);
	return ret;
}

struct root_ids {
	uint64_t *ids;
	size_t nr, cap;
};

static int root_item(const struct live_tree_item *it, void *ctx)
{
	struct root_ids *r = ctx;

	if (it->type != BTRFS_ROOT_ITEM_KEY)
		return 0;
	if (r->nr && r->ids[r->nr - 1] == it->objectid)
		return 0;
	if (r->nr == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		uint64_t *n = realloc(r->ids, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		r->ids = n;
		r->cap = cap;
	}
	r->ids[r->nr++] = it->objectid;
	return 0;
}

static bool root_exists(const struct root_ids *r, uint64_t id)
{
	size_t lo = 0, hi = r->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->ids[mid] == id)
			return true;
		if (r->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* paths for level-0 qgroups; a qgroup with a root item but no path is a
 * subvolume being deleted, one without a root item is stale */
static int read_paths(struct live_fs *fs, struct qgroup_model *m, unsigned *missing)
{
	struct live_tree_range range = live_tree_range_all(ROOT_TREE_ID);
	struct root_ids roots = { 0 };
	bool have_roots;
	int ret;

	range.min_objectid = FIRST_FREE_ID;
	range.max_objectid = LAST_FREE_ID;
	range.min_type = BTRFS_ROOT_ITEM_KEY;
	range.max_type = BTRFS_ROOT_ITEM_KEY;
	ret = live_fs_tree_search(fs, &range, root_item, &roots);
	have_roots = ret == 0;
	if (ret < 0 && ret != -EPERM) {
		free(roots.ids);
		return ret;
	}
	for (size_t i = 0; i < m->nr_qgroups; i++) {
		struct qgroup *q = &m->qgroups[i];
		char *path = NULL;

		if (QGROUP_LEVEL(q->id) != 0)
			continue;
		if (q->id == FS_TREE_ID) {
			ret = qgroup_model_set_path(q, "<toplevel>");
			if (ret)
				goto out_free;
			continue;
		}
		ret = btrfs_ops->subvolume_path(fs->fd, q->id, &path);
		if (ret == 0) {
			ret = qgroup_model_set_path(q, path);
			free(path);
			if (ret)
				goto out_free;
			continue;
		}
		if (ret == -ENOMEM)
			goto out_free;
		if (!have_roots || ret == -EPERM) {
			*missing |= LIVE_QUOTA_NO_PATHS;
			continue;
		}
		q->state = root_exists(&roots, q->id) ? QGROUP_STATE_DELETING
						      : QGROUP_STATE_STALE;
	}
	ret = 0;
out_free:
	free(roots.ids);
	return ret;
}

/* the rescan as one look at it shows (no stall detection: that needs a
 * history, see live_rescan_track_update()) */
static void read_rescan_flag(struct live_fs *fs, struct qgroup_model *m)
{
	struct live_rescan_sample s;

	if (live_rescan_sample(fs, 0, &s))
		return;		/* without CAP_SYS_ADMIN: unknown, shown idle */
	m->rescan.progress = s.progress;
	m->rescan.state = live_rescan_classify(&s);
}

int live_quota_read(struct live_fs *fs, struct qgroup_model *m, unsigned *missing)
{
	struct live_tree_range range = live_tree_range_all(QUOTA_TREE_ID);
	struct quota_ctx qc = { .m = m };
	char label[BTRFS_LABEL_SIZE + 1];
	unsigned miss = 0;
	int ret;

	memcpy(m->fs.uuid, fs->uuid, sizeof(m->fs.uuid));
	m->fs.read_only = fs->read_only;
	memset(label, 0, sizeof(label));
	if (btrfs_ops->ioctl(fs->fd, BTRFS_IOC_GET_FSLABEL, label) >= 0 && label[0]) {
		m->fs.label = strdup(label);
		if (!m->fs.label)
			return -ENOMEM;
	}
	ret = live_fs_quota_mode(fs, &m->mode, &m->inconsistent);
	if (ret)
		return ret;
	read_sysfs_settings(fs, m);
	if (m->mode == QGROUP_MODE_DISABLED) {
		read_rescan_flag(fs, m);
		goto out_finish;
	}
	ret = live_fs_tree_search(fs, &range, quota_item, &qc);
	if (ret == -EPERM || ret == -EACCES) {
		miss |= LIVE_QUOTA_NO_TREE;
		ret = read_sysfs_qgroups(fs, m);
	} else if (ret == -ENOENT) {
		/* quota disabled between the sysfs read and the search */
		m->mode = QGROUP_MODE_DISABLED;
		goto out_finish;
	} else if (ret == 0) {
		for (size_t i = 0; i < m->nr_qgroups; i++)
			read_sysfs_numbers(fs, &m->qgroups[i]);
	}
	if (ret)
		return ret;
	ret = qgroup_model_finish(m);
	if (ret)
		return ret;
	if (!(miss & LIVE_QUOTA_NO_TREE))
		read_rescan_flag(fs, m);
	ret = read_paths(fs, m, &miss);
	if (ret)
		return ret;
out_finish:
	if (missing)
		*missing = miss;
	return qgroup_model_finish(m);
}
