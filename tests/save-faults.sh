#!/bin/bash
# tests/save-faults.sh - the files qgtop writes, when writing them fails.
# Quota disable: a read-only /var/lib (with and without a usable $HOME), a
# $HOME of another user (sudo -E), a tmpfs (also full), a full ext4, chattr
# +i, a symbolic link planted at the temporary name, a directory of another
# user or one others can write: each refused with one line naming the
# directory and the cause, quota and every qgroup left as they were
# (btrfs qgroup show); the fallback and the default directory when they do
# work. Restore of /dev/zero and of an endless line fails at once. Offline
# checkpoints: a full tmpfs only warns, bad checkpoints are ignored with
# one line and the numbers stay exact, and an interrupted scan says
# "progress saved" only when it was.
# The real /var/lib is never touched: each default-directory case runs in
# a private mount namespace (unshare -m) with something mounted over it.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop
for tool in unshare chattr mkfs.ext4 xz python3 timeout; do
	command -v $tool >/dev/null || {
		[ "${CI:-}" = true ] && { echo "ERROR: needs $tool" >&2; exit 99; }
		echo "SKIP: needs $tool" >&2
		exit 77
	}
done
T=$TEST_TMP
chmod 755 "$T"	# uid 65534's directories below must be reachable
imm=$T/immutable
# homes for the fallback: not below /tmp, which the fallback refuses; and
# one that is below /tmp, to see it refused
H=$(mktemp -d /var/tmp/qgtop-test.XXXXXX) || fail "mktemp /var/tmp"
HT=$(mktemp -d /tmp/qgtop-test.XXXXXX) || fail "mktemp /tmp"
trap 'chattr -i "$imm" 2>/dev/null; rm -rf "$H" "$HT"; cleanup' EXIT
[ "$(findmnt -no FSTYPE -T "$H")" != tmpfs ] || fail "/var/tmp is a tmpfs here: no durable home to test"

make_loop 300M
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
mnt=$T/mnt
mount_fs "$LOOP_DEV" "$mnt"
btrfs quota enable "$mnt" || fail "quota enable"
for v in a b; do
	btrfs subvolume create "$mnt/$v" >/dev/null
	head -c 1M /dev/urandom > "$mnt/$v/data"
done
sync
btrfs qgroup create 1/1 "$mnt" || fail "create"
for v in a b; do
	id=$(btrfs subvolume show "$mnt/$v" | awk '/Subvolume ID:/ {print $3}')
	btrfs qgroup assign --no-rescan "0/$id" 1/1 "$mnt" 2>/dev/null
done
btrfs qgroup limit 100M 1/1 "$mnt" || fail "limit"
btrfs quota rescan -w "$mnt" >/dev/null || fail "rescan"
uuid=$(findmnt -no UUID "$mnt")

config() {
	btrfs qgroup show -pcre --raw "$mnt" 2>&1 | awk 'NR > 2 { print $1, $4, $5, $6, $7 }' | sort
}
config > "$T/config.orig"
[ "$(wc -l < "$T/config.orig")" = 4 ] || fail "setup: $(cat "$T/config.orig")"
ls /tmp | grep "^$uuid" > "$T/tmp.before"

# ns SCRIPT: bash SCRIPT in a private mount namespace; what it mounts
# there (over /var/lib) vanishes with it
ns() { unshare -m --propagation private bash -c "set -e; $1"; }
ro_varlib="mkdir -p $T/varlib-ro; mount --bind $T/varlib-ro /var/lib; mount -o remount,ro,bind /var/lib"
mkdir -p "$T/varlib-ro"

n=0
# refused RC REGEX SCRIPT: SCRIPT (run with ns) exits RC with exactly one
# line on stderr matching REGEX and nothing changed
refused() {
	local rc=0 want=$1 re=$2
	ns "$3" > "$T/out" 2> "$T/err" || rc=$?
	[ "$rc" = "$want" ] || fail "exit $rc, expected $want: $3: $(cat "$T/out" "$T/err")"
	[ "$(wc -l < "$T/err")" = 1 ] || fail "not one line: $(cat "$T/err")"
	grep -Eq -- "^qgtop: $re" "$T/err" || fail "message for $3: $(cat "$T/err") (wanted /$re/)"
	config | diff "$T/config.orig" - >&2 || fail "the configuration changed: $3"
	ls /tmp | grep "^$uuid" | diff "$T/tmp.before" - >&2 || fail "a copy landed in /tmp: $3"
	n=$((n + 1))
	echo "ok: $(cat "$T/err")"
}
Q="exec env -u XDG_STATE_HOME -u QGTOP_SAVE_DIR"
stay="quota stays enabled on $mnt"

