// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-mounted.c - opening images for the offline engine. The kernel
 * does most of the work: an exclusive open (O_EXCL without O_CREAT, which
 * Linux honours for block devices only) fails with EBUSY while a mounted
 * filesystem or anyone else holds the device. An image file is checked
 * against every loop device by the device and inode numbers its backing
 * file has (LOOP_GET_STATUS64), not by path text, which a hard link, a
 * bind mount or a rename changes. libmount and sysfs are only asked to
 * name the mount point for the message.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/loop.h>
#include <libmount.h>

#include "nls.h"
#include "offline-mounted.h"

static bool read_devno(const char *file, dev_t *out)
{
	unsigned maj, min;
	FILE *f = fopen(file, "re");
	bool ok;

	if (!f)
		return false;
	ok = fscanf(f, "%u:%u", &maj, &min) == 2;
	fclose(f);
	if (ok)
		*out = makedev(maj, min);
	return ok;
}

/* mount point using block device @devno, copied into @where, or false */
static bool devno_mounted(dev_t devno, char *where, size_t wlen)
{
	struct libmnt_table *tb = mnt_new_table_from_file("/proc/self/mountinfo");
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	bool found = false;
	DIR *d;

	if (tb && it) {
		while (!found && mnt_table_next_fs(tb, it, &fs) == 0) {
			const char *src = mnt_fs_get_srcpath(fs);
			struct stat st;

			if (src && src[0] == '/' && !stat(src, &st) && S_ISBLK(st.st_mode) &&
			    st.st_rdev == devno) {
				snprintf(where, wlen, "%s", mnt_fs_get_target(fs));
				found = true;
			}
		}
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
	if (found)
		return true;
	/* a member device other than the one named in the mount table */
	d = opendir("/sys/fs/btrfs");
	if (!d)
		return false;
	for (struct dirent *de; !found && (de = readdir(d));) {
		char p[PATH_MAX];
		DIR *dd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/sys/fs/btrfs/%s/devices", de->d_name);
		dd = opendir(p);
		if (!dd)
			continue;
		for (struct dirent *e; !found && (e = readdir(dd));) {
			char f[PATH_MAX];
			dev_t dn;

			if (e->d_name[0] == '.')
				continue;
			if (snprintf(f, sizeof(f), "%s/%s/dev", p, e->d_name) >= (int)sizeof(f))
				continue;
			if (read_devno(f, &dn) && dn == devno) {
				snprintf(where, wlen, _("btrfs %s"), de->d_name);
				found = true;
			}
		}
		closedir(dd);
	}
	closedir(d);
	return found;
}

static int refuse_type(const char *path, mode_t mode, char *errmsg, size_t errlen)
{
	if (S_ISREG(mode) || S_ISBLK(mode))
		return 0;
	if (S_ISFIFO(mode))
		snprintf(errmsg, errlen, _("%s is a FIFO, not an image file or block device"), path);
	else if (S_ISCHR(mode))
		snprintf(errmsg, errlen,
			 _("%s is a character device, not an image file or block device"), path);
	else if (S_ISDIR(mode))
		snprintf(errmsg, errlen, _("%s is a directory, not an image file or block device"),
			 path);
	else
		snprintf(errmsg, errlen, _("%s is not an image file or block device"), path);
	return -EINVAL;
}

/* the identity of the backing file of /dev/@name: 0 and @dev, @ino; 1 when
 * the device has none (unbound) or cannot be examined */
static int loop_backing(const char *name, dev_t *dev, ino_t *ino)
{
	char p[PATH_MAX], backing[PATH_MAX];
	struct loop_info64 li;
	struct stat st;
	FILE *f;
	int fd;

	snprintf(p, sizeof(p), "/dev/%s", name);
	fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		int ret = ioctl(fd, LOOP_GET_STATUS64, &li);
		int err = errno;

		close(fd);
		if (!ret) {
			*dev = (dev_t)li.lo_device;
			*ino = (ino_t)li.lo_inode;
			return 0;
		}
		if (err == ENXIO)
			return 1;	/* not bound to a file */
	}
	/* no access to the device node (not root): the path sysfs shows, as
	 * seen by whoever set the device up */
	snprintf(p, sizeof(p), "/sys/block/%s/loop/backing_file", name);
	f = fopen(p, "re");
	if (!f)
		return 1;
	if (!fgets(backing, sizeof(backing), f))
		backing[0] = 0;
	fclose(f);
	backing[strcspn(backing, "\n")] = 0;
	if (!backing[0] || stat(backing, &st))
		return 1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

/* is loop device /dev/@name (@devno) mounted or held? Reason in @errmsg */
static int loop_in_use(const char *path, const char *name, dev_t devno, char *errmsg,
		       size_t errlen)
{
	char p[PATH_MAX], where[PATH_MAX];
	bool mounted = devno_mounted(devno, where, sizeof(where));
	int fd;

	if (mounted) {
		snprintf(errmsg, errlen, _("%s is mounted through /dev/%s (%s); unmount it first"),
			 path, name, where);
		return -EBUSY;
	}
	/* held without a mount table entry (a multi-device member, a device
	 * mapper table, an exclusive opener): the kernel knows */
	snprintf(p, sizeof(p), "/dev/%s", name);
	fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_EXCL);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno != EBUSY)
		return 0;	/* cannot tell without access; the mount table had nothing */
	snprintf(errmsg, errlen,
		 _("%s backs /dev/%s, which is in use (mounted, or held by another program)"),
		 path, name);
	return -EBUSY;
}

