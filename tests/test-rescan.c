// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-rescan.c - the rescan state machine, the progress math (weights,
 * percent, ETA) and every ioctl error path of live-rescan and
 * rescan-progress through a fake btrfs_ops.
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
#include <math.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <linux/btrfs.h>
#include <linux/magic.h>
#include <cmocka.h>

#include "btrfs-ops.h"
#include "live-fs.h"
#include "live-rescan.h"
#include "rescan-progress.h"

#define FAKE_FD 42

/* ---- fake system ---- */

static const char *sysfs_mode;		/* NULL: qgroups dir absent */
static int sysfs_incons;
static bool fake_ro;
static int err_rescan, err_status, err_wait, err_search, err_logical, err_fstatfs;
static uint64_t st_flags, st_progress;
static int calls_rescan, calls_search, calls_logical;

struct fake_extent {
	uint64_t objectid;
	uint8_t type;		/* 168 or 169 */
	uint64_t flags;		/* 1 data, 2 tree block */
	uint64_t owner;		/* first inline ref root (tree blocks) */
	unsigned roots;		/* distinct roots LOGICAL_INO reports (data) */
};

static struct fake_extent extents[4096];
static size_t nr_extents;

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void reset_fake(void)
{
	sysfs_mode = "qgroup";
	sysfs_incons = 0;
	fake_ro = false;
	err_rescan = err_status = err_wait = err_search = err_logical = err_fstatfs = 0;
	st_flags = st_progress = 0;
	calls_rescan = calls_search = calls_logical = 0;
	nr_extents = 0;
}

static int fake_open(const char *path, int flags)
{
	return FAKE_FD;
}

static int fake_close(int fd)
{
	return 0;
}

static int fake_fstatfs(int fd, struct statfs *st)
{
	if (err_fstatfs)
		return err_fstatfs;
	memset(st, 0, sizeof(*st));
	st->f_type = BTRFS_SUPER_MAGIC;
	st->f_flags = fake_ro ? ST_RDONLY : 0;
	return 0;
}

static ssize_t fake_read_text(const char *path, char *buf, size_t len)
{
	const char *v = NULL;

	if (!sysfs_mode)
		return -ENOENT;
	if (strstr(path, "qgroups/mode"))
		v = sysfs_mode;
	else if (strstr(path, "qgroups/enabled"))
		v = "1";
	else if (strstr(path, "qgroups/inconsistent"))
		v = sysfs_incons ? "1" : "0";
	if (!v)
		return -ENOENT;
	snprintf(buf, len, "%s", v);
	return (ssize_t)strlen(buf);
}

static int key_cmp(uint64_t o1, uint8_t t1, uint64_t o2, uint8_t t2)
{
	if (o1 != o2)
		return o1 < o2 ? -1 : 1;
	if (t1 != t2)
		return t1 < t2 ? -1 : 1;
	return 0;
}

/* serves the extent table, at most 3 items per call to test continuation */
static int fake_search(struct btrfs_ioctl_search_args_v2 *a)
{
	struct btrfs_ioctl_search_key *sk = &a->key;
	uint32_t n = 0;
	size_t off = 0;

	calls_search++;
	if (err_search)
		return err_search;
	if (sk->tree_id != 2)
		return -ENOENT;
	for (size_t i = 0; i < nr_extents && n < 3; i++) {
		const struct fake_extent *e = &extents[i];
		struct btrfs_ioctl_search_header sh;
		uint8_t body[24 + 18 + 9];
		uint32_t len = 24;

		/* the offset of our fake keys is 4096 (EXTENT_ITEM) or 0 (METADATA) */
		uint64_t koff = e->type == 168 ? 4096 : 0;

		if (key_cmp(e->objectid, e->type, sk->min_objectid, sk->min_type) < 0)
			continue;
		if (key_cmp(e->objectid, e->type, sk->min_objectid, sk->min_type) == 0 &&
		    koff < sk->min_offset)
			continue;
		if (key_cmp(e->objectid, e->type, sk->max_objectid, sk->max_type) > 0)
			break;
		memset(body, 0, sizeof(body));
		put_le64(body, 1);
		put_le64(body + 8, 7);
		put_le64(body + 16, e->flags);
		if (e->flags & 2) {
			if (e->type == 168)
				len += 18;
			body[len] = 176;
			put_le64(body + len + 1, e->owner);
			len += 9;
		}
		memset(&sh, 0, sizeof(sh));
		sh.objectid = e->objectid;
		sh.type = e->type;
		sh.offset = koff;
		sh.len = len;
		memcpy((char *)a->buf + off, &sh, sizeof(sh));
		off += sizeof(sh);
		memcpy((char *)a->buf + off, body, len);
		off += len;
		n++;
	}
	sk->nr_items = n;
	return 0;
}

