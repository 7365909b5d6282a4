"""Validation of a generated corpus: value forms, consistency between labels and tags, and
tag counts."""

import re
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Optional
from zoneinfo import available_timezones

from .conventions import (
    EXPECT_KEYS, MIN_CASES, MIN_TAG_USES, SOURCE, TAGS, WD_RRULE, is_last_weekday_in_month,
    nth_of_weekday_in_month, wall_time_exists,
)
from .phrases import clean_title
from .compose import parse_local

# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

REF_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?)?")
ID_RE = re.compile(r"ev-\d{4}")
RRULE_KEYS = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL"}
FREQS = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
BYDAY_RE = re.compile(r"(-1|[1-4])?(MO|TU|WE|TH|FR|SA|SU)")


def parse_rrule(value: str) -> dict:
    parts = {}
    for chunk in value.split(";"):
        key, sep, val = chunk.partition("=")
        if not sep or key in parts:
            raise ValueError(f"malformed RRULE part {chunk!r}")
        parts[key] = val
    return parts


def check_rrule_parts(parts: dict, all_day: bool) -> list:
    """Return the problems of the RRULE parts themselves: keys, FREQ, INTERVAL, COUNT, UNTIL."""
    problems = []
    unknown = set(parts) - RRULE_KEYS
    if unknown:
        problems.append(f"unknown RRULE keys {sorted(unknown)}")
    if parts.get("FREQ") not in FREQS:
        problems.append("RRULE without a valid FREQ")
    interval = parts.get("INTERVAL")
    if interval is not None and not (interval.isdigit() and int(interval) > 1):
        problems.append("INTERVAL must be an integer above 1")
    if "COUNT" in parts and "UNTIL" in parts:
        problems.append("COUNT and UNTIL together")
    if "UNTIL" in parts:
        form = r"\d{8}" if all_day else r"\d{8}T235959"
        if not re.fullmatch(form, parts["UNTIL"]):
            kind = "all-day" if all_day else "timed"
            problems.append(f"UNTIL {parts['UNTIL']!r} does not have the {kind} form {form}")
    return problems


def start_matches_byday(first: date, byday: str) -> bool:
    """True when the day is one of the BYDAY items ("TH", "1TH" first Thursday, "-1FR" last
    Friday of the month)."""
    for item in byday.split(","):
        m = BYDAY_RE.fullmatch(item)
        if not m or WD_RRULE.index(m.group(2)) != first.weekday():
            continue
        n = m.group(1)
        if n is None:
            return True
        if n == "-1" and is_last_weekday_in_month(first):
            return True
        if n != "-1" and nth_of_weekday_in_month(first) == int(n):
            return True
    return False


def check_recurrence(value: str, start: Optional[str], all_day: bool) -> list:
    """Return the problems of a recurrence label and of its start as the first occurrence."""
    try:
        parts = parse_rrule(value)
    except ValueError as err:
        return [str(err)]
    problems = check_rrule_parts(parts, all_day)
    if start is None:
        return problems + ["recurrence without a start"]

    value_start, _ = parse_local(start)
    first = value_start.date() if isinstance(value_start, datetime) else value_start
    if "BYDAY" in parts:
        invalid = [i for i in parts["BYDAY"].split(",") if not BYDAY_RE.fullmatch(i)]
        if invalid:
            problems.append(f"invalid BYDAY items {invalid}")
        elif not start_matches_byday(first, parts["BYDAY"]):
            problems.append(f"start {start} is not a day of BYDAY={parts['BYDAY']}")
    if "BYMONTHDAY" in parts and str(first.day) != parts["BYMONTHDAY"]:
        problems.append(f"start {start} is not day {parts['BYMONTHDAY']} of its month")
    if "UNTIL" in parts and parts["UNTIL"][:8] < first.strftime("%Y%m%d"):
        problems.append("UNTIL before the start")
    return problems


