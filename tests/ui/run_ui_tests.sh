#!/usr/bin/env bash
# Drives the caltune terminal UI in a private tmux server and checks what it
# draws. Each test starts caltune in its own tmux session at a fixed size
# and sends keys. It then polls `capture-pane` until the expected text
# shows or a timeout passes, and a failure prints the screen it last saw.
#
# Needs: CALTUNE (absolute path of the binary), tmux and python3.
# Every file the UI writes (history database, log) goes to a temporary
# folder that is removed at exit.
#
# Usage: CALTUNE=/abs/build/caltune bash tests/ui/run_ui_tests.sh [TEST...]

set -u

CALTUNE=${CALTUNE:?set CALTUNE to the absolute path of the caltune binary}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIXTURE="$ROOT/tests/data/ui-small.jsonl"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/caltune-ui-tests.XXXXXX")
SOCKET="caltune-ui-tests-$$"
TIMEOUT=${UI_TEST_TIMEOUT:-15}   # seconds to wait for one expected screen

tmux_cmd() {
	tmux -L "$SOCKET" -f /dev/null "$@"
}

THROTTLERS=()
EXTERNAL_RUNS=()

cleanup() {
	for pid in "${THROTTLERS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${EXTERNAL_RUNS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
	done
	tmux_cmd kill-server >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

for tool in tmux python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "run_ui_tests: $tool is required but not installed" >&2
		exit 2
	fi
done
if [ ! -x "$CALTUNE" ]; then
	echo "run_ui_tests: CALTUNE=$CALTUNE is not an executable file" >&2
	exit 2
fi

# --- helpers -------------------------------------------------------------

CURRENT_TEST=""
LAST_SESSION=""
UI_EXTRA_ENV=""   # "NAME=VALUE" exported for the next start_ui only

# fail MESSAGE: reports the failure with the last screen of the session.
fail() {
	echo "FAIL $CURRENT_TEST: $1"
	if [ -n "$LAST_SESSION" ]; then
		echo "---- screen of $LAST_SESSION ----"
		tmux_cmd capture-pane -p -t "$LAST_SESSION" 2>/dev/null || echo "(session gone)"
		echo "---- end of screen ----"
	fi
	return 1
}

# start_ui NAME WIDTH HEIGHT DB [caltune args...]: starts caltune in a new
# session. Its exit status lands in $WORK/NAME.status; the pane then stays
# open so the last screen can still be read. Unless the arguments set
# llm.backend, caltune gets --set llm.backend=off, so an LLM server on the
# test machine cannot change what the UI shows.
start_ui() {
	local name=$1 width=$2 height=$3 db=$4
	shift 4
	local script="$WORK/$name.sh"
	local llm_off=(--set llm.backend=off)
	local arg

	for arg in "$@"; do
		case $arg in
		*llm.backend*) llm_off=() ;;
		esac
	done

	mkdir -p "$WORK/$name-home"
	{
		echo "export CALTUNE_DB=$(printf %q "$db")"
		echo "export HOME=$(printf %q "$WORK/$name-home")"
		echo "export XDG_DATA_HOME=$(printf %q "$WORK/$name-home/data")"
		echo "export XDG_STATE_HOME=$(printf %q "$WORK/$name-home/state")"
		echo "export XDG_CONFIG_HOME=$(printf %q "$WORK/$name-home/config")"
		echo "export LANG=C.UTF-8 LC_ALL=C.UTF-8"
		echo "unset NO_COLOR"
		[ -n "$UI_EXTRA_ENV" ] && echo "export $(printf %q "$UI_EXTRA_ENV")"
		printf '%q ' "$CALTUNE" "$@" "${llm_off[@]}"
		echo
		echo "echo \$? > $(printf %q "$WORK/$name.status")"
		echo "exec sleep 600"
	} >"$script"
	UI_EXTRA_ENV=""
	rm -f "$WORK/$name.status"
	LAST_SESSION=$name
	tmux_cmd new-session -d -s "$name" -x "$width" -y "$height" "bash $(printf %q "$script")" ||
		fail "tmux could not start session $name"
}

screen() {
	tmux_cmd capture-pane -p -t "$1"
}

# wait_for NAME TEXT [SECONDS]: polls the screen until TEXT (a fixed
# string) shows.
wait_for() {
	local name=$1 text=$2 seconds=${3:-$TIMEOUT}
	local deadline=$((SECONDS + seconds))

	while [ $SECONDS -lt $deadline ]; do
		if screen "$name" | grep -qF -- "$text"; then
			return 0
		fi
		if [ -f "$WORK/$name.status" ] && ! screen "$name" | grep -qF -- "$text"; then
			fail "caltune exited with status $(cat "$WORK/$name.status") before \"$text\" showed"
			return 1
		fi
		sleep 0.1
	done
	fail "\"$text\" did not show within ${seconds}s"
}

# wait_gone NAME TEXT: polls until TEXT is no longer on screen.
wait_gone() {
	local name=$1 text=$2
	local deadline=$((SECONDS + TIMEOUT))

	while [ $SECONDS -lt $deadline ]; do
		screen "$name" | grep -qF -- "$text" || return 0
		sleep 0.1
	done
	fail "\"$text\" was still on screen after ${TIMEOUT}s"
}

