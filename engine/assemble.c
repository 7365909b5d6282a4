/*
 * From mentions to event fields. The choice of which mentions make the
 * event is deliberately simple: a range wins; otherwise the most specific
 * point (a date with a time, then a day, then a span or holiday) is the
 * start, and a lone date and a lone time elsewhere in the text are joined.
 */
#include <stdio.h>
#include <string.h>

#include "engine/assemble.h"
#include "engine/lexicon.h"
#include "engine/resolve.h"
#include "engine/zone.h"

static bool is_point(const struct grammar_item *it)
{
	return it->is_mention && it->mention.kind == MENTION_POINT;
}

/* The specificity of a point, for choosing the event's start: higher for a
 * date with a time than for a day, a span or a holiday. */
static int point_score(const struct mention *m)
{
	int score = 0;

	if (m->date.kind == DATE_DAY || m->date.kind == DATE_WEEKDAY)
		score = m->date.holiday ? 3 : 4;
	else if (m->date.kind == DATE_SPAN)
		score = 2;
	if (m->time.kind == TIME_CLOCK)
		score += 3;
	else if (m->time.kind == TIME_PART)
		score += 1;
	return score;
}

/* Whether the word before an item introduces a date ("on Friday", "by
 * noon"), which makes it likelier the event's than a name ("Sunday Times"). */
static bool introduced(const struct assemble_input *in, const struct grammar_item *it)
{
	static const char *const words[] = {
		"on", "by", "this", "next", "for", "until", "before", "after", "from", "at", "every",
		"due", "starting", "until", "till", "coming", NULL
	};
	const struct token *before;

	if (!in->tokens || it->first <= 0 || (size_t)it->first > in->token_count)
		return false;
	before = &in->tokens[it->first - 1];
	for (int i = 0; words[i]; i++)
		if (token_is(before, words[i]))
			return true;
	return false;
}

/* Resolves a time value to hour, minute, second. */
static void clock_of(struct time_value t, bool evening, int *h, int *m, int *s)
{
	if (t.kind == TIME_PART) {
		resolve_part(t.part, h, m);
		*s = 0;
		return;
	}
	resolve_clock(&t, evening);
	*h = t.hour;
	*m = t.minute;
	*s = t.second;
}

static bool time_after_ref(struct cal_datetime ref, int h, int m, int s)
{
	return h * 3600 + m * 60 + s > ref.hour * 3600 + ref.minute * 60 + ref.second;
}

static void set_when(struct when *w, struct cal_date d, const struct time_value *t, int h, int m, int s)
{
	memset(w, 0, sizeof *w);
	w->t.date = d;
	if (!t || t->kind == TIME_NONE) {
		w->precision = WHEN_DATE;
		return;
	}
	w->t.hour = h;
	w->t.minute = m;
	w->t.second = s;
	w->precision = s != 0 || t->has_second ? WHEN_SECOND : WHEN_MINUTE;
	if (t->zone) {
		w->has_offset = true;
		w->offset_min = zone_offset_at(t->zone, w->t);
	}
}

static bool recurrence_matches(const struct recur_value *r, struct cal_date d,
			       const struct date_value *yearly)
{
	switch (r->freq) {
	case FREQ_WEEKLY:
		return r->byday == 0 || ((r->byday >> cal_weekday(d)) & 1);
	case FREQ_MONTHLY:
		if (r->byday_nth != 0) {
			struct cal_date nth;

			for (int wd = 0; wd < 7; wd++)
				if (((r->byday >> wd) & 1) &&
				    cal_nth_weekday(d.year, d.month, wd, r->byday_nth, &nth) &&
				    cal_date_cmp(nth, d) == 0)
					return true;
			return false;
		}
		return r->bymonthday == 0 || d.day == r->bymonthday;
	case FREQ_YEARLY:
		return yearly->kind != DATE_DAY ||
		       (d.month == yearly->day.month && d.day == yearly->day.day);
	default:
		return true;
	}
}

