// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ui-draw.c - draw the whole screen from the frontend's state: header,
 * rescan or scan progress, column titles, the qgroup rows, the message or
 * prompt line, key hints, and the help and info overlays. Drawing changes
 * only what is shown (the first row on screen follows the cursor), so
 * resizing is just drawing again.
 */
#include "config.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "live-quota.h"
#include "nls.h"
#include "ui-draw.h"
#include "ui-help.h"
#include "ui-int.h"
#include "ui-term.h"
#include "units.h"
#include "view-format.h"

#define LINE_MAX_BYTES 2048

struct layout {
	int name_w, num_w, lim_w, bar_w;
	bool show_lim, show_bar, image;
};

int ui_color(const struct ui *ui, int pair)
{
	return ui->color ? COLOR_PAIR(pair) : 0;
}

/* print @s cut or padded to exactly @w cells at the cursor position */
static void put_cell(const char *s, int w)
{
	char buf[LINE_MAX_BYTES];

	if (w <= 0)
		return;
	addstr(view_fit(s, (size_t)w, true, buf, sizeof(buf)));
}

static void put_right(const char *s, int w)
{
	size_t n = view_display_width(s);

	if (w <= 0)
		return;
	if (n < (size_t)w)
		printw("%*s", w - (int)n, "");
	put_cell(s, n < (size_t)w ? (int)n : w);
}

static void put_line(int y, const char *s, int attr)
{
	attron(attr);
	move(y, 0);
	put_cell(s, COLS);
	attroff(attr);
}

static void compute_layout(const struct ui *ui, struct layout *l)
{
	bool raw = ui->v.units.base == UNITS_RAW;
	int fixed;

	l->image = ui->s.kind == SESSION_IMAGE;
	l->num_w = raw ? 15 : 12;
	l->lim_w = raw ? 29 : 21;
	l->bar_w = 14;
	l->show_lim = l->show_bar = true;
	for (;;) {
		/* flag + mark + space, then each column with a leading space */
		fixed = 4 + (l->num_w + 1) * (l->image ? 4 : 2);
		/* the limits and, live, what is left of them before EDQUOT */
		if (l->show_lim)
			fixed += l->lim_w + 1 + (l->image ? 0 : l->num_w + 1);
		if (l->show_bar)
			fixed += l->bar_w + 1;
		l->name_w = COLS - fixed;
		if (l->name_w >= 18)
			break;
		if (l->show_bar)
			l->show_bar = false;
		else if (l->show_lim)
			l->show_lim = false;
		else
			break;
	}
	if (l->name_w < 4)
		l->name_w = 4;
}

static const char *mode_text(const struct qgroup_model *m)
{
	switch (m->mode) {
	case QGROUP_MODE_FULL:
		return _("full");
	case QGROUP_MODE_SIMPLE:
		return _("simple");
	default:
		return _("disabled");
	}
}

static const char *rescan_text(const struct qgroup_model *m)
{
	switch (m->rescan.state) {
	case QGROUP_RESCAN_STARTING:
		return _("starting");
	case QGROUP_RESCAN_SCANNING:
		return _("scanning");
	case QGROUP_RESCAN_COMMITTING:
		return _("committing");
	case QGROUP_RESCAN_PAUSED:
		return _("paused or stalled");
	case QGROUP_RESCAN_STALE:
	case QGROUP_RESCAN_IDLE:
		break;
	}
	return _("idle");
}

