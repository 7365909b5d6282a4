"""Reading conventions of the bundled corpus.

Calendar arithmetic, the resolvers that turn each kind of date phrase into a date given `ref`
and the event's clock time, and UTC offsets of zones named in a text. Also the corpus
vocabulary (tags and expect keys) and Reject, which any draw may raise when the conventions
leave its case unclear.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable, Optional
from zoneinfo import ZoneInfo

SOURCE = "caltune:generated"
MIN_CASES = 850
MIN_TAG_USES = 10

# The tag vocabulary: every case's tags come from this table, and each must be used at least
# MIN_TAG_USES times.
TAGS = {
    "quick-add": "terse calendar quick-add line (\"Dentist tue 3pm\")",
    "calendar-entry": "a full sentence as typed into a calendar or a to-do app",
    "chat": "chat message between people",
    "email": "email body, possibly with greeting, signature and quoted reply",
    "reminder": "reminder request (\"remind me to ...\")",
    "relative-date": "date relative to ref: today, tomorrow, weekdays, in N days, next week ...",
    "absolute-date": "calendar date written out (month name or numeric)",
    "numeric-date": "numeric date such as 4/15, 15/04/2027 or 2027-04-15",
    "day-first": "numeric date written day first, with locale en-GB",
    "weekday": "date named by a weekday",
    "next-weekday": "\"next <weekday>\"",
    "ordinal-day": "day of the month (\"on the 29th\", \"Monday the 18th\")",
    "nth-weekday": "nth or last weekday of a month",
    "holiday": "date named by a holiday",
    "time": "clock time in the text",
    "bare-hour": "hour without am/pm",
    "noon-midnight": "noon, midnight, 12pm or 12am",
    "part-of-day": "morning, afternoon, evening, tonight or night without a clock time",
    "range": "time range with start and end",
    "range-midnight": "time range whose end falls on the next day",
    "date-range": "span over several days",
    "duration": "stated duration (\"for 90 minutes\", \"45 min call\")",
    "recurrence": "recurring event with an RRULE",
    "all-day": "all-day event",
    "timezone": "zone named in the text, start carries a UTC offset",
    "dst": "daylight saving matters: a change day or a named zone in summer time",
    "typo": "misspelling or casual spelling (tmrw, weds, 2nite, @ 4)",
    "location": "location labelled",
    "attendees": "attendees labelled",
    "no-date": "text without an event date",
    "lookalike-word": "word or number that looks like a date or time but is not one",
    "year-rollover": "the event falls in a later year than ref",
    "ambiguous": "many people would read the phrase differently from the label",
}

EXPECT_KEYS = ("title", "start", "end", "duration_min", "all_day", "location", "attendees",
               "recurrence")


class Reject(Exception):
    """The draw gives a case that the conventions leave unclear or that reads unnaturally."""


# ---------------------------------------------------------------------------------------------
# Calendar arithmetic
# ---------------------------------------------------------------------------------------------

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WD_ABBR = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WD_RRULE = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# Casual spellings that people type; the ones tagged `typo` are not standard abbreviations.
WD_CASUAL = [["mon"], ["tues"], ["weds", "wed"], ["thurs", "thur", "thu"], ["fri"],
             ["sat"], ["sun"]]
WD_MISSPELT = [None, "Tuseday", "Wensday", "Thrusday", "Firday", "Saturady", None]
MONTHS = [None, "January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTH_ABBR = [None, "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
              "Nov", "Dec"]
NUMBER_WORDS = [None, "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve"]
ORDINAL_WORDS = [None, "first", "second", "third", "fourth", "last"]


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def days_in_month(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


def first_of_next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def add_months(d: date, n: int) -> date:
    """Add n calendar months; a day that the target month lacks is rejected, not clamped."""
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    if d.day > days_in_month(year, month + 1):
        raise Reject("month arithmetic would clamp the day")
    return date(year, month + 1, d.day)


def nth_weekday(year: int, month: int, n: int, weekday: int) -> Optional[date]:
    """Return the nth `weekday` of the month (n = -1 for the last), or None if there is none."""
    if n == -1:
        d = date(year, month, days_in_month(year, month))
        return d - timedelta(days=(d.weekday() - weekday) % 7)
    d = date(year, month, 1)
    d += timedelta(days=(weekday - d.weekday()) % 7 + 7 * (n - 1))
    return d if d.month == month else None


def nth_of_weekday_in_month(d: date) -> int:
    return (d.day - 1) // 7 + 1


def is_last_weekday_in_month(d: date) -> bool:
    return d.day + 7 > days_in_month(d.year, d.month)


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@dataclass
class Holiday:
    phrases: list
    on_year: Callable[[int], date]
    us_only: bool = False
    gb_only: bool = False


HOLIDAYS = {
    "christmas": Holiday(["Christmas", "Christmas Day", "christmas"],
                         lambda y: date(y, 12, 25)),
    "christmas-eve": Holiday(["Christmas Eve", "xmas eve"], lambda y: date(y, 12, 24)),
    "boxing-day": Holiday(["Boxing Day"], lambda y: date(y, 12, 26), gb_only=True),
    "new-years-day": Holiday(["New Year's Day", "New Years Day"], lambda y: date(y, 1, 1)),
    "new-years-eve": Holiday(["New Year's Eve", "NYE"], lambda y: date(y, 12, 31)),
    "valentines": Holiday(["Valentine's Day", "Valentines Day"], lambda y: date(y, 2, 14)),
    "st-patricks": Holiday(["St. Patrick's Day", "St Patrick's Day"], lambda y: date(y, 3, 17)),
    "halloween": Holiday(["Halloween"], lambda y: date(y, 10, 31)),
    "independence-day": Holiday(["the Fourth of July", "Independence Day", "July 4th"],
                                lambda y: date(y, 7, 4), us_only=True),
    "juneteenth": Holiday(["Juneteenth"], lambda y: date(y, 6, 19), us_only=True),
    "veterans-day": Holiday(["Veterans Day"], lambda y: date(y, 11, 11), us_only=True),
    "easter": Holiday(["Easter", "Easter Sunday"], easter_sunday),
    "good-friday": Holiday(["Good Friday"], lambda y: easter_sunday(y) - timedelta(days=2)),
    "easter-monday": Holiday(["Easter Monday"], lambda y: easter_sunday(y) + timedelta(days=1),
                             gb_only=True),
    "thanksgiving": Holiday(["Thanksgiving", "Thanksgiving Day"],
                            lambda y: nth_weekday(y, 11, 4, 3), us_only=True),
    "black-friday": Holiday(["Black Friday"],
                            lambda y: nth_weekday(y, 11, 4, 3) + timedelta(days=1), us_only=True),
    "memorial-day": Holiday(["Memorial Day"], lambda y: nth_weekday(y, 5, -1, 0), us_only=True),
    "labor-day": Holiday(["Labor Day"], lambda y: nth_weekday(y, 9, 1, 0), us_only=True),
    "mothers-day": Holiday(["Mother's Day", "Mothers Day"], lambda y: nth_weekday(y, 5, 2, 6),
                           us_only=True),
    "fathers-day": Holiday(["Father's Day"], lambda y: nth_weekday(y, 6, 3, 6), us_only=True),
    "mlk-day": Holiday(["MLK Day", "Martin Luther King Day"], lambda y: nth_weekday(y, 1, 3, 0),
                       us_only=True),
    "presidents-day": Holiday(["Presidents' Day", "Presidents Day"],
                              lambda y: nth_weekday(y, 2, 3, 0), us_only=True),
}


def next_holiday(ref_day: date, key: str) -> date:
    """Return the holiday's next date on or after ref's day, as for any date without a year."""
    rule = HOLIDAYS[key].on_year
    d = rule(ref_day.year)
    return d if d >= ref_day else rule(ref_day.year + 1)


# ---------------------------------------------------------------------------------------------
# Reading conventions: each resolver turns one kind of phrase into a date, given ref and the
# event's clock time (None for an all-day event).
# ---------------------------------------------------------------------------------------------

def time_is_ahead(ref: datetime, t: time) -> bool:
    return t > ref.time()


def resolve_time_only(ref: datetime, t: time) -> date:
    """Resolve a time without a date: today while it is still ahead of ref, else tomorrow."""
    return ref.date() if time_is_ahead(ref, t) else ref.date() + timedelta(days=1)


def resolve_today(ref: datetime, t: Optional[time]) -> date:
    if t is not None and not time_is_ahead(ref, t):
        raise Reject("an explicit today whose time is past")
    return ref.date()


def resolve_weekday(ref: datetime, weekday: int, t: Optional[time]) -> date:
    """Resolve a bare or "this" weekday to the nearest such day whose event time is not past.

    Today counts only when the time is still ahead. An all-day event written on the same
    weekday is rejected, because the conventions do not say whether today or next week is meant.
    """
    delta = (weekday - ref.weekday()) % 7
    if delta == 0:
        if t is None:
            raise Reject("all-day bare weekday written on that weekday")
        if not time_is_ahead(ref, t):
            delta = 7
    return ref.date() + timedelta(days=delta)


def resolve_next_weekday(ref: datetime, weekday: int) -> date:
    """"next <weekday>": that weekday in the following Monday-based week."""
    monday_next = ref.date() - timedelta(days=ref.weekday()) + timedelta(days=7)
    return monday_next + timedelta(days=weekday)


def next_weekday_is_ambiguous(ref: datetime, weekday: int) -> bool:
    """Many people read "next Friday" as the nearest Friday when that is still this week, and
    on a weekend "next Monday" is read both as two days and as nine days on."""
    return weekday > ref.weekday() or ref.weekday() >= 5


def resolve_month_day(ref: datetime, month: int, day: int, year: Optional[int],
                      t: Optional[time]) -> date:
    """Resolve a calendar date: the year as written, else the next such date on or after ref's
    day. A date already past (or today with its time past) is rejected."""
    if year is not None:
        try:
            d = date(year, month, day)
        except ValueError:
            raise Reject("no such date")
    else:
        y = ref.year
        while True:
            try:
                d = date(y, month, day)
            except ValueError:
                y += 1
                continue
            if d >= ref.date():
                break
            y += 1
    if d < ref.date() or (d == ref.date() and t is not None and not time_is_ahead(ref, t)):
        raise Reject("calendar date already past")
    return d


def resolve_ordinal_day(ref: datetime, day: int) -> date:
    """Resolve a day of the month alone to the next month, from ref's, that has that day on or
    after ref's day. The same day as ref is rejected because "on the 4th" written on the 4th
    reads oddly."""
    y, m = ref.year, ref.month
    for _ in range(14):
        if day <= days_in_month(y, m):
            d = date(y, m, day)
            if d > ref.date():
                return d
            if d == ref.date():
                raise Reject("ordinal day written on that day")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    raise Reject("no month with that day")


def resolve_nth_weekday_from(ref: datetime, n: int, weekday: int, month: Optional[int]) -> date:
    """Resolve the nth weekday of a named month: this year's if it lies after ref's day, else
    next year's."""
    for year in (ref.year, ref.year + 1):
        d = nth_weekday(year, month, n, weekday)
        if d is not None and d > ref.date():
            return d
    raise Reject("no such nth weekday ahead")


