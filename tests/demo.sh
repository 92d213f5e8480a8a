#!/bin/bash
# tests/demo.sh - the README's first command after the build: show qgtop on
# a demo filesystem it creates and loop-mounts (needs root), then clean up.
set -euo pipefail
cd "$(dirname "$0")/.."
img=$(mktemp /tmp/qgtop-demo.XXXXXX.img)
mnt=$(mktemp -d /tmp/qgtop-demo-mnt.XXXXXX)
cleanup() { umount "$mnt" 2>/dev/null || true; rmdir "$mnt"; rm -f "$img"; }
trap cleanup EXIT
bash tests/make-demo-image.sh "$img"
mount -o loop "$img" "$mnt"
./qgtop show "$mnt"
