// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake-btrfs.c - see fake-btrfs.h. Misuse of the fake (a duplicate key, a
 * full table, a request it cannot model) fails the running test through
 * cmocka rather than answering something made up.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <linux/fs.h>
#include <linux/btrfs_tree.h>
#include <linux/magic.h>
#include <cmocka.h>

#include "fake-btrfs.h"
#include "le.h"
#include "live-rescan.h"

struct fake_btrfs fake_btrfs;

/* tree items: one sorted array per tree; raw bodies are owned (malloc'ed) */
struct tree {
	uint64_t id;
	struct fake_search_item *items;
	size_t nr, cap;
};

#define MAX_TREES 8
static struct tree trees[MAX_TREES];
static size_t nr_trees;

struct extent_roots {
	uint64_t bytenr;
	unsigned roots;
};

static struct extent_roots *extents;
static size_t nr_extents, cap_extents;

#define MAX_FILES 32
static struct {
	char rel[64];
	char text[64];
} files[MAX_FILES];
static size_t nr_files;

#define MAX_SUBVOLS 16
static struct {
	uint64_t id;
	char path[128];
} subvols[MAX_SUBVOLS];
static size_t nr_subvols;

static void free_tables(void)
{
	for (size_t t = 0; t < nr_trees; t++) {
		for (size_t i = 0; i < trees[t].nr; i++)
			free((void *)trees[t].items[i].raw);
		free(trees[t].items);
	}
	memset(trees, 0, sizeof(trees));
	nr_trees = 0;
	free(extents);
	extents = NULL;
	nr_extents = cap_extents = 0;
	nr_files = 0;
	nr_subvols = 0;
}

void fake_btrfs_start(void)
{
	/* live_fs_open() calls fstatvfs() on our descriptor, outside
	 * btrfs_ops: it must not be a real file of the test */
	assert_int_equal(fcntl(FAKE_BTRFS_FD, F_GETFD), -1);
	free_tables();
	memset(&fake_btrfs, 0, sizeof(fake_btrfs));
	for (int i = 0; i < 16; i++)
		fake_btrfs.fsid[i] = (uint8_t)(0x10 + i);
	fake_btrfs.nodesize = 16384;
	fake_btrfs.sectorsize = 4096;
	fake_btrfs.fs_type = BTRFS_SUPER_MAGIC;
	fake_btrfs.mode = "qgroup";
	btrfs_ops_set(&fake_btrfs_ops);
	live_rescan_set_mount_fn(fake_btrfs_mount);
}

void fake_btrfs_stop(void)
{
	btrfs_ops_set(NULL);
	live_rescan_set_mount_fn(NULL);
	free_tables();
}