static void draw_header(struct ui *ui)
{
	const struct qgroup_model *m = ui->m;
	char line[LINE_MAX_BYTES];
	int head = A_REVERSE | ui_color(ui, UI_PAIR_HEAD);

	if (!m) {
		snprintf(line, sizeof(line), " qgtop  %s  %s", session_title(&ui->s),
			 ui->refresh_err ? _("cannot read the quota state") : _("reading..."));
		put_line(0, line, head);
		return;
	}
	if (m->fs.live_scan) {
		char gen[48];

		snprintf(gen, sizeof(gen), "%" PRIu64, m->fs.generation);
		snprintf(line, sizeof(line), " qgtop  %s  %s  %s: %s%s  %s: %s",
			 m->fs.label && m->fs.label[0] ? m->fs.label : "-",
			 m->fs.uuid[0] ? m->fs.uuid : "-", _("quota"), mode_text(m),
			 m->inconsistent ? _("  INCONSISTENT") : "", _("exact, commit"), gen);
	} else {
		snprintf(line, sizeof(line), " qgtop  %s  %s  %s: %s%s  %s: %s%s",
			 m->fs.label && m->fs.label[0] ? m->fs.label : "-",
			 m->fs.uuid[0] ? m->fs.uuid : "-", _("quota"), mode_text(m),
			 m->inconsistent ? _("  INCONSISTENT") : "",
			 m->fs.offline ? _("image") : _("rescan"),
			 m->fs.offline ? _("read-only") : rescan_text(m),
			 ui->detached && view_rescan_active(m) ? _(" (not watched)") : "");
	}
	put_line(0, line, head);
	if (m->inconsistent) {
		/* the warning again in bold, where it stands in the header */
		const char *w = _("INCONSISTENT");
		char *p = strstr(line, w);

		if (p) {
			attron(A_REVERSE | A_BOLD | ui_color(ui, UI_PAIR_WARN));
			mvaddstr(0, (int)view_display_width(line) -
					    (int)view_display_width(p), w);
			attroff(A_REVERSE | A_BOLD | ui_color(ui, UI_PAIR_WARN));
		}
	}
}

/* the second line of an --exact view: how old the numbers are */
static void draw_exact_age(const struct qgroup_model *m, char *line, size_t len)
{
	char ago[64];

	snprintf(ago, sizeof(ago), _("read %llds ago"), (long long)(time(NULL) - m->fs.read_at));
	snprintf(line, len, " %s  %s", ago, m->mode == QGROUP_MODE_DISABLED ?
		 _("(quotas are off: every subvolume computed; space marks subvolumes; "
		   "F scans again)") :
		 _("(computed beside the kernel's numbers of that commit; space marks "
		   "subvolumes; F scans again)"));
}

