// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake-search.c - see fake-search.h.
 */
#include "config.h"

#include <errno.h>
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

int fake_search_key_cmp(const struct fake_search_item *a, const struct fake_search_item *b)
{
	return key_cmp(a->objectid, a->type, a->offset, b->objectid, b->type, b->offset);
}

int fake_search_serve(struct btrfs_ioctl_search_args_v2 *a, const struct fake_search_item *items,
		      size_t nr, uint32_t max_per_call)
{
	struct btrfs_ioctl_search_key *sk = &a->key;
	uint32_t limit = sk->nr_items;
	size_t off = 0;
	uint32_t n = 0;

	if (max_per_call && max_per_call < limit)
		limit = max_per_call;
	for (size_t i = 0; i < nr && n < limit; i++) {
		const struct fake_search_item *it = &items[i];
		struct btrfs_ioctl_search_header sh;
		uint8_t *body;

		if (key_cmp(it->objectid, it->type, it->offset, sk->min_objectid,
			    (uint8_t)sk->min_type, sk->min_offset) < 0 ||
		    key_cmp(it->objectid, it->type, it->offset, sk->max_objectid,
			    (uint8_t)sk->max_type, sk->max_offset) > 0)
			continue;
		if (off + sizeof(sh) + it->len > a->buf_size) {
			if (n == 0) {
				a->buf_size = sizeof(sh) + it->len;
				return -EOVERFLOW;
			}
			break;
		}
		memset(&sh, 0, sizeof(sh));
		sh.objectid = it->objectid;
		sh.type = it->type;
		sh.offset = it->offset;
		sh.len = it->len;
		memcpy((char *)a->buf + off, &sh, sizeof(sh));
		off += sizeof(sh);
		body = (uint8_t *)a->buf + off;
		if (it->raw) {
			memcpy(body, it->raw, it->len);
		} else {
			/* the words, little-endian; past the fifth, zeros */
			memset(body, 0, it->len);
			for (uint32_t j = 0; j < it->len && j < sizeof(it->v); j++)
				body[j] = (uint8_t)(it->v[j / 8] >> (8 * (j % 8)));
		}
		off += it->len;
		n++;
	}
	sk->nr_items = n;
	return 0;
}
