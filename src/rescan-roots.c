// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rescan-roots.c - exact root counts per extent, from the offline reader.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "offline/offline-engine.h"
#include "rescan-roots.h"

struct collect {
	struct rescan_roots *r;
	int err;
};

static void on_extent(uint64_t bytenr, uint32_t nr_roots, bool tree_block, void *ctx)
{
	struct collect *c = ctx;
	struct rescan_roots *r = c->r;

	(void)tree_block;
	if (c->err)
		return;
	if (r->nr == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 65536;
		struct rescan_root_count *ext = realloc(r->ext, cap * sizeof(*ext));

		if (!ext) {
			c->err = -ENOMEM;
			return;
		}
		r->ext = ext;
		r->cap = cap;
	}
	r->ext[r->nr++] = (struct rescan_root_count){ bytenr, nr_roots };
}

static int cmp_bytenr(const void *a, const void *b)
{
	const struct rescan_root_count *x = a, *y = b;

	return x->bytenr < y->bytenr ? -1 : x->bytenr > y->bytenr;
}

/* one walk of the filesystem's current commit */
static int roots_walk(const char *path, const atomic_int *stop, struct rescan_roots *out)
{
	struct offline_engine *e = NULL;
	struct collect c = { out, 0 };
	struct qgroup_model m;
	char err[256];
	int ret;

	qgroup_model_init(&m);
	ret = offline_engine_open_live(path, false, stop, &e, err, sizeof(err));
	if (ret)
		goto out;
	offline_engine_set_extent_cb(e, on_extent, &c);
	ret = offline_engine_scan(e, &m, NULL, NULL, stop, NULL);
	if (!ret && c.err)
		ret = c.err;
	/* simple quotas are accounted without root sets */
	if (!ret && m.mode == QGROUP_MODE_SIMPLE)
		ret = -EOPNOTSUPP;
out:
	offline_engine_close(e);
	qgroup_model_free(&m);
	return ret;
}

int rescan_roots_read(const char *path, const atomic_int *stop, struct rescan_roots *out)
{
	int ret, tries = 0;

	do {
		rescan_roots_free(out);
		ret = roots_walk(path, stop, out);
	} while (ret == -EAGAIN && ++tries <= OFFLINE_LIVE_RESTARTS);
	if (ret) {
		rescan_roots_free(out);
		return ret;
	}
	qsort(out->ext, out->nr, sizeof(*out->ext), cmp_bytenr);
	return 0;
}

uint32_t rescan_roots_find(const struct rescan_roots *r, uint64_t bytenr)
{
	size_t lo = 0, hi = r->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->ext[mid].bytenr < bytenr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nr && r->ext[lo].bytenr == bytenr ? r->ext[lo].roots : 0;
}

void rescan_roots_free(struct rescan_roots *r)
{
	free(r->ext);
	memset(r, 0, sizeof(*r));
}