def check_case(case: dict) -> list:
    """Return the problems of one case (empty when it is valid and consistent)."""
    problems = []
    for key in ("id", "text", "ref", "expect"):
        if key not in case:
            problems.append(f"missing required key {key!r}")
    if problems:
        return problems
    if not isinstance(case["id"], str) or not ID_RE.fullmatch(case["id"]):
        problems.append(f"invalid id {case['id']!r}")
    if not isinstance(case["text"], str) or not case["text"].strip():
        problems.append("empty text")
    if not isinstance(case["ref"], str) or not REF_RE.fullmatch(case["ref"]):
        problems.append(f"invalid ref {case['ref']!r}")
        return problems
    ref = datetime.fromisoformat(case["ref"])
    tz = case.get("tz", "UTC")
    if tz not in available_timezones():
        problems.append(f"unknown tz {tz!r}")
        return problems
    if not wall_time_exists(tz, ref):
        problems.append(f"ref {case['ref']} does not exist once in {tz}")
    if case.get("locale", "en-US") not in ("en-US", "en-GB"):
        problems.append(f"invalid locale {case.get('locale')!r}")
    if case.get("source") != SOURCE:
        problems.append(f"source must be {SOURCE!r}")
    tags = case.get("tags", [])
    if not tags or len(set(tags)) != len(tags) or any(t not in TAGS for t in tags):
        problems.append(f"tags must be unique names from the vocabulary: {tags}")
    expect = case["expect"]
    if not isinstance(expect, dict) or not expect:
        return problems + ["expect must be a non-empty object"]
    unknown = set(expect) - set(EXPECT_KEYS)
    if unknown:
        problems.append(f"unknown expect keys {sorted(unknown)}")
    for key in ("title", "location", "recurrence"):
        value = expect.get(key)
        if key in expect and value is not None and not (isinstance(value, str) and value.strip()):
            problems.append(f"{key} must be a non-empty string or null")
    if "title" in expect and expect["title"] and expect["title"] != clean_title(expect["title"]):
        problems.append(f"title {expect['title']!r} keeps a leading article or edge punctuation")
    for key in ("start", "end"):
        if key in expect and expect[key] is not None:
            if not isinstance(expect[key], str) or not DATETIME_RE.fullmatch(expect[key]):
                problems.append(f"invalid {key} {expect[key]!r}")
    if problems:
        return problems
    duration = expect.get("duration_min")
    if "duration_min" in expect and not (type(duration) is int and duration > 0):
        problems.append("duration_min must be a positive integer")
    if "all_day" in expect and type(expect["all_day"]) is not bool:
        problems.append("all_day must be a boolean")
    attendees = expect.get("attendees")
    names_ok = isinstance(attendees, list) and all(isinstance(a, str) and a.strip()
                                                   for a in attendees)
    if "attendees" in expect and not names_ok:
        problems.append("attendees must be a list of names")

    start, end = expect.get("start"), expect.get("end")
    all_day = expect.get("all_day") is True
    start_value = parse_local(start) if start else None
    if start_value:
        is_date = not isinstance(start_value[0], datetime)
        if is_date != all_day:
            problems.append("a date-only start needs all_day true, and all_day true needs a "
                            "date-only start")
        if start_value[1] and "timezone" not in tags:
            problems.append("start has an offset but no timezone tag")
        if not start_value[1] and "timezone" in tags:
            problems.append("timezone tag without an offset")
        first_day = start_value[0] if is_date else start_value[0].date()
        if first_day < ref.date():
            problems.append("start before ref")
        if not is_date and not start_value[1]:
            if start_value[0] < ref:
                problems.append("start before ref")
            if not wall_time_exists(tz, start_value[0]):
                problems.append(f"start {start} does not exist once in {tz}")
    if end:
        end_value = parse_local(end)
        if isinstance(end_value[0], datetime) and not end_value[1] and \
                not wall_time_exists(tz, end_value[0]):
            problems.append(f"end {end} does not exist once in {tz}")
        if not start_value:
            problems.append("end without start")
        elif isinstance(end_value[0], datetime) != isinstance(start_value[0], datetime):
            problems.append("start and end of different precision")
        elif not end_value[0] > start_value[0] and end_value[1] == start_value[1]:
            problems.append("end not after start")
        elif all_day and (end_value[0] - start_value[0]).days < 2:
            problems.append("a single-day all-day event must not carry an end")
        if "range-midnight" in tags and not end_value[0].date() > start_value[0].date():
            problems.append("range-midnight without an end on a later day")
    if "duration_min" in expect:
        if not (start_value and end and isinstance(start_value[0], datetime)):
            problems.append("duration without a timed start and end")
        else:
            delta = parse_local(end)[0] - start_value[0]
            if delta != timedelta(minutes=expect["duration_min"]):
                problems.append("end is not start plus duration_min")
    if "recurrence" in expect:
        problems += check_recurrence(expect["recurrence"], start, all_day)

    def tag_matches(tag: str, present: bool) -> None:
        if (tag in tags) != present:
            problems.append(f"tag {tag!r} {'missing' if present else 'set'} for these labels")

    tag_matches("recurrence", "recurrence" in expect)
    tag_matches("all-day", all_day)
    tag_matches("duration", "duration_min" in expect)
    tag_matches("location", "location" in expect)
    tag_matches("attendees", "attendees" in expect)
    tag_matches("no-date", "start" in expect and start is None)
    if "day-first" in tags and case.get("locale") != "en-GB":
        problems.append("day-first without locale en-GB")
    return problems


def validate(cases: list) -> list:
    problems = []
    ids, texts = Counter(), Counter()
    for line, case in enumerate(cases, 1):
        for problem in check_case(case):
            problems.append(f"line {line} ({case.get('id', '?')}): {problem}")
        ids[case.get("id")] += 1
        texts[re.sub(r"\s+", " ", str(case.get("text", "")).lower())] += 1
    problems += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    problems += [f"duplicate text {t!r}" for t, n in texts.items() if n > 1]
    if len(cases) < MIN_CASES:
        problems.append(f"only {len(cases)} cases, at least {MIN_CASES} required")
    counts = tag_counts(cases)
    for tag in TAGS:
        if counts[tag] < MIN_TAG_USES:
            problems.append(f"tag {tag!r} used {counts[tag]} times, at least {MIN_TAG_USES} "
                            "required")
    return problems


def tag_counts(cases: list) -> Counter:
    return Counter(t for c in cases for t in c.get("tags", []))
