"""The words of a case: reference time and zone, titles, people and places, and the date and
time phrases, each paired with the convention that reads it."""

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable, Optional

from .conventions import (
    CASE_ZONES, DST_ZONES, HOLIDAYS, MONTHS, MONTH_ABBR, NUMBER_WORDS, ORDINAL_WORDS, Reject,
    US_ZONES, WD_ABBR, WD_CASUAL, WD_MISSPELT, WEEKDAYS, add_months, bare_hour, days_in_month,
    first_of_next_month, is_dst_change_day, next_holiday, next_weekday_is_ambiguous,
    nth_weekday, ordinal, resolve_month_day, resolve_next_weekday, resolve_nth_weekday_from,
    resolve_ordinal_day, resolve_today, resolve_weekday, time_is_ahead, wall_time_exists,
)

# ---------------------------------------------------------------------------------------------
# Cases under construction
# ---------------------------------------------------------------------------------------------

LEADING_ARTICLES = ("the ", "a ", "our ", "my ")
EDGE_PUNCTUATION = " \t\n,.;:!?-–—'\"()[]"


def join_parts(parts: list) -> str:
    """Join text parts with single spaces, with no space before closing punctuation."""
    out = ""
    for part in parts:
        if not part:
            continue
        closing = part.startswith((",", ".", ";", ":", "?", "!", "\n"))
        if out and not out.endswith(("\n", " ")) and not closing:
            out += " "
        out += part
    return out


def clean_title(raw: str) -> str:
    """Apply the title rules: trim, drop edge punctuation and one leading the/a/our/my."""
    title = re.sub(r"\s+", " ", raw).strip(EDGE_PUNCTUATION)
    if title.lower().startswith(LEADING_ARTICLES):
        title = title.split(" ", 1)[1]
    return title.strip(EDGE_PUNCTUATION)


@dataclass
class Draft:
    """A case being built. `parts` pairs each piece of text with its role: "T" pieces form the
    title, every other role (date, time, location, request wording, ...) is left out of it."""
    ref: datetime
    tz: str
    locale: str
    parts: list = field(default_factory=list)
    expect: dict = field(default_factory=dict)
    tags: set = field(default_factory=set)
    text_override: Optional[str] = None

    def add(self, text: str, role: str = "x") -> None:
        self.parts.append((text, role))

    def text(self) -> str:
        if self.text_override is not None:
            return self.text_override
        return join_parts([p for p, _ in self.parts])

    def title(self) -> str:
        """The title pieces joined. A "due" that ends a piece and leads straight into
        the date ("Taxes due on the 14th") belongs to the date phrase, as "on" would;
        at the end of the text ("Jul 19 Taxes due") it stays in the title."""
        pieces = []
        for i, (p, role) in enumerate(self.parts):
            if role != "T":
                continue
            following = next((r for q, r in self.parts[i + 1:] if q.strip()), None)
            if following in ("date", "time") and re.search(r"\s+due$", p):
                p = re.sub(r"\s+due$", "", p)
            pieces.append(p)
        return clean_title(join_parts(pieces))


# ---------------------------------------------------------------------------------------------
# Drawing references, zones and words
# ---------------------------------------------------------------------------------------------

FIRST_REF_DAY = date(2024, 1, 1)
LAST_REF_DAY = date(2028, 12, 31)


