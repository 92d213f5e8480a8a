// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-offline-nosodium.c - libsodium failing to initialise (linked with
 * -Wl,--wrap=sodium_init, so sodium_init() returns -1 as it does when the
 * library cannot set itself up): sha256 and BLAKE2b checksums give an
 * error instead of abort(), crc32c and xxhash64 keep working, and opening
 * a sha256 image ends with a one-line reason.
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

#include "offline/offline-csum.h"
#include "offline/offline-engine.h"
#include "offline/offline-super.h"

int __wrap_sodium_init(void);

static int wrapped_calls;

int __wrap_sodium_init(void)
{
	wrapped_calls++;
	return -1;
}

static void test_csum_errors(void **state)
{
	uint8_t sum[OFFLINE_CSUM_SIZE], block[4096] = { 0 };

	(void)state;
	assert_int_equal(offline_csum_init(OFFLINE_CSUM_SHA256), -ENOSYS);
	assert_int_equal(offline_csum_init(OFFLINE_CSUM_BLAKE2), -ENOSYS);
	assert_int_equal(offline_csum_init(OFFLINE_CSUM_CRC32C), 0);
	assert_int_equal(offline_csum_init(OFFLINE_CSUM_XXHASH), 0);
	assert_int_equal(offline_csum_compute(OFFLINE_CSUM_SHA256, "abc", 3, sum), -ENOSYS);
	assert_int_equal(offline_csum_compute(OFFLINE_CSUM_BLAKE2, "abc", 3, sum), -ENOSYS);
	assert_int_equal(offline_csum_verify(OFFLINE_CSUM_SHA256, block, sizeof(block)), -ENOSYS);
	/* the libraries qgtop does not need libsodium for still work */
	assert_int_equal(offline_csum_compute(OFFLINE_CSUM_CRC32C, block + 32, 4064, block), 0);
	assert_int_equal(offline_csum_verify(OFFLINE_CSUM_CRC32C, block, sizeof(block)), 1);
	assert_int_equal(offline_csum_compute(OFFLINE_CSUM_XXHASH, "abc", 3, sum), 0);
	assert_int_equal(wrapped_calls, 1);	/* tried once, remembered */
}

/* a superblock that gets as far as its checksum type: sha256 */
static void fake_super(uint8_t *buf)
{
	static const char magic[] = "_BHRfS_M";

	memset(buf, 0, OFFLINE_SUPER_SIZE);
	memcpy(buf + 0x40, magic, 8);
	buf[0xc4] = OFFLINE_CSUM_SHA256;
}

static void test_open_errors(void **state)
{
	static uint8_t img[128 * 1024];
	char err[512], path[] = "/tmp/qgtop-nosodium-XXXXXX";
	struct offline_super sb;
	struct offline_engine *e;
	char why[160];
	FILE *f;
	int fd;

	(void)state;
	fake_super(img + OFFLINE_SUPER_OFFSET);
	assert_int_equal(offline_super_parse(img + OFFLINE_SUPER_OFFSET, OFFLINE_SUPER_OFFSET, true,
					     &sb, why, sizeof(why)), -ENOSYS);
	assert_non_null(strstr(why, "libsodium"));
	/* unverified (fuzzing) needs no library */
	assert_int_not_equal(offline_super_parse(img + OFFLINE_SUPER_OFFSET, OFFLINE_SUPER_OFFSET,
						 false, &sb, why, sizeof(why)), -ENOSYS);

	assert_int_equal(offline_engine_open_mem(img, sizeof(img), true, &e, err, sizeof(err)),
			 -ENOSYS);
	print_message("memory: %s\n", err);
	assert_non_null(strstr(err, "cannot compute sha256 checksums"));
	assert_null(strchr(err, '\n'));

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(img, 1, sizeof(img), f), sizeof(img));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(offline_engine_open((const char *const[]){ path }, 1, NULL, &e, err,
					     sizeof(err)), -ENOSYS);
	print_message("file: %s\n", err);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "libsodium"));
	assert_null(strchr(err, '\n'));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csum_errors),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
