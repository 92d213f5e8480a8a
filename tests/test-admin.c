// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-admin.c - every error path of live-admin and of the configuration
 * restore, with the system replaced by the shared fake (fake-btrfs.h): a
 * filesystem with qgroups 0/5, 0/256 (subvolume "a"), 0/257 (stale: no root item),
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
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <cmocka.h>

#include "cli/cli.h"
#include "fake-btrfs.h"
#include "live-admin.h"
#include "live-rescan.h"
#include "qgroup-config.h"
#include "qgroup-restore.h"

/* QUOTA_CTL finds this file complete (the save comes before the disable) */
static const char *must_exist;
static bool file_ok_at_ctl;

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

/* the whole (small) file @path, in a static buffer */
static const char *file_text(const char *path)
{
	static char buf[16384];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

static void look_at_ctl(unsigned long req, void *arg)
{
	(void)arg;
	if (req == BTRFS_IOC_QUOTA_CTL && must_exist)
		file_ok_at_ctl = file_complete(must_exist);
}

static struct live_fs fs;
static char tmpdir[PATH_MAX];

static int setup(void **state)
{
	(void)state;
	fake_btrfs_start();
	fake_btrfs_add_item(8, 0, BTRFS_QGROUP_STATUS_KEY, 0, FAKE_BTRFS_WORDS(1, 10, 1, 0));
	fake_btrfs_add_item(8, 0, BTRFS_QGROUP_INFO_KEY, 5,
			    FAKE_BTRFS_WORDS(10, 16384, 16384, 16384, 16384));
	fake_btrfs_add_item(8, 0, BTRFS_QGROUP_INFO_KEY, 256,
			    FAKE_BTRFS_WORDS(10, 1 << 20, 1 << 20, 4096, 4096));
	fake_btrfs_add_item(8, 0, BTRFS_QGROUP_INFO_KEY, 257, FAKE_BTRFS_WORDS(10, 0, 0, 0, 0));
	fake_btrfs_add_item(8, 0, BTRFS_QGROUP_INFO_KEY, QGROUP_ID(1, 100),
			    FAKE_BTRFS_WORDS(10, 1 << 20, 1 << 20, 1 << 20, 1 << 20));
	fake_btrfs_add_item(8, 0, BTRFS_QGROUP_LIMIT_KEY, QGROUP_ID(1, 100),
			    FAKE_BTRFS_WORDS(1, 100 << 20, 0, 0, 0));
	fake_btrfs_add_relation(256, QGROUP_ID(1, 100));
	/* 257 has no root item: stale */
	fake_btrfs_add_item(1, 256, BTRFS_ROOT_ITEM_KEY, 0, FAKE_BTRFS_WORDS(0));
	fake_btrfs_subvol(256, "a");
	fake_btrfs.on_ioctl = look_at_ctl;
	must_exist = NULL;
	file_ok_at_ctl = false;
	fs = fake_btrfs_fs();
	/* below the build directory: the save must be on a durable disk */
	assert_non_null(getcwd(tmpdir, sizeof(tmpdir) - 32));
	strcat(tmpdir, "/test-admin.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	unsetenv(LIVE_ADMIN_SAVE_DIR_ENV);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 32];

	(void)state;
	/* every descriptor the code under test opened, it closed */
	assert_int_equal(fake_btrfs.open_fds, 0);
	fake_btrfs_stop();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* ---- quota enable ---- */

static void test_enable(void **state)
{
	(void)state;
	fake_btrfs.mode = NULL;
	assert_int_equal(live_admin_quota_enable(&fs, false), 0);
	assert_int_equal(fake_btrfs_call(BTRFS_IOC_QUOTA_CTL, 0)->a, BTRFS_QUOTA_CTL_ENABLE);
	assert_int_equal(live_admin_quota_enable(&fs, true), 0);
	assert_int_equal(fake_btrfs_call(BTRFS_IOC_QUOTA_CTL, 1)->a, 4);
	fake_btrfs.ret[FAKE_BTRFS_QUOTA_CTL] = -EROFS;
	assert_int_equal(live_admin_quota_enable(&fs, false), -EROFS);
	fake_btrfs.ret[FAKE_BTRFS_QUOTA_CTL] = -EPERM;
	assert_int_equal(live_admin_quota_enable(&fs, true), -EPERM);
	fake_btrfs.ret[FAKE_BTRFS_QUOTA_CTL] = 0;
	/* already on: nothing issued */
	fake_btrfs_log_clear();
	fake_btrfs.mode = "qgroup";
	assert_int_equal(live_admin_quota_enable(&fs, false), 1);
	assert_int_equal(live_admin_quota_enable(&fs, true), -EEXIST);
	fake_btrfs.mode = "squota";
	assert_int_equal(live_admin_quota_enable(&fs, true), 1);
	assert_int_equal(live_admin_quota_enable(&fs, false), -EEXIST);
	fs.read_only = true;
	fake_btrfs.mode = NULL;
	assert_int_equal(live_admin_quota_enable(&fs, false), -EROFS);
	assert_int_equal(fake_btrfs.nr_log, 0);
}

/* ---- quota disable ---- */

static void test_disable_saves_first(void **state)
{
	struct qgroup_model m;
	struct qgroup_config_error err;
	struct live_admin_saved saved;
	char path[PATH_MAX + 32];
	struct qgroup *q;

	(void)state;
	snprintf(path, sizeof(path), "%s/conf.qgroups", tmpdir);
	must_exist = path;
	/* 0/256 has a MAX_EXCL limit too */
	fake_btrfs_add_item(8, 0, BTRFS_QGROUP_LIMIT_KEY, 256,
			    FAKE_BTRFS_WORDS(2, 0, 5 << 20, 0, 0));
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), 0);
	assert_string_equal(saved.path, path);
	assert_int_equal(saved.save_err, 0);
	assert_false(saved.fallback);
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QUOTA_CTL), 1);
	assert_int_equal(fake_btrfs_call(BTRFS_IOC_QUOTA_CTL, 0)->a, BTRFS_QUOTA_CTL_DISABLE);
	assert_true(file_ok_at_ctl);
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
	live_admin_saved_free(&saved);
}

