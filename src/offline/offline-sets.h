/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-sets.h - interned sets of subvolume indices (the roots reaching a
 * block or an extent) and a bytenr-keyed hash map, the two data
 * structures of the offline accounting. Identical sets share one id, so
 * many blocks reached by the same subvolumes cost one set; the sets
 * reaching a block are collected on its map entry and merged once, when
 * the block's level is scanned.
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

	/* scratch of offline_sets_final(): a stamp per member and per set
	 * (equal to @epoch: already in the union being built) */
	uint32_t *member_seen, *set_seen;
	uint32_t member_seen_cap, set_seen_cap, epoch;
	uint32_t *scratch;
	size_t scratch_cap;
};

/* one set still to be merged into an entry's: a singly linked list per
 * entry, in its map's pool (index + 1, 0 ends it) */
struct offline_pending {
	uint32_t set;
	uint32_t next;
};

/* bytenr -> (set, size, generation); the set reaching it is the union of
 * @set and the sets on its @pending list, merged once in
 * offline_sets_final(), so no intermediate union is ever interned */
struct offline_bmap_ent {
	uint64_t key;		/* 0 = free slot */
	uint64_t size;		/* extent bytes, or generation for tree blocks */
	uint32_t set;
	uint32_t pending;	/* head of the list in the map's pool, 0 none */
};

struct offline_bmap {
	struct offline_bmap_ent *ents;
	size_t cap, nr;
	struct offline_pending *pend;	/* the entries' pending sets */
	uint32_t pend_nr, pend_cap;
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
 * offline_sets_add() - let @ent (an entry of @m) also be reached by the
 * subvolumes of @set: noted on its pending list, in O(1)
 * Return: 0 or -ENOMEM.
 */
int offline_sets_add(struct offline_bmap *m, struct offline_bmap_ent *ent, uint32_t set);

/**
 * offline_sets_final() - merge the pending sets of @ent (an entry of @m)
 * into @ent->set: each distinct set is read once, the union sorted and
 * interned, in O(T + U log U) for T members read and U in the union
 * Return: 0 or -ENOMEM.
 */
int offline_sets_final(struct offline_sets *s, const struct offline_bmap *m,
		       struct offline_bmap_ent *ent);

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
