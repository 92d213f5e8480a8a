/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli.h - shared pieces of the command line face: exit codes, error
 * messages and the command table. Only main() and the cli_*_main()
 * functions exit; everything below them returns negative errno.
 */
#ifndef QGTOP_CLI_H
#define QGTOP_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <getopt.h>

#include "units.h"

/* documented in doc/qgtop.8, EXIT STATUS */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_DIFFER = 1,	/* scan: computed numbers differ from stored */
	CLI_EXIT_USAGE = 2,	/* bad arguments or input, not btrfs, no such path */
	CLI_EXIT_PERM = 3,	/* permission denied, read-only filesystem */
	CLI_EXIT_STATE = 4,	/* quota disabled, simple quotas, rescan running */
	CLI_EXIT_FAIL = 5,	/* the kernel refused or failed */
	CLI_EXIT_CHANGED = 6,	/* scan: the mounted filesystem changed too often */
	CLI_EXIT_INTERRUPTED = 130,
};

struct cli_command {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *summary;	/* N_() marked */
};

/**
 * cli_error() - print "qgtop: <message>" on stderr, one line; control
 * characters and invalid UTF-8 in the message are escaped (text-escape.h)
 */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * cli_exit_for_errno() - the exit code for a negative errno
 */
int cli_exit_for_errno(int err);

/**
 * cli_open_error() - one-line message for a failure of live_fs_open(@path)
 * Return: the exit code.
 */
int cli_open_error(const char *path, int err);

int cli_list_main(int argc, char **argv);
int cli_show_main(int argc, char **argv);
int cli_rescan_main(int argc, char **argv);
int cli_scan_main(int argc, char **argv);
int cli_metrics_main(int argc, char **argv);
int cli_quota_main(int argc, char **argv);
int cli_quota_threshold_main(int argc, char **argv);
int cli_qgroup_main(int argc, char **argv);
int cli_restore_main(int argc, char **argv);

struct live_fs;
/* administration commands (src/cli-qgroup.c): open PATH, one-line error
 * for a failed change naming the cause, wait for a running rescan;
 * each returns a cli_exit code */
int cli_admin_open(const char *path, struct live_fs *fs);
int cli_admin_error(int err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cli_admin_wait_idle(struct live_fs *fs, const char *path);

struct live_admin_saved;
/* the outcome of the save before a quota disable (src/cli-quota.c):
 * cli_quota_save_failed() prints the one-line error (quota stayed
 * enabled) and returns the exit code; cli_quota_saved_note() warns on
 * stderr when the copy went to a fallback directory, and why */
int cli_quota_save_failed(const struct live_admin_saved *sv, const char *path, const char *save);
void cli_quota_saved_note(const struct live_admin_saved *sv);

extern const struct cli_command cli_commands[];

/* long options for units shared by every command that prints sizes */
enum cli_units_opt {
	CLI_OPT_RAW = 0x1000,
	CLI_OPT_IEC,
	CLI_OPT_SI,
	CLI_OPT_KBYTES,
	CLI_OPT_MBYTES,
	CLI_OPT_GBYTES,
	CLI_OPT_TBYTES,
	CLI_OPT_UNITS_END,
};

#define CLI_UNITS_LONGOPTS \
	{ "raw", no_argument, NULL, CLI_OPT_RAW }, \
	{ "iec", no_argument, NULL, CLI_OPT_IEC }, \
	{ "human-readable", no_argument, NULL, CLI_OPT_IEC }, \
	{ "si", no_argument, NULL, CLI_OPT_SI }, \
	{ "kbytes", no_argument, NULL, CLI_OPT_KBYTES }, \
	{ "mbytes", no_argument, NULL, CLI_OPT_MBYTES }, \
	{ "gbytes", no_argument, NULL, CLI_OPT_GBYTES }, \
	{ "tbytes", no_argument, NULL, CLI_OPT_TBYTES }

/**
 * cli_units_opt() - apply a CLI_OPT_* units option to @u
 * Return: true if @opt was a units option.
 */
bool cli_units_opt(int opt, struct units *u);

/**
 * cli_parse_id_list() - parse "ID[,ID...]" of qgroup ids
 * Return: 0 or -EINVAL (with the offending token reported on stderr).
 */
int cli_parse_id_list(const char *s, uint64_t **ids, size_t *nr);

/**
 * cli_bad_option() - one-line message for an option getopt_long rejected
 * (call with opterr = 0); names the option and the command's --help
 * Return: CLI_EXIT_USAGE.
 */
int cli_bad_option(const char *cmd, char **argv);

#endif
