// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-scan.c - the top-down pass. Each root block starts with the set
 * of its own subvolume; a block passes its set to each child, and a child
 * reached from several parents gets the union. Levels are done from the
 * highest down, so every parent of a block is read before the block
 * itself: each block is read once, in bytenr order within its level. Leaf
 * file extent items pass the leaf's set to their data extents.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nls.h"
#include "offline-scan.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_ent(const void *a, const void *b)
{
	const struct offline_bmap_ent *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

uint32_t offline_scan_subvol_index(const struct offline_scan *s, uint64_t id)
{
	const uint64_t *p = bsearch(&id, s->ids, s->nr_ids, sizeof(*s->ids), cmp_u64);

	return p ? (uint32_t)(p - s->ids) : UINT32_MAX;
}

int offline_scan_init(struct offline_scan *s, struct offline_fs *fs, const struct offline_roots *rs,
		      offline_tick_fn tick, void *ctx)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->fs = fs;
	s->tick = tick;
	s->tick_ctx = ctx;
	s->level = OFFLINE_MAX_LEVEL - 1;
	ret = offline_sets_init(&s->sets);
	if (ret)
		return ret;
	s->ids = malloc((rs->nr ? rs->nr : 1) * sizeof(*s->ids));
	if (!s->ids)
		return -ENOMEM;
	for (size_t i = 0; i < rs->nr; i++)
		if (rs->roots[i].loc.bytenr)
			s->ids[s->nr_ids++] = rs->roots[i].id;
	qsort(s->ids, s->nr_ids, sizeof(*s->ids), cmp_u64);
	return 0;
}

bool offline_scan_fresh(const struct offline_scan *s)
{
	return s->level == OFFLINE_MAX_LEVEL - 1 && s->index == 0;
}

static int leaf_items(struct offline_scan *s, const uint8_t *b, uint32_t set)
{
	uint32_t nr = offline_block_nritems(b);

	for (uint32_t i = 0; i < nr; i++) {
		struct offline_bmap_ent *d;
		struct offline_key k;
		const uint8_t *data;
		uint64_t disk_bytenr, disk_len;
		uint32_t size;
		int created, ret;

		offline_block_key(b, i, &k);
		if (k.type != BTRFS_EXTENT_DATA_KEY)
			continue;
		data = offline_leaf_item(b, i, &size);
		/* inline: no extent of its own */
		if (size < QGTOP_BTRFS_END(struct btrfs_file_extent_item, type) ||
		    BTRFS_LE8(data, struct btrfs_file_extent_item, type) == BTRFS_FILE_EXTENT_INLINE)
			continue;
		if (size < sizeof(struct btrfs_file_extent_item))
			return -EINVAL;
		disk_bytenr = BTRFS_LE64(data, struct btrfs_file_extent_item, disk_bytenr);
		disk_len = BTRFS_LE64(data, struct btrfs_file_extent_item, disk_num_bytes);
		if (!disk_bytenr)		/* hole */
			continue;
		d = offline_bmap_get(&s->data, disk_bytenr, &created);
		if (!d)
			return -ENOMEM;
		if (created)
			d->size = disk_len;
		ret = offline_sets_add(&s->data, d, set);
		if (ret)
			return ret;
	}
	return 0;
}

/* @set without subvolume @root */
static int set_without(struct offline_scan *s, uint32_t set, uint64_t root, uint32_t *out)
{
	uint32_t n = offline_sets_count(&s->sets, set), k = 0;
	uint32_t ri = offline_scan_subvol_index(s, root);
	uint32_t *tmp = malloc((n ? n : 1) * sizeof(*tmp));
	int ret;

	if (!tmp)
		return -ENOMEM;
	offline_sets_expand(&s->sets, set, tmp);
	for (uint32_t i = 0; i < n; i++)
		if (tmp[i] != ri)
			tmp[k++] = tmp[i];
	ret = offline_sets_intern(&s->sets, tmp, k, out);
	free(tmp);
	return ret;
}

