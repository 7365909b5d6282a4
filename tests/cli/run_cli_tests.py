#!/usr/bin/env python3
"""Command-line tests of caltune: every command, its --help, its JSON keys,
its exit codes and its handling of bad input, plus a run killed half-way.

Run with CALTUNE=/abs/path/to/build/caltune (the Makefile's cli-test target
does). Each test works in its own temporary folder with CALTUNE_DB, HOME and
the XDG folders pointing into it, and sends nothing over the network.
"""

import importlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

CALTUNE = os.environ.get("CALTUNE", "")
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(HERE), "data")
SAMPLE = os.path.join(DATA, "sample.jsonl")
MIXED = os.path.join(DATA, "mixed.jsonl")
# Two of its cases carry labels no parser can match, so a test can make a
# baseline look better than any real run by editing the baseline's rows.
REGRESS = os.path.join(DATA, "regress.jsonl")

RUN_KEYS = ["run_id", "preset", "corpus", "cases", "errors", "wall_ms", "accuracy", "tiers",
            "cache"]
FIELDS = ["title", "start", "end", "duration_min", "all_day", "location", "attendees",
          "recurrence"]
TIERS = ["regex", "rules", "llm"]
REF = "2026-12-04T10:00:00"


def write_corpus(path, count, prefix="c"):
    """Writes `count` well-formed cases, tagged by parity."""
    with open(path, "w", encoding="utf-8") as f:
        for i in range(count):
            case = {"id": "%s%06d" % (prefix, i), "text": "Dentist %d tomorrow at 3pm" % i,
                    "ref": REF, "tz": "America/New_York",
                    "expect": {"start": "2026-12-05T15:00", "end": None},
                    "tags": ["odd" if i % 2 else "even"]}
            f.write(json.dumps(case) + "\n")


class CaltuneTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="caltune-cli-")
        self.db = os.path.join(self.dir, "history.db")
        self.env = dict(os.environ)
        self.env.update({
            "CALTUNE_DB": self.db,
            "HOME": self.dir,
            "XDG_DATA_HOME": os.path.join(self.dir, "data"),
            "XDG_STATE_HOME": os.path.join(self.dir, "state"),
            "TZ": "UTC",
        })
        self.env.pop("NO_COLOR", None)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def caltune(self, *args, stdin=None, timeout=60):
        """Runs caltune; returns (exit code, stdout, stderr) as text.

        Parsing commands get --set llm.backend=off unless the test sets the
        backend itself, so an LLM server on the test machine cannot change
        their results."""
        args = [a if isinstance(a, bytes) else str(a) for a in args]
        if args and args[0] in ("parse", "run", "check") and "--help" not in args and \
                not any("llm.backend" in a for a in args if isinstance(a, str)):
            args = [args[0], "--set", "llm.backend=off"] + args[1:]
        proc = subprocess.run([CALTUNE] + args,
                              input=stdin, capture_output=True, env=self.env, timeout=timeout)
        return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
                proc.stderr.decode("utf-8", "replace"))

    def expect(self, code, *args, **kwargs):
        rc, out, err = self.caltune(*args, **kwargs)
        self.assertEqual(rc, code, "caltune %s: exit %d, stdout:\n%s\nstderr:\n%s"
                         % (" ".join(map(str, args)), rc, out[-2000:], err[-2000:]))
        return out, err

    def run_json(self, *args):
        out, _ = self.expect(0, "run", "--json", *args)
        return json.loads(out)

    def sql(self, query, *params):
        con = sqlite3.connect(self.db)
        try:
            rows = con.execute(query, params).fetchall()
            con.commit()
            return rows
        finally:
            con.close()


class GlobalTest(CaltuneTest):
    def test_version(self):
        out, _ = self.expect(0, "--version")
        self.assertRegex(out, r"^caltune \d+\.\d+\.\d+\n$")
        _, err = self.expect(2, "--version", "extra")
        self.assertIn('unexpected argument "extra" after --version', err)

    def test_help_lists_commands(self):
        out, _ = self.expect(0, "--help")
        for command in ["tui", "parse", "run", "history", "compare", "check", "llm"]:
            self.assertIn(command, out)

    def test_unknown_command(self):
        _, err = self.expect(2, "frobnicate")
        self.assertIn('unknown command "frobnicate"', err)
        self.assertIn("caltune --help", err)

    def test_help_subcommand(self):
        out, _ = self.expect(0, "help", "run")
        self.assertIn("--corpus FILE", out)

    def test_every_command_has_help(self):
        for command in ["tui", "parse", "run", "history", "compare", "check", "llm"]:
            out, _ = self.expect(0, command, "--help")
            self.assertIn("Usage: caltune %s" % command, out)
            self.assertIn("--help", out)
            out_h, _ = self.expect(0, command, "-h")
            self.assertEqual(out, out_h)

    def test_parsing_commands_list_config_keys(self):
        for command in ["parse", "run", "check", "tui"]:
            out, _ = self.expect(0, command, "--help")
            for option in ["--preset", "--config", "--set", "--mode"]:
                self.assertIn(option, out, command)
            self.assertIn("thresholds.regex_only", out, command)

    def test_unknown_option(self):
        for command in ["parse", "run", "history", "compare", "check", "tui", "llm"]:
            _, err = self.expect(2, command, "--bogus")
            self.assertIn('unknown option "--bogus"', err, command)

    def test_option_without_value(self):
        _, err = self.expect(2, "run", "--corpus")
        self.assertIn("--corpus needs a value", err)


