/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-mounted.h - is an image file or block device in use by a mounted
 * filesystem? The offline engine refuses those.
 */
#ifndef QGTOP_OFFLINE_MOUNTED_H
#define QGTOP_OFFLINE_MOUNTED_H

#include <stddef.h>

/**
 * offline_mounted_check() - refuse @path when it is mounted
 *
 * A block device is mounted when a mount table entry (libmount) has it as
 * source or a mounted btrfs lists it in /sys/fs/btrfs/ * /devices; an image
 * file is mounted when a loop device backed by it is.
 * Return: 0 when not mounted, -EBUSY (reason in @errmsg), or -ENOENT etc.
 * when @path cannot be examined.
 */
int offline_mounted_check(const char *path, char *errmsg, size_t errlen);

#endif
