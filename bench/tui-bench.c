// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tui-bench.c - how the curses frontend copes with 100,000 qgroups: a
 * generated model (level-0 qgroups with paths, level-1 groups of ~100
 * members, every 10th member in a second group, level-2 groups on top),
 * then the time to build the rows, to draw one screen (curses writing to
 * /dev/null on a 200x50 terminal), the response to keys (move, sort,
 * collapse, search: key handling plus one full redraw), and the peak
 * memory. With "snapshots N": N snapshots in one level-1 qgroup, as
 * snapper leaves them, and the time to mark every one of them. Built by
 * automake, run by bench/tui-bench.sh.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ui-draw.h"
#include "ui-int.h"
#include "view-format.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "tui-bench: %s failed\n", what);
	exit(1);
}

/*
 * Qgroups are added in ascending id order (level 0, 1, 2) so the model's
 * lookups stay binary searches while it is filled; relations come after.
 */
static void generate(struct qgroup_model *m, size_t total)
{
	size_t nr2 = 10, nr1 = 1000, nr0 = total - nr1 - nr2, i;
	struct qgroup *q;
	char path[64];

	qgroup_model_init(m);
	for (i = 0; i < nr0; i++) {
		if (qgroup_model_get(m, QGROUP_ID(0, 256 + i), &q))
			die("model");
		q->has_info = true;
		q->rfer = (uint64_t)(i * 7919 % 100000) * 4096;
		q->excl = q->rfer / 3;
		if (i % 50 == 0) {
			q->has_limit = true;
			q->limit_flags = QGROUP_LIMIT_MAX_RFER;
			q->max_rfer = 200000ULL * 4096;
		}
		snprintf(path, sizeof(path), "snapshots/vol-%zu/snap-%zu", i / 100, i % 100);
		if (qgroup_model_set_path(q, path))
			die("path");
	}
	for (i = 0; i < nr1; i++) {
		if (qgroup_model_get(m, QGROUP_ID(1, 1 + i), &q))
			die("model");
		q->has_info = true;
		q->rfer = (uint64_t)(i + 1) << 30;
		q->excl = q->rfer / 2;
	}
	for (i = 0; i < nr2; i++) {
		if (qgroup_model_get(m, QGROUP_ID(2, 1 + i), &q))
			die("model");
		q->has_info = true;
		q->rfer = (uint64_t)(i + 1) << 40;
	}
	for (i = 0; i < nr0; i++) {
		uint64_t id = QGROUP_ID(0, 256 + i);

		if (qgroup_model_add_relation(m, id, QGROUP_ID(1, 1 + i % nr1)))
			die("relation");
		/* every 10th subvolume is in a second group as well */
		if (i % 10 == 0 && qgroup_model_add_relation(m, id, QGROUP_ID(1, 1 + (i + 7) % nr1)))
			die("relation");
	}
	for (i = 0; i < nr1; i++)
		if (qgroup_model_add_relation(m, QGROUP_ID(1, 1 + i), QGROUP_ID(2, 1 + i % nr2)))
			die("relation");
	if (qgroup_model_finish(m))
		die("finish");
}

/* @n snapshots of one subvolume, all in qgroup 1/1 (snapper, btrbk) */
static void generate_snapshots(struct qgroup_model *m, size_t n)
{
	struct qgroup *q;
	char path[64];

	qgroup_model_init(m);
	for (size_t i = 0; i <= n; i++) {
		if (qgroup_model_get(m, QGROUP_ID(0, 256 + i), &q))
			die("model");
		q->has_info = true;
		q->rfer = 20000 * 4096 + (uint64_t)(i % 97) * 4096;
		q->excl = (uint64_t)(i % 13 + 1) * 16384;
		if (i)
			snprintf(path, sizeof(path), ".snapshots/%zu/snapshot", i);
		else
			snprintf(path, sizeof(path), "root");
		if (qgroup_model_set_path(q, path))
			die("path");
	}
	if (qgroup_model_get(m, QGROUP_ID(1, 1), &q))
		die("model");
	q->has_info = true;
	q->rfer = 30000 * 4096;
	q->excl = 10000 * 4096;
	for (size_t i = 1; i <= n; i++)
		if (qgroup_model_add_relation(m, QGROUP_ID(0, 256 + i), QGROUP_ID(1, 1)))
			die("relation");
	if (qgroup_model_finish(m))
		die("finish");
}

#define REPS 20
#define RUNS 15

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* the machine is shared: report the best and the median of RUNS */
static void report(const char *what, double *ms, int n)
{
	qsort(ms, (size_t)n, sizeof(*ms), cmp_double);
	printf("%-22s min %7.2f ms  median %7.2f ms\n", what, ms[0], ms[n / 2]);
}

static double time_draw(struct ui *ui)
{
	double t0 = now();

	for (int i = 0; i < REPS; i++)
		ui_draw(ui);
	return (now() - t0) / REPS * 1000;
}

/* one key: state machine, its command's effect on the view, a redraw */
static void time_key(struct ui *ui, const char *what, int key,
		     void (*act)(struct ui *ui, enum view_cmd c))
{
	double ms[RUNS];

	for (int r = 0; r < RUNS; r++) {
		double t0 = now();

		act(ui, view_keys_feed(&ui->k, key));
		ui_draw(ui);
		ms[r] = (now() - t0) * 1000;
	}
	report(what, ms, RUNS);
}

static void act(struct ui *ui, enum view_cmd c);

/* h on an expanded top row collapses it, l expands it again */
static void time_fold(struct ui *ui)
{
	double ms[2][RUNS];

	for (int r = 0; r < RUNS; r++) {
		for (int k = 0; k < 2; k++) {
			double t0;

			view_set_cursor(&ui->v, 0);
			t0 = now();
			act(ui, view_keys_feed(&ui->k, k ? 'l' : 'h'));
			ui_draw(ui);
			ms[k][r] = (now() - t0) * 1000;
		}
	}
	report("key h (collapse)", ms[0], RUNS);
	report("key l (expand)", ms[1], RUNS);
}