static void test_disable_default_dir(void **state)
{
	struct live_admin_saved saved, saved2;
	char dir[PATH_MAX + 32];
	struct stat st;
	size_t n;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/state/deeper", tmpdir);
	setenv(LIVE_ADMIN_SAVE_DIR_ENV, dir, 1);
	assert_int_equal(live_admin_quota_disable(&fs, NULL, &saved), 0);
	assert_non_null(saved.path);
	n = strlen(dir);
	assert_memory_equal(saved.path, dir, n);
	assert_memory_equal(saved.path + n + 1, fs.uuid, 36);
	assert_string_equal(saved.path + strlen(saved.path) - 8, ".qgroups");
	assert_true(file_complete(saved.path));
	assert_false(saved.fallback);
	/* created private */
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(saved.path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* a second save in the same second does not replace the first */
	assert_int_equal(live_admin_quota_disable(&fs, NULL, &saved2), 0);
	assert_string_not_equal(saved.path, saved2.path);
	assert_true(file_complete(saved.path));
	assert_true(file_complete(saved2.path));
	live_admin_saved_free(&saved);
	live_admin_saved_free(&saved2);
	/* an explicit directory that cannot be created: no fallback, no change */
	fake_btrfs_log_clear();
	setenv(LIVE_ADMIN_SAVE_DIR_ENV, "/proc/qgtop-cannot", 1);
	assert_true(live_admin_quota_disable(&fs, NULL, &saved) < 0);
	assert_true(saved.save_err < 0);
	assert_null(saved.path);
	assert_non_null(strstr(saved.why, "/proc/qgtop-cannot"));
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QUOTA_CTL), 0);
	unsetenv(LIVE_ADMIN_SAVE_DIR_ENV);
}

/* a place others can write to, or that is gone at reboot, is no place */
static void test_disable_not_private(void **state)
{
	struct live_admin_saved saved;
	char dir[PATH_MAX + 32], path[PATH_MAX + 64];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/shared", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/conf.qgroups", dir);
	/* --save into it */
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), -EACCES);
	assert_int_equal(saved.save_err, -EACCES);
	assert_null(saved.path);
	assert_non_null(strstr(saved.why, dir));
	assert_non_null(strstr(saved.why, "writable by group or others"));
	assert_int_equal(access(path, F_OK), -1);
	/* $QGTOP_SAVE_DIR below it: the shared directory is on the way */
	snprintf(path, sizeof(path), "%s/sub", dir);
	setenv(LIVE_ADMIN_SAVE_DIR_ENV, path, 1);
	assert_int_equal(live_admin_quota_disable(&fs, NULL, &saved), -EACCES);
	assert_non_null(strstr(saved.why, dir));
	assert_int_equal(access(path, F_OK), -1);
	unsetenv(LIVE_ADMIN_SAVE_DIR_ENV);
	/* a sticky shared directory on the way is fine, as /tmp is */
	assert_int_equal(chmod(dir, 01777), 0);
	setenv(LIVE_ADMIN_SAVE_DIR_ENV, path, 1);
	assert_int_equal(live_admin_quota_disable(&fs, NULL, &saved), 0);
	assert_non_null(saved.path);
	live_admin_saved_free(&saved);
	unsetenv(LIVE_ADMIN_SAVE_DIR_ENV);
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QUOTA_CTL), 1);
}