def first_occurrence(ref: datetime, t: Optional[time], matches: Callable[[date], bool],
                     start_from: Optional[date] = None) -> date:
    """Return the first day of a recurrence on or after ref (or its "starting" date) whose time
    is still ahead. An all-day rule whose first day would be ref's own day is rejected, as for a
    bare weekday."""
    first = start_from or ref.date()
    for i in range(0, 800):
        d = first + timedelta(days=i)
        if not matches(d):
            continue
        if d > ref.date():
            return d
        if t is None:
            raise Reject("all-day recurrence starting on ref's day")
        if time_is_ahead(ref, t):
            return d
    raise Reject("no occurrence found")


def bare_hour(hour: int, evening: bool) -> int:
    """Return the 24-hour reading of an hour without am/pm. 7 to 11 are morning, 12 is noon and
    1 to 6 are afternoon. An evening word (tonight, dinner, night, evening) makes any of them pm."""
    if not 1 <= hour <= 12:
        raise ValueError(f"bare hour out of range: {hour}")
    if evening:
        if hour == 12:
            raise Reject("12 with an evening word is unclear")
        return hour + 12
    if 7 <= hour <= 11:
        return hour
    if hour == 12:
        return 12
    return hour + 12


PART_OF_DAY = {"morning": time(9, 0), "afternoon": time(15, 0), "evening": time(18, 0),
               "night": time(20, 0), "tonight": time(20, 0)}
