/*
 * The Recognizers-Text importer. The array is walked one element at a time
 * with jansson's JSON_DISABLE_EOF_CHECK, each element is checked key by
 * key, dropped or mapped to one corpus case, and the case goes to the
 * caller's sink. Tags come from the timex, the resolved values and the
 * words of Input; none of them changes a label.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/import_case.h"
#include "app/import_recognizers.h"
#include "app/jsonfile.h"
#include "engine/calendar.h"
#include "engine/event.h"

/* Problems reported before the import gives up on the file. */
#define ERRORS_MAX 100
/* Lines that open an object but do not decode as a case, tried while
 * skipping a broken stretch before giving up. The cap bounds the work that
 * a file of broken cases can cause. */
#define RESYNC_TRIES_MAX 16
#define MESSAGE_MAX 512

enum value_kind {
	KIND_DATE, KIND_TIME, KIND_DATETIME, KIND_DATERANGE, KIND_TIMERANGE, KIND_DATETIMERANGE,
	KIND_COUNT
};

static const char *const kind_names[KIND_COUNT] = {
	"date", "time", "datetime", "daterange", "timerange", "datetimerange"
};

static const struct {
	const char *name;
	const char *meaning;
} drops[RECOGNIZERS_DROP_COUNT] = {
	{ "not-supported", "marked NotSupported or NotSupportedByDesign for javascript" },
	{ "no-result", "no result" },
	{ "several-results", "more than one result" },
	{ "duration", "a duration" },
	{ "set", "a set (a recurring time)" },
	{ "modifier", "a value with a modifier (before, after, since, start, end)" },
	{ "several-readings", "several readings (different timexes, such as am or pm)" },
	{ "other-type", "a type other than date, time, datetime and their ranges" },
	{ "no-reference", "no Context.ReferenceDateTime" },
	{ "time-zone", "a value with a time zone" },
	{ "not-resolved", "a value that is not resolved or not a real date" },
	{ "open-range", "a range without a start or an end" },
};

struct importer {
	const char *name;
	const char *data;
	size_t size;
	const char *prefix;
	const char *source;
	const struct recognizers_sink *sink;
	struct recognizers_stats *stats;
	size_t index;          /* array index of the element being read */
	bool index_known;      /* false once a broken stretch was skipped */
	int indent;            /* columns before the first element's '{', or -1 */
};

/* One usable resolved value. */
struct reading {
	struct when start;
	struct when end;
	bool has_end;
};

/* A kept case, with the facts its tags are computed from. */
struct kept_case {
	const char *input;
	const char *result_text;
	const char *timex;
	enum value_kind kind;
	struct cal_datetime ref;
	struct reading pick;
	bool forward_pick;
	bool overnight;
};

const char *recognizers_drop_name(enum recognizers_drop reason)
{
	return reason < RECOGNIZERS_DROP_COUNT ? drops[reason].name : "unknown";
}

const char *recognizers_drop_meaning(enum recognizers_drop reason)
{
	return reason < RECOGNIZERS_DROP_COUNT ? drops[reason].meaning : "unknown";
}

static int line_of(const char *data, size_t offset)
{
	int line = 1;

	for (size_t i = 0; i < offset; i++)
		if (data[i] == '\n')
			line++;
	return line;
}

/* Reports a problem at a byte offset of the file; one about a case names
 * the case when its index is known. */
__attribute__((format(printf, 4, 5)))
static void report(struct importer *im, size_t offset, bool about_case, const char *fmt, ...)
{
	char message[MESSAGE_MAX];
	char line[MESSAGE_MAX + 1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	if (about_case && im->index_known)
		snprintf(line, sizeof line, "%s:%d: case [%zu]: %s", im->name,
			 line_of(im->data, offset), im->index, message);
	else
		snprintf(line, sizeof line, "%s:%d: %s", im->name, line_of(im->data, offset), message);
	im->stats->errors++;
	if (im->sink->on_error)
		im->sink->on_error(im->sink->context, line);
}

static size_t skip_space(const char *data, size_t size, size_t pos)
{
	while (pos < size && (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\n' ||
			      data[pos] == '\r'))
		pos++;
	return pos;
}

/* Writes a byte for a message: 'x' when printable ASCII, else 0xNN. */
static const char *describe_byte(char c, char *buf, size_t size)
{
	if (c > ' ' && c < 0x7F)
		snprintf(buf, size, "'%c'", c);
	else
		snprintf(buf, size, "byte 0x%02X", (unsigned char)c);
	return buf;
}

static int column_of(const char *data, size_t offset)
{
	size_t start = offset;

	while (start > 0 && data[start - 1] != '\n')
		start--;
	return (int)(offset - start);
}

/* --- Reading values --------------------------------------------------- */

static bool read_digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* "YYYY-MM-DD" at the start of s; *rest points past it. */
static bool read_date(const char *s, struct cal_date *out, const char **rest)
{
	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-' || !read_digits(s, 4, &out->year) ||
	    !read_digits(s + 5, 2, &out->month) || !read_digits(s + 8, 2, &out->day) ||
	    !cal_date_valid(*out))
		return false;
	*rest = s + 10;
	return true;
}

