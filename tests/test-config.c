// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-config.c - the saved qgroup configuration format: round trip
 * through write/read and through a durable file, and the strict parser's
 * errors with their line numbers.
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
#include <cmocka.h>

#include "qgroup-config.h"
#include "safe-file.h"

static void build(struct qgroup_model *m)
{
	struct qgroup *q;

	qgroup_model_init(m);
	strcpy(m->fs.uuid, "0123abcd-4567-89ef-0123-456789abcdef");
	m->mode = QGROUP_MODE_FULL;
	assert_int_equal(qgroup_model_get(m, QGROUP_ID(0, 5), &q), 0);
	assert_int_equal(qgroup_model_get(m, QGROUP_ID(0, 256), &q), 0);
	q->rfer = 12345;	/* numbers are not part of the configuration */
	assert_int_equal(qgroup_model_set_path(q, "dir/with space"), 0);
	assert_int_equal(qgroup_model_get(m, QGROUP_ID(0, 257), &q), 0);
	q->state = QGROUP_STATE_STALE;
	assert_int_equal(qgroup_model_get(m, QGROUP_ID(1, 100), &q), 0);
	q->has_limit = true;
	q->limit_flags = QGROUP_LIMIT_MAX_RFER | QGROUP_LIMIT_MAX_EXCL;
	q->max_rfer = 100ULL << 20;
	q->max_excl = UINT64_MAX - 1;
	assert_int_equal(qgroup_model_get(m, QGROUP_ID(1, 200), &q), 0);
	q->has_limit = true;	/* a limit item without limits: not saved */
	assert_int_equal(qgroup_model_get(m, QGROUP_ID(2, 1), &q), 0);
	q->has_limit = true;
	q->limit_flags = QGROUP_LIMIT_MAX_EXCL | (1ULL << 2);	/* RSV bit dropped */
	q->max_excl = 4096;
	assert_int_equal(qgroup_model_get(m, QGROUP_ID(0xffff, (1ULL << 48) - 1), &q), 0);
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(0, 256), QGROUP_ID(1, 100)), 0);
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(0, 256), QGROUP_ID(1, 200)), 0);
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(0, 257), QGROUP_ID(1, 200)), 0);
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(1, 100), QGROUP_ID(2, 1)), 0);
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(1, 200), QGROUP_ID(2, 1)), 0);
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(0, 5), QGROUP_ID(2, 1)), 0);
	assert_int_equal(qgroup_model_finish(m), 0);
}

/* the configuration part of two models is the same */
static void assert_same_config(const struct qgroup_model *a, const struct qgroup_model *b)
{
	assert_string_equal(a->fs.uuid, b->fs.uuid);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->nr_qgroups, b->nr_qgroups);
	for (size_t i = 0; i < a->nr_qgroups; i++) {
		const struct qgroup *x = &a->qgroups[i], *y = &b->qgroups[i];
		uint64_t fx = x->has_limit ? x->limit_flags & 3 : 0;
		uint64_t fy = y->has_limit ? y->limit_flags & 3 : 0;

		assert_int_equal(x->id, y->id);
		assert_int_equal(fx, fy);
		if (fx & QGROUP_LIMIT_MAX_RFER)
			assert_int_equal(x->max_rfer, y->max_rfer);
		if (fx & QGROUP_LIMIT_MAX_EXCL)
			assert_int_equal(x->max_excl, y->max_excl);
		assert_int_equal(x->nr_parents, y->nr_parents);
		for (size_t j = 0; j < x->nr_parents; j++)
			assert_int_equal(x->parents[j], y->parents[j]);
		assert_int_equal(x->nr_children, y->nr_children);
	}
}

static char *write_to_string(const struct qgroup_model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(qgroup_config_write(m, f, 1700000000), 0);
	fclose(f);
	return buf;
}

