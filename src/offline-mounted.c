// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-mounted.c - mounted-device check for the offline engine, with
 * libmount for the mount table and sysfs for btrfs member devices and
 * loop device backing files.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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

int offline_mounted_check(const char *path, char *errmsg, size_t errlen)
{
	char real[PATH_MAX], where[PATH_MAX];
	struct stat st;
	DIR *d;
	int ret = 0;

	if (stat(path, &st)) {
		ret = -errno;
		snprintf(errmsg, errlen, _("cannot open %s: %s"), path, strerror(errno));
		return ret;
	}
	if (S_ISBLK(st.st_mode)) {
		if (devno_mounted(st.st_rdev, where, sizeof(where))) {
			snprintf(errmsg, errlen, _("%s is mounted (%s); unmount it first"), path, where);
			return -EBUSY;
		}
		return 0;
	}
	if (!S_ISREG(st.st_mode) || !realpath(path, real))
		return 0;
	d = opendir("/sys/block");
	if (!d)
		return 0;
	for (struct dirent *de; !ret && (de = readdir(d));) {
		char f[PATH_MAX], backing[PATH_MAX];
		FILE *fp;
		dev_t dn;

		if (strncmp(de->d_name, "loop", 4))
			continue;
		snprintf(f, sizeof(f), "/sys/block/%s/loop/backing_file", de->d_name);
		fp = fopen(f, "re");
		if (!fp)
			continue;
		if (!fgets(backing, sizeof(backing), fp))
			backing[0] = 0;
		fclose(fp);
		backing[strcspn(backing, "\n")] = 0;
		if (strcmp(backing, real))
			continue;
		snprintf(f, sizeof(f), "/sys/block/%s/dev", de->d_name);
		if (read_devno(f, &dn) && devno_mounted(dn, where, sizeof(where))) {
			snprintf(errmsg, errlen, _("%s is mounted through /dev/%s (%s); unmount it first"),
				 path, de->d_name, where);
			ret = -EBUSY;
		}
	}
	closedir(d);
	return ret;
}