class Gen:
    """All random draws go through one seeded generator so the output is reproducible."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def randint(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def choice(self, seq):
        return self.rng.choice(seq)

    def weighted(self, pairs):
        items, weights = zip(*pairs)
        return self.rng.choices(items, weights=weights)[0]

    def zone(self, kind: str = "any") -> tuple:
        """Return (tz, locale). kind: any, us (US zones), gb (day-first locales), dst."""
        if kind == "us":
            pool = [(z, loc, w) for z, loc, w in CASE_ZONES if z in US_ZONES]
        elif kind == "gb":
            pool = [(z, loc, w) for z, loc, w in CASE_ZONES if loc == "en-GB"]
        elif kind == "dst":
            pool = [(z, loc, w) for z, loc, w in CASE_ZONES if z in DST_ZONES]
        else:
            pool = CASE_ZONES
        zone, locale, _ = self.rng.choices(pool, weights=[w for _, _, w in pool])[0]
        return zone, locale

    def ref_day(self, mode: str, tz: str) -> date:
        rng = self.rng
        if mode == "month-end":
            y, m = rng.randint(2024, 2028), rng.randint(1, 12)
            return date(y, m, days_in_month(y, m) - rng.randint(0, 2))
        if mode == "year-end":
            return date(rng.randint(2024, 2027), 12, rng.randint(18, 31))
        if mode == "leap":
            y = rng.choice([2024, 2028])
            return date(y, 2, rng.randint(24, 29))
        if mode == "dst":
            changes = [d for y in range(2024, 2029) for d in dst_change_days_cached(tz, y)]
            if not changes:
                raise Reject("zone without daylight saving")
            return rng.choice(changes)
        span = (LAST_REF_DAY - FIRST_REF_DAY).days
        return FIRST_REF_DAY + timedelta(days=rng.randint(0, span))

    def ref(self, tz: str, mode: str = "any", hours: tuple = (6, 23),
            zero_seconds: bool = False) -> datetime:
        """Draw a valid local wall-clock `ref` in tz; hours bounds the hour (inclusive)."""
        rng = self.rng
        for _ in range(50):
            day = self.ref_day(mode, tz)
            hour = rng.randint(*hours)
            minute = rng.randint(0, 59)
            second = 0 if zero_seconds or rng.random() < 0.6 else rng.randint(1, 59)
            ref = datetime.combine(day, time(hour, minute, second))
            if wall_time_exists(tz, ref):
                return ref
        raise Reject("no valid ref drawn")


def dst_change_days(zone: str, year: int) -> list:
    out = []
    d = date(year, 1, 1)
    while d.year == year:
        if is_dst_change_day(zone, d):
            out.append(d)
        d += timedelta(days=1)
    return out


_DST_CACHE = {}


def dst_change_days_cached(zone: str, year: int) -> list:
    key = (zone, year)
    if key not in _DST_CACHE:
        _DST_CACHE[key] = dst_change_days(zone, year)
    return _DST_CACHE[key]


# -- titles, people, places ---------------------------------------------------------------------

# Titles that fit any daytime clock time, by kind; the kind decides which places fit.
WORK_TITLES = [
    "Team standup", "Sprint planning", "Quarterly review", "Budget review", "Design review",
    "Project kickoff", "Interview", "Code review", "Board meeting", "Staff meeting",
    "Team retro", "All-hands", "Product demo", "Brainstorm", "Investor update",
    "Roadmap review", "Onboarding session", "Budget meeting", "Safety training",
    "Parent-teacher conference", "Career fair", "Study group",
]
CALL_TITLES = ["Client call", "Phone screen", "Kickoff call", "Vendor call", "Mortgage call"]
APPOINTMENT_TITLES = [
    "Dentist", "Dentist appt", "Haircut", "Oil change", "Vet appointment", "Physio",
    "Car service", "Tax appointment", "Eye exam", "Flu shot", "Therapy", "Chiropractor",
    "Orthodontist", "Dermatologist", "Pediatrician", "Mechanic", "Vaccination appointment",
    "Hair appointment", "Allergist", "Dog groomer", "Passport appointment", "DMV appointment",
    "Bank appointment", "Blood test", "Car inspection", "Property viewing", "Open house",
]
# Visits at home: no place is written.
HOME_TITLES = ["Plumber visit", "Furniture delivery", "Internet install", "Cleaner",
               "Window installer", "Landlord walkthrough", "Pick up groceries"]
NEUTRAL_TITLES = WORK_TITLES + CALL_TITLES + APPOINTMENT_TITLES + HOME_TITLES
# Titles with an evening word (dinner, night): a bare hour with them is pm.
EVENING_TITLES = [
    "Dinner", "Team dinner", "Dinner party", "Date night", "Game night", "Movie night",
    "Trivia night", "Poker night", "Karaoke night", "Family dinner", "Anniversary dinner",
    "Quiz night", "Board game night",
]
MORNING_TITLES = ["Breakfast meeting", "Morning run", "Coffee chat", "Early standup",
                  "Breakfast with the team", "Bootcamp class"]
# Titles of activities that people also hold in the evening: sport (at a gym or club) and
# lessons, clubs and meetings (at an address or a public building).
SPORT_TITLES = ["Yoga", "Tennis", "Pilates", "Spin class", "Soccer practice", "Swim lesson",
                "Climbing", "Salsa class"]
CLASS_TITLES = ["Book club", "Choir practice", "Band rehearsal", "Study group", "Guitar lesson",
                "Piano lesson", "Massage", "Volunteer shift", "HOA meeting", "Podcast recording",
                "Photo shoot", "Math tutoring", "Pottery class"]
LEISURE_TITLES = SPORT_TITLES + CLASS_TITLES
# Activities for "<activity> with <names>": plausible start hours and the places they use.
CAFE_PLACES = ("cafe",)
RESTAURANT_PLACES = ("restaurant",)
CALL_PLACES = ("virtual",)
MEETING_PLACES = ("room", "venue", "virtual")
SOCIAL_ACTIVITIES = {
    "Lunch": ((11, 13), RESTAURANT_PLACES), "Coffee": ((8, 16), CAFE_PLACES),
    "Call": ((8, 18), CALL_PLACES), "1:1": ((8, 17), MEETING_PLACES),
    "Catch-up": ((8, 18), MEETING_PLACES + CAFE_PLACES), "Sync": ((8, 17), MEETING_PLACES),
    "Drinks": ((17, 21), RESTAURANT_PLACES), "Study session": ((9, 21), ("venue", "cafe")),
    "Tennis": ((7, 20), ("leisure",)), "Run": ((6, 8), ("park",)),
    "Brunch": ((10, 12), RESTAURANT_PLACES), "Walk": ((8, 18), ("park",)),
    "Check-in": ((8, 17), MEETING_PLACES), "Planning session": ((8, 17), MEETING_PLACES),
    "Interview": ((8, 17), MEETING_PLACES), "Video call": ((8, 20), CALL_PLACES),
    "Pairing session": ((9, 17), MEETING_PLACES), "Dinner": ((18, 21), RESTAURANT_PLACES),
}
FIRST_NAMES = ["Sarah", "Tom", "Priya", "Marcus", "Aisha", "Diego", "Mei", "Jonas", "Fatima",
               "Liam", "Noor", "Kenji", "Olivia", "Ravi", "Elena", "Sam", "Grace", "Omar",
               "Hannah", "Luca", "Zoe", "Ben", "Ama", "Chloe", "Dana", "Felix", "Ines",
               "Yusuf", "Nadia", "Theo", "Leila", "Oscar", "Rosa", "Arjun", "Wen", "Malik"]
FULL_NAMES = ["Sarah Kim", "Tom Becker", "Priya Raman", "Marcus Cole", "Aisha Bello",
              "Diego Alvarez", "Mei Lin", "Jonas Berg", "Elena Petrova", "Grace Okafor",
              "Hannah Weiss", "Kenji Mori"]
COFFEE_SHOPS = ["Blue Bottle", "Ritual Coffee", "Cafe Lumen", "Cafe Rio", "Joe's Diner",
                "The Grey Dog"]
RESTAURANTS = ["Nopa", "Tartine", "The Grey Dog", "Luigi's", "Pho 88", "Bar Pilar",
               "The Little Owl", "Dishoom", "Balthazar", "Cafe Rio", "Joe's Diner"]
ROOMS = ["Room 4B", "Conference Room B", "Room 12", "Boardroom 2", "the Oak Room",
         "the main conference room", "Meeting Room 3", "Studio A", "the small auditorium",
         "Lab 2", "Huddle Room 5"]
# Buildings where meetings and gatherings are held.
VENUES = ["the library", "the office", "the community center", "City Hall", "the town hall",
          "the Civic Center", "Lincoln Elementary", "the clubhouse", "HQ", "the Denver office"]
# Places for sport, classes and outings.
LEISURE_VENUES = ["the rec center", "the YMCA", "the community center", "the clubhouse",
                  "the gym", "Studio 5 Fitness"]
ADDRESSES = ["48 Elm Street", "221 Baker Street", "1200 Market St", "77 Harbor Road",
             "9 Quay Street", "400 Oak Ave, Suite 210", "35 Rue Oberkampf", "16 Mill Lane",
             "500 W 2nd St", "3 Kings Parade", "1450 Pine Street"]
CITIES = ["Boston", "Chicago", "Lisbon", "Denver", "Austin", "Seattle", "Toronto", "Dublin",
          "Berlin", "Melbourne", "Osaka"]
VIRTUAL = ["Zoom", "Google Meet", "Teams"]


def location_label(place: str) -> str:
    """Return the location label: the place without a lower-case leading "the". A capitalised
    "The" is part of a name and stays."""
    return place[4:] if place.startswith("the ") else place


def draw_names(g: Gen, pool=None, max_count: int = 3) -> list:
    pool = pool or FIRST_NAMES
    count = g.weighted([(1, 6), (2, 3), (3, 1)][:max_count])
    return g.rng.sample(pool, count)


def names_phrase(g: Gen, names: list) -> str:
    if len(names) == 1:
        return names[0]
    joiner = g.choice([" and ", " and ", " & "])
    return ", ".join(names[:-1]) + joiner + names[-1]


@dataclass
class Title:
    text: str
    context: str = "neutral"        # neutral, evening, morning or no-bare: how a bare hour reads
    attendees: Optional[list] = None
    hours: tuple = (8, 17)          # start hours (inclusive) at which such an event is plausible
    max_length: int = 4             # maximum plausible length of a time range, in hours
    place_kinds: tuple = ("cafe", "room", "venue", "address", "city", "virtual")


def check_hours(title: Title, t: time) -> None:
    """Reject a clock time at which this kind of event is not held (lunch at 6pm)."""
    if not title.hours[0] <= t.hour <= title.hours[1]:
        raise Reject(f"{title.text!r} at {t}")


def social_title(g: Gen, activity: str, names: list, people: Optional[str] = None) -> Title:
    hours, places = SOCIAL_ACTIVITIES[activity]
    context = "evening" if activity == "Dinner" else "neutral"
    if activity in ("Drinks", "Brunch", "Run", "Lunch"):
        context = "no-bare"     # "drinks at 7" would read 07:00 by the bare-hour rule
    return Title(f"{activity} with {people or names_phrase(g, names)}", context, names, hours,
                 max_length=2, place_kinds=places)


def draw_title(g: Gen, social: float = 0.25, evening: float = 0.12,
               morning: float = 0.06, leisure: float = 0.15) -> Title:
    r = g.rng.random()
    if r < social:
        activity = g.choice(list(SOCIAL_ACTIVITIES))
        names = draw_names(g, FIRST_NAMES + FULL_NAMES, 1 if activity == "1:1" else 3)
        return social_title(g, activity, names)
    if r < social + evening:
        return Title(g.choice(EVENING_TITLES), "evening", hours=(18, 22),
                     place_kinds=("restaurant", "address"))
    if r < social + evening + morning:
        text = g.choice(MORNING_TITLES)
        places = ("cafe",) if text.startswith(("Breakfast", "Coffee")) else ()
        return Title(text, "morning", hours=(6, 10), place_kinds=places)
    if r < social + evening + morning + leisure:
        text = g.choice(LEISURE_TITLES)
        places = ("leisure",) if text in SPORT_TITLES else ("address", "venue")
        return Title(text, hours=(7, 21), max_length=2, place_kinds=places)
    kind = g.weighted([("work", 4), ("call", 1), ("appointment", 4), ("home", 1)])
    if kind == "work":
        return Title(g.choice(WORK_TITLES), max_length=3,
                     place_kinds=("room", "venue", "virtual", "city"))
    if kind == "call":
        return Title(g.choice(CALL_TITLES), place_kinds=("virtual",))
    if kind == "appointment":
        return Title(g.choice(APPOINTMENT_TITLES), max_length=2, place_kinds=("address",))
    return Title(g.choice(HOME_TITLES), max_length=3, place_kinds=())


@dataclass
class Place:
    text: str        # as typed after the preposition
    prep: str        # at, in, @, on, via ...
    label: str


def draw_place(g: Gen, kinds: tuple) -> Optional[Place]:
    """Draw a place of one of the kinds; None when the kinds are empty (visits at home)."""
    if not kinds:
        return None
    kind = g.choice(kinds)
    if kind in ("cafe", "restaurant"):
        p = g.choice(COFFEE_SHOPS if kind == "cafe" else RESTAURANTS)
        return Place(p, g.weighted([("at", 8), ("@", 2)]), location_label(p))
    if kind == "room":
        p = g.choice(ROOMS)
        return Place(p, g.choice(["in", "in", "at"]), location_label(p))
    if kind == "venue":
        p = g.choice(VENUES)
        return Place(p, "at", location_label(p))
    if kind == "park":
        p = g.choice(["Riverside Park", "Union Square", "the botanical garden", "Lake Merritt",
                      "the river path"])
        return Place(p, "at" if g.chance(0.5) else "in", location_label(p))
    if kind == "leisure":
        p = g.choice(LEISURE_VENUES)
        return Place(p, "at", location_label(p))
    if kind == "address":
        p = g.choice(ADDRESSES)
        return Place(p, "at", p)
    if kind == "city":
        p = g.choice(CITIES)
        return Place(p, "in", p)
    p = g.choice(VIRTUAL)
    prep = {"Zoom": ["on", "via", "over"], "Google Meet": ["on", "via", "over"],
            "Teams": ["on", "via"]}[p]
    return Place(p, g.choice(prep), p)


def add_place(g: Gen, d: Draft, place: Place) -> None:
    d.add(f"{place.prep} {place.text}", "loc")
    d.expect["location"] = place.label
    d.tags.add("location")
    if place.prep == "@":
        d.tags.add("typo")


# -- date phrases ----------------------------------------------------------------------------------

@dataclass
class DatePhrase:
    """Words naming a day, and the convention that resolves them given the event's time."""
    text: str
    resolve: Callable[[Optional[time]], date]
    tags: set
    prep: str = ""                 # preposition that may precede it ("on"); "" for none
    evening: bool = False          # the phrase is itself an evening word ("tonight")


