/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qgroup-config.h - the saved qgroup configuration of a filesystem
 * (qgroups, relations, limits; no numbers) as a versioned, line-based text
 * file: a pure file format (restoring it is qgroup-restore.h).
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

struct safe_file_dir;

/**
 * qgroup_config_save_in() - write @m durably as @name in the directory @d
 * @m: a finished model
 * @d: a directory opened and checked with safe_file_dir_open()
 * @name: file name
 * @flags: SAFE_FILE_NO_REPLACE to fail with -EEXIST instead of replacing
 * @why: receives a one-line reason on failure ("PATH: reason")
 * @len: size of @why
 *
 * Through safe_file_write(): @name is either complete or absent.
 * Return: 0 or -errno.
 */
int qgroup_config_save_in(const struct qgroup_model *m, struct safe_file_dir *d,
			  const char *name, unsigned flags, char *why, size_t len);

/**
 * qgroup_config_save_file() - write @m durably to @path
 * @m: a finished model
 * @path: target file
 * @flags: SAFE_FILE_* checks of its directory, and SAFE_FILE_NO_REPLACE
 * @why: receives a one-line reason on failure
 * @len: size of @why
 *
 * Return: 0 or -errno (as safe_file_write_path()).
 */
int qgroup_config_save_file(const struct qgroup_model *m, const char *path, unsigned flags,
			    char *why, size_t len);

/**
 * qgroup_config_read() - parse a configuration from @in into @m
 * @in: stream
 * @m: an initialised, empty model; finished on success. Level-0 qgroups
 *     have no path and every qgroup has_info false; uuid and mode are set
 *     when the file names them (mode QGROUP_MODE_DISABLED otherwise).
 * @err: filled on failure
 *
 * Lines are read into a fixed buffer: a line longer than
 * QGROUP_CONFIG_MAX_LINE or a NUL byte is refused when it is reached,
 * before anything grows.
 * Return: 0, -EINVAL for a malformed file (@err->line names the line),
 * -ENOMEM, -EIO.
 */
int qgroup_config_read(FILE *in, struct qgroup_model *m, struct qgroup_config_error *err);

/**
 * qgroup_config_load_file() - qgroup_config_read() on the file @path
 *
 * Only a regular file or a pipe (a shell's <(...)) is read: anything else
 * (a device such as /dev/zero, a directory) is refused before reading with
 * -EINVAL, @err->line 0 and @err->why set.
 * Return: as qgroup_config_read(), or -errno from opening @path.
 */
int qgroup_config_load_file(const char *path, struct qgroup_model *m,
			    struct qgroup_config_error *err);

#endif