/* the non-comment lines of @text */
static char *directives(const char *text)
{
	char *out = calloc(1, strlen(text) + 1), *d = out;
	const char *s = text;

	assert_non_null(out);
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s + 1) : strlen(s);

		if (*s != '#') {
			memcpy(d, s, n);
			d += n;
		}
		s += n;
	}
	return out;
}

static int read_string(const char *text, struct qgroup_model *m, struct qgroup_config_error *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(f);
	qgroup_model_init(m);
	ret = qgroup_config_read(f, m, err);
	fclose(f);
	return ret;
}

static void test_round_trip(void **state)
{
	struct qgroup_model a, b;
	struct qgroup_config_error err;
	char *text;

	(void)state;
	build(&a);
	text = write_to_string(&a);
	assert_non_null(strstr(text, "# filesystem 0123abcd-4567-89ef-0123-456789abcdef, "
				     "saved 2023-11-14T22:13:20Z"));
	assert_non_null(strstr(text, "\nlimit 1/100 flags=0x3 max_rfer=104857600 "
				     "max_excl=18446744073709551614\n"));
	assert_non_null(strstr(text, "\nlimit 2/1 flags=0x2 max_rfer=0 max_excl=4096\n"));
	assert_null(strstr(text, "limit 1/200"));
	assert_non_null(strstr(text, "\nrelation 0/5 2/1\n"));
	assert_non_null(strstr(text, "# 0/256 path dir/with space\n"));
	assert_non_null(strstr(text, "\nqgroup 65535/281474976710655\n"));
	assert_int_equal(read_string(text, &b, &err), 0);
	assert_same_config(&a, &b);
	/* writing what was read gives the same directives (paths are
	 * comments, which a read drops) */
	{
		char *again = write_to_string(&b);
		char *x = directives(text), *y = directives(again);

		assert_string_equal(x, y);
		free(x);
		free(y);
		free(again);
	}
	qgroup_model_free(&b);
	qgroup_model_free(&a);
	free(text);
}

static void test_empty_model(void **state)
{
	struct qgroup_model a, b;
	struct qgroup_config_error err;
	char *text;

	(void)state;
	qgroup_model_init(&a);
	assert_int_equal(qgroup_model_finish(&a), 0);
	text = write_to_string(&a);
	assert_int_equal(read_string(text, &b, &err), 0);
	assert_int_equal(b.nr_qgroups, 0);
	assert_int_equal(b.mode, QGROUP_MODE_DISABLED);
	qgroup_model_free(&b);
	qgroup_model_free(&a);
	free(text);
}

struct bad_case {
	const char *text;
	unsigned line;
	const char *why;	/* a word of the reason */
};

