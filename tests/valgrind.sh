#!/usr/bin/env bash
# Runs the unit test programs given as arguments, then a few caltune
# commands ($CALTUNE), under valgrind's memcheck. Any memory error or
# definite or indirect leak fails the script.
# Usage: CALTUNE=build/caltune bash tests/valgrind.sh UNIT_BINS...
set -u

if ! command -v valgrind >/dev/null; then
	echo "valgrind.sh: valgrind is not installed: apt-get install valgrind" >&2
	exit 2
fi
if [ -z "${CALTUNE:-}" ] || [ ! -x "$CALTUNE" ]; then
	echo "valgrind.sh: set CALTUNE to the caltune binary" >&2
	exit 2
fi

work=$(mktemp -d /tmp/caltune-valgrind-XXXXXX)
trap 'rm -rf "$work"' EXIT
export CALTUNE_DB="$work/history.db" HOME="$work" XDG_STATE_HOME="$work/state"
here=$(cd "$(dirname "$0")" && pwd)

memcheck=(valgrind --quiet --error-exitcode=99 --leak-check=full
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
	--suppressions="$here/valgrind.supp")
passed=0
failed=0

check() {
	local name=$1
	shift
	"${memcheck[@]}" "$@" >"$work/out" 2>"$work/err"
	local rc=$?
	if [ "$rc" -eq 99 ] || grep -q "^==[0-9]*== .*\(Invalid\|uninitialised\|definitely lost\)" "$work/err"; then
		echo "FAIL $name (exit $rc)"
		cat "$work/err"
		failed=$((failed + 1))
	else
		echo "ok   $name"
		passed=$((passed + 1))
	fi
}

for bin in "$@"; do
	check "$(basename "$bin")" "$bin"
done

check "parse" "$CALTUNE" parse --ref 2026-12-04T10:00:00 --trace "Lunch with Sarah next Friday at noon"
check "parse --json" "$CALTUNE" parse --json --tz America/New_York "Dentist tomorrow 3pm"
check "parse empty" "$CALTUNE" parse ""
check "run" "$CALTUNE" run --corpus "$here/data/sample.jsonl" --jobs 2 --predictions "$work/p.jsonl"
check "run mixed" "$CALTUNE" run --json --corpus "$here/data/mixed.jsonl"
check "history" "$CALTUNE" history --json
check "compare" "$CALTUNE" compare latest~1 latest
check "check" "$CALTUNE" check --corpus "$here/data/sample.jsonl" --baseline latest --max-p95-increase 1000000
check "bad option" "$CALTUNE" run --bogus
check "bad ref" "$CALTUNE" parse --ref 2026-02-30T10:00:00 "Lunch"

# A line above the corpus line limit is skipped unread, beside good ones.
{
	head -n 1 "$here/data/sample.jsonl"
	head -c 1100000 /dev/zero | tr '\0' x
	echo
} >"$work/long-line.jsonl"
check "run long line" "$CALTUNE" run --corpus "$work/long-line.jsonl"

: >"$work/empty.db"
check "history empty file" "$CALTUNE" history --db "$work/empty.db"

echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
