"""Templates by kind of date or time phrase: relative offsets, spans, parts of the day, end of
day, midnight, holidays, ordinal and nth-weekday dates, time and date ranges, durations,
recurrences, named zones and daylight-saving change days.

Each template draws one case. Its docstring states what the phrase means; the labels come from
the resolvers in conventions.py. A template raises Reject to have its case drawn again.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable, Optional
from zoneinfo import ZoneInfo

from .conventions import (
    END_OF_DAY, HOLIDAYS, MONTHS, NUMBER_WORDS, ORDINAL_WORDS, PART_OF_DAY, Reject, US_ZONES,
    WD_ABBR, WD_CASUAL, WD_RRULE, WEEKDAYS, ZONE_NAMES, ZoneName, bare_hour, days_in_month,
    first_occurrence, first_of_next_month, fmt_date, fmt_dt, format_offset, has_evening_word,
    in_summer_time, is_dst_change_day, is_last_weekday_in_month, nth_of_weekday_in_month,
    ordinal, resolve_month_day, resolve_time_only, resolve_today, resolve_weekday, utc_offset,
    wall_time_exists,
)
from .phrases import (
    APPOINTMENT_TITLES, DatePhrase, Draft, FIRST_NAMES, Gen, NEUTRAL_TITLES, TimePhrase, Title,
    WORK_TITLES, check_hours, draw_names, draw_title, month_name_date, month_word,
    names_phrase, number_word, numeric_date, pick_date, pick_holiday, pick_time, target_day,
)
from .compose import (
    capitalise_first, compose_quick, date_text, finish, new_draft, set_attendees, set_duration,
    set_range_end, set_start, time_prep,
)
from .templates_text import (
    ALLDAY_TITLES, check_bare_context, check_range_length, draw_date_and_time, pick_time_range,
    range_text,
)

RELATIVE_TITLES = ["Follow-up appointment", "Vaccine booster", "Check the compost",
                   "Dentist recall", "Review the trial results", "Rotate the tires",
                   "Performance check-in", "Replace the water filter", "Send the second invoice",
                   "Physio follow-up", "Visa renewal", "Warranty check", "Team photo retake",
                   "Post-op checkup", "Garden center trip", "Quarterly backup test"]


def tpl_relative_offset(g: Gen) -> dict:
    """<title> in N days / N weeks / N months, N days from now, a week from <weekday>, two
    weeks from tomorrow, the day after tomorrow: ref's day plus the offset (calendar months,
    a day the target month lacks is not drawn); with or without a time."""
    d = new_draft(g)
    title = Title(g.choice(RELATIVE_TITLES))
    kind = g.weighted([("in-days", 4), ("in-weeks", 5), ("in-months", 3), ("from-day", 4),
                       ("day-after", 1)])
    dp = pick_date(g, d, kind)
    tp = None
    if g.chance(0.35):
        tp = pick_time(g, g.weighted([("meridiem", 4), ("bare", 1), ("24h", 1)]))
        check_hours(title, tp.t)
    day = dp.resolve(tp.t if tp else None)
    compose_quick(g, d, title, dp, tp)
    set_start(d, day, tp.t if tp else None)
    d.tags.add("quick-add")
    return finish(d)


SHORT_TASKS = ["Check the oven", "Take the laundry out", "Call Dana back", "Move the car",
               "Join the standup", "Flip the roast", "Switch the sprinkler off",
               "Pick up the kids", "Take my meds", "Stretch break", "Check the deploy",
               "Leave for the airport"]


def tpl_in_minutes(g: Gen) -> dict:
    """<task> in N minutes / N hours / half an hour / an hour: ref plus that much time on the
    wall clock (draws that cross a daylight-saving change are not used). "in 20 minutes" is
    when the event starts, not how long it lasts."""
    d = new_draft(g, zero_seconds=True, hours=(7, 21))
    minutes, text = g.choice([(10, "in 10 minutes"), (15, "in 15 min"), (20, "in 20 minutes"),
                              (20, "in 20 mins"), (30, "in half an hour"), (30, "in 30 min"),
                              (45, "in 45 minutes"), (60, "in an hour"), (60, "in 1 hour"),
                              (90, "in 90 minutes"), (120, "in 2 hours"), (180, "in three hours"),
                              (90, "in an hour and a half")])
    start = d.ref + timedelta(minutes=minutes)
    aware_ref = d.ref.replace(tzinfo=ZoneInfo(d.tz))
    if utc_offset(d.tz, start) != aware_ref.utcoffset():
        raise Reject("offset crosses a daylight-saving change")
    task = g.choice(SHORT_TASKS)
    if g.chance(0.4):
        d.add(g.choice(["remind me to", "Remind me to"]), "req")
        d.add(task[0].lower() + task[1:], "T")
        d.tags.add("reminder")
    else:
        d.add(task, "T")
        d.tags.add("quick-add")
    d.add(text, "date")
    d.expect["start"] = fmt_dt(start.date(), start.time())
    d.tags.add("relative-date")
    return finish(d)


def tpl_end_of_month(g: Gen) -> dict:
    """<task> by the end of the month / end of next month: the last day of that month,
    all-day."""
    d = new_draft(g, ref_mode=g.choice(["any", "any", "month-end", "leap"]))
    task = g.choice(["Submit timesheet", "Pay the contractor", "Finish the grant report",
                     "File the mileage claim", "Renew the domain", "Close out Q3 expenses",
                     "Send the newsletter", "Book summer camp", "Cancel the free trial",
                     "Hand in the lab notebook"])
    nxt = g.chance(0.3)
    if nxt:
        phrase = g.choice(["by the end of next month", "end of next month",
                           "by end of next month"])
        m = first_of_next_month(d.ref.date())
    else:
        phrase = g.choice(["by the end of the month", "by end of month", "end of the month",
                           "before the end of the month", "by month end", "EOM"])
        m = d.ref.date().replace(day=1)
    day = date(m.year, m.month, days_in_month(m.year, m.month))
    d.add(task, "T")
    d.add(phrase, "date")
    set_start(d, day, None)
    d.tags.update({"relative-date", "quick-add"})
    return finish(d)


SPAN_TITLES = ["Camping trip", "Grandparents visiting", "Paint the fence", "Ski trip",
               "Clean the gutters", "Beach house", "Music festival", "Cousins visiting",
               "Yard sale", "Hiking trip", "Wedding weekend", "Kids with their dad"]


def tpl_weekend(g: Gen) -> dict:
    """<title> this weekend / the weekend / over the weekend: the coming Saturday to the
    Monday after it (exclusive), all-day. Only drawn from Monday to Friday."""
    d = new_draft(g)
    if d.ref.weekday() >= 5:
        raise Reject("weekend written on a weekend")
    sat = d.ref.date() + timedelta(days=5 - d.ref.weekday())
    phrase = g.choice(["this weekend", "this weekend", "the weekend", "over the weekend",
                       "this wknd"])
    if phrase == "this wknd":
        d.tags.add("typo")
    d.add(g.choice(SPAN_TITLES), "T")
    d.add(phrase, "date")
    set_start(d, sat, None)
    d.expect["end"] = fmt_date(sat + timedelta(days=2))
    d.tags.update({"relative-date", "date-range", "quick-add"})
    return finish(d)


def tpl_next_week(g: Gen) -> dict:
    """<title> next week: Monday of the following week to the Monday after (exclusive),
    all-day."""
    d = new_draft(g)
    monday = d.ref.date() - timedelta(days=d.ref.weekday()) + timedelta(days=7)
    d.add(g.choice(["Out of office", "Vacation", "Conference", "Jury duty", "Spring break",
                    "Kitchen renovation", "Working from Lisbon", "Parents visiting",
                    "Offsite", "Training course", "Audit"]), "T")
    d.add(g.choice(["next week", "next week", "all next week", "nxt week"]), "date")
    if "nxt" in d.parts[-1][0]:
        d.tags.add("typo")
    set_start(d, monday, None)
    d.expect["end"] = fmt_date(monday + timedelta(days=7))
    d.tags.update({"relative-date", "date-range", "quick-add"})
    return finish(d)


def tpl_whole_month(g: Gen) -> dict:
    """<title> in <Month> / next month: the month's first day to the next month's first day
    (exclusive), all-day. A named month is the next such month after ref's month."""
    d = new_draft(g, ref_mode=g.choice(["any", "year-end"]))
    title = g.choice(["Vacation", "Kitchen remodel", "Marathon training block", "Sabbatical",
                      "Trip to Japan", "Internship", "Visiting family", "Office move",
                      "Sister's wedding trip"])
    if g.chance(0.3):
        first = first_of_next_month(d.ref.date())
        phrase = "next month"
    else:
        k = g.randint(1, 8)
        y, m = divmod(d.ref.month - 1 + k, 12)
        first = date(d.ref.year + y, m + 1, 1)
        phrase = f"in {MONTHS[first.month]}"
    d.add(title, "T")
    d.add(phrase, "date")
    set_start(d, first, None)
    d.expect["end"] = fmt_date(first_of_next_month(first))
    d.tags.update({"relative-date" if phrase == "next month" else "absolute-date",
                   "date-range", "quick-add"})
    return finish(d)


