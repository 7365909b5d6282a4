#!/usr/bin/env bash
# The benchmarks behind BENCHMARKS.md. Usage (from `make bench`):
#   bash bench/run.sh /abs/path/caltune /abs/path/tier_bench
# Writes everything it measures to bench/results/<date>.md and prints it.
# Peers (chrono-node, Recognizers-Text) are measured only when
# `npm install` has been run in bench/peers, and caltune's Duckling backend
# only when a Duckling server answers at $DUCKLING_URL (default
# http://localhost:8000/parse); nothing here needs the internet. The LLM
# tier is off so a local model server cannot change the figures.
set -euo pipefail

caltune=${1:?usage: bench/run.sh CALTUNE TIER_BENCH}
tier_bench=${2:?usage: bench/run.sh CALTUNE TIER_BENCH}
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${CALTUNE_SHARED:-$root/../shared}
rounds=${BENCH_ROUNDS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$root/bench/results"
out="$root/bench/results/$(date +%Y%m%d-%H%M%S).md"

corpora=("$root/corpora/events.jsonl")
for extra in "$shared/cases/bugreport-cases.jsonl" "$shared/external/recognizers-datetime.jsonl" \
	"$shared/external/slurp-calendar-devel.jsonl"; do
	[ -f "$extra" ] && corpora+=("$extra")
done

{
	echo "# caltune benchmark run $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo
	echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
		"$(free -g | awk '/Mem:/ {print $2}') GiB; $("$caltune" --version)"
	echo
	echo "## Per-tier latency ($rounds rounds, medians)"
	echo
	for corpus in "${corpora[@]}"; do
		echo '```'
		echo "\$ tier_bench $(basename "$corpus") $rounds"
		"$tier_bench" "$corpus" "$rounds" | tee "$work/tiers.txt"
		echo '```'
		# The whole cascade's per-text times, for the side-by-side table.
		awk -v name="$(basename "$corpus")" '$1 == "hybrid" { print name, $3, $6 }' \
			"$work/tiers.txt" >>"$work/caltune-times.txt"
	done

	echo
	echo "## 100,000-case run recorded in the history (--jobs 2)"
	echo
	python3 - "$root/corpora/events.jsonl" "$work/big.jsonl" <<'PY'
import json, sys
source, target = sys.argv[1], sys.argv[2]
cases = [json.loads(l) for l in open(source, encoding="utf-8") if l.strip()]
with open(target, "w", encoding="utf-8") as f:
    for i in range(100000):
        c = dict(cases[i % len(cases)])
        c["id"] = f"{c['id']}-r{i // len(cases)}"
        f.write(json.dumps(c, ensure_ascii=False) + "\n")
PY
	for cache in 500 0; do
		echo "cache.l1_entries=$cache:"
		python3 - "$caltune" "$work" "$rounds" "$cache" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
caltune, work, rounds, cache = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
walls, rss = [], []
for r in range(rounds):
    db = os.path.join(work, f"bench-{cache}-{r}.db")
    cmd = [caltune, "run", "--corpus", os.path.join(work, "big.jsonl"), "--jobs", "2",
           "--db", db, "--json", "--set", f"cache.l1_entries={cache}"]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    walls.append(time.monotonic() - t0)
    if p.returncode != 0:
        sys.exit(f"run failed: {p.stderr}")
    summary = json.loads(p.stdout)
    # ru_maxrss of the largest child so far, in KiB on Linux.
    rss.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
print("```")
print("$ " + " ".join(cmd[:2] + ["--corpus", "big.jsonl"] + cmd[4:7] + ["history.db", "--json"] + cmd[9:]))
print(f"cases {summary['cases']}, accuracy {summary['accuracy']['overall']:.3f}, "
      f"cache hits {summary['cache']['hits']}/{summary['cache']['lookups']}")
print("wall seconds per run: " + " ".join(f"{w:.2f}" for w in walls))
print(f"median wall {statistics.median(walls):.2f} s, peak RSS {max(rss):.0f} MiB")
print("```")
PY
	done

	echo
	echo "## Accuracy (caltune run --json, balanced preset)"
	echo
	mkdir -p "$work/predictions"
	echo '| corpus | cases | overall | start | end | title | location | attendees | recurrence |'
	echo '|---|---:|---:|---:|---:|---:|---:|---:|---:|'
	for corpus in "${corpora[@]}"; do
		name=$(basename "$corpus" .jsonl)
		"$caltune" run --corpus "$corpus" --db "$work/accuracy.db" --json --set llm.backend=off \
			--predictions "$work/predictions/$name.predictions.jsonl" >"$work/$name.json"
		python3 - "$work/$name.json" "$name" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
f = s["accuracy"]["fields"]
cell = lambda k: f"{f[k]:.3f}" if k in f and f[k] is not None else "-"
print(f"| {sys.argv[2]} | {s['cases']} | {s['accuracy']['overall']:.3f} | " +
      " | ".join(cell(k) for k in ["start", "end", "title", "location", "attendees", "recurrence"]) + " |")
PY
	done

	# caltune with tier 2 sent to a Duckling server, when one answers.
	duckling_url=${DUCKLING_URL:-http://localhost:8000/parse}
	duckling_args=()
	if curl -s -m 2 -d 'locale=en_US&text=tomorrow+at+3pm' "$duckling_url" 2>/dev/null | grep -q '^\['; then
		mkdir -p "$work/duckling"
		for corpus in "${corpora[@]}"; do
			name=$(basename "$corpus" .jsonl)
			"$caltune" run --corpus "$corpus" --db "$work/duckling.db" --json --mode rules \
				--set llm.backend=off --set rules.backend=duckling \
				--set "duckling.url=$duckling_url" --set cache.l1_entries=0 \
				--predictions "$work/duckling/$name.predictions.jsonl" >"$work/duckling-$name.json"
			python3 - "$work/duckling-$name.json" "$(basename "$corpus")" <<'PY' >>"$work/duckling-times.txt"
import json, sys
rules = json.load(open(sys.argv[1]))["tiers"]["rules"]
print(sys.argv[2], rules["p50_us"], rules["p95_us"])
PY
		done
		duckling_args=(--duckling-predictions "$work/duckling" --duckling-times "$work/duckling-times.txt")
	else
		echo
		echo "No Duckling server answered at $duckling_url: its rows are skipped."
	fi

	if [ -d "$root/bench/peers/node_modules" ]; then
		echo
		echo "## Side by side: start/end/all_day right (cases tagged convention-conflict left out)"
		echo
		TZ=UTC node "$root/bench/peers/compare.js" --rounds "$rounds" --predictions "$work/predictions" \
			--caltune-times "$work/caltune-times.txt" "${duckling_args[@]}" "${corpora[@]}"
	else
		echo
		echo "Peers not installed (cd bench/peers && npm install): side-by-side table skipped."
	fi
} | tee "$out"
echo "written to $out"
