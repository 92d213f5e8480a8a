// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * make-crafted-image.c - turn a fresh image file made by mkfs.btrfs (and
 * perhaps touched by the kernel through a loop mount) into a hostile image
 * for the offline reader's tests, with every checksum fixed, so that only
 * the tree structure is wrong:
 *
 *   make-crafted-image tower TREE IMAGE [LEVELS]
 *	TREE is root, chunk, quota or extent. Puts LEVELS (default 3) new
 *	interior nodes above the tree's root block; every slot of each new
 *	node has a larger key than the one before and all point at the same
 *	child, so a walk that trusts the pointers visits the old root
 *	(slots per node)^LEVELS times. The nodes go to free space of the
 *	chunk that holds the old root (after the last tree block the extent
 *	tree records there), every mirror copy written; the superblock (root
 *	and chunk tree) or the root item (quota and extent tree) is repointed.
 *
 *   make-crafted-image inode-ref IMAGE ROOT INO PARENT
 *	Rewrites the INODE_REF of inode INO in subvolume tree ROOT to name
 *	PARENT as its parent directory (a self- or mutual reference when
 *	PARENT is INO or a directory below it); parent node keys follow when
 *	the item is the first of its leaf.
 *
 * Works on the file through a shared mapping and uses the offline reader
 * (libqgtop.a) for the chunk map, verified block reads and checksums.
 * Exit 0 done, 1 failed (reason on stderr), 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "le.h"
#include "offline/offline-csum.h"
#include "offline/offline-fs.h"
#include "offline/offline-tree.h"

#define ROOT_ITEM_KEY 132
#define INODE_REF_KEY 12
#define EXTENT_ITEM_KEY 168
#define METADATA_ITEM_KEY 169
#define SUPER_COPIES 3

