// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-fs.c - devices, superblocks, chunk map loading and verified
 * tree block reads of an unmounted btrfs filesystem. Opens read-only.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>

#include "le.h"
#include "nls.h"
#include "offline-csum.h"
#include "offline-fs.h"
#include "offline-tree.h"

#define BTRFS_CHUNK_ITEM_KEY 228

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

const char *offline_tree_name(uint64_t id, char *buf, size_t len)
{
	/* the names end up in translated error messages */
	static const char *const names[] = {
		[1] = N_("root tree"), [2] = N_("extent tree"), [3] = N_("chunk tree"),
		[4] = N_("device tree"), [5] = N_("fs tree 5"), [7] = N_("checksum tree"),
		[8] = N_("quota tree"), [9] = N_("uuid tree"), [10] = N_("free space tree"),
		[11] = N_("block group tree"),
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

	key->objectid = get_le64(p);
	key->type = p[8];
	key->offset = get_le64(p + 9);
}

const uint8_t *offline_leaf_item(const uint8_t *b, uint32_t slot, uint32_t *size)
{
	const uint8_t *p = b + OFFLINE_HEADER_SIZE + (size_t)slot * OFFLINE_ITEM_SIZE;

	*size = get_le32(p + 21);
	return b + OFFLINE_HEADER_SIZE + get_le32(p + 17);
}

void offline_node_ptr(const uint8_t *b, uint32_t slot, uint64_t *bytenr, uint64_t *gen)
{
	const uint8_t *p = b + OFFLINE_HEADER_SIZE + (size_t)slot * OFFLINE_PTR_SIZE;

	*bytenr = get_le64(p + 17);
	*gen = get_le64(p + 25);
}

static int dev_pread(struct offline_dev *d, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	if (off > d->size || len > d->size - off)
		return -EIO;
	if (d->mem) {
		memcpy(buf, d->mem + off, len);
		return 0;
	}
	if (d->segs) {
		memset(buf, 0, len);
		for (size_t i = 0; i < d->nr_segs; i++) {
			const struct offline_seg *s = &d->segs[i];
			uint64_t a = s->off > off ? s->off : off;
			uint64_t b = s->off + s->len < off + len ? s->off + s->len : off + len;

			if (a < b)
				memcpy((uint8_t *)buf + (a - off), s->data + (a - s->off), b - a);
		}
		return 0;
	}
	while (done < len) {
		ssize_t n = pread(d->fd, (uint8_t *)buf + done, len - done, (off_t)(off + done));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
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

	if (fs->verify_csum && !offline_csum_verify(fs->sb.csum_type, b, ns))
		return _("checksum mismatch");
	if (get_le64(b + 48) != bytenr)
		return _("bytenr mismatch");
	if (memcmp(b + 32, fs->sb.metadata_uuid, 16))
		return _("fsid mismatch");
	if (lvl >= OFFLINE_MAX_LEVEL || (level >= 0 && lvl != level)) {
		snprintf(why, whylen, _("level %u, expected %d"), lvl, level);
		return why;
	}
	if (gen && get_le64(b + 80) != gen) {
		snprintf(why, whylen, _("generation %" PRIu64 ", expected %" PRIu64),
			 get_le64(b + 80), gen);
		return why;
	}
	if (lvl) {
		if (!nr || nr > (ns - OFFLINE_HEADER_SIZE) / OFFLINE_PTR_SIZE)
			return _("bad item count");
	} else {
		uint32_t data_end = ns - OFFLINE_HEADER_SIZE;

		if (nr > data_end / OFFLINE_ITEM_SIZE)
			return _("bad item count");
		for (uint32_t i = 0; i < nr; i++) {
			const uint8_t *p = b + OFFLINE_HEADER_SIZE + (size_t)i * OFFLINE_ITEM_SIZE;
			uint32_t off = get_le32(p + 17), sz = get_le32(p + 21);

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

int offline_fs_read_block(struct offline_fs *fs, uint64_t bytenr, int level, uint64_t gen,
			  uint64_t tree, uint8_t *buf)
{
	struct offline_loc locs[OFFLINE_MAX_MIRRORS];
	const struct offline_chunk *c;
	const char *reason = _("no readable copy");
	char why[96], tname[48];
	int n, ret = -EIO;

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
		ret = dev_pread(d, buf, fs->sb.nodesize, locs[i].physical);
		if (ret) {
			reason = _("read error or beyond the end of the device");
			continue;
		}
		bad = check_block(fs, buf, bytenr, level, gen, why, sizeof(why));
		if (!bad) {
			fs->bytes_read += fs->sb.nodesize;
			return 0;
		}
		if (bad != why) {
			snprintf(why, sizeof(why), "%s", bad);
		}
		reason = why;
		ret = -EINVAL;
	}
out_err:
	snprintf(fs->err, sizeof(fs->err), _("bad tree block %" PRIu64 " of the %s: %s"), bytenr,
		 offline_tree_name(tree, tname, sizeof(tname)), reason);
	return ret;
}

static int load_chunk_item(const struct offline_key *key, const uint8_t *data, uint32_t size,
			   void *ctx)
{
	struct offline_fs *fs = ctx;
	char why[160];
	int ret;

	if (key->type != BTRFS_CHUNK_ITEM_KEY)
		return 0;
	ret = offline_chunk_add(&fs->map, key->offset, data, size, why, sizeof(why));
	if (ret == -EINVAL)
		snprintf(fs->err, sizeof(fs->err), _("chunk tree: %s"), why);
	return ret;
}

static int finish_open(struct offline_fs *fs)
{
	char why[160];
	size_t newest = 0;
	int ret;

	for (size_t i = 1; i < fs->nr_devs; i++)
		if (fs->devs[i].sb.generation > fs->devs[newest].sb.generation)
			newest = i;
	fs->sb = fs->devs[newest].sb;
	for (size_t i = 0; i < fs->nr_devs; i++) {
		if (memcmp(fs->devs[i].sb.fsid, fs->sb.fsid, 16)) {
			snprintf(fs->err, sizeof(fs->err), _("%s belongs to another filesystem"),
				 fs->devs[i].path);
			return -EINVAL;
		}
		for (size_t j = 0; j < i; j++)
			if (fs->devs[j].sb.devid == fs->devs[i].sb.devid) {
				snprintf(fs->err, sizeof(fs->err),
					 _("%s and %s are the same device %" PRIu64), fs->devs[j].path,
					 fs->devs[i].path, fs->devs[i].sb.devid);
				return -EINVAL;
			}
	}
	ret = offline_chunk_load_sys_array(&fs->map, fs->sb.sys_chunk_array,
					   fs->sb.sys_chunk_array_size, why, sizeof(why));
	if (ret) {
		snprintf(fs->err, sizeof(fs->err), _("superblock: %s"), why);
		return ret;
	}
	return offline_tree_walk(fs, BTRFS_CHUNK_TREE_OBJECTID, fs->sb.chunk_root,
				 fs->sb.chunk_root_level, fs->sb.chunk_root_generation, NULL, NULL,
				 load_chunk_item, fs);
}

int offline_fs_open_paths(struct offline_fs *fs, const char *const *paths, size_t nr,
			  bool verify_csum)
{
	int ret;

	memset(fs, 0, sizeof(*fs));
	fs->verify_csum = verify_csum;
	if (!nr) {
		snprintf(fs->err, sizeof(fs->err), _("no device given"));
		return -EINVAL;
	}
	fs->devs = calloc(nr, sizeof(*fs->devs));
	if (!fs->devs)
		return -ENOMEM;
	for (size_t i = 0; i < nr; i++) {
		struct offline_dev *d = &fs->devs[i];
		struct stat st;
		char why[160];

		d->fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		fs->nr_devs = i + 1;
		d->path = strdup(paths[i]);
		if (!d->path)
			return -ENOMEM;
		if (d->fd < 0) {
			ret = -errno;
			snprintf(fs->err, sizeof(fs->err), _("cannot open %s: %s"), paths[i],
				 strerror(errno));
			return ret;
		}
		if (fstat(d->fd, &st)) {
			ret = -errno;
			snprintf(fs->err, sizeof(fs->err), _("cannot stat %s: %s"), paths[i],
				 strerror(errno));
			return ret;
		}
		if (S_ISBLK(st.st_mode)) {
			uint64_t sz;

			if (ioctl(d->fd, BLKGETSIZE64, &sz)) {
				ret = -errno;
				snprintf(fs->err, sizeof(fs->err), _("cannot size %s: %s"), paths[i],
					 strerror(errno));
				return ret;
			}
			d->size = sz;
		} else if (S_ISREG(st.st_mode)) {
			d->size = (uint64_t)st.st_size;
		} else {
			snprintf(fs->err, sizeof(fs->err), _("%s is not a file or block device"),
				 paths[i]);
			return -EINVAL;
		}
		ret = offline_super_read(d->fd, verify_csum, &d->sb, why, sizeof(why));
		if (ret) {
			snprintf(fs->err, sizeof(fs->err), _("%s is not a valid btrfs device: %s"),
				 paths[i], ret == -EINVAL ? why : strerror(-ret));
			return ret;
		}
	}
	return finish_open(fs);
}

static int open_memdev(struct offline_fs *fs, const uint8_t *mem, const struct offline_seg *segs,
		       size_t nr_segs, uint64_t size, bool verify_csum)
{
	uint8_t sbbuf[OFFLINE_SUPER_SIZE];
	char why[160];
	int ret;

	memset(fs, 0, sizeof(*fs));
	fs->verify_csum = verify_csum;
	fs->devs = calloc(1, sizeof(*fs->devs));
	if (!fs->devs)
		return -ENOMEM;
	fs->nr_devs = 1;
	fs->devs[0].fd = -1;
	fs->devs[0].mem = mem;
	fs->devs[0].segs = segs;
	fs->devs[0].nr_segs = nr_segs;
	fs->devs[0].size = size;
	fs->devs[0].path = strdup("memory");
	if (!fs->devs[0].path)
		return -ENOMEM;
	if (size < OFFLINE_SUPER_OFFSET + OFFLINE_SUPER_SIZE ||
	    dev_pread(&fs->devs[0], sbbuf, sizeof(sbbuf), OFFLINE_SUPER_OFFSET)) {
		snprintf(fs->err, sizeof(fs->err), _("image too small"));
		return -EINVAL;
	}
	ret = offline_super_parse(sbbuf, OFFLINE_SUPER_OFFSET, verify_csum, &fs->devs[0].sb, why,
				  sizeof(why));
	if (ret) {
		snprintf(fs->err, sizeof(fs->err), _("not a valid btrfs image: %s"), why);
		return ret;
	}
	return finish_open(fs);
}

int offline_fs_open_mem(struct offline_fs *fs, const uint8_t *mem, size_t size, bool verify_csum)
{
	return open_memdev(fs, mem, NULL, 0, size, verify_csum);
}

int offline_fs_open_sparse(struct offline_fs *fs, const struct offline_seg *segs, size_t nr,
			   uint64_t size, bool verify_csum)
{
	return open_memdev(fs, NULL, segs, nr, size, verify_csum);
}

void offline_fs_close(struct offline_fs *fs)
{
	for (size_t i = 0; i < fs->nr_devs; i++) {
		if (fs->devs[i].fd >= 0)
			close(fs->devs[i].fd);
		free(fs->devs[i].path);
	}
	free(fs->devs);
	offline_chunk_map_free(&fs->map);
	memset(fs, 0, sizeof(*fs));
}
