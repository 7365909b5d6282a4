#!/usr/bin/env python3
"""Writes the rule-family test cases for tests/unit/test_grammar.c.

Every expected date is computed here from the case's reference time with
Python's datetime, never typed by hand. Run it after changing a case:
    python3 tests/data/grammar/make_cases.py
"""
import datetime as dt
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REF = dt.datetime(2026, 12, 4, 10, 0, 0)        # a Friday morning
D = REF.date()


def day(offset=0, base=D):
    return (base + dt.timedelta(days=offset)).isoformat()


def at(d, hh, mm=0, ss=None):
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    text = f"{d.isoformat()}T{hh:02d}:{mm:02d}"
    return text + (f":{ss:02d}" if ss is not None else "")


def weekday_on_or_after(base, weekday):
    return base + dt.timedelta(days=(weekday - base.weekday()) % 7)


def next_week(base, weekday):
    monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(days=7)
    return monday + dt.timedelta(days=weekday)


def nth_weekday(year, month, weekday, n):
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
FRI_NEXT = next_week(D, FRI)

families = {}


def case(family, text, expect, ref=REF, locale=None):
    entry = {"id": f"{family}-{len(families.setdefault(family, [])) + 1:03d}", "text": text,
             "ref": ref.strftime("%Y-%m-%dT%H:%M:%S"), "expect": expect}
    if locale:
        entry["locale"] = locale
    families[family].append(entry)


# Times: every written form of a clock time. 10:00 on Friday: a time
# still ahead is today, one already past is tomorrow.
case("times", "Call at 3pm", {"start": at(D, 15)})
case("times", "Call at 3 p.m.", {"start": at(D, 15)})
case("times", "Call at 3 P.M.", {"start": at(D, 15)})
case("times", "Call at 15:30", {"start": at(D, 15, 30)})
case("times", "Call at 7:56:30 pm", {"start": at(D, 19, 56, 30)})
case("times", "Call at 1530h", {"start": at(D, 15, 30)})
case("times", "Call at 1140 a.m.", {"start": at(D, 11, 40)})
case("times", "Lunch at noon", {"start": at(D, 12)})
case("times", "Deploy at midnight", {"start": at(day(1), 0)})
case("times", "Call at half past four", {"start": at(D, 16, 30)})
case("times", "Call at quarter to five", {"start": at(D, 16, 45)})
case("times", "Call at quarter past 9", {"start": at(day(1), 9, 15)})
case("times", "Drinks at 20 min past eight in the evening", {"start": at(D, 20, 20)})
case("times", "Call at five-thirty pm", {"start": at(D, 17, 30)})
case("times", "Call at 9a", {"start": at(day(1), 9)})
case("times", "Call at 6:15p", {"start": at(D, 18, 15)})
case("times", "Coffee at 11", {"start": at(D, 11)})
case("times", "Coffee at 9", {"start": at(day(1), 9)})
case("times", "Dinner at 7", {"start": at(D, 19)})
case("times", "Call @ 4", {"start": at(D, 16)})
case("times", "Pick up 10ish", {"start": at(day(1), 10)})
case("times", "Meet around 7", {"start": at(day(1), 7)})
case("times", "Report by end of day", {"start": at(D, 23, 59, 59)})
case("times", "Yoga this evening", {"start": at(D, 18)})
case("times", "Yoga this afternoon", {"start": at(D, 15)})
case("times", "Movie tonight", {"start": at(D, 20)})
case("times", "Room 12 booking at 2pm", {"start": at(D, 14), "title": "Room 12 booking"})
# A day and then a bare hour; the weekday's own date stays a date.
case("times", "Dinner thurs 7", {"start": at(day(6), 19), "title": "Dinner"})
case("times", "Call tomorrow 8", {"start": at(day(1), 8), "title": "Call"})
case("times", "Dinner thurs 10", {"start": day(6), "title": "Dinner"})
case("times", "Flight on Dec/8(Tue)-11:30 AM", {"start": at("2026-12-08", 11, 30), "end": None})

