/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * safe-file.h - write a file atomically and durably: into a temporary
 * name created with O_EXCL|O_NOFOLLOW (mode 0600) in the target's own
 * directory, fsync, rename into place, fsync the directory. Optionally the
 * directory must be private (nobody but the caller and root can reach into
 * it) and on a filesystem that survives a reboot. The quota-disable save
 * and the offline checkpoint both write through here.
 *
 * Every failure comes back as a negative errno and a one-line reason that
 * starts with the path it is about ("/var/lib/qgtop: Read-only file
 * system", "/home/alice: owned by uid 1000, not by you or root").
 */
#ifndef QGTOP_SAFE_FILE_H
#define QGTOP_SAFE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* directory checks (safe_file_dir_open) */
#define SAFE_FILE_PRIVATE	(1U << 0)	/* the privacy rule of safe-file.c */
#define SAFE_FILE_ROOT_OWNED	(1U << 1)	/* the directory belongs to root,
						 * not just to the caller */
#define SAFE_FILE_DURABLE	(1U << 2)	/* not on a tmpfs or ramfs */
#define SAFE_FILE_NOT_VOLATILE	(1U << 3)	/* not below /tmp, /run or /dev/shm,
						 * which are emptied at boot */
#define SAFE_FILE_CREATE	(1U << 4)	/* create what is missing, 0700 */
/* file writing (safe_file_write) */
#define SAFE_FILE_NO_REPLACE	(1U << 8)	/* -EEXIST instead of replacing */

#define SAFE_FILE_WHY_LEN 1024

/* an open, checked directory */
struct safe_file_dir {
	int fd;
	char *path;		/* canonical path, malloc'ed */
};

/* writes the content to @f; returns 0 or -errno */
typedef int (*safe_file_fill_fn)(FILE *f, void *ctx);

/**
 * safe_file_dir_open() - open the directory @dir and check it
 * @dir: the directory (relative to the working directory, or absolute)
 * @flags: SAFE_FILE_* directory checks
 * @d: filled on success; release with safe_file_dir_close()
 * @why: receives the reason on failure (SAFE_FILE_WHY_LEN bytes suffice)
 * @len: size of @why
 *
 * Return: 0; -EACCES when a privacy check fails, -EXDEV when a durability
 * check fails, other -errno from the system (-ENOENT, -EROFS, ...).
 */
int safe_file_dir_open(const char *dir, unsigned flags, struct safe_file_dir *d, char *why,
		       size_t len);

/**
 * safe_file_dir_close() - release @d (safe to call twice)
 */
void safe_file_dir_close(struct safe_file_dir *d);

/**
 * safe_file_write() - write the file @name in @d atomically and durably
 * @d: the directory
 * @name: a plain file name (no '/')
 * @flags: SAFE_FILE_NO_REPLACE or 0
 * @fill: writes the content
 * @ctx: passed to @fill
 * @why: receives the reason on failure
 * @len: size of @why
 *
 * The temporary file is ".@name.tmp", created O_EXCL|O_NOFOLLOW with mode
 * 0600. When that name exists, a regular file of the caller's with one link
 * is taken for a leftover of an earlier crash and removed once; anything
 * else there (a symbolic link, someone else's file) is refused and left
 * alone. Nothing is ever written through a link.
 * Return: 0, -EEXIST (@name exists and SAFE_FILE_NO_REPLACE), -errno.
 */
int safe_file_write(struct safe_file_dir *d, const char *name, unsigned flags,
		    safe_file_fill_fn fill, void *ctx, char *why, size_t len);

/**
 * safe_file_write_path() - safe_file_dir_open() on the directory of @path
 * with @flags, then safe_file_write() of its last component
 * Return: as those.
 */
int safe_file_write_path(const char *path, unsigned flags, safe_file_fill_fn fill, void *ctx,
			 char *why, size_t len);

#endif
