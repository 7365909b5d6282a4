/*
 * The SLURP importer. Each line is decoded with jansson. Its annotation is
 * split into words, each marked with the slot it belongs to, and checked
 * against the sentence word for word, so labels keep the sentence's own
 * spelling. The start comes from a cascade in rules mode with the LLM tier
 * off, fed the date and time slot phrases alone.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/import_case.h"
#include "app/import_slurp.h"
#include "app/jsonfile.h"
#include "engine/cascade.h"
#include "engine/config.h"
#include "engine/event.h"

/* Bounds on one row; a row above them is reported and skipped. */
#define TEXT_MAX 4096
#define WORDS_MAX 256
#define SLOTS_MAX 64
#define PHRASE_MAX 512
#define MESSAGE_MAX 512

enum slot_type {
	SLOT_DATE, SLOT_TIME, SLOT_TIMEOFDAY, SLOT_PLACE, SLOT_PERSON, SLOT_MEAL, SLOT_FREQUENCY,
	SLOT_OTHER
};

struct slot {
	enum slot_type type;
	size_t first;           /* first and last word; first > last when it has none */
	size_t last;
};

struct word {
	const char *s;          /* into the sentence */
	size_t len;
	int slot;               /* index into row.slots, or -1 outside every slot */
};

struct row {
	struct word words[WORDS_MAX];
	size_t word_count;
	struct slot slots[SLOTS_MAX];
	size_t slot_count;
	/* The annotation without its brackets, and the slot of each byte. */
	char plain[TEXT_MAX];
	short owner[TEXT_MAX];
};

struct importer {
	const char *name;
	int line;
	const char *prefix;
	const char *source;
	struct cal_datetime ref;
	const struct slurp_sink *sink;
	struct slurp_stats *stats;
	struct cascade *cascade;
	struct cascade_worker *worker;
	struct parse_result result;
	struct row row;
};

static const struct {
	const char *name;
	const char *meaning;
} drops[SLURP_DROP_COUNT] = {
	{ "not-calendar-set", "not scenario calendar with action set" },
	{ "nothing-to-label", "no start, location or attendees to label" },
};

static const struct {
	const char *name;
	const char *meaning;
} no_starts[SLURP_NO_START_COUNT] = {
	{ "no-slot", "no date, time or timeofday slot" },
	{ "recurring", "a recurring event" },
	{ "two-moments", "two dates or two times" },
	{ "offset", "an offset from another event (\"one hour before\")" },
	{ "unread", "caltune's grammar found no date or left words over" },
	{ "span", "a span of days (\"next month\", \"this weekend\")" },
	{ "meal", "a meal on a day without a clock time" },
	{ "same-weekday", "ref's own weekday without a time (today or next week?)" },
};

static const char *const weekdays[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
};

const char *slurp_drop_name(enum slurp_drop reason)
{
	return reason < SLURP_DROP_COUNT ? drops[reason].name : "unknown";
}

const char *slurp_drop_meaning(enum slurp_drop reason)
{
	return reason < SLURP_DROP_COUNT ? drops[reason].meaning : "unknown";
}

const char *slurp_no_start_name(enum slurp_no_start reason)
{
	return reason < SLURP_NO_START_COUNT ? no_starts[reason].name : "unknown";
}

const char *slurp_no_start_meaning(enum slurp_no_start reason)
{
	return reason < SLURP_NO_START_COUNT ? no_starts[reason].meaning : "unknown";
}

__attribute__((format(printf, 2, 3)))
static void report(struct importer *im, const char *fmt, ...)
{
	char message[MESSAGE_MAX];
	char line[MESSAGE_MAX + 1100];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	snprintf(line, sizeof line, "%s:%d: %s", im->name, im->line, message);
	im->stats->errors++;
	if (im->sink->on_error)
		im->sink->on_error(im->sink->context, line);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool word_is(const struct word *w, const char *literal)
{
	return strlen(literal) == w->len && strncasecmp(w->s, literal, w->len) == 0;
}

static bool word_in(const struct word *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (word_is(w, list[i]))
			return true;
	return false;
}

static int weekday_of(const struct word *w)
{
	for (int d = 0; d < 7; d++)
		if (word_is(w, weekdays[d]))
			return d;
	return -1;
}

static enum slot_type slot_type_of(const char *s, size_t len)
{
	static const struct {
		const char *name;
		enum slot_type type;
	} types[] = {
		{ "date", SLOT_DATE }, { "time", SLOT_TIME }, { "timeofday", SLOT_TIMEOFDAY },
		{ "place_name", SLOT_PLACE }, { "person", SLOT_PERSON }, { "meal_type", SLOT_MEAL },
		{ "general_frequency", SLOT_FREQUENCY },
	};

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strlen(types[i].name) == len && strncmp(types[i].name, s, len) == 0)
			return types[i].type;
	return SLOT_OTHER;
}

