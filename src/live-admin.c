// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live-admin.c - quota and qgroup administration of a mounted btrfs
 * through the quota ioctls, with two guard rails:
 * quota is only disabled after the whole configuration was saved, and
 * assign/remove are refused while a rescan runs (the kernel can finish
 * that scan with wrong parent totals and the inconsistent flag cleared).
 *
 * The ioctls go through btrfs_ops; the save file is ordinary file I/O
 * (qgroup-config.c through safe-file.c), which unit tests direct at a
 * directory of their own. Where it goes: --save FILE, or $QGTOP_SAVE_DIR,
 * or /var/lib/qgtop (root's, created 0700), or, when that fails, the
 * caller's own $XDG_STATE_HOME/qgtop or ~/.local/state/qgtop; each must be
 * private and durable (safe-file.c), so the only copy of the configuration
 * never lands where others can read or replace it, or where a reboot
 * deletes it. /tmp is never a fallback.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/btrfs.h>

#include "btrfs-ops.h"
#include "live-admin.h"
#include "live-quota.h"
#include "live-rescan.h"
#include "nls.h"
#include "qgroup-config.h"
#include "safe-file.h"

int live_admin_state(struct live_fs *fs, enum qgroup_quota_mode *mode, bool *rescan_running)
{
	uint64_t progress;
	bool inconsistent;
	int ret;

	ret = live_fs_quota_mode(fs, mode, &inconsistent);
	if (ret)
		return ret;
	if (!rescan_running)
		return 0;
	*rescan_running = false;
	/* after a disable the flag can stay set although nothing runs */
	if (*mode == QGROUP_MODE_DISABLED)
		return 0;
	return live_rescan_status(fs, rescan_running, &progress);
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

/* append "; @part" (or @part first) to @why */
static void add_why(char *why, size_t len, const char *part)
{
	size_t n = strlen(why);

	snprintf(why + n, len - n, "%s%s", n ? "; " : "", part);
}

/* save into @dir as <uuid>-<stamp>[-N].qgroups, never replacing a file */
static int save_in_dir(const struct qgroup_model *m, const char *dir, unsigned flags,
		       const char *stamp, char **saved_to, char *why, size_t len)
{
	struct safe_file_dir d;
	char name[128];
	int ret, n;

	ret = safe_file_dir_open(dir, flags | SAFE_FILE_CREATE, &d, why, len);
	if (ret)
		return ret;
	for (n = 1; n < 100; n++) {
		if (n == 1)
			snprintf(name, sizeof(name), "%s-%s.qgroups", m->fs.uuid, stamp);
		else
			snprintf(name, sizeof(name), "%s-%s-%d.qgroups", m->fs.uuid, stamp, n);
		ret = qgroup_config_save_in(m, &d, name, SAFE_FILE_NO_REPLACE, why, len);
		if (ret != -EEXIST)
			break;
	}
	if (!ret && asprintf(saved_to, "%s%s%s", d.path, strcmp(d.path, "/") ? "/" : "",
			     name) < 0) {
		*saved_to = NULL;
		ret = -ENOMEM;
	}
	safe_file_dir_close(&d);
	return ret;
}

static int save_default(const struct qgroup_model *m, struct live_admin_saved *sv)
{
	const char *env = getenv(LIVE_ADMIN_SAVE_DIR_ENV);
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char stamp[32], fallback[4096], why[SAFE_FILE_WHY_LEN];
	time_t now = time(NULL);
	struct tm tm;
	int ret;

	if (!gmtime_r(&now, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm))
		return -EINVAL;
	if (env && *env) {
		/* an explicit directory: no silent fallback elsewhere */
		ret = save_in_dir(m, env, SAFE_FILE_PRIVATE | SAFE_FILE_DURABLE, stamp, &sv->path,
				  why, sizeof(why));
		if (ret)
			add_why(sv->why, sizeof(sv->why), why);
		return ret;
	}
	ret = save_in_dir(m, LIVE_ADMIN_SAVE_DIR,
			  SAFE_FILE_PRIVATE | SAFE_FILE_ROOT_OWNED | SAFE_FILE_DURABLE, stamp,
			  &sv->path, why, sizeof(why));
	if (!ret || ret == -ENOMEM) {
		if (ret)
			add_why(sv->why, sizeof(sv->why), why);
		return ret;
	}
	add_why(sv->why, sizeof(sv->why), why);
	if (xdg && xdg[0] == '/')
		snprintf(fallback, sizeof(fallback), "%s/qgtop", xdg);
	else if (home && home[0] == '/')
		snprintf(fallback, sizeof(fallback), "%s/.local/state/qgtop", home);
	else
		return ret;
	/* $HOME may be another user's (sudo -E): the privacy rule refuses that */
	if (!save_in_dir(m, fallback, SAFE_FILE_PRIVATE | SAFE_FILE_DURABLE | SAFE_FILE_NOT_VOLATILE,
			 stamp, &sv->path, why, sizeof(why))) {
		sv->fallback = true;
		return 0;
	}
	add_why(sv->why, sizeof(sv->why), why);
	/* the default directory's failure is the one to act on */
	return ret;
}

int live_admin_quota_disable(struct live_fs *fs, const char *save_path,
			     struct live_admin_saved *saved)
{
	struct qgroup_model m;
	unsigned missing = 0;
	char why[SAFE_FILE_WHY_LEN];
	int ret;

	memset(saved, 0, sizeof(*saved));
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
		ret = qgroup_config_save_file(&m, save_path, SAFE_FILE_PRIVATE | SAFE_FILE_DURABLE,
					      why, sizeof(why));
		if (ret) {
			add_why(saved->why, sizeof(saved->why), why);
		} else {
			saved->path = strdup(save_path);
			if (!saved->path)
				ret = -ENOMEM;
		}
	} else {
		ret = save_default(&m, saved);
	}
	if (ret) {
		saved->save_err = ret;
		goto out_free;
	}
	ret = quota_ctl(fs, BTRFS_QUOTA_CTL_DISABLE);
out_free:
	qgroup_model_free(&m);
	return ret;
}

void live_admin_saved_free(struct live_admin_saved *saved)
{
	free(saved->path);
	saved->path = NULL;
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

int live_admin_set_drop_threshold(struct live_fs *fs, unsigned level)
{
	enum qgroup_quota_mode mode;
	char path[160], text[16];
	int ret;

	if (level > LIVE_ADMIN_MAX_DROP_THRESHOLD)
		return -EINVAL;
	/* a kernel setting, not a change of the filesystem: a read-only
	 * mount takes it too */
	ret = live_admin_state(fs, &mode, NULL);
	if (ret)
		return ret;
	if (mode == QGROUP_MODE_DISABLED)
		return -ENOTCONN;
	snprintf(path, sizeof(path), "%s/qgroups/drop_subtree_threshold", fs->sysfs);
	snprintf(text, sizeof(text), "%u", level);
	return btrfs_ops->write_text(path, text);
}

const char *live_admin_strerror(int err, const char *path, char *buf, size_t len)
{
	switch (-err) {
	case ENOTCONN:
		snprintf(buf, len, _("quota is not enabled on %s"), path);
		break;
	case EINPROGRESS:
		snprintf(buf, len, _("a quota rescan is running on %s"), path);
		break;
	case EPERM:
	case EACCES:
		snprintf(buf, len, "%s", _("permission denied (needs root or CAP_SYS_ADMIN)"));
		break;
	case EROFS:
		snprintf(buf, len, _("%s is on a read-only mount"), path);
		break;
	case EEXIST:
		snprintf(buf, len, "%s", _("already exists"));
		break;
	case EBUSY:
		snprintf(buf, len, "%s", _("busy (the qgroup still has members, or its subvolume "
					   "still exists or is being deleted)"));
		break;
	default:
		snprintf(buf, len, "%s", strerror(-err));
		break;
	}
	return buf;
}
