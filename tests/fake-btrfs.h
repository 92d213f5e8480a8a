/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake-btrfs.h - one fake mounted btrfs for every unit test of the live
 * backend: a struct btrfs_ops (and a mount(2) for live-rescan) answering
 * from a state the test sets up in the global `fake_btrfs` and a few tables
 * (tree items, sysfs files, subvolume paths, extents).
 *
 * The fake describes a filesystem; it does not evolve one. Changes (quota
 * enable/disable, qgroup create/destroy/assign/limit, rescan start, sysfs
 * writes, remounts) are counted, logged and answered with the result the
 * test chose, but never applied: what a test set up is what every later
 * call sees. Failures are injected per kind of call (fake_btrfs.ret) or for
 * one call (fake_btrfs.faults: the nth call of a kind, or the one on a
 * given qgroup), since the kernel will not produce them on demand.
 *
 * Not faked, because the code under test reaches them outside btrfs_ops:
 * live_fs_open() reads the read-only flag with fstatvfs() on the descriptor
 * (FAKE_BTRFS_FD is never open, so it always reads "read-write"), and
 * live-quota lists the sysfs qgroups directory with opendir().
 */
#ifndef QGTOP_FAKE_BTRFS_H
#define QGTOP_FAKE_BTRFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/btrfs.h>

#include "btrfs-ops.h"
#include "fake-search.h"
#include "live-fs.h"

/* the descriptor the fake's open() returns; no real file is open on it */
#define FAKE_BTRFS_FD 1000

#define FAKE_BTRFS_QUOTA_TREE 8
#define FAKE_BTRFS_ROOT_TREE 1
#define FAKE_BTRFS_EXTENT_TREE 2

/* what a call is, for results, faults and counters */
enum fake_btrfs_kind {
	FAKE_BTRFS_NONE,	/* an unused fault slot */
	FAKE_BTRFS_OPEN,
	FAKE_BTRFS_FSTATFS,
	FAKE_BTRFS_READ_TEXT,
	FAKE_BTRFS_WRITE_TEXT,
	FAKE_BTRFS_SUBVOLUME_PATH,	/* id: the subvolume */
	FAKE_BTRFS_MOUNT,
	FAKE_BTRFS_FS_INFO,
	FAKE_BTRFS_GET_FSLABEL,
	FAKE_BTRFS_SYNC,
	FAKE_BTRFS_TREE_SEARCH,
	FAKE_BTRFS_LOGICAL_INO,		/* id: the logical address */
	FAKE_BTRFS_QUOTA_CTL,
	FAKE_BTRFS_QGROUP_CREATE,	/* id: the qgroup */
	FAKE_BTRFS_QGROUP_DESTROY,	/* QGROUP_CREATE with create = 0; id: the qgroup */
	FAKE_BTRFS_QGROUP_ASSIGN,	/* assign and remove; id: the child, parent: the parent */
	FAKE_BTRFS_QGROUP_LIMIT,	/* id: the qgroup */
	FAKE_BTRFS_RESCAN,
	FAKE_BTRFS_RESCAN_STATUS,
	FAKE_BTRFS_RESCAN_WAIT,
	FAKE_BTRFS_OTHER_IOCTL,		/* anything else: -ENOTTY */
	FAKE_BTRFS_NR_KINDS
};

/* one injected failure; the first matching slot of fake_btrfs.faults wins */
struct fake_btrfs_fault {
	enum fake_btrfs_kind kind;
	unsigned nth;		/* only the nth call of @kind (1 = first); 0: any */
	uint64_t id;		/* only the call on this id (see the kinds); 0: any */
	uint64_t parent;	/* QGROUP_ASSIGN: only with this parent; 0: any */
	int err;		/* what the call returns, a negative errno */
};

#define FAKE_BTRFS_MAX_FAULTS 4

/* one logged change: the ioctl and its arguments */
struct fake_btrfs_call {
	unsigned long req;	/* BTRFS_IOC_... */
	/* QUOTA_CTL: cmd; QGROUP_CREATE: create, qgroupid;
	 * QGROUP_ASSIGN: assign, src, dst; QGROUP_LIMIT: qgroupid, flags,
	 * max_rfer, max_excl; QUOTA_RESCAN: flags */
	uint64_t a, b, c, d;
};

