/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qgroup-config.h - the saved qgroup configuration of a filesystem
 * (qgroups, relations, limits; no numbers) as a versioned, line-based text
 * file, and its restore onto a mounted filesystem.
 *
 * Format, version 1 (one directive a line, tokens separated by one space;
 * lines starting with '#' and empty lines are ignored):
 *
 *   qgtop-qgroups 1                  first directive: magic and version
 *   uuid <fs uuid>                   optional, at most once
 *   mode full|simple                 optional, at most once
 *   qgroup <level>/<id>              one per qgroup, each id once
 *   relation <child> <parent>        child level < parent level, both
 *                                    declared by earlier qgroup lines
 *   limit <id> flags=0x<hex> max_rfer=<bytes> max_excl=<bytes>
 *                                    flags: 0x1 max_rfer, 0x2 max_excl
 *   end                              last directive; a file without it
 *                                    was truncated and is refused
 *
 * The parser is strict: anything else is an error naming the line.
 */
#ifndef QGTOP_QGROUP_CONFIG_H
#define QGTOP_QGROUP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "live-fs.h"
#include "qgroup-model.h"

#define QGROUP_CONFIG_VERSION 1
#define QGROUP_CONFIG_MAGIC "qgtop-qgroups"
#define QGROUP_CONFIG_MAX_LINE 4096

/* where and why a load failed */
struct qgroup_config_error {
	unsigned line;		/* 1-based; 0 when not a parse error */
	const char *why;	/* N_() marked English text */
};

/**
 * qgroup_config_write() - write the configuration of @m to @out
 * @m: a finished model (qgroup_model_finish())
 * @out: stream
 * @when: timestamp for the header comment (time(NULL) normally)
 *
 * Return: 0 or -errno (-EIO when the stream failed).
 */
int qgroup_config_write(const struct qgroup_model *m, FILE *out, long long when);

/**
 * qgroup_config_save_file() - write @m to @path durably
 * @m: a finished model
 * @path: target file
 * @exclusive: fail with -EEXIST instead of replacing an existing @path
 *
 * Writes a temporary file next to @path, fsyncs it, moves it into place
 * and fsyncs the directory, so @path is either complete or absent.
 * Return: 0 or -errno.
 */
int qgroup_config_save_file(const struct qgroup_model *m, const char *path, bool exclusive);

/**
 * qgroup_config_read() - parse a configuration from @in into @m
 * @in: stream
 * @m: an initialised, empty model; finished on success. Level-0 qgroups
 *     have no path and every qgroup has_info false; uuid and mode are set
 *     when the file names them (mode QGROUP_MODE_DISABLED otherwise).
 * @err: filled on failure
 *
 * Return: 0, -EINVAL for a malformed file (@err->line names the line),
 * -ENOMEM, -EIO.
 */
int qgroup_config_read(FILE *in, struct qgroup_model *m, struct qgroup_config_error *err);

/**
 * qgroup_config_load_file() - qgroup_config_read() on the file @path
 * Return: as qgroup_config_read(), or -errno from opening @path.
 */
int qgroup_config_load_file(const char *path, struct qgroup_model *m,
			    struct qgroup_config_error *err);

/* what qgroup_config_restore() did */
struct qgroup_config_report {
	unsigned created;	/* higher-level qgroups created */
	unsigned assigned;	/* relations added */
	unsigned limits_set;	/* qgroups whose limits were changed */
	uint64_t *skipped;	/* level-0 qgroups whose subvolume is gone */
	size_t nr_skipped;
	unsigned skipped_relations;	/* relations and limits involving them */
	bool inconsistent;	/* an assign made the numbers inconsistent */
	bool rescan_started;
};

/* restore flags */
#define QGROUP_CONFIG_NO_RESCAN (1U << 0)	/* only report inconsistency */

/**
 * qgroup_config_restore() - make the live filesystem hold @cfg
 * @fs: open filesystem with quota enabled
 * @cfg: the configuration (qgroup_config_read())
 * @flags: QGROUP_CONFIG_* flags
 * @rep: what was done; free with qgroup_config_report_free()
 *
 * Creates missing higher-level qgroups, adds missing relations and sets
 * every listed qgroup's limits to the saved ones (clearing limits the file
 * does not have). Level-0 qgroups whose subvolume no longer exists are
 * skipped with their relations and limits and listed in @rep. Qgroups and
 * relations on the filesystem that the file lacks are left alone, so
 * restoring twice changes nothing the second time. When an assign returns
 * 1 (numbers inconsistent) a rescan is started after all assigns unless
 * QGROUP_CONFIG_NO_RESCAN is given or the filesystem uses simple quotas.
 *
 * Everything is validated before the first change.
 * Return: 0, -ENOTCONN (quota disabled), -EINPROGRESS (a rescan runs:
 * assigns now would leave wrong totals), -EPERM, -EROFS, other -errno.
 */
int qgroup_config_restore(struct live_fs *fs, const struct qgroup_model *cfg,
			  unsigned flags, struct qgroup_config_report *rep);

/**
 * qgroup_config_report_free() - release what a report owns
 */
void qgroup_config_report_free(struct qgroup_config_report *rep);

#endif
