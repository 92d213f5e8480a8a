/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-dev.h - one member device of a btrfs filesystem as the offline
 * reader sees it: an image file or block device opened read-only, a
 * member of a mounted filesystem read with O_DIRECT (what is on the disk,
 * not a page cache), or a buffer in memory (tests, fuzzing), and its best
 * superblock.
 */
#ifndef QGTOP_OFFLINE_DEV_H
#define QGTOP_OFFLINE_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "offline-super.h"

/* one piece of a sparse in-memory device; the rest reads as zeros */
struct offline_seg {
	uint64_t off;
	uint32_t len;
	const uint8_t *data;
};

/* O_DIRECT: bytes read at a time (from the requested block on) */
#define OFFLINE_DIRECT_WINDOW (256u * 1024)

struct offline_dev {
	char *path;			/* as given, for messages */
	int fd;				/* -1 for a memory device */
	const uint8_t *mem;		/* whole-image memory device (tests) */
	const struct offline_seg *segs;	/* sparse memory device (fuzzing) */
	size_t nr_segs;
	uint64_t size;
	struct offline_super sb;	/* its best superblock copy */
	unsigned direct_align;		/* O_DIRECT: offsets, lengths and buffers
					 * in multiples of this; 0 otherwise */
	uint8_t *bounce;		/* O_DIRECT: aligned buffer for reads, */
	size_t bounce_cap;
	uint64_t win_start, win_len;	/* ... holding these device bytes */
};

/**
 * offline_dev_open_path() - open @path read-only and read its superblock
 * @st: the result of stat(@path), replaced by that of the opened file
 * @verify_csum: check the superblock checksum (off only for fuzzing)
 * @err: receives a one-line reason naming @path on failure
 *
 * Goes through offline_mounted_open() (image files and block devices only,
 * nothing a mounted filesystem uses). @d is usable for offline_dev_close()
 * whatever the result.
 * Return: 0 or negative errno.
 */
int offline_dev_open_path(struct offline_dev *d, const char *path, struct stat *st,
			  bool verify_csum, char *err, size_t errlen);

/**
 * offline_dev_open_live() - open block device @path of a mounted
 * filesystem with O_DIRECT, read-only, without O_EXCL (the mount holds
 * it), and read its primary superblock (the last one committed)
 *
 * Nothing is written and nothing the kernel does changes; the caller
 * checks that @path is one of the mounted filesystem's own devices.
 * Return: 0 or negative errno, reason in @err naming @path.
 */
int offline_dev_open_live(struct offline_dev *d, const char *path, char *err, size_t errlen);

/**
 * offline_dev_reread_super() - read the primary superblock of @d again
 * into @sb (a mounted filesystem commits new ones)
 * Return: 0 or negative errno.
 */
int offline_dev_reread_super(struct offline_dev *d, struct offline_super *sb);

/**
 * offline_dev_open_mem() - a device over @size bytes: all of @mem, or the
 * @nr_segs segments @segs (zeros elsewhere) when @mem is NULL; reads its
 * primary superblock. The buffers must outlive @d.
 * Return: 0 or negative errno, reason in @err.
 */
int offline_dev_open_mem(struct offline_dev *d, const uint8_t *mem,
			 const struct offline_seg *segs, size_t nr_segs, uint64_t size,
			 bool verify_csum, char *err, size_t errlen);

/**
 * offline_dev_read() - read @len bytes at byte @off of the device
 * Return: 0, -EIO beyond the end or on a short read, or negative errno.
 */
int offline_dev_read(struct offline_dev *d, void *buf, size_t len, uint64_t off);

/**
 * offline_dev_close() - release @d (left zeroed, fd -1)
 */
void offline_dev_close(struct offline_dev *d);

#endif
