// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * metrics-prom.c - Prometheus text format 0.0.4 for qgroup models (see
 * metrics-prom.h). Every metric is a gauge: the numbers go down as well as
 * up. A limit that is not set has no sample at all, rather than 0, which
 * would read as a zero-byte limit.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "metrics-prom.h"
#include "text-escape.h"

void metrics_prom_label_value(FILE *out, const char *s)
{
	while (s && *s) {
		uint32_t cp;
		size_t n = text_utf8_decode(s, &cp);

		if (n == 1 && (*s == '\\' || *s == '"')) {
			fputc('\\', out);
			fputc(*s, out);
		} else if (n == 1 && *s == '\n') {
			fputs("\\n", out);
		} else if (!n || text_is_unsafe(cp)) {
			/* label values are UTF-8 text, with no escape for the rest */
			fputs("\xef\xbf\xbd", out);
			n = n ? n : 1;
		} else {
			fwrite(s, 1, n, out);
		}
		s += n;
	}
}

static void fs_labels(FILE *out, const struct qgroup_model *m)
{
	fputs("fsid=\"", out);
	metrics_prom_label_value(out, m->fs.uuid);
	fputs("\",label=\"", out);
	metrics_prom_label_value(out, m->fs.label ? m->fs.label : "");
	fputc('"', out);
}

static void qgroup_labels(FILE *out, const struct qgroup_model *m, const struct qgroup *q)
{
	char id[32];

	fputc('{', out);
	fs_labels(out, m);
	fprintf(out, ",qgroupid=\"%s\",level=\"%u\",path=\"",
		qgroup_id_format(q->id, id, sizeof(id)), (unsigned)QGROUP_LEVEL(q->id));
	metrics_prom_label_value(out, QGROUP_LEVEL(q->id) ? "" : q->path);
	fputc('"', out);
}

