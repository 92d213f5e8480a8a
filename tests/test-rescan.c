// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-rescan.c - the rescan state machine, the progress math (weights,
 * percent, ETA) and every ioctl error path of live-rescan and
 * rescan-progress through the shared fake (fake-btrfs.h).
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
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <sys/mount.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <cmocka.h>

#include "btrfs-format.h"
#include "fake-btrfs.h"
#include "live-fs.h"
#include "live-rescan.h"
#include "mono-time.h"
#include "rescan-cache.h"
#include "rescan-progress.h"
#include "rescan-roots.h"

static int setup(void **state)
{
	(void)state;
	fake_btrfs_start();
	fake_btrfs.search_max_items = 3;	/* exercise the continuation */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fake_btrfs_stop();
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
	/* measured on kernel 6.18: ~8 us at 1 root, ~30 at 11, ~80 at 32 */
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

/* exact root counts: tree blocks weigh by their own roots, and extents
 * the walk did not reach (internal trees, newer ones) as one root */
static void test_exact_roots(void **state)
{
	struct rescan_root_count ext[] = {
		{ 4096, 1000 },		/* a tree block shared by 1000 snapshots */
		{ 8192, 3 },
		{ 10000, 7 },		/* not in the extent tree any more */
		{ 16384, 1 },
	};
	struct rescan_roots r = { .nr = 4, .cap = 4, .ext = ext };
	struct rescan_progress_index ix;
	double total;

	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_add(&ix, 4096, RESCAN_PROGRESS_META_FS, 1), 0);
	assert_int_equal(rescan_progress_index_add(&ix, 8192, RESCAN_PROGRESS_DATA, 2), 0);
	assert_int_equal(rescan_progress_index_add(&ix, 12288, RESCAN_PROGRESS_META_OTHER, 1), 0);
	assert_int_equal(rescan_progress_index_add(&ix, 16384, RESCAN_PROGRESS_DATA, 1), 0);
	assert_int_equal(rescan_progress_index_add(&ix, 20480, RESCAN_PROGRESS_DATA, 1), 0);
	assert_int_equal(rescan_progress_set_roots(&ix, &r), 0);
	assert_int_equal(ix.nr_exact, 3);
	assert_int_equal(ix.roots[0], 1000);
	assert_int_equal(ix.roots[1], 3);
	assert_int_equal(ix.roots[2], 0);
	assert_int_equal(ix.roots[3], 1);
	assert_int_equal(ix.roots[4], 0);
	assert_int_equal(rescan_progress_weigh(&ix), 0);
	total = rescan_progress_cost(1000, 1) + rescan_progress_cost(3, 2) +
		3 * rescan_progress_cost(1, 1);
	assert_true(fabs(ix.cum[5] - total) < 1e-9);
	/* past the shared tree block most of the work is done */
	assert_true(fabs(rescan_progress_percent(&ix, 4097) -
			 100 * rescan_progress_cost(1000, 1) / total) < 1e-9);
	assert_true(rescan_progress_percent(&ix, 4097) > 95);
	assert_true(rescan_progress_count_percent(&ix, 4097) == 20);
	assert_int_equal(rescan_roots_find(&r, 10000), 7);
	assert_int_equal(rescan_roots_find(&r, 12288), 0);
	assert_int_equal(rescan_roots_find(&r, 1), 0);
	assert_int_equal(rescan_roots_find(&r, 99999), 0);
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
	struct live_fs fs = fake_btrfs_fs();

	assert_int_equal(live_rescan_start(&fs), 0);
	assert_int_equal(fake_btrfs.calls[FAKE_BTRFS_RESCAN], 1);
	assert_int_equal(fake_btrfs_call(BTRFS_IOC_QUOTA_RESCAN, 0)->a, 0);	/* flags */
	fake_btrfs.ret[FAKE_BTRFS_RESCAN] = -EINPROGRESS;
	assert_int_equal(live_rescan_start(&fs), -EINPROGRESS);
	fake_btrfs.ret[FAKE_BTRFS_RESCAN] = -EROFS;
	assert_int_equal(live_rescan_start(&fs), -EROFS);
	fake_btrfs.ret[FAKE_BTRFS_RESCAN] = -EPERM;
	assert_int_equal(live_rescan_start(&fs), -EPERM);
	fake_btrfs.ret[FAKE_BTRFS_RESCAN] = -ENOTTY;
	assert_int_equal(live_rescan_start(&fs), -ENOTTY);
	/* quota disabled between our look and the ioctl */
	fake_btrfs.ret[FAKE_BTRFS_RESCAN] = -ENOTCONN;
	assert_int_equal(live_rescan_start(&fs), -ENOTCONN);
	/* EINVAL with flags 0: simple quotas */
	fake_btrfs.ret[FAKE_BTRFS_RESCAN] = -EINVAL;
	assert_int_equal(live_rescan_start(&fs), -EOPNOTSUPP);
	/* the mode is checked first: nothing asked of the kernel */
	fake_btrfs.calls[FAKE_BTRFS_RESCAN] = 0;
	fake_btrfs.ret[FAKE_BTRFS_RESCAN] = 0;
	fake_btrfs.mode = "squota";
	assert_int_equal(live_rescan_start(&fs), -EOPNOTSUPP);
	fake_btrfs.mode = NULL;
	assert_int_equal(live_rescan_start(&fs), -ENOTCONN);
	assert_int_equal(fake_btrfs.calls[FAKE_BTRFS_RESCAN], 0);
	assert_string_equal(live_rescan_strerror(-EINPROGRESS), "a rescan is already running");
	assert_string_equal(live_rescan_strerror(-ENOTCONN), "quotas are not enabled");
}

