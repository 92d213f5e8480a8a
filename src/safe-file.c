// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * safe-file.c - private, durable, atomic file writing (see safe-file.h).
 *
 * The privacy rule (SAFE_FILE_PRIVATE), chosen so that no other user can
 * read the file, replace it, or swap a directory on its path while or after
 * it is written:
 *  - the path is made canonical first (symbolic links resolved, so a link
 *    such as /var/run -> /run is judged by where it leads), then walked from
 *    "/" one component at a time with O_NOFOLLOW;
 *  - every directory on the way must belong to root or to the caller
 *    (effective uid), and may be writable by group or others only with the
 *    sticky bit set (as /tmp is: others cannot rename or remove what is
 *    ours in it). A home directory of another user, which is what $HOME
 *    names under `sudo -E`, fails here;
 *  - the directory itself must belong to the caller (to root with
 *    SAFE_FILE_ROOT_OWNED) and must not be writable by group or others,
 *    sticky or not.
 * Only root and the caller can then change anything on the path, and they
 * could read the file anyway. POSIX ACLs are not looked at.
 *
 * Durability (SAFE_FILE_DURABLE) refuses tmpfs and ramfs, which lose their
 * content at reboot; SAFE_FILE_NOT_VOLATILE also refuses paths below /tmp,
 * /run and /dev/shm, which distributions empty at boot whatever filesystem
 * holds them. Directories created on the way (SAFE_FILE_CREATE) get mode
 * 0700, and are only created after the existing part passed the checks.
 *
 * The temporary name is fixed (".NAME.tmp"), so a leftover of a crash is
 * found and cleaned the next time; two processes writing the same NAME at
 * the same moment are not supported.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "nls.h"
#include "safe-file.h"

static int say(char *why, size_t len, int err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* "@path: <fmt>" (or "@path: strerror(-err)" without @fmt) into @why; returns @err */
static int say(char *why, size_t len, int err, const char *path, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(reason, sizeof(reason), fmt, ap);
		va_end(ap);
	} else {
		snprintf(reason, sizeof(reason), "%s", strerror(-err));
	}
	if (why && len)
		snprintf(why, len, "%s: %s", path, reason);
	return err;
}

/* @dir made absolute, malloc'ed */
static char *absolute(const char *dir)
{
	char cwd[PATH_MAX], *p;

	if (dir[0] == '/')
		return strdup(dir);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	if (asprintf(&p, "%s/%s", cwd, dir) < 0)
		return NULL;
	return p;
}

static bool below(const char *path, const char *top)
{
	size_t n = strlen(top);

	return !strncmp(path, top, n) && (path[n] == '/' || path[n] == '\0');
}

/* the privacy rule for one directory; @last: the target directory itself */
static int check_dir(const struct stat *st, const char *path, bool last, unsigned flags,
		     char *why, size_t len)
{
	uid_t me = geteuid();

	if (!S_ISDIR(st->st_mode))
		return say(why, len, -ENOTDIR, path, NULL);
	if (!(flags & SAFE_FILE_PRIVATE))
		return 0;
	if (!last) {
		if (st->st_uid != 0 && st->st_uid != me)
			return say(why, len, -EACCES, path, _("owned by uid %u, not by you or root"),
				   (unsigned)st->st_uid);
		if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX))
			return say(why, len, -EACCES, path,
				   _("writable by group or others (mode %04o)"),
				   (unsigned)(st->st_mode & 07777));
		return 0;
	}
	if (flags & SAFE_FILE_ROOT_OWNED) {
		if (st->st_uid != 0)
			return say(why, len, -EACCES, path, _("owned by uid %u, not by root"),
				   (unsigned)st->st_uid);
	} else if (st->st_uid != me) {
		return say(why, len, -EACCES, path, _("owned by uid %u, not by you (uid %u)"),
			   (unsigned)st->st_uid, (unsigned)me);
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return say(why, len, -EACCES, path, _("writable by group or others (mode %04o)"),
			   (unsigned)(st->st_mode & 07777));
	return 0;
}