# expect_screen NAME TEXT: the screen shows TEXT right now.
expect_screen() {
	screen "$1" | grep -qF -- "$2" || fail "expected \"$2\" on screen"
}

# expect_wrapped NAME TEXT: the screen shows TEXT right now, perhaps
# wrapped over several rows (runs of white space count as one space).
expect_wrapped() {
	screen "$1" | tr -s ' \n' '  ' | grep -qF -- "$2" ||
		fail "expected \"$2\" on screen, wrapped or not"
}

# reject_screen NAME TEXT: the screen does not show TEXT right now.
reject_screen() {
	! screen "$1" | grep -qF -- "$2" || fail "did not expect \"$2\" on screen"
}

# wait_for_regex NAME REGEX: polls the screen until a line matches the
# extended regular expression REGEX.
wait_for_regex() {
	local name=$1 pattern=$2
	local deadline=$((SECONDS + TIMEOUT))

	while [ $SECONDS -lt $deadline ]; do
		screen "$name" | grep -qE -- "$pattern" && return 0
		sleep 0.1
	done
	fail "no line matching /$pattern/ showed within ${TIMEOUT}s"
}

send() {
	local name=$1
	shift
	tmux_cmd send-keys -t "$name" "$@"
}

type_text() {
	tmux_cmd send-keys -t "$1" -l -- "$2"
}

resize() {
	tmux_cmd resize-window -t "$1" -x "$2" -y "$3"
}

# expect_running NAME: caltune has not exited (no crash so far).
expect_running() {
	[ ! -f "$WORK/$1.status" ] ||
		fail "caltune exited (status $(cat "$WORK/$1.status")) while it should be running"
}

# expect_exit NAME STATUS: waits for caltune to exit with STATUS.
expect_exit() {
	local name=$1 want=$2
	local deadline=$((SECONDS + TIMEOUT))

	while [ $SECONDS -lt $deadline ]; do
		if [ -f "$WORK/$name.status" ]; then
			local got
			got=$(cat "$WORK/$name.status")
			[ "$got" = "$want" ] && return 0
			fail "caltune exited with status $got, expected $want"
			return 1
		fi
		sleep 0.1
	done
	fail "caltune did not exit within ${TIMEOUT}s"
}

# ui_pid NAME: the pid of caltune in session NAME, the child of the pane's
# shell (which waits for it to record its exit status). Reads /proc, so
# procps need not be installed.
ui_pid() {
	local shell stat line
	shell=$(tmux_cmd display-message -p -t "$1" '#{pane_pid}')
	for stat in /proc/[0-9]*/stat; do
		line=$(cat "$stat" 2>/dev/null) || continue
		# Fields after the command name: state, then the parent pid.
		set -- ${line##*) }
		if [ "${2:-}" = "$shell" ]; then
			echo "${stat//[^0-9]/}"
			return 0
		fi
	done
}

# throttle PID [RUN_SECONDS]: lets the process run RUN_SECONDS (default
# 0.005) in every 0.2 s until it exits, so a corpus run lasts long enough
# to watch whatever the engine's speed. A throttled UI still reads keys,
# only more slowly.
throttle() {
	local pid=$1 run=${2:-0.005}

	(
		while kill -STOP "$pid" 2>/dev/null; do
			sleep 0.2
			kill -CONT "$pid" 2>/dev/null || break
			sleep "$run"
		done
	) &
	THROTTLERS+=("$!")
}

# unthrottle: stops every throttle loop and lets its process run freely.
unthrottle() {
	local throttler

	for throttler in "${THROTTLERS[@]}"; do
		kill "$throttler" 2>/dev/null
		wait "$throttler" 2>/dev/null
	done
	THROTTLERS=()
	if [ -n "${1:-}" ]; then
		kill -CONT "$1" 2>/dev/null
	fi
}

# wait_exit PID: waits for a background process to end and stores its exit
# status in WAIT_STATUS. `wait` also returns when the process only
# stopped (status above 128 for SIGSTOP), so it loops until the process
# is gone.
wait_exit() {
	local pid=$1

	WAIT_STATUS=0
	while :; do
		wait "$pid"
		WAIT_STATUS=$?
		kill -0 "$pid" 2>/dev/null || return 0
		kill -CONT "$pid" 2>/dev/null
	done
}

# wait_run_started DB: polls the history every 10 ms until a run has
# recorded a case, so a throttle can start just after the corpus loaded.
wait_run_started() {
	python3 - "$1" "$TIMEOUT" <<'EOF' || fail "no run recorded a case in $1 within ${TIMEOUT}s"
import os, sqlite3, sys, time
path, timeout = sys.argv[1], float(sys.argv[2])
deadline = time.time() + timeout
while time.time() < deadline:
    try:
        if os.path.exists(path):
            db = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=0.1)
            found = db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] > 0
            db.close()
            if found:
                sys.exit(0)
    except sqlite3.Error:
        pass
    time.sleep(0.01)
sys.exit(1)
EOF
}

