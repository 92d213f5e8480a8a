// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-admin.c - every error path of live-admin and of the configuration
 * restore, with the system replaced by a fake btrfs_ops: a filesystem
 * with qgroups 0/5, 0/256 (subvolume "a"), 0/257 (stale: no root item),
 * 1/100 (limit, member 0/256), whose quota mode, rescan flag and ioctl
 * results each test sets.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/fs.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <cmocka.h>

#include "btrfs-ops.h"
#include "fake-search.h"
#include "live-admin.h"
#include "qgroup-config.h"

#define MAX_CALLS 64

struct call {
	unsigned long req;
	uint64_t a, b, c, d;	/* cmd / create,id / assign,src,dst / id,flags,rfer,excl */
};

static struct fake {
	const char *mode;	/* sysfs qgroups/mode; NULL: quota disabled */
	uint64_t rescan_flags;
	int err_search;		/* TREE_SEARCH_V2 */
	int ret_ctl, ret_create, ret_assign, ret_limit, ret_rescan;
	int ret_destroy_stale;	/* QGROUP_CREATE with create=0 */
	bool limit_0_256;	/* 0/256 has a MAX_EXCL limit */
	struct call calls[MAX_CALLS];
	int nr_calls;
	const char *must_exist;	/* QUOTA_CTL checks this file is complete */
	bool file_ok_at_ctl;
} fk;


static const struct fake_search_item quota_items[] = {
	{ 0, BTRFS_QGROUP_STATUS_KEY, 0, { 1, 10, 1, 0 }, 32 },
	{ 0, BTRFS_QGROUP_INFO_KEY, 5, { 10, 16384, 16384, 16384, 16384 }, 40 },
	{ 0, BTRFS_QGROUP_INFO_KEY, 256, { 10, 1 << 20, 1 << 20, 4096, 4096 }, 40 },
	{ 0, BTRFS_QGROUP_INFO_KEY, 257, { 10, 0, 0, 0, 0 }, 40 },
	{ 0, BTRFS_QGROUP_INFO_KEY, QGROUP_ID(1, 100), { 10, 1 << 20, 1 << 20, 1 << 20, 1 << 20 }, 40 },
	{ 0, BTRFS_QGROUP_LIMIT_KEY, QGROUP_ID(1, 100), { 1, 100 << 20, 0, 0, 0 }, 40 },
	{ 256, BTRFS_QGROUP_RELATION_KEY, QGROUP_ID(1, 100), { 0 }, 0 },
	{ QGROUP_ID(1, 100), BTRFS_QGROUP_RELATION_KEY, 256, { 0 }, 0 },
};

static const struct fake_search_item limit_256 = { 0, BTRFS_QGROUP_LIMIT_KEY, 256, { 2, 0, 5 << 20, 0, 0 }, 40 };

static const struct fake_search_item root_items[] = {
	{ 256, BTRFS_ROOT_ITEM_KEY, 0, { 0 }, 8 },
};

static int fake_search(struct btrfs_ioctl_search_args_v2 *args)
{
	struct btrfs_ioctl_search_key *sk = &args->key;
	const struct fake_search_item *items;
	struct fake_search_item list[16];
	size_t nr;

	if (fk.err_search)
		return fk.err_search;
	if (sk->tree_id == 8) {
		if (!fk.mode)
			return -ENOENT;
		nr = sizeof(quota_items) / sizeof(quota_items[0]);
		memcpy(list, quota_items, sizeof(quota_items));
		if (fk.limit_0_256) {
			/* keep key order: the LIMIT of 256 goes after its INFO */
			memmove(&list[4], &list[3], (nr - 3) * sizeof(list[0]));
			list[3] = limit_256;
			nr++;
		}
		items = list;
	} else if (sk->tree_id == 1) {
		items = root_items;
		nr = sizeof(root_items) / sizeof(root_items[0]);
	} else {
		return -ENOENT;
	}
	return fake_search_serve(args, items, nr, 0);
}

static bool file_complete(const char *path)
{
	char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n > 4 && !strcmp(buf + n - 4, "end\n");
}

