// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-checkpoint.c - binary checkpoint file of an offline scan.
 *
 * Layout (native byte order: the file only ever resumes a scan on the
 * machine that wrote it; another one fails the checks below):
 *   header  "QGTOPCK4" (magic and format version), u64 content length,
 *           u64 XXH64 (seed 0) of the content
 *   content fsid[16], u64 generation, nodesize, level, index, bytes read;
 *           u32 number of sets, each u32 n, u32 members[n], u64 bytes;
 *           per map (data extents, then tree levels 0..7) u64 n and n
 *           entries: u64 key, u64 size, u32 set, u32 number of pending
 *           sets p, u32 pending[p]
 *
 * A checkpoint is only a shortcut: loading checks the size against the
 * header, the checksum over the whole content, then every count against
 * the bytes that are left before allocating anything, and the state against
 * this filesystem (fsid, generation, nodesize, subvolume count). A file
 * that fails any of this - truncated, corrupt, of another filesystem or of
 * an older generation of this one, an older format, not a regular file, or
 * owned by another user (who could have crafted it) - is reported in one
 * warning and ignored: the engine's state is reset and the scan starts
 * over, so a bad checkpoint can neither give wrong numbers nor stop later
 * runs; the next save replaces it.
 *
 * Saving goes through safe-file.c (O_EXCL|O_NOFOLLOW temporary, 0600,
 * fsync, rename, directory fsync). A periodic save that fails warns once
 * and the scan goes on; the caller learns whether the save at a cancel
 * worked from the return value.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <xxhash.h>

#include "nls.h"
#include "offline-checkpoint.h"
#include "safe-file.h"

#define CK_MAGIC "QGTOPCK5"
#define CK_MAGIC_OLD "QGTOPCK"	/* the first 7 bytes of every format */
#define CK_HEADER 24
#define CK_ENTRY_MIN (2 * sizeof(uint64_t) + 2 * sizeof(uint32_t))

struct offline_checkpoint {
	char *path;
	time_t last;
	unsigned interval;	/* seconds between two periodic saves */
	offline_warn_cb warn;
	void *warn_ctx;
	bool warned;		/* a periodic save failed and said so */
	char why[SAFE_FILE_WHY_LEN + 64];
};

/* ---- writing ---- */

struct ck_writer {
	FILE *f;
	XXH64_state_t *h;
	uint64_t len;
	int err;
};

static void put(struct ck_writer *w, const void *p, size_t n)
{
	if (w->err || !n)
		return;
	if (fwrite(p, 1, n, w->f) != n) {
		w->err = errno ? -errno : -EIO;
		return;
	}
	XXH64_update(w->h, p, n);
	w->len += n;
}

static void save_bmap(struct ck_writer *w, const struct offline_bmap *m)
{
	uint64_t n = m->nr;

	put(w, &n, sizeof(n));
	for (size_t i = 0; i < m->cap; i++) {
		const struct offline_bmap_ent *e = &m->ents[i];
		uint32_t np;

		if (!e->key)
			continue;
		np = offline_bmap_pending_count(m, e);
		put(w, &e->key, sizeof(e->key));
		put(w, &e->size, sizeof(e->size));
		put(w, &e->set, sizeof(e->set));
		put(w, &np, sizeof(np));
		for (uint32_t c = e->pending; c; c = m->pend[c - 1].next)
			put(w, m->pend[c - 1].set, m->pend[c - 1].n * sizeof(uint32_t));
	}
}

static void warn(const struct offline_checkpoint *ck, const char *msg)
{
	if (ck->warn)
		ck->warn(msg, ck->warn_ctx);
}

