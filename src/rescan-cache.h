/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rescan-cache.h - how much of the subvolume trees a rescan will have to
 * read from disk.
 *
 * For every tree block item of the extent tree the kernel's backref walk
 * reads the block itself (a skinny METADATA_ITEM holds no key, and the
 * walk needs the block's first key). With the block cached that costs
 * little next to the walk; cold, it is one disk read, several times the
 * work of a whole data extent. Which blocks are cached cannot be asked, so
 * it is measured: a few hundred leaves that hold a file extent item are
 * looked up twice with TREE_SEARCH_V2, and the first lookup's extra time
 * over the second is taken as the read (or nothing, when the leaf was
 * cached; the first lookups also read the cold nodes above the leaves,
 * which a rescan reads too). The leaves are those of the first inline
 * EXTENT_DATA_REF of data extents picked at random: a data extent whose
 * references all name their leaf by address (SHARED_DATA_REF, after a
 * balance moved snapshot-shared tree blocks) or sit in keyed items is
 * never picked, and leaves dense in file extent items are picked more
 * often. Where no data extent can be picked nothing is measured and reads
 * are not priced.
 */
#ifndef QGTOP_RESCAN_CACHE_H
#define QGTOP_RESCAN_CACHE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "live-fs.h"

/* how many leaves are looked up, at most ... */
#define RESCAN_CACHE_PROBES 256
/* ... and no more once this much time has gone and this many are done */
#define RESCAN_CACHE_BUDGET_S 0.25
#define RESCAN_CACHE_MIN_PROBES 32
/* a first lookup counts as a read when at least this much slower */
#define RESCAN_CACHE_MIN_READ_S 20e-6

/* one file extent item: the key the kernel resolves a data ref through */
struct rescan_cache_ref {
	uint64_t root, ino, offset;
};

struct rescan_cache {
	/* the reservoir: RESCAN_CACHE_PROBES of the references offered */
	size_t nr;
	uint64_t seen;
	uint64_t rng;
	struct rescan_cache_ref ref[RESCAN_CACHE_PROBES];
	/* the measurement, rescan_cache_probe() */
	size_t probed;
	size_t misses;		/* first lookups that read from disk */
	double extra_s;		/* sum of the reads' extra time */
	double hit_s;		/* a cached lookup's time (10th percentile) */
};

/**
 * rescan_cache_offer() - offer one inline EXTENT_DATA_REF to the reservoir
 * @c: zeroed before the first offer
 * @root: the ref's tree, @ino its inode, @offset its offset
 *
 * Every reference offered has the same chance to be kept.
 */
void rescan_cache_offer(struct rescan_cache *c, uint64_t root, uint64_t ino, uint64_t offset);

/**
 * rescan_cache_offer_item() - offer the first inline EXTENT_DATA_REF of a
 * data extent item's body, if it has one
 * @c: the reservoir
 * @d: the body, @len bytes (at least a struct btrfs_extent_item)
 */
void rescan_cache_offer_item(struct rescan_cache *c, const uint8_t *d, uint32_t len);

/**
 * rescan_cache_probe() - look up every kept reference twice and time it
 * @fs: the mounted filesystem
 * @c: the reservoir; the measurement is filled
 * @stop: when set, give up with -ECANCELED
 *
 * Stops early, with what it has, past RESCAN_CACHE_BUDGET_S.
 * A reference whose file extent item is gone (deleted since the
 * enumeration) is skipped. Return: 0 or -errno (-EPERM without root).
 */
int rescan_cache_probe(struct live_fs *fs, struct rescan_cache *c, const atomic_int *stop);

/**
 * rescan_cache_read_cost() - expected cost of reading one subvolume tree
 * block, in rescan-progress cost units (a cached lookup is
 * RESCAN_CACHE_LOOKUP_COST of them)
 * @c: measured by rescan_cache_probe()
 * @cold_share: the share of the tree blocks that were cold when the rescan
 *	started and still are now (the rest were read by the rescan already:
 *	its position at the probe); the measured miss rate is divided by it
 *
 * Return: 0 when nothing was measured or nothing missed.
 */
double rescan_cache_read_cost(const struct rescan_cache *c, double cold_share);

/*
 * A cached TREE_SEARCH_V2 lookup in rescan-progress cost units, as far as
 * a read is concerned: fitted on the flat layout of
 * bench/progress-accuracy.sh, cold (bench/README-progress.md). A cached
 * lookup is about 2 units of the kernel's per-extent work, and the
 * rescan's reads, in block order, take about 0.6 of the probe's random
 * ones. Measuring the read against a cached lookup on the same machine
 * keeps the ratio when the CPU is faster or slower.
 */
#define RESCAN_CACHE_LOOKUP_COST 1.2

#endif
