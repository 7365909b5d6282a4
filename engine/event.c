/*
 * Field names, formatting and parsing of the event model.
 */
#include <stdio.h>
#include <string.h>

#include "engine/event.h"

static const char *const field_names[FIELD_COUNT] = {
	"title", "start", "end", "duration_min", "all_day", "location", "attendees", "recurrence"
};

static const char *const tier_names[TIER_COUNT] = { "regex", "rules", "llm" };

const char *field_name(enum field f)
{
	return f >= 0 && f < FIELD_COUNT ? field_names[f] : "?";
}

int field_from_name(const char *name)
{
	for (int f = 0; f < FIELD_COUNT; f++)
		if (strcmp(field_names[f], name) == 0)
			return f;
	return -1;
}

const char *tier_name(enum tier t)
{
	return t >= 0 && t < TIER_COUNT ? tier_names[t] : "none";
}

int tier_from_name(const char *name)
{
	for (int t = 0; t < TIER_COUNT; t++)
		if (strcmp(tier_names[t], name) == 0)
			return t;
	return TIER_NONE;
}

void event_init(struct event *ev)
{
	memset(ev, 0, sizeof *ev);
	for (int f = 0; f < FIELD_COUNT; f++)
		ev->tier[f] = TIER_NONE;
}

void event_set_has(struct event *ev, enum field f, bool present)
{
	if (present)
		ev->has |= 1u << f;
	else
		ev->has &= ~(1u << f);
}

void event_copy_field(struct event *dst, const struct event *src, enum field f)
{
	switch (f) {
	case FIELD_TITLE:
		memcpy(dst->title, src->title, sizeof dst->title);
		break;
	case FIELD_START:
		dst->start = src->start;
		break;
	case FIELD_END:
		dst->end = src->end;
		break;
	case FIELD_DURATION:
		dst->duration_min = src->duration_min;
		break;
	case FIELD_ALL_DAY:
		dst->all_day = src->all_day;
		break;
	case FIELD_LOCATION:
		memcpy(dst->location, src->location, sizeof dst->location);
		break;
	case FIELD_ATTENDEES:
		dst->attendee_count = src->attendee_count;
		memcpy(dst->attendees, src->attendees, sizeof dst->attendees);
		break;
	case FIELD_RECURRENCE:
		memcpy(dst->recurrence, src->recurrence, sizeof dst->recurrence);
		break;
	case FIELD_COUNT:
		return;
	}
	event_set_has(dst, f, event_has(src, f));
	dst->confidence[f] = src->confidence[f];
	dst->tier[f] = src->tier[f];
}

/* The length of a terminal control sequence at s (ESC, CSI "ESC [ ... final",
 * a C1 control written in UTF-8), or 0 when s starts none. */
static size_t control_length(const unsigned char *s, size_t len)
{
	size_t i;

	if (s[0] == 0x1B) {
		if (len < 2 || s[1] != '[')
			return len < 2 ? 1 : 2;
		for (i = 2; i < len && !(s[i] >= 0x40 && s[i] <= 0x7E); i++)
			;
		return i < len ? i + 1 : len;
	}
	if (s[0] < 0x20 || s[0] == 0x7F)
		return 1;
	if (s[0] == 0xC2 && len >= 2 && s[1] >= 0x80 && s[1] <= 0x9F)
		return 2;
	return 0;
}