#define FAKE_BTRFS_MAX_LOG 64

/* one sysfs write */
struct fake_btrfs_write {
	char rel[64];		/* below the filesystem's sysfs directory */
	char text[32];
};

#define FAKE_BTRFS_MAX_WRITES 8

struct fake_btrfs {
	/* the filesystem: FS_INFO, GET_FSLABEL, fstatfs */
	uint8_t fsid[16];	/* default 0x10, 0x11, .. 0x1f */
	uint32_t nodesize;	/* default 16384 */
	uint32_t sectorsize;	/* default 4096 */
	char label[BTRFS_LABEL_SIZE];	/* default empty */
	long fs_type;		/* statfs f_type; default BTRFS_SUPER_MAGIC */
	bool read_only;		/* statfs ST_RDONLY (see the top comment) */

	/*
	 * Quotas. @mode is the text of qgroups/mode; NULL means quota is
	 * disabled: no qgroups directory in sysfs and no quota tree
	 * (searching it gives -ENOENT). While enabled, sysfs also has
	 * qgroups/enabled ("1") and qgroups/inconsistent (@inconsistent).
	 * Default "qgroup".
	 */
	const char *mode;
	bool inconsistent;

	/* QUOTA_RESCAN_STATUS answers */
	uint64_t rescan_flags;
	uint64_t rescan_progress;

	/* TREE_SEARCH_V2: at most this many items a call (0: as many as fit),
	 * and a sleep before each call (a slow tree: disk reads) */
	uint32_t search_max_items;
	unsigned search_delay_ms;

	/*
	 * Results. A negative ret[kind] fails every call of that kind with
	 * it; 0 or positive is the value a call that did its work returns
	 * (QGROUP_ASSIGN returns 1 when the kernel marked the numbers
	 * inconsistent). A matching fault overrides ret.
	 */
	int ret[FAKE_BTRFS_NR_KINDS];
	struct fake_btrfs_fault faults[FAKE_BTRFS_MAX_FAULTS];

	/* called on each ioctl (after a change is logged) before the fake
	 * answers it: a test's look at the world at that moment */
	void (*on_ioctl)(unsigned long req, void *arg);

	/* what happened; a test may clear these at any time */
	unsigned calls[FAKE_BTRFS_NR_KINDS];	/* every call, failed or not */
	struct fake_btrfs_call log[FAKE_BTRFS_MAX_LOG];	/* the changes, in order */
	int nr_log;
	struct fake_btrfs_write writes[FAKE_BTRFS_MAX_WRITES];
	int nr_writes;
	char mount_target[256];	/* the last mount(2) */
	unsigned long mount_flags;
	int open_fds;		/* opens minus closes */
};

extern struct fake_btrfs fake_btrfs;
extern const struct btrfs_ops fake_btrfs_ops;

/**
 * fake_btrfs_start() - reset the fake to its defaults and put it in place
 * of the system: btrfs_ops and live-rescan's mount(2)
 *
 * Defaults: see struct fake_btrfs; no tree items, sysfs files, subvolumes
 * or extents; every call succeeds; nothing counted or logged.
 */
void fake_btrfs_start(void);

/**
 * fake_btrfs_stop() - give the system back and free the fake's tables
 */
void fake_btrfs_stop(void);

/**
 * fake_btrfs_fs() - a handle on the fake filesystem, as live_fs_open()
 * fills it, without making any call
 *
 * Return: FAKE_BTRFS_FD, uuid and sysfs directory from fsid, the sizes;
 * path NULL and read_only false. It needs no live_fs_close().
 */
struct live_fs fake_btrfs_fs(void);

/* the words and their number, for fake_btrfs_add_item(..., FAKE_BTRFS_WORDS(1, 2)) */
#define FAKE_BTRFS_WORDS(...) \
	((const uint64_t[]){ __VA_ARGS__ }), \
	(unsigned)(sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))

/**
 * fake_btrfs_add_item() - add an item to a tree, in key order (a tree
 * holds one item per key)
 * @tree: tree id
 * @words: the body as little-endian u64 words (NULL when @nr_words is 0)
 * @nr_words: at most five
 */