static void test_status_sample_wait(void **state)
{
	struct live_fs fs = fake_btrfs_fs();
	struct live_rescan_sample s;
	bool flag;
	uint64_t p;

	fake_btrfs.rescan_flags = 1;
	fake_btrfs.rescan_progress = 12345;
	assert_int_equal(live_rescan_status(&fs, &flag, &p), 0);
	assert_true(flag);
	assert_int_equal(p, 12345);
	/* progress without the flag is meaningless */
	fake_btrfs.rescan_flags = 0;
	assert_int_equal(live_rescan_status(&fs, &flag, &p), 0);
	assert_false(flag);
	assert_int_equal(p, 0);
	fake_btrfs.ret[FAKE_BTRFS_RESCAN_STATUS] = -EPERM;
	assert_int_equal(live_rescan_status(&fs, &flag, &p), -EPERM);
	assert_int_equal(live_rescan_sample(&fs, 1.0, &s), -EPERM);
	fake_btrfs.ret[FAKE_BTRFS_RESCAN_STATUS] = -ENOTTY;
	assert_int_equal(live_rescan_sample(&fs, 1.0, &s), -ENOTTY);
	fake_btrfs.ret[FAKE_BTRFS_RESCAN_STATUS] = 0;

	fake_btrfs.rescan_flags = 1;
	fake_btrfs.rescan_progress = 99;
	fake_btrfs.inconsistent = true;
	fake_btrfs.read_only = true;
	assert_int_equal(live_rescan_sample(&fs, 2.5, &s), 0);
	assert_true(s.flag && s.quota_on && s.inconsistent && s.read_only);
	assert_true(s.t == 2.5);
	assert_int_equal(s.progress, 99);
	fake_btrfs.mode = NULL;
	fake_btrfs.read_only = false;
	assert_int_equal(live_rescan_sample(&fs, 3, &s), 0);
	assert_false(s.quota_on);
	assert_false(s.read_only);
	fake_btrfs.ret[FAKE_BTRFS_FSTATFS] = -EIO;
	assert_int_equal(live_rescan_sample(&fs, 3, &s), -EIO);

	assert_int_equal(live_rescan_wait(&fs), 0);
	fake_btrfs.ret[FAKE_BTRFS_RESCAN_WAIT] = -EINTR;
	assert_int_equal(live_rescan_wait(&fs), -EINTR);
	fake_btrfs.ret[FAKE_BTRFS_RESCAN_WAIT] = -EPERM;
	assert_int_equal(live_rescan_wait(&fs), -EPERM);
	fake_btrfs.ret[FAKE_BTRFS_RESCAN_WAIT] = -ENOTTY;
	assert_int_equal(live_rescan_wait(&fs), -ENOTTY);
}

