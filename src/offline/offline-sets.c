// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-sets.c - interned root sets, the pending sets of a map entry
 * merged into one, and an open-addressing bytenr hash map.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "offline-sets.h"

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t hash_runs(const struct offline_run *r, uint32_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;

	for (uint32_t i = 0; i < n; i++) {
		h = (h ^ r[i].lo) * 0x100000001b3ULL + (h >> 29);
		h = (h ^ r[i].hi) * 0x100000001b3ULL + (h >> 29);
	}
	return mix64(h);
}

static bool set_equal(const struct offline_sets *s, uint32_t id, const struct offline_run *r,
		      uint32_t n)
{
	return s->len[id] == n && (!n || !memcmp(s->pool + s->start[id], r, n * sizeof(*r)));
}

static int hash_grow(struct offline_sets *s)
{
	size_t ncap = s->hash_cap ? s->hash_cap * 2 : 1024;
	uint32_t *nh = calloc(ncap, sizeof(*nh));

	if (!nh)
		return -ENOMEM;
	for (uint32_t id = 0; id < s->nr; id++) {
		size_t i = hash_runs(s->pool + s->start[id], s->len[id]) & (ncap - 1);

		while (nh[i])
			i = (i + 1) & (ncap - 1);
		nh[i] = id + 1;
	}
	free(s->hash);
	s->hash = nh;
	s->hash_cap = ncap;
	return 0;
}

static int intern_runs(struct offline_sets *s, const struct offline_run *r, uint32_t n,
		       uint32_t *out);

int offline_sets_init(struct offline_sets *s)
{
	uint32_t id;

	memset(s, 0, sizeof(*s));
	return intern_runs(s, NULL, 0, &id);
}

void offline_sets_free(struct offline_sets *s)
{
	free(s->pool);
	free(s->start);
	free(s->len);
	free(s->count);
	free(s->bytes);
	free(s->hash);
	free(s->set_seen);
	free(s->scratch);
	memset(s, 0, sizeof(*s));
}

static int sets_grow(struct offline_sets *s)
{
	uint32_t ncap = s->cap ? s->cap * 2 : 256;
	uint64_t *st, *by;
	uint32_t *ln, *ct;

	st = realloc(s->start, ncap * sizeof(*st));
	if (!st)
		return -ENOMEM;
	s->start = st;
	ln = realloc(s->len, ncap * sizeof(*ln));
	if (!ln)
		return -ENOMEM;
	s->len = ln;
	ct = realloc(s->count, ncap * sizeof(*ct));
	if (!ct)
		return -ENOMEM;
	s->count = ct;
	by = realloc(s->bytes, ncap * sizeof(*by));
	if (!by)
		return -ENOMEM;
	s->bytes = by;
	s->cap = ncap;
	return 0;
}

/* @n runs, ascending and apart (not touching) */
static int intern_runs(struct offline_sets *s, const struct offline_run *r, uint32_t n,
		       uint32_t *out)
{
	uint64_t h = hash_runs(r, n);
	uint32_t count = 0;
	size_t i;

	if (s->hash_cap) {
		for (i = h & (s->hash_cap - 1); s->hash[i]; i = (i + 1) & (s->hash_cap - 1)) {
			if (set_equal(s, s->hash[i] - 1, r, n)) {
				*out = s->hash[i] - 1;
				return 0;
			}
		}
	}
	if ((size_t)(s->nr + 1) * 2 > s->hash_cap && hash_grow(s))
		return -ENOMEM;
	if (s->nr == UINT32_MAX - 1)
		return -ENOMEM;
	if (s->nr == s->cap && sets_grow(s))
		return -ENOMEM;
	if (s->pool_len + n > s->pool_cap) {
		size_t ncap = s->pool_cap ? s->pool_cap * 2 : 1024;
		struct offline_run *np;

		while (ncap < s->pool_len + n)
			ncap *= 2;
		np = realloc(s->pool, ncap * sizeof(*np));
		if (!np)
			return -ENOMEM;
		s->pool = np;
		s->pool_cap = ncap;
	}
	for (uint32_t k = 0; k < n; k++)
		count += r[k].hi - r[k].lo + 1;
	if (n)
		memcpy(s->pool + s->pool_len, r, n * sizeof(*r));
	s->start[s->nr] = s->pool_len;
	s->len[s->nr] = n;
	s->count[s->nr] = count;
	s->bytes[s->nr] = 0;
	s->pool_len += n;
	for (i = h & (s->hash_cap - 1); s->hash[i]; i = (i + 1) & (s->hash_cap - 1))
		;
	s->hash[i] = s->nr + 1;
	*out = s->nr++;
	return 0;
}

