// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-block.c - keys, and verified reads of tree blocks with mirror
 * fallback: the checks a block must pass before anything reads its items.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nls.h"
#include "offline-block.h"
#include "offline-csum.h"

int offline_key_cmp(const struct offline_key *a, const struct offline_key *b)
{
	if (a->objectid != b->objectid)
		return a->objectid < b->objectid ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	return 0;
}

const char *offline_key_str(const struct offline_key *k, char *buf, size_t len)
{
	/* the names btrfs-progs' dump-tree prints, so keys can be compared */
	static const struct {
		uint8_t type;
		const char *name;
	} types[] = {
		{ BTRFS_INODE_ITEM_KEY, "INODE_ITEM" }, { BTRFS_INODE_REF_KEY, "INODE_REF" },
		{ BTRFS_INODE_EXTREF_KEY, "INODE_EXTREF" }, { BTRFS_XATTR_ITEM_KEY, "XATTR_ITEM" },
		{ BTRFS_ORPHAN_ITEM_KEY, "ORPHAN_ITEM" }, { BTRFS_DIR_ITEM_KEY, "DIR_ITEM" },
		{ BTRFS_DIR_INDEX_KEY, "DIR_INDEX" }, { BTRFS_EXTENT_DATA_KEY, "EXTENT_DATA" },
		{ BTRFS_EXTENT_CSUM_KEY, "EXTENT_CSUM" }, { BTRFS_ROOT_ITEM_KEY, "ROOT_ITEM" },
		{ BTRFS_ROOT_BACKREF_KEY, "ROOT_BACKREF" }, { BTRFS_ROOT_REF_KEY, "ROOT_REF" },
		{ BTRFS_EXTENT_ITEM_KEY, "EXTENT_ITEM" }, { BTRFS_METADATA_ITEM_KEY, "METADATA_ITEM" },
		{ QGTOP_BTRFS_EXTENT_OWNER_REF_KEY, "EXTENT_OWNER_REF" },
		{ BTRFS_TREE_BLOCK_REF_KEY, "TREE_BLOCK_REF" },
		{ BTRFS_EXTENT_DATA_REF_KEY, "EXTENT_DATA_REF" },
		{ BTRFS_SHARED_BLOCK_REF_KEY, "SHARED_BLOCK_REF" },
		{ BTRFS_SHARED_DATA_REF_KEY, "SHARED_DATA_REF" },
		{ BTRFS_BLOCK_GROUP_ITEM_KEY, "BLOCK_GROUP_ITEM" },
		{ BTRFS_FREE_SPACE_INFO_KEY, "FREE_SPACE_INFO" },
		{ BTRFS_FREE_SPACE_EXTENT_KEY, "FREE_SPACE_EXTENT" },
		{ BTRFS_FREE_SPACE_BITMAP_KEY, "FREE_SPACE_BITMAP" },
		{ BTRFS_DEV_EXTENT_KEY, "DEV_EXTENT" }, { BTRFS_DEV_ITEM_KEY, "DEV_ITEM" },
		{ BTRFS_CHUNK_ITEM_KEY, "CHUNK_ITEM" }, { BTRFS_QGROUP_STATUS_KEY, "QGROUP_STATUS" },
		{ BTRFS_QGROUP_INFO_KEY, "QGROUP_INFO" }, { BTRFS_QGROUP_LIMIT_KEY, "QGROUP_LIMIT" },
		{ BTRFS_QGROUP_RELATION_KEY, "QGROUP_RELATION" },
		{ BTRFS_TEMPORARY_ITEM_KEY, "TEMPORARY_ITEM" },
		{ BTRFS_PERSISTENT_ITEM_KEY, "PERSISTENT_ITEM" },
		{ BTRFS_DEV_REPLACE_KEY, "DEV_REPLACE" }, { BTRFS_UUID_KEY_SUBVOL, "UUID_KEY_SUBVOL" },
		{ BTRFS_UUID_KEY_RECEIVED_SUBVOL, "UUID_KEY_RECEIVED_SUBVOL" },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == k->type) {
			snprintf(buf, len, "(%" PRIu64 " %s %" PRIu64 ")", k->objectid, types[i].name,
				 k->offset);
			return buf;
		}
	snprintf(buf, len, "(%" PRIu64 " %u %" PRIu64 ")", k->objectid, k->type, k->offset);
	return buf;
}

