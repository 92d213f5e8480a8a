/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-draw.h - drawing the main screen from the frontend's state
 * (ui-draw.c).
 */
#ifndef QGTOP_UI_DRAW_H
#define QGTOP_UI_DRAW_H

#include "ui-int.h"

/**
 * ui_draw() - draw everything from @ui's state
 */
void ui_draw(struct ui *ui);

/**
 * ui_color() - the attribute of colour pair @pair, or 0 in monochrome
 */
int ui_color(const struct ui *ui, int pair);

#endif