/* --- The annotation ---------------------------------------------------- */

/* Copies the annotation without its brackets into row->plain, marking
 * each byte with its slot. Returns 0, or -1 with a message. */
static int strip_annotation(struct row *row, const char *ann, size_t *plain_len, char *err,
			    size_t err_size)
{
	size_t n = 0;
	size_t i = 0;
	size_t len = strlen(ann);

	row->slot_count = 0;
	while (i < len) {
		const char *close;
		const char *colon;
		const char *type;
		const char *value;
		size_t type_len;

		if (ann[i] == ']') {
			snprintf(err, err_size, "sentence_annotation has a ']' without '[' at "
				 "column %zu", i + 1);
			return -1;
		}
		if (ann[i] != '[') {
			row->owner[n] = -1;
			row->plain[n++] = ann[i++];
			continue;
		}

		/* A slot: "[type : value]". */
		close = memchr(ann + i, ']', len - i);
		colon = memchr(ann + i, ':', len - i);
		if (!close || memchr(ann + i + 1, '[', (size_t)(close - ann) - i - 1)) {
			snprintf(err, err_size, "sentence_annotation has a '[' without ']' at "
				 "column %zu", i + 1);
			return -1;
		}
		if (!colon || colon > close) {
			snprintf(err, err_size, "sentence_annotation slot at column %zu has no "
				 "\"type : value\" form", i + 1);
			return -1;
		}
		if (row->slot_count == SLOTS_MAX) {
			snprintf(err, err_size, "sentence_annotation has more than %d slots",
				 SLOTS_MAX);
			return -1;
		}
		type = ann + i + 1;
		while (type < colon && is_space(*type))
			type++;
		type_len = (size_t)(colon - type);
		while (type_len > 0 && is_space(type[type_len - 1]))
			type_len--;
		value = colon + 1;
		while (value < close && is_space(*value))
			value++;

		row->slots[row->slot_count].type = slot_type_of(type, type_len);
		row->slots[row->slot_count].first = 1;
		row->slots[row->slot_count].last = 0;
		for (; value < close; value++) {
			row->owner[n] = (short)row->slot_count;
			row->plain[n++] = *value;
		}
		row->slot_count++;
		i = (size_t)(close - ann) + 1;
	}
	*plain_len = n;
	return 0;
}

/* Splits the annotation into words and matches them with the sentence's
 * words, ignoring ASCII case. Returns 0, or -1 with a message. */
static int read_annotation(struct row *row, const char *sentence, const char *ann, char *err,
			   size_t err_size)
{
	size_t plain_len;
	size_t i = 0;
	size_t s = 0;

	if (strlen(ann) >= TEXT_MAX || strlen(sentence) >= TEXT_MAX) {
		snprintf(err, err_size, "sentence or sentence_annotation is above %d bytes",
			 TEXT_MAX - 1);
		return -1;
	}
	if (strip_annotation(row, ann, &plain_len, err, err_size) < 0)
		return -1;

	row->word_count = 0;
	for (;;) {
		struct word *w;
		size_t start;
		size_t s_start;

		while (i < plain_len && is_space(row->plain[i]))
			i++;
		while (sentence[s] && is_space(sentence[s]))
			s++;
		if (i == plain_len || !sentence[s])
			break;
		if (row->word_count == WORDS_MAX) {
			snprintf(err, err_size, "the sentence has more than %d words", WORDS_MAX);
			return -1;
		}

		w = &row->words[row->word_count];
		w->slot = -1;
		start = i;
		for (; i < plain_len && !is_space(row->plain[i]); i++)
			if (w->slot < 0 && row->owner[i] >= 0)
				w->slot = row->owner[i];
		s_start = s;
		while (sentence[s] && !is_space(sentence[s]))
			s++;
		w->s = sentence + s_start;
		w->len = s - s_start;
		if (w->len != i - start || strncasecmp(w->s, row->plain + start, w->len) != 0) {
			snprintf(err, err_size, "sentence_annotation does not spell the sentence: "
				 "word %zu is \"%.*s\" in the sentence and \"%.*s\" in the annotation",
				 row->word_count + 1, (int)(w->len > 40 ? 40 : w->len), w->s,
				 (int)(i - start > 40 ? 40 : i - start), row->plain + start);
			return -1;
		}
		if (w->slot >= 0) {
			struct slot *slot = &row->slots[w->slot];

			if (slot->first > slot->last)
				slot->first = row->word_count;
			slot->last = row->word_count;
		}
		row->word_count++;
	}
	if (i < plain_len || sentence[s]) {
		snprintf(err, err_size, "sentence_annotation does not spell the sentence: one has "
			 "more words than the other");
		return -1;
	}
	return 0;
}

