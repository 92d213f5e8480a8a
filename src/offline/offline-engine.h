/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-engine.h - recompute every qgroup of an unmounted btrfs
 * filesystem (image files or block devices), read-only, the way the
 * kernel's full qgroup rescan does, and compare with the stored numbers.
 *
 * This is the only header the frontends (CLI `qgtop scan`, the TUI) need.
 */
#ifndef QGTOP_OFFLINE_ENGINE_H
#define QGTOP_OFFLINE_ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "offline-hooks.h"
#include "qgroup-model.h"

struct offline_engine;

struct offline_progress {
	uint64_t done, total;	/* bytes of metadata read / to read */
};

typedef void (*offline_progress_cb)(const struct offline_progress *p, void *ctx);

/**
 * offline_engine_open() - open the devices of one filesystem read-only
 * @paths: image files or block devices (all devices of the filesystem)
 * @nr_paths: number of @paths
 * @cancel: NULL, or a flag (set by a signal handler, say) that stops the
 *          open within one block read; only used during this call
 * @out: the engine, to be released with offline_engine_close()
 * @errmsg: receives a one-line reason on failure
 * @errlen: size of @errmsg
 *
 * Opens read-only, never writes. Refuses, before reading, what is not an
 * image file or block device; refuses devices a mounted filesystem holds
 * (exclusive open) and image files behind a mounted loop device.
 * Return: 0, or a negative errno (-EBUSY mounted or in use, -EINVAL not btrfs,
 * corrupt, or not an image file, -ECANCELED, -ENOENT, -EACCES, -ENOMEM, -EIO).
 */
int offline_engine_open(const char *const *paths, size_t nr_paths, const atomic_int *cancel,
			struct offline_engine **out, char *errmsg, size_t errlen);

/* how often `qgtop scan` of a mounted filesystem starts over after the
 * filesystem committed during a pass before it gives up */
#define OFFLINE_LIVE_RESTARTS 8

/**
 * offline_engine_open_live() - open the mounted btrfs filesystem that
 * @path (any file or directory) is on, through its own devices
 * @sync: commit the filesystem first (syncfs), so recent writes count
 *
 * Reads each device the kernel lists as a member with O_DIRECT, from its
 * last committed superblock; writes nothing and changes no kernel state.
 * Every block is verified as on images, including its generation against
 * the parent pointer. Needs root.
 * Return: as offline_engine_open(), plus -EPERM without root, -ENOTTY
 * when @path is not on btrfs, and -EAGAIN when the filesystem committed
 * while the open read it (open again).
 */
int offline_engine_open_live(const char *path, bool sync, const atomic_int *cancel,
			     struct offline_engine **out, char *errmsg, size_t errlen);

/**
 * offline_engine_scan() - compute every qgroup
 * @e: engine
 * @m: initialised model; filled with computed rfer/excl, stored numbers
 *     (stored_rfer/stored_excl, has_stored), relations, limits, status
 *     flags, fs uuid/label, fs.offline=true, fs.source and level-0 paths
 * @cb: progress callback or NULL (called from the scanning thread)
 * @ctx: passed to @cb
 * @cancel: NULL, or a flag another thread (or a signal handler) sets
 *          non-zero to stop the scan; every phase stops within one block read
 * @checkpoint: NULL, or a file to save progress to and resume from; a
 *              file that cannot be used is ignored (the warning callback
 *              says why) and the scan starts over
 *
 * Return: 0, -ECANCELED when cancelled (offline_engine_error() names the
 * phase; see offline_engine_checkpoint_status()), -EAGAIN when a mounted
 * filesystem committed during the scan and a block no longer matched
 * (close, open again, scan again), -EINVAL/-EIO on corrupt metadata
 * (offline_engine_error() then gives a one-line reason), -ENOMEM.
 */
int offline_engine_scan(struct offline_engine *e, struct qgroup_model *m, offline_progress_cb cb,
			void *ctx, const atomic_int *cancel, const char *checkpoint);

/**
 * offline_engine_set_extent_cb() - have offline_engine_scan() tell @cb the
 * number of subvolumes reaching each tree block and data extent of a
 * full-mode filesystem (not for simple quotas, not for the part of a scan
 * a checkpoint resumed past)
 */
void offline_engine_set_extent_cb(struct offline_engine *e, offline_extent_cb cb, void *ctx);

/**
 * offline_engine_set_warn() - where offline_engine_scan() reports what it
 * goes on after (without a callback such warnings are dropped)
 */
void offline_engine_set_warn(struct offline_engine *e, offline_warn_cb cb, void *ctx);

/**
 * offline_engine_checkpoint_status() - after a cancelled scan with a
 * checkpoint: 1 when the progress was saved, a negative errno when that
 * save failed (offline_engine_checkpoint_error() then says "cannot save
 * progress to FILE: reason"), 0 when no save was attempted
 */
int offline_engine_checkpoint_status(const struct offline_engine *e);

/**
 * offline_engine_checkpoint_error() - why the save at cancel failed
 * Return: a string owned by @e ("" when it did not fail).
 */
const char *offline_engine_checkpoint_error(const struct offline_engine *e);

/* seconds between two checkpoint saves unless set otherwise */
#define OFFLINE_CHECKPOINT_INTERVAL 30

/**
 * offline_engine_set_checkpoint_interval() - save the checkpoint at most
 * every @seconds (0: after every tree block) instead of every
 * OFFLINE_CHECKPOINT_INTERVAL seconds
 */
void offline_engine_set_checkpoint_interval(struct offline_engine *e, unsigned seconds);

/**
 * offline_engine_freed() - bytes that deleting these subvolumes would free
 * @e: engine after a successful offline_engine_scan()
 * @subvol_ids: level-0 qgroup ids (subvolume ids)
 * @nr: number of ids
 * @bytes: result: bytes of extents reached only by subvolumes in the list
 *
 * Return: 0, -EINVAL when no scan ran yet, -ENOMEM.
 */
int offline_engine_freed(struct offline_engine *e, const uint64_t *subvol_ids, size_t nr,
			 uint64_t *bytes);

/**
 * offline_engine_error() - one-line reason for the last failure of @e
 * Return: a string owned by @e ("" when none).
 */
const char *offline_engine_error(const struct offline_engine *e);

/**
 * offline_engine_open_mem() - open one in-memory image (fuzzer, tests)
 * @verify_csum: false lets a fuzzer get past checksums into deep code
 * Return: as offline_engine_open(); no mount check, @mem must outlive the engine.
 */
int offline_engine_open_mem(const uint8_t *mem, size_t size, bool verify_csum,
			    struct offline_engine **out, char *errmsg, size_t errlen);

struct offline_seg;

/**
 * offline_engine_open_sparse() - open a sparse in-memory image (fuzzer):
 * @nr segments of a device of @size bytes, zeros elsewhere
 */
int offline_engine_open_sparse(const struct offline_seg *segs, size_t nr, uint64_t size,
			       bool verify_csum, struct offline_engine **out, char *errmsg,
			       size_t errlen);

/**
 * offline_engine_close() - release the engine and close its devices
 */
void offline_engine_close(struct offline_engine *e);

#endif