# 1. /var read-only, no fallback; then $HOME unwritable too (the case that
#    used to end with the only copy in /tmp and quotas disabled)
refused 3 "cannot save the qgroup configuration: /var/lib/qgtop: Read-only file system; $stay \(use --save FILE\)$" \
	"$ro_varlib; $Q -u HOME $QGTOP quota disable $mnt"
mkdir -p "$H/home-ro"
refused 3 "cannot save the qgroup configuration: /var/lib/qgtop: Read-only file system; $H/home-ro/.local: Read-only file system; $stay" \
	"$ro_varlib; mount --bind $H/home-ro $H/home-ro; mount -o remount,ro,bind $H/home-ro; $Q HOME=$H/home-ro $QGTOP quota disable $mnt"
# $HOME below /tmp is no place either (emptied at boot)
mkdir -p "$HT/home-tmp"
refused 3 "cannot save the qgroup configuration: /var/lib/qgtop: Read-only file system; $HT/home-tmp/.local/state/qgtop: below /tmp, which is emptied at boot; $stay" \
	"$ro_varlib; $Q HOME=$HT/home-tmp $QGTOP quota disable $mnt"
[ -z "$(ls -A "$HT/home-tmp")" ] || fail "created something below /tmp"
# 2. sudo -E: $HOME is another user's home; nothing is created in it
mkdir -p "$H/alice" && chown 65534:65534 "$H/alice" && chmod 755 "$H/alice"
refused 3 "cannot save the qgroup configuration: /var/lib/qgtop: Read-only file system; $H/alice: owned by uid 65534, not by you or root; $stay" \
	"$ro_varlib; $Q HOME=$H/alice $QGTOP quota disable $mnt"
[ -z "$(ls -A "$H/alice")" ] || fail "created something in another user's home"
# 3. a tmpfs: never a save place, full or not, and /var/lib/qgtop is not created on it
refused 5 "cannot save the qgroup configuration: /var/lib: on a tmpfs, whose content is lost at reboot; $stay" \
	"mount -t tmpfs -o size=1M none /var/lib; rc=0; env -u HOME -u XDG_STATE_HOME $QGTOP quota disable $mnt || rc=\$?; [ ! -e /var/lib/qgtop ] || echo 'created /var/lib/qgtop' >&2; exit \$rc"
mkdir -p "$T/tmpfs"
mount -t tmpfs -o size=256k,mode=0700 none "$T/tmpfs" || fail "tmpfs"
TEST_MOUNTS+=("$T/tmpfs")
dd if=/dev/zero of="$T/tmpfs/fill" bs=4k 2>/dev/null
refused 5 "cannot save the qgroup configuration to $T/tmpfs/x.qgroups: $T/tmpfs: on a tmpfs, whose content is lost at reboot; $stay$" \
	"$Q $QGTOP quota disable --save $T/tmpfs/x.qgroups $mnt"
# 4. a full filesystem at /var/lib: the write fails, no temporary is left
make_loop 16M
mkfs.ext4 -q -F -m 0 -b 4096 "$LOOP_DEV" || fail "mkfs.ext4"
mount_fs "$LOOP_DEV" "$T/ext4"
mkdir -m 700 "$T/ext4/qgtop"
dd if=/dev/zero of="$T/ext4/fill" bs=64k 2>/dev/null
dd if=/dev/zero of="$T/ext4/fill2" bs=4k 2>/dev/null
sync
[ "$(df --output=avail -B1 "$T/ext4" | tail -1 | tr -d ' ')" = 0 ] || fail "ext4 not full"
refused 5 "cannot save the qgroup configuration: /var/lib/qgtop/$uuid-[0-9]{8}T[0-9]{6}Z\.qgroups: No space left on device; $stay" \
	"mount --bind $T/ext4 /var/lib; $Q -u HOME $QGTOP quota disable $mnt"
[ -z "$(ls -A "$T/ext4/qgtop")" ] || fail "a full filesystem kept a file: $(ls -A "$T/ext4/qgtop")"
# 5. a read-only bind mount of the save directory itself
mkdir -m 700 "$T/rodir"
refused 3 "cannot save the qgroup configuration: $T/rodir/$uuid-[0-9TZ]*\.qgroups: Read-only file system; $stay \(QGTOP_SAVE_DIR is set" \
	"mount --bind $T/rodir $T/rodir; mount -o remount,ro,bind $T/rodir; exec env QGTOP_SAVE_DIR=$T/rodir $QGTOP quota disable $mnt"