class ParseTest(CaltuneTest):
    TEXT = "Lunch with Sarah next Friday at noon at Cafe Rio"

    def test_text_output(self):
        out, _ = self.expect(0, "parse", "--ref", REF, "--tz", "America/New_York", self.TEXT)
        self.assertIn(self.TEXT, out)
        self.assertIn("2026-12-04T10:00:00 America/New_York", out)
        for field in FIELDS:
            self.assertIn(field, out)

    def test_words_are_joined(self):
        out, _ = self.expect(0, "parse", "--ref", REF, "--json", "Lunch", "with", "Sarah")
        self.assertEqual(json.loads(out)["text"], "Lunch with Sarah")

    def test_stdin_text(self):
        out, _ = self.expect(0, "parse", "--ref", REF, "--json", "-", stdin=b"Dentist at 3pm\n")
        self.assertEqual(json.loads(out)["text"], "Dentist at 3pm")

    def test_json_keys(self):
        out, _ = self.expect(0, "parse", "--json", "--ref", REF, "--tz", "Europe/Paris",
                             "--locale", "en-GB", self.TEXT)
        doc = json.loads(out)
        for key in ["text", "ref", "tz", "event", "trace"]:
            self.assertIn(key, doc)
        self.assertEqual(doc["text"], self.TEXT)
        self.assertEqual(doc["ref"], REF)
        self.assertEqual(doc["tz"], "Europe/Paris")
        self.assertEqual(doc["locale"], "en-GB")
        self.assertEqual(sorted(doc["event"]), sorted(FIELDS))
        self.assertIsInstance(doc["trace"], list)
        self.assertTrue(doc["trace"], "the trace lists at least the first tier")
        for entry in doc["trace"]:
            for key in ["tier", "field", "answer", "confidence", "taken", "us"]:
                self.assertIn(key, entry)
            self.assertIn(entry["tier"], TIERS)
            self.assertIn(entry["field"], FIELDS)
            self.assertIsInstance(entry["taken"], bool)
        self.assertEqual({e["field"] for e in doc["trace"] if e["tier"] == "regex"}, set(FIELDS))

    def test_trace_output(self):
        out, _ = self.expect(0, "parse", "--trace", "--ref", REF, self.TEXT)
        self.assertIn("trace", out)
        self.assertIn("regex (", out)

    def test_ref_defaults_to_now_in_zone(self):
        out, _ = self.expect(0, "parse", "--json", "--tz", "Asia/Tokyo", "Dentist at 3pm")
        doc = json.loads(out)
        self.assertEqual(doc["tz"], "Asia/Tokyo")
        tokyo = time.gmtime(time.time() + 9 * 3600)
        self.assertTrue(doc["ref"].startswith(time.strftime("%Y-%m-%d", tokyo))
                        or doc["ref"] >= time.strftime("%Y-%m-%dT%H", tokyo)[:10], doc["ref"])

    def test_bad_ref(self):
        _, err = self.expect(2, "parse", "--ref", "tomorrow at 10", "Lunch")
        self.assertIn('invalid --ref "tomorrow at 10"', err)
        self.assertIn("YYYY-MM-DDTHH:MM:SS", err)

    def test_bad_tz(self):
        _, err = self.expect(2, "parse", "--tz", "Mars/Olympus_Mons", "Lunch")
        self.assertIn('unknown time zone "Mars/Olympus_Mons"', err)

    def test_bad_locale(self):
        _, err = self.expect(2, "parse", "--locale", "fr-FR", "Lunch")
        self.assertIn('invalid --locale "fr-FR"', err)

    def test_missing_text(self):
        _, err = self.expect(2, "parse", "--ref", REF)
        self.assertIn("missing TEXT", err)

    def test_empty_text(self):
        _, err = self.expect(2, "parse", "--ref", REF, "")
        self.assertIn("text is empty", err)
        _, err = self.expect(2, "parse", "--ref", REF, "   ")
        self.assertIn("text is empty", err)

    def test_64k_text(self):
        text = "a" * 65536
        _, err = self.expect(2, "parse", "--ref", REF, text)
        self.assertIn("65536 bytes", err)
        _, err = self.expect(2, "parse", "--ref", REF, "-", stdin=text.encode())
        self.assertIn("65536 bytes", err)

    def test_invalid_utf8(self):
        _, err = self.expect(2, "parse", "--ref", REF, b"caf\xe9 at noon")
        self.assertIn("not valid UTF-8", err)
        out, err = self.expect(2, "parse", "--json", "--ref", REF, b"caf\xe9 at noon")
        doc = json.loads(out)
        self.assertEqual(doc["text"], "caf\ufffd at noon")
        self.assertIn("not valid UTF-8", doc["error"])

    def test_control_characters_not_echoed(self):
        out, _ = self.expect(0, "parse", "--ref", REF, "Lunch \x1b[31m red")
        self.assertNotIn("\x1b", out)

    def test_unknown_preset(self):
        _, err = self.expect(2, "parse", "--preset", "turbo", "Lunch")
        self.assertIn('unknown preset "turbo"', err)
        self.assertIn("performance, balanced or quality", err)

    def test_presets_and_set(self):
        for preset in ["performance", "balanced", "quality"]:
            out, _ = self.expect(0, "parse", "--json", "--ref", REF, "--preset", preset, "Lunch")
            self.assertEqual(json.loads(out)["preset"], preset)
        self.expect(0, "parse", "--ref", REF, "--set", "thresholds.regex_only=0.7",
                    "--set", "cache.l1_entries=0", "Lunch")

    def test_bad_set(self):
        _, err = self.expect(2, "parse", "--set", "thresholds.nope=1", "Lunch")
        self.assertIn('unknown configuration key "thresholds.nope"', err)
        _, err = self.expect(2, "parse", "--set", "thresholds.regex_only=2", "Lunch")
        self.assertIn("thresholds.regex_only", err)
        self.assertIn("from 0 to 1", err)
        _, err = self.expect(2, "parse", "--set", "novalue", "Lunch")
        self.assertIn("KEY=VALUE", err)

    def test_config_file(self):
        path = os.path.join(self.dir, "config.json")
        with open(path, "w") as f:
            json.dump({"preset": "quality", "thresholds": {"regex_only": 0.7}}, f)
        out, _ = self.expect(0, "parse", "--json", "--ref", REF, "--config", path, "Lunch")
        self.assertEqual(json.loads(out)["preset"], "quality")
        _, err = self.expect(2, "parse", "--config", os.path.join(self.dir, "none.json"), "x")
        self.assertIn("none.json", err)
        with open(path, "w") as f:
            json.dump({"thresholds": {"regex_only": "high"}}, f)
        _, err = self.expect(2, "parse", "--config", path, "Lunch")
        self.assertIn("thresholds.regex_only", err)

    def test_mode(self):
        for mode in ["hybrid", "regex", "rules"]:
            out, _ = self.expect(0, "parse", "--json", "--ref", REF, "--mode", mode, "Lunch")
            self.assertEqual(json.loads(out)["mode"], mode)
        _, err = self.expect(2, "parse", "--mode", "psychic", "Lunch")
        self.assertIn('invalid --mode "psychic"', err)

    def test_log_file(self):
        log = os.path.join(self.dir, "logs", "parse.log")
        out, err = self.expect(0, "parse", "--log", log, "--ref", REF, "Lunch")
        self.assertEqual(err, "")
        with open(log) as f:
            self.assertIn("parse:", f.read())