size_t assemble_rrule(const struct recur_value *r, bool timed, char *out, size_t size)
{
	static const char *const freqs[] = { "", "DAILY", "WEEKLY", "MONTHLY", "YEARLY" };
	static const char *const days[] = { "MO", "TU", "WE", "TH", "FR", "SA", "SU" };
	size_t n = 0;

	n += (size_t)snprintf(out + n, size - n, "FREQ=%s", freqs[r->freq]);
	if (r->interval > 1 && n < size)
		n += (size_t)snprintf(out + n, size - n, ";INTERVAL=%d", r->interval);
	if (r->byday && n < size) {
		bool first = true;

		n += (size_t)snprintf(out + n, size - n, ";BYDAY=");
		for (int wd = 0; wd < 7 && n < size; wd++) {
			if (!((r->byday >> wd) & 1))
				continue;
			if (r->byday_nth)
				n += (size_t)snprintf(out + n, size - n, "%s%d%s", first ? "" : ",",
						      r->byday_nth, days[wd]);
			else
				n += (size_t)snprintf(out + n, size - n, "%s%s", first ? "" : ",", days[wd]);
			first = false;
		}
	}
	if (r->bymonthday && n < size)
		n += (size_t)snprintf(out + n, size - n, ";BYMONTHDAY=%d", r->bymonthday);
	if (r->count && n < size)
		n += (size_t)snprintf(out + n, size - n, ";COUNT=%d", r->count);
	if (r->has_until && n < size)
		n += (size_t)snprintf(out + n, size - n, ";UNTIL=%04d%02d%02d%s", r->until.year,
				      r->until.month, r->until.day, timed ? "T235959" : "");
	return n < size ? n : size - 1;
}

struct plan {
	struct date_value date, date2;
	struct time_value time, time2;
	bool has_range;
	const struct mention *duration;
	const struct mention *recur;
	struct recur_value rule;      /* the recurrence, completed from the whole text */
	const struct mention *anchor;
	bool impossible;              /* the text names a date that does not exist */
	float confidence;
};

static void lower(float *conf, float value)
{
	if (value < *conf)
		*conf = value;
}

