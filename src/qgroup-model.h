/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qgroup-model.h - the quota state of one btrfs filesystem, as every
 * source (live ioctls, offline engine, saved configuration) fills it and
 * every sink (CLI table, JSON, TUI rows) reads it.
 *
 * Qgroups live in one array sorted by id once qgroup_model_finish() ran;
 * parents and children are stored as ids (a DAG: a qgroup may have several
 * parents), resolved with qgroup_model_find().
 */
#ifndef QGTOP_QGROUP_MODEL_H
#define QGTOP_QGROUP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QGROUP_LEVEL_SHIFT 48
#define QGROUP_ID(level, sub) (((uint64_t)(level) << QGROUP_LEVEL_SHIFT) | (sub))
#define QGROUP_LEVEL(id) ((uint16_t)((id) >> QGROUP_LEVEL_SHIFT))
#define QGROUP_SUBID(id) ((id) & ((1ULL << QGROUP_LEVEL_SHIFT) - 1))

/* limit flags as stored in the LIMIT item and sysfs limit_flags */
#define QGROUP_LIMIT_MAX_RFER (1ULL << 0)
#define QGROUP_LIMIT_MAX_EXCL (1ULL << 1)
#define QGROUP_LIMIT_MASK (QGROUP_LIMIT_MAX_RFER | QGROUP_LIMIT_MAX_EXCL)

enum qgroup_state {
	QGROUP_STATE_OK = 0,
	QGROUP_STATE_STALE,	/* level 0, subvolume gone */
	QGROUP_STATE_DELETING,	/* level 0, subvolume deleted, not yet cleaned */
};

enum qgroup_quota_mode {
	QGROUP_MODE_DISABLED = 0,
	QGROUP_MODE_FULL,
	QGROUP_MODE_SIMPLE,
};

enum qgroup_rescan_state {
	QGROUP_RESCAN_IDLE = 0,
	QGROUP_RESCAN_STARTING,
	QGROUP_RESCAN_SCANNING,
	QGROUP_RESCAN_COMMITTING,
	QGROUP_RESCAN_PAUSED,	/* flag set, progress frozen (ro remount, stalled) */
	QGROUP_RESCAN_STALE,	/* flag left over after quota disable */
};

struct qgroup {
	uint64_t id;
	bool has_info;
	uint64_t info_generation;
	uint64_t rfer, rfer_cmpr, excl, excl_cmpr;
	bool has_limit;
	uint64_t limit_flags, max_rfer, max_excl, rsv_rfer, rsv_excl;
	uint64_t *parents;
	size_t nr_parents;
	uint64_t *children;
	size_t nr_children;
	char *path;		/* level 0: subvolume path, NULL if unknown */
	enum qgroup_state state;
	/* offline engine: the numbers stored on disk next to computed ones */
	bool has_stored;
	uint64_t stored_rfer, stored_excl;
	/* live: what the kernel has reserved for writes not yet committed
	 * (sysfs rsv_*); it counts against the limits like usage */
	bool has_rsv;
	uint64_t rsv_data, rsv_meta_pertrans, rsv_meta_prealloc;
};

struct qgroup_rescan {
	enum qgroup_rescan_state state;
	uint64_t progress;	/* raw kernel key position, 0 when idle */
	double percent;		/* estimate 0..100, negative when unknown */
	double elapsed_s;	/* negative when unknown */
	double eta_s;		/* negative when no honest ETA */
	double rate;		/* extents per second, negative when unknown */
};

struct qgroup_fs_info {
	char uuid[37];
	char *label;
	char **mountpoints;	/* NULL-terminated, may be NULL */
	char *source;		/* device or image path */
	bool read_only;
	bool offline;		/* read from an unmounted image */
	bool live_scan;		/* computed from a mounted filesystem's devices */
	uint64_t generation;	/* the commit computed numbers describe, 0 none */
	int64_t read_at;	/* live_scan: when it was read (seconds since 1970) */
};

struct qgroup_model {
	struct qgroup_fs_info fs;
	enum qgroup_quota_mode mode;
	bool inconsistent;
	/* live, sysfs; -1 when unknown: deleting a subvolume whose tree is at
	 * least this tall marks the numbers inconsistent instead of tracing it */
	int drop_subtree_threshold;
	/* live, sysfs; -1 when unknown: 1 lets CAP_SYS_RESOURCE pass limits */
	int quota_override;
	uint64_t status_flags;	/* as in the on-disk status item */
	uint64_t status_generation;
	uint64_t status_rescan;	/* on-disk rescan progress key */
	struct qgroup_rescan rescan;
	struct qgroup *qgroups;
	size_t nr_qgroups;
	size_t cap_qgroups;
	/* relations added before finish(): pairs child, parent */
	uint64_t *pending_rel;
	size_t nr_pending_rel;
	size_t cap_pending_rel;
	bool sorted;
};

