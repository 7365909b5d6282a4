"""Templates by kind of text: quick-add lines, calendar entries, reminders, chat messages,
emails, to-dos without a date, lookalike words and attendee lists.

Each template draws one case. Its docstring states what the phrase means; the labels come from
the resolvers in conventions.py. A template raises Reject to have its case drawn again.
"""

import re
from datetime import time, timedelta

from .conventions import (
    MONTHS, MONTH_ABBR, PART_OF_DAY, Reject, WD_ABBR, WEEKDAYS, bare_hour, has_evening_word,
    resolve_time_only,
)
from .phrases import (
    ADDRESSES, Draft, FIRST_NAMES, FULL_NAMES, Gen, Place, RESTAURANTS, ROOMS, TimePhrase,
    Title, add_place, check_hours, draw_place, draw_title, location_label, meridiem_text,
    names_phrase, pick_date, pick_time, social_title,
)
from .compose import (
    QUICK_DATE_KINDS, capitalise_first, compose_quick, date_text, draw_timed_kind, finish,
    new_draft, set_attendees, set_range_end, set_start, time_prep,
)

# ---------------------------------------------------------------------------------------------
# Templates. Each draws one case; its docstring states what the phrase means, and the labels
# come from the resolvers above. A template raises Reject to have its case drawn again.
# ---------------------------------------------------------------------------------------------

def check_bare_context(d: Draft, tp: TimePhrase, evening: bool) -> None:
    """Guard: a bare hour was read pm exactly when the text has an evening word."""
    if "bare-hour" in tp.tags and has_evening_word(d.text()) != evening:
        raise Reject("evening word and bare-hour reading disagree")


def draw_date_and_time(g: Gen, d: Draft, title: Title, date_kinds, time_kind=None):
    """Draw a date phrase (or none) and a clock time that suits the title; return
    (DatePhrase or None, TimePhrase, day, evening)."""
    kind = g.weighted(date_kinds)
    dp = None if kind == "none" else pick_date(g, d, kind)
    evening = (dp is not None and dp.evening) or title.context == "evening"
    context = "evening" if evening else title.context
    tkind = time_kind or draw_timed_kind(g)
    if tkind == "noon" and context in ("evening", "morning"):
        tkind = "meridiem"
    tp = pick_time(g, tkind, context)
    check_hours(title, tp.t)
    day = dp.resolve(tp.t) if dp else resolve_time_only(d.ref, tp.t)
    return dp, tp, day, evening


def tpl_quick_timed(g: Gen) -> dict:
    """<title> [<date>] <time>: quick-add line; the date is of any kind, or absent (then the
    time is today while still ahead, else tomorrow)."""
    d = new_draft(g)
    title = draw_title(g)
    kinds = QUICK_DATE_KINDS + [("tonight", 2)]
    dp, tp, day, evening = draw_date_and_time(g, d, title, kinds)
    place = draw_place(g, title.place_kinds) if g.chance(0.15) else None
    compose_quick(g, d, title, dp, tp, place)
    if place is None and g.chance(0.12) and "The " not in d.text():
        d.parts = [(p.lower(), r) for p, r in d.parts]
    set_start(d, day, tp.t)
    check_bare_context(d, tp, evening)
    d.tags.add("quick-add")
    return finish(d)


ALLDAY_TITLES = [
    ("Sarah's birthday", "🎂"), ("Mom's birthday", "🎂"), ("Dad's birthday", "🎂"),
    ("Rent due", None), ("Taxes due", None), ("Submit timesheet", None),
    ("Out of office", None), ("Trash day", None), ("Recycling pickup", None),
    ("Library books due", None), ("Passport renewal deadline", None), ("Anniversary", "💍"),
    ("Field trip", None), ("Half day at school", None), ("Bin day", None), ("Payday", "💰"),
    ("Vacation day", "🌴"), ("Book fair", None), ("School photo day", None),
    ("Moving day", "📦"), ("Garage sale", None), ("Report cards", None),
    ("Final exam", None), ("Science fair", None), ("Jury duty", None),
    ("Car registration due", None), ("Grant deadline", None), ("Sports day", None),
    ("Inset day", None), ("Team offsite", None), ("Work from home", None),
    ("Day off", "🌴"), ("Pay credit card", None), ("Water bill due", None),
    ("Conference talk", None), ("Hospital appointment", None), ("Wedding anniversary", "💍"),
    ("Close the books", None), ("Release freeze", None), ("Plant tomatoes", "🌱"),
]
ALLDAY_DATE_KINDS = [("tomorrow", 6), ("day-after", 1), ("weekday", 8), ("next-weekday", 3),
                     ("this-weekday", 1), ("month-name", 10), ("month-name-year", 3),
                     ("month-name-weekday", 2), ("numeric", 8), ("numeric-year", 3),
                     ("ordinal", 3), ("in-days", 2), ("in-weeks", 3), ("in-months", 2),
                     ("from-day", 2)]


def tpl_quick_allday(g: Gen) -> dict:
    """<title> <date>: an all-day quick-add line; a date without a time is all-day."""
    d = new_draft(g)
    text, emoji = g.choice(ALLDAY_TITLES)
    title = Title(text)
    dp = pick_date(g, d, g.weighted(ALLDAY_DATE_KINDS))
    day = dp.resolve(None)
    if emoji and g.chance(0.5):
        d.add(emoji, "emoji")
    compose_quick(g, d, title, dp, None)
    if g.chance(0.1):
        d.parts = [(p.lower(), r) for p, r in d.parts]
    set_start(d, day, None)
    d.tags.add("quick-add")
    return finish(d)


