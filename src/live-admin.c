// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live-admin.c - quota and qgroup administration of a mounted btrfs
 * through the quota ioctls, with the guard rails of kernel-facts.md:
 * quota is only disabled after the whole configuration was saved, and
 * assign/remove are refused while a rescan runs (the kernel can finish
 * that scan with wrong parent totals and the inconsistent flag cleared).
 *
 * The ioctls go through btrfs_ops; the save file is ordinary file I/O
 * (qgroup-config.c), which unit tests direct at a temporary directory.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <linux/btrfs.h>

#include "btrfs-ops.h"
#include "live-admin.h"
#include "live-quota.h"
#include "qgroup-config.h"

int live_admin_state(struct live_fs *fs, enum qgroup_quota_mode *mode, bool *rescan_running)
{
	struct btrfs_ioctl_quota_rescan_args rs;
	bool inconsistent;
	int ret;

	ret = live_quota_read_mode(fs, mode, &inconsistent);
	if (ret)
		return ret;
	if (!rescan_running)
		return 0;
	*rescan_running = false;
	/* after a disable the flag can stay set although nothing runs */
	if (*mode == QGROUP_MODE_DISABLED)
		return 0;
	memset(&rs, 0, sizeof(rs));
	ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_QUOTA_RESCAN_STATUS, &rs);
	if (ret < 0)
		return ret;
	*rescan_running = rs.flags != 0;
	return 0;
}

static int need_quota(struct live_fs *fs, enum qgroup_quota_mode *mode, bool *running)
{
	enum qgroup_quota_mode md;
	int ret;

	if (fs->read_only)
		return -EROFS;
	ret = live_admin_state(fs, &md, running);
	if (ret)
		return ret;
	if (md == QGROUP_MODE_DISABLED)
		return -ENOTCONN;
	if (mode)
		*mode = md;
	return 0;
}

static int quota_ctl(struct live_fs *fs, uint64_t cmd)
{
	struct btrfs_ioctl_quota_ctl_args args;
	int ret;

	memset(&args, 0, sizeof(args));
	args.cmd = cmd;
	ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_QUOTA_CTL, &args);
	return ret < 0 ? ret : 0;
}

int live_admin_quota_enable(struct live_fs *fs, bool simple)
{
	enum qgroup_quota_mode mode;
	int ret;

	if (fs->read_only)
		return -EROFS;
	ret = live_admin_state(fs, &mode, NULL);
	if (ret)
		return ret;
	/* the kernel returns 0 and changes nothing in both cases */
	if (mode == (simple ? QGROUP_MODE_SIMPLE : QGROUP_MODE_FULL))
		return 1;
	if (mode != QGROUP_MODE_DISABLED)
		return -EEXIST;
	return quota_ctl(fs, simple ? BTRFS_QUOTA_CTL_ENABLE_SIMPLE_QUOTA : BTRFS_QUOTA_CTL_ENABLE);
}

/* mkdir -p with mode 0700 for the created parts */
static int mkdir_parents(const char *dir)
{
	char *p = strdup(dir), *s;
	int ret = 0;

	if (!p)
		return -ENOMEM;
	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0700) && errno != EEXIST) {
				ret = -errno;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return ret;
}

/* save into @dir as <uuid>-<stamp>[-N].qgroups, never replacing a file */
static int save_in_dir(const struct qgroup_model *m, const char *dir, const char *stamp,
		       char **saved_to)
{
	size_t len = strlen(dir) + strlen(m->fs.uuid) + strlen(stamp) + 32;
	char *path;
	int ret, n;

	ret = mkdir_parents(dir);
	if (ret)
		return ret;
	path = malloc(len);
	if (!path)
		return -ENOMEM;
	for (n = 1; n < 100; n++) {
		if (n == 1)
			snprintf(path, len, "%s/%s-%s.qgroups", dir, m->fs.uuid, stamp);
		else
			snprintf(path, len, "%s/%s-%s-%d.qgroups", dir, m->fs.uuid, stamp, n);
		ret = qgroup_config_save_file(m, path, true);
		if (ret != -EEXIST)
			break;
	}
	if (ret) {
		free(path);
		return ret;
	}
	*saved_to = path;
	return 0;
}

