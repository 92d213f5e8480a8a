// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-qgroup.c - `qgtop qgroup create|destroy|assign|remove|limit|
 * clear-stale`, and the error wording shared by the administration
 * commands (quota, qgroup, restore).
 *
 * Arguments are validated before the filesystem is opened, and the quota
 * state before anything changes, so a refused command changes nothing.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "live-admin.h"
#include "live-quota.h"
#include "live-rescan.h"
#include "nls.h"
#include "units.h"

static volatile sig_atomic_t admin_stop;

static void admin_on_signal(int sig)
{
	(void)sig;
	admin_stop = 1;
}

int cli_admin_wait_idle(struct live_fs *fs, const char *path)
{
	struct sigaction sa, old_int, old_term;
	int ret;

	/* no SA_RESTART: the poll's sleep ends at the signal */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = admin_on_signal;
	sigemptyset(&sa.sa_mask);
	admin_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ret = live_admin_rescan_wait_idle(fs, 200, &admin_stop);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (ret == -EINTR) {
		cli_error(_("interrupted while waiting for the rescan on %s (the scan goes on)"), path);
		return CLI_EXIT_INTERRUPTED;
	}
	if (ret)
		return cli_admin_error(ret, path, _("cannot read the rescan status"));
	return CLI_EXIT_OK;
}

int cli_admin_error(int err, const char *path, const char *fmt, ...)
{
	char what[512], why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cli_error("%s: %s", what, live_admin_strerror(err, path, why, sizeof(why)));
	switch (-err) {
	case ENOTCONN:
	case EINPROGRESS:
	case EBUSY:
		return CLI_EXIT_STATE;
	case EEXIST:
		return CLI_EXIT_USAGE;
	default:
		return cli_exit_for_errno(err);
	}
}

/* open PATH for administration: one-line error and exit code on failure */
int cli_admin_open(const char *path, struct live_fs *fs)
{
	int ret = live_fs_open(path, fs);

	if (ret)
		return cli_open_error(path, ret);
	return CLI_EXIT_OK;
}

static void qgroup_usage(FILE *out)
{
	fprintf(out, _("Usage: qgtop qgroup create ID PATH\n"
		       "       qgtop qgroup destroy ID PATH\n"
		       "       qgtop qgroup assign [--no-rescan] [--force] CHILD PARENT PATH\n"
		       "       qgtop qgroup remove [--no-rescan] [--force] CHILD PARENT PATH\n"
		       "       qgtop qgroup limit [-e|--exclusive] SIZE|none ID PATH\n"
		       "       qgtop qgroup clear-stale PATH\n"
		       "Administer the qgroups of the btrfs filesystem PATH is on.\n"
		       "IDs are LEVEL/ID (0/256, 1/100) or a subvolume id. SIZE takes\n"
		       "k, m, g, t, p, e suffixes (powers of 1024); none clears the limit.\n\n"
		       "  --no-rescan    do not start a rescan when the numbers become\n"
		       "                 inconsistent; only say so\n"
		       "  --force        assign or remove although a rescan runs, then\n"
		       "                 wait for it and rescan again\n"
		       "  -e, --exclusive  limit exclusive instead of referenced bytes\n"
		       "  -h, --help     this help\n"));
}

static int parse_id(const char *s, uint64_t *id)
{
	if (qgroup_id_parse(s, id)) {
		cli_error(_("invalid qgroup id '%s'"), s);
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

/* parse options common to the subcommands; returns -1 to go on */
static int parse_opts(int argc, char **argv, bool *no_rescan, bool *force, bool *excl,
		      const char *allowed)
{
	static const struct option longopts[] = {
		{ "no-rescan", no_argument, NULL, 'N' },
		{ "force", no_argument, NULL, 'f' },
		{ "exclusive", no_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "he", longopts, NULL)) != -1) {
		if (c != 'h' && c != '?' && !strchr(allowed, c)) {
			cli_error(_("option '%s' does not apply to 'qgroup %s'"), argv[optind - 1],
				  argv[0]);
			return CLI_EXIT_USAGE;
		}
		switch (c) {
		case 'N':
			*no_rescan = true;
			break;
		case 'f':
			*force = true;
			break;
		case 'e':
			*excl = true;
			break;
		case 'h':
			qgroup_usage(stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option("qgroup", argv);
		}
	}
	return -1;
}

static int need_args(int argc, int want, const char *sub)
{
	if (argc - optind != want) {
		cli_error(P_("qgroup %s takes %d argument", "qgroup %s takes %d arguments", want),
			  sub, want);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

static int cmd_create(int argc, char **argv, bool create)
{
	bool nr = false, force = false, excl = false;
	char idbuf[32];
	struct live_fs fs;
	uint64_t id;
	int rc, ret;

	rc = parse_opts(argc, argv, &nr, &force, &excl, "");
	if (rc >= 0)
		return rc;
	rc = need_args(argc, 2, argv[0]);
	if (rc >= 0)
		return rc;
	if ((rc = parse_id(argv[optind], &id)))
		return rc;
	if ((rc = cli_admin_open(argv[optind + 1], &fs)))
		return rc;
	qgroup_id_format(id, idbuf, sizeof(idbuf));
	ret = create ? live_admin_qgroup_create(&fs, id) : live_admin_qgroup_destroy(&fs, id);
	if (ret == -ENOENT && !create)
		rc = (cli_error(_("cannot destroy qgroup %s: no such qgroup"), idbuf), CLI_EXIT_USAGE);
	else if (ret)
		rc = cli_admin_error(ret, argv[optind + 1],
				     create ? _("cannot create qgroup %s") : _("cannot destroy qgroup %s"),
				     idbuf);
	else
		printf(create ? _("created qgroup %s\n") : _("destroyed qgroup %s\n"), idbuf);
	live_fs_close(&fs);
	return rc;
}

/* start the rescan an inconsistent assign needs; returns the exit code */
static int follow_up_rescan(struct live_fs *fs, const char *path, bool was_running)
{
	int ret, rc;

	if (was_running) {
		printf(_("waiting for the running rescan to finish before rescanning again\n"));
		fflush(stdout);
		rc = cli_admin_wait_idle(fs, path);
		if (rc) {
			printf(_("the numbers stay wrong until a rescan runs after the current "
				 "one: qgtop rescan %s\n"), path);
			return rc;
		}
	}
	ret = live_rescan_start(fs);
	if (ret < 0 && ret != -EINPROGRESS)
		return cli_admin_error(ret, path, _("cannot start a rescan"));
	printf(ret ? _("a rescan is already running on %s\n")
		   : _("quota data changed, rescan started on %s\n"), path);
	return CLI_EXIT_OK;
}

/*
 * The kernel says EINVAL/ENOENT for a missing qgroup or relation and
 * EEXIST for an existing relation; name the cause. Returns the exit code,
 * or -1 when the cause is something else.
 */
static int assign_cause(struct live_fs *fs, int err, uint64_t child, uint64_t parent,
			bool assign, const char *cbuf, const char *pbuf)
{
	char head[128];
	struct qgroup_model m;
	int rc = -1;

	if (err != -EINVAL && err != -ENOENT && err != -EEXIST)
		return -1;
	if (assign)
		snprintf(head, sizeof(head), _("cannot assign %s to %s"), cbuf, pbuf);
	else
		snprintf(head, sizeof(head), _("cannot remove %s from %s"), cbuf, pbuf);
	if (err == -EEXIST) {
		cli_error(_("%s: %s is already a member of %s"), head, cbuf, pbuf);
		return CLI_EXIT_USAGE;
	}
	qgroup_model_init(&m);
	if (live_quota_read(fs, &m, NULL) == 0) {
		if (!qgroup_model_find(&m, child)) {
			cli_error(_("%s: no such qgroup %s"), head, cbuf);
			rc = CLI_EXIT_USAGE;
		} else if (!qgroup_model_find(&m, parent)) {
			cli_error(_("%s: no such qgroup %s"), head, pbuf);
			rc = CLI_EXIT_USAGE;
		} else if (!assign) {
			cli_error(_("%s: %s is not a member of %s"), head, cbuf, pbuf);
			rc = CLI_EXIT_USAGE;
		}
	}
	qgroup_model_free(&m);
	return rc;
}

static int cmd_assign(int argc, char **argv, bool assign)
{
	bool no_rescan = false, force = false, excl = false, inconsistent, running = false;
	char cbuf[32], pbuf[32];
	enum qgroup_quota_mode mode;
	struct live_fs fs;
	uint64_t child, parent;
	const char *path;
	int rc, ret;

	rc = parse_opts(argc, argv, &no_rescan, &force, &excl, "Nf");
	if (rc >= 0)
		return rc;
	rc = need_args(argc, 3, argv[0]);
	if (rc >= 0)
		return rc;
	if ((rc = parse_id(argv[optind], &child)) || (rc = parse_id(argv[optind + 1], &parent)))
		return rc;
	qgroup_id_format(child, cbuf, sizeof(cbuf));
	qgroup_id_format(parent, pbuf, sizeof(pbuf));
	if (QGROUP_LEVEL(child) >= QGROUP_LEVEL(parent)) {
		cli_error(_("qgroup %s must have a lower level than %s"), cbuf, pbuf);
		return CLI_EXIT_USAGE;
	}
	path = argv[optind + 2];
	if ((rc = cli_admin_open(path, &fs)))
		return rc;
	ret = live_admin_state(&fs, &mode, &running);
	if (!ret && running && !force) {
		cli_error(_("a quota rescan is running on %s: %s now can leave wrong totals "
			    "(use --force to do it and rescan again afterwards)"), path,
			  assign ? _("assigning") : _("removing"));
		rc = CLI_EXIT_STATE;
		goto out_close;
	}
	if (!ret)
		ret = live_admin_qgroup_assign(&fs, child, parent, assign,
					       force ? LIVE_ADMIN_FORCE : 0, &inconsistent);
	if (ret) {
		rc = assign_cause(&fs, ret, child, parent, assign, cbuf, pbuf);
		if (rc < 0)
			rc = cli_admin_error(ret, path, assign ? _("cannot assign %s to %s")
							       : _("cannot remove %s from %s"),
					     cbuf, pbuf);
		goto out_close;
	}
	printf(assign ? _("assigned %s to %s\n") : _("removed %s from %s\n"), cbuf, pbuf);
	if (!inconsistent || mode == QGROUP_MODE_SIMPLE)
		goto out_close;
	if (no_rescan) {
		printf(_("the qgroup numbers are now inconsistent; run 'qgtop rescan %s'\n"), path);
		goto out_close;
	}
	rc = follow_up_rescan(&fs, path, running);
out_close:
	live_fs_close(&fs);
	return rc;
}

static int cmd_limit(int argc, char **argv)
{
	bool nr = false, force = false, excl = false;
	char idbuf[32];
	struct live_fs fs;
	uint64_t id, size;
	const char *path;
	int rc, ret;

	rc = parse_opts(argc, argv, &nr, &force, &excl, "e");
	if (rc >= 0)
		return rc;
	rc = need_args(argc, 3, argv[0]);
	if (rc >= 0)
		return rc;
	ret = units_parse_limit(argv[optind], NULL, &size);
	if (ret) {
		cli_error(_("invalid size '%s': %s"), argv[optind], units_parse_strerror(ret));
		return CLI_EXIT_USAGE;
	}
	if ((rc = parse_id(argv[optind + 1], &id)))
		return rc;
	qgroup_id_format(id, idbuf, sizeof(idbuf));
	path = argv[optind + 2];
	if ((rc = cli_admin_open(path, &fs)))
		return rc;
	ret = live_admin_qgroup_limit(&fs, id, excl ? QGROUP_LIMIT_MAX_EXCL : QGROUP_LIMIT_MAX_RFER,
				      size);
	if (ret == -ENOENT) {
		cli_error(_("cannot limit qgroup %s: no such qgroup"), idbuf);
		rc = CLI_EXIT_USAGE;
	} else if (ret) {
		rc = cli_admin_error(ret, path, _("cannot limit qgroup %s"), idbuf);
	} else if (size == UINT64_MAX) {
		printf(excl ? _("cleared the exclusive limit of %s\n")
			    : _("cleared the referenced limit of %s\n"), idbuf);
	} else {
		printf(excl ? _("limited %s to %llu exclusive bytes\n")
			    : _("limited %s to %llu referenced bytes\n"), idbuf,
		       (unsigned long long)size);
	}
	live_fs_close(&fs);
	return rc;
}

static int cmd_clear_stale(int argc, char **argv)
{
	bool nr_ = false, force = false, excl = false;
	struct live_admin_stale *list = NULL;
	size_t nr = 0, i;
	struct live_fs fs;
	char idbuf[32];
	int rc, ret;

	rc = parse_opts(argc, argv, &nr_, &force, &excl, "");
	if (rc >= 0)
		return rc;
	rc = need_args(argc, 1, argv[0]);
	if (rc >= 0)
		return rc;
	if ((rc = cli_admin_open(argv[optind], &fs)))
		return rc;
	ret = live_admin_clear_stale(&fs, &list, &nr);
	if (ret) {
		rc = cli_admin_error(ret, argv[optind], _("cannot clear stale qgroups"));
		goto out_close;
	}
	for (i = 0; i < nr; i++) {
		qgroup_id_format(list[i].id, idbuf, sizeof(idbuf));
		if (!list[i].err) {
			printf(_("destroyed stale qgroup %s\n"), idbuf);
		} else if (list[i].err == -EBUSY) {
			cli_error(_("cannot destroy stale qgroup %s: the kernel still counts bytes "
				    "against it (extents being freed, or with simple quotas still "
				    "used by a snapshot)"), idbuf);
			rc = CLI_EXIT_STATE;
		} else {
			cli_error(_("cannot destroy stale qgroup %s: %s"), idbuf,
				  strerror(-list[i].err));
			rc = CLI_EXIT_FAIL;
		}
	}
	if (!nr)
		printf(_("no stale qgroups on %s\n"), argv[optind]);
out_close:
	free(list);
	live_fs_close(&fs);
	return rc;
}

int cli_qgroup_main(int argc, char **argv)
{
	const char *sub;

	if (argc < 2) {
		cli_error(_("qgroup needs a subcommand: create, destroy, assign, remove, "
			    "limit, clear-stale"));
		return CLI_EXIT_USAGE;
	}
	sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
		qgroup_usage(stdout);
		return CLI_EXIT_OK;
	}
	argc--;
	argv++;
	if (!strcmp(sub, "create"))
		return cmd_create(argc, argv, true);
	if (!strcmp(sub, "destroy"))
		return cmd_create(argc, argv, false);
	if (!strcmp(sub, "assign"))
		return cmd_assign(argc, argv, true);
	if (!strcmp(sub, "remove"))
		return cmd_assign(argc, argv, false);
	if (!strcmp(sub, "limit"))
		return cmd_limit(argc, argv);
	if (!strcmp(sub, "clear-stale"))
		return cmd_clear_stale(argc, argv);
	cli_error(_("unknown qgroup subcommand '%s'"), sub);
	return CLI_EXIT_USAGE;
}