class RunTest(CaltuneTest):
    def test_json_stable_keys(self):
        doc = self.run_json("--corpus", SAMPLE, "--jobs", "2")
        for key in RUN_KEYS:
            self.assertIn(key, doc)
        self.assertIsInstance(doc["run_id"], int)
        self.assertEqual(doc["preset"], "balanced")
        self.assertEqual(doc["corpus"], SAMPLE)
        self.assertEqual(doc["cases"], 22)
        self.assertEqual(doc["errors"], 0)
        self.assertIn("overall", doc["accuracy"])
        self.assertEqual(sorted(doc["accuracy"]["fields"]), sorted(FIELDS))
        for tier in TIERS:
            for key in ["calls", "answered", "p50_us", "p95_us"]:
                self.assertIn(key, doc["tiers"][tier])
        self.assertEqual(sorted(doc["cache"]), ["hits", "lookups"])
        self.assertEqual(doc["cache"]["lookups"], 22)
        self.assertIsInstance(doc["wall_ms"], (int, float))
        self.assertIn("relative-date", doc["tags"])

    def test_text_summary(self):
        out, _ = self.expect(0, "run", "--corpus", SAMPLE)
        self.assertIn("22 cases", out)
        self.assertIn("accuracy", out)
        for tier in TIERS:
            self.assertIn(tier, out)

    def test_recorded_in_history(self):
        doc = self.run_json("--corpus", SAMPLE)
        rows = self.sql("SELECT cases_done, cases_total, finished_ms > 0 FROM runs WHERE id = ?",
                        doc["run_id"])
        self.assertEqual(rows, [(22, 22, 1)])
        self.assertEqual(self.sql("SELECT count(*) FROM cases WHERE run_id = ?",
                                  doc["run_id"]), [(22,)])
        self.assertEqual(self.sql("PRAGMA journal_mode"), [("wal",)])

    def test_bad_lines_reported_rest_runs(self):
        rc, out, err = self.caltune("run", "--json", "--corpus", MIXED)
        self.assertEqual(rc, 0, err)
        doc = json.loads(out)
        self.assertEqual(doc["cases"], 3)
        self.assertEqual(doc["bad_lines"], 9)
        self.assertIn(MIXED + ":3: invalid JSON", err)
        self.assertIn(MIXED + ":6: duplicate id", err)
        self.assertIn(MIXED + ":12: the line is not valid UTF-8", err)

    def test_many_bad_lines_capped(self):
        path = os.path.join(self.dir, "noisy.jsonl")
        with open(path, "w") as f:
            f.write("junk\n" * 30)
            f.write(json.dumps({"id": "a", "text": "Lunch", "ref": REF, "expect": {}}) + "\n")
        _, err = self.expect(0, "run", "--corpus", path)
        self.assertEqual(err.count("invalid JSON"), 20)
        self.assertIn("... (10 more bad lines)", err)

    def test_predictions_file(self):
        path = os.path.join(self.dir, "predictions.jsonl")
        self.run_json("--corpus", SAMPLE, "--jobs", "3", "--predictions", path)
        with open(SAMPLE) as f:
            ids = [json.loads(line)["id"] for line in f if line.strip()]
        with open(path) as f:
            lines = [json.loads(line) for line in f]
        self.assertEqual([p["id"] for p in lines], ids)
        for p in lines:
            self.assertEqual(sorted(p["event"]), sorted(FIELDS))
            self.assertIsInstance(p["tiers"], dict)
            self.assertIsInstance(p["latency_us"], (int, float))

    def test_missing_corpus_option(self):
        _, err = self.expect(2, "run")
        self.assertIn("missing --corpus FILE", err)

    def test_unreadable_corpus(self):
        path = os.path.join(self.dir, "absent.jsonl")
        _, err = self.expect(2, "run", "--corpus", path)
        self.assertIn("cannot open corpus " + path, err)
        self.assertFalse(os.path.exists(self.db) and self.sql("SELECT count(*) FROM runs")[0][0])

    def test_no_valid_case(self):
        path = os.path.join(self.dir, "bad.jsonl")
        with open(path, "w") as f:
            f.write("{}\n[]\n")
        _, err = self.expect(2, "run", "--corpus", path)
        self.assertIn("has no valid case (2 bad lines)", err)

    def test_empty_long_and_bad_texts_are_counted(self):
        path = os.path.join(self.dir, "texts.jsonl")
        with open(path, "w") as f:
            for i, text in enumerate(["", "a" * 65536, "Lunch at noon"]):
                f.write(json.dumps({"id": "t%d" % i, "text": text, "ref": REF,
                                    "expect": {}}) + "\n")
        doc = self.run_json("--corpus", path)
        self.assertEqual(doc["cases"], 3)
        self.assertEqual(doc["errors"], 2)
        errors = self.sql("SELECT case_id, error FROM cases WHERE error IS NOT NULL ORDER BY seq")
        self.assertEqual(errors[0][0], "t0")
        self.assertIn("text is empty", errors[0][1])
        self.assertIn("65536 bytes", errors[1][1])

    def test_bad_jobs(self):
        for jobs in ["0", "-1", "many", "1000"]:
            _, err = self.expect(2, "run", "--corpus", SAMPLE, "--jobs", jobs)
            self.assertIn('invalid --jobs "%s"' % jobs, err)

    def test_unknown_preset(self):
        _, err = self.expect(2, "run", "--corpus", SAMPLE, "--preset", "turbo")
        self.assertIn('unknown preset "turbo"', err)

    def test_modes_recorded(self):
        doc = self.run_json("--corpus", SAMPLE, "--mode", "regex")
        self.assertEqual(doc["mode"], "regex")
        self.assertEqual(doc["tiers"]["rules"]["calls"], 0)
        self.assertEqual(self.sql("SELECT mode FROM runs WHERE id = ?", doc["run_id"]),
                         [("regex",)])

    def test_settings_recorded(self):
        doc = self.run_json("--corpus", SAMPLE, "--preset", "quality",
                            "--set", "thresholds.regex_only=0.7")
        settings = json.loads(self.sql("SELECT settings_json FROM runs WHERE id = ?",
                                       doc["run_id"])[0][0])
        self.assertEqual(settings["preset"], "quality")
        self.assertEqual(settings["thresholds"]["regex_only"], 0.7)
        self.assertEqual(settings["thresholds"]["deterministic_backup"], 0.7)
        self.assertEqual(settings["llm"]["model"], "llama3.1:8b")

    def test_corrupt_history_untouched(self):
        with open(self.db, "wb") as f:
            f.write(b"not a database, but somebody's notes\n")
        _, err = self.expect(2, "run", "--corpus", SAMPLE)
        self.assertIn(self.db + " is not an SQLite database", err)
        self.assertIn("--db", err)
        with open(self.db, "rb") as f:
            self.assertEqual(f.read(), b"not a database, but somebody's notes\n")

    def test_newer_schema_refused(self):
        con = sqlite3.connect(self.db)
        con.execute("CREATE TABLE runs (id INTEGER)")
        con.execute("PRAGMA user_version = 7")
        con.close()
        _, err = self.expect(2, "run", "--corpus", SAMPLE)
        self.assertIn("schema version 7, newer than", err)

    def test_unwritable_history_path(self):
        blocker = os.path.join(self.dir, "file")
        with open(blocker, "w") as f:
            f.write("x")
        path = os.path.join(blocker, "history.db")
        _, err = self.expect(2, "run", "--corpus", SAMPLE, "--db", path)
        self.assertIn(path, err)

    def test_existing_runs_survive_a_failed_run(self):
        first = self.run_json("--corpus", SAMPLE)
        self.expect(2, "run", "--corpus", os.path.join(self.dir, "absent.jsonl"))
        self.expect(2, "run", "--corpus", SAMPLE, "--preset", "turbo")
        self.assertEqual(self.sql("SELECT count(*) FROM cases WHERE run_id = ?",
                                  first["run_id"]), [(22,)])

    def test_log_records_run(self):
        log = os.path.join(self.dir, "run.log")
        doc = self.run_json("--corpus", SAMPLE, "--log", log)
        with open(log) as f:
            text = f.read()
        self.assertIn("run %d started" % doc["run_id"], text)
        self.assertIn("run %d finished" % doc["run_id"], text)


