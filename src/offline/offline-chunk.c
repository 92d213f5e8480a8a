// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-chunk.c - chunk items and logical-to-physical mapping for every
 * btrfs profile.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btrfs-format.h"
#include "nls.h"
#include "offline-chunk.h"


static bool one_profile(uint64_t type)
{
	uint64_t p = type & BTRFS_BLOCK_GROUP_PROFILE_MASK;

	return !(p & (p - 1));
}

static int check_chunk(const struct offline_chunk *c, char *why, size_t whylen)
{
	uint64_t p = c->type & BTRFS_BLOCK_GROUP_PROFILE_MASK;
	unsigned n = c->num_stripes;
	bool ok;

	if (!c->length || c->logical + c->length < c->logical) {
		snprintf(why, whylen, _("chunk at %llu has a bad length"),
			 (unsigned long long)c->logical);
		return -EINVAL;
	}
	if (!one_profile(c->type) || !(c->type & (BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_SYSTEM |
						  BTRFS_BLOCK_GROUP_METADATA))) {
		snprintf(why, whylen, _("chunk at %llu has bad type 0x%llx"),
			 (unsigned long long)c->logical, (unsigned long long)c->type);
		return -EINVAL;
	}
	if (!c->stripe_len || (c->stripe_len & (c->stripe_len - 1)) || c->stripe_len > (1ULL << 30)) {
		snprintf(why, whylen, _("chunk at %llu has bad stripe length %llu"),
			 (unsigned long long)c->logical, (unsigned long long)c->stripe_len);
		return -EINVAL;
	}
	switch (p) {
	case 0:
		ok = n == 1;
		break;
	case BTRFS_BLOCK_GROUP_DUP:
	case BTRFS_BLOCK_GROUP_RAID1:
		ok = n == 2;
		break;
	case BTRFS_BLOCK_GROUP_RAID1C3:
		ok = n == 3;
		break;
	case BTRFS_BLOCK_GROUP_RAID1C4:
		ok = n == 4;
		break;
	case BTRFS_BLOCK_GROUP_RAID0:
		ok = n >= 1;
		break;
	case BTRFS_BLOCK_GROUP_RAID10:
		ok = c->sub_stripes == 2 && n >= 2 && n % 2 == 0;
		break;
	case BTRFS_BLOCK_GROUP_RAID5:
		ok = n >= 2;
		break;
	case BTRFS_BLOCK_GROUP_RAID6:
		ok = n >= 3;
		break;
	default:
		ok = false;
	}
	if (!ok) {
		snprintf(why, whylen, _("chunk at %llu has %u stripes, wrong for its profile"),
			 (unsigned long long)c->logical, n);
		return -EINVAL;
	}
	return 0;
}

int offline_chunk_add(struct offline_chunk_map *map, uint64_t logical, const uint8_t *item,
		      size_t len, char *why, size_t whylen)
{
	struct offline_chunk c;
	size_t lo = 0, hi = map->nr;
	int ret;

	if (len < OFFLINE_CHUNK_ITEM_SIZE) {
		snprintf(why, whylen, _("chunk item at %llu too short"), (unsigned long long)logical);
		return -EINVAL;
	}
	memset(&c, 0, sizeof(c));
	c.logical = logical;
	c.length = BTRFS_LE64(item, struct btrfs_chunk, length);
	c.stripe_len = BTRFS_LE64(item, struct btrfs_chunk, stripe_len);
	c.type = BTRFS_LE64(item, struct btrfs_chunk, type);
	c.num_stripes = BTRFS_LE16(item, struct btrfs_chunk, num_stripes);
	c.sub_stripes = BTRFS_LE16(item, struct btrfs_chunk, sub_stripes);
	if (!c.num_stripes || c.num_stripes > OFFLINE_MAX_STRIPES ||
	    len < OFFLINE_CHUNK_ITEM_SIZE + (size_t)c.num_stripes * OFFLINE_STRIPE_SIZE) {
		snprintf(why, whylen, _("chunk item at %llu has a bad stripe count %u"),
			 (unsigned long long)logical, c.num_stripes);
		return -EINVAL;
	}
	ret = check_chunk(&c, why, whylen);
	if (ret)
		return ret;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (map->chunks[mid].logical < logical)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < map->nr && map->chunks[lo].logical == logical) {
		if (map->chunks[lo].length == c.length && map->chunks[lo].num_stripes == c.num_stripes)
			return 0;
		snprintf(why, whylen, _("two different chunks at %llu"), (unsigned long long)logical);
		return -EINVAL;
	}
	if ((lo < map->nr && map->chunks[lo].logical < logical + c.length) ||
	    (lo > 0 && map->chunks[lo - 1].logical + map->chunks[lo - 1].length > logical)) {
		snprintf(why, whylen, _("chunk at %llu overlaps another"), (unsigned long long)logical);
		return -EINVAL;
	}
	c.stripes = calloc(c.num_stripes, sizeof(*c.stripes));
	if (!c.stripes)
		return -ENOMEM;
	for (unsigned i = 0; i < c.num_stripes; i++) {
		const uint8_t *s = item + OFFLINE_CHUNK_ITEM_SIZE + (size_t)i * OFFLINE_STRIPE_SIZE;

		c.stripes[i].devid = BTRFS_LE64(s, struct btrfs_stripe, devid);
		c.stripes[i].offset = BTRFS_LE64(s, struct btrfs_stripe, offset);
		memcpy(c.stripes[i].dev_uuid, BTRFS_AT(s, struct btrfs_stripe, dev_uuid),
		       sizeof(c.stripes[i].dev_uuid));
	}
	if (map->nr == map->cap) {
		size_t ncap = map->cap ? map->cap * 2 : 16;
		struct offline_chunk *n = realloc(map->chunks, ncap * sizeof(*n));

		if (!n) {
			free(c.stripes);
			return -ENOMEM;
		}
		map->chunks = n;
		map->cap = ncap;
	}
	memmove(map->chunks + lo + 1, map->chunks + lo, (map->nr - lo) * sizeof(*map->chunks));
	map->chunks[lo] = c;
	map->nr++;
	return 0;
}

