// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-offline-paths.c - directory paths from INODE_REFs (offline-paths.c)
 * over a table of fake references: plain paths, one lookup per directory
 * however often it is asked for, self and mutual loops, a missing
 * reference, unusable names, the 4096-byte cap (a directory near the top
 * of a too deep chain still resolves), and errors passed through.
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

#include "offline/offline-paths.h"

#define MAX_INO 4000

struct fake {
	uint64_t parent[MAX_INO];
	char name[MAX_INO][OFFLINE_PATH_NAME_MAX + 1];
	unsigned calls[MAX_INO];
	int fail;		/* returned by every lookup when non-zero */
};

static int fake_ref(void *ctx, uint64_t root, uint64_t ino, uint64_t *parent, char *name)
{
	struct fake *f = ctx;

	assert_int_equal(root, 5);
	assert_true(ino < MAX_INO);
	f->calls[ino]++;
	if (f->fail)
		return f->fail;
	if (!f->parent[ino])
		return 1;
	*parent = f->parent[ino];
	strcpy(name, f->name[ino]);
	return 0;
}

static void dir(struct fake *f, uint64_t ino, uint64_t parent, const char *name)
{
	f->parent[ino] = parent;
	snprintf(f->name[ino], sizeof(f->name[ino]), "%s", name);
}

static struct fake *fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	return f;
}

static void test_plain(void **state)
{
	struct fake *f = fake_new();
	struct offline_paths p;
	const char *out;

	(void)state;
	dir(f, 257, 256, "home");
	dir(f, 258, 257, "alice");
	dir(f, 259, 258, "src");
	dir(f, 260, 256, "var");
	offline_paths_init(&p, fake_ref, f);
	assert_int_equal(offline_paths_dir(&p, 5, 256, &out), 0);
	assert_string_equal(out, "");
	assert_int_equal(offline_paths_dir(&p, 5, 259, &out), 0);
	assert_string_equal(out, "home/alice/src");
	assert_int_equal(offline_paths_dir(&p, 5, 258, &out), 0);
	assert_string_equal(out, "home/alice");
	assert_int_equal(offline_paths_dir(&p, 5, 260, &out), 0);
	assert_string_equal(out, "var");
	/* asked again and again: each directory was looked up once */
	for (int i = 0; i < 100; i++) {
		assert_int_equal(offline_paths_dir(&p, 5, 259, &out), 0);
		assert_int_equal(offline_paths_dir(&p, 5, 258, &out), 0);
	}
	for (int ino = 257; ino <= 260; ino++)
		assert_int_equal(f->calls[ino], 1);
	assert_int_equal(p.lookups, 4);
	offline_paths_free(&p);
	free(f);
}

static void test_loops(void **state)
{
	struct fake *f = fake_new();
	struct offline_paths p;
	const char *out = "x";

	(void)state;
	dir(f, 257, 257, "self");		/* its own parent */
	dir(f, 258, 257, "below-self");
	dir(f, 300, 301, "a");			/* a and b each other's parent */
	dir(f, 301, 300, "b");
	dir(f, 302, 301, "c");
	offline_paths_init(&p, fake_ref, f);
	assert_int_equal(offline_paths_dir(&p, 5, 257, &out), 0);
	assert_null(out);
	out = "x";
	assert_int_equal(offline_paths_dir(&p, 5, 258, &out), 0);
	assert_null(out);
	for (int i = 0; i < 50; i++) {
		out = "x";
		assert_int_equal(offline_paths_dir(&p, 5, 302, &out), 0);
		assert_null(out);
		assert_int_equal(offline_paths_dir(&p, 5, 300, &out), 0);
		assert_null(out);
	}
	assert_int_equal(f->calls[257], 1);
	assert_int_equal(f->calls[300], 1);
	assert_int_equal(f->calls[301], 1);
	assert_int_equal(f->calls[302], 1);
	offline_paths_free(&p);
	free(f);
}

static void test_missing_and_bad_names(void **state)
{
	struct fake *f = fake_new();
	struct offline_paths p;
	const char *out = "x";

	(void)state;
	dir(f, 258, 257, "orphaned");		/* 257 has no INODE_REF */
	dir(f, 259, 256, "");			/* empty name */
	dir(f, 260, 256, "a/b");		/* a slash would fake depth */
	offline_paths_init(&p, fake_ref, f);
	assert_int_equal(offline_paths_dir(&p, 5, 258, &out), 0);
	assert_null(out);
	out = "x";
	assert_int_equal(offline_paths_dir(&p, 5, 259, &out), 0);
	assert_null(out);
	out = "x";
	assert_int_equal(offline_paths_dir(&p, 5, 260, &out), 0);
	assert_null(out);
	offline_paths_free(&p);
	free(f);
}

/* a chain 257 <- 258 <- ... of 100-byte names: 41 components (4140 bytes)
 * are past the cap, 40 (40 * 101 - 1 = 4039 bytes) are not */
static void test_length_cap(void **state)
{
	struct fake *f = fake_new();
	struct offline_paths p;
	char name[101];
	const char *out;

	(void)state;
	memset(name, 'n', 100);
	name[100] = 0;
	for (uint64_t ino = 257; ino < 257 + 60; ino++)
		dir(f, ino, ino == 257 ? 256 : ino - 1, name);
	offline_paths_init(&p, fake_ref, f);
	out = "x";
	assert_int_equal(offline_paths_dir(&p, 5, 257 + 59, &out), 0);
	assert_null(out);
	assert_int_equal(offline_paths_dir(&p, 5, 257 + 39, &out), 0);
	assert_non_null(out);
	assert_int_equal(strlen(out), 40 * 101 - 1);
	out = "x";
	assert_int_equal(offline_paths_dir(&p, 5, 257 + 40, &out), 0);
	assert_null(out);
	/* the climbs stopped at the cap: no lookups above what was needed */
	for (uint64_t ino = 257; ino < 257 + 60; ino++)
		assert_true(f->calls[ino] <= 1);
	offline_paths_free(&p);
	free(f);
}

/* a long chain of short names, asked for bottom-up: still one lookup each */
static void test_deep_chain_once(void **state)
{
	struct fake *f = fake_new();
	struct offline_paths p;
	const char *out;

	(void)state;
	for (uint64_t ino = 257; ino < 257 + 1500; ino++)
		dir(f, ino, ino == 257 ? 256 : ino - 1, "d");
	offline_paths_init(&p, fake_ref, f);
	for (uint64_t ino = 257 + 1499; ino >= 257; ino--) {
		assert_int_equal(offline_paths_dir(&p, 5, ino, &out), 0);
		assert_non_null(out);
		assert_int_equal(strlen(out), (ino - 257 + 1) * 2 - 1);
	}
	assert_int_equal(p.lookups, 1500);
	offline_paths_free(&p);
	free(f);
}

static void test_errors_pass_through(void **state)
{
	struct fake *f = fake_new();
	struct offline_paths p;
	const char *out;

	(void)state;
	dir(f, 257, 256, "a");
	offline_paths_init(&p, fake_ref, f);
	f->fail = -ECANCELED;
	assert_int_equal(offline_paths_dir(&p, 5, 257, &out), -ECANCELED);
	/* not remembered as unknown: a later try looks again */
	f->fail = 0;
	assert_int_equal(offline_paths_dir(&p, 5, 257, &out), 0);
	assert_string_equal(out, "a");
	offline_paths_free(&p);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_loops),
		cmocka_unit_test(test_missing_and_bad_names),
		cmocka_unit_test(test_length_cap),
		cmocka_unit_test(test_deep_chain_once),
		cmocka_unit_test(test_errors_pass_through),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