# Plans that people make for the evening or night (an appointment at 8pm would not be real).
EVENING_PLANS = ["Call Mom", "Pack for the trip", "Bake the cake", "Wrap the presents",
                 "Watch the game", "Finish the slides", "Laundry", "Movie", "Meal prep",
                 "Drinks with the team", "Stargazing", "Book club", "Choir practice", "Yoga",
                 "Homework help", "Facetime with Grandma", "Budget spreadsheet"]


def part_title(g: Gen, part: str) -> Title:
    if part in ("evening", "night", "tonight"):
        return Title(g.choice(EVENING_PLANS))
    return Title(g.choice(NEUTRAL_TITLES + ["Call the bank", "Drop off the parcel"]))


def tpl_part_of_day(g: Gen) -> dict:
    """<title> <day> morning/afternoon/evening/night, or tonight: morning is 09:00, afternoon
    15:00, evening 18:00, tonight and night 20:00. "this <part>" is today. "in the <part>" is
    a time without a date, so today while it is ahead, else tomorrow."""
    d = new_draft(g)
    form = g.weighted([("tonight", 3), ("this", 3), ("day", 6), ("in-the", 2)])
    if form == "tonight":
        dp = pick_date(g, d, "tonight")
        t = PART_OF_DAY["tonight"]
        phrase = dp.text
        day = dp.resolve(t)
        tags = dp.tags
        part = "tonight"
    elif form == "this":
        part = g.choice(["morning", "afternoon", "evening"])
        t = PART_OF_DAY[part]
        phrase = f"this {part}"
        day = resolve_today(d.ref, t)
        tags = {"relative-date"}
    elif form == "in-the":
        part = g.choice(["morning", "afternoon", "evening"])
        t = PART_OF_DAY[part]
        phrase = f"in the {part}"
        day = resolve_time_only(d.ref, t)
        tags = set()
    else:
        part = g.choice(["morning", "afternoon", "evening", "night"])
        t = PART_OF_DAY[part]
        dp = pick_date(g, d, g.weighted([("tomorrow", 4), ("weekday", 5), ("next-weekday", 1)]))
        phrase = f"{dp.text} {part}"
        day = dp.resolve(t)
        tags = dp.tags

    title = part_title(g, part)
    d.add(title.text, "T")
    d.add(phrase, "date")
    set_start(d, day, t)
    d.tags |= tags
    d.tags.update({"part-of-day", "quick-add"})
    return finish(d)


def tpl_part_of_day_with_hour(g: Gen) -> dict:
    """<title> <day> morning/afternoon/evening at <hour>: the part of the day sets am or pm for
    an hour without one (morning at 8 is 08:00, afternoon at 2 is 14:00, evening at 7 or
    tonight at 9 is pm)."""
    d = new_draft(g)
    part = g.choice(["morning", "afternoon", "evening", "tonight", "night"])
    hour = {"morning": g.choice([7, 8, 9, 10, 11]), "afternoon": g.choice([1, 2, 3, 4, 5]),
            "evening": g.choice([6, 7, 8]), "tonight": g.choice([7, 8, 9, 10]),
            "night": g.choice([8, 9, 10, 11])}[part]
    evening = part in ("evening", "tonight", "night")
    h24 = bare_hour(hour, evening)
    minute = g.choice([0, 0, 0, 30, 15])
    t = time(h24, minute)
    hour_text = f"{hour}:{minute:02d}" if minute else str(hour)

    title = part_title(g, part)
    if part == "tonight":
        dp = pick_date(g, d, "tonight")
        phrase = g.choice([f"{dp.text} at {hour_text}", f"at {hour_text} {dp.text}"])
    else:
        dp = pick_date(g, d, g.weighted([("tomorrow", 4), ("weekday", 5), ("today", 1)]))
        if dp.text in ("today", "2day"):
            if part == "night":
                raise Reject("today night")
            phrase = f"this {part} at {hour_text}"
        else:
            phrase = f"{dp.text} {part} at {hour_text}"
    day = dp.resolve(t)
    tags = dp.tags
    if phrase.startswith("this "):
        tags = tags - {"typo"}      # "2day" was replaced by "this <part>"

    d.add(title.text, "T")
    d.add(phrase, "date")
    set_start(d, day, t)
    d.tags |= tags
    d.tags.update({"part-of-day", "bare-hour", "time", "quick-add"})
    return finish(d)


