// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rescan-progress.c - cost-weighted rescan percentage, rate and ETA (see
 * rescan-progress.h for the method and the measurements it rests on).
 *
 * The background thread only reads the filesystem (TREE_SEARCH_V2 and
 * LOGICAL_INO_V2 through btrfs_ops) and publishes its index with a
 * release store of `done`; the observing thread reads the index only
 * after an acquire load saw it set.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/btrfs.h>

#include "btrfs-ops.h"
#include "btrfs-format.h"
#include "le.h"
#include "live-rescan.h"
#include "rescan-progress.h"
#include "rescan-roots.h"
#include "signals.h"

/* LOGICAL_INO_V2 answer buffer: 2730 (inode, offset, root) triples */
#define LOGICAL_INO_BUF (64 * 1024)

double rescan_progress_cost(double roots, uint32_t refs)
{
	if (roots < 1)
		roots = 1;
	if (refs < 1)
		refs = 1;
	return RESCAN_PROGRESS_COST_A + RESCAN_PROGRESS_COST_B * roots +
	       RESCAN_PROGRESS_COST_C * (refs - 1);
}

int rescan_progress_index_add(struct rescan_progress_index *ix, uint64_t objectid,
			      enum rescan_progress_kind kind, uint64_t refs)
{
	if (ix->nr == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 4096;
		uint64_t *ids = realloc(ix->objectid, cap * sizeof(*ids));
		uint8_t *kinds;
		uint32_t *nrefs;

		if (!ids)
			return -ENOMEM;
		ix->objectid = ids;
		kinds = realloc(ix->kind, cap);
		if (!kinds)
			return -ENOMEM;
		ix->kind = kinds;
		nrefs = realloc(ix->refs, cap * sizeof(*nrefs));
		if (!nrefs)
			return -ENOMEM;
		ix->refs = nrefs;
		ix->cap = cap;
	}
	ix->objectid[ix->nr] = objectid;
	ix->kind[ix->nr] = (uint8_t)kind;
	ix->refs[ix->nr] = refs > UINT32_MAX ? UINT32_MAX : (uint32_t)refs;
	ix->nr++;
	if (kind == RESCAN_PROGRESS_DATA)
		ix->nr_data++;
	return 0;
}

int rescan_progress_pick_samples(struct rescan_progress_index *ix, size_t max)
{
	size_t n = ix->nr_data < max ? ix->nr_data : max;
	size_t rank = 0, s = 0;

	free(ix->sample_idx);
	free(ix->sample_roots);
	ix->sample_idx = NULL;
	ix->sample_roots = NULL;
	ix->nr_samples = 0;
	if (n == 0)
		return 0;
	ix->sample_idx = calloc(n, sizeof(*ix->sample_idx));
	ix->sample_roots = calloc(n, sizeof(*ix->sample_roots));
	if (!ix->sample_idx || !ix->sample_roots)
		return -ENOMEM;
	/* sample s is the data extent of rank (2s+1)*nr_data/(2n): slice middles */
	for (size_t i = 0; i < ix->nr && s < n; i++) {
		if (ix->kind[i] != RESCAN_PROGRESS_DATA)
			continue;
		if (rank == (2 * s + 1) * ix->nr_data / (2 * n))
			ix->sample_idx[s++] = i;
		rank++;
	}
	ix->nr_samples = s;
	return 0;
}

int rescan_progress_set_roots(struct rescan_progress_index *ix, const struct rescan_roots *r)
{
	free(ix->roots);
	ix->nr_exact = 0;
	ix->roots = malloc((ix->nr ? ix->nr : 1) * sizeof(*ix->roots));
	if (!ix->roots)
		return -ENOMEM;
	for (size_t i = 0; i < ix->nr; i++) {
		ix->roots[i] = rescan_roots_find(r, ix->objectid[i]);
		if (ix->roots[i])
			ix->nr_exact++;
	}
	return 0;
}

