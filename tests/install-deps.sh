#!/bin/sh
# tests/install-deps.sh - install the Debian 12 packages qgtop needs to build,
# test and demo, when any is missing. Runs apt-get update once, only if needed.
set -e
PKGS="autoconf automake autopoint gettext pkg-config make gcc clang
libncurses-dev libbtrfsutil-dev libmount-dev libcmocka-dev libxxhash-dev
libsodium-dev libclang-rt-14-dev btrfs-progs tmux xz-utils util-linux
python3 kmod procps prometheus prometheus-node-exporter curl bash-completion"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO=sudo
	echo "installing:$missing"
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing
fi