static int fake_logical(struct btrfs_ioctl_logical_ino_args *a)
{
	struct btrfs_data_container *dc = (void *)(uintptr_t)a->inodes;

	calls_logical++;
	if (err_logical)
		return err_logical;
	assert_int_equal(a->flags, BTRFS_LOGICAL_INO_ARGS_IGNORE_OFFSET);
	for (size_t i = 0; i < nr_extents; i++) {
		if (extents[i].objectid != a->logical)
			continue;
		/* each root twice (two inodes) to check distinct counting */
		dc->elem_cnt = 0;
		for (unsigned r = 0; r < extents[i].roots; r++)
			for (int k = 0; k < 2; k++) {
				dc->val[dc->elem_cnt++] = 257 + k;
				dc->val[dc->elem_cnt++] = 0;
				dc->val[dc->elem_cnt++] = 256 + r;
			}
		return 0;
	}
	return -ENOENT;
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	struct btrfs_ioctl_quota_rescan_args *rs = arg;

	assert_int_equal(fd, FAKE_FD);
	switch (req) {
	case BTRFS_IOC_QUOTA_RESCAN:
		calls_rescan++;
		assert_int_equal(rs->flags, 0);
		return err_rescan;
	case BTRFS_IOC_QUOTA_RESCAN_STATUS:
		if (err_status)
			return err_status;
		rs->flags = st_flags;
		rs->progress = st_progress;
		return 0;
	case BTRFS_IOC_QUOTA_RESCAN_WAIT:
		return err_wait;
	case BTRFS_IOC_TREE_SEARCH_V2:
		return fake_search(arg);
	case BTRFS_IOC_LOGICAL_INO_V2:
		return fake_logical(arg);
	default:
		return -ENOTTY;
	}
}

static const struct btrfs_ops fake_ops = {
	.open = fake_open,
	.close = fake_close,
	.ioctl = fake_ioctl,
	.fstatfs = fake_fstatfs,
	.read_text = fake_read_text,
};

static struct live_fs fake_fs(void)
{
	struct live_fs fs;

	memset(&fs, 0, sizeof(fs));
	fs.fd = FAKE_FD;
	snprintf(fs.sysfs, sizeof(fs.sysfs), "/sys/fs/btrfs/fake");
	return fs;
}

static int setup(void **state)
{
	reset_fake();
	btrfs_ops_set(&fake_ops);
	return 0;
}

static int teardown(void **state)
{
	btrfs_ops_set(NULL);
	live_rescan_set_mount_fn(NULL);
	return 0;
}

/* ---- state machine ---- */

static enum qgroup_rescan_state feed(struct live_rescan_track *t, double ts, bool flag,
				     uint64_t progress, bool quota_on, bool ro, bool incons)
{
	struct live_rescan_sample s = {
		.t = ts, .flag = flag, .progress = progress, .quota_on = quota_on,
		.read_only = ro, .inconsistent = incons,
	};
	return live_rescan_track_update(t, &s);
}

static void test_track_normal(void **state)
{
	struct live_rescan_track t;

	live_rescan_track_init(&t);
	assert_int_equal(feed(&t, 0.0, true, 0, true, false, false), QGROUP_RESCAN_STARTING);
	assert_int_equal(feed(&t, 0.2, true, 1000, true, false, false), QGROUP_RESCAN_SCANNING);
	assert_int_equal(feed(&t, 0.4, true, 5000, true, false, false), QGROUP_RESCAN_SCANNING);
	assert_int_equal(t.end, LIVE_RESCAN_RUNNING);
	assert_int_equal(feed(&t, 0.6, true, UINT64_MAX, true, false, false),
			 QGROUP_RESCAN_COMMITTING);
	assert_int_equal(feed(&t, 0.8, false, 0, true, false, false), QGROUP_RESCAN_IDLE);
	assert_int_equal(t.end, LIVE_RESCAN_DONE);
}