static bool slot_empty(const struct slot *slot)
{
	return slot->first > slot->last;
}

static size_t count_slots(const struct row *row, enum slot_type type)
{
	size_t n = 0;

	for (size_t i = 0; i < row->slot_count; i++)
		if (row->slots[i].type == type && !slot_empty(&row->slots[i]))
			n++;
	return n;
}

static bool is_timing(enum slot_type type)
{
	return type == SLOT_DATE || type == SLOT_TIME || type == SLOT_TIMEOFDAY;
}

/* Joins words first..last with single spaces. Returns false when they do
 * not fit in size bytes. */
static bool join_words(const struct row *row, size_t first, size_t last, char *out, size_t size)
{
	size_t n = 0;

	for (size_t i = first; i <= last; i++) {
		const struct word *w = &row->words[i];

		if (n + w->len + 2 > size)
			return false;
		if (i > first)
			out[n++] = ' ';
		memcpy(out + n, w->s, w->len);
		n += w->len;
	}
	out[n] = '\0';
	return true;
}

/* --- The start --------------------------------------------------------- */

/* Writes the phrase the grammar reads: each date, time and timeofday slot
 * in sentence order. A slot takes up to two words before it that belong to
 * the date ("next", "on the", "at") and an "o'clock" after it, because
 * SLURP leaves those outside the slot. Returns false when it does not fit. */
static bool build_phrase(const struct row *row, char *out, size_t size)
{
	static const char *const before[] = {
		"next", "this", "coming", "on", "at", "in", "by", "the", "a", NULL
	};
	static const char *const after[] = { "o'clock", "oclock", NULL };
	size_t n = 0;

	out[0] = '\0';
	for (size_t k = 0; k < row->slot_count; k++) {
		const struct slot *slot = &row->slots[k];
		size_t first;
		size_t last;
		char part[PHRASE_MAX];

		if (!is_timing(slot->type) || slot_empty(slot))
			continue;
		first = slot->first;
		while (first > 0 && slot->first - first < 2 && row->words[first - 1].slot < 0 &&
		       word_in(&row->words[first - 1], before))
			first--;
		last = slot->last;
		if (last + 1 < row->word_count && row->words[last + 1].slot < 0 &&
		    word_in(&row->words[last + 1], after))
			last++;
		if (!join_words(row, first, last, part, sizeof part))
			return false;
		if (n + strlen(part) + 2 > size)
			return false;
		n += (size_t)snprintf(out + n, size - n, "%s%s", n ? " " : "", part);
	}
	return true;
}

/* Finds the next space-separated token of a phrase at or after *pos. */
static bool next_token(const char *phrase, size_t *pos, struct word *token)
{
	size_t i = *pos;

	while (phrase[i] == ' ')
		i++;
	if (!phrase[i])
		return false;
	token->s = phrase + i;
	token->slot = -1;
	while (phrase[i] && phrase[i] != ' ')
		i++;
	token->len = (size_t)(phrase + i - token->s);
	*pos = i;
	return true;
}

/* Whether the phrase names the weekday. */
static bool phrase_names_weekday(const char *phrase, int weekday)
{
	struct word token;
	size_t pos = 0;

	while (next_token(phrase, &pos, &token))
		if (weekday_of(&token) == weekday)
			return true;
	return false;
}

