// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rescan-cache.c - the share of subvolume tree blocks a rescan will read
 * from disk, and what one read costs (see rescan-cache.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/btrfs.h>

#include "btrfs-format.h"
#include "btrfs-ops.h"
#include "mono-time.h"
#include "rescan-cache.h"

static uint64_t next_random(struct rescan_cache *c)
{
	/* xorshift64, seeded from the clock: a second run right after the
	 * first must not look up the leaves the first one just cached */
	uint64_t x = c->rng;

	if (!x) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = ((uint64_t)ts.tv_sec * 1000000007ULL) ^ (uint64_t)ts.tv_nsec ^
		    0x9e3779b97f4a7c15ULL;
		if (!x)
			x = 1;
	}

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	c->rng = x;
	return x;
}

void rescan_cache_offer(struct rescan_cache *c, uint64_t root, uint64_t ino, uint64_t offset)
{
	struct rescan_cache_ref r = { root, ino, offset };
	uint64_t slot;

	c->seen++;
	if (c->nr < RESCAN_CACHE_PROBES) {
		c->ref[c->nr++] = r;
		return;
	}
	slot = next_random(c) % c->seen;
	if (slot < RESCAN_CACHE_PROBES)
		c->ref[slot] = r;
}

void rescan_cache_offer_item(struct rescan_cache *c, const uint8_t *d, uint32_t len)
{
	size_t at = sizeof(struct btrfs_extent_item);

	while (at + sizeof(struct btrfs_extent_inline_ref) <= len) {
		uint8_t type = BTRFS_LE8(d + at, struct btrfs_extent_inline_ref, type);
		const uint8_t *body = d + at + 1;

		switch (type) {
		case BTRFS_EXTENT_DATA_REF_KEY:
			if (at + 1 + sizeof(struct btrfs_extent_data_ref) > len)
				return;
			rescan_cache_offer(c, BTRFS_LE64(body, struct btrfs_extent_data_ref, root),
					   BTRFS_LE64(body, struct btrfs_extent_data_ref, objectid),
					   BTRFS_LE64(body, struct btrfs_extent_data_ref, offset));
			return;
		case BTRFS_SHARED_DATA_REF_KEY:
			/* names the leaf by address only: nothing to look up */
			at += 1 + 8 + sizeof(struct btrfs_shared_data_ref);
			break;
		case QGTOP_BTRFS_EXTENT_OWNER_REF_KEY:
			at += 1 + 8;
			break;
		default:
			return;
		}
	}
}

/*
 * One lookup of the first file extent item of @r's inode at or after
 * @r->offset (a data ref's offset is the item's key offset minus its
 * extent_offset, so the item may sit later); its duration in *@took.
 */
static int lookup(struct live_fs *fs, struct btrfs_ioctl_search_args_v2 *args, size_t buf,
		  const struct rescan_cache_ref *r, double *took)
{
	struct btrfs_ioctl_search_key *k = &args->key;
	double t0;
	int ret;

	memset(k, 0, sizeof(*k));
	k->tree_id = r->root;
	k->min_objectid = k->max_objectid = r->ino;
	k->min_type = k->max_type = BTRFS_EXTENT_DATA_KEY;
	k->min_offset = r->offset;
	k->max_offset = UINT64_MAX;
	k->max_transid = UINT64_MAX;
	k->nr_items = 1;
	args->buf_size = buf;
	t0 = mono_time_now();
	ret = btrfs_ops->ioctl(fs->fd, BTRFS_IOC_TREE_SEARCH_V2, args);
	*took = mono_time_now() - t0;
	if (ret < 0)
		return ret;
	return k->nr_items == 1 ? 0 : -ENOENT;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int rescan_cache_probe(struct live_fs *fs, struct rescan_cache *c, const atomic_int *stop)
{
	const size_t buf = 4096;
	struct btrfs_ioctl_search_args_v2 *args;
	double hits[RESCAN_CACHE_PROBES];
	double start = mono_time_now();
	int ret = 0;

	c->probed = c->misses = 0;
	c->extra_s = c->hit_s = 0;
	args = malloc(sizeof(*args) + buf);
	if (!args)
		return -ENOMEM;
	for (size_t i = 0; i < c->nr; i++) {
		double first, again;

		if (stop && atomic_load(stop)) {
			ret = -ECANCELED;
			goto out_free;
		}
		/* on a slow disk, a share measured on fewer leaves beats a
		 * percentage shown late */
		if (c->probed >= RESCAN_CACHE_MIN_PROBES &&
		    mono_time_now() - start > RESCAN_CACHE_BUDGET_S)
			break;
		ret = lookup(fs, args, buf, &c->ref[i], &first);
		if (!ret)
			ret = lookup(fs, args, buf, &c->ref[i], &again);
		if (ret == -EPERM)
			goto out_free;
		if (ret) {
			/* gone since the enumeration, or a tree being deleted */
			ret = 0;
			continue;
		}
		hits[c->probed++] = again;
		/* a read from disk takes tens of cached lookups and tens of
		 * microseconds at least; below that the difference is noise */
		if (first > 4 * again && first - again > RESCAN_CACHE_MIN_READ_S) {
			c->misses++;
			c->extra_s += first - again;
		}
	}
	if (c->probed) {
		qsort(hits, c->probed, sizeof(hits[0]), cmp_double);
		c->hit_s = hits[c->probed / 10];
	}
out_free:
	free(args);
	return ret;
}

double rescan_cache_read_cost(const struct rescan_cache *c, double cold_share)
{
	double per_probe;

	if (!c->probed || !c->misses || c->hit_s <= 0)
		return 0;
	/* past 80 % the division amplifies noise more than it corrects */
	if (cold_share < 0.2)
		cold_share = 0.2;
	per_probe = c->extra_s / c->probed / cold_share;
	if (per_probe > c->extra_s / c->misses)
		per_probe = c->extra_s / c->misses;
	return per_probe / c->hit_s * RESCAN_CACHE_LOOKUP_COST;
}