static void test_track_never_ran(void **state)
{
	struct live_rescan_track t;

	live_rescan_track_init(&t);
	assert_int_equal(feed(&t, 0.0, false, 0, true, false, false), QGROUP_RESCAN_IDLE);
	assert_int_equal(t.end, LIVE_RESCAN_NEVER_RAN);
}

static void test_track_ends_inconsistent(void **state)
{
	struct live_rescan_track t;

	live_rescan_track_init(&t);
	feed(&t, 0.0, true, 100, true, false, false);
	assert_int_equal(feed(&t, 0.5, false, 0, true, false, true), QGROUP_RESCAN_IDLE);
	assert_int_equal(t.end, LIVE_RESCAN_DONE_INCONSISTENT);
}

static void test_track_stall_and_resume(void **state)
{
	struct live_rescan_track t;

	live_rescan_track_init(&t);
	feed(&t, 0.0, true, 100, true, false, false);
	assert_int_equal(feed(&t, 1.0, true, 100, true, false, false), QGROUP_RESCAN_SCANNING);
	assert_int_equal(feed(&t, 2.9, true, 100, true, false, false), QGROUP_RESCAN_SCANNING);
	/* frozen for LIVE_RESCAN_STALL_S: paused/stalled */
	assert_int_equal(feed(&t, 3.0, true, 100, true, false, false), QGROUP_RESCAN_PAUSED);
	assert_int_equal(feed(&t, 9.0, true, 100, true, false, false), QGROUP_RESCAN_PAUSED);
	/* moves again */
	assert_int_equal(feed(&t, 9.2, true, 200, true, false, false), QGROUP_RESCAN_SCANNING);
	/* stuck at 0 for long: paused too, not "starting" forever */
	live_rescan_track_init(&t);
	feed(&t, 0.0, true, 0, true, false, false);
	assert_int_equal(feed(&t, 4.0, true, 0, true, false, false), QGROUP_RESCAN_PAUSED);
}

static void test_track_read_only(void **state)
{
	struct live_rescan_track t;

	live_rescan_track_init(&t);
	feed(&t, 0.0, true, 100, true, false, false);
	/* remount ro: paused at once, no need to wait for the stall */
	assert_int_equal(feed(&t, 0.1, true, 100, true, true, true), QGROUP_RESCAN_PAUSED);
	assert_int_equal(t.end, LIVE_RESCAN_RUNNING);
	/* remount rw: resumes */
	assert_int_equal(feed(&t, 5.0, true, 300, true, false, true), QGROUP_RESCAN_SCANNING);
	assert_int_equal(feed(&t, 6.0, false, 0, true, false, false), QGROUP_RESCAN_IDLE);
	assert_int_equal(t.end, LIVE_RESCAN_DONE);
}

static void test_track_stale(void **state)
{
	struct live_rescan_track t;

	live_rescan_track_init(&t);
	feed(&t, 0.0, true, 100, true, false, false);
	/* quota disabled: flag stays, sysfs dir gone */
	assert_int_equal(feed(&t, 0.5, true, 100, false, false, false), QGROUP_RESCAN_STALE);
	assert_int_equal(feed(&t, 9.0, true, 100, false, false, false), QGROUP_RESCAN_STALE);
	/* a stale flag seen first */
	live_rescan_track_init(&t);
	assert_int_equal(feed(&t, 0.0, true, 77, false, false, false), QGROUP_RESCAN_STALE);
	/* after an end, a flag means a new (resumed) scan */
	live_rescan_track_init(&t);
	feed(&t, 0.0, true, 10, true, false, false);
	feed(&t, 0.1, false, 0, true, false, false);
	assert_int_equal(t.end, LIVE_RESCAN_DONE);
	assert_int_equal(feed(&t, 0.2, true, 0, true, false, false), QGROUP_RESCAN_STARTING);
	assert_int_equal(t.end, LIVE_RESCAN_RUNNING);
}

/* ---- progress math ---- */

static void test_lower_bound(void **state)
{
	const uint64_t ids[] = { 10, 20, 20, 30 };

	assert_int_equal(rescan_progress_lower_bound(ids, 4, 0), 0);
	assert_int_equal(rescan_progress_lower_bound(ids, 4, 10), 0);
	assert_int_equal(rescan_progress_lower_bound(ids, 4, 11), 1);
	assert_int_equal(rescan_progress_lower_bound(ids, 4, 20), 1);
	assert_int_equal(rescan_progress_lower_bound(ids, 4, 21), 3);
	assert_int_equal(rescan_progress_lower_bound(ids, 4, 31), 4);
	assert_int_equal(rescan_progress_lower_bound(ids, 0, 5), 0);
}