static void test_pause(void **state)
{
	unsigned long root_flags;

	/* "/" is a mountpoint everywhere; its flags must come along */
	assert_int_equal(live_rescan_mount_flags(NULL, "/", &root_flags), 0);
	assert_int_equal(live_rescan_pause("/"), 0);
	assert_int_equal(fake_btrfs.mount_flags, MS_REMOUNT | MS_RDONLY | root_flags);
	assert_string_equal(fake_btrfs.mount_target, "/");
	fake_btrfs.ret[FAKE_BTRFS_MOUNT] = -EBUSY;
	assert_int_equal(live_rescan_pause("/"), -EBUSY);
	fake_btrfs.ret[FAKE_BTRFS_MOUNT] = -EPERM;
	assert_int_equal(live_rescan_pause("/"), -EPERM);
	/* not a mountpoint: nothing is remounted */
	assert_int_equal(fake_btrfs.calls[FAKE_BTRFS_MOUNT], 3);
	assert_int_equal(live_rescan_pause("/nonexistent-qgtop-mountpoint"), -ENOENT);
	assert_int_equal(fake_btrfs.calls[FAKE_BTRFS_MOUNT], 3);
}

/* a remount must repeat every per-mount and superblock flag in force */
static void test_mount_flags(void **state)
{
	char path[] = "/tmp/qgtop-mountinfo-XXXXXX";
	unsigned long flags;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
		   "40 22 0:40 / /mnt/a rw,nosuid,nodev,noexec,noatime shared:20 - btrfs /dev/loop0 "
		   "rw,lazytime,compress=zstd:3,space_cache=v2,subvolid=5,subvol=/\n"
		   "41 22 0:40 /vol /mnt/b ro,nosymfollow shared:21 - btrfs /dev/loop0 "
		   "rw,sync,dirsync,subvolid=256,subvol=/vol\n"
		   "42 22 0:41 / /mnt/a rw,relatime shared:22 - btrfs /dev/loop1 rw\n");
	fclose(f);
	/* the last mount on a target is the visible one */
	assert_int_equal(live_rescan_mount_flags(path, "/mnt/a", &flags), 0);
	assert_int_equal(flags, MS_RELATIME);
	assert_int_equal(live_rescan_mount_flags(path, "/mnt/b", &flags), 0);
	assert_int_equal(flags, MS_NOSYMFOLLOW | MS_SYNCHRONOUS | MS_DIRSYNC);
	assert_int_equal(live_rescan_mount_flags(path, "/mnt/c", &flags), -ENOENT);
	/* the hidden one, alone */
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "40 22 0:40 / /mnt/a rw,nosuid,nodev,noexec,noatime shared:20 - btrfs "
		   "/dev/loop0 rw,lazytime,compress=zstd:3,subvolid=5,subvol=/\n");
	fclose(f);
	assert_int_equal(live_rescan_mount_flags(path, "/mnt/a", &flags), 0);
	assert_int_equal(flags, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_LAZYTIME);
	unlink(path);
}

/* ---- the extent-tree index through the fake ops ---- */