static void test_strict_errors(void **state)
{
	static const struct bad_case cases[] = {
		{ "", 1, "empty" },
		{ "# only a comment\n", 2, "empty" },
		{ "qgroup 0/5\n", 1, "not a qgtop" },
		{ "qgtop-qgroups 2\nend\n", 1, "version" },
		{ "qgtop-qgroups x\nend\n", 1, "version" },
		{ "qgtop-qgroups 1\n", 2, "truncated" },
		{ "qgtop-qgroups 1\nqgroup 0/5\n", 3, "truncated" },
		{ "qgtop-qgroups 1\nend\nqgroup 0/5\n", 3, "after" },
		{ "qgtop-qgroups 1\nqgroup 0/5\nqgroup 0/5\nend\n", 3, "twice" },
		{ "qgtop-qgroups 1\nqgroup 5\nend\n", 2, "malformed qgroup" },
		{ "qgtop-qgroups 1\nqgroup 0/x\nend\n", 2, "malformed qgroup" },
		{ "qgtop-qgroups 1\nqgroup 65536/1\nend\n", 2, "malformed qgroup" },
		{ "qgtop-qgroups 1\nqgroup 0/5 0/6\nend\n", 2, "malformed qgroup" },
		{ "qgtop-qgroups 1\nqgroup  0/5\nend\n", 2, "spacing" },
		{ "qgtop-qgroups 1\nqgroup 0/5 \nend\n", 2, "spacing" },
		{ " qgtop-qgroups 1\nend\n", 1, "spacing" },
		{ "qgtop-qgroups 1\nqgroup\t0/5\nend\n", 2, "control" },
		{ "qgtop-qgroups 1\r\nend\n", 1, "control" },
		{ "qgtop-qgroups 1\nfoo 1\nend\n", 2, "unknown" },
		{ "qgtop-qgroups 1\n\n# c\nqgroup 0/5\nrelation 0/5 1/1\nend\n", 5, "not declared" },
		{ "qgtop-qgroups 1\nqgroup 1/1\nqgroup 1/2\nrelation 1/1 1/2\nend\n", 4, "level" },
		{ "qgtop-qgroups 1\nqgroup 0/5\nqgroup 1/1\nrelation 0/5 1/1\nrelation 0/5 1/1\nend\n",
		  5, "twice" },
		{ "qgtop-qgroups 1\nqgroup 0/5\nqgroup 0/6\nqgroup 1/1\nqgroup 1/2\n"
		  "relation 0/6 1/2\nrelation 0/5 1/1\nrelation 0/5 1/2\nrelation 0/6 1/2\n"
		  "relation 0/5 1/1\nend\n", 9, "twice" },
		{ "qgtop-qgroups 1\nqgroup 0/5\nrelation 0/5\nend\n", 3, "malformed relation" },
		{ "qgtop-qgroups 1\nqgroup 1/1\nlimit 1/1 flags=0x1 max_rfer=10\nend\n", 3,
		  "malformed limit" },
		{ "qgtop-qgroups 1\nqgroup 1/1\nlimit 1/1 flags=1 max_rfer=10 max_excl=0\nend\n", 3,
		  "malformed limit" },
		{ "qgtop-qgroups 1\nqgroup 1/1\nlimit 1/1 flags=0x4 max_rfer=10 max_excl=0\nend\n",
		  3, "flags" },
		{ "qgtop-qgroups 1\nqgroup 1/1\nlimit 1/1 flags=0x0 max_rfer=10 max_excl=0\nend\n",
		  3, "flags" },
		{ "qgtop-qgroups 1\nqgroup 1/1\nlimit 1/1 flags=0x1 max_rfer=-1 max_excl=0\nend\n",
		  3, "malformed limit" },
		{ "qgtop-qgroups 1\nqgroup 1/1\n"
		  "limit 1/1 flags=0x1 max_rfer=18446744073709551616 max_excl=0\nend\n",
		  3, "malformed limit" },
		{ "qgtop-qgroups 1\nqgroup 1/1\nlimit 1/1 flags=0x1 max_excl=0 max_rfer=1\nend\n",
		  3, "malformed limit" },
		{ "qgtop-qgroups 1\nlimit 1/1 flags=0x1 max_rfer=1 max_excl=0\nend\n", 2,
		  "not declared" },
		{ "qgtop-qgroups 1\nqgroup 1/1\nlimit 1/1 flags=0x1 max_rfer=1 max_excl=0\n"
		  "limit 1/1 flags=0x1 max_rfer=1 max_excl=0\nend\n", 4, "second limit" },
		{ "qgtop-qgroups 1\nuuid 0123\nend\n", 2, "uuid" },
		{ "qgtop-qgroups 1\nuuid 0123ABCD-4567-89ef-0123-456789abcdef\nend\n", 2, "uuid" },
		{ "qgtop-qgroups 1\nuuid 0123abcd-4567-89ef-0123-456789abcdef\n"
		  "uuid 0123abcd-4567-89ef-0123-456789abcdef\nend\n", 3, "second uuid" },
		{ "qgtop-qgroups 1\nmode squota\nend\n", 2, "mode" },
		{ "qgtop-qgroups 1\nmode full\nmode full\nend\n", 3, "second mode" },
		{ "qgtop-qgroups 1\nend extra\n", 2, "end" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct qgroup_model m;
		struct qgroup_config_error err;
		int ret = read_string(cases[i].text, &m, &err);

		if (ret != -EINVAL || err.line != cases[i].line || !err.why ||
		    !strstr(err.why, cases[i].why))
			fail_msg("case %zu: ret %d line %u why '%s', want line %u '%s'", i, ret,
				 err.line, err.why ? err.why : "(null)", cases[i].line,
				 cases[i].why);
		qgroup_model_free(&m);
	}
}

static void test_long_line_and_nul(void **state)
{
	struct qgroup_model m;
	struct qgroup_config_error err;
	size_t n = QGROUP_CONFIG_MAX_LINE + 100;
	char *text = malloc(n + 64);
	FILE *f;

	(void)state;
	strcpy(text, "qgtop-qgroups 1\n# ");
	memset(text + strlen(text), 'x', n);
	strcpy(text + 18 + n, "\nend\n");
	assert_int_equal(read_string(text, &m, &err), -EINVAL);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.why, "too long"));
	qgroup_model_free(&m);
	free(text);

	f = fmemopen((void *)"qgtop-qgroups 1\nend\0x\n", 22, "r");
	assert_non_null(f);
	qgroup_model_init(&m);
	assert_int_equal(qgroup_config_read(f, &m, &err), -EINVAL);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.why, "NUL"));
	fclose(f);
	qgroup_model_free(&m);
}

