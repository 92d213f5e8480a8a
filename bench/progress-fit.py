#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# progress-fit.py - least-squares fit of the rescan cost per extent from
# runs kept by `DEBUG=3 KEEP_LOGS=DIR bench/progress-accuracy.sh`.
#
#   bench/progress-fit.py DIR LAYOUT#RUN...    e.g. /tmp/logs mix.1
#
# For each pair of successive polls, the measured time is modelled as the
# sum over the extents the kernel crossed of
#   a + b * roots + c * (refs - 1)   (data extents; refs from the item, roots
#                                     exact when the index had them, else
#                                     those of their slice's LOGICAL_INO sample)
#   m_fs                              (subvolume tree blocks; with exact
#                                     roots these count as data extents do)
#   m_other                           (internal tree blocks)
# and the coefficients (microseconds) are solved by least squares with
# growing sets of terms. Printed with each fit: the max and mean error in
# percentage points the fitted model would give on the same run.
import bisect
import json
import sys


def load(d, run):
    ext, samples = [], []
    for x in open("%s/%s.err" % (d, run)):
        if x.startswith("extent "):
            p = x.split()
            # extent OBJECTID KIND REFS [EXACT_ROOTS]
            ext.append((int(p[1]), int(p[2]), int(p[3]), int(p[4]) if len(p) > 4 else -1))
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
    for _, k, r, exact in ext:
        if exact >= 0 and k != 2:
            f = (1, max(exact, 1), r - 1, 0, 0)
        elif k == 0:
            f = (1, samples[rank * ns // ndata][1], r - 1, 0, 0)
        elif k == 1:
            f = (0, 0, 0, 1, 0)
        else:
            f = (0, 0, 0, 0, 1)
        rank += k == 0
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


def error(rows, cols, coef):
    """max and mean |modelled share of cost - share of time|, in points"""
    cost = [sum(di[c] * w for c, w in zip(cols, coef)) for di, _ in rows]
    tc, tt = sum(cost), sum(dt for _, dt in rows)
    acc = t = mx = tot = 0.0
    for c, (_, dt) in zip(cost, rows):
        acc += c
        t += dt
        e = 100 * abs(acc / tc - t / tt) if tc and tt else 0
        mx, tot = max(mx, e), tot + e
    return mx, tot / len(rows) if rows else 0


names = ["a", "b", "c", "m_fs", "m_other"]
for run in sys.argv[2:]:
    rows = rows_of(sys.argv[1], run)
    print(run)
    for cols in ([0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4]):
        coef = lsq(rows, cols)
        print("   " + "  ".join("%s %.2f" % (names[c], v) for c, v in zip(cols, coef)) +
              "   error max %.1f mean %.1f pp" % error(rows, cols, coef))
    # qgtop's own coefficients (rescan-progress.h), tree blocks as data
    coef = [5.7, 2.3, 3.7, 8.0, 8.0]
    print("   qgtop's model   error max %.1f mean %.1f pp" % error(rows, range(5), coef))