static int check_durable(int fd, const char *path, unsigned flags, char *why, size_t len)
{
	struct statfs sf;

	if (!(flags & SAFE_FILE_DURABLE))
		return 0;
	if (fstatfs(fd, &sf))
		return say(why, len, -errno, path, NULL);
	if (sf.f_type == TMPFS_MAGIC)
		return say(why, len, -EXDEV, path, _("on a tmpfs, whose content is lost at reboot"));
	if (sf.f_type == RAMFS_MAGIC)
		return say(why, len, -EXDEV, path, _("on a ramfs, whose content is lost at reboot"));
	return 0;
}

/*
 * Split @abs into the canonical existing part (*canon, malloc'ed) and the
 * missing components after it (*tail, malloc'ed, "" when none).
 */
static int resolve(const char *abs, bool create, char **canon, char **tail, char *why, size_t len)
{
	char *buf = strdup(abs), *cut, *r = NULL;
	int ret = 0;

	*canon = *tail = NULL;
	if (!buf)
		return -ENOMEM;
	for (;;) {
		r = realpath(buf, NULL);
		if (r)
			break;
		ret = -errno;
		if (ret != -ENOENT || !create || !(cut = strrchr(buf, '/')) || cut == buf) {
			say(why, len, ret, ret == -ENOENT && !create ? abs : buf, NULL);
			goto out_free;
		}
		*cut = '\0';
	}
	ret = 0;
	*canon = r;
	*tail = strdup(abs + strlen(buf));
	if (!*tail)
		ret = -ENOMEM;
out_free:
	free(buf);
	if (ret) {
		free(*canon);
		*canon = NULL;
	}
	return ret;
}