/* Runs the phrase through the rules tier. Returns SLURP_NO_START_COUNT
 * with *start set, or the reason there is no start. */
static enum slurp_no_start resolve_phrase(struct importer *im, const char *phrase,
					  struct when *start)
{
	struct parse_input in = {
		.text = phrase, .len = strlen(phrase), .ref = im->ref, .tz = "UTC",
		.locale = LOCALE_EN_US,
	};
	const struct event *ev = &im->result.event;
	const struct row *row = &im->row;

	cascade_parse(im->worker, &in, &im->result);
	if (im->result.status != PARSE_OK || !event_has(ev, FIELD_START))
		return SLURP_NO_START_UNREAD;
	/* Words the grammar took for a title, a place or a person were not read
	 * as part of the date. */
	if (event_has(ev, FIELD_TITLE) || event_has(ev, FIELD_LOCATION) ||
	    (event_has(ev, FIELD_ATTENDEES) && ev->attendee_count > 0))
		return SLURP_NO_START_UNREAD;
	if (event_has(ev, FIELD_RECURRENCE))
		return SLURP_NO_START_RECURRING;
	if (ev->start.precision == WHEN_DATE && event_has(ev, FIELD_END))
		return SLURP_NO_START_SPAN;
	if (ev->start.precision == WHEN_DATE && count_slots(row, SLOT_MEAL) > 0)
		return SLURP_NO_START_MEAL;
	if (ev->start.precision == WHEN_DATE &&
	    phrase_names_weekday(phrase, cal_weekday(im->ref.date)))
		return SLURP_NO_START_SAME_WEEKDAY;
	*start = ev->start;
	return SLURP_NO_START_COUNT;
}

/* Decides the start of a row. Returns SLURP_NO_START_COUNT with *start and
 * the phrase set, or the reason there is none. */
static enum slurp_no_start find_start(struct importer *im, struct when *start, char *phrase,
				      size_t size)
{
	static const char *const offsets[] = { "before", "after", NULL };
	const struct row *row = &im->row;

	if (count_slots(row, SLOT_DATE) + count_slots(row, SLOT_TIME) +
	    count_slots(row, SLOT_TIMEOFDAY) == 0)
		return SLURP_NO_START_NO_SLOT;
	if (count_slots(row, SLOT_FREQUENCY) > 0)
		return SLURP_NO_START_RECURRING;
	if (count_slots(row, SLOT_DATE) > 1 || count_slots(row, SLOT_TIME) > 1)
		return SLURP_NO_START_TWO_MOMENTS;
	for (size_t k = 0; k < row->slot_count; k++) {
		const struct slot *slot = &row->slots[k];

		if (is_timing(slot->type) && !slot_empty(slot) && slot->last + 1 < row->word_count &&
		    word_in(&row->words[slot->last + 1], offsets))
			return SLURP_NO_START_OFFSET;
	}
	if (!build_phrase(row, phrase, size))
		return SLURP_NO_START_UNREAD;
	return resolve_phrase(im, phrase, start);
}

/* --- Tags ---------------------------------------------------------------- */

/* An hour without am, pm, noon or midnight in a time slot ("at ten",
 * "five o'clock"), which the reading conventions resolve. */
static bool has_bare_hour(const struct row *row)
{
	static const char *const numbers[] = {
		"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"eleven", "twelve", NULL
	};
	static const char *const marks[] = {
		"am", "pm", "a.m.", "p.m.", "noon", "midnight", "minute", "minutes", "hour", "hours",
		NULL
	};

	for (size_t k = 0; k < row->slot_count; k++) {
		const struct slot *slot = &row->slots[k];
		bool number = false;
		bool marked = false;

		if (slot->type != SLOT_TIME || slot_empty(slot))
			continue;
		for (size_t i = slot->first; i <= slot->last; i++) {
			const struct word *w = &row->words[i];

			bool digits = w->len > 0 && w->s[0] >= '0' && w->s[0] <= '9';

			number = number || digits || word_in(w, numbers);
			/* "2pm" carries its meridiem in the word. */
			marked = marked || word_in(w, marks) ||
				 (digits && w->len > 2 && (strncasecmp(w->s + w->len - 2, "am", 2) == 0 ||
							   strncasecmp(w->s + w->len - 2, "pm", 2) == 0));
		}
		if (number && !marked)
			return true;
	}
	return false;
}