static void record(unsigned long req, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	assert_true(fk.nr_calls < MAX_CALLS);
	fk.calls[fk.nr_calls++] = (struct call){ req, a, b, c, d };
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	(void)fd;
	switch (req) {
	case BTRFS_IOC_TREE_SEARCH_V2:
		return fake_search(arg);
	case BTRFS_IOC_GET_FSLABEL:
		memset(arg, 0, BTRFS_LABEL_SIZE);
		return 0;
	case BTRFS_IOC_QUOTA_RESCAN_STATUS: {
		struct btrfs_ioctl_quota_rescan_args *rs = arg;

		rs->flags = fk.rescan_flags;
		rs->progress = fk.rescan_flags ? 12345 : 0;
		return 0;
	}
	case BTRFS_IOC_QUOTA_CTL: {
		struct btrfs_ioctl_quota_ctl_args *a = arg;

		record(req, a->cmd, 0, 0, 0);
		if (fk.must_exist)
			fk.file_ok_at_ctl = file_complete(fk.must_exist);
		return fk.ret_ctl;
	}
	case BTRFS_IOC_QGROUP_CREATE: {
		struct btrfs_ioctl_qgroup_create_args *a = arg;

		record(req, a->create, a->qgroupid, 0, 0);
		return a->create ? fk.ret_create : fk.ret_destroy_stale;
	}
	case BTRFS_IOC_QGROUP_ASSIGN: {
		struct btrfs_ioctl_qgroup_assign_args *a = arg;

		record(req, a->assign, a->src, a->dst, 0);
		return fk.ret_assign;
	}
	case BTRFS_IOC_QGROUP_LIMIT: {
		struct btrfs_ioctl_qgroup_limit_args *a = arg;

		record(req, a->qgroupid, a->lim.flags, a->lim.max_rfer, a->lim.max_excl);
		return fk.ret_limit;
	}
	case BTRFS_IOC_QUOTA_RESCAN:
		record(req, 0, 0, 0, 0);
		return fk.ret_rescan;
	default:
		return -ENOTTY;
	}
}

static ssize_t fake_read_text(const char *path, char *buf, size_t len)
{
	const char *v = NULL;

	if (strstr(path, "/qgroups/mode"))
		v = fk.mode;
	else if (strstr(path, "/qgroups/enabled"))
		v = NULL;
	else if (strstr(path, "/qgroups/inconsistent"))
		v = fk.mode ? "0" : NULL;
	if (!v)
		return -ENOENT;
	snprintf(buf, len, "%s", v);
	return (ssize_t)strlen(buf);
}

static int fake_subvolume_path(int fd, uint64_t id, char **path)
{
	(void)fd;
	if (id != 256)
		return -ENOENT;
	*path = strdup("a");
	return 0;
}

static int fake_open(const char *p, int f)
{
	(void)p;
	(void)f;
	return -ENOSYS;
}

static int fake_close(int fd)
{
	(void)fd;
	return 0;
}

static int fake_write_text(const char *p, const char *t)
{
	(void)p;
	(void)t;
	return -ENOSYS;
}

static const struct btrfs_ops fake_ops = {
	.open = fake_open,
	.close = fake_close,
	.ioctl = fake_ioctl,
	.read_text = fake_read_text,
	.write_text = fake_write_text,
	.subvolume_path = fake_subvolume_path,
};

