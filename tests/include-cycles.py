#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/include-cycles.py - fail when the modules of the tree include each
# other in a cycle. A module is a .c file and its .h (src/live-fs.c and
# src/live-fs.h are one module); module A depends on B when a file of A
# includes B's header with #include "...". Prints every cycle found.
import os, re, sys

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
dirs = ["src", "ui"]
inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
files = {}
for d in dirs:
    for root, _, names in os.walk(os.path.join(top, d)):
        for n in names:
            if n.endswith((".c", ".h")):
                files[os.path.join(root, n)] = None

def module(path):
    return os.path.splitext(os.path.relpath(path, top))[0]

headers = {}
for f in files:
    if f.endswith(".h"):
        headers.setdefault(os.path.basename(f), []).append(f)

graph = {}
for f in files:
    m = module(f)
    graph.setdefault(m, set())
    with open(f, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            g = inc.match(line)
            if not g:
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(f), g.group(1)))
            if target not in files:
                cands = headers.get(os.path.basename(g.group(1)), [])
                if len(cands) != 1:
                    continue	# config.h and system-like headers
                target = cands[0]
            t = module(target)
            if t != m:
                graph[m].add(t)

# A header with no .c of its own (ui-int.h) belongs to the files that
# define what it declares: its users depend on those.
proto = re.compile(r'^(?!typedef|static|#|struct\s+\w+\s*\{)[A-Za-z_][\w \t\*]*?\b(\w+)\s*\(')
extern = re.compile(r'^extern\b.*?\b(\w+)\s*(\[[^]]*\])?\s*;')
defn = re.compile(r'^(?!static)[A-Za-z_][\w \t\*]*?\b(\w+)\s*\([^;]*$')
vardef = re.compile(r'^(?!static|extern|typedef|#)[A-Za-z_][\w \t\*]*?\b(\w+)\s*(\[[^]]*\])?\s*(=|;)')
defined = {}
for f in files:
    if not f.endswith(".c"):
        continue
    with open(f, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            g = defn.match(line) or vardef.match(line)
            if g:
                defined.setdefault(g.group(1), set()).add(module(f))
alias = {}
for f in files:
    if not f.endswith(".h") or os.path.exists(f[:-2] + ".c"):
        continue
    m = module(f)
    owners = set()
    with open(f, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            g = proto.match(line) or extern.match(line)
            if g:
                owners |= defined.get(g.group(1), set())
    owners.discard(m)
    if len(owners) == 1:
        alias[m] = owners.pop()	# one file's header by another name (ui.h)
    else:
        graph[m] |= owners
for a, b in alias.items():
    graph[b] |= graph.pop(a) - {b}
for m in graph:
    graph[m] = {alias.get(t, t) for t in graph[m]} - {m}

# Tarjan's strongly connected components
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in graph.get(v, ()):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))
for v in sorted(graph):
    if v not in index:
        visit(v)
for c in sccs:
    print("include cycle:", " <-> ".join(c))
if sccs:
    sys.exit(1)
print("no include cycles among %d modules" % len(graph))