const char *offline_tree_name(uint64_t id, char *buf, size_t len)
{
	/* the names end up in translated error messages */
	static const char *const names[] = {
		[BTRFS_ROOT_TREE_OBJECTID] = N_("root tree"),
		[BTRFS_EXTENT_TREE_OBJECTID] = N_("extent tree"),
		[BTRFS_CHUNK_TREE_OBJECTID] = N_("chunk tree"),
		[BTRFS_DEV_TREE_OBJECTID] = N_("device tree"),
		[BTRFS_FS_TREE_OBJECTID] = N_("fs tree 5"),
		[BTRFS_CSUM_TREE_OBJECTID] = N_("checksum tree"),
		[BTRFS_QUOTA_TREE_OBJECTID] = N_("quota tree"),
		[BTRFS_UUID_TREE_OBJECTID] = N_("uuid tree"),
		[BTRFS_FREE_SPACE_TREE_OBJECTID] = N_("free space tree"),
		[BTRFS_BLOCK_GROUP_TREE_OBJECTID] = N_("block group tree"),
	};

	if (id < sizeof(names) / sizeof(names[0]) && names[id])
		snprintf(buf, len, "%s", _(names[id]));
	else if (id >= BTRFS_FIRST_FREE_OBJECTID && id <= BTRFS_LAST_FREE_OBJECTID)
		snprintf(buf, len, _("fs tree %" PRIu64), id);
	else
		snprintf(buf, len, _("tree %" PRId64), (int64_t)id);
	return buf;
}

void offline_block_key(const uint8_t *b, uint32_t slot, struct offline_key *key)
{
	const uint8_t *p = b + OFFLINE_HEADER_SIZE +
			   (size_t)slot * (offline_block_level(b) ? OFFLINE_PTR_SIZE : OFFLINE_ITEM_SIZE);

	key->objectid = BTRFS_LE64(p, struct btrfs_disk_key, objectid);
	key->type = BTRFS_LE8(p, struct btrfs_disk_key, type);
	key->offset = BTRFS_LE64(p, struct btrfs_disk_key, offset);
}

static const uint8_t *item_at(const uint8_t *b, uint32_t slot)
{
	return b + OFFLINE_HEADER_SIZE + (size_t)slot * OFFLINE_ITEM_SIZE;
}

const uint8_t *offline_leaf_item(const uint8_t *b, uint32_t slot, uint32_t *size)
{
	const uint8_t *p = item_at(b, slot);

	*size = BTRFS_LE32(p, struct qgtop_btrfs_item, size);
	return b + OFFLINE_HEADER_SIZE + BTRFS_LE32(p, struct qgtop_btrfs_item, offset);
}

void offline_node_ptr(const uint8_t *b, uint32_t slot, uint64_t *bytenr, uint64_t *gen)
{
	const uint8_t *p = b + OFFLINE_HEADER_SIZE + (size_t)slot * OFFLINE_PTR_SIZE;

	*bytenr = BTRFS_LE64(p, struct qgtop_btrfs_key_ptr, blockptr);
	*gen = BTRFS_LE64(p, struct qgtop_btrfs_key_ptr, generation);
}

static struct offline_dev *find_dev(struct offline_fs *fs, uint64_t devid, const uint8_t *uuid)
{
	for (size_t i = 0; i < fs->nr_devs; i++)
		if (fs->devs[i].sb.devid == devid &&
		    (!uuid || !memcmp(fs->devs[i].sb.dev_uuid, uuid, 16)))
			return &fs->devs[i];
	return NULL;
}