/* "HH:MM:SS" or "HH:MM", the whole of s. */
static bool read_clock(const char *s, struct cal_datetime *t)
{
	size_t len = strlen(s);

	t->second = 0;
	if ((len != 5 && len != 8) || s[2] != ':' || !read_digits(s, 2, &t->hour) ||
	    !read_digits(s + 3, 2, &t->minute) || t->hour > 23 || t->minute > 59)
		return false;
	if (len == 8 && (s[5] != ':' || !read_digits(s + 6, 2, &t->second) || t->second > 59))
		return false;
	return true;
}

static struct when when_of_date(struct cal_date d)
{
	struct when w;

	memset(&w, 0, sizeof w);
	w.t.date = d;
	w.precision = WHEN_DATE;
	return w;
}

static struct when when_of_time(struct cal_datetime t)
{
	struct when w;

	memset(&w, 0, sizeof w);
	w.t = t;
	w.precision = t.second ? WHEN_SECOND : WHEN_MINUTE;
	return w;
}

/* One moment of a value in the form its kind uses: a date, a date and a
 * time ("2016-11-07 05:00:00"), or a time on the reference day. */
static bool read_moment(const char *s, enum value_kind kind, struct cal_date ref_day,
			struct when *out)
{
	struct cal_datetime t;
	const char *rest;

	memset(&t, 0, sizeof t);
	switch (kind) {
	case KIND_DATE:
	case KIND_DATERANGE:
		if (!read_date(s, &t.date, &rest) || *rest != '\0')
			return false;
		*out = when_of_date(t.date);
		return true;
	case KIND_TIME:
	case KIND_TIMERANGE:
		if (!read_clock(s, &t))
			return false;
		t.date = ref_day;
		*out = when_of_time(t);
		return true;
	case KIND_DATETIME:
	case KIND_DATETIMERANGE:
		if (!read_date(s, &t.date, &rest) || (*rest != ' ' && *rest != 'T') ||
		    !read_clock(rest + 1, &t))
			return false;
		*out = when_of_time(t);
		return true;
	case KIND_COUNT:
		break;
	}
	return false;
}

