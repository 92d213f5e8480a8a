// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-csum.c - btrfs checksums: a table-driven (slicing-by-8) crc32c
 * (the SSE 4.2 instruction when the CPU has it)
 * and the library hashes (libxxhash XXH64, libsodium sha256 and BLAKE2b
 * with a 32-byte digest). A failed sodium_init() is remembered and
 * returned by every sha256 or BLAKE2b request; crc32c and xxhash64 do not
 * need libsodium and keep working.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sodium.h>
#include <xxhash.h>

#include "offline-csum.h"

#define CRC32C_POLY 0x82f63b78u	/* reflected Castagnoli polynomial */

static uint32_t crc32c_table[8][256];
static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;
static int sodium_ret;		/* of sodium_init(), as a negative errno */

static void crc32c_init(void)
{
	/* sodium_init() returns -1 when it cannot set itself up; 1 means
	 * someone else initialised it already */
	sodium_ret = sodium_init() < 0 ? -ENOSYS : 0;
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (CRC32C_POLY & (0u - (c & 1)));
		crc32c_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc32c_table[t][i] = (crc32c_table[t - 1][i] >> 8) ^
					     crc32c_table[0][crc32c_table[t - 1][i] & 0xff];
}

uint32_t offline_crc32c_generic(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	pthread_once(&crc32c_once, crc32c_init);
	while (len && ((uintptr_t)p & 7)) {
		crc = crc32c_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
		len--;
	}
	while (len >= 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
				     (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
			      (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;

		crc = crc32c_table[7][lo & 0xff] ^ crc32c_table[6][(lo >> 8) & 0xff] ^
		      crc32c_table[5][(lo >> 16) & 0xff] ^ crc32c_table[4][lo >> 24] ^
		      crc32c_table[3][hi & 0xff] ^ crc32c_table[2][(hi >> 8) & 0xff] ^
		      crc32c_table[1][(hi >> 16) & 0xff] ^ crc32c_table[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = crc32c_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/* the SSE 4.2 crc32 instruction computes the same CRC-32C */
__attribute__((target("sse4.2"))) static uint32_t crc32c_sse42(uint32_t crc, const void *data,
							       size_t len)
{
	const uint8_t *p = data;
	uint64_t c;

	while (len && ((uintptr_t)p & 7)) {
		crc = __builtin_ia32_crc32qi(crc, *p++);
		len--;
	}
	c = crc;
	while (len >= 8) {
		uint64_t v;

		memcpy(&v, p, sizeof(v));
		c = __builtin_ia32_crc32di(c, v);
		p += 8;
		len -= 8;
	}
	crc = (uint32_t)c;
	while (len--)
		crc = __builtin_ia32_crc32qi(crc, *p++);
	return crc;
}

uint32_t offline_crc32c(uint32_t crc, const void *data, size_t len)
{
	static int hw = -1;

	if (hw < 0)
		hw = __builtin_cpu_supports("sse4.2") ? 1 : 0;
	return hw ? crc32c_sse42(crc, data, len) : offline_crc32c_generic(crc, data, len);
}
#else
uint32_t offline_crc32c(uint32_t crc, const void *data, size_t len)
{
	return offline_crc32c_generic(crc, data, len);
}
#endif

size_t offline_csum_size(unsigned type)
{
	switch (type) {
	case OFFLINE_CSUM_CRC32C:
		return 4;
	case OFFLINE_CSUM_XXHASH:
		return 8;
	case OFFLINE_CSUM_SHA256:
	case OFFLINE_CSUM_BLAKE2:
		return 32;
	default:
		return 0;
	}
}

const char *offline_csum_name(unsigned type)
{
	static const char *const names[] = { "crc32c", "xxhash64", "sha256", "blake2b" };

	return type < 4 ? names[type] : NULL;
}

int offline_csum_init(unsigned type)
{
	pthread_once(&crc32c_once, crc32c_init);
	if (type == OFFLINE_CSUM_SHA256 || type == OFFLINE_CSUM_BLAKE2)
		return sodium_ret;
	return offline_csum_size(type) ? 0 : -EINVAL;
}

int offline_csum_compute(unsigned type, const void *data, size_t len,
			 uint8_t out[OFFLINE_CSUM_SIZE])
{
	int ret = offline_csum_init(type);

	memset(out, 0, OFFLINE_CSUM_SIZE);
	if (ret)
		return ret;
	switch (type) {
	case OFFLINE_CSUM_CRC32C: {
		uint32_t c = ~offline_crc32c(~0u, data, len);

		out[0] = c & 0xff;
		out[1] = (c >> 8) & 0xff;
		out[2] = (c >> 16) & 0xff;
		out[3] = c >> 24;
		return 0;
	}
	case OFFLINE_CSUM_XXHASH: {
		uint64_t h = XXH64(data, len, 0);

		for (int i = 0; i < 8; i++)
			out[i] = (h >> (8 * i)) & 0xff;
		return 0;
	}
	case OFFLINE_CSUM_SHA256:
		crypto_hash_sha256(out, data, len);
		return 0;
	case OFFLINE_CSUM_BLAKE2:
		crypto_generichash(out, 32, data, len, NULL, 0);
		return 0;
	default:
		return -EINVAL;
	}
}

int offline_csum_verify(unsigned type, const void *block, size_t len)
{
	uint8_t sum[OFFLINE_CSUM_SIZE];
	size_t n = offline_csum_size(type);
	int ret;

	if (!n || len < OFFLINE_CSUM_SIZE)
		return -EINVAL;
	ret = offline_csum_compute(type, (const uint8_t *)block + OFFLINE_CSUM_SIZE,
				   len - OFFLINE_CSUM_SIZE, sum);
	if (ret)
		return ret;
	return memcmp(sum, block, n) == 0;
}
