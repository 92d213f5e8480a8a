/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-chunk.h - the btrfs chunk map: chunk items from the superblock's
 * system chunk array and the chunk tree, and the logical-to-physical
 * arithmetic of every profile (SINGLE, DUP, RAID0/1/1C3/1C4/10, RAID5/6).
 * Pure computation: no I/O here.
 */
#ifndef QGTOP_OFFLINE_CHUNK_H
#define QGTOP_OFFLINE_CHUNK_H

#include <stddef.h>
#include <stdint.h>

#include "btrfs-format.h"


/* a chunk item without its stripes, and one stripe */
#define OFFLINE_CHUNK_ITEM_SIZE offsetof(struct btrfs_chunk, stripe)
#define OFFLINE_STRIPE_SIZE sizeof(struct btrfs_stripe)
#define OFFLINE_MAX_STRIPES 256
#define OFFLINE_MAX_MIRRORS 4

struct offline_stripe {
	uint64_t devid, offset;
	uint8_t dev_uuid[16];
};

struct offline_chunk {
	uint64_t logical, length, stripe_len, type;
	uint16_t num_stripes, sub_stripes;
	struct offline_stripe *stripes;
};

struct offline_chunk_map {
	struct offline_chunk *chunks;	/* sorted by logical, no overlaps */
	size_t nr, cap;
};

/* where one copy of a logical range lives */
struct offline_loc {
	uint64_t devid, physical;
	const uint8_t *dev_uuid;
};

/**
 * offline_chunk_add() - decode a chunk item and add it to @map
 * @logical: the key offset (chunk start)
 * @item: chunk item bytes, @len of them
 *
 * An identical chunk already present is ignored.
 * Return: 0, -EINVAL (bad item, reason in @why) or -ENOMEM.
 */
int offline_chunk_add(struct offline_chunk_map *map, uint64_t logical, const uint8_t *item,
		      size_t len, char *why, size_t whylen);

/**
 * offline_chunk_load_sys_array() - add the chunks of a superblock's
 * system chunk array (@arr, @len bytes)
 * Return: 0, -EINVAL or -ENOMEM.
 */
int offline_chunk_load_sys_array(struct offline_chunk_map *map, const uint8_t *arr, size_t len,
				 char *why, size_t whylen);

/**
 * offline_chunk_lookup() - the chunk containing @logical, or NULL
 */
const struct offline_chunk *offline_chunk_lookup(const struct offline_chunk_map *map,
						 uint64_t logical);

/**
 * offline_chunk_locate() - the copies of [@logical, @logical + @len)
 * @c: chunk containing @logical
 * @locs: up to OFFLINE_MAX_MIRRORS results
 *
 * For RAID5/6 only the data stripe is returned (no reconstruction).
 * Return: number of copies (>= 1), or -EINVAL when the range leaves the
 * chunk or crosses a stripe boundary.
 */
int offline_chunk_locate(const struct offline_chunk *c, uint64_t logical, uint64_t len,
			 struct offline_loc *locs);

/**
 * offline_chunk_map_free() - release @map (left empty)
 */
void offline_chunk_map_free(struct offline_chunk_map *map);

#endif