static void draw_progress(struct ui *ui)
{
	const struct qgroup_model *m = ui->m;
	char line[LINE_MAX_BYTES], bar[256], el[32], eta[32];
	int bar_w = COLS / 4;

	move(1, 0);
	clrtoeol();
	if (bar_w > 40)
		bar_w = 40;
	if (ui->s.kind == SESSION_IMAGE && !ui->s.scanned) {
		double f = ui->s.scan_fraction;

		if (f >= 0) {
			view_format_bar(f * 100, bar_w, ui->ascii, bar, sizeof(bar));
			snprintf(line, sizeof(line), " %s [%s] %3.0f%% %s",
				 ui->s.exact_live ? _("scanning exactly") : _("scanning image"), bar,
				 f * 100, _("of the metadata read (x stops)"));
		} else {
			snprintf(line, sizeof(line), " %s", ui->s.exact_live ?
				 _("reading the devices...") : _("opening image..."));
		}
		attron(ui_color(ui, UI_PAIR_PROV) | A_BOLD);
		put_line(1, line, 0);
		attroff(ui_color(ui, UI_PAIR_PROV) | A_BOLD);
		return;
	}
	if (!m)
		return;
	if (m->fs.offline || m->fs.live_scan) {
		if (ui->have_freed)
			snprintf(line, sizeof(line), " %s %zu: %s %s",
				 _("marked subvolumes"), ui->freed_nr, _("freed if deleted"),
				 units_format(ui->freed, ui->v.units, el, sizeof(el)));
		else if (m->fs.live_scan)
			draw_exact_age(m, line, sizeof(line));
		else
			snprintf(line, sizeof(line), " %s %s  %s", _("image"), m->fs.source ? m->fs.source : "",
				 _("(computed numbers beside the stored ones; space marks subvolumes)"));
		put_line(1, line, 0);
		return;
	}
	if (view_rescan_active(m) && !ui->detached) {
		view_format_duration(m->rescan.elapsed_s, el, sizeof(el));
		if (m->rescan.percent >= 0) {
			char d[32];

			view_format_bar(m->rescan.percent, bar_w, ui->ascii, bar, sizeof(bar));
			/* an ETA only when the estimator calls it honest */
			if (m->rescan.eta_s >= 0)
				snprintf(eta, sizeof(eta), "  %s ~%s", _("ETA"),
					 view_format_duration(m->rescan.eta_s, d, sizeof(d)));
			else
				eta[0] = '\0';
			snprintf(line, sizeof(line), " %s %s [%s] %5.1f%% %s  %s %s%s",
				 _("rescan"), rescan_text(m), bar, m->rescan.percent,
				 _("of extents (weighted)"), ui->s.rescan_attached ? _("watched") : _("elapsed"), el, eta);
			if (m->rescan.rate >= 0)
				snprintf(line + strlen(line), sizeof(line) - strlen(line),
					 _("  %.0f extents/s"), m->rescan.rate);
		} else {
			snprintf(line, sizeof(line), " %s %s  %s %s  %s", _("rescan"), rescan_text(m),
				 ui->s.rescan_attached ? _("watched") : _("elapsed"), el, _("(counting extents for an estimate...)"));
		}
		attron(ui_color(ui, UI_PAIR_PROV) | A_BOLD);
		put_line(1, line, 0);
		attroff(ui_color(ui, UI_PAIR_PROV) | A_BOLD);
		return;
	}
	snprintf(line, sizeof(line), " %s %s%s%s", _("on"),
		 m->fs.mountpoints && m->fs.mountpoints[0] ? m->fs.mountpoints[0] : session_title(&ui->s),
		 m->fs.source ? "  " : "", m->fs.source ? m->fs.source : "");
	if (m->mode == QGROUP_MODE_DISABLED)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "  %s",
			 _("quota is disabled (Q enables it)"));
	else if (ui->s.missing & LIVE_QUOTA_NO_TREE)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "  %s",
			 _("not root: numbers from sysfs, no relations or paths"));
	put_line(1, line, 0);
}

static void draw_titles(struct ui *ui, const struct layout *l)
{
	const char *arrow = ui->v.reverse ? (ui->ascii ? "^" : "\u25b2") : (ui->ascii ? "v" : "\u25bc");
	char t[64];
	int sorted = ui->v.sort;

	move(2, 0);
	clrtoeol();
	attron(A_BOLD | A_UNDERLINE);
	addstr("F ");
	addstr(l->image ? "M " : "  ");
	snprintf(t, sizeof(t), "%s%s", _("Qgroup"), sorted == VIEW_SORT_ID ? arrow : "");
	put_cell(t, l->name_w);
	addstr(" ");
	snprintf(t, sizeof(t), "%s%s", sorted == VIEW_SORT_RFER ? arrow : "", _("Referenced"));
	put_right(t, l->num_w);
	if (l->image) {
		addstr(" ");
		put_right(_("stored"), l->num_w);
	}
	addstr(" ");
	snprintf(t, sizeof(t), "%s%s", sorted == VIEW_SORT_EXCL ? arrow : "", _("Exclusive"));
	put_right(t, l->num_w);
	if (l->image) {
		addstr(" ");
		put_right(_("stored"), l->num_w);
	}
	if (l->show_lim) {
		addstr(" ");
		put_right(_("Limit rfer/excl"), l->lim_w);
		if (!l->image) {
			addstr(" ");
			put_right(_("Left"), l->num_w);
		}
	}
	if (l->show_bar) {
		addstr(" ");
		snprintf(t, sizeof(t), "%s%s", sorted == VIEW_SORT_PCT ? arrow : "", _("Use of limit"));
		put_cell(t, l->bar_w);
	}
	attroff(A_BOLD | A_UNDERLINE);
}