# Absolute dates in every order.
case("dates", "Review 2027-01-15", {"start": "2027-01-15", "all_day": True})
case("dates", "Review 1/15", {"start": "2027-01-15"})
case("dates", "Review 15/1", {"start": "2027-01-15"}, locale="en-GB")
case("dates", "Review 4/1", {"start": "2027-01-04"}, locale="en-GB")
case("dates", "Review 4/1", {"start": "2027-04-01"})
case("dates", "Review 12/25/2026", {"start": "2026-12-25"})
case("dates", "Review Jan 15", {"start": "2027-01-15"})
case("dates", "Review January 15th, 2028", {"start": "2028-01-15"})
case("dates", "Review 15 January", {"start": "2027-01-15"})
case("dates", "Review the 15th of January", {"start": "2027-01-15"})
case("dates", "Review Dec. 31", {"start": "2026-12-31"})
case("dates", "Review December twenty first", {"start": "2026-12-21"})
case("dates", "Review the twenty-first of December", {"start": "2026-12-21"})
case("dates", "Review mar4", {"start": "2027-03-04"})
case("dates", "Review 2027/aug/01", {"start": "2027-08-01"})
case("dates", "Review 20270115", {"start": "2027-01-15"})
case("dates", "Review Fri 11 December", {"start": "2026-12-11"})
case("dates", "Review Feb 29", {"start": "2028-02-29"})
case("dates", "Review on the 29th", {"start": "2026-12-29"})
case("dates", "Review on the 31st", {"start": "2026-12-31"})
case("dates", "Review Monday the 14th", {"start": "2026-12-14"})
case("dates", "Review in March", {"start": "2027-03-01", "end": "2027-04-01"})

# Relative dates.
case("relative", "Dentist today", {"start": day(0), "all_day": True})
case("relative", "Dentist tomorrow", {"start": day(1)})
case("relative", "Dentist tmrw", {"start": day(1)})
case("relative", "Dentist 2morrow", {"start": day(1)})
case("relative", "Dentist the day after tomorrow", {"start": day(2)})
case("relative", "Dentist Friday", {"start": day(0)})
case("relative", "Dentist Friday at 9am", {"start": at(day(7), 9)})
case("relative", "Dentist Friday at 4pm", {"start": at(day(0), 16)})
case("relative", "Dentist this Saturday", {"start": day(1)})
case("relative", "Dentist next Friday", {"start": FRI_NEXT.isoformat()})
case("relative", "Dentist next Monday", {"start": next_week(D, MON).isoformat()})
case("relative", "Dentist nxt tues", {"start": next_week(D, TUE).isoformat()})
case("relative", "Dentist weds", {"start": weekday_on_or_after(D, WED).isoformat()})
case("relative", "Dentist Wednesday next week", {"start": next_week(D, WED).isoformat()})
case("relative", "Dentist in 3 weeks", {"start": day(21)})
case("relative", "Dentist in three days", {"start": day(3)})
case("relative", "Dentist in 2 months", {"start": "2027-02-04"})
case("relative", "Call in 10 minutes", {"start": at(D, 10, 10)})
case("relative", "Call in an hour", {"start": at(D, 11)})
case("relative", "Dentist 2 weeks from tomorrow", {"start": day(15)})
case("relative", "Dentist a week from Monday", {"start": day(10)})
case("relative", "Dentist 3 days from today", {"start": day(3)})
case("relative", "Board meeting first Monday of next month", {"start": nth_weekday(2027, 1, MON, 1).isoformat()})
case("relative", "Drinks last Friday of the month", {"start": nth_weekday(2026, 12, FRI, -1).isoformat()})
case("relative", "Party second Saturday in January", {"start": nth_weekday(2027, 1, SAT, 2).isoformat()})
case("relative", "Submit timesheet by the end of the month", {"start": "2026-12-31", "title": "Submit timesheet"})
case("relative", "Camping the weekend", {"start": day(1), "end": day(3)})
case("relative", "Camping this weekend", {"start": day(1), "end": day(3)})
case("relative", "Offsite next week", {"start": next_week(D, MON).isoformat(), "end": next_week(D, MON + 7).isoformat()})
case("relative", "Call tomorrow morning", {"start": at(day(1), 9)})
case("relative", "Call tomorrow night", {"start": at(day(1), 20)})
case("relative", "Call Monday afternoon", {"start": at(next_week(D, MON), 15)})

