/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-fs.h - opening an unmounted btrfs filesystem for reading: its
 * member devices (image files, block devices or memory buffers), the
 * newest superblock among them, the system chunks and the chunk tree;
 * or the devices of a mounted filesystem, read around its page cache.
 * What an open filesystem can do is offline-block.h's.
 */
#ifndef QGTOP_OFFLINE_FS_H
#define QGTOP_OFFLINE_FS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "offline-block.h"

/**
 * offline_fs_open_paths() - open image files or block devices read-only
 * @fs: filesystem (overwritten)
 * @paths: image files or block devices, @nr of them
 * @verify_csum: check checksums (off only for fuzzing)
 * @cancel: NULL, or a flag that stops the open and every later block read
 *          when set (-ECANCELED); kept in @fs->cancel
 *
 * Opens each path with offline_dev_open_path() (refuses what is not an
 * image file or block device, and what a mounted filesystem uses), checks
 * the superblocks belong to one filesystem, loads the system chunk array
 * and the chunk tree. On failure @fs still needs offline_fs_close().
 * Return: 0 or negative errno, reason in @fs->err.
 */
int offline_fs_open_paths(struct offline_fs *fs, const char *const *paths, size_t nr,
			  bool verify_csum, const atomic_int *cancel);

/**
 * offline_fs_open_live() - open the member devices of a mounted
 * filesystem, @paths as the kernel lists them, with O_DIRECT, from their
 * last committed superblock (offline_dev_open_live()); sets @fs->live
 */
int offline_fs_open_live(struct offline_fs *fs, const char *const *paths, size_t nr,
			 const atomic_int *cancel);

/**
 * offline_fs_changed() - has a mounted @fs committed since it was opened?
 * Rereads each device's primary superblock.
 * Return: 1 when its generation moved on (or it was caught half written),
 * 0 when not, negative errno when it cannot be read.
 */
int offline_fs_changed(struct offline_fs *fs);

/**
 * offline_fs_open_mem() - like offline_fs_open_paths() over one image in
 * memory (for the fuzzer); @mem must outlive @fs
 */
int offline_fs_open_mem(struct offline_fs *fs, const uint8_t *mem, size_t size, bool verify_csum);

/**
 * offline_fs_open_sparse() - like offline_fs_open_mem() over a sparse
 * device of @size bytes made of @nr segments (zeros elsewhere)
 */
int offline_fs_open_sparse(struct offline_fs *fs, const struct offline_seg *segs, size_t nr,
			   uint64_t size, bool verify_csum);

/**
 * offline_fs_close() - release everything (@fs left zeroed)
 */
void offline_fs_close(struct offline_fs *fs);

#endif
