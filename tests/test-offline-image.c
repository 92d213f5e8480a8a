// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-offline-image.c - the offline engine over a real (kernel-made)
 * image in memory: a scan, an interrupted scan resumed from its checkpoint
 * block by block, the freed-bytes answer, and corrupt input (bad checksums,
 * one bad mirror, items leaving the block, keys out of order, absurd
 * counts, a node pointing to itself, zeroed superblock, truncation): each a
 * one-line error naming the block and tree, never a crash.
 * Usage: test-offline-image IMAGE (tests/offline-data.sh passes one).
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
#include <unistd.h>
#include <cmocka.h>

#include "le.h"
#include "offline-csum.h"
#include "offline-engine.h"
#include "offline-fs.h"
#include "offline-tree.h"

static uint8_t *image;
static size_t image_size;
static const char *image_path;

static uint8_t *copy_image(void)
{
	uint8_t *c = malloc(image_size);

	assert_non_null(c);
	memcpy(c, image, image_size);
	return c;
}

static int scan_mem(const uint8_t *img, size_t size, bool verify, struct qgroup_model *m,
		    char *err, size_t errlen)
{
	struct offline_engine *e;
	int ret = offline_engine_open_mem(img, size, verify, &e, err, errlen);

	if (ret)
		return ret;
	ret = offline_engine_scan(e, m, NULL, NULL, NULL, NULL);
	if (ret)
		snprintf(err, errlen, "%s", offline_engine_error(e));
	offline_engine_close(e);
	return ret;
}

typedef void (*patch_fn)(uint8_t *block, uint32_t nodesize, uint64_t bytenr);

/* apply @fn to the copies (all, or only the first) of tree block @bytenr,
 * re-checksumming unless @keep_csum */
static void patch_block(uint8_t *img, uint64_t bytenr, patch_fn fn, bool all, bool keep_csum)
{
	struct offline_loc loc[OFFLINE_MAX_MIRRORS];
	const struct offline_chunk *c;
	struct offline_fs fs;
	int n;

	assert_int_equal(offline_fs_open_mem(&fs, image, image_size, true), 0);
	c = offline_chunk_lookup(&fs.map, bytenr);
	assert_non_null(c);
	n = offline_chunk_locate(c, bytenr, fs.sb.nodesize, loc);
	assert_true(n >= 1);
	for (int i = 0; i < (all ? n : 1); i++) {
		uint8_t *b = img + loc[i].physical;

		assert_true(loc[i].physical + fs.sb.nodesize <= image_size);
		fn(b, fs.sb.nodesize, bytenr);
		if (!keep_csum)
			offline_csum_compute(fs.sb.csum_type, b + 32, fs.sb.nodesize - 32, b);
	}
	offline_fs_close(&fs);
}

/* the leftmost leaf of the root tree (the root itself when it is a leaf) */
static uint64_t root_tree_bytenr(void)
{
	struct offline_fs fs;
	uint64_t bytenr, gen;
	uint8_t *b;
	int level;

	assert_int_equal(offline_fs_open_mem(&fs, image, image_size, true), 0);
	b = malloc(fs.sb.nodesize);
	assert_non_null(b);
	bytenr = fs.sb.root;
	for (level = fs.sb.root_level; level > 0; level--) {
		assert_int_equal(offline_fs_read_block(&fs, bytenr, level, 0, 1, b), 0);
		offline_node_ptr(b, 0, &bytenr, &gen);
	}
	free(b);
	offline_fs_close(&fs);
	return bytenr;
}

static void flip_byte(uint8_t *b, uint32_t ns, uint64_t bytenr)
{
	(void)bytenr;
	b[ns / 2] ^= 0x5a;
}

static void item_oob(uint8_t *b, uint32_t ns, uint64_t bytenr)
{
	(void)bytenr;
	/* item 0 data offset: just inside, size past the end */
	b[101 + 17] = (uint8_t)((ns - 101 - 4) & 0xff);
	b[101 + 18] = (uint8_t)((ns - 101 - 4) >> 8);
	b[101 + 21] = 100;
}