# Holidays.
case("holidays", "Dinner on Christmas Eve", {"start": "2026-12-24"})
case("holidays", "Party on New Year's Eve", {"start": "2026-12-31"})
case("holidays", "Brunch on New Year's Day", {"start": "2027-01-01"})
case("holidays", "Family lunch on Thanksgiving", {"start": nth_weekday(2027, 11, THU, 4).isoformat()})
case("holidays", "Egg hunt on Easter", {"start": "2027-03-28"})
case("holidays", "Day off Good Friday", {"start": "2027-03-26"})
case("holidays", "BBQ on Memorial Day", {"start": nth_weekday(2027, 5, MON, -1).isoformat()})
case("holidays", "Picnic Labor Day", {"start": nth_weekday(2027, 9, MON, 1).isoformat()})
case("holidays", "Flowers for Mother's Day", {"start": nth_weekday(2027, 5, SUN, 2).isoformat()})
case("holidays", "Call dad on Father's Day", {"start": nth_weekday(2027, 6, SUN, 3).isoformat()})
case("holidays", "Fireworks on Independence Day", {"start": "2027-07-04"})
case("holidays", "Party on the 4th of July", {"start": "2027-07-04"})

# Ranges.
case("ranges", "Shift 9-5 Saturday", {"start": at(day(1), 9), "end": at(day(1), 17)})
case("ranges", "Open house Sunday from 10 to 2", {"start": at(day(2), 10), "end": at(day(2), 14)})
case("ranges", "Book club tomorrow between 7 and 8pm", {"start": at(day(1), 19), "end": at(day(1), 20)})
case("ranges", "Stargazing tomorrow from 10pm to 2am", {"start": at(day(1), 22), "end": at(day(2), 2)})
case("ranges", "Review today from 1:00pm-2:30", {"start": at(D, 13), "end": at(D, 14, 30)})
case("ranges", "Inventory from 9am to noon Saturday", {"start": at(day(1), 9), "end": at(day(1), 12)})
case("ranges", "Trip Dec 21 - Jan 1", {"start": "2026-12-21", "end": "2027-01-02", "all_day": True})
case("ranges", "Fair 25/1 to 27/1", {"start": "2027-01-25", "end": "2027-01-28"}, locale="en-GB")
case("ranges", "Conference December 14-16", {"start": "2026-12-14", "end": "2026-12-17"})
case("ranges", "Party Dec 31 10pm - 12am", {"start": at("2026-12-31", 22), "end": at("2027-01-01", 0)})
case("ranges", "Dentist at 3pm from Jan 12 to Jan 14", {"start": at("2027-01-12", 15), "end": at("2027-01-14", 15)})

# Durations: the end follows from the start.
case("durations", "Pottery class Thursday at 6pm for 90 minutes", {"start": at(day(6), 18), "end": at(day(6), 19, 30), "duration_min": 90})
case("durations", "Run tomorrow 7am for an hour and a half", {"end": at(day(1), 8, 30), "duration_min": 90})
case("durations", "Move house tomorrow at 9am for 3 hours", {"end": at(day(1), 12), "duration_min": 180})
case("durations", "45 min call tomorrow at 2pm", {"end": at(day(1), 14, 45), "duration_min": 45})
case("durations", "Sync at 3pm for half an hour", {"end": at(D, 15, 30), "duration_min": 30})
case("durations", "Workshop at 1pm for 2.5 hours", {"end": at(D, 15, 30), "duration_min": 150})

