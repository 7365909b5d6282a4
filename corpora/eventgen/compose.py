"""Lay out drawn phrases as text, label the event, and check a finished draft."""

import re
from datetime import date, datetime, time, timedelta
from typing import Optional

from .conventions import (
    DST_ZONES, EXPECT_KEYS, Reject, SOURCE, fmt_date, fmt_dt, is_dst_change_day,
    wall_time_exists,
)
from .phrases import DatePhrase, Draft, Gen, Place, TimePhrase, Title, add_place

# ---------------------------------------------------------------------------------------------
# Composing and finishing cases
# ---------------------------------------------------------------------------------------------

def set_start(d: Draft, day: date, t: Optional[time], offset: Optional[str] = None) -> None:
    """Label the start: date only and all-day without a time, else the local wall clock."""
    if t is None:
        d.expect["start"] = fmt_date(day)
        d.expect["all_day"] = True
        d.tags.add("all-day")
    else:
        d.expect["start"] = fmt_dt(day, t, offset)


def set_duration(d: Draft, day: date, t: time, minutes: int, offset: Optional[str] = None) -> None:
    """Label a stated duration: duration_min, and the end, because the start has a time."""
    end = datetime.combine(day, t) + timedelta(minutes=minutes)
    d.expect["duration_min"] = minutes
    d.expect["end"] = fmt_dt(end.date(), end.time(), offset)
    d.tags.add("duration")


def set_range_end(d: Draft, day: date, start: time, end: time,
                  offset: Optional[str] = None) -> None:
    """Label the end of a time range. An end at or before its start falls on the next day."""
    end_day = day if end > start else day + timedelta(days=1)
    d.expect["end"] = fmt_dt(end_day, end, offset)
    d.tags.add("range")
    if end_day != day:
        d.tags.add("range-midnight")


def set_attendees(d: Draft, names: Optional[list]) -> None:
    if names is not None:
        d.expect["attendees"] = list(names)
        d.tags.add("attendees")


def parse_local(value: str) -> tuple:
    """Split a start/end label into (naive datetime or date, offset text or None)."""
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?([+-]\d{2}:\d{2})?)?",
                     value)
    if not m:
        raise ValueError(f"invalid date-time label {value!r}")
    day = date.fromisoformat(m.group(1))
    if m.group(2) is None:
        return day, None
    t = time(int(m.group(2)), int(m.group(3)), int(m.group(4) or 0))
    return datetime.combine(day, t), m.group(5)


MONTH_WORD_RE = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"


def has_run_on_numbers(text: str) -> bool:
    """True when a bare number runs into another number or a month ("at 3 10 days from now",
    "1/11 11 to 1", "at 2 June 11th"), which no one would type because it reads as one."""
    low = text.lower()
    if re.search(r"\b\d{1,2}(?::\d{2})?\s+\d{1,2}(?:[/:.]|\b)(?!\s*(?:am|pm|a\.m|p\.m))", low):
        if not re.search(r"\b\d{1,2}(?::\d{2})?\s+\d{4}\b", low):
            return True
    if re.search(r"\d/\d{1,2}(?:/\d{2,4})?\s+\d{1,2}\b(?!:|\s*(?:am|pm|a\.m|p\.m|a\b|p\b))", low):
        return True
    if re.search(rf"\b(?:at|@|to|until|-)\s*\d{{1,2}}(?::\d{{2}})?\s+{MONTH_WORD_RE}\s+\d", low):
        return True
    # "the first Friday of June 11 a.m." and "in May 08:15" read as dates.
    if re.search(rf"\b{MONTH_WORD_RE}\s+\d{{1,2}}(?::\d{{2}}|\s*(?:am|pm|a\.m|p\.m)\b)", low):
        return True
    return False


def finish(d: Draft, title: bool = True) -> dict:
    """Check a draft against the conventions it must meet and return the case object.

    Adds the tags that follow from the labels (year-rollover, dst) and rejects a draft whose
    start lies before ref or whose wall-clock time does not exist in its zone.
    """
    text = d.text()
    if has_run_on_numbers(text):
        raise Reject("numbers run into each other")
    if title and "title" not in d.expect:
        t = d.title()
        if not t:
            raise Reject("empty title")
        d.expect["title"] = t
    start = d.expect.get("start")
    if start is not None:
        value, offset = parse_local(start)
        start_day = value if isinstance(value, date) and not isinstance(value, datetime) \
            else value.date()
        if start_day < d.ref.date():
            raise Reject("start before ref")
        if isinstance(value, datetime) and offset is None:
            if value < d.ref:
                raise Reject("start before ref")
            if not wall_time_exists(d.tz, value):
                raise Reject("start inside a daylight-saving gap or fold")
        if start_day.year > d.ref.year:
            d.tags.add("year-rollover")
        timed = isinstance(value, datetime)
        if timed and d.tz in DST_ZONES and (is_dst_change_day(d.tz, d.ref.date())
                                            or is_dst_change_day(d.tz, start_day)):
            d.tags.add("dst")
    end = d.expect.get("end")
    if end is not None:
        value, offset = parse_local(end)
        if isinstance(value, datetime) and offset is None and not wall_time_exists(d.tz, value):
            raise Reject("end inside a daylight-saving gap or fold")
    case = {"text": text, "ref": d.ref.isoformat(timespec="seconds"), "tz": d.tz}
    if d.locale != "en-US":
        case["locale"] = d.locale
    case["expect"] = {k: d.expect[k] for k in EXPECT_KEYS if k in d.expect}
    case["tags"] = sorted(d.tags)
    case["source"] = SOURCE
    return case


