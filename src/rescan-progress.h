/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rescan-progress.h - an honest percentage for a running quota rescan.
 *
 * The kernel reports only a position in the extent tree (objectid + 1 of
 * the last key of the leaf it finished). Raw positions are up to 50
 * points off the share of time spent, so we enumerate the extent tree
 * once (TREE_SEARCH_V2 on tree 2, in a background thread) into a sorted
 * array of extent objectids and give each extent a cost: the kernel's
 * work per extent grows with the number of roots that reach it
 * (measured on kernel 6.18: about 8 us with one root, 80 us with 32), and
 * that holds for tree blocks as for data extents. Extent items do not say
 * how many roots reach them (sharing through snapshot-shared tree blocks
 * is invisible there), so the same background thread walks every
 * subvolume tree from the devices with the offline reader
 * (rescan-roots.h), which gives the exact count for every extent. Where
 * that walk is not possible (it needs root and every device, and gives up
 * on a filesystem that commits too often) a few hundred data extents
 * spread evenly over the array are asked with LOGICAL_INO_V2 for the
 * distinct roots referencing them, and every data extent takes the cost
 * of its region's sample. Cold, the kernel also reads every subvolume
 * tree block from disk (rescan-cache.h), which a probe of the cache
 * prices; that is added to each such block. The percentage is the
 * cost-weighted share of extents below the kernel's position.
 *
 * The math (weights, percent, rate, ETA) is in pure functions below so
 * it is unit tested without a kernel.
 */
#ifndef QGTOP_RESCAN_PROGRESS_H
#define QGTOP_RESCAN_PROGRESS_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "live-fs.h"
#include "qgroup-model.h"
#include "rescan-cache.h"
#include "rescan-roots.h"

/*
 * cost model, microseconds per extent: A + B * roots + C * (refs - 1).
 * A and B measured (8 us at one root, 80 us at 32); C, the
 * walk of each further backref of the extent item (snapshots whose leaves
 * were rewritten reference an extent from distinct leaves), is 1.6 B: a
 * least-squares fit of the measured rescan time between polls on the
 * "mix" layout of bench/progress-accuracy.sh (bench/README-progress.md).
 */
#define RESCAN_PROGRESS_COST_A 5.7
#define RESCAN_PROGRESS_COST_B 2.3
#define RESCAN_PROGRESS_COST_C 3.7
/* how many data extents are asked for their roots */
#define RESCAN_PROGRESS_SAMPLES 512
/* an ETA is shown only past this many points of progress ... */
#define RESCAN_PROGRESS_ETA_MIN_PCT 5.0
/* ... and this much observed time */
#define RESCAN_PROGRESS_ETA_MIN_S 2.0
/* window of the recent rate compared with the overall one */
#define RESCAN_PROGRESS_WINDOW_S 3.0

enum rescan_progress_kind {
	RESCAN_PROGRESS_DATA = 0,	/* data extent */
	RESCAN_PROGRESS_META_FS,	/* tree block of a subvolume tree */
	RESCAN_PROGRESS_META_OTHER,	/* tree block of an internal tree */
};

/* the enumerated extent tree and each extent's cost */
struct rescan_progress_index {
	size_t nr;
	size_t cap;
	uint64_t *objectid;	/* sorted ascending */
	uint8_t *kind;		/* enum rescan_progress_kind */
	uint32_t *refs;		/* the extent item's reference count */
	double *cum;		/* nr + 1 prefix sums of the costs */
	size_t nr_data;
	/* exact roots per extent (rescan-roots.h), NULL when not known;
	 * 0 for an extent no subvolume tree reaches (an internal tree's) */
	uint32_t *roots;
	size_t nr_exact;	/* extents a subvolume tree reaches */
	/* the sampled data extents: index into objectid, distinct roots */
	size_t nr_samples;
	size_t *sample_idx;
	unsigned *sample_roots;
	/* cold reads: the probe, and the cost added to each subvolume tree
	 * block for reading it (rescan-cache.h) */
	struct rescan_cache cache;
	double read_cost;
};

/**
 * rescan_progress_cost() - the modelled cost of an extent reached by
 * @roots roots with @refs references in its extent item, in microseconds
 */
double rescan_progress_cost(double roots, uint32_t refs);

/**
 * rescan_progress_index_add() - append one extent (ascending objectids)
 * Return: 0 or -ENOMEM.
 */
int rescan_progress_index_add(struct rescan_progress_index *ix, uint64_t objectid,
			      enum rescan_progress_kind kind, uint64_t refs);

/**
 * rescan_progress_pick_samples() - choose up to @max data extents evenly
 * spread over the data extents of @ix (the middle of equal slices)
 * Return: 0 or -ENOMEM; ix->sample_idx filled, sample_roots zeroed.
 */
int rescan_progress_pick_samples(struct rescan_progress_index *ix, size_t max);

/**
 * rescan_progress_set_roots() - take every extent's exact root count from
 * @r (sorted by bytenr), 0 for the extents it lacks
 * Return: 0 or -ENOMEM.
 */
int rescan_progress_set_roots(struct rescan_progress_index *ix, const struct rescan_roots *r);

