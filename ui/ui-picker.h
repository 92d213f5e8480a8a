/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-picker.h - the first screen of `qgtop` without arguments: choose one
 * of the mounted btrfs filesystems (ui-picker.c).
 */
#ifndef QGTOP_UI_PICKER_H
#define QGTOP_UI_PICKER_H

/**
 * ui_picker() - let the user choose a mounted btrfs filesystem
 * @path: receives the malloc'ed mountpoint
 * Return: 1 chosen, 0 quit, -EINTR on a signal, other -errno.
 */
int ui_picker(char **path);

#endif
