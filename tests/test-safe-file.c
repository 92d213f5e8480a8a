// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-safe-file.c - private, durable, atomic file writing: the file is
 * complete and 0600 or absent, nothing is ever written through a symbolic
 * link planted at the temporary name, a leftover of ours is cleaned, and
 * each privacy and durability rule refuses what it should with a reason
 * naming the path. Works in a directory below the build directory (so the
 * durability checks see a real disk); the parts that need another user's
 * files run only as root.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <cmocka.h>

#include "safe-file.h"

static char top[PATH_MAX + 64];
static bool top_private;	/* the build directory's path passes the rule */

static int fill_text(FILE *f, void *ctx)
{
	return fputs(ctx, f) < 0 ? -EIO : 0;
}

static int fill_fail(FILE *f, void *ctx)
{
	(void)ctx;
	fputs("partial", f);
	return -ENOSPC;
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static const char *at(const char *rel)
{
	static char buf[4][PATH_MAX + 128];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", top, rel);
	return buf[i];
}

static int setup(void **state)
{
	char cwd[PATH_MAX];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(top, sizeof(top), "%s/test-safe-file.XXXXXX", cwd);
	assert_non_null(mkdtemp(top));
	{
		char why[SAFE_FILE_WHY_LEN];
		struct safe_file_dir d;

		/* a build directory below a shared one cannot test privacy */
		top_private = !safe_file_dir_open(top, SAFE_FILE_PRIVATE, &d, why, sizeof(why));
		safe_file_dir_close(&d);
		if (!top_private)
			print_message("privacy checks skipped: %s\n", why);
	}
	return 0;
}

static int teardown(void **state)
{
	char cmd[3 * PATH_MAX];

	(void)state;
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", top, top);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void test_write_replace(void **state)
{
	char why[SAFE_FILE_WHY_LEN];
	struct stat st;

	(void)state;
	assert_int_equal(safe_file_write_path(at("f"), top_private ? SAFE_FILE_PRIVATE : 0,
					      fill_text, "one\n", why, sizeof(why)), 0);
	assert_string_equal(slurp(at("f")), "one\n");
	assert_int_equal(stat(at("f"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(access(at(".f.tmp"), F_OK), -1);
	/* replaced by default, never with NO_REPLACE */
	assert_int_equal(safe_file_write_path(at("f"), 0, fill_text, "two\n", why, sizeof(why)), 0);
	assert_string_equal(slurp(at("f")), "two\n");
	assert_int_equal(safe_file_write_path(at("f"), SAFE_FILE_NO_REPLACE, fill_text, "three\n",
					      why, sizeof(why)), -EEXIST);
	assert_string_equal(slurp(at("f")), "two\n");
	assert_int_equal(access(at(".f.tmp"), F_OK), -1);
	/* a failing writer leaves the old file and no temporary */
	assert_int_equal(safe_file_write_path(at("f"), 0, fill_fail, NULL, why, sizeof(why)),
			 -ENOSPC);
	assert_non_null(strstr(why, "No space left on device"));
	assert_non_null(strstr(why, at("f")));
	assert_string_equal(slurp(at("f")), "two\n");
	assert_int_equal(access(at(".f.tmp"), F_OK), -1);
	/* a missing directory is named */
	assert_int_equal(safe_file_write_path(at("no/f"), 0, fill_text, "x", why, sizeof(why)),
			 -ENOENT);
	assert_non_null(strstr(why, at("no")));
}

static void test_temporary_name(void **state)
{
	char why[SAFE_FILE_WHY_LEN];
	struct stat st;
	FILE *f;

	(void)state;
	/* a symbolic link at the temporary name: nothing written through it */
	f = fopen(at("victim"), "w");
	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);
	assert_int_equal(symlink(at("victim"), at(".g.tmp")), 0);
	assert_int_equal(safe_file_write_path(at("g"), 0, fill_text, "evil\n", why, sizeof(why)),
			 -EACCES);
	assert_non_null(strstr(why, "symbolic link"));
	assert_non_null(strstr(why, at(".g.tmp")));
	assert_string_equal(slurp(at("victim")), "precious\n");
	assert_int_equal(lstat(at(".g.tmp"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(access(at("g"), F_OK), -1);
	/* a dangling link would have been created through by O_CREAT alone */
	assert_int_equal(symlink(at("created-through-link"), at(".h.tmp")), 0);
	assert_int_equal(safe_file_write_path(at("h"), 0, fill_text, "evil\n", why, sizeof(why)),
			 -EACCES);
	assert_int_equal(access(at("created-through-link"), F_OK), -1);
	/* a directory there is not ours to remove */
	assert_int_equal(mkdir(at(".i.tmp"), 0700), 0);
	assert_int_equal(safe_file_write_path(at("i"), 0, fill_text, "x", why, sizeof(why)),
			 -EACCES);
	assert_int_equal(access(at(".i.tmp"), F_OK), 0);
	/* a file with a second link is not a leftover either */
	f = fopen(at(".j.tmp"), "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(link(at(".j.tmp"), at("j-other-name")), 0);
	assert_int_equal(safe_file_write_path(at("j"), 0, fill_text, "x", why, sizeof(why)),
			 -EACCES);
	assert_non_null(strstr(why, "links"));
	/* our own leftover of a crash is removed and the write goes on */
	f = fopen(at(".k.tmp"), "w");
	assert_non_null(f);
	fputs("half", f);
	fclose(f);
	assert_int_equal(safe_file_write_path(at("k"), 0, fill_text, "whole\n", why, sizeof(why)),
			 0);
	assert_string_equal(slurp(at("k")), "whole\n");
	assert_int_equal(access(at(".k.tmp"), F_OK), -1);
	if (geteuid() == 0) {
		/* someone else's file at the temporary name */
		f = fopen(at(".l.tmp"), "w");
		assert_non_null(f);
		fclose(f);
		assert_int_equal(chown(at(".l.tmp"), 65534, 65534), 0);
		assert_int_equal(safe_file_write_path(at("l"), 0, fill_text, "x", why, sizeof(why)),
				 -EACCES);
		assert_non_null(strstr(why, "uid 65534"));
		assert_int_equal(access(at(".l.tmp"), F_OK), 0);
	}
}

static void test_private(void **state)
{
	unsigned pf = SAFE_FILE_PRIVATE | SAFE_FILE_DURABLE;
	char why[SAFE_FILE_WHY_LEN];
	struct safe_file_dir d;
	struct stat st;

	(void)state;
	if (!top_private)
		skip();
	assert_int_equal(mkdir(at("p"), 0700), 0);
	assert_int_equal(safe_file_dir_open(at("p"), pf, &d, why, sizeof(why)), 0);
	safe_file_dir_close(&d);
	safe_file_dir_close(&d);	/* twice is fine */
	/* the directory itself: not writable by group or others, sticky or not */
	assert_int_equal(chmod(at("p"), 0770), 0);
	assert_int_equal(safe_file_dir_open(at("p"), pf, &d, why, sizeof(why)), -EACCES);
	assert_non_null(strstr(why, "writable by group or others"));
	assert_non_null(strstr(why, at("p")));
	assert_int_equal(chmod(at("p"), 01777), 0);
	assert_int_equal(safe_file_write_path(at("p/x"), pf, fill_text, "x", why, sizeof(why)),
			 -EACCES);
	assert_int_equal(access(at("p/x"), F_OK), -1);
	/* a directory on the way: writable by others only with the sticky bit */
	assert_int_equal(mkdir(at("p/q"), 0700), 0);
	assert_int_equal(safe_file_dir_open(at("p/q"), pf, &d, why, sizeof(why)), 0);
	safe_file_dir_close(&d);
	assert_int_equal(chmod(at("p"), 0777), 0);
	assert_int_equal(safe_file_dir_open(at("p/q"), pf, &d, why, sizeof(why)), -EACCES);
	assert_non_null(strstr(why, at("p")));
	assert_null(strstr(why, at("p/q")));
	assert_int_equal(chmod(at("p"), 0700), 0);
	/* a symbolic link on the way is judged by where it leads */
	assert_int_equal(symlink(at("p"), at("link-to-p")), 0);
	assert_int_equal(safe_file_dir_open(at("link-to-p/q"), pf, &d, why, sizeof(why)), 0);
	assert_string_equal(d.path, at("p/q"));
	safe_file_dir_close(&d);
	/* without the privacy rule a shared directory is fine (checkpoints) */
	assert_int_equal(chmod(at("p"), 0777), 0);
	assert_int_equal(safe_file_write_path(at("p/q/ck"), 0, fill_text, "x", why, sizeof(why)), 0);
	assert_int_equal(chmod(at("p"), 0700), 0);
	if (geteuid() == 0) {
		/* a directory of another user, on the way or as the target */
		assert_int_equal(chown(at("p"), 65534, 65534), 0);
		assert_int_equal(safe_file_dir_open(at("p"), pf, &d, why, sizeof(why)), -EACCES);
		assert_non_null(strstr(why, "owned by uid 65534"));
		assert_int_equal(safe_file_dir_open(at("p/q"), pf, &d, why, sizeof(why)), -EACCES);
		assert_non_null(strstr(why, "owned by uid 65534"));
		assert_int_equal(chown(at("p"), 0, 0), 0);
		/* root's directory where the caller's is required, and back */
		assert_int_equal(safe_file_dir_open(at("p"), pf | SAFE_FILE_ROOT_OWNED, &d, why,
						    sizeof(why)), 0);
		safe_file_dir_close(&d);
		assert_int_equal(chown(at("p/q"), 65534, 65534), 0);
		assert_int_equal(safe_file_dir_open(at("p/q"), pf | SAFE_FILE_ROOT_OWNED, &d, why,
						    sizeof(why)), -EACCES);
		assert_non_null(strstr(why, "not by root"));
	}
	/* created on the way: 0700, only below what passed */
	assert_int_equal(safe_file_dir_open(at("new/a/b"), pf | SAFE_FILE_CREATE, &d, why,
					    sizeof(why)), 0);
	assert_string_equal(d.path, at("new/a/b"));
	safe_file_dir_close(&d);
	assert_int_equal(stat(at("new/a"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(chmod(at("new"), 0777), 0);
	assert_int_equal(safe_file_dir_open(at("new/c/d"), pf | SAFE_FILE_CREATE, &d, why,
					    sizeof(why)), -EACCES);
	assert_int_equal(access(at("new/c"), F_OK), -1);
	assert_int_equal(safe_file_dir_open(at("new2/../x"), pf | SAFE_FILE_CREATE, &d, why,
					    sizeof(why)), -EINVAL);
	assert_int_equal(access(at("new2"), F_OK), -1);
	/* not created without SAFE_FILE_CREATE */
	assert_int_equal(safe_file_dir_open(at("absent"), pf, &d, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, at("absent")));
}

static void test_durable(void **state)
{
	char why[SAFE_FILE_WHY_LEN];
	struct safe_file_dir d;
	struct statfs sf;

	(void)state;
	/* paths emptied at boot, refused before anything is created */
	assert_int_equal(safe_file_dir_open("/tmp/qgtop-never-created/x",
					    SAFE_FILE_NOT_VOLATILE | SAFE_FILE_CREATE, &d, why,
					    sizeof(why)), -EXDEV);
	assert_non_null(strstr(why, "below /tmp"));
	assert_int_equal(access("/tmp/qgtop-never-created", F_OK), -1);
	assert_int_equal(safe_file_dir_open("/run", SAFE_FILE_NOT_VOLATILE, &d, why, sizeof(why)),
			 -EXDEV);
	/* a tmpfs, when the system has one at /dev/shm */
	if (statfs("/dev/shm", &sf) == 0 && sf.f_type == TMPFS_MAGIC) {
		assert_int_equal(safe_file_dir_open("/dev/shm", SAFE_FILE_DURABLE, &d, why,
						    sizeof(why)), -EXDEV);
		assert_non_null(strstr(why, "tmpfs"));
		/* a checkpoint (no durability asked) may go there */
		assert_int_equal(safe_file_dir_open("/dev/shm", 0, &d, why, sizeof(why)), 0);
		safe_file_dir_close(&d);
	} else {
		print_message("no tmpfs at /dev/shm: tmpfs refusal left to tests/save-faults.sh\n");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_temporary_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_private, setup, teardown),
		cmocka_unit_test_setup_teardown(test_durable, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