static void test_index_read(void **state)
{
	struct live_fs fs = fake_btrfs_fs();
	struct rescan_progress_index ix;
	atomic_int stop;
	uint64_t obj = 1 << 20, first_single = 0;

	/* tree blocks of the extent tree (internal) and of a subvolume, then
	 * 40 data extents with 16 roots and 40 with 1 */
	fake_btrfs_add_extent(obj, BTRFS_METADATA_ITEM_KEY, BTRFS_EXTENT_FLAG_TREE_BLOCK, 2, 0);
	obj += 16384;
	/* non-skinny tree block, shared by a snapshot: data below it can be
	 * reached by several roots */
	fake_btrfs_add_extent(obj, BTRFS_EXTENT_ITEM_KEY, BTRFS_EXTENT_FLAG_TREE_BLOCK, 256, 2);
	obj += 16384;
	for (int i = 0; i < 80; i++, obj += 4096) {
		fake_btrfs_add_extent(obj, BTRFS_EXTENT_ITEM_KEY, BTRFS_EXTENT_FLAG_DATA, 0,
				      i < 40 ? 16 : 1);
		if (i == 40)
			first_single = obj;
	}
	atomic_init(&stop, 0);
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), 0);
	assert_int_equal(ix.nr, 82);
	assert_int_equal(ix.nr_data, 80);
	assert_int_equal(ix.kind[0], RESCAN_PROGRESS_META_OTHER);
	assert_int_equal(ix.kind[1], RESCAN_PROGRESS_META_FS);
	assert_true(fake_btrfs.calls[FAKE_BTRFS_TREE_SEARCH] > 82 / 3);
	assert_int_equal(ix.nr_samples, 80);
	assert_int_equal(fake_btrfs.calls[FAKE_BTRFS_LOGICAL_INO], 80);
	assert_int_equal(ix.sample_roots[0], 16);
	assert_int_equal(ix.sample_roots[79], 1);
	/* half the data extents, but most of the work */
	assert_true(rescan_progress_count_percent(&ix, first_single) < 52);
	assert_true(rescan_progress_percent(&ix, first_single) > 75);
	rescan_progress_index_free(&ix);

	/* LOGICAL_INO failing: one root each, still an index */
	fake_btrfs.ret[FAKE_BTRFS_LOGICAL_INO] = -ENOENT;
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), 0);
	assert_int_equal(ix.sample_roots[0], 1);
	rescan_progress_index_free(&ix);
	/* EPERM is an error */
	fake_btrfs.ret[FAKE_BTRFS_LOGICAL_INO] = -EPERM;
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), -EPERM);
	rescan_progress_index_free(&ix);
	fake_btrfs.ret[FAKE_BTRFS_LOGICAL_INO] = 0;
	/* the search failing */
	fake_btrfs.ret[FAKE_BTRFS_TREE_SEARCH] = -EPERM;
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), -EPERM);
	rescan_progress_index_free(&ix);
	fake_btrfs.ret[FAKE_BTRFS_TREE_SEARCH] = 0;
	/* stopped */
	atomic_store(&stop, 1);
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), -ECANCELED);
	rescan_progress_index_free(&ix);
}

/* nothing shared (every extent item has one reference): one root each,
 * known without asking the kernel or walking the trees */
static void test_index_unshared(void **state)
{
	struct live_fs fs = fake_btrfs_fs();
	struct rescan_progress_index ix;
	atomic_int stop;
	uint64_t obj = 1 << 20;

	fake_btrfs_add_extent(obj, BTRFS_METADATA_ITEM_KEY, BTRFS_EXTENT_FLAG_TREE_BLOCK, 256, 1);
	obj += 16384;
	for (int i = 0; i < 10; i++, obj += 4096)
		fake_btrfs_add_extent(obj, BTRFS_EXTENT_ITEM_KEY, BTRFS_EXTENT_FLAG_DATA, 0, 1);
	atomic_init(&stop, 0);
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), 0);
	assert_int_equal(ix.nr, 11);
	assert_int_equal(ix.nr_exact, 11);
	assert_int_equal(ix.nr_samples, 0);
	assert_int_equal(fake_btrfs.calls[FAKE_BTRFS_LOGICAL_INO], 0);
	for (size_t i = 0; i < ix.nr; i++)
		assert_int_equal(ix.roots[i], 1);
	assert_true(fabs(rescan_progress_percent(&ix, ix.objectid[5]) - 100.0 * 5 / 11) < 1e-9);
	rescan_progress_index_free(&ix);
}

/* ---- cold reads (rescan-cache.h) ---- */

static void test_cache_offer(void **state)
{
	static struct rescan_cache c;
	/* extent item, EXTENT_OWNER_REF (simple quotas), EXTENT_DATA_REF */
	uint8_t body[24 + 9 + 29] = { 0 };
	uint8_t shared[24 + 13] = { 0 };
	bool low = false, high = false;

	(void)state;
	body[24] = QGTOP_BTRFS_EXTENT_OWNER_REF_KEY;
	put_le64(body + 25, 300);
	body[33] = BTRFS_EXTENT_DATA_REF_KEY;
	put_le64(body + 34, 257);
	put_le64(body + 42, 260);
	put_le64(body + 50, 8192);
	put_le32(body + 58, 1);
	memset(&c, 0, sizeof(c));
	rescan_cache_offer_item(&c, body, sizeof(body));
	assert_int_equal(c.nr, 1);
	assert_int_equal(c.ref[0].root, 257);
	assert_int_equal(c.ref[0].ino, 260);
	assert_int_equal(c.ref[0].offset, 8192);
	/* cut inside the data ref, no inline ref, only a shared data ref, a
	 * tree block ref: nothing */
	memset(&c, 0, sizeof(c));
	rescan_cache_offer_item(&c, body, sizeof(body) - 1);
	rescan_cache_offer_item(&c, body, 24);
	shared[24] = BTRFS_SHARED_DATA_REF_KEY;
	put_le64(shared + 25, 1 << 20);
	put_le32(shared + 33, 1);
	rescan_cache_offer_item(&c, shared, sizeof(shared));
	body[24] = BTRFS_TREE_BLOCK_REF_KEY;
	rescan_cache_offer_item(&c, body, sizeof(body));
	assert_int_equal(c.nr, 0);
	assert_int_equal(c.seen, 0);

	/* the reservoir keeps a spread of everything offered */
	for (uint64_t i = 0; i < 10000; i++)
		rescan_cache_offer(&c, 5, i, 0);
	assert_int_equal(c.nr, RESCAN_CACHE_PROBES);
	assert_int_equal(c.seen, 10000);
	for (size_t i = 0; i < c.nr; i++) {
		low |= c.ref[i].ino < 5000;
		high |= c.ref[i].ino >= 5000 + RESCAN_CACHE_PROBES;
		for (size_t j = 0; j < i; j++)
			assert_true(c.ref[i].ino != c.ref[j].ino);
	}
	assert_true(low && high);
}

