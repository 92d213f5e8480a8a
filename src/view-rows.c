// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-rows.c - flatten the qgroup DAG into rows, sort them and carry the
 * user's expanded state and cursor across rebuilds by tag.
 *
 * A tag hashes the qgroup id with its parent row's tag, so the same
 * qgroup shown under two parents has two tags and each place can be
 * folded on its own. Tags are 64-bit hashes: a collision would only fold
 * or place the cursor on the wrong row, never touch the model.
 *
 * The tree starts fully expanded (the usual quota tree is small and the
 * whole point is to see it); the user's folds are remembered as a set of
 * collapsed tags.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view-rows.h"

#define TAG_ROOT 0x9e3779b97f4a7c15ULL

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint64_t make_tag(uint64_t parent_tag, uint64_t id)
{
	uint64_t t = mix64(parent_tag ^ mix64(id + 0x632be59bd9b4e019ULL));

	return t ? t : 1;
}

/* ---- tag set ---- */

bool view_tagset_has(const struct view_tagset *s, uint64_t tag)
{
	size_t i;

	if (!s->cap || !tag)
		return false;
	for (i = mix64(tag) & (s->cap - 1); s->slots[i]; i = (i + 1) & (s->cap - 1))
		if (s->slots[i] == tag)
			return true;
	return false;
}

