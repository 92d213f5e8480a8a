// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * units.c - size formatting like btrfs-progs pretty_size(): two decimals
 * and the largest unit that keeps the value at or above 1.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

int units_parse_size(const char *s, uint64_t *out)
{
	char *end;
	long double v;
	uint64_t mult = 1;
	int shift = 0;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtold(s, &end);
	if (end == s || errno || isnan((double)v) || v < 0)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	case 'p': case 'P': shift = 50; break;
	case 'e': case 'E': shift = 60; break;
	case 'b': case 'B': case '\0': break;
	default: return -EINVAL;
	}
	if (shift) {
		end++;
		if (!strcasecmp(end, "ib") || !strcasecmp(end, "b"))
			end += strlen(end);
	} else if (*end == 'b' || *end == 'B') {
		end++;
	}
	if (*end != '\0')
		return -EINVAL;
	mult <<= shift;
	v *= (long double)mult;
	if (v >= 18446744073709551616.0L)
		return -ERANGE;
	*out = (uint64_t)(v + 0.5L);
	return 0;
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
