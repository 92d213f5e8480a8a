// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-live.c - the live backend (live-fs, live-quota) through a fake
 * btrfs_ops: the quota tree served from a table of items, and every error
 * the kernel returns injected where it can happen.
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
#include <linux/fs.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <linux/magic.h>
#include <cmocka.h>

#include "btrfs-ops.h"
#include "fake-search.h"
#include "live-fs.h"
#include "live-quota.h"

#define FAKE_FD 42

struct fake_item {
	uint64_t tree;
	struct fake_search_item item;
};

static struct fake_item items[64];
static size_t nr_items;
static int err_open, err_fstatfs, err_fsinfo, err_search, err_status;
static long fake_fs_type = BTRFS_SUPER_MAGIC;
static bool sysfs_quota = true;	/* /sys/fs/btrfs/UUID/qgroups present */
static int search_calls;

static void add_item(uint64_t tree, uint64_t objectid, uint8_t type, uint64_t offset,
		     const uint64_t *words, int nr_words)
{
	struct fake_item *it = &items[nr_items++];

	memset(it, 0, sizeof(*it));
	it->tree = tree;
	it->item.objectid = objectid;
	it->item.type = type;
	it->item.offset = offset;
	for (int i = 0; i < nr_words; i++)
		it->item.v[i] = words[i];
	it->item.len = (uint32_t)(8 * nr_words);
}

/* TREE_SEARCH_V2 as the kernel does it, returning at most 3 items a call so
 * the caller's continuation logic is exercised */
static int fake_search(struct btrfs_ioctl_search_args_v2 *a)
{
	struct fake_search_item tree[64];
	size_t n = 0;

	search_calls++;
	if (err_search)
		return err_search;
	for (size_t i = 0; i < nr_items; i++)
		if (items[i].tree == a->key.tree_id)
			tree[n++] = items[i].item;
	return fake_search_serve(a, tree, n, 3);
}

static int fake_open(const char *path, int flags)
{
	return err_open ? err_open : FAKE_FD;
}

static int fake_close(int fd)
{
	assert_int_equal(fd, FAKE_FD);
	return 0;
}

static int fake_fstatfs(int fd, struct statfs *st)
{
	if (err_fstatfs)
		return err_fstatfs;
	memset(st, 0, sizeof(*st));
	st->f_type = fake_fs_type;
	return 0;
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	assert_int_equal(fd, FAKE_FD);
	if (req == BTRFS_IOC_FS_INFO) {
		struct btrfs_ioctl_fs_info_args *fi = arg;

		if (err_fsinfo)
			return err_fsinfo;
		for (int i = 0; i < 16; i++)
			fi->fsid[i] = (uint8_t)(0x10 + i);
		fi->nodesize = 16384;
		fi->sectorsize = 4096;
		return 0;
	}
	if (req == BTRFS_IOC_TREE_SEARCH_V2)
		return fake_search(arg);
	if (req == BTRFS_IOC_QUOTA_RESCAN_STATUS) {
		struct btrfs_ioctl_quota_rescan_args *rs = arg;

		if (err_status)
			return err_status;
		rs->flags = 1;
		rs->progress = 123456;
		return 0;
	}
	if (req == BTRFS_IOC_GET_FSLABEL) {
		strcpy(arg, "fake");
		return 0;
	}
	return -ENOTTY;
}

static ssize_t fake_read_text(const char *path, char *buf, size_t len)
{
	const char *q = strstr(path, "/qgroups/");

	if (!q || !sysfs_quota)
		return -ENOENT;
	q += strlen("/qgroups/");
	if (!strcmp(q, "mode"))
		return snprintf(buf, len, "qgroup");
	if (!strcmp(q, "inconsistent"))
		return snprintf(buf, len, "1");
	/* live numbers of 0/256 differ from the tree's: sysfs must win */
	if (!strcmp(q, "0_256/referenced"))
		return snprintf(buf, len, "999424");
	if (!strcmp(q, "0_256/exclusive"))
		return snprintf(buf, len, "not-a-number");
	return -ENOENT;
}

static int fake_write_text(const char *path, const char *text)
{
	return -EACCES;
}

static int fake_subvolume_path(int fd, uint64_t id, char **path)
{
	if (id == 256) {
		*path = strdup("home/alice");
		return 0;
	}
	return -ENOENT;
}

