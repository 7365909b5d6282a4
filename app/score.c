/*
 * Scoring rules. A string field whose normalised form is empty counts as
 * no value, on either side, so a prediction of "" or "!" matches a null
 * expectation. Start and end compare at the expectation's precision and
 * ignore the prediction's UTC offset unless the expectation has one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/casefold.h"
#include "app/score.h"
#include "engine/utf8.h"

/* Normalised forms of event strings: the longest event buffer, times the
 * largest growth of a case fold in UTF-8 bytes (2 bytes to 3, for U+0130
 * and U+0149), plus a NUL. */
#define NORMALISED_MAX (EVENT_TITLE_MAX * 3 / 2 + 1)

static bool is_space(uint32_t cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0 ||
	       cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* ASCII punctuation and the common punctuation of Latin-1, General
 * Punctuation and CJK; symbols such as emoji, currency and math are not
 * stripped. */
static bool is_punctuation(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '!' && cp <= '/') || (cp >= ':' && cp <= '@') ||
		       (cp >= '[' && cp <= '`') || (cp >= '{' && cp <= '~');
	return cp == 0xA1 || cp == 0xA7 || cp == 0xAB || cp == 0xB6 || cp == 0xB7 ||
	       cp == 0xBB || cp == 0xBF || (cp >= 0x2010 && cp <= 0x2027) ||
	       (cp >= 0x2030 && cp <= 0x205E) || (cp >= 0x3001 && cp <= 0x3003) ||
	       (cp >= 0x3008 && cp <= 0x3011);
}

size_t score_normalise(const char *s, char *out, size_t size)
{
	size_t len = strlen(s);
	size_t i = 0;
	size_t n = 0;
	size_t kept = 0;         /* length up to the last character that is not trimmed */
	bool pending_space = false;
	bool started = false;

	if (size == 0)
		return 0;
	while (i < len) {
		uint32_t folded[CASEFOLD_MAX];
		uint32_t cp = utf8_next(s, len, &i);
		int count;

		if (is_space(cp)) {
			pending_space = started;
			continue;
		}
		/* Leading punctuation is dropped here; trailing punctuation is cut
		 * at the end through `kept`. */
		if (!started && is_punctuation(cp))
			continue;

		count = casefold_codepoint(cp, folded);
		for (int k = 0; k < count; k++) {
			char bytes[4];
			size_t b = utf8_encode(folded[k], bytes);

			if (pending_space) {
				if (n + 1 >= size)
					goto full;
				out[n++] = ' ';
				pending_space = false;
			}
			if (n + b >= size)
				goto full;
			memcpy(out + n, bytes, b);
			n += b;
		}
		started = true;
		if (!is_punctuation(cp))
			kept = n;
	}
full:
	out[kept] = '\0';
	return kept;
}

/* Whether a string field has a value that survives normalisation. */
static bool text_present(const char *s)
{
	char norm[NORMALISED_MAX];

	return score_normalise(s, norm, sizeof norm) > 0;
}

static bool text_equal(const char *a, const char *b)
{
	char na[NORMALISED_MAX];
	char nb[NORMALISED_MAX];

	score_normalise(a, na, sizeof na);
	score_normalise(b, nb, sizeof nb);
	return strcmp(na, nb) == 0;
}

