#!/usr/bin/env python3
"""Command-line tests of caltune import: its help, its summary and its exit
codes. They import the Recognizers-Text and SLURP fixtures under
tests/data/import/ and check that caltune run loads what was written. The
bad input covers broken cases and rows, a truncated file, a file of the
wrong format, an unreadable path, a folder, and an --out that cannot be
written.

Run by tests/cli/run_cli_tests.py (make cli-test), or alone with
CALTUNE=/abs/path/caltune python3 tests/cli/test_import.py.
"""

import json
import os
import sys
import unittest

from run_cli_tests import CALTUNE, DATA, CaltuneTest

IMPORT_DATA = os.path.join(DATA, "import")
SMALL_SPEC = os.path.join(IMPORT_DATA, "recognizers-small.json")
BAD_SPEC = os.path.join(IMPORT_DATA, "recognizers-bad.json")
CUT_SPEC = os.path.join(IMPORT_DATA, "recognizers-truncated.json")
OBJECT_SPEC = os.path.join(IMPORT_DATA, "recognizers-object.json")
SMALL_ROWS = os.path.join(IMPORT_DATA, "slurp-small.jsonl")
BAD_ROWS = os.path.join(IMPORT_DATA, "slurp-bad.jsonl")


def read_cases(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class ImportTest(CaltuneTest):
    def out_path(self, name="out.jsonl"):
        return os.path.join(self.dir, name)

    def assert_loads(self, path, cases):
        """caltune run reads every line of the written corpus."""
        summary = self.run_json("--corpus", path)
        self.assertEqual(summary["cases"], cases)
        out, _ = self.expect(0, "run", "--corpus", path)
        self.assertIn("0 bad lines", out)

    def test_help(self):
        out, _ = self.expect(0, "import", "--help")
        self.assertIn("Usage: caltune import recognizers|slurp FILE", out)
        self.assertIn("recognizers", out)
        self.assertIn("slurp", out)
        self.assertEqual(self.expect(0, "help", "import")[0], out)

        out, _ = self.expect(0, "import", "recognizers", "--help")
        self.assertIn("Usage: caltune import recognizers FILE", out)
        for option in ["--out FILE", "--prefix TEXT", "--help"]:
            self.assertIn(option, out)
        self.assertNotIn("--ref", out)

        out, _ = self.expect(0, "import", "slurp", "-h")
        self.assertIn("Usage: caltune import slurp FILE", out)
        self.assertIn("--ref ISO", out)
        self.assertIn("start-by-caltune", out)

        out, _ = self.expect(0, "--help")
        self.assertIn("import", out)

    def test_usage_errors(self):
        _, err = self.expect(2, "import")
        self.assertIn("caltune import: missing format", err)
        _, err = self.expect(2, "import", "csv", SMALL_SPEC)
        self.assertIn('unknown format "csv"', err)
        _, err = self.expect(2, "import", "recognizers")
        self.assertIn("missing FILE", err)
        _, err = self.expect(2, "import", "recognizers", SMALL_SPEC, SMALL_ROWS)
        self.assertIn("give one FILE", err)
        _, err = self.expect(2, "import", "recognizers", SMALL_SPEC, "--bogus")
        self.assertIn('unknown option "--bogus" for import recognizers', err)
        _, err = self.expect(2, "import", "recognizers", SMALL_SPEC, "--prefix", "a b")
        self.assertIn('invalid --prefix "a b"', err)
        _, err = self.expect(2, "import", "slurp", SMALL_ROWS, "--ref", "tomorrow")
        self.assertIn('invalid --ref "tomorrow"', err)

    def test_recognizers_to_file(self):
        out = self.out_path()
        stdout, err = self.expect(0, "import", "recognizers", SMALL_SPEC, "--out", out)
        self.assertEqual(stdout, "")
        self.assertIn("11 cases read, 5 cases written to %s, 6 left out, 0 bad" % out, err)
        self.assertRegex(err, r"\n +1  not-supported +marked NotSupported")
        self.assertRegex(err, r"\n +1  several-readings ")
        self.assertNotIn("no-result", err)

        cases = read_cases(out)
        self.assertEqual([c["id"] for c in cases],
                         ["rt-dtm-%04d" % i for i in range(1, 6)])
        self.assertEqual(cases[0]["expect"], {"start": "2017-04-22"})
        self.assertEqual(cases[0]["locale"], "en-GB")
        self.assertEqual(cases[0]["source"], "recognizers-text:recognizers-small.json")
        self.assertEqual(cases[2]["expect"], {"start": "2016-11-07T22:00",
                                              "end": "2016-11-08T02:00"})
        self.assertIn("overnight", cases[2]["tags"])
        self.assert_loads(out, 5)

    def test_recognizers_to_stdout_with_prefix(self):
        stdout, err = self.expect(0, "import", "recognizers", SMALL_SPEC, "--prefix", "rt-")
        cases = [json.loads(line) for line in stdout.splitlines()]
        self.assertEqual(len(cases), 5)
        self.assertEqual(cases[4]["id"], "rt-0005")
        self.assertIn("written to standard output", err)

    def test_recognizers_bad_cases(self):
        out = self.out_path()
        _, err = self.expect(2, "import", "recognizers", BAD_SPEC, "--out", out)
        self.assertIn("%s:25: case [1]: a case must be a JSON object" % BAD_SPEC, err)
        self.assertIn("%s:34: case [4]: invalid JSON" % BAD_SPEC, err)
        self.assertIn("8 cases read, 3 cases written", err)
        self.assertIn("5 bad", err)
        self.assertEqual([c["text"] for c in read_cases(out)],
                         ["Dentist on Jan 4th 2019", "Gym at 6pm", "Review on Nov 20 2016"])
        self.assert_loads(out, 3)

    def test_recognizers_truncated(self):
        out = self.out_path()
        _, err = self.expect(2, "import", "recognizers", CUT_SPEC, "--out", out)
        self.assertIn("the file looks truncated", err)
        self.assertEqual(len(read_cases(out)), 1)

    def test_wrong_format_keeps_earlier_out(self):
        out = self.out_path()
        with open(out, "w", encoding="utf-8") as f:
            f.write("earlier\n")
        _, err = self.expect(2, "import", "recognizers", OBJECT_SPEC, "--out", out)
        self.assertIn("not a Recognizers-Text spec file", err)
        self.assertIn("caltune import slurp", err)
        self.assertIn("0 cases written and nothing changed in %s" % out, err)
        with open(out, encoding="utf-8") as f:
            self.assertEqual(f.read(), "earlier\n")
        self.assertEqual(sorted(os.listdir(self.dir)), ["out.jsonl"])

        # A spec file given to the SLURP importer: every line is bad.
        _, err = self.expect(2, "import", "slurp", SMALL_SPEC)
        self.assertIn("%s:1: invalid JSON" % SMALL_SPEC, err)

    def test_unreadable_inputs_and_outputs(self):
        _, err = self.expect(2, "import", "recognizers", os.path.join(self.dir, "missing.json"))
        self.assertIn("cannot open", err)
        self.assertIn("No such file or directory", err)
        _, err = self.expect(2, "import", "slurp", self.dir)
        self.assertIn("it is a folder, not a file", err)
        _, err = self.expect(2, "import", "recognizers", SMALL_SPEC, "--out", self.dir)
        self.assertIn("is a folder", err)
        _, err = self.expect(2, "import", "recognizers", SMALL_SPEC, "--out",
                             os.path.join(self.dir, "no", "such", "out.jsonl"))
        self.assertIn("cannot create", err)

        copy = self.out_path("spec.json")
        with open(SMALL_SPEC, "rb") as src, open(copy, "wb") as dst:
            dst.write(src.read())
        _, err = self.expect(2, "import", "recognizers", copy, "--out", copy)
        self.assertIn("is the input file", err)

    def test_slurp_to_file(self):
        out = self.out_path()
        _, err = self.expect(0, "import", "slurp", SMALL_ROWS, "--out", out)
        self.assertIn("7 rows read, 4 cases written to %s, 3 left out, 0 bad" % out, err)
        self.assertRegex(err, r"\n +2  nothing-to-label ")
        self.assertIn("start from caltune's grammar on 3 cases", err)
        self.assertRegex(err, r"\n +1  meal ")

        cases = read_cases(out)
        self.assertEqual(cases[0]["id"], "sl-dev-0001")
        self.assertEqual(cases[0]["ref"], "2026-03-04T09:00:00")
        self.assertEqual(cases[0]["expect"], {"start": "2026-03-05T14:00"})
        self.assertIn("start-by-caltune", cases[0]["tags"])
        self.assertEqual(cases[1]["expect"], {"location": "blue door",
                                              "attendees": ["anna", "ben"]})
        self.assertNotIn("start-by-caltune", cases[1]["tags"])
        self.assert_loads(out, 4)

    def test_slurp_ref(self):
        stdout, _ = self.expect(0, "import", "slurp", SMALL_ROWS, "--ref",
                                "2026-12-31T20:00:00")
        first = json.loads(stdout.splitlines()[0])
        self.assertEqual(first["ref"], "2026-12-31T20:00:00")
        self.assertEqual(first["expect"], {"start": "2027-01-01T14:00"})
        self.assertIn("year-rollover", first["tags"])

    def test_slurp_bad_rows(self):
        out = self.out_path()
        _, err = self.expect(2, "import", "slurp", BAD_ROWS, "--out", out)
        for line, message in [(2, "invalid JSON"), (3, "a SLURP row must be a JSON object"),
                              (4, 'missing key "sentence_annotation"'),
                              (5, "sentence_annotation does not spell the sentence"),
                              (6, "sentence_annotation has a '[' without ']'"),
                              (9, "invalid JSON")]:
            self.assertIn("%s:%d: %s" % (BAD_ROWS, line, message), err)
        self.assertIn("8 rows read, 2 cases written", err)
        self.assertEqual(len(read_cases(out)), 2)
        self.assert_loads(out, 2)


if __name__ == "__main__":
    if not CALTUNE or not os.access(CALTUNE, os.X_OK):
        print("test_import.py: set CALTUNE to the caltune binary", file=sys.stderr)
        sys.exit(2)
    unittest.main()
