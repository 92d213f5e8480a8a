#!/bin/sh
# tests/demo.sh - the README's first command: install what is missing,
# build out of tree in build/ (so the test suite's own out-of-tree builds
# work in the same checkout, in either order), and open the TUI on the
# embedded demo image with the offline engine (nothing is mounted; q quits).
# Safe to run again: it reconfigures and rebuilds what changed.
set -e
cd "$(dirname "$0")/.."
top=$(pwd)
sh tests/install-deps.sh
if [ -f config.status ]; then
	# an earlier in-tree ./configure: out-of-tree builds refuse to start
	echo "demo: cleaning the in-tree build first (make distclean)"
	make distclean >/dev/null
fi
autoreconf -fi
mkdir -p build
cd build
"$top/configure" -q
make -j"$(nproc)"
# the image is private to this checkout: never a fixed name in /tmp
xz -dc "$top/tests/data/demo.img.xz" > demo.img
exec ./qgtop --image demo.img
