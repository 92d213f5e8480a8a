// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-live.c - the live backend (live-fs, live-quota) through the shared
 * fake (fake-btrfs.h): the quota tree served from a table of items, and
 * every error the kernel returns injected where it can happen.
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
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <linux/magic.h>
#include <cmocka.h>

#include "fake-btrfs.h"
#include "live-fs.h"
#include "live-quota.h"

static int setup(void **state)
{
	const uint64_t g1 = (1ULL << 48) | 1;

	(void)state;
	fake_btrfs_start();
	fake_btrfs.search_max_items = 3;	/* exercise the continuation */
	fake_btrfs.inconsistent = true;
	fake_btrfs.rescan_flags = 1;
	fake_btrfs.rescan_progress = 123456;
	strcpy(fake_btrfs.label, "fake");
	fake_btrfs_add_item(8, 0, BTRFS_QGROUP_STATUS_KEY, 0,
			    FAKE_BTRFS_WORDS(1, 7, BTRFS_QGROUP_STATUS_FLAG_ON, UINT64_MAX));
	fake_btrfs_add_item(8, 0, BTRFS_QGROUP_INFO_KEY, 256,
			    FAKE_BTRFS_WORDS(7, 16384, 16384, 4096, 4096));
	fake_btrfs_add_item(8, 0, BTRFS_QGROUP_INFO_KEY, 257,
			    FAKE_BTRFS_WORDS(7, 8192, 8192, 8192, 8192));
	fake_btrfs_add_item(8, 0, BTRFS_QGROUP_INFO_KEY, g1,
			    FAKE_BTRFS_WORDS(7, 20480, 20480, 12288, 12288));
	fake_btrfs_add_item(8, 0, BTRFS_QGROUP_LIMIT_KEY, g1,
			    FAKE_BTRFS_WORDS(BTRFS_QGROUP_LIMIT_MAX_RFER, 1 << 20, 0, 0, 0));
	fake_btrfs_add_relation(256, g1);
	fake_btrfs_add_relation(257, g1);
	/* root tree: 256 exists, 257 has a root item but no path (deleting) */
	fake_btrfs_add_item(1, 256, BTRFS_ROOT_ITEM_KEY, 0, NULL, 0);
	fake_btrfs_add_item(1, 257, BTRFS_ROOT_ITEM_KEY, 0, NULL, 0);
	fake_btrfs_subvol(256, "home/alice");
	/* live numbers of 0/256 differ from the tree's: sysfs must win */
	fake_btrfs_sysfs("qgroups/0_256/referenced", "999424");
	fake_btrfs_sysfs("qgroups/0_256/exclusive", "not-a-number");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	/* every descriptor live_fs_open() got, live_fs_close() gave back */
	assert_int_equal(fake_btrfs.open_fds, 0);
	fake_btrfs_stop();
	return 0;
}

static void test_open_errors(void **state)
{
	struct live_fs fs;

	fake_btrfs.ret[FAKE_BTRFS_OPEN] = -ENOENT;
	assert_int_equal(live_fs_open("/nope", &fs), -ENOENT);
	fake_btrfs.ret[FAKE_BTRFS_OPEN] = 0;
	fake_btrfs.fs_type = 0xEF53;	/* ext4 */
	assert_int_equal(live_fs_open("/ext4", &fs), -ENOTTY);
	fake_btrfs.fs_type = BTRFS_SUPER_MAGIC;
	fake_btrfs.ret[FAKE_BTRFS_FSTATFS] = -EIO;
	assert_int_equal(live_fs_open("/x", &fs), -EIO);
	fake_btrfs.ret[FAKE_BTRFS_FSTATFS] = 0;
	fake_btrfs.ret[FAKE_BTRFS_FS_INFO] = -EPERM;
	assert_int_equal(live_fs_open("/x", &fs), -EPERM);
	fake_btrfs.ret[FAKE_BTRFS_FS_INFO] = 0;
	assert_int_equal(live_fs_open("/x", &fs), 0);
	assert_string_equal(fs.uuid, "10111213-1415-1617-1819-1a1b1c1d1e1f");
	assert_string_equal(fs.sysfs, "/sys/fs/btrfs/10111213-1415-1617-1819-1a1b1c1d1e1f");
	assert_int_equal(fs.nodesize, 16384);
	live_fs_close(&fs);
}

