// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-quota.c - `qgtop quota enable [--simple --yes] PATH` and
 * `qgtop quota disable [--save FILE] PATH`.
 *
 * Disable always saves the qgroup configuration first (the kernel deletes
 * every higher-level qgroup, relation and limit) and says how to restore
 * it; simple quotas need --yes because they set a permanent incompat flag.
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

static void quota_usage(FILE *out)
{
	fprintf(out, _("Usage: qgtop quota enable [--simple --yes] PATH\n"
		       "       qgtop quota disable [--save FILE] PATH\n"
		       "       qgtop quota drop-subtree-threshold [LEVEL] PATH\n"
		       "Enable or disable quotas on the btrfs filesystem PATH is on.\n\n"
		       "  --simple       enable simple quotas (kernel 6.7 or later); this sets a\n"
		       "                 permanent incompatible feature flag: older kernels and\n"
		       "                 btrfs-progs before 6.7 cannot open the filesystem any more\n"
		       "  --yes          confirm --simple\n"
		       "  --save FILE    where disable saves the qgroup configuration (default\n"
		       "                 $QGTOP_SAVE_DIR or /var/lib/qgtop/UUID-TIME.qgroups, else\n"
		       "                 ~/.local/state/qgtop; never /tmp)\n"
		       "  -h, --help     this help\n\n"
		       "Disabling deletes every qgroup relation, limit and higher-level qgroup;\n"
		       "qgtop saves them first, in a directory only you (or root) can write to\n"
		       "and not on a tmpfs, and refuses to disable if it cannot. Restore them\n"
		       "with 'qgtop quota enable PATH && qgtop restore FILE PATH'.\n"));
}

static int quota_enable(struct live_fs *fs, const char *path, bool simple)
{
	int ret;

	ret = live_admin_quota_enable(fs, simple);
	if (ret == 1) {
		printf(simple ? _("simple quotas are already enabled on %s\n")
			      : _("quota is already enabled on %s\n"), path);
		return CLI_EXIT_OK;
	}
	if (ret == -EEXIST) {
		cli_error(simple ? _("cannot enable simple quotas: %s already has full quota "
				     "accounting enabled; disable it first")
				 : _("cannot enable full quotas: %s already has simple quotas "
				     "enabled; disable them first"), path);
		return CLI_EXIT_STATE;
	}
	if (ret == -EINVAL && simple) {
		cli_error(_("cannot enable simple quotas on %s: the kernel does not support "
			    "them (needs 6.7 or later)"), path);
		return CLI_EXIT_FAIL;
	}
	if (ret)
		return cli_admin_error(ret, path, simple ? _("cannot enable simple quotas")
							 : _("cannot enable quota"));
	if (simple)
		printf(_("simple quotas enabled on %s; usage from before now is not counted, "
			 "and the filesystem now carries the permanent SIMPLE_QUOTA incompat "
			 "flag\n"), path);
	else
		printf(_("quota enabled on %s; a rescan is counting the existing data "
			 "(see 'qgtop rescan --status %s')\n"), path, path);
	return CLI_EXIT_OK;
}

int cli_quota_save_failed(const struct live_admin_saved *sv, const char *path, const char *save)
{
	const char *env = getenv(LIVE_ADMIN_SAVE_DIR_ENV);

	size_t n = save ? strlen(save) : 0;
	const char *why = sv->why;

	/* "FILE: reason" about the file itself: name it once */
	if (save && !strncmp(why, save, n) && !strncmp(why + n, ": ", 2))
		why += n + 2;
	if (save)
		cli_error(_("cannot save the qgroup configuration to %s: %s; quota stays enabled "
			    "on %s"), save, why, path);
	else if (env && *env)
		cli_error(_("cannot save the qgroup configuration: %s; quota stays enabled on %s "
			    "(%s is set, so nothing else was tried; use --save FILE)"), sv->why,
			  path, LIVE_ADMIN_SAVE_DIR_ENV);
	else
		cli_error(_("cannot save the qgroup configuration: %s; quota stays enabled on %s "
			    "(use --save FILE)"), why, path);
	return cli_exit_for_errno(sv->save_err);
}