def weekday_word(g: Gen, wd: int, tags: set, casual: bool = True) -> str:
    """Write a weekday as people type it: full, abbreviated, lower case, casual or misspelt."""
    form = g.weighted([("full", 10), ("lower", 4), ("abbr", 4), ("casual", 2 if casual else 0),
                       ("misspelt", 1 if casual and WD_MISSPELT[wd] else 0)])
    if form == "full":
        return WEEKDAYS[wd]
    if form == "lower":
        return WEEKDAYS[wd].lower()
    if form == "abbr":
        return g.choice([WD_ABBR[wd], WD_ABBR[wd].lower()])
    if form == "casual":
        word = g.choice(WD_CASUAL[wd])
        if word in ("tues", "weds", "thurs", "thur"):
            tags.add("typo")
        return word
    tags.add("typo")
    return WD_MISSPELT[wd]


def month_word(g: Gen, m: int, tags: set, allow_typo: bool = True) -> str:
    form = g.weighted([("full", 10), ("abbr", 6), ("dot", 1), ("typo", 1 if allow_typo else 0)])
    if form == "full":
        return MONTHS[m]
    if form == "abbr":
        return "Sept" if m == 9 and g.chance(0.5) else MONTH_ABBR[m]
    if form == "dot" and m != 5:
        return ("Sept" if m == 9 else MONTH_ABBR[m]) + "."
    if form == "typo" and m in (2, 9, 12):
        tags.add("typo")
        return {2: "Febuary", 9: "Septmber", 12: "Decmber"}[m]
    return MONTHS[m]


