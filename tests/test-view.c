// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-view.c - unit tests of the frontend's curses-free view logic:
 * flattening the qgroup DAG into rows, sorting, expanded state and cursor
 * across refreshes, search, marks, the flag column, cell formatting and
 * the key handling state machine.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "qgroup-model.h"
#include "session.h"
#include "view-format.h"
#include "view-keys.h"
#include "view-rows.h"

#define MiB (1024ULL * 1024)

static void add(struct qgroup_model *m, uint64_t id, uint64_t rfer, uint64_t excl, const char *path)
{
	struct qgroup *q;

	assert_int_equal(qgroup_model_get(m, id, &q), 0);
	q->has_info = true;
	q->rfer = rfer;
	q->excl = excl;
	if (path)
		assert_int_equal(qgroup_model_set_path(q, path), 0);
}

static void limit(struct qgroup_model *m, uint64_t id, uint64_t max_rfer, uint64_t max_excl)
{
	struct qgroup *q;

	assert_int_equal(qgroup_model_get(m, id, &q), 0);
	q->has_limit = true;
	if (max_rfer) {
		q->limit_flags |= QGROUP_LIMIT_MAX_RFER;
		q->max_rfer = max_rfer;
	}
	if (max_excl) {
		q->limit_flags |= QGROUP_LIMIT_MAX_EXCL;
		q->max_excl = max_excl;
	}
}

/*
 * 2/1 -> 1/100 -> 0/256 home, 0/258 db
 *     -> 1/200 -> 0/257 www, 0/258 db   (0/258 has two parents)
 * 0/5 top level, 0/300 stale, no parents
 */
static void demo(struct qgroup_model *m, bool with_db_in_100)
{
	struct qgroup *q;

	qgroup_model_init(m);
	add(m, QGROUP_ID(0, 5), 16384, 16384, "<toplevel>");
	add(m, QGROUP_ID(0, 256), 3 * MiB, 1 * MiB, "home");
	add(m, QGROUP_ID(0, 257), 1 * MiB, 1 * MiB, "www");
	add(m, QGROUP_ID(0, 258), 5 * MiB, 2 * MiB, "db");
	add(m, QGROUP_ID(0, 300), 0, 0, NULL);
	assert_int_equal(qgroup_model_get(m, QGROUP_ID(0, 300), &q), 0);
	q->state = QGROUP_STATE_STALE;
	add(m, QGROUP_ID(1, 100), 7 * MiB, 4 * MiB, NULL);
	add(m, QGROUP_ID(1, 200), 6 * MiB, 3 * MiB, NULL);
	add(m, QGROUP_ID(2, 1), 9 * MiB, 9 * MiB, NULL);
	limit(m, QGROUP_ID(1, 100), 4 * MiB, 0);	/* over: 7 > 4 */
	limit(m, QGROUP_ID(0, 258), 0, 4 * MiB);	/* 50 % */
	limit(m, QGROUP_ID(0, 257), 2 * MiB, 0);	/* 50 % */
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(0, 256), QGROUP_ID(1, 100)), 0);
	if (with_db_in_100)
		assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(0, 258), QGROUP_ID(1, 100)), 0);
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(0, 257), QGROUP_ID(1, 200)), 0);
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(0, 258), QGROUP_ID(1, 200)), 0);
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(1, 100), QGROUP_ID(2, 1)), 0);
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(1, 200), QGROUP_ID(2, 1)), 0);
	assert_int_equal(qgroup_model_finish(m), 0);
}

static const char *row_id(const struct view *v, size_t i, char *buf)
{
	return qgroup_id_format(view_row_qgroup(v, i)->id, buf, 32);
}

static void expect_rows(const struct view *v, const char *const *ids, const int *depths, size_t n)
{
	char buf[32];
	size_t i;

	assert_int_equal(v->nr_rows, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(row_id(v, i, buf), ids[i]);
		if (depths)
			assert_int_equal(v->rows[i].depth, depths[i]);
	}
}