void cli_quota_saved_note(const struct live_admin_saved *sv)
{
	if (sv->fallback)
		cli_error(_("warning: the default directory failed (%s): the qgroup configuration "
			    "was saved to %s instead"), sv->why, sv->path);
}

static int quota_disable(struct live_fs *fs, const char *path, const char *save)
{
	struct live_admin_saved sv;
	enum qgroup_quota_mode mode;
	bool running;
	int ret, rc = CLI_EXIT_OK;

	/* the causes that are not about the save file, named first */
	if (fs->read_only)
		return cli_admin_error(-EROFS, path, _("cannot disable quota"));
	ret = live_admin_state(fs, &mode, &running);
	if (!ret && mode == QGROUP_MODE_DISABLED)
		ret = -ENOTCONN;
	if (ret)
		return cli_admin_error(ret, path, _("cannot disable quota"));
	ret = live_admin_quota_disable(fs, save, &sv);
	if (sv.save_err) {
		rc = cli_quota_save_failed(&sv, path, save);
		goto out_free;
	}
	if (ret && !sv.path) {
		rc = cli_admin_error(ret, path, _("cannot disable quota"));
		goto out_free;
	}
	cli_quota_saved_note(&sv);
	printf(_("saved the qgroup configuration to %s\n"), sv.path);
	if (ret) {
		rc = cli_admin_error(ret, path, _("cannot disable quota"));
		goto out_free;
	}
	if (running)
		printf(_("the running rescan was stopped\n"));
	printf(_("quota disabled on %s\n"), path);
	printf(_("to re-create the qgroups: qgtop quota enable %s%s && qgtop restore %s %s\n"),
	       mode == QGROUP_MODE_SIMPLE ? "--simple --yes " : "", path, sv.path, path);
out_free:
	live_admin_saved_free(&sv);
	return rc;
}

int cli_quota_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "simple", no_argument, NULL, 's' },
		{ "yes", no_argument, NULL, 'y' },
		{ "save", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool simple = false, yes = false, enable;
	const char *save = NULL, *sub;
	struct live_fs fs;
	int c, rc;

	if (argc < 2) {
		cli_error(_("quota needs a subcommand: enable, disable or drop-subtree-threshold"));
		return CLI_EXIT_USAGE;
	}
	sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		quota_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(sub, "drop-subtree-threshold"))
		return cli_quota_threshold_main(argc - 1, argv + 1);
	if (strcmp(sub, "enable") && strcmp(sub, "disable")) {
		cli_error(_("unknown quota subcommand '%s'"), sub);
		return CLI_EXIT_USAGE;
	}
	enable = !strcmp(sub, "enable");
	argc--;
	argv++;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
		case 'y':
			if (!enable) {
				cli_error(_("option '%s' does not apply to 'quota disable'"),
					  argv[optind - 1]);
				return CLI_EXIT_USAGE;
			}
			*(c == 's' ? &simple : &yes) = true;
			break;
		case 'S':
			if (enable) {
				cli_error(_("option '--save' does not apply to 'quota enable'"));
				return CLI_EXIT_USAGE;
			}
			save = optarg;
			break;
		case 'h':
			quota_usage(stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option("quota", argv);
		}
	}
	if (argc - optind != 1) {
		cli_error(_("quota %s takes one PATH"), sub);
		return CLI_EXIT_USAGE;
	}
	if (simple && !yes) {
		cli_error(_("simple quotas set a permanent incompatible feature flag on the "
			    "filesystem (older kernels and btrfs-progs cannot open it); "
			    "add --yes to confirm"));
		return CLI_EXIT_USAGE;
	}
	if (save && !*save) {
		cli_error(_("empty --save file name"));
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_admin_open(argv[optind], &fs)))
		return rc;
	if (enable)
		rc = quota_enable(&fs, argv[optind], simple);
	else
		rc = quota_disable(&fs, argv[optind], save);
	live_fs_close(&fs);
	return rc;
}
