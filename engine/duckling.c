/*
 * The Duckling backend of tier 2: the request, and the mapping of its
 * answers onto mentions.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/duckling.h"
#include "engine/lexicon.h"
#include "engine/llm_client.h"
#include "engine/utf8.h"

struct duckling {
	struct llm_client *client;
	char url[CONFIG_URL_MAX];
	double timeout_s;
};

/* One retry, as the reference design's Duckling client has. */
#define DUCKLING_RETRIES 1
/* Connections kept to the server, as its pool of 10. */
#define DUCKLING_POOL 10

struct duckling *duckling_new(const struct cascade_config *cfg, char *err, size_t err_size)
{
	struct duckling *d = calloc(1, sizeof *d);

	if (!d) {
		snprintf(err, err_size, "out of memory loading the Duckling backend");
		return NULL;
	}
	d->client = llm_client_new(DUCKLING_POOL, err, err_size);
	if (!d->client) {
		free(d);
		return NULL;
	}
	snprintf(d->url, sizeof d->url, "%s", cfg->duckling_url);
	d->timeout_s = cfg->duckling_timeout_s;
	return d;
}

void duckling_free(struct duckling *d)
{
	if (!d)
		return;
	llm_client_free(d->client);
	free(d);
}

/* Appends key=value, percent-encoded as application/x-www-form-urlencoded. */
static size_t form_field(char *out, size_t n, size_t size, const char *key, const char *value,
			 size_t len)
{
	static const char hex[] = "0123456789ABCDEF";

	n += (size_t)snprintf(out + n, n < size ? size - n : 0, "%s%s=", n ? "&" : "", key);
	for (size_t i = 0; i < len && n + 4 < size; i++) {
		unsigned char c = (unsigned char)value[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			out[n++] = (char)c;
		} else if (c == ' ') {
			out[n++] = '+';
		} else {
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	if (n < size)
		out[n] = '\0';
	return n;
}

/* The byte offset of code point `index` in the text. */
static size_t byte_offset(const char *text, size_t len, long index)
{
	size_t i = 0;

	for (long k = 0; k < index && i < len; k++)
		utf8_next(text, len, &i);
	return i;
}

/* "2026-12-05T15:00:00.000+00:00" as a wall-clock time. */
static bool parse_time(const char *s, struct cal_datetime *t)
{
	memset(t, 0, sizeof *t);
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &t->date.year, &t->date.month, &t->date.day,
			 &t->hour, &t->minute, &t->second) != 6)
		return false;
	return cal_date_valid(t->date) && t->hour < 24 && t->minute < 60 && t->second < 60;
}

enum grain { GRAIN_SECOND, GRAIN_MINUTE, GRAIN_HOUR, GRAIN_DAY, GRAIN_WEEK, GRAIN_MONTH,
	     GRAIN_QUARTER, GRAIN_YEAR, GRAIN_UNKNOWN };

static enum grain grain_of(const char *s)
{
	static const char *const names[] = { "second", "minute", "hour", "day", "week", "month",
					     "quarter", "year" };

	for (int g = 0; s && g < GRAIN_UNKNOWN; g++)
		if (strcmp(names[g], s) == 0)
			return (enum grain)g;
	return GRAIN_UNKNOWN;
}

/* A point of the given grain: a clock time, a day, or a span of days. */
static void set_point(struct date_value *date, struct time_value *time, struct cal_datetime t,
		      enum grain g)
{
	memset(date, 0, sizeof *date);
	memset(time, 0, sizeof *time);
	date->kind = DATE_DAY;
	date->day = t.date;
	date->year_explicit = true;
	switch (g) {
	case GRAIN_SECOND:
	case GRAIN_MINUTE:
	case GRAIN_HOUR:
		time->kind = TIME_CLOCK;
		time->hour = t.hour;
		time->minute = t.minute;
		time->second = t.second;
		time->has_minute = true;
		time->has_second = g == GRAIN_SECOND && t.second != 0;
		time->fixed = true;
		break;
	case GRAIN_WEEK:
		date->kind = DATE_SPAN;
		date->span_end = cal_add_days(t.date, 7);
		break;
	case GRAIN_MONTH:
		date->kind = DATE_SPAN;
		date->span_end = cal_add_months(t.date, 1);
		break;
	case GRAIN_QUARTER:
		date->kind = DATE_SPAN;
		date->span_end = cal_add_months(t.date, 3);
		break;
	case GRAIN_YEAR:
		date->kind = DATE_SPAN;
		date->span_end = cal_add_months(t.date, 12);
		break;
	default:
		break;
	}
}

