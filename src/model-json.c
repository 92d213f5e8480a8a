// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * model-json.c - qgroup_model to JSON. Byte counts are integers, an unset
 * limit is null, ids are "level/id" strings as btrfs-progs prints them.
 */
#include "config.h"

#include "model-json.h"

static void write_id_list(struct json_writer *w, const uint64_t *ids, size_t nr)
{
	char buf[32];

	json_array_begin(w);
	for (size_t i = 0; i < nr; i++)
		json_string(w, qgroup_id_format(ids[i], buf, sizeof(buf)));
	json_array_end(w);
}

void model_json_qgroup(struct json_writer *w, const struct qgroup *q)
{
	char buf[32];

	json_object_begin(w);
	json_key(w, "qgroupid");
	json_string(w, qgroup_id_format(q->id, buf, sizeof(buf)));
	json_key(w, "level");
	json_u64(w, QGROUP_LEVEL(q->id));
	json_key(w, "id");
	json_u64(w, QGROUP_SUBID(q->id));
	json_key(w, "referenced");
	json_u64(w, q->rfer);
	json_key(w, "exclusive");
	json_u64(w, q->excl);
	json_key(w, "referenced_compressed");
	json_u64(w, q->rfer_cmpr);
	json_key(w, "exclusive_compressed");
	json_u64(w, q->excl_cmpr);
	json_key(w, "max_referenced");
	if (q->limit_flags & QGROUP_LIMIT_MAX_RFER)
		json_u64(w, q->max_rfer);
	else
		json_null(w);
	json_key(w, "max_exclusive");
	if (q->limit_flags & QGROUP_LIMIT_MAX_EXCL)
		json_u64(w, q->max_excl);
	else
		json_null(w);
	json_key(w, "parents");
	write_id_list(w, q->parents, q->nr_parents);
	json_key(w, "children");
	write_id_list(w, q->children, q->nr_children);
	json_key(w, "path");
	json_string(w, q->path);
	json_key(w, "state");
	json_string(w, qgroup_state_name(q->state));
	if (q->has_rsv) {
		uint64_t left;

		json_key(w, "reserved");
		json_object_begin(w);
		json_key(w, "data");
		json_u64(w, q->rsv_data);
		json_key(w, "meta_pertrans");
		json_u64(w, q->rsv_meta_pertrans);
		json_key(w, "meta_prealloc");
		json_u64(w, q->rsv_meta_prealloc);
		json_object_end(w);
		json_key(w, "headroom");
		json_object_begin(w);
		json_key(w, "referenced");
		if (qgroup_headroom(q, QGROUP_LIMIT_MAX_RFER, &left))
			json_u64(w, left);
		else
			json_null(w);
		json_key(w, "exclusive");
		if (qgroup_headroom(q, QGROUP_LIMIT_MAX_EXCL, &left))
			json_u64(w, left);
		else
			json_null(w);
		json_object_end(w);
	}
	if (q->has_stored) {
		json_key(w, "stored_referenced");
		json_u64(w, q->stored_rfer);
		json_key(w, "stored_exclusive");
		json_u64(w, q->stored_excl);
		json_key(w, "mismatch");
		json_bool(w, q->stored_rfer != q->rfer || q->stored_excl != q->excl);
	}
	json_object_end(w);
}

static void write_rescan(struct json_writer *w, const struct qgroup_rescan *r)
{
	json_object_begin(w);
	json_key(w, "running");
	json_bool(w, r->state != QGROUP_RESCAN_IDLE && r->state != QGROUP_RESCAN_STALE);
	json_key(w, "state");
	json_string(w, qgroup_rescan_state_name(r->state));
	json_key(w, "progress");
	json_u64(w, r->progress);
	json_key(w, "percent");
	if (r->percent >= 0)
		json_double(w, r->percent, 1);
	else
		json_null(w);
	json_object_end(w);
}

void model_json_write(const struct qgroup_model *m, FILE *out, bool pretty)
{
	struct json_writer w;

	json_writer_init(&w, out, pretty);
	json_object_begin(&w);
	json_key(&w, "filesystem");
	json_object_begin(&w);
	json_key(&w, "uuid");
	json_string(&w, m->fs.uuid);
	json_key(&w, "label");
	json_string(&w, m->fs.label);
	json_key(&w, "offline");
	json_bool(&w, m->fs.offline);
	if (m->fs.source) {
		json_key(&w, "source");
		json_string(&w, m->fs.source);
	}
	json_key(&w, "mountpoints");
	json_array_begin(&w);
	for (size_t i = 0; m->fs.mountpoints && m->fs.mountpoints[i]; i++)
		json_string(&w, m->fs.mountpoints[i]);
	json_array_end(&w);
	json_object_end(&w);

	if (m->fs.generation) {
		/* numbers computed by `qgtop scan`: which commit, read how */
		json_key(&w, "scan");
		json_object_begin(&w);
		json_key(&w, "source");
		json_string(&w, m->fs.live_scan ? "live" : "image");
		json_key(&w, "generation");
		json_u64(&w, m->fs.generation);
		json_object_end(&w);
	}

	json_key(&w, "quota");
	json_object_begin(&w);
	json_key(&w, "enabled");
	json_bool(&w, m->mode != QGROUP_MODE_DISABLED);
	json_key(&w, "mode");
	json_string(&w, qgroup_mode_name(m->mode));
	json_key(&w, "inconsistent");
	json_bool(&w, m->inconsistent);
	if (!m->fs.offline) {
		json_key(&w, "drop_subtree_threshold");
		if (m->drop_subtree_threshold >= 0)
			json_u64(&w, (uint64_t)m->drop_subtree_threshold);
		else
			json_null(&w);
		json_key(&w, "quota_override");
		if (m->quota_override >= 0)
			json_bool(&w, m->quota_override);
		else
			json_null(&w);
	}
	json_key(&w, "rescan");
	write_rescan(&w, &m->rescan);
	json_object_end(&w);

	json_key(&w, "qgroups");
	json_array_begin(&w);
	for (size_t i = 0; i < m->nr_qgroups; i++)
		model_json_qgroup(&w, &m->qgroups[i]);
	json_array_end(&w);
	json_object_end(&w);
	json_writer_finish(&w);
}
