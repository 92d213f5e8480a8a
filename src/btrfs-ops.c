// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * btrfs-ops.c - the system implementation of struct btrfs_ops.
 */
#include "config.h"

#include <btrfsutil.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "btrfs-ops.h"

static int sys_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int sys_close(int fd)
{
	return close(fd) ? -errno : 0;
}

static int sys_ioctl(int fd, unsigned long request, void *arg)
{
	int ret = ioctl(fd, request, arg);

	return ret < 0 ? -errno : ret;
}

static int sys_fstatfs(int fd, struct statfs *st)
{
	return fstatfs(fd, st) ? -errno : 0;
}

static ssize_t sys_read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, err;

	if (len == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n;
}

static int sys_write_text(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, err;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	err = errno;
	if (close(fd) && n >= 0)
		return -errno;
	if (n < 0)
		return -err;
	return (size_t)n == len ? 0 : -EIO;
}

static int sys_subvolume_path(int fd, uint64_t id, char **path)
{
	enum btrfs_util_error err;

	err = btrfs_util_subvolume_path_fd(fd, id, path);
	if (err == BTRFS_UTIL_OK)
		return 0;
	return errno ? -errno : -EIO;
}

const struct btrfs_ops btrfs_ops_system = {
	.open = sys_open,
	.close = sys_close,
	.ioctl = sys_ioctl,
	.fstatfs = sys_fstatfs,
	.read_text = sys_read_text,
	.write_text = sys_write_text,
	.subvolume_path = sys_subvolume_path,
};

const struct btrfs_ops *btrfs_ops = &btrfs_ops_system;

void btrfs_ops_set(const struct btrfs_ops *ops)
{
	btrfs_ops = ops ? ops : &btrfs_ops_system;
}
