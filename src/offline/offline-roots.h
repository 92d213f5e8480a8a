/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-roots.h - what the root tree of a btrfs filesystem says: every
 * subvolume tree (root block, reference count, drop progress of a deleted
 * one, its name and place from ROOT_BACKREF, orphan items), where the
 * quota, extent and block group trees start, and each subvolume's path
 * from the top level.
 */
#ifndef QGTOP_OFFLINE_ROOTS_H
#define QGTOP_OFFLINE_ROOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "offline-block.h"
#include "offline-paths.h"

/* where a tree starts; bytenr 0: the filesystem has no such tree */
struct offline_tree_loc {
	uint64_t bytenr, gen;
	uint8_t level;
};

struct offline_root {
	uint64_t id;
	struct offline_tree_loc loc;	/* bytenr 0: no ROOT_ITEM (a backref only) */
	uint32_t refs;			/* 0: deleted, being dropped */
	struct offline_key drop_progress;	/* deleted, partly dropped: keys */
	uint8_t drop_level;			/* before this are gone */
	uint64_t parent, dirid;		/* from ROOT_BACKREF, with @name */
	char *name;
	bool orphan;			/* an ORPHAN_ITEM names it: deleted */
	bool path_done;			/* @path is the answer (NULL: unknown) */
	uint64_t path_stamp;		/* finds ROOT_BACKREF loops */
	char *path;
};

struct offline_roots {
	struct offline_fs *fs;
	struct offline_root *roots;	/* subvolume trees, sorted by id */
	size_t nr, cap;
	struct offline_tree_loc quota, extent, block_group;
	struct offline_paths paths;	/* directory paths inside subvolumes */
	uint64_t path_stamp;
};

/**
 * offline_is_fstree() - is tree @id a subvolume (the top level, or one
 * created by the user)?
 */
bool offline_is_fstree(uint64_t id);

/**
 * offline_roots_load() - read the root tree of @fs into @rs
 * @rs: overwritten; keeps @fs for later path lookups
 * Return: 0 or negative errno, reason in @fs->err.
 */
int offline_roots_load(struct offline_roots *rs, struct offline_fs *fs);

/**
 * offline_roots_find() - the subvolume tree @id, or NULL
 */
struct offline_root *offline_roots_find(const struct offline_roots *rs, uint64_t id);

/**
 * offline_roots_path() - the path of subvolume @r from the top level
 * @out: receives it (owned by @rs), or NULL when it cannot be known: a
 *       loop of backrefs, a missing parent or directory reference, or a
 *       path of OFFLINE_PATH_MAX bytes or more
 * Return: 0, -ENOMEM or -ECANCELED.
 */
int offline_roots_path(struct offline_roots *rs, struct offline_root *r, const char **out);

/**
 * offline_roots_free() - release @rs (left zeroed)
 */
void offline_roots_free(struct offline_roots *rs);

#endif