static const char *member_text(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* Reads one resolved value. Returns RECOGNIZERS_DROP_COUNT when it is
 * usable, else the reason it is not. */
static enum recognizers_drop read_value(const json_t *value, enum value_kind kind,
					struct cal_date ref_day, struct reading *out)
{
	const char *start = member_text(value, "start");
	const char *end = member_text(value, "end");
	const char *point = member_text(value, "value");
	bool range = kind == KIND_DATERANGE || kind == KIND_TIMERANGE ||
		     kind == KIND_DATETIMERANGE;

	memset(out, 0, sizeof *out);
	if (json_object_get(value, "utcOffsetMins") || json_object_get(value, "timezone"))
		return RECOGNIZERS_DROP_ZONE;
	if (!range) {
		if (!point || !read_moment(point, kind, ref_day, &out->start))
			return RECOGNIZERS_DROP_NOT_RESOLVED;
		return RECOGNIZERS_DROP_COUNT;
	}
	if (!start || !end)
		return point ? RECOGNIZERS_DROP_NOT_RESOLVED : RECOGNIZERS_DROP_OPEN_RANGE;
	if (!read_moment(start, kind, ref_day, &out->start) ||
	    !read_moment(end, kind, ref_day, &out->end))
		return RECOGNIZERS_DROP_NOT_RESOLVED;
	out->has_end = true;
	return RECOGNIZERS_DROP_COUNT;
}

/* Negative, zero or positive as w lies before, at or after ref; a date
 * compares with ref's day. */
static int compare_with_ref(const struct when *w, struct cal_datetime ref)
{
	if (w->precision == WHEN_DATE)
		return cal_date_cmp(w->t.date, ref.date);
	return cal_datetime_cmp(w->t, ref);
}

/* --- Words of the text ------------------------------------------------ */

/* A maximal run of ASCII letters or of ASCII digits. */
struct word {
	const char *s;
	size_t len;
	bool digits;
};

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Finds the next word at or after *pos; returns false at the end. */
static bool next_word(const char *s, size_t *pos, struct word *w)
{
	size_t i = *pos;
	size_t start;

	while (s[i] && !is_letter(s[i]) && !is_digit(s[i]))
		i++;
	if (!s[i])
		return false;
	start = i;
	w->digits = is_digit(s[i]);
	while (s[i] && (w->digits ? is_digit(s[i]) : is_letter(s[i])))
		i++;
	w->s = s + start;
	w->len = i - start;
	*pos = i;
	return true;
}

static bool word_is(const struct word *w, const char *literal)
{
	return strlen(literal) == w->len && strncasecmp(w->s, literal, w->len) == 0;
}

/* Only white space between two words. */
static bool spaced(const struct word *a, const struct word *b)
{
	const char *p = a->s + a->len;

	if (p == b->s)
		return false;
	for (; p < b->s; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n')
			return false;
	return true;
}

static int weekday_of(const struct word *w)
{
	static const char *const names[][4] = {
		{ "mon", "monday", NULL, NULL },
		{ "tue", "tues", "tuesday", NULL },
		{ "wed", "weds", "wednesday", NULL },
		{ "thu", "thur", "thurs", "thursday" },
		{ "fri", "friday", NULL, NULL },
		{ "sat", "saturday", NULL, NULL },
		{ "sun", "sunday", NULL, NULL },
	};

	if (w->digits)
		return -1;
	for (int d = 0; d < 7; d++)
		for (int k = 0; k < 4 && names[d][k]; k++)
			if (word_is(w, names[d][k]))
				return d;
	return -1;
}

/* How many weekday names the text has; *weekday is the last one. */
static int count_weekdays(const char *text, int *weekday)
{
	struct word w;
	size_t pos = 0;
	int count = 0;

	while (next_word(text, &pos, &w)) {
		int d = weekday_of(&w);

		if (d >= 0) {
			*weekday = d;
			count++;
		}
	}
	return count;
}

/* The weekday of the first "next <weekday>", or -1. */
static int next_weekday(const char *text)
{
	struct word prev = { NULL, 0, false };
	struct word w;
	size_t pos = 0;
	bool have_prev = false;

	while (next_word(text, &pos, &w)) {
		int d = weekday_of(&w);

		if (d >= 0 && have_prev && word_is(&prev, "next") && spaced(&prev, &w))
			return d;
		prev = w;
		have_prev = true;
	}
	return -1;
}

/* A year written out: four or more digits starting 19 or 20 ("2016",
 * "20161016"). */
static bool names_year(const char *text)
{
	struct word w;
	size_t pos = 0;

	while (next_word(text, &pos, &w))
		if (w.digits && w.len >= 4 && (strncmp(w.s, "19", 2) == 0 ||
					       strncmp(w.s, "20", 2) == 0))
			return true;
	return false;
}

/* "this week", "current quarter" ...: a period that pins the date. */
static bool names_period(const char *text)
{
	static const char *const periods[] = { "week", "month", "year", "quarter" };
	struct word prev = { NULL, 0, false };
	struct word w;
	size_t pos = 0;
	bool have_prev = false;

	while (next_word(text, &pos, &w)) {
		if (have_prev && (word_is(&prev, "this") || word_is(&prev, "current")) &&
		    spaced(&prev, &w))
			for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++)
				if (word_is(&w, periods[i]))
					return true;
		prev = w;
		have_prev = true;
	}
	return false;
}

/* A word that places the date in the past on purpose. */
static bool names_past(const char *text)
{
	static const char *const words[] = {
		"yesterday", "last", "previous", "past", "earlier", "before", "ago"
	};
	struct word w;
	size_t pos = 0;

	while (next_word(text, &pos, &w))
		for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
			if (word_is(&w, words[i]))
				return true;
	return false;
}

/* A numeric date that can only be day first: "22/04", "29.03". */
static bool writes_day_first(const char *text)
{
	struct word a;
	struct word b;
	size_t pos = 0;

	if (!next_word(text, &pos, &a))
		return false;
	while (next_word(text, &pos, &b)) {
		const char *sep = a.s + a.len;
		int day;
		int month;

		if (a.digits && b.digits && a.len <= 2 && b.len <= 2 && b.s == sep + 1 &&
		    (*sep == '/' || *sep == '.') && (a.s == text || a.s[-1] != '.') &&
		    read_digits(a.s, a.len, &day) && read_digits(b.s, b.len, &month) &&
		    day > 12 && day <= 31 && month >= 1 && month <= 12)
			return true;
		a = b;
	}
	return false;
}

/* Whether the text writes the number `day` on its own ("12", "1st"). */
static bool writes_day(const char *text, int day)
{
	struct word w;
	size_t pos = 0;
	int n;

	while (next_word(text, &pos, &w))
		if (w.digits && w.len <= 2 && read_digits(w.s, w.len, &n) && n == day)
			return true;
	return false;
}

/* A part of the day in the timex (TMO, TAF, TEV, TNI, TDT), as the time
 * part of a value such as "2016-11-07TEV" or "XXXX-WXX-2TMO". */
static bool part_of_day(const char *timex, bool *night)
{
	static const char *const parts[] = { "TMO", "TAF", "TEV", "TNI", "TDT" };

	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		const char *p = timex;

		while ((p = strstr(p, parts[i]))) {
			char after = p[3];

			if (after == '\0' || after == ',' || after == ')') {
				*night = i == 3;
				return true;
			}
			p++;
		}
	}
	return false;
}

