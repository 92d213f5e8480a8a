/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * session.h - the source the interactive frontend polls: a mounted
 * filesystem (live ioctls and sysfs) or unmounted images (offline
 * engine). session_refresh() fills a fresh qgroup_model; the frontend
 * calls it from a worker thread, never from its input loop, since the
 * reads can block (ioctls, the offline scan).
 *
 * The session also says which actions apply (capabilities) and why the
 * others do not, so the frontend can show them disabled.
 */
#ifndef QGTOP_SESSION_H
#define QGTOP_SESSION_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "live-fs.h"
#include "live-rescan.h"
#include "qgroup-model.h"

struct offline_engine;
struct rescan_follow;

enum session_kind {
	SESSION_LIVE = 0,
	SESSION_IMAGE,
};

/* actions, for session_why_not() */
enum session_action {
	SESSION_ACT_RESCAN = 0,
	SESSION_ACT_ABORT,
	SESSION_ACT_QUOTA_ENABLE,
	SESSION_ACT_QUOTA_DISABLE,
	SESSION_ACT_CREATE,
	SESSION_ACT_DESTROY,
	SESSION_ACT_ASSIGN,
	SESSION_ACT_LIMIT,
	SESSION_ACT_CLEAR_STALE,
	SESSION_ACT_THRESHOLD,	/* set drop_subtree_threshold */
	SESSION_ACT_FREED,	/* offline: bytes freed by deleting marked subvolumes */
	SESSION_ACT_CANCEL_SCAN,	/* offline: stop the scan */
	SESSION_ACT_EXACT,	/* switch between live and exact numbers */
};

/* what a frontend asks of a session (session_run_job()) */
enum session_job_kind {
	SESSION_JOB_NONE = 0,
	SESSION_JOB_RESCAN,
	SESSION_JOB_PAUSE,		/* remount @mountpoint read-only: pauses a rescan */
	SESSION_JOB_QUOTA_ENABLE,	/* flag: simple */
	SESSION_JOB_QUOTA_DISABLE,	/* saves the configuration first */
	SESSION_JOB_CREATE,		/* a */
	SESSION_JOB_DESTROY,		/* a */
	SESSION_JOB_ASSIGN,		/* a child, b parent */
	SESSION_JOB_REMOVE,		/* a child, b parent */
	SESSION_JOB_LIMIT,		/* a, which, size (UINT64_MAX clears) */
	SESSION_JOB_CLEAR_STALE,
	SESSION_JOB_THRESHOLD,		/* a: the level */
	SESSION_JOB_FREED,		/* ids, nr */
};

/* one action with its parameters */
struct session_job {
	enum session_job_kind kind;
	uint64_t a, b, which, size;
	bool flag;
	uint64_t *ids;		/* owned by the job's submitter */
	size_t nr;
	char mountpoint[4096];	/* SESSION_JOB_PAUSE */
};

#define SESSION_MSG_MAX 2048

/* what a job (or a refresh) has to tell the user */
struct session_result {
	char msg[SESSION_MSG_MAX];	/* empty: nothing to say */
	bool error;
	bool sticky;		/* stays until dismissed: it names a saved file */
	bool have_freed;	/* SESSION_JOB_FREED done: */
	uint64_t freed;		/* the bytes, for @freed_nr subvolumes */
	size_t freed_nr;
};

struct session;

/* what a kind of source implements (live here, images in session-image.c) */
struct session_source {
	int (*refresh)(struct session *s, struct qgroup_model *m);
	int (*freed)(struct session *s, const uint64_t *ids, size_t nr, uint64_t *bytes);
	void (*close)(struct session *s);
};

struct session {
	enum session_kind kind;
	const struct session_source *src;
	char *path;		/* live: as given; image: the first image */
	struct live_fs fs;
	bool fs_open;
	_Atomic unsigned missing;	/* LIVE_QUOTA_* of the last refresh */
	bool is_root;		/* effective uid 0 */

