#!/usr/bin/env python3
"""Generate corpora/events.jsonl, the bundled labelled corpus of caltune.

Every case comes from a template (eventgen/templates_*.py) that states what its phrase means
("next <weekday> at <time>", "every other <weekday>", "first Monday of next month" ...). The
template draws a reference time (`ref`), a zone and the words, and the resolvers in
eventgen/conventions.py compute every expected date and time from `ref` by the reading
conventions in corpora/README.md. Nothing is dated by hand. A draw that the conventions leave
unclear (an all-day bare weekday written on that weekday, a time already past on an explicit
"today", a wall-clock time inside a daylight-saving gap ...) raises Reject and is drawn again.

The run is deterministic: one seeded random.Random drives every choice, so the same script
writes the same file byte for byte. Before writing, every case is validated (required keys,
value forms, unique ids, internal consistency, every tag used at least MIN_TAG_USES times) and
the script exits with status 1 and a list of problems if any check fails. The tag table in
corpora/README.md, between its tag-counts markers, is rewritten from the generated file.

Usage: python3 corpora/generate_events.py [--out PATH] [--readme PATH] [--check]
Python 3.9 or later, standard library only (zoneinfo needs the system tz database).
"""

import argparse
import json
import re
import sys
from pathlib import Path

from eventgen.conventions import Reject, TAGS
from eventgen.phrases import Gen
from eventgen.templates_text import (
    NO_DATE_TEXTS, NO_EVENT_CHATS, tpl_attendees, tpl_calendar_entry, tpl_chat, tpl_email,
    tpl_lookalike, tpl_no_date, tpl_no_event_chat, tpl_quick_allday, tpl_quick_timed,
    tpl_reminder,
)
from eventgen.templates_dates import (
    tpl_date_range, tpl_dst_day, tpl_duration, tpl_end_of_day, tpl_end_of_month, tpl_holiday,
    tpl_in_minutes, tpl_midnight, tpl_midnight_start_range, tpl_next_week, tpl_nth_weekday,
    tpl_ordinal, tpl_part_of_day, tpl_part_of_day_with_hour, tpl_recurrence,
    tpl_relative_offset, tpl_time_range, tpl_timed_span, tpl_timezone, tpl_weekend,
    tpl_whole_month,
)
from eventgen.validate import tag_counts, validate

SEED = 20261204
HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "events.jsonl"
DEFAULT_README = HERE / "README.md"
README_BEGIN = "<!-- tag-counts:begin (written by generate_events.py) -->"
README_END = "<!-- tag-counts:end -->"


# ---------------------------------------------------------------------------------------------
# Corpus assembly
# ---------------------------------------------------------------------------------------------

# (template, number of cases). Templates that take an item run once per item.
PLAN = [
    (tpl_quick_timed, 140), (tpl_quick_allday, 65), (tpl_calendar_entry, 65),
    (tpl_reminder, 60), (tpl_chat, 60), (tpl_email, 40), (tpl_relative_offset, 35),
    (tpl_in_minutes, 15), (tpl_end_of_month, 12), (tpl_weekend, 12), (tpl_next_week, 11),
    (tpl_whole_month, 12), (tpl_part_of_day, 25), (tpl_part_of_day_with_hour, 15),
    (tpl_end_of_day, 12), (tpl_midnight, 14), (tpl_holiday, 40), (tpl_ordinal, 25),
    (tpl_nth_weekday, 22), (tpl_time_range, 50), (tpl_midnight_start_range, 10),
    (tpl_date_range, 35), (tpl_timed_span, 10), (tpl_duration, 45), (tpl_recurrence, 80),
    (tpl_timezone, 40), (tpl_dst_day, 15), (tpl_attendees, 32),
]
LOOKALIKE_PATTERNS = 16
MAX_ATTEMPTS_PER_CASE = 200


def generate(seed: int = SEED) -> list:
    """Draw every case of the plan; texts are unique (case-insensitively)."""
    g = Gen(seed)
    cases = []
    seen = set()

    def draw(make) -> None:
        for _ in range(MAX_ATTEMPTS_PER_CASE):
            try:
                case = make()
            except Reject:
                continue
            key = re.sub(r"\s+", " ", case["text"].lower())
            if key in seen:
                continue
            seen.add(key)
            cases.append(case)
            return
        raise RuntimeError(f"{make} rejected {MAX_ATTEMPTS_PER_CASE} draws in a row")

    for template, count in PLAN:
        for _ in range(count):
            draw(lambda: template(g))
    for text in NO_EVENT_CHATS:
        draw(lambda: tpl_no_event_chat(g, text))
    for item in NO_DATE_TEXTS:
        draw(lambda: tpl_no_date(g, item))
    for pattern in range(1, LOOKALIKE_PATTERNS + 1):
        for _ in range(2):
            draw(lambda: tpl_lookalike(g, pattern))
    for i, case in enumerate(cases, 1):
        case["id"] = f"ev-{i:04d}"
    return [{"id": c["id"], **{k: v for k, v in c.items() if k != "id"}} for c in cases]


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

def render_jsonl(cases: list) -> str:
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)


def render_tag_table(cases: list) -> str:
    counts = tag_counts(cases)
    rows = ["| tag | cases | meaning |", "|-----|------:|---------|"]
    rows += [f"| `{tag}` | {counts[tag]} | {meaning} |" for tag, meaning in TAGS.items()]
    rows.append(f"| (all cases) | {len(cases)} | |")
    return "\n".join(rows)


def update_readme(path: Path, cases: list) -> bool:
    """Rewrite the tag table between the README markers; return False when they are missing."""
    if not path.exists():
        return False
    text = path.read_text(encoding="utf-8")
    if README_BEGIN not in text or README_END not in text:
        return False
    head, rest = text.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    path.write_text(f"{head}{README_BEGIN}\n{render_tag_table(cases)}\n{README_END}{tail}",
                    encoding="utf-8")
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="corpus file to write (default: corpora/events.jsonl)")
    parser.add_argument("--readme", type=Path, default=DEFAULT_README,
                        help="README whose tag table is rewritten (default: corpora/README.md)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 unless --out equals a fresh generation")
    args = parser.parse_args(argv)

    cases = generate()
    problems = validate(cases)
    if problems:
        print(f"generate_events: {len(problems)} validation problems, nothing written:",
              file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    content = render_jsonl(cases)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != content:
            print(f"generate_events: {args.out} differs from a fresh generation; "
                  "rerun without --check", file=sys.stderr)
            return 1
        print(f"{args.out}: up to date ({len(cases)} cases)")
        return 0
    args.out.write_text(content, encoding="utf-8")
    if not update_readme(args.readme, cases):
        print(f"generate_events: warning: no tag-count markers in {args.readme}; "
              "the tag table was not updated", file=sys.stderr)
    counts = tag_counts(cases)
    print(f"wrote {len(cases)} cases to {args.out}")
    for tag in TAGS:
        print(f"  {tag:15} {counts[tag]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