/* A range between two named days: "(XXXX-09-03,XXXX-09-12,P9D)". */
static bool timex_day_span(const char *timex)
{
	const char *first = strchr(timex, ',');
	const char *end;
	size_t len;

	if (timex[0] != '(' || !first)
		return false;
	end = first + 1;
	len = strcspn(end, ",");
	if (len != 10 || end[len] != ',' || end[len + 1] != 'P' ||
	    timex[strlen(timex) - 1] != ')' || timex[strlen(timex) - 2] != 'D')
		return false;
	if (strncmp(end, "XXXX", 4) != 0 && !(is_digit(end[0]) && is_digit(end[1]) &&
					      is_digit(end[2]) && is_digit(end[3])))
		return false;
	return end[4] == '-' && is_digit(end[5]) && is_digit(end[6]) && end[7] == '-' &&
	       is_digit(end[8]) && is_digit(end[9]);
}

/* --- Tags -------------------------------------------------------------- */

/* Whether the label reads an unmarked past date where the reading
 * conventions read the next one: no year, no pinned period and no word
 * such as "last" in the text, and the whole label before ref's day. */
static bool past_date_conflict(const struct kept_case *c)
{
	const struct when *last = c->pick.has_end ? &c->pick.end : &c->pick.start;

	if (c->kind == KIND_TIME || c->kind == KIND_TIMERANGE)
		return false;
	if (names_year(c->input) || names_period(c->input) || names_past(c->input))
		return false;
	return cal_date_cmp(last->t.date, c->ref.date) < 0;
}

/* Whether a time without a date, put on ref's day, is over before ref. */
static bool past_time_conflict(const struct kept_case *c)
{
	const struct when *last = c->pick.has_end ? &c->pick.end : &c->pick.start;

	return (c->kind == KIND_TIME || c->kind == KIND_TIMERANGE) &&
	       cal_datetime_cmp(last->t, c->ref) <= 0;
}

