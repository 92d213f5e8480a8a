// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-dev.c - reading the member devices of a btrfs filesystem: image
 * files and block devices through pread(), memory buffers for tests and
 * the fuzzer, and the choice among a device's superblock copies.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/fs.h>

#include "nls.h"
#include "offline-dev.h"
#include "offline-mounted.h"

/* where btrfs keeps the superblock copies: 64 KiB, 64 MiB, 256 GiB */
static const uint64_t super_offsets[] = { OFFLINE_SUPER_OFFSET, 64ULL << 20, 256ULL << 30 };

static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (uint8_t *)buf + done, len - done, (off_t)(off + done));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

/*
 * O_DIRECT wants aligned offsets, lengths and memory: read an aligned
 * window of OFFLINE_DIRECT_WINDOW bytes from the request on into the
 * bounce buffer and copy out. A scan reads a level's blocks in bytenr
 * order, and they lie close together: the next requests are often in the
 * window already, which saves a device round trip per block. What the
 * window holds is as old as the read that filled it, and every block is
 * verified against its parent whenever it was read.
 */
static int read_direct(struct offline_dev *d, void *buf, size_t len, uint64_t off)
{
	uint64_t a = d->direct_align;
	uint64_t start = off / a * a, end = (off + len + a - 1) / a * a;
	size_t span;
	int ret;

	if (end > d->size)
		return -EIO;
	if (d->win_len && off >= d->win_start && off + len <= d->win_start + d->win_len) {
		memcpy(buf, d->bounce + (off - d->win_start), len);
		return 0;
	}
	if (end - start < OFFLINE_DIRECT_WINDOW)
		end = start + OFFLINE_DIRECT_WINDOW < d->size ? start + OFFLINE_DIRECT_WINDOW
							     : d->size / a * a;
	span = (size_t)(end - start);
	if (span > d->bounce_cap) {
		void *nb;

		if (posix_memalign(&nb, d->direct_align > 4096 ? d->direct_align : 4096, span))
			return -ENOMEM;
		free(d->bounce);
		d->bounce = nb;
		d->bounce_cap = span;
	}
	d->win_len = 0;
	ret = pread_full(d->fd, d->bounce, span, start);
	if (ret)
		return ret;
	d->win_start = start;
	d->win_len = span;
	memcpy(buf, d->bounce + (off - start), len);
	return 0;
}

int offline_dev_read(struct offline_dev *d, void *buf, size_t len, uint64_t off)
{
	if (off > d->size || len > d->size - off)
		return -EIO;
	if (d->mem) {
		memcpy(buf, d->mem + off, len);
		return 0;
	}
	if (d->segs) {
		memset(buf, 0, len);
		for (size_t i = 0; i < d->nr_segs; i++) {
			const struct offline_seg *s = &d->segs[i];
			uint64_t a = s->off > off ? s->off : off;
			uint64_t b = s->off + s->len < off + len ? s->off + s->len : off + len;

			if (a < b)
				memcpy((uint8_t *)buf + (a - off), s->data + (a - s->off), b - a);
		}
		return 0;
	}
	if (d->direct_align)
		return read_direct(d, buf, len, off);
	return pread_full(d->fd, buf, len, off);
}

/*
 * The primary copy when it is valid (as the kernel mounts), else the valid
 * backup with the highest generation. -ENOSYS: the checksum library failed,
 * which is no copy's fault.
 */
static int read_super(struct offline_dev *d, size_t nr_copies, bool verify_csum, char *why,
		      size_t whylen)
{
	uint8_t buf[OFFLINE_SUPER_SIZE];
	struct offline_super cand;
	char first_why[160] = "";
	bool found = false;
	int ret;

	for (size_t i = 0; i < nr_copies; i++) {
		char w[160];

		if (super_offsets[i] + sizeof(buf) > d->size) {
			if (i == 0)
				snprintf(first_why, sizeof(first_why), "%s",
					 _("too small for a btrfs superblock"));
			break;
		}
		ret = offline_dev_read(d, buf, sizeof(buf), super_offsets[i]);
		if (ret)
			return ret;
		ret = offline_super_parse(buf, super_offsets[i], verify_csum, &cand, w, sizeof(w));
		if (ret == -ENOSYS) {
			snprintf(why, whylen, "%s", w);
			return ret;
		}
		if (ret) {
			if (i == 0)
				snprintf(first_why, sizeof(first_why), "%s", w);
			continue;
		}
		if (i == 0) {
			d->sb = cand;
			return 0;
		}
		if (!found || cand.generation > d->sb.generation)
			d->sb = cand;
		found = true;
	}
	if (found)
		return 0;
	snprintf(why, whylen, "%s", first_why[0] ? first_why : _("no valid superblock"));
	return -EINVAL;
}