static void test_tree_rows(void **state)
{
	struct qgroup_model m;
	struct view v;
	static const char *const ids[] = { "2/1", "1/100", "0/256", "0/258", "1/200", "0/257",
					   "0/258", "0/5", "0/300" };
	static const int depths[] = { 0, 1, 2, 2, 1, 2, 2, 0, 0 };
	char buf[128];

	(void)state;
	demo(&m, true);
	view_init(&v);
	assert_int_equal(view_build(&v, &m), 0);
	expect_rows(&v, ids, depths, 9);
	/* db appears under both parents, each pointing at the other */
	assert_true(v.rows[3].flags & VIEW_ROW_MULTI_PARENT);
	assert_true(v.rows[6].flags & VIEW_ROW_MULTI_PARENT);
	assert_false(v.rows[2].flags & VIEW_ROW_MULTI_PARENT);
	assert_string_equal(view_other_parents(&v, 3, buf, sizeof(buf)), "1/200");
	assert_string_equal(view_other_parents(&v, 6, buf, sizeof(buf)), "1/100");
	assert_string_equal(view_other_parents(&v, 2, buf, sizeof(buf)), "");
	/* the two places have different tags */
	assert_true(v.rows[3].tag != v.rows[6].tag);
	assert_true(v.rows[0].flags & VIEW_ROW_EXPANDED);
	assert_true(v.rows[3].flags & VIEW_ROW_LAST);
	assert_int_equal(v.rows[2].parent_row, 1);
	assert_int_equal(v.rows[0].parent_row, UINT32_MAX);
	/* level-0 rows show the path, ASCII tree lines */
	view_format_name(&v, 2, true, buf, sizeof(buf));
	assert_string_equal(buf, "| |-   0/256 home");
	view_format_name(&v, 6, true, buf, sizeof(buf));
	assert_string_equal(buf, "  `-   0/258 db");
	view_format_name(&v, 0, true, buf, sizeof(buf));
	assert_string_equal(buf, "[-]2/1");
	view_format_name(&v, 8, true, buf, sizeof(buf));
	assert_string_equal(buf, "   0/300 (stale)");
	view_format_name(&v, 2, false, buf, sizeof(buf));
	assert_string_equal(buf, "\u2502 \u251c\u2500  0/256 home");
	view_free(&v);
	qgroup_model_free(&m);
}

static void test_flat_and_sort(void **state)
{
	struct qgroup_model m;
	struct view v;
	static const char *const by_id[] = { "0/5", "0/256", "0/257", "0/258", "0/300",
					     "1/100", "1/200", "2/1" };
	static const char *const by_rfer[] = { "2/1", "1/100", "1/200", "0/258", "0/256",
					       "0/257", "0/5", "0/300" };
	static const char *const by_rfer_rev[] = { "0/300", "0/5", "0/257", "0/256", "0/258",
						   "1/200", "1/100", "2/1" };
	static const char *const by_pct[] = { "1/100", "0/257", "0/258", "0/5", "0/256",
					      "0/300", "1/200", "2/1" };
	char buf[32];

	(void)state;
	demo(&m, true);
	view_init(&v);
	view_toggle_flat(&v);
	assert_int_equal(view_build(&v, &m), 0);
	expect_rows(&v, by_id, NULL, 8);
	view_set_sort(&v, VIEW_SORT_RFER);
	expect_rows(&v, by_rfer, NULL, 8);
	view_set_sort(&v, VIEW_SORT_RFER);	/* again: reversed */
	assert_true(v.reverse);
	expect_rows(&v, by_rfer_rev, NULL, 8);
	view_set_sort(&v, VIEW_SORT_PCT);	/* new key: natural order again */
	assert_false(v.reverse);
	expect_rows(&v, by_pct, NULL, 8);
	view_set_sort(&v, VIEW_SORT_EXCL);
	assert_string_equal(row_id(&v, 0, buf), "2/1");
	view_set_sort(&v, VIEW_SORT_ID);
	view_set_sort(&v, VIEW_SORT_ID);
	assert_string_equal(row_id(&v, 0, buf), "2/1");
	assert_string_equal(row_id(&v, 7, buf), "0/5");
	/* back to the tree: siblings sorted by the key, higher levels first */
	view_set_sort(&v, VIEW_SORT_EXCL);
	view_toggle_flat(&v);
	assert_int_equal(v.nr_rows, 9);
	assert_string_equal(row_id(&v, 1, buf), "1/100");
	assert_string_equal(row_id(&v, 2, buf), "0/258");	/* 2 MiB excl before 1 MiB */
	assert_string_equal(row_id(&v, 3, buf), "0/256");
	assert_string_equal(row_id(&v, 7, buf), "0/5");
	view_free(&v);
	qgroup_model_free(&m);
}