static void keys_swapped(uint8_t *b, uint32_t ns, uint64_t bytenr)
{
	uint8_t tmp[17];

	(void)ns;
	(void)bytenr;
	memcpy(tmp, b + 101, 17);
	memcpy(b + 101, b + 101 + 25, 17);
	memcpy(b + 101 + 25, tmp, 17);
}

static void absurd_count(uint8_t *b, uint32_t ns, uint64_t bytenr)
{
	(void)ns;
	(void)bytenr;
	b[96] = 0xff;
	b[97] = 0xff;
	b[98] = 0xff;
}

static void point_to_self(uint8_t *b, uint32_t ns, uint64_t bytenr)
{
	(void)ns;
	assert_true(b[100] > 0);	/* a node */
	for (int i = 0; i < 8; i++)
		b[101 + 17 + i] = (uint8_t)(bytenr >> (8 * i));
}

static void expect_error(uint8_t *img, size_t size, const char *what1, const char *what2)
{
	struct qgroup_model m;
	char err[512] = "";
	int ret;

	qgroup_model_init(&m);
	ret = scan_mem(img, size, true, &m, err, sizeof(err));
	qgroup_model_free(&m);
	print_message("error: %s\n", err);
	assert_true(ret < 0);
	assert_null(strchr(err, '\n'));
	assert_non_null(strstr(err, what1));
	if (what2)
		assert_non_null(strstr(err, what2));
}

static void test_scan_ok(void **state)
{
	struct qgroup_model m;
	char err[512];

	(void)state;
	qgroup_model_init(&m);
	assert_int_equal(scan_mem(image, image_size, true, &m, err, sizeof(err)), 0);
	assert_true(m.nr_qgroups > 2);
	assert_true(m.fs.offline);
	for (size_t i = 0; i < m.nr_qgroups; i++) {
		assert_true(m.qgroups[i].has_stored);
		assert_int_equal(m.qgroups[i].rfer, m.qgroups[i].stored_rfer);
		assert_int_equal(m.qgroups[i].excl, m.qgroups[i].stored_excl);
	}
	qgroup_model_free(&m);
	/* without checksum checks (fuzzing mode) the same image scans the same */
	qgroup_model_init(&m);
	assert_int_equal(scan_mem(image, image_size, false, &m, err, sizeof(err)), 0);
	qgroup_model_free(&m);
}

static void cancel_now(const struct offline_progress *p, void *ctx)
{
	(void)p;
	atomic_store((atomic_int *)ctx, 1);
}

