// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-roots.c - the root tree's items (ROOT_ITEM, ROOT_BACKREF,
 * ORPHAN_ITEM) and subvolume paths: up the backrefs, down through the
 * directories inside each parent.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nls.h"
#include "offline-roots.h"
#include "offline-tree.h"

/* a root item must reach its level field: the last one qgtop reads */
#define ROOT_ITEM_MIN_SIZE QGTOP_BTRFS_END(struct btrfs_root_item, level)

bool offline_is_fstree(uint64_t id)
{
	return id == BTRFS_FS_TREE_OBJECTID ||
	       (id >= BTRFS_FIRST_FREE_OBJECTID && id <= BTRFS_LAST_FREE_OBJECTID);
}

/* binary search: an image may hold a hundred thousand roots. Items come in
 * key order, so creating one mostly appends. Pointers are valid until the
 * next create. */
static struct offline_root *root_get(struct offline_roots *rs, uint64_t id, bool create)
{
	size_t lo = 0, hi = rs->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rs->roots[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < rs->nr && rs->roots[lo].id == id)
		return &rs->roots[lo];
	if (!create)
		return NULL;
	if (rs->nr == rs->cap) {
		size_t ncap = rs->cap ? rs->cap * 2 : 64;
		struct offline_root *n = realloc(rs->roots, ncap * sizeof(*n));

		if (!n)
			return NULL;
		rs->roots = n;
		rs->cap = ncap;
	}
	memmove(&rs->roots[lo + 1], &rs->roots[lo], (rs->nr - lo) * sizeof(rs->roots[0]));
	memset(&rs->roots[lo], 0, sizeof(rs->roots[0]));
	rs->roots[lo].id = id;
	rs->nr++;
	return &rs->roots[lo];
}

struct offline_root *offline_roots_find(const struct offline_roots *rs, uint64_t id)
{
	return root_get((struct offline_roots *)rs, id, false);
}

static int root_item(struct offline_roots *rs, const struct offline_key *key, const uint8_t *data,
		     uint32_t size)
{
	struct offline_tree_loc loc;
	struct offline_root *r;
	const uint8_t *drop;

	if (size < ROOT_ITEM_MIN_SIZE) {
		snprintf(rs->fs->err, sizeof(rs->fs->err),
			 _("root tree: root item %" PRIu64 " too short (%u bytes)"), key->objectid,
			 size);
		return -EINVAL;
	}
	loc.gen = BTRFS_LE64(data, struct btrfs_root_item, generation);
	loc.bytenr = BTRFS_LE64(data, struct btrfs_root_item, bytenr);
	loc.level = BTRFS_LE8(data, struct btrfs_root_item, level);
	if (key->objectid == BTRFS_QUOTA_TREE_OBJECTID) {
		rs->quota = loc;
		return 0;
	}
	if (key->objectid == BTRFS_EXTENT_TREE_OBJECTID) {
		rs->extent = loc;
		return 0;
	}
	if (key->objectid == BTRFS_BLOCK_GROUP_TREE_OBJECTID) {
		rs->block_group = loc;
		return 0;
	}
	if (!offline_is_fstree(key->objectid))
		return 0;
	if (loc.level >= OFFLINE_MAX_LEVEL) {
		snprintf(rs->fs->err, sizeof(rs->fs->err),
			 _("root tree: root item %" PRIu64 " has level %u"), key->objectid,
			 loc.level);
		return -EINVAL;
	}
	r = root_get(rs, key->objectid, true);
	if (!r)
		return -ENOMEM;
	r->loc = loc;
	r->refs = BTRFS_LE32(data, struct btrfs_root_item, refs);
	drop = BTRFS_AT(data, struct btrfs_root_item, drop_progress);
	r->drop_progress.objectid = BTRFS_LE64(drop, struct btrfs_disk_key, objectid);
	r->drop_progress.type = BTRFS_LE8(drop, struct btrfs_disk_key, type);
	r->drop_progress.offset = BTRFS_LE64(drop, struct btrfs_disk_key, offset);
	r->drop_level = BTRFS_LE8(data, struct btrfs_root_item, drop_level);
	return 0;
}

/* ROOT_BACKREF (subvolume, parent): its name in directory dirid of parent */
static int root_backref(struct offline_roots *rs, const struct offline_key *key,
			const uint8_t *data, uint32_t size)
{
	struct offline_root *r;
	uint16_t nlen;

	if (!offline_is_fstree(key->objectid) || size < sizeof(struct btrfs_root_ref))
		return 0;
	nlen = BTRFS_LE16(data, struct btrfs_root_ref, name_len);
	if (!nlen || nlen > size - sizeof(struct btrfs_root_ref))
		return 0;
	r = root_get(rs, key->objectid, true);
	if (!r)
		return -ENOMEM;
	free(r->name);
	r->name = strndup((const char *)data + sizeof(struct btrfs_root_ref), nlen);
	if (!r->name)
		return -ENOMEM;
	r->parent = key->offset;
	r->dirid = BTRFS_LE64(data, struct btrfs_root_ref, dirid);
	return 0;
}

static int root_tree_item(const struct offline_key *key, const uint8_t *data, uint32_t size,
			  void *ctx)
{
	struct offline_roots *rs = ctx;
	struct offline_root *r;

	switch (key->type) {
	case BTRFS_ROOT_ITEM_KEY:
		return root_item(rs, key, data, size);
	case BTRFS_ROOT_BACKREF_KEY:
		return root_backref(rs, key, data, size);
	case BTRFS_ORPHAN_ITEM_KEY:
		/* a deleted subvolume waiting for its cleanup */
		if (key->objectid == BTRFS_ORPHAN_OBJECTID && offline_is_fstree(key->offset)) {
			r = root_get(rs, key->offset, true);
			if (!r)
				return -ENOMEM;
			r->orphan = true;
		}
		return 0;
	default:
		return 0;
	}
}

