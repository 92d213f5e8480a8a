// SPDX-License-Identifier: GPL-2.0-or-later
/* test-json.c - JSON writer escaping and the model's JSON shape */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json-writer.h"
#include "model-json.h"

static char *capture(void (*fn)(FILE *, void *), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	fclose(f);
	return buf;
}

static void write_escapes(FILE *f, void *arg)
{
	struct json_writer w;

	json_writer_init(&w, f, false);
	json_object_begin(&w);
	json_key(&w, "s");
	json_string(&w, "a\"b\\c\n\x01\xc3\xa4\xff");
	json_key(&w, "n");
	json_u64(&w, UINT64_MAX);
	json_key(&w, "l");
	json_array_begin(&w);
	json_null(&w);
	json_bool(&w, true);
	json_double(&w, 12.345, 1);
	json_array_end(&w);
	json_key(&w, "e");
	json_array_begin(&w);
	json_array_end(&w);
	json_object_end(&w);
	json_writer_finish(&w);
}

static void test_writer(void **state)
{
	char *s = capture(write_escapes, NULL);

	assert_string_equal(s, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\xc3\xa4\\ufffd\","
			       "\"n\":18446744073709551615,\"l\":[null,true,12.3],\"e\":[]}\n");
	free(s);
}

static void write_model(FILE *f, void *arg)
{
	model_json_write(arg, f, false);
}

static void test_model_shape(void **state)
{
	struct qgroup_model m;
	struct qgroup *q;
	char *s;

	qgroup_model_init(&m);
	strcpy(m.fs.uuid, "01234567-89ab-cdef-0123-456789abcdef");
	m.mode = QGROUP_MODE_FULL;
	assert_int_equal(qgroup_model_get(&m, 256, &q), 0);
	q->rfer = 16384;
	q->excl = 4096;
	q->limit_flags = QGROUP_LIMIT_MAX_RFER;
	q->max_rfer = 1 << 20;
	assert_int_equal(qgroup_model_set_path(q, "vol"), 0);
	assert_int_equal(qgroup_model_add_relation(&m, 256, QGROUP_ID(1, 1)), 0);
	assert_int_equal(qgroup_model_finish(&m), 0);
	s = capture(write_model, &m);
	assert_non_null(strstr(s, "\"quota\":{\"enabled\":true,\"mode\":\"full\","
				  "\"inconsistent\":false,\"drop_subtree_threshold\":null,"
				  "\"quota_override\":null,\"rescan\":{\"running\":false"));
	assert_non_null(strstr(s, "{\"qgroupid\":\"0/256\",\"level\":0,\"id\":256,"
				  "\"referenced\":16384,\"exclusive\":4096,"));
	assert_non_null(strstr(s, "\"max_referenced\":1048576,\"max_exclusive\":null,"
				  "\"parents\":[\"1/1\"],\"children\":[],\"path\":\"vol\""));
	assert_non_null(strstr(s, "{\"qgroupid\":\"1/1\",\"level\":1,\"id\":1,"));
	assert_non_null(strstr(s, "\"children\":[\"0/256\"],\"path\":null"));
	assert_null(strstr(s, "stored_referenced"));
	free(s);
	q = qgroup_model_find(&m, 256);
	q->has_stored = true;
	q->stored_rfer = 16384;
	q->stored_excl = 0;
	s = capture(write_model, &m);
	assert_non_null(strstr(s, "\"stored_referenced\":16384,\"stored_exclusive\":0,"
				  "\"mismatch\":true"));
	free(s);
	qgroup_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_model_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
