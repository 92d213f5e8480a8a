/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-csum.h - the four btrfs checksum types (crc32c, xxhash64, sha256,
 * blake2b-256) over a buffer, as stored in superblocks and tree blocks.
 */
#ifndef QGTOP_OFFLINE_CSUM_H
#define QGTOP_OFFLINE_CSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OFFLINE_CSUM_SIZE 32	/* room for the largest checksum */

enum offline_csum_type {
	OFFLINE_CSUM_CRC32C = 0,
	OFFLINE_CSUM_XXHASH = 1,
	OFFLINE_CSUM_SHA256 = 2,
	OFFLINE_CSUM_BLAKE2 = 3,
};

/**
 * offline_crc32c() - CRC-32C (Castagnoli), btrfs flavour
 * @crc: seed (btrfs uses ~0)
 * @data: bytes
 * @len: length
 *
 * Return: the raw register (btrfs stores its complement, little endian).
 */
uint32_t offline_crc32c(uint32_t crc, const void *data, size_t len);

/**
 * offline_crc32c_generic() - the portable table-driven offline_crc32c()
 * (offline_crc32c() uses the CPU's crc32 instruction when it has one)
 */
uint32_t offline_crc32c_generic(uint32_t crc, const void *data, size_t len);

/**
 * offline_csum_size() - bytes of a checksum type, 0 when unknown
 */
size_t offline_csum_size(unsigned type);

/**
 * offline_csum_name() - "crc32c", "xxhash64", "sha256", "blake2b" or NULL
 */
const char *offline_csum_name(unsigned type);

/**
 * offline_csum_init() - make checksum @type usable (once per process)
 *
 * Return: 0, -EINVAL for an unknown type, or -ENOSYS when libsodium (sha256,
 * BLAKE2b) could not initialise itself.
 */
int offline_csum_init(unsigned type);

/**
 * offline_csum_compute() - checksum @data as btrfs stores it
 * @type: enum offline_csum_type
 * @out: OFFLINE_CSUM_SIZE bytes, zero padded after the checksum
 *
 * Return: 0, or -EINVAL for an unknown type, or offline_csum_init()'s error.
 */
int offline_csum_compute(unsigned type, const void *data, size_t len,
			 uint8_t out[OFFLINE_CSUM_SIZE]);

/**
 * offline_csum_verify() - check the checksum at the start of @block
 * @block: superblock or tree block (checksum in its first 32 bytes,
 *         computed over the rest)
 *
 * Return: 1 when it matches, 0 when not, or a negative errno when it cannot
 * be computed (offline_csum_compute()).
 */
int offline_csum_verify(unsigned type, const void *block, size_t len);

#endif