static void test_expand_across_refresh(void **state)
{
	struct qgroup_model m, m2, m3;
	struct view v;
	static const char *const folded[] = { "2/1", "1/100", "1/200", "0/257", "0/258",
					      "0/5", "0/300" };
	char buf[32];

	(void)state;
	demo(&m, true);
	view_init(&v);
	assert_int_equal(view_build(&v, &m), 0);
	/* collapse 1/100 */
	view_set_cursor(&v, 1);
	assert_true(view_collapse(&v));
	expect_rows(&v, folded, NULL, 7);
	assert_false(v.rows[1].flags & VIEW_ROW_EXPANDED);
	assert_true(v.rows[1].flags & VIEW_ROW_HAS_CHILDREN);
	/* cursor on the second place of db (under 1/200) */
	view_set_cursor(&v, 4);
	assert_string_equal(row_id(&v, v.cursor, buf), "0/258");

	/* a refresh with a fresh model keeps the fold and the cursor */
	demo(&m2, true);
	assert_int_equal(view_build(&v, &m2), 0);
	qgroup_model_free(&m);
	expect_rows(&v, folded, NULL, 7);
	assert_int_equal(v.cursor, 4);

	/* expanding again shows the children; the cursor stays on db/1/200 */
	view_set_cursor(&v, 1);
	assert_true(view_expand(&v));
	assert_int_equal(v.nr_rows, 9);
	assert_int_equal(v.cursor, 1);
	/* expand on an expanded row goes to its first child */
	assert_true(view_expand(&v));
	assert_int_equal(v.cursor, 2);
	/* collapse on a leaf goes to the parent row */
	assert_true(view_collapse(&v));
	assert_int_equal(v.cursor, 1);
	assert_int_equal(v.nr_rows, 9);

	/* the cursor follows the qgroup when its place in the tree goes away */
	view_set_cursor(&v, 3);	/* 0/258 under 1/100 */
	assert_string_equal(row_id(&v, 3, buf), "0/258");
	demo(&m3, false);	/* db no longer in 1/100 */
	assert_int_equal(view_build(&v, &m3), 0);
	qgroup_model_free(&m2);
	assert_int_equal(v.nr_rows, 8);
	assert_string_equal(row_id(&v, v.cursor, buf), "0/258");
	assert_int_equal(v.rows[v.cursor].depth, 2);
	assert_false(v.rows[v.cursor].flags & VIEW_ROW_MULTI_PARENT);
	view_free(&v);
	qgroup_model_free(&m3);
}

static void test_move_scroll(void **state)
{
	struct qgroup_model m;
	struct view v;

	(void)state;
	demo(&m, true);
	view_init(&v);
	assert_int_equal(view_build(&v, &m), 0);
	view_move(&v, -5);
	assert_int_equal(v.cursor, 0);
	view_move(&v, 100);
	assert_int_equal(v.cursor, 8);
	view_scroll(&v, 4);
	assert_int_equal(v.top, 5);
	view_move(&v, -6);
	view_scroll(&v, 4);
	assert_int_equal(v.top, 2);
	/* a taller window shows everything from the top */
	view_scroll(&v, 20);
	assert_int_equal(v.top, 0);
	view_free(&v);
	qgroup_model_free(&m);
}