static int save_default(const struct qgroup_model *m, char **saved_to)
{
	const char *env = getenv(LIVE_ADMIN_SAVE_DIR_ENV);
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char stamp[32], xdgdir[4096], homedir[4096];
	const char *dirs[4];
	time_t now = time(NULL);
	struct tm tm;
	int i, nr = 0, ret = -ENOENT;

	if (!gmtime_r(&now, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm))
		return -EINVAL;
	if (env && *env) {
		/* an explicit directory: no silent fallback elsewhere */
		return save_in_dir(m, env, stamp, saved_to);
	}
	dirs[nr++] = LIVE_ADMIN_SAVE_DIR;
	if (xdg && xdg[0] == '/') {
		snprintf(xdgdir, sizeof(xdgdir), "%s/qgtop", xdg);
		dirs[nr++] = xdgdir;
	} else if (home && home[0] == '/') {
		snprintf(homedir, sizeof(homedir), "%s/.local/state/qgtop", home);
		dirs[nr++] = homedir;
	}
	dirs[nr++] = "/tmp";
	for (i = 0; i < nr; i++) {
		int r = save_in_dir(m, dirs[i], stamp, saved_to);

		if (r == 0)
			return 0;
		if (r == -ENOMEM)
			return r;
		/* report the first (most relevant) failure */
		if (i == 0)
			ret = r;
	}
	return ret;
}

int live_admin_quota_disable(struct live_fs *fs, const char *save_path, char **saved_to)
{
	struct qgroup_model m;
	unsigned missing = 0;
	char *path = NULL;
	int ret;

	*saved_to = NULL;
	qgroup_model_init(&m);
	if (fs->read_only)
		return -EROFS;
	ret = live_quota_read(fs, &m, &missing);
	if (ret)
		goto out_free;
	if (m.mode == QGROUP_MODE_DISABLED) {
		ret = -ENOTCONN;
		goto out_free;
	}
	/* sysfs alone has no relations: the save would be incomplete */
	if (missing & LIVE_QUOTA_NO_TREE) {
		ret = -EPERM;
		goto out_free;
	}
	if (save_path) {
		ret = qgroup_config_save_file(&m, save_path, false);
		if (ret)
			goto out_free;
		path = strdup(save_path);
		if (!path) {
			ret = -ENOMEM;
			goto out_free;
		}
	} else {
		ret = save_default(&m, &path);
		if (ret)
			goto out_free;
	}
	*saved_to = path;
	ret = quota_ctl(fs, BTRFS_QUOTA_CTL_DISABLE);
out_free:
	qgroup_model_free(&m);
	return ret;
}

static int qgroup_create(struct live_fs *fs, uint64_t id, bool create)
{
	struct btrfs_ioctl_qgroup_create_args args;
	int ret;

	ret = need_quota(fs, NULL, NULL);
	if (ret)
		return ret;
	memset(&args, 0, sizeof(args));
	args.create = create;
	args.qgroupid = id;
	ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_QGROUP_CREATE, &args);
	return ret < 0 ? ret : 0;
}

int live_admin_qgroup_create(struct live_fs *fs, uint64_t id)
{
	return qgroup_create(fs, id, true);
}

int live_admin_qgroup_destroy(struct live_fs *fs, uint64_t id)
{
	return qgroup_create(fs, id, false);
}

int live_admin_qgroup_assign(struct live_fs *fs, uint64_t child, uint64_t parent, bool assign,
			     unsigned flags, bool *inconsistent)
{
	struct btrfs_ioctl_qgroup_assign_args args;
	bool running;
	int ret;

	*inconsistent = false;
	if (QGROUP_LEVEL(child) >= QGROUP_LEVEL(parent))
		return -EINVAL;
	ret = need_quota(fs, NULL, &running);
	if (ret)
		return ret;
	if (running && !(flags & LIVE_ADMIN_FORCE))
		return -EINPROGRESS;
	memset(&args, 0, sizeof(args));
	args.assign = assign;
	args.src = child;
	args.dst = parent;
	ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_QGROUP_ASSIGN, &args);
	if (ret < 0)
		return ret;
	/* 1: the kernel could not update the numbers; also, a running scan
	 * may end with wrong totals and the flag cleared */
	*inconsistent = ret == 1 || running;
	return 0;
}

