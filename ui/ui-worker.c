// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ui-worker.c - the frontend's worker thread (see ui-worker.h). The input
 * loop never calls into the session itself: it submits jobs here and
 * polls the wake pipe; the worker calls only the session.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "signals.h"
#include "ui-worker.h"

#define INTERVAL_IDLE_MS 2000
#define INTERVAL_RESCAN_MS 250

static void wake(struct ui_worker *w)
{
	char c = 1;

	/* a full pipe already wakes the loop: ignore EAGAIN */
	if (write(w->wake[1], &c, 1) < 0)
		return;
}

/* hand a result to the input loop */
static void publish(struct ui_worker *w, const struct session_result *r)
{
	pthread_mutex_lock(&w->lock);
	if (r->msg[0]) {
		snprintf(w->msg, sizeof(w->msg), "%s", r->msg);
		w->msg_new = true;
		w->msg_error = r->error;
		w->msg_sticky = r->sticky;
	}
	if (r->have_freed) {
		w->have_freed = true;
		w->freed = r->freed;
		w->freed_nr = r->freed_nr;
	}
	pthread_mutex_unlock(&w->lock);
	wake(w);
}

static void run(struct ui_worker *w, const struct session_job *j)
{
	struct session_result r;

	memset(&r, 0, sizeof(r));
	session_run_job(w->s, j, &r);
	publish(w, &r);
}

static unsigned now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void refresh(struct ui_worker *w)
{
	struct qgroup_model *m = malloc(sizeof(*m));
	struct session_result news;
	unsigned t0 = now_ms();
	int ret;

	if (!m) {
		ret = -ENOMEM;
		goto out_report;
	}
	qgroup_model_init(m);
	ret = session_refresh(w->s, m);
	memset(&news, 0, sizeof(news));
	if (session_news(w->s, &news))
		publish(w, &news);
	if (ret) {
		qgroup_model_free(m);
		free(m);
		m = NULL;
	}
out_report:
	pthread_mutex_lock(&w->lock);
	w->last_refresh_ms = now_ms() - t0;
	w->refresh_err = ret;
	w->refreshed_once = true;
	if (m) {
		if (w->fresh) {
			qgroup_model_free(w->fresh);
			free(w->fresh);
		}
		w->fresh = m;
	}
	pthread_mutex_unlock(&w->lock);
	wake(w);
}

static void deadline_after(struct timespec *ts, unsigned ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static void *worker_main(void *arg)
{
	struct ui_worker *w = arg;
	bool image = w->s->kind == SESSION_IMAGE;
	struct timespec until;

	refresh(w);
	pthread_mutex_lock(&w->lock);
	for (;;) {
		unsigned ms = w->s->follow || w->s->rescan_ours ? INTERVAL_RESCAN_MS
								 : INTERVAL_IDLE_MS;
		bool timed_out = false;

		/* a filesystem with very many qgroups takes a while to read:
		 * never spend more than about a quarter of the time on it */
		if (ms < 4 * w->last_refresh_ms)
			ms = 4 * w->last_refresh_ms;

		deadline_after(&until, ms);
		while (!w->stop && !w->job_pending && !w->refresh_now && !timed_out) {
			if (image)
				pthread_cond_wait(&w->cond, &w->lock);
			else
				timed_out = pthread_cond_timedwait(&w->cond, &w->lock, &until) ==
					    ETIMEDOUT;
		}
		if (w->stop)
			break;
		if (w->job_pending) {
			struct session_job j = w->job;

			w->job_pending = false;
			w->busy = true;
			pthread_mutex_unlock(&w->lock);
			run(w, &j);
			free(j.ids);
			pthread_mutex_lock(&w->lock);
			w->busy = false;
			/* an image is scanned once; its jobs change nothing */
			if (image) {
				pthread_mutex_unlock(&w->lock);
				wake(w);
				pthread_mutex_lock(&w->lock);
				continue;
			}
		}
		w->refresh_now = false;
		pthread_mutex_unlock(&w->lock);
		refresh(w);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int ui_worker_start(struct ui_worker *w, struct session *s)
{
	pthread_condattr_t ca;
	int ret;

	memset(w, 0, sizeof(*w));
	w->s = s;
	if (pipe2(w->wake, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	ret = signals_thread_create(&w->thread, worker_main, w);
	if (ret) {
		close(w->wake[0]);
		close(w->wake[1]);
		return -ret;
	}
	w->started = true;
	return 0;
}

bool ui_worker_submit(struct ui_worker *w, struct session_job *job)
{
	bool ok;

	pthread_mutex_lock(&w->lock);
	ok = !w->busy && !w->job_pending;
	if (ok) {
		w->job = *job;
		w->job_pending = true;
		pthread_cond_signal(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	if (!ok)
		free(job->ids);
	job->ids = NULL;
	return ok;
}

void ui_worker_refresh(struct ui_worker *w)
{
	/* a new scan was asked for: forget a cancel of the previous one */
	atomic_store(&w->s->cancel, 0);
	pthread_mutex_lock(&w->lock);
	w->refresh_now = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

struct qgroup_model *ui_worker_take(struct ui_worker *w)
{
	struct qgroup_model *m;

	pthread_mutex_lock(&w->lock);
	m = w->fresh;
	w->fresh = NULL;
	pthread_mutex_unlock(&w->lock);
	return m;
}

/* the thread has been joined: release what it used */
static void joined(struct ui_worker *w)
{
	w->started = false;
	if (w->fresh) {
		qgroup_model_free(w->fresh);
		free(w->fresh);
		w->fresh = NULL;
	}
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	close(w->wake[0]);
	close(w->wake[1]);
}

bool ui_worker_stop(struct ui_worker *w, unsigned wait_ms)
{
	struct timespec until;

	if (!w->started)
		return true;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	atomic_store(&w->s->cancel, 1);
	/* the deadline is on the realtime clock for pthread_timedjoin_np() */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (pthread_timedjoin_np(w->thread, NULL, &until))
		return false;
	joined(w);
	return true;
}

bool ui_worker_reap(struct ui_worker *w)
{
	if (!w->started)
		return true;
	if (pthread_tryjoin_np(w->thread, NULL))
		return false;
	joined(w);
	return true;
}
