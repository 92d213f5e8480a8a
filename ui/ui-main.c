// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ui-main.c - the curses frontend: arguments, the session it opens, and
 * the input loop. The loop waits for the terminal and the worker's wake
 * pipe; all reading of the filesystem and every change happen in the
 * worker (ui-worker.c), so keys are answered while the kernel is busy.
 * What keys do is in ui-actions.c, the terminal in ui-term.c.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "nls.h"
#include "ui-actions.h"
#include "ui-draw.h"
#include "ui-int.h"
#include "ui-picker.h"
#include "ui-term.h"
#include "ui.h"
#include "view-format.h"

static void take_from_worker(struct ui *ui)
{
	struct qgroup_model *m;
	char buf[64];

	while (read(ui->w.wake[0], buf, sizeof(buf)) > 0)
		;
	m = ui_worker_take(&ui->w);
	if (m) {
		struct qgroup_model *old = ui->m;

		view_build(&ui->v, m);
		ui->m = m;
		if (old) {
			qgroup_model_free(old);
			free(old);
		}
	}
	pthread_mutex_lock(&ui->w.lock);
	/* a message that stays is not replaced: the newer ones wait */
	if (ui->msg_sticky) {
		pthread_mutex_unlock(&ui->w.lock);
		return;
	}
	if (ui->w.msg_new) {
		snprintf(ui->msg, sizeof(ui->msg), "%s", ui->w.msg);
		ui->msg_error = ui->w.msg_error;
		ui->msg_sticky = ui->w.msg_sticky;
		ui->w.msg_new = false;
	}
	if (ui->w.have_freed) {
		ui->have_freed = true;
		ui->freed = ui->w.freed;
		ui->freed_nr = ui->w.freed_nr;
		ui->w.have_freed = false;
		ui->msg[0] = '\0';
	}
	if (ui->w.refresh_err != ui->refresh_err) {
		ui->refresh_err = ui->w.refresh_err;
		if (ui->refresh_err == -ECANCELED)
			ui_message(ui, true, "%s", _("scan stopped: the numbers shown are incomplete"));
		else if (ui->refresh_err && ui->s.kind == SESSION_IMAGE && ui->s.error[0])
			ui_message(ui, true, "%s", ui->s.error);
		else if (ui->refresh_err)
			ui_message(ui, true, _("cannot read the quota state: %s"),
				strerror(-ui->refresh_err));
	}
	pthread_mutex_unlock(&ui->w.lock);
}

static int loop(struct ui *ui)
{
	int key;

	ui_draw(ui);
	for (;;) {
		bool busy = (ui->m && view_rescan_active(ui->m)) ||
			    (ui->s.kind == SESSION_IMAGE && !ui->s.scanned) || ui->switching;
		bool woken;

		if (ui_term_wait(ui->w.wake[0], busy ? 200 : 1000, &woken))
			return CLI_EXIT_FAIL;
		if (ui_term_signal)
			return 128 + ui_term_signal;
		if (ui->switching && ui_worker_reap(&ui->w) && ui_actions_switch_done(ui))
			return CLI_EXIT_FAIL;
		if (woken)
			take_from_worker(ui);
		while ((key = ui_term_key()) >= 0) {
			if (key == 0)
				continue;
			/* a sticky message takes the next key (a resize is none) */
			if (ui->msg_sticky && ui->k.mode == VIEW_MODE_NORMAL &&
			    key != VIEW_KEY_RESIZE) {
				/* the key only dismisses it; what waited comes now */
				ui->msg_sticky = false;
				ui->msg[0] = '\0';
				take_from_worker(ui);
				continue;
			}
			if (ui_actions_key(ui, key))
				return ui->worker_err ? CLI_EXIT_FAIL : CLI_EXIT_OK;
		}
		ui_draw(ui);
	}
}

