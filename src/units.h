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
 * @s: digits, optionally a decimal fraction, and an optional suffix k, m,
 *     g, t, p or e (any case; powers of 1024 as in btrfs-progs, "iB" or
 *     "B" may follow it); a fraction needs a suffix and must come to a
 *     whole number of bytes (1.5G, not 1.1K or 0.4); no sign, no
 *     spaces, no hex or exponents
 * @out: the bytes
 *
 * Return: 0, -EINVAL when @s is not a size, -EDOM when it is not a whole
 * number of bytes, -ERANGE when it is above 2^64-1.
 */
int units_parse_size(const char *s, uint64_t *out);

/**
 * units_parse_limit() - a qgroup limit: a size, or "none" (or @none_word,
 * the translated word) for no limit
 * @out: the bytes, or UINT64_MAX for none (the kernel's "clear" value)
 *
 * Return: as units_parse_size(), and -ERANGE for exactly 2^64-1, which
 * cannot be set as a limit.
 */
int units_parse_limit(const char *s, const char *none_word, uint64_t *out);

/**
 * units_parse_strerror() - why units_parse_size() or units_parse_limit()
 * refused a size (translated)
 */
const char *units_parse_strerror(int err);

/**
 * units_next() - cycle iec -> si -> raw -> iec (automatic unit)
 */
struct units units_next(struct units u);

/**
 * units_name() - "iec", "si", "raw" or the fixed unit's name
 */
const char *units_name(struct units u);

#endif