int offline_dev_open_path(struct offline_dev *d, const char *path, struct stat *st,
			  bool verify_csum, char *err, size_t errlen)
{
	char why[160];
	int ret;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	d->path = strdup(path);
	if (!d->path)
		return -ENOMEM;
	ret = offline_mounted_open(path, st, err, errlen);
	if (ret < 0)
		return ret;
	d->fd = ret;
	if (S_ISBLK(st->st_mode)) {
		uint64_t sz;

		if (ioctl(d->fd, BLKGETSIZE64, &sz)) {
			ret = -errno;
			snprintf(err, errlen, _("cannot size %s: %s"), path, strerror(errno));
			return ret;
		}
		d->size = sz;
	} else {
		d->size = (uint64_t)st->st_size;
	}
	ret = read_super(d, sizeof(super_offsets) / sizeof(super_offsets[0]), verify_csum, why,
			 sizeof(why));
	if (ret == -ENOSYS)
		snprintf(err, errlen, "%s: %s", path, why);
	else if (ret)
		snprintf(err, errlen, _("%s is not a valid btrfs device: %s"), path,
			 ret == -EINVAL ? why : strerror(-ret));
	return ret;
}

int offline_dev_open_live(struct offline_dev *d, const char *path, char *err, size_t errlen)
{
	char why[160];
	struct stat st;
	uint64_t sz;
	int ret, ssz;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	d->path = strdup(path);
	if (!d->path)
		return -ENOMEM;
	d->fd = open(path, O_RDONLY | O_DIRECT | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (d->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, _("cannot open %s: %s"), path, strerror(errno));
		return ret;
	}
	if (fstat(d->fd, &st) || !S_ISBLK(st.st_mode)) {
		snprintf(err, errlen, _("%s is not a block device"), path);
		return -EINVAL;
	}
	if (ioctl(d->fd, BLKGETSIZE64, &sz) || ioctl(d->fd, BLKSSZGET, &ssz)) {
		ret = -errno;
		snprintf(err, errlen, _("cannot size %s: %s"), path, strerror(errno));
		return ret;
	}
	if (ssz < 512 || ssz > 65536 || (ssz & (ssz - 1))) {
		snprintf(err, errlen, _("%s has an unusable sector size %d"), path, ssz);
		return -EINVAL;
	}
	d->size = sz;
	d->direct_align = (unsigned)ssz;
	/* the primary copy only: the kernel writes it last at each commit */
	ret = read_super(d, 1, true, why, sizeof(why));
	if (ret == -ENOSYS)
		snprintf(err, errlen, "%s: %s", path, why);
	else if (ret)
		snprintf(err, errlen, _("%s is not a valid btrfs device: %s"), path,
			 ret == -EINVAL ? why : strerror(-ret));
	return ret;
}

int offline_dev_reread_super(struct offline_dev *d, struct offline_super *sb)
{
	uint8_t buf[OFFLINE_SUPER_SIZE];
	char why[160];
	int ret;

	d->win_len = 0;		/* the superblock as it is now */
	ret = offline_dev_read(d, buf, sizeof(buf), OFFLINE_SUPER_OFFSET);
	if (ret)
		return ret;
	return offline_super_parse(buf, OFFLINE_SUPER_OFFSET, true, sb, why, sizeof(why));
}

int offline_dev_open_mem(struct offline_dev *d, const uint8_t *mem,
			 const struct offline_seg *segs, size_t nr_segs, uint64_t size,
			 bool verify_csum, char *err, size_t errlen)
{
	char why[160];
	int ret;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	d->mem = mem;
	d->segs = mem ? NULL : segs;
	d->nr_segs = mem ? 0 : nr_segs;
	d->size = size;
	d->path = strdup("memory");
	if (!d->path)
		return -ENOMEM;
	/* the primary copy only: a fuzzed image should not fall back */
	ret = read_super(d, 1, verify_csum, why, sizeof(why));
	if (ret == -ENOSYS)
		snprintf(err, errlen, "%s", why);
	else if (ret)
		snprintf(err, errlen, _("not a valid btrfs image: %s"),
			 ret == -EINVAL ? why : strerror(-ret));
	return ret;
}

void offline_dev_close(struct offline_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	free(d->bounce);
	memset(d, 0, sizeof(*d));
	d->fd = -1;
}
