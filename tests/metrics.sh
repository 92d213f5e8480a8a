#!/bin/bash
# tests/metrics.sh - `qgtop metrics` on a real loop-mounted btrfs: the
# output passes `promtool check metrics` (paths with spaces, quotes,
# backslashes, a newline, non-ASCII and invalid UTF-8; a quoted label), a
# real node_exporter started on a loopback port serves it from its textfile
# directory with the values of `btrfs qgroup show --raw`, --output replaces
# the file atomically (0644, no temporary left), a running rescan has a
# progress ratio, and without root the sysfs numbers come with a comment.
# The example systemd units pass systemd-analyze verify.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop
. "${TOP_SRCDIR:-.}/tests/tui-lib.sh"

for tool in promtool prometheus-node-exporter curl; do
	command -v $tool >/dev/null && continue
	if [ "${CI:-}" = true ]; then echo "ERROR: needs $tool" >&2; exit 99; fi
	echo "SKIP: needs $tool (tests/install-deps.sh installs it)" >&2
	exit 77
done

MNT=$TEST_TMP/mnt
tui_make_fs "$MNT"	# quotas, qgroups with a limit, a rescan of a few seconds
uuid=$(findmnt -no UUID "$MNT")
for name in 'with space' 'quote"d' 'back\slash' $'new\nline' 'héllo wörld' $'bad\xff'; do
	btrfs subvolume create "$MNT/$name" >/dev/null || fail "subvolume '$name'"
done
btrfs filesystem label "$MNT" 'the "data" label' || fail "label"
btrfs quota rescan -w "$MNT" >/dev/null
sync

"$QGTOP" metrics "$MNT" > "$TEST_TMP/out.prom" || fail "metrics exit $?"
promtool check metrics < "$TEST_TMP/out.prom" || fail "promtool rejects the output"
grep -q '^btrfs_qgroup_referenced_bytes{.*path="quote\\"d"' "$TEST_TMP/out.prom" || fail "quote"
grep -q '^btrfs_qgroup_referenced_bytes{.*path="back\\\\slash"' "$TEST_TMP/out.prom" || fail "backslash"
grep -q '^btrfs_qgroup_referenced_bytes{.*path="new\\nline"' "$TEST_TMP/out.prom" || fail "newline"
grep -q "^btrfs_qgroup_referenced_bytes{.*path=\"bad$(printf '\xef\xbf\xbd')\"" "$TEST_TMP/out.prom" ||
	fail "invalid UTF-8 not replaced"
grep -q 'label="the \\"data\\" label"' "$TEST_TMP/out.prom" || fail "label escaping"
grep -q "^btrfs_qgroup_max_referenced_bytes{.*qgroupid=\"1/100\".*} 1073741824$" "$TEST_TMP/out.prom" ||
	fail "the limit of 1/100"
# no sample for a limit that is not set
grep -q '^btrfs_qgroup_max_exclusive_bytes{.*qgroupid="1/100"' "$TEST_TMP/out.prom" &&
	fail "a sample for an unset limit"

# --output: atomic, readable by the exporter, no temporary left behind
tf=$TEST_TMP/textfile
mkdir "$tf"
"$QGTOP" metrics --output "$tf/qgtop.prom" "$MNT" || fail "metrics --output exit $?"
[ "$(stat -c %a "$tf/qgtop.prom")" = 644 ] || fail "mode $(stat -c %a "$tf/qgtop.prom")"
[ "$(ls -A "$tf")" = qgtop.prom ] || fail "left in the directory: $(ls -A "$tf")"
"$QGTOP" metrics --output "$TEST_TMP/no/such/dir/x.prom" "$MNT" 2>"$TEST_TMP/err"
[ $? = 2 ] || fail "--output into a missing directory: exit $?"
[ "$(wc -l < "$TEST_TMP/err")" = 1 ] || fail "not one line: $(cat "$TEST_TMP/err")"