static uint64_t key_hash(const struct offline_key *k)
{
	uint64_t h = k->objectid * 0x9e3779b97f4a7c15ULL;

	h ^= (h >> 29) ^ ((uint64_t)k->type << 56) ^ k->offset * 0xc4ceb9fe1a85ec53ULL;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

/*
 * The first key of block @b (at @bytenr, of @level) must be the key its
 * parents gave it. A hash of the key is kept, in one map entry per pending
 * tree block (data extents cost nothing). A crafted collision only gets a
 * wrong range past this check; the work stays bounded regardless, since
 * the scan reads each block once per level whatever the ranges say.
 */
static int check_first_key(struct offline_scan *s, int level, uint64_t bytenr, uint64_t tree,
			   const uint8_t *b)
{
	const struct offline_bmap_ent *want = offline_bmap_find(&s->keys[level], bytenr);
	struct offline_key k;
	char ks[64];

	if (!want)
		return 0;	/* a root */
	if (!offline_block_nritems(b)) {
		offline_block_error(s->fs, bytenr, tree, _("a child block without items"));
		return -EINVAL;
	}
	offline_block_key(b, 0, &k);
	if (key_hash(&k) == want->size)
		return 0;
	offline_block_error(s->fs, bytenr, tree,
			    _("first key %s differs from the key its parent has for it"),
			    offline_key_str(&k, ks, sizeof(ks)));
	return -EINVAL;
}

/* a parent (@parent, of subvolume @tree) gives @child the slot key @k:
 * every parent must give the same one */
static int expect_first_key(struct offline_scan *s, int level, uint64_t child,
			    const struct offline_key *k, uint64_t parent, uint64_t tree)
{
	struct offline_bmap_ent *want;
	uint64_t h = key_hash(k);
	int created;
	char ks[64];

	want = offline_bmap_get(&s->keys[level], child, &created);
	if (!want)
		return -ENOMEM;
	if (created)
		want->size = h;
	else if (want->size != h) {
		offline_block_error(s->fs, child, tree,
				    _("block %" PRIu64 " has it at key %s, another parent at a different key"),
				    parent, offline_key_str(k, ks, sizeof(ks)));
		return -EINVAL;
	}
	return 0;
}

static const struct offline_drop_bound *find_bound(const struct offline_scan *s, uint64_t bytenr)
{
	for (size_t k = 0; k < s->nr_bounds; k++)
		if (s->bounds[k].bytenr == bytenr)
			return &s->bounds[k];
	return NULL;
}

/* pass the set of node @buf (at @bytenr, reached by @set, of @level) to
 * each of its children */
static int node_children(struct offline_scan *s, int level, uint64_t bytenr, uint64_t tree,
			 const uint8_t *buf, uint32_t set)
{
	uint32_t nr = offline_block_nritems(buf);
	const struct offline_drop_bound *bound = find_bound(s, bytenr);
	uint32_t without = set;
	int ret;

	if (bound) {
		ret = set_without(s, set, bound->root, &without);
		if (ret)
			return ret;
	}
	for (uint32_t j = 0; j < nr; j++) {
		struct offline_bmap_ent *c;
		uint64_t child, cgen;
		uint32_t cset = set;
		struct offline_key slot;
		bool dropped = false;
		int created;

		if (bound && j + 1 < nr) {
			struct offline_key next;

			offline_block_key(buf, j + 1, &next);
			if (offline_key_cmp(&next, &bound->progress) <= 0) {
				cset = without;	/* already dropped */
				dropped = true;
			}
		}
		offline_node_ptr(buf, j, &child, &cgen);
		if (!child || child % s->fs->sb.sectorsize) {
			snprintf(s->fs->err, sizeof(s->fs->err),
				 _("tree block %" PRIu64 ": bad child pointer %" PRIu64), bytenr,
				 child);
			return -EINVAL;
		}
		/* a dropped child's block may have been freed and reused by
		 * another tree: its key here means nothing */
		if (!dropped) {
			offline_block_key(buf, j, &slot);
			ret = expect_first_key(s, level - 1, child, &slot, bytenr, tree);
			if (ret)
				return ret;
		}
		c = offline_bmap_get(&s->levels[level - 1], child, &created);
		if (!c)
			return -ENOMEM;
		if (created)
			c->size = cgen;
		ret = offline_sets_add(&s->levels[level - 1], c, cset);
		if (ret)
			return ret;
	}
	return 0;
}

/* every pending block of @level, from @s->index on */
static int scan_level(struct offline_scan *s, int level)
{
	struct offline_bmap *lm = &s->levels[level];
	uint32_t ns = s->fs->sb.nodesize;
	struct offline_bmap_ent *list;
	size_t n = 0;
	uint8_t *buf;
	int ret = 0;

	list = malloc((lm->nr ? lm->nr : 1) * sizeof(*list));
	buf = malloc(ns);
	if (!list || !buf) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < lm->cap; i++) {
		if (!lm->ents[i].key)
			continue;
		ret = offline_sets_final(&s->sets, lm, &lm->ents[i]);
		if (ret)
			goto out;
		list[n++] = lm->ents[i];
	}
	qsort(list, n, sizeof(*list), cmp_ent);
	for (size_t i = s->index; i < n; i++) {
		uint32_t set = list[i].set, nm = offline_sets_count(&s->sets, set), nr;
		const struct offline_run *run = offline_sets_runs(&s->sets, set, &nr);
		/* errors name the first subvolume reaching the block */
		uint64_t tree = nr ? s->ids[run[0].lo] : 0;

		if (s->extent)
			s->extent(list[i].key, nm, true, s->extent_ctx);
		ret = offline_block_read(s->fs, list[i].key, level, list[i].size, tree, buf);
		if (!ret)
			ret = check_first_key(s, level, list[i].key, tree, buf);
		if (ret)
			goto out;
		s->sets.bytes[set] += ns;
		if (level > 0) {
			ret = node_children(s, level, list[i].key, tree, buf, set);
		} else {
			ret = leaf_items(s, buf, set);
			if (ret == -EINVAL)
				snprintf(s->fs->err, sizeof(s->fs->err),
					 _("tree block %" PRIu64 ": file extent item too short"),
					 list[i].key);
		}
		if (ret)
			goto out;
		/* block i is done: a checkpoint from here on resumes after it */
		s->index = i + 1;
		ret = s->tick ? s->tick(s->tick_ctx) : 0;
		if (ret)
			goto out;
	}
	offline_bmap_free(lm);
	offline_bmap_free(&s->keys[level]);
out:
	free(list);
	free(buf);
	return ret;
}

