// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-engine.c - the offline qgroup accounting from start to end:
 * open the filesystem and its root tree, read the quota tree (the stored
 * numbers), resolve subvolume paths, then either the top-down scan and
 * its totals (full mode) or the simple-quota walk, with progress, cancel
 * and checkpoints; and "freed if deleted" answers from the last scan.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nls.h"
#include "offline-checkpoint.h"
#include "offline-engine.h"
#include "offline-fs.h"
#include "offline-roots.h"
#include "offline-scan.h"
#include "offline-squota.h"
#include "offline-totals.h"
#include "offline-tree.h"
#include "live-fs.h"
#include "quota-items.h"

/* how often the progress callback runs at most */
#define PROGRESS_INTERVAL_NS 100000000L

/* what a scan is doing, for the message when it is interrupted */
enum engine_phase {
	ENGINE_PHASE_QUOTA,
	ENGINE_PHASE_PATHS,
	ENGINE_PHASE_SCAN,
	ENGINE_PHASE_SQUOTA,
};

static const char *const phase_interrupted[] = {
	[ENGINE_PHASE_QUOTA] = N_("interrupted while reading the quota tree"),
	[ENGINE_PHASE_PATHS] = N_("interrupted while resolving subvolume paths"),
	[ENGINE_PHASE_SCAN] = N_("interrupted while scanning metadata"),
	[ENGINE_PHASE_SQUOTA] = N_("interrupted while accounting simple quotas"),
};

struct offline_engine {
	struct offline_fs fs;
	struct offline_roots roots;
	struct offline_scan scan;
	bool scanned;			/* @scan holds a finished full-mode scan */
	enum engine_phase phase;
	uint64_t enable_gen;		/* simple quotas: first counted generation */
	/* progress and cancel of the scan running */
	offline_progress_cb cb;
	void *cb_ctx;
	const atomic_int *cancel;
	struct offline_progress prog;
	struct timespec last_cb;
	/* checkpoint: warnings the scan goes on after, and the save at cancel */
	struct offline_checkpoint *ck;
	offline_warn_cb warn;
	void *warn_ctx;
	offline_extent_cb extent;
	void *extent_ctx;
	int ck_status;		/* 1 saved at cancel, -errno failed, 0 not tried */
	char ck_err[256];	/* why the save at cancel failed */
	unsigned ck_interval;	/* seconds between saves */
};

const char *offline_engine_error(const struct offline_engine *e)
{
	return e ? e->fs.err : "";
}

static struct offline_engine *engine_new(void)
{
	struct offline_engine *e = calloc(1, sizeof(*e));

	if (e)
		e->ck_interval = OFFLINE_CHECKPOINT_INTERVAL;
	return e;
}

/*
 * A mounted filesystem that committed while we read it can hand us a
 * block it has since reused: the block then fails verification. When the
 * superblock moved on, that is a change, not corruption: -EAGAIN.
 */
static int live_changed(struct offline_engine *e, int ret)
{
	if (!e->fs.live || (ret != -EINVAL && ret != -EIO))
		return ret;
	if (offline_fs_changed(&e->fs) != 1)
		return ret;
	snprintf(e->fs.err, sizeof(e->fs.err), "%s",
		 _("the filesystem committed a new generation during the scan"));
	return -EAGAIN;
}

/* the common end of every open: @ret is the offline_fs open's */
static int finish_open(struct offline_engine *e, int ret, struct offline_engine **out,
		       const char *first_path, char *errmsg, size_t errlen)
{
	if (!ret)
		ret = offline_roots_load(&e->roots, &e->fs);
	ret = live_changed(e, ret);
	if (ret == -ECANCELED && first_path)
		snprintf(errmsg, errlen, _("interrupted while opening %s"), first_path);
	else if (ret)
		snprintf(errmsg, errlen, "%s", e->fs.err[0] ? e->fs.err : strerror(-ret));
	if (ret) {
		offline_engine_close(e);
		return ret;
	}
	/* the flag need not outlive the open: each scan brings its own */
	e->fs.cancel = NULL;
	*out = e;
	return 0;
}

