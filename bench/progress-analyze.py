#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# progress-analyze.py - error of qgtop's rescan percentage against the true
# fraction of the rescan's duration, from `qgtop rescan --wait --watch
# --json` lines (elapsed_s counts from the RESCAN ioctl).
#
# The end of the scan is taken as the midpoint between the last line with
# the flag set and the first idle line. Lines before the extent index was
# ready (percent null) are counted but not scored. Prints one line:
#   layout duration samples scored | qgtop max mean >10pp% | items max mean >10pp%
#   | how many lines showed an ETA, its median relative error, share >50% off
import json
import sys


def main():
    name, path = sys.argv[1], sys.argv[2]
    lines = [json.loads(l) for l in open(path) if l.strip()]
    running = [l for l in lines if l["state"] != "idle"]
    idle = [l for l in lines if l["state"] == "idle"]
    if not running or not idle:
        sys.exit("%s: no complete rescan in %s" % (name, path))
    end = (running[-1]["elapsed_s"] + idle[0]["elapsed_s"]) / 2
    scored = [l for l in running if l["percent"] is not None]
    res = {}
    for key in ("percent", "percent_items"):
        errs = [abs(l[key] - 100.0 * l["elapsed_s"] / end) for l in scored
                if l[key] is not None]
        res[key] = (max(errs), sum(errs) / len(errs),
                    100.0 * sum(e > 10 for e in errs) / len(errs)) if errs else (0, 0, 0)
    # ETA: shown on how many lines, and how far from the real remaining time
    etas = [(l["eta_s"], end - l["elapsed_s"]) for l in running
            if l.get("eta_s") is not None and end - l["elapsed_s"] > 0.5]
    rel = sorted(abs(e - t) / t for e, t in etas)
    eta = " | eta shown %d/%d, median off %.0f%%, >50%% off %.0f%%" % (
        len(etas), len(running), 100 * rel[len(rel) // 2] if rel else 0,
        100.0 * sum(r > 0.5 for r in rel) / len(rel) if rel else 0)
    ready = scored[0]["elapsed_s"] if scored else float("nan")
    print("%-8s %6.2fs %4d samples %4d scored (index ready at %.2fs) | "
          "qgtop max %5.1f mean %5.1f >10pp %5.1f%% | "
          "items max %5.1f mean %5.1f >10pp %5.1f%%%s" %
          (name, end, len(running), len(scored), ready,
           *res["percent"], *res["percent_items"], eta))
    if len(sys.argv) > 3:
        # decimated curve: elapsed, true %, qgtop %, items %
        step = max(1, len(scored) // 12)
        for l in scored[::step]:
            print("    %7.2f s  true %5.1f  qgtop %5.1f  items %5.1f" %
                  (l["elapsed_s"], 100.0 * l["elapsed_s"] / end, l["percent"],
                   l["percent_items"]))


main()