static void test_disable_refused(void **state)
{
	struct live_admin_saved saved;
	char path[PATH_MAX + 32];

	(void)state;
	/* the save fails: quota stays enabled */
	snprintf(path, sizeof(path), "%s/missing/conf.qgroups", tmpdir);
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), -ENOENT);
	assert_null(saved.path);
	assert_int_equal(saved.save_err, -ENOENT);
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QUOTA_CTL), 0);
	/* without the quota tree the save would lack relations */
	snprintf(path, sizeof(path), "%s/conf.qgroups", tmpdir);
	fake_btrfs.ret[FAKE_BTRFS_TREE_SEARCH] = -EPERM;
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), -EPERM);
	assert_null(saved.path);
	assert_int_equal(saved.save_err, 0);
	assert_int_equal(access(path, F_OK), -1);
	fake_btrfs.ret[FAKE_BTRFS_TREE_SEARCH] = 0;
	/* quota already off */
	fake_btrfs.mode = NULL;
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), -ENOTCONN);
	assert_int_equal(access(path, F_OK), -1);
	fake_btrfs.mode = "qgroup";
	/* read-only mount */
	fs.read_only = true;
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), -EROFS);
	assert_int_equal(saved.save_err, 0);
	fs.read_only = false;
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QUOTA_CTL), 0);
	assert_int_equal(access(path, F_OK), -1);
	/* the kernel refuses the disable itself: the save is reported */
	fake_btrfs.ret[FAKE_BTRFS_QUOTA_CTL] = -EPERM;
	assert_int_equal(live_admin_quota_disable(&fs, path, &saved), -EPERM);
	assert_non_null(saved.path);
	assert_int_equal(saved.save_err, 0);
	assert_true(file_complete(saved.path));
	live_admin_saved_free(&saved);
}

/* ---- create / destroy ---- */

static void test_create_destroy(void **state)
{
	(void)state;
	assert_int_equal(live_admin_qgroup_create(&fs, QGROUP_ID(1, 7)), 0);
	assert_int_equal(fake_btrfs_call(BTRFS_IOC_QGROUP_CREATE, 0)->a, 1);
	assert_int_equal(fake_btrfs_call(BTRFS_IOC_QGROUP_CREATE, 0)->b, QGROUP_ID(1, 7));
	assert_int_equal(live_admin_qgroup_destroy(&fs, QGROUP_ID(1, 7)), 0);
	assert_int_equal(fake_btrfs_call(BTRFS_IOC_QGROUP_CREATE, 1)->a, 0);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_CREATE] = -EEXIST;
	assert_int_equal(live_admin_qgroup_create(&fs, QGROUP_ID(1, 7)), -EEXIST);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_DESTROY] = -EBUSY;
	assert_int_equal(live_admin_qgroup_destroy(&fs, QGROUP_ID(1, 7)), -EBUSY);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_DESTROY] = -ENOENT;
	assert_int_equal(live_admin_qgroup_destroy(&fs, QGROUP_ID(1, 7)), -ENOENT);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_CREATE] = -EPERM;
	assert_int_equal(live_admin_qgroup_create(&fs, QGROUP_ID(1, 7)), -EPERM);
	/* state checks come before any ioctl */
	fake_btrfs_log_clear();
	fake_btrfs.mode = NULL;
	assert_int_equal(live_admin_qgroup_create(&fs, QGROUP_ID(1, 7)), -ENOTCONN);
	assert_int_equal(live_admin_qgroup_destroy(&fs, QGROUP_ID(1, 7)), -ENOTCONN);
	fake_btrfs.mode = "qgroup";
	fs.read_only = true;
	assert_int_equal(live_admin_qgroup_create(&fs, QGROUP_ID(1, 7)), -EROFS);
	assert_int_equal(fake_btrfs.nr_log, 0);
}

/* ---- assign / remove ---- */

static void test_assign(void **state)
{
	bool inc = true;
	const struct fake_btrfs_call *c;

	(void)state;
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), true, 0, &inc), 0);
	assert_false(inc);
	c = fake_btrfs_call(BTRFS_IOC_QGROUP_ASSIGN, 0);
	assert_int_equal(c->a, 1);
	assert_int_equal(c->b, 256);
	assert_int_equal(c->c, QGROUP_ID(1, 1));
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_ASSIGN] = 1;
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), false, 0, &inc), 0);
	assert_true(inc);
	assert_int_equal(fake_btrfs_call(BTRFS_IOC_QGROUP_ASSIGN, 1)->a, 0);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_ASSIGN] = -EINVAL;
	assert_int_equal(live_admin_qgroup_assign(&fs, 999, QGROUP_ID(1, 1), true, 0, &inc),
			 -EINVAL);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_ASSIGN] = -ENOENT;
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), false, 0, &inc),
			 -ENOENT);
	/* refused before any ioctl */
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_ASSIGN] = 0;
	fake_btrfs_log_clear();
	assert_int_equal(live_admin_qgroup_assign(&fs, QGROUP_ID(1, 1), QGROUP_ID(1, 2), true, 0,
						  &inc), -EINVAL);
	assert_int_equal(live_admin_qgroup_assign(&fs, QGROUP_ID(2, 1), QGROUP_ID(1, 2), true, 0,
						  &inc), -EINVAL);
	fake_btrfs.rescan_flags = 1;
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), true, 0, &inc),
			 -EINPROGRESS);
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), false, 0, &inc),
			 -EINPROGRESS);
	fake_btrfs.mode = NULL;	/* a rescan flag left after disable is not a rescan */
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), true, 0, &inc),
			 -ENOTCONN);
	fake_btrfs.mode = "qgroup";
	fs.read_only = true;
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), true,
						  LIVE_ADMIN_FORCE, &inc), -EROFS);
	fs.read_only = false;
	assert_int_equal(fake_btrfs.nr_log, 0);
	/* forced during a rescan: done, and the numbers count as wrong even
	 * when the kernel returned 0 */
	assert_int_equal(live_admin_qgroup_assign(&fs, 256, QGROUP_ID(1, 1), true,
						  LIVE_ADMIN_FORCE, &inc), 0);
	assert_true(inc);
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QGROUP_ASSIGN), 1);
}

