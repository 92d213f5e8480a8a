// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - qgtop's entry point: a known command word runs the CLI,
 * anything else goes to the interactive frontend.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../ui/ui.h"
#include "nls.h"

const struct cli_command cli_commands[] = {
	{ "list", cli_list_main, N_("list mounted btrfs filesystems") },
	{ "show", cli_show_main, N_("show the qgroups of a mounted filesystem") },
	{ "quota", cli_quota_main, N_("enable or disable quotas (disable saves the qgroups)") },
	{ "qgroup", cli_qgroup_main, N_("create, destroy, assign, remove, limit qgroups") },
	{ "restore", cli_restore_main, N_("re-create a saved qgroup configuration") },
	{ "rescan", cli_rescan_main, N_("start, follow, or stop a quota rescan") },
	{ "scan", cli_scan_main, N_("recompute the qgroups of an unmounted image") },
	{ "metrics", cli_metrics_main, N_("quota state in the Prometheus text format") },
	{ NULL, NULL, NULL },
};

static void usage(FILE *out)
{
	const struct cli_command *c;

	fprintf(out, _("Usage: qgtop [--ascii] [PATH | --exact PATH | --image FILE...]\n"
		       "       qgtop COMMAND [OPTIONS] ...\n\nCommands:\n"));
	for (c = cli_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, _(c->summary));
	fprintf(out, _("\nRun 'qgtop COMMAND --help' for a command's options; "
		       "see qgtop(8).\n"));
}

int main(int argc, char **argv)
{
	const struct cli_command *c;

	setlocale(LC_ALL, "");
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);

	if (argc >= 2) {
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			usage(stdout);
			return CLI_EXIT_OK;
		}
		if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
			printf("qgtop %s\n", PACKAGE_VERSION);
			return CLI_EXIT_OK;
		}
		for (c = cli_commands; c->name; c++)
			if (!strcmp(argv[1], c->name))
				return c->main(argc - 1, argv + 1);
	}
	/* no command word: the interactive frontend (PATH, --image, picker) */
	return ui_main(argc, argv);
}