static uint8_t *img;
static size_t img_size;
static struct offline_fs fs;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("make-crafted-image: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void put_key(uint8_t *p, const struct offline_key *k)
{
	put_le64(p, k->objectid);
	p[8] = k->type;
	put_le64(p + 9, k->offset);
}

static void read_block(uint64_t bytenr, uint64_t tree, uint8_t *buf)
{
	if (offline_block_read(&fs, bytenr, -1, 0, tree, buf))
		die("%s", fs.err);
}

/* checksum tree block @buf and copy it to every mirror of @bytenr */
static void write_block(uint64_t bytenr, uint8_t *buf)
{
	struct offline_loc locs[OFFLINE_MAX_MIRRORS];
	const struct offline_chunk *c = offline_chunk_lookup(&fs.map, bytenr);
	uint32_t ns = fs.sb.nodesize;
	int n;

	if (!c || (n = offline_chunk_locate(c, bytenr, ns, locs)) < 1)
		die("block %" PRIu64 " is not mapped", bytenr);
	if (offline_csum_compute(fs.sb.csum_type, buf + 32, ns - 32, buf))
		die("checksum type %u", fs.sb.csum_type);
	for (int i = 0; i < n; i++) {
		if (locs[i].devid != fs.sb.devid || locs[i].physical + ns > img_size)
			die("block %" PRIu64 " copy %d is not in this image", bytenr, i);
		memcpy(img + locs[i].physical, buf, ns);
	}
}

/* apply @fn to every valid superblock copy, then re-sign it */
static void patch_supers(void (*fn)(uint8_t *sb, void *ctx), void *ctx)
{
	static const uint64_t offs[SUPER_COPIES] = { 65536, 64ULL << 20, 256ULL << 30 };
	int done = 0;

	for (int i = 0; i < SUPER_COPIES; i++) {
		uint8_t *sb = img + offs[i];

		if (offs[i] + OFFLINE_SUPER_SIZE > img_size ||
		    offline_csum_verify(fs.sb.csum_type, sb, OFFLINE_SUPER_SIZE) != 1)
			continue;
		fn(sb, ctx);
		offline_csum_compute(fs.sb.csum_type, sb + 32, OFFLINE_SUPER_SIZE - 32, sb);
		done++;
	}
	if (!done)
		die("no valid superblock");
}

struct path {
	uint64_t bytenr[OFFLINE_MAX_LEVEL];
	uint32_t slot[OFFLINE_MAX_LEVEL];
};

/* descend from @bytenr to the leaf holding the first item >= @k; the leaf
 * is left in @leaf, the blocks and slots in @p */
static void descend(uint64_t tree, uint64_t bytenr, int level, const struct offline_key *k,
		    struct path *p, uint8_t *leaf)
{
	for (; level >= 0; level--) {
		uint32_t nr, slot = 0;

		read_block(bytenr, tree, leaf);
		nr = offline_block_nritems(leaf);
		for (uint32_t i = 0; i < nr; i++) {
			struct offline_key ik;

			offline_block_key(leaf, i, &ik);
			if (level ? offline_key_cmp(&ik, k) <= 0 : offline_key_cmp(&ik, k) < 0)
				slot = level ? i : i + 1;
		}
		p->bytenr[level] = bytenr;
		p->slot[level] = slot;
		if (level) {
			uint64_t gen;

			offline_node_ptr(leaf, slot, &bytenr, &gen);
		}
	}
}

struct root_loc {
	uint64_t leaf;		/* root tree leaf holding the root item */
	uint32_t slot;
	uint64_t bytenr, gen;
	uint8_t level;
};

static void find_root_item(uint64_t id, struct root_loc *r, uint8_t *leaf)
{
	struct offline_key k = { id, ROOT_ITEM_KEY, 0 }, ik;
	struct path p;
	const uint8_t *d;
	uint32_t size;

	descend(1, fs.sb.root, fs.sb.root_level, &k, &p, leaf);
	r->leaf = p.bytenr[0];
	r->slot = p.slot[0];
	if (r->slot >= offline_block_nritems(leaf))
		die("no root item for tree %" PRIu64, id);
	offline_block_key(leaf, r->slot, &ik);
	if (ik.objectid != id || ik.type != ROOT_ITEM_KEY)
		die("no root item for tree %" PRIu64 " (is quota enabled?)", id);
	d = offline_leaf_item(leaf, r->slot, &size);
	if (size < 239)
		die("root item %" PRIu64 " too short", id);
	r->gen = get_le64(d + 160);
	r->bytenr = get_le64(d + 176);
	r->level = d[238];
}

struct extent_end {
	const struct offline_chunk *c;
	uint64_t end;
};

static int extent_end_item(const struct offline_key *k, const uint8_t *data, uint32_t size,
			   void *ctx)
{
	struct extent_end *x = ctx;
	uint64_t len;

	(void)data;
	(void)size;
	if (k->type == METADATA_ITEM_KEY)
		len = fs.sb.nodesize;
	else if (k->type == EXTENT_ITEM_KEY)
		len = k->offset;
	else
		return 0;
	if (k->objectid >= x->c->logical && k->objectid < x->c->logical + x->c->length &&
	    k->objectid + len > x->end)
		x->end = k->objectid + len;
	return 0;
}

/* @n free node addresses in chunk @c: after the last extent recorded there */
static uint64_t free_space(const struct offline_chunk *c, int n, uint8_t *buf)
{
	struct extent_end x = { c, c->logical };
	struct root_loc r;
	uint32_t ns = fs.sb.nodesize;
	uint64_t start;

	find_root_item(2, &r, buf);
	if (offline_tree_walk(&fs, 2, r.bytenr, r.level, r.gen, NULL, NULL, extent_end_item, &x))
		die("%s", fs.err);
	start = (x.end + ns - 1) / ns * ns;
	if (start + (uint64_t)n * ns > c->logical + c->length)
		die("no room for %d blocks in the chunk at %" PRIu64, n, c->logical);
	return start;
}

struct super_root {
	bool chunk;
	uint64_t bytenr;
	uint8_t level;
};

static void repoint_super(uint8_t *sb, void *ctx)
{
	const struct super_root *s = ctx;

	put_le64(sb + (s->chunk ? 0x58 : 0x50), s->bytenr);
	sb[s->chunk ? 0xc7 : 0xc6] = s->level;
}

static int tower(const char *tree, int levels)
{
	uint32_t ns = fs.sb.nodesize, slots = (ns - OFFLINE_HEADER_SIZE) / OFFLINE_PTR_SIZE;
	uint64_t id, child, child_gen, gen, start, old_root;
	struct offline_key first;
	struct root_loc r = { 0 };
	uint8_t *buf = malloc(ns), *leaf = malloc(ns), hdr[OFFLINE_HEADER_SIZE];
	int level;

	if (!buf || !leaf)
		die("out of memory");
	if (!strcmp(tree, "root")) {
		id = 1;
		child = fs.sb.root;
		level = fs.sb.root_level;
		gen = fs.sb.generation;
	} else if (!strcmp(tree, "chunk")) {
		id = 3;
		child = fs.sb.chunk_root;
		level = fs.sb.chunk_root_level;
		gen = fs.sb.chunk_root_generation;
	} else if (!strcmp(tree, "quota") || !strcmp(tree, "extent")) {
		id = tree[0] == 'q' ? 8 : 2;
		find_root_item(id, &r, leaf);
		child = r.bytenr;
		level = r.level;
		gen = r.gen;
	} else {
		return 2;
	}
	if (level + levels >= OFFLINE_MAX_LEVEL)
		die("tree %s is %d levels high already", tree, level + 1);
	old_root = child;
	start = free_space(offline_chunk_lookup(&fs.map, child), levels, buf);
	read_block(child, id, buf);
	memcpy(hdr, buf, sizeof(hdr));
	offline_block_key(buf, 0, &first);
	child_gen = get_le64(buf + 80);
	for (int j = 1; j <= levels; j++) {
		uint64_t at = start + (uint64_t)(j - 1) * ns;

		memset(buf, 0, ns);
		memcpy(buf + 32, hdr + 32, 16);		/* fsid */
		put_le64(buf + 48, at);
		memcpy(buf + 56, hdr + 56, 8);		/* flags */
		memcpy(buf + 64, hdr + 64, 16);		/* chunk tree uuid */
		put_le64(buf + 80, gen);
		memcpy(buf + 88, hdr + 88, 8);		/* owner */
		put_le32(buf + 96, slots);
		buf[100] = (uint8_t)(level + j);
		for (uint32_t i = 0; i < slots; i++) {
			uint8_t *p = buf + OFFLINE_HEADER_SIZE + (size_t)i * OFFLINE_PTR_SIZE;
			struct offline_key k = first;

			k.offset += i;
			put_key(p, &k);
			put_le64(p + 17, child);
			put_le64(p + 25, child_gen);
		}
		write_block(at, buf);
		child = at;
		child_gen = gen;
	}
	if (id == 1 || id == 3) {
		struct super_root s = { id == 3, child, (uint8_t)(level + levels) };

		patch_supers(repoint_super, &s);
	} else {
		uint32_t size;
		uint8_t *d;

		read_block(r.leaf, 1, leaf);
		d = (uint8_t *)offline_leaf_item(leaf, r.slot, &size);
		put_le64(d + 176, child);
		d[238] = (uint8_t)(level + levels);
		write_block(r.leaf, leaf);
	}
	printf("%s tree: %d nodes of %u slots at %" PRIu64 "..%" PRIu64 " over block %" PRIu64
	       " (level %d)\n", tree, levels, slots, start, child, old_root, level);
	free(buf);
	free(leaf);
	return 0;
}

static int inode_ref(uint64_t root, uint64_t ino, uint64_t parent)
{
	uint32_t ns = fs.sb.nodesize;
	struct offline_key k = { ino, INODE_REF_KEY, 0 }, ik;
	struct root_loc r;
	struct path p;
	uint8_t *buf = malloc(ns);
	uint32_t nr;

	if (!buf)
		die("out of memory");
	find_root_item(root, &r, buf);
	descend(root, r.bytenr, r.level, &k, &p, buf);
	nr = offline_block_nritems(buf);
	if (p.slot[0] >= nr)
		die("the INODE_REF of %" PRIu64 " starts the next leaf", ino);
	offline_block_key(buf, p.slot[0], &ik);
	if (ik.objectid != ino || ik.type != INODE_REF_KEY)
		die("inode %" PRIu64 " has no INODE_REF in tree %" PRIu64, ino, root);
	k.offset = parent;
	if (p.slot[0] + 1 < nr) {
		struct offline_key next;

		offline_block_key(buf, p.slot[0] + 1, &next);
		if (offline_key_cmp(&k, &next) >= 0)
			die("inode %" PRIu64 " has more than one INODE_REF", ino);
	}
	put_key(buf + OFFLINE_HEADER_SIZE + (size_t)p.slot[0] * OFFLINE_ITEM_SIZE, &k);
	write_block(p.bytenr[0], buf);
	/* the first key of a block is its parent's slot key, up the path */
	for (int l = 1; l <= r.level && p.slot[l - 1] == 0; l++) {
		read_block(p.bytenr[l], root, buf);
		put_key(buf + OFFLINE_HEADER_SIZE + (size_t)p.slot[l] * OFFLINE_PTR_SIZE, &k);
		write_block(p.bytenr[l], buf);
	}
	printf("tree %" PRIu64 ": INODE_REF of %" PRIu64 " now names parent %" PRIu64
	       " (leaf %" PRIu64 ")\n", root, ino, parent, p.bytenr[0]);
	free(buf);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: make-crafted-image tower root|chunk|quota|extent IMAGE [LEVELS]\n"
			"       make-crafted-image inode-ref IMAGE ROOT INO PARENT\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *path;
	struct stat st;
	int fd, ret;

	if (argc >= 4 && !strcmp(argv[1], "tower"))
		path = argv[3];
	else if (argc == 6 && !strcmp(argv[1], "inode-ref"))
		path = argv[2];
	else
		return usage();
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode))
		die("%s: not a readable and writable image file", path);
	img_size = (size_t)st.st_size;
	img = mmap(NULL, img_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (img == MAP_FAILED)
		die("cannot map %s: %s", path, strerror(errno));
	if (offline_fs_open_mem(&fs, img, img_size, true))
		die("%s: %s", path, fs.err);
	if (argv[1][0] == 't')
		ret = tower(argv[2], argc > 4 ? atoi(argv[4]) : 3);
	else
		ret = inode_ref(strtoull(argv[3], NULL, 0), strtoull(argv[4], NULL, 0),
				strtoull(argv[5], NULL, 0));
	if (ret == 2)
		return usage();
	offline_fs_close(&fs);
	if (msync(img, img_size, MS_SYNC) || munmap(img, img_size) || fsync(fd) || close(fd))
		die("cannot write %s: %s", path, strerror(errno));
	return ret;
}