static void test_cost(void **state)
{
	/* kernel-facts §1: ~8 us at 1 root, ~30 at 11, ~80 at 32 */
	assert_true(rescan_progress_cost(1, 1) > 6 && rescan_progress_cost(1, 1) < 10);
	assert_true(rescan_progress_cost(11, 1) > 25 && rescan_progress_cost(11, 1) < 35);
	assert_true(rescan_progress_cost(32, 1) > 70 && rescan_progress_cost(32, 1) < 90);
	assert_true(rescan_progress_cost(0, 0) == rescan_progress_cost(1, 1));
	/* an extent referenced from 11 distinct leaves costs more than from one */
	assert_true(rescan_progress_cost(12, 11) > rescan_progress_cost(12, 1) + 5);
}

static void build_index(struct rescan_progress_index *ix, size_t n_shared, unsigned roots,
			size_t n_single)
{
	uint64_t obj = 1 << 20;

	memset(ix, 0, sizeof(*ix));
	for (size_t i = 0; i < n_shared; i++, obj += 4096)
		assert_int_equal(rescan_progress_index_add(ix, obj, RESCAN_PROGRESS_DATA, 1), 0);
	for (size_t i = 0; i < n_single; i++, obj += 4096)
		assert_int_equal(rescan_progress_index_add(ix, obj, RESCAN_PROGRESS_DATA, 1), 0);
	assert_int_equal(rescan_progress_pick_samples(ix, 100), 0);
	assert_int_equal(ix->nr_samples, n_shared + n_single < 100 ? n_shared + n_single : 100);
	for (size_t s = 0; s < ix->nr_samples; s++)
		ix->sample_roots[s] = ix->sample_idx[s] < n_shared ? roots : 1;
	assert_int_equal(rescan_progress_weigh(ix), 0);
}

static void test_percent_weighted(void **state)
{
	struct rescan_progress_index ix;
	uint64_t mid;
	double pct, cost_shared = rescan_progress_cost(32, 1), cost_one = rescan_progress_cost(1, 1);

	/* first half shared by 32 roots, second half by one */
	build_index(&ix, 1000, 32, 1000);
	assert_true(rescan_progress_percent(&ix, 0) == 0);
	assert_true(rescan_progress_percent(&ix, UINT64_MAX) == 100);
	assert_true(rescan_progress_percent(&ix, ix.objectid[1999] + 1) == 100);
	/* at the boundary the naive count says 50 %, the work is much further */
	mid = ix.objectid[1000];
	assert_true(rescan_progress_count_percent(&ix, mid) == 50);
	pct = rescan_progress_percent(&ix, mid);
	assert_true(fabs(pct - 100 * cost_shared / (cost_shared + cost_one)) < 0.01);
	assert_true(pct > 85);
	/* monotonic */
	for (size_t i = 1; i < ix.nr; i++)
		assert_true(rescan_progress_percent(&ix, ix.objectid[i]) >=
			    rescan_progress_percent(&ix, ix.objectid[i - 1]));
	rescan_progress_index_free(&ix);

	/* uniform sharing: weighted == item count */
	build_index(&ix, 500, 7, 0);
	for (size_t i = 0; i < ix.nr; i += 37)
		assert_true(fabs(rescan_progress_percent(&ix, ix.objectid[i]) -
				 rescan_progress_count_percent(&ix, ix.objectid[i])) < 1e-9);
	rescan_progress_index_free(&ix);
}

