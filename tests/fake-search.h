/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake-search.h - BTRFS_IOC_TREE_SEARCH_V2 served from a table of items,
 * the way the kernel fills the buffer; used by fake-btrfs.c.
 */
#ifndef QGTOP_FAKE_SEARCH_H
#define QGTOP_FAKE_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include <linux/btrfs.h>

struct fake_search_item {
	uint64_t objectid;
	uint8_t type;
	uint64_t offset;
	uint64_t v[5];		/* item body: up to five little-endian u64 */
	uint32_t len;		/* body length in bytes */
	const uint8_t *raw;	/* when set, the body (len bytes) instead of v,
				 * for bodies that are not whole u64 words */
};

/**
 * fake_search_key_cmp() - order of two items' keys, as in a btrfs tree
 * Return: negative, 0 or positive as @a's key is below, equal to or above @b's.
 */
int fake_search_key_cmp(const struct fake_search_item *a, const struct fake_search_item *b);

/**
 * fake_search_serve() - answer one TREE_SEARCH_V2 call from @items
 * @a: the ioctl's argument (key range, nr_items and buf_size in; items out)
 * @items: one tree's items, in key order
 * @nr: number of items
 * @max_per_call: at most this many items per call (0: no limit), so the
 *                caller's continuation from the last key is exercised
 *
 * Keys are compared whole (objectid, type, offset), as the kernel does. As
 * the kernel, it returns at most @a->key.nr_items items and stops at the
 * first item that does not fit into @a->buf_size.
 * Return: 0, or -EOVERFLOW with @a->buf_size set to the size needed when
 * not even the first item fits.
 */
int fake_search_serve(struct btrfs_ioctl_search_args_v2 *a, const struct fake_search_item *items,
		      size_t nr, uint32_t max_per_call);

#endif