static int scratch_reserve(struct offline_sets *s, size_t need)
{
	size_t ncap = s->scratch_cap ? s->scratch_cap : 1024;
	struct offline_run *ns;

	if (need <= s->scratch_cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	ns = realloc(s->scratch, ncap * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	s->scratch = ns;
	s->scratch_cap = ncap;
	return 0;
}

int offline_sets_intern(struct offline_sets *s, const uint32_t *ids, uint32_t n, uint32_t *out)
{
	uint32_t k = 0;
	int ret = scratch_reserve(s, n ? n : 1);

	if (ret)
		return ret;
	for (uint32_t i = 0; i < n; i++) {
		if (k && s->scratch[k - 1].hi + 1 == ids[i])
			s->scratch[k - 1].hi = ids[i];
		else
			s->scratch[k++] = (struct offline_run){ ids[i], ids[i] };
	}
	return intern_runs(s, s->scratch, k, out);
}

const struct offline_run *offline_sets_runs(const struct offline_sets *s, uint32_t id,
					    uint32_t *n)
{
	*n = s->len[id];
	return s->pool + s->start[id];
}

void offline_sets_expand(const struct offline_sets *s, uint32_t id, uint32_t *out)
{
	const struct offline_run *r = s->pool + s->start[id];
	size_t k = 0;

	for (uint32_t i = 0; i < s->len[id]; i++)
		for (uint64_t m = r[i].lo; m <= r[i].hi; m++)
			out[k++] = (uint32_t)m;
}

int offline_sets_add(struct offline_bmap *m, struct offline_bmap_ent *ent, uint32_t set)
{
	struct offline_pending *head;

	if (set == OFFLINE_SET_EMPTY || ent->set == set)
		return 0;
	if (ent->set == OFFLINE_SET_EMPTY) {
		ent->set = set;
		return 0;
	}
	if (ent->pending) {
		head = &m->pend[ent->pending - 1];
		/* a repeat is most often the set noted last (the items of one
		 * leaf reaching one extent); looking further back saves less
		 * than it costs, final unions drop the other repeats */
		if (head->set[head->n - 1] == set)
			return 0;
		if (head->n < OFFLINE_PENDING_CHUNK) {
			head->set[head->n++] = set;
			return 0;
		}
	}
	if (m->pend_nr == m->pend_cap) {
		uint32_t ncap = m->pend_cap ? m->pend_cap * 2 : 1024;
		struct offline_pending *np;

		if (m->pend_cap >= UINT32_MAX / 2)
			return -ENOMEM;
		np = realloc(m->pend, ncap * sizeof(*np));
		if (!np)
			return -ENOMEM;
		m->pend = np;
		m->pend_cap = ncap;
	}
	head = &m->pend[m->pend_nr];
	head->next = ent->pending;
	head->n = 1;
	head->set[0] = set;
	ent->pending = ++m->pend_nr;
	return 0;
}

uint32_t offline_bmap_pending_count(const struct offline_bmap *m,
				    const struct offline_bmap_ent *e)
{
	uint32_t k = 0;

	for (uint32_t c = e->pending; c; c = m->pend[c - 1].next)
		k += m->pend[c - 1].n;
	return k;
}

/* grow the stamp array @a (of @cap) to hold index @need, stamps zeroed */
static int stamps_reserve(uint32_t **a, uint32_t *cap, uint32_t need)
{
	uint32_t ncap = *cap ? *cap : 256;
	uint32_t *n;

	if (need < *cap)
		return 0;
	while (ncap <= need) {
		if (ncap > UINT32_MAX / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	n = realloc(*a, (size_t)ncap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	memset(n + *cap, 0, (size_t)(ncap - *cap) * sizeof(*n));
	*a = n;
	*cap = ncap;
	return 0;
}

/* append run @r to the ascending, apart runs @out (@n of them), joining
 * it to the last when they overlap or touch */
static void run_push(struct offline_run *out, size_t *n, struct offline_run r)
{
	if (*n && (uint64_t)out[*n - 1].hi + 1 >= r.lo) {
		if (r.hi > out[*n - 1].hi)
			out[*n - 1].hi = r.hi;
		return;
	}
	out[(*n)++] = r;
}

/* join ascending runs @a (@na) and @b (@nb) into @out; returns its length */
static size_t merge2(const struct offline_run *a, size_t na, const struct offline_run *b,
		     size_t nb, struct offline_run *out)
{
	size_t x = 0, y = 0, n = 0;

	while (x < na || y < nb) {
		if (y == nb || (x < na && a[x].lo <= b[y].lo))
			run_push(out, &n, a[x++]);
		else
			run_push(out, &n, b[y++]);
	}
	return n;
}

/* few sets: joined pairwise, in O(k R) without sorting */
static int union_few(struct offline_sets *s, const struct offline_bmap *m,
		     const struct offline_bmap_ent *ent, size_t total, uint32_t *out)
{
	struct offline_run *cur, *next;
	size_t len;
	int ret = scratch_reserve(s, 2 * (total ? total : 1));

	if (ret)
		return ret;
	cur = s->scratch;
	next = s->scratch + total;
	len = s->len[ent->set];
	memcpy(cur, s->pool + s->start[ent->set], len * sizeof(*cur));
	for (uint32_t c = ent->pending; c; c = m->pend[c - 1].next) {
		const struct offline_pending *p = &m->pend[c - 1];

		for (uint32_t i = 0; i < p->n; i++) {
			uint32_t set = p->set[i];
			struct offline_run *t;

			len = merge2(cur, len, s->pool + s->start[set], s->len[set], next);
			t = cur;
			cur = next;
			next = t;
		}
	}
	return intern_runs(s, cur, (uint32_t)len, out);
}

/* sort @n runs by their start, with @tmp room for @n more: insertion
 * for a few, else a radix sort over the bytes of the starts that differ */
static void sort_runs(struct offline_run *r, struct offline_run *tmp, size_t n)
{
	struct offline_run *in = r;
	uint32_t all_or = 0, all_and = UINT32_MAX;

	if (n <= 24) {
		for (size_t i = 1; i < n; i++) {
			struct offline_run x = r[i];
			size_t j = i;

			for (; j && r[j - 1].lo > x.lo; j--)
				r[j] = r[j - 1];
			r[j] = x;
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		all_or |= r[i].lo;
		all_and &= r[i].lo;
	}
	for (unsigned shift = 0; shift < 32; shift += 8) {
		size_t count[257] = { 0 };
		struct offline_run *t;

		if (!(((all_or ^ all_and) >> shift) & 0xff))
			continue;	/* the same byte in every start */
		for (size_t i = 0; i < n; i++)
			count[((r[i].lo >> shift) & 0xff) + 1]++;
		for (unsigned b = 1; b < 257; b++)
			count[b] += count[b - 1];
		for (size_t i = 0; i < n; i++)
			tmp[count[(r[i].lo >> shift) & 0xff]++] = r[i];
		t = r;
		r = tmp;
		tmp = t;
	}
	if (r != in)
		memcpy(in, r, n * sizeof(*r));
}

/* add the runs of @set, unless already added, to the scratch */
static int union_add(struct offline_sets *s, uint32_t set, size_t *n)
{
	uint32_t len = s->len[set];
	int ret;

	if (s->set_seen[set] == s->epoch || !len)
		return 0;
	s->set_seen[set] = s->epoch;
	ret = scratch_reserve(s, *n + len);
	if (ret)
		return ret;
	memcpy(s->scratch + *n, s->pool + s->start[set], len * sizeof(*s->scratch));
	*n += len;
	return 0;
}

/* many sets: each distinct one read once, the runs sorted and joined */
static int union_many(struct offline_sets *s, const struct offline_bmap *m,
		      const struct offline_bmap_ent *ent, uint32_t *out)
{
	size_t n = 0, k = 0;
	int ret;

	ret = stamps_reserve(&s->set_seen, &s->set_seen_cap, s->nr);
	if (ret)
		return ret;
	if (++s->epoch == 0) {
		/* the stamps wrapped: none may look current */
		memset(s->set_seen, 0, (size_t)s->set_seen_cap * sizeof(*s->set_seen));
		s->epoch = 1;
	}
	ret = union_add(s, ent->set, &n);
	for (uint32_t c = ent->pending; !ret && c; c = m->pend[c - 1].next) {
		const struct offline_pending *p = &m->pend[c - 1];

		for (uint32_t i = 0; !ret && i < p->n; i++)
			ret = union_add(s, p->set[i], &n);
	}
	if (ret)
		return ret;
	ret = scratch_reserve(s, 2 * n);
	if (ret)
		return ret;
	sort_runs(s->scratch, s->scratch + n, n);
	for (size_t i = 0; i < n; i++)
		run_push(s->scratch, &k, s->scratch[i]);
	return intern_runs(s, s->scratch, (uint32_t)k, out);
}

/* up to this many pending sets are joined pairwise */
#define UNION_FEW 4

int offline_sets_final(struct offline_sets *s, const struct offline_bmap *m,
		       struct offline_bmap_ent *ent)
{
	size_t k = 0, total = s->len[ent->set];
	int ret;

	if (!ent->pending)
		return 0;
	for (uint32_t c = ent->pending; c && k <= UNION_FEW; c = m->pend[c - 1].next) {
		const struct offline_pending *p = &m->pend[c - 1];

		for (uint32_t i = 0; i < p->n; i++)
			total += s->len[p->set[i]];
		k += p->n;
	}
	if (k <= UNION_FEW)
		ret = union_few(s, m, ent, total, &ent->set);
	else
		ret = union_many(s, m, ent, &ent->set);
	if (ret)
		return ret;
	ent->pending = 0;
	return 0;
}

static int bmap_grow(struct offline_bmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 1024;
	struct offline_bmap_ent *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->ents[i].key)
			continue;
		for (j = mix64(m->ents[i].key) & (ncap - 1); n[j].key; j = (j + 1) & (ncap - 1))
			;
		n[j] = m->ents[i];
	}
	free(m->ents);
	m->ents = n;
	m->cap = ncap;
	return 0;
}

struct offline_bmap_ent *offline_bmap_find(const struct offline_bmap *m, uint64_t key)
{
	if (!m->cap || !key)
		return NULL;
	for (size_t i = mix64(key) & (m->cap - 1); m->ents[i].key; i = (i + 1) & (m->cap - 1))
		if (m->ents[i].key == key)
			return &m->ents[i];
	return NULL;
}

struct offline_bmap_ent *offline_bmap_get(struct offline_bmap *m, uint64_t key, int *created)
{
	struct offline_bmap_ent *e = offline_bmap_find(m, key);
	size_t i;

	*created = 0;
	if (e || !key)
		return e;
	if ((m->nr + 1) * 4 > m->cap * 3 && bmap_grow(m))
		return NULL;
	for (i = mix64(key) & (m->cap - 1); m->ents[i].key; i = (i + 1) & (m->cap - 1))
		;
	memset(&m->ents[i], 0, sizeof(m->ents[i]));
	m->ents[i].key = key;
	m->nr++;
	*created = 1;
	return &m->ents[i];
}

void offline_bmap_free(struct offline_bmap *m)
{
	free(m->ents);
	free(m->pend);
	memset(m, 0, sizeof(*m));
}
