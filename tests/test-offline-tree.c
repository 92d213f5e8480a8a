// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-offline-tree.c - the tree walk's checks on small trees built in
 * memory (a one-chunk, one-device filesystem with crc32c-signed blocks):
 * a correct tree walks in order, with key-range pruning; a child whose
 * first key differs from its slot key, one with a key at or past the next
 * slot, an empty child, a node whose slots share one child (the tower that
 * made walks exponential), a block reached twice because the image changed
 * under the walk, bad addresses, and a cancel flag set mid-walk.
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

#include "le.h"
#include "offline/offline-chunk.h"
#include "offline/offline-csum.h"
#include "offline/offline-fs.h"
#include "offline/offline-tree.h"

#define NS 4096u
#define NBLK 64
#define BASE (1ULL << 20)	/* logical address of block 0 */
#define GEN 7

static uint8_t dev[NBLK * NS];

static void put_key(uint8_t *p, const struct offline_key *k)
{
	put_le64(p, k->objectid);
	p[8] = k->type;
	put_le64(p + 9, k->offset);
}

static uint64_t addr(int i)
{
	return BASE + (uint64_t)i * NS;
}

static uint8_t *blk(int i)
{
	return dev + (size_t)i * NS;
}

static void sign(int i)
{
	assert_int_equal(offline_csum_compute(OFFLINE_CSUM_CRC32C, blk(i) + 32, NS - 32, blk(i)), 0);
}

static void header(int i, uint8_t level, uint32_t nr)
{
	uint8_t *b = blk(i);

	memset(b, 0, NS);
	put_le64(b + 48, addr(i));
	put_le64(b + 80, GEN);
	put_le64(b + 88, 1);
	put_le32(b + 96, nr);
	b[100] = level;
}

/* leaf @i with @n items of 8 bytes each, item data = its index */
static void leaf(int i, const struct offline_key *keys, uint32_t n)
{
	uint32_t data_end = NS - OFFLINE_HEADER_SIZE;

	header(i, 0, n);
	for (uint32_t j = 0; j < n; j++) {
		uint8_t *p = blk(i) + OFFLINE_HEADER_SIZE + (size_t)j * OFFLINE_ITEM_SIZE;
		uint32_t off = data_end - (j + 1) * 8;

		put_key(p, &keys[j]);
		put_le32(p + 17, off);
		put_le32(p + 21, 8);
		put_le64(blk(i) + OFFLINE_HEADER_SIZE + off, j);
	}
	sign(i);
}

static void node(int i, uint8_t level, const struct offline_key *keys, const int *child, uint32_t n)
{
	header(i, level, n);
	for (uint32_t j = 0; j < n; j++) {
		uint8_t *p = blk(i) + OFFLINE_HEADER_SIZE + (size_t)j * OFFLINE_PTR_SIZE;

		put_key(p, &keys[j]);
		put_le64(p + 17, addr(child[j]));
		put_le64(p + 25, GEN);
	}
	sign(i);
}

static void fs_init(struct offline_fs *fs)
{
	uint8_t item[OFFLINE_CHUNK_ITEM_SIZE + OFFLINE_STRIPE_SIZE] = { 0 };
	char why[160];

	memset(fs, 0, sizeof(*fs));
	fs->sb.nodesize = NS;
	fs->sb.sectorsize = NS;
	fs->sb.csum_type = OFFLINE_CSUM_CRC32C;
	fs->sb.devid = 1;
	fs->verify_csum = true;
	fs->devs = calloc(1, sizeof(*fs->devs));
	assert_non_null(fs->devs);
	fs->nr_devs = 1;
	fs->devs[0].fd = -1;
	fs->devs[0].mem = dev;
	fs->devs[0].size = sizeof(dev);
	fs->devs[0].path = strdup("memory");
	fs->devs[0].sb.devid = 1;
	/* one SINGLE metadata chunk over the whole device */
	put_le64(item, sizeof(dev));
	put_le64(item + 16, 65536);
	put_le64(item + 24, BTRFS_BLOCK_GROUP_METADATA);
	item[44] = 1;
	item[OFFLINE_CHUNK_ITEM_SIZE] = 1;	/* devid 1 at physical 0 */
	assert_int_equal(offline_chunk_add(&fs->map, BASE, item, sizeof(item), why, sizeof(why)), 0);
}