static void test_checkpoint_resume(void **state)
{
	struct qgroup_model ref, m;
	struct offline_engine *e;
	char err[512], ck[] = "/tmp/qgtop-ck-XXXXXX";
	int fd, ret, runs = 0;

	(void)state;
	fd = mkstemp(ck);
	assert_true(fd >= 0);
	close(fd);
	unlink(ck);
	qgroup_model_init(&ref);
	assert_int_equal(scan_mem(image, image_size, true, &ref, err, sizeof(err)), 0);
	/* each run reads one block, is cancelled, saves; the next resumes */
	do {
		atomic_int cancel = 0;

		qgroup_model_init(&m);
		assert_int_equal(offline_engine_open_mem(image, image_size, true, &e, err,
							 sizeof(err)), 0);
		ret = offline_engine_scan(e, &m, cancel_now, &cancel, &cancel, ck);
		offline_engine_close(e);
		runs++;
		if (ret == -ECANCELED) {
			assert_int_equal(access(ck, R_OK), 0);
			qgroup_model_free(&m);
		}
	} while (ret == -ECANCELED && runs < 100000);
	assert_int_equal(ret, 0);
	assert_true(runs > 3);
	assert_int_not_equal(access(ck, F_OK), 0);	/* removed when done */
	assert_int_equal(m.nr_qgroups, ref.nr_qgroups);
	for (size_t i = 0; i < m.nr_qgroups; i++) {
		assert_int_equal(m.qgroups[i].rfer, ref.qgroups[i].rfer);
		assert_int_equal(m.qgroups[i].excl, ref.qgroups[i].excl);
	}
	print_message("resumed %d times\n", runs);
	qgroup_model_free(&m);
	qgroup_model_free(&ref);
	/* a checkpoint of another filesystem is refused */
	{
		FILE *f = fopen(ck, "w");
		atomic_int cancel = 0;

		assert_non_null(f);
		fputs("QGTOPCK3 not this filesystem at all.........................", f);
		fclose(f);
		qgroup_model_init(&m);
		assert_int_equal(offline_engine_open_mem(image, image_size, true, &e, err,
							 sizeof(err)), 0);
		assert_int_equal(offline_engine_scan(e, &m, NULL, NULL, &cancel, ck), -EINVAL);
		assert_non_null(strstr(offline_engine_error(e), "checkpoint"));
		offline_engine_close(e);
		qgroup_model_free(&m);
		unlink(ck);
	}
}

static void test_freed(void **state)
{
	struct qgroup_model m;
	struct offline_engine *e;
	char err[512];
	uint64_t bytes, all_ids[64];
	size_t nr = 0;

	(void)state;
	qgroup_model_init(&m);
	assert_int_equal(offline_engine_open_mem(image, image_size, true, &e, err, sizeof(err)), 0);
	assert_int_equal(offline_engine_freed(e, all_ids, 0, &bytes), -EINVAL);	/* no scan */
	assert_int_equal(offline_engine_scan(e, &m, NULL, NULL, NULL, NULL), 0);
	for (size_t i = 0; i < m.nr_qgroups; i++) {
		struct qgroup *q = &m.qgroups[i];

		if (QGROUP_LEVEL(q->id))
			continue;
		/* one subvolume: exactly its exclusive bytes */
		assert_int_equal(offline_engine_freed(e, &q->id, 1, &bytes), 0);
		assert_int_equal(bytes, q->excl);
		if (nr < 64)
			all_ids[nr++] = q->id;
	}
	/* a level-1 qgroup's exclusive = freeing all its members */
	for (size_t i = 0; i < m.nr_qgroups; i++) {
		struct qgroup *q = &m.qgroups[i];
		uint64_t ids[64];
		size_t n = 0;
		bool leaf_only = true;

		if (QGROUP_LEVEL(q->id) != 1)
			continue;
		for (size_t j = 0; j < q->nr_children && n < 64; j++) {
			leaf_only &= QGROUP_LEVEL(q->children[j]) == 0;
			ids[n++] = q->children[j];
		}
		if (!leaf_only)
			continue;
		assert_int_equal(offline_engine_freed(e, ids, n, &bytes), 0);
		assert_int_equal(bytes, q->excl);
	}
	assert_int_equal(offline_engine_freed(e, all_ids, 0, &bytes), 0);
	assert_int_equal(bytes, 0);
	offline_engine_close(e);
	qgroup_model_free(&m);
}

static void test_bad_csum(void **state)
{
	uint8_t *img = copy_image();

	(void)state;
	/* one copy bad: the DUP mirror is used */
	patch_block(img, root_tree_bytenr(), flip_byte, false, true);
	{
		struct qgroup_model m;
		char err[512];

		qgroup_model_init(&m);
		assert_int_equal(scan_mem(img, image_size, true, &m, err, sizeof(err)), 0);
		qgroup_model_free(&m);
	}
	/* every copy bad: an error naming the block and the tree */
	free(img);
	img = copy_image();
	patch_block(img, root_tree_bytenr(), flip_byte, true, true);
	expect_error(img, image_size, "root tree", "checksum mismatch");
	free(img);
}