static struct live_fs fs;
static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	memset(&fk, 0, sizeof(fk));
	fk.mode = "qgroup";
	memset(&fs, 0, sizeof(fs));
	fs.fd = 3;
	strcpy(fs.uuid, "0123abcd-4567-89ef-0123-456789abcdef");
	snprintf(fs.sysfs, sizeof(fs.sysfs), "/nonexistent/fs/btrfs/%s", fs.uuid);
	strcpy(tmpdir, "/tmp/qgtop-test-admin.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	btrfs_ops_set(&fake_ops);
	unsetenv(LIVE_ADMIN_SAVE_DIR_ENV);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	btrfs_ops_set(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static int count(unsigned long req)
{
	int n = 0;

	for (int i = 0; i < fk.nr_calls; i++)
		n += fk.calls[i].req == req;
	return n;
}

static const struct call *find_call(unsigned long req, int nth)
{
	for (int i = 0; i < fk.nr_calls; i++)
		if (fk.calls[i].req == req && nth-- == 0)
			return &fk.calls[i];
	return NULL;
}

/* ---- quota enable ---- */

static void test_enable(void **state)
{
	(void)state;
	fk.mode = NULL;
	assert_int_equal(live_admin_quota_enable(&fs, false), 0);
	assert_int_equal(find_call(BTRFS_IOC_QUOTA_CTL, 0)->a, BTRFS_QUOTA_CTL_ENABLE);
	assert_int_equal(live_admin_quota_enable(&fs, true), 0);
	assert_int_equal(find_call(BTRFS_IOC_QUOTA_CTL, 1)->a, 4);
	fk.ret_ctl = -EROFS;
	assert_int_equal(live_admin_quota_enable(&fs, false), -EROFS);
	fk.ret_ctl = -EPERM;
	assert_int_equal(live_admin_quota_enable(&fs, true), -EPERM);
	fk.ret_ctl = 0;
	/* already on: nothing issued */
	fk.nr_calls = 0;
	fk.mode = "qgroup";
	assert_int_equal(live_admin_quota_enable(&fs, false), 1);
	assert_int_equal(live_admin_quota_enable(&fs, true), -EEXIST);
	fk.mode = "squota";
	assert_int_equal(live_admin_quota_enable(&fs, true), 1);
	assert_int_equal(live_admin_quota_enable(&fs, false), -EEXIST);
	fs.read_only = true;
	fk.mode = NULL;
	assert_int_equal(live_admin_quota_enable(&fs, false), -EROFS);
	assert_int_equal(fk.nr_calls, 0);
}

/* ---- quota disable ---- */

static void test_disable_saves_first(void **state)
{
	struct qgroup_model m;
	struct qgroup_config_error err;
	char path[128], *saved = NULL;
	struct qgroup *q;

	(void)state;
	snprintf(path, sizeof(path), "%s/conf.qgroups", tmpdir);
	fk.must_exist = path;
	fk.limit_0_256 = true;
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), 0);
	assert_string_equal(saved, path);
	assert_int_equal(count(BTRFS_IOC_QUOTA_CTL), 1);
	assert_int_equal(find_call(BTRFS_IOC_QUOTA_CTL, 0)->a, BTRFS_QUOTA_CTL_DISABLE);
	assert_true(fk.file_ok_at_ctl);
	qgroup_model_init(&m);
	assert_int_equal(qgroup_config_load_file(path, &m, &err), 0);
	assert_string_equal(m.fs.uuid, fs.uuid);
	assert_int_equal(m.mode, QGROUP_MODE_FULL);
	assert_int_equal(m.nr_qgroups, 4);
	q = qgroup_model_find(&m, 256);
	assert_non_null(q);
	assert_int_equal(q->nr_parents, 1);
	assert_int_equal(q->parents[0], QGROUP_ID(1, 100));
	assert_int_equal(q->limit_flags, QGROUP_LIMIT_MAX_EXCL);
	assert_int_equal(q->max_excl, 5 << 20);
	q = qgroup_model_find(&m, QGROUP_ID(1, 100));
	assert_int_equal(q->limit_flags, QGROUP_LIMIT_MAX_RFER);
	assert_int_equal(q->max_rfer, 100 << 20);
	assert_non_null(qgroup_model_find(&m, 257));
	qgroup_model_free(&m);
	free(saved);
}

static void test_disable_default_dir(void **state)
{
	char dir[128], *saved = NULL, *saved2 = NULL;
	size_t n;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/state/deeper", tmpdir);
	setenv(LIVE_ADMIN_SAVE_DIR_ENV, dir, 1);
	assert_int_equal(live_admin_quota_disable(&fs, NULL, &saved), 0);
	assert_non_null(saved);
	n = strlen(dir);
	assert_memory_equal(saved, dir, n);
	assert_memory_equal(saved + n + 1, fs.uuid, 36);
	assert_string_equal(saved + strlen(saved) - 8, ".qgroups");
	assert_true(file_complete(saved));
	/* a second save in the same second does not replace the first */
	assert_int_equal(live_admin_quota_disable(&fs, NULL, &saved2), 0);
	assert_string_not_equal(saved, saved2);
	assert_true(file_complete(saved));
	assert_true(file_complete(saved2));
	free(saved);
	free(saved2);
	/* an explicit directory that cannot be created: no fallback, no change */
	fk.nr_calls = 0;
	setenv(LIVE_ADMIN_SAVE_DIR_ENV, "/proc/qgtop-cannot", 1);
	assert_true(live_admin_quota_disable(&fs, NULL, &saved) < 0);
	assert_null(saved);
	assert_int_equal(count(BTRFS_IOC_QUOTA_CTL), 0);
	unsetenv(LIVE_ADMIN_SAVE_DIR_ENV);
}