/* An interval's exclusive "to", one grain past the stated end, brought
 * back to the end as stated. */
static struct cal_datetime before_grain(struct cal_datetime t, enum grain g)
{
	switch (g) {
	case GRAIN_SECOND:
		return cal_datetime_from_seconds(cal_datetime_seconds(t) - 1);
	case GRAIN_MINUTE:
		return cal_datetime_add_minutes(t, -1);
	case GRAIN_HOUR:
		return cal_datetime_add_minutes(t, -60);
	default:
		t.date = cal_add_days(t.date, -1);
		return t;
	}
}

static bool map_time(json_t *value, struct mention *m)
{
	const char *type = json_string_value(json_object_get(value, "type"));
	struct cal_datetime t;

	if (type && strcmp(type, "interval") == 0) {
		json_t *from = json_object_get(value, "from");
		json_t *to = json_object_get(value, "to");
		enum grain g_from, g_to;
		struct time_value unused;

		if (!from || !to)
			return false;  /* open intervals ("after 3pm") say too little */
		g_from = grain_of(json_string_value(json_object_get(from, "grain")));
		g_to = grain_of(json_string_value(json_object_get(to, "grain")));
		if (!parse_time(json_string_value(json_object_get(from, "value")), &t))
			return false;
		m->kind = MENTION_RANGE;
		set_point(&m->date, &m->time, t, g_from);
		if (!parse_time(json_string_value(json_object_get(to, "value")), &t))
			return false;
		t = before_grain(t, g_to);
		set_point(&m->date2, g_to <= GRAIN_HOUR ? &m->time2 : &unused, t,
			  g_to <= GRAIN_HOUR ? g_to : GRAIN_DAY);
		/* A span of days ends on its last day; the assembler adds the
		 * exclusive day back. */
		if (g_to > GRAIN_HOUR)
			m->date2.kind = DATE_DAY;
		return true;
	}
	if (!parse_time(json_string_value(json_object_get(value, "value")), &t))
		return false;
	m->kind = MENTION_POINT;
	set_point(&m->date, &m->time, t, grain_of(json_string_value(json_object_get(value, "grain"))));
	return true;
}

static bool map_duration(json_t *value, const char *text, size_t start, struct mention *m)
{
	json_t *normalized = json_object_get(value, "normalized");
	json_t *seconds = json_object_get(normalized, "value");
	const char *unit = json_string_value(json_object_get(value, "unit"));

	if (!json_is_number(seconds))
		return false;
	m->kind = MENTION_DURATION;
	m->duration_min = (int)(json_number_value(seconds) / 60.0 + 0.5);
	m->number = json_is_integer(json_object_get(value, "value")) ?
		    (int)json_integer_value(json_object_get(value, "value")) : 0;
	m->unit = unit && strcmp(unit, "day") == 0 ? UNIT_DAY : unit && strcmp(unit, "week") == 0 ?
		  UNIT_WEEK : unit && strcmp(unit, "month") == 0 ? UNIT_MONTH : unit &&
		  strcmp(unit, "hour") == 0 ? UNIT_HOUR : UNIT_MINUTE;
	/* "for 6 weeks": Duckling's span starts at the number, after "for". */
	m->duration_for = start >= 4 && strncmp(text + start - 4, "for ", 4) == 0;
	return true;
}