static void test_samples_spread(void **state)
{
	struct rescan_progress_index ix;

	memset(&ix, 0, sizeof(ix));
	/* metadata interleaved: samples only land on data extents */
	for (uint64_t i = 0; i < 1000; i++)
		assert_int_equal(rescan_progress_index_add(&ix, 4096 * (i + 1),
			i % 4 == 0 ? RESCAN_PROGRESS_META_FS : RESCAN_PROGRESS_DATA, 1), 0);
	assert_int_equal(ix.nr_data, 750);
	assert_int_equal(rescan_progress_pick_samples(&ix, 10), 0);
	assert_int_equal(ix.nr_samples, 10);
	for (size_t s = 0; s < 10; s++) {
		assert_int_equal(ix.kind[ix.sample_idx[s]], RESCAN_PROGRESS_DATA);
		if (s)
			assert_true(ix.sample_idx[s] > ix.sample_idx[s - 1]);
	}
	/* evenly: the first in the first tenth, the last in the last tenth */
	assert_true(ix.sample_idx[0] < 100);
	assert_true(ix.sample_idx[9] >= 900);
	/* no samples: every extent weighs the same (plain item count) */
	assert_int_equal(rescan_progress_pick_samples(&ix, 0), 0);
	assert_int_equal(rescan_progress_weigh(&ix), 0);
	assert_true(fabs(rescan_progress_percent(&ix, 4096 * 501) - 50) < 1e-9);
	rescan_progress_index_free(&ix);

	/* same roots, but the first half referenced from 11 leaves each */
	memset(&ix, 0, sizeof(ix));
	for (uint64_t i = 0; i < 1000; i++)
		assert_int_equal(rescan_progress_index_add(&ix, 4096 * (i + 1),
			RESCAN_PROGRESS_DATA, i < 500 ? 11 : 1), 0);
	assert_int_equal(rescan_progress_pick_samples(&ix, 10), 0);
	for (size_t s = 0; s < ix.nr_samples; s++)
		ix.sample_roots[s] = 12;
	assert_int_equal(rescan_progress_weigh(&ix), 0);
	assert_true(fabs(rescan_progress_percent(&ix, 4096 * 501) -
			 100 * rescan_progress_cost(12, 11) /
			 (rescan_progress_cost(12, 11) + rescan_progress_cost(12, 1))) < 1e-9);
	assert_true(rescan_progress_percent(&ix, 4096 * 501) > 55);
	rescan_progress_index_free(&ix);
}

static void test_count_roots(void **state)
{
	const uint64_t v[] = { 257, 0, 5, 258, 0, 300, 259, 4096, 5, 260, 0, 301 };
	uint64_t scratch[4];

	assert_int_equal(rescan_progress_count_roots(v, 4, scratch), 3);
	assert_int_equal(rescan_progress_count_roots(v, 1, scratch), 1);
	assert_int_equal(rescan_progress_count_roots(v, 0, scratch), 0);
}

static void test_eta(void **state)
{
	/* steady 10 %/s from 0: at 50 % after 5 s, 5 s left */
	assert_true(fabs(rescan_progress_eta(0, 0, 5, 50, 10) - 5) < 1e-9);
	/* too early: under 5 points or 2 s */
	assert_true(rescan_progress_eta(0, 0, 1, 10, 10) < 0);
	assert_true(rescan_progress_eta(0, 0, 10, 4, 0.4) < 0);
	/* unstable: recent rate 3x faster or slower than overall */
	assert_true(rescan_progress_eta(0, 0, 5, 50, 30) < 0);
	assert_true(rescan_progress_eta(0, 0, 5, 50, 3) < 0);
	/* stalled or unknown */
	assert_true(rescan_progress_eta(0, 0, 5, 50, 0) < 0);
	assert_true(rescan_progress_eta(0, -1, 5, 50, 10) < 0);
	/* attached mid-way at 40 %: 20 points in 4 s -> 40 points in 8 s */
	assert_true(fabs(rescan_progress_eta(10, 40, 14, 60, 5) - 8) < 1e-9);
}

/* ---- live-rescan through the fake ops ---- */

static void test_start_errors(void **state)
{
	struct live_fs fs = fake_fs();

	assert_int_equal(live_rescan_start(&fs), 0);
	assert_int_equal(calls_rescan, 1);
	err_rescan = -EINPROGRESS;
	assert_int_equal(live_rescan_start(&fs), -EINPROGRESS);
	err_rescan = -EROFS;
	assert_int_equal(live_rescan_start(&fs), -EROFS);
	err_rescan = -EPERM;
	assert_int_equal(live_rescan_start(&fs), -EPERM);
	err_rescan = -ENOTTY;
	assert_int_equal(live_rescan_start(&fs), -ENOTTY);
	/* quota disabled between our look and the ioctl */
	err_rescan = -ENOTCONN;
	assert_int_equal(live_rescan_start(&fs), -ENOTCONN);
	/* EINVAL with flags 0: simple quotas */
	err_rescan = -EINVAL;
	assert_int_equal(live_rescan_start(&fs), -EOPNOTSUPP);
	/* the mode is checked first: nothing asked of the kernel */
	calls_rescan = 0;
	err_rescan = 0;
	sysfs_mode = "squota";
	assert_int_equal(live_rescan_start(&fs), -EOPNOTSUPP);
	sysfs_mode = NULL;
	assert_int_equal(live_rescan_start(&fs), -ENOTCONN);
	assert_int_equal(calls_rescan, 0);
	assert_string_equal(live_rescan_strerror(-EINPROGRESS), "a rescan is already running");
	assert_string_equal(live_rescan_strerror(-ENOTCONN), "quotas are not enabled");
}