#define K(o, t, off) ((struct offline_key){ (o), (t), (off) })

struct count {
	unsigned items;
	uint64_t last;
	int (*hook)(struct count *c);
	atomic_int *cancel;
};

static int count_item(const struct offline_key *k, const uint8_t *d, uint32_t size, void *ctx)
{
	struct count *c = ctx;

	(void)d;
	assert_int_equal(size, 8);
	if (c->items)
		assert_true(k->objectid > c->last);
	c->last = k->objectid;
	c->items++;
	if (c->cancel)
		atomic_store(c->cancel, 1);
	return c->hook ? c->hook(c) : 0;
}

/* leaves 1..3 with objectids 10-12, 20-22, 30-32 under node 0 */
static void three_leaves(void)
{
	struct offline_key k[3];
	int child[3] = { 1, 2, 3 };
	struct offline_key slots[3] = { K(10, 1, 0), K(20, 1, 0), K(30, 1, 0) };

	for (int l = 0; l < 3; l++) {
		for (int j = 0; j < 3; j++)
			k[j] = K((uint64_t)(10 * (l + 1) + j), 1, 0);
		leaf(l + 1, k, 3);
	}
	node(0, 1, slots, child, 3);
}

static int walk(struct offline_fs *fs, int root, int level, const struct offline_key *min,
		const struct offline_key *max, struct count *c)
{
	int ret = offline_tree_walk(fs, 1, addr(root), level, 0, min, max, count_item, c);

	if (ret)
		print_message("walk: %d %s\n", ret, fs->err);
	return ret;
}

static void test_walk_ok(void **state)
{
	struct offline_fs fs;
	struct count c = { 0 };
	struct offline_key min = K(21, 0, 0), max = K(30, 255, UINT64_MAX);

	(void)state;
	fs_init(&fs);
	three_leaves();
	assert_int_equal(walk(&fs, 0, 1, NULL, NULL, &c), 0);
	assert_int_equal(c.items, 9);
	assert_int_equal(fs.bytes_read, 4 * NS);
	/* a range reads only the leaves that can hold it */
	memset(&c, 0, sizeof(c));
	fs.bytes_read = 0;
	assert_int_equal(walk(&fs, 0, 1, &min, &max, &c), 0);
	assert_int_equal(c.items, 3);	/* 21, 22, 30 */
	assert_int_equal(fs.bytes_read, 3 * NS);
	offline_fs_close(&fs);
}

static void expect_bad(struct offline_fs *fs, int root, int level, int bad_block, const char *why)
{
	struct count c = { 0 };
	char want[64];

	assert_int_equal(walk(fs, root, level, NULL, NULL, &c), -EINVAL);
	snprintf(want, sizeof(want), "bad tree block %llu of the root tree: ",
		 (unsigned long long)addr(bad_block));
	assert_non_null(strstr(fs->err, want));
	assert_non_null(strstr(fs->err, why));
	assert_null(strchr(fs->err, '\n'));
}

static void test_first_key(void **state)
{
	struct offline_fs fs;
	struct offline_key slots[3] = { K(10, 1, 0), K(19, 1, 0), K(30, 1, 0) };
	int child[3] = { 1, 2, 3 };

	(void)state;
	fs_init(&fs);
	three_leaves();
	/* the parent says leaf 2 starts at 19; it starts at 20 */
	node(0, 1, slots, child, 3);
	expect_bad(&fs, 0, 1, 2, "first key (20 INODE_ITEM 0) differs from the key (19 INODE_ITEM 0)");
	offline_fs_close(&fs);
}

