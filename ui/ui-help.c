// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ui-help.c - the help screen: every key, the flag legend and a glossary
 * of the quota terms a sysadmin meets on the screen. The man page
 * (doc/qgtop.8, KEYS and FLAGS) says the same.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nls.h"
#include "ui-help.h"
#include "view-format.h"

static const char *const help_src[] = {
	N_("qgtop - btrfs quota groups"),
	"",
	N_("MOVING"),
	N_("  Up/Down, k/j       previous/next row"),
	N_("  PgUp/PgDn          one screen up/down"),
	N_("  Home/End, g/G      first/last row"),
	N_("  Right, l, Enter    expand a qgroup (again: go to its first member)"),
	N_("  Left, h            collapse (on a member: go to its parent)"),
	N_("  /  n  N            search id or path, next match, previous match"),
	"",
	N_("VIEW"),
	N_("  1 2 3 4            sort by id, referenced, exclusive, percent of limit"),
	N_("                     (the same key again reverses the order)"),
	N_("  f                  flat list / tree of qgroups"),
	N_("  u                  units: iec (KiB, MiB), si (kB, MB), raw bytes"),
	N_("  i                  info panel of the qgroup: exact bytes, parents, members"),
	N_("  F                  read the numbers again now (they refresh by themselves)"),
	N_("  ?                  this help;  q, Esc close it"),
	N_("  q, F10             quit (Esc closes panels and prompts)"),
	"",
	N_("RESCAN (mounted filesystem, root)"),
	N_("  r                  start a quota rescan (asks y/N first)"),
	N_("  a                  abort choices for a running rescan:"),
	N_("                     d  stop watching: the kernel scan goes on"),
	N_("                     p  pause: remount read-only (affects every user),"),
	N_("                        the scan resumes at the next read-write mount"),
	N_("                     C  cancel: disable quotas after saving the"),
	N_("                        configuration (type yes); qgtop restore re-creates it"),
	"",
	N_("ADMINISTRATION (mounted filesystem, root)"),
	N_("  Q                  enable quotas (full accounting or simple quotas)"),
	N_("  X                  disable quotas: saves the configuration, type yes"),
	N_("  c                  create a qgroup (level/id, level 1 or higher)"),
	N_("  D                  destroy the qgroup under the cursor (type yes)"),
	N_("  +                  assign the qgroup under the cursor to a parent"),
	N_("  -                  remove it from a parent"),
	N_("  L                  set or clear a limit (sizes like 10G, or none)"),
	N_("  C                  destroy stale qgroups (subvolume gone)"),
	N_("  T                  set drop_subtree_threshold: deleting a subvolume whose"),
	N_("                     tree is at least that tall needs a rescan afterwards"),
	N_("                     instead of being traced (lower: faster deletes)"),
	N_("  Keys that do not apply are shown in parentheses in the bottom line;"),
	N_("  pressing one says why."),
	"",
	N_("OFFLINE IMAGES AND EXACT NUMBERS (qgtop --image FILE..., qgtop --exact PATH)"),
	N_("  space              mark a subvolume: the line above the keys shows how"),
	N_("                     many bytes deleting the marked subvolumes would free"),
	N_("  x                  stop the running scan"),
	N_("  Columns show the computed numbers beside the ones stored on disk."),
	N_("  e                  on a mounted filesystem (root): switch between the"),
	N_("                     kernel's numbers and exact ones computed from the"),
	N_("                     devices, also with quotas off (as qgtop --exact PATH)"),
	N_("  --exact reads a mounted filesystem's devices (root): the header names"),
	N_("  the commit, F scans the newest one again."),
	"",
	N_("FLAGS (column F)"),
	"@FLAGS@",
	"",
	N_("GLOSSARY"),
	N_("  referenced   bytes of all extents the qgroup's subvolumes reach,"),
	N_("               shared or not"),
	N_("  exclusive    bytes reached by this qgroup only: what deleting all its"),
	N_("               subvolumes would free"),
	N_("  level        0/ID is a subvolume's own qgroup; 1/ID and higher group"),
	N_("               lower qgroups (a qgroup may have several parents)"),
	N_("  limit        the kernel refuses writes that would make referenced or"),
	N_("               exclusive, plus the reservations, exceed it (EDQUOT)"),
	N_("  reserved     bytes the kernel holds for writes not yet committed (dirty"),
	N_("               data, metadata); they count against the limits at once"),
	N_("  left         limit minus usage minus reservations: a write needing more"),
	N_("               fails with EDQUOT, although usage alone is below the limit"),
	N_("  stale        a level-0 qgroup whose subvolume was deleted; it only"),
	N_("               keeps configuration and can be cleared"),
	N_("  inconsistent the kernel knows its numbers are wrong (after an assign,"),
	N_("               an interrupted rescan...): a rescan fixes them"),
	N_("  rescan       the kernel recounts every extent; numbers are provisional"),
	N_("               until it ends"),
	N_("  simple quotas  (squota) each extent is charged to the subvolume that"),
	N_("               wrote it; always consistent, no rescan, cheaper, but"),
	N_("               shared extents stay charged to their first owner"),
	NULL,
};

const char *const *ui_help_text(void)
{
	static const char **lines;
	size_t n = 0, i, k;

	if (lines)
		return lines;
	while (help_src[n])
		n++;
	lines = calloc(n + view_nr_flag_legend + 1, sizeof(*lines));
	if (!lines)
		return help_src;
	for (i = 0, k = 0; i < n; i++) {
		if (strcmp(help_src[i], "@FLAGS@")) {
			lines[k++] = help_src[i][0] ? _(help_src[i]) : "";
			continue;
		}
		for (size_t f = 0; f < view_nr_flag_legend; f++) {
			char *l = malloc(256);

			if (!l)
				continue;
			snprintf(l, 256, "  %c  %s", view_flag_legend[f].flag,
				 _(view_flag_legend[f].text));
			lines[k++] = l;
		}
	}
	lines[k] = NULL;
	return lines;
}
