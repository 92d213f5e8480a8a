/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-checkpoint.h - save the state of an offline scan to a file now
 * and then (and when cancelled), and resume from it, so an interrupted
 * scan continues where it stopped. The file names the filesystem (fsid,
 * generation); a checkpoint of another filesystem or generation is refused.
 */
#ifndef QGTOP_OFFLINE_CHECKPOINT_H
#define QGTOP_OFFLINE_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "offline-engine.h"
#include "offline-sets.h"
#include "offline-super.h"

struct offline_checkpoint;

/* engine internals the checkpoint saves (offline-engine.c) */

/**
 * offline_engine_sets() - the engine's interned root sets and byte totals
 */
struct offline_sets *offline_engine_sets(struct offline_engine *e);

/**
 * offline_engine_bmap() - the pending tree blocks of @level, or with
 * @level -1 the data extents found so far
 */
struct offline_bmap *offline_engine_bmap(struct offline_engine *e, int level);

/**
 * offline_engine_super() - the superblock in use
 */
const struct offline_super *offline_engine_super(const struct offline_engine *e);

/**
 * offline_engine_nr_subvols() - how many subvolumes set members index
 */
uint32_t offline_engine_nr_subvols(const struct offline_engine *e);

/**
 * offline_engine_bytes_read() - the metadata-read counter (progress)
 */
uint64_t *offline_engine_bytes_read(struct offline_engine *e);

/**
 * offline_checkpoint_open() - open @path; load its state into @e if it exists
 * @level, @index: where to resume (unchanged when starting fresh)
 * Return: 0, -EINVAL (not a checkpoint of this filesystem), -ENOMEM, -errno.
 */
int offline_checkpoint_open(const char *path, struct offline_engine *e,
			    struct offline_checkpoint **out, int *level, size_t *index);

/**
 * offline_checkpoint_maybe_save() - save when the last save is a while ago
 * Return: 0 or negative errno.
 */
int offline_checkpoint_maybe_save(struct offline_checkpoint *ck, struct offline_engine *e,
				  int level, size_t index);

/**
 * offline_checkpoint_save() - save now: the scan is before block @index
 * of the sorted @level list. Written to a temporary file, then renamed.
 * Return: 0 or negative errno.
 */
int offline_checkpoint_save(struct offline_checkpoint *ck, struct offline_engine *e, int level,
			    size_t index);

/**
 * offline_checkpoint_done() - scan finished: remove the file, free @ck
 */
void offline_checkpoint_done(struct offline_checkpoint *ck);

/**
 * offline_checkpoint_close() - free @ck, keep the file
 */
void offline_checkpoint_close(struct offline_checkpoint *ck);

#endif
