/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live-fs.h - a handle on a mounted btrfs filesystem and the generic
 * TREE_SEARCH_V2 iterator the live backend reads trees with.
 */
#ifndef QGTOP_LIVE_FS_H
#define QGTOP_LIVE_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qgroup-model.h"

struct live_fs {
	int fd;			/* O_RDONLY on the given path */
	char *path;		/* as given */
	char uuid[37];		/* fsid, lowercase text */
	char sysfs[80];		/* /sys/fs/btrfs/<uuid> */
	uint32_t nodesize;
	uint32_t sectorsize;
	bool read_only;		/* mounted or bind-mounted read-only */
};

/**
 * live_fs_open() - open the btrfs filesystem that @path is on
 * @path: any file or directory on a mounted btrfs
 * @fs: handle to fill
 *
 * Return: 0, -ENOENT (no such path), -ENOTTY (not on btrfs), other -errno.
 */
int live_fs_open(const char *path, struct live_fs *fs);

/**
 * live_fs_close() - release a handle opened by live_fs_open()
 */
void live_fs_close(struct live_fs *fs);

/**
 * live_fs_sysfs_read() - read a file below /sys/fs/btrfs/<uuid>/
 * @rel: relative path such as "qgroups/mode"
 * Return: length read or -errno (-ENOENT when absent).
 */
ssize_t live_fs_sysfs_read(const struct live_fs *fs, const char *rel, char *buf, size_t len);

/**
 * live_fs_sysfs_read_u64() - read a decimal number from sysfs
 * Return: 0, -errno, -EINVAL when the file is not a number.
 */
int live_fs_sysfs_read_u64(const struct live_fs *fs, const char *rel, uint64_t *out);

/**
 * live_fs_quota_mode() - the quota mode and the inconsistent flag, from
 * sysfs (the one place qgtop reads them)
 * @mode: QGROUP_MODE_DISABLED when the qgroups directory is absent
 * Return: 0 or -errno other than -ENOENT.
 */
int live_fs_quota_mode(const struct live_fs *fs, enum qgroup_quota_mode *mode, bool *inconsistent);

/* a filesystem of more devices than this is refused as implausible */
#define LIVE_FS_MAX_DEVICES 1024

/**
 * live_fs_devices() - the device paths of the mounted filesystem @fs, as
 * the kernel knows them (FS_INFO, then DEV_INFO for each device id)
 * @paths: receives a malloc'ed array of @nr malloc'ed paths; free with
 *         live_fs_devices_free()
 * Return: 0, -ENODEV when a device is missing or has no path, -EPERM
 * without CAP_SYS_ADMIN, other -errno.
 */
int live_fs_devices(const struct live_fs *fs, char ***paths, size_t *nr);

/**
 * live_fs_devices_free() - release what live_fs_devices() returned
 */
void live_fs_devices_free(char **paths, size_t nr);

struct live_tree_item {
	uint64_t objectid;
	uint8_t type;
	uint64_t offset;
	uint64_t transid;
	const void *data;	/* little-endian item body */
	uint32_t len;
};

/* return 0 to go on, 1 to stop early, negative errno to fail */
typedef int (*live_tree_cb)(const struct live_tree_item *item, void *ctx);

struct live_tree_range {
	uint64_t tree_id;
	uint64_t min_objectid, max_objectid;
	uint8_t min_type, max_type;
	uint64_t min_offset, max_offset;
	uint64_t min_transid, max_transid;
};

/**
 * live_tree_range_all() - a range over every key of tree @tree_id
 */
struct live_tree_range live_tree_range_all(uint64_t tree_id);

/**
 * live_fs_tree_search() - call @cb for every item in @range, in key order
 *
 * Uses BTRFS_IOC_TREE_SEARCH_V2 with a 64 KiB buffer. Keys are compared as
 * the kernel does (objectid, type, offset), so the type and offset bounds
 * only cut at the ends of the range, not inside it; @cb filters.
 *
 * Return: 0, 1 if @cb stopped, or -errno (-EPERM without CAP_SYS_ADMIN,
 * -ENOENT when the tree does not exist).
 */
int live_fs_tree_search(const struct live_fs *fs, const struct live_tree_range *range,
			live_tree_cb cb, void *ctx);

#endif