static void test_next_key(void **state)
{
	struct offline_fs fs;
	struct offline_key k[3] = { K(20, 1, 0), K(25, 1, 0), K(30, 1, 0) };

	(void)state;
	fs_init(&fs);
	three_leaves();
	/* leaf 2 holds 30, where slot 3 (leaf 3) starts */
	leaf(2, k, 3);
	expect_bad(&fs, 0, 1, 2, "key (30 INODE_ITEM 0) is not below (30 INODE_ITEM 0)");
	/* the last slot's bound is the one its parent had: a level-2 root over
	 * node 0 (10..) and node 4 (40..), with leaf 3 reaching 40 */
	{
		struct offline_key top[2] = { K(10, 1, 0), K(40, 1, 0) };
		struct offline_key l3[3] = { K(30, 1, 0), K(31, 1, 0), K(40, 1, 0) };
		struct offline_key s4[1] = { K(40, 1, 0) };
		struct offline_key l5[1] = { K(40, 1, 0) };
		int c2[2] = { 0, 4 }, c4[1] = { 5 };

		three_leaves();
		leaf(3, l3, 3);
		leaf(5, l5, 1);
		node(4, 1, s4, c4, 1);
		node(6, 2, top, c2, 2);
		expect_bad(&fs, 6, 2, 3, "key (40 INODE_ITEM 0) is not below (40 INODE_ITEM 0)");
	}
	offline_fs_close(&fs);
}

static void test_empty_child(void **state)
{
	struct offline_fs fs;

	(void)state;
	fs_init(&fs);
	three_leaves();
	leaf(3, NULL, 0);
	expect_bad(&fs, 0, 1, 3, "without items");
	/* an empty root leaf is a valid empty tree */
	{
		struct count c = { 0 };

		assert_int_equal(walk(&fs, 3, 0, NULL, NULL, &c), 0);
		assert_int_equal(c.items, 0);
	}
	offline_fs_close(&fs);
}

/* a root node whose slots (increasing keys) all point at one node whose
 * slots all point at leaf 1: unchecked, a walk reads leaf 1 slots^2 times */
static void test_tower(void **state)
{
	uint32_t slots = (NS - OFFLINE_HEADER_SIZE) / OFFLINE_PTR_SIZE;
	struct offline_key *k = calloc(slots, sizeof(*k));
	int *to_leaf = calloc(slots, sizeof(int)), *to_node = calloc(slots, sizeof(int));
	struct offline_key lk[1] = { K(10, 1, 0) };
	struct offline_fs fs;

	(void)state;
	assert_non_null(k);
	assert_non_null(to_leaf);
	assert_non_null(to_node);
	for (uint32_t i = 0; i < slots; i++) {
		k[i] = K(10, 1, i);
		to_leaf[i] = 1;
		to_node[i] = 2;
	}
	fs_init(&fs);
	leaf(1, lk, 1);
	node(2, 1, k, to_leaf, slots);
	node(3, 2, k, to_node, slots);
	expect_bad(&fs, 3, 2, 2, "is not below (10 INODE_ITEM 1)");
	assert_true(fs.bytes_read <= 2 * NS);
	/* a node one level up, slots all on leaf 1, keys beyond the leaf: the
	 * bounds hold for slot 0; slot 1 reads leaf 1 again */
	for (uint32_t i = 0; i < slots; i++)
		k[i] = K(10 + 100 * i, 1, 0);
	node(2, 1, k, to_leaf, slots);
	fs.bytes_read = 0;
	expect_bad(&fs, 2, 1, 1, "second time");
	assert_true(fs.bytes_read <= 2 * NS);
	offline_fs_close(&fs);
	free(k);
	free(to_leaf);
	free(to_node);
}

/* leaf 1 is rewritten while the walk is inside it: now it starts where the
 * second slot (which also points at it) wants, so only the visited set
 * stands between the walk and reading it again */
