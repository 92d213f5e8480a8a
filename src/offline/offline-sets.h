/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-sets.h - interned sets of subvolume indices (the roots reaching a
 * block or an extent) and a bytenr-keyed hash map, the two data
 * structures of the offline accounting. Identical sets share one id, so
 * many blocks reached by the same subvolumes cost one set; the sets
 * reaching a block are collected on its map entry and merged once.
 */
#ifndef QGTOP_OFFLINE_SETS_H
#define QGTOP_OFFLINE_SETS_H

#include <stddef.h>
#include <stdint.h>

#define OFFLINE_SET_EMPTY 0u

struct offline_sets {
	uint32_t *pool;		/* members of every set, sorted per set (the
				 * engine's dense subvolume indices) */
	size_t pool_len, pool_cap;
	uint64_t *start;	/* per set: first member in pool */
	uint32_t *len;		/* per set: member count */
	uint64_t *bytes;	/* per set: bytes accounted to it */
	uint32_t nr, cap;
	uint32_t *hash;		/* interning table: set id + 1, 0 empty */
	size_t hash_cap;
};

#define OFFLINE_BMAP_MORE 3

/* bytenr -> (set, size, generation); the set reaching it is the union of
 * @set and @more[] (0 = unused), merged only when @more overflows or at
 * the end, so no intermediate unions pile up in the set table */
struct offline_bmap_ent {
	uint64_t key;		/* 0 = free slot */
	uint64_t size;		/* extent bytes, or generation for tree blocks */
	uint32_t set;
	uint32_t more[OFFLINE_BMAP_MORE];
};

struct offline_bmap {
	struct offline_bmap_ent *ents;
	size_t cap, nr;
};

/**
 * offline_sets_init() - empty table holding only the empty set (id 0)
 * Return: 0 or -ENOMEM.
 */
int offline_sets_init(struct offline_sets *s);

/**
 * offline_sets_free() - release @s (left zeroed)
 */
void offline_sets_free(struct offline_sets *s);

/**
 * offline_sets_intern() - id of the set of @n sorted, distinct @ids
 * Return: 0 or -ENOMEM.
 */
int offline_sets_intern(struct offline_sets *s, const uint32_t *ids, uint32_t n, uint32_t *out);

/**
 * offline_sets_members() - the members of set @id, @n of them
 */
const uint32_t *offline_sets_members(const struct offline_sets *s, uint32_t id, uint32_t *n);

/**
 * offline_sets_add() - let @ent also be reached by the subvolumes of @set
 * Return: 0 or -ENOMEM.
 */
int offline_sets_add(struct offline_sets *s, struct offline_bmap_ent *ent, uint32_t set);

/**
 * offline_sets_final() - merge the pending sets of @ent into @ent->set
 * Return: 0 or -ENOMEM.
 */
int offline_sets_final(struct offline_sets *s, struct offline_bmap_ent *ent);

/**
 * offline_bmap_get() - find or insert @key
 * @created: set true when inserted (entry zeroed except key)
 * Return: the entry, NULL on -ENOMEM. Valid until the next insert.
 */
struct offline_bmap_ent *offline_bmap_get(struct offline_bmap *m, uint64_t key, int *created);

/**
 * offline_bmap_find() - the entry of @key or NULL
 */
struct offline_bmap_ent *offline_bmap_find(const struct offline_bmap *m, uint64_t key);

/**
 * offline_bmap_free() - release @m (left empty)
 */
void offline_bmap_free(struct offline_bmap *m);

#endif
