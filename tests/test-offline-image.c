// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-offline-image.c - the offline engine over a real (kernel-made)
 * image in memory: a scan, an interrupted scan resumed from its checkpoint
 * block by block, the freed-bytes answer, and corrupt input (bad checksums,
 * one bad mirror, items leaving the block, keys out of order, absurd
 * counts, a node pointing to itself, a slot key its child does not start
 * with, zeroed superblock, truncation): each a
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
#include <sys/stat.h>
#include <xxhash.h>
#include <cmocka.h>

#include "le.h"
#include "offline/offline-csum.h"
#include "offline/offline-engine.h"
#include "offline/offline-fs.h"
#include "offline/offline-tree.h"

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
		assert_int_equal(offline_block_read(&fs, bytenr, level, 0, 1, b), 0);
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
}

/* ---- checkpoints that cannot be used: one warning, a fresh scan ---- */

static int nr_warnings;
static char last_warning[1024];

static void on_warn(const char *msg, void *ctx)
{
	(void)ctx;
	nr_warnings++;
	snprintf(last_warning, sizeof(last_warning), "%s", msg);
}

/* scan with checkpoint @ck (cancelled after the first block with @cancel_early) */
static int scan_ck(const char *ck, bool cancel_early, struct qgroup_model *m,
		   struct offline_engine **keep)
{
	struct offline_engine *e;
	atomic_int cancel = 0;
	char err[512];
	int ret;

	nr_warnings = 0;
	last_warning[0] = '\0';
	qgroup_model_init(m);
	assert_int_equal(offline_engine_open_mem(image, image_size, true, &e, err, sizeof(err)), 0);
	offline_engine_set_warn(e, on_warn, NULL);
	ret = offline_engine_scan(e, m, cancel_early ? cancel_now : NULL, &cancel, &cancel, ck);
	if (keep)
		*keep = e;
	else
		offline_engine_close(e);
	return ret;
}

static void assert_same_numbers(const struct qgroup_model *a, const struct qgroup_model *b)
{
	assert_int_equal(a->nr_qgroups, b->nr_qgroups);
	for (size_t i = 0; i < a->nr_qgroups; i++) {
		assert_int_equal(a->qgroups[i].id, b->qgroups[i].id);
		assert_int_equal(a->qgroups[i].rfer, b->qgroups[i].rfer);
		assert_int_equal(a->qgroups[i].excl, b->qgroups[i].excl);
	}
}

static void put_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* the checksum after a change to the content, so only the later checks see it */
static void reseal(uint8_t *ck, size_t n)
{
	uint64_t sum = XXH64(ck + 24, n - 24, 0), clen = n - 24;

	memcpy(ck + 8, &clen, 8);
	memcpy(ck + 16, &sum, 8);
}