void fake_btrfs_add_item(uint64_t tree, uint64_t objectid, uint8_t type, uint64_t offset,
			 const uint64_t *words, unsigned nr_words);

/**
 * fake_btrfs_add_relation() - add the two RELATION items of @child in
 * @parent to the quota tree, as the kernel stores a relation
 */
void fake_btrfs_add_relation(uint64_t child, uint64_t parent);

/**
 * fake_btrfs_del_item() - remove the item with this key from @tree
 * Return: 0, or -ENOENT when there is none.
 */
int fake_btrfs_del_item(uint64_t tree, uint64_t objectid, uint8_t type, uint64_t offset);

/**
 * fake_btrfs_add_extent() - add an extent to the extent tree, in key order
 * @bytenr: its logical address (the key's objectid)
 * @type: BTRFS_EXTENT_ITEM_KEY (offset 4096, the length) or
 *        BTRFS_METADATA_ITEM_KEY (offset 0, the level)
 * @flags: BTRFS_EXTENT_FLAG_DATA or BTRFS_EXTENT_FLAG_TREE_BLOCK
 * @owner: tree blocks: the tree of the one inline TREE_BLOCK_REF
 * @roots: data: how many distinct roots (256, 257, ..) LOGICAL_INO_V2
 *         reports, each through two inodes so a caller must count
 *         distinct roots; tree blocks: how many trees share it (its refs)
 *
 * The body: refs 1 (a tree block: @roots, at least 1), generation 7, @flags;
 * a non-skinny tree block gets an empty tree_block_info before its inline ref.
 */
void fake_btrfs_add_extent(uint64_t bytenr, uint8_t type, uint64_t flags, uint64_t owner,
			   unsigned roots);

/**
 * fake_btrfs_add_data_ref() - a 4 KiB data extent at @bytenr with one inline
 * EXTENT_DATA_REF (@root, @ino, @offset), and the file extent item it
 * names in tree @root (an empty body)
 */
void fake_btrfs_add_data_ref(uint64_t bytenr, uint64_t root, uint64_t ino, uint64_t offset);

/**
 * fake_btrfs_sysfs() - set a sysfs file of the filesystem
 * @rel: below /sys/fs/btrfs/UUID/, e.g. "qgroups/0_256/referenced";
 *       files below qgroups/ exist only while quota is enabled; not
 *       qgroups/mode, enabled or inconsistent (struct fake_btrfs has them)
 * @text: the content without newline; NULL removes the file
 */
void fake_btrfs_sysfs(const char *rel, const char *text);

/**
 * fake_btrfs_subvol() - give subvolume @id the path @path (relative to
 * the top of the filesystem) for subvolume_path(); others are -ENOENT
 */
void fake_btrfs_subvol(uint64_t id, const char *path);

/**
 * fake_btrfs_mount() - the fake mount(2) installed for live-rescan: counts
 * and records target and flags; fails (-1, errno) as ret/faults say
 */
int fake_btrfs_mount(const char *source, const char *target, const char *type,
		     unsigned long flags, const void *data);

/**
 * fake_btrfs_log_clear() - forget the logged changes (counters stay)
 */
void fake_btrfs_log_clear(void);

/**
 * fake_btrfs_count() - how many logged changes were ioctl @req
 */
int fake_btrfs_count(unsigned long req);

/**
 * fake_btrfs_call() - the @nth (0 = first) logged ioctl @req, or NULL
 */
const struct fake_btrfs_call *fake_btrfs_call(unsigned long req, int nth);

/**
 * fake_btrfs_find() - the first logged qgroup change on @id, or NULL
 * @req: BTRFS_IOC_QGROUP_CREATE (create or destroy of @id),
 *       BTRFS_IOC_QGROUP_ASSIGN (@id into or out of the parent @arg) or
 *       BTRFS_IOC_QGROUP_LIMIT (of @id, with the limit flags @arg; 0: any)
 */
const struct fake_btrfs_call *fake_btrfs_find(unsigned long req, uint64_t id, uint64_t arg);

#endif