static void family(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* one sample per filesystem: @value, or skipped when @value < 0 */
typedef double (*fs_value_fn)(const struct qgroup_model *m);

static void fs_family(FILE *out, const struct qgroup_model *const *models, size_t nr,
		      const char *name, const char *help, fs_value_fn value)
{
	bool any = false;

	for (size_t i = 0; i < nr; i++) {
		double v = value(models[i]);

		if (v < 0)
			continue;
		if (!any)
			family(out, name, help);
		any = true;
		fprintf(out, "%s{", name);
		fs_labels(out, models[i]);
		fprintf(out, "} %.17g\n", v);
	}
}

static double enabled(const struct qgroup_model *m)
{
	return m->mode != QGROUP_MODE_DISABLED;
}

static double inconsistent(const struct qgroup_model *m)
{
	return m->mode == QGROUP_MODE_DISABLED ? -1 : m->inconsistent;
}

static bool rescan_running(const struct qgroup_model *m)
{
	switch (m->rescan.state) {
	case QGROUP_RESCAN_STARTING:
	case QGROUP_RESCAN_SCANNING:
	case QGROUP_RESCAN_COMMITTING:
	case QGROUP_RESCAN_PAUSED:
		return true;
	default:
		return false;
	}
}

static double running(const struct qgroup_model *m)
{
	return m->mode == QGROUP_MODE_FULL ? rescan_running(m) : -1;
}

static double progress(const struct qgroup_model *m)
{
	return rescan_running(m) && m->rescan.percent >= 0 ? m->rescan.percent / 100.0 : -1;
}

static double threshold(const struct qgroup_model *m)
{
	return m->mode == QGROUP_MODE_DISABLED ? -1 : m->drop_subtree_threshold;
}

static double override(const struct qgroup_model *m)
{
	return m->quota_override;
}

/* which number of a qgroup a family carries; false: no sample */
typedef bool (*qgroup_value_fn)(const struct qgroup *q, uint64_t *v);

static bool referenced(const struct qgroup *q, uint64_t *v)
{
	*v = q->rfer;
	return true;
}

static bool exclusive(const struct qgroup *q, uint64_t *v)
{
	*v = q->excl;
	return true;
}

static bool max_referenced(const struct qgroup *q, uint64_t *v)
{
	*v = q->max_rfer;
	return q->has_limit && (q->limit_flags & QGROUP_LIMIT_MAX_RFER);
}

static bool max_exclusive(const struct qgroup *q, uint64_t *v)
{
	*v = q->max_excl;
	return q->has_limit && (q->limit_flags & QGROUP_LIMIT_MAX_EXCL);
}

static void qgroup_family(FILE *out, const struct qgroup_model *const *models, size_t nr,
			  const char *name, const char *help, qgroup_value_fn value)
{
	bool any = false;

	for (size_t i = 0; i < nr; i++) {
		for (size_t k = 0; k < models[i]->nr_qgroups; k++) {
			const struct qgroup *q = &models[i]->qgroups[k];
			uint64_t v;

			if (!value(q, &v))
				continue;
			if (!any)
				family(out, name, help);
			any = true;
			fputs(name, out);
			qgroup_labels(out, models[i], q);
			fprintf(out, "} %" PRIu64 "\n", v);
		}
	}
}

static void reserved_family(FILE *out, const struct qgroup_model *const *models, size_t nr)
{
	static const char *const types[] = { "data", "meta_pertrans", "meta_prealloc" };
	const char *name = "btrfs_qgroup_reserved_bytes";
	bool any = false;

	for (size_t i = 0; i < nr; i++) {
		for (size_t k = 0; k < models[i]->nr_qgroups; k++) {
			const struct qgroup *q = &models[i]->qgroups[k];
			const uint64_t v[] = { q->rsv_data, q->rsv_meta_pertrans,
					       q->rsv_meta_prealloc };

			if (!q->has_rsv)
				continue;
			if (!any)
				family(out, name, "Bytes the kernel reserved for writes not yet "
					    "committed; they count against the limits.");
			any = true;
			for (size_t t = 0; t < 3; t++) {
				fputs(name, out);
				qgroup_labels(out, models[i], q);
				fprintf(out, ",type=\"%s\"} %" PRIu64 "\n", types[t], v[t]);
			}
		}
	}
}

int metrics_prom_write(FILE *out, const struct qgroup_model *const *models, size_t nr)
{
	static const enum qgroup_quota_mode modes[] = { QGROUP_MODE_DISABLED, QGROUP_MODE_FULL,
							QGROUP_MODE_SIMPLE };

	fs_family(out, models, nr, "btrfs_quota_enabled",
		  "Whether quotas are enabled on the filesystem (1) or not (0).", enabled);
	/* a state set: one sample per mode, 1 for the mode in force */
	family(out, "btrfs_quota_mode",
	       "The quota mode: full accounting, simple quotas or disabled.");
	for (size_t i = 0; i < nr; i++) {
		for (size_t k = 0; k < 3; k++) {
			fputs("btrfs_quota_mode{", out);
			fs_labels(out, models[i]);
			fprintf(out, ",mode=\"%s\"} %d\n", qgroup_mode_name(modes[k]),
				models[i]->mode == modes[k]);
		}
	}
	fs_family(out, models, nr, "btrfs_quota_inconsistent",
		  "Whether the kernel marked the qgroup numbers inconsistent (a rescan fixes them).",
		  inconsistent);
	fs_family(out, models, nr, "btrfs_quota_rescan_running",
		  "Whether a quota rescan runs (or is paused) on the filesystem.", running);
	fs_family(out, models, nr, "btrfs_quota_rescan_progress_ratio",
		  "Estimated share of a running rescan's work that is done, 0 to 1.", progress);
	fs_family(out, models, nr, "btrfs_quota_drop_subtree_threshold",
		  "Subvolume deletes with a tree at least this tall mark the numbers inconsistent.",
		  threshold);
	fs_family(out, models, nr, "btrfs_quota_override",
		  "Whether CAP_SYS_RESOURCE may write past the qgroup limits (quota_override).",
		  override);
	qgroup_family(out, models, nr, "btrfs_qgroup_referenced_bytes",
		      "Bytes of all extents the qgroup's subvolumes reach.", referenced);
	qgroup_family(out, models, nr, "btrfs_qgroup_exclusive_bytes",
		      "Bytes reached by this qgroup only: what deleting its subvolumes frees.",
		      exclusive);
	qgroup_family(out, models, nr, "btrfs_qgroup_max_referenced_bytes",
		      "The limit on referenced bytes (only qgroups that have one).", max_referenced);
	qgroup_family(out, models, nr, "btrfs_qgroup_max_exclusive_bytes",
		      "The limit on exclusive bytes (only qgroups that have one).", max_exclusive);
	reserved_family(out, models, nr);
	if (fflush(out) || ferror(out))
		return -EIO;
	return 0;
}