/**
 * rescan_progress_weigh() - compute ix->cum from the exact roots, else
 * from the samples' roots
 *
 * With exact roots every extent costs its own roots (at least one) plus
 * its references. With samples a data extent costs the roots of its
 * slice's sample plus its own references; a subvolume tree block as the
 * mean roots of all samples (tree blocks are reached by the roots of the
 * data below them); an internal tree block as one root. Without either
 * every extent costs one root plus its references.
 * Return: 0 or -ENOMEM.
 */
int rescan_progress_weigh(struct rescan_progress_index *ix);

/**
 * rescan_progress_index_free() - release an index
 */
void rescan_progress_index_free(struct rescan_progress_index *ix);

/**
 * rescan_progress_lower_bound() - number of entries of sorted @ids below @key
 */
size_t rescan_progress_lower_bound(const uint64_t *ids, size_t nr, uint64_t key);

/**
 * rescan_progress_percent() - cost-weighted share of extents below the
 * kernel's position @progress, 0..100 (0 for 0, 100 for U64_MAX)
 */
double rescan_progress_percent(const struct rescan_progress_index *ix, uint64_t progress);

/**
 * rescan_progress_count_percent() - the naive unweighted share of extent
 * items below @progress, 0..100 (for comparison)
 */
double rescan_progress_count_percent(const struct rescan_progress_index *ix, uint64_t progress);

/**
 * rescan_progress_count_roots() - distinct roots in LOGICAL_INO triples
 * @val: (inode, offset, root) triples
 * @nr: number of triples
 * @scratch: room for @nr values
 */
unsigned rescan_progress_count_roots(const uint64_t *val, size_t nr, uint64_t *scratch);

/**
 * rescan_progress_eta() - seconds left, or -1 when no honest ETA exists
 * @t0: when the first observed percentage @pct0 was seen
 * @pct0: that percentage
 * @now: time of @pct
 * @pct: current percentage
 * @recent_rate: percent per second over the last RESCAN_PROGRESS_WINDOW_S
 *
 * Honest means: at least RESCAN_PROGRESS_ETA_MIN_PCT points and
 * RESCAN_PROGRESS_ETA_MIN_S seconds observed, and the recent rate within
 * a factor 2 of the overall rate (no pause, no sudden change).
 */
double rescan_progress_eta(double t0, double pct0, double now, double pct, double recent_rate);

/**
 * rescan_progress_index_read() - enumerate the extent tree of @fs, count
 * every extent's roots (rescan_roots_read() on @fs->path), or when that
 * fails sample roots with LOGICAL_INO_V2; weigh
 * @fs: open filesystem
 * @ix: zeroed index to fill
 * @stop: when set, give up with -ECANCELED
 *
 * A failed LOGICAL_INO sample counts as one root: the index is still
 * usable.
 * Return: 0 or -errno (-EPERM without CAP_SYS_ADMIN).
 */
int rescan_progress_index_read(struct live_fs *fs, struct rescan_progress_index *ix,
			       atomic_int *stop);

#define RESCAN_PROGRESS_HISTORY 64

/* one followed rescan: the background index and the rate history */
struct rescan_progress {
	struct live_fs *fs;
	pthread_t thread;
	bool thread_started;
	atomic_int stop;
	atomic_int done;	/* thread finished; result valid */
	int result;		/* 0 or -errno of the index read */
	struct rescan_progress_index ix;
	/* observations */
	bool have_t0;
	double t0;		/* first observation */
	uint64_t p0;		/* progress then */
	double hist_t[RESCAN_PROGRESS_HISTORY];
	double hist_pct[RESCAN_PROGRESS_HISTORY];
	size_t hist_n, hist_head;
};

/**
 * rescan_progress_begin() - start enumerating @fs in a background thread
 * @rp: state to initialise
 * @fs: open filesystem, kept open until rescan_progress_end()
 * @now: time of the first observation
 * @progress: the kernel's progress at @now (0 when we just started it)
 * Return: 0 or -errno (thread creation).
 */
int rescan_progress_begin(struct rescan_progress *rp, struct live_fs *fs, double now,
			  uint64_t progress);

/**
 * rescan_progress_ready() - whether the index is built
 * Return: 1 ready, 0 still building, -errno when building failed.
 */
int rescan_progress_ready(struct rescan_progress *rp);

/**
 * rescan_progress_wait_ready() - wait until the index is built
 * @rp: state
 * @stop: NULL, or a flag (a signal handler's) that ends the wait: the
 *        build is then stopped within one extent or sample
 * Return: 0, -EINTR when @stop was set, or -errno of the build.
 */
int rescan_progress_wait_ready(struct rescan_progress *rp, volatile const sig_atomic_t *stop);

/**
 * rescan_progress_observe() - fill @out from one observation
 * @rp: state
 * @now: time of the observation
 * @state: the tracker's state
 * @progress: the kernel's progress
 * @out: percent (negative until the index is ready), elapsed since the
 *       first observation, rate in extents/s, eta (negative unless honest)
 * @count_pct: if not NULL, the naive item-count percent (or -1)
 */
void rescan_progress_observe(struct rescan_progress *rp, double now,
			     enum qgroup_rescan_state state, uint64_t progress,
			     struct qgroup_rescan *out, double *count_pct);

/**
 * rescan_progress_end() - stop the thread and free everything
 */
void rescan_progress_end(struct rescan_progress *rp);

#endif