static void test_disable_refused(void **state)
{
	char path[128], *saved = (char *)1;

	(void)state;
	/* the save fails: quota stays enabled */
	snprintf(path, sizeof(path), "%s/missing/conf.qgroups", tmpdir);
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), -ENOENT);
	assert_null(saved);
	assert_int_equal(count(BTRFS_IOC_QUOTA_CTL), 0);
	/* without the quota tree the save would lack relations */
	snprintf(path, sizeof(path), "%s/conf.qgroups", tmpdir);
	fk.err_search = -EPERM;
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), -EPERM);
	assert_null(saved);
	assert_int_equal(access(path, F_OK), -1);
	fk.err_search = 0;
	/* quota already off */
	fk.mode = NULL;
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), -ENOTCONN);
	assert_int_equal(access(path, F_OK), -1);
	fk.mode = "qgroup";
	/* read-only mount */
	fs.read_only = true;
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), -EROFS);
	fs.read_only = false;
	assert_int_equal(count(BTRFS_IOC_QUOTA_CTL), 0);
	assert_int_equal(access(path, F_OK), -1);
	/* the kernel refuses the disable itself: the save is reported */
	fk.ret_ctl = -EPERM;
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), -EPERM);
	assert_non_null(saved);
	assert_true(file_complete(saved));
	free(saved);
}

/* ---- create / destroy ---- */

static void test_create_destroy(void **state)
{
	(void)state;
	assert_int_equal(live_admin_qgroup_create(&fs, QGROUP_ID(1, 7)), 0);
	assert_int_equal(find_call(BTRFS_IOC_QGROUP_CREATE, 0)->a, 1);
	assert_int_equal(find_call(BTRFS_IOC_QGROUP_CREATE, 0)->b, QGROUP_ID(1, 7));
	assert_int_equal(live_admin_qgroup_destroy(&fs, QGROUP_ID(1, 7)), 0);
	assert_int_equal(find_call(BTRFS_IOC_QGROUP_CREATE, 1)->a, 0);
	fk.ret_create = -EEXIST;
	assert_int_equal(live_admin_qgroup_create(&fs, QGROUP_ID(1, 7)), -EEXIST);
	fk.ret_destroy_stale = -EBUSY;
	assert_int_equal(live_admin_qgroup_destroy(&fs, QGROUP_ID(1, 7)), -EBUSY);
	fk.ret_destroy_stale = -ENOENT;
	assert_int_equal(live_admin_qgroup_destroy(&fs, QGROUP_ID(1, 7)), -ENOENT);
	fk.ret_create = -EPERM;
	assert_int_equal(live_admin_qgroup_create(&fs, QGROUP_ID(1, 7)), -EPERM);
	/* state checks come before any ioctl */
	fk.nr_calls = 0;
	fk.mode = NULL;
	assert_int_equal(live_admin_qgroup_create(&fs, QGROUP_ID(1, 7)), -ENOTCONN);
	assert_int_equal(live_admin_qgroup_destroy(&fs, QGROUP_ID(1, 7)), -ENOTCONN);
	fk.mode = "qgroup";
	fs.read_only = true;
	assert_int_equal(live_admin_qgroup_create(&fs, QGROUP_ID(1, 7)), -EROFS);
	assert_int_equal(fk.nr_calls, 0);
}

/* ---- assign / remove ---- */