static void test_status_sample_wait(void **state)
{
	struct live_fs fs = fake_fs();
	struct live_rescan_sample s;
	bool flag;
	uint64_t p;

	st_flags = 1;
	st_progress = 12345;
	assert_int_equal(live_rescan_status(&fs, &flag, &p), 0);
	assert_true(flag);
	assert_int_equal(p, 12345);
	/* progress without the flag is meaningless */
	st_flags = 0;
	assert_int_equal(live_rescan_status(&fs, &flag, &p), 0);
	assert_false(flag);
	assert_int_equal(p, 0);
	err_status = -EPERM;
	assert_int_equal(live_rescan_status(&fs, &flag, &p), -EPERM);
	assert_int_equal(live_rescan_sample(&fs, 1.0, &s), -EPERM);
	err_status = -ENOTTY;
	assert_int_equal(live_rescan_sample(&fs, 1.0, &s), -ENOTTY);
	err_status = 0;

	st_flags = 1;
	st_progress = 99;
	sysfs_incons = 1;
	fake_ro = true;
	assert_int_equal(live_rescan_sample(&fs, 2.5, &s), 0);
	assert_true(s.flag && s.quota_on && s.inconsistent && s.read_only);
	assert_true(s.t == 2.5);
	assert_int_equal(s.progress, 99);
	sysfs_mode = NULL;
	fake_ro = false;
	assert_int_equal(live_rescan_sample(&fs, 3, &s), 0);
	assert_false(s.quota_on);
	assert_false(s.read_only);
	err_fstatfs = -EIO;
	assert_int_equal(live_rescan_sample(&fs, 3, &s), -EIO);

	assert_int_equal(live_rescan_wait(&fs), 0);
	err_wait = -EINTR;
	assert_int_equal(live_rescan_wait(&fs), -EINTR);
	err_wait = -EPERM;
	assert_int_equal(live_rescan_wait(&fs), -EPERM);
	err_wait = -ENOTTY;
	assert_int_equal(live_rescan_wait(&fs), -ENOTTY);
}

static unsigned long mount_flags_seen;
static const char *mount_target_seen;
static int mount_errno;

static int fake_mount(const char *src, const char *target, const char *type,
		      unsigned long flags, const void *data)
{
	mount_flags_seen = flags;
	mount_target_seen = target;
	if (mount_errno) {
		errno = mount_errno;
		return -1;
	}
	return 0;
}

static void test_pause(void **state)
{
	live_rescan_set_mount_fn(fake_mount);
	mount_errno = 0;
	assert_int_equal(live_rescan_pause("/mnt/x"), 0);
	assert_int_equal(mount_flags_seen, MS_REMOUNT | MS_RDONLY);
	assert_string_equal(mount_target_seen, "/mnt/x");
	mount_errno = EBUSY;
	assert_int_equal(live_rescan_pause("/mnt/x"), -EBUSY);
	mount_errno = EPERM;
	assert_int_equal(live_rescan_pause("/mnt/x"), -EPERM);
}

/* ---- the extent-tree index through the fake ops ---- */

static void add_extent(uint64_t obj, uint8_t type, uint64_t flags, uint64_t owner,
		       unsigned roots)
{
	extents[nr_extents++] = (struct fake_extent){ obj, type, flags, owner, roots };
}