static void test_search(void **state)
{
	struct qgroup_model m;
	struct view v;

	(void)state;
	demo(&m, true);
	view_init(&v);
	assert_int_equal(view_build(&v, &m), 0);
	strcpy(v.search, "DB");
	assert_int_equal(view_search(&v, false), 3);
	view_set_cursor(&v, 3);
	assert_int_equal(view_search(&v, false), 6);
	view_set_cursor(&v, 6);
	assert_int_equal(view_search(&v, false), 3);	/* wraps */
	assert_int_equal(view_search(&v, true), 3);
	view_set_cursor(&v, 0);
	assert_int_equal(view_search(&v, true), 6);	/* backwards wraps */
	strcpy(v.search, "1/2");
	assert_int_equal(view_search(&v, false), 4);
	strcpy(v.search, "nothing");
	assert_int_equal(view_search(&v, false), -1);
	assert_int_equal(view_reveal_match(&v), -1);

	/* a match folded away: revealed by unfolding its first parents */
	view_set_cursor(&v, 0);
	assert_true(view_collapse(&v));	/* 2/1: only the roots are left */
	assert_int_equal(v.nr_rows, 3);
	strcpy(v.search, "home");
	assert_int_equal(view_search(&v, false), -1);
	assert_int_equal(view_reveal_match(&v), 2);
	assert_int_equal(v.cursor, 2);
	assert_int_equal(view_row_qgroup(&v, 2)->id, QGROUP_ID(0, 256));
	assert_int_equal(v.rows[2].depth, 2);
	assert_true(v.rows[0].flags & VIEW_ROW_EXPANDED);
	assert_true(v.rows[1].flags & VIEW_ROW_EXPANDED);
	/* 2/1 opened again, with what was open below it */
	assert_int_equal(v.nr_rows, 9);
	/* every fold on the path opens: fold 1/200 and 2/1, look for www */
	view_set_cursor(&v, 4);
	assert_true(view_collapse(&v));
	assert_int_equal(v.nr_rows, 7);
	view_set_cursor(&v, 0);
	assert_true(view_collapse(&v));
	strcpy(v.search, "www");
	assert_int_equal(view_reveal_match(&v), 5);
	assert_int_equal(view_row_qgroup(&v, 5)->id, QGROUP_ID(0, 257));
	assert_int_equal(v.nr_rows, 9);
	v.search[0] = '\0';
	assert_int_equal(view_search(&v, false), -1);
	view_free(&v);
	qgroup_model_free(&m);
}

static void test_marks(void **state)
{
	struct qgroup_model m, m2;
	struct view v;
	uint64_t *ids;
	size_t nr;

	(void)state;
	demo(&m, true);
	view_init(&v);
	assert_int_equal(view_build(&v, &m), 0);
	view_set_cursor(&v, 3);
	assert_true(view_toggle_mark(&v));
	assert_true(view_is_marked(&v, QGROUP_ID(0, 258)));
	view_set_cursor(&v, 2);
	assert_true(view_toggle_mark(&v));
	demo(&m2, true);
	assert_int_equal(view_build(&v, &m2), 0);
	qgroup_model_free(&m);
	ids = view_marked_ids(&v, &nr);
	assert_int_equal(nr, 2);
	assert_true((ids[0] == QGROUP_ID(0, 258) && ids[1] == QGROUP_ID(0, 256)) ||
		    (ids[1] == QGROUP_ID(0, 258) && ids[0] == QGROUP_ID(0, 256)));
	free(ids);
	view_set_cursor(&v, 6);	/* db at its other place: same qgroup */
	assert_false(view_toggle_mark(&v));
	assert_false(view_is_marked(&v, QGROUP_ID(0, 258)));
	view_free(&v);
	qgroup_model_free(&m2);
}

