#!/bin/bash
# tests/completion.sh - the bash completion (doc/bash-completion/qgtop),
# sourced in a plain bash and called as bash calls it (COMP_WORDS,
# COMP_CWORD): commands, options, units, --abort choices, sort keys, the
# mounted btrfs filesystems for PATH, and the qgroup ids of the filesystem
# on the command line, read from the real qgtop on a loop-mounted btrfs.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop

COMP=$TOP_SRCDIR/doc/bash-completion/qgtop
make_loop 300M
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
MNT=$TEST_TMP/mnt
mount_fs "$LOOP_DEV" "$MNT"
btrfs quota enable "$MNT" || fail "quota enable"
btrfs subvolume create "$MNT/a" >/dev/null
btrfs qgroup create 1/100 "$MNT" || fail "create"
btrfs qgroup create 2/7 "$MNT" || fail "create"
aid=$(btrfs subvolume show "$MNT/a" | awk '/Subvolume ID:/ {print $3}')

# expect INDEX "WANT..." WORD...: every word of WANT is offered
expect() {
	local cw=$1 want=$2 got w
	shift 2
	got=$(comp_env "$cw" "$@")
	for w in $want; do
		grep -qxF -- "$w" <<<"$got" || fail "qgtop ${*:2} (word $cw): '$w' not offered; got: $(echo $got)"
	done
}
# comp_env INDEX WORD...: the completions bash offers for word INDEX
comp_env() {
	local cw=$1
	shift
	CW=$cw QGTOP_BIN=$QGTOP bash --norc --noprofile -c '
		source "$0"
		COMP_WORDS=("$@"); COMP_CWORD=$CW; COMP_WORDS[0]=$QGTOP_BIN
		_qgtop
		printf "%s\n" "${COMPREPLY[@]}"' "$COMP" "$@"
}
# refuse WORD INDEX WORD...: WORD is not offered
refuse() {
	local bad=$1 cw=$2
	shift 2
	comp_env "$cw" "$@" | grep -qxF -- "$bad" && fail "qgtop ${*:2}: '$bad' offered"
	return 0
}

bash -n "$COMP" || fail "syntax"
expect 1 "rescan restore" qgtop re
expect 1 "list show quota qgroup restore rescan scan metrics" qgtop ""
expect 1 "--image --ascii --help --version" qgtop -
expect 2 "--json --raw --iec --si --sort --qgroup --sync" show show --
expect 3 "rfer excl max_rfer path" show show --sort ""
expect 2 "--abort=pause --abort=cancel --watch --status" rescan rescan --
expect 2 "--abort=pause" rescan rescan --abort=pa
expect 2 "enable disable drop-subtree-threshold" quota quota ""
expect 3 "0 3 8" quota quota drop-subtree-threshold ""
expect 2 "create destroy assign remove limit clear-stale" qgroup qgroup ""
expect 3 "none 1G" qgroup qgroup limit ""
expect 3 "-e --exclusive" qgroup qgroup limit -
expect 2 "--output" metrics metrics --
# PATH: the mounted btrfs filesystems
expect 2 "$MNT" show show /
expect 1 "$MNT" qgtop /
# qgroup ids of the filesystem on the line, before or after the cursor
expect 3 "0/5 0/$aid 1/100 2/7" qgroup qgroup assign "" 1/100 "$MNT"
expect 4 "1/100 2/7" qgroup qgroup assign "0/$aid" "" "$MNT"
expect 4 "0/$aid 1/100" qgroup qgroup limit 1G "" "$MNT"
expect 3 "1/100 2/7" show show --qgroup "" "$MNT"
refuse "0/$aid" 4 qgroup qgroup assign "0/$aid" 1 "$MNT"
# file arguments: restore FILE, scan IMAGE
touch "$TEST_TMP/saved.qgroups"
expect 2 "$TEST_TMP/saved.qgroups" restore restore "$TEST_TMP/saved."
echo "completion: ok"
