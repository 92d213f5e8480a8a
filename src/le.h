/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * le.h - unaligned little-endian loads from on-disk and ioctl buffers, and
 * the stores that build such buffers (tests, image generators).
 */
#ifndef QGTOP_LE_H
#define QGTOP_LE_H

#include <stdint.h>
#include <string.h>
#include <endian.h>

static inline uint16_t get_le16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return le16toh(v);
}

static inline uint32_t get_le32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static inline uint64_t get_le64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static inline void put_le32(void *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void put_le64(void *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, sizeof(v));
}

#endif
