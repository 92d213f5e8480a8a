// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-list.c - `qgtop list`: mounted btrfs filesystems and their quota state.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json-writer.h"
#include "live-mounts.h"
#include "nls.h"
#include "text-escape.h"

static void list_json(const struct live_mount_list *l)
{
	struct json_writer w;

	json_writer_init(&w, stdout, false);
	json_array_begin(&w);
	for (size_t i = 0; i < l->nr; i++) {
		const struct live_mount *m = &l->mounts[i];

		json_object_begin(&w);
		json_key(&w, "uuid");
		json_string(&w, m->uuid);
		json_key(&w, "label");
		json_string(&w, m->label);
		json_key(&w, "source");
		json_string(&w, m->source);
		json_key(&w, "mountpoints");
		json_array_begin(&w);
		for (size_t j = 0; j < m->nr_mountpoints; j++)
			json_string(&w, m->mountpoints[j]);
		json_array_end(&w);
		json_key(&w, "mode");
		json_string(&w, qgroup_mode_name(m->mode));
		json_key(&w, "inconsistent");
		json_bool(&w, m->inconsistent);
		json_key(&w, "rescan_running");
		json_bool(&w, m->rescan_running);
		json_object_end(&w);
	}
	json_array_end(&w);
	json_writer_finish(&w);
}

int cli_list_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct live_mount_list l;
	bool json = false;
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			printf(_("Usage: qgtop list [--json]\n"
				 "List mounted btrfs filesystems, one line each.\n"));
			return CLI_EXIT_OK;
		default:
			return cli_bad_option("list", argv);
		}
	}
	if (optind != argc) {
		cli_error(_("list takes no arguments"));
		return CLI_EXIT_USAGE;
	}
	ret = live_mounts_read(NULL, &l);
	if (ret) {
		cli_error(_("cannot read the mount table: %s"), strerror(-ret));
		return cli_exit_for_errno(ret);
	}
	if (json) {
		list_json(&l);
	} else {
		printf("%-36s %-16s %-8s %-6s %-7s %s\n", _("UUID"), _("Label"), _("Quota"),
		       _("Incons"), _("Rescan"), _("Mountpoints"));
		for (size_t i = 0; i < l.nr; i++) {
			const struct live_mount *m = &l.mounts[i];

			/* labels and mount points are anyone's text: escaped */
			char *label = text_escape_dup(m->label ? m->label : "-");

			printf("%-36s %-16s %-8s %-6s %-7s", m->uuid, label ? label : "?",
			       qgroup_mode_name(m->mode), m->inconsistent ? _("yes") : _("no"),
			       m->rescan_running ? _("yes") : _("no"));
			free(label);
			for (size_t j = 0; j < m->nr_mountpoints; j++) {
				char *mp = text_escape_dup(m->mountpoints[j]);

				printf("%s%s", j ? "," : " ", mp ? mp : "?");
				free(mp);
			}
			putchar('\n');
		}
	}
	live_mounts_free(&l);
	return CLI_EXIT_OK;
}