static void test_item_oob(void **state)
{
	uint8_t *img = copy_image();

	(void)state;
	patch_block(img, root_tree_bytenr(), item_oob, true, false);
	expect_error(img, image_size, "root tree", "leaves the block");
	free(img);
}

static void test_keys_order(void **state)
{
	uint8_t *img = copy_image();

	(void)state;
	patch_block(img, root_tree_bytenr(), keys_swapped, true, false);
	expect_error(img, image_size, "root tree", "out of order");
	free(img);
}

static void test_absurd_count(void **state)
{
	uint8_t *img = copy_image();

	(void)state;
	patch_block(img, root_tree_bytenr(), absurd_count, true, false);
	expect_error(img, image_size, "root tree", "item count");
	free(img);
}

struct find_node {
	uint64_t bytenr;
	uint8_t level;
};

static int root_item_cb(const struct offline_key *k, const uint8_t *d, uint32_t size, void *ctx)
{
	struct find_node *f = ctx;

	if (k->type == 132 && k->objectid >= 256 && size >= 239 && d[238] > 0 && !f->bytenr) {
		f->bytenr = get_le64(d + 176);
		f->level = d[238];
	}
	return 0;
}

static void test_self_pointer(void **state)
{
	struct find_node f = { 0, 0 };
	struct offline_fs fs;
	uint8_t *img;

	(void)state;
	assert_int_equal(offline_fs_open_mem(&fs, image, image_size, true), 0);
	assert_int_equal(offline_tree_walk(&fs, 1, fs.sb.root, fs.sb.root_level, 0, NULL, NULL,
					   root_item_cb, &f), 0);
	offline_fs_close(&fs);
	if (!f.bytenr)
		skip();	/* no subvolume tree with a node in this image */
	img = copy_image();
	patch_block(img, f.bytenr, point_to_self, true, false);
	expect_error(img, image_size, "fs tree", "expected");
	free(img);
}

static void test_bad_superblock(void **state)
{
	uint8_t *img = copy_image();
	struct qgroup_model m;
	char err[512];

	(void)state;
	qgroup_model_init(&m);
	/* truncated images */
	assert_true(scan_mem(img, 70000, true, &m, err, sizeof(err)) < 0);
	assert_int_equal(scan_mem(img, 60000, true, &m, err, sizeof(err)), -EINVAL);
	assert_true(scan_mem(img, 1 << 20, true, &m, err, sizeof(err)) < 0);
	print_message("truncated: %s\n", err);
	assert_non_null(strstr(err, "tree"));
	/* a flipped superblock byte: checksum */
	img[65536 + 200] ^= 1;
	assert_int_equal(scan_mem(img, image_size, true, &m, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "checksum"));
	/* zeroed */
	memset(img + 65536, 0, 4096);
	assert_int_equal(scan_mem(img, image_size, true, &m, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "magic"));
	qgroup_model_free(&m);
	free(img);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_ok),
		cmocka_unit_test(test_checkpoint_resume),
		cmocka_unit_test(test_freed),
		cmocka_unit_test(test_bad_csum),
		cmocka_unit_test(test_item_oob),
		cmocka_unit_test(test_keys_order),
		cmocka_unit_test(test_absurd_count),
		cmocka_unit_test(test_self_pointer),
		cmocka_unit_test(test_bad_superblock),
	};
	FILE *f;
	long sz;

	image_path = argc > 1 ? argv[1] : getenv("OFFLINE_IMAGE");
	if (!image_path) {
		fprintf(stderr, "usage: %s IMAGE\n", argv[0]);
		return 77;
	}
	f = fopen(image_path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (sz = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET))
		return 99;
	image_size = (size_t)sz;
	image = malloc(image_size);
	if (!image || fread(image, 1, image_size, f) != image_size)
		return 99;
	fclose(f);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
