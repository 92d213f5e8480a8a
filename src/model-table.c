// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * model-table.c - text table output, sorting and filtering of qgroups.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model-table.h"
#include "nls.h"
#include "text-escape.h"

void model_table_opts_default(struct model_table_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->units = UNITS_DEFAULT;
	o->show_parents = o->show_children = true;
	o->show_max_rfer = o->show_max_excl = true;
	o->show_path = true;
	o->level = -1;
}

static const struct {
	const char *name;
	enum model_sort_key key;
} sort_names[] = {
	{ "qgroupid", MODEL_SORT_QGROUPID },
	{ "rfer", MODEL_SORT_RFER },
	{ "excl", MODEL_SORT_EXCL },
	{ "max_rfer", MODEL_SORT_MAX_RFER },
	{ "max_excl", MODEL_SORT_MAX_EXCL },
	{ "path", MODEL_SORT_PATH },
};

int model_sort_parse(const char *s, struct model_sort *out)
{
	char *dup, *tok, *save = NULL;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!s || !*s)
		return -EINVAL;
	dup = strdup(s);
	if (!dup)
		return -ENOMEM;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		bool desc = false;
		size_t i;

		if (*tok == '-' || *tok == '+') {
			desc = *tok == '-';
			tok++;
		}
		for (i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]); i++)
			if (!strcmp(tok, sort_names[i].name))
				break;
		if (i == sizeof(sort_names) / sizeof(sort_names[0]) ||
		    out->nr == MODEL_SORT_MAX_KEYS) {
			ret = -EINVAL;
			break;
		}
		out->key[out->nr] = sort_names[i].key;
		out->descending[out->nr] = desc;
		out->nr++;
	}
	free(dup);
	if (!ret && out->nr == 0)
		ret = -EINVAL;
	return ret;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static uint64_t limit_or_max(const struct qgroup *q, uint64_t flag, uint64_t v)
{
	/* no limit sorts above every limit, like "none" being unbounded */
	return (q->limit_flags & flag) ? v : UINT64_MAX;
}

static int cmp_key(const struct qgroup *a, const struct qgroup *b, enum model_sort_key k)
{
	switch (k) {
	case MODEL_SORT_RFER:
		return cmp_u64(a->rfer, b->rfer);
	case MODEL_SORT_EXCL:
		return cmp_u64(a->excl, b->excl);
	case MODEL_SORT_MAX_RFER:
		return cmp_u64(limit_or_max(a, QGROUP_LIMIT_MAX_RFER, a->max_rfer),
			       limit_or_max(b, QGROUP_LIMIT_MAX_RFER, b->max_rfer));
	case MODEL_SORT_MAX_EXCL:
		return cmp_u64(limit_or_max(a, QGROUP_LIMIT_MAX_EXCL, a->max_excl),
			       limit_or_max(b, QGROUP_LIMIT_MAX_EXCL, b->max_excl));
	case MODEL_SORT_PATH:
		return strcmp(a->path ? a->path : "", b->path ? b->path : "");
	default:
		return cmp_u64(a->id, b->id);
	}
}

struct sort_ctx {
	const struct qgroup_model *m;
	const struct model_sort *sort;
};

/* qsort has no context argument in C11; the table is never sorted from two
 * threads at once, so a file-local context is enough */
static struct sort_ctx sort_ctx;

static int cmp_index(const void *pa, const void *pb)
{
	const struct qgroup *a = &sort_ctx.m->qgroups[*(const size_t *)pa];
	const struct qgroup *b = &sort_ctx.m->qgroups[*(const size_t *)pb];
	const struct model_sort *s = sort_ctx.sort;

	for (int i = 0; i < s->nr; i++) {
		int c = cmp_key(a, b, s->key[i]);

		if (c)
			return s->descending[i] ? -c : c;
	}
	return cmp_u64(a->id, b->id);
}

static bool passes(const struct qgroup *q, const struct model_table_opts *o)
{
	if (o->level >= 0 && QGROUP_LEVEL(q->id) != (unsigned)o->level)
		return false;
	if (o->nr_only) {
		for (size_t i = 0; i < o->nr_only; i++)
			if (o->only[i] == q->id)
				return true;
		return false;
	}
	return true;
}

size_t *model_sorted_index(const struct qgroup_model *m, const struct model_table_opts *o,
			   size_t *nr)
{
	size_t *idx, n = 0;

	*nr = 0;
	if (!m->nr_qgroups)
		return NULL;
	idx = malloc(m->nr_qgroups * sizeof(*idx));
	if (!idx)
		return NULL;
	for (size_t i = 0; i < m->nr_qgroups; i++)
		if (passes(&m->qgroups[i], o))
			idx[n++] = i;
	sort_ctx.m = m;
	sort_ctx.sort = &o->sort;
	qsort(idx, n, sizeof(*idx), cmp_index);
	*nr = n;
	return idx;
}

