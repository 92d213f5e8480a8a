// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-show.c - `qgtop show`: the qgroups of a mounted filesystem as a
 * table or JSON.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btrfs.h>

#include "btrfs-ops.h"
#include "cli.h"
#include "live-mounts.h"
#include "live-quota.h"
#include "model-json.h"
#include "model-table.h"
#include "nls.h"
#include "rescan-follow.h"

static void show_usage(FILE *out)
{
	fprintf(out, _("Usage: qgtop show [OPTIONS] PATH\n"
		       "Show the qgroups of the btrfs filesystem PATH is on.\n\n"
		       "  --json             one JSON object (doc/json-schema.md)\n"
		       "  --pretty           indent the JSON\n"
		       "  --sort LIST        sort by qgroupid,rfer,excl,max_rfer,max_excl,path;\n"
		       "                     prefix - for descending, + for ascending\n"
		       "  --level N          only qgroups of level N\n"
		       "  --qgroup ID[,ID]   only these qgroups\n"
		       "  --sync             commit the filesystem before reading\n"
		       "  --raw --iec --si --kbytes --mbytes --gbytes --tbytes\n"
		       "                     units (default --iec)\n"
		       "  -h, --help         this help\n"));
}

int cli_show_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "sort", required_argument, NULL, 's' },
		{ "level", required_argument, NULL, 'l' },
		{ "qgroup", required_argument, NULL, 'q' },
		{ "sync", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		CLI_UNITS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct model_table_opts opts;
	struct qgroup_model m;
	struct live_fs fs;
	bool json = false, pretty = false, do_sync = false;
	unsigned missing = 0;
	int c, ret, rc;

	model_table_opts_default(&opts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		char *end;

		if (cli_units_opt(c, &opts.units))
			continue;
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'P':
			pretty = true;
			break;
		case 's':
			if (model_sort_parse(optarg, &opts.sort)) {
				cli_error(_("invalid sort list '%s'"), optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'l':
			errno = 0;
			opts.level = (int)strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || opts.level < 0 || opts.level > 0xffff) {
				cli_error(_("invalid level '%s'"), optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'q':
			free(opts.only);
			opts.only = NULL;
			if (cli_parse_id_list(optarg, &opts.only, &opts.nr_only))
				return CLI_EXIT_USAGE;
			break;
		case 'S':
			do_sync = true;
			break;
		case 'h':
			show_usage(stdout);
			return CLI_EXIT_OK;
		default:
			free(opts.only);
			return cli_bad_option("show", argv);
		}
	}
	if (optind + 1 != argc) {
		cli_error(optind == argc ? _("show needs a PATH") : _("show takes one PATH"));
		free(opts.only);
		return CLI_EXIT_USAGE;
	}
	ret = live_fs_open(argv[optind], &fs);
	if (ret) {
		free(opts.only);
		return cli_open_error(argv[optind], ret);
	}
	if (do_sync) {
		ret = btrfs_ops->ioctl(fs.fd, BTRFS_IOC_SYNC, NULL);
		if (ret < 0) {
			cli_error(_("cannot sync %s: %s"), argv[optind], strerror(-ret));
			rc = cli_exit_for_errno(ret);
			goto out_close;
		}
	}
	qgroup_model_init(&m);
	ret = live_quota_read(&fs, &m, &missing);
	if (ret) {
		cli_error(_("cannot read quota state of %s: %s"), argv[optind], strerror(-ret));
		rc = cli_exit_for_errno(ret);
		goto out_free;
	}
	rescan_follow_model(&fs, &m);
	/* mountpoints are only decoration: a failure to list them is not fatal */
	live_mounts_fill_model(&m);
	if (missing & LIVE_QUOTA_NO_TREE)
		fprintf(stderr, _("qgtop: not root: numbers from sysfs, no relations "
				  "or subvolume paths\n"));
	if (json) {
		model_json_write(&m, stdout, pretty);
	} else {
		if (m.mode == QGROUP_MODE_DISABLED) {
			cli_error(_("quotas are not enabled on %s"), argv[optind]);
			rc = CLI_EXIT_STATE;
			goto out_free;
		}
		if (m.inconsistent)
			printf(_("WARNING: qgroup data inconsistent, rescan recommended\n"));
		if (m.rescan.state != QGROUP_RESCAN_IDLE &&
		    m.rescan.state != QGROUP_RESCAN_STALE)
			printf(_("WARNING: rescan running, numbers are being rebuilt\n"));
		ret = model_table_write(&m, &opts, stdout);
		if (ret) {
			rc = cli_exit_for_errno(ret);
			goto out_free;
		}
	}
	rc = fflush(stdout) ? CLI_EXIT_FAIL : CLI_EXIT_OK;

out_free:
	qgroup_model_free(&m);
out_close:
	live_fs_close(&fs);
	free(opts.only);
	return rc;
}