/* A part of the day without a clock time: morning, afternoon, evening. */
static bool has_vague_time(const struct row *row)
{
	static const char *const parts[] = {
		"morning", "afternoon", "evening", "night", "tonight", NULL
	};

	if (count_slots(row, SLOT_TIME) > 0)
		return false;
	for (size_t k = 0; k < row->slot_count; k++) {
		const struct slot *slot = &row->slots[k];

		if (slot->type == SLOT_TIMEOFDAY && !slot_empty(slot) &&
		    word_in(&row->words[slot->last], parts))
			return true;
	}
	return false;
}

/* The weekday of the first "next <weekday>" in the phrase, or -1. */
static int next_weekday(const char *phrase)
{
	struct word token;
	size_t pos = 0;
	bool after_next = false;

	while (next_token(phrase, &pos, &token)) {
		if (after_next && weekday_of(&token) >= 0)
			return weekday_of(&token);
		after_next = word_is(&token, "next");
	}
	return -1;
}

static void start_tags(struct importer *im, const struct when *start, const char *phrase,
		       struct import_tags *tags)
{
	int ref_weekday = cal_weekday(im->ref.date);
	int next = next_weekday(phrase);
	bool bare = has_bare_hour(&im->row);
	bool ambiguous = bare;
	bool past = start->precision == WHEN_DATE ? cal_date_cmp(start->t.date, im->ref.date) < 0 :
						    cal_datetime_cmp(start->t, im->ref) < 0;

	import_tags_add(tags, start->precision == WHEN_DATE ? "date" : "datetime");
	import_tags_add(tags, "start-by-caltune");
	if (next >= 0) {
		import_tags_add(tags, "next-weekday");
		/* Said before that weekday in the week, or at a weekend, many
		 * people mean the coming one. */
		ambiguous = ambiguous || ref_weekday >= CAL_SATURDAY || next > ref_weekday;
	} else if (phrase_names_weekday(phrase, ref_weekday)) {
		/* Today or a week on, by whether the time is still ahead. */
		ambiguous = true;
	}
	if (bare)
		import_tags_add(tags, "bare-hour");
	if (has_vague_time(&im->row))
		import_tags_add(tags, "vague-time");
	if (ambiguous)
		import_tags_add(tags, "ambiguous");
	if (start->t.date.year > im->ref.date.year)
		import_tags_add(tags, "year-rollover");
	if (past)
		import_tags_add(tags, "past");
}

/* --- Location and attendees -------------------------------------------- */

/* The first place_name slot that does not continue another slot ("my
 * [relation : sisters] [place_name : house]" names no place on its own),
 * without a leading lower-case "the". Returns false when there is none. */
static bool find_location(struct importer *im, char *out, size_t size)
{
	const struct row *row = &im->row;

	for (size_t k = 0; k < row->slot_count; k++) {
		const struct slot *slot = &row->slots[k];
		size_t first;
		char value[TEXT_MAX];

		if (slot->type != SLOT_PLACE || slot_empty(slot))
			continue;
		if (slot->first > 0 && row->words[slot->first - 1].slot >= 0)
			continue;
		first = slot->first;
		if (first < slot->last && row->words[first].len == 3 &&
		    strncmp(row->words[first].s, "the", 3) == 0)
			first++;
		if (!join_words(row, first, slot->last, value, sizeof value))
			continue;
		if (strlen(value) >= size) {
			report(im, "location \"%.40s...\" is above the corpus limit of %zu bytes; left "
			       "out", value, size - 1);
			return false;
		}
		memcpy(out, value, strlen(value) + 1);
		return true;
	}
	return false;
}

/* Whether a person slot takes part: the nearest word before it, past
 * other person slots and "and", is "with" or "meet". */