bool event_copy_text(char *dst, size_t size, const char *src, size_t len)
{
	size_t n = len;

	if (size == 0)
		return false;
	if (n >= size) {
		n = size - 1;
		/* Step back over continuation bytes so no character is split. */
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memmove(dst, src, n);
	dst[n] = '\0';
	return n == len;
}

bool event_copy_clean(char *dst, size_t size, const char *src, size_t len)
{
	const unsigned char *in = (const unsigned char *)src;
	size_t i = 0, n = 0;

	if (size == 0)
		return false;
	/* dst may be src: writing never overtakes reading. */
	while (i < len) {
		size_t skip = control_length(in + i, len - i);
		size_t step = 1;

		if (skip) {
			/* Tabs and line breaks become spaces; other controls and
			 * escape sequences would reach the terminal, so they go. */
			if ((in[i] == '\t' || in[i] == '\n' || in[i] == '\r') && n > 0 && dst[n - 1] != ' ') {
				if (n + 1 >= size)
					break;
				dst[n++] = ' ';
			}
			i += skip;
			continue;
		}
		/* Whole characters only. */
		while (i + step < len && (in[i + step] & 0xC0) == 0x80)
			step++;
		if (n + step >= size)
			break;
		memmove(dst + n, in + i, step);
		n += step;
		i += step;
	}
	dst[n] = '\0';
	return i >= len;
}

bool event_add_attendee(struct event *ev, const char *name, size_t len)
{
	if (ev->attendee_count >= EVENT_ATTENDEES_MAX || len == 0)
		return false;
	event_copy_clean(ev->attendees[ev->attendee_count], EVENT_NAME_MAX, name, len);
	ev->attendee_count++;
	return true;
}

size_t when_format(const struct when *w, char *buf, size_t size)
{
	const struct cal_datetime *t = &w->t;
	int n;

	if (w->precision == WHEN_DATE)
		n = snprintf(buf, size, "%04d-%02d-%02d", t->date.year, t->date.month, t->date.day);
	else if (w->precision == WHEN_MINUTE)
		n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d", t->date.year, t->date.month,
			     t->date.day, t->hour, t->minute);
	else
		n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", t->date.year,
			     t->date.month, t->date.day, t->hour, t->minute, t->second);
	if (n < 0)
		return 0;
	if (w->has_offset && w->precision != WHEN_DATE && (size_t)n < size) {
		int off = w->offset_min < 0 ? -w->offset_min : w->offset_min;
		int m = snprintf(buf + n, size - (size_t)n, "%c%02d:%02d",
				 w->offset_min < 0 ? '-' : '+', off / 60, off % 60);

		if (m > 0)
			n += m;
	}
	return (size_t)n < size ? (size_t)n : size - 1;
}

/* Reads exactly `digits` decimal digits. */
static bool read_digits(const char **p, int digits, int *out)
{
	int v = 0;

	for (int i = 0; i < digits; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += digits;
	*out = v;
	return true;
}

bool when_parse(const char *s, struct when *out)
{
	const char *p = s;
	struct when w;

	memset(&w, 0, sizeof w);
	if (!read_digits(&p, 4, &w.t.date.year) || *p++ != '-' ||
	    !read_digits(&p, 2, &w.t.date.month) || *p++ != '-' ||
	    !read_digits(&p, 2, &w.t.date.day))
		return false;
	if (!cal_date_valid(w.t.date))
		return false;
	w.precision = WHEN_DATE;
	if (*p == 'T') {
		p++;
		if (!read_digits(&p, 2, &w.t.hour) || *p++ != ':' || !read_digits(&p, 2, &w.t.minute))
			return false;
		w.precision = WHEN_MINUTE;
		if (*p == ':') {
			p++;
			if (!read_digits(&p, 2, &w.t.second))
				return false;
			w.precision = WHEN_SECOND;
		}
		if (w.t.hour > 23 || w.t.minute > 59 || w.t.second > 59)
			return false;
		if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1;
			int hh, mm;

			p++;
			if (!read_digits(&p, 2, &hh) || *p++ != ':' || !read_digits(&p, 2, &mm) ||
			    hh > 14 || mm > 59)
				return false;
			w.has_offset = true;
			w.offset_min = sign * (hh * 60 + mm);
		} else if (*p == 'Z') {
			p++;
			w.has_offset = true;
		}
	}
	if (*p != '\0')
		return false;
	*out = w;
	return true;
}

size_t event_format_field(const struct event *ev, enum field f, char *buf, size_t size)
{
	size_t n = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (!event_has(ev, f))
		return 0;
	switch (f) {
	case FIELD_TITLE:
		n = (size_t)snprintf(buf, size, "%s", ev->title);
		break;
	case FIELD_START:
		n = when_format(&ev->start, buf, size);
		break;
	case FIELD_END:
		n = when_format(&ev->end, buf, size);
		break;
	case FIELD_DURATION:
		n = (size_t)snprintf(buf, size, "%d", ev->duration_min);
		break;
	case FIELD_ALL_DAY:
		n = (size_t)snprintf(buf, size, "%s", ev->all_day ? "true" : "false");
		break;
	case FIELD_LOCATION:
		n = (size_t)snprintf(buf, size, "%s", ev->location);
		break;
	case FIELD_ATTENDEES:
		for (int i = 0; i < ev->attendee_count && n < size; i++)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", ev->attendees[i]);
		break;
	case FIELD_RECURRENCE:
		n = (size_t)snprintf(buf, size, "%s", ev->recurrence);
		break;
	case FIELD_COUNT:
		break;
	}
	return n < size ? n : size - 1;
}
