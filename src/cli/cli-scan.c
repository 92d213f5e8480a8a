// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-scan.c - `qgtop scan`: recompute every qgroup of an unmounted btrfs
 * image, or of a mounted filesystem through its devices, with the offline
 * engine and compare with the stored numbers.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "json-writer.h"
#include "model-json.h"
#include "model-table.h"
#include "nls.h"
#include "offline/offline-engine.h"
#include "signals.h"

static atomic_int scan_cancel;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&scan_cancel, 1);
}

static void scan_usage(FILE *out)
{
	fprintf(out, _("Usage: qgtop scan [OPTIONS] IMAGE...\n"
		       "       qgtop scan [OPTIONS] DIRECTORY\n"
		       "Recompute every qgroup of an unmounted btrfs filesystem (all its device\n"
		       "images or block devices), or of the mounted filesystem DIRECTORY is on\n"
		       "(read from its devices, as root, without a rescan and without changing\n"
		       "anything), and compare with the numbers stored in the same commit.\n"
		       "Exit 0 when all match, 1 when any differs, 2 on error, 3 without root\n"
		       "for a mounted filesystem, 6 when it changed too often during the scan.\n\n"
		       "  --json             one JSON object (doc/json-schema.md)\n"
		       "  --pretty           indent the JSON\n"
		       "  --sync             mounted filesystem: commit it first, so the numbers\n"
		       "                     include recent writes\n"
		       "  --checkpoint FILE  save progress to FILE; resume from it if it exists\n"
		       "  --checkpoint-interval SECONDS\n"
		       "                     save every SECONDS (default 30; 0: after every\n"
		       "                     tree block, slow)\n"
		       "  --freed ID[,ID]    print only the bytes deleting these subvolumes frees\n"
		       "  --raw --iec --si --kbytes --mbytes --gbytes --tbytes\n"
		       "                     units (default --iec)\n"
		       "  -h, --help         this help\n"));
}

static void on_progress(const struct offline_progress *p, void *ctx)
{
	(void)ctx;
	fputc('\r', stderr);
	if (p->total)
		fprintf(stderr, _("scanning metadata: %3.0f%% (%" PRIu64 " of %" PRIu64 " MiB)"),
			100.0 * (double)p->done / (double)p->total, p->done >> 20, p->total >> 20);
	else
		fprintf(stderr, _("scanning metadata: %" PRIu64 " MiB"), p->done >> 20);
}

/* a warning the scan goes on after, on its own line below the progress */
static void on_warn(const char *msg, void *ctx)
{
	bool tty = *(const bool *)ctx;

	if (tty)
		fprintf(stderr, "\r\033[K");
	cli_error(_("warning: %s"), msg);
}

static bool model_differs(const struct qgroup_model *m)
{
	for (size_t i = 0; i < m->nr_qgroups; i++) {
		const struct qgroup *q = &m->qgroups[i];

		if (q->has_stored && (q->rfer != q->stored_rfer || q->excl != q->stored_excl))
			return true;
	}
	return false;
}

static void print_status(const struct qgroup_model *m)
{
	if (m->fs.live_scan)
		printf(_("mounted filesystem, numbers of commit (generation) %" PRIu64 "\n"),
		       m->fs.generation);
	if (m->mode == QGROUP_MODE_DISABLED) {
		printf(_("quotas are not enabled: computed numbers only\n"));
		return;
	}
	printf(_("quota status: flags 0x%" PRIx64 ", generation %" PRIu64 "\n"), m->status_flags,
	       m->status_generation);
	if (m->inconsistent)
		printf(_("WARNING: stored qgroup data marked inconsistent\n"));
	if (m->rescan.state == QGROUP_RESCAN_PAUSED)
		printf(_("WARNING: a rescan was left half done on disk (at key %" PRIu64 ")\n"),
		       m->rescan.progress);
	if (m->mode == QGROUP_MODE_SIMPLE)
		printf(_("simple quotas: numbers accounted by extent owner\n"));
}

