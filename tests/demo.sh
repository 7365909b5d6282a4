#!/usr/bin/env bash
# The terminal UI against a stand-in LLM server, for demoing the cascade
# with all three tiers and no model installed. Usage (from `make demo`):
#   bash tests/demo.sh /abs/path/caltune [more caltune options]
#
# Starts tests/llm_standin.py on a free port of 127.0.0.1, answering from
# the corpus's own labels after 300 ms. Opens the UI with the quality
# preset, whose higher thresholds send the fields tiers 1 and 2 are unsure
# of to the LLM. Stops the server when the UI exits. Runs go to a history
# database of their own unless DEMO_DB names one.
#
# Environment: CORPUS (default corpora/events.jsonl), DEMO_LATENCY_MS
# (default 300), DEMO_DB (default: a temporary file removed on exit).
set -euo pipefail

caltune=${1:?usage: tests/demo.sh CALTUNE [caltune options]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$root/corpora/events.jsonl}
latency=${DEMO_LATENCY_MS:-300}
work=$(mktemp -d)
db=${DEMO_DB:-$work/history.db}
server=

stop_server() {
	if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
		kill -TERM "$server"
		wait "$server" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

python3 "$root/tests/llm_standin.py" --table "$corpus" --latency-ms "$latency" \
	>"$work/port" 2>"$work/standin.log" &
server=$!

# The server prints its port on its first line once it listens.
port=
for _ in $(seq 100); do
	port=$(head -n 1 "$work/port" 2>/dev/null || true)
	[ -n "$port" ] && break
	if ! kill -0 "$server" 2>/dev/null; then
		echo "demo: the stand-in LLM server failed to start:" >&2
		cat "$work/standin.log" >&2
		exit 1
	fi
	sleep 0.1
done
if [ -z "$port" ]; then
	echo "demo: the stand-in LLM server printed no port within 10 s" >&2
	exit 1
fi

echo "demo: stand-in LLM server on http://127.0.0.1:$port (${latency} ms per answer)"
"$caltune" --corpus "$corpus" --db "$db" --preset quality --jobs 8 \
	--set llm.backend=ollama --set "llm.url=http://127.0.0.1:$port" \
	--set llm.concurrency=8 "$@"
