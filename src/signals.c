// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * signals.c - see signals.h.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "signals.h"

void signals_catch_terminating(void (*handler)(int))
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}