# Recurrences as RRULE values.
case("recurrences", "Team sync every other Thursday at 10am", {"start": at(day(6), 10), "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"})
case("recurrences", "Standup every weekday at 9:15", {"start": at(day(3), 9, 15), "recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"})
case("recurrences", "Gym every Monday and Wednesday at 7am", {"recurrence": "FREQ=WEEKLY;BYDAY=MO,WE"})
case("recurrences", "Piano lessons every Tuesday", {"start": day(4), "recurrence": "FREQ=WEEKLY;BYDAY=TU"})
case("recurrences", "Water plants every day at 8am", {"start": at(day(1), 8), "recurrence": "FREQ=DAILY"})
case("recurrences", "Rent due monthly on the 15th", {"start": "2026-12-15", "recurrence": "FREQ=MONTHLY;BYMONTHDAY=15"})
case("recurrences", "Book club first Thursday of every month", {"start": nth_weekday(2027, 1, THU, 1).isoformat(), "recurrence": "FREQ=MONTHLY;BYDAY=1TH"})
case("recurrences", "Yoga every Friday until Dec 18", {"recurrence": "FREQ=WEEKLY;BYDAY=FR;UNTIL=20261218"})
case("recurrences", "Physio every Tuesday at 5pm for 6 weeks", {"recurrence": "FREQ=WEEKLY;BYDAY=TU;COUNT=6"})
case("recurrences", "Lessons every other tues at 4:30pm starting Jan 5", {"start": at("2027-01-05", 16, 30), "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"})
case("recurrences", "Check backups every 2 weeks", {"recurrence": "FREQ=WEEKLY;INTERVAL=2"})
case("recurrences", "Swim on Mondays", {"start": day(3), "recurrence": "FREQ=WEEKLY;BYDAY=MO"})
case("recurrences", "Daily standup at 9am for 10 days", {"title": "Daily standup", "start": at(day(1), 9), "recurrence": "FREQ=DAILY;COUNT=10"})
case("recurrences", "Quarterly planning next monday at 10am", {"title": "Quarterly planning", "recurrence": None})

# Zones named in the text keep the written time and give that zone's offset.
case("zones", "Webinar 9am AEST Thursday", {"start": at(day(6), 9) + "+10:00"})
case("zones", "Launch review 3pm ET on July 14", {"start": at("2027-07-14", 15) + "-04:00"})
case("zones", "Call 3pm ET on January 14", {"start": at("2027-01-14", 15) + "-05:00"})
case("zones", "Standup 10am Berlin time tomorrow", {"start": at(day(1), 10) + "+01:00"})
case("zones", "Delivery tomorrow 07:45 CST", {"start": at(day(1), 7, 45) + "-06:00"})