class HistoryTest(CaltuneTest):
    def test_no_database_yet(self):
        out, _ = self.expect(0, "history")
        self.assertIn("no runs recorded yet", out)
        out, _ = self.expect(0, "history", "--json")
        self.assertEqual(json.loads(out)["runs"], [])
        self.assertFalse(os.path.exists(self.db))

    def test_newest_first_with_state(self):
        ids = [self.run_json("--corpus", SAMPLE)["run_id"] for _ in range(3)]
        out, _ = self.expect(0, "history", "--json")
        runs = json.loads(out)["runs"]
        self.assertEqual([r["run_id"] for r in runs], ids[::-1])
        for r in runs:
            self.assertEqual(r["state"], "complete")
            for key in ["started", "finished", "preset", "mode", "corpus", "corpus_sha256",
                        "version", "settings", "cases_total", "cases_done", "errors",
                        "accuracy", "wall_ms", "p95_us", "pid", "host", "cancelled"]:
                self.assertIn(key, r)
            self.assertEqual(len(r["corpus_sha256"]), 64)
        out, _ = self.expect(0, "history", "--limit", "2", "--json")
        self.assertEqual(len(json.loads(out)["runs"]), 2)
        out, _ = self.expect(0, "history")
        self.assertIn("complete", out)
        self.assertIn(SAMPLE, out)

    def test_custom_thresholds_marked(self):
        self.run_json("--corpus", SAMPLE, "--set", "thresholds.regex_only=1.0")
        self.run_json("--corpus", SAMPLE)
        out, _ = self.expect(0, "history")
        self.assertRegex(out, r"\n +1 +complete .* balanced\* ")
        self.assertRegex(out, r"\n +2 +complete .* balanced ")
        self.assertIn("* thresholds other than the preset's", out)
        out, _ = self.expect(0, "history", "--json")
        runs = json.loads(out)["runs"]
        self.assertEqual([r["custom_thresholds"] for r in runs], [False, True])

    def test_bad_limit(self):
        _, err = self.expect(2, "history", "--limit", "-3")
        self.assertIn('invalid --limit "-3"', err)

    def test_corrupt_database(self):
        with open(self.db, "wb") as f:
            f.write(b"SQLite format 3\x00" + bytes(range(256)) * 32)
        _, err = self.expect(2, "history")
        self.assertIn(self.db, err)
        self.assertIn("damaged or not a database", err)

    def test_unexpected_argument(self):
        _, err = self.expect(2, "history", "12")
        self.assertIn('unexpected argument "12"', err)


class CompareTest(CaltuneTest):
    def two_runs(self):
        a = self.run_json("--corpus", SAMPLE)["run_id"]
        b = self.run_json("--corpus", SAMPLE)["run_id"]
        return a, b

    def test_identical_runs(self):
        a, b = self.two_runs()
        out, _ = self.expect(0, "compare", str(a), str(b), "--json")
        doc = json.loads(out)
        for key in ["a", "b", "fixed", "broken", "changed", "cases"]:
            self.assertIn(key, doc)
        self.assertEqual(doc["a"]["run_id"], a)
        self.assertEqual(doc["b"]["run_id"], b)
        self.assertEqual(sorted(doc["b"]["fields"]), sorted(FIELDS))
        for tier in TIERS:
            for key in ["calls", "p50_us", "p95_us"]:
                self.assertIn(key, doc["b"]["tiers"][tier])
        self.assertEqual(doc["changed"], 0)
        self.assertEqual(doc["cases"], [])

    def test_latest_references(self):
        a, b = self.two_runs()
        out, _ = self.expect(0, "compare", "latest~1", "latest", "--json")
        doc = json.loads(out)
        self.assertEqual((doc["a"]["run_id"], doc["b"]["run_id"]), (a, b))
        out, _ = self.expect(0, "compare", "latest~1", "latest")
        self.assertIn("run %d (before)" % a, out)

    def test_changed_cases_listed(self):
        a = self.run_json("--corpus", REGRESS)["run_id"]
        b = self.run_json("--corpus", REGRESS)["run_id"]
        # Make the earlier run right on one impossible case, so the later one
        # broke it, and give the other a different predicted start.
        self.sql("UPDATE cases SET all_correct = 1, start_correct = 1 "
                 "WHERE run_id = ? AND case_id = 'wrong-label-1'", a)
        self.sql("UPDATE cases SET start_value = '1998-01-01T00:00' "
                 "WHERE run_id = ? AND case_id = 'wrong-label-2'", a)
        out, _ = self.expect(0, "compare", str(a), str(b), "--json")
        doc = json.loads(out)
        self.assertEqual(doc["broken"], 1)
        self.assertEqual(doc["fixed"], 0)
        self.assertEqual(doc["changed"], 2)
        kinds = {c["id"]: c for c in doc["cases"]}
        self.assertEqual(sorted(kinds), ["wrong-label-1", "wrong-label-2"])
        self.assertEqual(kinds["wrong-label-1"]["kind"], "broken")
        self.assertEqual(kinds["wrong-label-2"]["kind"], "changed")
        self.assertEqual(kinds["wrong-label-2"]["fields"]["start"]["before"], "1998-01-01T00:00")
        self.assertGreater(doc["a"]["fields"]["start"], doc["b"]["fields"]["start"])
        out, _ = self.expect(0, "compare", str(a), str(b))
        self.assertIn("broken   wrong-label-1", out)
        out, _ = self.expect(0, "compare", str(a), str(b), "--max-cases", "1")
        self.assertIn("... (1 more)", out)
        # Swapped, the broken case reads as fixed.
        out, _ = self.expect(0, "compare", str(b), str(a), "--json")
        self.assertEqual(json.loads(out)["fixed"], 1)

    def test_bad_references(self):
        self.two_runs()
        _, err = self.expect(2, "compare", "1", "999")
        self.assertIn("no run 999", err)
        _, err = self.expect(2, "compare", "1", "yesterday")
        self.assertIn('invalid run "yesterday"', err)
        _, err = self.expect(2, "compare", "latest~5", "latest")
        self.assertIn('no complete run for "latest~5"', err)
        _, err = self.expect(2, "compare", "1")
        self.assertIn("expected two runs, got 1", err)

    def test_no_database(self):
        _, err = self.expect(2, "compare", "1", "2")
        self.assertIn("no history database at " + self.db, err)