# run_count DB: the number of runs in the history database (0 when absent).
run_count() {
	python3 - "$1" <<'EOF'
import os, sqlite3, sys
path = sys.argv[1]
if not os.path.exists(path):
    print(0)
else:
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    print(db.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
EOF
}

# big_corpus PATH COUNT: writes COUNT cases made from the fixture's lines
# with unique ids and texts (a repeated text would be a cache hit), for
# runs long enough to watch.
big_corpus() {
	python3 - "$FIXTURE" "$1" "$2" <<'EOF'
import json, sys
source, target, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
cases = [json.loads(line) for line in open(source, encoding="utf-8") if line.strip()]
with open(target, "w", encoding="utf-8") as out:
    for i in range(count):
        case = dict(cases[i % len(cases)])
        case["id"] = "big-%06d" % i
        case["text"] = "%s (copy %d)" % (case["text"], i)
        out.write(json.dumps(case, ensure_ascii=False) + "\n")
EOF
}

# start_standin [llm_standin.py args...]: starts the stand-in LLM server
# of tests/llm_standin.py on a free port of 127.0.0.1, answering from the
# fixture's labels, and sets STANDIN_URL and STANDIN_PID.
start_standin() {
	local out="$WORK/standin-$$-$RANDOM"
	local deadline=$((SECONDS + TIMEOUT))

	python3 "$ROOT/tests/llm_standin.py" --port 0 --table "$FIXTURE" "$@" >"$out.port" \
		2>"$out.log" &
	STANDIN_PID=$!
	EXTERNAL_RUNS+=("$STANDIN_PID")
	while [ ! -s "$out.port" ] && [ $SECONDS -lt $deadline ]; do
		sleep 0.05
	done
	STANDIN_URL="http://127.0.0.1:$(head -n 1 "$out.port")"
	[ -s "$out.port" ] || fail "the stand-in LLM server did not print its port"
}

# standin_latency MS: makes the stand-in wait MS milliseconds before each
# answer from now on.
standin_latency() {
	python3 - "$STANDIN_URL" "$1" <<'EOF' || fail "cannot set the stand-in's latency"
import json, sys, urllib.request
url, latency = sys.argv[1], float(sys.argv[2])
direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
request = urllib.request.Request(url + "/_control", json.dumps({"latency_ms": latency}).encode())
direct.open(request, timeout=10).read()
EOF
}

stop_standin() {
	kill -TERM "$STANDIN_PID" 2>/dev/null
	wait "$STANDIN_PID" 2>/dev/null
}

# free_port: a port on 127.0.0.1 that nothing listens on.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- tests ---------------------------------------------------------------

test_dashboard_80x24() {
	local s=dash80 db="$WORK/dash80.db"

	start_ui $s 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "No runs in" || return 1
	expect_screen $s "Dashboard" || return 1
	expect_screen $s "F10Quit" || return 1
	send $s r
	wait_for $s "Complete: 12 cases" || return 1
	wait_for $s "Run 1 (started here)" || return 1
	expect_screen $s "Accuracy" || return 1
	for row in regex rules llm cache; do
		expect_screen $s " $row " || return 1
	done
	expect_screen $s "≤20.0µs" || return 1
	expect_screen $s "≥95%" || return 1
	expect_screen $s "≥60%" || return 1
	expect_screen $s "recurrence" || return 1
	send $s q
	expect_exit $s 0
}

test_preset_switch_reruns() {
	local s=preset db="$WORK/preset.db"

	start_ui $s 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "No runs in" || return 1
	send $s F3
	wait_for $s "1 performance" || return 1
	expect_screen $s "3 quality" || return 1
	send $s 3
	wait_for $s "quality *" || return 1
	wait_for $s "run 1: " || return 1
	expect_screen $s ", p95 " || return 1
	send $s F2
	wait_for $s "Preset quality" || return 1
	wait_for $s "Complete: 12 cases" || return 1
	expect_screen $s "regex_only 0.85" || return 1
	send $s 1
	wait_for $s "Run 2 (started here): performance" || return 1
	wait_for $s "Complete: 12 cases" || return 1
	expect_screen $s "run settings: regex_only 0.75" || return 1
	[ "$(run_count "$db")" = 2 ] || fail "expected 2 runs in the history, found $(run_count "$db")" || return 1
	send $s q
	expect_exit $s 0
}

test_thresholds_step_and_rerun() {
	local s=thresh db="$WORK/thresh.db"

	start_ui $s 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "No runs in" || return 1
	send $s F4
	wait_for $s "regex_only            0.80" || return 1
	# Quick steps then Enter: one rerun, not one per step.
	send $s + + Down - Enter
	wait_for $s "regex_only            0.90" || return 1
	expect_screen $s "deterministic_backup  0.55" || return 1
	expect_screen $s "(changed)" || return 1
	send $s F2
	wait_for $s "Complete: 12 cases" || return 1
	wait_for $s "run settings: regex_only 0.90  deterministic_backup 0.55" || return 1
	[ "$(run_count "$db")" = 1 ] ||
		fail "expected one run for quick steps and Enter, found $(run_count "$db")" || return 1
	send $s q
	expect_exit $s 0
}

test_cases_filter_search_trace() {
	local s=cases db="$WORK/cases.db"

	start_ui $s 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "No runs in" || return 1
	send $s r
	wait_for $s "Complete: 12 cases" || return 1
	send $s F6
	wait_for $s "of 12 cases of ui-small.jsonl, results of run 1" || return 1
	expect_screen $s "ui-001" || return 1
	expect_screen $s "Lunch with Sarah next Friday" || return 1
	send $s f
	wait_for $s "failures only" || return 1
	send $s f
	wait_gone $s "failures only" || return 1
	send $s /
	wait_for $s "Search:" || return 1
	type_text $s "lisbon"
	send $s Enter
	wait_for $s "search: lisbon" || return 1
	send $s Enter
	wait_for $s "Case ui-011, line 11 of ui-small.jsonl" || return 1
	expect_screen $s "Flight to Lisbon on Jan 9 at 6:15am" || return 1
	expect_screen $s "Recorded in run 1" || return 1
	expect_screen $s "2027-01-09T06:15" || return 1
	wait_for $s "Trace now, preset balanced" || return 1
	send $s G
	wait_for $s "recurrence" || return 1
	expect_screen $s "time (total" || return 1
	send $s Escape
	wait_for $s "search: lisbon" || return 1
	send $s q
	expect_exit $s 0
}

test_playground_trace() {
	local s=play db="$WORK/play.db"

	start_ui $s 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "Dashboard" || return 1
	send $s F7
	wait_for $s "Event>" || return 1
	expect_screen $s "Type an event" || return 1
	type_text $s "Lunch with Sarah next Friday at noon at Cafe Rio"
	wait_for $s "Event> Lunch with Sarah next Friday at noon at Cafe Rio" || return 1
	wait_for $s "final value" || return 1
	for row in title start end duration_min all_day location attendees recurrence; do
		expect_screen $s "$row" || return 1
	done
	expect_screen $s "time (total" || return 1
	# Keys that mean something elsewhere are text here: q must not quit.
	send $s BSpace BSpace BSpace
	type_text $s "Rome q"
	wait_for $s "at Cafe Rome q" || return 1
	expect_running $s || return 1
	send $s C-u
	wait_for $s "Type an event" || return 1
	send $s F10
	expect_exit $s 0
}

test_resize_small_and_back() {
	local s=resize db="$WORK/resize.db"

	start_ui $s 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "No runs in" || return 1
	send $s r
	wait_for $s "Complete: 12 cases" || return 1
	resize $s 40 10
	wait_for $s "Terminal too small (40x10)" || return 1
	expect_screen $s "60x15" || return 1
	expect_screen $s "run 1 complete" || return 1
	resize $s 20 5
	wait_for $s "(20x5)" || return 1
	expect_wrapped $s "q quits." || return 1
	resize $s 1 1
	sleep 0.5
	expect_running $s || return 1
	resize $s 80 24
	wait_for $s "Complete: 12 cases" || return 1
	expect_screen $s "Accuracy" || return 1
	expect_screen $s "F10Quit" || return 1
	resize $s 200 50
	wait_for $s "latency, last 1000 cases" || return 1
	expect_running $s || return 1
	send $s q
	expect_exit $s 0
}

test_dashboard_200x50() {
	local s=wide db="$WORK/wide.db"

	start_ui $s 200 50 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "No runs in" || return 1
	send $s r
	wait_for $s "Complete: 12 cases" || return 1
	expect_screen $s "Dashboard  Presets  Thresholds  History  Cases  Playground" || return 1
	expect_screen $s "balanced | run 1 complete" || return 1
	expect_screen $s "latency, last 1000 cases" || return 1
	send $s r
	wait_for $s "Run 2 (started here)" || return 1
	wait_for $s "Complete: 12 cases" || return 1
	wait_for $s "pts vs run 1" || return 1
	send $s F5
	wait_for $s "2 runs in" || return 1
	expect_screen $s "accuracy trend" || return 1
	send $s c
	wait_for $s "Run 1 (A, balanced, complete) against run 2 (B, balanced, complete)" || return 1
	expect_screen $s "Cases whose result changed: 0" || return 1
	expect_screen $s "p95 latency" || return 1
	send $s Escape
	wait_for $s "2 runs in" || return 1
	send $s /
	wait_for $s "Search:" || return 1
	type_text $s "no-such-run"
	send $s Enter
	wait_for $s 'No run matches "no-such-run"' || return 1
	send $s q
	expect_exit $s 0
}

test_help_screen() {
	local s=help db="$WORK/help.db"

	start_ui $s 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "Dashboard" || return 1
	send $s '?'
	wait_for $s "Help (Esc, q or ? closes" || return 1
	expect_screen $s "Dashboard view" || return 1
	expect_screen $s "Everywhere" || return 1
	expect_screen $s "Show this help" || return 1
	send $s G
	wait_for $s "Typing text" || return 1
	send $s Escape
	wait_gone $s "Help (Esc" || return 1
	send $s F6 F1
	wait_for $s "Cases view" || return 1
	expect_screen $s "Show only failing cases" || return 1
	send $s q
	wait_gone $s "Help (Esc" || return 1
	expect_running $s || return 1
	send $s C-f
	wait_gone $s "F10Quit" || return 1
	send $s C-f
	wait_for $s "F10Quit" || return 1
	send $s q
	expect_exit $s 0
}

test_quit_asks_during_run() {
	local s=quit db="$WORK/quit.db" big="$WORK/big.jsonl" pid

	big_corpus "$big" 100000
	start_ui $s 80 24 "$db" --corpus "$big" || return 1
	wait_for $s "No runs in" 30 || return 1
	pid=$(ui_pid $s)
	[ -n "$pid" ] || fail "cannot find the pid of caltune" || return 1
	send $s r
	wait_run_started "$db" || return 1
	throttle "$pid" 0.01
	wait_for $s "Running" || return 1
	wait_for $s "cases/s  ETA" || return 1
	send $s q
	wait_for $s "Stop it and quit?" || return 1
	send $s n
	wait_gone $s "Stop it and quit?" || return 1
	expect_running $s || return 1
	expect_screen $s "Running" || return 1
	send $s q
	wait_for $s "Stop it and quit?" || return 1
	unthrottle "$pid"
	send $s y
	expect_exit $s 0 || return 1
	[ "$(run_count "$db")" = 1 ] || fail "expected the stopped run in the history" || return 1

	# The stopped run reads back as stopped, not as complete.
	start_ui $s-after 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s-after "Stopped on request" || return 1
	send $s-after F5
	wait_for $s-after "stopped" || return 1
	send $s-after q
	expect_exit $s-after 0
}

test_signals_restore_terminal() {
	local s=signal db="$WORK/signal.db" pid

	start_ui $s 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "F10Quit" || return 1
	send $s C-c
	expect_exit $s 0 || return 1
	wait_gone $s "F10Quit" || return 1

	start_ui $s-term 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s-term "F10Quit" || return 1
	pid=$(ui_pid $s-term)
	[ -n "$pid" ] || fail "cannot find the pid of caltune" || return 1
	kill -TERM "$pid"
	expect_exit $s-term 0 || return 1
	wait_gone $s-term "F10Quit"
}

test_readonly_writes_nothing() {
	local s=ro db="$WORK/ro.db" before after

	start_ui ro-setup 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for ro-setup "No runs in" || return 1
	send ro-setup r
	wait_for ro-setup "Complete: 12 cases" || return 1
	send ro-setup q
	expect_exit ro-setup 0 || return 1
	before=$(sha256sum "$db" | cut -d' ' -f1)

	start_ui $s 80 24 "$db" --corpus "$FIXTURE" --readonly || return 1
	wait_for $s "read-only" || return 1
	wait_for $s "Run 1 (newest)" || return 1
	# Reading creates no file, not even SQLite's WAL files.
	[ ! -e "$db-wal" ] && [ ! -e "$db-shm" ] ||
		fail "read-only mode created $(ls "$db"-*)" || return 1
	send $s r
	wait_for $s "Read-only mode (--readonly): reruns are off" || return 1
	send $s 3
	wait_for $s "Preset quality applies to the Playground only" || return 1
	send $s F4 +
	wait_for $s "applies to the Playground only" || return 1
	sleep 1.2
	send $s q
	expect_exit $s 0 || return 1
	after=$(sha256sum "$db" | cut -d' ' -f1)
	[ "$before" = "$after" ] || fail "the history database changed in read-only mode" || return 1
	[ "$(run_count "$db")" = 1 ] || fail "read-only mode added a run" || return 1
}

test_bad_corpus_and_history() {
	local s=bad db="$WORK/not-a-db.db"

	# A folder passes a readability check but is no corpus file.
	mkdir -p "$WORK/corpus-folder.jsonl"
	printf 'this is not an SQLite database\n' >"$db"
	start_ui $s 80 24 "$db" --corpus "$WORK/corpus-folder.jsonl" || return 1
	wait_for $s "Corpus not loaded" || return 1
	# Both errors show whole, up to what to do about them.
	wait_for $s "History not open: " || return 1
	expect_wrapped $s "move it away or pass --db with another path" || return 1
	expect_wrapped $s "pass --corpus with a file such as corpora/events.jsonl" || return 1
	send $s F6
	wait_for $s "No cases" || return 1
	send $s r
	wait_for $s "Rerun failed" || return 1
	expect_running $s || return 1
	send $s q
	expect_exit $s 0
}

test_corpus_bad_lines() {
	local s=badlines db="$WORK/badlines.db"

	start_ui $s 80 24 "$db" --corpus "$ROOT/tests/data/ui-bad-lines.jsonl" || return 1
	wait_for $s "Corpus: 2 bad lines skipped, first: ui-bad-lines.jsonl:2:" || return 1
	send $s F6
	wait_for $s "2 of 2 cases of ui-bad-lines.jsonl" || return 1
	expect_screen $s "bad-004" || return 1
	reject_screen $s "bad-003" || return 1
	send $s r
	wait_for $s "Run 1 finished: 2 cases" || return 1
	send $s q
	expect_exit $s 0
}

test_no_color() {
	local s=colour db="$WORK/colour.db"

	start_ui $s 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "No runs in" || return 1
	send $s r
	wait_for $s "Complete: 12 cases" || return 1
	tmux_cmd capture-pane -e -p -t $s | grep -qE $'\e\\[3[0-7]m' ||
		fail "no colour escape sequences on a colour screen" || return 1
	send $s q
	expect_exit $s 0 || return 1

	start_ui $s-off 80 24 "$db" --corpus "$FIXTURE" --no-color || return 1
	wait_for $s-off "Run 1 (newest)" || return 1
	! tmux_cmd capture-pane -e -p -t $s-off | grep -qE $'\e\\[(3|4)[0-7]m' ||
		fail "colour escape sequences with --no-color" || return 1
	send $s-off q
	expect_exit $s-off 0 || return 1

	UI_EXTRA_ENV="NO_COLOR=1"
	start_ui $s-env 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s-env "Run 1 (newest)" || return 1
	! tmux_cmd capture-pane -e -p -t $s-env | grep -qE $'\e\\[(3|4)[0-7]m' ||
		fail "colour escape sequences with NO_COLOR=1" || return 1
	send $s-env q
	expect_exit $s-env 0
}

test_follows_external_run() {
	local s=follow db="$WORK/follow.db" big="$WORK/follow.jsonl" pid

	big_corpus "$big" 100000
	start_ui $s 80 24 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "No runs in" || return 1

	# `caltune run` in the background, as from another terminal, slowed
	# down once its first cases are in. (It runs outside tmux because tmux
	# resumes a pane's stopped process.)
	CALTUNE_DB="$db" "$CALTUNE" run --corpus "$big" --db "$db" >"$WORK/follow-run.out" 2>&1 &
	pid=$!
	EXTERNAL_RUNS+=("$pid")
	wait_run_started "$db" || return 1
	throttle "$pid"
	wait_for $s "Run 1 (newest)" || return 1
	wait_for $s "Running" || return 1
	wait_for $s "cases/s  ETA" || return 1
	send $s F5
	wait_for $s "running" || return 1
	unthrottle "$pid"
	wait_exit "$pid"
	[ "$WAIT_STATUS" = 0 ] ||
		fail "caltune run exited with $WAIT_STATUS: $(cat "$WORK/follow-run.out")" || return 1
	send $s F2
	wait_for $s "Complete: 100000 cases" 60 || return 1
	send $s F10
	expect_exit $s 0
}

# After a rerun started in the UI, a newer run from another terminal is
# pointed out, and f follows it.
test_own_run_points_to_newer() {
	local s=ownrun db="$WORK/ownrun.db"

	start_ui $s 120 30 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "No runs in" || return 1
	send $s r
	wait_for $s "Run 1 (started here)" || return 1
	wait_for $s "Complete: 12 cases" || return 1
	"$CALTUNE" run --corpus "$FIXTURE" --db "$db" --set llm.backend=off >/dev/null 2>&1 ||
		fail "caltune run failed" || return 1
	wait_for $s "a newer run exists, f follows the newest" || return 1
	send $s f
	wait_for $s "Run 2 (newest)" || return 1
	send $s q
	expect_exit $s 0
}

# Every field goes to the LLM: no lower-tier answer reaches its threshold.
LLM_EVERY_FIELD=(--set thresholds.regex_only=1 --set thresholds.deterministic_backup=1)

test_llm_record_and_replay() {
	local s=llm db="$WORK/llm.db"

	start_standin --latency-ms 600 || return 1
	start_ui $s 120 30 "$db" --corpus "$FIXTURE" --set llm.backend=ollama \
		--set "llm.url=$STANDIN_URL" "${LLM_EVERY_FIELD[@]}" || return 1
	wait_for $s "No runs in" || return 1
	send $s r
	wait_for $s "Complete: 12 cases" 30 || return 1
	wait_for $s "up, 0 in flight, 0 retries" || return 1
	expect_screen $s "≤2.00s" || return 1
	expect_screen $s "≥90%" || return 1

	# The Playground shows the lower tiers at once and the LLM's answer
	# when it comes. Typing while a 2.5 s answer is on its way (below the
	# balanced preset's 3 s timeout) echoes well before the answer, and the
	# old text's answer is dropped.
	standin_latency 2500 || return 1
	send $s F7
	wait_for $s "Event>" || return 1
	type_text $s "Dentist appointment tomorrow"
	wait_for $s "waiting for the answer of llama3.2:3b" || return 1
	expect_screen $s "llm answer pending" || return 1
	sleep 0.8
	type_text $s " at 3pm"
	wait_for $s "Event> Dentist appointment tomorrow at 3pm" 2 || return 1
	expect_screen $s "llm answer pending" || return 1
	wait_for $s "llm ok: " 15 || return 1
	expect_screen $s "1 attempt" || return 1
	expect_screen $s "tokens" || return 1
	expect_screen $s "Event> Dentist appointment tomorrow at 3pm" || return 1
	send $s F10
	expect_exit $s 0 || return 1
	stop_standin

	# Replay answers from the history with no server at all.
	start_ui $s-replay 120 30 "$db" --corpus "$FIXTURE" --set llm.backend=replay \
		--set "llm.url=http://127.0.0.1:$(free_port)" "${LLM_EVERY_FIELD[@]}" || return 1
	wait_for $s-replay "Run 1 (newest)" || return 1
	send $s-replay F6
	wait_for $s-replay "of 12 cases" || return 1
	send $s-replay /
	type_text $s-replay "dentist"
	send $s-replay Enter
	wait_for $s-replay "search: dentist" || return 1
	send $s-replay Enter
	wait_for $s-replay "Recorded llm call: ok, 1 attempt" || return 1
	wait_for $s-replay "Trace now, preset balanced" || return 1
	send $s-replay G
	wait_for $s-replay "llm replayed: " || return 1
	send $s-replay Escape F2 r
	wait_for $s-replay "Run 2 (started here)" || return 1
	wait_for $s-replay "Complete: 12 cases" 30 || return 1
	wait_for $s-replay "replay, 12 replayed" || return 1
	send $s-replay q
	expect_exit $s-replay 0
}

test_llm_down_dashboard() {
	local s=llmdown db="$WORK/llmdown.db"

	start_ui $s 200 40 "$db" --corpus "$FIXTURE" --set llm.backend=ollama \
		--set "llm.url=http://127.0.0.1:$(free_port)" "${LLM_EVERY_FIELD[@]}" || return 1
	wait_for $s "No runs in" || return 1
	send $s r
	wait_for $s "Complete: 12 cases" || return 1
	wait_for $s "down, 0 in flight" || return 1
	expect_screen $s "12 unreachable" || return 1
	expect_screen $s "0.0% ≥90% miss" || return 1
	# The latency of refused connections gets no verdict.
	reject_screen $s "≤2.00s ok" || return 1
	send $s F7
	wait_for $s "Event>" || return 1
	type_text $s "Dentist appointment tomorrow at 3pm"
	wait_for $s "llm down: " || return 1
	expect_screen $s "lost title" || return 1
	send $s q
	expect_running $s || return 1
	send $s F10
	expect_exit $s 0
}

# The Dashboard's hit rates and p95 are the figures run --json prints, over
# every case of a run longer than the sparklines' 1000.
test_dashboard_matches_run_json() {
	local s=figures db="$WORK/figures.db" corpus="$WORK/figures.jsonl" expected

	big_corpus "$corpus" 1500
	"$CALTUNE" run --json --corpus "$corpus" --db "$db" --set llm.backend=off \
		>"$WORK/figures.json" 2>"$WORK/figures.err" ||
		fail "caltune run failed: $(cat "$WORK/figures.err")" || return 1
	expected=$(python3 - "$WORK/figures.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
def latency(us):
    if us < 1: return "%.0fns" % (us * 1000)
    if us < 100: return "%.1f\u00b5s" % us
    if us < 1000: return "%.0f\u00b5s" % us
    return "%.1fms" % (us / 1000)
cases = doc["cases"]
for tier in ["regex", "rules"]:
    print("%s +%d +%.1f%%" % (tier, doc["tiers"][tier]["calls"],
                              100.0 * doc["tiers"][tier]["answered"] / cases))
print("parse p50 %s  p95 %s" % (latency(doc["parse"]["p50_us"]), latency(doc["parse"]["p95_us"])))
EOF
) || return 1
	start_ui $s 120 30 "$db" --corpus "$corpus" --readonly || return 1
	wait_for $s "Complete: 1500 cases" || return 1
	wait_gone $s "figures below are partial" || return 1
	wait_for_regex $s "$(sed -n 1p <<<"$expected")" || return 1
	wait_for_regex $s "$(sed -n 2p <<<"$expected")" || return 1
	wait_for $s "$(sed -n 3p <<<"$expected")" || return 1
	send $s q
	expect_exit $s 0
}

# Numbers are shortened whole, never cut, and a cut text ends in "…".
test_narrow_values_not_cut() {
	local s=narrow db="$WORK/narrow.db"

	"$CALTUNE" run --corpus "$FIXTURE" --db "$db" --set llm.backend=off >/dev/null 2>&1 ||
		fail "caltune run failed" || return 1
	python3 - "$db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE runs SET cases_done = 300000, cases_total = 300000")
db.commit()
EOF
	start_ui $s 80 24 "$db" --corpus "$FIXTURE" --readonly || return 1
	wait_for $s "Run 1 (newest)" || return 1
	expect_screen $s "deterministic_backup 0.60" || return 1
	reject_screen $s "llm_enhancement 0." || return 1
	send $s F5
	wait_for $s "300k/300k" || return 1
	reject_screen $s "300000/30000" || return 1
	expect_screen $s "ui-smal…" || return 1
	send $s q
	expect_exit $s 0 || return 1

	start_ui $s-wide 200 30 "$db" --corpus "$FIXTURE" --readonly || return 1
	wait_for $s-wide "Run 1 (newest)" || return 1
	send $s-wide F5
	wait_for $s-wide "300k/300k" || return 1
	expect_screen $s-wide "ui-small.jsonl" || return 1
	send $s-wide q
	expect_exit $s-wide 0
}

