/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mono-time.h - the monotonic clock in seconds, for rates, ETAs and
 * timing probes (never for timestamps shown to the user).
 */
#ifndef QGTOP_MONO_TIME_H
#define QGTOP_MONO_TIME_H

#include <time.h>

static inline double mono_time_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif
