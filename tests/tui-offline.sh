#!/bin/bash
# tests/tui-offline.sh - end-to-end test of the curses frontend on an
# unmounted image (qgtop --image tests/data/demo.img.xz, decompressed),
# driven in tmux: the computed and the stored numbers equal the kernel's
# after its rescan, marking subvolumes
# with space shows what deleting them frees (the same figure as
# `qgtop scan --freed`), administration keys are refused, NO_COLOR turns
# colour off, q exits 0.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
. "${TOP_SRCDIR:-.}/tests/tui-lib.sh"

# the committed demo image (tests/make-demo-image.sh) and the kernel's
# numbers for it, recorded after its rescan: no root needed
IMG=$TEST_TMP/demo.img
xz -dc "$TOP_SRCDIR/tests/data/demo.img.xz" > "$IMG" || fail "cannot decompress the demo image"
awk '!/^#/ {print $1, $2, $2, $3, $3}' "$TOP_SRCDIR/tests/data/demo.kernel" | sort > "$TEST_TMP/kernel"
snap=$(awk '$4 ~ /home-1$/ {split($1, a, "/"); print a[2]}' "$TOP_SRCDIR/tests/data/demo.kernel")
[ -n "$snap" ] || fail "no snapshot in the demo image"

tui_start 160 40 --image "$IMG"
tui_wait "image: read-only"
tui_wait "0/$snap .snapshots/home-1" 60
tui_keys f u u
tui_wait "units: raw"
# each row: id, computed rfer, stored rfer, computed excl, stored excl
diff <(tui_rows | sort) "$TEST_TMP/kernel" || fail "image numbers differ from the kernel's"

# administration does not apply to an image: refused with the reason
tui_keys r
tui_wait "r: not available on an offline image"
tui_keys L
tui_wait "L: not available on an offline image"

# mark the snapshot: the freed figure equals qgtop scan --freed
tui_keys g
target=$(tui_rows | awk -v id="0/$snap" '$1 == id {print NR}')
for ((i = 1; i < target; i++)); do tui_keys j; done
tui_keys ' '
tui_wait "freed if deleted [0-9]+"
shown=$(tui_cap | sed -n 's/.*freed if deleted \([0-9]*\).*/\1/p' | head -1)
expect=$("$QGTOP" scan --raw --freed "$snap" "$IMG" | grep -o '[0-9]\+' | tail -1)
[ -n "$shown" ] && [ "$shown" = "$expect" ] || fail "freed: TUI says '$shown', qgtop scan --freed says '$expect'"
tui_cap | grep -q "^  > *0/$snap" || tui_cap | grep -q ">.*0/$snap" || fail "marked row not shown as marked"

# colour marks the usage bars; NO_COLOR turns every colour off (the
# flags, bars and reverse video still carry the information)
esc=$(printf '\033')
tui capture-pane -p -e | grep -q "${esc}\[3[0-7]m" || fail "no colour without NO_COLOR"
tui_keys q
[ "$(tui_wait_exit)" = 0 ] || fail "q did not exit with 0"
[ "$(tui display-message -p '#{alternate_on}')" = 0 ] || fail "terminal not restored after q"

TUI_PREFIX="env NO_COLOR=1"
tui_start 160 40 --image "$IMG"
tui_wait "0/$snap .snapshots/home-1" 60
tui capture-pane -p -e | grep -q "${esc}\[3[0-7]m" && fail "colour despite NO_COLOR"
tui_cap | grep -q "59%" || fail "usage bar missing without colour"
tui_keys q
[ "$(tui_wait_exit)" = 0 ] || fail "q did not exit with 0 (NO_COLOR)"
unset TUI_PREFIX
echo "PASS"