# Keys on the comparison stay there: nothing reaches the list under it.
test_compare_keeps_its_keys() {
	local s=cmpkeys db="$WORK/cmpkeys.db" i

	for i in 1 2 3 4; do
		"$CALTUNE" run --corpus "$FIXTURE" --db "$db" --set llm.backend=off >/dev/null 2>&1 ||
			fail "caltune run $i failed" || return 1
	done
	start_ui $s 100 30 "$db" --corpus "$FIXTURE" --readonly || return 1
	wait_for $s "Run 4 (newest)" || return 1
	send $s F5
	wait_for $s "4 runs in" || return 1
	send $s Space G Space c
	wait_for $s "against run 4 (B" || return 1
	send $s Down Down Enter Space c f
	sleep 0.5
	expect_screen $s "Cases whose result changed" || return 1
	reject_screen $s "picked in History" || return 1
	send $s Escape
	wait_for $s "4 runs in" || return 1
	send $s F2
	wait_for $s "Run 4 (newest)" || return 1
	send $s q
	expect_exit $s 0
}

# The hints name keys that do what the hint tells in the view at hand.
test_hints_match_keys() {
	local s=hints db="$WORK/hints.db"

	"$CALTUNE" run --corpus "$FIXTURE" --db "$db" --set llm.backend=off >/dev/null 2>&1 ||
		fail "caltune run failed" || return 1
	start_ui $s 100 30 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "Run 1 (newest)" || return 1
	expect_screen $s " ? help  Tab next view  r rerun  q quit" || return 1
	send $s F7
	wait_for $s "Event>" || return 1
	wait_for $s " F1 help  Tab next view  Esc back  F8 rerun  F10 quit" || return 1
	reject_screen $s "? help" || return 1
	send $s F5
	wait_for $s "1 run in" || return 1
	send $s Enter
	wait_for $s "f on the Dashboard or in History follows the newest run" || return 1
	send $s F6
	wait_for $s "results of run 1" || return 1
	send $s q
	expect_exit $s 0
}

