// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-quota-threshold.c - `qgtop quota drop-subtree-threshold [LEVEL] PATH`:
 * show or set the kernel's qgroups/drop_subtree_threshold, which trades
 * the cost of deleting a subvolume against a rescan afterwards.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "live-admin.h"
#include "live-quota.h"
#include "nls.h"

static void threshold_usage(FILE *out)
{
	fprintf(out, _("Usage: qgtop quota drop-subtree-threshold [LEVEL] PATH\n"
		       "Show, or with LEVEL (0 to %d) set, the qgroup drop_subtree_threshold of\n"
		       "the btrfs filesystem PATH is on. Deleting a subvolume whose tree is at\n"
		       "least LEVEL tall then marks the qgroup numbers inconsistent (a rescan is\n"
		       "needed) instead of tracing every extent of it while it is dropped:\n"
		       "lower means faster deletes and more rescans, %d always traces.\n"
		       "The kernel starts with 3; the setting lasts until unmount.\n"),
		LIVE_ADMIN_MAX_DROP_THRESHOLD, LIVE_ADMIN_MAX_DROP_THRESHOLD);
}

int cli_quota_threshold_main(int argc, char **argv)
{
	struct qgroup_model m;
	struct live_fs fs;
	const char *path;
	unsigned long level = 0;
	bool set = false;
	char *end;
	int ret, rc;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		threshold_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (argc != 2 && argc != 3) {
		cli_error(_("quota drop-subtree-threshold takes [LEVEL] PATH"));
		return CLI_EXIT_USAGE;
	}
	if (argc == 3) {
		errno = 0;
		level = strtoul(argv[1], &end, 10);
		if (errno || end == argv[1] || *end || argv[1][0] == '-' || argv[1][0] == '+' ||
		    level > LIVE_ADMIN_MAX_DROP_THRESHOLD) {
			cli_error(_("invalid level '%s' (0 to %d)"), argv[1],
				  LIVE_ADMIN_MAX_DROP_THRESHOLD);
			return CLI_EXIT_USAGE;
		}
		set = true;
	}
	path = argv[argc - 1];
	if ((rc = cli_admin_open(path, &fs)))
		return rc;
	if (set) {
		ret = live_admin_set_drop_threshold(&fs, (unsigned)level);
		if (ret)
			rc = cli_admin_error(ret, path, _("cannot set drop_subtree_threshold"));
		else
			printf(_("drop_subtree_threshold of %s set to %lu\n"), path, level);
		goto out_close;
	}
	qgroup_model_init(&m);
	ret = live_quota_read(&fs, &m, NULL);
	if (!ret && m.mode == QGROUP_MODE_DISABLED)
		ret = -ENOTCONN;
	if (ret) {
		rc = cli_admin_error(ret, path, _("cannot read drop_subtree_threshold"));
	} else if (m.drop_subtree_threshold < 0) {
		cli_error(_("%s: this kernel has no drop_subtree_threshold"), path);
		rc = CLI_EXIT_FAIL;
	} else {
		printf("%d\n", m.drop_subtree_threshold);
	}
	qgroup_model_free(&m);
out_close:
	live_fs_close(&fs);
	return rc;
}
