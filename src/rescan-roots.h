/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rescan-roots.h - how many subvolumes reach each extent of a mounted
 * filesystem, exactly: the offline reader walks every subvolume tree from
 * the devices (as `qgtop scan DIRECTORY` does) and reports each tree
 * block's and data extent's root count. The rescan percentage weighs
 * extents with it (rescan-progress.h).
 */
#ifndef QGTOP_RESCAN_ROOTS_H
#define QGTOP_RESCAN_ROOTS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* one extent and the number of subvolumes reaching it */
struct rescan_root_count {
	uint64_t bytenr;
	uint32_t roots;
};

/* extents sorted by bytenr */
struct rescan_roots {
	size_t nr, cap;
	struct rescan_root_count *ext;
};

/**
 * rescan_roots_read() - walk the filesystem @path is on and fill @out
 * @path: any file or directory on the mounted filesystem
 * @stop: when set, give up with -ECANCELED within one block read
 * @out: zeroed; on success every extent a subvolume tree reaches
 *
 * Starts over when the filesystem commits under the walk, up to
 * OFFLINE_LIVE_RESTARTS times. Simple quotas have no root sets: -EOPNOTSUPP.
 * Return: 0 or -errno (-EPERM without root, -EAGAIN after too many
 * restarts, -ECANCELED); @out is empty after a failure.
 */
int rescan_roots_read(const char *path, const atomic_int *stop, struct rescan_roots *out);

/**
 * rescan_roots_find() - the root count of the extent at @bytenr
 * Return: the count, or 0 when no subvolume tree reaches it.
 */
uint32_t rescan_roots_find(const struct rescan_roots *r, uint64_t bytenr);

/**
 * rescan_roots_free() - release @r (left zeroed)
 */
void rescan_roots_free(struct rescan_roots *r);

#endif