def tpl_end_of_day(g: Gen) -> dict:
    """<task> by EOD / by end of day <day>: 23:59:59 of that day."""
    d = new_draft(g, hours=(7, 21))
    task = g.choice(["Send the signed contract", "Submit the draft", "Approve the PR",
                     "Reply to legal", "Upload the photos", "Finalize the budget",
                     "Send feedback on the deck", "Return the survey"])
    form = g.randint(1, 4)
    if form == 1:
        dp = None
        phrase = g.choice(["by EOD", "by end of day", "EOD", "by the end of the day", "by eod"])
        day = resolve_today(d.ref, END_OF_DAY)
    else:
        dp = pick_date(g, d, g.weighted([("tomorrow", 3), ("weekday", 4), ("month-name", 1)]))
        day = dp.resolve(END_OF_DAY)
        if form == 2:
            phrase = f"by EOD {dp.text}"
        elif form == 3:
            phrase = f"by end of day {dp.text}"
        else:
            phrase = f"{date_text(g, dp)} EOD"
        d.tags |= dp.tags
    d.add(task, "T")
    d.add(phrase, "date")
    set_start(d, day, END_OF_DAY)
    d.tags.update({"time", "quick-add"})
    if dp is None:
        d.tags.add("relative-date")
    return finish(d)


def tpl_midnight(g: Gen) -> dict:
    """<title> at midnight [on <date>]: a bare "at midnight" is the next 00:00 after ref.
    "midnight on <date>" and "<date> at midnight" are 00:00 at the start of the day named. They
    are tagged ambiguous, because many people read them as the end of that day."""
    d = new_draft(g)
    title = g.choice(["Submit the application", "Server maintenance", "Ticket sale opens",
                      "Feed the sourdough", "Deploy the release", "Launch window",
                      "Registration closes"])
    word = g.weighted([("midnight", 6), ("12am", 2), ("12 a.m.", 1)])
    form = g.weighted([("bare", 5), ("date", 3)])
    if form == "bare":
        day = d.ref.date() + timedelta(days=1)
        phrase = g.choice([f"at {word}", f"by {word}", f"tonight at {word}"]) \
            if word == "midnight" else f"at {word}"
        if "tonight" in phrase:
            raise Reject("tonight at midnight reads both ways")
        d.tags.add("relative-date")
    else:
        dp = pick_date(g, d, g.weighted([("month-name", 3), ("weekday", 2), ("numeric", 1)]))
        day = dp.resolve(time(0, 0))
        phrase = g.choice([f"at {word} on {dp.text}", f"{dp.text} at {word}"])
        d.tags |= dp.tags
        d.tags.add("ambiguous")
    d.add(title, "T")
    d.add(phrase, "time")
    set_start(d, day, time(0, 0))
    d.tags.update({"time", "noon-midnight", "quick-add"})
    return finish(d)


# Events people put on each holiday, with the start hours that fit them (None: all-day only).
HOLIDAY_EVENTS = {
    "christmas": [("Family dinner", (15, 19)), ("Open presents", (7, 10)),
                  ("Church service", (9, 11)), ("Call Grandma", (10, 19))],
    "christmas-eve": [("Office closes early", None), ("Wrap presents", (18, 22)),
                      ("Family dinner", (17, 20))],
    "boxing-day": [("Walk on the beach", (10, 15)), ("Leftovers lunch", (12, 14)),
                   ("Football match", (12, 17))],
    "new-years-day": [("Polar bear swim", (10, 14)), ("Brunch", (10, 12)),
                      ("Office closed", None)],
    "new-years-eve": [("Countdown party", (20, 22)), ("Dinner reservation", (18, 21))],
    "valentines": [("Dinner reservation", (18, 21)), ("Flower delivery", None)],
    "st-patricks": [("Parade", (10, 13)), ("Pub quiz", (19, 21))],
    "halloween": [("Trick or treating", (16, 19)), ("Costume party", (19, 22)),
                  ("Pumpkin carving", (14, 19))],
    "independence-day": [("Fireworks", (20, 22)), ("BBQ", (11, 18)), ("Parade", (9, 12))],
    "juneteenth": [("Community festival", (10, 16)), ("Office closed", None)],
    "veterans-day": [("Parade", (9, 12)), ("Office closed", None)],
    "easter": [("Egg hunt", (9, 12)), ("Brunch", (10, 12)), ("Church service", (8, 11))],
    "good-friday": [("Office closed", None), ("Choir concert", (18, 20))],
    "easter-monday": [("Bank holiday walk", (10, 14)), ("Office closed", None)],
    "thanksgiving": [("Family dinner", (14, 18)), ("Turkey trot", (7, 9)),
                     ("Dinner with the in-laws", (14, 18))],
    "black-friday": [("Shopping", (6, 11)), ("Day off", None)],
    "memorial-day": [("BBQ", (11, 17)), ("Parade", (9, 12)), ("Lake trip", None)],
    "labor-day": [("BBQ", (11, 17)), ("Day off", None), ("Beach trip", None)],
    "mothers-day": [("Brunch", (10, 12)), ("Flowers for Mom", None), ("Family lunch", (11, 14))],
    "fathers-day": [("Brunch", (10, 12)), ("Golf", (7, 11)), ("BBQ", (12, 17))],
    "mlk-day": [("Day of service", (9, 13)), ("Office closed", None)],
    "presidents-day": [("Ski trip", None), ("Day off", None)],
}
# "the day before/after <holiday>": (holiday, days from it, event, hours or None).
HOLIDAY_NEIGHBOURS = [
    ("thanksgiving", -1, "Drive to Ohio", None),
    ("thanksgiving", 1, "Leftover sandwiches", (11, 14)),
    ("christmas", 1, "Return gifts", None), ("new-years-day", 1, "Back to work", None),
    ("easter", -1, "Dye eggs", (10, 17)), ("mothers-day", -1, "Buy flowers", None),
    ("independence-day", -1, "Buy fireworks", None),
]