static void compute_tags(const struct kept_case *c, struct import_tags *tags, bool *day_first)
{
	const char *conflicts[4];
	size_t conflict_count = 0;
	struct cal_date day = c->pick.start.t.date;
	bool night = false;
	bool pod = part_of_day(c->timex, &night);
	bool past = compare_with_ref(&c->pick.start, c->ref) < 0;
	int weekday = -1;
	int next = next_weekday(c->input);
	bool next_reading_differs = false;

	import_tags_add(tags, kind_names[c->kind]);
	if (c->forward_pick)
		import_tags_add(tags, "forward-pick");
	if (c->overnight)
		import_tags_add(tags, "overnight");
	if (pod)
		import_tags_add(tags, "part-of-day");
	if (past)
		import_tags_add(tags, "past");
	if (c->kind == KIND_DATERANGE && c->pick.has_end && timex_day_span(c->timex) &&
	    writes_day(c->result_text, c->pick.end.t.date.day))
		import_tags_add(tags, "end-is-named-day");
	if (c->kind != KIND_DATERANGE && count_weekdays(c->input, &weekday) == 1 &&
	    cal_weekday(day) != weekday)
		import_tags_add(tags, "weekday-conflict");
	if (next >= 0) {
		int ref_weekday = cal_weekday(c->ref.date);
		/* "next Friday" is the Friday of the following Monday-based week. */
		struct cal_date reading = cal_add_days(c->ref.date, 7 - ref_weekday + next);

		import_tags_add(tags, "next-weekday");
		if (ref_weekday >= CAL_SATURDAY || next > ref_weekday)
			import_tags_add(tags, "ambiguous");
		next_reading_differs = c->kind != KIND_DATERANGE && cal_date_cmp(day, reading) != 0;
	}
	*day_first = writes_day_first(c->input);
	if (*day_first)
		import_tags_add(tags, "day-first");

	if (past && past_time_conflict(c))
		conflicts[conflict_count++] = "past-time-today";
	if (past && past_date_conflict(c))
		conflicts[conflict_count++] = "past-date";
	if (pod && !night)
		conflicts[conflict_count++] = "part-of-day-reading";
	if (next_reading_differs)
		conflicts[conflict_count++] = "next-weekday-reading";
	if (conflict_count > 0)
		import_tags_add(tags, "convention-conflict");
	for (size_t i = 0; i < conflict_count; i++)
		import_tags_add(tags, conflicts[i]);
}

/* --- One case ---------------------------------------------------------- */

static json_t *when_json(const struct when *w)
{
	char buf[40];

	when_format(w, buf, sizeof buf);
	return json_string(buf);
}

static int emit_case(struct importer *im, const struct kept_case *c)
{
	struct import_tags tags = { .count = 0 };
	json_t *expect = json_object();
	json_t *out;
	bool day_first = false;
	int rc;

	compute_tags(c, &tags, &day_first);
	json_object_set_new(expect, "start", when_json(&c->pick.start));
	if (c->pick.has_end)
		json_object_set_new(expect, "end", when_json(&c->pick.end));
	out = import_case_new(im->prefix, im->stats->written + 1, c->input, c->ref,
			      day_first ? "en-GB" : NULL, expect, &tags, im->source);

	rc = im->sink->on_case ? im->sink->on_case(im->sink->context, out) : 0;
	json_decref(out);
	if (rc == 0)
		im->stats->written++;
	return rc;
}

/* Whether a NotSupported list ("javascript, python") names javascript or
 * "all". */
static bool marks_javascript(const char *list)
{
	struct word w;
	size_t pos = 0;

	if (!list)
		return false;
	while (next_word(list, &pos, &w))
		if (word_is(&w, "javascript") || word_is(&w, "all"))
			return true;
	return false;
}

/* Parses Context.ReferenceDateTime, "2016-11-07T00:00:00" with optional
 * fractional seconds, which are cut. */
static bool read_reference(const char *s, struct cal_datetime *out)
{
	const char *rest;
	char clock[9];
	size_t len;

	memset(out, 0, sizeof *out);
	if (!read_date(s, &out->date, &rest))
		return false;
	if (*rest == '\0')
		return true;
	if (*rest != 'T' && *rest != ' ')
		return false;
	rest++;
	len = strcspn(rest, ".");
	if (len >= sizeof clock || (rest[len] == '.' && strspn(rest + len + 1, "0123456789") !=
							  strlen(rest + len + 1)))
		return false;
	memcpy(clock, rest, len);
	clock[len] = '\0';
	return read_clock(clock, out);
}

/* Checks the members of one case that are always read; reports and
 * returns false when one has the wrong type. */
static bool check_case_shape(struct importer *im, const json_t *obj, size_t offset)
{
	static const char *const optional_text[] = { "NotSupported", "NotSupportedByDesign" };
	const json_t *input = json_object_get(obj, "Input");
	const json_t *results = json_object_get(obj, "Results");
	const json_t *context = json_object_get(obj, "Context");

	if (!input) {
		report(im, offset, true, "missing key \"Input\": every case needs its text; skipped");
		return false;
	}
	if (!json_is_string(input)) {
		report(im, offset, true, "\"Input\" must be a string, found %s; skipped",
		       jsonfile_type_name(input));
		return false;
	}
	if (!results) {
		report(im, offset, true, "missing key \"Results\": write \"Results\": [] for a text "
		       "without a date; skipped");
		return false;
	}
	if (!json_is_array(results)) {
		report(im, offset, true, "\"Results\" must be an array, found %s; skipped",
		       jsonfile_type_name(results));
		return false;
	}
	for (size_t i = 0; i < 2; i++) {
		const json_t *v = json_object_get(obj, optional_text[i]);

		if (v && !json_is_string(v)) {
			report(im, offset, true, "\"%s\" must be a string such as "
			       "\"javascript, python\", found %s", optional_text[i], jsonfile_type_name(v));
			return false;
		}
	}
	if (context && (!json_is_object(context) ||
			(json_object_get(context, "ReferenceDateTime") &&
			 !json_is_string(json_object_get(context, "ReferenceDateTime"))))) {
		report(im, offset, true, "\"Context\" must be an object with a string "
		       "\"ReferenceDateTime\" such as \"2016-11-07T00:00:00\"");
		return false;
	}
	return true;
}