static void test_flags(void **state)
{
	struct qgroup_model m;
	struct qgroup *q;

	(void)state;
	demo(&m, true);
	assert_int_equal(view_flag(&m, qgroup_model_find(&m, QGROUP_ID(1, 100)), false), '!');
	assert_int_equal(view_flag(&m, qgroup_model_find(&m, QGROUP_ID(0, 300)), false), 'S');
	assert_int_equal(view_flag(&m, qgroup_model_find(&m, QGROUP_ID(0, 258)), true), '+');
	assert_int_equal(view_flag(&m, qgroup_model_find(&m, QGROUP_ID(0, 256)), false), ' ');
	q = qgroup_model_find(&m, QGROUP_ID(0, 256));
	q->state = QGROUP_STATE_DELETING;
	assert_int_equal(view_flag(&m, q, false), 'D');
	q->state = QGROUP_STATE_OK;
	m.rescan.state = QGROUP_RESCAN_SCANNING;
	assert_int_equal(view_flag(&m, q, false), '~');
	/* over limit wins over provisional */
	assert_int_equal(view_flag(&m, qgroup_model_find(&m, QGROUP_ID(1, 100)), false), '!');
	m.rescan.state = QGROUP_RESCAN_STALE;	/* a stale flag is no running scan */
	assert_int_equal(view_flag(&m, q, false), ' ');
	q->has_stored = true;
	q->stored_rfer = q->rfer;
	q->stored_excl = q->excl;
	assert_int_equal(view_flag(&m, q, false), ' ');
	q->stored_excl++;
	assert_int_equal(view_flag(&m, q, false), '*');
	/* percent of the tighter limit */
	assert_true(view_qgroup_percent(qgroup_model_find(&m, QGROUP_ID(1, 100))) > 174.9);
	assert_true(view_qgroup_percent(qgroup_model_find(&m, QGROUP_ID(0, 258))) == 50.0);
	assert_true(view_qgroup_percent(qgroup_model_find(&m, QGROUP_ID(2, 1))) < 0);
	assert_int_equal(view_nr_flag_legend, 6);
	qgroup_model_free(&m);
}

static void test_format(void **state)
{
	struct qgroup_model m;
	char buf[128];

	(void)state;
	demo(&m, true);
	view_format_limits(qgroup_model_find(&m, QGROUP_ID(1, 100)), UNITS_DEFAULT, buf,
			   sizeof(buf));
	assert_string_equal(buf, "4.00MiB/-");
	view_format_limits(qgroup_model_find(&m, QGROUP_ID(0, 258)),
			   (struct units){ UNITS_RAW, -1 }, buf, sizeof(buf));
	assert_string_equal(buf, "-/4194304");
	view_format_limits(qgroup_model_find(&m, QGROUP_ID(2, 1)), UNITS_DEFAULT, buf, sizeof(buf));
	assert_string_equal(buf, "-/-");
	assert_string_equal(view_format_bar(50, 10, true, buf, sizeof(buf)), "#####.....");
	assert_string_equal(view_format_bar(0, 4, true, buf, sizeof(buf)), "....");
	assert_string_equal(view_format_bar(0.1, 4, true, buf, sizeof(buf)), "#...");
	assert_string_equal(view_format_bar(175, 6, true, buf, sizeof(buf)), "#####!");
	assert_string_equal(view_format_bar(100, 2, false, buf, sizeof(buf)), "\u2588\u2588");
	assert_string_equal(view_format_bar(50, 2, false, buf, sizeof(buf)), "\u2588\u2591");
	assert_string_equal(view_format_bar(50, 10, false, buf, 8), "\u2588\u2588");
	assert_string_equal(view_format_duration(4.6, buf, sizeof(buf)), "5s");
	assert_string_equal(view_format_duration(187, buf, sizeof(buf)), "3m07s");
	assert_string_equal(view_format_duration(7500, buf, sizeof(buf)), "2h05m");
	/* in the C locale a character it cannot show is escaped byte by byte,
	 * and an escape is never cut */
	assert_int_equal(view_display_width("\u2502 a"), 14);
	assert_string_equal(view_fit("\u2502 a", 20, false, buf, sizeof(buf)), "\\xe2\\x94\\x82 a");
	assert_string_equal(view_fit("\u2502\u2500abc", 3, false, buf, sizeof(buf)), "");
	assert_string_equal(view_fit("ab", 4, true, buf, sizeof(buf)), "ab  ");
	/* in a UTF-8 locale wide characters take two cells and are never cut */
	if (setlocale(LC_CTYPE, "C.UTF-8")) {
		assert_int_equal(view_display_width("\u65e5\u672c"), 4);
		assert_int_equal(view_display_width("\u2502 a"), 3);
		assert_string_equal(view_fit("\u65e5\u672c\u8a9e", 5, true, buf, sizeof(buf)),
				    "\u65e5\u672c ");
		setlocale(LC_CTYPE, "C");
	}
	qgroup_model_free(&m);
}

