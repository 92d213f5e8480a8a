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
	m->drop_subtree_threshold = -1;
	m->quota_override = -1;
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

/* grow @list of @nr ids by room for @more */
static int id_list_grow(uint64_t **list, size_t nr, size_t more)
{
	uint64_t *n;

	if (!more)
		return 0;
	n = realloc(*list, (nr + more) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	*list = n;
	return 0;
}

/* sort @list and drop repeated ids */
static void id_list_tidy(uint64_t *list, size_t *nr)
{
	size_t k = 0;

	if (*nr < 2)
		return;
	qsort(list, *nr, sizeof(*list), cmp_u64);
	for (size_t i = 0; i < *nr; i++)
		if (!k || list[k - 1] != list[i])
			list[k++] = list[i];
	*nr = k;
}

/*
 * In O(R log R) for R relations: count the new parents and children of
 * each qgroup, grow each list once, fill, then sort and drop repeats (a
 * qgroup with 10,000 members must not cost 10,000^2 duplicate checks).
 */
int qgroup_model_finish(struct qgroup_model *m)
{
	size_t *more_p = NULL, *more_c = NULL, i;
	int ret = 0;

	if (m->nr_qgroups)
		qsort(m->qgroups, m->nr_qgroups, sizeof(*m->qgroups), cmp_qgroup);
	m->sorted = true;
	if (!m->nr_pending_rel)
		goto out_tidy;
	more_p = calloc(m->nr_qgroups, sizeof(*more_p));
	more_c = calloc(m->nr_qgroups, sizeof(*more_c));
	if (!more_p || !more_c) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i + 1 < m->nr_pending_rel; i += 2) {
		struct qgroup *c = qgroup_model_find(m, m->pending_rel[i]);
		struct qgroup *p = qgroup_model_find(m, m->pending_rel[i + 1]);

		if (!c || !p)
			continue;
		more_p[c - m->qgroups]++;
		more_c[p - m->qgroups]++;
	}
	for (i = 0; i < m->nr_qgroups; i++) {
		struct qgroup *q = &m->qgroups[i];

		ret = id_list_grow(&q->parents, q->nr_parents, more_p[i]);
		if (!ret)
			ret = id_list_grow(&q->children, q->nr_children, more_c[i]);
		if (ret)
			goto out_free;
	}
	for (i = 0; i + 1 < m->nr_pending_rel; i += 2) {
		struct qgroup *c = qgroup_model_find(m, m->pending_rel[i]);
		struct qgroup *p = qgroup_model_find(m, m->pending_rel[i + 1]);

		if (!c || !p)
			continue;
		c->parents[c->nr_parents++] = p->id;
		p->children[p->nr_children++] = c->id;
	}
	m->nr_pending_rel = 0;
out_tidy:
	for (i = 0; i < m->nr_qgroups; i++) {
		id_list_tidy(m->qgroups[i].parents, &m->qgroups[i].nr_parents);
		id_list_tidy(m->qgroups[i].children, &m->qgroups[i].nr_children);
	}
out_free:
	free(more_p);
	free(more_c);
	return ret;
}

int qgroup_model_ancestors(const struct qgroup_model *m, struct qgroup_ancestors *a)
{
	size_t n = m->nr_qgroups, len = 0, cap = 0;
	uint32_t *seen;
	int ret = -ENOMEM;

	memset(a, 0, sizeof(*a));
	a->start = calloc(n + 1, sizeof(*a->start));
	/* seen[j] == i + 1: qgroup j is already listed for qgroup i */
	seen = calloc(n ? n : 1, sizeof(*seen));
	if (!a->start || !seen)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct qgroup *cur = &m->qgroups[i];
		size_t next;

		a->start[i] = len;
		next = len;
		seen[i] = (uint32_t)i + 1;	/* a loop back to itself adds nothing */
		/* breadth-first: the parents of qgroup i, then of each one found */
		for (;;) {
			for (size_t p = 0; p < cur->nr_parents; p++) {
				const struct qgroup *g = qgroup_model_find(m, cur->parents[p]);
				uint32_t gi;

				if (!g)
					continue;
				gi = (uint32_t)(g - m->qgroups);
				if (seen[gi] == i + 1)
					continue;
				seen[gi] = (uint32_t)i + 1;
				if (len == cap) {
					size_t ncap = cap ? cap * 2 : 64;
					uint32_t *ni = realloc(a->idx, ncap * sizeof(*ni));

					if (!ni)
						goto out;
					a->idx = ni;
					cap = ncap;
				}
				a->idx[len++] = gi;
			}
			if (next == len)
				break;
			cur = &m->qgroups[a->idx[next++]];
		}
	}
	a->start[n] = len;
	ret = 0;
out:
	free(seen);
	if (ret)
		qgroup_ancestors_free(a);
	return ret;
}

void qgroup_ancestors_free(struct qgroup_ancestors *a)
{
	free(a->start);
	free(a->idx);
	memset(a, 0, sizeof(*a));
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

uint64_t qgroup_reserved(const struct qgroup *q)
{
	uint64_t sum;

	if (!q->has_rsv)
		return 0;
	if (__builtin_add_overflow(q->rsv_data, q->rsv_meta_pertrans, &sum) ||
	    __builtin_add_overflow(sum, q->rsv_meta_prealloc, &sum))
		return UINT64_MAX;
	return sum;
}

bool qgroup_headroom(const struct qgroup *q, uint64_t flag, uint64_t *left)
{
	uint64_t max, used;

	if (!q->has_limit || !(q->limit_flags & flag))
		return false;
	max = flag == QGROUP_LIMIT_MAX_RFER ? q->max_rfer : q->max_excl;
	/* the kernel's test: usage + reservations + the write > limit */
	if (__builtin_add_overflow(flag == QGROUP_LIMIT_MAX_RFER ? q->rfer : q->excl,
				   qgroup_reserved(q), &used))
		used = UINT64_MAX;
	*left = used >= max ? 0 : max - used;
	return true;
}

bool qgroup_model_headroom(const struct qgroup_model *m, const struct qgroup *q, uint64_t *left,
			   uint64_t *by)
{
	const struct qgroup **todo;
	size_t n = 0, done = 0;
	bool limited = false;

	/* breadth-first over the DAG above @q; a qgroup has at most a few
	 * parents, and every qgroup is visited at most once per path */
	todo = malloc((m->nr_qgroups + 1) * sizeof(*todo));
	if (!todo)
		return false;
	todo[n++] = q;
	while (done < n) {
		const struct qgroup *cur = todo[done++];

		for (int k = 0; k < 2; k++) {
			uint64_t flag = k ? QGROUP_LIMIT_MAX_EXCL : QGROUP_LIMIT_MAX_RFER, l;

			if (qgroup_headroom(cur, flag, &l) && (!limited || l < *left)) {
				*left = l;
				*by = cur->id;
				limited = true;
			}
		}
		for (size_t i = 0; i < cur->nr_parents; i++) {
			const struct qgroup *p = qgroup_model_find(m, cur->parents[i]);
			bool seen = false;

			for (size_t j = 0; p && j < n && !seen; j++)
				seen = todo[j] == p;
			if (p && !seen && n <= m->nr_qgroups)
				todo[n++] = p;
		}
	}
	free(todo);
	return limited;
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
