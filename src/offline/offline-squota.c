// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-squota.c - one walk of the extent tree for the data extents'
 * owners, then one read of each counted tree block for its owner.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "offline-squota.h"
#include "offline-tree.h"

struct squota_ctx {
	struct qgroup_model *m;
	struct qgroup_ancestors anc;
	uint64_t enable_gen;
	offline_tick_fn tick;
	void *tick_ctx;
	uint64_t *meta;		/* tree blocks to read the owner of */
	size_t nr_meta, cap_meta;
};

static void charge(struct squota_ctx *c, uint64_t root, uint64_t bytes)
{
	struct qgroup *q = qgroup_model_find(c->m, root);
	size_t qi;

	if (!q || !offline_is_fstree(root))
		return;
	q->rfer += bytes;
	q->excl += bytes;
	qi = (size_t)(q - c->m->qgroups);
	for (size_t a = c->anc.start[qi]; a < c->anc.start[qi + 1]; a++) {
		c->m->qgroups[c->anc.idx[a]].rfer += bytes;
		c->m->qgroups[c->anc.idx[a]].excl += bytes;
	}
}

static int extent_item(const struct offline_key *key, const uint8_t *data, uint32_t size,
		       void *ctx)
{
	struct squota_ctx *c = ctx;
	const size_t iref = sizeof(struct btrfs_extent_item);
	uint64_t gen, flags;
	int ret;

	if (key->type != BTRFS_EXTENT_ITEM_KEY && key->type != BTRFS_METADATA_ITEM_KEY)
		return 0;
	if (size < sizeof(struct btrfs_extent_item))
		return 0;
	gen = BTRFS_LE64(data, struct btrfs_extent_item, generation);
	flags = BTRFS_LE64(data, struct btrfs_extent_item, flags);
	if (gen < c->enable_gen)
		return 0;
	ret = c->tick(c->tick_ctx);
	if (ret)
		return ret;
	if (key->type == BTRFS_METADATA_ITEM_KEY || (flags & BTRFS_EXTENT_FLAG_TREE_BLOCK)) {
		if (c->nr_meta == c->cap_meta) {
			size_t ncap = c->cap_meta ? c->cap_meta * 2 : 1024;
			uint64_t *n = realloc(c->meta, ncap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			c->meta = n;
			c->cap_meta = ncap;
		}
		c->meta[c->nr_meta++] = key->objectid;
		return 0;
	}
	/* data: the owner ref sorts first among the inline refs; its root
	 * sits where an inline ref keeps its offset */
	if (size >= iref + sizeof(struct btrfs_extent_inline_ref) &&
	    BTRFS_LE8(data + iref, struct btrfs_extent_inline_ref, type) ==
		    QGTOP_BTRFS_EXTENT_OWNER_REF_KEY)
		charge(c, BTRFS_LE64(data + iref, struct btrfs_extent_inline_ref, offset),
		       key->offset);
	return 0;
}

int offline_squota_scan(struct offline_fs *fs, const struct offline_roots *rs, uint64_t enable_gen,
			struct qgroup_model *m, offline_tick_fn tick, void *ctx)
{
	struct squota_ctx c = { .m = m, .enable_gen = enable_gen, .tick = tick, .tick_ctx = ctx };
	uint8_t *buf = malloc(fs->sb.nodesize);
	int ret;

	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < m->nr_qgroups; i++)
		m->qgroups[i].rfer = m->qgroups[i].excl = 0;
	ret = qgroup_model_ancestors(m, &c.anc);
	if (ret)
		goto out;
	ret = offline_tree_walk(fs, BTRFS_EXTENT_TREE_OBJECTID, rs->extent.bytenr, rs->extent.level,
				rs->extent.gen, NULL, NULL, extent_item, &c);
	for (size_t i = 0; !ret && i < c.nr_meta; i++) {
		ret = tick(ctx);
		if (!ret)
			ret = offline_block_read(fs, c.meta[i], -1, 0, BTRFS_EXTENT_TREE_OBJECTID, buf);
		if (!ret)
			charge(&c, offline_block_owner(buf), fs->sb.nodesize);
	}
	for (size_t i = 0; !ret && i < m->nr_qgroups; i++) {
		m->qgroups[i].rfer_cmpr = m->qgroups[i].rfer;
		m->qgroups[i].excl_cmpr = m->qgroups[i].excl;
	}
out:
	qgroup_ancestors_free(&c.anc);
	free(c.meta);
	free(buf);
	return ret;
}