/**
 * qgroup_model_init() - prepare an empty model
 * @m: model to initialise
 */
void qgroup_model_init(struct qgroup_model *m);

/**
 * qgroup_model_free() - release everything a model owns
 * @m: model, left empty and reusable
 */
void qgroup_model_free(struct qgroup_model *m);

/**
 * qgroup_model_get() - find or add a qgroup
 * @m: model
 * @id: qgroup id (level << 48 | id)
 * @out: where to store the qgroup pointer (valid until the next add)
 *
 * Return: 0 on success, -ENOMEM.
 */
int qgroup_model_get(struct qgroup_model *m, uint64_t id, struct qgroup **out);

/**
 * qgroup_model_add_relation() - record that @child is a member of @parent
 *
 * Both qgroups are created if missing. Duplicates are ignored.
 * Return: 0 or -ENOMEM.
 */
int qgroup_model_add_relation(struct qgroup_model *m, uint64_t child, uint64_t parent);

/**
 * qgroup_model_finish() - sort qgroups and resolve relations into the
 * parents/children arrays. Call once all items are added.
 * Return: 0 or -ENOMEM.
 */
int qgroup_model_finish(struct qgroup_model *m);

/* every qgroup's ancestors (parents, their parents, ...), as indices into
 * m->qgroups: those of qgroup i are idx[start[i]] .. idx[start[i + 1] - 1] */
struct qgroup_ancestors {
	size_t *start;		/* nr_qgroups + 1 entries */
	uint32_t *idx;
};

/**
 * qgroup_model_ancestors() - the ancestors of every qgroup of @m, each
 * once, whatever the shape of the relations (a qgroup reached by two paths
 * or a relation loop in a crafted quota tree); after qgroup_model_finish()
 * Return: 0 or -ENOMEM (@a then empty).
 */
int qgroup_model_ancestors(const struct qgroup_model *m, struct qgroup_ancestors *a);

/**
 * qgroup_ancestors_free() - release @a (left empty)
 */
void qgroup_ancestors_free(struct qgroup_ancestors *a);

/**
 * qgroup_model_find() - look up a qgroup by id after qgroup_model_finish()
 * Return: the qgroup or NULL.
 */
struct qgroup *qgroup_model_find(const struct qgroup_model *m, uint64_t id);

/**
 * qgroup_model_set_path() - set the subvolume path of a level-0 qgroup
 * Return: 0 or -ENOMEM.
 */
int qgroup_model_set_path(struct qgroup *q, const char *path);

/**
 * qgroup_reserved() - all bytes the kernel holds reserved for @q
 * Return: the sum of its data and metadata reservations (0 when unknown).
 */
uint64_t qgroup_reserved(const struct qgroup *q);

/**
 * qgroup_headroom() - bytes @q can still take under its limit @flag
 * @flag: QGROUP_LIMIT_MAX_RFER or QGROUP_LIMIT_MAX_EXCL
 * @left: receives the limit minus the usage minus the reservations, 0 when
 *        they are already past it: a write that needs more fails with
 *        EDQUOT (unless quota_override lets root through)
 * Return: true when @q has that limit.
 */
bool qgroup_headroom(const struct qgroup *q, uint64_t flag, uint64_t *left);

/**
 * qgroup_model_headroom() - what a write into @q can still take before
 * EDQUOT: the smallest headroom of any limit of @q and of every qgroup
 * above it (the kernel charges a write to all of them)
 * @left: receives the bytes
 * @by: receives the id of the qgroup whose limit is the tightest
 * Return: true when any of them has a limit; false when unlimited.
 */
bool qgroup_model_headroom(const struct qgroup_model *m, const struct qgroup *q, uint64_t *left,
			   uint64_t *by);

/**
 * qgroup_id_parse() - parse "level/id" (or a plain subvolume id as 0/id)
 * @s: text
 * @id: result
 *
 * Return: 0, or -EINVAL when @s is not a qgroup id.
 */
int qgroup_id_parse(const char *s, uint64_t *id);

/**
 * qgroup_id_format() - format "level/id" into @buf (at least 32 bytes)
 * Return: @buf.
 */
char *qgroup_id_format(uint64_t id, char *buf, size_t len);

const char *qgroup_mode_name(enum qgroup_quota_mode mode);
const char *qgroup_rescan_state_name(enum qgroup_rescan_state st);
const char *qgroup_state_name(enum qgroup_state st);

#endif
