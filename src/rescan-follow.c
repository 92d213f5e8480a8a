// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rescan-follow.c - following a rescan (see rescan-follow.h).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "mono-time.h"
#include "rescan-follow.h"

void rescan_follow_init(struct rescan_follow *f, struct live_fs *fs, bool started,
			double t_start, bool want_progress)
{
	memset(f, 0, sizeof(*f));
	f->fs = fs;
	f->started = started;
	f->t0 = t_start;
	f->want_progress = want_progress;
	live_rescan_track_init(&f->track);
	if (started) {
		/* progress 0 at the start: a tiny scan may be over before the
		 * first look, which is an end, not "never ran" */
		struct live_rescan_sample s0 = { .t = t_start, .flag = true, .quota_on = true };

		live_rescan_track_update(&f->track, &s0);
	}
}

static bool estimable(enum qgroup_rescan_state st)
{
	return st != QGROUP_RESCAN_IDLE && st != QGROUP_RESCAN_STALE;
}

int rescan_follow_poll(struct rescan_follow *f, struct qgroup_rescan *out, double *count_pct)
{
	enum qgroup_rescan_state st;
	int ret;

	if (count_pct)
		*count_pct = -1;
	ret = live_rescan_sample(f->fs, mono_time_now(), &f->last);
	if (ret)
		return ret;
	st = live_rescan_track_update(&f->track, &f->last);
	if (!f->t0)
		f->t0 = f->last.t;
	if (f->want_progress && !f->progress_on && f->last.flag && estimable(st)) {
		/* from the start when we started it, else from where we found it */
		ret = rescan_progress_begin(&f->progress, f->fs, f->started ? f->t0 : f->last.t,
					    f->started ? 0 : f->last.progress);
		if (ret)
			return ret;
		f->progress_on = true;
	}
	if (f->progress_on) {
		rescan_progress_observe(&f->progress, f->last.t, st, f->last.progress, out,
					count_pct);
	} else {
		memset(out, 0, sizeof(*out));
		out->state = st;
		out->progress = f->last.progress;
		out->percent = out->eta_s = out->rate = -1;
	}
	out->elapsed_s = f->last.t - f->t0;
	return 0;
}

void rescan_follow_end(struct rescan_follow *f)
{
	if (f->progress_on)
		rescan_progress_end(&f->progress);
	f->progress_on = false;
}

int rescan_follow_once(struct live_fs *fs, struct qgroup_rescan *out,
		       struct live_rescan_sample *sample, double *count_pct,
		       volatile const sig_atomic_t *stop)
{
	struct live_rescan_sample s;
	struct rescan_progress rp;
	int ret;

	if (count_pct)
		*count_pct = -1;
	ret = live_rescan_sample(fs, mono_time_now(), &s);
	if (ret)
		return ret;
	if (sample)
		*sample = s;
	memset(out, 0, sizeof(*out));
	out->state = live_rescan_classify(&s);
	out->progress = s.progress;
	out->percent = out->eta_s = out->rate = out->elapsed_s = -1;
	if (out->state == QGROUP_RESCAN_COMMITTING)
		out->percent = 100;
	if (!estimable(out->state) || out->state == QGROUP_RESCAN_COMMITTING)
		return 0;
	ret = rescan_progress_begin(&rp, fs, s.t, s.progress);
	if (ret)
		return ret;
	ret = rescan_progress_wait_ready(&rp, stop);
	if (!ret) {
		out->percent = rescan_progress_percent(&rp.ix, s.progress);
		if (count_pct)
			*count_pct = rescan_progress_count_percent(&rp.ix, s.progress);
	}
	rescan_progress_end(&rp);
	/* an extent tree we cannot read leaves only the percentage unknown */
	return ret == -EINTR ? ret : 0;
}

void rescan_follow_model(struct live_fs *fs, struct qgroup_model *m)
{
	struct qgroup_rescan r;

	/* no handler is installed by the callers: Ctrl-C ends them at once */
	if (m->mode != QGROUP_MODE_DISABLED && !rescan_follow_once(fs, &r, NULL, NULL, NULL))
		m->rescan = r;
}
