// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view-format.c - cell texts for the frontend: flags, limits, bars, tree
 * lines. Every signal carried by colour in the TUI also has a character
 * here (flag column, "!" at the end of an overfull bar).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "nls.h"
#include "text-escape.h"
#include "view-format.h"

const struct view_flag_legend view_flag_legend[] = {
	{ VIEW_FLAG_OVER, N_("over a limit (referenced or exclusive)") },
	{ VIEW_FLAG_MISMATCH, N_("computed numbers differ from the stored ones (image)") },
	{ VIEW_FLAG_DELETING, N_("subvolume being deleted") },
	{ VIEW_FLAG_STALE, N_("stale: the subvolume is gone, the qgroup is left") },
	{ VIEW_FLAG_PROVISIONAL, N_("provisional: a rescan is running, numbers still change") },
	{ VIEW_FLAG_MULTI, N_("several parents: also shown under another qgroup") },
};

const size_t view_nr_flag_legend = sizeof(view_flag_legend) / sizeof(view_flag_legend[0]);

bool view_rescan_active(const struct qgroup_model *m)
{
	switch (m->rescan.state) {
	case QGROUP_RESCAN_STARTING:
	case QGROUP_RESCAN_SCANNING:
	case QGROUP_RESCAN_COMMITTING:
	case QGROUP_RESCAN_PAUSED:
		return true;
	default:
		return false;
	}
}

bool view_qgroup_mismatch(const struct qgroup *q)
{
	return q->has_stored && (q->stored_rfer != q->rfer || q->stored_excl != q->excl);
}

static bool over_limit(const struct qgroup *q)
{
	if (!q->has_limit)
		return false;
	if ((q->limit_flags & QGROUP_LIMIT_MAX_RFER) && q->max_rfer && q->rfer > q->max_rfer)
		return true;
	if ((q->limit_flags & QGROUP_LIMIT_MAX_EXCL) && q->max_excl && q->excl > q->max_excl)
		return true;
	return false;
}

char view_flag(const struct qgroup_model *m, const struct qgroup *q, bool multi)
{
	if (over_limit(q))
		return VIEW_FLAG_OVER;
	if (view_qgroup_mismatch(q))
		return VIEW_FLAG_MISMATCH;
	if (q->state == QGROUP_STATE_DELETING)
		return VIEW_FLAG_DELETING;
	if (q->state == QGROUP_STATE_STALE)
		return VIEW_FLAG_STALE;
	if (m && view_rescan_active(m))
		return VIEW_FLAG_PROVISIONAL;
	if (multi || q->nr_parents > 1)
		return VIEW_FLAG_MULTI;
	return VIEW_FLAG_NONE;
}

char *view_format_limits(const struct qgroup *q, struct units u, char *buf, size_t len)
{
	char a[UNITS_FORMAT_LEN] = "-", b[UNITS_FORMAT_LEN] = "-";

	if (q->has_limit && (q->limit_flags & QGROUP_LIMIT_MAX_RFER))
		units_format(q->max_rfer, u, a, sizeof(a));
	if (q->has_limit && (q->limit_flags & QGROUP_LIMIT_MAX_EXCL))
		units_format(q->max_excl, u, b, sizeof(b));
	snprintf(buf, len, "%s/%s", a, b);
	return buf;
}

char *view_format_headroom(const struct qgroup *q, struct units u, char *buf, size_t len)
{
	uint64_t r, e, left;
	bool has_r = qgroup_headroom(q, QGROUP_LIMIT_MAX_RFER, &r);
	bool has_e = qgroup_headroom(q, QGROUP_LIMIT_MAX_EXCL, &e);

	if (!has_r && !has_e) {
		snprintf(buf, len, "-");
		return buf;
	}
	left = has_r && has_e ? (r < e ? r : e) : has_r ? r : e;
	units_format(left, u, buf, len);
	return buf;
}

static size_t put(char *buf, size_t len, size_t used, const char *s)
{
	size_t n = strlen(s);

	if (used + n + 1 > len)
		return used;
	memcpy(buf + used, s, n + 1);
	return used + n;
}

char *view_format_bar(double pct, int width, bool ascii, char *buf, size_t len)
{
	const char *full = ascii ? "#" : "\u2588", *empty = ascii ? "." : "\u2591";
	int i, fill;
	bool over = pct > 100.0;
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (width <= 0)
		return buf;
	if (pct < 0)
		pct = 0;
	if (pct > 100)
		pct = 100;
	fill = (int)(pct * width / 100.0 + 0.5);
	if (fill == 0 && pct > 0)
		fill = 1;
	for (i = 0; i < width; i++) {
		if (over && i == width - 1)
			used = put(buf, len, used, "!");
		else
			used = put(buf, len, used, i < fill ? full : empty);
	}
	return buf;
}