static void test_assign(void **state)
{
	bool inc = true;
	const struct call *c;

	(void)state;
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), true, 0, &inc), 0);
	assert_false(inc);
	c = find_call(BTRFS_IOC_QGROUP_ASSIGN, 0);
	assert_int_equal(c->a, 1);
	assert_int_equal(c->b, 256);
	assert_int_equal(c->c, QGROUP_ID(1, 1));
	fk.ret_assign = 1;
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), false, 0, &inc), 0);
	assert_true(inc);
	assert_int_equal(find_call(BTRFS_IOC_QGROUP_ASSIGN, 1)->a, 0);
	fk.ret_assign = -EINVAL;
	assert_int_equal(live_admin_qgroup_assign(&fs, 999, QGROUP_ID(1, 1), true, 0, &inc),
			 -EINVAL);
	fk.ret_assign = -ENOENT;
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), false, 0, &inc),
			 -ENOENT);
	/* refused before any ioctl */
	fk.ret_assign = 0;
	fk.nr_calls = 0;
	assert_int_equal(live_admin_qgroup_assign(&fs, QGROUP_ID(1, 1), QGROUP_ID(1, 2), true, 0,
						  &inc), -EINVAL);
	assert_int_equal(live_admin_qgroup_assign(&fs, QGROUP_ID(2, 1), QGROUP_ID(1, 2), true, 0,
						  &inc), -EINVAL);
	fk.rescan_flags = 1;
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), true, 0, &inc),
			 -EINPROGRESS);
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), false, 0, &inc),
			 -EINPROGRESS);
	fk.mode = NULL;	/* a rescan flag left after disable is not a rescan */
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), true, 0, &inc),
			 -ENOTCONN);
	fk.mode = "qgroup";
	fs.read_only = true;
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), true,
						  LIVE_ADMIN_FORCE, &inc), -EROFS);
	fs.read_only = false;
	assert_int_equal(fk.nr_calls, 0);
	/* forced during a rescan: done, and the numbers count as wrong even
	 * when the kernel returned 0 */
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), true,
						  LIVE_ADMIN_FORCE, &inc), 0);
	assert_true(inc);
	assert_int_equal(count(BTRFS_IOC_QGROUP_ASSIGN), 1);
}

/* ---- limit ---- */

static void test_limit(void **state)
{
	const struct call *c;

	(void)state;
	assert_int_equal(live_admin_qgroup_limit(&fs, 256, QGROUP_LIMIT_MAX_RFER, 1 << 20), 0);
	c = find_call(BTRFS_IOC_QGROUP_LIMIT, 0);
	assert_int_equal(c->a, 256);
	assert_int_equal(c->b, QGROUP_LIMIT_MAX_RFER);
	assert_int_equal(c->c, 1 << 20);
	assert_int_equal(c->d, 0);
	assert_int_equal(live_admin_qgroup_limit(&fs, 256, QGROUP_LIMIT_MAX_EXCL, UINT64_MAX), 0);
	c = find_call(BTRFS_IOC_QGROUP_LIMIT, 1);
	assert_int_equal(c->b, QGROUP_LIMIT_MAX_EXCL);
	assert_int_equal(c->c, 0);
	assert_int_equal(c->d, UINT64_MAX);
	fk.ret_limit = -ENOENT;
	assert_int_equal(live_admin_qgroup_limit(&fs, 999, QGROUP_LIMIT_MAX_RFER, 1), -ENOENT);
	fk.ret_limit = 0;
	fk.nr_calls = 0;
	assert_int_equal(live_admin_qgroup_limit(&fs, 256, 0, 1), -EINVAL);
	assert_int_equal(live_admin_qgroup_limit(&fs, 256, 4, 1), -EINVAL);
	fk.mode = NULL;
	assert_int_equal(live_admin_qgroup_limit(&fs, 256, QGROUP_LIMIT_MAX_RFER, 1), -ENOTCONN);
	assert_int_equal(fk.nr_calls, 0);
}

/* ---- clear-stale ---- */

