// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-floor.c - the metadata-read floor for bench/offline-bench.sh:
 * read and verify every tree block of an unmounted btrfs once (every tree
 * reachable from the root tree, shared blocks once), and nothing else.
 * Usage: offline-floor IMAGE...  Prints blocks and bytes read.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "le.h"
#include "offline/offline-fs.h"
#include "offline/offline-sets.h"
#include "offline/offline-tree.h"

struct floor {
	struct offline_fs fs;
	struct offline_bmap seen;
	uint64_t blocks;
};

static int walk(struct floor *f, uint64_t tree, uint64_t bytenr, int level, uint64_t gen)
{
	uint8_t *b;
	int created, ret = 0;

	if (!offline_bmap_get(&f->seen, bytenr, &created))
		return -1;
	if (!created)
		return 0;
	b = malloc(f->fs.sb.nodesize);
	if (!b)
		return -1;
	ret = offline_block_read(&f->fs, bytenr, level, gen, tree, b);
	f->blocks++;
	if (!ret && level > 0) {
		for (uint32_t i = 0; !ret && i < offline_block_nritems(b); i++) {
			uint64_t c, cg;

			offline_node_ptr(b, i, &c, &cg);
			ret = walk(f, tree, c, level - 1, cg);
		}
	}
	free(b);
	return ret;
}

static int root_item(const struct offline_key *k, const uint8_t *d, uint32_t size, void *ctx)
{
	struct floor *f = ctx;

	if (k->type != 132 || size < 239)
		return 0;
	return walk(f, k->objectid, get_le64(d + 176), d[238], get_le64(d + 160));
}

int main(int argc, char **argv)
{
	struct floor f = { 0 };
	int ret;

	if (argc < 2) {
		fprintf(stderr, "usage: %s IMAGE...\n", argv[0]);
		return 2;
	}
	ret = offline_fs_open_paths(&f.fs, (const char *const *)argv + 1, (size_t)argc - 1, true,
				    NULL);
	if (!ret)
		ret = walk(&f, 1, f.fs.sb.root, f.fs.sb.root_level, f.fs.sb.generation);
	if (!ret)
		ret = offline_tree_walk(&f.fs, 1, f.fs.sb.root, f.fs.sb.root_level,
					f.fs.sb.generation, NULL, NULL, root_item, &f);
	if (!ret)
		ret = walk(&f, 3, f.fs.sb.chunk_root, f.fs.sb.chunk_root_level,
			   f.fs.sb.chunk_root_generation);
	if (ret) {
		fprintf(stderr, "offline-floor: %s\n", f.fs.err);
		return 2;
	}
	printf("%" PRIu64 " blocks, %" PRIu64 " bytes of metadata read\n", f.blocks,
	       f.fs.bytes_read);
	offline_bmap_free(&f.seen);
	offline_fs_close(&f.fs);
	return 0;
}