/* ---- limit ---- */

static void test_limit(void **state)
{
	const struct fake_btrfs_call *c;

	(void)state;
	assert_int_equal(live_admin_qgroup_limit(&fs, 256, QGROUP_LIMIT_MAX_RFER, 1 << 20), 0);
	c = fake_btrfs_call(BTRFS_IOC_QGROUP_LIMIT, 0);
	assert_int_equal(c->a, 256);
	assert_int_equal(c->b, QGROUP_LIMIT_MAX_RFER);
	assert_int_equal(c->c, 1 << 20);
	assert_int_equal(c->d, 0);
	assert_int_equal(live_admin_qgroup_limit(&fs, 256, QGROUP_LIMIT_MAX_EXCL, UINT64_MAX), 0);
	c = fake_btrfs_call(BTRFS_IOC_QGROUP_LIMIT, 1);
	assert_int_equal(c->b, QGROUP_LIMIT_MAX_EXCL);
	assert_int_equal(c->c, 0);
	assert_int_equal(c->d, UINT64_MAX);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_LIMIT] = -ENOENT;
	assert_int_equal(live_admin_qgroup_limit(&fs, 999, QGROUP_LIMIT_MAX_RFER, 1), -ENOENT);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_LIMIT] = 0;
	fake_btrfs_log_clear();
	assert_int_equal(live_admin_qgroup_limit(&fs, 256, 0, 1), -EINVAL);
	assert_int_equal(live_admin_qgroup_limit(&fs, 256, 4, 1), -EINVAL);
	fake_btrfs.mode = NULL;
	assert_int_equal(live_admin_qgroup_limit(&fs, 256, QGROUP_LIMIT_MAX_RFER, 1), -ENOTCONN);
	assert_int_equal(fake_btrfs.nr_log, 0);
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
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QGROUP_CREATE), 1);
	assert_int_equal(fake_btrfs_call(BTRFS_IOC_QGROUP_CREATE, 0)->a, 0);
	assert_int_equal(fake_btrfs_call(BTRFS_IOC_QGROUP_CREATE, 0)->b, 257);
	free(list);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_DESTROY] = -EBUSY;
	assert_int_equal(live_admin_clear_stale(&fs, &list, &nr), 0);
	assert_int_equal(nr, 1);
	assert_int_equal(list[0].err, -EBUSY);
	free(list);
	/* removed by the kernel meanwhile: not listed */
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_DESTROY] = -ENOENT;
	assert_int_equal(live_admin_clear_stale(&fs, &list, &nr), 0);
	assert_int_equal(nr, 0);
	free(list);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_DESTROY] = -EPERM;
	assert_int_equal(live_admin_clear_stale(&fs, &list, &nr), -EPERM);
	assert_null(list);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_DESTROY] = 0;
	fake_btrfs_log_clear();
	fake_btrfs.ret[FAKE_BTRFS_TREE_SEARCH] = -EPERM;
	assert_int_equal(live_admin_clear_stale(&fs, &list, &nr), -EPERM);
	fake_btrfs.ret[FAKE_BTRFS_TREE_SEARCH] = 0;
	fake_btrfs.mode = NULL;
	assert_int_equal(live_admin_clear_stale(&fs, &list, &nr), -ENOTCONN);
	assert_int_equal(fake_btrfs.nr_log, 0);
}

/* the one rescan start (live-rescan.c, tested in test-rescan) and the wait
 * for the end of a running one */
