#!/usr/bin/env bash
# The LLM tier's benchmarks behind the "LLM tier" section of BENCHMARKS.md.
# Usage (from `make bench-llm`):
#   bash bench/llm_bench.sh /abs/path/caltune
#
# With tests/llm_standin.py answering every request after 300 ms, runs the
# first 400 cases of corpora/events.jsonl in --mode llm with
# llm.concurrency=8, then the same run against a port nothing listens on,
# then the same run with llm.backend=replay from the recording of the first,
# with the server stopped. Each is repeated BENCH_ROUNDS times (default 5)
# and reported as the median wall time, measured around the whole command.
# The stand-in's counters give the most requests it saw at once.
#
# Environment: BENCH_ROUNDS, BENCH_LLM_CASES (default 400),
# BENCH_LLM_LATENCY_MS (default 300), BENCH_LLM_JOBS (--jobs for every run;
# default none, so caltune starts at least llm.concurrency workers).
# Writes its report to bench/results/llm-<date>.md and prints it. Nothing
# here leaves 127.0.0.1.
set -euo pipefail

caltune=${1:?usage: bench/llm_bench.sh CALTUNE}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/bench/results"
out="$root/bench/results/llm-$(date +%Y%m%d-%H%M%S).md"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$caltune" "$root" "$work" <<'PY' | tee "$out"
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

caltune, root, work = sys.argv[1:4]
rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
cases = int(os.environ.get("BENCH_LLM_CASES", "400"))
latency_ms = float(os.environ.get("BENCH_LLM_LATENCY_MS", "300"))
jobs = os.environ.get("BENCH_LLM_JOBS", "")
jobs_option = ["--jobs", jobs] if jobs else []
concurrency = 8
ideal_s = cases * latency_ms / 1000.0 / concurrency
direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))

events = os.path.join(root, "corpora", "events.jsonl")
corpus = os.path.join(work, "events%d.jsonl" % cases)
with open(events, encoding="utf-8") as f, open(corpus, "w", encoding="utf-8") as target:
    lines = [line for line in f if line.strip()][:cases]
    target.writelines(lines)