# A followed run of another corpus file is listed from its own rows, under
# a note that names both files.
test_cases_run_of_other_corpus() {
	local s=othercorpus db="$WORK/othercorpus.db" other="$WORK/other.jsonl"

	big_corpus "$other" 30
	start_ui $s 100 30 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "No runs in" || return 1
	"$CALTUNE" run --corpus "$other" --db "$db" --set llm.backend=off >/dev/null 2>&1 ||
		fail "caltune run failed" || return 1
	wait_for $s "Run 1 (newest)" || return 1
	send $s F6
	wait_for $s "30 cases of run 1, which scored other.jsonl, not the loaded ui-small.jsonl" ||
		return 1
	expect_screen $s "big-000000" || return 1
	send $s q
	expect_exit $s 0
}

# The Presets view measures each preset by its own runs: a run with other
# thresholds or on another corpus does not stand for the preset.
test_presets_skip_custom_runs() {
	local s=presetruns db="$WORK/presetruns.db" other="$WORK/presetruns-other.jsonl"

	big_corpus "$other" 5
	"$CALTUNE" run --corpus "$FIXTURE" --db "$db" --set llm.backend=off >/dev/null 2>&1 &&
		"$CALTUNE" run --corpus "$FIXTURE" --db "$db" --set llm.backend=off \
			--set thresholds.regex_only=0.95 >/dev/null 2>&1 &&
		"$CALTUNE" run --corpus "$other" --db "$db" --set llm.backend=off >/dev/null 2>&1 ||
		fail "caltune run failed" || return 1
	start_ui $s 100 30 "$db" --corpus "$FIXTURE" || return 1
	wait_for $s "Run 3" || return 1
	send $s F3
	wait_for $s "2 balanced" || return 1
	wait_for $s "run 1: " || return 1
	reject_screen $s "run 2: " || return 1
	reject_screen $s "run 3: " || return 1
	send $s q
	expect_exit $s 0
}

