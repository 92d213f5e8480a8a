// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-restore.c - `qgtop restore [--no-rescan] [--no-wait] FILE PATH`:
 * re-create a saved qgroup configuration (qgroup-config.h) on a mounted
 * filesystem.
 *
 * Right after `quota enable` the kernel runs a rescan; assigning during
 * it can leave wrong parent totals, so restore waits for it by default.
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

static void restore_usage(FILE *out)
{
	fprintf(out, _("Usage: qgtop restore [--no-rescan] [--no-wait] FILE PATH\n"
		       "Re-create the qgroups, relations and limits saved in FILE (by\n"
		       "'qgtop quota disable') on the btrfs filesystem PATH is on. Quota\n"
		       "must be enabled. Qgroups of subvolumes that no longer exist are\n"
		       "skipped and listed. Restoring twice changes nothing the second time.\n\n"
		       "  --no-rescan    when the numbers become inconsistent, only say so\n"
		       "                 instead of starting a rescan\n"
		       "  --no-wait      fail instead of waiting when a rescan is running\n"
		       "  -h, --help     this help\n"));
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
	struct qgroup_config_report rep;
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
	ret = qgroup_config_restore(&fs, &cfg, no_rescan ? QGROUP_CONFIG_NO_RESCAN : 0, &rep);
	if (ret) {
		rc = cli_admin_error(ret, path, _("cannot restore %s"), file);
		goto out_report;
	}
	for (size_t i = 0; i < rep.nr_skipped; i++)
		printf(_("skipped qgroup %s: its subvolume no longer exists\n"),
		       qgroup_id_format(rep.skipped[i], idbuf, sizeof(idbuf)));
	printf(_("restored %s: created %u qgroups, added %u relations, "
		 "changed the limits of %u qgroups\n"), file, rep.created, rep.assigned,
	       rep.limits_set);
	if (rep.inconsistent) {
		if (rep.rescan_started)
			printf(_("quota data changed, rescan started on %s\n"), path);
		else if (mode == QGROUP_MODE_FULL)
			printf(_("the qgroup numbers are now inconsistent; run 'qgtop rescan %s'\n"),
			       path);
	}
out_report:
	qgroup_config_report_free(&rep);
out_close:
	live_fs_close(&fs);
out_free:
	qgroup_model_free(&cfg);
	return rc;
}
