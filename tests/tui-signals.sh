#!/bin/bash
# tests/tui-signals.sh - the curses frontend and the signals an unlucky
# admin sends, on a real loop-mounted btrfs during a running rescan, in an
# interactive shell in tmux: a resize storm leaves a whole screen and a
# working program; Ctrl-Z suspends with the terminal restored (cooked
# mode, normal screen) and fg redraws it; q then exits 0 and restores the
# terminal again. q during a slow offline scan ends it within a second.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop
. "${TOP_SRCDIR:-.}/tests/tui-lib.sh"

MNT=$TEST_TMP/mnt
tui_make_fs "$MNT"

# the pane's terminal modes, as the shell sees them after qgtop stopped
cooked() {
	# the marker is computed, so the typed command line cannot match it
	tui_shell_run "stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo \$((6 * 7))modes"
	tui_wait '42modes$'
	tui_cap | grep -Eq '^(icanon echo|echo icanon) 42modes$' ||
		fail "terminal not in cooked mode: $(tui_cap | grep '42modes$' | tail -1)"
	tui_shell_run clear
}

tui_start_shell 150 40
tui_shell_run "$QGTOP $MNT"
tui_wait "quota: full"
tui_keys r
tui_wait "Start a quota rescan"
tui_keys y
tui_wait "rescan (starting|scanning|committing)"

# 1. a resize storm while the rescan runs
for ((i = 0; i < 60; i++)); do
	tui resize-window -x $((60 + (i * 37) % 120)) -y $((12 + (i * 11) % 40))
	sleep 0.02
done
tui resize-window -x 150 -y 40
tui_wait "quota: full"
tui_wait "0/$WWWID www"
[ "$(tui_cap | head -1 | cut -c1-7)" = " qgtop " ] || fail "header after the storm: $(tui_cap | head -1)"

# 2. Ctrl-Z: stopped, the shell is back on a normal screen in cooked mode
tui_keys C-z
tui_wait "Stopped"
[ "$(tui display-message -p '#{alternate_on}')" = 0 ] || fail "still on the alternate screen after Ctrl-Z"
pid=$(pgrep -f "^$QGTOP $MNT\$" | head -1)
[ -n "$pid" ] || fail "no qgtop process"
[ "$(ps -o stat= -p "$pid" | cut -c1)" = T ] || fail "qgtop not stopped"
cooked

# 3. fg: the whole screen comes back and the program still works
tui_shell_run fg
tui_wait "quota: full"
tui_wait "0/$WWWID www"
[ "$(tui display-message -p '#{alternate_on}')" = 1 ] || fail "not redrawn on the alternate screen"
tui_keys '?'
tui_wait "MOVING"
tui_keys q
tui_wait "Limit rfer/excl"

# 4. q: exit 0, terminal restored
tui_keys q
tui_wait 'qgtest\$ $'
tui_shell_run 'echo "rc=$?"'
tui_wait '^rc=0$'
[ "$(tui display-message -p '#{alternate_on}')" = 0 ] || fail "alternate screen left on after q"
cooked
tui kill-server

# 5. q during a slow offline scan: answered within a second (the worker
# stops at the next block; the quit does not wait for the whole scan).
# The image's reads are throttled with a blkio cgroup on its loop device.
if [ ! -d /sys/fs/cgroup/blkio ]; then
	if [ "${CI:-}" = true ]; then echo "ERROR: needs the blkio cgroup" >&2; exit 99; fi
	echo "SKIP: needs the blkio cgroup (v1) to slow the reads down" >&2
	exit 77
fi
. "${TOP_SRCDIR:-.}/tests/offline-lib.sh"
make_loop 1G
img_dev=$LOOP_DEV
mkfs.btrfs -q -f -n 4096 "$img_dev" >/dev/null || fail "mkfs"
IMNT=$TEST_TMP/imnt
mount_fs "$img_dev" "$IMNT"
btrfs quota enable "$IMNT" || fail "quota enable"
populate "$IMNT"
umount_fs "$IMNT"
cg=/sys/fs/cgroup/blkio/qgtop-test-$$
mkdir "$cg" || fail "cgroup"
trap 'rmdir "$cg" 2>/dev/null; tui_cleanup' EXIT
echo "$(lsblk -dno MAJ:MIN "$img_dev" | tr -d ' ') 25" > "$cg/blkio.throttle.read_iops_device" ||
	fail "throttle"
printf '#!/bin/sh\necho $$ > %s/cgroup.procs\nexec "$@"\n' "$cg" > "$TEST_TMP/in-cgroup"
chmod +x "$TEST_TMP/in-cgroup"
blockdev --flushbufs "$img_dev"
TUI_PREFIX=$TEST_TMP/in-cgroup tui_start 150 40 --image "$img_dev"
tui_wait "scanning"
sleep 1
tui_cap | grep -q "scanning" || fail "the scan ended before q: the image is too small to test"
t1=$(date +%s.%N)
tui_keys q
rc=$(tui_wait_exit)
t2=$(date +%s.%N)
[ "$rc" = 0 ] || fail "q during the scan: exit $rc"
python3 -c "import sys; d = $t2 - $t1; print('q during an offline scan answered in %.2fs' % d); sys.exit(d >= 1.0)" ||
	fail "q took too long during a scan"
[ "$(tui display-message -p '#{alternate_on}')" = 0 ] || fail "terminal not restored after q"
echo "tui-signals: ok"