char *view_format_duration(double seconds, char *buf, size_t len)
{
	unsigned long s;

	if (seconds < 0)
		seconds = 0;
	s = (unsigned long)(seconds + 0.5);
	if (s < 60)
		snprintf(buf, len, "%lus", s);
	else if (s < 3600)
		snprintf(buf, len, "%lum%02lus", s / 60, s % 60);
	else
		snprintf(buf, len, "%luh%02lum", s / 3600, (s % 3600) / 60);
	return buf;
}

char *view_format_name(const struct view *v, size_t i, bool ascii, char *buf, size_t len)
{
	const struct view_row *r;
	const struct qgroup *q = view_row_qgroup(v, i);
	size_t used = 0;
	unsigned d;
	char id[32];

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!q)
		return buf;
	r = &v->rows[i];
	for (d = 0; r->depth && d + 1 < r->depth; d++) {
		/* column d continues the line of the ancestor at depth d + 1 */
		bool more = d + 1 < 32 && (r->more & (1U << (d + 1)));

		if (ascii)
			used = put(buf, len, used, more ? "| " : "  ");
		else
			used = put(buf, len, used, more ? "\u2502 " : "  ");
	}
	if (r->depth) {
		bool last = r->flags & VIEW_ROW_LAST;

		if (ascii)
			used = put(buf, len, used, last ? "`-" : "|-");
		else
			used = put(buf, len, used, last ? "\u2514\u2500" : "\u251c\u2500");
	}
	if (r->flags & VIEW_ROW_HAS_CHILDREN) {
		if (ascii)
			used = put(buf, len, used, r->flags & VIEW_ROW_EXPANDED ? "[-]" : "[+]");
		else
			used = put(buf, len, used,
				   r->flags & VIEW_ROW_EXPANDED ? "\u25be " : "\u25b8 ");
	} else if (!v->flat) {
		used = put(buf, len, used, ascii ? "   " : "  ");
	}
	used = put(buf, len, used, qgroup_id_format(q->id, id, sizeof(id)));
	if (q->path) {
		used = put(buf, len, used, " ");
		used = put(buf, len, used, q->path);
	} else if (q->state == QGROUP_STATE_STALE) {
		used = put(buf, len, used, " ");
		used = put(buf, len, used, _("(stale)"));
	}
	return buf;
}

/*
 * The next character of @s as the terminal shows it: @shown gets the
 * character itself or, for text that must not reach a terminal raw
 * (control characters, invalid UTF-8, bidi controls), its escape; also
 * a character this locale cannot decode is shown escaped.
 * Return: the bytes of @s consumed; *@cells the cells of @shown.
 */
static size_t next_char(const char *s, char *shown, size_t *cells)
{
	size_t n, len;
	mbstate_t st;
	wchar_t wc;
	bool esc;
	int w;

	n = text_escape_next(s, shown, &esc);
	len = strlen(shown);
	if (esc) {
		*cells = len;
		return n;
	}
	memset(&st, 0, sizeof(st));
	if (mbrtowc(&wc, shown, len, &st) != len || (w = wcwidth(wc)) < 0) {
		/* valid UTF-8, but not in this locale: byte escapes, one each */
		snprintf(shown, TEXT_ESCAPE_MAX + 1, "\\x%02x", (unsigned char)s[0]);
		*cells = strlen(shown);
		return 1;
	}
	*cells = (size_t)w;
	return n;
}

size_t view_display_width(const char *s)
{
	char shown[TEXT_ESCAPE_MAX + 1];
	size_t n = 0, c;

	while (*s) {
		s += next_char(s, shown, &c);
		n += c;
	}
	return n;
}

char *view_fit(const char *s, size_t cells, bool pad, char *buf, size_t len)
{
	char shown[TEXT_ESCAPE_MAX + 1];
	size_t used = 0, c = 0, w;

	if (!len)
		return buf;
	while (*s) {
		size_t n = next_char(s, shown, &w), m = strlen(shown);

		if (c + w > cells || used + m + 1 > len)
			break;
		memcpy(buf + used, shown, m);
		used += m;
		s += n;
		c += w;
	}
	while (pad && c < cells && used + 2 <= len) {
		buf[used++] = ' ';
		c++;
	}
	buf[used] = '\0';
	return buf;
}
