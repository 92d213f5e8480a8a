// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-rescan.c - `qgtop rescan`: start a quota rescan, show its status,
 * follow it with an honest percentage, and the three honest meanings of
 * "abort" (the kernel has no cancel or pause ioctl): detach,
 * pause by remounting read-only, cancel by disabling quotas after saving
 * the whole qgroup configuration.
 *
 * Signals: SIGINT/SIGTERM/SIGHUP are caught without SA_RESTART so a
 * blocked RESCAN_WAIT returns EINTR; the scan itself goes on.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "cli.h"
#include "json-writer.h"
#include "live-admin.h"
#include "live-mounts.h"
#include "live-quota.h"
#include "live-rescan.h"
#include "mono-time.h"
#include "nls.h"
#include "rescan-follow.h"
#include "signals.h"

enum rescan_mode { MODE_START, MODE_STATUS, MODE_WATCH, MODE_ABORT };
enum abort_kind { ABORT_DETACH, ABORT_PAUSE, ABORT_CANCEL };

struct rescan_opts {
	enum rescan_mode mode;
	enum abort_kind abort;
	bool wait, watch, json, yes;
	unsigned interval_ms;
	const char *save;
	const char *path;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static double wall_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static void rescan_usage(FILE *out)
{
	fprintf(out, _("Usage: qgtop rescan [--wait [--watch [--json]]] PATH\n"
		       "       qgtop rescan --status [--json] PATH\n"
		       "       qgtop rescan --watch [--json] PATH\n"
		       "       qgtop rescan --abort[=detach|pause|cancel] [--yes] [--save FILE] PATH\n"
		       "Start, show, follow or stop a quota rescan of the btrfs filesystem PATH is on.\n\n"
		       "  --wait             start, then wait until the rescan is done\n"
		       "                     (with --watch: print progress meanwhile)\n"
		       "  --status           show the rescan state, progress and percentage\n"
		       "  --watch            follow a running rescan until it ends, printing\n"
		       "                     progress\n"
		       "  --json             one JSON object per line\n"
		       "  --interval MS      poll interval of --watch (default 500)\n"
		       "  --abort=detach     stop following; the kernel scan goes on (default)\n"
		       "  --abort=pause      remount the filesystem read-only, which pauses the\n"
		       "                     scan until the next read-write mount; affects every\n"
		       "                     user of the filesystem (needs --yes)\n"
		       "  --abort=cancel     save the whole qgroup configuration to a file, then\n"
		       "                     disable quotas, which stops the scan and deletes the\n"
		       "                     configuration (needs --yes; restore with qgtop restore)\n"
		       "  --save FILE        where --abort=cancel saves the configuration\n"
		       "  --yes              confirm --abort=pause or --abort=cancel\n"
		       "  -h, --help         this help\n"
		       "The percentage is the estimated share of the rescan's work: extents below\n"
		       "the kernel's position, weighted by how many subvolumes share them.\n"));
}

/* exit code for errors of the rescan functions */
static int rescan_exit(int err)
{
	switch (-err) {
	case EOPNOTSUPP:
	case ENOTCONN:
	case EINPROGRESS:
		return CLI_EXIT_STATE;
	default:
		return cli_exit_for_errno(err);
	}
}

static int rescan_fail(const char *path, int err)
{
	cli_error(_("%s: %s"), path, live_rescan_strerror(err));
	return rescan_exit(err);
}

static void print_json(const struct qgroup_rescan *r, double count_pct, bool inconsistent)
{
	struct json_writer w;

	json_writer_init(&w, stdout, false);
	json_object_begin(&w);
	json_key(&w, "state");
	json_string(&w, qgroup_rescan_state_name(r->state));
	json_key(&w, "progress");
	json_u64(&w, r->progress);
	json_key(&w, "percent");
	if (r->percent >= 0)
		json_double(&w, r->percent, 2);
	else
		json_null(&w);
	json_key(&w, "elapsed_s");
	if (r->elapsed_s >= 0)
		json_double(&w, r->elapsed_s, 3);
	else
		json_null(&w);
	json_key(&w, "eta_s");
	if (r->eta_s >= 0)
		json_double(&w, r->eta_s, 1);
	else
		json_null(&w);
	json_key(&w, "rate");
	if (r->rate >= 0)
		json_double(&w, r->rate, 0);
	else
		json_null(&w);
	json_key(&w, "percent_items");
	if (count_pct >= 0)
		json_double(&w, count_pct, 2);
	else
		json_null(&w);
	json_key(&w, "inconsistent");
	json_bool(&w, inconsistent);
	json_key(&w, "time");
	json_double(&w, wall_now(), 3);
	json_object_end(&w);
	json_writer_finish(&w);
}

static void print_text(const struct qgroup_rescan *r)
{
	printf("%-10s", qgroup_rescan_state_name(r->state));
	if (r->percent >= 0)
		printf(_("  %5.1f%% of the work"), r->percent);
	else if (r->state != QGROUP_RESCAN_IDLE && r->state != QGROUP_RESCAN_STALE)
		printf(_("  (counting extents)"));
	if (r->elapsed_s >= 0)
		printf(_("  elapsed %.1fs"), r->elapsed_s);
	if (r->rate >= 0)
		printf(_("  %.0f extents/s"), r->rate);
	if (r->eta_s >= 0)
		printf(_("  ETA ~%.0fs (rough estimate)"), r->eta_s);
	if (r->state == QGROUP_RESCAN_PAUSED)
		printf(_("  (read-only or stalled: resumes at the next read-write mount)"));
	putchar('\n');
	fflush(stdout);
}

/* message and exit code for how a followed rescan ended */
static int report_end(const struct rescan_opts *o, const struct live_rescan_track *t)
{
	switch (t->end) {
	case LIVE_RESCAN_DONE:
		if (!o->json)
			printf(_("rescan finished: qgroup numbers are consistent\n"));
		return CLI_EXIT_OK;
	case LIVE_RESCAN_DONE_INCONSISTENT:
		cli_error(_("the rescan of %s ended but the qgroup numbers are still "
			    "inconsistent; start another rescan"), o->path);
		return CLI_EXIT_FAIL;
	case LIVE_RESCAN_NEVER_RAN:
		if (!o->json)
			printf(_("no rescan is running on %s\n"), o->path);
		return CLI_EXIT_OK;
	default:
		return CLI_EXIT_OK;
	}
}

/* QGTOP_PROGRESS_DEBUG: what the estimate rests on, for bench/ */
static void debug_index(const struct rescan_progress *rp, double now)
{
	const struct rescan_progress_index *ix = &rp->ix;
	unsigned lo = 0, hi = 0;
	double sum = 0;

	for (size_t s = 0; s < ix->nr_samples; s++) {
		unsigned r = ix->sample_roots[s];

		sum += r;
		if (s == 0 || r < lo)
			lo = r;
		if (r > hi)
			hi = r;
	}
	if (ix->roots) {
		sum = 0;
		for (size_t i = 0; i < ix->nr; i++) {
			sum += ix->roots[i];
			if (ix->roots[i] > hi)
				hi = ix->roots[i];
		}
		fprintf(stderr, "qgtop: index ready after %.2fs: %zu extents (%zu data), "
			"exact roots of %zu, mean %.1f max %u\n", now - rp->t0, ix->nr,
			ix->nr_data, ix->nr_exact, ix->nr ? sum / ix->nr : 0.0, hi);
	} else {
		fprintf(stderr, "qgtop: index ready after %.2fs: %zu extents (%zu data), "
			"%zu samples, roots mean %.1f min %u max %u\n", now - rp->t0, ix->nr,
			ix->nr_data, ix->nr_samples, ix->nr_samples ? sum / ix->nr_samples : 0.0,
			lo, hi);
	}
	if (ix->cache.probed)
		fprintf(stderr, "qgtop: cache probe: %zu leaves, %zu read from disk, "
			"cached lookup %.1fus, read %.1fus, read cost %.1f\n", ix->cache.probed,
			ix->cache.misses, ix->cache.hit_s * 1e6,
			ix->cache.misses ? ix->cache.extra_s / ix->cache.misses * 1e6 : 0.0,
			ix->read_cost);
	if (getenv("QGTOP_PROGRESS_DEBUG")[0] == '3')
		for (size_t i = 0; i < ix->nr; i++)
			fprintf(stderr, "extent %llu %u %u %u\n",
				(unsigned long long)ix->objectid[i], ix->kind[i], ix->refs[i],
				ix->roots ? ix->roots[i] : 0);
	if (getenv("QGTOP_PROGRESS_DEBUG")[0] >= '2')
		for (size_t s = 0; s < ix->nr_samples; s++)
			fprintf(stderr, "sample %zu %llu roots %u refs %u\n", s,
				(unsigned long long)ix->objectid[ix->sample_idx[s]],
				ix->sample_roots[s], ix->refs[ix->sample_idx[s]]);
}

/*
 * Follow a rescan until its flag clears. @started: we issued RESCAN at
 * @t_start (progress 0 then). With @quiet only the end is reported.
 */
static int follow(const struct rescan_opts *o, struct live_fs *fs, bool started,
		  double t_start, bool quiet)
{
	struct rescan_follow f;
	bool debugged = false, told_paused = false;
	int ret, rc = CLI_EXIT_OK;

	rescan_follow_init(&f, fs, started, t_start, !quiet);
	for (;;) {
		struct qgroup_rescan r;
		double count_pct;

		ret = rescan_follow_poll(&f, &r, &count_pct);
		if (ret) {
			rc = rescan_fail(o->path, ret);
			goto out;
		}
		if (f.track.state == QGROUP_RESCAN_STALE) {
			cli_error(_("quotas were disabled on %s: the rescan flag is left over "
				    "and no scan runs"), o->path);
			rc = CLI_EXIT_STATE;
			goto out;
		}
		if (!quiet) {
			if (f.progress_on && !debugged && rescan_progress_ready(&f.progress) == 1) {
				debugged = true;
				if (getenv("QGTOP_PROGRESS_DEBUG"))
					debug_index(&f.progress, f.last.t);
			}
			if (o->json)
				print_json(&r, count_pct, f.last.inconsistent);
			else
				print_text(&r);
		}
		if (f.track.end != LIVE_RESCAN_RUNNING) {
			rc = report_end(o, &f.track);
			goto out;
		}
		if (interrupted)
			break;
		if (quiet && f.track.state == QGROUP_RESCAN_PAUSED && !told_paused) {
			told_paused = true;
			fprintf(stderr, _("qgtop: the rescan of %s is paused (read-only or stalled); "
					  "waiting for it to resume\n"), o->path);
		}
		if (quiet && !interrupted) {
			/* WAIT sleeps in the kernel; never trusted alone: the loop re-polls */
			ret = live_rescan_wait(fs);
			if (ret && ret != -EINTR) {
				rc = rescan_fail(o->path, ret);
				goto out;
			}
			if (!ret && !interrupted)
				sleep_ms(100);
		} else {
			sleep_ms(o->interval_ms);
		}
		if (interrupted)
			break;
	}
	fprintf(stderr, _("qgtop: stopped following; the rescan goes on in the kernel\n"));
	rc = CLI_EXIT_INTERRUPTED;
out:
	if (f.progress_on) {
		ret = rescan_progress_ready(&f.progress);
		if (ret < 0 && ret != -ECANCELED)
			fprintf(stderr, _("qgtop: no percentage: cannot read the extent tree: %s\n"),
				strerror(-ret));
	}
	rescan_follow_end(&f);
	return rc;
}

static int do_start(const struct rescan_opts *o, struct live_fs *fs)
{
	double t_start = mono_time_now();
	int ret = live_rescan_start(fs);

	if (ret == -EINPROGRESS) {
		cli_error(_("a rescan is already running on %s; follow it with "
			    "'qgtop rescan --watch %s'"), o->path, o->path);
		return CLI_EXIT_STATE;
	}
	if (ret == -EOPNOTSUPP) {
		cli_error(_("%s uses simple quotas, which have no rescan"), o->path);
		return CLI_EXIT_STATE;
	}
	if (ret == -ENOTCONN) {
		cli_error(_("quotas are not enabled on %s"), o->path);
		return CLI_EXIT_STATE;
	}
	if (ret)
		return rescan_fail(o->path, ret);
	if (!o->wait && !o->watch) {
		printf(_("rescan started on %s\n"), o->path);
		return CLI_EXIT_OK;
	}
	return follow(o, fs, true, t_start, !o->watch);
}

static int do_status(const struct rescan_opts *o, struct live_fs *fs)
{
	struct live_rescan_sample s;
	struct qgroup_rescan r;
	enum qgroup_quota_mode mode;
	bool incons;
	double count_pct;
	int ret;

	ret = live_fs_quota_mode(fs, &mode, &incons);
	if (ret)
		return rescan_fail(o->path, ret);
	if (mode == QGROUP_MODE_SIMPLE) {
		cli_error(_("%s uses simple quotas, which have no rescan"), o->path);
		return CLI_EXIT_STATE;
	}
	ret = rescan_follow_once(fs, &r, &s, &count_pct, &interrupted);
	if (ret == -EINTR) {
		cli_error(_("interrupted while counting the extents of %s"), o->path);
		return CLI_EXIT_INTERRUPTED;
	}
	if (ret)
		return rescan_fail(o->path, ret);
	if (mode == QGROUP_MODE_DISABLED && !s.flag) {
		cli_error(_("quotas are not enabled on %s"), o->path);
		return CLI_EXIT_STATE;
	}
	if (o->json) {
		print_json(&r, count_pct, s.inconsistent);
		return CLI_EXIT_OK;
	}
	printf(_("state: %s\n"), qgroup_rescan_state_name(r.state));
	if (s.flag)
		printf(_("progress: %llu (extent-tree position)\n"),
		       (unsigned long long)s.progress);
	if (r.percent >= 0)
		printf(_("percent: %.1f (estimated share of the work)\n"), r.percent);
	printf(_("inconsistent: %s\n"), s.inconsistent ? _("yes") : _("no"));
	if (r.state == QGROUP_RESCAN_PAUSED)
		printf(_("the filesystem is read-only: the scan resumes at the next "
			 "read-write mount\n"));
	else if (r.state == QGROUP_RESCAN_STALE)
		printf(_("quotas are disabled: the rescan flag is left over, no scan runs\n"));
	return CLI_EXIT_OK;
}

/* a mountpoint of the filesystem @fs (MS_REMOUNT needs one), malloc'ed */
static char *find_mountpoint(const struct live_fs *fs)
{
	struct live_mount_list list;
	char *mp = NULL;

	if (live_mounts_read(NULL, &list))
		return NULL;
	for (size_t i = 0; i < list.nr; i++)
		if (!strcmp(list.mounts[i].uuid, fs->uuid) && list.mounts[i].nr_mountpoints) {
			mp = strdup(list.mounts[i].mountpoints[0]);
			break;
		}
	live_mounts_free(&list);
	return mp;
}

static int do_abort(const struct rescan_opts *o, struct live_fs *fs)
{
	struct live_rescan_sample s;
	struct live_admin_saved saved;
	char *mp;
	int ret;

	ret = live_rescan_sample(fs, mono_time_now(), &s);
	if (ret)
		return rescan_fail(o->path, ret);
	if (!s.flag || !s.quota_on) {
		cli_error(_("no rescan is running on %s"), o->path);
		return CLI_EXIT_STATE;
	}
	switch (o->abort) {
	case ABORT_DETACH:
		printf(_("the kernel has no way to cancel a rescan: it goes on in the kernel.\n"
			 "Stopping to watch (Ctrl-C in --watch or --wait) is always safe.\n"
			 "To pause it until the next mount: qgtop rescan --abort=pause --yes %s\n"
			 "To cancel it by disabling quotas (the configuration is saved first):\n"
			 "  qgtop rescan --abort=cancel --yes %s\n"), o->path, o->path);
		return CLI_EXIT_OK;
	case ABORT_PAUSE:
		if (!o->yes) {
			cli_error(_("--abort=pause remounts %s read-only for every user of the "
				    "filesystem; add --yes to do it"), o->path);
			return CLI_EXIT_USAGE;
		}
		if (s.read_only) {
			cli_error(_("%s is already read-only: the rescan is paused"), o->path);
			return CLI_EXIT_STATE;
		}
		mp = find_mountpoint(fs);
		if (!mp) {
			cli_error(_("cannot find the mountpoint of %s"), o->path);
			return CLI_EXIT_FAIL;
		}
		ret = live_rescan_pause(mp);
		if (ret) {
			cli_error(_("cannot remount %s read-only: %s"), mp, strerror(-ret));
			free(mp);
			return ret == -EBUSY ? CLI_EXIT_STATE : cli_exit_for_errno(ret);
		}
		printf(_("%s remounted read-only: the rescan is paused and the qgroup numbers\n"
			 "stay partial (inconsistent) until it resumes. Every user of the\n"
			 "filesystem is affected. Resume with: mount -o remount,rw %s\n"
			 "and check that it resumed (once seen not to): qgtop rescan --status %s\n"),
		       mp, mp, mp);
		free(mp);
		return CLI_EXIT_OK;
	case ABORT_CANCEL:
		if (!o->yes) {
			cli_error(_("--abort=cancel disables quotas on %s, which deletes every "
				    "qgroup, relation and limit (saved to a file first); add --yes "
				    "to do it"), o->path);
			return CLI_EXIT_USAGE;
		}
		ret = live_admin_quota_disable(fs, o->save, &saved);
		if (saved.save_err) {
			ret = cli_quota_save_failed(&saved, o->path, o->save);
			live_admin_saved_free(&saved);
			return ret;
		}
		if (ret) {
			if (saved.path) {
				cli_quota_saved_note(&saved);
				cli_error(_("configuration saved to %s, but cannot disable quotas "
					    "on %s: %s"), saved.path, o->path, strerror(-ret));
			} else {
				cli_admin_error(ret, o->path, _("cannot cancel the rescan"));
			}
			live_admin_saved_free(&saved);
			return cli_exit_for_errno(ret);
		}
		cli_quota_saved_note(&saved);
		printf(_("rescan cancelled: quotas disabled on %s.\n"
			 "The qgroup configuration (qgroups, relations, limits) was saved to\n"
			 "  %s\n"
			 "Re-create it later (enabling quotas starts a new rescan) with:\n"
			 "  qgtop quota enable %s && qgtop restore %s %s\n"),
		       o->path, saved.path, o->path, saved.path, o->path);
		live_admin_saved_free(&saved);
		return CLI_EXIT_OK;
	}
	return CLI_EXIT_FAIL;
}

static int parse_abort(const char *arg, enum abort_kind *k)
{
	if (!arg || !strcmp(arg, "detach"))
		*k = ABORT_DETACH;
	else if (!strcmp(arg, "pause"))
		*k = ABORT_PAUSE;
	else if (!strcmp(arg, "cancel"))
		*k = ABORT_CANCEL;
	else
		return -EINVAL;
	return 0;
}

int cli_rescan_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "wait", no_argument, NULL, 'w' },
		{ "status", no_argument, NULL, 's' },
		{ "watch", no_argument, NULL, 'W' },
		{ "abort", optional_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "interval", required_argument, NULL, 'i' },
		{ "yes", no_argument, NULL, 'y' },
		{ "save", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rescan_opts o = { .mode = MODE_START, .interval_ms = 500 };
	bool status = false, do_abort_opt = false;
	struct live_fs fs;
	int c, ret, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		char *end;
		unsigned long v;

		switch (c) {
		case 'w':
			o.wait = true;
			break;
		case 's':
			status = true;
			break;
		case 'W':
			o.watch = true;
			break;
		case 'a':
			do_abort_opt = true;
			if (parse_abort(optarg, &o.abort)) {
				cli_error(_("invalid --abort choice '%s' (detach, pause, cancel)"),
					  optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'j':
			o.json = true;
			break;
		case 'i':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 10 || v > 60000) {
				cli_error(_("invalid interval '%s' (10..60000 ms)"), optarg);
				return CLI_EXIT_USAGE;
			}
			o.interval_ms = (unsigned)v;
			break;
		case 'y':
			o.yes = true;
			break;
		case 'S':
			o.save = optarg;
			break;
		case 'h':
			rescan_usage(stdout);
			return CLI_EXIT_OK;
		default:
			/* one line, like every other error; the usage is behind --help */
			cli_error(_("invalid option or missing argument '%s' (see qgtop rescan --help)"),
				  argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		cli_error(optind == argc ? _("rescan needs a PATH") : _("rescan takes one PATH"));
		return CLI_EXIT_USAGE;
	}
	o.path = argv[optind];
	if (status + do_abort_opt > 1 || ((status || do_abort_opt) && (o.wait || o.watch))) {
		cli_error(_("--status, --abort and --wait/--watch exclude each other"));
		return CLI_EXIT_USAGE;
	}
	if (status)
		o.mode = MODE_STATUS;
	else if (do_abort_opt)
		o.mode = MODE_ABORT;
	else if (o.watch && !o.wait)
		o.mode = MODE_WATCH;
	if ((o.yes || o.save) && o.mode != MODE_ABORT) {
		cli_error(_("--yes and --save go with --abort"));
		return CLI_EXIT_USAGE;
	}
	if (o.json && o.mode != MODE_STATUS && !o.watch) {
		cli_error(_("--json goes with --status or --watch"));
		return CLI_EXIT_USAGE;
	}
	ret = live_fs_open(o.path, &fs);
	if (ret)
		return cli_open_error(o.path, ret);
	signals_catch_terminating(on_signal);
	switch (o.mode) {
	case MODE_STATUS:
		rc = do_status(&o, &fs);
		break;
	case MODE_ABORT:
		rc = do_abort(&o, &fs);
		break;
	case MODE_WATCH:
		rc = follow(&o, &fs, false, 0, false);
		break;
	default:
		rc = do_start(&o, &fs);
		break;
	}
	live_fs_close(&fs);
	return rc;
}
