/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-paths.h - directory paths inside subvolumes, from each
 * directory's INODE_REF (its parent and name), for the offline engine's
 * subvolume paths. Each directory is looked up once; loops, missing
 * references and paths longer than OFFLINE_PATH_MAX give "unknown".
 */
#ifndef QGTOP_OFFLINE_PATHS_H
#define QGTOP_OFFLINE_PATHS_H

#include <stddef.h>
#include <stdint.h>

#define OFFLINE_PATH_MAX 4096		/* bytes with the final NUL, as PATH_MAX */
#define OFFLINE_PATH_NAME_MAX 255	/* a btrfs name */
#define OFFLINE_TOP_DIR 256ULL		/* the inode of a subvolume's top directory */

/**
 * offline_paths_ref_fn - look up the INODE_REF of directory @ino of
 * subvolume @root
 * @parent: receives the parent directory's inode
 * @name: receives the name, OFFLINE_PATH_NAME_MAX + 1 bytes, NUL terminated
 *
 * Return: 0 found, 1 when there is none (or it cannot be read: the path is
 * then unknown), or a negative errno that ends the resolution (-ENOMEM,
 * -ECANCELED).
 */
typedef int (*offline_paths_ref_fn)(void *ctx, uint64_t root, uint64_t ino, uint64_t *parent,
				    char *name);

struct offline_paths_ent;

struct offline_paths {
	struct offline_paths_ent *ents;	/* open addressing on (root, ino) */
	size_t cap, nr;
	uint64_t stamp;			/* per resolution, finds loops */
	offline_paths_ref_fn ref;
	void *ctx;
	uint64_t lookups;		/* calls of @ref so far */
};

/**
 * offline_paths_init() - an empty cache that asks @ref (with @ctx)
 */
void offline_paths_init(struct offline_paths *p, offline_paths_ref_fn ref, void *ctx);

/**
 * offline_paths_dir() - path of directory @ino below the top directory of
 * subvolume @root ("" for the top directory itself)
 * @out: receives the path, owned by @p until offline_paths_free(); NULL
 *       when it cannot be known (no INODE_REF on the way up, a loop, or
 *       OFFLINE_PATH_MAX bytes or more)
 *
 * Return: 0, or a negative errno from @ref or -ENOMEM.
 */
int offline_paths_dir(struct offline_paths *p, uint64_t root, uint64_t ino, const char **out);

/**
 * offline_paths_free() - release @p and every path it returned
 */
void offline_paths_free(struct offline_paths *p);

#endif
