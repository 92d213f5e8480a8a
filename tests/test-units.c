// SPDX-License-Identifier: GPL-2.0-or-later
/* test-units.c - size formatting and parsing against btrfs-progs' output */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "units.h"

static void test_format_iec(void **state)
{
	char buf[UNITS_FORMAT_LEN];
	struct units u = UNITS_DEFAULT;

	assert_string_equal(units_format(0, u, buf, sizeof(buf)), "0.00B");
	assert_string_equal(units_format(1023, u, buf, sizeof(buf)), "1023.00B");
	assert_string_equal(units_format(16384, u, buf, sizeof(buf)), "16.00KiB");
	assert_string_equal(units_format(1572864, u, buf, sizeof(buf)), "1.50MiB");
	assert_string_equal(units_format(10ULL << 30, u, buf, sizeof(buf)), "10.00GiB");
	assert_string_equal(units_format(UINT64_MAX, u, buf, sizeof(buf)), "16.00EiB");
}

static void test_format_si_raw_fixed(void **state)
{
	char buf[UNITS_FORMAT_LEN];

	assert_string_equal(units_format(1500, (struct units){ UNITS_SI, -1 }, buf, sizeof(buf)),
			    "1.50kB");
	assert_string_equal(units_format(123456789, (struct units){ UNITS_RAW, -1 }, buf,
					 sizeof(buf)), "123456789");
	assert_string_equal(units_format(1048576, (struct units){ UNITS_IEC, 1 }, buf,
					 sizeof(buf)), "1024.00KiB");
	assert_string_equal(units_format(16384, (struct units){ UNITS_IEC, 2 }, buf,
					 sizeof(buf)), "0.02MiB");
}

static void test_parse(void **state)
{
	uint64_t v;

	assert_int_equal(units_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(units_parse_size("10G", &v), 0);
	assert_int_equal(v, 10ULL << 30);
	assert_int_equal(units_parse_size("10g", &v), 0);
	assert_int_equal(v, 10ULL << 30);
	assert_int_equal(units_parse_size("1.5GiB", &v), 0);
	assert_int_equal(v, 3ULL << 29);
	assert_int_equal(units_parse_size("512m", &v), 0);
	assert_int_equal(v, 512ULL << 20);
	assert_int_equal(units_parse_size("2KB", &v), 0);
	assert_int_equal(v, 2048);
	assert_int_equal(units_parse_size("100B", &v), 0);
	assert_int_equal(v, 100);
	assert_int_equal(units_parse_size("", &v), -EINVAL);
	assert_int_equal(units_parse_size("-1G", &v), -EINVAL);
	assert_int_equal(units_parse_size("G", &v), -EINVAL);
	assert_int_equal(units_parse_size("10X", &v), -EINVAL);
	assert_int_equal(units_parse_size("10Gx", &v), -EINVAL);
	assert_int_equal(units_parse_size("nan", &v), -EINVAL);
	assert_int_equal(units_parse_size("20E", &v), -ERANGE);
}

/* the grammar of a limit: refused inputs leave *out alone */
static void test_parse_grammar(void **state)
{
	static const struct {
		const char *s;
		int ret;
		uint64_t v;
	} cases[] = {
		{ "0", 0, 0 },
		{ "1", 0, 1 },
		{ "18446744073709551614", 0, UINT64_MAX - 1 },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "99999999999999999999G", -ERANGE, 0 },
		{ "16E", -ERANGE, 0 },
		{ "15E", 0, 15ULL << 60 },
		{ "1e", 0, 1ULL << 60 },
		{ "1.5G", 0, 3ULL << 29 },
		{ "1.5g", 0, 3ULL << 29 },
		{ "0.5k", 0, 512 },
		{ "1.25K", 0, 1280 },
		{ "15.9999999999999999999E", -EDOM, 0 },
		{ "1.1K", -EDOM, 0 },
		{ "0.4", -EDOM, 0 },
		{ "1.0", -EDOM, 0 },
		{ "1.", -EINVAL, 0 },
		{ ".5G", -EINVAL, 0 },
		{ "-0", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "1e-9", -EINVAL, 0 },
		{ "1e9", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ "inf", -EINVAL, 0 },
		{ "nan", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "1GG", -EINVAL, 0 },
		{ "1GiBx", -EINVAL, 0 },
		{ "1iB", -EINVAL, 0 },
		{ "１", -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 42;
		int ret = units_parse_size(cases[i].s, &v);

		if (ret != cases[i].ret || (!ret && v != cases[i].v) || (ret && v != 42))
			fail_msg("'%s': %d %llu, expected %d %llu", cases[i].s, ret,
				 (unsigned long long)v, cases[i].ret, (unsigned long long)cases[i].v);
	}
	assert_int_equal(units_parse_size(NULL, &(uint64_t){ 0 }), -EINVAL);
}

static void test_parse_limit(void **state)
{
	uint64_t v = 0;

	assert_int_equal(units_parse_limit("none", NULL, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(units_parse_limit("NONE", NULL, &v), 0);
	assert_int_equal(units_parse_limit("keine", "keine", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(units_parse_limit("keine", NULL, &v), -EINVAL);
	/* the kernel's clear value cannot be set as a limit; one byte less can */
	assert_int_equal(units_parse_limit("18446744073709551615", NULL, &v), -ERANGE);
	assert_int_equal(units_parse_limit("18446744073709551614", NULL, &v), 0);
	assert_true(v == UINT64_MAX - 1);
	assert_int_equal(units_parse_limit("10G", "keine", &v), 0);
	assert_true(v == 10ULL << 30);
	assert_string_not_equal(units_parse_strerror(-ERANGE), units_parse_strerror(-EDOM));
}

static void test_cycle(void **state)
{
	struct units u = UNITS_DEFAULT;

	u = units_next(u);
	assert_string_equal(units_name(u), "si");
	u = units_next(u);
	assert_string_equal(units_name(u), "raw");
	u = units_next(u);
	assert_string_equal(units_name(u), "iec");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_iec),
		cmocka_unit_test(test_format_si_raw_fixed),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_grammar),
		cmocka_unit_test(test_parse_limit),
		cmocka_unit_test(test_cycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
