#!/bin/bash
# fuzz-run.sh [SECONDS] - build the offline engine's libFuzzer target with
# clang (ASan + UBSan) and run it over a copy of tests/fuzz/corpus for a
# bounded time (default 60 s). Exit 77 when clang's fuzzer runtime is
# missing, 1 on any crash (the reproducer is left in $FUZZ_ARTIFACTS or
# the current directory).
set -u
SECS=${1:-60}
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
TOP_BUILDDIR=${TOP_BUILDDIR:-$(pwd)}
CLANG=${CLANG:-clang}
if ! command -v "$CLANG" >/dev/null; then
	echo "SKIP: no clang"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qgtop-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
	"$CLANG" -x c -fsanitize=fuzzer - -o "$tmp/probe" 2>/dev/null; then
	echo "SKIP: clang has no libFuzzer runtime (libclang-rt-*-dev)"
	exit 77
fi
[ -f "$TOP_BUILDDIR/config.h" ] || { echo "ERROR: no config.h in $TOP_BUILDDIR (configure first)"; exit 99; }
S=$TOP_SRCDIR/src
# shellcheck disable=SC2046
"$CLANG" -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$TOP_BUILDDIR" -I"$S" $(pkg-config --cflags libxxhash libsodium mount) \
	"$TOP_SRCDIR/tests/fuzz/fuzz-offline.c" "$S"/offline-*.c "$S/qgroup-model.c" "$S/safe-file.c" \
	-o "$tmp/fuzz-offline" $(pkg-config --libs libxxhash libsodium mount) -lpthread ||
	{ echo "ERROR: cannot build the fuzzer"; exit 99; }
mkdir -p "$tmp/corpus"
cp "$TOP_SRCDIR"/tests/fuzz/corpus/* "$tmp/corpus/"
art=${FUZZ_ARTIFACTS:-$(pwd)/}
"$tmp/fuzz-offline" -max_total_time="$SECS" -max_len=400000 -rss_limit_mb=1024 -timeout=20 \
	-artifact_prefix="$art" -print_final_stats=1 "$tmp/corpus" 2>&1 | tail -25
rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || { echo "FAIL: fuzzer exit $rc"; exit 1; }
echo "ok: fuzzed ${SECS}s without a crash"