# Titles of calendar entries: (title, start hours, longest range in hours, place kinds).
ENTRY_TITLES = {
    "Quarterly planning meeting": ((8, 16), 4, ("room", "venue", "virtual")),
    "Sprint review": ((9, 16), 2, ("room", "virtual")),
    "Kickoff with the design agency": ((9, 16), 3, ("room", "virtual")),
    "Lunch and learn": ((11, 13), 2, ("room",)),
    "Parent-teacher conference": ((8, 18), 1, ("venue",)),
    "Annual performance review": ((9, 16), 2, ("room", "virtual")),
    "Budget sign-off meeting": ((9, 16), 2, ("room", "virtual")),
    "Customer advisory board": ((9, 15), 4, ("room", "venue", "city")),
    "Security audit walkthrough": ((9, 15), 3, ("room", "venue")),
    "Wedding cake tasting": ((10, 17), 2, ("address",)),
    "Kitchen renovation consult": ((9, 17), 2, ("address",)),
    "Open studio session": ((10, 18), 4, ("room", "leisure")),
    "Volunteer orientation": ((9, 18), 3, ("venue", "leisure")),
    "Neighborhood cleanup": ((8, 14), 4, ("leisure",)),
    "Fire drill": ((9, 16), 1, ("venue",)),
    "Tax prep session": ((9, 18), 2, ("address", "virtual")),
    "Marketing offsite prep": ((9, 16), 3, ("room", "virtual")),
    "Hiring committee": ((9, 16), 2, ("room", "virtual")),
    "Town hall Q&A": ((9, 19), 2, ("venue", "virtual")),
    "Vendor demo": ((9, 16), 2, ("room", "virtual")),
}