int offline_scan_run(struct offline_scan *s)
{
	int ret;

	for (; s->level >= 0; s->level--, s->index = 0) {
		ret = scan_level(s, s->level);
		if (ret)
			return ret;
	}
	for (size_t i = 0; i < s->data.cap; i++) {
		struct offline_bmap_ent *d = &s->data.ents[i];

		if (!d->key)
			continue;
		ret = offline_sets_final(&s->sets, &s->data, d);
		if (ret)
			return ret;
		s->sets.bytes[d->set] += d->size;
		if (s->extent)
			s->extent(d->key, offline_sets_count(&s->sets, d->set), false,
				  s->extent_ctx);
	}
	offline_bmap_free(&s->data);
	return 0;
}

/* the path of a partly dropped dead root down to its drop progress */
static int drop_path(struct offline_scan *s, const struct offline_root *r)
{
	uint32_t ns = s->fs->sb.nodesize;
	uint64_t bytenr = r->loc.bytenr, gen = r->loc.gen;
	uint8_t *b = malloc(ns);
	int ret = 0;

	if (!b)
		return -ENOMEM;
	for (int level = r->loc.level; level > 0 && level >= r->drop_level; level--) {
		struct offline_drop_bound *nb;
		uint32_t nr, slot = 0;

		ret = offline_block_read(s->fs, bytenr, level, gen, r->id, b);
		if (ret)
			break;
		nb = realloc(s->bounds, (s->nr_bounds + 1) * sizeof(*nb));
		if (!nb) {
			ret = -ENOMEM;
			break;
		}
		s->bounds = nb;
		nb[s->nr_bounds].bytenr = bytenr;
		nb[s->nr_bounds].root = r->id;
		nb[s->nr_bounds].progress = r->drop_progress;
		s->nr_bounds++;
		nr = offline_block_nritems(b);
		for (uint32_t i = 1; i < nr; i++) {
			struct offline_key k;

			offline_block_key(b, i, &k);
			if (offline_key_cmp(&k, &r->drop_progress) > 0)
				break;
			slot = i;
		}
		offline_node_ptr(b, slot, &bytenr, &gen);
	}
	free(b);
	return ret;
}

int offline_scan_prepare(struct offline_scan *s, const struct offline_roots *rs)
{
	bool seed = offline_scan_fresh(s);

	for (size_t i = 0; i < rs->nr; i++) {
		const struct offline_root *r = &rs->roots[i];
		struct offline_bmap_ent *b;
		uint32_t single, idx;
		int created, ret;

		if (!r->loc.bytenr)
			continue;
		if (!r->refs && (r->drop_progress.objectid || r->drop_level)) {
			ret = drop_path(s, r);
			if (ret)
				return ret;
		}
		if (!seed)
			continue;
		idx = offline_scan_subvol_index(s, r->id);
		ret = offline_sets_intern(&s->sets, &idx, 1, &single);
		if (ret)
			return ret;
		b = offline_bmap_get(&s->levels[r->loc.level], r->loc.bytenr, &created);
		if (!b)
			return -ENOMEM;
		if (created)
			b->size = r->loc.gen;
		ret = offline_sets_add(&s->levels[r->loc.level], b, single);
		if (ret)
			return ret;
	}
	return 0;
}

static void free_maps(struct offline_scan *s)
{
	for (int l = 0; l < OFFLINE_MAX_LEVEL; l++) {
		offline_bmap_free(&s->levels[l]);
		offline_bmap_free(&s->keys[l]);
	}
	offline_bmap_free(&s->data);
}

int offline_scan_reset(struct offline_scan *s)
{
	free_maps(s);
	offline_sets_free(&s->sets);
	s->level = OFFLINE_MAX_LEVEL - 1;
	s->index = 0;
	return offline_sets_init(&s->sets);
}

void offline_scan_free(struct offline_scan *s)
{
	free_maps(s);
	offline_sets_free(&s->sets);
	free(s->ids);
	free(s->bounds);
	memset(s, 0, sizeof(*s));
}