static int fill(FILE *f, void *ctx)
{
	const struct offline_scan *scan = ctx;
	const struct offline_super *sb = &scan->fs->sb;
	const struct offline_sets *s = &scan->sets;
	uint64_t hdr[5] = { sb->generation, sb->nodesize, (uint64_t)scan->level, scan->index,
			    scan->fs->bytes_read };
	struct ck_writer w = { .f = f };
	uint64_t head[2];
	uint32_t *mem;

	w.h = XXH64_createState();
	if (!w.h)
		return -ENOMEM;
	XXH64_reset(w.h, 0);
	/* the header is written again at the end, with the length and sum */
	if (fwrite(CK_MAGIC, 1, 8, f) != 8 || fwrite(hdr, 1, 16, f) != 16)
		w.err = errno ? -errno : -EIO;
	put(&w, sb->fsid, 16);
	put(&w, hdr, sizeof(hdr));
	mem = malloc((scan->nr_ids ? scan->nr_ids : 1) * sizeof(*mem));
	if (!mem) {
		XXH64_freeState(w.h);
		return -ENOMEM;
	}
	put(&w, &s->nr, sizeof(s->nr));
	for (uint32_t i = 0; i < s->nr; i++) {
		uint32_t n = offline_sets_count(s, i);

		offline_sets_expand(s, i, mem);
		put(&w, &n, sizeof(n));
		put(&w, mem, n * sizeof(*mem));
		put(&w, &s->bytes[i], sizeof(s->bytes[i]));
	}
	free(mem);
	save_bmap(&w, &scan->data);
	for (int l = 0; l < OFFLINE_MAX_LEVEL; l++)
		save_bmap(&w, &scan->levels[l]);
	head[0] = w.len;
	head[1] = XXH64_digest(w.h);
	XXH64_freeState(w.h);
	if (!w.err && (fseek(f, 8, SEEK_SET) || fwrite(head, 1, sizeof(head), f) != sizeof(head)))
		w.err = errno ? -errno : -EIO;
	return w.err;
}

int offline_checkpoint_save(struct offline_checkpoint *ck, const struct offline_scan *scan)
{
	char why[SAFE_FILE_WHY_LEN];
	int ret;

	ck->last = time(NULL);
	ck->why[0] = '\0';
	ret = safe_file_write_path(ck->path, 0, fill, (void *)scan, why, sizeof(why));
	if (ret) {
		size_t n = strlen(ck->path);
		const char *reason = why[0] ? why : strerror(-ret);

		/* "FILE: reason" about the file itself: name it once */
		if (!strncmp(reason, ck->path, n) && !strncmp(reason + n, ": ", 2))
			reason += n + 2;
		snprintf(ck->why, sizeof(ck->why), _("cannot save progress to %s: %s"), ck->path,
			 reason);
	}
	return ret;
}

int offline_checkpoint_maybe_save(struct offline_checkpoint *ck, const struct offline_scan *scan)
{
	char msg[sizeof(ck->why) + 64];
	int ret;

	/* the state can be large: not too often (every block with 0) */
	if (time(NULL) - ck->last < (time_t)ck->interval)
		return 0;
	ret = offline_checkpoint_save(ck, scan);
	if (ret && !ck->warned) {
		ck->warned = true;
		snprintf(msg, sizeof(msg), _("%s; the scan goes on"), ck->why);
		warn(ck, msg);
	}
	return ret;
}

const char *offline_checkpoint_error(const struct offline_checkpoint *ck)
{
	return ck->why;
}

/* ---- reading ---- */

struct ck_reader {
	FILE *f;
	uint64_t left;		/* content bytes not read yet */
};

static int get(struct ck_reader *r, void *p, size_t n)
{
	if (n > r->left)
		return -EINVAL;
	if (n && fread(p, 1, n, r->f) != n)
		return ferror(r->f) ? -EIO : -EINVAL;
	r->left -= n;
	return 0;
}