int rescan_progress_weigh(struct rescan_progress_index *ix)
{
	double mean = 1, sum = 0, meta_fs, meta_other;
	size_t rank = 0;

	free(ix->cum);
	ix->cum = malloc((ix->nr + 1) * sizeof(*ix->cum));
	if (!ix->cum)
		return -ENOMEM;
	ix->cum[0] = 0;
	if (ix->roots) {
		for (size_t i = 0; i < ix->nr; i++)
			ix->cum[i + 1] = ix->cum[i] + rescan_progress_cost(ix->roots[i], ix->refs[i]) +
					 (ix->kind[i] == RESCAN_PROGRESS_META_FS ? ix->read_cost : 0);
		return 0;
	}
	if (ix->nr_samples) {
		for (size_t s = 0; s < ix->nr_samples; s++)
			sum += ix->sample_roots[s] ? ix->sample_roots[s] : 1;
		mean = sum / ix->nr_samples;
	}
	meta_fs = rescan_progress_cost(mean, 1);
	meta_other = rescan_progress_cost(1, 1);
	for (size_t i = 0; i < ix->nr; i++) {
		double c;

		switch (ix->kind[i]) {
		case RESCAN_PROGRESS_DATA:
			if (ix->nr_samples) {
				/* the slice this data extent falls in */
				size_t s = rank * ix->nr_samples / ix->nr_data;
				unsigned r = ix->sample_roots[s];

				c = rescan_progress_cost(r ? r : 1, ix->refs[i]);
			} else {
				c = meta_other;
			}
			rank++;
			break;
		case RESCAN_PROGRESS_META_FS:
			c = (ix->nr_samples ? meta_fs : meta_other) + ix->read_cost;
			break;
		default:
			c = meta_other;
			break;
		}
		/* each further backref is walked on its own */
		if (ix->kind[i] != RESCAN_PROGRESS_DATA || !ix->nr_samples)
			c += rescan_progress_cost(1, ix->refs[i]) - meta_other;
		ix->cum[i + 1] = ix->cum[i] + c;
	}
	return 0;
}

void rescan_progress_index_free(struct rescan_progress_index *ix)
{
	free(ix->objectid);
	free(ix->kind);
	free(ix->refs);
	free(ix->cum);
	free(ix->roots);
	free(ix->sample_idx);
	free(ix->sample_roots);
	memset(ix, 0, sizeof(*ix));
}

