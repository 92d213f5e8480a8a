/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-tree.h - walking the items of one btrfs tree in key order, with
 * bounded depth (levels strictly decrease, at most 8), key-range pruning,
 * and the parent/child key checks of the kernel's tree-checker, so that no
 * crafted image makes a walk read a block twice.
 */
#ifndef QGTOP_OFFLINE_TREE_H
#define QGTOP_OFFLINE_TREE_H

#include "offline-block.h"

/* return 0 to continue, > 0 to stop the walk (not an error), < 0 error */
typedef int (*offline_item_cb)(const struct offline_key *key, const uint8_t *data,
			       uint32_t size, void *ctx);

/**
 * offline_tree_walk() - call @cb for every leaf item with @min <= key <= @max
 * @tree: tree id (for messages)
 * @bytenr: root block, @level its level, @gen its generation (0: unknown)
 * @min, @max: key range, NULL for unbounded
 *
 * Every child must sit where its parent says (offline_tree_check_bounds()),
 * and no block is read twice in one walk: a node whose slots share a child
 * is an error, not a loop.
 * Return: 0, the positive value @cb stopped with, or negative errno
 * (reason in @fs->err; -ECANCELED when @fs->cancel was set).
 */
int offline_tree_walk(struct offline_fs *fs, uint64_t tree, uint64_t bytenr, int level,
		      uint64_t gen, const struct offline_key *min, const struct offline_key *max,
		      offline_item_cb cb, void *ctx);

/**
 * offline_tree_check_bounds() - do the keys of verified block @b lie where
 * its parent's slot says?
 * @tree: tree id (for messages)
 * @bytenr: address of @b (for messages)
 * @first: the parent's key for @b, which must be @b's first key (as the
 *         kernel's tree-checker demands), or NULL for a root block
 * @next: every key of @b must be below this: the parent's next slot key,
 *        or for the parent's last slot the bound the parent itself had;
 *        NULL for none
 *
 * A child with no items is refused when it has a parent.
 * Return: 0, or -EINVAL with the reason in @fs->err naming block and tree.
 */
int offline_tree_check_bounds(struct offline_fs *fs, uint64_t tree, uint64_t bytenr,
			      const uint8_t *b, const struct offline_key *first,
			      const struct offline_key *next);

#endif
