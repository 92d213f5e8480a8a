/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui.h - the curses frontend's entry point, called by main() for `qgtop`,
 * `qgtop PATH` and `qgtop --image FILE...`.
 */
#ifndef QGTOP_UI_H
#define QGTOP_UI_H

/**
 * ui_main() - run the interactive frontend
 * @argc: argument count, argv[0] included
 * @argv: [--ascii] [PATH | --image FILE...]
 *
 * Return: the exit status (enum cli_exit): 0 after q, 2 on bad
 * arguments, 130 or 128+signal when interrupted.
 */
int ui_main(int argc, char **argv);

#endif
