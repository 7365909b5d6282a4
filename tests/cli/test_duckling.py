#!/usr/bin/env python3
"""End-to-end tests of tier 2's Duckling backend: caltune parse and caltune
run with rules.backend=duckling against tests/duckling_standin.py on a free
port of 127.0.0.1.

They check that the form caltune sends has every field Duckling reads, that
the stand-in's answers (an interval whose end is one grain past the stated
end, a day span, code-point offsets after non-ASCII text, a duration) become
the right events, that the trace and the history name the backend, and that
a 422, a connection closed without a reply, a body that is not JSON and a
slow answer each fail the tier with a message that says what to check,
while the run goes on.

Run by tests/cli/run_cli_tests.py (make cli-test), or alone with
CALTUNE=/abs/path/caltune python3 tests/cli/test_duckling.py.
"""

import json
import os
import sys
import time
import unittest

from run_cli_tests import CALTUNE, CaltuneTest
from standin import StandInProcess

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(os.path.dirname(HERE), "data", "duckling")
CORPUS = os.path.join(DATA, "corpus.jsonl")
ANSWERS = os.path.join(DATA, "answers.jsonl")
REF = "2026-12-04T10:00:00"
TZ = "America/New_York"


class DucklingStandIn(StandInProcess):
    """tests/duckling_standin.py answering from tests/data/duckling/answers.jsonl."""

    def __init__(self, *args):
        super().__init__("duckling_standin.py", ["--answers", ANSWERS] + list(args))


class DucklingTest(CaltuneTest):
    def setUp(self):
        super().setUp()
        self.server = DucklingStandIn()
        self.addCleanup(self.server.stop)

    def duckling(self, *extra):
        return ["--set", "rules.backend=duckling", "--set",
                "duckling.url=%s/parse" % self.server.url] + list(extra)

    def parse(self, text, code=0, *extra):
        out, err = self.expect(code, "parse", "--json", "--trace", "--mode", "rules",
                               "--ref", REF, "--tz", TZ, *self.duckling(*extra), text)
        return json.loads(out), err

    def test_parse_maps_an_interval(self):
        doc, _ = self.parse("Review tomorrow from 3 to 5pm")
        self.assertEqual(doc["status"], "ok")
        self.assertEqual(doc["event"]["title"], "Review")
        self.assertEqual(doc["event"]["start"], "2026-12-05T15:00")
        # Duckling's "to" is 18:00 at grain hour: one grain past 5pm.
        self.assertEqual(doc["event"]["end"], "2026-12-05T17:00")
        rules = [t for t in doc["trace"] if t["tier"] == "rules"]
        self.assertTrue(rules)
        self.assertTrue(all(t["backend"] == "duckling" for t in rules))

    def test_request_form(self):
        self.parse("Review tomorrow from 3 to 5pm")
        stats = self.server.stats()
        self.assertEqual(stats["bad_forms"], [])
        self.assertEqual(stats["texts"], ["Review tomorrow from 3 to 5pm"])

    def test_code_point_offsets(self):
        # "Café Zoë" puts two 2-byte letters before the time phrase.
        doc, _ = self.parse("Fika at Café Zoë on Monday at 4pm")
        self.assertEqual(doc["event"]["start"], "2026-12-07T16:00")
        self.assertEqual(doc["event"]["location"], "Café Zoë")
        self.assertEqual(doc["event"]["title"], "Fika")

    def test_run_scores_and_records_backend(self):
        out, _ = self.expect(0, "run", "--json", "--corpus", CORPUS, "--mode", "rules",
                             *self.duckling())
        summary = json.loads(out)
        self.assertEqual(summary["cases"], 4)
        self.assertEqual(summary["errors"], 0)
        self.assertEqual(summary["accuracy"]["overall"], 1.0)
        settings = json.loads(self.sql("SELECT settings_json FROM runs")[0][0])
        self.assertEqual(settings["rules"]["backend"], "duckling")
        backends = self.sql("SELECT DISTINCT rules_backend FROM cases")
        self.assertEqual(backends, [("duckling",)])

    def test_422_fails_the_tier(self):
        self.server.control(mode="fail422")
        doc, err = self.parse("Review tomorrow at 3pm", 1)
        self.assertEqual(doc["status"], "a tier failed")
        self.assertIn("answered HTTP 422 after 1 attempt", doc["error"])
        self.assertIn("Need a 'text' parameter", doc["error"])
        self.assertIn("rules.backend=builtin", doc["error"])
        self.assertIn("422", err)
        # A 422 is an answer: it is not retried.
        self.assertEqual(self.server.stats()["requests"], 1)

    def test_closed_connection_is_retried_once(self):
        self.server.control(mode="close")
        doc, _ = self.parse("Review tomorrow at 3pm", 1)
        self.assertIn("after 2 attempts", doc["error"])
        self.assertEqual(self.server.stats()["requests"], 2)

    def test_garbage_body(self):
        self.server.control(mode="garbage")
        doc, _ = self.parse("Review tomorrow at 3pm", 1)
        self.assertIn("Duckling answer is not valid JSON", doc["error"])

    def test_slow_answer_times_out(self):
        self.server.control(latency_ms=3000)
        started = time.monotonic()
        doc, _ = self.parse("Review tomorrow at 3pm", 1, "--set", "duckling.timeout_s=0.3")
        self.assertLess(time.monotonic() - started, 2.5)
        self.assertIn("timed out", doc["error"])

    def test_hybrid_keeps_tier_one(self):
        # With Duckling failing, the cascade still answers from tier 1.
        self.server.control(mode="fail422")
        out, _ = self.expect(0, "parse", "--json", "--ref", REF, "--tz", TZ,
                             *self.duckling(), "Dentist tomorrow at 9:30am")
        doc = json.loads(out)
        self.assertEqual(doc["event"]["start"], "2026-12-05T09:30")
        self.assertEqual(doc["tiers"]["start"], "regex")

    def test_run_goes_on_after_failures(self):
        self.server.control(mode="fail422")
        code, out, err = self.caltune("run", "--json", "--corpus", CORPUS, "--mode", "rules",
                                      *self.duckling())
        summary = json.loads(out)
        self.assertEqual(summary["cases"], 4)
        self.assertEqual(summary["errors"], 4)
        errors = self.sql("SELECT error FROM cases")
        self.assertEqual(len(errors), 4)
        self.assertTrue(all("422" in e for (e,) in errors))
        # The run itself worked: its errors are counted, not an exit status.
        self.assertEqual(code, 0, err)

    def test_nothing_listening(self):
        self.server.stop()
        doc, _ = self.parse("Review tomorrow at 3pm", 1)
        self.assertIn("Duckling", doc["error"])
        self.assertIn("duckling.url", doc["error"])


if __name__ == "__main__":
    if not CALTUNE:
        sys.exit("set CALTUNE to the caltune binary")
    unittest.main()
