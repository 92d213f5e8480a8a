// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live-fs.c - opening a mounted btrfs and iterating its trees with
 * TREE_SEARCH_V2. All system calls go through btrfs_ops.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <linux/btrfs.h>
#include <linux/magic.h>

#include "btrfs-ops.h"
#include "live-fs.h"

int live_fs_open(const char *path, struct live_fs *fs)
{
	struct btrfs_ioctl_fs_info_args info;
	struct statfs st;
	int ret, fd;
	const uint8_t *u;

	memset(fs, 0, sizeof(*fs));
	fs->fd = -1;
	fd = btrfs_ops->open(path, O_RDONLY);
	if (fd < 0)
		return fd;
	ret = btrfs_ops->fstatfs(fd, &st);
	if (ret)
		goto out_close;
	if (st.f_type != BTRFS_SUPER_MAGIC) {
		ret = -ENOTTY;
		goto out_close;
	}
	memset(&info, 0, sizeof(info));
	ret = btrfs_ops->ioctl(fd, BTRFS_IOC_FS_INFO, &info);
	if (ret < 0)
		goto out_close;
	fs->path = strdup(path);
	if (!fs->path) {
		ret = -ENOMEM;
		goto out_close;
	}
	u = info.fsid;
	snprintf(fs->uuid, sizeof(fs->uuid),
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
	snprintf(fs->sysfs, sizeof(fs->sysfs), "/sys/fs/btrfs/%s", fs->uuid);
	fs->nodesize = info.nodesize;
	fs->sectorsize = info.sectorsize;
	/* statfs reports the mount's flags too (ST_RDONLY): no call outside the ops */
	fs->read_only = (st.f_flags & ST_RDONLY) != 0;
	fs->fd = fd;
	return 0;

out_close:
	btrfs_ops->close(fd);
	return ret;
}

void live_fs_close(struct live_fs *fs)
{
	if (fs->fd >= 0)
		btrfs_ops->close(fs->fd);
	free(fs->path);
	memset(fs, 0, sizeof(*fs));
	fs->fd = -1;
}

ssize_t live_fs_sysfs_read(const struct live_fs *fs, const char *rel, char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", fs->sysfs, rel);
	return btrfs_ops->read_text(path, buf, len);
}

int live_fs_sysfs_read_u64(const struct live_fs *fs, const char *rel, uint64_t *out)
{
	char buf[64], *end;
	ssize_t n;
	unsigned long long v;

	n = live_fs_sysfs_read(fs, rel, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (end == buf || *end || errno)
		return -EINVAL;
	*out = v;
	return 0;
}

int live_fs_quota_mode(const struct live_fs *fs, enum qgroup_quota_mode *mode, bool *inconsistent)
{
	char buf[32];
	uint64_t v;
	ssize_t n;

	*mode = QGROUP_MODE_DISABLED;
	*inconsistent = false;
	n = live_fs_sysfs_read(fs, "qgroups/mode", buf, sizeof(buf));
	if (n == -ENOENT) {
		/* kernels before 6.7 have no mode file: enabled means full */
		n = live_fs_sysfs_read(fs, "qgroups/enabled", buf, sizeof(buf));
		if (n == -ENOENT)
			return 0;
		if (n < 0)
			return (int)n;
		*mode = QGROUP_MODE_FULL;
	} else if (n < 0) {
		return (int)n;
	} else {
		*mode = !strcmp(buf, "squota") ? QGROUP_MODE_SIMPLE : QGROUP_MODE_FULL;
	}
	if (live_fs_sysfs_read_u64(fs, "qgroups/inconsistent", &v) == 0)
		*inconsistent = v != 0;
	return 0;
}

struct live_tree_range live_tree_range_all(uint64_t tree_id)
{
	struct live_tree_range r = {
		.tree_id = tree_id,
		.min_objectid = 0, .max_objectid = UINT64_MAX,
		.min_type = 0, .max_type = 255,
		.min_offset = 0, .max_offset = UINT64_MAX,
		.min_transid = 0, .max_transid = UINT64_MAX,
	};
	return r;
}

#define SEARCH_BUF_SIZE (64 * 1024)

/* advance (objectid, type, offset) to the next key; false on overflow */
static int key_next(struct btrfs_ioctl_search_key *sk, uint64_t objectid,
		    uint8_t type, uint64_t offset)
{
	if (offset < UINT64_MAX) {
		sk->min_objectid = objectid;
		sk->min_type = type;
		sk->min_offset = offset + 1;
	} else if (type < 255) {
		sk->min_objectid = objectid;
		sk->min_type = type + 1;
		sk->min_offset = 0;
	} else if (objectid < UINT64_MAX) {
		sk->min_objectid = objectid + 1;
		sk->min_type = 0;
		sk->min_offset = 0;
	} else {
		return 0;
	}
	return 1;
}

int live_fs_tree_search(const struct live_fs *fs, const struct live_tree_range *range,
			live_tree_cb cb, void *ctx)
{
	struct btrfs_ioctl_search_args_v2 *args;
	struct btrfs_ioctl_search_key *sk;
	int ret = 0;

	args = malloc(sizeof(*args) + SEARCH_BUF_SIZE);
	if (!args)
		return -ENOMEM;
	memset(args, 0, sizeof(*args));
	sk = &args->key;
	sk->tree_id = range->tree_id;
	sk->min_objectid = range->min_objectid;
	sk->max_objectid = range->max_objectid;
	sk->min_type = range->min_type;
	sk->max_type = range->max_type;
	sk->min_offset = range->min_offset;
	sk->max_offset = range->max_offset;
	sk->min_transid = range->min_transid;
	sk->max_transid = range->max_transid;

	for (;;) {
		uint64_t off = 0;
		uint32_t i;
		struct btrfs_ioctl_search_header sh;

		sk->nr_items = UINT32_MAX;
		args->buf_size = SEARCH_BUF_SIZE;
		ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_TREE_SEARCH_V2, args);
		if (ret < 0)
			goto out_free;
		ret = 0;
		if (sk->nr_items == 0)
			break;
		for (i = 0; i < sk->nr_items; i++) {
			struct live_tree_item item;

			if (off + sizeof(sh) > SEARCH_BUF_SIZE) {
				ret = -EIO;
				goto out_free;
			}
			memcpy(&sh, (char *)args->buf + off, sizeof(sh));
			off += sizeof(sh);
			if (off + sh.len > SEARCH_BUF_SIZE) {
				ret = -EIO;
				goto out_free;
			}
			item.objectid = sh.objectid;
			item.type = (uint8_t)sh.type;
			item.offset = sh.offset;
			item.transid = sh.transid;
			item.data = (char *)args->buf + off;
			item.len = sh.len;
			off += sh.len;
			ret = cb(&item, ctx);
			if (ret)
				goto out_free;
			if (i + 1 == sk->nr_items &&
			    !key_next(sk, sh.objectid, (uint8_t)sh.type, sh.offset))
				goto out_free;
		}
		if (sk->min_objectid > sk->max_objectid)
			break;
	}

out_free:
	free(args);
	return ret;
}

void live_fs_devices_free(char **paths, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		free(paths[i]);
	free(paths);
}

int live_fs_devices(const struct live_fs *fs, char ***paths, size_t *nr)
{
	struct btrfs_ioctl_fs_info_args fi;
	struct btrfs_ioctl_dev_info_args *di;
	char **list = NULL;
	size_t n = 0;
	int ret;

	*paths = NULL;
	*nr = 0;
	memset(&fi, 0, sizeof(fi));
	ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_FS_INFO, &fi);
	if (ret < 0)
		return ret;
	if (!fi.num_devices || fi.num_devices > LIVE_FS_MAX_DEVICES)
		return -EINVAL;
	list = calloc(fi.num_devices, sizeof(*list));
	di = malloc(sizeof(*di));
	if (!list || !di) {
		ret = -ENOMEM;
		goto out_free;
	}
	/* device ids need not be dense (a removed device leaves a hole) */
	for (uint64_t id = 1; id <= fi.max_id && n < fi.num_devices; id++) {
		memset(di, 0, sizeof(*di));
		di->devid = id;
		ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_DEV_INFO, di);
		if (ret == -ENODEV)
			continue;
		if (ret < 0)
			goto out_free;
		di->path[sizeof(di->path) - 1] = '\0';
		/* a device the kernel lost has no path: it cannot be read */
		if (!di->path[0]) {
			ret = -ENODEV;
			goto out_free;
		}
		list[n] = strdup((const char *)di->path);
		if (!list[n]) {
			ret = -ENOMEM;
			goto out_free;
		}
		n++;
	}
	if (n != fi.num_devices) {
		ret = -ENODEV;
		goto out_free;
	}
	*paths = list;
	*nr = n;
	list = NULL;
	n = 0;
	ret = 0;
out_free:
	live_fs_devices_free(list, n);
	free(di);
	return ret;
}
