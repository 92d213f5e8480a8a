// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/test-text.c - unit tests of text-escape.c (untrusted text on a
 * terminal) and of the escapes in view_fit() and the JSON writer.
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json-writer.h"
#include "text-escape.h"
#include "view-format.h"

static void test_escape(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain/path", "plain/path" },
		{ "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac" },
		{ "a\x1b[2Jb", "a\\x1b[2Jb" },
		{ "bell\a", "bell\\x07" },
		{ "line\nbreak\ttab\r", "line\\x0abreak\\x09tab\\x0d" },
		{ "del\x7f", "del\\x7f" },
		{ "c1 \xc2\x9b" "31m", "c1 \\xc2\\x9b31m" },
		{ "bad \xff\xfe", "bad \\xff\\xfe" },
		{ "cut \xe6\x97", "cut \\xe6\\x97" },
		{ "overlong \xc0\xaf", "overlong \\xc0\\xaf" },
		{ "surrogate \xed\xa0\x80", "surrogate \\xed\\xa0\\x80" },
		{ "too big \xf4\x90\x80\x80", "too big \\xf4\\x90\\x80\\x80" },
		{ "rlo \xe2\x80\xaegpj.exe", "rlo \\u{202e}gpj.exe" },
		{ "isolate \xe2\x81\xa6x\xe2\x81\xa9", "isolate \\u{2066}x\\u{2069}" },
		{ "back\\slash", "back\\\\slash" },
		{ "emoji \xf0\x9f\x98\x80", "emoji \xf0\x9f\x98\x80" },
		{ "", "" },
	};
	char buf[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *dup = text_escape_dup(cases[i].in);

		assert_string_equal(text_escape(cases[i].in, buf, sizeof(buf)), cases[i].out);
		assert_non_null(dup);
		assert_string_equal(dup, cases[i].out);
		free(dup);
		assert_int_equal(text_is_safe(cases[i].in), !strcmp(cases[i].in, cases[i].out));
	}
	assert_string_equal(text_escape(NULL, buf, sizeof(buf)), "");
	/* a small buffer cuts between characters, never inside an escape */
	assert_string_equal(text_escape("ab\x1b" "cd", buf, 5), "ab");
	assert_string_equal(text_escape("ab\x1b" "cd", buf, 7), "ab\\x1b");
}

static void test_escape_worst_case(void **state)
{
	/* text_escape_dup() sizes for the worst case: every byte escaped */
	char in[65], *out;

	memset(in, 0x1b, 64);
	in[64] = '\0';
	out = text_escape_dup(in);
	assert_non_null(out);
	assert_int_equal(strlen(out), 64 * 4);
	free(out);
	for (int i = 0; i < 21; i++)
		memcpy(in + 3 * i, "\xe2\x80\xae", 3);
	in[63] = '\0';
	out = text_escape_dup(in);
	assert_non_null(out);
	assert_int_equal(strlen(out), 21 * 8);
	free(out);
}

static void test_fit(void **state)
{
	char buf[128];

	/* escapes take their length in cells, and are never cut in half */
	assert_int_equal(view_display_width("a\x1b" "b"), 6);
	assert_string_equal(view_fit("a\x1b" "b", 10, false, buf, sizeof(buf)), "a\\x1bb");
	assert_string_equal(view_fit("a\x1b" "b", 4, true, buf, sizeof(buf)), "a   ");
	assert_string_equal(view_fit("x\xc2\x9by", 20, false, buf, sizeof(buf)), "x\\xc2\\x9by");
	assert_int_equal(view_display_width("\xe6\x97\xa5"), 2);
	assert_string_equal(view_fit("\xe2\x80\xae" "abc", 20, false, buf, sizeof(buf)),
			    "\\u{202e}abc");
}

static void test_json(void **state)
{
	struct json_writer w;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	json_writer_init(&w, f, false);
	json_string(&w, "a\x1b\x7f\xc2\x9b\xe2\x80\xae\xff\xc3\xa9\"\\");
	json_writer_finish(&w);
	fclose(f);
	assert_string_equal(out, "\"a\\u001b\\u007f\\u009b\\u202e\\ufffd\xc3\xa9\\\"\\\\\"\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_worst_case),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_json),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
