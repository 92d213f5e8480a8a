#!/bin/bash
# tests/source-checks.sh - facts about the source tree that a build does
# not check by itself: po/POTFILES.in lists every file with translatable
# strings (a stale list breaks the build of a fresh clone), the German
# catalogue translates every message (none untranslated or fuzzy), and no
# two modules of src/ and ui/ include each other in a cycle.
set -euo pipefail
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
if [ ! -x "$top/po/update-potfiles" ] && [ ! -f "$top/po/update-potfiles" ]; then
	echo "SKIP: no po/update-potfiles (not a source checkout)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -a "$top/src" "$top/ui" "$tmp/"
mkdir "$tmp/po"
cp "$top/po/update-potfiles" "$tmp/po/"
sh "$tmp/po/update-potfiles"
if ! diff -u "$top/po/POTFILES.in" "$tmp/po/POTFILES.in"; then
	echo "FAIL: po/POTFILES.in is stale; run sh po/update-potfiles"
	exit 1
fi
echo "ok: po/POTFILES.in is current"

untranslated=$(msgattrib --untranslated --no-obsolete "$top/po/de.po" | grep -c '^msgid' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$top/po/de.po" | grep -c '^msgid' || true)
# each query prints the header entry as one msgid of its own
if [ "$untranslated" -gt 1 ] || [ "$fuzzy" -gt 1 ]; then
	echo "FAIL: po/de.po has $((untranslated - 1)) untranslated and $((fuzzy - 1)) fuzzy" \
		"messages (after make -C po update-po)"
	exit 1
fi
echo "ok: po/de.po translates every message"
python3 "$top/tests/include-cycles.py"
