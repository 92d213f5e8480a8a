/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-hooks.h - what the offline reader's layers call back into their
 * caller: a tick between two units of work, and warnings it goes on after.
 */
#ifndef QGTOP_OFFLINE_HOOKS_H
#define QGTOP_OFFLINE_HOOKS_H

#include <stdbool.h>
#include <stdint.h>

/* called between two units of work (a tree block, an item) for progress
 * and cancel: 0 goes on, a negative errno (-ECANCELED) stops the work */
typedef int (*offline_tick_fn)(void *ctx);

/* a one-line warning the scan goes on after (a checkpoint ignored or not
 * saved); called from the scanning thread */
typedef void (*offline_warn_cb)(const char *msg, void *ctx);

/* the set of subvolumes reaching one extent is final: a tree block
 * (@tree_block) or a data extent at @bytenr, reached by @nr_roots
 * subvolumes; called from the scanning thread, once per extent */
typedef void (*offline_extent_cb)(uint64_t bytenr, uint32_t nr_roots, bool tree_block,
				  void *ctx);

#endif
