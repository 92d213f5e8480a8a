// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * quota-items.c - decoding the quota tree's items (see quota-items.h).
 */
#include "config.h"

#include <errno.h>

#include "btrfs-format.h"
#include "quota-items.h"

static int add_status(struct qgroup_model *m, const void *d, uint32_t len,
		      struct quota_items_status *st)
{
	/* a 32-byte item (mkfs.btrfs -R quota) has no enable_gen */
	if (len < sizeof(struct btrfs_qgroup_status_item))
		return -EINVAL;
	st->seen = true;
	st->version = BTRFS_LE64(d, struct qgtop_btrfs_qgroup_status_item, version);
	st->generation = BTRFS_LE64(d, struct qgtop_btrfs_qgroup_status_item, generation);
	st->flags = BTRFS_LE64(d, struct qgtop_btrfs_qgroup_status_item, flags);
	st->rescan = BTRFS_LE64(d, struct qgtop_btrfs_qgroup_status_item, rescan);
	st->enable_gen = len >= sizeof(struct qgtop_btrfs_qgroup_status_item)
				 ? BTRFS_LE64(d, struct qgtop_btrfs_qgroup_status_item, enable_gen)
				 : 0;
	m->status_generation = st->generation;
	m->status_flags = st->flags;
	m->status_rescan = st->rescan;
	return 0;
}

static int add_info(struct qgroup_model *m, uint64_t id, const void *d, uint32_t len,
		    enum quota_items_numbers numbers)
{
	struct qgroup *q;
	int ret;

	if (len < sizeof(struct btrfs_qgroup_info_item))
		return -EINVAL;
	ret = qgroup_model_get(m, id, &q);
	if (ret)
		return ret;
	q->has_info = true;
	q->info_generation = BTRFS_LE64(d, struct btrfs_qgroup_info_item, generation);
	if (numbers == QUOTA_ITEMS_STORED) {
		q->has_stored = true;
		q->stored_rfer = BTRFS_LE64(d, struct btrfs_qgroup_info_item, rfer);
		q->stored_excl = BTRFS_LE64(d, struct btrfs_qgroup_info_item, excl);
		return 0;
	}
	q->rfer = BTRFS_LE64(d, struct btrfs_qgroup_info_item, rfer);
	q->rfer_cmpr = BTRFS_LE64(d, struct btrfs_qgroup_info_item, rfer_cmpr);
	q->excl = BTRFS_LE64(d, struct btrfs_qgroup_info_item, excl);
	q->excl_cmpr = BTRFS_LE64(d, struct btrfs_qgroup_info_item, excl_cmpr);
	return 0;
}

static int add_limit(struct qgroup_model *m, uint64_t id, const void *d, uint32_t len)
{
	struct qgroup *q;
	int ret;

	if (len < sizeof(struct btrfs_qgroup_limit_item))
		return -EINVAL;
	ret = qgroup_model_get(m, id, &q);
	if (ret)
		return ret;
	q->has_limit = true;
	q->limit_flags = BTRFS_LE64(d, struct btrfs_qgroup_limit_item, flags);
	q->max_rfer = BTRFS_LE64(d, struct btrfs_qgroup_limit_item, max_rfer);
	q->max_excl = BTRFS_LE64(d, struct btrfs_qgroup_limit_item, max_excl);
	q->rsv_rfer = BTRFS_LE64(d, struct btrfs_qgroup_limit_item, rsv_rfer);
	q->rsv_excl = BTRFS_LE64(d, struct btrfs_qgroup_limit_item, rsv_excl);
	return 0;
}

int quota_items_add(struct qgroup_model *m, uint64_t objectid, uint8_t type, uint64_t offset,
		    const void *data, uint32_t len, enum quota_items_numbers numbers,
		    struct quota_items_status *status)
{
	switch (type) {
	case BTRFS_QGROUP_STATUS_KEY:
		return add_status(m, data, len, status);
	case BTRFS_QGROUP_INFO_KEY:
		return add_info(m, offset, data, len, numbers);
	case BTRFS_QGROUP_LIMIT_KEY:
		return add_limit(m, offset, data, len);
	case BTRFS_QGROUP_RELATION_KEY:
		/* stored both ways; the child is the one of the lower level */
		if (QGROUP_LEVEL(objectid) >= QGROUP_LEVEL(offset))
			return 0;
		return qgroup_model_add_relation(m, objectid, offset);
	default:
		return 0;
	}
}

enum qgroup_quota_mode quota_items_mode(const struct quota_items_status *s)
{
	return (s->flags & QGTOP_BTRFS_QGROUP_STATUS_FLAG_SIMPLE_MODE) ? QGROUP_MODE_SIMPLE
								       : QGROUP_MODE_FULL;
}
