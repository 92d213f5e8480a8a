/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * quota-items.h - the items of the quota tree (STATUS, INFO, LIMIT,
 * RELATION) decoded once, with one strictness, into a qgroup_model: for
 * the live backend (TREE_SEARCH_V2 results) and the offline engine (leaf
 * items) alike.
 */
#ifndef QGTOP_QUOTA_ITEMS_H
#define QGTOP_QUOTA_ITEMS_H

#include <stdbool.h>
#include <stdint.h>

#include "qgroup-model.h"

/* where an INFO item's numbers go */
enum quota_items_numbers {
	QUOTA_ITEMS_NUMBERS = 0,	/* rfer/excl: what the model shows */
	QUOTA_ITEMS_STORED,		/* stored_rfer/stored_excl, beside computed ones */
};

/* the status item, as far as it goes */
struct quota_items_status {
	bool seen;
	uint64_t version, generation, flags, rescan;
	uint64_t enable_gen;	/* simple quotas: the first counted generation */
};

/**
 * quota_items_add() - add one quota-tree item to @m
 * @m: model being filled (before qgroup_model_finish())
 * @objectid, @type, @offset: the item's key
 * @data: the item's body, @len bytes
 * @numbers: where INFO numbers go
 * @status: receives the STATUS item (also copied to @m's status fields)
 *
 * Items of other types are ignored. A relation is taken from its child ->
 * parent copy (it is stored both ways).
 * Return: 0, -EINVAL when the item is shorter than its type requires,
 * -ENOMEM.
 */
int quota_items_add(struct qgroup_model *m, uint64_t objectid, uint8_t type, uint64_t offset,
		    const void *data, uint32_t len, enum quota_items_numbers numbers,
		    struct quota_items_status *status);

/**
 * quota_items_mode() - the quota mode the status flags say (full or
 * simple), for a source without sysfs
 */
enum qgroup_quota_mode quota_items_mode(const struct quota_items_status *s);

#endif
