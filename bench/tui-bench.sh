#!/bin/bash
# bench/tui-bench.sh [BUILDDIR] [NR_QGROUPS] - build bench/tui-bench.c
# against a configured build tree (default ./build-ui or .) and run it:
# rows built, one screen drawn, key response and memory with 100,000
# generated qgroups. Targets (issue 4): build + draw < 20 ms, a key within
# one frame (16.7 ms at 60 Hz), memory < 100 MB.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build-ui}
nr=${2:-100000}
[ -f "$build/libqgtop.a" ] || { echo "no libqgtop.a in $build: build first" >&2; exit 2; }
out=$(mktemp /tmp/tui-bench.XXXXXX)
trap 'rm -f "$out"' EXIT
cc -std=c11 -O2 -I"$top/src" -I"$top/ui" -I"$build" \
	$(pkg-config --cflags ncursesw) \
	"$top/bench/tui-bench.c" "$top/ui/ui-draw.c" "$top/ui/ui-help.c" \
	"$build/libqgtop.a" $(pkg-config --libs ncursesw libbtrfsutil mount libxxhash libsodium) \
	-lpthread -lm -o "$out"
"$out" "$nr"