def target_day(g: Gen, ref: datetime, near: bool = False) -> date:
    """Draw a day after ref to write as a calendar date, mostly within two months."""
    if near:
        return ref.date() + timedelta(days=g.randint(1, 21))
    band = g.weighted([((0, 14), 4), ((15, 70), 4), ((71, 330), 3)])
    return ref.date() + timedelta(days=g.randint(*band))


def month_name_date(g: Gen, ref: datetime, locale: str, tags: set, day: date,
                    with_year: bool, weekday_prefix: bool = False) -> tuple:
    """Return (text, month, day, year-or-None) for a month-name form of `day`."""
    m, dd = day.month, day.day
    mon = month_word(g, m, tags)
    forms = [f"{mon} {dd}", f"{mon} {ordinal(dd)}", f"{dd} {mon}", f"{ordinal(dd)} {mon}",
             f"the {ordinal(dd)} of {MONTHS[m]}"]
    weights = [8, 3, 3 if locale == "en-GB" else 1, 2 if locale == "en-GB" else 1, 1]
    text = g.rng.choices(forms, weights=weights)[0]
    year = None
    if with_year:
        year = day.year
        if text.startswith(str(dd)) or text.startswith(ordinal(dd)):
            text = f"{text} {year}"
        elif text.startswith("the "):
            text = f"{text} {year}"
        else:
            text = f"{text}, {year}" if g.chance(0.7) else f"{text} {year}"
    if weekday_prefix and not text.startswith("the "):
        wd = WEEKDAYS[day.weekday()] if g.chance(0.6) else WD_ABBR[day.weekday()]
        text = f"{wd}, {text}" if g.chance(0.6) else f"{wd} {text}"
    return text, m, dd, year


