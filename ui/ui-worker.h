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

enum ui_job_kind {
	UI_JOB_NONE = 0,
	UI_JOB_RESCAN,
	UI_JOB_PAUSE,		/* remount read-only: pauses a rescan */
	UI_JOB_QUOTA_ENABLE,	/* flag: simple */
	UI_JOB_QUOTA_DISABLE,	/* saves the configuration first */
	UI_JOB_CREATE,		/* a */
	UI_JOB_DESTROY,		/* a */
	UI_JOB_ASSIGN,		/* a child, b parent */
	UI_JOB_REMOVE,		/* a child, b parent */
	UI_JOB_LIMIT,		/* a, which, size (UINT64_MAX clears) */
	UI_JOB_CLEAR_STALE,
	UI_JOB_FREED,		/* ids, nr */
};

struct ui_job {
	enum ui_job_kind kind;
	uint64_t a, b, which, size;
	bool flag;
	uint64_t *ids;		/* owned by the job */
	size_t nr;
};

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
	struct ui_job job;
	bool job_pending, busy;
	struct qgroup_model *fresh;	/* a new model for the input loop */
	int refresh_err;		/* last refresh error, 0 when fine */
	unsigned last_refresh_ms;	/* how long the last refresh took */
	bool refreshed_once;
	char msg[512];
	bool msg_new, msg_error;
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
bool ui_worker_submit(struct ui_worker *w, struct ui_job *job);

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
 */
void ui_worker_stop(struct ui_worker *w);

#endif
