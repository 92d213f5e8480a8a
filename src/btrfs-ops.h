/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * btrfs-ops.h - the one seam between qgtop's live backend and the system.
 *
 * Every ioctl, open, sysfs read and libbtrfsutil call of the live backend
 * goes through btrfs_ops so unit tests can replace it and inject the
 * failures the kernel will not produce on demand.
 */
#ifndef QGTOP_BTRFS_OPS_H
#define QGTOP_BTRFS_OPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/vfs.h>

struct btrfs_ops {
	/* open(2); returns fd or -errno */
	int (*open)(const char *path, int flags);
	/* close(2); returns 0 or -errno */
	int (*close)(int fd);
	/* ioctl(2); returns the ioctl's non-negative value or -errno */
	int (*ioctl)(int fd, unsigned long request, void *arg);
	/* fstatfs(2); returns 0 or -errno */
	int (*fstatfs)(int fd, struct statfs *st);
	/* read a small text file (sysfs) into @buf, NUL-terminated and
	 * stripped of the trailing newline; returns length or -errno */
	ssize_t (*read_text)(const char *path, char *buf, size_t len);
	/* write a small text file (sysfs); returns 0 or -errno */
	int (*write_text)(const char *path, const char *text);
	/* libbtrfsutil: path of subvolume @id relative to the fs top;
	 * *path malloc'ed; returns 0 or -errno */
	int (*subvolume_path)(int fd, uint64_t id, char **path);
};

/* the ops in use; defaults to btrfs_ops_system */
extern const struct btrfs_ops *btrfs_ops;
extern const struct btrfs_ops btrfs_ops_system;

/**
 * btrfs_ops_set() - replace the ops (tests); NULL restores the system ops
 */
void btrfs_ops_set(const struct btrfs_ops *ops);

#endif
