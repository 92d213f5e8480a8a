/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-sets.h - interned sets of subvolume indices (the roots reaching a
 * block or an extent) and a bytenr-keyed hash map, the two data
 * structures of the offline accounting. Identical sets share one id, so
 * many blocks reached by the same subvolumes cost one set; the sets
 * reaching a block are collected on its map entry and merged once, when
 * the block's level is scanned.
 *
 * A set is kept as its runs of consecutive indices. Subvolume indices
 * follow subvolume ids, and snapshots taken one after the other have
 * consecutive ids; a block of a snapshot series is reached by the
 * snapshots between two changes of it: one run, however many snapshots.
 * Unions, interning and hashing then cost the runs, not the members.
 */
#ifndef QGTOP_OFFLINE_SETS_H
#define QGTOP_OFFLINE_SETS_H

#include <stddef.h>
#include <stdint.h>

#define OFFLINE_SET_EMPTY 0u

/* the members lo, lo + 1, ..., hi */
struct offline_run {
	uint32_t lo, hi;
};

struct offline_sets {
	struct offline_run *pool;	/* runs of every set: ascending, apart by
					 * at least one index (the engine's dense
					 * subvolume indices) */
	size_t pool_len, pool_cap;
	uint64_t *start;	/* per set: first run in pool */
	uint32_t *len;		/* per set: number of runs */
	uint32_t *count;	/* per set: number of members */
	uint64_t *bytes;	/* per set: bytes accounted to it */
	uint32_t nr, cap;
	uint32_t *hash;		/* interning table: set id + 1, 0 empty */
	size_t hash_cap;

	/* scratch of offline_sets_final(): a stamp per set (equal to
	 * @epoch: already in the union being built) and the runs collected */
	uint32_t *set_seen;
	uint32_t set_seen_cap, epoch;
	struct offline_run *scratch;
	size_t scratch_cap;
};

/* sets still to be merged into an entry's: a singly linked list of
 * chunks per entry, in its map's pool (index + 1, 0 ends it), newest
 * chunk first; a chunk holds several sets, so a block reached from many
 * parents costs one cache line per few sets, not one per set */
#define OFFLINE_PENDING_CHUNK 6

struct offline_pending {
	uint32_t next;
	uint32_t n;
	uint32_t set[OFFLINE_PENDING_CHUNK];
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
 * offline_sets_runs() - the runs of set @id, @n of them, ascending
 */
const struct offline_run *offline_sets_runs(const struct offline_sets *s, uint32_t id,
					    uint32_t *n);

/**
 * offline_sets_count() - the number of members of set @id
 */
static inline uint32_t offline_sets_count(const struct offline_sets *s, uint32_t id)
{
	return s->count[id];
}

/**
 * offline_sets_expand() - write the members of set @id, ascending, to @out
 * (room for offline_sets_count() of them)
 */
void offline_sets_expand(const struct offline_sets *s, uint32_t id, uint32_t *out);

/**
 * offline_sets_add() - let @ent (an entry of @m) also be reached by the
 * subvolumes of @set: noted on its pending list, in O(1)
 * Return: 0 or -ENOMEM.
 */
int offline_sets_add(struct offline_bmap *m, struct offline_bmap_ent *ent, uint32_t set);

/**
 * offline_sets_final() - merge the pending sets of @ent (an entry of @m)
 * into @ent->set: each distinct set is read once, its runs sorted,
 * joined and interned, in O(R log R) for R runs read
 * Return: 0 or -ENOMEM.
 */
int offline_sets_final(struct offline_sets *s, const struct offline_bmap *m,
		       struct offline_bmap_ent *ent);

/**
 * offline_bmap_pending_count() - how many sets the pending list of @e, an
 * entry of @m, holds
 */
uint32_t offline_bmap_pending_count(const struct offline_bmap *m,
				    const struct offline_bmap_ent *e);

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
