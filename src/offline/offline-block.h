/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-block.h - the tree blocks of one btrfs filesystem: keys, the
 * filesystem a block is read from (its devices, superblock and chunk
 * map), verified reads with mirror fallback, and accessors of a verified
 * block's items and pointers. Opening a filesystem is offline-fs.h's job.
 */
#ifndef QGTOP_OFFLINE_BLOCK_H
#define QGTOP_OFFLINE_BLOCK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btrfs-format.h"
#include "offline-chunk.h"
#include "offline-dev.h"
#include "offline-super.h"

#define OFFLINE_HEADER_SIZE sizeof(struct qgtop_btrfs_header)
#define OFFLINE_ITEM_SIZE sizeof(struct qgtop_btrfs_item)
#define OFFLINE_PTR_SIZE sizeof(struct qgtop_btrfs_key_ptr)
#define OFFLINE_MAX_LEVEL QGTOP_BTRFS_MAX_LEVEL

struct offline_key {
	uint64_t objectid;
	uint8_t type;
	uint64_t offset;
};

struct offline_fs {
	struct offline_dev *devs;
	size_t nr_devs;
	struct offline_super sb;	/* of the device with the newest generation */
	struct offline_chunk_map map;
	bool verify_csum;
	bool live;			/* devices of a mounted filesystem */
	uint64_t bytes_read;		/* metadata read so far */
	const atomic_int *cancel;	/* NULL, or non-zero stops every block read */
	char err[256];
};

/**
 * offline_key_cmp() - order of two keys (objectid, type, offset)
 */
int offline_key_cmp(const struct offline_key *a, const struct offline_key *b);

/**
 * offline_key_str() - @k as "(256 ROOT_ITEM 0)", the way btrfs-progs prints keys
 * @buf: at least 64 bytes
 */
const char *offline_key_str(const struct offline_key *k, char *buf, size_t len);

/**
 * offline_tree_name() - a printable name of tree @id ("fs tree 257", ...)
 * @buf: at least 48 bytes
 */
const char *offline_tree_name(uint64_t id, char *buf, size_t len);

/**
 * offline_block_error() - set @fs->err to "bad tree block BYTENR of the
 * TREE: " followed by the printf-formatted reason
 * @tree: tree id, named with offline_tree_name()
 */
void offline_block_error(struct offline_fs *fs, uint64_t bytenr, uint64_t tree,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * offline_fs_check_cancel() - -ECANCELED, with "interrupted" in @fs->err,
 * once @fs->cancel is set; else 0
 */
int offline_fs_check_cancel(struct offline_fs *fs);

/**
 * offline_block_read() - read and verify the tree block at @bytenr
 * @level: expected level, or -1 when unknown
 * @gen: expected generation, or 0 when unknown
 * @tree: tree id for error messages
 * @buf: nodesize bytes
 *
 * Checks checksum, bytenr, fsid, level, generation, item bounds and key
 * order; tries every mirror before failing. Where the block sits in its
 * tree (its keys against the parent's) is offline_tree_check_bounds()'s job.
 * Return: 0, -ECANCELED when @fs->cancel is set (before reading), or
 * negative errno, reason in @fs->err naming block and tree.
 */
int offline_block_read(struct offline_fs *fs, uint64_t bytenr, int level, uint64_t gen,
		       uint64_t tree, uint8_t *buf);

/* accessors of a verified block */

/**
 * offline_block_nritems() - item (leaf) or pointer (node) count of block @b
 */
static inline uint32_t offline_block_nritems(const uint8_t *b)
{
	return BTRFS_LE32(b, struct qgtop_btrfs_header, nritems);
}

/**
 * offline_block_level() - tree level of block @b (0 = leaf)
 */
static inline uint8_t offline_block_level(const uint8_t *b)
{
	return BTRFS_LE8(b, struct qgtop_btrfs_header, level);
}

/**
 * offline_block_owner() - the tree that allocated block @b
 */
static inline uint64_t offline_block_owner(const uint8_t *b)
{
	return BTRFS_LE64(b, struct qgtop_btrfs_header, owner);
}

/**
 * offline_block_generation() - the transaction that wrote block @b
 */
static inline uint64_t offline_block_generation(const uint8_t *b)
{
	return BTRFS_LE64(b, struct qgtop_btrfs_header, generation);
}

/**
 * offline_block_key() - key of item or pointer @slot of block @b
 */
void offline_block_key(const uint8_t *b, uint32_t slot, struct offline_key *key);

/**
 * offline_leaf_item() - data of item @slot of a verified leaf
 */
const uint8_t *offline_leaf_item(const uint8_t *b, uint32_t slot, uint32_t *size);

/**
 * offline_node_ptr() - child pointer @slot of a verified node
 */
void offline_node_ptr(const uint8_t *b, uint32_t slot, uint64_t *bytenr, uint64_t *gen);

#endif