int offline_engine_open(const char *const *paths, size_t nr_paths, const atomic_int *cancel,
			struct offline_engine **out, char *errmsg, size_t errlen)
{
	struct offline_engine *e = engine_new();
	int ret;

	*out = NULL;
	if (!e) {
		snprintf(errmsg, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	ret = offline_fs_open_paths(&e->fs, paths, nr_paths, true, cancel);
	return finish_open(e, ret, out, nr_paths ? paths[0] : NULL, errmsg, errlen);
}

/* the fsid of @fs as text, as live_fs has it */
static void fsid_text(const uint8_t *u, char *buf, size_t len)
{
	snprintf(buf, len,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
		 u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		 u[15]);
}

int offline_engine_open_live(const char *path, bool sync, const atomic_int *cancel,
			     struct offline_engine **out, char *errmsg, size_t errlen)
{
	struct offline_engine *e;
	struct live_fs lfs;
	char **devs = NULL, uuid[37];
	size_t nr = 0;
	int ret;

	*out = NULL;
	ret = live_fs_open(path, &lfs);
	if (ret) {
		if (ret == -ENOTTY)
			snprintf(errmsg, errlen,
				 _("%s is a directory not on btrfs: neither an image file or block "
				   "device nor a mounted btrfs filesystem"), path);
		else
			snprintf(errmsg, errlen, _("cannot open %s: %s"), path, strerror(-ret));
		return ret;
	}
	if (geteuid() != 0) {
		snprintf(errmsg, errlen,
			 _("scanning the mounted filesystem of %s reads its devices: run as root"),
			 path);
		ret = -EPERM;
		goto out_close;
	}
	if (sync && syncfs(lfs.fd)) {
		ret = -errno;
		snprintf(errmsg, errlen, _("cannot commit the filesystem of %s: %s"), path,
			 strerror(errno));
		goto out_close;
	}
	ret = live_fs_devices(&lfs, &devs, &nr);
	if (ret) {
		snprintf(errmsg, errlen, _("cannot list the devices of the filesystem of %s: %s"),
			 path, strerror(-ret));
		goto out_close;
	}
	e = engine_new();
	if (!e) {
		ret = -ENOMEM;
		snprintf(errmsg, errlen, "%s", strerror(ENOMEM));
		goto out_close;
	}
	ret = offline_fs_open_live(&e->fs, (const char *const *)devs, nr, cancel);
	if (!ret) {
		fsid_text(e->fs.sb.fsid, uuid, sizeof(uuid));
		if (strcmp(uuid, lfs.uuid)) {
			snprintf(e->fs.err, sizeof(e->fs.err),
				 _("%s holds filesystem %s, not %s mounted at %s"), devs[0], uuid,
				 lfs.uuid, path);
			ret = -EINVAL;
		}
	}
	ret = finish_open(e, ret, out, devs[0], errmsg, errlen);
out_close:
	live_fs_devices_free(devs, nr);
	live_fs_close(&lfs);
	return ret;
}

int offline_engine_open_mem(const uint8_t *mem, size_t size, bool verify_csum,
			    struct offline_engine **out, char *errmsg, size_t errlen)
{
	struct offline_engine *e = engine_new();

	*out = NULL;
	if (!e)
		return -ENOMEM;
	return finish_open(e, offline_fs_open_mem(&e->fs, mem, size, verify_csum), out, NULL,
			   errmsg, errlen);
}

int offline_engine_open_sparse(const struct offline_seg *segs, size_t nr, uint64_t size,
			       bool verify_csum, struct offline_engine **out, char *errmsg,
			       size_t errlen)
{
	struct offline_engine *e = engine_new();

	*out = NULL;
	if (!e)
		return -ENOMEM;
	return finish_open(e, offline_fs_open_sparse(&e->fs, segs, nr, size, verify_csum), out,
			   NULL, errmsg, errlen);
}

/* ---- quota tree ---- */

struct quota_ctx {
	struct qgroup_model *m;
	struct quota_items_status status;
	char *err;
	size_t errlen;
};

static int quota_item(const struct offline_key *key, const uint8_t *data, uint32_t size, void *ctx)
{
	struct quota_ctx *qc = ctx;
	int ret = quota_items_add(qc->m, key->objectid, key->type, key->offset, data, size,
				  QUOTA_ITEMS_STORED, &qc->status);

	if (ret == -EINVAL)
		snprintf(qc->err, qc->errlen, _("quota tree: item (%" PRIu64 " %u %" PRIu64
					     ") too short (%u bytes)"),
			 key->objectid, key->type, key->offset, size);
	return ret;
}

static int read_quota(struct offline_engine *e, struct qgroup_model *m)
{
	struct quota_ctx qc = { .m = m, .err = e->fs.err, .errlen = sizeof(e->fs.err) };
	const struct offline_tree_loc *q = &e->roots.quota;
	int ret;

	if (!q->bytenr) {
		m->mode = QGROUP_MODE_DISABLED;
		/* still compute level-0 numbers for every subvolume */
		for (size_t i = 0; i < e->roots.nr; i++) {
			struct qgroup *g;

			if (!e->roots.roots[i].loc.bytenr)
				continue;
			ret = qgroup_model_get(m, e->roots.roots[i].id, &g);
			if (ret)
				return ret;
		}
		return 0;
	}
	ret = offline_tree_walk(&e->fs, BTRFS_QUOTA_TREE_OBJECTID, q->bytenr, q->level, q->gen,
				NULL, NULL, quota_item, &qc);
	if (ret)
		return ret;
	m->mode = quota_items_mode(&qc.status);
	/* simple quotas count from the generation they were enabled in */
	e->enable_gen = m->mode == QGROUP_MODE_SIMPLE ? qc.status.enable_gen : 0;
	m->inconsistent = !!(m->status_flags & BTRFS_QGROUP_STATUS_FLAG_INCONSISTENT);
	if (m->status_flags & BTRFS_QGROUP_STATUS_FLAG_RESCAN) {
		m->rescan.state = QGROUP_RESCAN_PAUSED;
		m->rescan.progress = m->status_rescan;
	}
	return 0;
}

/* ---- progress ---- */

static int bg_item(const struct offline_key *key, const uint8_t *data, uint32_t size, void *ctx)
{
	uint64_t *total = ctx;

	if (key->type == BTRFS_BLOCK_GROUP_ITEM_KEY &&
	    size >= sizeof(struct btrfs_block_group_item) &&
	    (BTRFS_LE64(data, struct btrfs_block_group_item, flags) & BTRFS_BLOCK_GROUP_METADATA))
		*total += BTRFS_LE64(data, struct btrfs_block_group_item, used);
	return 1;
}

/* metadata bytes in use, from the block group items (progress total);
 * an unreadable item gives no total, only a cancel is an error */
static int metadata_used(struct offline_engine *e, uint64_t *out)
{
	bool bg_tree = e->roots.block_group.bytenr != 0;
	const struct offline_tree_loc *loc = bg_tree ? &e->roots.block_group : &e->roots.extent;
	uint64_t tree = bg_tree ? BTRFS_BLOCK_GROUP_TREE_OBJECTID : BTRFS_EXTENT_TREE_OBJECTID;
	uint64_t total = 0;

	*out = 0;
	if (!loc->bytenr)
		return 0;
	for (size_t i = 0; i < e->fs.map.nr; i++) {
		const struct offline_chunk *c = &e->fs.map.chunks[i];
		struct offline_key k = { c->logical, BTRFS_BLOCK_GROUP_ITEM_KEY, c->length };
		int ret;

		if (!(c->type & BTRFS_BLOCK_GROUP_METADATA))
			continue;
		ret = offline_tree_walk(&e->fs, tree, loc->bytenr, loc->level, loc->gen, &k, &k,
					bg_item, &total);
		if (ret == -ECANCELED)
			return ret;
		if (ret < 0)
			return 0;	/* only an estimate: fall back to no total */
	}
	*out = total;
	return 0;
}

static int progress(struct offline_engine *e, bool force)
{
	struct timespec now;

	if (e->cancel && atomic_load(e->cancel))
		return -ECANCELED;	/* the message names the phase, at the end */
	if (!e->cb)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!force && (now.tv_sec - e->last_cb.tv_sec) * 1000000000L +
			      (now.tv_nsec - e->last_cb.tv_nsec) < PROGRESS_INTERVAL_NS)
		return 0;
	e->last_cb = now;
	e->prog.done = e->fs.bytes_read;
	if (e->prog.total < e->prog.done)
		e->prog.total = e->prog.done;
	e->cb(&e->prog, e->cb_ctx);
	return 0;
}

/* offline_tick_fn of the simple-quota walk */
static int squota_tick(void *ctx)
{
	return progress(ctx, false);
}

/* offline_tick_fn of the top-down scan: after each block */
static int scan_tick(void *ctx)
{
	struct offline_engine *e = ctx;
	int ret = progress(e, false);

	/* a failed periodic save has warned: the scan goes on */
	if (!ret && e->ck)
		offline_checkpoint_maybe_save(e->ck, &e->scan);
	return ret;
}

/*
 * Save the checkpoint of a cancelled scan: it stays cancelled either way
 * (the error names the phase); the caller asks whether it saved
 * (offline_engine_checkpoint_status(), offline_engine_checkpoint_error()).
 */
static void save_at_cancel(struct offline_engine *e)
{
	int r = offline_checkpoint_save(e->ck, &e->scan);

	e->ck_status = r ? r : 1;
	if (r)
		snprintf(e->ck_err, sizeof(e->ck_err), "%s", offline_checkpoint_error(e->ck));
}

void offline_engine_set_extent_cb(struct offline_engine *e, offline_extent_cb cb, void *ctx)
{
	e->extent = cb;
	e->extent_ctx = ctx;
}

void offline_engine_set_warn(struct offline_engine *e, offline_warn_cb cb, void *ctx)
{
	e->warn = cb;
	e->warn_ctx = ctx;
}

const char *offline_engine_checkpoint_error(const struct offline_engine *e)
{
	return e->ck_err;
}

int offline_engine_checkpoint_status(const struct offline_engine *e)
{
	return e->ck_status;
}

void offline_engine_set_checkpoint_interval(struct offline_engine *e, unsigned seconds)
{
	e->ck_interval = seconds;
}

/* ---- the model ---- */

static void fill_fs_info(struct offline_engine *e, struct qgroup_model *m)
{
	fsid_text(e->fs.sb.fsid, m->fs.uuid, sizeof(m->fs.uuid));
	free(m->fs.label);
	m->fs.label = strdup(e->fs.sb.label);
	free(m->fs.source);
	m->fs.source = strdup(e->fs.nr_devs ? e->fs.devs[0].path : "");
	m->fs.offline = !e->fs.live;
	m->fs.live_scan = e->fs.live;
	m->fs.generation = e->fs.sb.generation;
	m->fs.read_at = (int64_t)time(NULL);
	m->fs.read_only = true;
}

static int fill_paths(struct offline_engine *e, struct qgroup_model *m)
{
	for (size_t i = 0; i < m->nr_qgroups; i++) {
		struct qgroup *q = &m->qgroups[i];
		struct offline_root *r;
		const char *p;
		int ret;

		if (QGROUP_LEVEL(q->id))
			continue;
		r = offline_roots_find(&e->roots, q->id);
		if (!r || !r->loc.bytenr) {
			q->state = QGROUP_STATE_STALE;
			continue;
		}
		if (q->id == BTRFS_FS_TREE_OBJECTID) {
			ret = qgroup_model_set_path(q, "<toplevel>");
			if (ret)
				return ret;
			continue;
		}
		if (!r->refs || r->orphan) {
			q->state = QGROUP_STATE_DELETING;
			continue;
		}
		ret = offline_roots_path(&e->roots, r, &p);
		if (ret)
			return ret;
		if (p) {
			ret = qgroup_model_set_path(q, p);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* ---- the scan ---- */

static int scan_full(struct offline_engine *e, struct qgroup_model *m, const char *checkpoint)
{
	int ret;

	if (checkpoint) {
		/* an unusable checkpoint is ignored with a warning */
		ret = offline_checkpoint_open(checkpoint, &e->scan, e->ck_interval, e->warn,
					      e->warn_ctx, &e->ck);
		if (ret)
			return ret;
	}
	ret = offline_scan_prepare(&e->scan, &e->roots);
	if (ret)
		return ret;
	ret = offline_scan_run(&e->scan);
	/* the scan sits before the first block not done: resume there */
	if (ret == -ECANCELED && e->ck)
		save_at_cancel(e);
	if (ret)
		return ret;
	ret = offline_totals_account(&e->scan, m);
	if (ret)
		return ret;
	e->scanned = true;
	if (e->ck)
		offline_checkpoint_done(e->ck);
	e->ck = NULL;
	return 0;
}

int offline_engine_scan(struct offline_engine *e, struct qgroup_model *m, offline_progress_cb cb,
			void *ctx, const atomic_int *cancel, const char *checkpoint)
{
	int ret;

	e->fs.err[0] = 0;
	e->ck_status = 0;
	e->scanned = false;
	offline_scan_free(&e->scan);
	e->cb = cb;
	e->cb_ctx = ctx;
	e->cancel = cancel;
	/* every block read checks it, so each phase stops within one read */
	e->fs.cancel = cancel;
	memset(&e->last_cb, 0, sizeof(e->last_cb));
	fill_fs_info(e, m);
	e->phase = ENGINE_PHASE_QUOTA;
	ret = read_quota(e, m);
	if (ret)
		goto out;
	ret = qgroup_model_finish(m);
	if (ret)
		goto out;
	e->phase = ENGINE_PHASE_PATHS;
	ret = fill_paths(e, m);
	if (ret)
		goto out;
	e->phase = m->mode == QGROUP_MODE_SIMPLE ? ENGINE_PHASE_SQUOTA : ENGINE_PHASE_SCAN;
	ret = offline_scan_init(&e->scan, &e->fs, &e->roots, scan_tick, e);
	if (ret)
		goto out;
	e->scan.extent = e->extent;
	e->scan.extent_ctx = e->extent_ctx;
	e->fs.bytes_read = 0;
	ret = metadata_used(e, &e->prog.total);
	if (ret)
		goto out;
	e->fs.bytes_read = 0;
	if (m->mode == QGROUP_MODE_SIMPLE)
		/* freed bytes need the full-mode sets: not available */
		ret = offline_squota_scan(&e->fs, &e->roots, e->enable_gen, m, squota_tick, e);
	else
		ret = scan_full(e, m, checkpoint);
	if (ret)
		goto out;
	e->prog.total = e->fs.bytes_read;
	progress(e, true);
out:
	ret = live_changed(e, ret);
	if (e->ck)
		offline_checkpoint_close(e->ck);
	e->ck = NULL;
	if (ret == -ECANCELED)
		snprintf(e->fs.err, sizeof(e->fs.err), "%s", _(phase_interrupted[e->phase]));
	if (ret == -ENOMEM && !e->fs.err[0])
		snprintf(e->fs.err, sizeof(e->fs.err), "%s", strerror(ENOMEM));
	/* @cancel belongs to the caller and may not outlive this call */
	e->fs.cancel = NULL;
	return ret;
}

int offline_engine_freed(struct offline_engine *e, const uint64_t *subvol_ids, size_t nr,
			 uint64_t *bytes)
{
	*bytes = 0;
	if (!e->scanned)
		return -EINVAL;
	return offline_totals_freed(&e->scan, subvol_ids, nr, bytes);
}

void offline_engine_close(struct offline_engine *e)
{
	if (!e)
		return;
	offline_scan_free(&e->scan);
	offline_roots_free(&e->roots);
	offline_fs_close(&e->fs);
	free(e);
}