int live_admin_qgroup_limit(struct live_fs *fs, uint64_t id, uint64_t which, uint64_t size)
{
	struct btrfs_ioctl_qgroup_limit_args args;
	int ret;

	if (!which || (which & ~(uint64_t)(QGROUP_LIMIT_MAX_RFER | QGROUP_LIMIT_MAX_EXCL)))
		return -EINVAL;
	ret = need_quota(fs, NULL, NULL);
	if (ret)
		return ret;
	memset(&args, 0, sizeof(args));
	args.qgroupid = id;
	args.lim.flags = which;
	/* UINT64_MAX is the kernel's "clear this limit" value */
	if (which & QGROUP_LIMIT_MAX_RFER)
		args.lim.max_rfer = size;
	if (which & QGROUP_LIMIT_MAX_EXCL)
		args.lim.max_excl = size;
	ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_QGROUP_LIMIT, &args);
	return ret < 0 ? ret : 0;
}

int live_admin_clear_stale(struct live_fs *fs, struct live_admin_stale **list, size_t *nr)
{
	struct qgroup_model m;
	unsigned missing = 0;
	int ret;

	*list = NULL;
	*nr = 0;
	if (fs->read_only)
		return -EROFS;
	qgroup_model_init(&m);
	ret = live_quota_read(fs, &m, &missing);
	if (ret)
		goto out_free;
	if (m.mode == QGROUP_MODE_DISABLED) {
		ret = -ENOTCONN;
		goto out_free;
	}
	/* without the trees we cannot tell stale from unknown */
	if (missing & (LIVE_QUOTA_NO_TREE | LIVE_QUOTA_NO_PATHS)) {
		ret = -EPERM;
		goto out_free;
	}
	for (size_t i = 0; i < m.nr_qgroups; i++) {
		const struct qgroup *q = &m.qgroups[i];
		struct btrfs_ioctl_qgroup_create_args args;
		struct live_admin_stale *grown;
		int r;

		if (QGROUP_LEVEL(q->id) != 0 || q->state != QGROUP_STATE_STALE)
			continue;
		memset(&args, 0, sizeof(args));
		args.create = 0;
		args.qgroupid = q->id;
		r = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_QGROUP_CREATE, &args);
		/* ENOENT: the kernel removed it itself meanwhile */
		if (r == -ENOENT)
			continue;
		if (r == -EPERM || r == -EROFS || r == -ENOTCONN) {
			ret = r;
			break;
		}
		grown = realloc(*list, (*nr + 1) * sizeof(*grown));
		if (!grown) {
			ret = -ENOMEM;
			break;
		}
		*list = grown;
		grown[*nr].id = q->id;
		grown[*nr].err = r < 0 ? r : 0;
		(*nr)++;
	}
out_free:
	qgroup_model_free(&m);
	if (ret) {
		free(*list);
		*list = NULL;
		*nr = 0;
	}
	return ret;
}

int live_admin_rescan_start(struct live_fs *fs)
{
	struct btrfs_ioctl_quota_rescan_args args;
	int ret;

	memset(&args, 0, sizeof(args));
	ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_QUOTA_RESCAN, &args);
	if (ret == -EINPROGRESS)
		return 1;
	return ret < 0 ? ret : 0;
}

int live_admin_rescan_wait_idle(struct live_fs *fs, unsigned interval_ms,
				volatile const sig_atomic_t *stop)
{
	struct timespec ts = { interval_ms / 1000, (long)(interval_ms % 1000) * 1000000L };
	enum qgroup_quota_mode mode;
	bool running;
	int ret;

	for (;;) {
		ret = live_admin_state(fs, &mode, &running);
		if (ret || !running)
			return ret;
		if (stop && *stop)
			return -EINTR;
		nanosleep(&ts, NULL);
	}
}
