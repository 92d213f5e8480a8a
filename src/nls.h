/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nls.h - gettext glue: _() translates, N_() marks for later translation,
 * P_() picks a plural form. Without NLS they fall back to the C strings.
 */
#ifndef QGTOP_NLS_H
#define QGTOP_NLS_H

#include "config.h"

#ifdef ENABLE_NLS
#include <libintl.h>
#include <locale.h>
#define _(s) gettext(s)
#define P_(s, p, n) ngettext(s, p, n)
#else
#include <locale.h>
#define _(s) (s)
#define P_(s, p, n) ((n) == 1 ? (s) : (p))
#define textdomain(d) (d)
#define bindtextdomain(d, dir) (d)
#endif
#define N_(s) (s)

#endif