/* a stream of @limit bytes of @c that counts what was read from it */
struct endless {
	char c;
	size_t given, limit;
};

static ssize_t endless_read(void *cookie, char *buf, size_t size)
{
	struct endless *e = cookie;
	size_t n = size;

	if (e->limit - e->given < n)
		n = e->limit - e->given;
	memset(buf, e->c, n);
	e->given += n;
	return (ssize_t)n;
}

static void test_bounded_lines(void **state)
{
	static const char chars[] = { '\0', 'x', '#' };
	cookie_io_functions_t io = { .read = endless_read };
	struct qgroup_config_error err;
	struct qgroup_model m;

	(void)state;
	/* an endless line (or /dev/zero's NULs) fails within the first line's
	 * worth of input, whatever follows */
	for (size_t i = 0; i < sizeof(chars); i++) {
		struct endless e = { chars[i], 0, (size_t)1 << 32 };
		FILE *f = fopencookie(&e, "r", io);

		assert_non_null(f);
		setvbuf(f, NULL, _IONBF, 0);
		qgroup_model_init(&m);
		assert_int_equal(qgroup_config_read(f, &m, &err), -EINVAL);
		assert_int_equal(err.line, 1);
		assert_non_null(strstr(err.why, chars[i] ? "too long" : "NUL"));
		assert_true(e.given <= QGROUP_CONFIG_MAX_LINE + 1);
		fclose(f);
		qgroup_model_free(&m);
	}
	/* the longest line allowed is still read */
	{
		size_t n = QGROUP_CONFIG_MAX_LINE;
		char *text = malloc(n + 64);

		assert_non_null(text);
		strcpy(text, "qgtop-qgroups 1\n");
		memset(text + 16, '#', n);
		strcpy(text + 16 + n, "\nend\n");
		assert_int_equal(read_string(text, &m, &err), 0);
		qgroup_model_free(&m);
		text[16 + n] = '#';	/* one more: refused */
		assert_int_equal(read_string(text, &m, &err), -EINVAL);
		assert_int_equal(err.line, 2);
		qgroup_model_free(&m);
		free(text);
	}
}