class CheckTest(CaltuneTest):
    def check(self, code, *args):
        return self.expect(code, "check", "--corpus", SAMPLE, *args)

    def test_passes_against_itself(self):
        base = self.run_json("--corpus", SAMPLE)["run_id"]
        out, _ = self.check(0, "--baseline", "latest", "--json")
        doc = json.loads(out)
        self.assertTrue(doc["passed"])
        self.assertEqual(doc["baseline"], base)
        self.assertEqual(doc["regressions"], [])
        self.assertNotEqual(doc["run_id"], base)
        for key in RUN_KEYS:
            self.assertIn(key, doc["summary"])
        out, _ = self.check(0, "--baseline", str(base))
        self.assertIn("passed: 0 regressions", out)

    def test_accuracy_regression(self):
        base = self.run_json("--corpus", REGRESS)["run_id"]
        self.sql("UPDATE cases SET all_correct = 1, start_correct = 1 WHERE run_id = ? AND "
                 "case_id = 'wrong-label-1'", base)
        out, err = self.expect(1, "check", "--corpus", REGRESS, "--baseline", "latest")
        self.assertIn("regression: accuracy dropped from", err)
        self.assertIn("regression: accuracy.start dropped from", err)
        self.assertIn("FAILED", out)
        out, _ = self.expect(1, "check", "--corpus", REGRESS, "--baseline", str(base), "--json")
        doc = json.loads(out)
        self.assertFalse(doc["passed"])
        metrics = [r["metric"] for r in doc["regressions"]]
        self.assertIn("accuracy", metrics)
        self.assertIn("accuracy.start", metrics)
        # A looser limit accepts the drop: one case of four is 25 points.
        self.expect(0, "check", "--corpus", REGRESS, "--baseline", str(base),
                    "--max-accuracy-drop", "30", "--max-p95-increase", "1000000")

    def test_latency_regression(self):
        path = os.path.join(self.dir, "hundred.jsonl")
        write_corpus(path, 120)
        base = self.run_json("--corpus", path)["run_id"]
        self.sql("UPDATE cases SET total_ns = 1 WHERE run_id = ?", base)
        _, err = self.expect(1, "check", "--corpus", path, "--baseline", str(base),
                             "--p95-floor-us", "0")
        self.assertIn("regression: end-to-end p95 rose from 0.0 us", err)
        self.assertNotIn("p95 not checked", err)
        # While the new p95 is below the floor the rise is ignored.
        self.expect(0, "check", "--corpus", path, "--baseline", str(base),
                    "--p95-floor-us", "1000000000")

    def test_small_corpus_p95_not_checked(self):
        base = self.run_json("--corpus", SAMPLE)["run_id"]
        self.sql("UPDATE cases SET total_ns = 1 WHERE run_id = ?", base)
        out, err = self.check(0, "--baseline", str(base), "--p95-floor-us", "0", "--json")
        self.assertFalse(json.loads(out)["p95_checked"])
        self.assertIn("note: p95 not checked: baseline run %d has 22 cases" % base, err)
        self.assertIn("at least 100", err)

    def test_missing_baseline(self):
        _, err = self.check(2, "--baseline", "latest")
        self.assertIn('no complete run for "latest"', err)
        self.assertEqual(self.sql("SELECT count(*) FROM runs"), [(0,)])
        _, err = self.check(2)
        self.assertIn("missing --baseline RUN", err)

    def test_bad_limits(self):
        self.run_json("--corpus", SAMPLE)
        _, err = self.check(2, "--baseline", "latest", "--max-accuracy-drop", "lots")
        self.assertIn('invalid --max-accuracy-drop "lots"', err)
        _, err = self.check(2, "--baseline", "latest", "--max-p95-increase", "-5")
        self.assertIn('invalid --max-p95-increase "-5"', err)


def as_user(uid):
    """A preexec_fn that drops root to uid, for tests of another user's view
    of a shared history."""
    def drop():
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    return drop


ROOT = os.geteuid() == 0
OWNER_UID = 1          # daemon on Debian: the owner of a shared history
READER_UID = 65534     # nobody: another user who only reads it


class SharedHistoryTest(CaltuneTest):
    """Readers of a history never create or write a file, a database they
    cannot write is not called damaged, and bad input is refused before
    any run is recorded."""

    def run_as(self, uid, *args):
        """Runs caltune as uid (root only); returns (code, stdout, stderr)."""
        proc = subprocess.run([CALTUNE] + [str(a) for a in args], capture_output=True,
                              env=self.env, timeout=60, preexec_fn=as_user(uid), cwd="/")
        return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
                proc.stderr.decode("utf-8", "replace"))

    def shared_folder(self, mode):
        """A folder of the test with a copy of SAMPLE, others allowed in."""
        os.chmod(self.dir, 0o755)
        folder = os.path.join(self.dir, "shared")
        os.mkdir(folder)
        shutil.copy(SAMPLE, os.path.join(self.dir, "sample.jsonl"))
        os.chmod(os.path.join(self.dir, "sample.jsonl"), 0o644)
        os.chmod(folder, mode)
        return folder

    def test_readers_create_no_files(self):
        self.run_json("--corpus", SAMPLE)
        self.run_json("--corpus", SAMPLE)
        self.expect(0, "history")
        self.expect(0, "history", "--json")
        self.expect(0, "compare", "1", "2")
        self.assertEqual(sorted(f for f in os.listdir(self.dir) if f.startswith("history")),
                         ["history.db"])

    def test_reader_sees_commits_of_open_writer(self):
        self.run_json("--corpus", SAMPLE)
        writer = sqlite3.connect(self.db)
        try:
            writer.execute("PRAGMA wal_autocheckpoint = 0")
            writer.execute("UPDATE runs SET preset = 'held' WHERE id = 1")
            writer.commit()
            out, _ = self.expect(0, "history", "--json")
            self.assertEqual(json.loads(out)["runs"][0]["preset"], "held")
        finally:
            writer.close()

    @unittest.skipUnless(ROOT, "needs root to act as two users")
    def test_other_user_reading_leaves_owner_able_to_record(self):
        folder = self.shared_folder(0o1777)
        db = os.path.join(folder, "h.db")
        corpus = os.path.join(self.dir, "sample.jsonl")
        code, _, err = self.run_as(OWNER_UID, "run", "--corpus", corpus, "--db", db,
                                   "--set", "llm.backend=off")
        self.assertEqual(code, 0, err)
        code, out, err = self.run_as(READER_UID, "history", "--db", db)
        self.assertEqual(code, 0, err)
        self.assertIn("complete", out)
        for name in os.listdir(folder):
            self.assertEqual(os.stat(os.path.join(folder, name)).st_uid, OWNER_UID, name)
        code, _, err = self.run_as(OWNER_UID, "run", "--corpus", corpus, "--db", db,
                                   "--set", "llm.backend=off")
        self.assertEqual(code, 0, err)

    @unittest.skipUnless(ROOT, "needs root to act as another user")
    def test_unwritable_wal_file_named(self):
        folder = self.shared_folder(0o1777)
        db = os.path.join(folder, "h.db")
        corpus = os.path.join(self.dir, "sample.jsonl")
        code, _, err = self.run_as(OWNER_UID, "run", "--corpus", corpus, "--db", db,
                                   "--set", "llm.backend=off")
        self.assertEqual(code, 0, err)
        # What a reader of an older caltune left: WAL files of its own.
        for suffix in ["-wal", "-shm"]:
            open(db + suffix, "wb").close()
            os.chown(db + suffix, READER_UID, READER_UID)
        code, _, err = self.run_as(OWNER_UID, "run", "--corpus", corpus, "--db", db,
                                   "--set", "llm.backend=off")
        self.assertEqual(code, 2)
        self.assertIn(db + "-wal, a file of history database", err)
        self.assertIn("belongs to nobody", err)
        self.assertIn("Do not delete it", err)

    def test_database_in_readonly_folder_is_readable(self):
        self.run_json("--corpus", SAMPLE)
        self.run_json("--corpus", SAMPLE)
        folder = self.shared_folder(0o755)
        db = os.path.join(folder, "h.db")
        shutil.copy(self.db, db)
        os.chmod(db, 0o444)
        os.chmod(folder, 0o555)
        try:
            if ROOT:
                run = lambda *args: self.run_as(READER_UID, *args)
            else:
                run = self.caltune
            code, out, err = run("history", "--db", db)
            self.assertEqual(code, 0, err)
            self.assertIn("complete", out)
            code, out, err = run("compare", "1", "2", "--db", db)
            self.assertEqual(code, 0, err)
            code, _, err = run("run", "--corpus", os.path.join(self.dir, "sample.jsonl"),
                               "--db", db, "--set", "llm.backend=off")
            self.assertEqual(code, 2)
            self.assertIn("is not writable by you", err)
            self.assertIn("caltune history and --readonly can still read", err)
            self.assertNotIn("damaged", err)
            self.assertEqual(os.listdir(folder), ["h.db"])
        finally:
            os.chmod(folder, 0o755)

    def test_empty_database_file_has_no_runs(self):
        open(self.db, "wb").close()
        out, _ = self.expect(0, "history")
        self.assertIn("no runs recorded yet in %s (the file is empty)" % self.db, out)
        out, _ = self.expect(0, "history", "--json")
        self.assertEqual(json.loads(out)["runs"], [])
        _, err = self.expect(2, "compare", "1", "2")
        self.assertIn("is an empty file (0 bytes) with no runs yet", err)

    def test_bad_predictions_path_records_no_run(self):
        path = os.path.join(self.dir, "no-such-folder", "predictions.jsonl")
        _, err = self.expect(2, "run", "--corpus", SAMPLE, "--predictions", path)
        self.assertIn("cannot write predictions to " + path, err)
        self.assertEqual(self.sql("SELECT count(*) FROM runs"), [(0,)])

    def test_empty_corpus_says_empty(self):
        path = os.path.join(self.dir, "empty.jsonl")
        with open(path, "w") as f:
            f.write("\n  \n")
        _, err = self.expect(2, "run", "--corpus", path)
        self.assertIn("has no case: the file is empty or has only blank lines", err)
        self.assertNotIn("reported above", err)

    def test_folders_named_as_folders(self):
        _, err = self.expect(2, "run", "--corpus", self.dir)
        self.assertIn("it is a folder, not a JSON Lines file", err)
        _, err = self.expect(2, "parse", "--config", self.dir, "Lunch")
        self.assertIn("invalid --config %s: it is a folder" % self.dir, err)
        folder = os.open(self.dir, os.O_RDONLY)
        try:
            proc = subprocess.run([CALTUNE, "parse", "--set", "llm.backend=off", "-"],
                                  stdin=folder, capture_output=True, env=self.env, timeout=60)
        finally:
            os.close(folder)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("standard input is a folder", proc.stderr.decode())

    def test_ref_of_a_day_that_does_not_exist(self):
        _, err = self.expect(2, "parse", "--ref", "2026-02-30T10:00:00", "Lunch")
        self.assertIn("2026-02-30 does not exist, because February 2026 has 28 days", err)
        _, err = self.expect(2, "parse", "--ref", "2026-02-28T25:00", "Lunch")
        self.assertIn("25:00 is not a time of day", err)
        _, err = self.expect(2, "parse", "--ref", "2026-02-28 10:00", "Lunch")
        self.assertIn("write a local date and time as YYYY-MM-DDTHH:MM:SS", err)

    def test_jobs_capped_at_processors(self):
        log = os.path.join(self.dir, "run.log")
        self.run_json("--corpus", SAMPLE, "--jobs", "256", "--log", log)
        with open(log) as f:
            workers = [int(w) for w in re.findall(r"(\d+) workers", f.read())]
        self.assertEqual(len(workers), 1)
        self.assertLessEqual(workers[0], os.cpu_count())