/* Checks the one result of a case; reports and returns NULL when it has
 * the wrong shape, else returns its values array. */
static const json_t *check_result(struct importer *im, const json_t *result, size_t offset,
				  const char **type)
{
	const json_t *resolution = json_is_object(result) ?
				   json_object_get(result, "Resolution") : NULL;
	const json_t *values = json_object_get(resolution, "values");
	const json_t *value;
	size_t i;

	/* The spec files spell the key TypeName, and in a few cases Typename. */
	*type = member_text(result, "TypeName");
	if (!*type)
		*type = member_text(result, "Typename");
	if (!json_is_object(result) || !*type || !json_is_array(values)) {
		report(im, offset, true, "Results[0] must be an object with a string \"TypeName\" and "
		       "\"Resolution\": {\"values\": [...]}: fix the case or remove it");
		return NULL;
	}
	json_array_foreach(values, i, value) {
		static const char *const keys[] = { "timex", "value", "start", "end" };

		if (!json_is_object(value)) {
			report(im, offset, true, "Results[0].Resolution.values[%zu] must be an "
			       "object, found %s", i, jsonfile_type_name(value));
			return NULL;
		}
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			const json_t *v = json_object_get(value, keys[k]);

			if (v && !json_is_string(v)) {
				report(im, offset, true, "Results[0].Resolution.values[%zu].%s must "
				       "be a string, found %s", i, keys[k], jsonfile_type_name(v));
				return NULL;
			}
		}
	}
	return values;
}

static bool is_kind(const char *type, const char *kind)
{
	return strcmp(type, kind) == 0 ||
	       (strncmp(type, "datetimeV2.", 11) == 0 && strcmp(type + 11, kind) == 0);
}

/* Whether the values carry more than one timex: different readings. */
static bool several_timexes(const json_t *values)
{
	const char *first = NULL;
	const json_t *value;
	size_t i;

	json_array_foreach(values, i, value) {
		const char *timex = member_text(value, "timex");

		if (!timex)
			timex = "";
		if (i == 0)
			first = timex;
		else if (strcmp(first, timex) != 0)
			return true;
	}
	return false;
}

static bool has_modifier(const json_t *values)
{
	const json_t *value;
	size_t i;

	json_array_foreach(values, i, value)
		if (json_object_get(value, "Mod"))
			return true;
	return false;
}

static void drop(struct importer *im, enum recognizers_drop reason)
{
	im->stats->dropped[reason]++;
}

/* Picks the reading: of past and future readings of one timex, the first
 * whose start is not before ref, else the last. Returns the drop reason,
 * or RECOGNIZERS_DROP_COUNT with c->pick set. */
static enum recognizers_drop pick_reading(const json_t *values, struct kept_case *c)
{
	enum recognizers_drop first_problem = RECOGNIZERS_DROP_COUNT;
	const json_t *value;
	size_t usable = 0;
	size_t i;
	bool picked = false;

	json_array_foreach(values, i, value) {
		struct reading r;
		enum recognizers_drop problem = read_value(value, c->kind, c->ref.date, &r);

		if (problem != RECOGNIZERS_DROP_COUNT) {
			if (first_problem == RECOGNIZERS_DROP_COUNT)
				first_problem = problem;
			continue;
		}
		usable++;
		if (!picked) {
			c->pick = r;
			picked = compare_with_ref(&r.start, c->ref) >= 0;
		}
	}
	if (usable == 0)
		return first_problem == RECOGNIZERS_DROP_COUNT ? RECOGNIZERS_DROP_NOT_RESOLVED :
								 first_problem;
	c->forward_pick = usable > 1;

