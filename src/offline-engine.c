// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-engine.c - the offline qgroup accounting: which subvolumes reach
 * every tree block (top-down, level by level, with interned sets), which
 * reach every data extent (from the leaves' file extent items), per-set
 * byte totals, and from those the referenced/exclusive bytes of every
 * qgroup exactly as the kernel's full rescan computes them.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "le.h"
#include "nls.h"
#include "offline-checkpoint.h"
#include "offline-engine.h"
#include "offline-fs.h"
#include "offline-mounted.h"
#include "offline-sets.h"
#include "offline-tree.h"

#define BTRFS_INODE_REF_KEY 12
#define BTRFS_ORPHAN_ITEM_KEY 48
#define BTRFS_EXTENT_DATA_KEY 108
#define BTRFS_ROOT_ITEM_KEY 132
#define BTRFS_ROOT_BACKREF_KEY 144
#define BTRFS_BLOCK_GROUP_ITEM_KEY 192
#define BTRFS_QGROUP_STATUS_KEY 240
#define BTRFS_QGROUP_INFO_KEY 242
#define BTRFS_QGROUP_LIMIT_KEY 244
#define BTRFS_QGROUP_RELATION_KEY 246
#define BTRFS_ORPHAN_OBJECTID (-5ULL)

#define QGROUP_STATUS_FLAG_ON (1ULL << 0)
#define QGROUP_STATUS_FLAG_RESCAN (1ULL << 1)
#define QGROUP_STATUS_FLAG_INCONSISTENT (1ULL << 2)
#define QGROUP_STATUS_FLAG_SIMPLE_MODE (1ULL << 3)

#define ROOT_ITEM_MIN_SIZE 239

struct root_info {
	uint64_t id, bytenr, gen;
	uint8_t level;
	uint32_t refs;
	uint64_t parent, dirid;		/* from ROOT_BACKREF */
	char *name;
	bool orphan;
	char *path;
	struct offline_key drop_progress;	/* deleted, partly dropped: keys */
	uint8_t drop_level;			/* before this are gone */
};

/* a node on the path to a dead root's drop progress: children wholly
 * before the progress key no longer belong to that root */
struct drop_bound {
	uint64_t bytenr, root;
	struct offline_key progress;
};

struct offline_engine {
	struct offline_fs fs;
	struct root_info *roots;
	size_t nr_roots, cap_roots;
	struct offline_sets sets;
	bool scanned;
	/* quota tree */
	bool has_quota;
	uint64_t quota_bytenr, quota_gen;
	uint8_t quota_level;
	uint64_t extent_bytenr, extent_gen, bg_bytenr, bg_gen;
	uint8_t extent_level, bg_level;
	/* scan state */
	struct offline_bmap levels[OFFLINE_MAX_LEVEL];
	struct offline_bmap data;
	offline_progress_cb cb;
	void *cb_ctx;
	const atomic_int *cancel;
	struct offline_progress prog;
	struct timespec last_cb;
	uint64_t enable_gen;		/* simple quotas: first counted generation */
	struct drop_bound *bounds;
	size_t nr_bounds;
	uint64_t *ids;		/* sorted subvolume ids: set members are indices */
	uint32_t nr_ids;
};

static bool is_fstree(uint64_t id)
{
	return id == BTRFS_FS_TREE_OBJECTID ||
	       (id >= BTRFS_FIRST_FREE_OBJECTID && id <= BTRFS_LAST_FREE_OBJECTID);
}

const char *offline_engine_error(const struct offline_engine *e)
{
	return e ? e->fs.err : "";
}

static struct root_info *root_get(struct offline_engine *e, uint64_t id, bool create)
{
	for (size_t i = 0; i < e->nr_roots; i++)
		if (e->roots[i].id == id)
			return &e->roots[i];
	if (!create)
		return NULL;
	if (e->nr_roots == e->cap_roots) {
		size_t ncap = e->cap_roots ? e->cap_roots * 2 : 64;
		struct root_info *n = realloc(e->roots, ncap * sizeof(*n));

		if (!n)
			return NULL;
		e->roots = n;
		e->cap_roots = ncap;
	}
	memset(&e->roots[e->nr_roots], 0, sizeof(e->roots[0]));
	e->roots[e->nr_roots].id = id;
	return &e->roots[e->nr_roots++];
}

static int root_tree_item(const struct offline_key *key, const uint8_t *data, uint32_t size,
			  void *ctx)
{
	struct offline_engine *e = ctx;
	struct root_info *r;

	switch (key->type) {
	case BTRFS_ROOT_ITEM_KEY: {
		uint64_t bytenr, gen;
		uint8_t level;

		if (size < ROOT_ITEM_MIN_SIZE) {
			snprintf(e->fs.err, sizeof(e->fs.err),
				 _("root tree: root item %" PRIu64 " too short (%u bytes)"),
				 key->objectid, size);
			return -EINVAL;
		}
		gen = get_le64(data + 160);
		bytenr = get_le64(data + 176);
		level = data[238];
		if (key->objectid == BTRFS_QUOTA_TREE_OBJECTID) {
			e->has_quota = true;
			e->quota_bytenr = bytenr;
			e->quota_gen = gen;
			e->quota_level = level;
			return 0;
		}
		if (key->objectid == BTRFS_EXTENT_TREE_OBJECTID) {
			e->extent_bytenr = bytenr;
			e->extent_gen = gen;
			e->extent_level = level;
			return 0;
		}
		if (key->objectid == BTRFS_BLOCK_GROUP_TREE_OBJECTID) {
			e->bg_bytenr = bytenr;
			e->bg_gen = gen;
			e->bg_level = level;
			return 0;
		}
		if (!is_fstree(key->objectid))
			return 0;
		r = root_get(e, key->objectid, true);
		if (!r)
			return -ENOMEM;
		r->bytenr = bytenr;
		r->gen = gen;
		r->level = level;
		r->refs = get_le32(data + 216);
		r->drop_progress.objectid = get_le64(data + 220);
		r->drop_progress.type = data[228];
		r->drop_progress.offset = get_le64(data + 229);
		r->drop_level = data[237];
		if (level >= OFFLINE_MAX_LEVEL) {
			snprintf(e->fs.err, sizeof(e->fs.err),
				 _("root tree: root item %" PRIu64 " has level %u"), key->objectid,
				 level);
			return -EINVAL;
		}
		return 0;
	}
	case BTRFS_ROOT_BACKREF_KEY: {
		uint16_t nlen;

		if (!is_fstree(key->objectid) || size < 18)
			return 0;
		nlen = get_le16(data + 16);
		if (nlen > size - 18 || !nlen)
			return 0;
		r = root_get(e, key->objectid, true);
		if (!r)
			return -ENOMEM;
		free(r->name);
		r->name = strndup((const char *)data + 18, nlen);
		if (!r->name)
			return -ENOMEM;
		r->parent = key->offset;
		r->dirid = get_le64(data);
		return 0;
	}
	case BTRFS_ORPHAN_ITEM_KEY:
		if (key->objectid == BTRFS_ORPHAN_OBJECTID && is_fstree(key->offset)) {
			r = root_get(e, key->offset, true);
			if (!r)
				return -ENOMEM;
			r->orphan = true;
		}
		return 0;
	default:
		return 0;
	}
}

int offline_engine_open(const char *const *paths, size_t nr_paths, struct offline_engine **out,
			char *errmsg, size_t errlen)
{
	struct offline_engine *e;
	struct offline_super *sb;
	int ret;

	*out = NULL;
	for (size_t i = 0; i < nr_paths; i++) {
		ret = offline_mounted_check(paths[i], errmsg, errlen);
		if (ret)
			return ret;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		snprintf(errmsg, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	ret = offline_fs_open_paths(&e->fs, paths, nr_paths, true);
	if (ret)
		goto out_err;
	sb = &e->fs.sb;
	ret = offline_tree_walk(&e->fs, BTRFS_ROOT_TREE_OBJECTID, sb->root, sb->root_level,
				sb->generation, NULL, NULL, root_tree_item, e);
	if (ret)
		goto out_err;
	*out = e;
	return 0;
out_err:
	snprintf(errmsg, errlen, "%s", e->fs.err[0] ? e->fs.err : strerror(-ret));
	offline_engine_close(e);
	return ret;
}

static int open_memory(struct offline_engine *e, char *errmsg, size_t errlen)
{
	int ret = offline_tree_walk(&e->fs, BTRFS_ROOT_TREE_OBJECTID, e->fs.sb.root,
				    e->fs.sb.root_level, e->fs.sb.generation, NULL, NULL,
				    root_tree_item, e);

	if (ret)
		snprintf(errmsg, errlen, "%s", e->fs.err[0] ? e->fs.err : strerror(-ret));
	return ret;
}

/* the common end of the in-memory opens: @ret is the offline_fs open's */
static int finish_open_memory(struct offline_engine *e, int ret, struct offline_engine **out,
			      char *errmsg, size_t errlen)
{
	if (ret)
		snprintf(errmsg, errlen, "%s", e->fs.err[0] ? e->fs.err : strerror(-ret));
	else
		ret = open_memory(e, errmsg, errlen);
	if (ret) {
		offline_engine_close(e);
		return ret;
	}
	*out = e;
	return 0;
}

int offline_engine_open_mem(const uint8_t *mem, size_t size, bool verify_csum,
			    struct offline_engine **out, char *errmsg, size_t errlen)
{
	struct offline_engine *e = calloc(1, sizeof(*e));
	int ret;

	*out = NULL;
	if (!e)
		return -ENOMEM;
	ret = offline_fs_open_mem(&e->fs, mem, size, verify_csum);
	return finish_open_memory(e, ret, out, errmsg, errlen);
}

int offline_engine_open_sparse(const struct offline_seg *segs, size_t nr, uint64_t size,
			       bool verify_csum, struct offline_engine **out, char *errmsg,
			       size_t errlen)
{
	struct offline_engine *e = calloc(1, sizeof(*e));
	int ret;

	*out = NULL;
	if (!e)
		return -ENOMEM;
	ret = offline_fs_open_sparse(&e->fs, segs, nr, size, verify_csum);
	return finish_open_memory(e, ret, out, errmsg, errlen);
}

/* ---- quota tree ---- */

struct quota_ctx {
	struct qgroup_model *m;
	uint64_t enable_gen;
};

static int quota_item(const struct offline_key *key, const uint8_t *data, uint32_t size, void *ctx)
{
	struct quota_ctx *qc = ctx;
	struct qgroup_model *m = qc->m;
	struct qgroup *q;
	int ret;

	switch (key->type) {
	case BTRFS_QGROUP_STATUS_KEY:
		if (size < 32)
			return -EINVAL;
		m->status_generation = get_le64(data + 8);
		m->status_flags = get_le64(data + 16);
		m->status_rescan = get_le64(data + 24);
		if (size >= 40)
			qc->enable_gen = get_le64(data + 32);
		return 0;
	case BTRFS_QGROUP_INFO_KEY:
		if (size < 40)
			return -EINVAL;
		ret = qgroup_model_get(m, key->offset, &q);
		if (ret)
			return ret;
		q->has_info = true;
		q->info_generation = get_le64(data);
		q->has_stored = true;
		q->stored_rfer = get_le64(data + 8);
		q->stored_excl = get_le64(data + 24);
		return 0;
	case BTRFS_QGROUP_LIMIT_KEY:
		if (size < 40)
			return -EINVAL;
		ret = qgroup_model_get(m, key->offset, &q);
		if (ret)
			return ret;
		q->has_limit = true;
		q->limit_flags = get_le64(data);
		q->max_rfer = get_le64(data + 8);
		q->max_excl = get_le64(data + 16);
		q->rsv_rfer = get_le64(data + 24);
		q->rsv_excl = get_le64(data + 32);
		return 0;
	case BTRFS_QGROUP_RELATION_KEY:
		if (key->objectid >= key->offset)
			return 0;
		return qgroup_model_add_relation(m, key->objectid, key->offset);
	default:
		return 0;
	}
}

static int read_quota(struct offline_engine *e, struct qgroup_model *m)
{
	struct quota_ctx qc = { m, 0 };
	int ret;

	if (!e->has_quota) {
		m->mode = QGROUP_MODE_DISABLED;
		/* still compute level-0 numbers for every subvolume */
		for (size_t i = 0; i < e->nr_roots; i++) {
			struct qgroup *q;

			if (!e->roots[i].bytenr)
				continue;
			ret = qgroup_model_get(m, e->roots[i].id, &q);
			if (ret)
				return ret;
		}
		return 0;
	}
	ret = offline_tree_walk(&e->fs, BTRFS_QUOTA_TREE_OBJECTID, e->quota_bytenr, e->quota_level,
				e->quota_gen, NULL, NULL, quota_item, &qc);
	e->enable_gen = qc.enable_gen;
	if (ret == -EINVAL && !e->fs.err[0])
		snprintf(e->fs.err, sizeof(e->fs.err), _("quota tree: item too short"));
	if (ret)
		return ret;
	m->mode = (m->status_flags & QGROUP_STATUS_FLAG_SIMPLE_MODE) ? QGROUP_MODE_SIMPLE
								     : QGROUP_MODE_FULL;
	m->inconsistent = !!(m->status_flags & QGROUP_STATUS_FLAG_INCONSISTENT);
	if (m->status_flags & QGROUP_STATUS_FLAG_RESCAN) {
		m->rescan.state = QGROUP_RESCAN_PAUSED;
		m->rescan.progress = m->status_rescan;
	}
	return 0;
}

/* ---- paths ---- */

struct inode_ref_ctx {
	uint64_t parent_ino;
	char *name;
};

static int inode_ref_item(const struct offline_key *key, const uint8_t *data, uint32_t size,
			  void *ctx)
{
	struct inode_ref_ctx *c = ctx;
	uint16_t nlen;

	if (key->type != BTRFS_INODE_REF_KEY || size < 10)
		return 0;
	nlen = get_le16(data + 8);
	if (nlen > size - 10)
		return 0;
	c->parent_ino = key->offset;
	c->name = strndup((const char *)data + 10, nlen);
	return c->name ? 1 : -ENOMEM;
}

/* directory path of inode @dirid inside subvolume @r (NULL when unknown) */
static char *dir_path(struct offline_engine *e, const struct root_info *r, uint64_t dirid)
{
	char *path = strdup("");

	for (int depth = 0; path && dirid != BTRFS_FIRST_FREE_OBJECTID && depth < 64; depth++) {
		struct offline_key min = { dirid, BTRFS_INODE_REF_KEY, 0 };
		struct offline_key max = { dirid, BTRFS_INODE_REF_KEY, UINT64_MAX };
		struct inode_ref_ctx c = { 0, NULL };
		char *np;
		int ret;

		ret = offline_tree_walk(&e->fs, r->id, r->bytenr, r->level, r->gen, &min, &max,
					inode_ref_item, &c);
		if (ret <= 0 || !c.name) {
			free(c.name);
			free(path);
			return NULL;
		}
		if (asprintf(&np, "%s%s%s", c.name, *path ? "/" : "", path) < 0)
			np = NULL;
		free(c.name);
		free(path);
		path = np;
		dirid = c.parent_ino;
	}
	return path;
}

static char *root_path(struct offline_engine *e, struct root_info *r, int depth)
{
	struct root_info *p;
	char *pp, *dp, *res;

	if (r->path)
		return r->path;
	if (r->id == BTRFS_FS_TREE_OBJECTID || !r->name || depth > 64)
		return NULL;
	p = root_get(e, r->parent, false);
	if (!p)
		return NULL;
	pp = p->id == BTRFS_FS_TREE_OBJECTID ? "" : root_path(e, p, depth + 1);
	if (!pp || !p->bytenr)
		return NULL;
	dp = dir_path(e, p, r->dirid);
	if (!dp)
		return NULL;
	if (asprintf(&res, "%s%s%s%s%s", pp, *pp ? "/" : "", dp, *dp ? "/" : "", r->name) < 0)
		res = NULL;
	free(dp);
	r->path = res;
	return res;
}

/* ---- progress ---- */

static int bg_item(const struct offline_key *key, const uint8_t *data, uint32_t size, void *ctx)
{
	uint64_t *total = ctx;

	if (key->type == BTRFS_BLOCK_GROUP_ITEM_KEY && size >= 24 &&
	    (get_le64(data + 16) & BTRFS_BLOCK_GROUP_METADATA))
		*total += get_le64(data);
	return 1;
}

/* metadata bytes in use, from the block group items (progress total) */
static uint64_t metadata_used(struct offline_engine *e)
{
	uint64_t total = 0, bytenr = e->bg_bytenr ? e->bg_bytenr : e->extent_bytenr;
	uint64_t gen = e->bg_bytenr ? e->bg_gen : e->extent_gen;
	uint64_t tree = e->bg_bytenr ? BTRFS_BLOCK_GROUP_TREE_OBJECTID : BTRFS_EXTENT_TREE_OBJECTID;
	int level = e->bg_bytenr ? e->bg_level : e->extent_level;

	if (!bytenr)
		return 0;
	for (size_t i = 0; i < e->fs.map.nr; i++) {
		const struct offline_chunk *c = &e->fs.map.chunks[i];
		struct offline_key k = { c->logical, BTRFS_BLOCK_GROUP_ITEM_KEY, c->length };

		if (!(c->type & BTRFS_BLOCK_GROUP_METADATA))
			continue;
		if (offline_tree_walk(&e->fs, tree, bytenr, level, gen, &k, &k, bg_item, &total) < 0)
			return 0;	/* only an estimate: fall back to no total */
	}
	return total;
}

static int progress(struct offline_engine *e, bool force)
{
	struct timespec now;

	if (e->cancel && atomic_load(e->cancel)) {
		snprintf(e->fs.err, sizeof(e->fs.err), _("scan cancelled"));
		return -ECANCELED;
	}
	if (!e->cb)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!force && (now.tv_sec - e->last_cb.tv_sec) * 1000000000L +
			      (now.tv_nsec - e->last_cb.tv_nsec) < 100000000L)
		return 0;
	e->last_cb = now;
	e->prog.done = e->fs.bytes_read;
	if (e->prog.total < e->prog.done)
		e->prog.total = e->prog.done;
	e->cb(&e->prog, e->cb_ctx);
	return 0;
}

/* ---- the top-down pass ---- */

static int cmp_ent(const void *a, const void *b)
{
	const struct offline_bmap_ent *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static int leaf_items(struct offline_engine *e, const uint8_t *b, uint32_t set)
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
		if (size < 21 || data[20] == 0)	/* inline: no extent of its own */
			continue;
		if (size < 53)
			return -EINVAL;
		disk_bytenr = get_le64(data + 21);
		disk_len = get_le64(data + 29);
		if (!disk_bytenr)		/* hole */
			continue;
		d = offline_bmap_get(&e->data, disk_bytenr, &created);
		if (!d)
			return -ENOMEM;
		if (created)
			d->size = disk_len;
		ret = offline_sets_add(&e->sets, d, set);
		if (ret)
			return ret;
	}
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* the dense index of subvolume @id in e->ids */
static uint32_t id_index(const struct offline_engine *e, uint64_t id)
{
	const uint64_t *p = bsearch(&id, e->ids, e->nr_ids, sizeof(*e->ids), cmp_id);

	return p ? (uint32_t)(p - e->ids) : UINT32_MAX;
}

static int build_ids(struct offline_engine *e)
{
	free(e->ids);
	e->nr_ids = 0;
	e->ids = malloc((e->nr_roots ? e->nr_roots : 1) * sizeof(*e->ids));
	if (!e->ids)
		return -ENOMEM;
	for (size_t i = 0; i < e->nr_roots; i++)
		if (e->roots[i].bytenr)
			e->ids[e->nr_ids++] = e->roots[i].id;
	qsort(e->ids, e->nr_ids, sizeof(*e->ids), cmp_id);
	return 0;
}

/* @set without subvolume @root */
static int set_without(struct offline_engine *e, uint32_t set, uint64_t root, uint32_t *out)
{
	uint32_t n, k = 0, ri = id_index(e, root);
	const uint32_t *mem = offline_sets_members(&e->sets, set, &n);
	uint32_t *tmp = malloc((n ? n : 1) * sizeof(*tmp));
	int ret;

	if (!tmp)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		if (mem[i] != ri)
			tmp[k++] = mem[i];
	ret = offline_sets_intern(&e->sets, tmp, k, out);
	free(tmp);
	return ret;
}

static int scan_level(struct offline_engine *e, int level, struct offline_checkpoint *ck,
		      size_t start)
{
	struct offline_bmap *lm = &e->levels[level];
	uint32_t ns = e->fs.sb.nodesize;
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
		ret = offline_sets_final(&e->sets, &lm->ents[i]);
		if (ret)
			goto out;
		list[n++] = lm->ents[i];
	}
	qsort(list, n, sizeof(*list), cmp_ent);
	for (size_t i = start; i < n; i++) {
		uint32_t set = list[i].set, nm;
		const uint32_t *mem = offline_sets_members(&e->sets, set, &nm);

		/* errors name the first subvolume reaching the block */
		ret = offline_fs_read_block(&e->fs, list[i].key, level, list[i].size,
					    nm ? e->ids[mem[0]] : 0, buf);
		if (ret)
			goto out;
		e->sets.bytes[set] += ns;
		if (level > 0) {
			uint32_t nr = offline_block_nritems(buf);
			const struct drop_bound *bound = NULL;
			uint32_t without = set;

			for (size_t k = 0; k < e->nr_bounds; k++)
				if (e->bounds[k].bytenr == list[i].key)
					bound = &e->bounds[k];
			if (bound) {
				ret = set_without(e, set, bound->root, &without);
				if (ret)
					goto out;
			}
			for (uint32_t j = 0; j < nr; j++) {
				struct offline_bmap_ent *c;
				uint64_t child, cgen;
				uint32_t cset = set;
				int created;

				if (bound && j + 1 < nr) {
					struct offline_key next;

					offline_block_key(buf, j + 1, &next);
					if (offline_key_cmp(&next, &bound->progress) <= 0)
						cset = without;	/* already dropped */
				}

				offline_node_ptr(buf, j, &child, &cgen);
				if (!child || child % e->fs.sb.sectorsize) {
					snprintf(e->fs.err, sizeof(e->fs.err),
						 _("tree block %" PRIu64 ": bad child pointer %" PRIu64),
						 list[i].key, child);
					ret = -EINVAL;
					goto out;
				}
				c = offline_bmap_get(&e->levels[level - 1], child, &created);
				if (!c) {
					ret = -ENOMEM;
					goto out;
				}
				if (created)
					c->size = cgen;
				ret = offline_sets_add(&e->sets, c, cset);
				if (ret)
					goto out;
			}
		} else {
			ret = leaf_items(e, buf, set);
			if (ret == -EINVAL)
				snprintf(e->fs.err, sizeof(e->fs.err),
					 _("tree block %" PRIu64 ": file extent item too short"),
					 list[i].key);
			if (ret)
				goto out;
		}
		/* after each block, so a resumed scan always moves on */
		ret = progress(e, false);
		if (ret) {
			if (ck && ret == -ECANCELED) {
				int r2 = offline_checkpoint_save(ck, e, level, i + 1);

				if (r2)
					ret = r2;
			}
			goto out;
		}
		if (ck) {
			ret = offline_checkpoint_maybe_save(ck, e, level, i + 1);
			if (ret)
				goto out;
		}
	}
	offline_bmap_free(lm);
out:
	free(list);
	free(buf);
	return ret;
}

/* accessors for offline-checkpoint.c */
struct offline_sets *offline_engine_sets(struct offline_engine *e)
{
	return &e->sets;
}

struct offline_bmap *offline_engine_bmap(struct offline_engine *e, int level)
{
	return level < 0 ? &e->data : &e->levels[level];
}

const struct offline_super *offline_engine_super(const struct offline_engine *e)
{
	return &e->fs.sb;
}

uint32_t offline_engine_nr_subvols(const struct offline_engine *e)
{
	return e->nr_ids;
}

uint64_t *offline_engine_bytes_read(struct offline_engine *e)
{
	return &e->fs.bytes_read;
}

static void reset_scan(struct offline_engine *e)
{
	for (int l = 0; l < OFFLINE_MAX_LEVEL; l++)
		offline_bmap_free(&e->levels[l]);
	offline_bmap_free(&e->data);
	offline_sets_free(&e->sets);
	free(e->bounds);
	e->bounds = NULL;
	e->nr_bounds = 0;
	e->scanned = false;
}

/* the path of a partly dropped dead root down to its drop progress */
static int drop_path(struct offline_engine *e, const struct root_info *r)
{
	uint32_t ns = e->fs.sb.nodesize;
	uint64_t bytenr = r->bytenr, gen = r->gen;
	uint8_t *b = malloc(ns);
	int ret = 0;

	if (!b)
		return -ENOMEM;
	for (int level = r->level; level > 0 && level >= r->drop_level; level--) {
		struct drop_bound *nb;
		uint32_t nr, slot = 0;

		ret = offline_fs_read_block(&e->fs, bytenr, level, gen, r->id, b);
		if (ret)
			break;
		nb = realloc(e->bounds, (e->nr_bounds + 1) * sizeof(*nb));
		if (!nb) {
			ret = -ENOMEM;
			break;
		}
		e->bounds = nb;
		nb[e->nr_bounds].bytenr = bytenr;
		nb[e->nr_bounds].root = r->id;
		nb[e->nr_bounds].progress = r->drop_progress;
		e->nr_bounds++;
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

/* @seed: put every root node in its level's map (a fresh scan); the drop
 * bounds of dead roots are needed by resumed scans too */
static int seed_roots(struct offline_engine *e, bool seed)
{
	for (size_t i = 0; i < e->nr_roots; i++) {
		struct root_info *r = &e->roots[i];
		struct offline_bmap_ent *b;
		uint32_t single, idx;
		int created, ret;

		if (!r->bytenr)
			continue;
		if (!r->refs && (r->drop_progress.objectid || r->drop_level)) {
			ret = drop_path(e, r);
			if (ret)
				return ret;
		}
		if (!seed)
			continue;
		idx = id_index(e, r->id);
		ret = offline_sets_intern(&e->sets, &idx, 1, &single);
		if (ret)
			return ret;
		b = offline_bmap_get(&e->levels[r->level], r->bytenr, &created);
		if (!b)
			return -ENOMEM;
		if (created)
			b->size = r->gen;
		ret = offline_sets_add(&e->sets, b, single);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- simple quotas: every extent charged to its owner ---- */

#define BTRFS_EXTENT_ITEM_KEY 168
#define BTRFS_METADATA_ITEM_KEY 169
#define BTRFS_EXTENT_OWNER_REF_KEY 172
#define BTRFS_EXTENT_FLAG_TREE_BLOCK (1ULL << 1)

static int ancestors(const struct qgroup_model *m, uint64_t id, uint64_t **out, size_t *nr);

struct squota_ctx {
	struct offline_engine *e;
	struct qgroup_model *m;
	uint64_t *meta;		/* metadata extents to read the owner of */
	size_t nr_meta, cap_meta;
};

static int squota_charge(struct qgroup_model *m, uint64_t root, uint64_t bytes)
{
	struct qgroup *q = qgroup_model_find(m, root);
	uint64_t *anc = NULL;
	size_t nanc = 0;
	int ret;

	if (!q || !is_fstree(root))
		return 0;
	q->rfer += bytes;
	q->excl += bytes;
	ret = ancestors(m, root, &anc, &nanc);
	if (ret)
		return ret;
	for (size_t i = 0; i < nanc; i++) {
		struct qgroup *g = qgroup_model_find(m, anc[i]);

		if (g) {
			g->rfer += bytes;
			g->excl += bytes;
		}
	}
	free(anc);
	return 0;
}

static int squota_item(const struct offline_key *key, const uint8_t *data, uint32_t size,
		       void *ctx)
{
	struct squota_ctx *c = ctx;
	uint64_t gen, flags;
	int ret;

	if (key->type != BTRFS_EXTENT_ITEM_KEY && key->type != BTRFS_METADATA_ITEM_KEY)
		return 0;
	if (size < 24)
		return 0;
	gen = get_le64(data + 8);
	flags = get_le64(data + 16);
	if (gen < c->e->enable_gen)
		return 0;
	ret = progress(c->e, false);
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
	/* data: the owner ref sorts first among the inline refs */
	if (size >= 24 + 9 && data[24] == BTRFS_EXTENT_OWNER_REF_KEY)
		return squota_charge(c->m, get_le64(data + 25), key->offset);
	return 0;
}

static int squota_scan(struct offline_engine *e, struct qgroup_model *m)
{
	struct squota_ctx c = { e, m, NULL, 0, 0 };
	uint8_t *buf = malloc(e->fs.sb.nodesize);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = offline_tree_walk(&e->fs, BTRFS_EXTENT_TREE_OBJECTID, e->extent_bytenr,
				e->extent_level, e->extent_gen, NULL, NULL, squota_item, &c);
	for (size_t i = 0; !ret && i < c.nr_meta; i++) {
		ret = progress(e, false);
		if (!ret)
			ret = offline_fs_read_block(&e->fs, c.meta[i], -1, 0,
						    BTRFS_EXTENT_TREE_OBJECTID, buf);
		if (!ret)
			ret = squota_charge(m, get_le64(buf + 88), e->fs.sb.nodesize);
	}
	free(c.meta);
	free(buf);
	return ret;
}

/* ---- accounting ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* the higher-level qgroups above level-0 qgroup @id (all ancestors) */
static int ancestors(const struct qgroup_model *m, uint64_t id, uint64_t **out, size_t *nr)
{
	uint64_t *list = NULL;
	size_t n = 0, cap = 0, done = 0;
	const struct qgroup *q = qgroup_model_find(m, id);

	*out = NULL;
	*nr = 0;
	if (!q)
		return 0;
	/* breadth-first over parents; duplicates skipped */
	for (const struct qgroup *cur = q;; cur = qgroup_model_find(m, list[done++])) {
		for (size_t i = 0; cur && i < cur->nr_parents; i++) {
			bool seen = false;

			for (size_t j = 0; j < n; j++)
				seen |= list[j] == cur->parents[i];
			if (seen)
				continue;
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				uint64_t *nl = realloc(list, ncap * sizeof(*nl));

				if (!nl) {
					free(list);
					return -ENOMEM;
				}
				list = nl;
				cap = ncap;
			}
			list[n++] = cur->parents[i];
		}
		if (done >= n || n > 4096)
			break;
	}
	*out = list;
	*nr = n;
	return 0;
}

static int account(struct offline_engine *e, struct qgroup_model *m)
{
	uint64_t **anc = NULL;
	size_t *nanc = NULL;
	uint32_t *count = NULL;
	int ret = 0;

	for (size_t i = 0; i < m->nr_qgroups; i++)
		m->qgroups[i].rfer = m->qgroups[i].excl = 0,
		m->qgroups[i].rfer_cmpr = m->qgroups[i].excl_cmpr = 0;
	anc = calloc(m->nr_qgroups + 1, sizeof(*anc));
	nanc = calloc(m->nr_qgroups + 1, sizeof(*nanc));
	count = calloc(m->nr_qgroups + 1, sizeof(*count));
	if (!anc || !nanc || !count) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < m->nr_qgroups; i++)
		if (QGROUP_LEVEL(m->qgroups[i].id) == 0) {
			ret = ancestors(m, m->qgroups[i].id, &anc[i], &nanc[i]);
			if (ret)
				goto out;
		}
	for (uint32_t s = 1; s < e->sets.nr; s++) {
		uint64_t b = e->sets.bytes[s];
		uint32_t n;
		const uint32_t *mem = offline_sets_members(&e->sets, s, &n);

		if (!b)
			continue;
		/* level 0: referenced by every member, exclusive when alone */
		for (uint32_t j = 0; j < n; j++) {
			struct qgroup *q = qgroup_model_find(m, e->ids[mem[j]]);
			size_t qi;

			if (!q)
				continue;
			q->rfer += b;
			if (n == 1)
				q->excl += b;
			qi = (size_t)(q - m->qgroups);
			for (size_t a = 0; a < nanc[qi]; a++) {
				struct qgroup *g = qgroup_model_find(m, anc[qi][a]);

				if (g)
					count[g - m->qgroups]++;
			}
		}
		/* higher levels: referenced if any member below, exclusive if all */
		for (uint32_t j = 0; j < n; j++) {
			struct qgroup *q = qgroup_model_find(m, e->ids[mem[j]]);
			size_t qi;

			if (!q)
				continue;
			qi = (size_t)(q - m->qgroups);
			for (size_t a = 0; a < nanc[qi]; a++) {
				struct qgroup *g = qgroup_model_find(m, anc[qi][a]);
				size_t gi;

				if (!g)
					continue;
				gi = (size_t)(g - m->qgroups);
				if (!count[gi])
					continue;	/* already added for this set */
				g->rfer += b;
				if (count[gi] == n)
					g->excl += b;
				count[gi] = 0;
			}
		}
	}
	for (size_t i = 0; i < m->nr_qgroups; i++) {
		m->qgroups[i].rfer_cmpr = m->qgroups[i].rfer;
		m->qgroups[i].excl_cmpr = m->qgroups[i].excl;
	}
out:
	if (anc)
		for (size_t i = 0; i < m->nr_qgroups; i++)
			free(anc[i]);
	free(anc);
	free(nanc);
	free(count);
	return ret;
}

static void fill_fs_info(struct offline_engine *e, struct qgroup_model *m)
{
	const uint8_t *u = e->fs.sb.fsid;

	snprintf(m->fs.uuid, sizeof(m->fs.uuid),
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
		 u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		 u[15]);
	free(m->fs.label);
	m->fs.label = strdup(e->fs.sb.label);
	free(m->fs.source);
	m->fs.source = strdup(e->fs.nr_devs ? e->fs.devs[0].path : "");
	m->fs.offline = true;
	m->fs.read_only = true;
}

static int fill_paths(struct offline_engine *e, struct qgroup_model *m)
{
	for (size_t i = 0; i < m->nr_qgroups; i++) {
		struct qgroup *q = &m->qgroups[i];
		struct root_info *r;
		char *p;
		int ret;

		if (QGROUP_LEVEL(q->id))
			continue;
		r = root_get(e, q->id, false);
		if (!r || !r->bytenr) {
			q->state = QGROUP_STATE_STALE;
			continue;
		}
		if (q->id == BTRFS_FS_TREE_OBJECTID) {
			ret = qgroup_model_set_path(q, "<toplevel>");
			if (ret)
				return ret;
			continue;
		}
		if (!r->refs || r->orphan) {
			q->state = QGROUP_STATE_DELETING;
			continue;
		}
		p = root_path(e, r, 0);
		if (p) {
			ret = qgroup_model_set_path(q, p);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int offline_engine_scan(struct offline_engine *e, struct qgroup_model *m, offline_progress_cb cb,
			void *ctx, const atomic_int *cancel, const char *checkpoint)
{
	struct offline_checkpoint *ck = NULL;
	int start_level = OFFLINE_MAX_LEVEL - 1;
	size_t start_index = 0;
	int ret;

	e->fs.err[0] = 0;
	reset_scan(e);
	e->cb = cb;
	e->cb_ctx = ctx;
	e->cancel = cancel;
	memset(&e->last_cb, 0, sizeof(e->last_cb));
	fill_fs_info(e, m);
	ret = read_quota(e, m);
	if (ret)
		goto out;
	ret = qgroup_model_finish(m);
	if (ret)
		goto out;
	ret = fill_paths(e, m);
	if (ret)
		goto out;
	ret = offline_sets_init(&e->sets);
	if (!ret)
		ret = build_ids(e);
	if (ret)
		goto out;
	e->fs.bytes_read = 0;
	e->prog.total = metadata_used(e);
	e->fs.bytes_read = 0;
	if (checkpoint) {
		ret = offline_checkpoint_open(checkpoint, e, &ck, &start_level, &start_index);
		if (ret == -EINVAL)
			snprintf(e->fs.err, sizeof(e->fs.err),
				 _("checkpoint %s does not belong to this filesystem and generation"),
				 checkpoint);
		if (ret)
			goto out;
	}
	if (m->mode == QGROUP_MODE_SIMPLE) {
		for (size_t i = 0; i < m->nr_qgroups; i++)
			m->qgroups[i].rfer = m->qgroups[i].excl = 0;
		ret = squota_scan(e, m);
		if (ret)
			goto out;
		for (size_t i = 0; i < m->nr_qgroups; i++) {
			m->qgroups[i].rfer_cmpr = m->qgroups[i].rfer;
			m->qgroups[i].excl_cmpr = m->qgroups[i].excl;
		}
		e->prog.total = e->fs.bytes_read;
		progress(e, true);
		/* freed bytes need the full-mode sets: not available */
		goto out;
	}
	ret = seed_roots(e, start_level == OFFLINE_MAX_LEVEL - 1 && start_index == 0);
	if (ret)
		goto out;
	for (int level = start_level; level >= 0; level--) {
		ret = scan_level(e, level, ck, level == start_level ? start_index : 0);
		if (ret)
			goto out;
	}
	for (size_t i = 0; i < e->data.cap; i++) {
		if (!e->data.ents[i].key)
			continue;
		ret = offline_sets_final(&e->sets, &e->data.ents[i]);
		if (ret)
			goto out;
		e->sets.bytes[e->data.ents[i].set] += e->data.ents[i].size;
	}
	offline_bmap_free(&e->data);
	ret = account(e, m);
	if (ret)
		goto out;
	e->scanned = true;
	e->prog.total = e->fs.bytes_read;
	progress(e, true);
	if (ck)
		offline_checkpoint_done(ck);
	ck = NULL;
out:
	if (ck)
		offline_checkpoint_close(ck);
	if (ret == -ENOMEM && !e->fs.err[0])
		snprintf(e->fs.err, sizeof(e->fs.err), "%s", strerror(ENOMEM));
	return ret;
}

int offline_engine_freed(struct offline_engine *e, const uint64_t *subvol_ids, size_t nr,
			 uint64_t *bytes)
{
	uint64_t *ids, total = 0;

	*bytes = 0;
	if (!e->scanned)
		return -EINVAL;
	ids = malloc((nr ? nr : 1) * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	memcpy(ids, subvol_ids, nr * sizeof(*ids));
	qsort(ids, nr, sizeof(*ids), cmp_u64);
	for (uint32_t s = 1; s < e->sets.nr; s++) {
		uint32_t n;
		const uint32_t *mem = offline_sets_members(&e->sets, s, &n);
		bool all = true;

		for (uint32_t j = 0; j < n && all; j++)
			all = bsearch(&e->ids[mem[j]], ids, nr, sizeof(*ids), cmp_u64) != NULL;
		if (all)
			total += e->sets.bytes[s];
	}
	free(ids);
	*bytes = total;
	return 0;
}

void offline_engine_close(struct offline_engine *e)
{
	if (!e)
		return;
	reset_scan(e);
	for (size_t i = 0; i < e->nr_roots; i++) {
		free(e->roots[i].name);
		free(e->roots[i].path);
	}
	free(e->roots);
	free(e->ids);
	offline_fs_close(&e->fs);
	free(e);
}
