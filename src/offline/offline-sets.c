// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-sets.c - interned root sets with a union cache, and an
 * open-addressing bytenr hash map.
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

/* intern the union of @n sets in one step (pairwise merges in scratch) */
static int merge_sets(struct offline_sets *s, const uint32_t *ids, size_t n, uint32_t *out)
{
	size_t total = 0, len;
	uint32_t *buf, *cur, *next;
	int ret;

	for (size_t i = 0; i < n; i++)
		total += s->len[ids[i]];
	buf = malloc((total ? total : 1) * 2 * sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	cur = buf;
	next = buf + total;
	len = s->len[ids[0]];
	memcpy(cur, s->pool + s->start[ids[0]], len * sizeof(*cur));
	for (size_t i = 1; i < n; i++) {
		uint32_t *t;

		len = merge2(cur, len, s->pool + s->start[ids[i]], s->len[ids[i]], next);
		t = cur;
		cur = next;
		next = t;
	}
	ret = offline_sets_intern(s, cur, (uint32_t)len, out);
	free(buf);
	return ret;
}

int offline_sets_add(struct offline_sets *s, struct offline_bmap_ent *ent, uint32_t set)
{
	uint32_t ids[OFFLINE_BMAP_MORE + 2];
	size_t n = 0;
	int ret;

	if (set == OFFLINE_SET_EMPTY || ent->set == set)
		return 0;
	if (ent->set == OFFLINE_SET_EMPTY) {
		ent->set = set;
		return 0;
	}
	for (int i = 0; i < OFFLINE_BMAP_MORE; i++) {
		if (ent->more[i] == set)
			return 0;
		if (!ent->more[i]) {
			ent->more[i] = set;
			return 0;
		}
	}
	ids[n++] = ent->set;
	for (int i = 0; i < OFFLINE_BMAP_MORE; i++)
		ids[n++] = ent->more[i];
	ids[n++] = set;
	ret = merge_sets(s, ids, n, &ent->set);
	if (ret)
		return ret;
	memset(ent->more, 0, sizeof(ent->more));
	return 0;
}

int offline_sets_final(struct offline_sets *s, struct offline_bmap_ent *ent)
{
	uint32_t ids[OFFLINE_BMAP_MORE + 1];
	size_t n = 0;
	int ret;

	if (!ent->more[0])
		return 0;
	ids[n++] = ent->set;
	for (int i = 0; i < OFFLINE_BMAP_MORE && ent->more[i]; i++)
		ids[n++] = ent->more[i];
	ret = merge_sets(s, ids, n, &ent->set);
	if (ret)
		return ret;
	memset(ent->more, 0, sizeof(ent->more));
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
	memset(m, 0, sizeof(*m));
}
