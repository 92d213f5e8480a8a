/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-rows.h - the rows a frontend shows for a qgroup_model: the qgroup
 * DAG flattened into a tree (a qgroup with several parents appears under
 * each of them), or a flat list; sorting; expanded state, cursor and
 * marks that survive a refresh because each row has a stable tag made of
 * the qgroup id and the ids of the rows above it.
 *
 * Curses-free so it can be tested without a terminal. Rows point into
 * the model by index: rebuild them (view_build()) whenever the model
 * changes.
 */
#ifndef QGTOP_VIEW_ROWS_H
#define QGTOP_VIEW_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qgroup-model.h"
#include "units.h"

enum view_sort {
	VIEW_SORT_ID = 0,
	VIEW_SORT_RFER,
	VIEW_SORT_EXCL,
	VIEW_SORT_PCT,		/* percent of the tighter limit */
};

#define VIEW_ROW_HAS_CHILDREN	(1U << 0)
#define VIEW_ROW_EXPANDED	(1U << 1)
#define VIEW_ROW_MULTI_PARENT	(1U << 2)	/* also shown under another parent */
#define VIEW_ROW_LAST		(1U << 3)	/* last among its siblings */

/* deeper rows than this are not expanded (the kernel allows 8 levels) */
#define VIEW_MAX_DEPTH 31

struct view_row {
	uint32_t qg;		/* index into model->qgroups */
	uint16_t depth;
	uint16_t flags;		/* VIEW_ROW_* */
	uint32_t parent_row;	/* index of the row above it, UINT32_MAX at top */
	uint32_t more;		/* bit d: the ancestor at depth d has later siblings */
	uint64_t tag;		/* stable identity: qgroup id + path in the tree */
};

/* a set of 64-bit tags (open addressing; 0 is never stored) */
struct view_tagset {
	uint64_t *slots;
	size_t cap, nr;
};

struct view_cache;

struct view {
	const struct qgroup_model *model;
	struct view_cache *cache;	/* lookups and sort keys of @model */
	struct view_row *rows;
	size_t nr_rows, cap_rows;

	bool flat;
	enum view_sort sort;
	bool reverse;
	struct units units;

	struct view_tagset collapsed;	/* rows folded by the user (tree view) */
	struct view_tagset marked;	/* qgroup ids marked with space */

	size_t cursor, top;
	uint64_t cursor_tag, cursor_id;
	bool have_cursor;

	char search[128];
};

/**
 * view_init() - an empty view: tree, sorted by id, iec units
 * @v: view to initialise
 */
void view_init(struct view *v);

/**
 * view_forget_model() - drop the rows of the model shown, whose source is
 * gone (the live and exact views switched); sorting, folds and marks stay
 * @v: view
 */
void view_forget_model(struct view *v);

/**
 * view_free() - release the rows and sets of @v
 * @v: view
 */
void view_free(struct view *v);

/**
 * view_build() - (re)build the rows of @v from @m
 * @v: view
 * @m: finished model; @v keeps a pointer to it until the next build
 *
 * Expanded state, marks and the cursor are carried over by tag: the
 * cursor stays on the same qgroup at the same place in the tree, or on
 * the same qgroup elsewhere, or at the same row number.
 *
 * Return: 0 or -ENOMEM (the view is then empty).
 */
int view_build(struct view *v, const struct qgroup_model *m);

/**
 * view_row_qgroup() - the qgroup shown in row @i
 * Return: the qgroup, NULL when @i is out of range.
 */
const struct qgroup *view_row_qgroup(const struct view *v, size_t i);

/**
 * view_list_move() - a cursor on a list of @nr lines moved by @delta lines,
 * clamped to the list (the tree and the filesystem picker both use it)
 * Return: the new cursor.
 */
size_t view_list_move(size_t cursor, long delta, size_t nr);

/**
 * view_list_scroll() - the first line to show of a list of @nr lines in
 * @height lines so that @cursor is visible, from the current @top
 * Return: the new first line.
 */
size_t view_list_scroll(size_t cursor, size_t top, size_t nr, size_t height);

/**
 * view_set_cursor() - move the cursor to row @i (clamped)
 */
void view_set_cursor(struct view *v, size_t i);

/**
 * view_move() - move the cursor by @delta rows (clamped)
 */
void view_move(struct view *v, long delta);

/**
 * view_scroll() - adjust the first shown row so the cursor is visible in
 * a window of @height rows
 */
void view_scroll(struct view *v, size_t height);

/**
 * view_expand() - expand the cursor row, or go to its first child when
 * it is expanded already
 * Return: true when the rows changed or the cursor moved.
 */
bool view_expand(struct view *v);

/**
 * view_collapse() - collapse the cursor row, or go to its parent row
 * Return: true when the rows changed or the cursor moved.
 */
bool view_collapse(struct view *v);

/**
 * view_toggle_flat() - switch between tree and flat list
 */
void view_toggle_flat(struct view *v);

/**
 * view_set_sort() - sort by @key; the same key again reverses the order.
 * A new key starts in its natural order: ids ascending, sizes and
 * percentages largest first.
 */
void view_set_sort(struct view *v, enum view_sort key);

/**
 * view_search() - find the next row whose id ("1/100") or path contains
 * @v->search (case-insensitive), starting after (or before, @backward)
 * the cursor and wrapping around
 * Return: the row index, or -1 when none matches.
 */
long view_search(const struct view *v, bool backward);

/**
 * view_reveal_match() - when no row matches @v->search because the match
 * is folded away, expand the qgroups above the first matching qgroup (along
 * its first parents) and put the cursor on it
 * Return: the row index, or -1 when no qgroup matches at all.
 */
long view_reveal_match(struct view *v);

/**
 * view_toggle_mark() - mark or unmark the cursor row's qgroup
 * Return: true when it is now marked.
 */
bool view_toggle_mark(struct view *v);

/**
 * view_is_marked() - whether qgroup @id is marked
 */
bool view_is_marked(const struct view *v, uint64_t id);

/**
 * view_marked_ids() - the marked ids that still exist in the model
 * @nr: number returned
 * Return: malloc'ed array, NULL when none or out of memory.
 */
uint64_t *view_marked_ids(const struct view *v, size_t *nr);

/**
 * view_qgroup_percent() - usage and reservations of @q against its
 * tighter limit (what decides EDQUOT)
 * Return: percent (may exceed 100), or -1 when no limit is set.
 */
double view_qgroup_percent(const struct qgroup *q);

/**
 * view_other_parents() - the parents of row @i's qgroup other than the
 * one it is shown under, as "1/100, 1/200" in @buf
 * Return: @buf ("" when none).
 */
char *view_other_parents(const struct view *v, size_t i, char *buf, size_t len);

/**
 * view_tagset_has() - whether @tag is in @s
 * Return: true when present (never for 0).
 */
bool view_tagset_has(const struct view_tagset *s, uint64_t tag);

/**
 * view_tagset_add() - add @tag (not 0) to @s; adding twice is harmless
 * Return: 0 or -ENOMEM.
 */
int view_tagset_add(struct view_tagset *s, uint64_t tag);

/**
 * view_tagset_del() - remove @tag from @s if present
 */
void view_tagset_del(struct view_tagset *s, uint64_t tag);

/**
 * view_tagset_free() - release @s, leaving it empty and reusable
 */
void view_tagset_free(struct view_tagset *s);

#endif