static void write_ids(FILE *out, const uint64_t *ids, size_t nr, int width)
{
	char buf[32], line[4096];
	size_t len = 0;

	line[0] = '\0';
	for (size_t i = 0; i < nr && len < sizeof(line) - 40; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", i ? "," : "",
					qgroup_id_format(ids[i], buf, sizeof(buf)));
	fprintf(out, " %-*s", width, nr ? line : "-");
}

/* a name from the filesystem: escaped, it may hold any byte but / and NUL */
static void write_text(FILE *out, const char *s)
{
	char one[TEXT_ESCAPE_MAX + 1];
	bool esc;

	fputc(' ', out);
	while (*s) {
		s += text_escape_next(s, one, &esc);
		fputs(one, out);
	}
}

static const char *path_text(const struct qgroup *q)
{
	if (QGROUP_LEVEL(q->id) != 0)
		return "";
	if (q->state == QGROUP_STATE_STALE)
		return _("<stale>");
	if (q->state == QGROUP_STATE_DELETING)
		return _("<under deletion>");
	return q->path ? q->path : "";
}

int model_table_write(const struct qgroup_model *m, const struct model_table_opts *o, FILE *out)
{
	char a[UNITS_FORMAT_LEN], b[UNITS_FORMAT_LEN], id[32];
	size_t nr, *idx = model_sorted_index(m, o, &nr);

	if (!idx && m->nr_qgroups)
		return -ENOMEM;
	fprintf(out, "%-14s %14s %14s", _("Qgroupid"), _("Referenced"), _("Exclusive"));
	if (o->show_stored)
		fprintf(out, " %14s %14s %4s", _("Stored rfer"), _("Stored excl"), _("Diff"));
	if (o->show_max_rfer)
		fprintf(out, " %14s", _("Max referenced"));
	if (o->show_max_excl)
		fprintf(out, " %14s", _("Max exclusive"));
	if (o->show_parents)
		fprintf(out, " %-14s", _("Parent"));
	if (o->show_children)
		fprintf(out, " %-14s", _("Child"));
	if (o->show_path)
		fprintf(out, " %s", _("Path"));
	fputc('\n', out);
	fprintf(out, "%-14s %14s %14s", "--------", "----------", "---------");
	if (o->show_stored)
		fprintf(out, " %14s %14s %4s", "-----------", "-----------", "----");
	if (o->show_max_rfer)
		fprintf(out, " %14s", "--------------");
	if (o->show_max_excl)
		fprintf(out, " %14s", "-------------");
	if (o->show_parents)
		fprintf(out, " %-14s", "------");
	if (o->show_children)
		fprintf(out, " %-14s", "-----");
	if (o->show_path)
		fprintf(out, " %s", "----");
	fputc('\n', out);
	for (size_t i = 0; i < nr; i++) {
		const struct qgroup *q = &m->qgroups[idx[i]];

		fprintf(out, "%-14s %14s %14s", qgroup_id_format(q->id, id, sizeof(id)),
			units_format(q->rfer, o->units, a, sizeof(a)),
			units_format(q->excl, o->units, b, sizeof(b)));
		if (o->show_stored) {
			bool differs = q->has_stored &&
				       (q->stored_rfer != q->rfer || q->stored_excl != q->excl);

			if (q->has_stored)
				fprintf(out, " %14s %14s",
					units_format(q->stored_rfer, o->units, a, sizeof(a)),
					units_format(q->stored_excl, o->units, b, sizeof(b)));
			else
				fprintf(out, " %14s %14s", "-", "-");
			fprintf(out, " %4s", differs ? "!" : "");
		}
		if (o->show_max_rfer)
			fprintf(out, " %14s", (q->limit_flags & QGROUP_LIMIT_MAX_RFER) ?
				units_format(q->max_rfer, o->units, a, sizeof(a)) : _("none"));
		if (o->show_max_excl)
			fprintf(out, " %14s", (q->limit_flags & QGROUP_LIMIT_MAX_EXCL) ?
				units_format(q->max_excl, o->units, a, sizeof(a)) : _("none"));
		if (o->show_parents)
			write_ids(out, q->parents, q->nr_parents, 14);
		if (o->show_children)
			write_ids(out, q->children, q->nr_children, 14);
		if (o->show_path)
			write_text(out, path_text(q));
		fputc('\n', out);
	}
	free(idx);
	return 0;
}
