// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qgroup-restore.c - make a mounted filesystem hold a saved qgroup
 * configuration (qgroup-config.h): create the missing qgroups, add the
 * missing relations, set the limits, and rescan when the kernel says the
 * numbers became inconsistent. A restore goes on past a change the kernel
 * refuses and reports it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "live-admin.h"
#include "live-quota.h"
#include "live-rescan.h"
#include "qgroup-restore.h"

void qgroup_restore_report_free(struct qgroup_restore_report *rep)
{
	free(rep->skipped);
	free(rep->failed);
	memset(rep, 0, sizeof(*rep));
}

static bool has_parent(const struct qgroup *q, uint64_t parent)
{
	for (size_t i = 0; i < q->nr_parents; i++)
		if (q->parents[i] == parent)
			return true;
	return false;
}

/* a saved level-0 qgroup whose subvolume is gone (or not known live) */
static bool gone(const struct qgroup_model *live, uint64_t id)
{
	const struct qgroup *q;

	if (QGROUP_LEVEL(id) != 0)
		return false;
	q = qgroup_model_find(live, id);
	return !q || q->state != QGROUP_STATE_OK;
}

static uint64_t live_limit(const struct qgroup *q, uint64_t flag)
{
	if (!q || !q->has_limit || !(q->limit_flags & flag))
		return UINT64_MAX;
	return flag == QGROUP_LIMIT_MAX_RFER ? q->max_rfer : q->max_excl;
}

static uint64_t cfg_limit(const struct qgroup *q, uint64_t flag)
{
	if (!q->has_limit || !(q->limit_flags & flag))
		return UINT64_MAX;
	return flag == QGROUP_LIMIT_MAX_RFER ? q->max_rfer : q->max_excl;
}

/* errors every later change would hit as well */
static bool stops_all(int err)
{
	return err == -EPERM || err == -EROFS || err == -ENOTCONN || err == -ENOMEM;
}