/* check a block read from one mirror; returns a reason or NULL */
static const char *check_block(struct offline_fs *fs, const uint8_t *b, uint64_t bytenr,
			       int level, uint64_t gen, char *why, size_t whylen)
{
	uint32_t ns = fs->sb.nodesize, nr = offline_block_nritems(b);
	uint8_t lvl = offline_block_level(b);
	uint64_t block_gen = offline_block_generation(b);

	if (fs->verify_csum) {
		int ok = offline_csum_verify(fs->sb.csum_type, b, ns);

		if (ok < 0)
			return _("checksum cannot be computed");
		if (!ok)
			return _("checksum mismatch");
	}
	if (BTRFS_LE64(b, struct qgtop_btrfs_header, bytenr) != bytenr)
		return _("bytenr mismatch");
	if (memcmp(BTRFS_AT(b, struct qgtop_btrfs_header, fsid), fs->sb.metadata_uuid,
		   BTRFS_FSID_SIZE))
		return _("fsid mismatch");
	if (lvl >= OFFLINE_MAX_LEVEL || (level >= 0 && lvl != level)) {
		snprintf(why, whylen, _("level %u, expected %d"), lvl, level);
		return why;
	}
	if (gen && block_gen != gen) {
		snprintf(why, whylen, _("generation %" PRIu64 ", expected %" PRIu64), block_gen,
			 gen);
		return why;
	}
	if (lvl) {
		if (!nr || nr > (ns - OFFLINE_HEADER_SIZE) / OFFLINE_PTR_SIZE)
			return _("bad item count");
	} else {
		uint32_t data_end = ns - (uint32_t)OFFLINE_HEADER_SIZE;

		if (nr > data_end / OFFLINE_ITEM_SIZE)
			return _("bad item count");
		for (uint32_t i = 0; i < nr; i++) {
			const uint8_t *p = item_at(b, i);
			uint32_t off = BTRFS_LE32(p, struct qgtop_btrfs_item, offset);
			uint32_t sz = BTRFS_LE32(p, struct qgtop_btrfs_item, size);

			if (off > data_end || sz > data_end - off ||
			    off < (uint64_t)nr * OFFLINE_ITEM_SIZE) {
				snprintf(why, whylen, _("item %u leaves the block"), i);
				return why;
			}
		}
	}
	for (uint32_t i = 1; i < nr; i++) {
		struct offline_key a, k;

		offline_block_key(b, i - 1, &a);
		offline_block_key(b, i, &k);
		if (offline_key_cmp(&a, &k) >= 0) {
			snprintf(why, whylen, _("keys out of order at item %u"), i);
			return why;
		}
	}
	return NULL;
}

void offline_block_error(struct offline_fs *fs, uint64_t bytenr, uint64_t tree,
			 const char *fmt, ...)
{
	char tname[48];
	va_list ap;
	int n;

	n = snprintf(fs->err, sizeof(fs->err), _("bad tree block %" PRIu64 " of the %s: "), bytenr,
		     offline_tree_name(tree, tname, sizeof(tname)));
	if (n < 0 || (size_t)n >= sizeof(fs->err))
		return;
	va_start(ap, fmt);
	vsnprintf(fs->err + n, sizeof(fs->err) - (size_t)n, fmt, ap);
	va_end(ap);
}

int offline_fs_check_cancel(struct offline_fs *fs)
{
	if (!fs->cancel || !atomic_load(fs->cancel))
		return 0;
	snprintf(fs->err, sizeof(fs->err), "%s", _("interrupted"));
	return -ECANCELED;
}

int offline_block_read(struct offline_fs *fs, uint64_t bytenr, int level, uint64_t gen,
		       uint64_t tree, uint8_t *buf)
{
	struct offline_loc locs[OFFLINE_MAX_MIRRORS];
	const struct offline_chunk *c;
	const char *reason = _("no readable copy");
	char why[96];
	int n, ret;

	/* every phase reads blocks through here, so every phase stops within
	 * one block read of a cancel */
	ret = offline_fs_check_cancel(fs);
	if (ret)
		return ret;
	ret = -EIO;
	/* the kernel's tree-checker rejects NULL and unaligned pointers too */
	if (!bytenr || bytenr % fs->sb.sectorsize) {
		reason = _("not a valid tree block address");
		ret = -EINVAL;
		goto out_err;
	}
	c = offline_chunk_lookup(&fs->map, bytenr);
	if (!c) {
		reason = _("not in any chunk");
		ret = -EINVAL;
		goto out_err;
	}
	n = offline_chunk_locate(c, bytenr, fs->sb.nodesize, locs);
	if (n < 0) {
		reason = _("crosses a stripe or chunk end");
		ret = -EINVAL;
		goto out_err;
	}
	for (int i = 0; i < n; i++) {
		struct offline_dev *d = find_dev(fs, locs[i].devid, locs[i].dev_uuid);
		const char *bad;

		if (!d) {
			snprintf(why, sizeof(why), _("device %" PRIu64 " missing"), locs[i].devid);
			reason = why;
			ret = -ENODEV;
			continue;
		}
		ret = offline_dev_read(d, buf, fs->sb.nodesize, locs[i].physical);
		if (ret) {
			reason = _("read error or beyond the end of the device");
			continue;
		}
		bad = check_block(fs, buf, bytenr, level, gen, why, sizeof(why));
		if (!bad) {
			fs->bytes_read += fs->sb.nodesize;
			return 0;
		}
		if (bad != why)
			snprintf(why, sizeof(why), "%s", bad);
		reason = why;
		ret = -EINVAL;
	}
out_err:
	offline_block_error(fs, bytenr, tree, "%s", reason);
	return ret;
}
