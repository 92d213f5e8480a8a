// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-metrics.c - `qgtop metrics [--output FILE] [PATH...]`: the quota
 * state of every mounted btrfs filesystem (or of those PATH is on) in the
 * Prometheus text format, for node_exporter's textfile collector.
 *
 * A filesystem that cannot be read is named in a comment line and on
 * stderr, and the others are still written: a partial file is worth more
 * to a fleet's dashboards than none. --output replaces FILE atomically (a
 * temporary file in the same directory, renamed), as the textfile
 * collector requires, readable by the exporter (0644).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "live-fs.h"
#include "live-mounts.h"
#include "live-quota.h"
#include "metrics-prom.h"
#include "nls.h"
#include "rescan-follow.h"

static void metrics_usage(FILE *out)
{
	fprintf(out, _("Usage: qgtop metrics [--output FILE] [PATH...]\n"
		       "Write the quota state of every mounted btrfs filesystem (or of those the\n"
		       "PATHs are on) in the Prometheus text format.\n\n"
		       "  -o, --output FILE  replace FILE atomically instead of writing to stdout\n"
		       "                     (for node_exporter's textfile collector: *.prom)\n"
		       "  -h, --help         this help\n"));
}

struct metrics_set {
	struct qgroup_model **models;
	size_t nr;
	bool no_tree;		/* some were read without root: sysfs only */
	int failed;		/* the first error, or 0 */
	char *errors;		/* comment lines naming what could not be read */
	size_t errors_len;
};

static void note_error(struct metrics_set *set, const char *path, int err)
{
	char line[4096];
	int n;

	cli_error(_("cannot read the quota state of %s: %s"), path, strerror(-err));
	if (!set->failed)
		set->failed = err;
	/* a comment line: no newline of a path may end it early */
	n = snprintf(line, sizeof(line), "# qgtop: cannot read %s: %s\n", path, strerror(-err));
	for (int i = 0; i < n - 1; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = '?';
	if (n > 0) {
		char *grown = realloc(set->errors, set->errors_len + (size_t)n + 1);

		if (grown) {
			memcpy(grown + set->errors_len, line, (size_t)n + 1);
			set->errors = grown;
			set->errors_len += (size_t)n;
		}
	}
}

/* read the filesystem @path is on, once per filesystem */
static int add_fs(struct metrics_set *set, const char *path)
{
	struct qgroup_model *m, **grown;
	unsigned missing = 0;
	struct live_fs fs;
	int ret;

	ret = live_fs_open(path, &fs);
	if (ret) {
		note_error(set, path, ret);
		return ret == -ENOMEM ? ret : 0;
	}
	for (size_t i = 0; i < set->nr; i++)
		if (!strcmp(set->models[i]->fs.uuid, fs.uuid))
			goto out_close;
	m = calloc(1, sizeof(*m));
	grown = realloc(set->models, (set->nr + 1) * sizeof(*grown));
	if (!m || !grown) {
		free(m);
		if (grown)
			set->models = grown;
		ret = -ENOMEM;
		goto out_close;
	}
	set->models = grown;
	qgroup_model_init(m);
	ret = live_quota_read(&fs, m, &missing);
	if (ret) {
		note_error(set, path, ret);
		qgroup_model_free(m);
		free(m);
		ret = ret == -ENOMEM ? ret : 0;
		goto out_close;
	}
	if (missing & LIVE_QUOTA_NO_TREE)
		set->no_tree = true;
	rescan_follow_model(&fs, m);
	set->models[set->nr++] = m;
out_close:
	live_fs_close(&fs);
	return ret;
}

static int write_all(const struct metrics_set *set, FILE *out)
{
	if (set->no_tree)
		fputs("# qgtop: not root: numbers, limits and reservations from sysfs; "
		      "no relations, paths or rescan state\n", out);
	if (set->errors)
		fputs(set->errors, out);
	return metrics_prom_write(out, (const struct qgroup_model *const *)set->models, set->nr);
}

/* temporary file beside @file, renamed over it: readers never see half */
static int write_atomically(const struct metrics_set *set, const char *file)
{
	char *dir = strdup(file), *base = strdup(file), *tmp = NULL;
	FILE *f = NULL;
	int fd = -1, ret;

	/* hidden and without .prom: the collector never reads it half written */
	if (!dir || !base || asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dir), basename(base)) < 0) {
		tmp = NULL;
		ret = -ENOMEM;
		goto out_free;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		free(tmp);
		tmp = NULL;
		goto out_free;
	}
	/* the exporter runs as another user and must read it */
	if (fchmod(fd, 0644) || !(f = fdopen(fd, "w"))) {
		ret = -errno;
		close(fd);
		goto out_unlink;
	}
	ret = write_all(set, f);
	if (!ret && fsync(fileno(f)))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, file))
		ret = -errno;
out_unlink:
	if (ret)
		unlink(tmp);
out_free:
	free(tmp);
	free(dir);
	free(base);
	return ret;
}

int cli_metrics_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct metrics_set set = { 0 };
	const char *output = NULL;
	int c, ret = 0, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'h':
			metrics_usage(stdout);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option("metrics", argv);
		}
	}
	if (output && !*output) {
		cli_error(_("empty --output file name"));
		return CLI_EXIT_USAGE;
	}
	if (optind < argc) {
		for (int i = optind; !ret && i < argc; i++)
			ret = add_fs(&set, argv[i]);
	} else {
		struct live_mount_list l;

		ret = live_mounts_read(NULL, &l);
		if (ret) {
			cli_error(_("cannot read the mount table: %s"), strerror(-ret));
			return cli_exit_for_errno(ret);
		}
		for (size_t i = 0; !ret && i < l.nr; i++)
			ret = add_fs(&set, live_mounts_best_path(&l.mounts[i]));
		live_mounts_free(&l);
	}
	if (ret) {
		cli_error("%s", strerror(-ret));
		rc = cli_exit_for_errno(ret);
		goto out_free;
	}
	ret = output ? write_atomically(&set, output) : write_all(&set, stdout);
	if (ret) {
		cli_error(output ? _("cannot write %s: %s") : _("cannot write the metrics%s: %s"),
			  output ? output : "", strerror(-ret));
		rc = cli_exit_for_errno(ret);
	} else {
		/* written, but a filesystem is missing from it */
		rc = set.failed ? cli_exit_for_errno(set.failed) : CLI_EXIT_OK;
	}
out_free:
	for (size_t i = 0; i < set.nr; i++) {
		qgroup_model_free(set.models[i]);
		free(set.models[i]);
	}
	free(set.models);
	free(set.errors);
	return rc;
}