static void test_rescan_wait_idle(void **state)
{
	(void)state;
	assert_int_equal(live_rescan_start(&fs), 0);
	fake_btrfs.ret[FAKE_BTRFS_RESCAN] = -EINPROGRESS;
	assert_int_equal(live_rescan_start(&fs), -EINPROGRESS);
	fake_btrfs.ret[FAKE_BTRFS_RESCAN] = 0;
	fake_btrfs.rescan_flags = 0;
	assert_int_equal(live_admin_rescan_wait_idle(&fs, 1, NULL), 0);
	{
		static volatile sig_atomic_t stop = 1;

		fake_btrfs.rescan_flags = 1;
		assert_int_equal(live_admin_rescan_wait_idle(&fs, 1, &stop), -EINTR);
	}
}

/* ---- drop_subtree_threshold: a sysfs write ---- */

static void test_drop_threshold(void **state)
{
	(void)state;
	fake_btrfs_sysfs("qgroups/drop_subtree_threshold", "3");
	assert_int_equal(live_admin_set_drop_threshold(&fs, 5), 0);
	assert_int_equal(fake_btrfs.nr_writes, 1);
	assert_string_equal(fake_btrfs.writes[0].rel, "qgroups/drop_subtree_threshold");
	assert_string_equal(fake_btrfs.writes[0].text, "5");
	/* a kernel setting: a read-only mount takes it too */
	fs.read_only = true;
	assert_int_equal(live_admin_set_drop_threshold(&fs, 0), 0);
	assert_string_equal(fake_btrfs.writes[1].text, "0");
	fs.read_only = false;
	fake_btrfs.ret[FAKE_BTRFS_WRITE_TEXT] = -EACCES;
	assert_int_equal(live_admin_set_drop_threshold(&fs, 2), -EACCES);
	fake_btrfs.ret[FAKE_BTRFS_WRITE_TEXT] = 0;
	/* refused before any write */
	fake_btrfs.nr_writes = 0;
	assert_int_equal(live_admin_set_drop_threshold(&fs, LIVE_ADMIN_MAX_DROP_THRESHOLD + 1),
			 -EINVAL);
	fake_btrfs.mode = NULL;
	assert_int_equal(live_admin_set_drop_threshold(&fs, 1), -ENOTCONN);
	assert_int_equal(fake_btrfs.nr_writes, 0);
	assert_int_equal(fake_btrfs.nr_log, 0);
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
	struct qgroup_restore_report rep;
	struct qgroup_model cfg;
	const struct fake_btrfs_call *c;

	(void)state;
	load_cfg(&cfg, restore_text);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_ASSIGN] = 1;
	assert_int_equal(qgroup_restore(&fs, &cfg, 0, &rep), 0);
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
	assert_int_equal(fake_btrfs.log[0].req, BTRFS_IOC_QGROUP_CREATE);
	assert_int_equal(fake_btrfs.log[0].b, QGROUP_ID(2, 1));
	assert_int_equal(fake_btrfs.log[1].req, BTRFS_IOC_QGROUP_ASSIGN);
	assert_int_equal(fake_btrfs.log[1].b, 5);
	assert_int_equal(fake_btrfs.log[1].c, QGROUP_ID(1, 100));
	assert_int_equal(fake_btrfs.log[2].req, BTRFS_IOC_QGROUP_ASSIGN);
	assert_int_equal(fake_btrfs.log[2].b, QGROUP_ID(1, 100));
	assert_int_equal(fake_btrfs.log[2].c, QGROUP_ID(2, 1));
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QGROUP_LIMIT), 4);
	c = fake_btrfs_call(BTRFS_IOC_QGROUP_LIMIT, 0);	/* 0/256 excl */
	assert_int_equal(c->a, 256);
	assert_int_equal(c->b, QGROUP_LIMIT_MAX_EXCL);
	assert_int_equal(c->d, 5242880);
	c = fake_btrfs_call(BTRFS_IOC_QGROUP_LIMIT, 1);	/* 1/100 rfer cleared */
	assert_int_equal(c->a, QGROUP_ID(1, 100));
	assert_int_equal(c->b, QGROUP_LIMIT_MAX_RFER);
	assert_int_equal(c->c, UINT64_MAX);
	assert_int_equal(fake_btrfs.log[fake_btrfs.nr_log - 1].req, BTRFS_IOC_QUOTA_RESCAN);
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QUOTA_RESCAN), 1);
	qgroup_restore_report_free(&rep);

	/* --no-rescan: inconsistent reported, nothing started */
	fake_btrfs_log_clear();
	assert_int_equal(qgroup_restore(&fs, &cfg, QGROUP_RESTORE_NO_RESCAN, &rep), 0);
	assert_true(rep.inconsistent);
	assert_false(rep.rescan_started);
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QUOTA_RESCAN), 0);
	qgroup_restore_report_free(&rep);

	/* simple quotas never rescan */
	fake_btrfs_log_clear();
	fake_btrfs.mode = "squota";
	assert_int_equal(qgroup_restore(&fs, &cfg, 0, &rep), 0);
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QUOTA_RESCAN), 0);
	qgroup_restore_report_free(&rep);
	fake_btrfs.mode = "qgroup";

	/* refusals change nothing */
	fake_btrfs_log_clear();
	fake_btrfs.rescan_flags = 1;
	assert_int_equal(qgroup_restore(&fs, &cfg, 0, &rep), -EINPROGRESS);
	fake_btrfs.rescan_flags = 0;
	fake_btrfs.mode = NULL;
	assert_int_equal(qgroup_restore(&fs, &cfg, 0, &rep), -ENOTCONN);
	fake_btrfs.mode = "qgroup";
	fake_btrfs.ret[FAKE_BTRFS_TREE_SEARCH] = -EPERM;
	assert_int_equal(qgroup_restore(&fs, &cfg, 0, &rep), -EPERM);
	fake_btrfs.ret[FAKE_BTRFS_TREE_SEARCH] = 0;
	fs.read_only = true;
	assert_int_equal(qgroup_restore(&fs, &cfg, 0, &rep), -EROFS);
	fs.read_only = false;
	assert_int_equal(fake_btrfs.nr_log, 0);
	qgroup_restore_report_free(&rep);

	/* a failure every later change would hit too stops there */
	fake_btrfs_log_clear();
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_CREATE] = -EPERM;
	assert_int_equal(qgroup_restore(&fs, &cfg, 0, &rep), 1);
	assert_true(rep.stopped);
	assert_int_equal(rep.nr_failed, 1);
	assert_int_equal(rep.failed[0].step, QGROUP_RESTORE_CREATE);
	assert_int_equal(rep.failed[0].err, -EPERM);
	assert_int_equal(fake_btrfs.nr_log, 1);
	qgroup_restore_report_free(&rep);
	qgroup_model_free(&cfg);
}

