# tests/offline-lib.sh - helpers for the offline engine's integration tests:
# record the kernel's qgroup numbers after a full rescan, and compare them
# with `qgtop scan --json` of the unmounted image. Source after tests/lib.sh.

# kernel_numbers MNT OUT: rescan, commit, and write "qgroupid rfer excl" lines
kernel_numbers() {
	btrfs quota rescan -w "$1" >/dev/null || fail "rescan $1"
	sync
	btrfs filesystem sync "$1" || fail "sync $1"
	btrfs qgroup show --raw -re "$1" | awk '$1 ~ /^[0-9]+\/[0-9]+$/ { print $1, $2, $3 }' |
		sort >"$2" || fail "qgroup show $1"
	[ -s "$2" ] || fail "no qgroups on $1"
}

# scan_numbers OUT IMAGE...: qgtop scan --json, as "qgroupid rfer excl" lines;
# returns qgtop's exit code in SCAN_RC
scan_numbers() {
	local out=$1
	shift
	SCAN_RC=0
	"$QGTOP" scan --json "$@" >"$out.json" || SCAN_RC=$?
	[ "$SCAN_RC" -le 1 ] || fail "qgtop scan $* exited $SCAN_RC"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for q in d["qgroups"]:
    print(q["qgroupid"], q["referenced"], q["exclusive"])
' "$out.json" | sort >"$out" || fail "bad JSON from qgtop scan"
}

# compare_kernel NAME KERNEL_FILE IMAGE...: scan and require byte equality
compare_kernel() {
	local name=$1 kern=$2
	shift 2
	scan_numbers "$TEST_TMP/$name.scan" "$@"
	if ! diff -u "$kern" "$TEST_TMP/$name.scan"; then
		fail "$name: qgtop scan differs from the kernel (above: - kernel, + qgtop)"
	fi
	[ "$SCAN_RC" = 0 ] || fail "$name: numbers equal but qgtop scan exited $SCAN_RC"
	echo "ok: $name ($(wc -l <"$kern") qgroups equal)"
}