static int add_failure(struct qgroup_restore_report *rep, enum qgroup_restore_step step,
		       uint64_t id, uint64_t parent, uint64_t which, int err, uint64_t needs)
{
	struct qgroup_restore_failure *n;

	n = realloc(rep->failed, (rep->nr_failed + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	rep->failed = n;
	n[rep->nr_failed++] = (struct qgroup_restore_failure){ step, id, parent, which, err, needs };
	if (stops_all(err))
		rep->stopped = true;
	return 0;
}

/* the qgroup @id was to be created and that failed */
static bool create_failed(const struct qgroup_restore_report *rep, uint64_t id)
{
	for (size_t i = 0; i < rep->nr_failed; i++)
		if (rep->failed[i].step == QGROUP_RESTORE_CREATE && rep->failed[i].id == id &&
		    !rep->failed[i].needs)
			return true;
	return false;
}

int qgroup_restore(struct live_fs *fs, const struct qgroup_model *cfg,
			  unsigned flags, struct qgroup_restore_report *rep)
{
	static const uint64_t limit_flags[] = { QGROUP_LIMIT_MAX_RFER, QGROUP_LIMIT_MAX_EXCL };
	struct qgroup_model live;
	unsigned missing = 0;
	bool running;
	size_t i, j, k;
	int ret;

	memset(rep, 0, sizeof(*rep));
	qgroup_model_init(&live);
	ret = live_quota_read(fs, &live, &missing);
	if (ret)
		goto out_free;
	if (live.mode == QGROUP_MODE_DISABLED) {
		ret = -ENOTCONN;
		goto out_free;
	}
	if (missing & (LIVE_QUOTA_NO_TREE | LIVE_QUOTA_NO_PATHS)) {
		ret = -EPERM;
		goto out_free;
	}
	if (fs->read_only) {
		ret = -EROFS;
		goto out_free;
	}
	ret = live_admin_state(fs, &live.mode, &running);
	if (ret)
		goto out_free;
	if (running) {
		ret = -EINPROGRESS;
		goto out_free;
	}
	for (i = 0; i < cfg->nr_qgroups; i++) {
		const struct qgroup *q = &cfg->qgroups[i];
		uint64_t *n;

		if (!gone(&live, q->id))
			continue;
		ret = -ENOMEM;
		n = realloc(rep->skipped, (rep->nr_skipped + 1) * sizeof(*n));
		if (!n)
			goto out_free;
		n[rep->nr_skipped++] = q->id;
		rep->skipped = n;
		rep->skipped_relations += (unsigned)q->nr_parents +
			((q->has_limit && q->limit_flags) ? 1 : 0);
		ret = 0;
	}
	/* from here on a failure is listed and the rest goes on */
	/* qgroups first (parents must exist before the assigns) */
	for (i = 0; i < cfg->nr_qgroups && !rep->stopped; i++) {
		const struct qgroup *q = &cfg->qgroups[i];
		int r;

		if (QGROUP_LEVEL(q->id) == 0 || qgroup_model_find(&live, q->id))
			continue;
		r = live_admin_qgroup_create(fs, q->id);
		if (r && (ret = add_failure(rep, QGROUP_RESTORE_CREATE, q->id, 0, 0, r, 0)))
			goto out_free;
		rep->created += !r;
	}
	for (i = 0; i < cfg->nr_qgroups && !rep->stopped; i++) {
		const struct qgroup *q = &cfg->qgroups[i];
		const struct qgroup *lq;

		if (gone(&live, q->id))
			continue;
		lq = qgroup_model_find(&live, q->id);
		for (j = 0; j < q->nr_parents && !rep->stopped; j++) {
			uint64_t parent = q->parents[j], needs = 0;
			bool inc;
			int r;

			if (lq && has_parent(lq, parent))
				continue;
			if (create_failed(rep, q->id))
				needs = q->id;
			else if (create_failed(rep, parent))
				needs = parent;
			if (needs) {
				ret = add_failure(rep, QGROUP_RESTORE_ASSIGN, q->id, parent, 0, 0, needs);
				if (ret)
					goto out_free;
				continue;
			}
			/* a rescan runs here only if someone started one since */
			r = live_admin_qgroup_assign(fs, q->id, parent, true, 0, &inc);
			if (r) {
				ret = add_failure(rep, QGROUP_RESTORE_ASSIGN, q->id, parent, 0, r, 0);
				if (ret)
					goto out_free;
				continue;
			}
			rep->assigned++;
			rep->inconsistent |= inc;
		}
	}
	for (i = 0; i < cfg->nr_qgroups && !rep->stopped; i++) {
		const struct qgroup *q = &cfg->qgroups[i];
		const struct qgroup *lq;
		bool changed = false;

		if (gone(&live, q->id))
			continue;
		lq = qgroup_model_find(&live, q->id);
		for (k = 0; k < 2 && !rep->stopped; k++) {
			uint64_t want = cfg_limit(q, limit_flags[k]);
			int r;

			if (want == live_limit(lq, limit_flags[k]))
				continue;
			if (create_failed(rep, q->id)) {
				ret = add_failure(rep, QGROUP_RESTORE_LIMIT, q->id, 0, limit_flags[k], 0,
						  q->id);
				if (ret)
					goto out_free;
				continue;
			}
			r = live_admin_qgroup_limit(fs, q->id, limit_flags[k], want);
			if (r) {
				ret = add_failure(rep, QGROUP_RESTORE_LIMIT, q->id, 0, limit_flags[k], r,
						  0);
				if (ret)
					goto out_free;
				continue;
			}
			changed = true;
		}
		rep->limits_set += changed;
	}
	if (rep->inconsistent && !rep->stopped && !(flags & QGROUP_RESTORE_NO_RESCAN) &&
	    live.mode == QGROUP_MODE_FULL) {
		int r = live_rescan_start(fs);

		/* one already running (started since we looked) does the same */
		if (r < 0 && r != -EINPROGRESS) {
			ret = add_failure(rep, QGROUP_RESTORE_RESCAN, 0, 0, 0, r, 0);
			if (ret)
				goto out_free;
		} else {
			rep->rescan_started = true;
		}
	}
	ret = rep->nr_failed ? 1 : 0;
out_free:
	qgroup_model_free(&live);
	return ret;
}
