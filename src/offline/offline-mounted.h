/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-mounted.h - open an image file or block device for the offline
 * engine, refusing what is not one and what a mounted filesystem uses.
 */
#ifndef QGTOP_OFFLINE_MOUNTED_H
#define QGTOP_OFFLINE_MOUNTED_H

#include <stddef.h>
#include <sys/stat.h>

/**
 * offline_mounted_open() - open @path read-only for the offline reader
 * @path: image file or block device
 * @st: receives the status of the opened file
 * @errmsg: receives a one-line reason on failure
 * @errlen: size of @errmsg
 *
 * Refuses, before reading anything, whatever is neither a regular file nor
 * a block device (a FIFO, a character device, a directory, a socket). Opens
 * with O_EXCL, so the kernel itself refuses a block device that a mounted
 * filesystem (or any other exclusive user) holds; and refuses an image file
 * that backs a loop device which is mounted or held, matching the loop
 * device's backing file by device and inode number, so hard links and bind
 * mounts of the image are caught too.
 * Return: the open file descriptor, or a negative errno: -EBUSY (in use),
 * -EINVAL (not an image file or block device), -ENOENT, -EACCES, ...
 */
int offline_mounted_open(const char *path, struct stat *st, char *errmsg, size_t errlen);

#endif