static void test_read_tree(void **state)
{
	struct live_fs fs;
	struct qgroup_model m;
	struct qgroup *q;
	unsigned missing = 0;

	assert_int_equal(live_fs_open("/x", &fs), 0);
	qgroup_model_init(&m);
	assert_int_equal(live_quota_read(&fs, &m, &missing), 0);
	assert_int_equal(missing, 0);
	/* continued across several calls */
	assert_true(fake_btrfs.calls[FAKE_BTRFS_TREE_SEARCH] > 3);
	assert_int_equal(m.mode, QGROUP_MODE_FULL);
	assert_true(m.inconsistent);
	assert_string_equal(m.fs.label, "fake");
	assert_int_equal(m.status_flags, BTRFS_QGROUP_STATUS_FLAG_ON);
	assert_int_equal(m.nr_qgroups, 3);
	q = qgroup_model_find(&m, 256);
	assert_non_null(q);
	assert_int_equal(q->rfer, 999424);	/* from sysfs */
	assert_int_equal(q->excl, 4096);	/* sysfs unreadable: tree value */
	assert_string_equal(q->path, "home/alice");
	assert_int_equal(q->nr_parents, 1);
	q = qgroup_model_find(&m, 257);
	assert_int_equal(q->state, QGROUP_STATE_DELETING);
	q = qgroup_model_find(&m, (1ULL << 48) | 1);
	assert_int_equal(q->nr_children, 2);
	assert_int_equal(q->limit_flags, BTRFS_QGROUP_LIMIT_MAX_RFER);
	assert_int_equal(q->max_rfer, 1 << 20);
	assert_int_equal(m.rescan.state, QGROUP_RESCAN_SCANNING);
	assert_int_equal(m.rescan.progress, 123456);
	qgroup_model_free(&m);
	live_fs_close(&fs);
}

static void test_stale_without_root_item(void **state)
{
	struct live_fs fs;
	struct qgroup_model m;

	/* drop 257's root item: its qgroup is stale */
	assert_int_equal(fake_btrfs_del_item(1, 257, BTRFS_ROOT_ITEM_KEY, 0), 0);
	assert_int_equal(live_fs_open("/x", &fs), 0);
	qgroup_model_init(&m);
	assert_int_equal(live_quota_read(&fs, &m, NULL), 0);
	assert_int_equal(qgroup_model_find(&m, 257)->state, QGROUP_STATE_STALE);
	qgroup_model_free(&m);
	live_fs_close(&fs);
}

static void test_quota_disabled(void **state)
{
	struct live_fs fs;
	struct qgroup_model m;

	fake_btrfs.mode = NULL;
	fake_btrfs.ret[FAKE_BTRFS_RESCAN_STATUS] = -ENOTCONN;
	assert_int_equal(live_fs_open("/x", &fs), 0);
	qgroup_model_init(&m);
	assert_int_equal(live_quota_read(&fs, &m, NULL), 0);
	assert_int_equal(m.mode, QGROUP_MODE_DISABLED);
	assert_int_equal(m.nr_qgroups, 0);
	assert_int_equal(fake_btrfs.calls[FAKE_BTRFS_TREE_SEARCH], 0);
	qgroup_model_free(&m);
	live_fs_close(&fs);
}

static void test_no_privilege(void **state)
{
	struct live_fs fs;
	struct qgroup_model m;
	unsigned missing = 0;

	fake_btrfs.ret[FAKE_BTRFS_TREE_SEARCH] = -EPERM;
	fake_btrfs.ret[FAKE_BTRFS_RESCAN_STATUS] = -EPERM;
	assert_int_equal(live_fs_open("/x", &fs), 0);
	qgroup_model_init(&m);
	/* falls back to sysfs; the fake sysfs dir cannot be listed, so no
	 * qgroups, but no error either */
	assert_int_equal(live_quota_read(&fs, &m, &missing), 0);
	assert_true(missing & LIVE_QUOTA_NO_TREE);
	assert_int_equal(m.rescan.state, QGROUP_RESCAN_IDLE);
	qgroup_model_free(&m);
	live_fs_close(&fs);
}

static void test_search_errors(void **state)
{
	struct live_fs fs;
	struct qgroup_model m;

	assert_int_equal(live_fs_open("/x", &fs), 0);
	fake_btrfs.ret[FAKE_BTRFS_TREE_SEARCH] = -EIO;
	qgroup_model_init(&m);
	assert_int_equal(live_quota_read(&fs, &m, NULL), -EIO);
	qgroup_model_free(&m);
	/* the quota tree vanished (disable raced with us): disabled, no error */
	fake_btrfs.ret[FAKE_BTRFS_TREE_SEARCH] = -ENOENT;
	qgroup_model_init(&m);
	assert_int_equal(live_quota_read(&fs, &m, NULL), 0);
	assert_int_equal(m.mode, QGROUP_MODE_DISABLED);
	qgroup_model_free(&m);
	live_fs_close(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_without_root_item, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quota_disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_privilege, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