static void test_index_read(void **state)
{
	struct live_fs fs = fake_fs();
	struct rescan_progress_index ix;
	atomic_int stop;
	uint64_t obj = 1 << 20;

	/* tree blocks of the extent tree (internal) and of a subvolume, then
	 * 40 data extents with 16 roots and 40 with 1 */
	add_extent(obj, 169, 2, 2, 0);
	obj += 16384;
	add_extent(obj, 168, 2, 256, 0);	/* non-skinny tree block */
	obj += 16384;
	for (int i = 0; i < 80; i++, obj += 4096)
		add_extent(obj, 168, 1, 0, i < 40 ? 16 : 1);
	atomic_init(&stop, 0);
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), 0);
	assert_int_equal(ix.nr, 82);
	assert_int_equal(ix.nr_data, 80);
	assert_int_equal(ix.kind[0], RESCAN_PROGRESS_META_OTHER);
	assert_int_equal(ix.kind[1], RESCAN_PROGRESS_META_FS);
	assert_true(calls_search > 82 / 3);
	assert_int_equal(ix.nr_samples, 80);
	assert_int_equal(calls_logical, 80);
	assert_int_equal(ix.sample_roots[0], 16);
	assert_int_equal(ix.sample_roots[79], 1);
	/* half the data extents, but most of the work */
	assert_true(rescan_progress_count_percent(&ix, extents[42].objectid) < 52);
	assert_true(rescan_progress_percent(&ix, extents[42].objectid) > 75);
	rescan_progress_index_free(&ix);

	/* LOGICAL_INO failing: one root each, still an index */
	err_logical = -ENOENT;
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), 0);
	assert_int_equal(ix.sample_roots[0], 1);
	rescan_progress_index_free(&ix);
	/* EPERM is an error */
	err_logical = -EPERM;
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), -EPERM);
	rescan_progress_index_free(&ix);
	err_logical = 0;
	/* the search failing */
	err_search = -EPERM;
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), -EPERM);
	rescan_progress_index_free(&ix);
	err_search = 0;
	/* stopped */
	atomic_store(&stop, 1);
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), -ECANCELED);
	rescan_progress_index_free(&ix);
}

static void test_observe(void **state)
{
	struct live_fs fs = fake_fs();
	struct rescan_progress rp;
	struct qgroup_rescan r;
	double cnt;
	uint64_t obj = 1 << 20;

	for (int i = 0; i < 100; i++, obj += 4096)
		add_extent(obj, 168, 1, 0, 4);
	assert_int_equal(rescan_progress_begin(&rp, &fs, 100.0, 0), 0);
	assert_int_equal(rescan_progress_wait_ready(&rp), 0);
	assert_int_equal(rescan_progress_ready(&rp), 1);
	/* 10 extents per second, uniform cost: 10 %/s */
	for (int k = 1; k <= 6; k++) {
		rescan_progress_observe(&rp, 100.0 + k, QGROUP_RESCAN_SCANNING,
					extents[10 * k].objectid, &r, &cnt);
		assert_true(fabs(r.percent - 10 * k) < 1e-9);
		assert_true(fabs(cnt - 10 * k) < 1e-9);
		assert_true(fabs(r.elapsed_s - k) < 1e-9);
		assert_true(fabs(r.rate - 10) < 1e-9);
	}
	/* by now: 60 % in 6 s, steady: 4 s left */
	assert_true(fabs(r.eta_s - 4) < 1e-6);
	/* paused: no ETA */
	rescan_progress_observe(&rp, 107.0, QGROUP_RESCAN_PAUSED, extents[60].objectid, &r, NULL);
	assert_true(r.eta_s < 0);
	rescan_progress_observe(&rp, 108.0, QGROUP_RESCAN_IDLE, 0, &r, NULL);
	assert_true(r.percent == 100);
	rescan_progress_end(&rp);

	/* index failing: no percent, but elapsed */
	err_search = -EPERM;
	assert_int_equal(rescan_progress_begin(&rp, &fs, 0, 0), 0);
	assert_int_equal(rescan_progress_wait_ready(&rp), -EPERM);
	rescan_progress_observe(&rp, 1.0, QGROUP_RESCAN_SCANNING, 5000, &r, &cnt);
	assert_true(r.percent < 0 && cnt < 0 && r.rate < 0 && r.eta_s < 0);
	assert_true(r.elapsed_s == 1.0);
	rescan_progress_end(&rp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_track_normal),
		cmocka_unit_test(test_track_never_ran),
		cmocka_unit_test(test_track_ends_inconsistent),
		cmocka_unit_test(test_track_stall_and_resume),
		cmocka_unit_test(test_track_read_only),
		cmocka_unit_test(test_track_stale),
		cmocka_unit_test(test_lower_bound),
		cmocka_unit_test(test_cost),
		cmocka_unit_test(test_percent_weighted),
		cmocka_unit_test(test_samples_spread),
		cmocka_unit_test(test_count_roots),
		cmocka_unit_test(test_eta),
		cmocka_unit_test_setup_teardown(test_start_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_sample_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pause, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_observe, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