static enum view_cmd feed_str(struct view_keys *k, const char *s)
{
	enum view_cmd c = VIEW_CMD_NONE;

	for (; *s; s++)
		c = view_keys_feed(k, (unsigned char)*s);
	return c;
}

static void test_keys(void **state)
{
	struct view_keys k;

	(void)state;
	view_keys_init(&k, "ja");
	assert_int_equal(view_keys_feed(&k, 'j'), VIEW_CMD_DOWN);
	assert_int_equal(view_keys_feed(&k, VIEW_KEY_UP), VIEW_CMD_UP);
	assert_int_equal(view_keys_feed(&k, 'g'), VIEW_CMD_HOME);
	assert_int_equal(view_keys_feed(&k, 'G'), VIEW_CMD_END);
	assert_int_equal(view_keys_feed(&k, VIEW_KEY_PGDN), VIEW_CMD_PGDN);
	assert_int_equal(view_keys_feed(&k, '\n'), VIEW_CMD_EXPAND);
	assert_int_equal(view_keys_feed(&k, 'h'), VIEW_CMD_COLLAPSE);
	assert_int_equal(view_keys_feed(&k, '2'), VIEW_CMD_SORT_RFER);
	assert_int_equal(view_keys_feed(&k, 'u'), VIEW_CMD_UNITS);
	assert_int_equal(view_keys_feed(&k, VIEW_KEY_ESC), VIEW_CMD_NONE);	/* Esc does not quit */
	assert_int_equal(view_keys_feed(&k, VIEW_KEY_RESIZE), VIEW_CMD_REDRAW);
	assert_int_equal(view_keys_feed(&k, 'e'), VIEW_CMD_EXACT);

	/* search: typing edits, Enter finishes, n/N afterwards */
	assert_int_equal(view_keys_feed(&k, '/'), VIEW_CMD_SEARCH_EDIT);
	assert_int_equal(k.mode, VIEW_MODE_SEARCH);
	assert_int_equal(view_keys_feed(&k, 'q'), VIEW_CMD_SEARCH_EDIT);	/* text, not quit */
	assert_int_equal(feed_str(&k, "x"), VIEW_CMD_SEARCH_EDIT);
	assert_int_equal(view_keys_feed(&k, VIEW_KEY_BACKSPACE), VIEW_CMD_SEARCH_EDIT);
	assert_string_equal(k.input, "q");
	assert_int_equal(view_keys_feed(&k, '\r'), VIEW_CMD_SEARCH_DONE);
	assert_int_equal(k.mode, VIEW_MODE_NORMAL);
	assert_int_equal(view_keys_feed(&k, 'n'), VIEW_CMD_SEARCH_NEXT);
	assert_int_equal(view_keys_feed(&k, 'N'), VIEW_CMD_SEARCH_PREV);
	view_keys_start_search(&k);
	assert_int_equal(view_keys_feed(&k, VIEW_KEY_ESC), VIEW_CMD_CANCELLED);

	/* y/N: only y confirms; Enter (the default) is No */
	view_keys_confirm(&k, VIEW_CMD_RESCAN);
	assert_int_equal(view_keys_feed(&k, '\n'), VIEW_CMD_CANCELLED);
	assert_int_equal(k.mode, VIEW_MODE_NORMAL);
	view_keys_confirm(&k, VIEW_CMD_RESCAN);
	assert_int_equal(view_keys_feed(&k, 'n'), VIEW_CMD_CANCELLED);
	view_keys_confirm(&k, VIEW_CMD_RESCAN);
	assert_int_equal(view_keys_feed(&k, 'y'), VIEW_CMD_CONFIRMED);
	assert_int_equal(k.pending, VIEW_CMD_RESCAN);

	/* typed yes: English or translated, anything else cancels */
	view_keys_type_yes(&k, VIEW_CMD_QUOTA_DISABLE);
	assert_int_equal(feed_str(&k, "y\n"), VIEW_CMD_CANCELLED);
	view_keys_type_yes(&k, VIEW_CMD_QUOTA_DISABLE);
	assert_int_equal(feed_str(&k, "yes\n"), VIEW_CMD_CONFIRMED);
	view_keys_type_yes(&k, VIEW_CMD_QUOTA_DISABLE);
	assert_int_equal(feed_str(&k, "JA\n"), VIEW_CMD_CONFIRMED);
	view_keys_type_yes(&k, VIEW_CMD_QUOTA_DISABLE);
	assert_int_equal(feed_str(&k, "yes"), VIEW_CMD_NONE);
	assert_int_equal(view_keys_feed(&k, VIEW_KEY_ESC), VIEW_CMD_CANCELLED);

	/* size input */
	view_keys_input(&k, VIEW_CMD_LIMIT, NULL);
	assert_int_equal(feed_str(&k, "10G"), VIEW_CMD_NONE);
	assert_int_equal(view_keys_feed(&k, '\n'), VIEW_CMD_INPUT_DONE);
	assert_string_equal(k.input, "10G");
	assert_int_equal(k.pending, VIEW_CMD_LIMIT);
	view_keys_input(&k, VIEW_CMD_CREATE, "1/");
	assert_int_equal(feed_str(&k, "5\n"), VIEW_CMD_INPUT_DONE);
	assert_string_equal(k.input, "1/5");
	view_keys_input(&k, VIEW_CMD_CREATE, "abc");
	assert_int_equal(view_keys_feed(&k, 21), VIEW_CMD_NONE);	/* ^U clears */
	assert_string_equal(k.input, "");

	/* help and info: scroll keys, q/Esc close, F10 quits */
	assert_int_equal(view_keys_feed(&k, VIEW_KEY_ESC), VIEW_CMD_CANCELLED);
	assert_int_equal(view_keys_feed(&k, '?'), VIEW_CMD_HELP);
	assert_int_equal(view_keys_feed(&k, 'j'), VIEW_CMD_DOWN);
	assert_int_equal(view_keys_feed(&k, 'x'), VIEW_CMD_NONE);
	assert_int_equal(view_keys_feed(&k, 'q'), VIEW_CMD_CLOSE);
	assert_int_equal(k.mode, VIEW_MODE_NORMAL);
	assert_int_equal(view_keys_feed(&k, 'i'), VIEW_CMD_INFO);
	assert_int_equal(view_keys_feed(&k, VIEW_KEY_ESC), VIEW_CMD_CLOSE);
	assert_int_equal(view_keys_feed(&k, '?'), VIEW_CMD_HELP);
	assert_int_equal(view_keys_feed(&k, VIEW_KEY_F10), VIEW_CMD_QUIT);

	/* menu: one of the keys, case-sensitive */
	view_keys_init(&k, NULL);
	view_keys_menu(&k, VIEW_CMD_ABORT, "dpC");
	assert_int_equal(view_keys_feed(&k, 'c'), VIEW_CMD_CANCELLED);
	view_keys_menu(&k, VIEW_CMD_ABORT, "dpC");
	assert_int_equal(view_keys_feed(&k, 'C'), VIEW_CMD_CHOICE);
	assert_int_equal(k.choice, 'C');
	view_keys_menu(&k, VIEW_CMD_ABORT, "dpC");
	assert_int_equal(view_keys_feed(&k, VIEW_KEY_ESC), VIEW_CMD_CANCELLED);
	assert_int_equal(view_keys_feed(&k, 'q'), VIEW_CMD_QUIT);
}