static void draw_row(struct ui *ui, const struct layout *l, int y, size_t i)
{
	const struct qgroup *q = view_row_qgroup(&ui->v, i);
	const struct view_row *r = &ui->v.rows[i];
	char name[LINE_MAX_BYTES], other[256], num[UNITS_FORMAT_LEN], lim[80], bar[128];
	bool cur = i == ui->v.cursor;
	char flag = view_flag(ui->m, q, r->flags & VIEW_ROW_MULTI_PARENT);
	int base = cur ? A_REVERSE : 0;
	double pct;

	move(y, 0);
	attrset(base);
	if (flag == VIEW_FLAG_OVER || flag == VIEW_FLAG_MISMATCH)
		attron(A_BOLD | ui_color(ui, UI_PAIR_WARN));
	else if (flag == VIEW_FLAG_PROVISIONAL)
		attron(ui_color(ui, UI_PAIR_PROV));
	addch((chtype)(unsigned char)flag);
	attrset(base);
	addch(' ');
	addch(l->image && view_is_marked(&ui->v, q->id) ? '>' : ' ');
	addch(' ');
	view_format_name(&ui->v, i, ui->ascii, name, sizeof(name));
	if (r->flags & VIEW_ROW_MULTI_PARENT) {
		view_other_parents(&ui->v, i, other, sizeof(other));
		if (other[0])
			snprintf(name + strlen(name), sizeof(name) - strlen(name), "  (%s %s)",
				 _("also under"), other);
	}
	put_cell(name, l->name_w);
	if (flag == VIEW_FLAG_PROVISIONAL)
		attron(ui_color(ui, UI_PAIR_PROV));
	addch(' ');
	put_right(units_format(q->rfer, ui->v.units, num, sizeof(num)), l->num_w);
	if (l->image) {
		addch(' ');
		if (q->has_stored && q->stored_rfer != q->rfer)
			attron(A_BOLD | A_UNDERLINE | ui_color(ui, UI_PAIR_DIFF));
		put_right(q->has_stored ? units_format(q->stored_rfer, ui->v.units, num, sizeof(num)) : "-",
			  l->num_w);
		attrset(base);
	}
	addch(' ');
	put_right(units_format(q->excl, ui->v.units, num, sizeof(num)), l->num_w);
	if (l->image) {
		addch(' ');
		if (q->has_stored && q->stored_excl != q->excl)
			attron(A_BOLD | A_UNDERLINE | ui_color(ui, UI_PAIR_DIFF));
		put_right(q->has_stored ? units_format(q->stored_excl, ui->v.units, num, sizeof(num)) : "-",
			  l->num_w);
		attrset(base);
	}
	attrset(base);
	if (l->show_lim) {
		addch(' ');
		put_right(view_format_limits(q, ui->v.units, lim, sizeof(lim)), l->lim_w);
		if (!l->image) {
			addch(' ');
			put_right(view_format_headroom(q, ui->v.units, num, sizeof(num)), l->num_w);
		}
	}
	if (l->show_bar) {
		addch(' ');
		pct = view_qgroup_percent(q);
		if (pct < 0) {
			put_cell("", l->bar_w);
		} else {
			char pt[16];

			view_format_bar(pct, l->bar_w - 6, ui->ascii, bar, sizeof(bar));
			attron(ui_color(ui, pct > 100 ? UI_PAIR_WARN : UI_PAIR_BAR));
			addstr(bar);
			attrset(base);
			if (pct > 999)
				snprintf(pt, sizeof(pt), " >999%%");
			else
				snprintf(pt, sizeof(pt), " %4.0f%%", pct);
			put_cell(pt, 6);
		}
	}
	/* the cursor line is reversed up to the screen's edge */
	clrtoeol();
	attrset(A_NORMAL);
}

