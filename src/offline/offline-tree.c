// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-tree.c - in-order item walk over one tree of an unmounted btrfs.
 *
 * A walk trusts nothing it reads. Each step down must go exactly one level
 * lower (so the depth stays <= 8), and each child must lie in the key range
 * its parent gives it: its first key equal to the parent's slot key, all its
 * keys below the next slot key. Those ranges are disjoint, so on an image
 * that does not change under us no block can be reached twice; a node whose
 * slots all point at one child (which made the walk exponential before) now
 * fails at its second slot at the latest. The set of visited blocks is the
 * second line: it also holds when the image file is rewritten while we read
 * it, and costs one hash entry per block read.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "nls.h"
#include "offline-sets.h"
#include "offline-tree.h"

struct walk {
	struct offline_fs *fs;
	uint64_t tree;
	const struct offline_key *min, *max;
	offline_item_cb cb;
	void *ctx;
	uint8_t *bufs;			/* one nodesize buffer per level */
	struct offline_bmap seen;	/* blocks read by this walk */
};

int offline_tree_check_bounds(struct offline_fs *fs, uint64_t tree, uint64_t bytenr,
			      const uint8_t *b, const struct offline_key *first,
			      const struct offline_key *next)
{
	uint32_t nr = offline_block_nritems(b);
	struct offline_key k;
	char ks[64], ps[64];

	if (!first && !next)
		return 0;
	if (!nr) {
		offline_block_error(fs, bytenr, tree, _("a child block without items"));
		return -EINVAL;
	}
	if (first) {
		offline_block_key(b, 0, &k);
		if (offline_key_cmp(&k, first)) {
			offline_block_error(fs, bytenr, tree,
					       _("first key %s differs from the key %s its parent has for it"),
					       offline_key_str(&k, ks, sizeof(ks)),
					       offline_key_str(first, ps, sizeof(ps)));
			return -EINVAL;
		}
	}
	/* keys within a block are in order (checked on read): the last decides */
	offline_block_key(b, nr - 1, &k);
	if (next && offline_key_cmp(&k, next) >= 0) {
		offline_block_error(fs, bytenr, tree,
				       _("key %s is not below %s, where its parent's next slot starts"),
				       offline_key_str(&k, ks, sizeof(ks)),
				       offline_key_str(next, ps, sizeof(ps)));
		return -EINVAL;
	}
	return 0;
}

static int walk_block(struct walk *w, uint64_t bytenr, int level, uint64_t gen,
		      const struct offline_key *first, const struct offline_key *next)
{
	uint32_t ns = w->fs->sb.nodesize;
	uint8_t *b = w->bufs + (size_t)level * ns;
	struct offline_bmap_ent *seen;
	struct offline_key kbuf[2];
	uint32_t nr;
	int created, ret;

	seen = offline_bmap_get(&w->seen, bytenr, &created);
	if (!seen && bytenr)
		return -ENOMEM;
	if (seen && !created) {
		offline_block_error(w->fs, bytenr, w->tree,
				       _("reached a second time in one walk of the tree"));
		return -EINVAL;
	}
	ret = offline_block_read(w->fs, bytenr, level, gen, w->tree, b);
	if (ret)
		return ret;
	ret = offline_tree_check_bounds(w->fs, w->tree, bytenr, b, first, next);
	if (ret)
		return ret;
	nr = offline_block_nritems(b);
	for (uint32_t i = 0; i < nr; i++) {
		/* this slot's key and the next one's, alternating in kbuf */
		struct offline_key *k = &kbuf[i & 1], *nk = &kbuf[(i + 1) & 1];

		if (i == 0)
			offline_block_key(b, 0, k);
		if (i + 1 < nr)
			offline_block_key(b, i + 1, nk);
		if (w->max && offline_key_cmp(k, w->max) > 0)
			return 0;
		if (level == 0) {
			const uint8_t *data;
			uint32_t size;

			if (w->min && offline_key_cmp(k, w->min) < 0)
				continue;
			data = offline_leaf_item(b, i, &size);
			ret = w->cb(k, data, size, w->ctx);
		} else {
			uint64_t child, cgen;

			if (w->min && i + 1 < nr && offline_key_cmp(nk, w->min) <= 0)
				continue;
			offline_node_ptr(b, i, &child, &cgen);
			ret = walk_block(w, child, level - 1, cgen, k, i + 1 < nr ? nk : next);
		}
		if (ret)
			return ret;
	}
	return 0;
}

int offline_tree_walk(struct offline_fs *fs, uint64_t tree, uint64_t bytenr, int level,
		      uint64_t gen, const struct offline_key *min, const struct offline_key *max,
		      offline_item_cb cb, void *ctx)
{
	struct walk w = { fs, tree, min, max, cb, ctx, NULL, { 0 } };
	int ret;

	if (level < 0 || level >= OFFLINE_MAX_LEVEL) {
		snprintf(fs->err, sizeof(fs->err), _("bad root level %d"), level);
		return -EINVAL;
	}
	w.bufs = malloc((size_t)(level + 1) * fs->sb.nodesize);
	if (!w.bufs)
		return -ENOMEM;
	ret = walk_block(&w, bytenr, level, gen, NULL, NULL);
	offline_bmap_free(&w.seen);
	free(w.bufs);
	return ret;
}
