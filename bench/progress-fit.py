#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# progress-fit.py - least-squares fit of the rescan cost per extent from
# runs kept by `DEBUG=3 KEEP_LOGS=DIR bench/progress-accuracy.sh`.
#
#   bench/progress-fit.py DIR LAYOUT#RUN...    e.g. /tmp/logs mix.1
#
# For each pair of successive polls, the measured time is modelled as the
# sum over the extents the kernel crossed of
#   a + b * roots + c * (refs - 1)   (data extents; roots of their slice's
#                                     LOGICAL_INO sample, refs from the item)
#   m_fs                              (subvolume tree blocks)
#   m_other                           (internal tree blocks)
# and the coefficients (microseconds) are solved by least squares with
# growing sets of terms.
import bisect
import json
import sys


def load(d, run):
    ext, samples = [], []
    for x in open("%s/%s.err" % (d, run)):
        if x.startswith("extent "):
            _, o, k, r = x.split()
            ext.append((int(o), int(k), int(r)))
        elif x.startswith("sample "):
            p = x.split()
            samples.append((int(p[2]), int(p[4])))
    lines = [json.loads(x) for x in open("%s/%s.json" % (d, run))]
    return ext, samples, lines


def rows_of(d, run):
    ext, samples, lines = load(d, run)
    ndata = sum(1 for e in ext if e[1] == 0)
    ns = len(samples)
    pref, rank = [[0] * 5], 0
    for _, k, r in ext:
        if k == 0:
            f = (1, samples[rank * ns // ndata][1], r - 1, 0, 0)
            rank += 1
        elif k == 1:
            f = (0, 0, 0, 1, 0)
        else:
            f = (0, 0, 0, 0, 1)
        pref.append([a + b for a, b in zip(pref[-1], f)])
    objs = [e[0] for e in ext]
    rows, prev = [], None
    for x in lines:
        if x["state"] != "scanning" or x["progress"] in (0, 2 ** 64 - 1):
            continue
        i = bisect.bisect_left(objs, x["progress"])
        if prev:
            rows.append(([a - b for a, b in zip(pref[i], pref[prev[1]])],
                         x["elapsed_s"] - prev[0]))
        prev = (x["elapsed_s"], i)
    return rows


def lsq(rows, cols):
    n = len(cols)
    m = [[0.0] * (n + 1) for _ in range(n)]
    for di, dt in rows:
        v = [di[c] for c in cols]
        for i in range(n):
            m[i][n] += v[i] * dt
            for j in range(n):
                m[i][j] += v[i] * v[j]
    for i in range(n):
        p = max(range(i, n), key=lambda r: abs(m[r][i]))
        m[i], m[p] = m[p], m[i]
        if abs(m[i][i]) < 1e-12:
            continue
        for r in range(n):
            if r != i:
                f = m[r][i] / m[i][i]
                m[r] = [a - f * c for a, c in zip(m[r], m[i])]
    return [m[i][n] / m[i][i] * 1e6 if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


names = ["a", "b", "c", "m_fs", "m_other"]
for run in sys.argv[2:]:
    rows = rows_of(sys.argv[1], run)
    print(run)
    for cols in ([0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4]):
        print("   " + "  ".join("%s %.2f" % (names[c], v)
                                for c, v in zip(cols, lsq(rows, cols))))