/* ---- partial restore: one failing change, the rest done ---- */

static const char partial_text[] =
	"qgtop-qgroups 1\n"
	"qgroup 0/5\nqgroup 0/256\nqgroup 1/100\nqgroup 2/1\nqgroup 2/2\n"
	"relation 0/5 1/100\n"		/* to add */
	"relation 0/256 1/100\n"	/* exists */
	"relation 1/100 2/1\n"		/* needs 2/1 */
	"relation 1/100 2/2\n"		/* needs 2/2 */
	"limit 0/256 flags=0x2 max_rfer=0 max_excl=4096\n"
	"limit 1/100 flags=0x1 max_rfer=104857600 max_excl=0\n"	/* as is */
	"limit 2/1 flags=0x3 max_rfer=7 max_excl=8\n"
	"limit 2/2 flags=0x1 max_rfer=9 max_excl=0\n"
	"end\n";

static void test_restore_partial(void **state)
{
	struct qgroup_restore_report rep;
	struct qgroup_model cfg;

	(void)state;
	load_cfg(&cfg, partial_text);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_ASSIGN] = 1;

	/* creating 2/1 fails: 2/2, both assigns that do not need 2/1 and
	 * every other limit are done; 2/1's relation and limits not tried */
	fake_btrfs.faults[0] = (struct fake_btrfs_fault){
		.kind = FAKE_BTRFS_QGROUP_CREATE, .id = QGROUP_ID(2, 1), .err = -EDQUOT };
	assert_int_equal(qgroup_restore(&fs, &cfg, 0, &rep), 1);
	assert_false(rep.stopped);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.assigned, 2);
	assert_int_equal(rep.limits_set, 2);	/* 0/256 and 2/2 */
	assert_non_null(fake_btrfs_find(BTRFS_IOC_QGROUP_CREATE, QGROUP_ID(2, 2), 0));
	assert_non_null(fake_btrfs_find(BTRFS_IOC_QGROUP_ASSIGN, 5, QGROUP_ID(1, 100)));
	assert_non_null(fake_btrfs_find(BTRFS_IOC_QGROUP_ASSIGN, QGROUP_ID(1, 100),
					QGROUP_ID(2, 2)));
	assert_null(fake_btrfs_find(BTRFS_IOC_QGROUP_ASSIGN, QGROUP_ID(1, 100), QGROUP_ID(2, 1)));
	assert_null(fake_btrfs_find(BTRFS_IOC_QGROUP_LIMIT, QGROUP_ID(2, 1), 0));
	assert_non_null(fake_btrfs_find(BTRFS_IOC_QGROUP_LIMIT, 256, QGROUP_LIMIT_MAX_EXCL));
	assert_non_null(fake_btrfs_find(BTRFS_IOC_QGROUP_LIMIT, QGROUP_ID(2, 2),
					QGROUP_LIMIT_MAX_RFER));
	assert_int_equal(rep.nr_failed, 4);
	assert_int_equal(rep.failed[0].step, QGROUP_RESTORE_CREATE);
	assert_int_equal(rep.failed[0].id, QGROUP_ID(2, 1));
	assert_int_equal(rep.failed[0].err, -EDQUOT);
	assert_int_equal(rep.failed[1].step, QGROUP_RESTORE_ASSIGN);
	assert_int_equal(rep.failed[1].parent, QGROUP_ID(2, 1));
	assert_int_equal(rep.failed[1].needs, QGROUP_ID(2, 1));
	assert_int_equal(rep.failed[1].err, 0);
	assert_int_equal(rep.failed[2].step, QGROUP_RESTORE_LIMIT);
	assert_int_equal(rep.failed[2].which, QGROUP_LIMIT_MAX_RFER);
	assert_int_equal(rep.failed[3].which, QGROUP_LIMIT_MAX_EXCL);
	assert_int_equal(rep.failed[3].needs, QGROUP_ID(2, 1));
	/* the assigns that ran made the numbers inconsistent: one rescan */
	assert_true(rep.inconsistent);
	assert_true(rep.rescan_started);
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QUOTA_RESCAN), 1);
	assert_int_equal(fake_btrfs.log[fake_btrfs.nr_log - 1].req, BTRFS_IOC_QUOTA_RESCAN);
	qgroup_restore_report_free(&rep);

	/* one assign fails: the other assign and all limits are done */
	fake_btrfs_log_clear();
	fake_btrfs.faults[0] = (struct fake_btrfs_fault){
		.kind = FAKE_BTRFS_QGROUP_ASSIGN, .id = 5, .parent = QGROUP_ID(1, 100),
		.err = -ENOENT };
	assert_int_equal(qgroup_restore(&fs, &cfg, QGROUP_RESTORE_NO_RESCAN, &rep), 1);
	assert_int_equal(rep.created, 2);
	assert_int_equal(rep.assigned, 2);
	assert_int_equal(rep.limits_set, 3);
	assert_int_equal(rep.nr_failed, 1);
	assert_int_equal(rep.failed[0].step, QGROUP_RESTORE_ASSIGN);
	assert_int_equal(rep.failed[0].id, 5);
	assert_int_equal(rep.failed[0].err, -ENOENT);
	assert_true(rep.inconsistent);
	assert_false(rep.rescan_started);
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QUOTA_RESCAN), 0);
	qgroup_restore_report_free(&rep);

	/* one limit fails: everything else is done */
	fake_btrfs_log_clear();
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_ASSIGN] = 0;
	fake_btrfs.faults[0] = (struct fake_btrfs_fault){
		.kind = FAKE_BTRFS_QGROUP_LIMIT, .id = 256, .err = -EINVAL };
	assert_int_equal(qgroup_restore(&fs, &cfg, 0, &rep), 1);
	assert_int_equal(rep.created, 2);
	assert_int_equal(rep.assigned, 3);
	assert_int_equal(rep.limits_set, 2);
	assert_int_equal(rep.nr_failed, 1);
	assert_int_equal(rep.failed[0].step, QGROUP_RESTORE_LIMIT);
	assert_int_equal(rep.failed[0].id, 256);
	assert_int_equal(rep.failed[0].which, QGROUP_LIMIT_MAX_EXCL);
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QGROUP_LIMIT), 4);
	/* the kernel kept the numbers right (0): no rescan needed */
	assert_false(rep.inconsistent);
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QUOTA_RESCAN), 0);
	qgroup_restore_report_free(&rep);

	/* the rescan the assigns need cannot start: listed too */
	fake_btrfs_log_clear();
	fake_btrfs.faults[0].kind = FAKE_BTRFS_NONE;
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_ASSIGN] = 1;
	fake_btrfs.ret[FAKE_BTRFS_RESCAN] = -ENOSPC;
	assert_int_equal(qgroup_restore(&fs, &cfg, 0, &rep), 1);
	assert_int_equal(rep.nr_failed, 1);
	assert_int_equal(rep.failed[0].step, QGROUP_RESTORE_RESCAN);
	assert_int_equal(rep.failed[0].err, -ENOSPC);
	assert_false(rep.rescan_started);
	qgroup_restore_report_free(&rep);

	/* everything works: 0 */
	fake_btrfs_log_clear();
	fake_btrfs.ret[FAKE_BTRFS_RESCAN] = 0;
	assert_int_equal(qgroup_restore(&fs, &cfg, 0, &rep), 0);
	assert_int_equal(rep.nr_failed, 0);
	qgroup_restore_report_free(&rep);
	qgroup_model_free(&cfg);
}

