#!/usr/bin/python3
# tests/compare-show.py QGTOP_JSON PROGS_TEXT - compare `qgtop show --json`
# with `btrfs qgroup show --raw -pcre` (btrfs-progs 6.2 layout) for every
# qgroup: ids, referenced, exclusive, limits, parents and children.
# Prints every difference and exits 1 if there is any.
import json
import sys


def parse_progs(text):
    rows = {}
    lines = text.splitlines()
    start = None
    for i, line in enumerate(lines):
        if line.startswith("--------"):
            start = i + 1
            break
    if start is None:
        sys.exit("no table in btrfs qgroup show output")
    for line in lines[start:]:
        f = line.split()
        if len(f) < 7:
            continue
        qid, rfer, excl, mrfer, mexcl, parents, children = f[:7]

        def lim(v):
            return None if v == "none" else int(v)

        def ids(v):
            return [] if v == "-" else sorted(v.split(","))

        rows[qid] = {
            "referenced": int(rfer), "exclusive": int(excl),
            "max_referenced": lim(mrfer), "max_exclusive": lim(mexcl),
            "parents": ids(parents), "children": ids(children),
        }
    return rows


def main():
    with open(sys.argv[1]) as f:
        ours = json.load(f)
    with open(sys.argv[2]) as f:
        theirs = parse_progs(f.read())
    mine = {q["qgroupid"]: q for q in ours["qgroups"]}
    bad = 0
    for qid in sorted(set(mine) | set(theirs)):
        if qid not in mine:
            print(f"{qid}: missing in qgtop")
            bad += 1
            continue
        if qid not in theirs:
            print(f"{qid}: only in qgtop")
            bad += 1
            continue
        for k, v in theirs[qid].items():
            got = mine[qid][k]
            if isinstance(got, list):
                got = sorted(got)
            if got != v:
                print(f"{qid}: {k} qgtop={got} btrfs={v}")
                bad += 1
    print(f"{len(theirs)} qgroups compared, {bad} differences")
    sys.exit(1 if bad else 0)


main()