/* Picks the mentions that make the event and marks them used. */
static void choose(const struct assemble_input *in, struct plan *p, bool *used)
{
	int main_index = -1, best = -1;

	memset(p, 0, sizeof *p);
	p->confidence = 1.0f;
	for (size_t i = 0; i < in->count; i++) {
		const struct grammar_item *it = &in->items[i];

		if (!it->is_mention)
			continue;
		switch (it->mention.kind) {
		case MENTION_RANGE:
			if (!p->has_range) {
				p->has_range = true;
				p->date = it->mention.date;
				p->time = it->mention.time;
				p->date2 = it->mention.date2;
				p->time2 = it->mention.time2;
				lower(&p->confidence, it->mention.confidence);
				used[i] = true;
			}
			break;
		case MENTION_DURATION:
			if (!p->duration) {
				p->duration = &it->mention;
				used[i] = true;
			}
			break;
		case MENTION_RECURRENCE:
			if (!p->recur) {
				p->recur = &it->mention;
				p->rule = it->mention.recur;
				lower(&p->confidence, it->mention.confidence);
				used[i] = true;
			} else if (p->rule.byday == 0 && it->mention.recur.byday &&
				   it->mention.recur.freq == FREQ_WEEKLY && p->rule.freq == FREQ_WEEKLY) {
				/* "every three weeks on Wednesdays": the days come apart. */
				p->rule.byday = it->mention.recur.byday;
				used[i] = true;
			}
			break;
		case MENTION_UNTIL:
			if (!p->rule.has_until) {
				p->rule.has_until = true;
				p->rule.until = it->mention.recur.until;
				used[i] = true;
			}
			break;
		case MENTION_IMPOSSIBLE:
			p->impossible = true;
			break;
		case MENTION_ANCHOR:
			if (!p->anchor) {
				p->anchor = &it->mention;
				used[i] = true;
			}
			break;
		default:
			break;
		}
	}

	if (!p->has_range) {
		for (size_t i = 0; i < in->count; i++) {
			int score;

			if (!is_point(&in->items[i]))
				continue;
			score = point_score(&in->items[i].mention) * 2 + introduced(in, &in->items[i]);
			if (score > best) {
				best = score;
				main_index = (int)i;
			}
		}
		if (main_index >= 0) {
			const struct mention *m = &in->items[main_index].mention;

			p->date = m->date;
			p->time = m->time;
			lower(&p->confidence, m->confidence);
			used[main_index] = true;
		}
	}

	/* A recurrence's own time comes first; "for 14 days" after it counts
	 * occurrences rather than giving a length. */
	if (p->recur) {
		if (p->recur->time.kind != TIME_NONE && p->time.kind == TIME_NONE)
			p->time = p->recur->time;
		if (p->duration && p->duration->duration_for && p->rule.count == 0 &&
		    p->duration->number > 0 && p->duration->unit >= UNIT_DAY) {
			int days = 0, count = 0;

			for (int wd = 0; wd < 7; wd++)
				days += (p->rule.byday >> wd) & 1;
			if (p->rule.freq == FREQ_DAILY && p->duration->unit == UNIT_DAY)
				count = p->duration->number;
			else if (p->rule.freq == FREQ_DAILY && p->duration->unit == UNIT_WEEK)
				count = p->duration->number * 7;
			else if (p->rule.freq == FREQ_WEEKLY && p->duration->unit == UNIT_WEEK)
				count = p->duration->number * (days > 1 ? days : 1);
			else if (p->rule.freq == FREQ_MONTHLY && p->duration->unit == UNIT_MONTH)
				count = p->duration->number;
			if (count > 0) {
				p->rule.count = count / (p->rule.interval > 0 ? p->rule.interval : 1);
				p->duration = NULL;
			}
		}
	} else if (p->anchor && p->date.kind == DATE_NONE) {
		/* "3-day course from Tuesday": the anchor starts a plain event. */
		p->date = p->anchor->date;
		lower(&p->confidence, p->anchor->confidence);
	}
	if (!p->recur && p->rule.has_until) {
		/* "until" without a recurrence says nothing about a series. */
		for (size_t i = 0; i < in->count; i++)
			if (in->items[i].is_mention && in->items[i].mention.kind == MENTION_UNTIL)
				used[i] = false;
		p->rule.has_until = false;
	}

	/* Join a lone date and a lone time written apart: the most specific
	 * one, nearest to what was chosen. */
	{
		int anchor_token = main_index >= 0 ? in->items[main_index].first : 0;
		int date_pick = -1, time_pick = -1;
		int date_best = -1, time_best = -1;
		int date_distance = 0, time_distance = 0;

		for (size_t i = 0; i < in->count; i++) {
			if (in->items[i].is_mention && in->items[i].mention.kind == MENTION_RANGE && used[i]) {
				anchor_token = in->items[i].first;
				break;
			}
		}
		for (size_t i = 0; i < in->count; i++) {
			const struct mention *m = &in->items[i].mention;
			int distance = in->items[i].first - anchor_token;
			int score;

			if (used[i] || !is_point(&in->items[i]))
				continue;
			if (distance < 0)
				distance = -distance;
			if (m->date.kind != DATE_NONE && m->time.kind == TIME_NONE) {
				if (p->date.kind != DATE_NONE) {
					if (!m->date.holiday)
						lower(&p->confidence, 0.7f);  /* another date left over */
					continue;
				}
				if (p->recur && m->date.kind == DATE_SPAN)
					continue;
				score = point_score(m) * 2 + introduced(in, &in->items[i]);
				if (score > date_best || (score == date_best && distance < date_distance)) {
					date_best = score;
					date_pick = (int)i;
					date_distance = distance;
				}
			} else if (m->date.kind == DATE_NONE && m->time.kind != TIME_NONE) {
				if (!(p->time.kind == TIME_NONE ||
				      (p->time.kind == TIME_PART && m->time.kind == TIME_CLOCK && !p->has_range)))
					continue;
				score = m->time.kind == TIME_CLOCK ? 2 : 1;
				if (score > time_best || (score == time_best && distance < time_distance)) {
					time_best = score;
					time_pick = (int)i;
					time_distance = distance;
				}
			}
		}
		if (date_pick >= 0) {
			p->date = in->items[date_pick].mention.date;
			lower(&p->confidence, in->items[date_pick].mention.confidence);
			used[date_pick] = true;
		}
		if (time_pick >= 0) {
			int part = p->time.kind == TIME_PART ? p->time.part : 0;

			p->time = in->items[time_pick].mention.time;
			if (part && !p->time.part)
				p->time.part = part;
			lower(&p->confidence, in->items[time_pick].mention.confidence);
			used[time_pick] = true;
		}
	}
}

/* The first day of a recurrence on or after its anchor, whose time (if
 * any) is still ahead when that day is today. */
static struct cal_date first_occurrence(const struct assemble_input *in, struct plan *p,
					struct recur_value *r, bool timed, int h, int m, int s)
{
	struct cal_date today = in->ref.date;
	struct cal_date base = today;
	struct date_value yearly = { 0 };