def tpl_holiday(g: Gen) -> dict:
    """<title> on <holiday> [at <time>]: the holiday's next date on or after ref's day.

    US holidays are drawn only with US zones, Boxing Day and Easter Monday only with en-GB.
    HOLIDAYS defines the dates: Thanksgiving is the fourth Thursday of November, Memorial Day
    the last Monday of May, Labor Day the first Monday of September. Easter follows the
    Gregorian computus. "the day before/after <holiday>" is one day from the holiday's date.
    """
    d = new_draft(g, zone_kind=g.choice(["us", "us", "any"]),
                  ref_mode=g.choice(["any", "any", "year-end"]))
    shift = 0
    if g.chance(0.15):
        key, shift, event, hours = g.choice(HOLIDAY_NEIGHBOURS)
        if HOLIDAYS[key].us_only and d.tz not in US_ZONES:
            raise Reject("US holiday outside the US")
        dp = pick_holiday(g, d, set(), key)
        dp = DatePhrase(f"the day {'before' if shift < 0 else 'after'} "
                        f"{dp.text.removeprefix('the ')}", dp.resolve, dp.tags)
    else:
        dp = pick_holiday(g, d, set())
        key = next(k for k, h in HOLIDAYS.items() if dp.text in h.phrases)
        event, hours = g.choice(HOLIDAY_EVENTS[key])

    title = Title(event, "evening" if has_evening_word(event) else "neutral",
                  hours=hours or (0, 23))
    tp = None
    if hours and g.chance(0.5):
        tp = pick_time(g, g.weighted([("meridiem", 5), ("noon", 1), ("bare", 1)]), title.context)
        check_hours(title, tp.t)

    day = dp.resolve(tp.t if tp else None) + timedelta(days=shift)
    if day <= d.ref.date():
        raise Reject("holiday shift lands on or before ref's day")
    if dp.prep:
        # "Parade on Veterans Day" reads better than "Parade Veterans Day".
        dp.prep, dp.text = "", f"on {dp.text}"

    compose_quick(g, d, title, dp, tp)
    set_start(d, day, tp.t if tp else None)
    if tp:
        check_bare_context(d, tp, has_evening_word(title.text))
    d.tags.add("quick-add")
    return finish(d)


def tpl_ordinal(g: Gen) -> dict:
    """<title> on the <Nth> [at <time>] or <weekday> the <Nth>: the next month that has that
    day, on or after ref's day."""
    d = new_draft(g, ref_mode=g.choice(["any", "any", "month-end", "leap", "year-end"]))
    kind = g.weighted([("ordinal", 4), ("weekday-ordinal", 1)])
    if g.chance(0.5):
        title = draw_title(g, social=0.1)
        dp, tp, day, evening = draw_date_and_time(g, d, title, [(kind, 1)],
                                                  g.choice(["meridiem", "meridiem", "bare"]))
        compose_quick(g, d, title, dp, tp)
        check_bare_context(d, tp, evening)
        set_start(d, day, tp.t)
    else:
        title = Title(g.choice(ALLDAY_TITLES)[0])
        dp = pick_date(g, d, kind)
        day = dp.resolve(None)
        compose_quick(g, d, title, dp, None)
        set_start(d, day, None)
    d.tags.add("quick-add")
    return finish(d)


def tpl_nth_weekday(g: Gen) -> dict:
    """<title> on the first Monday of next month / the third Thursday in <Month> / the last
    Friday of the month [at <time>]: that weekday counted from the month's first day (last
    counted from its end)."""
    d = new_draft(g, ref_mode=g.choice(["any", "any", "month-end", "year-end"]))
    if g.chance(0.6):
        title = Title(g.choice(WORK_TITLES + APPOINTMENT_TITLES + [
            "Book club", "Neighborhood watch meeting", "Support group", "Pub quiz"]))
        if title.text == "Pub quiz":
            title.hours = (19, 21)
        dp, tp, day, evening = draw_date_and_time(g, d, title, [("nth", 1)],
                                                  g.choice(["meridiem", "meridiem", "24h"]))
        compose_quick(g, d, title, dp, tp)
        set_start(d, day, tp.t)
    else:
        title = Title(g.choice([t for t, _ in ALLDAY_TITLES] + [
            "Bake sale", "Town cleanup day", "Food truck festival", "Library book sale"]))
        dp = pick_date(g, d, "nth")
        compose_quick(g, d, title, dp, None)
        set_start(d, dp.resolve(None), None)
    d.tags.add("quick-add")
    return finish(d)


def tpl_time_range(g: Gen) -> dict:
    """<title> <date> <time range>: readings as in pick_time_range (meridiem on the end
    carries to the start, "9-5" is 09:00-17:00, an end at or before the start is next day)."""
    d = new_draft(g)
    title = draw_title(g, social=0.2, evening=0.15)
    midnight = g.chance(0.3)
    if midnight:
        title = Title(g.choice(["Stargazing", "Lock-in", "Release window", "Overnight deploy",
                                "House party", "Club night", "Meteor shower watch",
                                "Late movie", "Night bike ride", "Maintenance window"]))
        title.context = "evening" if has_evening_word(title.text) else "neutral"

    rtext, st, en, rtags = pick_time_range(g, title.context, allow_midnight=midnight)
    if not midnight:
        check_hours(title, st)
        check_range_length(title, st, en)
    dp = pick_date(g, d, g.weighted([("tomorrow", 4), ("weekday", 5), ("month-name", 3),
                                     ("numeric", 2), ("today", 2), ("next-weekday", 1)]))
    day = dp.resolve(st)

    order = g.choice(["TDR", "TDR", "TRD", "DRT"])
    for i, piece in enumerate(order):
        if piece == "T":
            if i:
                d.add(g.choice(["", ":"]), "sep")
            d.add(title.text, "T")
        elif piece == "D":
            word = date_text(g, dp, at_start=i == 0)
            d.add(capitalise_first(word) if i == 0 else word, "date")
        else:
            d.add(range_text(g, rtext), "time")

    d.tags |= dp.tags | rtags
    set_attendees(d, title.attendees)
    set_start(d, day, st)
    set_range_end(d, day, st, en)
    if "bare-hour" in rtags and has_evening_word(d.text()) != (title.context == "evening"):
        raise Reject("evening word and bare-hour reading disagree")
    d.tags.add("quick-add")
    return finish(d)


def tpl_midnight_start_range(g: Gen) -> dict:
    """<title> from midnight to <time> [on <date>]: midnight is 00:00 of the day named, or with
    no date the next 00:00 after ref."""
    d = new_draft(g)
    title = g.choice(["Database migration", "Network outage window", "Maintenance window",
                      "Data center move", "Index rebuild"])
    end_h = g.choice([2, 3, 4, 5, 6, 8, 12])
    if end_h == 12:
        end_text = "noon"
    else:
        end_text = f"{end_h}am" if g.chance(0.6) else f"{end_h} a.m."
    if g.chance(0.5):
        dp = pick_date(g, d, g.weighted([("month-name", 3), ("weekday", 2), ("numeric", 1)]))
        day = dp.resolve(time(0, 0))
        d.add(title, "T")
        d.add(f"from midnight to {end_text}", "time")
        d.add(date_text(g, dp), "date")
        d.tags |= dp.tags
    else:
        day = d.ref.date() + timedelta(days=1)
        d.add(title, "T")
        d.add(f"from midnight to {end_text}", "time")
        d.tags.add("relative-date")
    set_start(d, day, time(0, 0))
    set_range_end(d, day, time(0, 0), time(end_h, 0))
    d.tags.update({"time", "noon-midnight", "quick-add"})
    return finish(d)