static bool when_equal(const struct when *expect, const struct when *got)
{
	const struct cal_datetime *e = &expect->t;
	const struct cal_datetime *g = &got->t;

	if (cal_date_cmp(e->date, g->date) != 0)
		return false;
	if (expect->precision == WHEN_DATE)
		return got->precision == WHEN_DATE;
	if (got->precision == WHEN_DATE)
		return false;
	if (e->hour != g->hour || e->minute != g->minute)
		return false;
	/* A minute-precision prediction has zero seconds. */
	if (expect->precision == WHEN_SECOND &&
	    e->second != (got->precision == WHEN_SECOND ? g->second : 0))
		return false;
	if (expect->has_offset)
		return got->has_offset && got->offset_min == expect->offset_min;
	return true;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts a list of strings and drops empty ones and repeats; returns the
 * new count. */
static size_t make_set(char **items, size_t count)
{
	size_t n = 0;

	qsort(items, count, sizeof *items, compare_strings);
	for (size_t i = 0; i < count; i++) {
		if (items[i][0] == '\0' || (n > 0 && strcmp(items[n - 1], items[i]) == 0))
			continue;
		items[n++] = items[i];
	}
	return n;
}

static size_t attendee_set(const struct event *ev, char norm[][EVENT_NAME_MAX * 2],
			   char **set)
{
	int count = event_has(ev, FIELD_ATTENDEES) ? ev->attendee_count : 0;

	for (int i = 0; i < count; i++) {
		score_normalise(ev->attendees[i], norm[i], EVENT_NAME_MAX * 2);
		set[i] = norm[i];
	}
	return make_set(set, (size_t)count);
}

static bool attendees_equal(const struct event *expect, const struct event *got)
{
	char norm_e[EVENT_ATTENDEES_MAX][EVENT_NAME_MAX * 2];
	char norm_g[EVENT_ATTENDEES_MAX][EVENT_NAME_MAX * 2];
	char *set_e[EVENT_ATTENDEES_MAX];
	char *set_g[EVENT_ATTENDEES_MAX];
	size_t ne = attendee_set(expect, norm_e, set_e);
	size_t ng = attendee_set(got, norm_g, set_g);

	if (ne != ng)
		return false;
	for (size_t i = 0; i < ne; i++)
		if (strcmp(set_e[i], set_g[i]) != 0)
			return false;
	return true;
}

/* Appends text to out, cutting it when out is full. */
static void append(char *out, size_t size, size_t *n, const char *text)
{
	size_t len = strlen(text);

	if (*n + 1 >= size)
		return;
	if (len > size - 1 - *n)
		len = size - 1 - *n;
	memcpy(out + *n, text, len);
	*n += len;
	out[*n] = '\0';
}

/* Splits s in place on sep into trimmed items; returns the count. */
static size_t split_items(char *s, const char *sep, char **items, size_t max)
{
	size_t count = 0;
	char *save = NULL;

	for (char *item = strtok_r(s, sep, &save); item && count < max;
	     item = strtok_r(NULL, sep, &save)) {
		char *end;

		while (*item == ' ' || *item == '\t')
			item++;
		end = item + strlen(item);
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		items[count++] = item;
	}
	return count;
}

/* Writes an RRULE value in a canonical set form: parts split on ';',
 * trimmed and upper-cased (RFC 5545 names and values are case-insensitive),
 * the items of each list value sorted, then the parts sorted. */
static void canonical_rrule(const char *rule, char *out, size_t size)
{
	char buf[EVENT_RRULE_MAX];
	char canonical[EVENT_RRULE_MAX / 2][EVENT_RRULE_MAX];
	char *parts[EVENT_RRULE_MAX / 2];
	size_t count;
	size_t n = 0;

	snprintf(buf, sizeof buf, "%s", rule);
	for (char *p = buf; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	count = split_items(buf, ";", parts, sizeof parts / sizeof parts[0]);

	for (size_t i = 0; i < count; i++) {
		char *eq = strchr(parts[i], '=');
		char *values[EVENT_RRULE_MAX / 2];
		size_t nv;
		size_t m = 0;

		canonical[i][0] = '\0';
		if (!eq) {
			append(canonical[i], sizeof canonical[i], &m, parts[i]);
			parts[i] = canonical[i];
			continue;
		}
		*eq = '\0';
		append(canonical[i], sizeof canonical[i], &m, parts[i]);
		append(canonical[i], sizeof canonical[i], &m, "=");
		nv = make_set(values, split_items(eq + 1, ",", values, sizeof values / sizeof values[0]));
		for (size_t k = 0; k < nv; k++) {
			if (k > 0)
				append(canonical[i], sizeof canonical[i], &m, ",");
			append(canonical[i], sizeof canonical[i], &m, values[k]);
		}
		parts[i] = canonical[i];
	}

	count = make_set(parts, count);
	out[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		if (i > 0)
			append(out, size, &n, ";");
		append(out, size, &n, parts[i]);
	}
}

static bool recurrence_equal(const char *expect, const char *got)
{
	char ce[EVENT_RRULE_MAX * 2];
	char cg[EVENT_RRULE_MAX * 2];

	canonical_rrule(expect, ce, sizeof ce);
	canonical_rrule(got, cg, sizeof cg);
	return strcmp(ce, cg) == 0;
}

/* Whether the prediction reports a value for f. By the scoring rules, an
 * empty string or an empty attendee list is no value. */
static bool has_value(const struct event *ev, enum field f)
{
	if (!event_has(ev, f))
		return false;
	switch (f) {
	case FIELD_TITLE:
		return text_present(ev->title);
	case FIELD_LOCATION:
		return text_present(ev->location);
	case FIELD_RECURRENCE:
		return text_present(ev->recurrence);
	case FIELD_ATTENDEES:
		for (int i = 0; i < ev->attendee_count; i++)
			if (text_present(ev->attendees[i]))
				return true;
		return false;
	default:
		return true;
	}
}

bool score_field(const struct corpus_case *c, const struct event *prediction, enum field f)
{
	const struct event *expect = &c->expect;
	bool want = !((c->expect_null >> f) & 1u) && has_value(expect, f);
	bool got = has_value(prediction, f);

	/* A field the case does not label is not scored, so it never counts
	 * against the prediction. */
	if (!((c->expected >> f) & 1u))
		return true;
	if (!want || !got)
		return want == got;

	switch (f) {
	case FIELD_TITLE:
		return text_equal(expect->title, prediction->title);
	case FIELD_LOCATION:
		return text_equal(expect->location, prediction->location);
	case FIELD_START:
		return when_equal(&expect->start, &prediction->start);
	case FIELD_END:
		return when_equal(&expect->end, &prediction->end);
	case FIELD_DURATION:
		return expect->duration_min == prediction->duration_min;
	case FIELD_ALL_DAY:
		return expect->all_day == prediction->all_day;
	case FIELD_ATTENDEES:
		return attendees_equal(expect, prediction);
	case FIELD_RECURRENCE:
		return recurrence_equal(expect->recurrence, prediction->recurrence);
	case FIELD_COUNT:
		break;
	}
	return false;
}

void score_case(const struct corpus_case *c, const struct event *prediction, struct score *out)
{
	out->expected = c->expected;
	out->correct = 0;
	for (int f = 0; f < FIELD_COUNT; f++)
		if (((c->expected >> f) & 1u) && score_field(c, prediction, (enum field)f))
			out->correct |= 1u << f;
	out->all_correct = out->correct == out->expected;
}
