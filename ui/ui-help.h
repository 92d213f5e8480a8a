/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-help.h - the text of the help screen (ui-help.c).
 */
#ifndef QGTOP_UI_HELP_H
#define QGTOP_UI_HELP_H

/**
 * ui_help_text() - the help screen, one line per element, NULL-terminated
 * (translated; built once)
 */
const char *const *ui_help_text(void);

#endif
