/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-scan.h - the top-down pass of the offline accounting: which
 * subvolumes reach every tree block and every data extent of a full-mode
 * filesystem, level by level from the roots down, each block read once.
 * The result is a table of root sets with the bytes only each set
 * reaches; offline-totals.h turns it into qgroup numbers.
 *
 * struct offline_scan is the whole state of a scan in progress: the
 * checkpoint module saves and restores it between two blocks.
 */
#ifndef QGTOP_OFFLINE_SCAN_H
#define QGTOP_OFFLINE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "offline-block.h"
#include "offline-hooks.h"
#include "offline-roots.h"
#include "offline-sets.h"

/* a node on the path to a dead root's drop progress: children wholly
 * before the progress key no longer belong to that root */
struct offline_drop_bound {
	uint64_t bytenr, root;
	struct offline_key progress;
};

struct offline_scan {
	struct offline_fs *fs;
	/* the root sets; members are indices into @ids */
	struct offline_sets sets;
	uint64_t *ids;			/* sorted ids of the subvolumes with a tree */
	uint32_t nr_ids;
	/* pending tree blocks per level: bytenr -> (root set, generation) */
	struct offline_bmap levels[OFFLINE_MAX_LEVEL];
	/* per pending tree block: a hash of the key its parents have for it
	 * (in .size), which must be its first key; none for roots, and none
	 * for blocks queued before the checkpoint a scan resumed from (the
	 * checkpoint does not keep them) */
	struct offline_bmap keys[OFFLINE_MAX_LEVEL];
	/* data extents found so far: disk bytenr -> (root set, bytes) */
	struct offline_bmap data;
	struct offline_drop_bound *bounds;
	size_t nr_bounds;
	/* where the scan is: before block @index of the sorted list of @level */
	int level;
	size_t index;
	offline_tick_fn tick;
	void *tick_ctx;
	/* NULL, or told every extent's number of roots once it is final */
	offline_extent_cb extent;
	void *extent_ctx;
};

/**
 * offline_scan_init() - an empty scan of @fs over the subvolumes of @rs,
 * positioned at its start
 * @tick: called after every tree block (progress, cancel), with @ctx
 * Return: 0 or -ENOMEM.
 */
int offline_scan_init(struct offline_scan *s, struct offline_fs *fs, const struct offline_roots *rs,
		      offline_tick_fn tick, void *ctx);

/**
 * offline_scan_fresh() - is @s at its start (nothing loaded from a checkpoint)?
 */
bool offline_scan_fresh(const struct offline_scan *s);

/**
 * offline_scan_prepare() - find the drop bounds of partly dropped dead
 * roots, and when @s is fresh queue every root block with its subvolume
 * Return: 0 or negative errno (reason in @fs->err).
 */
int offline_scan_prepare(struct offline_scan *s, const struct offline_roots *rs);

/**
 * offline_scan_run() - go on from where @s is to the end: every level down
 * to the leaves, then the data extents' sets and bytes
 *
 * On -ECANCELED (from a block read or the tick) @s is consistent and sits
 * before the first block not yet done: a checkpoint saved then resumes it.
 * Return: 0 or negative errno (reason in @fs->err).
 */
int offline_scan_run(struct offline_scan *s);

/**
 * offline_scan_subvol_index() - the index of subvolume @id in @s->ids, or
 * UINT32_MAX
 */
uint32_t offline_scan_subvol_index(const struct offline_scan *s, uint64_t id);

/**
 * offline_scan_reset() - drop every pending block and set: @s empty and at
 * its start again, @ids kept
 * Return: 0 or -ENOMEM.
 */
int offline_scan_reset(struct offline_scan *s);

/**
 * offline_scan_free() - release @s (left zeroed)
 */
void offline_scan_free(struct offline_scan *s);

#endif