static void draw_rows(struct ui *ui, const struct layout *l)
{
	int y, h = LINES - 5;
	size_t i;

	ui->list_height = h > 0 ? h : 1;
	view_scroll(&ui->v, (size_t)ui->list_height);
	for (y = 0; y < h; y++) {
		i = ui->v.top + (size_t)y;
		move(3 + y, 0);
		clrtoeol();
		if (!ui->m || i >= ui->v.nr_rows) {
			if (y == 0 && ui->m && !ui->v.nr_rows)
				addstr(ui->m->mode == QGROUP_MODE_DISABLED ?
				       _("  quota is disabled on this filesystem: no qgroups") :
				       _("  no qgroups"));
			continue;
		}
		draw_row(ui, l, 3 + y, i);
	}
}

/* the key hints of the bottom line; one that does not apply is shown in
 * parentheses (pressing it says why) */
static void footer_hints(const struct ui *ui, char *line, size_t len)
{
	static const struct {
		int act;		/* enum session_action, -1: always there */
		bool image;		/* shown for an image, else for a mounted fs */
		bool live;
		const char *text;	/* N_() */
	} hints[] = {
		{ -1, true, true, N_("?:help") },
		{ -1, true, true, N_("q:quit") },
		{ -1, true, true, N_("/:search") },
		{ -1, true, true, N_("1-4:sort") },
		{ -1, true, true, N_("f:flat") },
		{ -1, true, true, N_("u:units") },
		{ -1, true, true, N_("i:info") },
		{ -1, true, false, N_("space:mark") },
		{ SESSION_ACT_CANCEL_SCAN, true, false, N_("x:stop scan") },
		{ SESSION_ACT_EXACT, false, true, N_("e:exact") },
		{ SESSION_ACT_EXACT, true, false, N_("e:live") },
		{ SESSION_ACT_RESCAN, false, true, N_("r:rescan") },
		{ SESSION_ACT_ABORT, false, true, N_("a:abort") },
		{ SESSION_ACT_LIMIT, false, true, N_("L:limit") },
		{ SESSION_ACT_ASSIGN, false, true, N_("+/-:parent") },
		{ SESSION_ACT_CREATE, false, true, N_("c/D:create/destroy") },
	};
	bool image = ui->s.kind == SESSION_IMAGE;
	size_t used = 0;

	line[0] = '\0';
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]) && used + 1 < len; i++) {
		bool off;

		if (image ? !hints[i].image : !hints[i].live)
			continue;
		off = hints[i].act >= 0 &&
		      session_why_not(&ui->s, ui->m, (enum session_action)hints[i].act);
		/* a finished scan has nothing to stop: no hint at all */
		if (off && hints[i].act == SESSION_ACT_CANCEL_SCAN)
			continue;
		/* nor has an unmounted image a live view */
		if (off && image && hints[i].act == SESSION_ACT_EXACT)
			continue;
		used += (size_t)snprintf(line + used, len - used, off ? " (%s)" : " %s",
					 _(hints[i].text));
		if (used >= len)
			break;	/* cut: the line is full */
	}
}

/*
 * A message that stays until a key is pressed, wrapped over as many lines
 * as it needs above the key hints (at most the rows of the list), so a
 * long path is shown whole; words are kept together where they fit.
 */