# Descriptive fields.
case("describe", "Lunch with Sarah next Friday at noon at Cafe Rio", {"title": "Lunch with Sarah", "start": at(FRI_NEXT, 12), "location": "Cafe Rio", "attendees": ["Sarah"]})
case("describe", "Remind me to call mom on Sunday", {"title": "call mom", "start": day(2)})
case("describe", "Can we do lunch tmrw at 12:30?", {"title": "lunch", "start": at(day(1), 12, 30)})
case("describe", "Drinks with May Chen on Thursday at 6pm", {"title": "Drinks with May Chen", "attendees": ["May Chen"]})
case("describe", "Sync with Ana, Tom and Lee at 4pm", {"attendees": ["Ana", "Tom", "Lee"]})
case("describe", "Standup on Zoom tomorrow at 9:30", {"title": "Standup", "location": "Zoom"})
case("describe", "Dentist at the Smile Clinic on Monday", {"location": "Smile Clinic", "title": "Dentist"})
case("describe", "DEC Lab 3 due Friday 11:59pm", {"title": "DEC Lab 3", "start": at(D, 23, 59)})
case("describe", "🎉 Birthday party Saturday 🎂", {"title": "Birthday party"})
case("describe", "Quiz night on the 29th", {"title": "Quiz night", "start": "2026-12-29"})
# A number after "at" is an hour or a street number, never a place alone.
case("describe", "Dinner at 7 at 35 Rue Oberkampf", {"title": "Dinner", "start": at(D, 19), "location": "35 Rue Oberkampf"})
case("describe", "Pick up kids at 3pm (arrive at 2:45pm)", {"start": at(D, 15), "location": None})
case("describe", "Call AT&T about the bill at 2pm", {"title": "Call AT&T about the bill", "location": None})
case("describe", "Lunch at In-N-Out tomorrow noon", {"title": "Lunch", "location": "In-N-Out"})
case("describe", "Checkup at Main St clinic at 3pm", {"title": "Checkup", "location": "Main St clinic"})
case("describe", "Lunch with 田中 tomorrow at noon", {"attendees": ["田中"]})
case("describe", "Coffee with Émilie and Олег at 3pm", {"attendees": ["Émilie", "Олег"]})
case("describe", "Dinner \x1b[31mparty\x1b[0m\ttomorrow", {"title": "Dinner party", "start": day(1)})

# Texts with no date, and words that only look like dates.
case("negatives", "I may be late to the offsite, start without me", {"start": None})
case("negatives", "Ask Mark to decide on the venue", {"start": None})
case("negatives", "Migrate the reporting database from 12c to 21c", {"start": None})
case("negatives", "Get a second opinion on the contract", {"start": None})
case("negatives", "The band will march on", {"start": None})
case("negatives", "Fix the bug in module 2", {"start": None})
case("negatives", "Sun screen and hats for everyone", {"start": None})
case("negatives", "Sun protection tips", {"start": None, "title": "Sun protection tips"})
case("negatives", "Sat down with Bob", {"start": None})
case("negatives", "Buy 3/4 cup sugar", {"start": None})
case("negatives", "Score was 3-1 at the match", {"start": None})
case("negatives", "Meeting Feb 30 at 3pm", {"start": None})
case("negatives", "Party on the 31st of April", {"start": None})

# Variants of the kinds of input that other parsers got wrong, each at its
# own reference time.
def ref_at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm)


