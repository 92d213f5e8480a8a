#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# progress-mkfiles.py - fill a directory for bench/progress-accuracy.sh:
#   files DIR N [START]   N files of 4 KiB (one data extent each), 1000 a dir
#   frag FILE N           N extents of 4 KiB written at every other 4 KiB
#   big FILE MIB          one sequential file of MIB MiB
#   rewrite DIR N STEP    rewrite N of the files made by "files", every STEP-th
import os
import sys


def files(d, n, start=0):
    data = b"q" * 4096
    for i in range(start, start + n):
        sub = os.path.join(d, "d%04d" % (i // 1000))
        if i % 1000 == 0 or i == start:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "f%d" % i), "wb") as f:
            f.write(data)


def frag(path, n):
    data = b"z" * 4096
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    for i in range(n):
        os.pwrite(fd, data, 8192 * i)
        if i % 20000 == 19999:
            os.fsync(fd)
    os.fsync(fd)
    os.close(fd)


def big(path, mib):
    chunk = os.urandom(1 << 20)
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(chunk)


def rewrite(d, n, step):
    data = b"r" * 4096
    for k in range(n):
        i = k * step
        with open(os.path.join(d, "d%04d" % (i // 1000), "f%d" % i), "r+b") as f:
            f.write(data)


cmd = sys.argv[1]
if cmd == "files":
    files(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 0)
elif cmd == "frag":
    frag(sys.argv[2], int(sys.argv[3]))
elif cmd == "big":
    big(sys.argv[2], int(sys.argv[3]))
elif cmd == "rewrite":
    rewrite(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
else:
    sys.exit("unknown command " + cmd)
