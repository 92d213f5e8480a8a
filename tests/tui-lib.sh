# tests/tui-lib.sh - drive the real qgtop binary in tmux for end-to-end
# tests of the curses frontend. Source after tests/lib.sh. Uses a private
# tmux server (tmux -L) that the EXIT trap kills.
TUI_SOCK="qgtop-tui-$$"
TUI_EXIT_FILE="$TEST_TMP/tui-exit"

tui() { tmux -L "$TUI_SOCK" "$@"; }

tui_cleanup() {
	# SIGHUP from the server's end makes qgtop close its files: give it a
	# moment before lib.sh unmounts
	tmux -L "$TUI_SOCK" kill-server 2>/dev/null && sleep 0.5
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TUI_SOCK"
	cleanup
}
trap tui_cleanup EXIT

command -v tmux >/dev/null || {
	if [ "${CI:-}" = true ]; then echo "ERROR: needs tmux" >&2; exit 99; fi
	echo "SKIP: needs tmux" >&2; exit 77
}

# tui_start COLS LINES ARGS...: run qgtop ARGS in a fresh window; the
# exit status lands in $TUI_EXIT_FILE
tui_start() {
	local cols=$1 lines=$2
	shift 2
	local try
	rm -f "$TUI_EXIT_FILE"
	tui kill-server 2>/dev/null && sleep 0.3
	# a new server sometimes dies at start on a loaded machine: retry
	for try in 1 2 3 4; do
		tui -f /dev/null new-session -d -x "$cols" -y "$lines" \
			"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color ${TUI_PREFIX:-} $QGTOP $*; echo \$? > $TUI_EXIT_FILE; sleep 600" &&
			break
		[ $try = 4 ] && fail "cannot start tmux"
		sleep 0.5
	done
	tui set-option -g window-size manual 2>/dev/null
}

# tui_start_shell COLS LINES: an interactive bash with job control in a
# fresh window (prompt "qgtest$ "), for Ctrl-Z and fg
tui_start_shell() {
	local try
	tui kill-server 2>/dev/null && sleep 0.3
	for try in 1 2 3 4; do
		tui -f /dev/null new-session -d -x "$1" -y "$2" \
			"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color PS1='qgtest\$ ' bash --norc --noprofile -i" &&
			break
		[ $try = 4 ] && fail "cannot start tmux"
		sleep 0.5
	done
	tui set-option -g window-size manual 2>/dev/null
	tui_wait 'qgtest\$ $'
}

# tui_shell_run CMD: type CMD and Enter at the shell's prompt
tui_shell_run() { tui send-keys -l -- "$1"; tui send-keys Enter; }

tui_cap() { tui capture-pane -p -J; }

tui_keys() { tui send-keys "$@"; }

# tui_wait REGEX [SECONDS]: wait until the screen matches
tui_wait() {
	local re=$1 t=${2:-10} i
	for ((i = 0; i < t * 20; i++)); do
		tui_cap | grep -Eq -- "$re" && return 0
		sleep 0.05
	done
	echo "--- screen ---" >&2
	tui_cap >&2
	fail "timed out waiting for /$re/"
}

# tui_wait_exit: wait for qgtop to end, print its exit status
tui_wait_exit() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ -s "$TUI_EXIT_FILE" ] && { cat "$TUI_EXIT_FILE"; return 0; }
		sleep 0.05
	done
	fail "qgtop did not exit"
}

# tui_make_fs MNT: a loop-mounted btrfs with quotas whose rescan lasts a
# few seconds (60,000 small extents shared by 24 snapshots), subvolumes vol
# and www, qgroups 1/100 (vol, www) and 1/200 (www), a limit on 1/100;
# sets VOLID and WWWID
tui_make_fs() {
	local mnt=$1 i
	make_loop 1G
	mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
	mount_fs "$LOOP_DEV" "$mnt"
	btrfs quota enable "$mnt" || fail "quota enable"
	btrfs subvolume create "$mnt/vol" >/dev/null
	btrfs subvolume create "$mnt/www" >/dev/null
	head -c 300K /dev/urandom > "$mnt/www/index.bin"
	perl -e 'my $f = shift; open(my $h, ">", $f) or die; my $x = "y" x 4096;
		for my $i (0..59999) { sysseek($h, $i * 8192, 0); syswrite($h, $x) } close $h' \
		"$mnt/vol/frag" || fail "write frag"
	sync
	for i in $(seq 1 24); do
		btrfs subvolume snapshot -r "$mnt/vol" "$mnt/snap$i" >/dev/null || fail "snapshot"
	done
	btrfs qgroup create 1/100 "$mnt"
	btrfs qgroup create 1/200 "$mnt"
	VOLID=$(btrfs subvolume list "$mnt" | awk '$NF == "vol" {print $2}')
	WWWID=$(btrfs subvolume list "$mnt" | awk '$NF == "www" {print $2}')
	btrfs qgroup assign --no-rescan "0/$VOLID" 1/100 "$mnt" 2>/dev/null
	btrfs qgroup assign --no-rescan "0/$WWWID" 1/100 "$mnt" 2>/dev/null
	btrfs qgroup assign --no-rescan "0/$WWWID" 1/200 "$mnt" 2>/dev/null
	btrfs qgroup limit 1G 1/100 "$mnt"
	btrfs quota rescan -w "$mnt" >/dev/null || fail "rescan"
	sync
}

# tui_until CONDITION [SECONDS]: wait until the shell CONDITION holds
tui_until() {
	local cond=$1 t=${2:-10} i
	for ((i = 0; i < t * 20; i++)); do
		eval "$cond" && return 0
		sleep 0.05
	done
	echo "--- screen ---" >&2
	tui_cap >&2
	fail "timed out waiting for: $cond"
}

# tui_cursor: the qgroup id on the cursor row (the list's reverse-video row)
tui_cursor() {
	tui capture-pane -p -e | awk 'NR > 3 && /\033\[([0-9]*;)*7(;[0-9]*)*m/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\/[0-9]+$/) { print $i; exit } }'
}

# tui_goto ID: put the cursor on the first row showing qgroup ID, moving
# down from the top one key at a time and waiting for each move
tui_goto() {
	local id=$1 i first prev
	tui_keys g
	first=$(tui_cap | awk 'NR > 3 { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\/[0-9]+$/) { print $i; exit } }')
	tui_until '[ "$(tui_cursor)" = "$first" ]' 5
	for ((i = 0; i < 200; i++)); do
		prev=$(tui_cursor)
		[ "$prev" = "$id" ] && return 0
		tui_keys j
		tui_until '[ "$(tui_cursor)" != "$prev" ]' 5
	done
	fail "qgroup $id not reached"
}

# tui_rows: "ID RFER EXCL [RFER2 EXCL2]" for each qgroup row of a raw-units
# screen: the first token like L/N, then the plain numbers after it up to
# the limit column ("max_rfer/max_excl", after which comes what is left)
tui_rows() {
	tui_cap | awk 'NR > 3 {
		id = ""; out = ""; n = 0;
		for (i = 1; i <= NF; i++) {
			if (id == "" && $i ~ /^[0-9]+\/[0-9]+$/) { id = $i; continue }
			if (n >= 2 && $i ~ /^([0-9]+|-)\/([0-9]+|-)$/) break
			if (id != "" && $i ~ /^[0-9]+$/) { out = out " " $i; n++ }
		}
		if (id != "" && out != "") print id out
	}'
}
