#!/bin/bash
# tests/run-all.sh - the README's test command: install what is missing,
# build warning-free, run the whole suite under ASan and UBSan, then
# make distcheck. Run as root for the loop-device tests (CI=true makes
# their skip a failure).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
sh tests/install-deps.sh
if [ -f config.status ]; then
	# an in-tree ./configure makes every out-of-tree configure below refuse
	echo "run-all: cleaning the in-tree build first (make distclean)"
	make distclean >/dev/null
fi
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
# every test detaches its own loop devices: one whose image is gone was
# left behind (a test still running elsewhere keeps its image)
leaked=$(losetup -l -n -O NAME,BACK-FILE 2>/dev/null | grep '/qgtop-test\..*(deleted)' || true)
if [ -n "$leaked" ]; then
	echo "run-all: loop devices left behind by the tests:" >&2
	echo "$leaked" >&2
	exit 1
fi
cd "$top"

# 2. the libFuzzer targets (image reader, configuration parser), bounded time
rm -rf build-fuzz
mkdir -p build-fuzz
cd build-fuzz
"$top/configure" -q --enable-fuzzing CC=clang
make -j"$(nproc)" tests/fuzz/fuzz-offline tests/fuzz/fuzz-config >/dev/null
for target in offline config; do
	corpus=$(mktemp -d)
	if [ "$target" = offline ]; then
		cp "$top"/tests/fuzz/corpus/* "$corpus/"
	else
		cp "$top"/tests/fuzz/config-corpus/* "$corpus/"
	fi
	echo "fuzzing $target for ${FUZZ_SECONDS:-60}s"
	if ! ./tests/fuzz/fuzz-$target -max_total_time="${FUZZ_SECONDS:-60}" -max_len=400000 \
		-rss_limit_mb=2048 -timeout=20 -artifact_prefix="$top/build-fuzz/" \
		"$corpus" > "fuzz-$target.log" 2>&1; then
		tail -40 "fuzz-$target.log"
		exit 1
	fi
	grep -E '^(stat::number_of_executed_units|Done)' "fuzz-$target.log" || tail -2 "fuzz-$target.log"
	rm -rf "$corpus"
done
cd "$top"

# 3. a plain build, and the release tarball builds and passes its tests
rm -rf build-dist
mkdir -p build-dist
cd build-dist
"$top/configure" -q --enable-werror
make -j"$(nproc)" >/dev/null
make distcheck DISTCHECK_CONFIGURE_FLAGS="--enable-werror" TESTS= >/dev/null
echo "distcheck: ok"