END_OF_DAY = time(23, 59, 59)
EVENING_WORDS = ("tonight", "tonite", "2nite", "dinner", "night", "evening")


def has_evening_word(text: str) -> bool:
    low = text.lower()
    return any(re.search(rf"\b{w}\b", low) for w in EVENING_WORDS)


# ---------------------------------------------------------------------------------------------
# Zones and formatting
# ---------------------------------------------------------------------------------------------

def wall_time_exists(zone: str, dt: datetime) -> bool:
    """False for a wall-clock time inside a daylight-saving gap, or repeated by a fall back."""
    z = ZoneInfo(zone)
    aware = dt.replace(tzinfo=z)
    back = aware.astimezone(ZoneInfo("UTC")).astimezone(z).replace(tzinfo=None)
    other = dt.replace(tzinfo=z, fold=1).utcoffset()
    return back == dt and other == aware.utcoffset()


def utc_offset(zone: str, dt: datetime) -> timedelta:
    return dt.replace(tzinfo=ZoneInfo(zone)).utcoffset()


def format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def is_dst_change_day(zone: str, d: date) -> bool:
    """True when the zone's UTC offset at the start of `d` differs from that at the next day's."""
    z = ZoneInfo(zone)
    today = datetime.combine(d, time(0, 0), tzinfo=z).utcoffset()
    tomorrow = datetime.combine(d + timedelta(days=1), time(0, 0), tzinfo=z).utcoffset()
    return today != tomorrow


