// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-restore.c - `qgtop restore [--no-rescan] [--no-wait] FILE PATH`:
 * re-create a saved qgroup configuration (qgroup-config.h) on a mounted
 * filesystem.
 *
 * Right after `quota enable` the kernel runs a rescan; assigning during
 * it can leave wrong parent totals, so restore waits for it by default.
 * A partial restore lists each change that failed or was not tried (on
 * stderr, after the summary of what was done on stdout) and exits 5.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "live-admin.h"
#include "nls.h"
#include "qgroup-config.h"
#include "qgroup-restore.h"

static void restore_usage(FILE *out)
{
	fprintf(out, _("Usage: qgtop restore [--no-rescan] [--no-wait] FILE PATH\n"
		       "Re-create the qgroups, relations and limits saved in FILE (by\n"
		       "'qgtop quota disable') on the btrfs filesystem PATH is on. Quota\n"
		       "must be enabled. Qgroups of subvolumes that no longer exist are\n"
		       "skipped and listed. Restoring twice changes nothing the second time.\n"
		       "A change the kernel refuses is listed and the rest goes on (exit 5);\n"
		       "FILE is never changed.\n\n"
		       "  --no-rescan    when the numbers become inconsistent, only say so\n"
		       "                 instead of starting a rescan\n"
		       "  --no-wait      fail instead of waiting when a rescan is running\n"
		       "  -h, --help     this help\n"));
}

/* one line on stderr per change that failed or was not tried */
static void report_failures(const struct qgroup_restore_report *rep, const char *path)
{
	char a[32], b[32], why[256], what[128];

	for (size_t i = 0; i < rep->nr_failed; i++) {
		const struct qgroup_restore_failure *f = &rep->failed[i];

		qgroup_id_format(f->id, a, sizeof(a));
		qgroup_id_format(f->parent, b, sizeof(b));
		switch (f->step) {
		case QGROUP_RESTORE_CREATE:
			snprintf(what, sizeof(what), _("cannot create qgroup %s"), a);
			break;
		case QGROUP_RESTORE_ASSIGN:
			snprintf(what, sizeof(what), f->needs ? _("did not assign %s to %s")
							      : _("cannot assign %s to %s"), a, b);
			break;
		case QGROUP_RESTORE_LIMIT:
			snprintf(what, sizeof(what),
				 f->which == QGROUP_LIMIT_MAX_EXCL
					 ? (f->needs ? _("did not set the exclusive limit of %s")
						     : _("cannot set the exclusive limit of %s"))
					 : (f->needs ? _("did not set the referenced limit of %s")
						     : _("cannot set the referenced limit of %s")), a);
			break;
		case QGROUP_RESTORE_RESCAN:
			snprintf(what, sizeof(what), "%s", _("cannot start the rescan the new "
							    "relations need"));
			break;
		}
		if (f->needs)
			cli_error(_("%s: qgroup %s could not be created"), what,
				  qgroup_id_format(f->needs, b, sizeof(b)));
		else
			cli_error("%s: %s", what, live_admin_strerror(f->err, path, why, sizeof(why)));
	}
	if (rep->stopped)
		cli_error("%s", _("stopped there: every further change would fail the same way"));
}