TRIP_TITLES = ["Conference", "Family vacation", "Ski trip", "Trade show", "Beach week",
               "Sales kickoff", "Visiting grandparents", "Book fair", "Hackathon", "Road trip",
               "Workshop", "Kids' camp", "Festival", "Client onsite", "Retreat"]


def span_end_after(start: date, month: int, day: int) -> date:
    """Return the last day of a span: the first such date on or after the start, so that
    "Dec 30 - Jan 3" ends in the next year."""
    y = start.year
    while True:
        try:
            end = date(y, month, day)
        except ValueError:
            y += 1
            continue
        if end >= start:
            return end
        y += 1


def weekday_span(g: Gen, d: Draft, conn: str) -> tuple:
    """Draw "Tuesday through Thursday": (text, first day, last day), starting on the nearest
    such weekday after today."""
    a = g.randint(0, 5)
    b = g.randint(a + 1, 6)
    if a == d.ref.weekday():
        raise Reject("weekday span starting today")
    first = resolve_weekday(d.ref, a, None)
    last = first + timedelta(days=b - a)
    if g.chance(0.6):
        text = f"{WEEKDAYS[a]}{conn}{WEEKDAYS[b]}"
    else:
        joiner = conn.strip() if conn.strip() == "-" else conn
        text = f"{WD_ABBR[a]}{joiner}{WD_ABBR[b]}"
    if g.chance(0.4):
        text = f"from {WEEKDAYS[a]} to {WEEKDAYS[b]}"
    d.tags.update({"weekday", "relative-date"})
    return text, first, last


def calendar_span(g: Gen, d: Draft, form: str, conn: str, title: Title) -> tuple:
    """Draw "June 28 - July 2", "March 3-7" or "3/3 to 3/7": (text, first day, last day). The
    first day reads as any date without a year, the last as the first such date after it."""
    start_day = target_day(g, d.ref)
    long_stay = title.text in ("Family vacation", "Kids' camp", "Beach week",
                               "Visiting grandparents", "Road trip", "Festival")
    length = g.choice([1, 2, 3, 4, 6, 9, 13] if long_stay else [1, 2, 2, 3, 4])
    if form == "same-month" and \
            start_day.day + length > days_in_month(start_day.year, start_day.month):
        form = "month-name"
    last_target = start_day + timedelta(days=length)
    first = resolve_month_day(d.ref, start_day.month, start_day.day, None, None)
    last = span_end_after(first, last_target.month, last_target.day)

    tags = set()
    if form == "numeric":
        a_text, *_ = numeric_date(g, d.locale, tags, start_day, False)
        b_text, *_ = numeric_date(g, d.locale, tags, last_target, False)
        text = f"{a_text}{conn}{b_text}"
    elif form == "same-month":
        mon = month_word(g, start_day.month, tags)
        joiner = conn.strip() if conn.strip() in ("-", "–") else conn
        text = f"{mon} {start_day.day}{joiner}{last_target.day}"
        if d.locale == "en-GB" and g.chance(0.5):
            text = f"{start_day.day}{joiner}{last_target.day} {mon}"
    else:
        m1 = month_word(g, start_day.month, tags)
        m2 = month_word(g, last_target.month, tags)
        if d.locale == "en-GB" and g.chance(0.5):
            text = f"{start_day.day} {m1}{conn}{last_target.day} {m2}"
        else:
            text = f"{m1} {start_day.day}{conn}{m2} {last_target.day}"
        if g.chance(0.3):
            text = f"from {m1} {start_day.day} to {m2} {last_target.day}"
    d.tags |= tags
    d.tags.add("absolute-date")
    return text, first, last


def tpl_n_day_span(g: Gen, d: Draft) -> dict:
    """"3-day workshop starting March 3": an all-day span of N days from the date; the
    duration phrase leaves the title and gives no duration_min."""
    n = g.choice([2, 3, 3, 4, 5])
    dp = pick_date(g, d, g.weighted([("month-name", 3), ("weekday", 2), ("numeric", 1)]))
    first = dp.resolve(None)
    last = first + timedelta(days=n - 1)
    noun = g.choice(["workshop", "conference", "offsite", "course", "retreat"])

    d.add(f"{n}-day", "dur")
    d.add(noun, "T")
    d.add(g.choice(["starting", "starting on", "from"]), "date")
    d.add(dp.text, "date")
    d.tags |= dp.tags
    set_start(d, first, None)
    d.expect["end"] = fmt_date(last + timedelta(days=1))
    d.tags.update({"date-range", "quick-add"})
    return finish(d)


def tpl_date_range(g: Gen) -> dict:
    """<title> <first day> - <last day>: an all-day span whose end is exclusive, the day after
    the last day named (RFC 5545). See calendar_span, weekday_span and tpl_n_day_span for how
    each form reads."""
    d = new_draft(g, ref_mode=g.choice(["any", "any", "year-end", "month-end"]))
    title = Title(g.choice(TRIP_TITLES))
    form = g.weighted([("month-name", 6), ("same-month", 3), ("numeric", 3), ("weekday", 3),
                       ("n-day", 2)])
    conn = g.choice([" - ", "-", " to ", " through ", " – ", " thru "])
    if form == "n-day":
        return tpl_n_day_span(g, d)
    if form == "weekday":
        text, first, last = weekday_span(g, d, conn)
    else:
        text, first, last = calendar_span(g, d, form, conn, title)

    if " thru " in text:
        d.tags.add("typo")
    d.add(title.text, "T")
    d.add(text, "date")
    set_start(d, first, None)
    d.expect["end"] = fmt_date(last + timedelta(days=1))
    if last.year > d.ref.year:
        d.tags.add("year-rollover")
    d.tags.update({"date-range", "quick-add"})
    return finish(d)


def tpl_timed_span(g: Gen) -> dict:
    """<title> from <weekday> <time> to <weekday> <time>: a timed span over several days; each
    weekday is read as a bare weekday with its own time (the second on or after the first)."""
    d = new_draft(g)
    a = g.randint(0, 5)
    b = g.randint(a + 1, min(a + 3, 6))
    t1 = pick_time(g, "meridiem")
    t2 = pick_time(g, g.choice(["meridiem", "noon"]))
    first = resolve_weekday(d.ref, a, t1.t)
    last = first + timedelta(days=b - a)
    title = g.choice(["Camping trip", "Hackathon", "Festival", "Cabin weekend",
                      "Power outage window", "Car rental", "Dog sitting"])
    d.add(title, "T")
    d.add(f"from {WEEKDAYS[a]} {t1.text} to {WEEKDAYS[b]} {t2.text}", "date")
    d.expect["start"] = fmt_dt(first, t1.t)
    d.expect["end"] = fmt_dt(last, t2.t)
    d.tags |= t1.tags | t2.tags
    d.tags.update({"weekday", "relative-date", "date-range", "range", "quick-add"})
    return finish(d)