def in_summer_time(zone: str, dt: datetime) -> bool:
    return bool(dt.replace(tzinfo=ZoneInfo(zone)).dst())


def fmt_date(d: date) -> str:
    return d.isoformat()


def fmt_dt(d: date, t: time, offset: Optional[str] = None) -> str:
    s = f"{d.isoformat()}T{t.hour:02d}:{t.minute:02d}"
    if t.second:
        s += f":{t.second:02d}"
    return s + (offset or "")


# Zone names people write, with the IANA zone whose rule gives the offset. A fixed
# abbreviation (EST, CEST, AEST ...) carries the offset it names, so it is only drawn on dates
# when its zone is actually on that offset and both readings agree.
@dataclass
class ZoneName:
    text: str
    zone: str
    fixed_hours: Optional[float] = None


ZONE_NAMES = [
    ZoneName("ET", "America/New_York"), ZoneName("Eastern", "America/New_York"),
    ZoneName("EST", "America/New_York", -5), ZoneName("EDT", "America/New_York", -4),
    ZoneName("CT", "America/Chicago"), ZoneName("Central", "America/Chicago"),
    ZoneName("CST", "America/Chicago", -6), ZoneName("CDT", "America/Chicago", -5),
    ZoneName("MT", "America/Denver"),
    ZoneName("PT", "America/Los_Angeles"), ZoneName("Pacific", "America/Los_Angeles"),
    ZoneName("PST", "America/Los_Angeles", -8), ZoneName("PDT", "America/Los_Angeles", -7),
    ZoneName("UK time", "Europe/London"), ZoneName("London time", "Europe/London"),
    ZoneName("GMT", "Europe/London", 0), ZoneName("BST", "Europe/London", 1),
    ZoneName("CET", "Europe/Berlin", 1), ZoneName("CEST", "Europe/Berlin", 2),
    ZoneName("Berlin time", "Europe/Berlin"), ZoneName("Paris time", "Europe/Paris"),
    ZoneName("JST", "Asia/Tokyo"), ZoneName("Tokyo time", "Asia/Tokyo"),
    ZoneName("AEST", "Australia/Sydney", 10), ZoneName("AEDT", "Australia/Sydney", 11),
    ZoneName("Sydney time", "Australia/Sydney"),
    ZoneName("India time", "Asia/Kolkata"), ZoneName("SGT", "Asia/Singapore"),
    ZoneName("UTC", "UTC"),
]


# Zones of `ref`, with the locale their users write numeric dates in. Weights favour the
# zones with most users of an English-language calendar.
CASE_ZONES = [
    ("America/New_York", "en-US", 9), ("America/Chicago", "en-US", 5),
    ("America/Denver", "en-US", 3), ("America/Los_Angeles", "en-US", 7),
    ("America/Toronto", "en-US", 3), ("America/Phoenix", "en-US", 1),
    ("Pacific/Honolulu", "en-US", 1), ("UTC", "en-US", 1),
    ("Europe/London", "en-GB", 6), ("Europe/Dublin", "en-GB", 2),
    ("Europe/Berlin", "en-GB", 2), ("Europe/Paris", "en-GB", 1),
    ("Australia/Sydney", "en-GB", 3), ("Pacific/Auckland", "en-GB", 2),
    ("Asia/Kolkata", "en-GB", 2), ("Asia/Singapore", "en-GB", 2),
    ("Asia/Tokyo", "en-US", 1), ("Africa/Johannesburg", "en-GB", 1),
]
US_ZONES = [zone for zone, locale, _ in CASE_ZONES
            if locale == "en-US" and zone.startswith(("America/", "Pacific/Honolulu"))]
DST_ZONES = ["America/New_York", "America/Chicago", "America/Los_Angeles", "America/Denver",
             "America/Toronto", "Europe/London", "Europe/Berlin", "Europe/Paris",
             "Europe/Dublin", "Australia/Sydney", "Pacific/Auckland"]