int offline_chunk_load_sys_array(struct offline_chunk_map *map, const uint8_t *arr, size_t len,
				 char *why, size_t whylen)
{
	size_t pos = 0;

	while (pos < len) {
		uint64_t objectid, offset;
		size_t item_len;
		uint8_t type;
		int ret;

		if (len - pos < sizeof(struct btrfs_disk_key) + OFFLINE_CHUNK_ITEM_SIZE) {
			snprintf(why, whylen, _("truncated system chunk array"));
			return -EINVAL;
		}
		objectid = BTRFS_LE64(arr + pos, struct btrfs_disk_key, objectid);
		type = BTRFS_LE8(arr + pos, struct btrfs_disk_key, type);
		offset = BTRFS_LE64(arr + pos, struct btrfs_disk_key, offset);
		if (objectid != BTRFS_FIRST_CHUNK_TREE_OBJECTID || type != BTRFS_CHUNK_ITEM_KEY) {
			snprintf(why, whylen, _("bad key in system chunk array"));
			return -EINVAL;
		}
		pos += sizeof(struct btrfs_disk_key);
		item_len = OFFLINE_CHUNK_ITEM_SIZE +
			   (size_t)BTRFS_LE16(arr + pos, struct btrfs_chunk, num_stripes) *
				   OFFLINE_STRIPE_SIZE;
		if (item_len > len - pos) {
			snprintf(why, whylen, _("truncated system chunk array"));
			return -EINVAL;
		}
		ret = offline_chunk_add(map, offset, arr + pos, item_len, why, whylen);
		if (ret)
			return ret;
		pos += item_len;
	}
	if (!map->nr) {
		snprintf(why, whylen, _("empty system chunk array"));
		return -EINVAL;
	}
	return 0;
}

const struct offline_chunk *offline_chunk_lookup(const struct offline_chunk_map *map,
						 uint64_t logical)
{
	size_t lo = 0, hi = map->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct offline_chunk *c = &map->chunks[mid];

		if (logical < c->logical)
			hi = mid;
		else if (logical - c->logical >= c->length)
			lo = mid + 1;
		else
			return c;
	}
	return NULL;
}

int offline_chunk_locate(const struct offline_chunk *c, uint64_t logical, uint64_t len,
			 struct offline_loc *locs)
{
	uint64_t p = c->type & BTRFS_BLOCK_GROUP_PROFILE_MASK;
	uint64_t off, stripe_nr, in_stripe, base;
	unsigned first, count, n = c->num_stripes;

	if (logical < c->logical || logical - c->logical >= c->length || !len ||
	    len > c->length - (logical - c->logical))
		return -EINVAL;
	off = logical - c->logical;
	if (p == 0 || p == BTRFS_BLOCK_GROUP_DUP || p == BTRFS_BLOCK_GROUP_RAID1 ||
	    p == BTRFS_BLOCK_GROUP_RAID1C3 || p == BTRFS_BLOCK_GROUP_RAID1C4) {
		for (unsigned i = 0; i < n && i < OFFLINE_MAX_MIRRORS; i++) {
			locs[i].devid = c->stripes[i].devid;
			locs[i].physical = c->stripes[i].offset + off;
			locs[i].dev_uuid = c->stripes[i].dev_uuid;
		}
		return n < OFFLINE_MAX_MIRRORS ? (int)n : OFFLINE_MAX_MIRRORS;
	}
	stripe_nr = off / c->stripe_len;
	in_stripe = off % c->stripe_len;
	if (len > c->stripe_len - in_stripe)
		return -EINVAL;
	if (p == BTRFS_BLOCK_GROUP_RAID0) {
		first = stripe_nr % n;
		base = stripe_nr / n;
		count = 1;
	} else if (p == BTRFS_BLOCK_GROUP_RAID10) {
		unsigned factor = n / c->sub_stripes;

		first = (unsigned)(stripe_nr % factor) * c->sub_stripes;
		base = stripe_nr / factor;
		count = c->sub_stripes;
	} else {
		unsigned data = n - (p == BTRFS_BLOCK_GROUP_RAID5 ? 1 : 2);
		uint64_t full = stripe_nr / data;

		first = (unsigned)((stripe_nr % data + full) % n);
		base = full;
		count = 1;
	}
	for (unsigned i = 0; i < count && i < OFFLINE_MAX_MIRRORS; i++) {
		const struct offline_stripe *s = &c->stripes[first + i];

		locs[i].devid = s->devid;
		locs[i].physical = s->offset + base * c->stripe_len + in_stripe;
		locs[i].dev_uuid = s->dev_uuid;
	}
	return count < OFFLINE_MAX_MIRRORS ? (int)count : OFFLINE_MAX_MIRRORS;
}

void offline_chunk_map_free(struct offline_chunk_map *map)
{
	for (size_t i = 0; i < map->nr; i++)
		free(map->chunks[i].stripes);
	free(map->chunks);
	memset(map, 0, sizeof(*map));
}