static int compare_items(const void *a, const void *b)
{
	const struct grammar_item *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

int duckling_map_answer(const char *body, size_t len, const struct parse_input *in,
			const struct token *tokens, size_t token_count, struct grammar_item *items,
			size_t max, char *err, size_t err_size)
{
	json_error_t jerr;
	json_t *root = json_loadb(body, len, 0, &jerr);
	json_t *entity;
	size_t i, count = 0;

	if (!root) {
		snprintf(err, err_size, "Duckling answer is not valid JSON (%s): is duckling.url "
			 "Duckling's /parse?", jerr.text);
		return -1;
	}
	if (!json_is_array(root)) {
		snprintf(err, err_size, "Duckling answer is not a JSON array of entities");
		json_decref(root);
		return -1;
	}
	json_array_foreach(root, i, entity) {
		const char *dim = json_string_value(json_object_get(entity, "dim"));
		json_t *value = json_object_get(entity, "value");
		long cp_start = (long)json_integer_value(json_object_get(entity, "start"));
		long cp_end = (long)json_integer_value(json_object_get(entity, "end"));
		size_t start = byte_offset(in->text, in->len, cp_start);
		size_t end = byte_offset(in->text, in->len, cp_end);
		struct grammar_item *it;
		bool ok;

		if (!dim || !json_is_object(value) || count >= max || cp_end <= cp_start)
			continue;
		it = &items[count];
		memset(it, 0, sizeof *it);
		it->is_mention = true;
		it->mention.confidence = json_is_true(json_object_get(entity, "latent")) ? 0.5f : 0.85f;
		it->mention.rule = "duckling";
		if (strcmp(dim, "time") == 0)
			ok = map_time(value, &it->mention);
		else if (strcmp(dim, "duration") == 0)
			ok = map_duration(value, in->text, start, &it->mention);
		else
			ok = false;
		if (!ok)
			continue;
		/* The tokens the entity covers, for the title and location. */
		it->first = -1;
		for (size_t t = 0; t < token_count; t++) {
			if (tokens[t].end <= start || tokens[t].start >= end)
				continue;
			if (it->first < 0)
				it->first = (int)t;
			it->last = (int)t;
		}
		if (it->first < 0)
			continue;
		it->mention.first = it->first;
		it->mention.last = it->last;
		count++;
	}
	json_decref(root);
	qsort(items, count, sizeof *items, compare_items);
	return (int)count;
}

int duckling_items(struct duckling *d, const struct parse_input *in, const struct token *tokens,
		   size_t token_count, struct grammar_item *items, size_t max, char *err,
		   size_t err_size)
{
	size_t size = in->len * 3 + 256;
	char *form = malloc(size);
	char number[32];
	size_t n = 0;
	struct llm_request request;
	struct llm_response response;
	int rc;

	if (!form) {
		snprintf(err, err_size, "out of memory building the Duckling request");
		return -1;
	}
	form[0] = '\0';
	n = form_field(form, n, size, "locale", in->locale == LOCALE_EN_GB ? "en_GB" : "en_US", 5);
	n = form_field(form, n, size, "text", in->text, in->len);
	snprintf(number, sizeof number, "%lld", (long long)cal_datetime_seconds(in->ref) * 1000);
	n = form_field(form, n, size, "reftime", number, strlen(number));
	n = form_field(form, n, size, "tz", "UTC", 3);
	form_field(form, n, size, "dims", "[\"time\",\"duration\"]", 19);

	request = (struct llm_request){ d->url, form, NULL, d->timeout_s, DUCKLING_RETRIES,
					"application/x-www-form-urlencoded" };
	if (llm_client_send(d->client, &request, &response) < 0) {
		snprintf(err, err_size, "Duckling: %s; check that a Duckling server answers at "
			 "duckling.url, or set rules.backend=builtin", response.error[0] ?
			 response.error : llm_failure_name(response.failure));
		free(form);
		return -1;
	}
	rc = duckling_map_answer(response.body, response.body_len, in, tokens, token_count, items,
				 max, err, err_size);
	llm_response_free(&response);
	free(form);
	return rc;
}