static void test_clear_stale(void **state)
{
	struct live_admin_stale *list;
	size_t nr;

	(void)state;
	assert_int_equal(live_admin_clear_stale(&fs, &list, &nr), 0);
	assert_int_equal(nr, 1);
	assert_int_equal(list[0].id, 257);
	assert_int_equal(list[0].err, 0);
	assert_int_equal(count(BTRFS_IOC_QGROUP_CREATE), 1);
	assert_int_equal(find_call(BTRFS_IOC_QGROUP_CREATE, 0)->a, 0);
	assert_int_equal(find_call(BTRFS_IOC_QGROUP_CREATE, 0)->b, 257);
	free(list);
	fk.ret_destroy_stale = -EBUSY;
	assert_int_equal(live_admin_clear_stale(&fs, &list, &nr), 0);
	assert_int_equal(nr, 1);
	assert_int_equal(list[0].err, -EBUSY);
	free(list);
	/* removed by the kernel meanwhile: not listed */
	fk.ret_destroy_stale = -ENOENT;
	assert_int_equal(live_admin_clear_stale(&fs, &list, &nr), 0);
	assert_int_equal(nr, 0);
	free(list);
	fk.ret_destroy_stale = -EPERM;
	assert_int_equal(live_admin_clear_stale(&fs, &list, &nr), -EPERM);
	assert_null(list);
	fk.ret_destroy_stale = 0;
	fk.nr_calls = 0;
	fk.err_search = -EPERM;
	assert_int_equal(live_admin_clear_stale(&fs, &list, &nr), -EPERM);
	fk.err_search = 0;
	fk.mode = NULL;
	assert_int_equal(live_admin_clear_stale(&fs, &list, &nr), -ENOTCONN);
	assert_int_equal(fk.nr_calls, 0);
}

static void test_rescan_start(void **state)
{
	(void)state;
	assert_int_equal(live_admin_rescan_start(&fs), 0);
	fk.ret_rescan = -EINPROGRESS;
	assert_int_equal(live_admin_rescan_start(&fs), 1);
	fk.ret_rescan = -EINVAL;
	assert_int_equal(live_admin_rescan_start(&fs), -EINVAL);
	fk.rescan_flags = 0;
	assert_int_equal(live_admin_rescan_wait_idle(&fs, 1, NULL), 0);
	{
		static volatile sig_atomic_t stop = 1;

		fk.rescan_flags = 1;
		assert_int_equal(live_admin_rescan_wait_idle(&fs, 1, &stop), -EINTR);
	}
}

/* ---- restore ---- */

static void load_cfg(struct qgroup_model *cfg, const char *text)
{
	struct qgroup_config_error err;
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	assert_non_null(f);
	qgroup_model_init(cfg);
	assert_int_equal(qgroup_config_read(f, cfg, &err), 0);
	fclose(f);
}

static const char restore_text[] =
	"qgtop-qgroups 1\n"
	"qgroup 0/5\nqgroup 0/256\nqgroup 0/257\nqgroup 0/999\n"
	"qgroup 1/100\nqgroup 2/1\n"
	"relation 0/256 1/100\n"	/* exists */
	"relation 0/5 1/100\n"		/* to add */
	"relation 1/100 2/1\n"		/* to add, parent created */
	"relation 0/257 2/1\n"		/* stale: skipped */
	"relation 0/999 1/100\n"	/* gone: skipped */
	"limit 0/256 flags=0x2 max_rfer=0 max_excl=5242880\n"
	"limit 0/999 flags=0x1 max_rfer=1 max_excl=0\n"
	"limit 2/1 flags=0x3 max_rfer=7 max_excl=8\n"
	"end\n";

