// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-paths.c - see offline-paths.h. A cache entry per directory holds
 * what its INODE_REF said (parent, name), so a directory costs one lookup
 * however many subvolumes sit below it. A resolution climbs those entries
 * to the top directory; meeting an entry it already climbed in this same
 * resolution (same stamp) is a loop. The climb is bounded by the length
 * cap: every step adds at least two bytes ("/" and a name), so at most
 * OFFLINE_PATH_MAX / 2 steps. The path found is kept for the directory
 * asked about (the one a subvolume sits in), not for every directory on
 * the way, which would cost up to OFFLINE_PATH_MAX bytes each.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "offline-paths.h"

enum paths_state {
	PATHS_NEW,		/* not looked up yet */
	PATHS_REF,		/* parent and name known */
	PATHS_NONE,		/* no usable INODE_REF */
};

struct offline_paths_ent {
	uint64_t root, ino;
	bool used;
	uint8_t state;		/* enum paths_state */
	bool resolved;		/* @path is the answer (NULL: unknown) */
	uint64_t stamp;
	uint64_t parent;
	char *name;
	char *path;
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static size_t slot_of(const struct offline_paths *p, uint64_t root, uint64_t ino)
{
	return mix64(root * 0x9e3779b97f4a7c15ULL ^ mix64(ino)) & (p->cap - 1);
}

void offline_paths_init(struct offline_paths *p, offline_paths_ref_fn ref, void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->ref = ref;
	p->ctx = ctx;
}

static int grow(struct offline_paths *p)
{
	size_t ncap = p->cap ? p->cap * 2 : 256;
	struct offline_paths_ent *n = calloc(ncap, sizeof(*n)), *old = p->ents;
	size_t ocap = p->cap;

	if (!n)
		return -ENOMEM;
	p->ents = n;
	p->cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		size_t j;

		if (!old[i].used)
			continue;
		for (j = slot_of(p, old[i].root, old[i].ino); n[j].used; j = (j + 1) & (ncap - 1))
			;
		n[j] = old[i];
	}
	free(old);
	return 0;
}

/* the entry of (@root, @ino), created empty; NULL on -ENOMEM. Valid until
 * the next call. */
static struct offline_paths_ent *get(struct offline_paths *p, uint64_t root, uint64_t ino)
{
	size_t i;

	if (p->cap) {
		for (i = slot_of(p, root, ino); p->ents[i].used; i = (i + 1) & (p->cap - 1))
			if (p->ents[i].root == root && p->ents[i].ino == ino)
				return &p->ents[i];
	}
	if ((p->nr + 1) * 2 > p->cap && grow(p))
		return NULL;
	for (i = slot_of(p, root, ino); p->ents[i].used; i = (i + 1) & (p->cap - 1))
		;
	memset(&p->ents[i], 0, sizeof(p->ents[i]));
	p->ents[i].used = true;
	p->ents[i].root = root;
	p->ents[i].ino = ino;
	p->nr++;
	return &p->ents[i];
}

/* look up @e's INODE_REF once */
static int load_ref(struct offline_paths *p, uint64_t root, uint64_t ino)
{
	char name[OFFLINE_PATH_NAME_MAX + 1] = "";
	struct offline_paths_ent *e;
	uint64_t parent = 0;
	int ret;

	p->lookups++;
	ret = p->ref(p->ctx, root, ino, &parent, name);
	if (ret < 0)
		return ret;
	e = get(p, root, ino);	/* @ref may not touch @p, but look again anyway */
	if (!e)
		return -ENOMEM;
	name[OFFLINE_PATH_NAME_MAX] = 0;
	/* an empty name or a slash in one would make a wrong path, not a long one */
	if (ret || !name[0] || strchr(name, '/')) {
		e->state = PATHS_NONE;
		return 0;
	}
	e->name = strdup(name);
	if (!e->name)
		return -ENOMEM;
	e->parent = parent;
	e->state = PATHS_REF;
	return 0;
}

int offline_paths_dir(struct offline_paths *p, uint64_t root, uint64_t ino, const char **out)
{
	struct offline_paths_ent *e;
	uint64_t cur = ino, stamp = ++p->stamp;
	size_t len = 0, depth = 0, pos;
	const char *base = "";
	char *path;
	int ret;

	*out = NULL;
	if (ino == OFFLINE_TOP_DIR) {
		*out = "";
		return 0;
	}
	e = get(p, root, ino);
	if (!e)
		return -ENOMEM;
	if (e->resolved) {
		*out = e->path;
		return 0;
	}
	/* climb: the length of the answer, and where the known part starts */
	while (cur != OFFLINE_TOP_DIR) {
		e = get(p, root, cur);
		if (!e)
			return -ENOMEM;
		if (e->resolved) {
			if (!e->path)
				goto out_unknown;
			base = e->path;
			break;
		}
		if (e->state == PATHS_NEW) {
			ret = load_ref(p, root, cur);
			if (ret)
				return ret;
			e = get(p, root, cur);
			if (!e)
				return -ENOMEM;
		}
		if (e->state == PATHS_NONE || e->stamp == stamp)
			goto out_unknown;	/* no reference, or a loop */
		e->stamp = stamp;
		len += strlen(e->name) + (depth ? 1 : 0);
		depth++;
		if (len >= OFFLINE_PATH_MAX)
			goto out_unknown;
		cur = e->parent;
	}
	if (*base)
		len += strlen(base) + 1;
	if (len >= OFFLINE_PATH_MAX)
		goto out_unknown;
	path = malloc(len + 1);
	if (!path)
		return -ENOMEM;
	/* fill from the end: the climb again, over known entries only */
	pos = len;
	path[pos] = 0;
	for (cur = ino; depth; depth--) {
		size_t n;

		e = get(p, root, cur);
		n = strlen(e->name);
		if (pos != len)
			path[--pos] = '/';
		pos -= n;
		memcpy(path + pos, e->name, n);
		cur = e->parent;
	}
	if (*base) {
		path[--pos] = '/';
		memcpy(path, base, pos);
	}
	e = get(p, root, ino);
	if (!e) {
		free(path);
		return -ENOMEM;
	}
	e->resolved = true;
	e->path = path;
	*out = path;
	return 0;
out_unknown:
	e = get(p, root, ino);
	if (!e)
		return -ENOMEM;
	e->resolved = true;
	e->path = NULL;
	return 0;
}

void offline_paths_free(struct offline_paths *p)
{
	for (size_t i = 0; i < p->cap; i++) {
		free(p->ents[i].name);
		free(p->ents[i].path);
	}
	free(p->ents);
	memset(p, 0, sizeof(*p));
}
