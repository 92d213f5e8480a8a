/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-squota.h - simple-quota numbers (kernel 6.7+): every extent
 * allocated since quotas were enabled is charged, referenced and
 * exclusive, to the subvolume that owns it and to that subvolume's
 * ancestors. Data extents name their owner in an inline owner ref, tree
 * blocks in their header.
 */
#ifndef QGTOP_OFFLINE_SQUOTA_H
#define QGTOP_OFFLINE_SQUOTA_H

#include <stdint.h>

#include "offline-hooks.h"
#include "offline-roots.h"
#include "qgroup-model.h"

/**
 * offline_squota_scan() - compute every qgroup of @m of filesystem @fs
 * @rs: where the extent tree starts
 * @enable_gen: the generation simple quotas were enabled in; older
 *              extents are not counted
 * @tick: progress and cancel, with @ctx
 * Return: 0 or negative errno (reason in @fs->err).
 */
int offline_squota_scan(struct offline_fs *fs, const struct offline_roots *rs, uint64_t enable_gen,
			struct qgroup_model *m, offline_tick_fn tick, void *ctx);

#endif