/* the read cost goes to subvolume tree blocks only, with sampled roots
 * as with exact ones */
static void test_weigh_read_cost(void **state)
{
	struct rescan_progress_index ix;
	double other = rescan_progress_cost(1, 1);

	(void)state;
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_add(&ix, 1 << 20, RESCAN_PROGRESS_META_FS, 1), 0);
	assert_int_equal(rescan_progress_index_add(&ix, 2 << 20, RESCAN_PROGRESS_DATA, 1), 0);
	assert_int_equal(rescan_progress_index_add(&ix, 3 << 20, RESCAN_PROGRESS_META_OTHER, 1), 0);
	ix.read_cost = 50;
	assert_int_equal(rescan_progress_weigh(&ix), 0);
	assert_true(fabs(ix.cum[1] - ix.cum[0] - (other + 50)) < 1e-9);
	assert_true(fabs(ix.cum[2] - ix.cum[1] - other) < 1e-9);
	assert_true(fabs(ix.cum[3] - ix.cum[2] - other) < 1e-9);
	assert_int_equal(rescan_progress_pick_samples(&ix, 8), 0);
	ix.sample_roots[0] = 3;
	assert_int_equal(rescan_progress_weigh(&ix), 0);
	assert_true(fabs(ix.cum[1] - ix.cum[0] - (rescan_progress_cost(3, 1) + 50)) < 1e-9);
	assert_true(fabs(ix.cum[3] - ix.cum[2] - other) < 1e-9);
	rescan_progress_index_free(&ix);
}

static void test_cache_read_cost(void **state)
{
	struct rescan_cache c = { .probed = 100, .misses = 50, .extra_s = 50 * 100e-6,
				  .hit_s = 5e-6 };
	double per_miss = 100e-6 / 5e-6 * RESCAN_CACHE_LOOKUP_COST;

	(void)state;
	/* half the leaves missed, none read by the rescan yet: half a read */
	assert_true(fabs(rescan_cache_read_cost(&c, 1.0) - per_miss / 2) < 1e-9);
	/* the rescan had read half: every block was cold at its start */
	assert_true(fabs(rescan_cache_read_cost(&c, 0.5) - per_miss) < 1e-9);
	/* never more than one read a block, however little is left */
	assert_true(fabs(rescan_cache_read_cost(&c, 0.01) - per_miss) < 1e-9);
	c.misses = 0;
	c.extra_s = 0;
	assert_true(rescan_cache_read_cost(&c, 1.0) == 0);
	c.probed = 0;
	assert_true(rescan_cache_read_cost(&c, 1.0) == 0);
}

/* the first lookup of an odd inode reads from "disk" */
static unsigned char cold_seen[64];

static void slow_first_lookup(unsigned long req, void *arg)
{
	const struct btrfs_ioctl_search_args_v2 *a = arg;
	static const struct timespec disk = { 0, 2 * 1000000L };
	uint64_t ino = a->key.min_objectid;

	if (req != BTRFS_IOC_TREE_SEARCH_V2 || a->key.tree_id != 256 || ino >= 64)
		return;
	if (ino % 2 && !cold_seen[ino])
		nanosleep(&disk, NULL);
	cold_seen[ino] = 1;
}

