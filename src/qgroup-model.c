// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qgroup-model.c - building and querying the in-memory qgroup model.
 *
 * Sources add qgroups in any order with qgroup_model_get(), which is a
 * linear append until qgroup_model_finish() sorts the array; lookups
 * before finish() fall back to a linear scan, which is fine because
 * sources add each id once or a handful of times in a row.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qgroup-model.h"

void qgroup_model_init(struct qgroup_model *m)
{
	memset(m, 0, sizeof(*m));
	m->rescan.percent = -1;
	m->rescan.elapsed_s = -1;
	m->rescan.eta_s = -1;
	m->rescan.rate = -1;
}

static void qgroup_release(struct qgroup *q)
{
	free(q->parents);
	free(q->children);
	free(q->path);
}

void qgroup_model_free(struct qgroup_model *m)
{
	size_t i;

	for (i = 0; i < m->nr_qgroups; i++)
		qgroup_release(&m->qgroups[i]);
	free(m->qgroups);
	free(m->pending_rel);
	free(m->fs.label);
	free(m->fs.source);
	if (m->fs.mountpoints) {
		for (i = 0; m->fs.mountpoints[i]; i++)
			free(m->fs.mountpoints[i]);
		free(m->fs.mountpoints);
	}
	qgroup_model_init(m);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_qgroup(const void *a, const void *b)
{
	return cmp_u64(&((const struct qgroup *)a)->id,
		       &((const struct qgroup *)b)->id);
}

struct qgroup *qgroup_model_find(const struct qgroup_model *m, uint64_t id)
{
	size_t lo = 0, hi = m->nr_qgroups, i;

	if (!m->sorted) {
		/* search from the end: sources tend to touch the last added */
		for (i = m->nr_qgroups; i > 0; i--)
			if (m->qgroups[i - 1].id == id)
				return &m->qgroups[i - 1];
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->qgroups[mid].id == id)
			return &m->qgroups[mid];
		if (m->qgroups[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int qgroup_model_get(struct qgroup_model *m, uint64_t id, struct qgroup **out)
{
	struct qgroup *q = qgroup_model_find(m, id);

	if (q) {
		*out = q;
		return 0;
	}
	if (m->nr_qgroups == m->cap_qgroups) {
		size_t cap = m->cap_qgroups ? m->cap_qgroups * 2 : 64;
		struct qgroup *n = realloc(m->qgroups, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		m->qgroups = n;
		m->cap_qgroups = cap;
	}
	q = &m->qgroups[m->nr_qgroups];
	memset(q, 0, sizeof(*q));
	q->id = id;
	/* appending keeps the order only if ids arrive ascending */
	if (m->sorted && m->nr_qgroups && m->qgroups[m->nr_qgroups - 1].id > id)
		m->sorted = false;
	if (m->nr_qgroups == 0)
		m->sorted = true;
	m->nr_qgroups++;
	*out = q;
	return 0;
}

int qgroup_model_add_relation(struct qgroup_model *m, uint64_t child, uint64_t parent)
{
	struct qgroup *q;
	int ret;

	ret = qgroup_model_get(m, child, &q);
	if (ret)
		return ret;
	ret = qgroup_model_get(m, parent, &q);
	if (ret)
		return ret;
	if (m->nr_pending_rel + 2 > m->cap_pending_rel) {
		size_t cap = m->cap_pending_rel ? m->cap_pending_rel * 2 : 64;
		uint64_t *n = realloc(m->pending_rel, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		m->pending_rel = n;
		m->cap_pending_rel = cap;
	}
	m->pending_rel[m->nr_pending_rel++] = child;
	m->pending_rel[m->nr_pending_rel++] = parent;
	return 0;
}

static int id_list_add(uint64_t **list, size_t *nr, uint64_t id)
{
	size_t i;
	uint64_t *n;

	for (i = 0; i < *nr; i++)
		if ((*list)[i] == id)
			return 0;
	n = realloc(*list, (*nr + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	n[(*nr)++] = id;
	*list = n;
	return 0;
}

int qgroup_model_finish(struct qgroup_model *m)
{
	size_t i;
	int ret;

	if (m->nr_qgroups)
		qsort(m->qgroups, m->nr_qgroups, sizeof(*m->qgroups), cmp_qgroup);
	m->sorted = true;
	for (i = 0; i + 1 < m->nr_pending_rel; i += 2) {
		struct qgroup *c = qgroup_model_find(m, m->pending_rel[i]);
		struct qgroup *p = qgroup_model_find(m, m->pending_rel[i + 1]);

		if (!c || !p)
			continue;
		ret = id_list_add(&c->parents, &c->nr_parents, p->id);
		if (ret)
			return ret;
		ret = id_list_add(&p->children, &p->nr_children, c->id);
		if (ret)
			return ret;
	}
	m->nr_pending_rel = 0;
	for (i = 0; i < m->nr_qgroups; i++) {
		struct qgroup *q = &m->qgroups[i];

		if (q->nr_parents > 1)
			qsort(q->parents, q->nr_parents, sizeof(uint64_t), cmp_u64);
		if (q->nr_children > 1)
			qsort(q->children, q->nr_children, sizeof(uint64_t), cmp_u64);
	}
	return 0;
}

int qgroup_model_set_path(struct qgroup *q, const char *path)
{
	char *dup = NULL;

	if (path) {
		dup = strdup(path);
		if (!dup)
			return -ENOMEM;
	}
	free(q->path);
	q->path = dup;
	return 0;
}

static int parse_u64(const char *s, const char **end, uint64_t *out)
{
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*end = s;
	*out = v;
	return 0;
}

int qgroup_id_parse(const char *s, uint64_t *id)
{
	uint64_t level, sub;
	const char *p;

	if (!s || parse_u64(s, &p, &level))
		return -EINVAL;
	if (*p == '\0') {
		/* a plain number names the level-0 qgroup of that subvolume */
		if (level >= (1ULL << QGROUP_LEVEL_SHIFT))
			return -EINVAL;
		*id = level;
		return 0;
	}
	if (*p != '/' || parse_u64(p + 1, &p, &sub) || *p != '\0')
		return -EINVAL;
	if (level > 0xffff || sub >= (1ULL << QGROUP_LEVEL_SHIFT))
		return -EINVAL;
	*id = QGROUP_ID(level, sub);
	return 0;
}

char *qgroup_id_format(uint64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%u/%" PRIu64, (unsigned)QGROUP_LEVEL(id),
		 (uint64_t)QGROUP_SUBID(id));
	return buf;
}

const char *qgroup_mode_name(enum qgroup_quota_mode mode)
{
	switch (mode) {
	case QGROUP_MODE_FULL:
		return "full";
	case QGROUP_MODE_SIMPLE:
		return "simple";
	default:
		return "disabled";
	}
}

const char *qgroup_rescan_state_name(enum qgroup_rescan_state st)
{
	switch (st) {
	case QGROUP_RESCAN_STARTING:
		return "starting";
	case QGROUP_RESCAN_SCANNING:
		return "scanning";
	case QGROUP_RESCAN_COMMITTING:
		return "committing";
	case QGROUP_RESCAN_PAUSED:
		return "paused";
	case QGROUP_RESCAN_STALE:
		return "stale";
	default:
		return "idle";
	}
}

const char *qgroup_state_name(enum qgroup_state st)
{
	switch (st) {
	case QGROUP_STATE_STALE:
		return "stale";
	case QGROUP_STATE_DELETING:
		return "deleting";
	default:
		return "ok";
	}
}
