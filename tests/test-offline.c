// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-offline.c - offline engine units: checksum vectors (crc32c,
 * xxhash64, sha256, blake2b-256), chunk mapping arithmetic of every
 * profile, chunk item validation, set interning and unions, the bytenr map.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "offline/offline-chunk.h"
#include "offline/offline-csum.h"
#include "offline/offline-sets.h"

static void hex(const char *h, uint8_t *out)
{
	for (size_t i = 0; h[2 * i]; i++) {
		unsigned v;

		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static void test_crc32c_vectors(void **state)
{
	uint8_t buf[64];
	uint8_t sum[OFFLINE_CSUM_SIZE];

	(void)state;
	/* RFC 3720 B.4 and the classic check value */
	assert_int_equal(~offline_crc32c(~0u, "123456789", 9), 0xe3069283u);
	memset(buf, 0, 32);
	assert_int_equal(~offline_crc32c(~0u, buf, 32), 0x8a9136aau);
	memset(buf, 0xff, 32);
	assert_int_equal(~offline_crc32c(~0u, buf, 32), 0x62a8ab43u);
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)i;
	assert_int_equal(~offline_crc32c(~0u, buf, 32), 0x46dd794eu);
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)(31 - i);
	assert_int_equal(~offline_crc32c(~0u, buf, 32), 0x113fdb5cu);
	/* unaligned start and odd lengths agree with byte-wise chaining */
	for (int i = 0; i < 64; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	for (size_t off = 0; off < 8; off++) {
		uint32_t whole = offline_crc32c(~0u, buf + off, 50);
		uint32_t parts = offline_crc32c(offline_crc32c(~0u, buf + off, 13), buf + off + 13, 37);

		assert_int_equal(whole, parts);
	}
	/* the table-driven and the instruction paths agree */
	for (size_t len = 0; len < 64; len++)
		for (size_t off = 0; off < 8 && off + len <= 64; off++)
			assert_int_equal(offline_crc32c(~0u, buf + off, len),
					 offline_crc32c_generic(~0u, buf + off, len));
	assert_int_equal(~offline_crc32c_generic(~0u, "123456789", 9), 0xe3069283u);
	/* stored little endian */
	assert_int_equal(offline_csum_compute(OFFLINE_CSUM_CRC32C, "123456789", 9, sum), 0);
	assert_int_equal(sum[0], 0x83);
	assert_int_equal(sum[3], 0xe3);
	assert_int_equal(sum[4], 0);
}

static void test_xxhash_vectors(void **state)
{
	uint8_t sum[OFFLINE_CSUM_SIZE], want[8];

	(void)state;
	assert_int_equal(offline_csum_compute(OFFLINE_CSUM_XXHASH, "", 0, sum), 0);
	hex("99e9d85137db46ef", want);	/* 0xef46db3751d8e999, little endian */
	assert_memory_equal(sum, want, 8);
	assert_int_equal(offline_csum_compute(OFFLINE_CSUM_XXHASH, "abc", 3, sum), 0);
	hex("990977adf52cbc44", want);	/* 0x44bc2cf5ad770999 */
	assert_memory_equal(sum, want, 8);
	assert_int_equal(offline_csum_size(OFFLINE_CSUM_XXHASH), 8);
}

static void test_sha256_blake2_vectors(void **state)
{
	uint8_t sum[OFFLINE_CSUM_SIZE], want[32];

	(void)state;
	assert_int_equal(offline_csum_compute(OFFLINE_CSUM_SHA256, "abc", 3, sum), 0);
	hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", want);
	assert_memory_equal(sum, want, 32);
	assert_int_equal(offline_csum_compute(OFFLINE_CSUM_BLAKE2, "abc", 3, sum), 0);
	hex("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319", want);
	assert_memory_equal(sum, want, 32);
	assert_int_equal(offline_csum_compute(OFFLINE_CSUM_BLAKE2, "", 0, sum), 0);
	hex("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8", want);
	assert_memory_equal(sum, want, 32);
	assert_int_equal(offline_csum_compute(7, "abc", 3, sum), -EINVAL);
	assert_int_equal(offline_csum_size(7), 0);
	assert_null(offline_csum_name(4));
	assert_string_equal(offline_csum_name(OFFLINE_CSUM_BLAKE2), "blake2b");
}

static void test_csum_verify(void **state)
{
	uint8_t block[4096];

	(void)state;
	for (int t = 0; t < 4; t++) {
		for (size_t i = 0; i < sizeof(block); i++)
			block[i] = (uint8_t)(i * 13 + t);
		assert_int_equal(offline_csum_compute((unsigned)t, block + 32, sizeof(block) - 32,
						      block), 0);
		assert_true(offline_csum_verify((unsigned)t, block, sizeof(block)));
		block[100] ^= 1;
		assert_false(offline_csum_verify((unsigned)t, block, sizeof(block)));
	}
}

/* a chunk item with @n stripes on devices 1..n at offsets 1 GiB * devid */
static size_t make_chunk(uint8_t *item, uint64_t length, uint64_t type, uint16_t n, uint16_t sub)
{
	memset(item, 0, OFFLINE_CHUNK_ITEM_SIZE + (size_t)n * OFFLINE_STRIPE_SIZE);
	for (int i = 0; i < 8; i++) {
		item[i] = (uint8_t)(length >> (8 * i));
		item[24 + i] = (uint8_t)(type >> (8 * i));
	}
	item[16 + 2] = 1;	/* stripe_len 65536 */
	item[44] = (uint8_t)n;
	item[46] = (uint8_t)sub;
	for (uint16_t s = 0; s < n; s++) {
		uint8_t *st = item + OFFLINE_CHUNK_ITEM_SIZE + (size_t)s * OFFLINE_STRIPE_SIZE;
		uint64_t off = (uint64_t)(s + 1) << 30;

		st[0] = (uint8_t)(s + 1);
		for (int i = 0; i < 8; i++)
			st[8 + i] = (uint8_t)(off >> (8 * i));
		st[16] = (uint8_t)(s + 1);	/* device uuid */
	}
	return OFFLINE_CHUNK_ITEM_SIZE + (size_t)n * OFFLINE_STRIPE_SIZE;
}

#define GIB (1ULL << 30)
#define SL 65536ULL

static void test_chunk_profiles(void **state)
{
	struct offline_chunk_map map = { 0 };
	struct offline_loc loc[OFFLINE_MAX_MIRRORS];
	uint8_t item[OFFLINE_CHUNK_ITEM_SIZE + 8 * OFFLINE_STRIPE_SIZE];
	char why[160];
	const struct offline_chunk *c;
	size_t len;

	(void)state;
	/* DUP at 10 GiB: two copies on device 1 */
	len = make_chunk(item, GIB, BTRFS_BLOCK_GROUP_METADATA | BTRFS_BLOCK_GROUP_DUP, 2, 0);
	assert_int_equal(offline_chunk_add(&map, 10 * GIB, item, len, why, sizeof(why)), 0);
	/* RAID0 over 3 at 20 GiB */
	len = make_chunk(item, 3 * GIB, BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_RAID0, 3, 0);
	assert_int_equal(offline_chunk_add(&map, 20 * GIB, item, len, why, sizeof(why)), 0);
	/* RAID10 over 4 at 30 GiB */
	len = make_chunk(item, 2 * GIB, BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_RAID10, 4, 2);
	assert_int_equal(offline_chunk_add(&map, 30 * GIB, item, len, why, sizeof(why)), 0);
	/* RAID5 over 3 at 40 GiB, RAID6 over 4 at 50 GiB, RAID1C3 at 60 GiB */
	len = make_chunk(item, 2 * GIB, BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_RAID5, 3, 0);
	assert_int_equal(offline_chunk_add(&map, 40 * GIB, item, len, why, sizeof(why)), 0);
	len = make_chunk(item, 2 * GIB, BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_RAID6, 4, 0);
	assert_int_equal(offline_chunk_add(&map, 50 * GIB, item, len, why, sizeof(why)), 0);
	len = make_chunk(item, GIB, BTRFS_BLOCK_GROUP_METADATA | BTRFS_BLOCK_GROUP_RAID1C3, 3, 0);
	assert_int_equal(offline_chunk_add(&map, 60 * GIB, item, len, why, sizeof(why)), 0);
	assert_int_equal(map.nr, 6);

	c = offline_chunk_lookup(&map, 10 * GIB + 12345);
	assert_non_null(c);
	assert_int_equal(offline_chunk_locate(c, 10 * GIB + 16384, 16384, loc), 2);
	assert_int_equal(loc[0].physical, 1 * GIB + 16384);
	assert_int_equal(loc[1].physical, 2 * GIB + 16384);

	/* RAID0: stripe 4 = device index 1, second row */
	c = offline_chunk_lookup(&map, 20 * GIB);
	assert_int_equal(offline_chunk_locate(c, 20 * GIB + 4 * SL + 100, 1000, loc), 1);
	assert_int_equal(loc[0].devid, 2);
	assert_int_equal(loc[0].physical, 2 * GIB + 1 * SL + 100);
	/* crossing a stripe boundary is refused */
	assert_int_equal(offline_chunk_locate(c, 20 * GIB + SL - 10, 20, loc), -EINVAL);

	/* RAID10: factor 2; stripe 3 -> pair 1 (devices 3 and 4), row 1 */
	c = offline_chunk_lookup(&map, 30 * GIB + 1);
	assert_int_equal(offline_chunk_locate(c, 30 * GIB + 3 * SL, 4096, loc), 2);
	assert_int_equal(loc[0].devid, 3);
	assert_int_equal(loc[1].devid, 4);
	assert_int_equal(loc[0].physical, 3 * GIB + SL);

	/* RAID5 over 3: 2 data stripes per row, rotating; stripe 3 -> row 1,
	 * data index 1, device (1 + 1) % 3 = index 2 */
	c = offline_chunk_lookup(&map, 40 * GIB);
	assert_int_equal(offline_chunk_locate(c, 40 * GIB + 3 * SL + 5, 10, loc), 1);
	assert_int_equal(loc[0].devid, 3);
	assert_int_equal(loc[0].physical, 3 * GIB + SL + 5);
	/* RAID6 over 4: stripe 5 -> row 2, data index 1, device (1 + 2) % 4 = 3 */
	c = offline_chunk_lookup(&map, 50 * GIB);
	assert_int_equal(offline_chunk_locate(c, 50 * GIB + 5 * SL, 10, loc), 1);
	assert_int_equal(loc[0].devid, 4);
	assert_int_equal(loc[0].physical, 4 * GIB + 2 * SL);

	c = offline_chunk_lookup(&map, 60 * GIB);
	assert_int_equal(offline_chunk_locate(c, 60 * GIB, 16384, loc), 3);
	assert_int_equal(loc[2].devid, 3);

	assert_null(offline_chunk_lookup(&map, 11 * GIB));
	assert_null(offline_chunk_lookup(&map, 0));
	assert_null(offline_chunk_lookup(&map, UINT64_MAX));
	/* leaving the chunk */
	c = offline_chunk_lookup(&map, 10 * GIB);
	assert_int_equal(offline_chunk_locate(c, 11 * GIB - 4096, 8192, loc), -EINVAL);
	offline_chunk_map_free(&map);
}

static void test_chunk_bad_items(void **state)
{
	struct offline_chunk_map map = { 0 };
	uint8_t item[OFFLINE_CHUNK_ITEM_SIZE + 8 * OFFLINE_STRIPE_SIZE];
	char why[160];
	size_t len;

	(void)state;
	/* RAID1 with 3 stripes, RAID10 with odd count, two profiles, no type */
	len = make_chunk(item, GIB, BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_RAID1, 3, 0);
	assert_int_equal(offline_chunk_add(&map, GIB, item, len, why, sizeof(why)), -EINVAL);
	len = make_chunk(item, GIB, BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_RAID10, 3, 2);
	assert_int_equal(offline_chunk_add(&map, GIB, item, len, why, sizeof(why)), -EINVAL);
	len = make_chunk(item, GIB, BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_RAID1 |
			 BTRFS_BLOCK_GROUP_RAID0, 2, 0);
	assert_int_equal(offline_chunk_add(&map, GIB, item, len, why, sizeof(why)), -EINVAL);
	len = make_chunk(item, GIB, 0, 1, 0);
	assert_int_equal(offline_chunk_add(&map, GIB, item, len, why, sizeof(why)), -EINVAL);
	/* zero stripes, truncated item, zero length, wrapping end */
	len = make_chunk(item, GIB, BTRFS_BLOCK_GROUP_DATA, 1, 0);
	assert_int_equal(offline_chunk_add(&map, GIB, item, len - 1, why, sizeof(why)), -EINVAL);
	item[44] = 0;
	assert_int_equal(offline_chunk_add(&map, GIB, item, len, why, sizeof(why)), -EINVAL);
	len = make_chunk(item, 0, BTRFS_BLOCK_GROUP_DATA, 1, 0);
	assert_int_equal(offline_chunk_add(&map, GIB, item, len, why, sizeof(why)), -EINVAL);
	len = make_chunk(item, GIB, BTRFS_BLOCK_GROUP_DATA, 1, 0);
	assert_int_equal(offline_chunk_add(&map, UINT64_MAX - 10, item, len, why, sizeof(why)),
			 -EINVAL);
	/* overlap and duplicates */
	assert_int_equal(offline_chunk_add(&map, GIB, item, len, why, sizeof(why)), 0);
	assert_int_equal(offline_chunk_add(&map, GIB, item, len, why, sizeof(why)), 0);
	assert_int_equal(offline_chunk_add(&map, GIB + 4096, item, len, why, sizeof(why)), -EINVAL);
	assert_int_equal(offline_chunk_add(&map, GIB - 4096, item, len, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "overlaps"));
	assert_int_equal(map.nr, 1);
	/* system chunk array: bad key, truncated */
	{
		uint8_t arr[200] = { 0 };

		assert_int_equal(offline_chunk_load_sys_array(&map, arr, 100, why, sizeof(why)),
				 -EINVAL);
		assert_int_equal(offline_chunk_load_sys_array(&map, arr, 10, why, sizeof(why)),
				 -EINVAL);
	}
	offline_chunk_map_free(&map);
}

/* the members of set @id, ascending, in a buffer of the test's */
static const uint32_t *set_members(const struct offline_sets *s, uint32_t id, uint32_t *n)
{
	static uint32_t buf[4096];

	*n = offline_sets_count(s, id);
	assert_true(*n <= 4096);
	offline_sets_expand(s, id, buf);
	return buf;
}

static void test_sets(void **state)
{
	struct offline_sets s;
	uint32_t a[] = { 5 }, b[] = { 256 }, ab[] = { 5, 256 }, abc[] = { 5, 256, 300 };
	uint32_t ia, ib, iab, iab2, iabc, ie, n;
	const uint32_t *mem;

	(void)state;
	assert_int_equal(offline_sets_init(&s), 0);
	assert_int_equal(offline_sets_intern(&s, NULL, 0, &ie), 0);
	assert_int_equal(ie, OFFLINE_SET_EMPTY);
	assert_int_equal(offline_sets_intern(&s, a, 1, &ia), 0);
	assert_int_equal(offline_sets_intern(&s, b, 1, &ib), 0);
	assert_int_equal(offline_sets_intern(&s, ab, 2, &iab), 0);
	assert_int_equal(offline_sets_intern(&s, ab, 2, &iab2), 0);
	assert_int_equal(iab, iab2);
	assert_int_not_equal(ia, ib);
	/* an entry reached by a, then b, then ab again, then c: one union */
	{
		struct offline_bmap m = { 0 };
		struct offline_bmap_ent *ent;
		uint32_t c[] = { 300 };
		uint32_t ic, nsets;
		int created;

		ent = offline_bmap_get(&m, 4096, &created);
		assert_non_null(ent);
		assert_int_equal(offline_sets_intern(&s, c, 1, &ic), 0);
		assert_int_equal(offline_sets_add(&m, ent, ia), 0);
		assert_int_equal(offline_sets_add(&m, ent, ie), 0);
		assert_int_equal(offline_sets_add(&m, ent, ib), 0);
		assert_int_equal(offline_sets_add(&m, ent, iab), 0);
		nsets = s.nr;
		assert_int_equal(offline_sets_final(&s, &m, ent), 0);
		assert_int_equal(ent->set, iab);
		assert_int_equal(s.nr, nsets);	/* nothing but the union interned */
		assert_int_equal(ent->pending, 0);
		for (uint32_t k = 0; k < 20; k++)
			assert_int_equal(offline_sets_add(&m, ent, k % 2 ? ic : ia), 0);
		assert_int_equal(offline_sets_final(&s, &m, ent), 0);
		assert_int_equal(offline_sets_intern(&s, abc, 3, &iabc), 0);
		assert_int_equal(ent->set, iabc);
		/* a block reached from 1000 parents with sets {i}: one set of
		 * 1000 members, no intermediate unions */
		uint32_t singles[1000];

		for (uint32_t i = 0; i < 1000; i++) {
			uint32_t one = 999 - i;

			assert_int_equal(offline_sets_intern(&s, &one, 1, &singles[i]), 0);
		}
		ent = offline_bmap_get(&m, 8192, &created);
		nsets = s.nr;
		for (uint32_t i = 0; i < 1000; i++)
			assert_int_equal(offline_sets_add(&m, ent, singles[i]), 0);
		assert_int_equal(offline_sets_final(&s, &m, ent), 0);
		assert_int_equal(s.nr, nsets + 1);
		mem = set_members(&s, ent->set, &n);
		assert_int_equal(n, 1000);
		for (uint32_t i = 0; i < n; i++)
			assert_int_equal(mem[i], i);
		/* six sets over a sparse range of members: sorted by qsort */
		ent = offline_bmap_get(&m, 12288, &created);
		for (uint32_t i = 0; i < 6; i++) {
			uint32_t two[2] = { 5000 - i * 7, 90000 + i }, id;

			assert_int_equal(offline_sets_intern(&s, two, 2, &id), 0);
			assert_int_equal(offline_sets_add(&m, ent, id), 0);
		}
		assert_int_equal(offline_sets_final(&s, &m, ent), 0);
		mem = set_members(&s, ent->set, &n);
		assert_int_equal(n, 12);
		for (uint32_t i = 0; i < 6; i++) {
			assert_int_equal(mem[i], 5000 - (5 - i) * 7);
			assert_int_equal(mem[6 + i], 90000 + i);
		}
		offline_bmap_free(&m);
	}
	mem = set_members(&s, iabc, &n);
	assert_int_equal(n, 3);
	assert_int_equal(mem[2], 300);
	/* many distinct sets survive table growth and keep their ids */
	for (uint32_t i = 0; i < 5000; i++) {
		uint32_t pair[2] = { i, i + 100000 };
		uint32_t id, id2;

		assert_int_equal(offline_sets_intern(&s, pair, 2, &id), 0);
		assert_int_equal(offline_sets_intern(&s, pair, 2, &id2), 0);
		assert_int_equal(id, id2);
		mem = set_members(&s, id, &n);
		assert_int_equal(n, 2);
		assert_int_equal(mem[1], i + 100000);
	}
	assert_int_equal(offline_sets_intern(&s, ab, 2, &iab2), 0);
	assert_int_equal(iab2, iab);
	offline_sets_free(&s);
}

/* the runs of a snapshot series: sets of consecutive indices that overlap
 * or touch are joined into one run, by pairs and by sorting */
static void test_sets_runs(void **state)
{
	struct offline_sets s;
	struct offline_bmap m = { 0 };
	struct offline_bmap_ent *ent;
	const struct offline_run *run;
	uint32_t ids[100], set[8], n, nr;
	const uint32_t *mem;
	int created;

	(void)state;
	assert_int_equal(offline_sets_init(&s), 0);
	/* [10, 29], [30, 39], [35, 59] (pairwise): one run [10, 59] */
	for (uint32_t k = 0; k < 3; k++) {
		uint32_t lo = k == 0 ? 10 : k == 1 ? 30 : 35, hi = k == 0 ? 29 : k == 1 ? 39 : 59;

		for (uint32_t i = lo; i <= hi; i++)
			ids[i - lo] = i;
		assert_int_equal(offline_sets_intern(&s, ids, hi - lo + 1, &set[k]), 0);
		run = offline_sets_runs(&s, set[k], &nr);
		assert_int_equal(nr, 1);
		assert_int_equal(run[0].lo, lo);
		assert_int_equal(run[0].hi, hi);
	}
	ent = offline_bmap_get(&m, 4096, &created);
	for (uint32_t k = 0; k < 3; k++)
		assert_int_equal(offline_sets_add(&m, ent, set[k]), 0);
	assert_int_equal(offline_sets_final(&s, &m, ent), 0);
	run = offline_sets_runs(&s, ent->set, &nr);
	assert_int_equal(nr, 1);
	assert_int_equal(run[0].lo, 10);
	assert_int_equal(run[0].hi, 59);
	assert_int_equal(offline_sets_count(&s, ent->set), 50);
	/* eight singletons {7}, {6}, ... {0} and a gap at 3 (sorted): runs
	 * [0, 2] and [4, 7] */
	ent = offline_bmap_get(&m, 8192, &created);
	for (uint32_t k = 0; k < 8; k++) {
		uint32_t one = 7 - k;

		if (one == 3)
			one = 2;	/* a repeat instead of 3 */
		assert_int_equal(offline_sets_intern(&s, &one, 1, &set[k]), 0);
		assert_int_equal(offline_sets_add(&m, ent, set[k]), 0);
	}
	assert_int_equal(offline_sets_final(&s, &m, ent), 0);
	run = offline_sets_runs(&s, ent->set, &nr);
	assert_int_equal(nr, 2);
	assert_int_equal(run[0].lo, 0);
	assert_int_equal(run[0].hi, 2);
	assert_int_equal(run[1].lo, 4);
	assert_int_equal(run[1].hi, 7);
	mem = set_members(&s, ent->set, &n);
	assert_int_equal(n, 7);
	assert_int_equal(mem[3], 4);
	/* the same members interned from a list: the same set */
	{
		uint32_t list[] = { 0, 1, 2, 4, 5, 6, 7 }, id;

		assert_int_equal(offline_sets_intern(&s, list, 7, &id), 0);
		assert_int_equal(id, ent->set);
	}
	offline_bmap_free(&m);
	offline_sets_free(&s);
}

static void test_bmap(void **state)
{
	struct offline_bmap m = { 0 };
	struct offline_bmap_ent *e;
	int created;

	(void)state;
	assert_null(offline_bmap_find(&m, 4096));
	for (uint64_t i = 1; i <= 20000; i++) {
		e = offline_bmap_get(&m, i * 16384, &created);
		assert_non_null(e);
		assert_true(created);
		e->size = i;
	}
	e = offline_bmap_get(&m, 16384 * 77, &created);
	assert_false(created);
	assert_int_equal(e->size, 77);
	assert_int_equal(m.nr, 20000);
	assert_null(offline_bmap_find(&m, 16384 * 20001));
	assert_null(offline_bmap_get(&m, 0, &created));	/* 0 is never a block */
	offline_bmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c_vectors),
		cmocka_unit_test(test_xxhash_vectors),
		cmocka_unit_test(test_sha256_blake2_vectors),
		cmocka_unit_test(test_csum_verify),
		cmocka_unit_test(test_chunk_profiles),
		cmocka_unit_test(test_chunk_bad_items),
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_sets_runs),
		cmocka_unit_test(test_bmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