struct inode_ref_ctx {
	uint64_t parent_ino;
	char *name;		/* OFFLINE_PATH_NAME_MAX + 1 bytes */
	bool found;
};

static int inode_ref_item(const struct offline_key *key, const uint8_t *data, uint32_t size,
			  void *ctx)
{
	struct inode_ref_ctx *c = ctx;
	uint16_t nlen;

	if (key->type != BTRFS_INODE_REF_KEY || size < sizeof(struct btrfs_inode_ref))
		return 0;
	nlen = BTRFS_LE16(data, struct btrfs_inode_ref, name_len);
	if (nlen > size - sizeof(struct btrfs_inode_ref))
		return 0;
	if (nlen <= OFFLINE_PATH_NAME_MAX) {
		memcpy(c->name, data + sizeof(struct btrfs_inode_ref), nlen);
		c->name[nlen] = 0;
		c->parent_ino = key->offset;
		c->found = true;
	}
	return 1;	/* a directory has one reference: the first one */
}

/* offline_paths_ref_fn: one bounded tree search for the INODE_REF of @ino */
static int lookup_inode_ref(void *ctx, uint64_t root, uint64_t ino, uint64_t *parent, char *name)
{
	struct offline_roots *rs = ctx;
	struct offline_key min = { ino, BTRFS_INODE_REF_KEY, 0 };
	struct offline_key max = { ino, BTRFS_INODE_REF_KEY, UINT64_MAX };
	struct inode_ref_ctx c = { 0, name, false };
	const struct offline_root *r = root_get(rs, root, false);
	int ret;

	if (!r || !r->loc.bytenr)
		return 1;
	ret = offline_tree_walk(rs->fs, r->id, r->loc.bytenr, r->loc.level, r->loc.gen, &min, &max,
				inode_ref_item, &c);
	if (ret == -ECANCELED || ret == -ENOMEM)
		return ret;
	/* a corrupt block here leaves the path unknown; the scan reads the
	 * same tree and reports it */
	if (ret < 0 || !c.found)
		return 1;
	*parent = c.parent_ino;
	return 0;
}

int offline_roots_load(struct offline_roots *rs, struct offline_fs *fs)
{
	memset(rs, 0, sizeof(*rs));
	rs->fs = fs;
	offline_paths_init(&rs->paths, lookup_inode_ref, rs);
	return offline_tree_walk(fs, BTRFS_ROOT_TREE_OBJECTID, fs->sb.root, fs->sb.root_level,
				 fs->sb.generation, NULL, NULL, root_tree_item, rs);
}

/*
 * Climbs the ROOT_BACKREFs to the top level or to a subvolume whose path
 * is known, then goes back down joining each parent's path, the directory
 * inside it and the name. Every answer is kept in r->path.
 */
int offline_roots_path(struct offline_roots *rs, struct offline_root *r, const char **out)
{
	uint64_t stamp = ++rs->path_stamp;
	struct offline_root **chain = NULL, *cur = r;
	size_t n = 0, cap = 0;
	const char *base;
	int ret = 0;

	*out = NULL;
	while (cur && !cur->path_done && cur->id != BTRFS_FS_TREE_OBJECTID) {
		if (cur->path_stamp == stamp) {
			cur = NULL;		/* a loop: unknown for all of it */
			break;
		}
		/* each level adds "/" and a name of one byte or more */
		if (n > OFFLINE_PATH_MAX / 2) {
			r->path_done = true;	/* too long; those above may not be */
			goto out_free;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct offline_root **nc = realloc(chain, ncap * sizeof(*nc));

			if (!nc) {
				ret = -ENOMEM;
				goto out_free;
			}
			chain = nc;
			cap = ncap;
		}
		cur->path_stamp = stamp;
		chain[n++] = cur;
		cur = cur->name ? root_get(rs, cur->parent, false) : NULL;
	}
	if (!cur)
		base = NULL;
	else if (cur->id == BTRFS_FS_TREE_OBJECTID)
		base = "";
	else
		base = cur->path;
	while (n--) {
		struct offline_root *m = chain[n];
		char *res = NULL;
		const char *dp;

		if (base && cur->loc.bytenr) {
			ret = offline_paths_dir(&rs->paths, cur->id, m->dirid, &dp);
			if (ret)
				goto out_free;
			if (dp && asprintf(&res, "%s%s%s%s%s", base, *base ? "/" : "", dp,
					   *dp ? "/" : "", m->name) < 0) {
				ret = -ENOMEM;
				goto out_free;
			}
			if (res && strlen(res) >= OFFLINE_PATH_MAX) {
				free(res);
				res = NULL;
			}
		}
		m->path = res;
		m->path_done = true;
		base = res;
		cur = m;
	}
	*out = r->path;
out_free:
	free(chain);
	return ret;
}

void offline_roots_free(struct offline_roots *rs)
{
	for (size_t i = 0; i < rs->nr; i++) {
		free(rs->roots[i].name);
		free(rs->roots[i].path);
	}
	free(rs->roots);
	offline_paths_free(&rs->paths);
	memset(rs, 0, sizeof(*rs));
}
