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
		cmocka_unit_test(test_cycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