# A damaged database shows its error, never an empty history.
test_damaged_history_shown() {
	local s=damaged db="$WORK/damaged.db"

	"$CALTUNE" run --corpus "$FIXTURE" --db "$db" --set llm.backend=off >/dev/null 2>&1 ||
		fail "caltune run failed" || return 1
	python3 - "$db" <<'EOF'
import sys
path = sys.argv[1]
data = open(path, "rb").read()
open(path, "wb").write(data[:100] + b"\xff" * (len(data) - 100))
EOF
	start_ui $s 100 30 "$db" --corpus "$FIXTURE" --readonly || return 1
	wait_for $s "History not open: " || return 1
	send $s F5
	wait_for $s "History not open: " || return 1
	expect_wrapped $s "move it away or pass --db with another path" || return 1
	reject_screen $s "No runs yet" || return 1
	reject_screen $s "History: " || return 1
	send $s q
	expect_exit $s 0
}

# A large corpus loads under a notice, not on a blank screen.
test_loading_notice() {
	local s=loading db="$WORK/loading.db" big="$WORK/loading.jsonl" pid=""

	big_corpus "$big" 60000
	start_ui $s 80 24 "$db" --corpus "$big" || return 1
	while [ -z "$pid" ]; do
		pid=$(ui_pid $s)
	done
	throttle "$pid"
	wait_for $s "loading corpus $big" || return 1
	unthrottle "$pid"
	wait_for $s "No runs in" 30 || return 1
	send $s q
	expect_exit $s 0
}