int cli_restore_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-rescan", no_argument, NULL, 'N' },
		{ "no-wait", no_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct qgroup_config_error perr;
	struct qgroup_restore_report rep;
	struct qgroup_model cfg;
	enum qgroup_quota_mode mode;
	bool no_rescan = false, no_wait = false, running;
	const char *file, *path;
	struct live_fs fs;
	char idbuf[32];
	int c, ret, rc = CLI_EXIT_OK;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'N':
			no_rescan = true;
			break;
		case 'W':
			no_wait = true;
			break;
		case 'h':
			restore_usage(stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option("restore", argv);
		}
	}
	if (argc - optind != 2) {
		cli_error(_("restore takes a FILE and a PATH"));
		return CLI_EXIT_USAGE;
	}
	file = argv[optind];
	path = argv[optind + 1];
	qgroup_model_init(&cfg);
	ret = qgroup_config_load_file(file, &cfg, &perr);
	if (ret == -EINVAL && perr.line) {
		cli_error(_("%s:%u: %s"), file, perr.line, _(perr.why));
		rc = CLI_EXIT_USAGE;
		goto out_free;
	} else if (ret == -EINVAL && perr.why) {
		cli_error(_("cannot read %s: %s"), file, _(perr.why));
		rc = CLI_EXIT_USAGE;
		goto out_free;
	} else if (ret) {
		cli_error(_("cannot read %s: %s"), file, strerror(-ret));
		rc = cli_exit_for_errno(ret);
		goto out_free;
	}
	if ((rc = cli_admin_open(path, &fs)))
		goto out_free;
	if (fs.read_only) {
		rc = cli_admin_error(-EROFS, path, _("cannot restore"));
		goto out_close;
	}
	ret = live_admin_state(&fs, &mode, &running);
	if (!ret && mode == QGROUP_MODE_DISABLED)
		ret = -ENOTCONN;
	if (ret) {
		rc = cli_admin_error(ret, path, _("cannot restore"));
		goto out_close;
	}
	if (cfg.fs.uuid[0] && strcmp(cfg.fs.uuid, fs.uuid))
		printf(_("note: %s was saved from filesystem %s, restoring onto %s\n"), file,
		       cfg.fs.uuid, fs.uuid);
	if (cfg.mode != QGROUP_MODE_DISABLED && cfg.mode != mode)
		printf(_("note: saved with %s quotas, the filesystem now has %s quotas\n"),
		       qgroup_mode_name(cfg.mode), qgroup_mode_name(mode));
	if (running) {
		if (no_wait) {
			cli_error(_("cannot restore: a quota rescan is running on %s (assigning "
				    "now can leave wrong totals); retry when it has finished"), path);
			rc = CLI_EXIT_STATE;
			goto out_close;
		}
		printf(_("waiting for the running rescan on %s to finish first\n"), path);
		fflush(stdout);
		rc = cli_admin_wait_idle(&fs, path);
		if (rc)
			goto out_close;
	}
	ret = qgroup_restore(&fs, &cfg, no_rescan ? QGROUP_RESTORE_NO_RESCAN : 0, &rep);
	if (ret < 0 && !rep.created && !rep.assigned && !rep.limits_set && !rep.nr_failed) {
		rc = cli_admin_error(ret, path, _("cannot restore %s"), file);
		goto out_report;
	}
	for (size_t i = 0; i < rep.nr_skipped; i++)
		printf(_("skipped qgroup %s: its subvolume no longer exists\n"),
		       qgroup_id_format(rep.skipped[i], idbuf, sizeof(idbuf)));
	if (ret) {
		report_failures(&rep, path);
		printf(_("restored %s in part: created %u qgroups, added %u relations, "
			 "changed the limits of %u qgroups\n"), file, rep.created, rep.assigned,
		       rep.limits_set);
	} else {
		printf(_("restored %s: created %u qgroups, added %u relations, "
			 "changed the limits of %u qgroups\n"), file, rep.created, rep.assigned,
		       rep.limits_set);
	}
	if (rep.inconsistent) {
		if (rep.rescan_started)
			printf(_("quota data changed, rescan started on %s\n"), path);
		else if (mode == QGROUP_MODE_FULL)
			printf(_("the qgroup numbers are now inconsistent; run 'qgtop rescan %s'\n"),
			       path);
	}
	if (ret) {
		cli_error(P_("restore of %s incomplete: %zu change failed or was not tried "
			     "(listed above); %s is unchanged, run the restore again once the "
			     "cause is fixed",
			     "restore of %s incomplete: %zu changes failed or were not tried "
			     "(listed above); %s is unchanged, run the restore again once the "
			     "cause is fixed", rep.nr_failed), file, rep.nr_failed, file);
		rc = CLI_EXIT_FAIL;
	}
out_report:
	qgroup_restore_report_free(&rep);
out_close:
	live_fs_close(&fs);
out_free:
	qgroup_model_free(&cfg);
	return rc;
}