static int print_freed(struct offline_engine *e, const uint64_t *ids, size_t nr, bool json,
		       bool pretty, struct units u)
{
	uint64_t bytes;
	int ret = offline_engine_freed(e, ids, nr, &bytes);

	if (ret)
		return ret;
	if (json) {
		struct json_writer w;

		json_writer_init(&w, stdout, pretty);
		json_object_begin(&w);
		json_key(&w, "subvolumes");
		json_array_begin(&w);
		for (size_t i = 0; i < nr; i++)
			json_u64(&w, ids[i]);
		json_array_end(&w);
		json_key(&w, "freed");
		json_u64(&w, bytes);
		json_object_end(&w);
		json_writer_finish(&w);
	} else {
		char buf[64];

		printf(_("deleting these subvolumes would free %s\n"),
		       units_format(bytes, u, buf, sizeof(buf)));
	}
	return 0;
}

/* a directory names the mounted filesystem it is on; anything else is an
 * image or a device (a regular file on btrfs may well be an image) */
static bool names_mounted_fs(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int open_engine(char **paths, size_t nr, bool live, bool sync,
		       struct offline_engine **e, char *err, size_t errlen)
{
	if (live)
		return offline_engine_open_live(paths[0], sync, &scan_cancel, e, err, errlen);
	return offline_engine_open((const char *const *)paths, nr, &scan_cancel, e, err, errlen);
}

int cli_scan_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "checkpoint", required_argument, NULL, 'c' },
		{ "checkpoint-interval", required_argument, NULL, 'I' },
		{ "freed", required_argument, NULL, 'f' },
		{ "sync", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		CLI_UNITS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct model_table_opts opts;
	struct offline_engine *e = NULL;
	struct qgroup_model m;
	const char *checkpoint = NULL;
	long interval = -1;
	uint64_t *freed = NULL;
	size_t nr_freed = 0;
	bool json = false, pretty = false, sync = false, live, tty;
	char err[512];
	int c, ret, rc, restarts = 0;

	model_table_opts_default(&opts);
	opts.show_stored = true;
	opts.show_path = true;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_units_opt(c, &opts.units))
			continue;
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'P':
			pretty = true;
			break;
		case 'S':
			sync = true;
			break;
		case 'c':
			checkpoint = optarg;
			break;
		case 'I': {
			char *end;

			errno = 0;
			interval = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || interval < 0 || interval > 86400) {
				cli_error(_("--checkpoint-interval takes seconds from 0 to 86400, "
					    "not '%s'"), optarg);
				free(freed);
				return CLI_EXIT_USAGE;
			}
			break;
		}
		case 'f':
			free(freed);
			freed = NULL;
			if (cli_parse_id_list(optarg, &freed, &nr_freed))
				return CLI_EXIT_USAGE;
			for (size_t i = 0; i < nr_freed; i++)
				if (QGROUP_LEVEL(freed[i])) {
					cli_error(_("--freed takes subvolume (level 0) ids"));
					free(freed);
					return CLI_EXIT_USAGE;
				}
			break;
		case 'h':
			scan_usage(stdout);
			return CLI_EXIT_OK;
		default:
			scan_usage(stderr);
			free(freed);
			return CLI_EXIT_USAGE;
		}
	}
	if (interval >= 0 && !checkpoint) {
		cli_error(_("--checkpoint-interval needs --checkpoint FILE"));
		free(freed);
		return CLI_EXIT_USAGE;
	}
	if (optind == argc) {
		cli_error(_("scan needs at least one IMAGE"));
		free(freed);
		return CLI_EXIT_USAGE;
	}
	live = names_mounted_fs(argv[optind]);
	if (live && (argc - optind > 1 || checkpoint)) {
		cli_error(argc - optind > 1 ? _("scan takes one DIRECTORY of a mounted filesystem")
					    : _("--checkpoint is for images: a mounted filesystem "
						"moves on between runs"));
		free(freed);
		return CLI_EXIT_USAGE;
	}
	if (sync && !live) {
		cli_error(_("--sync is for a mounted filesystem (a DIRECTORY on it)"));
		free(freed);
		return CLI_EXIT_USAGE;
	}
	/* before the open: reading the chunk and root trees can take long too */
	signals_catch_terminating(on_signal);
	tty = isatty(STDERR_FILENO);
	qgroup_model_init(&m);
	for (;;) {
		ret = open_engine(argv + optind, (size_t)(argc - optind), live,
				  sync && !restarts, &e, err, sizeof(err));
		if (!ret) {
			offline_engine_set_warn(e, on_warn, &tty);
			if (interval >= 0)
				offline_engine_set_checkpoint_interval(e, (unsigned)interval);
			ret = offline_engine_scan(e, &m, tty ? on_progress : NULL, NULL,
						  &scan_cancel, checkpoint);
			if (tty)
				fprintf(stderr, "\r\033[K");
		} else if (ret != -EAGAIN) {
			cli_error("%s", err);
			qgroup_model_free(&m);
			free(freed);
			/* scan exits 2 on every error but these, see qgtop(8) */
			return ret == -ECANCELED ? CLI_EXIT_INTERRUPTED :
			       ret == -EPERM ? CLI_EXIT_PERM : CLI_EXIT_USAGE;
		}
		if (ret != -EAGAIN)
			break;
		/* a mounted filesystem committed under us: start over from
		 * its new superblock */
		offline_engine_close(e);
		e = NULL;
		qgroup_model_free(&m);
		qgroup_model_init(&m);
		if (++restarts > OFFLINE_LIVE_RESTARTS) {
			cli_error(_("the filesystem changed too often during the scan "
				    "(%d restarts); try again when it is quieter"),
				  OFFLINE_LIVE_RESTARTS);
			free(freed);
			return CLI_EXIT_CHANGED;
		}
		cli_error(_("warning: the filesystem committed during the scan; starting over "
			    "(%d of %d)"), restarts, OFFLINE_LIVE_RESTARTS);
	}
	if (ret == -ECANCELED) {
		int saved = checkpoint ? offline_engine_checkpoint_status(e) : 0;

		/* the engine names the phase; "saved" only when it was */
		if (saved > 0)
			cli_error(_("%s; progress saved in %s"), offline_engine_error(e), checkpoint);
		else if (saved < 0)
			cli_error(_("%s; %s"), offline_engine_error(e),
				  offline_engine_checkpoint_error(e));
		else if (checkpoint)
			cli_error(_("%s; no progress saved in %s"), offline_engine_error(e),
				  checkpoint);
		else
			cli_error("%s", offline_engine_error(e));
		rc = CLI_EXIT_INTERRUPTED;
		goto out;
	}
	if (ret) {
		cli_error("%s", offline_engine_error(e)[0] ? offline_engine_error(e) : strerror(-ret));
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (freed) {
		if (m.mode == QGROUP_MODE_SIMPLE) {
			cli_error(_("--freed needs full qgroup accounting, not simple quotas"));
			rc = CLI_EXIT_USAGE;
			goto out;
		}
		ret = print_freed(e, freed, nr_freed, json, pretty, opts.units);
		if (ret)
			cli_error(_("cannot compute freed bytes: %s"), strerror(-ret));
		rc = ret ? CLI_EXIT_USAGE : CLI_EXIT_OK;
		goto out;
	}
	if (json) {
		model_json_write(&m, stdout, pretty);
	} else {
		print_status(&m);
		ret = model_table_write(&m, &opts, stdout);
		if (ret) {
			rc = cli_exit_for_errno(ret);
			goto out;
		}
	}
	rc = model_differs(&m) ? CLI_EXIT_DIFFER : CLI_EXIT_OK;
	if (fflush(stdout))
		rc = CLI_EXIT_USAGE;
out:
	qgroup_model_free(&m);
	offline_engine_close(e);
	free(freed);
	free(opts.only);
	return rc;
}