/* open @name below @dirfd (or "/" for NULL) as a directory, never following a link */
static int open_step(int dirfd, const char *name, int oflags)
{
	if (!name)
		return open("/", oflags | O_DIRECTORY | O_CLOEXEC);
	return openat(dirfd, name, oflags | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

#define SAFE_FILE_MAX_MISSING 32

int safe_file_dir_open(const char *dir, unsigned flags, struct safe_file_dir *d, char *why,
		       size_t len)
{
	char *abs, *canon = NULL, *tail = NULL, *full = NULL, *walk, *comp, *save = NULL;
	char *missing[SAFE_FILE_MAX_MISSING], shown[PATH_MAX + 2];
	struct stat st;
	int fd = -1, nfd, ret;
	size_t nr = 0, used;

	d->fd = -1;
	d->path = NULL;
	if (why && len)
		why[0] = '\0';
	if (!dir || !*dir)
		return say(why, len, -ENOENT, "", NULL);
	abs = absolute(dir);
	if (!abs)
		return say(why, len, errno ? -errno : -ENOMEM, dir, NULL);
	ret = resolve(abs, flags & SAFE_FILE_CREATE, &canon, &tail, why, len);
	if (ret)
		goto out_free;
	/* the missing components; "." or ".." there would escape the checks */
	for (comp = strtok_r(tail, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		if (!strcmp(comp, ".") || !strcmp(comp, "..")) {
			ret = say(why, len, -EINVAL, abs, _("'.' or '..' after a missing directory"));
			goto out_free;
		}
		if (nr == SAFE_FILE_MAX_MISSING) {
			ret = say(why, len, -ENAMETOOLONG, abs, NULL);
			goto out_free;
		}
		missing[nr++] = comp;
	}
	used = (size_t)snprintf(shown, sizeof(shown), "%s", strcmp(canon, "/") ? canon : "");
	for (size_t k = 0; k < nr && used < sizeof(shown); k++)
		used += (size_t)snprintf(shown + used, sizeof(shown) - used, "/%s", missing[k]);
	if (used >= sizeof(shown)) {
		ret = say(why, len, -ENAMETOOLONG, abs, NULL);
		goto out_free;
	}
	full = strdup(shown[0] ? shown : "/");
	if (!full) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (flags & SAFE_FILE_NOT_VOLATILE) {
		static const char *const volatile_tops[] = { "/tmp", "/run", "/dev/shm" };

		for (size_t k = 0; k < sizeof(volatile_tops) / sizeof(volatile_tops[0]); k++)
			if (below(full, volatile_tops[k])) {
				ret = say(why, len, -EXDEV, full, _("below %s, which is emptied at boot"),
					  volatile_tops[k]);
				goto out_free;
			}
	}
	/* walk the existing part from "/": @fd is the directory @shown names */
	walk = strdup(canon);
	if (!walk) {
		ret = -ENOMEM;
		goto out_free;
	}
	shown[0] = '\0';
	fd = open_step(-1, NULL, O_PATH);
	comp = NULL;
	save = NULL;
	for (;;) {
		bool deepest;

		if (fd < 0 || fstat(fd, &st)) {
			ret = say(why, len, -errno, shown[0] ? shown : "/", NULL);
			break;
		}
		comp = strtok_r(comp ? NULL : walk, "/", &save);
		deepest = comp == NULL;
		ret = check_dir(&st, shown[0] ? shown : "/", deepest && !nr, flags, why, len);
		if (ret || deepest)
			break;
		snprintf(shown + strlen(shown), sizeof(shown) - strlen(shown), "/%s", comp);
		nfd = open_step(fd, comp, O_PATH);
		close(fd);
		fd = nfd;
	}
	free(walk);
	if (ret)
		goto out_close;
	/* the filesystem the missing part would be created on */
	ret = check_durable(fd, canon, flags, why, len);
	if (ret)
		goto out_close;
	/* create the missing part, 0700, each step checked like the rest */
	for (size_t k = 0; k < nr; k++) {
		snprintf(shown + strlen(shown), sizeof(shown) - strlen(shown), "/%s", missing[k]);
		if (mkdirat(fd, missing[k], 0700) && errno != EEXIST) {
			ret = say(why, len, -errno, shown, NULL);
			goto out_close;
		}
		nfd = open_step(fd, missing[k], O_PATH);
		close(fd);
		fd = nfd;
		if (fd < 0 || fstat(fd, &st)) {
			ret = say(why, len, -errno, shown, NULL);
			goto out_close;
		}
		ret = check_dir(&st, shown, k + 1 == nr, flags, why, len);
		if (ret)
			goto out_close;
	}
	/* an O_PATH descriptor cannot be fsynced: open the directory itself */
	nfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(fd);
	fd = nfd;
	if (fd < 0) {
		ret = say(why, len, -errno, full, NULL);
		goto out_free;
	}
	ret = check_durable(fd, full, flags, why, len);
	if (ret)
		goto out_close;
	d->fd = fd;
	d->path = full;
	full = NULL;
	fd = -1;
out_close:
	if (fd >= 0)
		close(fd);
out_free:
	free(full);
	free(tail);
	free(canon);
	free(abs);
	return ret;
}

void safe_file_dir_close(struct safe_file_dir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	free(d->path);
	d->path = NULL;
}

/* what is at the temporary name, for the message; true when it is our leftover */
static bool leftover(int dirfd, const char *tmp, const char *shown, char *why, size_t len)
{
	struct stat st;

	if (fstatat(dirfd, tmp, &st, AT_SYMLINK_NOFOLLOW)) {
		say(why, len, -errno, shown, NULL);
		return false;
	}
	if (S_ISLNK(st.st_mode))
		say(why, len, -EACCES, shown, _("a symbolic link is in the way (not followed, left alone)"));
	else if (!S_ISREG(st.st_mode))
		say(why, len, -EACCES, shown, _("something that is not a regular file is in the way "
						"(left alone)"));
	else if (st.st_uid != geteuid())
		say(why, len, -EACCES, shown, _("a file of uid %u is in the way (left alone)"),
		    (unsigned)st.st_uid);
	else if (st.st_nlink != 1)
		say(why, len, -EACCES, shown, _("a file with %u links is in the way (left alone)"),
		    (unsigned)st.st_nlink);
	else
		return true;
	return false;
}

static int place(struct safe_file_dir *d, const char *tmp, const char *name, unsigned flags)
{
	if (!(flags & SAFE_FILE_NO_REPLACE))
		return renameat(d->fd, tmp, d->fd, name) ? -errno : 0;
	if (!renameat2(d->fd, tmp, d->fd, name, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* a filesystem without RENAME_NOREPLACE: link() never replaces either */
	if (linkat(d->fd, tmp, d->fd, name, 0))
		return -errno;
	unlinkat(d->fd, tmp, 0);
	return 0;
}

int safe_file_write(struct safe_file_dir *d, const char *name, unsigned flags,
		    safe_file_fill_fn fill, void *ctx, char *why, size_t len)
{
	char *tmp = NULL, *target = NULL, *shown_tmp = NULL;
	FILE *f;
	int fd = -1, ret;

	if (why && len)
		why[0] = '\0';
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return say(why, len, -EINVAL, name, _("not a file name"));
	if (asprintf(&tmp, ".%s.tmp", name) < 0)
		return -ENOMEM;
	if (asprintf(&target, "%s%s%s", d->path, strcmp(d->path, "/") ? "/" : "", name) < 0 ||
	    asprintf(&shown_tmp, "%s%s%s", d->path, strcmp(d->path, "/") ? "/" : "", tmp) < 0) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		fd = openat(d->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
		if (attempt || !leftover(d->fd, tmp, shown_tmp, why, len)) {
			if (attempt)
				say(why, len, -EACCES, shown_tmp, _("keeps coming back"));
			ret = -EACCES;
			goto out_free;
		}
		unlinkat(d->fd, tmp, 0);
	}
	if (fd < 0) {
		ret = say(why, len, -errno, target, NULL);
		goto out_free;
	}
	f = fdopen(fd, "w");
	if (!f) {
		ret = say(why, len, -errno, target, NULL);
		close(fd);
		goto out_unlink;
	}
	errno = 0;
	ret = fill(f, ctx);
	if (!ret && fflush(f))
		ret = errno ? -errno : -EIO;
	if (!ret && ferror(f))
		ret = errno ? -errno : -EIO;
	if (!ret && fsync(fd))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (ret) {
		say(why, len, ret, target, NULL);
		goto out_unlink;
	}
	ret = place(d, tmp, name, flags);
	if (ret) {
		say(why, len, ret, target, NULL);
		goto out_unlink;
	}
	/* the rename is only durable once the directory is on disk */
	if (fsync(d->fd) && errno != EINVAL)
		ret = say(why, len, -errno, d->path, NULL);
	goto out_free;

out_unlink:
	unlinkat(d->fd, tmp, 0);
out_free:
	free(shown_tmp);
	free(target);
	free(tmp);
	return ret;
}

int safe_file_write_path(const char *path, unsigned flags, safe_file_fill_fn fill, void *ctx,
			 char *why, size_t len)
{
	struct safe_file_dir d;
	const char *slash = strrchr(path, '/');
	char *dir;
	int ret;

	if (!*path || (slash && !slash[1]))
		return say(why, len, -EISDIR, path, NULL);
	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return -ENOMEM;
	ret = safe_file_dir_open(dir, flags & ~SAFE_FILE_NO_REPLACE, &d, why, len);
	free(dir);
	if (ret)
		return ret;
	ret = safe_file_write(&d, slash ? slash + 1 : path, flags & SAFE_FILE_NO_REPLACE, fill,
			      ctx, why, len);
	safe_file_dir_close(&d);
	return ret;
}