def numeric_date(g: Gen, locale: str, tags: set, day: date, with_year: bool) -> tuple:
    """Return (text, month, day, year-or-None) for a numeric form of `day` in the locale."""
    m, dd, y = day.month, day.day, day.year
    if with_year and g.chance(0.2):
        tags.update({"numeric-date", "absolute-date"})
        return f"{y:04d}-{m:02d}-{dd:02d}", m, dd, y
    tags.update({"numeric-date", "absolute-date"})
    if locale == "en-GB":
        tags.add("day-first")
        if with_year:
            text = g.choice([f"{dd}/{m}/{y}", f"{dd:02d}/{m:02d}/{y}", f"{dd}/{m}/{y % 100:02d}",
                             f"{dd:02d}.{m:02d}.{y}"])
        else:
            text = g.choice([f"{dd}/{m}", f"{dd:02d}/{m:02d}", f"{dd}/{m}"])
    else:
        if with_year:
            text = g.choice([f"{m}/{dd}/{y}", f"{m:02d}/{dd:02d}/{y}", f"{m}/{dd}/{y % 100:02d}"])
        else:
            text = g.choice([f"{m}/{dd}", f"{m}/{dd}", f"{m:02d}/{dd:02d}"])
    return text, m, dd, (y if with_year else None)