static void test_restore(void **state)
{
	struct qgroup_config_report rep;
	struct qgroup_model cfg;
	const struct call *c;

	(void)state;
	load_cfg(&cfg, restore_text);
	fk.ret_assign = 1;
	assert_int_equal(qgroup_config_restore(&fs, &cfg, 0, &rep), 0);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.assigned, 2);
	/* 1/100 loses its limit (not in the file), 0/256 and 2/1 get theirs */
	assert_int_equal(rep.limits_set, 3);
	assert_int_equal(rep.nr_skipped, 2);
	assert_int_equal(rep.skipped[0], 257);
	assert_int_equal(rep.skipped[1], 999);
	assert_true(rep.inconsistent);
	assert_true(rep.rescan_started);
	/* order: create, assigns, limits, then one rescan */
	assert_int_equal(fk.calls[0].req, BTRFS_IOC_QGROUP_CREATE);
	assert_int_equal(fk.calls[0].b, QGROUP_ID(2, 1));
	assert_int_equal(fk.calls[1].req, BTRFS_IOC_QGROUP_ASSIGN);
	assert_int_equal(fk.calls[1].b, 5);
	assert_int_equal(fk.calls[1].c, QGROUP_ID(1, 100));
	assert_int_equal(fk.calls[2].req, BTRFS_IOC_QGROUP_ASSIGN);
	assert_int_equal(fk.calls[2].b, QGROUP_ID(1, 100));
	assert_int_equal(fk.calls[2].c, QGROUP_ID(2, 1));
	assert_int_equal(count(BTRFS_IOC_QGROUP_LIMIT), 4);
	c = find_call(BTRFS_IOC_QGROUP_LIMIT, 0);	/* 0/256 excl */
	assert_int_equal(c->a, 256);
	assert_int_equal(c->b, QGROUP_LIMIT_MAX_EXCL);
	assert_int_equal(c->d, 5242880);
	c = find_call(BTRFS_IOC_QGROUP_LIMIT, 1);	/* 1/100 rfer cleared */
	assert_int_equal(c->a, QGROUP_ID(1, 100));
	assert_int_equal(c->b, QGROUP_LIMIT_MAX_RFER);
	assert_int_equal(c->c, UINT64_MAX);
	assert_int_equal(fk.calls[fk.nr_calls - 1].req, BTRFS_IOC_QUOTA_RESCAN);
	assert_int_equal(count(BTRFS_IOC_QUOTA_RESCAN), 1);
	qgroup_config_report_free(&rep);

	/* --no-rescan: inconsistent reported, nothing started */
	fk.nr_calls = 0;
	assert_int_equal(qgroup_config_restore(&fs, &cfg, QGROUP_CONFIG_NO_RESCAN, &rep), 0);
	assert_true(rep.inconsistent);
	assert_false(rep.rescan_started);
	assert_int_equal(count(BTRFS_IOC_QUOTA_RESCAN), 0);
	qgroup_config_report_free(&rep);

	/* simple quotas never rescan */
	fk.nr_calls = 0;
	fk.mode = "squota";
	assert_int_equal(qgroup_config_restore(&fs, &cfg, 0, &rep), 0);
	assert_int_equal(count(BTRFS_IOC_QUOTA_RESCAN), 0);
	qgroup_config_report_free(&rep);
	fk.mode = "qgroup";

	/* refusals change nothing */
	fk.nr_calls = 0;
	fk.rescan_flags = 1;
	assert_int_equal(qgroup_config_restore(&fs, &cfg, 0, &rep), -EINPROGRESS);
	fk.rescan_flags = 0;
	fk.mode = NULL;
	assert_int_equal(qgroup_config_restore(&fs, &cfg, 0, &rep), -ENOTCONN);
	fk.mode = "qgroup";
	fk.err_search = -EPERM;
	assert_int_equal(qgroup_config_restore(&fs, &cfg, 0, &rep), -EPERM);
	fk.err_search = 0;
	fs.read_only = true;
	assert_int_equal(qgroup_config_restore(&fs, &cfg, 0, &rep), -EROFS);
	fs.read_only = false;
	assert_int_equal(fk.nr_calls, 0);
	qgroup_config_report_free(&rep);

	/* a kernel failure is passed on */
	fk.ret_create = -EPERM;
	assert_int_equal(qgroup_config_restore(&fs, &cfg, 0, &rep), -EPERM);
	qgroup_config_report_free(&rep);
	qgroup_model_free(&cfg);
}

static void test_restore_nothing_to_do(void **state)
{
	struct qgroup_config_report rep;
	struct qgroup_model cfg;

	(void)state;
	/* exactly what the fake holds: restoring issues no ioctl at all */
	load_cfg(&cfg, "qgtop-qgroups 1\nqgroup 0/5\nqgroup 0/256\nqgroup 1/100\n"
		 "relation 0/256 1/100\nlimit 1/100 flags=0x1 max_rfer=104857600 max_excl=0\n"
		 "end\n");
	assert_int_equal(qgroup_config_restore(&fs, &cfg, 0, &rep), 0);
	assert_int_equal(rep.created + rep.assigned + rep.limits_set, 0);
	assert_false(rep.inconsistent);
	assert_int_equal(fk.nr_calls, 0);
	qgroup_config_report_free(&rep);
	qgroup_model_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_enable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_saves_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_default_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_destroy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rescan_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_nothing_to_do, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
