/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-worker.h - the frontend's one worker thread: it refreshes the model
 * from the session (a few times a second while a rescan runs, every two
 * seconds otherwise, once for an image; slower when a refresh itself
 * takes long, so reading stays under a quarter of the time) and carries
 * out the actions the user confirmed, so nothing that can block runs on
 * the input loop. It wakes the input loop through a pipe when it has
 * something new.
 */
#ifndef QGTOP_UI_WORKER_H
#define QGTOP_UI_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qgroup-model.h"
#include "session.h"

struct ui_worker {
	struct session *s;
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int wake[2];		/* [0] polled by the input loop */

	/* under lock */
	bool stop;
	bool refresh_now;
	struct session_job job;
	bool job_pending, busy;
	struct qgroup_model *fresh;	/* a new model for the input loop */
	int refresh_err;		/* last refresh error, 0 when fine */
	unsigned last_refresh_ms;	/* how long the last refresh took */
	bool refreshed_once;
	char msg[SESSION_MSG_MAX];
	bool msg_new, msg_error, msg_sticky;
	bool have_freed;
	uint64_t freed;
	size_t freed_nr;
};

/**
 * ui_worker_start() - start the thread; it refreshes at once
 * Return: 0 or -errno.
 */
int ui_worker_start(struct ui_worker *w, struct session *s);

/**
 * ui_worker_submit() - hand a confirmed action to the worker
 * Return: false when another action is still running (@job is then freed).
 */
bool ui_worker_submit(struct ui_worker *w, struct session_job *job);

/**
 * ui_worker_refresh() - ask for a refresh now
 */
void ui_worker_refresh(struct ui_worker *w);

/**
 * ui_worker_take() - take the newest model, if any (caller frees it)
 * Return: the model or NULL.
 */
struct qgroup_model *ui_worker_take(struct ui_worker *w);

/**
 * ui_worker_stop() - stop and join the thread, cancelling a running scan
 * @wait_ms: how long to wait for the thread to end
 *
 * Return: true when it ended; false when it is still busy (a read the
 * kernel has not answered yet): then it is left running and nothing it
 * uses may be freed, the process is about to exit anyway.
 */
bool ui_worker_stop(struct ui_worker *w, unsigned wait_ms);

/**
 * ui_worker_reap() - after ui_worker_stop() returned false: join the
 * thread if it has ended since, without waiting
 * Return: true when it has (or never ran).
 */
bool ui_worker_reap(struct ui_worker *w);

#endif