DURATIONS = [(90, "90 minutes"), (90, "an hour and a half"), (120, "2 hours"),
             (45, "45 mins"), (30, "half an hour"), (90, "1.5 hours"), (120, "2 hrs"),
             (60, "an hour"), (180, "3 hours"), (20, "20 minutes"), (30, "30 min"),
             (60, "1 hour"), (75, "75 minutes"), (150, "two and a half hours"),
             (240, "four hours"), (15, "15 minutes")]
# Durations written before the noun: "45 min call", "2-hour workshop".
PREFIX_DURATIONS = [(45, "45 min"), (30, "30-minute"), (120, "2-hour"), (90, "90 min"),
                    (60, "1 hr"), (15, "15-min"), (60, "one-hour"), (180, "3-hour"),
                    (25, "25 min")]
PREFIX_NOUNS = ["call", "check-in", "workshop", "interview", "sync", "phone screen",
                "walkthrough", "demo", "consultation", "massage", "run", "review"]


def tpl_duration(g: Gen) -> dict:
    """<title> <date> at <time> for <duration>, or "<duration> <noun>": duration_min as stated
    and end = start + duration. The duration phrase is not part of the title."""
    d = new_draft(g)
    dp_kinds = [("tomorrow", 4), ("weekday", 5), ("today", 2), ("month-name", 2),
                ("numeric", 1), ("next-weekday", 1), ("none", 2)]
    if g.chance(0.35):
        minutes, dur = g.choice(PREFIX_DURATIONS)
        noun = g.choice(PREFIX_NOUNS)
        names = draw_names(g, FIRST_NAMES, 2) if g.chance(0.5) else None
        lead = g.choice(["", "", "a"]) if not names else ""
        title = Title(f"{noun} with {names_phrase(g, names)}" if names else noun, "neutral", names)
        dp, tp, day, evening = draw_date_and_time(g, d, title, dp_kinds,
                                                  g.choice(["meridiem", "meridiem", "bare"]))
        if lead:
            d.add(lead, "T")
        d.add(dur, "dur")
        d.add(title.text, "T")
        if dp:
            d.add(date_text(g, dp), "date")
        d.add(time_prep(g, d, tp), "time")
        if dp:
            d.tags |= dp.tags
        d.tags |= tp.tags
        set_attendees(d, title.attendees)
    else:
        minutes, dur = g.choice(DURATIONS)
        title = draw_title(g, social=0.2, evening=0.1)
        dp, tp, day, evening = draw_date_and_time(g, d, title, dp_kinds)
        compose_quick(g, d, title, dp, tp)
        d.add(f"for {dur}", "dur")
        if g.chance(0.2) and dp and tp:
            # "Pottery class for 2 hours Thursday at 6pm": duration straight after the title.
            last = d.parts.pop()
            title_at = next(i for i, (_, r) in enumerate(d.parts) if r == "T")
            d.parts.insert(title_at + 1, last)
    check_bare_context(d, tp, has_evening_word(title.text) or (dp is not None and dp.evening))
    set_start(d, day, tp.t)
    set_duration(d, day, tp.t, minutes)
    d.tags.add("quick-add")
    return finish(d)


@dataclass
class Rule:
    """A recurrence as written and as an RRULE, with a test for the days it falls on."""
    text: str
    parts: dict
    matches: Callable[[date], bool]
    tags: set
    weekly_single: bool = False     # one weekday, no interval: "for N weeks" can be COUNT=N
    daily_plain: bool = False
    part_of_day: Optional[str] = None


def rrule_text(parts: dict) -> str:
    order = ["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL"]
    return ";".join(f"{k}={parts[k]}" for k in order if k in parts)


def draw_rule(g: Gen, kind: str) -> Rule:
    if kind == "weekly":
        wd = g.randint(0, 6)
        name = WEEKDAYS[wd]
        text = g.weighted([(f"every {name}", 6), (f"every {name.lower()}", 2), (f"each {name}", 1),
                           (f"on {name}s", 2), (f"weekly on {name}s", 1),
                           (f"every week on {name}", 1), (f"every {WD_ABBR[wd]}", 1)])
        return Rule(text, {"FREQ": "WEEKLY", "BYDAY": WD_RRULE[wd]},
                    lambda d: d.weekday() == wd, {"weekday"}, weekly_single=True)
    if kind == "biweekly":
        wd = g.randint(0, 4)
        name = WEEKDAYS[wd]
        text = g.choice([f"every other {name}", f"every other {name.lower()}",
                         f"every 2 weeks on {name}", f"every two weeks on {name}s",
                         f"every other {g.choice(WD_CASUAL[wd])}"])
        tags = {"weekday"}
        if any(w in text.split() for w in ("tues", "weds", "thurs", "thur")):
            tags.add("typo")
        return Rule(text, {"FREQ": "WEEKLY", "INTERVAL": "2", "BYDAY": WD_RRULE[wd]},
                    lambda d: d.weekday() == wd, tags)
    if kind == "every-n-weeks":
        wd, n = g.randint(0, 6), g.choice([3, 4])
        text = g.choice([f"every {n} weeks on {WEEKDAYS[wd]}",
                         f"every {NUMBER_WORDS[n]} weeks on {WEEKDAYS[wd]}s"])
        return Rule(text, {"FREQ": "WEEKLY", "INTERVAL": str(n), "BYDAY": WD_RRULE[wd]},
                    lambda d: d.weekday() == wd, {"weekday"})
    if kind == "multi":
        days = sorted(g.rng.sample(range(0, 5), g.choice([2, 2, 3])))
        names = [WEEKDAYS[x] for x in days]
        if len(days) == 2:
            text = g.choice([f"every {names[0]} and {names[1]}", f"on {names[0]}s and {names[1]}s",
                             f"every {WD_ABBR[days[0]]} and {WD_ABBR[days[1]]}"])
        else:
            text = g.choice([f"every {WD_ABBR[days[0]]}, {WD_ABBR[days[1]]} and {WD_ABBR[days[2]]}",
                             f"on {names[0]}s, {names[1]}s and {names[2]}s"])
        return Rule(text, {"FREQ": "WEEKLY", "BYDAY": ",".join(WD_RRULE[x] for x in days)},
                    lambda d: d.weekday() in days, {"weekday"})
    if kind == "weekdays":
        text = g.choice(["every weekday", "each weekday", "on weekdays", "every weekday",
                         "weekdays"])
        return Rule(text, {"FREQ": "WEEKLY", "BYDAY": "MO,TU,WE,TH,FR"},
                    lambda d: d.weekday() < 5, {"weekday"})
    if kind == "daily":
        part = g.choice([None, None, None, "morning", "evening"])
        if part:
            text = f"every {part}"
        else:
            text = g.choice(["every day", "daily", "each day", "every single day"])
        return Rule(text, {"FREQ": "DAILY"}, lambda d: True, set(), daily_plain=True,
                    part_of_day=part)
    if kind == "every-n-days":
        n = g.choice([2, 3])
        text = "every other day" if n == 2 and g.chance(0.5) else f"every {n} days"
        return Rule(text, {"FREQ": "DAILY", "INTERVAL": str(n)}, lambda d: True, set())
    if kind == "monthly-day":
        n = g.choice([1, 1, 5, 10, 15, 15, 20, 25, 28])
        text = g.choice([f"monthly on the {ordinal(n)}", f"on the {ordinal(n)} of every month",
                         f"every month on the {ordinal(n)}", f"on the {ordinal(n)} of each month"])
        return Rule(text, {"FREQ": "MONTHLY", "BYMONTHDAY": str(n)}, lambda d: d.day == n,
                    {"ordinal-day"})
    if kind == "monthly-nth":
        wd = g.randint(0, 6)
        n = g.weighted([(1, 4), (2, 2), (3, 2), (-1, 2)])
        word = "last" if n == -1 else ORDINAL_WORDS[n]
        text = g.choice([f"the {word} {WEEKDAYS[wd]} of every month",
                         f"on the {word} {WEEKDAYS[wd]} of each month",
                         f"every {word} {WEEKDAYS[wd]} of the month"])

        def matches(d: date) -> bool:
            if d.weekday() != wd:
                return False
            return is_last_weekday_in_month(d) if n == -1 else nth_of_weekday_in_month(d) == n
        return Rule(text, {"FREQ": "MONTHLY", "BYDAY": f"{n}{WD_RRULE[wd]}"}, matches,
                    {"nth-weekday"})
    raise ValueError(kind)


