// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-tree.c - in-order item walk over one tree of an unmounted btrfs.
 * Each step down must go exactly one level lower, so a block pointing to
 * itself or an ancestor is rejected and the depth stays <= 8.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "nls.h"
#include "offline-tree.h"

struct walk {
	struct offline_fs *fs;
	uint64_t tree;
	const struct offline_key *min, *max;
	offline_item_cb cb;
	void *ctx;
	uint8_t *bufs;	/* one nodesize buffer per level */
};

static int walk_block(struct walk *w, uint64_t bytenr, int level, uint64_t gen)
{
	uint32_t ns = w->fs->sb.nodesize;
	uint8_t *b = w->bufs + (size_t)level * ns;
	uint32_t nr;
	int ret;

	ret = offline_fs_read_block(w->fs, bytenr, level, gen, w->tree, b);
	if (ret)
		return ret;
	nr = offline_block_nritems(b);
	for (uint32_t i = 0; i < nr; i++) {
		struct offline_key k;

		offline_block_key(b, i, &k);
		if (w->max && offline_key_cmp(&k, w->max) > 0)
			return 0;
		if (level == 0) {
			const uint8_t *data;
			uint32_t size;

			if (w->min && offline_key_cmp(&k, w->min) < 0)
				continue;
			data = offline_leaf_item(b, i, &size);
			ret = w->cb(&k, data, size, w->ctx);
		} else {
			uint64_t child, cgen;

			if (w->min && i + 1 < nr) {
				struct offline_key next;

				offline_block_key(b, i + 1, &next);
				if (offline_key_cmp(&next, w->min) <= 0)
					continue;
			}
			offline_node_ptr(b, i, &child, &cgen);
			ret = walk_block(w, child, level - 1, cgen);
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
	struct walk w = { fs, tree, min, max, cb, ctx, NULL };
	int ret;

	if (level < 0 || level >= OFFLINE_MAX_LEVEL) {
		snprintf(fs->err, sizeof(fs->err), _("bad root level %d"), level);
		return -EINVAL;
	}
	w.bufs = malloc((size_t)(level + 1) * fs->sb.nodesize);
	if (!w.bufs)
		return -ENOMEM;
	ret = walk_block(&w, bytenr, level, gen);
	free(w.bufs);
	return ret;
}