# chattr +i on the directory ($QGTOP_SAVE_DIR: no fallback)
mkdir -m 700 "$imm" && chattr +i "$imm" || fail "chattr +i"
refused 3 "cannot save the qgroup configuration: $imm/$uuid-[0-9TZ]*\.qgroups: Operation not permitted; $stay \(QGTOP_SAVE_DIR is set" \
	"exec env QGTOP_SAVE_DIR=$imm $QGTOP quota disable $mnt"
chattr -i "$imm"
# 6. a symbolic link planted at the temporary name: nothing written through it
mkdir -m 700 "$T/sym"
echo precious > "$T/victim"
ln -s "$T/victim" "$T/sym/.conf.qgroups.tmp"
refused 3 "cannot save the qgroup configuration to $T/sym/conf.qgroups: $T/sym/.conf.qgroups.tmp: a symbolic link is in the way" \
	"$Q $QGTOP quota disable --save $T/sym/conf.qgroups $mnt"
[ "$(cat "$T/victim")" = precious ] || fail "written through the planted link"
[ -L "$T/sym/.conf.qgroups.tmp" ] && [ ! -e "$T/sym/conf.qgroups" ] || fail "planted link case"
# 7. a directory of another user, and one others can write
mkdir -m 700 "$T/nobodys" && chown 65534:65534 "$T/nobodys"
refused 3 "cannot save the qgroup configuration to $T/nobodys/c.qgroups: $T/nobodys: owned by uid 65534, not by you \(uid 0\); $stay" \
	"$Q $QGTOP quota disable --save $T/nobodys/c.qgroups $mnt"
refused 3 "cannot save the qgroup configuration: $T/nobodys: owned by uid 65534, not by you \(uid 0\); $stay \(QGTOP_SAVE_DIR" \
	"exec env QGTOP_SAVE_DIR=$T/nobodys $QGTOP quota disable $mnt"
mkdir -m 1777 "$T/shared"
refused 3 "cannot save the qgroup configuration to $T/shared/c.qgroups: $T/shared: writable by group or others \(mode 1777\); $stay" \
	"$Q $QGTOP quota disable --save $T/shared/c.qgroups $mnt"
[ -z "$(ls -A "$T/shared")$(ls -A "$T/nobodys")" ] || fail "a refused save left a file"
echo "$n refusals checked"

# restore_all FILE: quota back on and FILE restored, as before
restore_all() {
	"$QGTOP" quota enable "$mnt" >/dev/null || fail "quota enable"
	"$QGTOP" restore "$1" "$mnt" > "$T/rout" 2>&1 || fail "restore $1: $(cat "$T/rout")"
	btrfs quota rescan -w "$mnt" >/dev/null 2>&1
	config | diff "$T/config.orig" - >&2 || fail "restored configuration differs"
}

# 8. the fallback works: it says the default failed, why, and where the copy is
mkdir -m 700 "$H/home"
ns "$ro_varlib; $Q HOME=$H/home $QGTOP quota disable $mnt" > "$T/out" 2> "$T/err" ||
	fail "disable with a fallback: $(cat "$T/out" "$T/err")"
saved=$(sed -n 's/^saved the qgroup configuration to //p' "$T/out")
case $saved in
"$H/home/.local/state/qgtop/$uuid-"*Z.qgroups) ;;
*) fail "fallback path: '$saved'" ;;
esac
[ "$(cat "$T/err")" = "qgtop: warning: the default directory failed (/var/lib/qgtop: Read-only file system): the qgroup configuration was saved to $saved instead" ] ||
	fail "fallback message: $(cat "$T/err")"
[ "$(stat -c %a "$saved")" = 600 ] && [ "$(stat -c %a "$H/home/.local/state/qgtop")" = 700 ] ||
	fail "fallback modes: $(stat -c '%a %n' "$saved" "$H/home/.local/state/qgtop")"
btrfs qgroup show "$mnt" >/dev/null 2>&1 && fail "quota still enabled after a saved disable"
restore_all "$saved"
echo "ok: fallback to $saved"

# 9. the default directory works: /var/lib/qgtop created 0700, root's
mkdir -m 755 "$T/varlib-rw"
ns "mount --bind $T/varlib-rw /var/lib; $Q -u HOME $QGTOP quota disable $mnt" > "$T/out" 2> "$T/err" ||
	fail "disable to the default: $(cat "$T/out" "$T/err")"
[ ! -s "$T/err" ] || fail "default save warned: $(cat "$T/err")"
saved=$(sed -n 's/^saved the qgroup configuration to //p' "$T/out")
case $saved in
/var/lib/qgtop/"$uuid"-*Z.qgroups) ;;
*) fail "default path: '$saved'" ;;
esac
[ "$(stat -c '%a %u' "$T/varlib-rw/qgtop")" = "700 0" ] || fail "default directory mode"
restore_all "$T/varlib-rw/qgtop/${saved##*/}"
echo "ok: default directory"