def pick_date(g: Gen, d: Draft, kind: str) -> DatePhrase:
    """Draw the words for one kind of date phrase and the resolver that reads them."""
    ref, locale = d.ref, d.locale
    tags = set()

    if kind == "today":
        word = g.weighted([("today", 12), ("2day", 1)])
        if word == "2day":
            tags.add("typo")
        tags.add("relative-date")
        return DatePhrase(word, lambda t: resolve_today(ref, t), tags)

    if kind == "tonight":
        word = g.weighted([("tonight", 10), ("2nite", 2), ("tonite", 2)])
        if word != "tonight":
            tags.add("typo")
        tags.add("relative-date")
        return DatePhrase(word, lambda t: resolve_today(ref, t), tags, evening=True)

    if kind == "tomorrow":
        word = g.weighted([("tomorrow", 14), ("tmrw", 2), ("tmr", 1),
                           ("2morrow", 1), ("tomorow", 1)])
        if word.lower() != "tomorrow":
            tags.add("typo")
        tags.add("relative-date")
        if ref.hour < 4:
            tags.add("ambiguous")   # after midnight many people still mean the coming day
        return DatePhrase(word, lambda t: ref.date() + timedelta(days=1), tags)

    if kind == "day-after":
        tags.add("relative-date")
        word = g.choice(["the day after tomorrow", "day after tomorrow"])
        return DatePhrase(word, lambda t: ref.date() + timedelta(days=2), tags)

    if kind in ("weekday", "this-weekday", "coming-weekday"):
        wd = g.rng.randint(0, 6)
        if kind == "coming-weekday" and wd == ref.weekday():
            raise Reject("this coming <weekday> written on that weekday")
        word = weekday_word(g, wd, tags)
        tags.update({"weekday", "relative-date"})
        if kind == "this-weekday":
            def resolve_this(t: Optional[time]) -> date:
                if wd == ref.weekday() and t is not None and not time_is_ahead(ref, t):
                    raise Reject("this <weekday> written on that weekday after the time")
                return resolve_weekday(ref, wd, t)
            return DatePhrase(f"this {word}", resolve_this, tags)
        if kind == "coming-weekday":
            return DatePhrase(f"this coming {word}", lambda t: resolve_weekday(ref, wd, t), tags)
        return DatePhrase(word, lambda t: resolve_weekday(ref, wd, t), tags, prep="on")

    if kind == "next-weekday":
        wd = g.rng.randint(0, 6)
        word = weekday_word(g, wd, tags)
        nxt = g.weighted([("next", 10), ("nxt", 2)])
        if nxt == "nxt":
            tags.add("typo")
        tags.update({"weekday", "next-weekday", "relative-date"})
        if next_weekday_is_ambiguous(ref, wd):
            tags.add("ambiguous")
        return DatePhrase(f"{nxt} {word}", lambda t: resolve_next_weekday(ref, wd), tags)

    if kind in ("month-name", "month-name-year", "month-name-weekday", "month-name-near"):
        day = target_day(g, ref, near=kind == "month-name-near")
        with_year = kind == "month-name-year" or (kind == "month-name" and g.chance(0.15))
        text, m, dd, year = month_name_date(g, ref, locale, tags, day, with_year,
                                            weekday_prefix=kind == "month-name-weekday")
        tags.add("absolute-date")
        return DatePhrase(text, lambda t: resolve_month_day(ref, m, dd, year, t), tags,
                          prep="on")

    if kind in ("numeric", "numeric-year", "numeric-near"):
        day = target_day(g, ref, near=kind == "numeric-near")
        with_year = kind == "numeric-year" or g.chance(0.3)
        text, m, dd, year = numeric_date(g, locale, tags, day, with_year)
        return DatePhrase(text, lambda t: resolve_month_day(ref, m, dd, year, t), tags,
                          prep="on")

    if kind == "ordinal":
        n = g.weighted([(g.rng.randint(1, 28), 6), (g.rng.randint(29, 31), 2)])
        tags.add("ordinal-day")
        day = resolve_ordinal_day(ref, n)
        text = g.choice([f"the {ordinal(n)}", f"the {ordinal(n)}", f"the {ordinal(n)}"])
        return DatePhrase(text, lambda t: check_not_past(ref, day, t), tags, prep="on")

    if kind == "weekday-ordinal":
        n = g.rng.randint(1, 31)
        day = resolve_ordinal_day(ref, n)
        tags.add("ordinal-day")
        text = f"{WEEKDAYS[day.weekday()]} the {ordinal(n)}"
        return DatePhrase(text, lambda t: check_not_past(ref, day, t), tags, prep="on")

    if kind == "nth":
        return pick_nth_weekday(g, d, tags)

    if kind == "holiday":
        return pick_holiday(g, d, tags)

    if kind == "in-days":
        n = g.weighted([(g.rng.randint(2, 6), 5), (g.rng.randint(7, 30), 3)])
        form = g.choice(["in {n} days", "in {w} days", "{n} days from now", "{w} days from today"])
        text = form.format(n=n, w=number_word(n))
        tags.add("relative-date")
        return DatePhrase(text, lambda t: ref.date() + timedelta(days=n), tags)

    if kind == "in-weeks":
        n = g.weighted([(1, 4), (2, 4), (3, 2), (g.rng.randint(4, 10), 2)])
        if n == 1:
            text = g.choice(["in a week", "in one week", "a week from today", "in 1 week"])
        else:
            text = g.choice(["in {n} weeks", "in {w} weeks", "{w} weeks from today",
                             "{n} weeks from now"]).format(n=n, w=number_word(n))
        tags.add("relative-date")
        return DatePhrase(text, lambda t: ref.date() + timedelta(weeks=n), tags)

    if kind == "in-months":
        n = g.weighted([(1, 4), (2, 3), (3, 2), (6, 1)])
        if n == 1:
            text = g.choice(["in a month", "in one month", "a month from today"])
        else:
            text = g.choice(["in {n} months", "in {w} months"]).format(n=n, w=number_word(n))
        day = add_months(ref.date(), n)
        tags.add("relative-date")
        return DatePhrase(text, lambda t: day, tags)

    if kind == "from-day":
        base = g.choice(["tomorrow", "weekday", "weekday"])
        n_days = g.choice([7, 7, 14, 2, 3, 10])
        amount = {7: "a week", 14: g.choice(["two weeks", "2 weeks"]), 2: "two days",
                  3: g.choice(["3 days", "three days"]), 10: "10 days"}[n_days]
        tags.add("relative-date")
        if base == "tomorrow":
            text = f"{amount} from tomorrow"
            return DatePhrase(text, lambda t: ref.date() + timedelta(days=1 + n_days), tags)
        wd = g.rng.randint(0, 6)
        if wd == ref.weekday():
            raise Reject("N days from <weekday> written on that weekday")
        tags.add("weekday")
        text = f"{amount} from {WEEKDAYS[wd]}"
        return DatePhrase(text, lambda t: resolve_weekday(ref, wd, None) + timedelta(days=n_days),
                          tags)

    raise ValueError(f"unknown date kind {kind}")


