// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ui-worker.c - the frontend's worker thread (see ui-worker.h). The input
 * loop never calls into the session itself: it submits jobs here and
 * polls the wake pipe.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "live-admin.h"
#include "live-rescan.h"
#include "nls.h"
#include "ui-worker.h"
#include "units.h"
#include "view-format.h"

#define INTERVAL_IDLE_MS 2000
#define INTERVAL_RESCAN_MS 250

static void wake(struct ui_worker *w)
{
	char c = 1;

	/* a full pipe already wakes the loop: ignore EAGAIN */
	if (write(w->wake[1], &c, 1) < 0)
		return;
}

static void say(struct ui_worker *w, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct ui_worker *w, bool error, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&w->lock);
	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
	va_end(ap);
	w->msg_new = true;
	w->msg_error = error;
	pthread_mutex_unlock(&w->lock);
}

static const char *id_str(uint64_t id, char *buf)
{
	return qgroup_id_format(id, buf, 32);
}

static void run_job(struct ui_worker *w, struct ui_job *j)
{
	struct live_fs *fs = &w->s->fs;
	char a[32], b[32], sz[UNITS_FORMAT_LEN];
	bool inconsistent = false;
	char *saved = NULL;
	struct live_admin_stale *stale = NULL;
	size_t nr_stale = 0, nr_done = 0, nr_failed = 0, i;
	uint64_t bytes = 0;
	int ret = 0;

	switch (j->kind) {
	case UI_JOB_NONE:
		return;
	case UI_JOB_RESCAN:
		ret = live_rescan_start(fs);
		if (ret == 0 || ret == -EINPROGRESS) {
			if (ret == 0)
				session_rescan_started(w->s);
			say(w, false, "%s", ret ? _("a rescan was already running: following it")
						: _("rescan started"));
			return;
		}
		break;
	case UI_JOB_PAUSE:
		ret = live_rescan_pause(w->s->pause_mountpoint);
		if (!ret) {
			say(w, false, _("%s remounted read-only: the rescan is paused until the "
					"next read-write mount"), w->s->pause_mountpoint);
			return;
		}
		break;
	case UI_JOB_QUOTA_ENABLE:
		ret = live_admin_quota_enable(fs, j->flag);
		if (ret == 1) {
			say(w, false, "%s", _("quota was already enabled"));
			return;
		}
		if (!ret) {
			say(w, false, "%s", j->flag ? _("simple quotas enabled")
						: _("quotas enabled; the kernel rescans all extents now"));
			session_rescan_started(w->s);
			return;
		}
		break;
	case UI_JOB_QUOTA_DISABLE:
		ret = live_admin_quota_disable(fs, NULL, &saved);
		if (!ret) {
			say(w, false, _("quotas disabled; the configuration is saved in %s "
					"(qgtop restore re-creates it)"), saved);
			free(saved);
			return;
		}
		if (saved)
			say(w, true, _("cannot disable quotas: %s (configuration saved in %s)"),
			    live_rescan_strerror(ret), saved);
		else
			say(w, true, _("cannot disable quotas: %s"), live_rescan_strerror(ret));
		free(saved);
		return;
	case UI_JOB_CREATE:
		ret = live_admin_qgroup_create(fs, j->a);
		if (!ret) {
			say(w, false, _("qgroup %s created"), id_str(j->a, a));
			return;
		}
		break;
	case UI_JOB_DESTROY:
		ret = live_admin_qgroup_destroy(fs, j->a);
		if (!ret) {
			say(w, false, _("qgroup %s destroyed"), id_str(j->a, a));
			return;
		}
		break;
	case UI_JOB_ASSIGN:
	case UI_JOB_REMOVE:
		ret = live_admin_qgroup_assign(fs, j->a, j->b, j->kind == UI_JOB_ASSIGN, 0,
					       &inconsistent);
		if (!ret) {
			id_str(j->a, a);
			id_str(j->b, b);
			if (j->kind == UI_JOB_ASSIGN)
				say(w, inconsistent, inconsistent ?
				    _("%s assigned to %s; the numbers are now inconsistent: rescan with r") :
				    _("%s assigned to %s"), a, b);
			else
				say(w, inconsistent, inconsistent ?
				    _("%s removed from %s; the numbers are now inconsistent: rescan with r") :
				    _("%s removed from %s"), a, b);
			return;
		}
		break;
	case UI_JOB_LIMIT:
		ret = live_admin_qgroup_limit(fs, j->a, j->which, j->size);
		if (!ret) {
			const char *what = j->which == QGROUP_LIMIT_MAX_EXCL ? _("exclusive")
									       : _("referenced");

			if (j->size == UINT64_MAX)
				say(w, false, _("%s limit of %s cleared"), what, id_str(j->a, a));
			else
				say(w, false, _("%s limit of %s set to %s"), what, id_str(j->a, a),
				    units_format(j->size, UNITS_DEFAULT, sz, sizeof(sz)));
			return;
		}
		break;
	case UI_JOB_CLEAR_STALE:
		ret = live_admin_clear_stale(fs, &stale, &nr_stale);
		if (!ret) {
			for (i = 0; i < nr_stale; i++) {
				if (stale[i].err)
					nr_failed++;
				else
					nr_done++;
			}
			if (nr_failed)
				say(w, true, P_("%zu stale qgroups destroyed, %zu refused by the kernel "
						"(still charged or being freed)",
						"%zu stale qgroups destroyed, %zu refused by the kernel "
						"(still charged or being freed)", nr_failed),
				    nr_done, nr_failed);
			else
				say(w, false, P_("%zu stale qgroup destroyed", "%zu stale qgroups destroyed",
						 nr_done), nr_done);
			free(stale);
			return;
		}
		break;
	case UI_JOB_FREED:
		ret = session_freed(w->s, j->ids, j->nr, &bytes);
		if (!ret) {
			pthread_mutex_lock(&w->lock);
			w->have_freed = true;
			w->freed = bytes;
			w->freed_nr = j->nr;
			pthread_mutex_unlock(&w->lock);
			wake(w);
			return;
		}
		break;
	}
	say(w, true, _("failed: %s"), live_rescan_strerror(ret));
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
	unsigned t0 = now_ms();
	int ret;

	if (!m) {
		ret = -ENOMEM;
		goto out_report;
	}
	qgroup_model_init(m);
	ret = session_refresh(w->s, m);
	if (w->s->rescan_finished) {
		char d[32];

		w->s->rescan_finished = false;
		view_format_duration(w->s->rescan_duration, d, sizeof(d));
		if (w->s->rescan_finished_ok)
			say(w, false, w->s->rescan_finished_ours ?
			    _("rescan finished in %s; the numbers are final") :
			    _("rescan finished (watched for %s); the numbers are final"), d);
		else
			say(w, true, w->s->rescan_finished_ours ?
			    _("rescan ended after %s but the numbers are still inconsistent") :
			    _("rescan ended (watched for %s) but the numbers are still inconsistent"),
			    d);
	}
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
		unsigned ms = w->s->rp || w->s->rescan_ours ? INTERVAL_RESCAN_MS : INTERVAL_IDLE_MS;
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
			struct ui_job j = w->job;

			w->job_pending = false;
			w->busy = true;
			pthread_mutex_unlock(&w->lock);
			run_job(w, &j);
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
	ret = pthread_create(&w->thread, NULL, worker_main, w);
	if (ret) {
		close(w->wake[0]);
		close(w->wake[1]);
		return -ret;
	}
	w->started = true;
	return 0;
}

bool ui_worker_submit(struct ui_worker *w, struct ui_job *job)
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

void ui_worker_stop(struct ui_worker *w)
{
	if (!w->started)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	atomic_store(&w->s->cancel, 1);
	pthread_join(w->thread, NULL);
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
