/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-format.h - the text of the frontend's cells: the one-character
 * flag column and its legend, limits, usage and progress bars (UTF-8 or
 * ASCII), durations. Curses-free and testable.
 */
#ifndef QGTOP_VIEW_FORMAT_H
#define QGTOP_VIEW_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "view-rows.h"

/* flag characters, highest priority first */
#define VIEW_FLAG_OVER		'!'	/* over a limit */
#define VIEW_FLAG_MISMATCH	'*'	/* offline: computed differs from stored */
#define VIEW_FLAG_DELETING	'D'	/* subvolume being deleted */
#define VIEW_FLAG_STALE		'S'	/* subvolume gone, qgroup left */
#define VIEW_FLAG_PROVISIONAL	'~'	/* numbers change while a rescan runs */
#define VIEW_FLAG_MULTI		'+'	/* several parents: shown elsewhere too */
#define VIEW_FLAG_NONE		' '

struct view_flag_legend {
	char flag;
	const char *text;	/* N_() marked */
};

extern const struct view_flag_legend view_flag_legend[];
extern const size_t view_nr_flag_legend;

/**
 * view_rescan_active() - whether a rescan runs (numbers are provisional)
 */
bool view_rescan_active(const struct qgroup_model *m);

/**
 * view_qgroup_mismatch() - offline: computed numbers differ from stored
 */
bool view_qgroup_mismatch(const struct qgroup *q);

/**
 * view_flag() - the flag character of qgroup @q, shown in @m
 * @multi: the row is one of several places the qgroup appears
 */
char view_flag(const struct qgroup_model *m, const struct qgroup *q, bool multi);

/**
 * view_format_limits() - "4.00MiB/-": max referenced / max exclusive,
 * "-" for no limit
 * Return: @buf.
 */
char *view_format_limits(const struct qgroup *q, struct units u, char *buf, size_t len);

/**
 * view_format_headroom() - the bytes @q can still take under its tighter
 * limit before a write fails with EDQUOT (limit minus usage minus
 * reservations), "-" when it has no limit
 * Return: @buf.
 */
char *view_format_headroom(const struct qgroup *q, struct units u, char *buf, size_t len);

/**
 * view_format_bar() - a bar @width cells wide filled to @pct percent
 * (clamped to 100): "█████░░░░░" or, with @ascii, "#####....."; a bar
 * over 100 % ends in "!" so it does not rely on colour
 * Return: @buf (bytes, up to 3 per cell in UTF-8).
 */
char *view_format_bar(double pct, int width, bool ascii, char *buf, size_t len);

/**
 * view_format_duration() - "45s", "3m07s", "2h05m"
 * Return: @buf.
 */
char *view_format_duration(double seconds, char *buf, size_t len);

/**
 * view_format_name() - the name cell of row @i: tree lines, expander,
 * id and, for level 0, the subvolume path
 * @ascii: use "|-", "`-" and "+"/"-" instead of line drawing characters
 * Return: @buf.
 */
char *view_format_name(const struct view *v, size_t i, bool ascii, char *buf, size_t len);

/**
 * view_display_width() - terminal cells of the string @s as view_fit()
 * shows it in the current locale (wide characters count two, escapes
 * their length)
 */
size_t view_display_width(const char *s);

/**
 * view_fit() - the string @s as the terminal may show it, cut to at most
 * @cells terminal cells, never inside a character, written into @buf;
 * pads with spaces to exactly @cells when @pad
 *
 * Control characters, invalid UTF-8, bidi controls and characters the
 * locale cannot show are replaced by escapes (text-escape.h), so every
 * string the frontend draws passes through here.
 * Return: @buf.
 */
char *view_fit(const char *s, size_t cells, bool pad, char *buf, size_t len);

#endif
