/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rescan-follow.h - follow a running quota rescan: the one place that
 * takes the kernel's status, feeds the state machine (live-rescan.h),
 * starts the percentage estimate when a scan is seen (rescan-progress.h)
 * and turns both into what the frontends show (state, percent, elapsed,
 * rate, ETA). Used by `rescan --watch/--wait`, `rescan --status`, `show`,
 * `metrics` and the TUI's session.
 */
#ifndef QGTOP_RESCAN_FOLLOW_H
#define QGTOP_RESCAN_FOLLOW_H

#include <signal.h>
#include <stdbool.h>

#include "live-fs.h"
#include "live-rescan.h"
#include "qgroup-model.h"
#include "rescan-progress.h"

struct rescan_follow {
	struct live_fs *fs;
	struct live_rescan_track track;
	struct live_rescan_sample last;	/* the latest observation */
	struct rescan_progress progress;
	bool progress_on;	/* the estimate was started */
	bool want_progress;
	bool started;		/* we started the scan, at t0 */
	double t0;
};

/**
 * rescan_follow_init() - prepare to follow the rescan of @fs
 * @f: state
 * @fs: open filesystem, kept open until rescan_follow_end()
 * @started: we just started the scan at @t_start: its duration counts from
 *           then, and a scan over before the first look has ended (not
 *           "never ran")
 * @want_progress: estimate the percentage (reads the extent tree)
 */
void rescan_follow_init(struct rescan_follow *f, struct live_fs *fs, bool started,
			double t_start, bool want_progress);

/**
 * rescan_follow_poll() - look once: status, state, estimate
 * @f: state
 * @out: state, raw progress, percent, elapsed, rate and ETA (negative
 *       when unknown; elapsed counts from the start when we started it,
 *       else from the first look)
 * @count_pct: if not NULL, the naive item-count percentage (or -1)
 * Return: 0 or the -errno of the status ioctl (-EPERM without root).
 * The end of the scan is then in f->track.end.
 */
int rescan_follow_poll(struct rescan_follow *f, struct qgroup_rescan *out, double *count_pct);

/**
 * rescan_follow_end() - stop the estimate and free what @f holds
 */
void rescan_follow_end(struct rescan_follow *f);

/**
 * rescan_follow_once() - one look with a percentage, for commands that
 * report the moment (`rescan --status`, `show`, `metrics`)
 * @fs: open filesystem
 * @out: as rescan_follow_poll(); the percentage waits for the estimate
 * @sample: if not NULL, receives the observation
 * @count_pct: if not NULL, the naive item-count percentage (or -1)
 * @stop: NULL, or a flag (a signal handler's) that ends the wait
 * Return: 0, -EINTR when @stop was set, or the -errno of the status.
 */
int rescan_follow_once(struct live_fs *fs, struct qgroup_rescan *out,
		       struct live_rescan_sample *sample, double *count_pct,
		       volatile const sig_atomic_t *stop);

/**
 * rescan_follow_model() - put the rescan state and its percentage into
 * @m->rescan (rescan_follow_once()); unchanged when quota is disabled or the
 * status cannot be read (no root)
 * @fs: the filesystem @m was read from
 */
void rescan_follow_model(struct live_fs *fs, struct qgroup_model *m);

#endif