size_t rescan_progress_lower_bound(const uint64_t *ids, size_t nr, uint64_t key)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ids[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

double rescan_progress_percent(const struct rescan_progress_index *ix, uint64_t progress)
{
	size_t i;

	if (progress == UINT64_MAX || ix->nr == 0)
		return progress == 0 ? 0 : 100;
	if (!ix->cum || ix->cum[ix->nr] <= 0)
		return rescan_progress_count_percent(ix, progress);
	i = rescan_progress_lower_bound(ix->objectid, ix->nr, progress);
	return 100.0 * (ix->cum[i] / ix->cum[ix->nr]);
}

double rescan_progress_count_percent(const struct rescan_progress_index *ix, uint64_t progress)
{
	if (progress == UINT64_MAX || ix->nr == 0)
		return progress == 0 ? 0 : 100;
	return 100.0 * (double)rescan_progress_lower_bound(ix->objectid, ix->nr, progress) /
	       (double)ix->nr;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

unsigned rescan_progress_count_roots(const uint64_t *val, size_t nr, uint64_t *scratch)
{
	unsigned distinct = 0;

	for (size_t i = 0; i < nr; i++)
		scratch[i] = val[3 * i + 2];
	qsort(scratch, nr, sizeof(*scratch), cmp_u64);
	for (size_t i = 0; i < nr; i++)
		if (i == 0 || scratch[i] != scratch[i - 1])
			distinct++;
	return distinct;
}

double rescan_progress_eta(double t0, double pct0, double now, double pct, double recent_rate)
{
	double done = pct - pct0, dt = now - t0, rate;

	if (pct < 0 || pct0 < 0 || done < RESCAN_PROGRESS_ETA_MIN_PCT ||
	    dt < RESCAN_PROGRESS_ETA_MIN_S)
		return -1;
	rate = done / dt;
	if (recent_rate <= 0 || recent_rate < rate / 2 || recent_rate > rate * 2)
		return -1;
	return (100.0 - pct) / rate;
}

/* enumeration of the extent tree */

static bool internal_tree(uint64_t root)
{
	/* 5 is the top subvolume; 256.. subvolumes; negative ids: reloc trees */
	return (root < 256 && root != 5) || root >= (uint64_t)-255;
}

struct enum_ctx {
	struct rescan_progress_index *ix;
	atomic_int *stop;
};

static int extent_item(const struct live_tree_item *it, void *data)
{
	struct enum_ctx *ctx = data;
	enum rescan_progress_kind kind;
	const uint8_t *d = it->data;
	uint32_t refs_at;

	if (ctx->stop && atomic_load(ctx->stop))
		return -ECANCELED;
	if (it->type != BTRFS_EXTENT_ITEM_KEY && it->type != BTRFS_METADATA_ITEM_KEY)
		return 0;
	if (it->len < sizeof(struct btrfs_extent_item))
		return 0;
	if (it->type == BTRFS_EXTENT_ITEM_KEY &&
	    (BTRFS_LE64(d, struct btrfs_extent_item, flags) & BTRFS_EXTENT_FLAG_DATA)) {
		kind = RESCAN_PROGRESS_DATA;
		rescan_cache_offer_item(&ctx->ix->cache, d, it->len);
	} else {
		refs_at = sizeof(struct btrfs_extent_item);
		if (it->type == BTRFS_EXTENT_ITEM_KEY)
			refs_at += sizeof(struct btrfs_tree_block_info);
		kind = RESCAN_PROGRESS_META_FS;
		/* the first inline ref names the owner tree unless it is shared */
		if (it->len >= refs_at + sizeof(struct btrfs_extent_inline_ref) &&
		    BTRFS_LE8(d + refs_at, struct btrfs_extent_inline_ref, type) ==
			    BTRFS_TREE_BLOCK_REF_KEY &&
		    internal_tree(BTRFS_LE64(d + refs_at, struct btrfs_extent_inline_ref, offset)))
			kind = RESCAN_PROGRESS_META_OTHER;
	}
	return rescan_progress_index_add(ctx->ix, it->objectid, kind,
					 BTRFS_LE64(d, struct btrfs_extent_item, refs));
}

static int sample_roots(struct live_fs *fs, struct rescan_progress_index *ix, atomic_int *stop)
{
	struct btrfs_ioctl_logical_ino_args args;
	struct btrfs_data_container *dc;
	uint64_t *scratch;
	int ret = 0;

	dc = malloc(LOGICAL_INO_BUF);
	scratch = malloc(LOGICAL_INO_BUF);
	if (!dc || !scratch) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (size_t s = 0; s < ix->nr_samples; s++) {
		int r;

		if (stop && atomic_load(stop)) {
			ret = -ECANCELED;
			goto out_free;
		}
		memset(&args, 0, sizeof(args));
		memset(dc, 0, sizeof(*dc));
		args.logical = ix->objectid[ix->sample_idx[s]];
		args.size = LOGICAL_INO_BUF;
		args.flags = BTRFS_LOGICAL_INO_ARGS_IGNORE_OFFSET;
		args.inodes = (uintptr_t)dc;
		r = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_LOGICAL_INO_V2, &args);
		if (r == -EPERM) {
			ret = r;
			goto out_free;
		}
		/* freed or moved since the enumeration: count one root */
		if (r < 0 || dc->elem_cnt < 3) {
			ix->sample_roots[s] = 1;
			continue;
		}
		ix->sample_roots[s] = rescan_progress_count_roots((const uint64_t *)dc->val,
								  dc->elem_cnt / 3, scratch);
	}
out_free:
	free(scratch);
	free(dc);
	return ret;
}

/*
 * What reading the subvolume tree blocks will cost: probe the cache, and
 * count the blocks the rescan has passed meanwhile as read already.
 */
static int measure_reads(struct live_fs *fs, struct rescan_progress_index *ix, atomic_int *stop)
{
	size_t meta = 0, passed = 0;
	uint64_t progress = 0;
	bool flag = false;
	int ret;

	ret = rescan_cache_probe(fs, &ix->cache, stop);
	if (ret == -ECANCELED || ret == -ENOMEM)
		return ret;
	if (ret || live_rescan_status(fs, &flag, &progress) < 0 || !flag)
		progress = 0;
	for (size_t i = 0; i < ix->nr; i++) {
		if (ix->kind[i] != RESCAN_PROGRESS_META_FS)
			continue;
		meta++;
		if (ix->objectid[i] < progress)
			passed++;
	}
	ix->read_cost = rescan_cache_read_cost(&ix->cache,
					       meta ? 1.0 - (double)passed / meta : 1.0);
	return 0;
}

/* every extent item of @ix has one reference */
static bool all_single(const struct rescan_progress_index *ix)
{
	for (size_t i = 0; i < ix->nr; i++)
		if (ix->refs[i] > 1)
			return false;
	return true;
}

int rescan_progress_index_read(struct live_fs *fs, struct rescan_progress_index *ix,
			       atomic_int *stop)
{
	struct live_tree_range range = live_tree_range_all(BTRFS_EXTENT_TREE_OBJECTID);
	struct enum_ctx ctx = { ix, stop };
	int ret;

	range.min_type = BTRFS_EXTENT_ITEM_KEY;
	range.max_type = BTRFS_METADATA_ITEM_KEY;
	ret = live_fs_tree_search(fs, &range, extent_item, &ctx);
	if (ret < 0)
		return ret;
	ret = measure_reads(fs, ix, stop);
	if (ret)
		return ret;
	if (all_single(ix)) {
		/* no extent, tree block or data, has a second reference: no
		 * snapshot shares a block and no reflink an extent, so every
		 * extent is reached by exactly one tree: no need to read every
		 * subvolume tree to learn that */
		ix->roots = malloc((ix->nr ? ix->nr : 1) * sizeof(*ix->roots));
		if (!ix->roots)
			return -ENOMEM;
		for (size_t i = 0; i < ix->nr; i++)
			ix->roots[i] = 1;
		ix->nr_exact = ix->nr;
		return rescan_progress_weigh(ix);
	}
	if (fs->path) {
		struct rescan_roots roots = { 0 };

		ret = rescan_roots_read(fs->path, stop, &roots);
		if (!ret)
			ret = rescan_progress_set_roots(ix, &roots);
		rescan_roots_free(&roots);
		if (!ret)
			return rescan_progress_weigh(ix);
		if (ret == -ECANCELED || ret == -ENOMEM)
			return ret;
		/* no exact counts (no root, a missing device, too many
		 * commits): sample instead */
	}
	ret = rescan_progress_pick_samples(ix, RESCAN_PROGRESS_SAMPLES);
	if (ret)
		return ret;
	ret = sample_roots(fs, ix, stop);
	if (ret)
		return ret;
	return rescan_progress_weigh(ix);
}

/* the followed rescan */

static void *index_thread(void *arg)
{
	struct rescan_progress *rp = arg;

	rp->result = rescan_progress_index_read(rp->fs, &rp->ix, &rp->stop);
	atomic_store_explicit(&rp->done, 1, memory_order_release);
	return NULL;
}

int rescan_progress_begin(struct rescan_progress *rp, struct live_fs *fs, double now,
			  uint64_t progress)
{
	int ret;

	memset(rp, 0, sizeof(*rp));
	atomic_init(&rp->stop, 0);
	atomic_init(&rp->done, 0);
	rp->fs = fs;
	rp->have_t0 = true;
	rp->t0 = now;
	rp->p0 = progress;
	ret = signals_thread_create(&rp->thread, index_thread, rp);
	if (ret)
		return -ret;
	rp->thread_started = true;
	return 0;
}

int rescan_progress_ready(struct rescan_progress *rp)
{
	if (!atomic_load_explicit(&rp->done, memory_order_acquire))
		return 0;
	return rp->result ? rp->result : 1;
}

int rescan_progress_wait_ready(struct rescan_progress *rp, volatile const sig_atomic_t *stop)
{
	static const struct timespec tick = { 0, 20 * 1000000L };

	while (rp->thread_started && !atomic_load_explicit(&rp->done, memory_order_acquire)) {
		if (stop && *stop) {
			/* the thread looks at the flag after every extent and sample */
			atomic_store(&rp->stop, 1);
			pthread_join(rp->thread, NULL);
			rp->thread_started = false;
			return -EINTR;
		}
		nanosleep(&tick, NULL);
	}
	if (rp->thread_started) {
		pthread_join(rp->thread, NULL);
		rp->thread_started = false;
	}
	return rp->result;
}

/* percent per second over the last window, or -1 */
static double recent_rate(const struct rescan_progress *rp, double now, double pct)
{
	for (size_t k = 0; k < rp->hist_n; k++) {
		/* oldest first */
		size_t i = (rp->hist_head + RESCAN_PROGRESS_HISTORY - rp->hist_n + k) %
			   RESCAN_PROGRESS_HISTORY;

		if (now - rp->hist_t[i] <= RESCAN_PROGRESS_WINDOW_S) {
			if (now - rp->hist_t[i] < RESCAN_PROGRESS_WINDOW_S / 2)
				return -1;
			return (pct - rp->hist_pct[i]) / (now - rp->hist_t[i]);
		}
	}
	return -1;
}

static void history_push(struct rescan_progress *rp, double now, double pct)
{
	rp->hist_t[rp->hist_head] = now;
	rp->hist_pct[rp->hist_head] = pct;
	rp->hist_head = (rp->hist_head + 1) % RESCAN_PROGRESS_HISTORY;
	if (rp->hist_n < RESCAN_PROGRESS_HISTORY)
		rp->hist_n++;
}

void rescan_progress_observe(struct rescan_progress *rp, double now,
			     enum qgroup_rescan_state state, uint64_t progress,
			     struct qgroup_rescan *out, double *count_pct)
{
	double pct, pct0, dt = now - rp->t0;
	size_t n0, n;

	out->state = state;
	out->progress = progress;
	out->percent = -1;
	out->eta_s = -1;
	out->rate = -1;
	out->elapsed_s = dt;
	if (count_pct)
		*count_pct = -1;
	if (rescan_progress_ready(rp) != 1)
		return;
	if (state == QGROUP_RESCAN_IDLE || state == QGROUP_RESCAN_STALE) {
		out->percent = state == QGROUP_RESCAN_IDLE ? 100 : -1;
		return;
	}
	pct = rescan_progress_percent(&rp->ix, progress);
	out->percent = pct;
	if (count_pct)
		*count_pct = rescan_progress_count_percent(&rp->ix, progress);
	if (progress != UINT64_MAX) {
		n0 = rescan_progress_lower_bound(rp->ix.objectid, rp->ix.nr, rp->p0);
		n = rescan_progress_lower_bound(rp->ix.objectid, rp->ix.nr, progress);
		if (dt > 0 && n >= n0)
			out->rate = (double)(n - n0) / dt;
	}
	if (state == QGROUP_RESCAN_SCANNING) {
		pct0 = rescan_progress_percent(&rp->ix, rp->p0);
		out->eta_s = rescan_progress_eta(rp->t0, pct0, now, pct,
						 recent_rate(rp, now, pct));
	}
	history_push(rp, now, pct);
}

void rescan_progress_end(struct rescan_progress *rp)
{
	atomic_store(&rp->stop, 1);
	if (rp->thread_started) {
		pthread_join(rp->thread, NULL);
		rp->thread_started = false;
	}
	rescan_progress_index_free(&rp->ix);
}
