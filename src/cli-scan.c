// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli-scan.c - `qgtop scan`: recompute every qgroup of an unmounted btrfs
 * image with the offline engine and compare with the stored numbers.
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

#include "cli.h"
#include "json-writer.h"
#include "model-json.h"
#include "model-table.h"
#include "nls.h"
#include "offline-engine.h"
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
		       "Recompute every qgroup of an unmounted btrfs filesystem (all its device\n"
		       "images or block devices) and compare with the numbers stored on disk.\n"
		       "Exit 0 when all match, 1 when any differs, 2 on error.\n\n"
		       "  --json             one JSON object (doc/json-schema.md)\n"
		       "  --pretty           indent the JSON\n"
		       "  --checkpoint FILE  save progress to FILE; resume from it if it exists\n"
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

int cli_scan_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "checkpoint", required_argument, NULL, 'c' },
		{ "freed", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		CLI_UNITS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct model_table_opts opts;
	struct offline_engine *e = NULL;
	struct qgroup_model m;
	const char *checkpoint = NULL;
	uint64_t *freed = NULL;
	size_t nr_freed = 0;
	bool json = false, pretty = false, tty;
	char err[512];
	int c, ret, rc;

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
		case 'c':
			checkpoint = optarg;
			break;
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
	if (optind == argc) {
		cli_error(_("scan needs at least one IMAGE"));
		free(freed);
		return CLI_EXIT_USAGE;
	}
	ret = offline_engine_open((const char *const *)argv + optind, (size_t)(argc - optind), &e,
				  err, sizeof(err));
	if (ret) {
		cli_error("%s", err);
		free(freed);
		/* scan has one exit code for every error (2), see qgtop(8) */
		return CLI_EXIT_USAGE;
	}
	signals_catch_terminating(on_signal);
	tty = isatty(STDERR_FILENO);
	qgroup_model_init(&m);
	ret = offline_engine_scan(e, &m, tty ? on_progress : NULL, NULL, &scan_cancel, checkpoint);
	if (tty)
		fprintf(stderr, "\r\033[K");
	if (ret == -ECANCELED) {
		cli_error(checkpoint ? _("scan interrupted; progress saved in %s") : _("scan interrupted"),
			  checkpoint);
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
