// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * units.c - size formatting like btrfs-progs pretty_size(): two decimals
 * and the largest unit that keeps the value at or above 1.
 */
#include "config.h"

#include <errno.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nls.h"
#include "units.h"

static const char *const suffix_iec[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
static const char *const suffix_si[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };

char *units_format(uint64_t bytes, struct units u, char *buf, size_t len)
{
	const char *const *suffix;
	unsigned mult;
	int divs = 0;
	long double v = (long double)bytes;

	if (u.base == UNITS_RAW) {
		snprintf(buf, len, "%" PRIu64, bytes);
		return buf;
	}
	suffix = u.base == UNITS_SI ? suffix_si : suffix_iec;
	mult = u.base == UNITS_SI ? 1000 : 1024;
	if (u.fixed >= 0) {
		for (divs = 0; divs < u.fixed && divs < 6; divs++)
			v /= mult;
	} else {
		uint64_t s = bytes;

		while (s >= mult && divs < 6) {
			s /= mult;
			divs++;
		}
		for (int i = 0; i < divs; i++)
			v /= mult;
	}
	snprintf(buf, len, "%.2Lf%s", v, suffix[divs]);
	return buf;
}

static int unit_shift(char c)
{
	static const char units[] = "kmgtpe";
	const char *p = c ? strchr(units, c | 0x20) : NULL;

	return p ? 10 * (int)(p - units + 1) : -1;
}

/*
 * Integer arithmetic only: a size never goes through floating point, so
 * 2^64-1 cannot round up to 2^64 (and wrap to a 0 limit), and a fraction
 * is taken only when it names a whole number of bytes.
 */
int units_parse_size(const char *s, uint64_t *out)
{
	unsigned __int128 frac = 0, scale = 1, bytes;
	uint64_t whole = 0;
	int shift = 0, nfrac = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');

		if (whole > (UINT64_MAX - d) / 10)
			return -ERANGE;
		whole = whole * 10 + d;
	}
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		for (; isdigit((unsigned char)*s); s++) {
			/* 10^19 still fits the 128-bit products below */
			if (++nfrac > 19)
				return -EDOM;
			frac = frac * 10 + (unsigned)(*s - '0');
			scale *= 10;
		}
	}
	if (unit_shift(*s) > 0) {
		shift = unit_shift(*s++);
		/* "GiB" and "GB" mean the same as "G", as in btrfs-progs' output */
		if ((s[0] == 'i' || s[0] == 'I') && (s[1] == 'b' || s[1] == 'B'))
			s += 2;
		else if (*s == 'b' || *s == 'B')
			s++;
	} else if (*s == 'b' || *s == 'B') {
		s++;
	}
	if (*s)
		return -EINVAL;
	if (nfrac && !shift)
		return -EDOM;	/* a fraction of a byte */
	if (((frac << shift) % scale) != 0)
		return -EDOM;
	bytes = ((unsigned __int128)whole << shift) + (frac << shift) / scale;
	if (bytes > UINT64_MAX)
		return -ERANGE;
	*out = (uint64_t)bytes;
	return 0;
}

int units_parse_limit(const char *s, const char *none_word, uint64_t *out)
{
	int ret;

	if (s && (!strcasecmp(s, "none") || (none_word && !strcasecmp(s, none_word)))) {
		*out = UINT64_MAX;
		return 0;
	}
	ret = units_parse_size(s, out);
	/* 2^64-1 is the kernel's "no limit" value: not a limit one can set */
	if (!ret && *out == UINT64_MAX)
		return -ERANGE;
	return ret;
}

const char *units_parse_strerror(int err)
{
	switch (-err) {
	case ERANGE:
		return _("too large (a limit is at most 16E minus 2 bytes)");
	case EDOM:
		return _("not a whole number of bytes");
	default:
		return _("expected digits with an optional k, m, g, t, p or e suffix (powers of 1024)");
	}
}

struct units units_next(struct units u)
{
	struct units n = { UNITS_IEC, -1 };

	if (u.base == UNITS_IEC)
		n.base = UNITS_SI;
	else if (u.base == UNITS_SI)
		n.base = UNITS_RAW;
	return n;
}

const char *units_name(struct units u)
{
	switch (u.base) {
	case UNITS_RAW:
		return "raw";
	case UNITS_SI:
		return "si";
	default:
		return "iec";
	}
}