static void test_restore_nothing_to_do(void **state)
{
	struct qgroup_restore_report rep;
	struct qgroup_model cfg;

	(void)state;
	/* exactly what the fake holds: restoring issues no ioctl at all */
	load_cfg(&cfg, "qgtop-qgroups 1\nqgroup 0/5\nqgroup 0/256\nqgroup 1/100\n"
		 "relation 0/256 1/100\nlimit 1/100 flags=0x1 max_rfer=104857600 max_excl=0\n"
		 "end\n");
	assert_int_equal(qgroup_restore(&fs, &cfg, 0, &rep), 0);
	assert_int_equal(rep.created + rep.assigned + rep.limits_set, 0);
	assert_false(rep.inconsistent);
	assert_int_equal(fake_btrfs.nr_log, 0);
	qgroup_restore_report_free(&rep);
	qgroup_model_free(&cfg);
}

/* ---- the restore command's report, through the same fake ---- */

/* run `qgtop restore ARGS` with stdout and stderr in files; returns the exit code */
static int run_restore(const char *file, bool no_rescan, char **out, char **err)
{
	char po[PATH_MAX + 32], pe[PATH_MAX + 32], *argv[5];
	int argc = 0, rc, so, se, fo, fe;

	snprintf(po, sizeof(po), "%s/out", tmpdir);
	snprintf(pe, sizeof(pe), "%s/err", tmpdir);
	argv[argc++] = (char *)"restore";
	if (no_rescan)
		argv[argc++] = (char *)"--no-rescan";
	argv[argc++] = (char *)file;
	argv[argc++] = (char *)"/mnt";
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(so >= 0 && se >= 0 && fo >= 0 && fe >= 0);
	dup2(fo, 1);
	dup2(fe, 2);
	optind = 0;
	rc = cli_restore_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	close(fo);
	close(fe);
	*out = strdup(file_text(po));
	*err = strdup(file_text(pe));
	return rc;
}