static void test_load_file_kinds(void **state)
{
	static const char good[] = "qgtop-qgroups 1\nqgroup 1/1\nend\n";
	struct qgroup_config_error err;
	struct qgroup_model m;
	char path[64];
	int p[2];

	(void)state;
	/* a device is refused before reading: /dev/zero would never end */
	qgroup_model_init(&m);
	assert_int_equal(qgroup_config_load_file("/dev/zero", &m, &err), -EINVAL);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.why, "not a regular file"));
	qgroup_model_free(&m);
	qgroup_model_init(&m);
	assert_int_equal(qgroup_config_load_file("/", &m, &err), -EINVAL);
	assert_non_null(strstr(err.why, "directory"));
	qgroup_model_free(&m);
	/* a pipe, as from the shell's <(...), is read */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], good, sizeof(good) - 1), (ssize_t)sizeof(good) - 1);
	close(p[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", p[0]);
	qgroup_model_init(&m);
	assert_int_equal(qgroup_config_load_file(path, &m, &err), 0);
	assert_int_equal(m.nr_qgroups, 1);
	qgroup_model_free(&m);
	close(p[0]);
}

static void test_accepts_comments_blank(void **state)
{
	struct qgroup_model m;
	struct qgroup_config_error err;
	struct qgroup *q;

	(void)state;
	assert_int_equal(read_string("# header\n\nqgtop-qgroups 1\n#x\nqgroup 1/1\n\n"
				     "qgroup 0/300\nrelation 0/300 1/1\nmode simple\nend\n# tail\n",
				     &m, &err), 0);
	assert_int_equal(m.nr_qgroups, 2);
	assert_int_equal(m.mode, QGROUP_MODE_SIMPLE);
	q = qgroup_model_find(&m, QGROUP_ID(0, 300));
	assert_non_null(q);
	assert_int_equal(q->nr_parents, 1);
	assert_int_equal(q->parents[0], QGROUP_ID(1, 1));
	assert_false(q->has_info);
	qgroup_model_free(&m);
}

static void test_save_file(void **state)
{
	char dir[] = "/tmp/qgtop-test-config.XXXXXX", path[128], tmpl[160];
	char why[SAFE_FILE_WHY_LEN];
	struct qgroup_model a, b;
	struct qgroup_config_error err;
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/saved.qgroups", dir);
	build(&a);
	assert_int_equal(qgroup_config_save_file(&a, path, SAFE_FILE_NO_REPLACE, why, sizeof(why)),
			 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* exclusive never replaces */
	assert_int_equal(qgroup_config_save_file(&a, path, SAFE_FILE_NO_REPLACE, why, sizeof(why)),
			 -EEXIST);
	/* replacing is allowed when asked */
	assert_int_equal(qgroup_config_save_file(&a, path, 0, why, sizeof(why)), 0);
	qgroup_model_init(&b);
	assert_int_equal(qgroup_config_load_file(path, &b, &err), 0);
	assert_same_config(&a, &b);
	qgroup_model_free(&b);
	/* a truncated copy is refused */
	snprintf(tmpl, sizeof(tmpl), "%s/cut.qgroups", dir);
	f = fopen(tmpl, "w");
	assert_non_null(f);
	fputs("qgtop-qgroups 1\nqgroup 0/5\nqgroup 1/1\nrelation 0/5 1/1\n", f);
	fclose(f);
	qgroup_model_init(&b);
	assert_int_equal(qgroup_config_load_file(tmpl, &b, &err), -EINVAL);
	assert_int_equal(err.line, 5);
	qgroup_model_free(&b);
	unlink(tmpl);
	/* no temporary file is left behind, in a missing directory nothing */
	snprintf(tmpl, sizeof(tmpl), "%s/missing/x.qgroups", dir);
	assert_int_equal(qgroup_config_save_file(&a, tmpl, 0, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "missing"));
	qgroup_model_init(&b);
	assert_int_equal(qgroup_config_load_file(tmpl, &b, &err), -ENOENT);
	assert_int_equal(err.line, 0);
	qgroup_model_free(&b);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
	qgroup_model_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty_model),
		cmocka_unit_test(test_strict_errors),
		cmocka_unit_test(test_long_line_and_nul),
		cmocka_unit_test(test_bounded_lines),
		cmocka_unit_test(test_load_file_kinds),
		cmocka_unit_test(test_accepts_comments_blank),
		cmocka_unit_test(test_save_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
