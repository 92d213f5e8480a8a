// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake-search.c - see fake-search.h.
 */
#include "config.h"

#include <string.h>

#include "fake-search.h"

static int key_cmp(uint64_t o1, uint8_t t1, uint64_t f1, uint64_t o2, uint8_t t2, uint64_t f2)
{
	if (o1 != o2)
		return o1 < o2 ? -1 : 1;
	if (t1 != t2)
		return t1 < t2 ? -1 : 1;
	if (f1 != f2)
		return f1 < f2 ? -1 : 1;
	return 0;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int fake_search_serve(struct btrfs_ioctl_search_args_v2 *a, const struct fake_search_item *items,
		      size_t nr, uint32_t max_per_call)
{
	struct btrfs_ioctl_search_key *sk = &a->key;
	size_t off = 0;
	uint32_t n = 0;

	for (size_t i = 0; i < nr && (!max_per_call || n < max_per_call); i++) {
		const struct fake_search_item *it = &items[i];
		struct btrfs_ioctl_search_header sh;

		if (key_cmp(it->objectid, it->type, it->offset, sk->min_objectid,
			    (uint8_t)sk->min_type, sk->min_offset) < 0 ||
		    key_cmp(it->objectid, it->type, it->offset, sk->max_objectid,
			    (uint8_t)sk->max_type, sk->max_offset) > 0)
			continue;
		memset(&sh, 0, sizeof(sh));
		sh.objectid = it->objectid;
		sh.type = it->type;
		sh.offset = it->offset;
		sh.len = it->len;
		memcpy((char *)a->buf + off, &sh, sizeof(sh));
		off += sizeof(sh);
		for (unsigned k = 0; k < 5 && 8 * k < it->len; k++)
			put_le64((uint8_t *)a->buf + off + 8 * k, it->v[k]);
		off += it->len;
		n++;
	}
	sk->nr_items = n;
	return 0;
}