static void test_tagset(void **state)
{
	struct view_tagset s = { 0 };
	uint64_t i;

	(void)state;
	for (i = 1; i <= 5000; i++)
		assert_int_equal(view_tagset_add(&s, i * 7919), 0);
	assert_int_equal(s.nr, 5000);
	for (i = 1; i <= 5000; i += 2)
		view_tagset_del(&s, i * 7919);
	assert_int_equal(s.nr, 2500);
	for (i = 1; i <= 5000; i++)
		assert_int_equal(view_tagset_has(&s, i * 7919), i % 2 == 0);
	view_tagset_del(&s, 3);	/* absent */
	assert_int_equal(s.nr, 2500);
	assert_false(view_tagset_has(&s, 0));
	view_tagset_free(&s);
}

static void test_cycle_guard(void **state)
{
	struct qgroup_model m;
	struct view v;

	(void)state;
	/* corrupt input: 1/1 and 2/1 members of each other; must not loop */
	qgroup_model_init(&m);
	add(&m, QGROUP_ID(1, 1), 1, 1, NULL);
	add(&m, QGROUP_ID(2, 1), 1, 1, NULL);
	add(&m, QGROUP_ID(0, 5), 1, 1, NULL);
	assert_int_equal(qgroup_model_add_relation(&m, QGROUP_ID(1, 1), QGROUP_ID(2, 1)), 0);
	assert_int_equal(qgroup_model_add_relation(&m, QGROUP_ID(2, 1), QGROUP_ID(1, 1)), 0);
	assert_int_equal(qgroup_model_finish(&m), 0);
	view_init(&v);
	assert_int_equal(view_build(&v, &m), 0);
	/* no roots among the cycle: only 0/5 is shown in the tree */
	assert_int_equal(v.nr_rows, 1);
	view_toggle_flat(&v);
	assert_int_equal(v.nr_rows, 3);
	view_free(&v);
	qgroup_model_free(&m);
}