static int run(struct ui *ui)
{
	int ret;

	/* the worker blocks every signal (signals_thread_create), as do the
	 * threads it starts: Ctrl-C, Ctrl-Z and resizes come to this thread */
	ret = ui_worker_start(&ui->w, &ui->s);
	if (ret) {
		ui_term_end();
		cli_error(_("cannot start the worker thread: %s"), strerror(-ret));
		return CLI_EXIT_FAIL;
	}
	ret = loop(ui);
	ui_term_end();
	if (ui->worker_err)
		cli_error(_("cannot start the worker thread: %s"), strerror(-ui->worker_err));
	/* a quit is answered within a second even when the worker is busy */
	ui->worker_left_running = !ui_worker_stop(&ui->w, UI_QUIT_WAIT_MS);
	return ret;
}

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

int ui_main(int argc, char **argv)
{
	struct ui ui;
	bool ascii = false, image = false, exact = false;
	char **files = NULL, *path = NULL, *picked = NULL;
	size_t nr_files = 0;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ascii")) {
			ascii = true;
		} else if (!strcmp(argv[i], "--exact")) {
			exact = true;
		} else if (!strcmp(argv[i], "--image")) {
			image = true;
			files = argv + i + 1;
			for (nr_files = 0; i + 1 < argc && strcmp(argv[i + 1], "--ascii"); i++)
				nr_files++;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cli_error(_("unknown option %s (see qgtop --help)"), argv[i]);
			return CLI_EXIT_USAGE;
		} else if (!path) {
			path = argv[i];
		} else {
			cli_error(_("more than one path given: %s"), argv[i]);
			return CLI_EXIT_USAGE;
		}
	}
	if (image && (!nr_files || path)) {
		cli_error("%s", nr_files ? _("--image takes image files, not a path as well")
					 : _("--image needs at least one image file"));
		return CLI_EXIT_USAGE;
	}
	if (exact && (image || !path)) {
		cli_error("%s", _("--exact takes one path on a mounted btrfs filesystem"));
		return CLI_EXIT_USAGE;
	}
	if (!locale_is_utf8())
		ascii = true;

	memset(&ui, 0, sizeof(ui));
	ui.ascii = ascii;
	view_init(&ui.v);
	view_keys_init(&ui.k, _("yes"));
	/* a bad path or image is reported as such, terminal or not */
	if (image) {
		ret = session_open_image(&ui.s, files, nr_files);
		if (ret) {
			cli_error("%s", ui.s.error[0] ? ui.s.error : strerror(-ret));
			/* as qgtop scan: every image error is bad input, but permission */
			return ret == -EACCES || ret == -EPERM ? CLI_EXIT_PERM : CLI_EXIT_USAGE;
		}
	} else if (exact) {
		ret = session_open_exact(&ui.s, path);
		if (ret) {
			cli_error("%s", ui.s.error[0] ? ui.s.error : strerror(-ret));
			return ret == -EACCES || ret == -EPERM ? CLI_EXIT_PERM : CLI_EXIT_USAGE;
		}
	} else if (path) {
		ret = session_open_live(&ui.s, path);
		if (ret == -ENOENT && !strchr(path, '/')) {
			/* most likely a mistyped command word */
			cli_error(_("%s is neither a command nor an existing path (see qgtop --help)"),
				  path);
			return CLI_EXIT_USAGE;
		}
		if (ret)
			return cli_open_error(path, ret);
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("%s", _("the interactive view needs a terminal (qgtop show PATH prints a table)"));
		session_close(&ui.s);
		return CLI_EXIT_USAGE;
	}
	ui_term_catch_signals();
	ui_term_start(&ui.color);
	if (!image && !path) {
		ret = ui_picker(&picked);
		if (ret <= 0 || ui_term_signal) {
			ui_term_end();
			free(picked);
			if (ui_term_signal)
				return 128 + ui_term_signal;
			if (ret < 0) {
				cli_error(_("cannot list the mounted filesystems: %s"), strerror(-ret));
				return cli_exit_for_errno(ret);
			}
			return CLI_EXIT_OK;
		}
		ret = session_open_live(&ui.s, picked);
		if (ret) {
			ui_term_end();
			ret = cli_open_error(picked, ret);
			free(picked);
			return ret;
		}
		free(picked);
	}
	ret = run(&ui);
	if (ui.worker_left_running)
		return ret;	/* it still uses the session and the view */
	view_free(&ui.v);
	if (ui.m) {
		qgroup_model_free(ui.m);
		free(ui.m);
	}
	session_close(&ui.s);
	return ret;
}
