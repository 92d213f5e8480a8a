// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-fs.c - the open sequence of an unmounted btrfs filesystem:
 * member devices, the newest superblock, the system chunk array, then the
 * chunk tree read through the blocks it maps. Opens read-only.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nls.h"
#include "offline-fs.h"
#include "offline-tree.h"

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
		if (memcmp(fs->devs[i].sb.fsid, fs->sb.fsid, sizeof(fs->sb.fsid))) {
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

/* is @st (of paths[@i]) one of the files or devices before it? */
static bool same_as_earlier(const struct stat *sts, size_t i, size_t *earlier)
{
	const struct stat *st = &sts[i];

	for (size_t j = 0; j < i; j++) {
		bool same = S_ISBLK(st->st_mode) ?
			    S_ISBLK(sts[j].st_mode) && st->st_rdev == sts[j].st_rdev :
			    st->st_dev == sts[j].st_dev && st->st_ino == sts[j].st_ino;

		if (same) {
			*earlier = j;
			return true;
		}
	}
	return false;
}

static int open_paths(struct offline_fs *fs, const char *const *paths, size_t nr,
		      bool verify_csum, bool live, const atomic_int *cancel)
{
	struct stat *sts;
	int ret;

	memset(fs, 0, sizeof(*fs));
	fs->verify_csum = verify_csum;
	fs->cancel = cancel;
	if (!nr) {
		snprintf(fs->err, sizeof(fs->err), _("no device given"));
		return -EINVAL;
	}
	fs->devs = calloc(nr, sizeof(*fs->devs));
	sts = calloc(nr, sizeof(*sts));
	if (!fs->devs || !sts) {
		ret = -ENOMEM;
		goto out_free_sts;
	}
	for (size_t i = 0; i < nr; i++) {
		size_t earlier;

		fs->devs[i].fd = -1;
		fs->nr_devs = i + 1;
		ret = offline_fs_check_cancel(fs);
		if (ret)
			goto out_free_sts;
		/* the same device twice would also fail its second exclusive open */
		if (!stat(paths[i], &sts[i]) && same_as_earlier(sts, i, &earlier)) {
			snprintf(fs->err, sizeof(fs->err), _("%s and %s are the same device"),
				 paths[earlier], paths[i]);
			ret = -EINVAL;
			goto out_free_sts;
		}
		if (live)
			ret = offline_dev_open_live(&fs->devs[i], paths[i], fs->err,
						    sizeof(fs->err));
		else
			ret = offline_dev_open_path(&fs->devs[i], paths[i], &sts[i], verify_csum,
						    fs->err, sizeof(fs->err));
		if (ret)
			goto out_free_sts;
	}
	ret = offline_fs_check_cancel(fs);
	if (!ret)
		ret = finish_open(fs);
out_free_sts:
	free(sts);
	return ret;
}

int offline_fs_open_paths(struct offline_fs *fs, const char *const *paths, size_t nr,
			  bool verify_csum, const atomic_int *cancel)
{
	return open_paths(fs, paths, nr, verify_csum, false, cancel);
}

int offline_fs_open_live(struct offline_fs *fs, const char *const *paths, size_t nr,
			 const atomic_int *cancel)
{
	int ret = open_paths(fs, paths, nr, true, true, cancel);

	fs->live = true;
	return ret;
}

int offline_fs_changed(struct offline_fs *fs)
{
	for (size_t i = 0; i < fs->nr_devs; i++) {
		struct offline_super sb;
		int ret = offline_dev_reread_super(&fs->devs[i], &sb);

		/* a superblock caught half written is a change too */
		if (ret == -EINVAL || (!ret && sb.generation != fs->sb.generation))
			return 1;
		if (ret)
			return ret;
	}
	return 0;
}

static int open_memdev(struct offline_fs *fs, const uint8_t *mem, const struct offline_seg *segs,
		       size_t nr_segs, uint64_t size, bool verify_csum)
{
	int ret;

	memset(fs, 0, sizeof(*fs));
	fs->verify_csum = verify_csum;
	fs->devs = calloc(1, sizeof(*fs->devs));
	if (!fs->devs)
		return -ENOMEM;
	fs->nr_devs = 1;
	ret = offline_dev_open_mem(&fs->devs[0], mem, segs, nr_segs, size, verify_csum, fs->err,
				   sizeof(fs->err));
	if (ret)
		return ret;
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
	for (size_t i = 0; i < fs->nr_devs; i++)
		offline_dev_close(&fs->devs[i]);
	free(fs->devs);
	offline_chunk_map_free(&fs->map);
	memset(fs, 0, sizeof(*fs));
}