def check_not_past(ref: datetime, day: date, t: Optional[time]) -> date:
    if day < ref.date() or (day == ref.date() and t is not None and not time_is_ahead(ref, t)):
        raise Reject("date already past")
    return day


def number_word(n: int) -> str:
    return NUMBER_WORDS[n] if n <= 12 else str(n)


def pick_nth_weekday(g: Gen, d: Draft, tags: set) -> DatePhrase:
    """"the first Monday of next month", "the third Thursday in March", "the last Friday of
    the month": the nth weekday of a month, counted from the month's first day."""
    ref = d.ref
    wd = g.rng.randint(0, 6)
    n = g.weighted([(1, 5), (2, 3), (3, 3), (4, 1), (-1, 3)])
    nth_word = "last" if n == -1 else ORDINAL_WORDS[n]
    which = g.choice(["next month", "this month", "named"])
    tags.add("nth-weekday")
    if which == "next month":
        nm = first_of_next_month(ref.date())
        day = nth_weekday(nm.year, nm.month, n, wd)
        text = f"the {nth_word} {WEEKDAYS[wd]} of next month"
        if g.chance(0.3):
            text = text[4:]
    elif which == "this month":
        day = nth_weekday(ref.year, ref.month, n, wd)
        if day is None or day <= ref.date():
            raise Reject("nth weekday of this month already past")
        text = f"the {nth_word} {WEEKDAYS[wd]} of the month"
    else:
        month = (ref.month + g.rng.randint(1, 10) - 1) % 12 + 1
        day = resolve_nth_weekday_from(ref, n, wd, month)
        text = f"the {nth_word} {WEEKDAYS[wd]} {g.choice(['of', 'in'])} {MONTHS[month]}"
    if day is None:
        raise Reject("no such nth weekday")
    return DatePhrase(text, lambda t: check_not_past(ref, day, t), tags, prep="on")


def pick_holiday(g: Gen, d: Draft, tags: set, key: Optional[str] = None) -> DatePhrase:
    ref = d.ref
    us = d.tz in US_ZONES
    keys = [k for k, h in HOLIDAYS.items()
            if not (h.us_only and not us) and not (h.gb_only and d.locale != "en-GB")]
    key = key or g.choice(keys)
    phrase = g.choice(HOLIDAYS[key].phrases)
    day = next_holiday(ref.date(), key)
    if day == ref.date():
        raise Reject("holiday written on the holiday")
    tags.add("holiday")
    prep = "" if phrase.startswith("the ") else "on"
    return DatePhrase(phrase, lambda t: check_not_past(ref, day, t), tags, prep=prep)


