// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli.c - exit codes and messages shared by the commands.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "cli.h"
#include "qgroup-model.h"
#include "text-escape.h"
#include "nls.h"

void cli_error(const char *fmt, ...)
{
	char msg[2048], safe[4 * sizeof(msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* names in messages come from users and images: one line, no control
	 * sequences reach the terminal */
	fprintf(stderr, "qgtop: %s\n", text_escape(msg, safe, sizeof(safe)));
}

int cli_exit_for_errno(int err)
{
	switch (-err) {
	case 0:
		return CLI_EXIT_OK;
	case EINVAL:
	case ENOENT:
	case ENOTTY:
	case ENOTDIR:
	case ENAMETOOLONG:
		return CLI_EXIT_USAGE;
	case EPERM:
	case EACCES:
	case EROFS:
		return CLI_EXIT_PERM;
	case ENOTCONN:
	case EINPROGRESS:
	case EBUSY:
		return CLI_EXIT_STATE;
	case EINTR:
		return CLI_EXIT_INTERRUPTED;
	default:
		return CLI_EXIT_FAIL;
	}
}

int cli_open_error(const char *path, int err)
{
	if (err == -ENOTTY)
		cli_error(_("%s is not on a btrfs filesystem"), path);
	else
		cli_error(_("cannot open %s: %s"), path, strerror(-err));
	return cli_exit_for_errno(err);
}

bool cli_units_opt(int opt, struct units *u)
{
	switch (opt) {
	case CLI_OPT_RAW:
		*u = (struct units){ UNITS_RAW, -1 };
		return true;
	case CLI_OPT_IEC:
		*u = (struct units){ UNITS_IEC, -1 };
		return true;
	case CLI_OPT_SI:
		u->base = UNITS_SI;
		return true;
	case CLI_OPT_KBYTES:
	case CLI_OPT_MBYTES:
	case CLI_OPT_GBYTES:
	case CLI_OPT_TBYTES:
		if (u->base == UNITS_RAW)
			u->base = UNITS_IEC;
		u->fixed = 1 + (opt - CLI_OPT_KBYTES);
		return true;
	default:
		return false;
	}
}

int cli_parse_id_list(const char *s, uint64_t **ids, size_t *nr)
{
	char *dup = strdup(s), *tok, *save = NULL;
	uint64_t *list = NULL;
	size_t n = 0;
	int ret = 0;

	if (!dup)
		return -ENOMEM;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint64_t id, *grown;

		if (qgroup_id_parse(tok, &id)) {
			cli_error(_("invalid qgroup id '%s'"), tok);
			ret = -EINVAL;
			break;
		}
		grown = realloc(list, (n + 1) * sizeof(*list));
		if (!grown) {
			ret = -ENOMEM;
			break;
		}
		list = grown;
		list[n++] = id;
	}
	free(dup);
	if (!ret && n == 0) {
		cli_error(_("empty qgroup id list"));
		ret = -EINVAL;
	}
	if (ret) {
		free(list);
		return ret;
	}
	*ids = list;
	*nr = n;
	return 0;
}

int cli_bad_option(const char *cmd, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (optopt && !(arg[0] == '-' && arg[1] == '-'))
		cli_error(_("unrecognized option or missing argument '-%c' (see qgtop %s --help)"),
			  optopt, cmd);
	else
		cli_error(_("unrecognized option or missing argument '%s' (see qgtop %s --help)"),
			  arg, cmd);
	return CLI_EXIT_USAGE;
}
