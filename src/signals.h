/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * signals.h - one way to catch the signals that end a session (SIGINT,
 * SIGTERM, SIGHUP) for the commands that wait and the curses frontend.
 */
#ifndef QGTOP_SIGNALS_H
#define QGTOP_SIGNALS_H

#include <pthread.h>

/**
 * signals_catch_terminating() - call @handler on SIGINT, SIGTERM and SIGHUP
 *
 * Installed without SA_RESTART on purpose: a blocking ioctl, sleep or
 * poll() returns EINTR so the caller can clean up (restore the terminal,
 * save a checkpoint) and exit with the signal's status.
 */
void signals_catch_terminating(void (*handler)(int));

/**
 * signals_thread_create() - pthread_create() of a thread that blocks every
 * signal
 *
 * Signals meant for the process (Ctrl-C, Ctrl-Z, a resize) then always
 * reach the thread that waits for them and restores the terminal, never
 * a worker in the middle of a read.
 * Return: 0 or a positive error number, as pthread_create().
 */
int signals_thread_create(pthread_t *thread, void *(*fn)(void *), void *arg);

#endif