	if (p->recur->date.kind == DATE_DAY)
		yearly = p->recur->date;
	if (p->anchor)
		base = resolve_date_first_day(&p->anchor->date, today);
	/* A weekday or day of the month written apart completes the rule. */
	if (p->date.kind == DATE_WEEKDAY && r->freq == FREQ_WEEKLY && r->byday == 0)
		r->byday = 1u << p->date.weekday;
	else if (p->date.kind == DATE_DAY && p->date.day_of_month_only && r->freq == FREQ_MONTHLY &&
		 r->bymonthday == 0 && r->byday == 0)
		r->bymonthday = p->date.day.day;
	else if (p->date.kind == DATE_DAY && !p->anchor && cal_date_cmp(p->date.day, base) > 0)
		base = p->date.day;

	for (int k = 0; k < 800; k++) {
		struct cal_date d = cal_add_days(base, k);

		if (cal_date_cmp(d, today) == 0 && timed && !time_after_ref(in->ref, h, m, s))
			continue;
		if (recurrence_matches(r, d, &yearly))
			return d;
	}
	return base;
}

void assemble_event(const struct assemble_input *in, struct event *ev, bool *used)
{
	struct plan p;
	struct cal_date today = in->ref.date;
	struct cal_date start_day = today, end_day;
	int h = 0, mi = 0, s = 0, h2 = 0, mi2 = 0, s2 = 0;
	bool timed, end_timed = false, has_end = false;
	struct when end;

	choose(in, &p, used);
	memset(&end, 0, sizeof end);

	if (p.impossible) {
		/* "Meeting Feb 30 at 3pm": whatever else the text says, the day
		 * it names does not exist; an unsure empty answer lets the next
		 * tier, or the operator, decide. */
		static const enum field fields[] = { FIELD_START, FIELD_END, FIELD_DURATION,
						     FIELD_ALL_DAY, FIELD_RECURRENCE };

		for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
			ev->confidence[fields[i]] = 0.3f;
		return;
	}

	if (p.date.kind == DATE_NONE && p.time.kind == TIME_NONE && !p.recur) {
		/* No date or time at all: confidently nothing. */
		ev->confidence[FIELD_START] = 0.85f;
		ev->confidence[FIELD_END] = 0.85f;
		ev->confidence[FIELD_ALL_DAY] = 0.85f;
		ev->confidence[FIELD_RECURRENCE] = 0.85f;
		if (p.duration) {
			ev->duration_min = p.duration->duration_min;
			event_set_has(ev, FIELD_DURATION, true);
			ev->confidence[FIELD_DURATION] = p.duration->confidence;
		} else {
			ev->confidence[FIELD_DURATION] = 0.85f;
		}
		return;
	}

	timed = p.time.kind != TIME_NONE;
	if (timed)
		clock_of(p.time, in->evening, &h, &mi, &s);
	/* "7-8:30pm London time": a zone written on one end holds for both. */
	if (!p.time.zone && p.time2.zone)
		p.time.zone = p.time2.zone;
	if (!p.time2.zone && p.time.zone && p.time2.kind != TIME_NONE)
		p.time2.zone = p.time.zone;

	/* The start day. */
	if (p.recur) {
		struct recur_value r = p.rule;

		start_day = first_occurrence(in, &p, &r, timed, h, mi, s);
		assemble_rrule(&r, timed, ev->recurrence, sizeof ev->recurrence);
		event_set_has(ev, FIELD_RECURRENCE, true);
		ev->confidence[FIELD_RECURRENCE] = p.recur->confidence;
	} else if (p.date.kind == DATE_DAY || p.date.kind == DATE_SPAN) {
		start_day = p.date.day;
	} else if (p.date.kind == DATE_WEEKDAY) {
		start_day = resolve_weekday(today, p.date.weekday, !timed || time_after_ref(in->ref, h, mi, s));
	} else if (timed && p.time.exact) {
		start_day = today;
	} else if (timed) {
		bool tonight = p.time.part == PART_TONIGHT;
		bool ahead = time_after_ref(in->ref, h, mi, s);

		/* A range of times still going on ("between 4pm and 5pm" at 4:12)
		 * is today's. */
		if (!ahead && p.has_range && p.time2.kind != TIME_NONE && p.date2.kind == DATE_NONE) {
			int h_end, m_end, s_end;

			clock_of(p.time2, in->evening, &h_end, &m_end, &s_end);
			ahead = time_after_ref(in->ref, h_end, m_end, s_end) &&
				h_end * 60 + m_end > h * 60 + mi;
		}
		start_day = tonight || ahead ? today : cal_add_days(today, 1);
	}
	set_when(&ev->start, start_day, timed ? &p.time : NULL, h, mi, s);
	event_set_has(ev, FIELD_START, true);
	ev->confidence[FIELD_START] = p.confidence;
	if (!p.recur)
		ev->confidence[FIELD_RECURRENCE] = p.confidence > 0.8f ? 0.85f : p.confidence;

	/* The end: a range's second point, a span's end, or a duration. */
	if (p.has_range) {
		/* "at 3pm from Jan 12 to Jan 14": one time for a range of days
		 * holds on its last day too, so both ends have the same form. */
		if (timed && p.time2.kind == TIME_NONE && !p.time2.exact &&
		    (p.date2.kind == DATE_DAY || p.date2.kind == DATE_WEEKDAY))
			p.time2 = p.time;
		end_timed = p.time2.kind != TIME_NONE;
		if (end_timed)
			clock_of(p.time2, in->evening, &h2, &mi2, &s2);
		if (p.date2.kind == DATE_DAY)
			end_day = p.date2.day;
		else if (p.date2.kind == DATE_SPAN)
			end_day = end_timed ? p.date2.day : p.date2.span_end;
		else if (p.date2.kind == DATE_WEEKDAY)
			end_day = resolve_weekday(start_day, p.date2.weekday, true);
		else
			end_day = start_day;
		if (end_timed && timed && p.date2.kind == DATE_NONE &&
		    h2 * 3600 + mi2 * 60 + s2 <= h * 3600 + mi * 60 + s)
			end_day = cal_add_days(end_day, 1);  /* "10pm to 2am" */
		if (!end_timed && !timed && p.date2.kind != DATE_SPAN && !p.time2.exact)
			end_day = cal_add_days(end_day, 1);  /* all-day spans end after the last day */
		/* "between Jan 22 and now": a start read forward past the end
		 * belongs to the year before. */
		if (p.date.kind == DATE_DAY && !p.date.year_explicit && cal_date_cmp(start_day, end_day) > 0) {
			struct cal_date earlier = cal_add_months(start_day, -12);

			if (cal_date_cmp(earlier, end_day) < 0) {
				start_day = earlier;
				set_when(&ev->start, start_day, timed ? &p.time : NULL, h, mi, s);
			}
		}
		set_when(&end, end_day, end_timed ? &p.time2 : NULL, h2, mi2, s2);
		if (!end.has_offset && ev->start.has_offset && end_timed) {
			end.has_offset = true;
			end.offset_min = ev->start.offset_min;
		}
		has_end = true;
	} else if (p.date.kind == DATE_SPAN && !timed &&
		   cal_days_from_civil(p.date.span_end) - cal_days_from_civil(p.date.day) > 1) {
		set_when(&end, p.date.span_end, NULL, 0, 0, 0);
		has_end = true;
	} else if (timed && p.time.kind == TIME_PART &&
		   (p.time.part == PART_NIGHT || p.time.part == PART_TONIGHT)) {
		struct time_value eod = { .kind = TIME_CLOCK, .has_second = true };

		set_when(&end, start_day, &eod, 23, 59, 59);
		has_end = true;
	}

	if (p.duration && p.duration->duration_min > 0) {
		ev->duration_min = p.duration->duration_min;
		event_set_has(ev, FIELD_DURATION, true);
		ev->confidence[FIELD_DURATION] = p.duration->confidence;
		if (!has_end && timed) {
			struct cal_datetime t = ev->start.t;

			end = ev->start;
			end.t = cal_datetime_add_minutes(t, p.duration->duration_min);
			has_end = true;
		} else if (!has_end && p.duration->duration_min % 1440 == 0) {
			set_when(&end, cal_add_days(start_day, p.duration->duration_min / 1440), NULL, 0, 0, 0);
			has_end = true;
		}
	} else {
		ev->confidence[FIELD_DURATION] = 0.8f;
	}
	if (has_end) {
		ev->end = end;
		event_set_has(ev, FIELD_END, true);
		/* A range's own duration, when both ends are clock times. */
		if (!event_has(ev, FIELD_DURATION) && end_timed && timed) {
			int64_t minutes = (cal_datetime_seconds(end.t) - cal_datetime_seconds(ev->start.t)) / 60;

			if (minutes > 0 && minutes < 7 * 1440) {
				ev->duration_min = (int)minutes;
				event_set_has(ev, FIELD_DURATION, true);
				ev->confidence[FIELD_DURATION] = p.confidence;
			}
		}
	}
	ev->confidence[FIELD_END] = has_end ? p.confidence : 0.8f;

	ev->all_day = !timed;
	event_set_has(ev, FIELD_ALL_DAY, true);
	ev->confidence[FIELD_ALL_DAY] = p.confidence;
}
