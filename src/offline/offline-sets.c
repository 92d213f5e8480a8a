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

static uint64_t hash_ids(const uint32_t *ids, uint32_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ ids[i]) * 0x100000001b3ULL + (h >> 29);
	return mix64(h);
}

static bool set_equal(const struct offline_sets *s, uint32_t id, const uint32_t *ids, uint32_t n)
{
	return s->len[id] == n && (!n || !memcmp(s->pool + s->start[id], ids, n * sizeof(*ids)));
}

static int hash_grow(struct offline_sets *s)
{
	size_t ncap = s->hash_cap ? s->hash_cap * 2 : 1024;
	uint32_t *nh = calloc(ncap, sizeof(*nh));

	if (!nh)
		return -ENOMEM;
	for (uint32_t id = 0; id < s->nr; id++) {
		size_t i = hash_ids(s->pool + s->start[id], s->len[id]) & (ncap - 1);

		while (nh[i])
			i = (i + 1) & (ncap - 1);
		nh[i] = id + 1;
	}
	free(s->hash);
	s->hash = nh;
	s->hash_cap = ncap;
	return 0;
}

int offline_sets_init(struct offline_sets *s)
{
	uint32_t id;

	memset(s, 0, sizeof(*s));
	return offline_sets_intern(s, NULL, 0, &id);
}

void offline_sets_free(struct offline_sets *s)
{
	free(s->pool);
	free(s->start);
	free(s->len);
	free(s->bytes);
	free(s->hash);
	free(s->member_seen);
	free(s->set_seen);
	free(s->scratch);
	memset(s, 0, sizeof(*s));
}

int offline_sets_intern(struct offline_sets *s, const uint32_t *ids, uint32_t n, uint32_t *out)
{
	uint64_t h = hash_ids(ids, n);
	size_t i;

	if (s->hash_cap) {
		for (i = h & (s->hash_cap - 1); s->hash[i]; i = (i + 1) & (s->hash_cap - 1)) {
			if (set_equal(s, s->hash[i] - 1, ids, n)) {
				*out = s->hash[i] - 1;
				return 0;
			}
		}
	}
	if ((size_t)(s->nr + 1) * 2 > s->hash_cap && hash_grow(s))
		return -ENOMEM;
	if (s->nr == UINT32_MAX - 1)
		return -ENOMEM;
	if (s->nr == s->cap) {
		uint32_t ncap = s->cap ? s->cap * 2 : 256;
		uint64_t *st = realloc(s->start, ncap * sizeof(*st));
		uint32_t *ln;
		uint64_t *by;

		if (!st)
			return -ENOMEM;
		s->start = st;
		ln = realloc(s->len, ncap * sizeof(*ln));
		if (!ln)
			return -ENOMEM;
		s->len = ln;
		by = realloc(s->bytes, ncap * sizeof(*by));
		if (!by)
			return -ENOMEM;
		s->bytes = by;
		s->cap = ncap;
	}
	if (s->pool_len + n > s->pool_cap) {
		size_t ncap = s->pool_cap ? s->pool_cap * 2 : 1024;
		uint32_t *np;

		while (ncap < s->pool_len + n)
			ncap *= 2;
		np = realloc(s->pool, ncap * sizeof(*np));
		if (!np)
			return -ENOMEM;
		s->pool = np;
		s->pool_cap = ncap;
	}
	if (n)
		memcpy(s->pool + s->pool_len, ids, n * sizeof(*ids));
	s->start[s->nr] = s->pool_len;
	s->len[s->nr] = n;
	s->bytes[s->nr] = 0;
	s->pool_len += n;
	for (i = h & (s->hash_cap - 1); s->hash[i]; i = (i + 1) & (s->hash_cap - 1))
		;
	s->hash[i] = s->nr + 1;
	*out = s->nr++;
	return 0;
}

const uint32_t *offline_sets_members(const struct offline_sets *s, uint32_t id, uint32_t *n)
{
	*n = s->len[id];
	return s->pool + s->start[id];
}

/* how many of the latest pending sets an add compares with */
#define ADD_DEDUP_LOOK 4