# --- runner --------------------------------------------------------------

ALL_TESTS=(
	test_dashboard_80x24
	test_dashboard_200x50
	test_preset_switch_reruns
	test_thresholds_step_and_rerun
	test_cases_filter_search_trace
	test_playground_trace
	test_resize_small_and_back
	test_help_screen
	test_quit_asks_during_run
	test_signals_restore_terminal
	test_readonly_writes_nothing
	test_bad_corpus_and_history
	test_corpus_bad_lines
	test_no_color
	test_follows_external_run
	test_own_run_points_to_newer
	test_llm_record_and_replay
	test_llm_down_dashboard
	test_dashboard_matches_run_json
	test_narrow_values_not_cut
	test_compare_keeps_its_keys
	test_hints_match_keys
	test_cases_run_of_other_corpus
	test_presets_skip_custom_runs
	test_damaged_history_shown
	test_loading_notice
)

if [ $# -gt 0 ]; then
	TESTS=("$@")
else
	TESTS=("${ALL_TESTS[@]}")
fi

passed=0
failed=0
started=$SECONDS
for t in "${TESTS[@]}"; do
	CURRENT_TEST=$t
	LAST_SESSION=""
	if "$t"; then
		echo "ok   $t"
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "ui tests: $passed passed, $failed failed in $((SECONDS - started))s"
[ "$failed" -eq 0 ]
