/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-tree.h - walking the items of one btrfs tree in key order, with
 * bounded depth (levels strictly decrease, at most 8) and key-range pruning.
 */
#ifndef QGTOP_OFFLINE_TREE_H
#define QGTOP_OFFLINE_TREE_H

#include "offline-fs.h"

/* return 0 to continue, > 0 to stop the walk (not an error), < 0 error */
typedef int (*offline_item_cb)(const struct offline_key *key, const uint8_t *data,
			       uint32_t size, void *ctx);

/**
 * offline_tree_walk() - call @cb for every leaf item with @min <= key <= @max
 * @tree: tree id (for messages)
 * @bytenr: root block, @level its level, @gen its generation (0: unknown)
 * @min, @max: key range, NULL for unbounded
 *
 * Return: 0, the positive value @cb stopped with, or negative errno
 * (reason in @fs->err).
 */
int offline_tree_walk(struct offline_fs *fs, uint64_t tree, uint64_t bytenr, int level,
		      uint64_t gen, const struct offline_key *min, const struct offline_key *max,
		      offline_item_cb cb, void *ctx);

#endif