class TuiTest(CaltuneTest):
    def test_bad_corpus_after_log_opens(self):
        log = os.path.join(self.dir, "tui.log")
        missing = os.path.join(self.dir, "absent.jsonl")
        _, err = self.expect(2, "tui", "--log", log, "--corpus", missing)
        self.assertIn("cannot read corpus " + missing, err)
        self.assertTrue(os.path.exists(log))

    def test_options_without_command_go_to_tui(self):
        missing = os.path.join(self.dir, "absent.jsonl")
        _, err = self.expect(2, "--corpus", missing, "--no-color")
        self.assertIn("caltune tui: cannot read corpus", err)

    def test_default_log_under_xdg_state(self):
        self.caltune("tui", "--corpus", os.path.join(self.dir, "absent.jsonl"))
        self.assertTrue(os.path.exists(os.path.join(self.dir, "state", "caltune",
                                                    "caltune.log")))

    def test_unknown_preset(self):
        _, err = self.expect(2, "tui", "--preset", "turbo", "--corpus", SAMPLE)
        self.assertIn('unknown preset "turbo"', err)


def free_port():
    """A port on 127.0.0.1 that nothing listens on (bound once, then released)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlmStandIn:
    """tests/llm_standin.py on a free port, answering from the sample corpus."""

    def __init__(self, log_path, *args):
        import select
        standin = os.path.join(os.path.dirname(HERE), "llm_standin.py")
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen([sys.executable, standin, "--port", "0", "--table", SAMPLE]
                                     + list(args), stdout=subprocess.PIPE, stderr=self.log,
                                     text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        line = self.proc.stdout.readline() if ready else ""
        if not line.strip().isdigit():
            self.stop()
            raise RuntimeError("llm_standin.py did not print its port (got %r)" % line)
        self.url = "http://127.0.0.1:%d" % int(line)

    def stats(self):
        import urllib.request
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with direct.open(self.url + "/_stats", timeout=10) as r:
            return json.loads(r.read())

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()
        self.log.close()


# Every field goes to the LLM: no lower-tier answer reaches its threshold.
EVERY_FIELD_TO_LLM = ["--set", "thresholds.regex_only=1",
                      "--set", "thresholds.deterministic_backup=1"]


class LlmCommandTest(CaltuneTest):
    """The LLM options of the commands: llm status, --no-record, --mode llm
    without a backend, and replay from an empty history."""

    def setUp(self):
        super().setUp()
        self.env["no_proxy"] = self.env["NO_PROXY"] = "127.0.0.1,localhost"

    def standin(self, *args):
        server = LlmStandIn(os.path.join(self.dir, "standin.log"), *args)
        self.addCleanup(server.stop)
        return server

    def exchanges(self):
        return self.sql("SELECT count(*) FROM llm_exchanges")[0][0]

    def test_status_unreachable(self):
        url = "http://127.0.0.1:%d" % free_port()
        out, err = self.expect(1, "llm", "status", "--set", "llm.url=" + url)
        self.assertIn("url      %s/api/tags" % url, out)
        self.assertIn("status   unreachable", out)
        self.assertIn("caltune llm: cannot reach the LLM server: %s/api/tags: connection failed"
                      % url, err)
        self.assertIn("start the ollama server or set llm.url", err)

        out, err = self.expect(1, "llm", "status", "--json", "--set", "llm.backend=openai",
                               "--set", "llm.url=" + url)
        doc = json.loads(out)
        self.assertEqual(doc["url"], url + "/v1/models")
        self.assertEqual(doc["status"], "unreachable")
        self.assertIs(doc["reachable"], False)
        self.assertIsNone(doc["models"])
        self.assertIn("connection failed", doc["error"])
        self.assertIsInstance(doc["latency_ms"], (int, float))

    def test_status_reachable(self):
        server = self.standin("--models", "llama3.2:3b,llama3.1:8b")
        out, err = self.expect(0, "llm", "status", "--set", "llm.url=" + server.url)
        self.assertEqual(err, "")
        self.assertIn("status   reachable, ", out)
        self.assertIn("models   2: llama3.2:3b, llama3.1:8b", out)
        self.assertIn("model    llama3.2:3b is available", out)

        out, _ = self.expect(0, "llm", "status", "--json", "--preset", "performance",
                             "--set", "llm.backend=openai", "--set", "llm.url=" + server.url)
        doc = json.loads(out)
        self.assertIs(doc["reachable"], True)
        self.assertEqual(doc["models"], ["llama3.2:3b", "llama3.1:8b"])
        self.assertEqual(doc["model"], "llama3.2:1b")
        self.assertIs(doc["model_available"], False)
        self.assertEqual(doc["http_status"], 200)
        self.assertEqual(server.stats()["by_path"], {"/api/tags": 1, "/v1/models": 1})

        out, _ = self.expect(0, "llm", "status", "--set", "llm.url=" + server.url,
                             "--set", "llm.model=mistral:7b")
        self.assertIn("model    mistral:7b is not among them: pull it (ollama pull mistral:7b) "
                      "or set llm.model", out)

    def test_status_sends_token(self):
        server = self.standin()
        self.env["CALTUNE_STATUS_TOKEN"] = "tok-status-check"
        self.expect(0, "llm", "status", "--set", "llm.url=" + server.url,
                    "--set", "llm.api_key_env=CALTUNE_STATUS_TOKEN")
        self.assertEqual(server.stats()["authorization"], ["Bearer tok-status-check"])
        self.env.pop("CALTUNE_STATUS_TOKEN")
        _, err = self.expect(2, "llm", "status", "--set", "llm.url=" + server.url,
                             "--set", "llm.api_key_env=CALTUNE_STATUS_TOKEN")
        self.assertIn("environment variable CALTUNE_STATUS_TOKEN, named by llm.api_key_env, is "
                      "not set", err)

    def test_status_without_server(self):
        _, err = self.expect(2, "llm", "status", "--set", "llm.backend=off")
        self.assertIn("llm.backend is off, so there is no LLM server to check", err)
        out, _ = self.expect(0, "llm", "status", "--set", "llm.backend=replay")
        self.assertIn("replay: no server", out)
        self.assertIn("recorded 0 exchanges", out)
        self.assertFalse(os.path.exists(self.db), "status creates no database")

    def test_status_usage(self):
        _, err = self.expect(2, "llm")
        self.assertIn("missing subcommand: use caltune llm status", err)
        _, err = self.expect(2, "llm", "restart")
        self.assertIn('unknown argument "restart"', err)
        _, err = self.expect(2, "llm", "status", "now")
        self.assertIn('unknown argument "now"', err)
        out, _ = self.expect(0, "llm", "--help")
        self.assertIn("/api/tags", out)
        self.assertIn("/v1/models", out)

    def test_help_mentions_llm_options(self):
        for command in ["parse", "run", "check", "tui"]:
            out, _ = self.expect(0, command, "--help")
            self.assertIn("--no-record", out, command)
            self.assertIn("llm.api_key_env", out, command)
            self.assertIn("caltune llm status", out, command)
        out, _ = self.expect(0, "parse", "--help")
        self.assertIn("--db FILE", out)

    def test_llm_mode_needs_backend(self):
        message = "--mode llm needs the llm tier, but llm.backend is off"
        for args in [["parse", "--ref", REF, "Lunch"], ["run", "--corpus", SAMPLE],
                     ["check", "--corpus", SAMPLE, "--baseline", "latest"],
                     ["tui", "--corpus", SAMPLE]]:
            _, err = self.expect(2, *args, "--mode", "llm", "--set", "llm.backend=off")
            self.assertIn(message, err, args[0])
        self.assertFalse(os.path.exists(self.db), "nothing was recorded")

    def test_run_summary_llm_off(self):
        doc = self.run_json("--corpus", SAMPLE)
        self.assertEqual(doc["llm"], {"state": "off", "calls": 0, "failures": 0,
                                      "lost_fields": 0, "retries": 0, "replayed": 0})
        self.assertEqual(self.sql("SELECT llm_state FROM runs"), [("off",)])
        self.assertEqual(self.sql("SELECT count(*) FROM cases WHERE llm_status IS NOT NULL"),
                         [(0,)])

    def test_replay_with_empty_history(self):
        cases = 22
        off = self.run_json("--corpus", SAMPLE, *EVERY_FIELD_TO_LLM, "--set", "llm.backend=off",
                            "--db", os.path.join(self.dir, "off.db"))
        out, err = self.expect(0, "run", "--json", "--corpus", SAMPLE, *EVERY_FIELD_TO_LLM,
                               "--set", "llm.backend=replay")
        doc = json.loads(out)
        self.assertEqual(doc["cases"], cases)
        self.assertEqual(doc["tiers"]["llm"]["calls"], cases)
        self.assertEqual(doc["tiers"]["llm"]["failures"], cases)
        self.assertEqual(doc["tiers"]["llm"]["answered"], 0)
        self.assertEqual(doc["llm"]["state"], "replay")
        self.assertEqual(doc["llm"]["failures"], cases)
        self.assertEqual(doc["llm"]["replayed"], 0)
        self.assertGreaterEqual(doc["llm"]["lost_fields"], cases)
        # The lower tiers answer every case.
        self.assertEqual(doc["accuracy"], off["accuracy"])
        rows = self.sql("SELECT llm_status, llm_error, error, llm_lost FROM cases WHERE run_id = ?",
                        doc["run_id"])
        self.assertEqual(len(rows), cases)
        for status, llm_error, error, lost in rows:
            self.assertEqual(status, "failed")
            self.assertIn("no recorded answer", llm_error)
            self.assertIn("llm tier: no recorded answer", error)
            self.assertNotEqual(lost, 0)
        self.assertEqual(self.exchanges(), 0)

        out, _ = self.expect(0, "parse", "--json", "--ref", REF, *EVERY_FIELD_TO_LLM,
                             "--set", "llm.backend=replay", "Dentist tomorrow at 3pm")
        llm = json.loads(out)["llm"]
        self.assertEqual(llm["status"], "failed")
        self.assertIn("no recorded answer for this request", llm["error"])
        self.assertIs(llm["replayed"], False)
        self.assertEqual(llm["attempts"], 0)

    def test_no_record(self):
        server = self.standin()
        llm = ["--set", "llm.backend=ollama", "--set", "llm.url=" + server.url]
        doc = self.run_json("--corpus", SAMPLE, "--no-record", *EVERY_FIELD_TO_LLM, *llm)
        self.assertEqual(doc["llm"]["calls"], 22)
        self.assertEqual(doc["llm"]["failures"], 0)
        self.assertEqual(self.exchanges(), 0)
        self.expect(0, "parse", "--no-record", "--ref", REF, "--mode", "llm", *llm,
                    "Dentist tomorrow at 3pm")
        self.assertEqual(self.exchanges(), 0)
        self.assertEqual(server.stats()["requests"], 23)

        recorded = self.run_json("--corpus", SAMPLE, *EVERY_FIELD_TO_LLM, *llm)
        self.assertEqual(self.exchanges(), 22)
        self.assertEqual(recorded["llm"]["state"], "up")
        rows = self.sql("SELECT llm_status, llm_attempts, llm_prompt_tokens IS NOT NULL, error"
                        " FROM cases WHERE run_id = ?", recorded["run_id"])
        self.assertEqual(set(rows), {("ok", 1, 1, None)})
        out, _ = self.expect(0, "parse", "--json", "--ref", REF, "--mode", "llm", *llm,
                             "Dentist tomorrow at 3pm")
        self.assertEqual(json.loads(out)["llm"]["status"], "ok")
        self.assertEqual(self.exchanges(), 23)

        # Replay still reads the recordings with --no-record, and stores nothing.
        dead = "http://127.0.0.1:%d" % free_port()
        replayed = self.run_json("--corpus", SAMPLE, "--no-record", *EVERY_FIELD_TO_LLM,
                                 "--set", "llm.backend=replay", "--set", "llm.url=" + dead)
        self.assertEqual(replayed["llm"]["replayed"], 22)
        self.assertEqual(replayed["llm"]["failures"], 0)
        self.assertEqual(replayed["accuracy"], recorded["accuracy"])
        self.assertEqual(self.exchanges(), 23)
        self.assertEqual(set(self.sql("SELECT llm_status FROM cases WHERE run_id = ?",
                                      replayed["run_id"])), {("replayed",)})


class InterruptedRunTest(CaltuneTest):
    """A run stopped half-way keeps what it committed: a killed run reads
    back as incomplete, an interrupted one as complete and cancelled."""

    CASES = 30000

    def start_and_stop(self, signo):
        """Starts a run of CASES cases, waits until two batches are committed
        and sends signo at once. Returns the process's exit code, or None when
        the run finished before the signal could reach it."""
        corpus = os.path.join(self.dir, "large.jsonl")
        write_corpus(corpus, self.CASES)
        proc = subprocess.Popen([CALTUNE, "run", "--corpus", corpus, "--jobs", "2"],
                                env=self.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

        # One open connection polls, so each look costs a query, not an open.
        # Taking the write lock instead would starve: the writer commits
        # batch after batch and SQLite's busy handler backs off.
        poll = None
        deadline = time.time() + 60
        done = 0
        while time.time() < deadline and proc.poll() is None and done < 512:
            try:
                if poll is None and os.path.exists(self.db):
                    poll = sqlite3.connect(self.db, timeout=30)
                if poll is not None:
                    rows = poll.execute("SELECT cases_done FROM runs ORDER BY id DESC "
                                        "LIMIT 1").fetchall()
                    done = rows[0][0] if rows else 0
            except sqlite3.OperationalError:
                pass
            time.sleep(0.0005)
        if poll is not None:
            poll.close()

        if proc.poll() is not None:
            return None
        proc.send_signal(signo)
        proc.wait(timeout=60)
        return proc.returncode

    def stop_mid_run(self, signo):
        for _ in range(3):
            code = self.start_and_stop(signo)
            if code is not None:
                return code
            # The run won the race and finished: start over with a fresh
            # database.
            for suffix in ["", "-wal", "-shm"]:
                if os.path.exists(self.db + suffix):
                    os.remove(self.db + suffix)
        self.fail("the run finished every time before it could be stopped")

    def test_sigkill_keeps_committed_batches(self):
        code = self.stop_mid_run(signal.SIGKILL)
        self.assertEqual(code, -signal.SIGKILL)

        out, _ = self.expect(0, "history", "--json")
        run = json.loads(out)["runs"][0]
        self.assertEqual(run["state"], "incomplete")
        self.assertIsNone(run["finished"])
        self.assertGreaterEqual(run["cases_done"], 512)
        self.assertLess(run["cases_done"], self.CASES)
        self.assertEqual(run["cases_done"] % 256, 0, "only whole batches are committed")
        self.assertEqual(self.sql("SELECT count(*) FROM cases WHERE run_id = ?", run["run_id"]),
                         [(run["cases_done"],)])
        seqs = self.sql("SELECT min(seq), max(seq) FROM cases WHERE run_id = ?", run["run_id"])
        self.assertEqual(seqs, [(0, run["cases_done"] - 1)])
        self.assertEqual(self.sql("PRAGMA integrity_check"), [("ok",)])

        out, _ = self.expect(0, "history")
        self.assertIn("incomplete", out)

        # The database takes a new run, and latest skips the dead one.
        doc = self.run_json("--corpus", SAMPLE)
        self.assertEqual(doc["cases"], 22)
        out, _ = self.expect(0, "history", "--json")
        runs = json.loads(out)["runs"]
        self.assertEqual([r["state"] for r in runs], ["complete", "incomplete"])
        self.expect(2, "compare", "latest~1", "latest")
        out, _ = self.expect(0, "compare", str(run["run_id"]), "latest", "--json")
        self.assertEqual(json.loads(out)["a"]["cases"], run["cases_done"])

    def test_sigint_records_cancelled_run(self):
        code = self.stop_mid_run(signal.SIGINT)
        self.assertEqual(code, 130)
        out, _ = self.expect(0, "history", "--json")
        run = json.loads(out)["runs"][0]
        self.assertEqual(run["state"], "complete")
        self.assertTrue(run["cancelled"])
        self.assertLess(run["cases_done"], self.CASES)
        self.assertEqual(self.sql("SELECT count(*) FROM cases WHERE run_id = ?", run["run_id"]),
                         [(run["cases_done"],)])
        out, _ = self.expect(0, "history")
        self.assertIn("cancelled", out)


def main():
    if not CALTUNE or not os.access(CALTUNE, os.X_OK):
        print("run_cli_tests.py: set CALTUNE to the caltune binary, such as "
              "CALTUNE=$PWD/build/caltune", file=sys.stderr)
        return 2
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    # Every tests/cli/test_*.py (the LLM tier, the Duckling backend, the
    # importers ...). Imported here, not at the top, because they import
    # this module for CaltuneTest.
    for name in sorted(f[:-3] for f in os.listdir(HERE)
                       if f.startswith("test_") and f.endswith(".py")):
        module = importlib.import_module(name)
        suite.addTests(unittest.defaultTestLoader.loadTestsFromModule(module))
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    failed = len(result.failures) + len(result.errors)
    print("cli: %d passed, %d failed" % (result.testsRun - failed, failed))
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
