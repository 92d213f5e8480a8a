/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-checkpoint.h - save the state of an offline scan to a file now
 * and then (and when cancelled), and resume from it, so an interrupted
 * scan continues where it stopped. The file carries a format version, its
 * length and a checksum, and names the filesystem (fsid, generation); one
 * that is truncated, corrupt, of another filesystem or generation is
 * ignored with a warning and the scan starts over.
 */
#ifndef QGTOP_OFFLINE_CHECKPOINT_H
#define QGTOP_OFFLINE_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "offline-hooks.h"
#include "offline-scan.h"

struct offline_checkpoint;

/**
 * offline_checkpoint_open() - open @path; load its state into @scan if it exists
 * @path: the checkpoint file
 * @scan: a fresh scan (offline_scan_init()); on success it is either
 *        still fresh or holds the saved state and position
 * @interval: seconds between two periodic saves (0: after every block)
 * @warn_cb: where one-line warnings go (the scan goes on), with @warn_ctx
 * @out: the checkpoint, NULL on failure
 *
 * A file that cannot be used (see offline-checkpoint.c) is reported with
 * @warn_cb and ignored: @scan is then fresh and the scan starts over.
 * Return: 0 or -ENOMEM.
 */
int offline_checkpoint_open(const char *path, struct offline_scan *scan, unsigned interval,
			    offline_warn_cb warn_cb, void *warn_ctx, struct offline_checkpoint **out);

/**
 * offline_checkpoint_maybe_save() - save when the last save is @interval
 * seconds ago or more; the first failure is reported with the warning
 * callback
 * Return: 0 or negative errno (the scan can go on).
 */
int offline_checkpoint_maybe_save(struct offline_checkpoint *ck, const struct offline_scan *scan);

/**
 * offline_checkpoint_save() - save @scan at its position now. Written
 * through safe_file_write_path().
 * Return: 0 or negative errno (offline_checkpoint_error() says why).
 */
int offline_checkpoint_save(struct offline_checkpoint *ck, const struct offline_scan *scan);

/**
 * offline_checkpoint_error() - "cannot save progress to FILE: reason" for
 * the last failed save ("" when none)
 */
const char *offline_checkpoint_error(const struct offline_checkpoint *ck);

/**
 * offline_checkpoint_done() - scan finished: remove the file, free @ck
 */
void offline_checkpoint_done(struct offline_checkpoint *ck);

/**
 * offline_checkpoint_close() - free @ck, keep the file
 */
void offline_checkpoint_close(struct offline_checkpoint *ck);

#endif
