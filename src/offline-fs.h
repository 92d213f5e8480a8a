/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-fs.h - one unmounted btrfs filesystem: its devices (image files,
 * block devices or memory buffers), superblock and chunk map, and verified
 * reads of tree blocks with mirror fallback.
 */
#ifndef QGTOP_OFFLINE_FS_H
#define QGTOP_OFFLINE_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "offline-chunk.h"
#include "offline-super.h"

#define OFFLINE_HEADER_SIZE 101
#define OFFLINE_ITEM_SIZE 25
#define OFFLINE_PTR_SIZE 33
#define OFFLINE_MAX_LEVEL 8

/* tree ids */
#define BTRFS_ROOT_TREE_OBJECTID 1ULL
#define BTRFS_EXTENT_TREE_OBJECTID 2ULL
#define BTRFS_CHUNK_TREE_OBJECTID 3ULL
#define BTRFS_DEV_TREE_OBJECTID 4ULL
#define BTRFS_FS_TREE_OBJECTID 5ULL
#define BTRFS_QUOTA_TREE_OBJECTID 8ULL
#define BTRFS_BLOCK_GROUP_TREE_OBJECTID 11ULL
#define BTRFS_FIRST_FREE_OBJECTID 256ULL
#define BTRFS_LAST_FREE_OBJECTID (-256ULL)

struct offline_key {
	uint64_t objectid;
	uint8_t type;
	uint64_t offset;
};

/* one piece of a sparse in-memory device; the rest reads as zeros */
struct offline_seg {
	uint64_t off;
	uint32_t len;
	const uint8_t *data;
};

struct offline_dev {
	char *path;
	int fd;			/* -1 for a memory device */
	const uint8_t *mem;	/* memory device (tests) */
	const struct offline_seg *segs;	/* sparse memory device (fuzzing) */
	size_t nr_segs;
	uint64_t size;
	struct offline_super sb;
};

struct offline_fs {
	struct offline_dev *devs;
	size_t nr_devs;
	struct offline_super sb;	/* of the device with the newest generation */
	struct offline_chunk_map map;
	bool verify_csum;
	uint64_t bytes_read;		/* metadata read so far */
	char err[256];
};

/**
 * offline_key_cmp() - order of two keys (objectid, type, offset)
 */
int offline_key_cmp(const struct offline_key *a, const struct offline_key *b);

/**
 * offline_tree_name() - a printable name of tree @id ("fs tree 257", ...)
 * @buf: at least 48 bytes
 */
const char *offline_tree_name(uint64_t id, char *buf, size_t len);

/**
 * offline_fs_open_paths() - open image files or block devices read-only
 * @fs: zeroed filesystem
 *
 * Reads every superblock, checks they belong to one filesystem, loads the
 * system chunk array and the chunk tree.
 * Return: 0 or negative errno, reason in @fs->err.
 */
int offline_fs_open_paths(struct offline_fs *fs, const char *const *paths, size_t nr,
			  bool verify_csum);

/**
 * offline_fs_open_mem() - like offline_fs_open_paths() over one image in
 * memory (for the fuzzer); @mem must outlive @fs
 */
int offline_fs_open_mem(struct offline_fs *fs, const uint8_t *mem, size_t size, bool verify_csum);

/**
 * offline_fs_open_sparse() - like offline_fs_open_mem() over a sparse
 * device of @size bytes made of @nr segments (zeros elsewhere)
 */
int offline_fs_open_sparse(struct offline_fs *fs, const struct offline_seg *segs, size_t nr,
			   uint64_t size, bool verify_csum);

/**
 * offline_fs_read_block() - read and verify the tree block at @bytenr
 * @level: expected level, or -1 when unknown
 * @gen: expected generation, or 0 when unknown
 * @tree: tree id for error messages
 * @buf: nodesize bytes
 *
 * Checks checksum, bytenr, fsid, level, generation, item bounds and key
 * order; tries every mirror before failing.
 * Return: 0 or negative errno, reason in @fs->err naming block and tree.
 */
int offline_fs_read_block(struct offline_fs *fs, uint64_t bytenr, int level, uint64_t gen,
			  uint64_t tree, uint8_t *buf);

/**
 * offline_fs_close() - release everything (@fs left zeroed)
 */
void offline_fs_close(struct offline_fs *fs);

/* accessors of a verified block */

/**
 * offline_block_nritems() - item (leaf) or pointer (node) count of block @b
 */
static inline uint32_t offline_block_nritems(const uint8_t *b)
{
	return (uint32_t)b[96] | (uint32_t)b[97] << 8 | (uint32_t)b[98] << 16 |
	       (uint32_t)b[99] << 24;
}

/**
 * offline_block_level() - tree level of block @b (0 = leaf)
 */
static inline uint8_t offline_block_level(const uint8_t *b)
{
	return b[100];
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