# Recurring events by kind of rule, with the start hours that fit them.
REC_TITLES = {
    "weekly": {"Team sync": (8, 16), "Piano lessons": (15, 19), "Yoga": (6, 20),
               "Swim practice": (6, 19), "Book club": (18, 20), "Choir": (18, 20),
               "Office hours": (9, 16), "Soccer practice": (15, 19), "Guitar lesson": (15, 19),
               "Pilates": (7, 19), "Spanish class": (9, 20), "Trash pickup": (6, 8),
               "Cleaner comes": (9, 14), "Farmers market": (8, 11), "Date night": (18, 21),
               "Staff meeting": (8, 16)},
    "weekdays": {"Standup": (8, 10), "Team standup": (8, 10), "School run": (7, 8),
                 "Walk the dog": (6, 19), "Check the inbox": (8, 17), "Morning huddle": (8, 9),
                 "Lunch break": (12, 13)},
    "daily": {"Take vitamins": (7, 9), "Walk the dog": (6, 19), "Meditate": (6, 21),
              "Water the plants": (7, 19), "Journal": (6, 22), "Medication": (7, 21),
              "Stretching": (6, 20), "Duolingo": (7, 21)},
    "monthly": {"Pay rent": (9, 17), "Book club": (18, 20), "Board meeting": (9, 16),
                "Payroll": (9, 12), "Budget review": (9, 16), "Credit card payment": (9, 17),
                "Haircut": (9, 17), "Newsletter goes out": (9, 10), "Pub quiz": (19, 21),
                "Support group": (18, 20), "Investor update": (9, 16)},
}
ALLDAY_REC_TITLES = {"Trash pickup", "Pay rent", "Payroll", "Credit card payment",
                     "Newsletter goes out", "Water the plants", "Cleaner comes"}


def tpl_recurrence(g: Gen) -> dict:
    """<title> <rule> [at <time>] [until <date> | for N weeks/days] [starting <date>].

    The start is the first occurrence on or after ref (or the starting date) whose time is
    still ahead. The RRULE always has FREQ. It has BYDAY for named weekdays, INTERVAL above 1,
    and BYMONTHDAY for a monthly day. "for N weeks" on a one-weekday weekly rule and "for N
    days" on a daily one give COUNT. "until <date>" gives UNTIL: the date alone for all-day
    events, else the end of that day as floating local time.
    """
    d = new_draft(g)
    kind = g.weighted([("weekly", 7), ("biweekly", 3), ("every-n-weeks", 1), ("multi", 2),
                       ("weekdays", 2), ("daily", 3), ("every-n-days", 1), ("monthly-day", 2),
                       ("monthly-nth", 2)])
    rule = draw_rule(g, kind)
    pool = {"weekly": "weekly", "biweekly": "weekly", "every-n-weeks": "weekly",
            "multi": "weekly", "weekdays": "weekdays", "daily": "daily",
            "every-n-days": "daily", "monthly-day": "monthly", "monthly-nth": "monthly"}[kind]
    title_text = g.choice(list(REC_TITLES[pool]))
    if pool == "weekly" and g.chance(0.15):
        name = g.choice(FIRST_NAMES)
        title = Title(f"1:1 with {name}", "neutral", [name], (8, 16))
    else:
        title = Title(title_text, "evening" if has_evening_word(title_text) else "neutral",
                      hours=REC_TITLES[pool][title_text])
    allday = title.text in ALLDAY_REC_TITLES and rule.part_of_day is None and g.chance(0.8)
    tp = None
    if rule.part_of_day:
        tp = TimePhrase("", PART_OF_DAY[rule.part_of_day], {"part-of-day"})
    elif not allday:
        tkind = g.weighted([("meridiem", 6), ("bare", 2), ("24h", 1), ("noon", 1)])
        if title.context == "evening" and tkind == "noon":
            tkind = "meridiem"
        tp = pick_time(g, tkind, title.context)
        check_hours(title, tp.t)
    t = tp.t if tp else None

    start_from = None
    start_text = None
    if g.chance(0.15) and pool != "monthly":
        sp = pick_date(g, d, g.weighted([("month-name-near", 3), ("next-weekday", 1),
                                         ("numeric-near", 1)]))
        start_from = sp.resolve(None)
        if start_from <= d.ref.date():
            raise Reject("starting date not after ref")
        start_text = f"{g.choice(['starting', 'starting', 'from', 'beginning'])} {sp.text}"
        d.tags |= sp.tags - {"ambiguous"}
        if "ambiguous" in sp.tags:
            d.tags.add("ambiguous")
    first = first_occurrence(d.ref, t, rule.matches, start_from)

    parts = dict(rule.parts)
    end_text = None
    r = g.rng.random()
    if r < 0.2:
        until = first + timedelta(days=g.randint(20, 200))
        tags = set()
        if g.chance(0.7):
            u_text, m, dd, _ = month_name_date(g, d.ref, d.locale, tags, until, False)
        else:
            u_text, m, dd, _ = numeric_date(g, d.locale, tags, until, False)
        until_day = resolve_month_day(d.ref, m, dd, None, None)
        if until_day < first:
            raise Reject("until before the first occurrence")
        parts["UNTIL"] = until_day.strftime("%Y%m%d") + ("" if t is None else "T235959")
        end_text = f"{g.choice(['until', 'until', 'through'])} {u_text}"
        d.tags |= tags
    elif r < 0.32 and (rule.weekly_single or rule.daily_plain):
        if rule.weekly_single:
            n = g.choice([4, 6, 8, 10, 12])
            amount = str(n) if g.chance(0.7) else number_word(n)
            end_text = f"for {amount} weeks"
        else:
            n = g.choice([5, 7, 10, 14, 30])
            end_text = f"for {n} days"
        parts["COUNT"] = str(n)

    time_text = None
    if tp and not rule.part_of_day:
        time_text = time_prep(g, d, tp)
    rec_words = rule.text if not time_text else f"{rule.text} {time_text}"
    lead_rule = g.chance(0.2) and not rule.text.startswith("on ")
    if lead_rule:
        d.add(capitalise_first(rec_words), "rec")
        d.add(":", "sep")
        d.add(title.text, "T")
    else:
        d.add(title.text, "T")
        d.add(rec_words, "rec")
    if end_text:
        d.add(end_text, "rec")
    if start_text:
        d.add(start_text, "rec")
    set_start(d, first, t)
    d.expect["recurrence"] = rrule_text(parts)
    set_attendees(d, title.attendees)
    d.tags |= rule.tags
    if tp:
        d.tags |= tp.tags
        if "bare-hour" in tp.tags:
            check_bare_context(d, tp, title.context == "evening")
    d.tags.add("recurrence")
    d.tags.add(g.choice(["quick-add", "calendar-entry"]))
    return finish(d)