def check_range_length(title: Title, start: time, end: time) -> None:
    """Reject a range longer than such an event lasts (a four-hour coffee)."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if end > start and minutes > title.max_length * 60:
        raise Reject(f"{title.text!r} lasting {minutes} minutes")


def pick_time_range(g: Gen, context: str = "neutral", allow_midnight: bool = False) -> tuple:
    """Draw a time range and read it: (text, start, end, tags).

    A meridiem on the end carries to a start without one when that keeps the start before
    the end. "9-5" reads both hours by the bare-hour rule. An end at or before its start falls
    on the next day, and such ranges are drawn only when allow_midnight is set.
    """
    tags = {"time", "range"}
    form = g.weighted([("both", 5), ("end-only", 5), ("start-only", 2), ("bare", 3),
                       ("24h", 2), ("noon", 1)])
    if allow_midnight:
        form = "midnight"
    connector = g.weighted([(" to ", 5), ("-", 4), (" - ", 2), ("–", 1), (" until ", 1)])

    def mer(h24, minute, force_suffix=True):
        text, _ = meridiem_text(g, h24, minute)
        return text

    minute_s = g.weighted([(0, 6), (30, 3), (15, 1)])
    minute_e = g.weighted([(0, 6), (30, 3), (45, 1)])
    if form == "midnight":
        start_h = g.rng.randint(20, 23)
        end_h = g.choice([0, 0, 1, 2, 3])
        st, en = time(start_h, minute_s), time(end_h, 0 if end_h == 0 else minute_e)
        start_text = mer(start_h, minute_s)
        if end_h == 0:
            end_text = g.choice(["midnight", "12am", "12 am"])
            tags.add("noon-midnight")
        else:
            end_text = mer(end_h, en.minute)
        tags.add("range-midnight")
        return f"{start_text}{connector}{end_text}", st, en, tags
    if form == "24h":
        sh = g.rng.randint(7, 19)
        eh = g.rng.randint(sh + 1, min(sh + 4, 22))
        st, en = time(sh, minute_s), time(eh, minute_e)
        return f"{sh:02d}:{minute_s:02d}{connector}{eh:02d}:{minute_e:02d}", st, en, tags
    if form == "noon":
        eh = g.rng.randint(13, 16)
        en = time(eh, minute_e)
        tags.add("noon-midnight")
        if g.chance(0.5):
            return f"noon{connector}{mer(eh, minute_e)}", time(12, 0), en, tags
        sh = g.rng.randint(9, 11)
        return f"{mer(sh, 0)}{connector}noon", time(sh, 0), time(12, 0), tags
    if form == "both":
        sh = g.rng.randint(7, 19) if context != "evening" else g.rng.randint(17, 20)
        eh = g.rng.randint(sh + 1, min(sh + 4, 22))
        st, en = time(sh, minute_s), time(eh, minute_e)
        return f"{mer(sh, minute_s)}{connector}{mer(eh, minute_e)}", st, en, tags
    if form == "end-only":
        # Start without am/pm, end with it: "7 to 8pm", "11-1pm", "10:30-11:30am".
        eh = g.rng.randint(9, 21) if context != "evening" else g.rng.randint(19, 22)
        length = g.choice([1, 1, 2, 2, 3])
        sh12 = ((eh - length) % 12) or 12
        en = time(eh, minute_e)
        end_is_pm = eh >= 12
        carried = sh12 % 12 + (12 if end_is_pm else 0)
        if time(carried, minute_s) < en:
            sh = carried
        else:
            sh = bare_hour(sh12, context == "evening")
            tags.add("bare-hour")
            if not time(sh, minute_s) < en:
                raise Reject("end-only meridiem range that reads backwards")
        st = time(sh, minute_s)
        start_text = f"{sh12}:{minute_s:02d}" if minute_s else str(sh12)
        return f"{start_text}{connector}{mer(eh, minute_e)}", st, en, tags
    if form == "start-only":
        # Start with am/pm, end without it: the end is read as a bare hour ("9am-5").
        sh = g.rng.randint(8, 15)
        eh12 = g.choice([1, 2, 3, 4, 5, 10, 11, 12])
        eh = bare_hour(eh12, context == "evening")
        st, en = time(sh, minute_s), time(eh, minute_e)
        if not (st < en and (en.hour - st.hour) <= 9):
            raise Reject("start-only meridiem range that reads backwards")
        end_text = f"{eh12}:{minute_e:02d}" if minute_e else str(eh12)
        tags.add("bare-hour")
        return f"{mer(sh, minute_s)}{connector}{end_text}", st, en, tags
    # Both bare: "9-5", "10 to 2", "1-3"; with an evening word both are pm ("dinner 7-9").
    tags.add("bare-hour")
    if context == "evening":
        sh12 = g.rng.randint(6, 8)
        eh12 = sh12 + g.choice([1, 2, 3])
    elif context == "no-bare":
        raise Reject("bare range with an activity whose usual hour contradicts the rule")
    else:
        sh12, eh12 = g.choice([(9, 5), (8, 4), (10, 2), (10, 12), (1, 3), (2, 4), (1, 5),
                               (9, 11), (11, 1), (3, 5), (9, 12), (8, 10), (2, 5)])
    sh, eh = bare_hour(sh12, context == "evening"), bare_hour(eh12, context == "evening")
    st, en = time(sh, 0), time(eh, 0)
    if not st < en:
        raise Reject("bare range that reads backwards")
    return f"{sh12}{connector}{eh12}", st, en, tags


def range_text(g: Gen, text: str) -> str:
    """Put a range after "from", "between ... and" or nothing."""
    style = g.weighted([("from", 5), ("plain", 4), ("between", 1)])
    if style == "from":
        return f"from {text}"
    if style == "between":
        for conn in (" to ", " - ", "-", "–", " until "):
            if conn in text:
                a, b = text.split(conn, 1)
                return f"between {a} and {b}"
    return text


def tpl_calendar_entry(g: Gen) -> dict:
    """<title> <date> <time or time range> <place>: a full calendar entry. A range reads as
    pick_time_range states."""
    d = new_draft(g)
    if g.chance(0.6):
        title = draw_title(g, social=0.35)
    else:
        text = g.choice(list(ENTRY_TITLES))
        hours, max_length, places = ENTRY_TITLES[text]
        title = Title(text, hours=hours, max_length=max_length, place_kinds=places)

    kinds = [("tomorrow", 4), ("weekday", 6), ("next-weekday", 2), ("month-name", 5),
             ("month-name-weekday", 4), ("month-name-year", 1), ("numeric", 4),
             ("weekday-ordinal", 1)]
    dp = pick_date(g, d, g.weighted(kinds))
    evening = title.context == "evening"
    context = "evening" if evening else title.context

    place = draw_place(g, title.place_kinds) if g.chance(0.75) else None
    if g.chance(0.6):
        rtext, st, en, rtags = pick_time_range(g, context)
        check_hours(title, st)
        check_range_length(title, st, en)
        day = dp.resolve(st)
        time_part = range_text(g, rtext)
    else:
        tp = pick_time(g, draw_timed_kind(g), context)
        check_hours(title, tp.t)
        st, en, rtags = tp.t, None, tp.tags
        day = dp.resolve(st)
        time_part = time_prep(g, d, tp)

    order = g.choice(["TDHP", "TDHP", "TPDH", "THDP"])
    for piece in order:
        if piece == "T":
            d.add(title.text, "T")
        elif piece == "D":
            d.add(date_text(g, dp), "date")
        elif piece == "H":
            d.add(time_part, "time")
        elif place:
            add_place(g, d, place)

    d.tags |= dp.tags | rtags
    set_attendees(d, title.attendees)
    set_start(d, day, st)
    if en is not None:
        set_range_end(d, day, st, en)
    if "bare-hour" in rtags and has_evening_word(d.text()) != evening:
        raise Reject("evening word and bare-hour reading disagree")
    d.tags.add("calendar-entry")
    return finish(d)


REMINDER_ACTIONS = [
    "call mom", "call the dentist", "pay rent", "pay the electric bill", "take out the trash",
    "take the recycling out", "water the plants", "renew my passport",
    "pick up the dry cleaning", "book flights", "send the invoice", "submit the expense report",
    "buy a birthday card for Grandma", "cancel the gym membership", "refill my prescription",
    "feed the neighbors' cat", "back up the laptop", "return the library books",
    "order more printer ink", "check the tire pressure", "book a vet appointment",
    "confirm the caterer", "reply to the landlord", "file the quarterly taxes",
    "move the car for street cleaning", "charge the camera batteries", "text Jordan the address",
    "bring snacks for soccer", "order flowers for Mom", "call Sarah back", "email the contractor",
    "check in for my flight", "start the dishwasher",
    "pick up Leo from practice", "sign the permission slip", "buy milk", "call grandpa",
    "transfer money to savings", "review the contract", "send Tom the slides",
]


def tpl_reminder(g: Gen) -> dict:
    """"remind me to <action> <date> <time>" and its variants; the title is the action, the
    request wording is not part of it. Without a time the reminder is all-day."""
    d = new_draft(g)
    action = g.choice(REMINDER_ACTIONS)
    timed = g.chance(0.7)
    kinds = [("none", 4 if timed else 0), ("today", 3 if timed else 0), ("tomorrow", 8),
             ("weekday", 7), ("next-weekday", 2), ("month-name", 4), ("numeric", 2),
             ("in-days", 1), ("ordinal", 1), ("tonight", 2 if timed else 0)]
    title = Title(action, hours=(7, 21))
    if timed:
        dp, tp, day, evening = draw_date_and_time(g, d, title, kinds)
    else:
        dp, tp = pick_date(g, d, g.weighted(kinds)), None
        day, evening = dp.resolve(None), False

    lead = g.weighted([("remind me to", 6), ("Remind me to", 6), ("pls remind me to", 1),
                       ("Reminder:", 2), ("don't forget to", 2), ("Set a reminder to", 2),
                       ("REMIND ME TO", 1)])
    when = []

    if dp:
        when.append((date_text(g, dp), "date"))
    if tp:
        when.append((time_prep(g, d, tp), "time"))
    if g.chance(0.5):
        when.reverse()

    front = g.chance(0.35) and lead.lower() in ("remind me to", "set a reminder to")
    if front:
        # "Remind me tomorrow at 9 to call mom"
        words = lead.split()
        d.add(" ".join(words[:-1]), "req")
        for w, role in when:
            d.add(w, role)
        d.add("to", "req")
        d.add(action, "T")
    else:
        d.add(lead, "req")
        d.add(action, "T")
        for w, role in when:
            d.add(w, role)
    if dp:
        d.tags |= dp.tags
    if tp:
        d.tags |= tp.tags
        check_bare_context(d, tp, evening)
    set_start(d, day, tp.t if tp else None)
    d.tags.add("reminder")
    return finish(d)


def chat_time(g: Gen, d: Draft, context: str = "neutral", hours: tuple = (8, 20)) -> TimePhrase:
    """Draw a clock time for a chat message within the hours at which that plan is plausible."""
    tp = pick_time(g, g.weighted([("meridiem", 6), ("bare", 4), ("noon", 1)]), context)
    if context == "evening" and "noon-midnight" in tp.tags:
        raise Reject("noon with an evening word")
    check_hours(Title("chat", hours=hours), tp.t)
    return tp


CHAT_DATE_KINDS = [("tomorrow", 8), ("weekday", 8), ("next-weekday", 2), ("today", 2),
                   ("month-name", 2), ("numeric", 1), ("day-after", 1)]


def tpl_chat(g: Gen) -> dict:
    """Draw a chat message that proposes or confirms a meeting. Each pattern below states its
    reading. The title is labelled only where removing the date, time, place and request
    wording leaves a clean name."""
    d = new_draft(g, hours=(7, 22))
    pattern = g.randint(1, 14)
    dp = pick_date(g, d, g.weighted(CHAT_DATE_KINDS))
    label_title = False

    if pattern == 1:
        # "can we do lunch <date> at <time>?": a lunch at that time; no clean title.
        tp = chat_time(g, d, "no-bare", (11, 13))
        d.add(g.choice(["can we do lunch", "Can we do lunch", "could we grab lunch"]), "req")
        d.add(dp.text, "date")
        d.add(time_prep(g, d, tp) + "?", "time")
    elif pattern == 2:
        # "lunch <date> at <time>?": title "lunch".
        activity, hours = g.choice([("lunch", (11, 13)), ("coffee", (8, 16)),
                                    ("tennis", (7, 20)), ("squash", (7, 20))])
        tp = chat_time(g, d, "no-bare" if activity == "lunch" else "neutral", hours)
        d.add(activity, "T")
        d.add(dp.text, "date")
        d.add(time_prep(g, d, tp), "time")
        d.add("?", "sep")
        label_title = True
    elif pattern == 3:
        # "are you free <date> <time> for a quick call?"
        tp = chat_time(g, d, hours=(8, 18))
        d.add(g.choice(["are you free", "r u free", "you free"]), "req")
        if "r u" in d.parts[-1][0]:
            d.tags.add("typo")
        d.add(dp.text, "date")
        d.add(time_prep(g, d, tp), "time")
        d.add(g.choice(["for a quick call?", "for a chat?", "to go over the draft?"]), "x")
    elif pattern == 4:
        # "<date> @ <time> works for me 👍"
        tp = chat_time(g, d)
        d.add(capitalise_first(dp.text) if g.chance(0.5) else dp.text, "date")
        d.add(f"@ {tp.text}", "time")
        d.tags.add("typo")
        d.add(g.choice(["works for me 👍", "works!", "is good for me", "works, see you then"]),
              "x")
    elif pattern == 5:
        # "can't do <weekday A> anymore, how about <date> at <time>?": the second day is meant.
        wd = g.randint(0, 6)
        tp = chat_time(g, d)
        d.add(g.choice(["can't do", "I can't make"]), "x")
        d.add(WEEKDAYS[wd].lower() if g.chance(0.5) else WEEKDAYS[wd], "x")
        d.add(g.choice(["anymore, how about", "after all, what about", "- how about"]), "x")
        d.add(dp.text, "date")
        d.add(time_prep(g, d, tp) + "?", "time")
        if WEEKDAYS[wd].lower() in dp.text.lower():
            raise Reject("both days the same")
    elif pattern == 6:
        # "dinner at <place> <date> at <hour>? 🍝": evening word, so a bare hour is pm.
        tp = chat_time(g, d, "evening", (18, 21))
        place = Place(g.choice(RESTAURANTS), "at", "")
        place.label = location_label(place.text)
        if place.label.startswith("The "):
            raise Reject("keep capitalised names out of lower-case chats")
        d.add("dinner", "T")
        add_place(g, d, place)
        d.add(dp.text, "date")
        d.add(time_prep(g, d, tp) + "?", "time")
        d.add(g.choice(["🍝", "🍜", "😋", ""]), "emoji")
        label_title = True
    elif pattern == 7:
        # "are we still on for <date>?": no time, so all-day.
        d.add(g.choice(["hey, are we still on for", "are we still on for", "still on for"]), "x")
        d.add(dp.text + "?", "date")
        tp = None
    elif pattern == 8:
        # "see you <date> at <time>!"
        tp = chat_time(g, d)
        d.add(g.choice(["see you", "See you", "ok see you", "cool, see u"]), "x")
        if "see u" in d.parts[-1][0]:
            d.tags.add("typo")
        d.add(dp.text, "date")
        d.add(time_prep(g, d, tp) + g.choice(["!", "", " 👋"]), "time")
    elif pattern == 9:
        # "movie <tonight> at <hour>? 🍿": tonight is an evening word.
        dp = pick_date(g, d, "tonight")
        tp = chat_time(g, d, "evening", (18, 22))
        activity, emoji = g.choice([("movie", "🍿"), ("pizza", "🍕"), ("drinks", "🍻")])
        d.add(activity, "T")
        d.add(dp.text, "date")
        d.add(time_prep(g, d, tp) + "?", "time")
        d.add(g.choice([emoji, ""]), "emoji")
        label_title = True
    elif pattern == 10:
        # "meet at <place> <date> at <time>?": location and start; no clean title.
        tp = chat_time(g, d)
        place = draw_place(g, ("cafe", "restaurant", "venue"))
        if place.label.startswith("The "):
            raise Reject("keep capitalised names out of lower-case chats")
        d.add(g.choice(["meet", "let's meet", "wanna meet"]), "req")
        add_place(g, d, place)
        d.add(dp.text, "date")
        d.add(time_prep(g, d, tp) + "?", "time")
    elif pattern == 11:
        # "can you do a call <date> between <t1> and <t2>?": a time range.
        rtext, st, en, rtags = pick_time_range(g)
        call = Title("call", hours=(8, 18), max_length=2)
        check_hours(call, st)
        check_range_length(call, st, en)
        d.add(g.choice(["can you do a call", "can we talk", "free for a call"]), "req")
        d.add(dp.text, "date")
        d.add(range_text(g, rtext) + "?", "time")
        day = dp.resolve(st)
        d.tags |= dp.tags | rtags
        set_start(d, day, st)
        set_range_end(d, day, st, en)
        if "bare-hour" in rtags and has_evening_word(d.text()):
            raise Reject("evening word with a bare range")
        d.tags.add("chat")
        return finish(d, title=False)
    elif pattern == 12:
        # "ok <date> <time> it is": confirmation.
        tp = chat_time(g, d)
        d.add(g.choice(["ok", "Ok", "great,", "perfect,"]), "x")
        d.add(dp.text, "date")
        d.add(tp.text, "time")
        d.add(g.choice(["it is", "then", "it is 👍"]), "x")
    elif pattern == 13:
        # "I'm around <date> morning if you want to drop by": a part of the day, 09:00 etc.
        part = g.choice(["morning", "afternoon", "evening"])
        if dp.evening or "absolute-date" in dp.tags or dp.text in ("today", "2day"):
            raise Reject("part of the day reads oddly after this date phrase")
        tp = TimePhrase(part, PART_OF_DAY[part], {"part-of-day"})
        d.add(g.choice(["I'm around", "i'm free", "I'm home"]), "x")
        d.add(dp.text, "date")
        d.add(part, "time")
        d.add(g.choice(["if you want to drop by", "if you want to swing by",
                        "if you want to pick up the drill"]), "x")
    else:
        # "running late, can we push to <time>?": a time without a date.
        tp = chat_time(g, d)
        d.add(g.choice(["running late, can we push to", "sorry, running late - push to",
                        "can we move it to"]), "x")
        d.add(tp.text + "?", "time")
        dp = None
    if dp:
        d.tags |= dp.tags
    if dp:
        day = dp.resolve(tp.t if tp else None)
    else:
        day = resolve_time_only(d.ref, tp.t)
    if pattern == 14 and day != d.ref.date():
        raise Reject("running late implies today")
    if tp:
        d.tags |= tp.tags
        check_bare_context(d, tp, pattern in (6, 9))
    set_start(d, day, tp.t if tp else None)
    d.tags.add("chat")
    return finish(d, title=label_title)


NO_EVENT_CHATS = [
    "thanks! that works", "lol ok", "sounds good 👍", "haha yes", "can't wait!",
    "did you get my email?", "where did you park?", "omw", "ok cool", "nice, congrats!!",
    "sorry, wrong chat", "what's the wifi password?", "👍", "Got it, thanks.",
]


def tpl_no_event_chat(g: Gen, text: str) -> dict:
    """Draw a chat line with no event in it: start is null."""
    d = new_draft(g)
    d.add(text)
    d.expect["start"] = None
    d.tags.update({"chat", "no-date"})
    return finish(d, title=False)


EMAIL_COMPANIES = ["Harbor & Pine Ltd", "Northwind Analytics", "Bluefield Dental",
                   "Calder Property Group", "Oakline Studio", "Meridian Health Partners"]
EMAIL_ROLES = ["Operations Lead", "Account Manager", "Office Manager", "Project Coordinator",
               "Senior Engineer", "Practice Manager"]
EMAIL_SUBJECTS = ["Renewal", "Q3 planning", "Site visit", "Next steps", "Quick question",
                  "Invoice 2231", "Kickoff", "Follow-up", "Room 12 booking"]


def email_signature(g: Gen, name: str) -> list:
    style = g.randint(1, 4)
    if style == 1:
        return [name]
    if style == 2:
        return [name, f"{g.choice(EMAIL_ROLES)} | {g.choice(EMAIL_COMPANIES)}",
                f"Phone {g.randint(200, 989)}-555-{g.randint(100, 199):04d}"]
    if style == 3:
        return [name, g.choice(EMAIL_ROLES), g.choice(EMAIL_COMPANIES),
                g.choice(ADDRESSES), "", "Sent from my iPhone"]
    return ["--", name, f"{g.choice(EMAIL_COMPANIES)} | {g.choice(ADDRESSES)}"]


def quoted_reply(g: Gen, d: Draft, sender: str, me: str) -> list:
    """Write an earlier message to quote below the reply, with dates and times of its own
    that are not the event."""
    sent = d.ref - timedelta(minutes=g.randint(45, 60 * 24 * 3))
    h12 = sent.hour % 12 or 12
    ampm = "AM" if sent.hour < 12 else "PM"
    first = sender.split()[0]
    other_times = [
        f"Are you free {WEEKDAYS[g.randint(0, 4)]} at {g.randint(1, 5)} or "
        f"{WEEKDAYS[g.randint(0, 4)]} morning?",
        f"I could do {MONTH_ABBR[sent.month]} {min(sent.day + 2, 28)} at {g.randint(9, 11)}am, "
        "otherwise next week.",
        f"Tuesday: {g.randint(1, 3)}:30 - 5pm",
        "The old slot (Thursday 3pm) no longer works for us.",
        f"We last met on {sent.month}/{max(sent.day - 5, 1)}." if d.locale == "en-US"
        else f"We last met on {max(sent.day - 5, 1)}/{sent.month}.",
    ]
    lines = g.rng.sample(other_times, 2)
    if g.chance(0.5):
        header = [f"On {WD_ABBR[sent.weekday()]}, {MONTH_ABBR[sent.month]} {sent.day}, "
                  f"{sent.year} at {h12}:{sent.minute:02d} {ampm} {sender} "
                  f"<{first.lower()}@example.com> wrote:"]
        body = [f"> Hi {me},", ">"] + [f"> {line}" for line in lines] + [">", f"> {first}"]
        return [""] + header + body
    header = ["-----Original Message-----", f"From: {sender}",
              f"Sent: {WEEKDAYS[sent.weekday()]}, {MONTHS[sent.month]} {sent.day}, {sent.year} "
              f"{h12}:{sent.minute:02d} {ampm}", f"To: {me}",
              f"Subject: {g.choice(EMAIL_SUBJECTS)}"]
    return [""] + header + [""] + lines


EMAIL_DATE_KINDS = [("tomorrow", 4), ("weekday", 8), ("next-weekday", 2),
                    ("month-name-weekday", 4), ("month-name", 3), ("numeric", 2)]


def tpl_email(g: Gen) -> dict:
    """Draw an email whose request names one event, between a greeting and a signature and
    above a quoted earlier message with dates of its own. Only the request is labelled. The
    title is not, because an email sentence has no clean name."""
    d = new_draft(g, hours=(7, 20))
    me = g.choice(FIRST_NAMES)
    sender = g.choice(FULL_NAMES)
    dp = pick_date(g, d, g.weighted(EMAIL_DATE_KINDS))
    tp = pick_time(g, g.weighted([("meridiem", 6), ("bare", 2), ("24h", 1), ("noon", 1)]))
    work_day = Title("email", hours=(8, 17), max_length=3)
    check_hours(work_day, tp.t)
    pattern = g.randint(1, 9)
    # `when` follows a word that takes a bare date ("Would Friday at 3 work", "move it to
    # Friday at 3"); `when_on` may carry the date's own "on" ("Let's meet on Friday at 3").
    when = f"{dp.text} at {tp.text}"
    when_on = f"{date_text(g, dp)} at {tp.text}"
    st, en = tp.t, None
    place = None
    if pattern == 1:
        request = f"Would {when} work for a quick call about the renewal?"
    elif pattern == 2:
        place = draw_place(g, ("cafe", "venue", "address"))
        if place.prep == "@":
            place.prep = "at"
        request = f"Let's meet {when_on} {place.prep} {place.text}. I'll bring the printed plans."
    elif pattern == 3:
        request = f"Can we move our check-in to {when}? Something came up on my side."
    elif pattern == 4:
        place = Place(g.choice(ROOMS), "", "")
        place.label = location_label(place.text)
        rtext, st, en, rtags = pick_time_range(g)
        check_hours(work_day, st)
        check_range_length(work_day, st, en)
        request = f"I've booked {place.text} for {dp.text} {range_text(g, rtext)}."
        tp = TimePhrase(rtext, st, rtags)
    elif pattern == 5:
        place = draw_place(g, ("virtual",))
        request = (f"Could you join us {when_on} {place.prep} {place.text}? "
                   "The link is in the invite.")
    elif pattern == 6:
        request = f"{capitalise_first(dp.text)} at {tp.text} works for me. Talk then!"
    elif pattern == 7:
        request = (f"The inspection is scheduled for {when}, so please make sure someone "
                   "is there to let them in.")
    elif pattern == 8:
        place = draw_place(g, ("cafe", "venue", "room"))
        if place.prep == "@":
            place.prep = "at"
        request = f"Just confirming our meeting {when_on} {place.prep} {place.text}."
    else:
        request = (f"Are you available {when_on} to walk through the proposal? "
                   "I've attached the latest version.")

    day = dp.resolve(st)
    greeting = g.choice([f"Hi {me},", f"Hello {me},", f"Hey {me},", f"{me},", f"Dear {me},"])
    closing = g.choice(["Thanks,", "Best,", "Cheers,", "Kind regards,", "Thank you!",
                        "Best regards,"])
    lines = [greeting, "", request, "", closing] + email_signature(g, sender)
    if g.chance(0.55):
        lines += quoted_reply(g, d, g.choice([n for n in FULL_NAMES if n != sender]), me)
    d.text_override = "\n".join(lines)

    d.tags |= dp.tags | tp.tags
    set_start(d, day, st)
    if en is not None:
        set_range_end(d, day, st, en)
    if place:
        d.expect["location"] = place.label
        d.tags.add("location")
    if "bare-hour" in tp.tags and has_evening_word(request):
        raise Reject("evening word in a bare-hour email")
    d.tags.add("email")
    return finish(d, title=False)


# To-dos and notes without an event date, many with words or numbers that look like dates or
# times. (text, title or None, lookalike?). A to-do's title is the whole line.
NO_DATE_TEXTS = [
    ("Ask May about the catering order", "Ask May about the catering order", True),
    ("Get a second opinion on the roof quote", "Get a second opinion on the roof quote", True),
    ("Pick up 2 dozen eggs", "Pick up 2 dozen eggs", True),
    ("Order 12 folding chairs for the hall", "Order 12 folding chairs for the hall", True),
    ("Read chapters 3-5 before book club", "Read chapters 3-5 before book club", True),
    ("Fix bug 1024 in the importer", "Fix bug 1024 in the importer", True),
    ("Room 12 projector needs a new bulb", None, True),
    ("Take Highway 101 to avoid the bridge traffic", None, True),
    ("May I bring a plus one?", None, True),
    ("Upgrade the wiki to version 2.10", "Upgrade the wiki to version 2.10", True),
    ("Book a table for 8", "Book a table for 8", True),
    ("Order the 2027 planners", "Order the 2027 planners", True),
    ("Update the Q4 forecast", "Update the Q4 forecast", True),
    ("Buy a 4-pack of AA batteries", "Buy a 4-pack of AA batteries", True),
    ("Return the blue sweater, size 10", "Return the blue sweater, size 10", True),
    ("Print 40 copies of the agenda", "Print 40 copies of the agenda", True),
    ("Ask June if she can cover my shift", "Ask June if she can cover my shift", True),
    ("Give Will the spare key", "Give Will the spare key", True),
    ("Email April the slides", "Email April the slides", True),
    ("Look into the 24/7 support contract", "Look into the 24/7 support contract", True),
    ("Call back about the March invoice", "Call back about the March invoice", True),
    ("Finish the 1:1 notes", "Finish the 1:1 notes", True),
    ("Pay the $15 parking fine", "Pay the $15 parking fine", True),
    ("Listen to episode 212 of the podcast", "Listen to episode 212 of the podcast", True),
    ("The team will march on, whatever the budget says", None, True),
    ("Replace the 9V battery in the smoke alarm", "Replace the 9V battery in the smoke alarm",
     True),
    ("Water the plants", "Water the plants", False),
    ("Renew the car registration", "Renew the car registration", False),
    ("Find a sitter for the kids", "Find a sitter for the kids", False),
    ("Clean out the garage", "Clean out the garage", False),
    ("Research standing desks", "Research standing desks", False),
    ("Call the plumber about the leak", "Call the plumber about the leak", False),
    ("Cancel the newspaper subscription", "Cancel the newspaper subscription", False),
    ("Sort out the photo backups", "Sort out the photo backups", False),
]


def tpl_no_date(g: Gen, item: tuple) -> dict:
    """Draw a to-do or note without a date: start is null, and a to-do's title is the whole
    line."""
    text, title, lookalike = item
    d = new_draft(g)
    d.add(text)
    d.expect["start"] = None
    if title:
        d.expect["title"] = title
    d.tags.add("no-date")
    if lookalike:
        d.tags.add("lookalike-word")
    if text == "Book a table for 8":
        d.tags.add("ambiguous")     # "for 8" is read by some as 8 o'clock
    d.tags.add("quick-add" if title else "chat")
    return finish(d, title=False)


def tpl_lookalike(g: Gen, pattern: int) -> dict:
    """Draw an event text with a word or number that looks like a date or time and is not one
    (a name, a place, a room, a title word). The real date and time are read as usual."""
    d = new_draft(g)
    title = None
    place = None
    names = None
    date_kinds = [("tomorrow", 4), ("weekday", 6), ("month-name", 3), ("numeric", 2)]
    timed = True
    social = None
    if pattern == 1:
        name = g.choice(["May", "June", "April", "August"])
        social = social_title(g, g.choice(["Coffee", "Lunch", "Call"]), [name])
    elif pattern == 2:
        title = "March on City Hall"
    elif pattern == 3:
        title = g.choice(["Meeting", "Interview", "Workshop", "Training"])
        place = Place("Room 12", "in", "Room 12")
    elif pattern == 4:
        title = g.choice(["Road trip down Highway 101", "Drive up Highway 101 to the coast"])
        timed = False
    elif pattern == 5:
        a, b = g.rng.sample(["April", "Will", "June", "Mark", "May", "Jan"], 2)
        social = social_title(g, "Dinner", [a, b], f"{a} and {b}")
    elif pattern == 6:
        title, timed = g.choice(["Summer Street block party", "Fall semester orientation",
                                 "Spring cleaning", "Winter coat drive"]), g.chance(0.4)
    elif pattern == 7:
        name = g.choice(["Priya", "Tom", "Aisha", "Diego"])
        social = social_title(g, "1:1", [name])
    elif pattern == 8:
        title = g.choice(["Jan's retirement party", "Mark's farewell lunch",
                          "Will's birthday drinks"])
    elif pattern == 9:
        title = g.choice(["Pick up 4 bags of mulch", "Drop off 3 boxes of old books"])
        timed = False
    elif pattern == 10:
        # A holiday word in the title, a few weeks before the holiday; the date is elsewhere.
        by_month = {11: "Christmas party", 12: "Christmas party", 3: "Easter egg hunt planning",
                    10: "Halloween costume fitting", 9: "Halloween costume fitting"}
        if d.ref.month not in by_month:
            raise Reject("holiday title out of season")
        title = by_month[d.ref.month]
        date_kinds = [("tomorrow", 4), ("weekday", 6), ("month-name-near", 3)]
    elif pattern == 11:
        title = g.choice(["Ferry to Friday Harbor", "Friday Harbor whale watching tour"])
    elif pattern == 12:
        title = "Physio on the 2nd floor"
    elif pattern == 13:
        name = g.choice(["Tom", "Grace", "Omar"])
        title, names = f"Review the May numbers with {name}", [name]
    elif pattern == 14:
        title = g.choice(["Second round interview", "Second opinion consult"])
    elif pattern == 15:
        title = g.choice(["Sign up for the 5K", "Register for the 10K"])
        timed = False
    else:
        title = "Pick up Mom"
        place = Place(g.choice(["Terminal 2", "Gate 14", "Pier 39"]), "at", "")
        place.label = place.text

    t_obj = social or Title(title, "neutral", names, (8, 18))
    title = t_obj.text
    if pattern == 8 or title == "Christmas party":
        t_obj.hours = (12, 20)

    if timed:
        dp, tp, day, evening = draw_date_and_time(
            g, d, t_obj, date_kinds, g.weighted([("meridiem", 5), ("noon", 1), ("24h", 1)]))
    else:
        dp, tp = pick_date(g, d, g.weighted(date_kinds)), None
        day = dp.resolve(None)

    title_words = set(re.findall(r"[a-z]+", title.lower()))
    if title_words & set(re.findall(r"[a-z]+", dp.text.lower())):
        raise Reject("the lookalike word also appears in the date")

    compose_quick(g, d, t_obj, dp, tp, place)
    set_start(d, day, tp.t if tp else None)
    d.tags.update({"lookalike-word", "quick-add"})
    return finish(d)


def tpl_attendees(g: Gen) -> dict:
    """<activity> with <people> <date> <time>: attendees are the proper names only.

    "my sister", "the design team" and "their manager" are not names, so they add no attendees,
    and a phrase of common nouns alone labels an empty list. The "with" phrase stays in the
    title.
    """
    d = new_draft(g)
    activity = g.choice(["Lunch", "Coffee", "Call", "Dinner", "Catch-up", "Drinks", "Walk",
                         "Planning session"])

    form = g.randint(1, 4)
    if form == 1:
        people, names = g.choice(["my sister", "my parents", "the design team", "the landlord",
                                  "my mentor", "the new hires", "our neighbors"]), []
    elif form == 2:
        name = g.choice(FIRST_NAMES)
        other = g.choice(["their manager", "their team", "the recruiter", "their lawyer",
                          "a colleague"])
        people, names = f"{name} and {other}", [name]
    elif form == 3:
        names = g.rng.sample(FULL_NAMES, 3)
        people = f"{names[0]}, {names[1]} and {names[2]}"
    else:
        names = g.rng.sample(FIRST_NAMES, g.choice([2, 4]))
        if len(names) == 2:
            people = names_phrase(g, names)
        else:
            people = f"{', '.join(names[:-1])}, and {names[-1]}"

    title = social_title(g, activity, names, people)
    dp, tp, day, evening = draw_date_and_time(
        g, d, title, [("tomorrow", 3), ("weekday", 4), ("month-name", 2), ("next-weekday", 1)])
    place = draw_place(g, title.place_kinds) if g.chance(0.4) else None

    compose_quick(g, d, title, dp, tp, place)
    set_start(d, day, tp.t)
    check_bare_context(d, tp, evening)
    d.tags.add("attendees")
    d.tags.add("calendar-entry")
    return finish(d)