static int rewrite_leaf(struct count *c)
{
	struct offline_key k[1] = { K(20, 1, 0) };

	(void)c;
	leaf(1, k, 1);
	return 0;
}

static void test_changed_under_us(void **state)
{
	struct offline_key slots[2] = { K(10, 1, 0), K(20, 1, 0) };
	struct offline_key lk[1] = { K(10, 1, 0) };
	int child[2] = { 1, 1 };
	struct offline_fs fs;
	struct count c = { 0 };

	(void)state;
	fs_init(&fs);
	leaf(1, lk, 1);
	node(0, 1, slots, child, 2);
	c.hook = rewrite_leaf;
	assert_int_equal(walk(&fs, 0, 1, NULL, NULL, &c), -EINVAL);
	assert_non_null(strstr(fs.err, "second time"));
	assert_int_equal(c.items, 1);
	offline_fs_close(&fs);
}

static void test_bad_address(void **state)
{
	struct offline_fs fs;
	struct count c = { 0 };

	(void)state;
	fs_init(&fs);
	three_leaves();
	assert_int_equal(offline_tree_walk(&fs, 1, 0, 1, 0, NULL, NULL, count_item, &c), -EINVAL);
	assert_non_null(strstr(fs.err, "not a valid tree block address"));
	assert_int_equal(offline_tree_walk(&fs, 1, addr(0) + 512, 1, 0, NULL, NULL, count_item,
					   &c), -EINVAL);
	assert_non_null(strstr(fs.err, "not a valid tree block address"));
	assert_int_equal(fs.bytes_read, 0);
	offline_fs_close(&fs);
}

static void test_cancel(void **state)
{
	struct offline_fs fs;
	atomic_int cancel = 0;
	struct count c = { 0 };

	(void)state;
	fs_init(&fs);
	three_leaves();
	fs.cancel = &cancel;
	/* set while in the first leaf: the next block read stops the walk */
	c.cancel = &cancel;
	assert_int_equal(walk(&fs, 0, 1, NULL, NULL, &c), -ECANCELED);
	assert_int_equal(c.items, 3);
	assert_int_equal(fs.bytes_read, 2 * NS);
	assert_string_equal(fs.err, "interrupted");
	/* set before: nothing is read */
	fs.bytes_read = 0;
	c.items = 0;
	assert_int_equal(offline_block_read(&fs, addr(0), -1, 0, 1, blk(NBLK - 1)), -ECANCELED);
	assert_int_equal(fs.bytes_read, 0);
	offline_fs_close(&fs);
}

static void test_check_bounds(void **state)
{
	struct offline_fs fs;
	struct offline_key first = K(20, 1, 0), next = K(23, 1, 0), low = K(22, 1, 0);

	(void)state;
	fs_init(&fs);
	three_leaves();	/* leaf 2: 20, 21, 22 */
	assert_int_equal(offline_tree_check_bounds(&fs, 1, addr(2), blk(2), NULL, NULL), 0);
	assert_int_equal(offline_tree_check_bounds(&fs, 1, addr(2), blk(2), &first, &next), 0);
	assert_int_equal(offline_tree_check_bounds(&fs, 1, addr(2), blk(2), NULL, &next), 0);
	assert_int_equal(offline_tree_check_bounds(&fs, 1, addr(2), blk(2), &first, NULL), 0);
	assert_int_equal(offline_tree_check_bounds(&fs, 1, addr(2), blk(2), &first, &low), -EINVAL);
	assert_int_equal(offline_tree_check_bounds(&fs, 1, addr(2), blk(2), &low, NULL), -EINVAL);
	assert_non_null(strstr(fs.err, "differs"));
	offline_fs_close(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_ok),
		cmocka_unit_test(test_first_key),
		cmocka_unit_test(test_next_key),
		cmocka_unit_test(test_empty_child),
		cmocka_unit_test(test_tower),
		cmocka_unit_test(test_changed_under_us),
		cmocka_unit_test(test_bad_address),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_check_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