static void test_checkpoint_bad(void **state)
{
	struct qgroup_model ref, m;
	char dir[] = "/tmp/qgtop-ckbad-XXXXXX", ck[64], tmp[80];
	uint8_t *good;
	size_t len;
	FILE *f;
	struct {
		const char *what, *why;
		size_t cut;		/* truncate to this many bytes (0: keep) */
		size_t at;		/* patch offset (0: none) */
		uint8_t xor_byte;
		bool reseal;
	} cases[] = {
		{ "empty file", "truncated", 0, 0, 0, false },
		{ "cut in the header", "truncated", 10, 0, 0, false },
		{ "cut in the content", "truncated", 1, 0, 0, false },	/* len - 1 */
		{ "flipped byte", "checksum mismatch", 0, 100, 0x40, false },
		{ "foreign", "of another filesystem", 0, 24, 0xff, true },
		{ "stale", "another generation", 0, 40, 0x01, true },
		{ "older format", "another qgtop version", 0, 7, '4' ^ '3', false },
		{ "not a checkpoint", "not a qgtop checkpoint", 0, 0, 'Q' ^ 'X', false },
		{ "absurd set count", "set count larger than the file", 0, 83, 0x7f, true },
		{ "bad level", "does not match", 0, 63, 0x10, true },
		/* the whole state loads, then the check at its end fails: the
		 * engine must forget all of it */
		{ "trailing bytes", "bytes after the end", 2, 0, 0, true },
	};

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(ck, sizeof(ck), "%s/ck", dir);
	snprintf(tmp, sizeof(tmp), "%s/.ck.tmp", dir);
	assert_int_equal(scan_ck(NULL, false, &ref, NULL), 0);
	/* a good checkpoint, saved at a cancel after one block */
	assert_int_equal(scan_ck(ck, true, &m, NULL), -ECANCELED);
	assert_int_equal(nr_warnings, 0);
	qgroup_model_free(&m);
	f = fopen(ck, "r");
	assert_non_null(f);
	good = malloc(1 << 24);
	assert_non_null(good);
	len = fread(good, 1, 1 << 24, f);
	fclose(f);
	assert_true(len > 100 && len < (1 << 24));
	{
		struct stat st;

		assert_int_equal(stat(ck, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		assert_int_not_equal(access(tmp, F_OK), 0);
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t *bad = calloc(1, len + 8);
		size_t n = len;

		assert_non_null(bad);
		memcpy(bad, good, len);
		if (i == 0)
			n = 0;
		else if (cases[i].cut == 1)
			n = len - 1;
		else if (cases[i].cut == 2)
			n = len + 8;
		else if (cases[i].cut)
			n = cases[i].cut;
		if (cases[i].at)
			bad[cases[i].at] ^= cases[i].xor_byte;
		else if (cases[i].xor_byte)
			bad[0] ^= cases[i].xor_byte;
		if (cases[i].reseal)
			reseal(bad, n);
		put_file(ck, bad, n);
		free(bad);
		/* one warning naming the file and the cause, exact numbers */
		assert_int_equal(scan_ck(ck, false, &m, NULL), 0);
		print_message("%s: %s\n", cases[i].what, last_warning);
		assert_int_equal(nr_warnings, 1);
		assert_non_null(strstr(last_warning, ck));
		assert_non_null(strstr(last_warning, cases[i].why));
		assert_non_null(strstr(last_warning, "starts over"));
		assert_same_numbers(&ref, &m);
		qgroup_model_free(&m);
		assert_int_not_equal(access(ck, F_OK), 0);	/* done: removed */
	}
	/* a corrupt file is replaced by the next save, which then resumes */
	put_file(ck, "QGTOPCK5 garbage", 16);
	assert_int_equal(scan_ck(ck, true, &m, NULL), -ECANCELED);
	assert_int_equal(nr_warnings, 1);
	qgroup_model_free(&m);
	assert_int_equal(scan_ck(ck, false, &m, NULL), 0);
	assert_int_equal(nr_warnings, 0);
	assert_same_numbers(&ref, &m);
	qgroup_model_free(&m);
	/* something that is not a file: ignored, never read (a FIFO would block) */
	assert_int_equal(mkfifo(ck, 0600), 0);
	assert_int_equal(scan_ck(ck, false, &m, NULL), 0);
	assert_int_equal(nr_warnings, 1);
	assert_non_null(strstr(last_warning, "not a regular file"));
	assert_same_numbers(&ref, &m);
	qgroup_model_free(&m);
	unlink(ck);
	if (geteuid() == 0) {
		/* a checkpoint another user could have crafted */
		put_file(ck, good, len);
		assert_int_equal(chown(ck, 65534, 65534), 0);
		assert_int_equal(scan_ck(ck, false, &m, NULL), 0);
		assert_int_equal(nr_warnings, 1);
		assert_non_null(strstr(last_warning, "owned by another user"));
		assert_same_numbers(&ref, &m);
		qgroup_model_free(&m);
		unlink(ck);
	}
	free(good);
	qgroup_model_free(&ref);
	assert_int_equal(rmdir(dir), 0);
}

/* saves that fail: a periodic one warns once and the scan goes on; the
 * one at a cancel is reported as not saved */
static void test_checkpoint_save_fails(void **state)
{
	struct qgroup_model ref, m;
	struct offline_engine *e;
	char dir[] = "/tmp/qgtop-ckfail-XXXXXX", ck[64], tmp[80], victim[80];
	atomic_int cancel = 0;
	char err[512];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(ck, sizeof(ck), "%s/ck", dir);
	snprintf(tmp, sizeof(tmp), "%s/.ck.tmp", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	assert_int_equal(scan_ck(NULL, false, &ref, NULL), 0);
	/* a symbolic link planted at the temporary name: every save fails and
	 * nothing is written through it */
	put_file(victim, "keep", 4);
	assert_int_equal(symlink(victim, tmp), 0);
	nr_warnings = 0;
	qgroup_model_init(&m);
	assert_int_equal(offline_engine_open_mem(image, image_size, true, &e, err, sizeof(err)), 0);
	offline_engine_set_warn(e, on_warn, NULL);
	offline_engine_set_checkpoint_interval(e, 0);
	assert_int_equal(offline_engine_scan(e, &m, NULL, NULL, &cancel, ck), 0);
	offline_engine_close(e);
	print_message("periodic: %s\n", last_warning);
	assert_int_equal(nr_warnings, 1);
	assert_non_null(strstr(last_warning, "cannot save progress to"));
	assert_non_null(strstr(last_warning, "symbolic link"));
	assert_non_null(strstr(last_warning, "the scan goes on"));
	assert_same_numbers(&ref, &m);
	qgroup_model_free(&m);
	{
		char buf[8] = { 0 };
		FILE *f = fopen(victim, "r");

		assert_non_null(f);
		assert_int_equal(fread(buf, 1, sizeof(buf), f), 4);
		fclose(f);
		assert_string_equal(buf, "keep");
	}
	/* the save at a cancel fails: still -ECANCELED, status says why */
	assert_int_equal(scan_ck(ck, true, &m, &e), -ECANCELED);
	assert_true(offline_engine_checkpoint_status(e) < 0);
	print_message("cancel: %s; %s\n", offline_engine_error(e), offline_engine_checkpoint_error(e));
	/* the error names the phase, the checkpoint error the failed save */
	assert_non_null(strstr(offline_engine_error(e), "interrupted"));
	assert_non_null(strstr(offline_engine_checkpoint_error(e), "cannot save progress to"));
	offline_engine_close(e);
	qgroup_model_free(&m);
	assert_int_not_equal(access(ck, F_OK), 0);
	/* and when it works, the status says so */
	unlink(tmp);
	assert_int_equal(scan_ck(ck, true, &m, &e), -ECANCELED);
	assert_int_equal(offline_engine_checkpoint_status(e), 1);
	offline_engine_close(e);
	qgroup_model_free(&m);
	unlink(ck);
	unlink(victim);
	qgroup_model_free(&ref);
	assert_int_equal(rmdir(dir), 0);
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

struct find_leafmost {
	uint64_t parents[64];		/* subvolumes some ROOT_BACKREF names */
	size_t nr_parents;
	uint64_t bytenr;		/* a node of a subvolume that is nobody's parent */
	uint64_t id;
};

static int backref_cb(const struct offline_key *k, const uint8_t *d, uint32_t size, void *ctx)
{
	struct find_leafmost *f = ctx;

	(void)d;
	(void)size;
	if (k->type == 144 && f->nr_parents < 64)
		f->parents[f->nr_parents++] = k->offset;
	return 0;
}

static int leafmost_cb(const struct offline_key *k, const uint8_t *d, uint32_t size, void *ctx)
{
	struct find_leafmost *f = ctx;
	bool parent = false;

	for (size_t i = 0; i < f->nr_parents; i++)
		parent |= f->parents[i] == k->objectid;
	if (k->type == 132 && k->objectid > 256 && k->objectid < (uint64_t)-256 && !parent &&
	    size >= 239 && d[238] > 0 && !f->bytenr) {
		f->bytenr = get_le64(d + 176);
		f->id = k->objectid;
	}
	return 0;
}

/* slot 1 of a node claims a key its child does not start with */
static void shift_slot1_key(uint8_t *b, uint32_t ns, uint64_t bytenr)
{
	uint8_t *off = b + 101 + 33 + 9;	/* key offset of slot 1 */
	uint64_t v = get_le64(off) + 1;

	(void)ns;
	(void)bytenr;
	assert_true(b[100] > 0 && offline_block_nritems(b) >= 2);
	for (int i = 0; i < 8; i++)
		off[i] = (uint8_t)(v >> (8 * i));
	if (offline_block_nritems(b) > 2) {	/* still below slot 2 */
		struct offline_key k1, k2;

		offline_block_key(b, 1, &k1);
		offline_block_key(b, 2, &k2);
		assert_true(offline_key_cmp(&k1, &k2) < 0);
	}
}

/* the top-down scan reads subvolume trees no tree walk reads (a snapshot
 * nobody nests in): it too refuses a child whose first key is not the one
 * its parent has for it */
static void test_scan_first_key(void **state)
{
	struct find_leafmost f = { { 0 }, 0, 0, 0 };
	struct offline_fs fs;
	struct qgroup_model m;
	char err[512] = "";
	uint8_t *img;

	(void)state;
	assert_int_equal(offline_fs_open_mem(&fs, image, image_size, true), 0);
	assert_int_equal(offline_tree_walk(&fs, 1, fs.sb.root, fs.sb.root_level, 0, NULL, NULL,
					   backref_cb, &f), 0);
	assert_int_equal(offline_tree_walk(&fs, 1, fs.sb.root, fs.sb.root_level, 0, NULL, NULL,
					   leafmost_cb, &f), 0);
	offline_fs_close(&fs);
	if (!f.bytenr)
		skip();	/* every such subvolume is a single leaf in this image */
	img = copy_image();
	patch_block(img, f.bytenr, shift_slot1_key, true, false);
	qgroup_model_init(&m);
	assert_int_equal(scan_mem(img, image_size, true, &m, err, sizeof(err)), -EINVAL);
	qgroup_model_free(&m);
	print_message("subvolume %llu: %s\n", (unsigned long long)f.id, err);
	assert_non_null(strstr(err, "bad tree block"));
	assert_non_null(strstr(err, "fs tree"));
	assert_true(strstr(err, "differs from the key its parent has for it") ||
		    strstr(err, "another parent at a different key"));
	assert_null(strchr(err, '\n'));
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
		cmocka_unit_test(test_checkpoint_bad),
		cmocka_unit_test(test_checkpoint_save_fails),
		cmocka_unit_test(test_freed),
		cmocka_unit_test(test_bad_csum),
		cmocka_unit_test(test_item_oob),
		cmocka_unit_test(test_keys_order),
		cmocka_unit_test(test_absurd_count),
		cmocka_unit_test(test_self_pointer),
		cmocka_unit_test(test_scan_first_key),
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