R1 = ref_at(2027, 2, 10)           # a Wednesday in February, before a non-leap March
case("kinds", "Server reboot at 12am Tuesday", {"start": at(weekday_on_or_after(R1.date(), TUE), 0)}, ref=R1)
case("kinds", "Maintenance from noon to 4pm Sunday", {"start": at(weekday_on_or_after(R1.date(), SUN), 12), "end": at(weekday_on_or_after(R1.date(), SUN), 16)}, ref=R1)
case("kinds", "Shift from midnight to 8am on Mar 3", {"start": at("2027-03-03", 0), "end": at("2027-03-03", 8)}, ref=R1)
case("kinds", "Office hours Monday 10-12", {"start": at("2027-02-15", 10), "end": at("2027-02-15", 12)}, ref=R1)
case("kinds", "Class between 6 and 7:30pm tomorrow", {"start": at("2027-02-11", 18), "end": at("2027-02-11", 19, 30)}, ref=R1)
case("kinds", "Night shift Friday 11pm to 7am", {"start": at("2027-02-12", 23), "end": at("2027-02-13", 7)}, ref=R1)
case("kinds", "Workshop 2:00pm-4:30 on the 18th", {"start": at("2027-02-18", 14), "end": at("2027-02-18", 16, 30)}, ref=R1)
case("kinds", "Pay rent wednesday", {"start": R1.date().isoformat()}, ref=R1)
case("kinds", "Yoga Wednesday at 6pm", {"start": at(R1.date(), 18)}, ref=R1)
case("kinds", "Yoga Wednesday at 8am", {"start": at(R1.date() + dt.timedelta(days=7), 8)}, ref=R1)
case("kinds", "Standup this Wednesday at 2", {"start": at(R1.date(), 14)}, ref=R1)
case("kinds", "Retro next Wednesday at 2", {"start": at(R1.date() + dt.timedelta(days=7), 14)}, ref=R1)
case("kinds", "Lunch coming Friday", {"start": "2027-02-12"}, ref=R1)
case("kinds", "Quiz on the 30th", {"start": "2027-03-30"}, ref=R1)
case("kinds", "Invoice due on the 31st", {"start": "2027-03-31"}, ref=R1)
case("kinds", "Report due end of the month", {"start": "2027-02-28"}, ref=R1)
case("kinds", "Report due end of the month", {"start": "2028-02-29"}, ref=ref_at(2028, 2, 3))
case("kinds", "Check-in in a month", {"start": "2027-02-28"}, ref=ref_at(2027, 1, 31))
case("kinds", "Dentist in ten days", {"start": "2027-02-20"}, ref=R1)
case("kinds", "Visa appointment 3 days from Monday", {"start": "2027-02-18"}, ref=R1)
case("kinds", "Tour a week from tomorrow at noon", {"start": at("2027-02-18", 12)}, ref=R1)
case("kinds", "Meetup second Tuesday of next month", {"start": nth_weekday(2027, 3, TUE, 2).isoformat()}, ref=R1)
case("kinds", "Potluck last Thursday of November", {"start": nth_weekday(2027, 11, THU, -1).isoformat()}, ref=R1)
case("kinds", "Alumni dinner third Monday in January", {"start": nth_weekday(2028, 1, MON, 3).isoformat()}, ref=R1)
case("kinds", "Coffee with Priya on the 3rd at 4pm", {"start": at("2027-03-03", 16)}, ref=R1)
case("kinds", "Dentist at 4:30", {"start": at(R1.date(), 16, 30)}, ref=R1)
case("kinds", "Call the plumber at 8", {"start": at("2027-02-11", 8)}, ref=R1)
case("kinds", "Meeting tomorrow at 2", {"start": at("2027-02-11", 14)}, ref=R1)
case("kinds", "Supper Saturday at 6", {"start": at("2027-02-13", 18)}, ref=R1)
case("kinds", "Recital 5/12 at 6pm", {"start": at("2027-12-05", 18)}, ref=R1, locale="en-GB")
case("kinds", "Recital 5/12 at 6pm", {"start": at("2027-05-12", 18)}, ref=R1)
case("kinds", "Recital 13/5", {"start": "2027-05-13"}, ref=R1)
case("kinds", "Dinner Jan 3 at 7pm", {"start": at("2027-01-03", 19)}, ref=ref_at(2026, 12, 20))
case("kinds", "Conference 2/14", {"start": "2027-02-14"}, ref=ref_at(2026, 12, 20))
case("kinds", "Sat 9am run", {"start": at("2027-01-02", 9)}, ref=ref_at(2026, 12, 31, 8))
case("kinds", "Sync 10am PST on Monday", {"start": at("2027-02-15", 10) + "-08:00"}, ref=R1)
case("kinds", "Review 3pm CET Thursday", {"start": at("2027-02-11", 15) + "+01:00"}, ref=R1)
case("kinds", "Call noon GMT tomorrow", {"start": at("2027-02-11", 12) + "+00:00"}, ref=R1)
case("kinds", "Demo 9am PT on June 3", {"start": at("2027-06-03", 9) + "-07:00"}, ref=R1)
case("kinds", "Hike at 2:30am", {"start": at("2027-03-14", 2, 30)}, ref=ref_at(2027, 3, 14, 0, 30))
case("kinds", "Team lunch every Monday at 12", {"start": at("2027-02-15", 12), "recurrence": "FREQ=WEEKLY;BYDAY=MO"}, ref=R1)
case("kinds", "Payroll every 2 weeks on Friday", {"start": "2027-02-12", "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"}, ref=R1)
case("kinds", "Choir each Wednesday at 7pm starting Mar 3", {"start": at("2027-03-03", 19), "recurrence": "FREQ=WEEKLY;BYDAY=WE"}, ref=R1)
case("kinds", "Buy milk", {"start": None}, ref=R1)
case("kinds", "Let's catch up soon", {"start": None}, ref=R1)
case("kinds", "Read chapter 12 of the handbook", {"start": None}, ref=R1)
case("kinds", "Version 2.0 release notes", {"start": None}, ref=R1)
case("kinds", "Call April about the invoice on Friday", {"start": "2027-02-12", "title": "Call April about the invoice"}, ref=R1)
case("kinds", "Sunday Times renewal on Friday", {"start": "2027-02-12", "title": "Sunday Times renewal"}, ref=R1)
case("kinds", "Remind me to renew the car registration next Monday", {"title": "renew the car registration", "start": "2027-02-15"}, ref=R1)
case("kinds", "Please schedule the quarterly review for Thursday at 3pm", {"title": "quarterly review", "start": at("2027-02-11", 15)}, ref=R1)
case("kinds", "Team offsite Friday the 19th", {"start": "2027-02-19", "title": "Team offsite"}, ref=R1)
case("kinds", "Dentist Tue 16 Feb at 9", {"start": at("2027-02-16", 9)}, ref=R1)
case("kinds", "Hi Ana,\n\nCould we meet Thursday at 11 instead?\n\nThanks,\nLeo\n\nOn Tue, Feb 9, 2027 at 4:12 PM Ana wrote:\n> Does Monday at 3pm work?", {"start": at("2027-02-11", 11)}, ref=R1)
case("kinds", "Sounds good, see you at the Blue Door on Saturday at 8pm\n--\nSam Park\nMobile 555-0199", {"start": at("2027-02-13", 20), "location": "Blue Door"}, ref=R1)