env = dict(os.environ, no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def standin_call(url, path, doc=None):
    data = json.dumps(doc).encode() if doc is not None else None
    with direct.open(urllib.request.Request(url + path, data=data), timeout=10) as r:
        return json.loads(r.read())


def run(name, settings, db):
    """Run caltune once. Returns (wall seconds, summary, predictions by id)."""
    predictions = os.path.join(work, name + ".jsonl")
    command = [caltune, "run", "--corpus", corpus, "--mode", "llm", *jobs_option,
               "--db", db, "--json", "--predictions", predictions]
    for key, value in settings.items():
        command += ["--set", "%s=%s" % (key, value)]
    start = time.monotonic()
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit("caltune run failed (%d): %s" % (proc.returncode, proc.stderr[-2000:]))
    with open(predictions, encoding="utf-8") as f:
        by_id = {p["id"]: p for p in map(json.loads, f)}
    return wall, json.loads(proc.stdout), by_id


def shown(command_settings):
    parts = ["caltune run --corpus events%d.jsonl --mode llm" % cases] + jobs_option
    parts += ["--db history.db --json"]
    parts += ["--set %s=%s" % kv for kv in command_settings.items()]
    return " ".join(parts)


def same_results(a, b):
    """Case ids whose event or tiers differ between two prediction sets."""
    return sorted(i for i in set(a) | set(b)
                  if i not in a or i not in b or a[i]["event"] != b[i]["event"]
                  or a[i]["tiers"] != b[i]["tiers"])


standin_log = open(os.path.join(work, "standin.log"), "w")
standin = subprocess.Popen([sys.executable, os.path.join(root, "tests", "llm_standin.py"),
                            "--table", events, "--latency-ms", str(latency_ms)],
                           stdout=subprocess.PIPE, stderr=standin_log, text=True)
url = "http://127.0.0.1:%s" % standin.stdout.readline().strip()
version = subprocess.run([caltune, "--version"], capture_output=True, text=True).stdout.strip()

print("# caltune LLM tier benchmark %s" % time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
print()
with open("/proc/cpuinfo") as f:
    model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
print("Machine: %d cores, %s; %s. Stand-in: tests/llm_standin.py, %g ms per answer; "
      "%d cases, llm.concurrency=%d, %d rounds, medians. Ideal: %d x %g s / %d = %.1f s."
      % (os.cpu_count(), model, version, latency_ms, cases, concurrency, rounds, cases,
         latency_ms / 1000, concurrency, ideal_s))

live = {"llm.backend": "ollama", "llm.url": url, "llm.concurrency": concurrency}
walls, peaks, connections = [], [], []
for r in range(rounds):
    standin_call(url, "/_control", {"reset": True})
    db = os.path.join(work, "live-r%d.db" % r)
    wall, summary, by_id = run("live-r%d" % r, live, db)
    stats = standin_call(url, "/_stats")
    llm = summary["tiers"]["llm"]
    if llm["failures"] or stats["requests"] != cases or stats["unknown_texts"]:
        sys.exit("live run: %d LLM failures, %d requests, %d unknown texts"
                 % (llm["failures"], stats["requests"], stats["unknown_texts"]))
    walls.append(wall)
    peaks.append(stats["max_concurrent"])
    connections.append(stats["connections"])
    recorded = (db, by_id, summary)
median = statistics.median(walls)
print()
print("## Live: the stand-in answering")
print()
print("```")
print("$ " + shown({"llm.backend": "ollama", "llm.url": "http://127.0.0.1:PORT",
                    "llm.concurrency": concurrency}))
print("accuracy %.4f, LLM calls %d, failures %d" % (summary["accuracy"]["overall"],
                                                    llm["calls"], llm["failures"]))
print("wall seconds per run: " + " ".join("%.2f" % w for w in walls))
print("median wall %.2f s = %.2fx the ideal %.1f s (target <= 1.2x, %.1f s): %s"
      % (median, median / ideal_s, ideal_s, ideal_s * 1.2,
         "met" if median <= ideal_s * 1.2 else "missed"))
print("stand-in max requests at once per run: " + " ".join(map(str, peaks)))
print("stand-in connections used per run: " + " ".join(map(str, connections)))
print("```")

standin.terminate()
standin.wait(timeout=10)
standin_log.close()

dead = {"llm.backend": "ollama", "llm.url": "http://127.0.0.1:%d" % free_port(),
        "llm.concurrency": concurrency}
walls = []
for r in range(rounds):
    wall, summary, by_id = run("dead-r%d" % r, dead, os.path.join(work, "dead-r%d.db" % r))
    lower = all("llm" not in p["tiers"].values() for p in by_id.values())
    if not lower or summary["tiers"]["llm"]["failures"] != cases:
        sys.exit("dead-port run: a case was not answered by the lower tiers")
    walls.append(wall)
print()
print("## No server: a port nothing listens on")
print()
print("```")
print("$ " + shown({"llm.backend": "ollama", "llm.url": "http://127.0.0.1:DEAD_PORT",
                    "llm.concurrency": concurrency}))
print("accuracy %.4f, LLM calls %d, failures %d, every case answered by tiers 1 and 2"
      % (summary["accuracy"]["overall"], summary["tiers"]["llm"]["calls"],
         summary["tiers"]["llm"]["failures"]))
print("wall seconds per run: " + " ".join("%.2f" % w for w in walls))
print("median wall %.2f s (target < 10 s): %s" % (statistics.median(walls),
      "met" if statistics.median(walls) < 10 else "missed"))
print("```")

db, live_results, live_summary = recorded
walls = []
for r in range(rounds):
    replay = {"llm.backend": "replay", "llm.url": dead["llm.url"], "llm.concurrency": concurrency}
    wall, summary, by_id = run("replay-r%d" % r, replay, db)
    differing = same_results(live_results, by_id)
    if differing or summary["accuracy"] != live_summary["accuracy"]:
        sys.exit("replay differs from the recorded run on %d cases: %s"
                 % (len(differing), ", ".join(differing[:10])))
    walls.append(wall)
print()
print("## Replay: llm.backend=replay from the last recorded run, server stopped")
print()
print("```")
print("$ " + shown({"llm.backend": "replay", "llm.concurrency": concurrency}))
print("accuracy %.4f, LLM calls %d, failures %d; events and tiers of all %d cases identical "
      "to the recorded run" % (summary["accuracy"]["overall"],
                               summary["tiers"]["llm"]["calls"],
                               summary["tiers"]["llm"]["failures"], cases))
print("wall seconds per run: " + " ".join("%.2f" % w for w in walls))
print("median wall %.2f s (replay waits each recorded latency)" % statistics.median(walls))
print("```")
PY
echo "written to $out"