# -- time phrases ----------------------------------------------------------------------------------

@dataclass
class TimePhrase:
    text: str
    t: time
    tags: set
    prep: str = "at"


def meridiem_text(g: Gen, h24: int, minute: int, casual: bool = False) -> tuple:
    """Write a clock time with am/pm in one of the forms people type; return (text, tags)."""
    tags = {"time"}
    h12 = h24 % 12 or 12
    am = h24 < 12
    suffix = g.weighted([("pm" if not am else "am", 10), ("PM" if not am else "AM", 3),
                         (" pm" if not am else " am", 4), (" PM" if not am else " AM", 3),
                         (" p.m." if not am else " a.m.", 2)])
    if casual and g.chance(0.1):
        suffix = "p" if not am else "a"
        tags.add("typo")
    if minute:
        return f"{h12}:{minute:02d}{suffix}", tags
    if g.chance(0.15):
        return f"{h12}:00{suffix}", tags
    return f"{h12}{suffix}", tags


def pick_time(g: Gen, kind: str, context: str = "neutral") -> TimePhrase:
    """Draw a clock-time phrase of one kind. context (neutral, evening, morning, no-bare)
    decides which bare hours are natural."""
    minute = g.weighted([(0, 12), (30, 5), (15, 2), (45, 2), (g.choice([10, 20, 40, 50, 5]), 1)])
    if kind == "meridiem":
        if context == "evening":
            h24 = g.rng.randint(17, 22)
        elif context == "morning":
            h24 = g.rng.randint(6, 10)
        else:
            h24 = g.weighted([(g.rng.randint(7, 11), 5), (g.rng.randint(13, 18), 6),
                              (g.rng.randint(19, 22), 1)])
        text, tags = meridiem_text(g, h24, minute, casual=True)
        return TimePhrase(text, time(h24, minute), tags)
    if kind == "24h":
        h24 = g.rng.randint(7, 21) if context != "evening" else g.rng.randint(17, 22)
        return TimePhrase(f"{h24:02d}:{minute:02d}", time(h24, minute), {"time"})
    if kind == "noon":
        text = g.weighted([("noon", 8), ("12 noon", 2), ("midday", 2), ("12pm", 4),
                           ("12:00pm", 1), ("12 p.m.", 1)])
        return TimePhrase(text, time(12, 0), {"time", "noon-midnight"})
    if kind == "bare":
        if context == "no-bare":
            raise Reject("bare hour with an activity whose usual hour contradicts the rule")
        if context == "evening":
            hour = g.rng.randint(6, 10)
        elif context == "morning":
            hour = g.rng.randint(7, 10)
        else:
            hour = g.weighted([(g.rng.randint(8, 11), 5), (g.rng.randint(1, 5), 6), (12, 1)])
        h24 = bare_hour(hour, context == "evening")
        tags = {"time", "bare-hour"}
        if h24 == 12:
            tags.add("noon-midnight")
        text = f"{hour}:{minute:02d}" if minute else str(hour)
        return TimePhrase(text, time(h24, minute), tags)
    if kind == "words":
        if context == "no-bare":
            raise Reject("bare hour with an activity whose usual hour contradicts the rule")
        form = g.choice(["half past", "quarter past", "quarter to", "o'clock"])
        if context == "evening":
            hour = g.rng.randint(6, 9)
        else:
            hour = g.choice([8, 9, 10, 1, 2, 3, 4])
        h24 = bare_hour(hour, context == "evening")
        word = g.choice([NUMBER_WORDS[hour], str(hour)]) if form != "o'clock" else \
            g.choice([NUMBER_WORDS[hour], str(hour)])
        if form == "half past":
            text, t = f"half past {word}", time(h24, 30)
        elif form == "quarter past":
            text, t = f"quarter past {word}", time(h24, 15)
        elif form == "quarter to":
            # "quarter to five" is 4:45; the clock hour (4) is what the bare-hour rule reads.
            if hour == 6 and context != "evening":
                raise Reject("quarter to seven: 6 reads pm but 7 reads am")
            nxt = hour + 1
            text = f"quarter to {NUMBER_WORDS[nxt] if g.chance(0.6) else nxt}"
            t = time(h24, 45)
        else:
            text, t = f"{word} o'clock", time(h24, 0)
        return TimePhrase(text, t, {"time", "bare-hour"})
    raise ValueError(f"unknown time kind {kind}")