def new_draft(g: Gen, zone_kind: str = "any", ref_mode: str = "any", hours: tuple = (6, 23),
              zero_seconds: bool = False) -> Draft:
    tz, locale = g.zone(zone_kind)
    if ref_mode == "dst" and tz not in DST_ZONES:
        tz, locale = g.zone("dst")
    ref = g.ref(tz, ref_mode, hours, zero_seconds)
    return Draft(ref, tz, locale)


def time_prep(g: Gen, d: Draft, tp: TimePhrase, at_start: bool = False) -> str:
    """Write the time with "at", "@" or nothing before it. An hour without am/pm always has
    "at" or "@" ("Dentist tomorrow at 3"), since a lone number reads as something else."""
    if at_start:
        return tp.text
    if "bare-hour" in tp.tags:
        prep = g.weighted([("at", 8), ("@", 1)])
    else:
        prep = g.weighted([("at", 6), ("", 3), ("@", 1)])
    if prep == "@":
        d.tags.add("typo")
    return f"{prep} {tp.text}" if prep else tp.text


def date_text(g: Gen, dp: DatePhrase, at_start: bool = False) -> str:
    if dp.prep and not at_start and g.chance(0.5):
        return f"{dp.prep} {dp.text}"
    return dp.text


def capitalise_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def compose_quick(g: Gen, d: Draft, title: Title, dp: Optional[DatePhrase],
                  tp: Optional[TimePhrase], place: Optional[Place] = None) -> None:
    """Lay out title, date, time and place in one of the orders quick-add lines use:
    "Dentist tue 3pm", "Dentist at 3pm on Tuesday", "Tue 3pm: dentist" ..."""
    if dp and tp:
        order = g.choice(["TDH", "TDH", "TDH", "THD", "DHT"])
    elif dp:
        order = g.choice(["TD", "TD", "DT"])
    elif tp:
        order = g.choice(["TH", "TH", "HT"])
        if "bare-hour" in tp.tags:
            order = "TH"
    else:
        order = "T"
    force_prep = False
    for i, piece in enumerate(order):
        if piece == "T":
            date_first = order == "DT" and ("absolute-date" not in dp.tags or g.chance(0.4))
            holiday_first = order[0] == "D" and "holiday" in dp.tags
            if (i > 1 and g.chance(0.4)) or date_first or holiday_first:
                d.add(":", "sep")    # "Thursday: half day at school"
            d.add(title.text, "T")
            if place and i == 0 and g.chance(0.3):
                add_place(g, d, place)
                place = None
        elif piece == "D":
            word = date_text(g, dp, at_start=i == 0)
            if force_prep and not word.startswith(f"{dp.prep} "):
                word = f"{dp.prep} {word}"
            d.add(capitalise_first(word) if i == 0 else word, "date")
        else:
            d.add(time_prep(g, d, tp, at_start=i == 0), "time")
            if "bare-hour" in tp.tags and i + 1 < len(order) and order[i + 1] == "T":
                d.add(":", "sep")    # "Saturday at 2: investor update", not "at 2 investor"
            if "bare-hour" in tp.tags and i + 1 < len(order) and order[i + 1] == "D":
                if not dp.prep:
                    raise Reject("a bare hour straight before a date reads as one number")
                force_prep = True    # "at 4 on 2/6", not "at 4 2/6"
    if place:
        add_place(g, d, place)
    if dp:
        d.tags |= dp.tags
    if tp:
        d.tags |= tp.tags
    set_attendees(d, title.attendees)


def draw_timed_kind(g: Gen) -> str:
    return g.weighted([("meridiem", 10), ("24h", 2), ("noon", 1), ("bare", 3), ("words", 1)])


QUICK_DATE_KINDS = [("none", 6), ("today", 5), ("tomorrow", 12), ("day-after", 2),
                    ("weekday", 16), ("this-weekday", 3), ("coming-weekday", 1),
                    ("next-weekday", 5), ("month-name", 10), ("month-name-year", 2),
                    ("month-name-weekday", 2), ("numeric", 8), ("ordinal", 2),
                    ("weekday-ordinal", 1), ("in-days", 1), ("in-weeks", 1)]