static int load_bmap(struct ck_reader *r, struct offline_bmap *m, uint32_t nr_sets,
		     const char **why)
{
	uint64_t n;
	int ret = get(r, &n, sizeof(n));

	if (ret)
		return ret;
	/* an entry takes at least its key, size, set and pending count */
	if (n > r->left / CK_ENTRY_MIN) {
		*why = N_("a block count larger than the file");
		return -EINVAL;
	}
	for (uint64_t i = 0; i < n; i++) {
		struct offline_bmap_ent *d;
		uint64_t key, size;
		uint32_t set, np;
		int created;

		ret = get(r, &key, sizeof(key));
		if (!ret)
			ret = get(r, &size, sizeof(size));
		if (!ret)
			ret = get(r, &set, sizeof(set));
		if (!ret)
			ret = get(r, &np, sizeof(np));
		if (ret)
			return ret;
		if (!key || set >= nr_sets)
			return -EINVAL;
		if (np > r->left / sizeof(uint32_t)) {
			*why = N_("a pending count larger than the file");
			return -EINVAL;
		}
		d = offline_bmap_get(m, key, &created);
		if (!d)
			return -ENOMEM;
		if (!created) {
			*why = N_("a block listed twice");
			return -EINVAL;
		}
		d->size = size;
		d->set = set;
		for (uint32_t k = 0; k < np; k++) {
			uint32_t p;

			ret = get(r, &p, sizeof(p));
			if (ret)
				return ret;
			if (p >= nr_sets)
				return -EINVAL;
			/* @d stays valid: the pending pool is apart from the entries */
			ret = offline_sets_add(m, d, p);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int load_sets(struct ck_reader *r, struct offline_scan *scan, const char **why)
{
	struct offline_sets *s = &scan->sets;
	uint32_t nr, nr_subvols = scan->nr_ids;
	uint32_t *mem;
	int ret = 0;

	if (get(r, &nr, sizeof(nr)))
		return -EINVAL;
	/* each set takes at least its count and its bytes */
	if (!nr || nr > r->left / (sizeof(uint32_t) + sizeof(uint64_t))) {
		*why = N_("a set count larger than the file");
		return -EINVAL;
	}
	mem = malloc((nr_subvols ? nr_subvols : 1) * sizeof(*mem));
	if (!mem)
		return -ENOMEM;
	for (uint32_t i = 0; i < nr && !ret; i++) {
		uint32_t n, id;
		uint64_t bytes;

		/* members are distinct subvolume indices: never more than those */
		ret = get(r, &n, sizeof(n));
		if (!ret && n > nr_subvols) {
			*why = N_("a set with more members than subvolumes");
			ret = -EINVAL;
		}
		if (!ret)
			ret = get(r, mem, n * sizeof(*mem));
		if (!ret)
			ret = get(r, &bytes, sizeof(bytes));
		for (uint32_t j = 0; !ret && j < n; j++)
			if ((j && mem[j - 1] >= mem[j]) || mem[j] >= nr_subvols)
				ret = -EINVAL;
		if (!ret && i)
			ret = offline_sets_intern(s, mem, n, &id);
		else if (!ret)
			id = n ? UINT32_MAX : 0;	/* set 0 is the empty set */
		if (!ret && id != i) {
			*why = N_("sets out of order");
			ret = -EINVAL;
		}
		if (!ret)
			s->bytes[i] = bytes;
	}
	free(mem);
	return ret;
}

/* check the header and the checksum of the content; leaves @f after the header */
static int verify(FILE *f, uint64_t size, const char **why)
{
	char magic[8], buf[65536];
	uint64_t head[2], left;
	XXH64_state_t *h;
	int ret = 0;

	if (size < CK_HEADER || fread(magic, 1, 8, f) != 8 || fread(head, 1, 16, f) != 16) {
		*why = N_("truncated (shorter than its header)");
		return -EINVAL;
	}
	if (memcmp(magic, CK_MAGIC, 8)) {
		*why = memcmp(magic, CK_MAGIC_OLD, 7) ? N_("not a qgtop checkpoint")
						      : N_("written by another qgtop version");
		return -EINVAL;
	}
	if (head[0] != size - CK_HEADER) {
		*why = head[0] > size - CK_HEADER ? N_("truncated")
						  : N_("longer than its header says");
		return -EINVAL;
	}
	h = XXH64_createState();
	if (!h)
		return -ENOMEM;
	XXH64_reset(h, 0);
	for (left = head[0]; left && !ret; ) {
		size_t n = left < sizeof(buf) ? (size_t)left : sizeof(buf);

		if (fread(buf, 1, n, f) != n) {
			*why = ferror(f) ? N_("read error") : N_("truncated");
			ret = -EINVAL;
			break;
		}
		XXH64_update(h, buf, n);
		left -= n;
	}
	if (!ret && XXH64_digest(h) != head[1]) {
		*why = N_("checksum mismatch (corrupt)");
		ret = -EINVAL;
	}
	XXH64_freeState(h);
	if (!ret && fseek(f, CK_HEADER, SEEK_SET)) {
		*why = N_("read error");
		ret = -EINVAL;
	}
	return ret;
}

static int load(FILE *f, uint64_t size, struct offline_scan *scan, const char **why)
{
	const struct offline_super *sb = &scan->fs->sb;
	struct ck_reader r = { f, size - CK_HEADER };
	uint64_t hdr[5];
	uint8_t fsid[16];
	int ret;

	ret = verify(f, size, why);
	if (ret)
		return ret;
	if (get(&r, fsid, 16) || get(&r, hdr, sizeof(hdr)))
		return -EINVAL;
	if (memcmp(fsid, sb->fsid, 16)) {
		*why = N_("of another filesystem");
		return -EINVAL;
	}
	if (hdr[0] != sb->generation) {
		*why = N_("of another generation of this filesystem (it changed since)");
		return -EINVAL;
	}
	if (hdr[1] != sb->nodesize || hdr[2] >= OFFLINE_MAX_LEVEL) {
		*why = N_("does not match this filesystem");
		return -EINVAL;
	}
	ret = load_sets(&r, scan, why);
	if (!ret)
		ret = load_bmap(&r, &scan->data, scan->sets.nr, why);
	for (int l = 0; !ret && l < OFFLINE_MAX_LEVEL; l++)
		ret = load_bmap(&r, &scan->levels[l], scan->sets.nr, why);
	if (ret)
		return ret;
	if (r.left) {
		*why = N_("bytes after the end of the state");
		return -EINVAL;
	}
	scan->fs->bytes_read = hdr[4];
	scan->level = (int)hdr[2];
	scan->index = hdr[3];
	return 0;
}

/* open @path for reading if it is a regular file of ours (or root's) */
static FILE *open_ck(const char *path, uint64_t *size, int *err, const char **why)
{
	struct stat st;
	FILE *f;
	int fd;

	*err = 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*err = -errno;
		return NULL;
	}
	if (fstat(fd, &st)) {
		*err = -errno;
	} else if (!S_ISREG(st.st_mode)) {
		*why = N_("not a regular file");
		*err = -EINVAL;
	} else if (st.st_uid != geteuid() && st.st_uid != 0) {
		*why = N_("owned by another user");
		*err = -EINVAL;
	}
	if (*err) {
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		*err = -errno;
		close(fd);
		return NULL;
	}
	*size = (uint64_t)st.st_size;
	return f;
}

int offline_checkpoint_open(const char *path, struct offline_scan *scan, unsigned interval,
			    offline_warn_cb warn_cb, void *warn_ctx, struct offline_checkpoint **out)
{
	struct offline_checkpoint *ck = calloc(1, sizeof(*ck));
	const char *why = NULL;
	char msg[1024];
	uint64_t size = 0;
	FILE *f;
	int ret = 0;

	*out = NULL;
	if (!ck)
		return -ENOMEM;
	ck->path = strdup(path);
	ck->last = time(NULL);
	ck->interval = interval;
	ck->warn = warn_cb;
	ck->warn_ctx = warn_ctx;
	if (!ck->path) {
		free(ck);
		return -ENOMEM;
	}
	f = open_ck(path, &size, &ret, &why);
	if (f) {
		ret = load(f, size, scan, &why);
		fclose(f);
	} else if (ret == -ENOENT) {
		ret = 0;	/* a first run */
	}
	if (ret == -ENOMEM)
		goto out_fail;
	if (ret == -EINVAL && !why)
		why = N_("inconsistent content");
	if (ret) {
		/* anything else: say so once, forget what was loaded, start over */
		if (why)
			snprintf(msg, sizeof(msg), _("ignoring checkpoint %s: %s; the scan starts "
						     "over"), path, _(why));
		else
			snprintf(msg, sizeof(msg), _("ignoring checkpoint %s: %s; the scan starts "
						     "over"), path, strerror(-ret));
		warn(ck, msg);
		/* back to the state before load(): empty maps, only the empty set */
		scan->fs->bytes_read = 0;
		ret = offline_scan_reset(scan);
		if (ret)
			goto out_fail;
	}
	*out = ck;
	return 0;

out_fail:
	offline_checkpoint_close(ck);
	return ret;
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
