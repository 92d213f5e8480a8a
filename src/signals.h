/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * signals.h - one way to catch the signals that end a session (SIGINT,
 * SIGTERM, SIGHUP) for the commands that wait and the curses frontend.
 */
#ifndef QGTOP_SIGNALS_H
#define QGTOP_SIGNALS_H

/**
 * signals_catch_terminating() - call @handler on SIGINT, SIGTERM and SIGHUP
 *
 * Installed without SA_RESTART on purpose: a blocking ioctl, sleep or
 * poll() returns EINTR so the caller can clean up (restore the terminal,
 * save a checkpoint) and exit with the signal's status.
 */
void signals_catch_terminating(void (*handler)(int));

#endif