# a real node_exporter serves the file; its values are the kernel's
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus-node-exporter --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$tf" >"$TEST_TMP/ne.log" 2>&1 &
ne=$!
trap 'kill $ne 2>/dev/null; tui_cleanup' EXIT
for ((i = 0; i < 100; i++)); do
	curl -fsS "http://127.0.0.1:$port/metrics" > "$TEST_TMP/scraped" 2>/dev/null && break
	sleep 0.1
done
[ -s "$TEST_TMP/scraped" ] || fail "node_exporter did not answer: $(cat "$TEST_TMP/ne.log")"
grep -q 'node_textfile_scrape_error 0' "$TEST_TMP/scraped" || fail "node_exporter could not read the file"
python3 - "$TEST_TMP/scraped" "$uuid" > "$TEST_TMP/served" <<'PY' || fail "parse scraped"
import re, sys
fsid = sys.argv[2]
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r'btrfs_qgroup_(referenced|exclusive)_bytes\{(.*)\} (\S+)$', line)
    if not m or 'fsid="%s"' % fsid not in m.group(2):
        continue
    qid = re.search(r'qgroupid="([^"]+)"', m.group(2)).group(1)
    print(qid, m.group(1), int(float(m.group(3))))
PY
btrfs qgroup show --raw --sync "$MNT" | awk '$1 ~ /^[0-9]+\/[0-9]+$/ { print $1, "referenced", $2; print $1, "exclusive", $3 }' |
	sort > "$TEST_TMP/kernel"
sort "$TEST_TMP/served" | diff -u "$TEST_TMP/kernel" - || fail "served values differ from btrfs qgroup show"
echo "node_exporter served $(wc -l < "$TEST_TMP/served") qgroup samples equal to the kernel's"

# a running rescan: running 1 and a ratio in [0, 1]
btrfs quota rescan "$MNT" >/dev/null || fail "start rescan"
"$QGTOP" metrics "$MNT" > "$TEST_TMP/rescan.prom" || fail "metrics during a rescan"
promtool check metrics < "$TEST_TMP/rescan.prom" || fail "promtool during a rescan"
if grep -q '^btrfs_quota_rescan_running{.*} 1$' "$TEST_TMP/rescan.prom"; then
	awk '/^btrfs_quota_rescan_progress_ratio\{/ { v = $NF; found = 1 }
	     END { exit !(found && v >= 0 && v <= 1) }' "$TEST_TMP/rescan.prom" ||
		fail "no progress ratio in [0, 1] while a rescan runs"
else
	echo "note: the rescan ended before the metrics were read"
fi
"$QGTOP" rescan --watch --interval 200 "$MNT" >/dev/null || fail "rescan end"

# without root: sysfs numbers, said in a comment; still valid
chmod 755 "$TEST_TMP"
setpriv --reuid=65534 --regid=65534 --clear-groups "$QGTOP" metrics "$MNT" > "$TEST_TMP/user.prom" ||
	fail "metrics as nobody: exit $?"
grep -q '^# qgtop: not root' "$TEST_TMP/user.prom" || fail "no not-root comment"
promtool check metrics < "$TEST_TMP/user.prom" || fail "promtool rejects the non-root output"
grep -q "^btrfs_qgroup_referenced_bytes{.*qgroupid=\"0/$WWWID\".*} $(cat /sys/fs/btrfs/$uuid/qgroups/0_$WWWID/referenced)$" \
	"$TEST_TMP/user.prom" || fail "non-root numbers differ from sysfs"

# the example units, with the real path of the binary
sed "s|@bindir@|$(dirname "$QGTOP")|" "$TOP_SRCDIR/doc/examples/qgtop-metrics.service.in" \
	> "$TEST_TMP/qgtop-metrics.service"
cp "$TOP_SRCDIR/doc/examples/qgtop-metrics.timer" "$TEST_TMP/"
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify --man=no "$TEST_TMP/qgtop-metrics.service" "$TEST_TMP/qgtop-metrics.timer" ||
		fail "systemd-analyze verify"
fi
echo "metrics: ok"