static void test_restore_cli_report(void **state)
{
	char path[PATH_MAX + 32], *out, *err;
	struct stat before, after;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/partial.qgroups", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(partial_text, f);
	fclose(f);
	assert_int_equal(stat(path, &before), 0);
	fake_btrfs.ret[FAKE_BTRFS_QGROUP_ASSIGN] = 1;
	fake_btrfs.faults[0] = (struct fake_btrfs_fault){
		.kind = FAKE_BTRFS_QGROUP_CREATE, .id = QGROUP_ID(2, 1), .err = -EDQUOT };
	/* exit 5; stdout says what was done, stderr each failure and why */
	assert_int_equal(run_restore(path, false, &out, &err), CLI_EXIT_FAIL);
	print_message("stdout:\n%sstderr:\n%s", out, err);
	assert_non_null(strstr(out, "in part: created 1 qgroups, added 2 relations, "
				    "changed the limits of 2 qgroups"));
	assert_non_null(strstr(out, "quota data changed, rescan started on /mnt"));
	assert_non_null(strstr(err, "qgtop: cannot create qgroup 2/1: Disk quota exceeded\n"));
	assert_non_null(strstr(err, "qgtop: did not assign 1/100 to 2/1: qgroup 2/1 could not "
				    "be created\n"));
	assert_non_null(strstr(err, "did not set the referenced limit of 2/1"));
	assert_non_null(strstr(err, "did not set the exclusive limit of 2/1"));
	assert_non_null(strstr(err, "restore of "));
	assert_non_null(strstr(err, "incomplete: 4 changes failed or were not tried"));
	free(out);
	free(err);
	/* --no-rescan: says the numbers are inconsistent, starts nothing */
	fake_btrfs_log_clear();
	assert_int_equal(run_restore(path, true, &out, &err), CLI_EXIT_FAIL);
	assert_non_null(strstr(out, "the qgroup numbers are now inconsistent; run 'qgtop "
				    "rescan /mnt'"));
	assert_int_equal(fake_btrfs_count(BTRFS_IOC_QUOTA_RESCAN), 0);
	free(out);
	free(err);
	/* a permission failure stops at once and says so */
	fake_btrfs.faults[0].err = -EPERM;
	assert_int_equal(run_restore(path, false, &out, &err), CLI_EXIT_FAIL);
	assert_non_null(strstr(err, "cannot create qgroup 2/1: permission denied"));
	assert_non_null(strstr(err, "stopped there"));
	free(out);
	free(err);
	/* the file is never changed */
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_size, after.st_size);
	assert_int_equal(before.st_mtime, after.st_mtime);
	assert_string_equal(file_text(path), partial_text);
	/* all well: exit 0, one summary line */
	fake_btrfs.faults[0].kind = FAKE_BTRFS_NONE;
	assert_int_equal(run_restore(path, false, &out, &err), CLI_EXIT_OK);
	assert_non_null(strstr(out, "restored "));
	assert_null(strstr(out, "in part"));
	assert_string_equal(err, "");
	free(out);
	free(err);
	/* a device is refused at once, with one line */
	assert_int_equal(run_restore("/dev/zero", false, &out, &err), CLI_EXIT_USAGE);
	assert_string_equal(err, "qgtop: cannot read /dev/zero: not a regular file or a pipe\n");
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_enable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_saves_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_default_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_not_private, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_destroy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rescan_wait_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_threshold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_nothing_to_do, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_partial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_cli_report, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