# Tier 1 alone: the common forms its patterns cover.
case("regex", "Dentist 2027-01-15", {"start": "2027-01-15", "title": "Dentist"})
case("regex", "Dentist 1/15 at 3pm", {"start": at("2027-01-15", 15), "title": "Dentist"})
case("regex", "Dentist 15/1 at 3pm", {"start": at("2027-01-15", 15)}, locale="en-GB")
case("regex", "Dentist Jan 15, 2028", {"start": "2028-01-15"})
case("regex", "Dentist 15 January", {"start": "2027-01-15"})
case("regex", "Dentist tomorrow at 9:30am", {"start": at(day(1), 9, 30), "title": "Dentist"})
case("regex", "Dentist today at 15:45", {"start": at(D, 15, 45)})
case("regex", "Dentist next Friday at noon", {"start": at(FRI_NEXT, 12)})
case("regex", "Dentist Monday 2pm", {"start": at(next_week(D, MON), 14)})
case("regex", "Dinner tonight at 8pm", {"start": at(D, 20)})
case("regex", "Call 2-3pm tomorrow", {"start": at(day(1), 14), "end": at(day(1), 15)})
case("regex", "Call 11am - 1pm", {"start": at(D, 11), "end": at(D, 13)})
case("regex", "Lunch at Cafe Rio tomorrow at 1pm", {"location": "Cafe Rio", "title": "Lunch"})
case("regex", "Lunch with Sarah and Tom tomorrow at 1pm", {"attendees": ["Sarah", "Tom"], "title": "Lunch with Sarah and Tom"})
case("regex", "Please book dentist tomorrow at 1pm", {"title": "dentist"})

for family, cases in families.items():
    with open(os.path.join(HERE, f"{family}.jsonl"), "w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
print(", ".join(f"{k}: {len(v)}" for k, v in families.items()))