static int tagset_grow(struct view_tagset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64, i, j;
	uint64_t *n = calloc(cap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (i = 0; i < s->cap; i++) {
		if (!s->slots[i])
			continue;
		for (j = mix64(s->slots[i]) & (cap - 1); n[j]; j = (j + 1) & (cap - 1))
			;
		n[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = n;
	s->cap = cap;
	return 0;
}

int view_tagset_add(struct view_tagset *s, uint64_t tag)
{
	size_t i;
	int ret;

	if (!tag || view_tagset_has(s, tag))
		return 0;
	if ((s->nr + 1) * 2 > s->cap) {
		ret = tagset_grow(s);
		if (ret)
			return ret;
	}
	for (i = mix64(tag) & (s->cap - 1); s->slots[i]; i = (i + 1) & (s->cap - 1))
		;
	s->slots[i] = tag;
	s->nr++;
	return 0;
}

void view_tagset_del(struct view_tagset *s, uint64_t tag)
{
	size_t i, j, k, mask = s->cap - 1;

	if (!s->cap || !tag)
		return;
	for (i = mix64(tag) & mask; s->slots[i] != tag; i = (i + 1) & mask)
		if (!s->slots[i])
			return;
	/* backward-shift deletion keeps linear probing chains intact */
	s->slots[i] = 0;
	s->nr--;
	for (j = (i + 1) & mask; s->slots[j]; j = (j + 1) & mask) {
		k = mix64(s->slots[j]) & mask;
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			s->slots[i] = s->slots[j];
			s->slots[j] = 0;
			i = j;
		}
	}
}

void view_tagset_free(struct view_tagset *s)
{
	free(s->slots);
	s->slots = NULL;
	s->cap = s->nr = 0;
}

/* ---- view ---- */

void view_init(struct view *v)
{
	memset(v, 0, sizeof(*v));
	v->sort = VIEW_SORT_ID;
	v->units = UNITS_DEFAULT;
}

static void cache_free(struct view *v);

void view_forget_model(struct view *v)
{
	cache_free(v);
	free(v->rows);
	v->rows = NULL;
	v->nr_rows = v->cap_rows = 0;
	v->model = NULL;
}

void view_free(struct view *v)
{
	view_forget_model(v);
	view_tagset_free(&v->collapsed);
	view_tagset_free(&v->marked);
}

double view_qgroup_percent(const struct qgroup *q)
{
	/* reservations count: the kernel refuses a write on their sum */
	double rsv = (double)qgroup_reserved(q), pct = -1;

	if (!q->has_limit)
		return -1;
	if ((q->limit_flags & QGROUP_LIMIT_MAX_RFER) && q->max_rfer)
		pct = 100.0 * ((double)q->rfer + rsv) / (double)q->max_rfer;
	if ((q->limit_flags & QGROUP_LIMIT_MAX_EXCL) && q->max_excl) {
		double e = 100.0 * ((double)q->excl + rsv) / (double)q->max_excl;

		if (e > pct)
			pct = e;
	}
	return pct;
}

/*
 * Sorting and lookups during a build work on compact arrays made once per
 * build: the ids in model order (sorted, for binary search without
 * touching the big qgroup structs) and one sort key per qgroup. With
 * 100,000 qgroups this keeps a build within a few milliseconds.
 */
struct sort_key {
	uint64_t primary;	/* the sort key with its direction folded in */
	uint64_t id;
	uint64_t rfer, excl;	/* copied: no trip to the qgroup */
	double pct;
	uint32_t idx;
	uint32_t nr_parents, nr_children;
	uint16_t level;
	bool root;		/* no parent in the model: a top row of the tree */
};

struct id_slot {
	uint64_t id;
	uint32_t idx;		/* UINT32_MAX: empty */
};

/*
 * What a build needs from the model, made once per model: expanding,
 * folding, sorting and switching views only rebuild the rows from it.
 */
struct view_cache {
	struct id_slot *map;	/* id -> model index, open addressing */
	size_t mask;
	struct sort_key *keys;	/* by model index */
	struct sort_key *scratch;	/* the top rows being sorted */
	enum view_sort sort;	/* what keys[].primary is for */
	bool reverse;
};

struct build {
	struct view *v;
	const struct id_slot *map;
	size_t mask;
	const struct sort_key *keys;
};

/* doubles in the order of unsigned integers */
static uint64_t double_order(double d)
{
	uint64_t b;

	memcpy(&b, &d, sizeof(b));
	return (b >> 63) ? ~b : b | (1ULL << 63);
}

/*
 * One unsigned key that sorts ascending in the wanted order: sizes and
 * percentages largest first unless reversed, ids smallest first unless
 * reversed. Ties fall back to the id, ascending.
 */
static uint64_t primary_key(const struct view *v, const struct sort_key *q)
{
	uint64_t k;

	switch (v->sort) {
	case VIEW_SORT_RFER:
		k = ~q->rfer;
		break;
	case VIEW_SORT_EXCL:
		k = ~q->excl;
		break;
	case VIEW_SORT_PCT:
		k = ~double_order(q->pct);
		break;
	case VIEW_SORT_ID:
	default:
		return v->reverse ? ~q->id : q->id;
	}
	return v->reverse ? ~k : k;
}

static int cmp_flat(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;

	if (a->primary != b->primary)
		return a->primary < b->primary ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* the tree shows higher levels first among siblings and roots */
static int cmp_tree(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;

	if (a->level != b->level)
		return a->level > b->level ? -1 : 1;
	return cmp_flat(pa, pb);
}

static void sort_keys(const struct view *v, struct sort_key *k, size_t n)
{
	qsort(k, n, sizeof(*k), v->flat ? cmp_flat : cmp_tree);
}

/* one cache miss per lookup instead of a binary search's many */
static long find_index(const struct build *b, uint64_t id)
{
	size_t i;

	for (i = mix64(id) & b->mask; b->map[i].idx != UINT32_MAX; i = (i + 1) & b->mask)
		if (b->map[i].id == id)
			return b->map[i].idx;
	return -1;
}

static void map_put(struct view_cache *c, uint64_t id, uint32_t idx)
{
	size_t i;

	for (i = mix64(id) & c->mask; c->map[i].idx != UINT32_MAX; i = (i + 1) & c->mask)
		;
	c->map[i].id = id;
	c->map[i].idx = idx;
}

static int push_row(struct view *v, const struct view_row *r)
{
	if (v->nr_rows == v->cap_rows) {
		size_t cap = v->cap_rows ? v->cap_rows * 2 : 256;
		struct view_row *n = realloc(v->rows, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		v->rows = n;
		v->cap_rows = cap;
	}
	v->rows[v->nr_rows++] = *r;
	return 0;
}

static bool on_path(const struct view *v, uint32_t row, uint64_t id)
{
	while (row != UINT32_MAX) {
		if (v->model->qgroups[v->rows[row].qg].id == id)
			return true;
		row = v->rows[row].parent_row;
	}
	return false;
}

static int add_children(struct build *b, uint32_t prow);

/* @k: the sibling keys, sorted here; owned by the caller */
static int add_level(struct build *b, struct sort_key *k, size_t n, uint32_t prow,
		     uint16_t depth, uint32_t more, uint64_t ptag)
{
	struct view *v = b->v;
	size_t i;
	int ret;

	sort_keys(v, k, n);
	for (i = 0; i < n; i++) {
		struct view_row r = {
			.qg = k[i].idx,
			.depth = depth,
			.parent_row = prow,
			.more = more,
			.tag = make_tag(ptag, k[i].id),
		};

		if (i + 1 == n)
			r.flags |= VIEW_ROW_LAST;
		if (!v->flat && k[i].nr_parents > 1)
			r.flags |= VIEW_ROW_MULTI_PARENT;
		if (!v->flat && k[i].nr_children && depth < VIEW_MAX_DEPTH) {
			r.flags |= VIEW_ROW_HAS_CHILDREN;
			if (!view_tagset_has(&v->collapsed, r.tag))
				r.flags |= VIEW_ROW_EXPANDED;
		}
		ret = push_row(v, &r);
		if (ret)
			return ret;
		if (r.flags & VIEW_ROW_EXPANDED) {
			ret = add_children(b, (uint32_t)(v->nr_rows - 1));
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int add_children(struct build *b, uint32_t prow)
{
	struct view *v = b->v;
	const struct view_row pr = v->rows[prow];
	const struct qgroup *p = &v->model->qgroups[pr.qg];
	struct sort_key *k;
	size_t i, n = 0;
	uint32_t more = pr.more;
	int ret;

	/* each level sorts its siblings in its own array: the recursion
	 * below runs while this one is still being walked */
	k = malloc((p->nr_children ? p->nr_children : 1) * sizeof(*k));
	if (!k)
		return -ENOMEM;
	for (i = 0; i < p->nr_children; i++) {
		long c = find_index(b, p->children[i]);

		/* a cycle would be corrupt metadata: never loop on it */
		if (c >= 0 && !on_path(v, prow, p->children[i]))
			k[n++] = b->keys[c];
	}
	if (!(pr.flags & VIEW_ROW_LAST) && pr.depth < 32)
		more |= 1U << pr.depth;
	ret = add_level(b, k, n, prow, (uint16_t)(pr.depth + 1), more, pr.tag);
	free(k);
	return ret;
}

static bool is_root(const struct build *b, const struct qgroup *q)
{
	size_t i;

	for (i = 0; i < q->nr_parents; i++)
		if (find_index(b, q->parents[i]) >= 0)
			return false;
	return true;
}

static void restore_cursor(struct view *v, size_t old_cursor)
{
	size_t i;

	if (!v->nr_rows) {
		v->cursor = v->top = 0;
		return;
	}
	if (v->have_cursor) {
		for (i = 0; i < v->nr_rows; i++)
			if (v->rows[i].tag == v->cursor_tag) {
				view_set_cursor(v, i);
				return;
			}
		for (i = 0; i < v->nr_rows; i++)
			if (v->model->qgroups[v->rows[i].qg].id == v->cursor_id) {
				view_set_cursor(v, i);
				return;
			}
	}
	view_set_cursor(v, old_cursor);
}

static void cache_free(struct view *v)
{
	if (!v->cache)
		return;
	free(v->cache->map);
	free(v->cache->keys);
	free(v->cache->scratch);
	free(v->cache);
	v->cache = NULL;
}

static int cache_make(struct view *v)
{
	const struct qgroup_model *m = v->model;
	struct view_cache *c;
	struct build b;
	size_t i, cap = 16;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	while (cap < m->nr_qgroups * 2)
		cap *= 2;
	c->mask = cap - 1;
	c->map = malloc(cap * sizeof(*c->map));
	c->keys = malloc(m->nr_qgroups * sizeof(*c->keys));
	c->scratch = malloc(m->nr_qgroups * sizeof(*c->scratch));
	if (!c->map || !c->keys || !c->scratch) {
		free(c->map);
		free(c->keys);
		free(c->scratch);
		free(c);
		return -ENOMEM;
	}
	memset(c->map, 0xff, cap * sizeof(*c->map));
	for (i = 0; i < m->nr_qgroups; i++) {
		const struct qgroup *q = &m->qgroups[i];

		map_put(c, q->id, (uint32_t)i);
		c->keys[i] = (struct sort_key){
			.id = q->id,
			.rfer = q->rfer,
			.excl = q->excl,
			.pct = view_qgroup_percent(q),
			.idx = (uint32_t)i,
			.level = QGROUP_LEVEL(q->id),
			.nr_parents = (uint32_t)q->nr_parents,
			.nr_children = (uint32_t)q->nr_children,
		};
	}
	b = (struct build){ .v = v, .map = c->map, .mask = c->mask, .keys = c->keys };
	for (i = 0; i < m->nr_qgroups; i++)
		c->keys[i].root = !c->keys[i].nr_parents || is_root(&b, &m->qgroups[i]);
	/* force the primary keys to be computed */
	c->sort = (enum view_sort)-1;
	v->cache = c;
	return 0;
}

/* the rows of v->model again, from the cache */
static int rebuild(struct view *v)
{
	const struct qgroup_model *m = v->model;
	struct view_cache *c;
	struct build b = { .v = v };
	size_t i, n = 0, old_cursor = v->cursor;
	int ret;

	v->nr_rows = 0;
	if (!m || !m->nr_qgroups) {
		v->cursor = v->top = 0;
		return 0;
	}
	if (!v->cache) {
		ret = cache_make(v);
		if (ret)
			goto out_fail;
	}
	c = v->cache;
	if (c->sort != v->sort || c->reverse != v->reverse) {
		for (i = 0; i < m->nr_qgroups; i++)
			c->keys[i].primary = primary_key(v, &c->keys[i]);
		c->sort = v->sort;
		c->reverse = v->reverse;
	}
	b.map = c->map;
	b.mask = c->mask;
	b.keys = c->keys;
	for (i = 0; i < m->nr_qgroups; i++)
		if (v->flat || c->keys[i].root)
			c->scratch[n++] = c->keys[i];
	ret = add_level(&b, c->scratch, n, UINT32_MAX, 0, 0, TAG_ROOT);
	if (ret)
		goto out_fail;
	restore_cursor(v, old_cursor);
	return 0;
out_fail:
	v->nr_rows = 0;
	v->cursor = v->top = 0;
	return ret;
}

int view_build(struct view *v, const struct qgroup_model *m)
{
	/* a new model (or the same one changed): nothing cached holds */
	cache_free(v);
	v->model = m;
	return rebuild(v);
}

const struct qgroup *view_row_qgroup(const struct view *v, size_t i)
{
	if (!v->model || i >= v->nr_rows)
		return NULL;
	return &v->model->qgroups[v->rows[i].qg];
}

void view_set_cursor(struct view *v, size_t i)
{
	if (!v->nr_rows) {
		v->cursor = 0;
		return;
	}
	if (i >= v->nr_rows)
		i = v->nr_rows - 1;
	v->cursor = i;
	v->cursor_tag = v->rows[i].tag;
	v->cursor_id = v->model->qgroups[v->rows[i].qg].id;
	v->have_cursor = true;
}

size_t view_list_move(size_t cursor, long delta, size_t nr)
{
	long c = (long)cursor + delta;

	if (c < 0 || !nr)
		return 0;
	return (size_t)c >= nr ? nr - 1 : (size_t)c;
}

size_t view_list_scroll(size_t cursor, size_t top, size_t nr, size_t height)
{
	if (!height)
		height = 1;
	if (cursor < top)
		top = cursor;
	else if (cursor >= top + height)
		top = cursor - height + 1;
	/* no empty space at the bottom while rows are scrolled off the top */
	if (top && top + height > nr)
		top = nr > height ? nr - height : 0;
	return top;
}

void view_move(struct view *v, long delta)
{
	view_set_cursor(v, view_list_move(v->cursor, delta, v->nr_rows));
}

void view_scroll(struct view *v, size_t height)
{
	v->top = view_list_scroll(v->cursor, v->top, v->nr_rows, height);
}

bool view_expand(struct view *v)
{
	struct view_row *r;

	if (v->cursor >= v->nr_rows)
		return false;
	r = &v->rows[v->cursor];
	if (!(r->flags & VIEW_ROW_HAS_CHILDREN))
		return false;
	if (r->flags & VIEW_ROW_EXPANDED) {
		if (v->cursor + 1 < v->nr_rows && v->rows[v->cursor + 1].parent_row == v->cursor) {
			view_set_cursor(v, v->cursor + 1);
			return true;
		}
		return false;
	}
	view_tagset_del(&v->collapsed, r->tag);
	return rebuild(v) == 0;
}

bool view_collapse(struct view *v)
{
	struct view_row *r;

	if (v->cursor >= v->nr_rows)
		return false;
	r = &v->rows[v->cursor];
	if (r->flags & VIEW_ROW_EXPANDED) {
		if (view_tagset_add(&v->collapsed, r->tag))
			return false;
		return rebuild(v) == 0;
	}
	if (r->parent_row != UINT32_MAX) {
		view_set_cursor(v, r->parent_row);
		return true;
	}
	return false;
}

void view_toggle_flat(struct view *v)
{
	v->flat = !v->flat;
	/* the tags differ between the views: keep the qgroup under the cursor */
	v->cursor_tag = 0;
	rebuild(v);
}

void view_set_sort(struct view *v, enum view_sort key)
{
	if (v->sort == key) {
		v->reverse = !v->reverse;
	} else {
		v->sort = key;
		v->reverse = false;
	}
	rebuild(v);
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	if (!hay)
		return false;
	for (; *hay; hay++) {
		for (i = 0; i < n; i++)
			if (tolower((unsigned char)hay[i]) != tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return true;
	}
	return n == 0;
}

static bool row_matches(const struct view *v, size_t i)
{
	const struct qgroup *q = view_row_qgroup(v, i);
	char id[32];

	qgroup_id_format(q->id, id, sizeof(id));
	return contains_ci(id, v->search) || contains_ci(q->path, v->search);
}

long view_search(const struct view *v, bool backward)
{
	size_t n = v->nr_rows, k, i;

	if (!n || !v->search[0])
		return -1;
	for (k = 1; k <= n; k++) {
		i = backward ? (v->cursor + n - k) % n : (v->cursor + k) % n;
		if (row_matches(v, i))
			return (long)i;
	}
	return -1;
}

static bool qgroup_matches(const struct qgroup *q, const char *pattern)
{
	char id[32];

	qgroup_id_format(q->id, id, sizeof(id));
	return contains_ci(id, pattern) || contains_ci(q->path, pattern);
}

long view_reveal_match(struct view *v)
{
	const struct qgroup_model *m = v->model;
	const struct qgroup *q = NULL, *p;
	uint64_t chain[VIEW_MAX_DEPTH + 1], tag = TAG_ROOT;
	size_t i, n = 0;

	if (!m || !v->search[0])
		return -1;
	for (i = 0; i < m->nr_qgroups && !q; i++)
		if (qgroup_matches(&m->qgroups[i], v->search))
			q = &m->qgroups[i];
	if (!q)
		return -1;
	/* the path from q up to a root along first parents: chain[0] = q */
	for (p = q; p && n <= VIEW_MAX_DEPTH;) {
		const struct qgroup *up;
		size_t k;

		chain[n++] = p->id;
		if (v->flat || !p->nr_parents)
			break;
		up = qgroup_model_find(m, p->parents[0]);
		for (k = 0; up && k < n; k++)
			if (chain[k] == up->id)
				up = NULL;	/* a cycle: corrupt, stop here */
		p = up;
	}
	/* unfold every ancestor on that path, top-down as tags are made */
	for (i = n; i-- > 0;) {
		tag = make_tag(tag, chain[i]);
		if (i)
			view_tagset_del(&v->collapsed, tag);
	}
	v->cursor_tag = tag;
	v->cursor_id = q->id;
	v->have_cursor = true;
	if (rebuild(v) || !v->nr_rows)
		return -1;
	return v->rows[v->cursor].tag == tag || view_row_qgroup(v, v->cursor)->id == q->id ?
		       (long)v->cursor : -1;
}

bool view_toggle_mark(struct view *v)
{
	const struct qgroup *q = view_row_qgroup(v, v->cursor);
	uint64_t key;

	if (!q)
		return false;
	key = q->id + 1;	/* 0 is the empty slot; 0/0 is no qgroup but be safe */
	if (view_tagset_has(&v->marked, key)) {
		view_tagset_del(&v->marked, key);
		return false;
	}
	return view_tagset_add(&v->marked, key) == 0;
}

bool view_is_marked(const struct view *v, uint64_t id)
{
	return view_tagset_has(&v->marked, id + 1);
}

uint64_t *view_marked_ids(const struct view *v, size_t *nr)
{
	uint64_t *ids;
	size_t i, n = 0;

	*nr = 0;
	if (!v->marked.nr || !v->model)
		return NULL;
	ids = malloc(v->marked.nr * sizeof(*ids));
	if (!ids)
		return NULL;
	for (i = 0; i < v->marked.cap; i++) {
		uint64_t id = v->marked.slots[i] - 1;

		if (v->marked.slots[i] && qgroup_model_find(v->model, id))
			ids[n++] = id;
	}
	if (!n) {
		free(ids);
		return NULL;
	}
	*nr = n;
	return ids;
}

char *view_other_parents(const struct view *v, size_t i, char *buf, size_t len)
{
	const struct qgroup *q = view_row_qgroup(v, i);
	uint64_t shown_under = UINT64_MAX;
	size_t k, used = 0;
	char id[32];

	if (len)
		buf[0] = '\0';
	if (!q || !len)
		return buf;
	if (v->rows[i].parent_row != UINT32_MAX)
		shown_under = view_row_qgroup(v, v->rows[i].parent_row)->id;
	for (k = 0; k < q->nr_parents; k++) {
		int w;

		if (q->parents[k] == shown_under)
			continue;
		qgroup_id_format(q->parents[k], id, sizeof(id));
		w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", id);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
	return buf;
}
