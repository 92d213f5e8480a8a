// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-totals.c - per-qgroup sums over the root sets of a scan.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "offline-totals.h"

int offline_totals_account(const struct offline_scan *s, struct qgroup_model *m)
{
	struct qgroup_ancestors anc;
	uint32_t *qidx = NULL;	/* subvolume index -> qgroup index, UINT32_MAX: none */
	uint32_t *count = NULL;	/* per qgroup: members of the current set below it */
	int ret;

	for (size_t i = 0; i < m->nr_qgroups; i++) {
		m->qgroups[i].rfer = m->qgroups[i].excl = 0;
		m->qgroups[i].rfer_cmpr = m->qgroups[i].excl_cmpr = 0;
	}
	ret = qgroup_model_ancestors(m, &anc);
	if (ret)
		return ret;
	ret = -ENOMEM;
	qidx = malloc((s->nr_ids ? s->nr_ids : 1) * sizeof(*qidx));
	count = calloc(m->nr_qgroups + 1, sizeof(*count));
	if (!qidx || !count)
		goto out;
	for (uint32_t i = 0; i < s->nr_ids; i++) {
		const struct qgroup *q = qgroup_model_find(m, s->ids[i]);

		qidx[i] = q ? (uint32_t)(q - m->qgroups) : UINT32_MAX;
	}
	for (uint32_t set = 1; set < s->sets.nr; set++) {
		uint64_t b = s->sets.bytes[set];
		uint32_t n = offline_sets_count(&s->sets, set), nr;
		const struct offline_run *run = offline_sets_runs(&s->sets, set, &nr);

		if (!b)
			continue;
		/* level 0: referenced by every member, exclusive when alone */
		for (uint32_t r = 0; r < nr; r++) {
			for (uint64_t j = run[r].lo; j <= run[r].hi; j++) {
				uint32_t qi = qidx[j];

				if (qi == UINT32_MAX)
					continue;
				m->qgroups[qi].rfer += b;
				if (n == 1)
					m->qgroups[qi].excl += b;
				for (size_t a = anc.start[qi]; a < anc.start[qi + 1]; a++)
					count[anc.idx[a]]++;
			}
		}
		/* higher levels: referenced if any member is below, exclusive if all */
		for (uint32_t r = 0; r < nr; r++) {
			for (uint64_t j = run[r].lo; j <= run[r].hi; j++) {
				uint32_t qi = qidx[j];

				if (qi == UINT32_MAX)
					continue;
				for (size_t a = anc.start[qi]; a < anc.start[qi + 1]; a++) {
					uint32_t gi = anc.idx[a];

					if (!count[gi])
						continue;	/* already added for this set */
					m->qgroups[gi].rfer += b;
					if (count[gi] == n)
						m->qgroups[gi].excl += b;
					count[gi] = 0;
				}
			}
		}
	}
	for (size_t i = 0; i < m->nr_qgroups; i++) {
		m->qgroups[i].rfer_cmpr = m->qgroups[i].rfer;
		m->qgroups[i].excl_cmpr = m->qgroups[i].excl;
	}
	ret = 0;
out:
	qgroup_ancestors_free(&anc);
	free(qidx);
	free(count);
	return ret;
}

int offline_totals_freed(const struct offline_scan *s, const uint64_t *subvol_ids, size_t nr,
			 uint64_t *bytes)
{
	bool *marked;
	uint64_t total = 0;

	*bytes = 0;
	marked = calloc(s->nr_ids ? s->nr_ids : 1, sizeof(*marked));
	if (!marked)
		return -ENOMEM;
	for (size_t i = 0; i < nr; i++) {
		uint32_t k = offline_scan_subvol_index(s, subvol_ids[i]);

		if (k != UINT32_MAX)
			marked[k] = true;
	}
	for (uint32_t set = 1; set < s->sets.nr; set++) {
		uint32_t nruns;
		const struct offline_run *run = offline_sets_runs(&s->sets, set, &nruns);
		bool all = true;

		for (uint32_t r = 0; r < nruns && all; r++)
			for (uint64_t j = run[r].lo; j <= run[r].hi && all; j++)
				all = marked[j];
		if (all)
			total += s->sets.bytes[set];
	}
	free(marked);
	*bytes = total;
	return 0;
}