	/* live: the rescan being followed */
	struct rescan_follow *follow;	/* NULL when none is */
	bool rescan_active_seen;	/* the followed scan was seen running */
	double rescan_t0;	/* when we started it or first saw it */
	bool rescan_ours;	/* we started it: the duration is the real one */
	bool rescan_finished;	/* it ended since the last refresh */
	bool rescan_finished_ok;	/* ... and the numbers are consistent */
	bool rescan_finished_ours;	/* ... and we started it: a real duration */
	atomic_bool rescan_attached;	/* following a scan started elsewhere:
					 * the time shown is since we saw it */
	double rescan_duration;	/* seconds, for rescan_finished */

	/* image */
	char **images;
	size_t nr_images;
	struct offline_engine *engine;
	atomic_bool scanned;	/* a scan completed: freed figures available */
	atomic_int cancel;	/* set to stop a running scan */
	/* progress of a running scan, 0..1 or negative when unknown */
	_Atomic double scan_fraction;
	char error[256];	/* last one-line error of the image source */
	bool exact_live;	/* image kind over a mounted filesystem (--exact) */
	bool engine_fresh;	/* @engine opened, not yet scanned */
};

/**
 * session_open_live() - open the mounted filesystem that @path is on
 * @s: session to fill
 * @path: any path on a mounted btrfs
 * Return: 0 or -errno as live_fs_open().
 */
int session_open_live(struct session *s, const char *path);

/**
 * session_open_image() - open unmounted images with the offline engine
 * (in session-image.c)
 * @s: session to fill
 * @paths: the devices or image files of one filesystem
 * @nr: their number
 * Return: 0 or -errno; @s->error then says why.
 */
int session_open_image(struct session *s, char *const *paths, size_t nr);

/**
 * session_open_exact() - the mounted filesystem @path is on, read through
 * its own devices by the offline engine (as `qgtop scan DIRECTORY`): each
 * refresh is an exact scan of the latest commit, started over when the
 * filesystem commits under it (in session-image.c; needs root)
 * Return: 0 or -errno; @s->error then says why.
 */
int session_open_exact(struct session *s, const char *path);

/**
 * session_switch_exact() - a mounted filesystem's live session becomes an
 * --exact one on the same path, and an --exact one becomes live (the `e`
 * key; in session-image.c). The new exact session opens its engine in its
 * first refresh. No thread may use @s meanwhile.
 * Return: 0, or -errno with @s unchanged (-EINVAL: @s is an image).
 */
int session_switch_exact(struct session *s);

/**
 * session_refresh() - read the current state into @m
 * @s: session
 * @m: an initialised, empty model; finished on success
 *
 * Live: reads the quota tree, sysfs and subvolume paths (fast). Image:
 * runs the offline scan (slow; cancellable with @s->cancel, progress in
 * @s->scan_fraction).
 * Return: 0 or -errno (-ECANCELED when an offline scan was cancelled).
 */
int session_refresh(struct session *s, struct qgroup_model *m);

/**
 * session_rescan_started() - note that we just started a rescan, so its
 * duration is measured from now
 */
void session_rescan_started(struct session *s);

/**
 * session_run_job() - carry out @j on the source of @s (in session-jobs.c)
 * @r: receives the message for the user and, for SESSION_JOB_FREED, the
 *     bytes; zeroed by the caller
 *
 * Blocks for as long as the action takes (ioctls, a remount): frontends
 * call it from a worker thread.
 */
void session_run_job(struct session *s, const struct session_job *j, struct session_result *r);

/**
 * session_news() - what the last refresh has to tell the user: a rescan
 * that ended, with its duration and whether the numbers are final
 * Return: true when @r got a message.
 */
bool session_news(struct session *s, struct session_result *r);

/**
 * session_why_not() - whether @act applies to the state @m of @s
 * Return: NULL when it does, else a reason (translated).
 */
const char *session_why_not(const struct session *s, const struct qgroup_model *m,
			    enum session_action act);

/**
 * session_freed() - offline: bytes deleting the subvolumes @ids would free
 * Return: 0, -EINVAL (no scan yet or not an image), -ENOMEM.
 */
int session_freed(struct session *s, const uint64_t *ids, size_t nr, uint64_t *bytes);

/**
 * session_title() - a short name of the source for the header
 */
const char *session_title(const struct session *s);

/**
 * session_close() - release everything the session holds
 */
void session_close(struct session *s);

#endif