static bool takes_part(const struct row *row, const struct slot *slot)
{
	static const char *const joins[] = { "and", ",", NULL };
	static const char *const verbs[] = { "with", "meet", NULL };
	const struct word *last_word = &row->words[slot->last];
	size_t i = slot->first;

	/* "[person : paul's] retirement" names whose event it is. */
	if (last_word->len >= 2 && (strncmp(last_word->s + last_word->len - 2, "'s", 2) == 0 ||
				    strncmp(last_word->s + last_word->len - 2, "s'", 2) == 0))
		return false;
	while (i > 0) {
		const struct word *w = &row->words[i - 1];

		if ((w->slot >= 0 && row->slots[w->slot].type == SLOT_PERSON) || word_in(w, joins)) {
			i--;
			continue;
		}
		return word_in(w, verbs);
	}
	return false;
}

/* Adds the names of one person slot, split on "and" and commas. Returns
 * false, after a report, when a name or the list is above the corpus
 * limits. */
static bool add_names(struct importer *im, const struct slot *slot, json_t *names)
{
	const struct row *row = &im->row;
	char name[EVENT_NAME_MAX];
	size_t n = 0;

	for (size_t i = slot->first; i <= slot->last + 1; i++) {
		const struct word *w = i <= slot->last ? &row->words[i] : NULL;
		size_t len = w ? w->len : 0;
		bool comma = w && len > 0 && w->s[len - 1] == ',';

		if (w && !word_is(w, "and")) {
			if (comma)
				len--;
			if (n + len + 2 > sizeof name) {
				report(im, "attendee \"%.*s...\" is above the corpus limit of %d "
				       "bytes; attendees left out", (int)n, name, EVENT_NAME_MAX - 1);
				return false;
			}
			if (n > 0 && len > 0)
				name[n++] = ' ';
			memcpy(name + n, w->s, len);
			n += len;
			if (!comma)
				continue;
		}
		if (n == 0)
			continue;
		if (json_array_size(names) == EVENT_ATTENDEES_MAX) {
			report(im, "more than %d attendees, the corpus limit; attendees left out",
			       EVENT_ATTENDEES_MAX);
			return false;
		}
		json_array_append_new(names, json_stringn(name, n));
		n = 0;
	}
	return true;
}

static json_t *find_attendees(struct importer *im)
{
	const struct row *row = &im->row;
	json_t *names = json_array();

	for (size_t k = 0; k < row->slot_count; k++) {
		const struct slot *slot = &row->slots[k];

		if (slot->type != SLOT_PERSON || slot_empty(slot) || !takes_part(row, slot))
			continue;
		if (!add_names(im, slot, names)) {
			json_array_clear(names);
			break;
		}
	}
	if (json_array_size(names) == 0) {
		json_decref(names);
		return NULL;
	}
	return names;
}

/* --- One row ------------------------------------------------------------- */

static int emit_case(struct importer *im, const char *sentence, json_t *expect,
		     const struct import_tags *tags)
{
	json_t *out = import_case_new(im->prefix, im->stats->written + 1, sentence, im->ref, NULL,
				      json_incref(expect), tags, im->source);
	int rc = im->sink->on_case ? im->sink->on_case(im->sink->context, out) : 0;

	json_decref(out);
	if (rc == 0)
		im->stats->written++;
	return rc;
}

/* Labels one calendar_set row. Returns -1 only when the sink stopped. */
static int label_row(struct importer *im, const char *sentence)
{
	struct import_tags tags = { .count = 0 };
	json_t *expect = json_object();
	json_t *attendees;
	struct when start;
	char phrase[PHRASE_MAX];
	char location[EVENT_LOCATION_MAX];
	char when_text[40];
	enum slurp_no_start reason = find_start(im, &start, phrase, sizeof phrase);
	bool has_location = find_location(im, location, sizeof location);
	int rc = 0;

	import_tags_add(&tags, "calendar_set");
	if (reason == SLURP_NO_START_COUNT) {
		when_format(&start, when_text, sizeof when_text);
		json_object_set_new(expect, "start", json_string(when_text));
		start_tags(im, &start, phrase, &tags);
	} else {
		im->stats->no_start[reason]++;
	}
	if (has_location) {
		json_object_set_new(expect, "location", json_string(location));
		import_tags_add(&tags, "location");
	}
	attendees = find_attendees(im);
	if (attendees) {
		json_object_set_new(expect, "attendees", attendees);
		import_tags_add(&tags, "attendees");
	}

	if (json_object_size(expect) == 0) {
		im->stats->dropped[SLURP_DROP_NOTHING_TO_LABEL]++;
	} else {
		rc = emit_case(im, sentence, expect, &tags);
		if (rc == 0 && reason == SLURP_NO_START_COUNT)
			im->stats->started++;
	}
	json_decref(expect);
	return rc;
}