# 10. restore reads no unbounded input: /dev/zero and an endless line fail at once
start=$(date +%s%N)
rc=0
timeout 20 "$QGTOP" restore /dev/zero "$mnt" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 2 ] || fail "restore /dev/zero exited $rc"
[ "$(cat "$T/err")" = "qgtop: cannot read /dev/zero: not a regular file or a pipe" ] ||
	fail "restore /dev/zero: $(cat "$T/err")"
rc=0
timeout 20 "$QGTOP" restore <(head -c 1G /dev/zero | tr '\0' x) "$mnt" > "$T/out" 2> "$T/err" || rc=$?
[ $rc = 2 ] || fail "restore of an endless line exited $rc: $(cat "$T/err")"
grep -Eq "^qgtop: /dev/fd/[0-9]+:1: line too long$" "$T/err" || fail "endless line: $(cat "$T/err")"
ms=$((($(date +%s%N) - start) / 1000000))
[ $ms -lt 5000 ] || fail "bounded restores took $ms ms"
config | diff "$T/config.orig" - >&2 || fail "a refused restore changed something"
echo "ok: restore of /dev/zero and of an endless line refused in $ms ms"

# ---- offline checkpoints ----
xz -dc "$TOP_SRCDIR/tests/data/basic-16k-crc32c.img.xz" > "$T/a.img" || fail "xz"
xz -dc "$TOP_SRCDIR/tests/data/n4k-xxhash.img.xz" > "$T/b.img" || fail "xz"
ref_rc=0
"$QGTOP" scan --raw "$T/a.img" > "$T/ref.a" 2>&1 || ref_rc=$?
ref_rc_b=0
"$QGTOP" scan --raw "$T/b.img" > "$T/ref.b" 2>&1 || ref_rc_b=$?
# scan_ck WANT_WARNING_REGEX IMAGE REF REF_RC ARGS...: same numbers and exit as
# without a checkpoint; stderr empty or the one warning
scan_ck() {
	local re=$1 img=$2 ref=$3 want=$4 rc=0
	shift 4
	"$QGTOP" scan --raw "$@" "$img" > "$T/out" 2> "$T/err" || rc=$?
	[ $rc = "$want" ] || fail "scan $* exited $rc: $(cat "$T/err")"
	diff "$ref" "$T/out" >&2 || fail "scan $* gave other numbers"
	if [ -z "$re" ]; then
		[ ! -s "$T/err" ] || fail "scan $* warned: $(cat "$T/err")"
	else
		[ "$(wc -l < "$T/err")" = 1 ] && grep -Eq -- "^qgtop: warning: $re" "$T/err" ||
			fail "scan $*: $(cat "$T/err") (wanted /$re/)"
		echo "ok: $(cat "$T/err")"
	fi
}
# 11. on a full tmpfs every save fails: one warning, the scan goes on
scan_ck "cannot save progress to $T/tmpfs/ck: No space left on device; the scan goes on$" \
	"$T/a.img" "$T/ref.a" $ref_rc --checkpoint "$T/tmpfs/ck" --checkpoint-interval 0
[ "$(ls -A "$T/tmpfs")" = fill ] || fail "the full tmpfs kept a file: $(ls -A "$T/tmpfs")"
# 12. checkpoints that cannot be used: one line each, exact numbers
ck=$T/ck
: > "$ck"
scan_ck "ignoring checkpoint $ck: truncated \(shorter than its header\); the scan starts over$" \
	"$T/a.img" "$T/ref.a" $ref_rc --checkpoint "$ck"
[ ! -e "$ck" ] || fail "a finished scan left its checkpoint"
printf 'QGTOPCK3 not this filesystem at all.........................' > "$ck"
scan_ck "ignoring checkpoint $ck: written by another qgtop version" "$T/a.img" "$T/ref.a" $ref_rc \
	--checkpoint "$ck"
head -c 5000 /dev/urandom > "$ck"
scan_ck "ignoring checkpoint $ck: not a qgtop checkpoint" "$T/a.img" "$T/ref.a" $ref_rc --checkpoint "$ck"
mkdir "$ck"
scan_ck "ignoring checkpoint $ck: not a regular file" "$T/a.img" "$T/ref.a" $ref_rc --checkpoint "$ck"
rmdir "$ck"