static void draw_sticky(struct ui *ui)
{
	char text[sizeof(ui->msg) + 64], piece[LINE_MAX_BYTES];
	const char *lines[64], *s;
	size_t lens[64], n = 0, max = LINES > 5 ? (size_t)LINES - 4 : 1;
	int attr = ui->msg_error ? A_BOLD | ui_color(ui, UI_PAIR_WARN) : A_BOLD;

	snprintf(text, sizeof(text), "%s  %s", ui->msg, _("(any key)"));
	for (s = text; *s && n < 64 && n < max; n++) {
		size_t len = strlen(view_fit(s, (size_t)COLS, false, piece, sizeof(piece)));
		const char *sp = NULL;

		if (!len)
			break;
		if (s[len]) {
			/* end the line at a space in its second half, if any */
			for (size_t k = len; k > len / 2; k--)
				if (s[k] == ' ') {
					sp = s + k;
					break;
				}
		}
		lines[n] = s;
		lens[n] = sp ? (size_t)(sp - s) : len;
		s += lens[n];
		while (*s == ' ')
			s++;
	}
	for (size_t i = 0; i < n; i++) {
		int y = LINES - 2 - (int)(n - 1 - i);

		snprintf(piece, sizeof(piece), "%.*s", (int)lens[i], lines[i]);
		move(y, 0);
		clrtoeol();
		put_line(y, piece, attr);
	}
}

static void draw_footer(struct ui *ui)
{
	char line[LINE_MAX_BYTES];
	int y = LINES - 2;

	move(y, 0);
	clrtoeol();
	if (ui->k.mode == VIEW_MODE_SEARCH) {
		snprintf(line, sizeof(line), "/%s", ui->k.input);
		put_line(y, line, A_BOLD);
	} else if (ui->k.mode == VIEW_MODE_CONFIRM || ui->k.mode == VIEW_MODE_MENU) {
		put_line(y, ui->prompt, A_BOLD | ui_color(ui, UI_PAIR_PROV));
	} else if (ui->k.mode == VIEW_MODE_TYPE_YES || ui->k.mode == VIEW_MODE_INPUT) {
		snprintf(line, sizeof(line), "%s %s", ui->prompt, ui->k.input);
		put_line(y, line, A_BOLD | ui_color(ui, UI_PAIR_PROV));
	} else if (ui->msg[0] && ui->msg_sticky) {
		draw_sticky(ui);
	} else if (ui->msg[0]) {
		put_line(y, ui->msg, ui->msg_error ? A_BOLD | ui_color(ui, UI_PAIR_WARN) : 0);
	}
	footer_hints(ui, line, sizeof(line));
	put_line(LINES - 1, line, A_REVERSE | ui_color(ui, UI_PAIR_HEAD));
}

static void box_at(struct ui *ui, int y0, int x0, int h, int w, const char *title)
{
	int y;

	for (y = y0; y < y0 + h; y++) {
		move(y, x0);
		printw("%*s", w, "");
	}
	if (ui->ascii) {
		for (y = y0; y < y0 + h; y++) {
			mvaddch(y, x0, '|');
			mvaddch(y, x0 + w - 1, '|');
		}
		mvhline(y0, x0, '-', w);
		mvhline(y0 + h - 1, x0, '-', w);
		mvaddch(y0, x0, '+');
		mvaddch(y0, x0 + w - 1, '+');
		mvaddch(y0 + h - 1, x0, '+');
		mvaddch(y0 + h - 1, x0 + w - 1, '+');
	} else {
		mvhline(y0, x0, ACS_HLINE, w);
		mvhline(y0 + h - 1, x0, ACS_HLINE, w);
		mvvline(y0, x0, ACS_VLINE, h);
		mvvline(y0, x0 + w - 1, ACS_VLINE, h);
		mvaddch(y0, x0, ACS_ULCORNER);
		mvaddch(y0, x0 + w - 1, ACS_URCORNER);
		mvaddch(y0 + h - 1, x0, ACS_LLCORNER);
		mvaddch(y0 + h - 1, x0 + w - 1, ACS_LRCORNER);
	}
	attron(A_BOLD);
	move(y0, x0 + 2);
	put_cell(title, (int)view_display_width(title) < w - 4 ? (int)view_display_width(title) : w - 4);
	attroff(A_BOLD);
}