int offline_sets_add(struct offline_bmap *m, struct offline_bmap_ent *ent, uint32_t set)
{
	if (set == OFFLINE_SET_EMPTY || ent->set == set)
		return 0;
	if (ent->set == OFFLINE_SET_EMPTY) {
		ent->set = set;
		return 0;
	}
	/* a repeat is most often one of the last sets noted (a data extent
	 * reached from leaves by turns): look at a few, not at the whole list */
	for (uint32_t p = ent->pending, i = 0; p && i < ADD_DEDUP_LOOK; p = m->pend[p - 1].next, i++)
		if (m->pend[p - 1].set == set)
			return 0;
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
	m->pend[m->pend_nr].set = set;
	m->pend[m->pend_nr].next = ent->pending;
	ent->pending = ++m->pend_nr;
	return 0;
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

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* add the members of @set not yet stamped to the union in s->scratch */
static int scratch_reserve(struct offline_sets *s, size_t need)
{
	size_t ncap = s->scratch_cap ? s->scratch_cap : 1024;
	uint32_t *ns;

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

static int union_add(struct offline_sets *s, uint32_t set, size_t *n)
{
	const uint32_t *mem = s->pool + s->start[set];
	uint32_t len = s->len[set];
	int ret;

	if (s->set_seen[set] == s->epoch || !len)
		return 0;
	s->set_seen[set] = s->epoch;
	/* members are sorted: room for the last is room for all */
	ret = stamps_reserve(&s->member_seen, &s->member_seen_cap, mem[len - 1]);
	if (!ret)
		ret = scratch_reserve(s, *n + len);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < len; i++) {
		if (s->member_seen[mem[i]] == s->epoch)
			continue;
		s->member_seen[mem[i]] = s->epoch;
		s->scratch[(*n)++] = mem[i];
	}
	return 0;
}

/* merge sorted distinct @a (@na) and @b (@nb) into @out; returns its length */
static size_t merge2(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, uint32_t *out)
{
	size_t x = 0, y = 0, n = 0;

	while (x < na && y < nb) {
		if (a[x] < b[y])
			out[n++] = a[x++];
		else if (b[y] < a[x])
			out[n++] = b[y++];
		else {
			out[n++] = a[x++];
			y++;
		}
	}
	while (x < na)
		out[n++] = a[x++];
	while (y < nb)
		out[n++] = b[y++];
	return n;
}

/* few sets: merged pairwise, in O(k U) without sorting */
static int union_few(struct offline_sets *s, const struct offline_bmap *m,
		     const struct offline_bmap_ent *ent, size_t total, uint32_t *out)
{
	uint32_t *cur, *next;
	size_t len;
	int ret = scratch_reserve(s, 2 * (total ? total : 1));

	if (ret)
		return ret;
	cur = s->scratch;
	next = s->scratch + total;
	len = s->len[ent->set];
	memcpy(cur, s->pool + s->start[ent->set], len * sizeof(*cur));
	for (uint32_t p = ent->pending; p; p = m->pend[p - 1].next) {
		uint32_t set = m->pend[p - 1].set, *t;

		len = merge2(cur, len, s->pool + s->start[set], s->len[set], next);
		t = cur;
		cur = next;
		next = t;
	}
	return offline_sets_intern(s, cur, (uint32_t)len, out);
}

/* many sets: each distinct one read once, members stamped; the union comes
 * out sorted by a sweep over the stamps when it is dense, else by qsort */
static int union_many(struct offline_sets *s, const struct offline_bmap *m,
		      const struct offline_bmap_ent *ent, uint32_t *out)
{
	size_t n = 0;
	int ret;

	ret = stamps_reserve(&s->set_seen, &s->set_seen_cap, s->nr);
	if (ret)
		return ret;
	if (++s->epoch == 0) {
		/* the stamps wrapped: none may look current */
		memset(s->member_seen, 0, (size_t)s->member_seen_cap * sizeof(*s->member_seen));
		memset(s->set_seen, 0, (size_t)s->set_seen_cap * sizeof(*s->set_seen));
		s->epoch = 1;
	}
	ret = union_add(s, ent->set, &n);
	for (uint32_t p = ent->pending; !ret && p; p = m->pend[p - 1].next)
		ret = union_add(s, m->pend[p - 1].set, &n);
	if (ret)
		return ret;
	if (n * 64 >= s->member_seen_cap) {
		n = 0;
		for (uint32_t i = 0; i < s->member_seen_cap; i++)
			if (s->member_seen[i] == s->epoch)
				s->scratch[n++] = i;
	} else {
		qsort(s->scratch, n, sizeof(*s->scratch), cmp_u32);
	}
	return offline_sets_intern(s, s->scratch, (uint32_t)n, out);
}

/* up to this many pending sets are merged pairwise */
#define UNION_FEW 4

int offline_sets_final(struct offline_sets *s, const struct offline_bmap *m,
		       struct offline_bmap_ent *ent)
{
	size_t k = 0, total = s->len[ent->set];
	int ret;

	if (!ent->pending)
		return 0;
	for (uint32_t p = ent->pending; p && k <= UNION_FEW; p = m->pend[p - 1].next) {
		total += s->len[m->pend[p - 1].set];
		k++;
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
