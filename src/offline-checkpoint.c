// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-checkpoint.c - binary checkpoint file of an offline scan:
 * header (magic, fsid, generation, nodesize, position), the interned sets
 * with their byte totals, and the pending block and extent maps.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "offline-checkpoint.h"
#include "offline-fs.h"

#define CK_MAGIC "QGTOPCK3"
#define CK_INTERVAL_S 30	/* the state can be large: not too often */

struct offline_checkpoint {
	char *path;
	time_t last;
};

static int put(FILE *f, const void *p, size_t n)
{
	return fwrite(p, 1, n, f) == n ? 0 : -EIO;
}

static int get(FILE *f, void *p, size_t n)
{
	return fread(p, 1, n, f) == n ? 0 : -EINVAL;
}

static int save_bmap(FILE *f, const struct offline_bmap *m)
{
	uint64_t n = m->nr;
	int ret = put(f, &n, sizeof(n));

	for (size_t i = 0; !ret && i < m->cap; i++)
		if (m->ents[i].key)
			ret = put(f, &m->ents[i], sizeof(m->ents[i]));
	return ret;
}

static int load_bmap(FILE *f, struct offline_bmap *m, uint32_t nr_sets)
{
	uint64_t n;
	int ret = get(f, &n, sizeof(n));

	if (ret)
		return ret;
	for (uint64_t i = 0; i < n; i++) {
		struct offline_bmap_ent e, *d;
		int created;

		ret = get(f, &e, sizeof(e));
		if (ret)
			return ret;
		if (!e.key || e.set >= nr_sets)
			return -EINVAL;
		d = offline_bmap_get(m, e.key, &created);
		if (!d)
			return -ENOMEM;
		for (int k = 0; k < OFFLINE_BMAP_MORE; k++)
			if (e.more[k] >= nr_sets)
				return -EINVAL;
		*d = e;
	}
	return 0;
}

int offline_checkpoint_save(struct offline_checkpoint *ck, struct offline_engine *e, int level,
			    size_t index)
{
	const struct offline_super *sb = offline_engine_super(e);
	struct offline_sets *s = offline_engine_sets(e);
	uint64_t hdr[4] = { sb->generation, sb->nodesize, (uint64_t)level, index };
	char *tmp;
	FILE *f;
	int ret;

	if (asprintf(&tmp, "%s.tmp", ck->path) < 0)
		return -ENOMEM;
	f = fopen(tmp, "we");
	if (!f) {
		ret = -errno;
		free(tmp);
		return ret;
	}
	ret = put(f, CK_MAGIC, 8);
	if (!ret)
		ret = put(f, sb->fsid, 16);
	if (!ret)
		ret = put(f, hdr, sizeof(hdr));
	if (!ret)
		ret = put(f, offline_engine_bytes_read(e), sizeof(uint64_t));
	if (!ret)
		ret = put(f, &s->nr, sizeof(s->nr));
	for (uint32_t i = 0; !ret && i < s->nr; i++) {
		uint32_t n;
		const uint32_t *mem = offline_sets_members(s, i, &n);

		ret = put(f, &n, sizeof(n));
		if (!ret)
			ret = put(f, mem, n * sizeof(*mem));
		if (!ret)
			ret = put(f, &s->bytes[i], sizeof(s->bytes[i]));
	}
	for (int l = -1; !ret && l < OFFLINE_MAX_LEVEL; l++)
		ret = save_bmap(f, offline_engine_bmap(e, l));
	if (fclose(f) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, ck->path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	free(tmp);
	ck->last = time(NULL);
	return ret;
}

int offline_checkpoint_maybe_save(struct offline_checkpoint *ck, struct offline_engine *e,
				  int level, size_t index)
{
	if (time(NULL) - ck->last < CK_INTERVAL_S)
		return 0;
	return offline_checkpoint_save(ck, e, level, index);
}

static int load(FILE *f, struct offline_engine *e, int *level, size_t *index)
{
	const struct offline_super *sb = offline_engine_super(e);
	struct offline_sets *s = offline_engine_sets(e);
	uint64_t hdr[4];
	uint32_t *mem = NULL;
	uint8_t fsid[16];
	char magic[8];
	uint32_t nr;
	int ret;

	if (get(f, magic, 8) || memcmp(magic, CK_MAGIC, 8) || get(f, fsid, 16) ||
	    get(f, hdr, sizeof(hdr)))
		return -EINVAL;
	if (memcmp(fsid, sb->fsid, 16) || hdr[0] != sb->generation || hdr[1] != sb->nodesize ||
	    hdr[2] >= OFFLINE_MAX_LEVEL)
		return -EINVAL;
	if (get(f, offline_engine_bytes_read(e), sizeof(uint64_t)) || get(f, &nr, sizeof(nr)) ||
	    !nr)
		return -EINVAL;
	for (uint32_t i = 0; i < nr; i++) {
		uint32_t n, id;
		uint64_t bytes;

		if (get(f, &n, sizeof(n)) || n > (1u << 20))
			return -EINVAL;
		free(mem);
		mem = malloc((n ? n : 1) * sizeof(*mem));
		if (!mem)
			return -ENOMEM;
		ret = get(f, mem, n * sizeof(*mem));
		if (!ret)
			ret = get(f, &bytes, sizeof(bytes));
		for (uint32_t j = 0; !ret && j < n; j++)
			if ((j && mem[j - 1] >= mem[j]) || mem[j] >= offline_engine_nr_subvols(e))
				ret = -EINVAL;
		if (!ret && i)
			ret = offline_sets_intern(s, mem, n, &id);
		else if (!ret)
			id = n ? UINT32_MAX : 0;
		if (!ret && id != i)
			ret = -EINVAL;
		if (ret) {
			free(mem);
			return ret;
		}
		s->bytes[i] = bytes;
	}
	free(mem);
	for (int l = -1; l < OFFLINE_MAX_LEVEL; l++) {
		ret = load_bmap(f, offline_engine_bmap(e, l), s->nr);
		if (ret)
			return ret;
	}
	*level = (int)hdr[2];
	*index = hdr[3];
	return 0;
}

int offline_checkpoint_open(const char *path, struct offline_engine *e,
			    struct offline_checkpoint **out, int *level, size_t *index)
{
	struct offline_checkpoint *ck = calloc(1, sizeof(*ck));
	FILE *f;
	int ret = 0;

	*out = NULL;
	if (!ck)
		return -ENOMEM;
	ck->path = strdup(path);
	ck->last = time(NULL);
	if (!ck->path) {
		free(ck);
		return -ENOMEM;
	}
	f = fopen(path, "re");
	if (f) {
		ret = load(f, e, level, index);
		fclose(f);
	} else if (errno != ENOENT) {
		ret = -errno;
	}
	if (ret) {
		offline_checkpoint_close(ck);
		return ret;
	}
	*out = ck;
	return 0;
}

void offline_checkpoint_done(struct offline_checkpoint *ck)
{
	unlink(ck->path);
	offline_checkpoint_close(ck);
}

void offline_checkpoint_close(struct offline_checkpoint *ck)
{
	if (!ck)
		return;
	free(ck->path);
	free(ck);
}