static void draw_lines_box(struct ui *ui, const char *title, const char *const *lines, size_t n,
			   int *top)
{
	int w = COLS - 4, h = LINES - 2, y;

	if (w > 100)
		w = 100;
	if (*top > (int)n - (h - 2))
		*top = (int)n - (h - 2);
	if (*top < 0)
		*top = 0;
	box_at(ui, 1, (COLS - w) / 2, h, w, title);
	for (y = 0; y < h - 2 && (size_t)(*top + y) < n; y++) {
		move(2 + y, (COLS - w) / 2 + 2);
		put_cell(lines[*top + y], w - 4);
	}
}

static void draw_help(struct ui *ui)
{
	const char *const *lines = ui_help_text();
	size_t n = 0;

	while (lines[n])
		n++;
	draw_lines_box(ui, _("Help (q or Esc closes, arrows scroll)"), lines, n, &ui->help_top);
}

#define INFO_LINES 32

static void draw_info(struct ui *ui)
{
	const struct qgroup *q = view_row_qgroup(&ui->v, ui->v.cursor);
	static char buf[INFO_LINES][LINE_MAX_BYTES];
	const char *lines[INFO_LINES];
	char id[32], h[UNITS_FORMAT_LEN], h2[UNITS_FORMAT_LEN];
	size_t n = 0, k, used;
	double pct;

	if (!q) {
		lines[n++] = _("no qgroup under the cursor");
		draw_lines_box(ui, _("Info"), lines, n, &ui->info_top);
		return;
	}
#define L(...) do { snprintf(buf[n], LINE_MAX_BYTES, __VA_ARGS__); lines[n] = buf[n]; n++; } while (0)
	qgroup_id_format(q->id, id, sizeof(id));
	L("%s %s  (%s %u, %s %" PRIu64 ")", _("qgroup"), id, _("level"), QGROUP_LEVEL(q->id),
	  QGROUP_LEVEL(q->id) ? _("id") : _("subvolume"), (uint64_t)QGROUP_SUBID(q->id));
	if (q->path)
		L("%s: %s", _("path"), q->path);
	L("%s: %s", _("state"), q->state == QGROUP_STATE_STALE ? _("stale (subvolume gone)") :
				q->state == QGROUP_STATE_DELETING ? _("subvolume being deleted") : _("ok"));
	L("%s: %" PRIu64 " %s (%s)", _("referenced"), q->rfer, _("bytes"),
	  units_format(q->rfer, UNITS_DEFAULT, h, sizeof(h)));
	L("%s: %" PRIu64 " %s (%s)", _("exclusive"), q->excl, _("bytes"),
	  units_format(q->excl, UNITS_DEFAULT, h, sizeof(h)));
	if (q->has_stored) {
		L("%s: %" PRIu64 " / %" PRIu64 " %s%s", _("stored on disk, referenced / exclusive"),
		  q->stored_rfer, q->stored_excl, _("bytes"),
		  view_qgroup_mismatch(q) ? _("  DIFFERS from the computed numbers") : "");
	}
	if (q->has_limit && (q->limit_flags & QGROUP_LIMIT_MAX_RFER))
		L("%s: %" PRIu64 " %s (%s)", _("limit on referenced"), q->max_rfer, _("bytes"),
		  units_format(q->max_rfer, UNITS_DEFAULT, h, sizeof(h)));
	else
		L("%s: %s", _("limit on referenced"), _("none"));
	if (q->has_limit && (q->limit_flags & QGROUP_LIMIT_MAX_EXCL))
		L("%s: %" PRIu64 " %s (%s)", _("limit on exclusive"), q->max_excl, _("bytes"),
		  units_format(q->max_excl, UNITS_DEFAULT, h, sizeof(h)));
	else
		L("%s: %s", _("limit on exclusive"), _("none"));
	if (q->has_rsv)
		L("%s: %" PRIu64 " %s (%s: %" PRIu64 ", %s: %" PRIu64 ", %s: %" PRIu64 ")",
		  _("reserved for writes not yet committed"), qgroup_reserved(q), _("bytes"),
		  _("data"), q->rsv_data, _("metadata per transaction"), q->rsv_meta_pertrans,
		  _("metadata preallocated"), q->rsv_meta_prealloc);
	pct = view_qgroup_percent(q);
	if (pct >= 0)
		L("%s: %.1f%%", _("use of the tighter limit, reservations included"), pct);
	for (int excl = 0; excl < 2; excl++) {
		uint64_t flag = excl ? QGROUP_LIMIT_MAX_EXCL : QGROUP_LIMIT_MAX_RFER, left;

		if (qgroup_headroom(q, flag, &left))
			L("%s: %" PRIu64 " %s (%s)", excl ? _("left before EDQUOT, exclusive")
						       : _("left before EDQUOT, referenced"),
			  left, _("bytes"), units_format(left, UNITS_DEFAULT, h, sizeof(h)));
	}
	if (ui->m && q->nr_parents) {
		uint64_t left, by;

		/* a write is charged to every qgroup above too */
		if (qgroup_model_headroom(ui->m, q, &left, &by) && by != q->id)
			L("%s: %s (%s %s)", _("left for a write, with the qgroups above"),
			  units_format(left, UNITS_DEFAULT, h, sizeof(h)), _("limited by"),
			  qgroup_id_format(by, h2, sizeof(h2)));
	}
	for (int pass = 0; pass < 2; pass++) {
		const uint64_t *ids = pass ? q->children : q->parents;
		size_t nr = pass ? q->nr_children : q->nr_parents;

		used = (size_t)snprintf(buf[n], LINE_MAX_BYTES, "%s (%zu):",
					pass ? _("members") : _("parents"), nr);
		for (k = 0; k < nr && used < LINE_MAX_BYTES - 40; k++)
			used += (size_t)snprintf(buf[n] + used, LINE_MAX_BYTES - used, " %s",
						 qgroup_id_format(ids[k], id, sizeof(id)));
		if (k < nr)
			snprintf(buf[n] + used, LINE_MAX_BYTES - used, " ...");
		lines[n] = buf[n];
		n++;
	}
	if (q->has_info)
		L("%s: %" PRIu64, _("generation of the numbers"), q->info_generation);
	if (ui->m && view_rescan_active(ui->m))
		L("%s", _("a rescan is running: these numbers are provisional"));
	if (ui->m && ui->m->drop_subtree_threshold >= 0)
		L("%s: %d  (%s)", _("drop_subtree_threshold"), ui->m->drop_subtree_threshold,
		  _("T changes it"));
	if (ui->m && ui->m->quota_override >= 0)
		L("%s: %s", _("quota_override"), ui->m->quota_override ?
		  _("on: root (CAP_SYS_RESOURCE) may write past the limits") : _("off"));
#undef L
	draw_lines_box(ui, _("Info (q or Esc closes)"), lines, n, &ui->info_top);
}

void ui_draw(struct ui *ui)
{
	struct layout l;
	char line[128];

	erase();
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
		snprintf(line, sizeof(line), _("terminal too small: need %dx%d, have %dx%d"),
			 UI_MIN_COLS, UI_MIN_LINES, COLS, LINES);
		mvaddstr(0, 0, line);
		mvaddstr(1, 0, _("q quits"));
		refresh();
		return;
	}
	compute_layout(ui, &l);
	draw_header(ui);
	draw_progress(ui);
	draw_titles(ui, &l);
	draw_rows(ui, &l);
	draw_footer(ui);
	if (ui->k.mode == VIEW_MODE_HELP)
		draw_help(ui);
	else if (ui->k.mode == VIEW_MODE_INFO)
		draw_info(ui);
	refresh();
}