static void format_uuid(char *buf, size_t len)
{
	const uint8_t *u = fake_btrfs.fsid;

	snprintf(buf, len,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

struct live_fs fake_btrfs_fs(void)
{
	struct live_fs fs;

	memset(&fs, 0, sizeof(fs));
	fs.fd = FAKE_BTRFS_FD;
	format_uuid(fs.uuid, sizeof(fs.uuid));
	snprintf(fs.sysfs, sizeof(fs.sysfs), "/sys/fs/btrfs/%s", fs.uuid);
	fs.nodesize = fake_btrfs.nodesize;
	fs.sectorsize = fake_btrfs.sectorsize;
	return fs;
}

/* ---- tables ---- */

static struct tree *find_tree(uint64_t id, bool create)
{
	for (size_t t = 0; t < nr_trees; t++)
		if (trees[t].id == id)
			return &trees[t];
	if (!create)
		return NULL;
	assert_true(nr_trees < MAX_TREES);
	trees[nr_trees].id = id;
	return &trees[nr_trees++];
}

static void insert_item(uint64_t tree, const struct fake_search_item *item)
{
	struct tree *t = find_tree(tree, true);
	size_t pos = t->nr;

	if (t->nr == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->items = realloc(t->items, t->cap * sizeof(*t->items));
		assert_non_null(t->items);
	}
	/* tests mostly add in key order: look from the end */
	while (pos > 0 && fake_search_key_cmp(&t->items[pos - 1], item) > 0)
		pos--;
	/* a tree holds one item per key */
	assert_false(pos > 0 && fake_search_key_cmp(&t->items[pos - 1], item) == 0);
	memmove(&t->items[pos + 1], &t->items[pos], (t->nr - pos) * sizeof(*t->items));
	t->items[pos] = *item;
	if (item->raw) {
		uint8_t *raw = malloc(item->len ? item->len : 1);

		assert_non_null(raw);
		memcpy(raw, item->raw, item->len);
		t->items[pos].raw = raw;
	} else {
		assert_true(item->len <= sizeof(item->v));
	}
	t->nr++;
}

void fake_btrfs_add_item(uint64_t tree, uint64_t objectid, uint8_t type, uint64_t offset,
			 const uint64_t *words, unsigned nr_words)
{
	struct fake_search_item it = { .objectid = objectid, .type = type, .offset = offset };

	assert_true(nr_words <= 5);
	for (unsigned i = 0; i < nr_words; i++)
		it.v[i] = words[i];
	it.len = 8 * nr_words;
	insert_item(tree, &it);
}

void fake_btrfs_add_relation(uint64_t child, uint64_t parent)
{
	fake_btrfs_add_item(FAKE_BTRFS_QUOTA_TREE, child, BTRFS_QGROUP_RELATION_KEY, parent,
			    NULL, 0);
	fake_btrfs_add_item(FAKE_BTRFS_QUOTA_TREE, parent, BTRFS_QGROUP_RELATION_KEY, child,
			    NULL, 0);
}

int fake_btrfs_del_item(uint64_t tree, uint64_t objectid, uint8_t type, uint64_t offset)
{
	struct tree *t = find_tree(tree, false);
	struct fake_search_item key = { .objectid = objectid, .type = type, .offset = offset };

	for (size_t i = 0; t && i < t->nr; i++) {
		if (fake_search_key_cmp(&t->items[i], &key))
			continue;
		free((void *)t->items[i].raw);
		memmove(&t->items[i], &t->items[i + 1], (t->nr - i - 1) * sizeof(*t->items));
		t->nr--;
		return 0;
	}
	return -ENOENT;
}

void fake_btrfs_add_extent(uint64_t bytenr, uint8_t type, uint64_t flags, uint64_t owner,
			   unsigned roots)
{
	/* btrfs_extent_item, btrfs_tree_block_info, one inline ref */
	uint8_t body[24 + 18 + 9];
	struct fake_search_item it = { .objectid = bytenr, .type = type, .raw = body };

	assert_true(type == BTRFS_EXTENT_ITEM_KEY || type == BTRFS_METADATA_ITEM_KEY);
	it.offset = type == BTRFS_EXTENT_ITEM_KEY ? 4096 : 0;
	memset(body, 0, sizeof(body));
	put_le64(body, (flags & BTRFS_EXTENT_FLAG_TREE_BLOCK) && roots > 1 ? roots : 1);
	put_le64(body + 8, 7);
	put_le64(body + 16, flags);
	it.len = 24;
	if (flags & BTRFS_EXTENT_FLAG_TREE_BLOCK) {
		if (type == BTRFS_EXTENT_ITEM_KEY)
			it.len += 18;
		body[it.len] = BTRFS_TREE_BLOCK_REF_KEY;
		put_le64(body + it.len + 1, owner);
		it.len += 9;
	}
	insert_item(FAKE_BTRFS_EXTENT_TREE, &it);
	if (nr_extents == cap_extents) {
		cap_extents = cap_extents ? 2 * cap_extents : 64;
		extents = realloc(extents, cap_extents * sizeof(*extents));
		assert_non_null(extents);
	}
	extents[nr_extents++] = (struct extent_roots){ bytenr, roots };
}

void fake_btrfs_add_data_ref(uint64_t bytenr, uint64_t root, uint64_t ino, uint64_t offset)
{
	/* btrfs_extent_item, one inline EXTENT_DATA_REF */
	uint8_t body[24 + 1 + 28];
	struct fake_search_item it = { .objectid = bytenr, .type = BTRFS_EXTENT_ITEM_KEY,
				       .offset = 4096, .raw = body, .len = sizeof(body) };

	memset(body, 0, sizeof(body));
	put_le64(body, 1);
	put_le64(body + 8, 7);
	put_le64(body + 16, BTRFS_EXTENT_FLAG_DATA);
	body[24] = BTRFS_EXTENT_DATA_REF_KEY;
	put_le64(body + 25, root);
	put_le64(body + 33, ino);
	put_le64(body + 41, offset);
	put_le32(body + 49, 1);
	insert_item(FAKE_BTRFS_EXTENT_TREE, &it);
	fake_btrfs_add_item(root, ino, BTRFS_EXTENT_DATA_KEY, offset, NULL, 0);
}

static bool under_qgroups(const char *rel)
{
	return !strncmp(rel, "qgroups", 7) && (rel[7] == '/' || rel[7] == '\0');
}

void fake_btrfs_sysfs(const char *rel, const char *text)
{
	size_t i;

	assert_true(strcmp(rel, "qgroups/mode") && strcmp(rel, "qgroups/enabled") &&
		    strcmp(rel, "qgroups/inconsistent"));
	for (i = 0; i < nr_files; i++)
		if (!strcmp(files[i].rel, rel))
			break;
	if (!text) {
		if (i < nr_files)
			files[i] = files[--nr_files];
		return;
	}
	if (i == nr_files) {
		assert_true(nr_files < MAX_FILES);
		assert_true(strlen(rel) < sizeof(files[i].rel));
		strcpy(files[i].rel, rel);
		nr_files++;
	}
	assert_true(strlen(text) < sizeof(files[i].text));
	strcpy(files[i].text, text);
}

void fake_btrfs_subvol(uint64_t id, const char *path)
{
	assert_true(nr_subvols < MAX_SUBVOLS);
	assert_true(strlen(path) < sizeof(subvols[0].path));
	subvols[nr_subvols].id = id;
	strcpy(subvols[nr_subvols].path, path);
	nr_subvols++;
}

/* the text of sysfs file @rel, or NULL when it does not exist */
static const char *sysfs_text(const char *rel)
{
	if (under_qgroups(rel) && !fake_btrfs.mode)
		return NULL;
	if (!strcmp(rel, "qgroups/mode"))
		return fake_btrfs.mode;
	if (!strcmp(rel, "qgroups/enabled"))
		return "1";
	if (!strcmp(rel, "qgroups/inconsistent"))
		return fake_btrfs.inconsistent ? "1" : "0";
	for (size_t i = 0; i < nr_files; i++)
		if (!strcmp(files[i].rel, rel))
			return files[i].text;
	return NULL;
}

/* @path relative to the filesystem's sysfs directory, or NULL */
static const char *sysfs_rel(const char *path)
{
	char dir[80];
	size_t n;

	n = (size_t)snprintf(dir, sizeof(dir), "/sys/fs/btrfs/");
	format_uuid(dir + n, sizeof(dir) - n);
	n = strlen(dir);
	if (strncmp(path, dir, n) || path[n] != '/')
		return NULL;
	return path + n + 1;
}

/* ---- the log ---- */

static void log_change(unsigned long req, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	assert_true(fake_btrfs.nr_log < FAKE_BTRFS_MAX_LOG);
	fake_btrfs.log[fake_btrfs.nr_log++] = (struct fake_btrfs_call){ req, a, b, c, d };
}

void fake_btrfs_log_clear(void)
{
	fake_btrfs.nr_log = 0;
}

int fake_btrfs_count(unsigned long req)
{
	int n = 0;

	for (int i = 0; i < fake_btrfs.nr_log; i++)
		n += fake_btrfs.log[i].req == req;
	return n;
}

const struct fake_btrfs_call *fake_btrfs_call(unsigned long req, int nth)
{
	for (int i = 0; i < fake_btrfs.nr_log; i++)
		if (fake_btrfs.log[i].req == req && nth-- == 0)
			return &fake_btrfs.log[i];
	return NULL;
}

const struct fake_btrfs_call *fake_btrfs_find(unsigned long req, uint64_t id, uint64_t arg)
{
	for (int i = 0; i < fake_btrfs.nr_log; i++) {
		const struct fake_btrfs_call *c = &fake_btrfs.log[i];

		if (c->req != req)
			continue;
		if (req == BTRFS_IOC_QGROUP_CREATE && c->b == id)
			return c;
		if (req == BTRFS_IOC_QGROUP_ASSIGN && c->b == id && c->c == arg)
			return c;
		if (req == BTRFS_IOC_QGROUP_LIMIT && c->a == id && (!arg || c->b == arg))
			return c;
	}
	return NULL;
}

/* ---- answering ---- */

/* count a call; then the injected failure for it, or 0 to go on */
static int enter(enum fake_btrfs_kind kind, uint64_t id, uint64_t parent)
{
	unsigned nth = ++fake_btrfs.calls[kind];

	for (int i = 0; i < FAKE_BTRFS_MAX_FAULTS; i++) {
		const struct fake_btrfs_fault *f = &fake_btrfs.faults[i];

		if (f->kind != kind || (f->nth && f->nth != nth) || (f->id && f->id != id) ||
		    (f->parent && f->parent != parent))
			continue;
		assert_true(f->err < 0);
		return f->err;
	}
	return fake_btrfs.ret[kind] < 0 ? fake_btrfs.ret[kind] : 0;
}

static int fake_open(const char *path, int flags)
{
	int ret = enter(FAKE_BTRFS_OPEN, 0, 0);

	(void)path;
	(void)flags;
	if (ret < 0)
		return ret;
	fake_btrfs.open_fds++;
	return FAKE_BTRFS_FD;
}

static int fake_close(int fd)
{
	assert_int_equal(fd, FAKE_BTRFS_FD);
	fake_btrfs.open_fds--;
	return 0;
}

static int fake_fstatfs(int fd, struct statfs *st)
{
	int ret;

	assert_int_equal(fd, FAKE_BTRFS_FD);
	ret = enter(FAKE_BTRFS_FSTATFS, 0, 0);
	if (ret < 0)
		return ret;
	memset(st, 0, sizeof(*st));
	st->f_type = fake_btrfs.fs_type;
	st->f_bsize = fake_btrfs.sectorsize;
	st->f_flags = fake_btrfs.read_only ? ST_RDONLY : 0;
	return 0;
}

static ssize_t fake_read_text(const char *path, char *buf, size_t len)
{
	const char *rel = sysfs_rel(path), *text;
	int ret = enter(FAKE_BTRFS_READ_TEXT, 0, 0);

	if (ret < 0)
		return ret;
	if (len == 0)
		return -EINVAL;
	text = rel ? sysfs_text(rel) : NULL;
	if (!text)
		return -ENOENT;
	snprintf(buf, len, "%s", text);
	return (ssize_t)strlen(buf);
}

static int fake_write_text(const char *path, const char *text)
{
	const char *rel = sysfs_rel(path);
	int ret;

	if (rel) {
		struct fake_btrfs_write *w;

		assert_true(fake_btrfs.nr_writes < FAKE_BTRFS_MAX_WRITES);
		w = &fake_btrfs.writes[fake_btrfs.nr_writes];
		snprintf(w->rel, sizeof(w->rel), "%s", rel);
		snprintf(w->text, sizeof(w->text), "%s", text);
		fake_btrfs.nr_writes++;
	}
	ret = enter(FAKE_BTRFS_WRITE_TEXT, 0, 0);
	if (ret < 0)
		return ret;
	if (!rel || !sysfs_text(rel))
		return -ENOENT;
	return 0;
}

static int fake_subvolume_path(int fd, uint64_t id, char **path)
{
	int ret;

	assert_int_equal(fd, FAKE_BTRFS_FD);
	ret = enter(FAKE_BTRFS_SUBVOLUME_PATH, id, 0);
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < nr_subvols; i++) {
		if (subvols[i].id != id)
			continue;
		*path = strdup(subvols[i].path);
		return *path ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

int fake_btrfs_mount(const char *source, const char *target, const char *type,
		     unsigned long flags, const void *data)
{
	int ret;

	(void)source;
	(void)type;
	(void)data;
	snprintf(fake_btrfs.mount_target, sizeof(fake_btrfs.mount_target), "%s",
		 target ? target : "");
	fake_btrfs.mount_flags = flags;
	ret = enter(FAKE_BTRFS_MOUNT, 0, 0);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

static int search(struct btrfs_ioctl_search_args_v2 *a)
{
	struct tree *t;

	if (a->key.tree_id == FAKE_BTRFS_QUOTA_TREE && !fake_btrfs.mode)
		return -ENOENT;
	t = find_tree(a->key.tree_id, false);
	if (!t) {
		/* a tree that exists but holds nothing we were given */
		a->key.nr_items = 0;
		return 0;
	}
	return fake_search_serve(a, t->items, t->nr, fake_btrfs.search_max_items);
}

static int logical_ino(struct btrfs_ioctl_logical_ino_args *a)
{
	struct btrfs_data_container *dc = (void *)(uintptr_t)a->inodes;
	size_t room;

	/* without IGNORE_OFFSET the kernel matches the offset within the
	 * extent, which the fake has no notion of */
	assert_int_equal(a->flags, BTRFS_LOGICAL_INO_ARGS_IGNORE_OFFSET);
	assert_true(a->size >= sizeof(*dc));
	for (size_t i = 0; i < nr_extents; i++) {
		if (extents[i].bytenr != a->logical)
			continue;
		room = (a->size - sizeof(*dc)) / sizeof(uint64_t);
		memset(dc, 0, sizeof(*dc));
		/* inode, offset, root: each root through inodes 257 and 258 */
		for (unsigned r = 0; r < extents[i].roots; r++) {
			for (int k = 0; k < 2; k++) {
				if (dc->elem_cnt + 3 > room) {
					dc->elem_missed += 3;
					dc->bytes_missing += 3 * sizeof(uint64_t);
					continue;
				}
				dc->val[dc->elem_cnt++] = 257 + k;
				dc->val[dc->elem_cnt++] = 0;
				dc->val[dc->elem_cnt++] = 256 + r;
			}
		}
		dc->bytes_left = (uint32_t)((room - dc->elem_cnt) * sizeof(uint64_t));
		return 0;
	}
	return -ENOENT;
}

static enum fake_btrfs_kind kind_of(unsigned long req, const void *arg)
{
	switch (req) {
	case BTRFS_IOC_FS_INFO:
		return FAKE_BTRFS_FS_INFO;
	case BTRFS_IOC_GET_FSLABEL:
		return FAKE_BTRFS_GET_FSLABEL;
	case BTRFS_IOC_SYNC:
		return FAKE_BTRFS_SYNC;
	case BTRFS_IOC_TREE_SEARCH_V2:
		return FAKE_BTRFS_TREE_SEARCH;
	case BTRFS_IOC_LOGICAL_INO_V2:
		return FAKE_BTRFS_LOGICAL_INO;
	case BTRFS_IOC_QUOTA_CTL:
		return FAKE_BTRFS_QUOTA_CTL;
	case BTRFS_IOC_QGROUP_CREATE:
		return ((const struct btrfs_ioctl_qgroup_create_args *)arg)->create ?
		       FAKE_BTRFS_QGROUP_CREATE : FAKE_BTRFS_QGROUP_DESTROY;
	case BTRFS_IOC_QGROUP_ASSIGN:
		return FAKE_BTRFS_QGROUP_ASSIGN;
	case BTRFS_IOC_QGROUP_LIMIT:
		return FAKE_BTRFS_QGROUP_LIMIT;
	case BTRFS_IOC_QUOTA_RESCAN:
		return FAKE_BTRFS_RESCAN;
	case BTRFS_IOC_QUOTA_RESCAN_STATUS:
		return FAKE_BTRFS_RESCAN_STATUS;
	case BTRFS_IOC_QUOTA_RESCAN_WAIT:
		return FAKE_BTRFS_RESCAN_WAIT;
	default:
		return FAKE_BTRFS_OTHER_IOCTL;
	}
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	enum fake_btrfs_kind kind = kind_of(req, arg);
	uint64_t id = 0, parent = 0;
	int ret;

	assert_int_equal(fd, FAKE_BTRFS_FD);
	/* the changes, logged whatever they return */
	switch (kind) {
	case FAKE_BTRFS_QUOTA_CTL: {
		const struct btrfs_ioctl_quota_ctl_args *a = arg;

		log_change(req, a->cmd, 0, 0, 0);
		break;
	}
	case FAKE_BTRFS_QGROUP_CREATE:
	case FAKE_BTRFS_QGROUP_DESTROY: {
		const struct btrfs_ioctl_qgroup_create_args *a = arg;

		log_change(req, a->create, a->qgroupid, 0, 0);
		id = a->qgroupid;
		break;
	}
	case FAKE_BTRFS_QGROUP_ASSIGN: {
		const struct btrfs_ioctl_qgroup_assign_args *a = arg;

		log_change(req, a->assign, a->src, a->dst, 0);
		id = a->src;
		parent = a->dst;
		break;
	}
	case FAKE_BTRFS_QGROUP_LIMIT: {
		const struct btrfs_ioctl_qgroup_limit_args *a = arg;

		log_change(req, a->qgroupid, a->lim.flags, a->lim.max_rfer, a->lim.max_excl);
		id = a->qgroupid;
		break;
	}
	case FAKE_BTRFS_RESCAN: {
		const struct btrfs_ioctl_quota_rescan_args *a = arg;

		log_change(req, a->flags, 0, 0, 0);
		break;
	}
	case FAKE_BTRFS_LOGICAL_INO:
		id = ((const struct btrfs_ioctl_logical_ino_args *)arg)->logical;
		break;
	case FAKE_BTRFS_TREE_SEARCH:
		if (fake_btrfs.search_delay_ms) {
			unsigned ms = fake_btrfs.search_delay_ms;
			struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

			nanosleep(&ts, NULL);
		}
		break;
	default:
		break;
	}
	if (fake_btrfs.on_ioctl)
		fake_btrfs.on_ioctl(req, arg);
	ret = enter(kind, id, parent);
	if (ret < 0)
		return ret;

	switch (kind) {
	case FAKE_BTRFS_FS_INFO: {
		struct btrfs_ioctl_fs_info_args *fi = arg;

		memcpy(fi->fsid, fake_btrfs.fsid, sizeof(fi->fsid));
		fi->nodesize = fake_btrfs.nodesize;
		fi->sectorsize = fake_btrfs.sectorsize;
		fi->clone_alignment = fake_btrfs.sectorsize;
		fi->num_devices = 1;
		fi->max_id = 1;
		break;
	}
	case FAKE_BTRFS_GET_FSLABEL: {
		size_t n = strnlen(fake_btrfs.label, BTRFS_LABEL_SIZE - 1);

		memcpy(arg, fake_btrfs.label, n);
		((char *)arg)[n] = '\0';
		break;
	}
	case FAKE_BTRFS_TREE_SEARCH:
		ret = search(arg);
		if (ret < 0)
			return ret;
		break;
	case FAKE_BTRFS_LOGICAL_INO:
		ret = logical_ino(arg);
		if (ret < 0)
			return ret;
		break;
	case FAKE_BTRFS_RESCAN:
		/* no flags are defined: the kernel refuses any */
		if (((const struct btrfs_ioctl_quota_rescan_args *)arg)->flags)
			return -EINVAL;
		break;
	case FAKE_BTRFS_RESCAN_STATUS: {
		struct btrfs_ioctl_quota_rescan_args *rs = arg;

		rs->flags = fake_btrfs.rescan_flags;
		rs->progress = fake_btrfs.rescan_progress;
		break;
	}
	case FAKE_BTRFS_OTHER_IOCTL:
		return -ENOTTY;
	default:
		break;
	}
	/* done: what the test chose a successful call returns */
	return fake_btrfs.ret[kind];
}

const struct btrfs_ops fake_btrfs_ops = {
	.open = fake_open,
	.close = fake_close,
	.ioctl = fake_ioctl,
	.fstatfs = fake_fstatfs,
	.read_text = fake_read_text,
	.write_text = fake_write_text,
	.subvolume_path = fake_subvolume_path,
};