# interrupt_at_first_warning OUT ERR ARGS...: qgtop ARGS with its stderr
# into a pipe that is already full, so its first warning (the ignored
# checkpoint, before the first block) blocks it; then SIGINT and drain;
# prints the exit status
interrupt_at_first_warning() {
	local out=$1 err=$2 fifo=$T/stderr.fifo pid cpid i filled rc=0 sc fd
	shift 2
	rm -f "$fifo"
	mkfifo "$fifo"
	exec 3<>"$fifo"
	filled=$(python3 - "$fifo" <<'PY'
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK)
n = 0
for size in (4096, 1):
    try:
        while True:
            n += os.write(fd, b"\0" * size)
    except BlockingIOError:
        pass
print(n)
PY
)
	"$QGTOP" "$@" > "$out" 2> "$fifo" 3<&- &
	pid=$!
	for ((i = 0; i < 400; i++)); do
		read -r sc fd _ < "/proc/$pid/syscall" 2>/dev/null && [ "$sc $fd" = "1 0x2" ] && break
		sleep 0.05
	done
	[ $i -lt 400 ] || fail "qgtop did not block on its first warning"
	kill -INT $pid
	cat "$fifo" > "$err.raw" 3<&- &
	cpid=$!
	for ((i = 0; i < 400; i++)); do
		ls -l "/proc/$cpid/fd" 2>/dev/null | grep -q stderr.fifo && break
		sleep 0.05
	done
	exec 3<&-
	wait $pid || rc=$?
	wait $cpid
	tail -c +$((filled + 1)) "$err.raw" > "$err"
	echo $rc
}
# 13. interrupted: "progress saved" only when it was; the saved file
#     replaced the bad one, resumes to the same numbers, and is refused
#     for another filesystem and when corrupt
head -c 100 /dev/urandom > "$ck"
rc=$(interrupt_at_first_warning "$T/out" "$T/err" scan --raw --checkpoint "$ck" "$T/a.img")
[ "$rc" = 130 ] || fail "interrupted scan exited $rc: $(cat "$T/err")"
grep -qx "qgtop: interrupted while scanning metadata; progress saved in $ck" "$T/err" || fail "interrupted: $(cat "$T/err")"
head -c 8 "$ck" | grep -q QGTOPCK5 || fail "the bad checkpoint was not replaced"
[ "$(stat -c %a "$ck")" = 600 ] || fail "checkpoint mode $(stat -c %a "$ck")"
cp "$ck" "$T/ck.a"
scan_ck "" "$T/a.img" "$T/ref.a" $ref_rc --checkpoint "$ck"
echo "ok: interrupted, saved, resumed to the same numbers"
cp "$T/ck.a" "$ck"
scan_ck "ignoring checkpoint $ck: of another filesystem" "$T/b.img" "$T/ref.b" $ref_rc_b --checkpoint "$ck"
cp "$T/ck.a" "$ck"
size=$(stat -c %s "$ck")
printf '\xff' | dd of="$ck" bs=1 seek=$((size / 2)) conv=notrunc status=none
scan_ck "ignoring checkpoint $ck: checksum mismatch \(corrupt\)" "$T/a.img" "$T/ref.a" $ref_rc --checkpoint "$ck"
cp "$T/ck.a" "$ck"
truncate -s $((size - 1)) "$ck"
scan_ck "ignoring checkpoint $ck: truncated;" "$T/a.img" "$T/ref.a" $ref_rc --checkpoint "$ck"
cp "$T/ck.a" "$ck" && chown 65534:65534 "$ck"
scan_ck "ignoring checkpoint $ck: owned by another user" "$T/a.img" "$T/ref.a" $ref_rc --checkpoint "$ck"
# the save at the interrupt fails: it says so and why, still 130
mkdir -m 700 "$T/cks"
head -c 100 /dev/urandom > "$T/cks/ck"
ln -s "$T/victim" "$T/cks/.ck.tmp"
rc=$(interrupt_at_first_warning "$T/out" "$T/err" scan --checkpoint "$T/cks/ck" "$T/a.img")
[ "$rc" = 130 ] || fail "interrupted scan with a failing save exited $rc: $(cat "$T/err")"
grep -qx "qgtop: interrupted while scanning metadata; cannot save progress to $T/cks/ck: $T/cks/.ck.tmp: a symbolic link is in the way (not followed, left alone)" "$T/err" ||
	fail "interrupted, not saved: $(cat "$T/err")"
grep -q "progress saved" "$T/err" && fail "said saved when it was not"
[ "$(cat "$T/victim")" = precious ] || fail "checkpoint written through the planted link"
echo "ok: an interrupted scan whose save fails says why"
exit 0