static void test_session_why_not(void **state)
{
	struct session s;
	struct qgroup_model m;

	(void)state;
	memset(&s, 0, sizeof(s));
	qgroup_model_init(&m);
	m.mode = QGROUP_MODE_FULL;

	/* live, root, read-write, full quotas, idle */
	s.kind = SESSION_LIVE;
	s.is_root = true;
	assert_null(session_why_not(&s, &m, SESSION_ACT_RESCAN));
	assert_null(session_why_not(&s, &m, SESSION_ACT_LIMIT));
	assert_null(session_why_not(&s, &m, SESSION_ACT_ASSIGN));
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_ABORT));	/* nothing runs */
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_QUOTA_ENABLE));
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_FREED));
	assert_null(session_why_not(&s, &m, SESSION_ACT_EXACT));
	/* a running rescan: abort applies, assign and a second rescan do not */
	m.rescan.state = QGROUP_RESCAN_SCANNING;
	assert_null(session_why_not(&s, &m, SESSION_ACT_ABORT));
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_RESCAN));
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_ASSIGN));
	assert_null(session_why_not(&s, &m, SESSION_ACT_LIMIT));
	m.rescan.state = QGROUP_RESCAN_IDLE;
	/* simple quotas: no rescan */
	m.mode = QGROUP_MODE_SIMPLE;
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_RESCAN));
	assert_null(session_why_not(&s, &m, SESSION_ACT_CREATE));
	/* quota disabled: only enable */
	m.mode = QGROUP_MODE_DISABLED;
	assert_null(session_why_not(&s, &m, SESSION_ACT_QUOTA_ENABLE));
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_CREATE));
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_QUOTA_DISABLE));
	m.mode = QGROUP_MODE_FULL;
	/* read-only mount, not root */
	s.fs.read_only = true;
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_LIMIT));
	s.fs.read_only = false;
	s.is_root = false;
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_RESCAN));
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_DESTROY));
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_EXACT));	/* reads devices */

	/* an image: nothing changes it; freed once scanned */
	s.kind = SESSION_IMAGE;
	s.is_root = true;
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_RESCAN));
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_LIMIT));
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_FREED));
	assert_null(session_why_not(&s, &m, SESSION_ACT_CANCEL_SCAN));
	s.scanned = true;
	assert_null(session_why_not(&s, &m, SESSION_ACT_FREED));
	m.mode = QGROUP_MODE_SIMPLE;
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_FREED));
	m.mode = QGROUP_MODE_FULL;
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_CANCEL_SCAN));
	/* back to the live view: from --exact only, an image has no other */
	assert_non_null(session_why_not(&s, &m, SESSION_ACT_EXACT));
	s.exact_live = true;
	assert_null(session_why_not(&s, &m, SESSION_ACT_EXACT));
	qgroup_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_rows),
		cmocka_unit_test(test_flat_and_sort),
		cmocka_unit_test(test_expand_across_refresh),
		cmocka_unit_test(test_move_scroll),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_tagset),
		cmocka_unit_test(test_cycle_guard),
		cmocka_unit_test(test_session_why_not),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