static void act(struct ui *ui, enum view_cmd c)
{
	switch (c) {
	case VIEW_CMD_DOWN:
		view_move(&ui->v, 1);
		break;
	case VIEW_CMD_END:
		view_set_cursor(&ui->v, ui->v.nr_rows - 1);
		break;
	case VIEW_CMD_SORT_RFER:
		view_set_sort(&ui->v, VIEW_SORT_RFER);
		break;
	case VIEW_CMD_SORT_PCT:
		view_set_sort(&ui->v, VIEW_SORT_PCT);
		break;
	case VIEW_CMD_COLLAPSE:
		view_collapse(&ui->v);
		break;
	case VIEW_CMD_EXPAND:
		view_expand(&ui->v);
		break;
	case VIEW_CMD_FLAT:
		view_toggle_flat(&ui->v);
		break;
	case VIEW_CMD_SEARCH_NEXT: {
		long i = view_search(&ui->v, false);

		if (i >= 0)
			view_set_cursor(&ui->v, (size_t)i);
		break;
	}
	default:
		break;
	}
}

/* the time to mark every level-0 row and collect the marked ids, as
 * marking them all for "freed if deleted" does (the bytes are the source's) */
static void time_mark_all(struct ui *ui)
{
	double ms[RUNS];
	size_t nr = 0;

	for (int r = 0; r < RUNS; r++) {
		double t0 = now();
		uint64_t *ids;

		for (size_t i = 0; i < ui->v.nr_rows; i++) {
			const struct qgroup *q = view_row_qgroup(&ui->v, i);

			if (q && !QGROUP_LEVEL(q->id) && view_is_marked(&ui->v, q->id) == (r % 2 == 1)) {
				view_set_cursor(&ui->v, i);
				view_toggle_mark(&ui->v);
			}
		}
		ids = view_marked_ids(&ui->v, &nr);
		ui_draw(ui);
		ms[r] = (now() - t0) * 1000;
		free(ids);
	}
	report("mark all, unmark all", ms, RUNS);
}

int main(int argc, char **argv)
{
	bool snapshots = argc > 1 && !strcmp(argv[1], "snapshots");
	size_t total = argc > 1 + snapshots ? strtoul(argv[1 + snapshots], NULL, 10)
					    : snapshots ? 10000 : 100000;
	struct qgroup_model m, m2;
	static struct ui ui;
	struct rusage ru;
	SCREEN *scr;
	FILE *out, *in;
	double t0, t_gen, builds[RUNS], rebuilds[RUNS], draws[RUNS];

	t0 = now();
	if (snapshots)
		generate_snapshots(&m, total);
	else
		generate(&m, total);
	t_gen = now() - t0;

	memset(&ui, 0, sizeof(ui));
	ui.s.kind = SESSION_LIVE;
	ui.s.is_root = true;
	view_init(&ui.v);
	view_keys_init(&ui.k, "yes");
	for (int r = 0; r < RUNS; r++) {
		view_free(&ui.v);
		view_init(&ui.v);
		t0 = now();
		if (view_build(&ui.v, &m))
			die("view_build");
		builds[r] = (now() - t0) * 1000;
	}
	ui.m = &m;

	/* a refresh: a fresh model, rows rebuilt carrying state over */
	if (snapshots)
		generate_snapshots(&m2, total);
	else
		generate(&m2, total);
	for (int r = 0; r < RUNS; r++) {
		t0 = now();
		if (view_build(&ui.v, r % 2 ? &m : &m2))
			die("view_build");
		rebuilds[r] = (now() - t0) * 1000;
	}
	if (view_build(&ui.v, &m2))
		die("view_build");
	ui.m = &m2;
	qgroup_model_free(&m);

	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	if (!out || !in)
		die("fopen /dev/null");
	scr = newterm("xterm-256color", out, in);
	if (!scr)
		die("newterm");
	set_term(scr);
	resizeterm(50, 200);
	ui_draw(&ui);
	for (int r = 0; r < RUNS; r++)
		draws[r] = time_draw(&ui);

	printf("qgroups              %zu\n", m2.nr_qgroups);
	printf("rows (tree)          %zu\n", ui.v.nr_rows);
	printf("generate model       %.1f ms\n", t_gen * 1000);
	report("build rows", builds, RUNS);
	report("rebuild on refresh", rebuilds, RUNS);
	report("draw 200x50 screen", draws, RUNS);
	printf("%-22s min %7.2f ms  median %7.2f ms\n", "build + draw", builds[0] + draws[0],
	       builds[RUNS / 2] + draws[RUNS / 2]);
	time_key(&ui, "key j (move)", 'j', act);
	time_key(&ui, "key G (end)", 'G', act);
	time_key(&ui, "key 2 (sort, reverse)", '2', act);
	time_key(&ui, "key 4 (sort, reverse)", '4', act);
	time_fold(&ui);
	time_key(&ui, "key f (flat/tree)", 'f', act);
	strcpy(ui.v.search, snapshots ? "/99/" : "snap-99");
	time_key(&ui, "key n (search next)", 'n', act);
	if (snapshots)
		time_mark_all(&ui);
	endwin();
	delscreen(scr);
	getrusage(RUSAGE_SELF, &ru);
	printf("peak memory (RSS)    %.1f MB (both models alive during the refresh)\n",
	       ru.ru_maxrss / 1024.0);
	view_free(&ui.v);
	qgroup_model_free(&m2);
	fclose(out);
	fclose(in);
	return 0;
}