	/* A time range whose end is not after its start ends the next day. */
	if (c->kind == KIND_TIMERANGE && cal_datetime_cmp(c->pick.end.t, c->pick.start.t) <= 0) {
		c->pick.end.t.date = cal_add_days(c->pick.end.t.date, 1);
		c->overnight = true;
	}
	return RECOGNIZERS_DROP_COUNT;
}

/* Maps one decoded element. Returns -1 only when the sink stopped. */
static int import_case(struct importer *im, const json_t *obj, size_t offset)
{
	struct kept_case c;
	const json_t *results;
	const json_t *values;
	const char *type;
	const char *ref_text;
	enum recognizers_drop reason;

	if (!json_is_object(obj)) {
		report(im, offset, true, "a case must be a JSON object {\"Input\": ..., \"Results\": "
		       "[...]}, found %s; skipped", jsonfile_type_name(obj));
		im->stats->bad++;
		return 0;
	}
	if (!check_case_shape(im, obj, offset)) {
		im->stats->bad++;
		return 0;
	}
	if (marks_javascript(member_text(obj, "NotSupported")) ||
	    marks_javascript(member_text(obj, "NotSupportedByDesign"))) {
		drop(im, RECOGNIZERS_DROP_NOT_SUPPORTED);
		return 0;
	}
	results = json_object_get(obj, "Results");
	if (json_array_size(results) != 1) {
		drop(im, json_array_size(results) == 0 ? RECOGNIZERS_DROP_NO_RESULT :
		     RECOGNIZERS_DROP_SEVERAL_RESULTS);
		return 0;
	}
	values = check_result(im, json_array_get(results, 0), offset, &type);
	if (!values) {
		im->stats->bad++;
		return 0;
	}

	memset(&c, 0, sizeof c);
	c.kind = KIND_COUNT;
	for (int k = 0; k < KIND_COUNT; k++)
		if (is_kind(type, kind_names[k]))
			c.kind = (enum value_kind)k;
	if (is_kind(type, "duration") || is_kind(type, "set")) {
		drop(im, is_kind(type, "duration") ? RECOGNIZERS_DROP_DURATION : RECOGNIZERS_DROP_SET);
		return 0;
	}
	if (has_modifier(values)) {
		drop(im, RECOGNIZERS_DROP_MODIFIER);
		return 0;
	}
	if (several_timexes(values)) {
		drop(im, RECOGNIZERS_DROP_SEVERAL_READINGS);
		return 0;
	}
	if (c.kind == KIND_COUNT) {
		drop(im, RECOGNIZERS_DROP_OTHER_TYPE);
		return 0;
	}

	ref_text = member_text(json_object_get(obj, "Context"), "ReferenceDateTime");
	if (!ref_text) {
		drop(im, RECOGNIZERS_DROP_NO_REFERENCE);
		return 0;
	}
	if (!read_reference(ref_text, &c.ref)) {
		report(im, offset, true, "invalid Context.ReferenceDateTime \"%.40s\": write a "
		       "date and time such as 2016-11-07T00:00:00; skipped", ref_text);
		im->stats->bad++;
		return 0;
	}

	reason = pick_reading(values, &c);
	if (reason != RECOGNIZERS_DROP_COUNT) {
		drop(im, reason);
		return 0;
	}
	c.input = member_text(obj, "Input");
	c.result_text = member_text(json_array_get(results, 0), "Text");
	if (!c.result_text)
		c.result_text = "";
	c.timex = member_text(json_array_get(values, 0), "timex");
	if (!c.timex)
		c.timex = "";
	return emit_case(im, &c);
}

/* --- Walking the array ------------------------------------------------- */

/* Finds the next line that opens a case at the first case's indentation,
 * from pos on. Returns its offset, or size when there is none. */
static size_t resync(struct importer *im, size_t pos)
{
	int tries = 0;

	im->index_known = false;
	while (pos < im->size && tries < RESYNC_TRIES_MAX) {
		const char *nl = memchr(im->data + pos, '\n', im->size - pos);
		size_t start;
		json_error_t jerr;
		json_t *v;

		if (!nl)
			break;
		start = (size_t)(nl - im->data) + 1;
		pos = start;
		while (pos < im->size && (im->data[pos] == ' ' || im->data[pos] == '\t'))
			pos++;
		if (pos >= im->size || im->data[pos] != '{' ||
		    (im->indent >= 0 && (int)(pos - start) != im->indent))
			continue;

		tries++;
		v = json_loadb(im->data + pos, im->size - pos, JSON_DISABLE_EOF_CHECK, &jerr);
		if (v && json_object_get(v, "Input")) {
			size_t after = skip_space(im->data, im->size, pos + (size_t)jerr.position);

			if (after < im->size && (im->data[after] == ',' || im->data[after] == ']')) {
				json_decref(v);
				return pos;
			}
		}
		json_decref(v);
	}
	return im->size;
}