/* Ctrl-C arrives during the probe: the first lookup sets the flag */
static atomic_int *probe_stop;

static void stop_at_lookup(unsigned long req, void *arg)
{
	const struct btrfs_ioctl_search_args_v2 *a = arg;

	if (req == BTRFS_IOC_TREE_SEARCH_V2 && a->key.tree_id == 256)
		atomic_store(probe_stop, 1);
}

static void test_cache_probe(void **state)
{
	struct live_fs fs = fake_btrfs_fs();
	struct rescan_progress_index ix;
	atomic_int stop;
	uint64_t obj = 1 << 20;
	double data_cost, meta_cost;

	(void)state;
	/* 2 subvolume tree blocks, then 20 data extents named by inodes
	 * 20..39 of tree 256; half their leaves are cold */
	for (int i = 0; i < 2; i++, obj += 16384)
		fake_btrfs_add_extent(obj, BTRFS_METADATA_ITEM_KEY, BTRFS_EXTENT_FLAG_TREE_BLOCK,
				      256, 1);
	for (int i = 20; i < 40; i++, obj += 4096)
		fake_btrfs_add_data_ref(obj, 256, i, 0);
	/* one whose file extent item is gone */
	fake_btrfs_add_data_ref(obj, 256, 40, 0);
	assert_int_equal(fake_btrfs_del_item(256, 40, BTRFS_EXTENT_DATA_KEY, 0), 0);
	memset(cold_seen, 0, sizeof(cold_seen));
	fake_btrfs.on_ioctl = slow_first_lookup;
	atomic_init(&stop, 0);
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), 0);
	assert_int_equal(ix.cache.nr, 21);
	assert_int_equal(ix.cache.probed, 20);
	assert_true(ix.cache.misses >= 10);
	assert_true(ix.cache.extra_s >= 10 * 1.9e-3);
	assert_true(ix.read_cost > 0);
	/* each subvolume tree block carries the read, data extents do not */
	meta_cost = ix.cum[1] - ix.cum[0];
	data_cost = ix.cum[3] - ix.cum[2];
	assert_true(fabs(meta_cost - data_cost - ix.read_cost) < 1e-9);
	/* no rescan seen at the probe: every block still to be read */
	assert_true(fabs(ix.read_cost - rescan_cache_read_cost(&ix.cache, 1.0)) < 1e-9);
	rescan_progress_index_free(&ix);

	/* the rescan had passed one of the two tree blocks: the misses are
	 * half of what was cold at its start */
	fake_btrfs.rescan_flags = 1;
	fake_btrfs.rescan_progress = (1 << 20) + 1;
	memset(cold_seen, 0, sizeof(cold_seen));
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), 0);
	assert_true(ix.cache.misses >= 10);
	assert_true(fabs(ix.read_cost - rescan_cache_read_cost(&ix.cache, 0.5)) < 1e-9);
	assert_true(ix.read_cost > rescan_cache_read_cost(&ix.cache, 1.0) * 1.5);
	rescan_progress_index_free(&ix);
	fake_btrfs.rescan_flags = 0;

	/* stopped between two lookups */
	probe_stop = &stop;
	fake_btrfs.on_ioctl = stop_at_lookup;
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), -ECANCELED);
	assert_true(ix.cache.probed <= 1);
	rescan_progress_index_free(&ix);
	atomic_store(&stop, 0);
	fake_btrfs.on_ioctl = slow_first_lookup;

	/* all cached now: the slow lookups are gone (a preempted one may
	 * still count) */
	memset(&ix, 0, sizeof(ix));
	assert_int_equal(rescan_progress_index_read(&fs, &ix, &stop), 0);
	assert_int_equal(ix.cache.probed, 20);
	assert_true(ix.cache.misses < 5);
	rescan_progress_index_free(&ix);
	fake_btrfs.on_ioctl = NULL;
}

