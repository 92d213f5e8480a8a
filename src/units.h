/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * units.h - byte counts formatted and parsed the way btrfs-progs does
 * (--raw, --human-readable/--iec, --si, and fixed units).
 */
#ifndef QGTOP_UNITS_H
#define QGTOP_UNITS_H

#include <stddef.h>
#include <stdint.h>

enum units_base {
	UNITS_RAW = 0,		/* plain bytes */
	UNITS_IEC,		/* powers of 1024, KiB MiB ... */
	UNITS_SI,		/* powers of 1000, kB MB ... */
};

struct units {
	enum units_base base;
	int fixed;		/* -1 automatic, else 0=B 1=K 2=M 3=G 4=T 5=P 6=E */
};

#define UNITS_DEFAULT ((struct units){ UNITS_IEC, -1 })
#define UNITS_FORMAT_LEN 32

/**
 * units_format() - format @bytes into @buf
 * Return: @buf.
 */
char *units_format(uint64_t bytes, struct units u, char *buf, size_t len);

/**
 * units_parse_size() - parse a size such as "10G", "1.5GiB", "512m", "4096"
 * Suffixes are binary (k = 1024) as in btrfs-progs.
 * Return: 0, -EINVAL when @s is not a size, -ERANGE on overflow.
 */
int units_parse_size(const char *s, uint64_t *out);

/**
 * units_next() - cycle iec -> si -> raw -> iec (automatic unit)
 */
struct units units_next(struct units u);

/**
 * units_name() - "iec", "si", "raw" or the fixed unit's name
 */
const char *units_name(struct units u);

#endif