/* Reads the element at *pos and imports it. Returns 0 with *pos past it,
 * 1 after a broken element (reported; *pos at the next case, or at the
 * end), or -1 when the sink stopped. */
static int read_element(struct importer *im, size_t *pos)
{
	size_t start = *pos;
	json_error_t jerr;
	json_t *v;
	int rc;

	if (im->indent < 0)
		im->indent = column_of(im->data, start);
	/* JSON_DECODE_ANY so that a number or a string in the array decodes
	 * and is reported as the wrong type, with the walk going on after it. */
	v = json_loadb(im->data + start, im->size - start,
		       JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &jerr);
	if (!v) {
		size_t at = start + (size_t)jerr.position;

		if (at >= im->size)
			report(im, start, true, "the case is cut off at the end of the file (%s): "
			       "the file looks truncated; the cases before it were imported",
			       jerr.text);
		else
			report(im, at, true, "invalid JSON at column %d: %s; skipped",
			       column_of(im->data, at) + 1, jerr.text);
		im->stats->bad++;
		if (at >= im->size)
			*pos = im->size;
		else if ((*pos = resync(im, start)) >= im->size)
			report(im, at, false, "no readable case follows this one: the rest of the file "
			       "is not imported");
		return 1;
	}
	*pos = start + (size_t)jerr.position;
	rc = import_case(im, v, start);
	json_decref(v);
	return rc;
}

int recognizers_import(const char *name, const char *data, size_t size,
		       const struct recognizers_options *options,
		       const struct recognizers_sink *sink, struct recognizers_stats *stats)
{
	struct importer im;
	size_t pos = 0;
	char byte[16];

	memset(stats, 0, sizeof *stats);
	memset(&im, 0, sizeof im);
	im.name = name;
	im.data = data;
	im.size = size;
	im.prefix = options && options->prefix ? options->prefix : RECOGNIZERS_DEFAULT_PREFIX;
	im.source = options && options->source ? options->source : "recognizers-text";
	im.sink = sink;
	im.stats = stats;
	im.indent = -1;

	if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	pos = skip_space(data, size, pos);
	if (pos == size) {
		report(&im, pos, false, "the file is empty: give a Recognizers-Text spec file, a JSON "
		       "array of cases");
		return -1;
	}
	if (data[pos] != '[') {
		report(&im, pos, false, "not a Recognizers-Text spec file: the top level must be a "
		       "JSON array of cases [{\"Input\": ..., \"Results\": [...]}, ...], found %s%s",
		       describe_byte(data[pos], byte, sizeof byte), data[pos] == '{' ?
		       " (for SLURP JSON Lines use caltune import slurp)" : "");
		return -1;
	}
	pos++;
	im.index_known = true;

	for (;;) {
		int rc;

		pos = skip_space(data, size, pos);
		if (pos >= size) {
			report(&im, size, false, "the array is not closed with ']': the file looks "
			       "truncated; the cases before this line were imported");
			return -1;
		}
		if (data[pos] == ']')
			break;
		if (stats->errors >= ERRORS_MAX) {
			report(&im, pos, false, "stopping after %d errors: fix the file and import it "
			       "again", ERRORS_MAX);
			return -1;
		}

		stats->cases++;
		rc = read_element(&im, &pos);
		if (rc < 0)
			return -1;
		if (rc > 0) {
			if (pos >= size)
				return -1;
			continue;
		}

		im.index++;
		pos = skip_space(data, size, pos);
		if (pos < size && data[pos] == ',') {
			pos++;
		} else if (pos < size && data[pos] == '{') {
			report(&im, pos, true, "missing ',' before this case: the cases are read as if "
			       "it were there");
		} else if (pos < size && data[pos] != ']') {
			report(&im, pos, false, "expected ',' or ']' after a case, found %s; skipped to "
			       "the next case", describe_byte(data[pos], byte, sizeof byte));
			pos = resync(&im, pos);
		}
	}

	pos = skip_space(data, size, pos + 1);
	if (pos < size) {
		im.index_known = false;
		report(&im, pos, false, "text after the array's closing ']' is ignored: remove it");
	}
	return 0;
}