static const struct btrfs_ops fake_ops = {
	.open = fake_open,
	.close = fake_close,
	.ioctl = fake_ioctl,
	.fstatfs = fake_fstatfs,
	.read_text = fake_read_text,
	.write_text = fake_write_text,
	.subvolume_path = fake_subvolume_path,
};

static int setup(void **state)
{
	uint64_t status[] = { 1, 7, BTRFS_QGROUP_STATUS_FLAG_ON, UINT64_MAX };
	uint64_t info256[] = { 7, 16384, 16384, 4096, 4096 };
	uint64_t info257[] = { 7, 8192, 8192, 8192, 8192 };
	uint64_t info1[] = { 7, 20480, 20480, 12288, 12288 };
	uint64_t limit1[] = { BTRFS_QGROUP_LIMIT_MAX_RFER, 1 << 20, 0, 0, 0 };

	nr_items = 0;
	err_open = err_fstatfs = err_fsinfo = err_search = err_status = 0;
	fake_fs_type = BTRFS_SUPER_MAGIC;
	sysfs_quota = true;
	search_calls = 0;
	add_item(8, 0, BTRFS_QGROUP_STATUS_KEY, 0, status, 4);
	add_item(8, 0, BTRFS_QGROUP_INFO_KEY, 256, info256, 5);
	add_item(8, 0, BTRFS_QGROUP_INFO_KEY, 257, info257, 5);
	add_item(8, 0, BTRFS_QGROUP_INFO_KEY, (1ULL << 48) | 1, info1, 5);
	add_item(8, 0, BTRFS_QGROUP_LIMIT_KEY, (1ULL << 48) | 1, limit1, 5);
	add_item(8, 256, BTRFS_QGROUP_RELATION_KEY, (1ULL << 48) | 1, NULL, 0);
	add_item(8, 257, BTRFS_QGROUP_RELATION_KEY, (1ULL << 48) | 1, NULL, 0);
	add_item(8, (1ULL << 48) | 1, BTRFS_QGROUP_RELATION_KEY, 256, NULL, 0);
	add_item(8, (1ULL << 48) | 1, BTRFS_QGROUP_RELATION_KEY, 257, NULL, 0);
	/* root tree: 256 exists, 257 has a root item but no path (deleting) */
	add_item(1, 256, BTRFS_ROOT_ITEM_KEY, 0, NULL, 0);
	add_item(1, 257, BTRFS_ROOT_ITEM_KEY, 0, NULL, 0);
	btrfs_ops_set(&fake_ops);
	return 0;
}

static int teardown(void **state)
{
	btrfs_ops_set(NULL);
	return 0;
}

static void test_open_errors(void **state)
{
	struct live_fs fs;

	err_open = -ENOENT;
	assert_int_equal(live_fs_open("/nope", &fs), -ENOENT);
	err_open = 0;
	fake_fs_type = 0xEF53;	/* ext4 */
	assert_int_equal(live_fs_open("/ext4", &fs), -ENOTTY);
	fake_fs_type = BTRFS_SUPER_MAGIC;
	err_fstatfs = -EIO;
	assert_int_equal(live_fs_open("/x", &fs), -EIO);
	err_fstatfs = 0;
	err_fsinfo = -EPERM;
	assert_int_equal(live_fs_open("/x", &fs), -EPERM);
	err_fsinfo = 0;
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
	assert_true(search_calls > 3);	/* continued across several calls */
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

	nr_items -= 1;	/* drop 257's root item: its qgroup is stale */
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

	sysfs_quota = false;
	err_status = -ENOTCONN;
	assert_int_equal(live_fs_open("/x", &fs), 0);
	qgroup_model_init(&m);
	assert_int_equal(live_quota_read(&fs, &m, NULL), 0);
	assert_int_equal(m.mode, QGROUP_MODE_DISABLED);
	assert_int_equal(m.nr_qgroups, 0);
	assert_int_equal(search_calls, 0);
	qgroup_model_free(&m);
	live_fs_close(&fs);
}

static void test_no_privilege(void **state)
{
	struct live_fs fs;
	struct qgroup_model m;
	unsigned missing = 0;

	err_search = -EPERM;
	err_status = -EPERM;
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
	err_search = -EIO;
	qgroup_model_init(&m);
	assert_int_equal(live_quota_read(&fs, &m, NULL), -EIO);
	qgroup_model_free(&m);
	/* the quota tree vanished (disable raced with us): disabled, no error */
	err_search = -ENOENT;
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