ZONE_TITLES = ["Webinar", "Call with the Tokyo team", "Launch review", "All-hands",
               "Investor call", "Interview with the Berlin office", "Vendor sync",
               "Support handover", "Board call", "Podcast interview", "Client demo",
               "Release go/no-go", "Call with the Sydney team", "Partner briefing"]


def zone_offset_for(zn: ZoneName, local: datetime) -> str:
    """Return the UTC offset that a zone named in the text has at that local date and time.
    A fixed abbreviation is drawn only when its zone is on that offset then, so both readings
    agree."""
    if not wall_time_exists(zn.zone, local):
        raise Reject("time inside a daylight-saving change in the named zone")
    offset = utc_offset(zn.zone, local)
    if zn.fixed_hours is not None and offset != timedelta(hours=zn.fixed_hours):
        raise Reject("abbreviation names an offset its zone is not on that day")
    return format_offset(offset)


def tpl_timezone(g: Gen) -> dict:
    """<title> <date> <time> <zone>: the time as written, with the named zone's UTC offset on
    that date.

    ET, PT, "UK time" and the other generic names follow their zone's daylight-saving rule. An
    abbreviation like EST or CEST is drawn only on dates when its zone is on that offset. The
    date is read in the case's own zone. A date equal to ref's day is not drawn, because
    "still ahead" would depend on which zone's clock is meant.
    """
    d = new_draft(g, ref_mode=g.choice(["any", "any", "any", "dst"]), hours=(7, 21))
    zn = g.choice(ZONE_NAMES)
    dp = pick_date(g, d, g.weighted([("tomorrow", 3), ("weekday", 4), ("month-name", 4),
                                     ("numeric", 2), ("month-name-weekday", 1)]))

    ranged = g.chance(0.2)
    if ranged:
        rtext, st, en, rtags = pick_time_range(g)
        if "bare-hour" in rtags:
            raise Reject("bare range with a zone")
        time_words, ttags = rtext, rtags
    else:
        tp = pick_time(g, g.weighted([("meridiem", 7), ("24h", 2), ("noon", 1)]))
        st, en, time_words, ttags = tp.t, None, tp.text, tp.tags

    day = dp.resolve(None if "weekday" in dp.tags else st)
    if day == d.ref.date():
        raise Reject("same day as ref")
    offset = zone_offset_for(zn, datetime.combine(day, st))

    title = g.choice(ZONE_TITLES)
    zone_word = zn.text
    order = g.choice(["TDHZ", "THZD", "TDHZ"])
    for piece in order:
        if piece == "T":
            d.add(title, "T")
        elif piece == "D":
            d.add(date_text(g, dp), "date")
        elif piece == "H":
            d.add(time_words if ranged else time_prep(g, d, TimePhrase(time_words, st, ttags)),
                  "time")
        else:
            d.add(zone_word, "zone")

    d.expect["start"] = fmt_dt(day, st, offset)
    if en is not None:
        end_day = day if en > st else day + timedelta(days=1)
        d.expect["end"] = fmt_dt(end_day, en, zone_offset_for(zn, datetime.combine(end_day, en)))
        d.tags.add("range")
    d.tags |= dp.tags | ttags
    local = datetime.combine(day, st)
    if zn.zone != "UTC" and (in_summer_time(zn.zone, local) or is_dst_change_day(zn.zone, day)):
        d.tags.add("dst")
    d.tags.update({"timezone", "calendar-entry"})
    return finish(d)


def tpl_dst_day(g: Gen) -> dict:
    """<title> [<date>] <time> with ref on a daylight-saving change day of the case's zone.
    The label is the wall-clock time as written. Times inside the skipped or repeated hour are
    not drawn."""
    d = new_draft(g, zone_kind="dst", ref_mode="dst", hours=(0, 23))
    title = draw_title(g, social=0.15, evening=0.1)
    kinds = [("none", 4), ("tomorrow", 3), ("today", 3), ("weekday", 2)]
    if d.ref.hour < 4:
        kinds = [("none", 4), ("today", 4)]
    dp, tp, day, evening = draw_date_and_time(g, d, title, kinds)
    if g.chance(0.3):
        # Early-morning times, near the hour that a change skips or repeats.
        text, t = g.choice([("5:45am", time(5, 45)), ("6am", time(6, 0)), ("7:30am", time(7, 30)),
                            ("3:15am", time(3, 15)), ("4am", time(4, 0))])
        tp = TimePhrase(text, t, {"time"})
        title = Title(g.choice(["Airport shuttle", "Flight to Denver", "Sunrise hike",
                                "Fishing trip", "Early shift", "Taxi to the airport"]))
        day = dp.resolve(tp.t) if dp else resolve_time_only(d.ref, tp.t)
    compose_quick(g, d, title, dp, tp)
    set_start(d, day, tp.t)
    check_bare_context(d, tp, evening)
    d.tags.add("quick-add")
    return finish(d)