static void test_observe(void **state)
{
	struct live_fs fs = fake_btrfs_fs();
	struct rescan_progress rp;
	struct qgroup_rescan r;
	double cnt;
	const uint64_t base = 1 << 20;

	/* extent i at base + 4096 i */
	for (int i = 0; i < 100; i++)
		fake_btrfs_add_extent(base + 4096 * i, BTRFS_EXTENT_ITEM_KEY,
				      BTRFS_EXTENT_FLAG_DATA, 0, 4);
	assert_int_equal(rescan_progress_begin(&rp, &fs, 100.0, 0), 0);
	assert_int_equal(rescan_progress_wait_ready(&rp, NULL), 0);
	assert_int_equal(rescan_progress_ready(&rp), 1);
	/* 10 extents per second, uniform cost: 10 %/s */
	for (int k = 1; k <= 6; k++) {
		rescan_progress_observe(&rp, 100.0 + k, QGROUP_RESCAN_SCANNING,
					base + 4096 * 10 * k, &r, &cnt);
		assert_true(fabs(r.percent - 10 * k) < 1e-9);
		assert_true(fabs(cnt - 10 * k) < 1e-9);
		assert_true(fabs(r.elapsed_s - k) < 1e-9);
		assert_true(fabs(r.rate - 10) < 1e-9);
	}
	/* by now: 60 % in 6 s, steady: 4 s left */
	assert_true(fabs(r.eta_s - 4) < 1e-6);
	/* paused: no ETA */
	rescan_progress_observe(&rp, 107.0, QGROUP_RESCAN_PAUSED, base + 4096 * 60, &r, NULL);
	assert_true(r.eta_s < 0);
	rescan_progress_observe(&rp, 108.0, QGROUP_RESCAN_IDLE, 0, &r, NULL);
	assert_true(r.percent == 100);
	rescan_progress_end(&rp);

	/* index failing: no percent, but elapsed */
	fake_btrfs.ret[FAKE_BTRFS_TREE_SEARCH] = -EPERM;
	assert_int_equal(rescan_progress_begin(&rp, &fs, 0, 0), 0);
	assert_int_equal(rescan_progress_wait_ready(&rp, NULL), -EPERM);
	rescan_progress_observe(&rp, 1.0, QGROUP_RESCAN_SCANNING, 5000, &r, &cnt);
	assert_true(r.percent < 0 && cnt < 0 && r.rate < 0 && r.eta_s < 0);
	assert_true(r.elapsed_s == 1.0);
	rescan_progress_end(&rp);
}

static volatile sig_atomic_t stop_flag;

static void *set_stop_later(void *arg)
{
	struct timespec ts = { 0, 200 * 1000000L };

	nanosleep(&ts, NULL);
	stop_flag = 1;
	return NULL;
}

/* Ctrl-C while the extent tree is still being counted ends the wait at
 * once (rescan --status): within one TREE_SEARCH, not at the end */
static void test_wait_interrupted(void **state)
{
	struct live_fs fs = fake_btrfs_fs();
	struct rescan_progress rp;
	pthread_t t;
	double t0, dt;

	for (size_t i = 0; i < 4000; i++)
		fake_btrfs_add_extent(1000000 + 4096 * i, BTRFS_EXTENT_ITEM_KEY,
				      BTRFS_EXTENT_FLAG_DATA, 0, 1);
	fake_btrfs.search_delay_ms = 20;	/* 3 items a call: 1334 calls, about 27 s */
	stop_flag = 0;
	assert_int_equal(rescan_progress_begin(&rp, &fs, 0, 0), 0);
	assert_int_equal(pthread_create(&t, NULL, set_stop_later, NULL), 0);
	t0 = mono_time_now();
	assert_int_equal(rescan_progress_wait_ready(&rp, &stop_flag), -EINTR);
	dt = mono_time_now() - t0;
	pthread_join(t, NULL);
	rescan_progress_end(&rp);
	assert_true(dt > 0.15 && dt < 0.6);
	assert_true(fake_btrfs.calls[FAKE_BTRFS_TREE_SEARCH] < 50);
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
		cmocka_unit_test(test_exact_roots),
		cmocka_unit_test(test_count_roots),
		cmocka_unit_test(test_eta),
		cmocka_unit_test_setup_teardown(test_start_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_sample_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pause, setup, teardown),
		cmocka_unit_test(test_mount_flags),
		cmocka_unit_test_setup_teardown(test_index_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_unshared, setup, teardown),
		cmocka_unit_test(test_cache_offer),
		cmocka_unit_test(test_cache_read_cost),
		cmocka_unit_test(test_weigh_read_cost),
		cmocka_unit_test_setup_teardown(test_cache_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_observe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_interrupted, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