/* The string member key of a row, or NULL after a report. */
static const char *row_text(struct importer *im, const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	if (!v) {
		report(im, "missing key \"%s\": a SLURP row has sentence, sentence_annotation, "
		       "scenario and action; skipped", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		report(im, "\"%s\" must be a string, found %s; skipped", key, jsonfile_type_name(v));
		return NULL;
	}
	return json_string_value(v);
}

/* Imports one non-blank line. Returns -1 only when the sink stopped. */
static int import_line(struct importer *im, const char *line, size_t len)
{
	json_error_t jerr;
	json_t *obj = json_loadb(line, len, 0, &jerr);
	const char *scenario;
	const char *action;
	const char *sentence = NULL;
	const char *annotation = NULL;
	char err[MESSAGE_MAX];
	int rc = 0;

	if (!obj) {
		report(im, "invalid JSON at column %d: %s; skipped", jerr.column, jerr.text);
		im->stats->bad++;
		return 0;
	}
	if (!json_is_object(obj)) {
		report(im, "a SLURP row must be a JSON object, found %s; skipped", jsonfile_type_name(obj));
		im->stats->bad++;
		json_decref(obj);
		return 0;
	}

	scenario = row_text(im, obj, "scenario");
	action = scenario ? row_text(im, obj, "action") : NULL;
	if (action && (strcmp(scenario, "calendar") != 0 || strcmp(action, "set") != 0)) {
		im->stats->dropped[SLURP_DROP_NOT_CALENDAR_SET]++;
		json_decref(obj);
		return 0;
	}
	if (action)
		sentence = row_text(im, obj, "sentence");
	if (sentence)
		annotation = row_text(im, obj, "sentence_annotation");
	if (annotation && read_annotation(&im->row, sentence, annotation, err, sizeof err) < 0) {
		report(im, "%s; skipped", err);
		annotation = NULL;
	}
	if (annotation)
		rc = label_row(im, sentence);
	else
		im->stats->bad++;
	json_decref(obj);
	return rc;
}

static bool is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_space(s[i]))
			return false;
	return true;
}

/* Makes the rules tier alone, with no LLM, for the slot phrases. */
static int open_grammar(struct importer *im)
{
	struct cascade_config cfg;
	char err[CASCADE_ERROR_MAX];

	if (config_preset(&cfg, "balanced", err, sizeof err) == 0) {
		cfg.mode = MODE_RULES;
		cfg.rules_backend = RULES_BUILTIN;
		cfg.llm_backend = LLM_OFF;
		im->cascade = cascade_new(&cfg, err, sizeof err);
	}
	if (im->cascade)
		im->worker = cascade_worker_new(im->cascade, err, sizeof err);
	if (!im->worker) {
		report(im, "cannot set up caltune's grammar: %s", err);
		return -1;
	}
	return 0;
}

int slurp_import(const char *name, const char *data, size_t size,
		 const struct slurp_options *options, const struct slurp_sink *sink,
		 struct slurp_stats *stats)
{
	struct importer *im = calloc(1, sizeof *im);
	const char *p = data;
	const char *end = data + size;
	int rc = 0;

	memset(stats, 0, sizeof *stats);
	if (!im) {
		if (sink->on_error)
			sink->on_error(sink->context, "out of memory");
		stats->errors++;
		return -1;
	}
	im->name = name;
	im->prefix = options->prefix ? options->prefix : SLURP_DEFAULT_PREFIX;
	im->source = options->source ? options->source : "slurp";
	im->ref = options->ref;
	im->sink = sink;
	im->stats = stats;
	if (open_grammar(im) < 0) {
		cascade_free(im->cascade);
		free(im);
		return -1;
	}

	/* A byte order mark at the start is allowed and skipped. */
	if (size >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		im->line++;
		if (!is_blank(p, len)) {
			stats->lines++;
			rc = import_line(im, p, len);
		}
		p = nl ? nl + 1 : end;
	}

	cascade_worker_free(im->worker);
	cascade_free(im->cascade);
	free(im);
	return rc;
}
