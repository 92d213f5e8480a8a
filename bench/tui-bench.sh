#!/bin/bash
# bench/tui-bench.sh [BUILDDIR] [NR_QGROUPS | snapshots NR] - build
# bench/tui-bench in a configured build tree (default ./build-ui) and run
# it: rows built, one screen drawn, key response and memory with 100,000
# generated qgroups, or with NR snapshots in one level-1 qgroup (marking
# them all included). Targets: build + draw < 20 ms, a key within one
# frame (16.7 ms at 60 Hz), memory < 100 MB; with 10,000 snapshots a
# refresh under 20 ms and marking all of them under 100 ms.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build-ui}
make -C "$build" bench/tui-bench >/dev/null
"$build/bench/tui-bench" "${@:2}"
