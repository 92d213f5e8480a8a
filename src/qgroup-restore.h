/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qgroup-restore.h - restore a saved qgroup configuration onto a mounted
 * filesystem (above the administration of live-admin.h; the file format is
 * qgroup-config.h).
 */
#ifndef QGTOP_QGROUP_RESTORE_H
#define QGTOP_QGROUP_RESTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "live-fs.h"
#include "qgroup-model.h"

/* one change qgroup_restore() tried and could not make */
enum qgroup_restore_step {
	QGROUP_RESTORE_CREATE,	/* create qgroup @id */
	QGROUP_RESTORE_ASSIGN,	/* add the relation @id -> @parent */
	QGROUP_RESTORE_LIMIT,	/* set the @which limit of @id */
	QGROUP_RESTORE_RESCAN,	/* start the rescan the assigns need */
};

struct qgroup_restore_failure {
	enum qgroup_restore_step step;
	uint64_t id, parent, which;
	int err;		/* the -errno */
	uint64_t needs;		/* when not 0: not tried, because creating this
				 * qgroup failed; @err is then 0 */
};

/* what qgroup_restore() did */
struct qgroup_restore_report {
	unsigned created;	/* higher-level qgroups created */
	unsigned assigned;	/* relations added */
	unsigned limits_set;	/* qgroups whose limits were changed */
	uint64_t *skipped;	/* level-0 qgroups whose subvolume is gone */
	size_t nr_skipped;
	unsigned skipped_relations;	/* relations and limits involving them */
	bool inconsistent;	/* an assign made the numbers inconsistent */
	bool rescan_started;
	struct qgroup_restore_failure *failed;	/* in the order tried */
	size_t nr_failed;	/* failed changes and those not tried for them */
	bool stopped;		/* a failure that every later change would hit
				 * too (permission, read-only, quota gone): the
				 * rest was not tried */
};

/* restore flags */
#define QGROUP_RESTORE_NO_RESCAN (1U << 0)	/* only report inconsistency */

/**
 * qgroup_restore() - make the live filesystem hold @cfg
 * @fs: open filesystem with quota enabled
 * @cfg: the configuration (qgroup_config_read())
 * @flags: QGROUP_RESTORE_* flags
 * @rep: what was done; free with qgroup_restore_report_free()
 *
 * Creates missing higher-level qgroups, adds missing relations and sets
 * every listed qgroup's limits to the saved ones (clearing limits the file
 * does not have). Level-0 qgroups whose subvolume no longer exists are
 * skipped with their relations and limits and listed in @rep. Qgroups and
 * relations on the filesystem that the file lacks are left alone, so
 * restoring twice changes nothing the second time.
 *
 * A change the kernel refuses does not end the restore: it is listed in
 * @rep->failed and the rest goes on, except what depends on it (the
 * relations and limits of a qgroup that could not be created are listed as
 * not tried). -EPERM, -EROFS, -ENOTCONN and -ENOMEM stop it, since every
 * later change would fail the same way (@rep->stopped). When an assign
 * returns 1 (numbers inconsistent) a rescan is started after all assigns
 * unless QGROUP_RESTORE_NO_RESCAN is given or the filesystem uses simple
 * quotas.
 *
 * The state is checked before the first change; a refusal then changes
 * nothing.
 * Return: 0 when everything was done, 1 when something failed (see
 * @rep->failed), or before any change -ENOTCONN (quota disabled),
 * -EINPROGRESS (a rescan runs: assigns now would leave wrong totals),
 * -EPERM, -EROFS, other -errno.
 */
int qgroup_restore(struct live_fs *fs, const struct qgroup_model *cfg,
			  unsigned flags, struct qgroup_restore_report *rep);

/**
 * qgroup_restore_report_free() - release what a report owns
 */
void qgroup_restore_report_free(struct qgroup_restore_report *rep);

#endif