/* refuse image file @path (@st) when a loop device backed by it is in use */
static int check_loops(const char *path, const struct stat *st, char *errmsg, size_t errlen)
{
	DIR *d = opendir("/sys/block");
	int ret = 0;

	if (!d)
		return 0;	/* no sysfs: no loop devices to examine */
	for (struct dirent *de; !ret && (de = readdir(d));) {
		char p[PATH_MAX];
		dev_t dev, devno;
		ino_t ino;

		if (strncmp(de->d_name, "loop", 4) || !isdigit((unsigned char)de->d_name[4]))
			continue;
		if (loop_backing(de->d_name, &dev, &ino))
			continue;
		if (major(dev) != major(st->st_dev) || minor(dev) != minor(st->st_dev) ||
		    ino != st->st_ino)
			continue;
		snprintf(p, sizeof(p), "/sys/block/%s/dev", de->d_name);
		if (!read_devno(p, &devno))
			continue;
		ret = loop_in_use(path, de->d_name, devno, errmsg, errlen);
	}
	closedir(d);
	return ret;
}

int offline_mounted_open(const char *path, struct stat *st, char *errmsg, size_t errlen)
{
	char where[PATH_MAX];
	struct stat pre;
	int fd, fl, ret;

	/* the type first: opening a FIFO or a device can have effects of its own */
	if (stat(path, &pre)) {
		ret = -errno;
		snprintf(errmsg, errlen, _("cannot open %s: %s"), path, strerror(errno));
		return ret;
	}
	ret = refuse_type(path, pre.st_mode, errmsg, errlen);
	if (ret)
		return ret;
	/* O_NONBLOCK and O_NOCTTY in case @path was swapped for a FIFO or a
	 * terminal since the stat; O_EXCL makes the kernel refuse a block
	 * device in use (it means nothing for a regular file) */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_EXCL);
	if (fd < 0) {
		ret = -errno;	/* devno_mounted() changes errno */
		if (ret == -EBUSY && S_ISBLK(pre.st_mode) &&
		    devno_mounted(pre.st_rdev, where, sizeof(where)))
			snprintf(errmsg, errlen, _("%s is mounted (%s); unmount it first"), path,
				 where);
		else if (ret == -EBUSY)
			snprintf(errmsg, errlen,
				 _("%s is in use (mounted, or held by another program)"), path);
		else
			snprintf(errmsg, errlen, _("cannot open %s: %s"), path, strerror(-ret));
		return ret;
	}
	if (fstat(fd, st)) {
		ret = -errno;
		snprintf(errmsg, errlen, _("cannot stat %s: %s"), path, strerror(errno));
		goto out_close;
	}
	ret = refuse_type(path, st->st_mode, errmsg, errlen);
	if (ret)
		goto out_close;
	if (st->st_dev != pre.st_dev || st->st_ino != pre.st_ino) {
		snprintf(errmsg, errlen, _("%s changed while it was being opened"), path);
		ret = -EAGAIN;
		goto out_close;
	}
	/* reads should wait for the device like any other */
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK)) {
		ret = -errno;
		snprintf(errmsg, errlen, _("cannot open %s: %s"), path, strerror(errno));
		goto out_close;
	}
	if (S_ISREG(st->st_mode)) {
		ret = check_loops(path, st, errmsg, errlen);
		if (ret)
			goto out_close;
	}
	return fd;
out_close:
	close(fd);
	return ret;
}
