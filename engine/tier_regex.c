/*
 * Tier 1: compiled PCRE2 patterns for the common forms: ISO and numeric
 * dates, month-name dates, weekdays with this/next, today/tomorrow/
 * tonight, clock times (3pm, 15:30, noon, midnight), simple ranges,
 * "at/in/@ <place>", "with <names>", and the title as what remains.
 *
 * Patterns are compiled once with JIT at load; each thread has its own
 * match data. Confidence reflects certainty: a full explicit date is near
 * 1, a bare hour without am/pm is low, and anything in the text that
 * looks temporal but no pattern explained (a number, "every", "until")
 * caps the temporal fields below the thresholds, so tier 2 decides them.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/assemble.h"
#include "engine/clean.h"
#include "engine/lexicon.h"
#include "engine/resolve.h"
#include "engine/tier.h"
#include "engine/utf8.h"

enum pattern_id {
	PAT_ISO_DATE,
	PAT_NUMERIC_DATE,
	PAT_MONTH_DAY,
	PAT_DAY_MONTH,
	PAT_RELATIVE_DAY,
	PAT_WEEKDAY,
	PAT_TIME_RANGE,
	PAT_CLOCK_MERIDIEM,
	PAT_CLOCK_24H,
	PAT_NOON,
	PAT_BARE_HOUR,
	PAT_LOCATION,
	PAT_PLACE_TAIL,
	PAT_ATTENDEES,
	PAT_LEFTOVER,
	PAT_REQUEST,
	PAT_COUNT
};

#define MONTHS "(january|february|march|april|may|june|july|august|september|october|" \
	"november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
#define MERIDIEM "([ap])\\.?\\s?m\\b\\.?"
/* Month and weekday names, which never start a place or a person's name
 * in these patterns ("with Arjun Thursday", "at Balthazar Thursday"). */
#define NAMED_DAYS "(?i:january|february|march|april|may|june|july|august|september|october|" \
	"november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|monday|tuesday|" \
	"wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu|thurs?|fri|sat|sun)\\b"
#define MONTH_NAMES "(?i:january|february|march|april|may|june|july|august|september|" \
	"october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\b"

static const char *const sources[PAT_COUNT] = {
	[PAT_ISO_DATE] = "\\b(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[T ](\\d{1,2}):(\\d{2}))?\\b",
	[PAT_NUMERIC_DATE] = "(?<![\\d/.$])(\\d{1,2})/(\\d{1,2})(?:/(\\d{4}|\\d{2}))?(?![\\d/])",
	[PAT_MONTH_DAY] = "\\b" MONTHS "\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?",
	[PAT_DAY_MONTH] = "\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?" MONTHS "\\b\\.?(?:,?\\s+(\\d{4})\\b)?",
	[PAT_RELATIVE_DAY] = "\\b(the\\s+day\\s+after\\s+tomorrow|today|tonight|tonite|tomorrow|tmrw|"
			     "tmr|2morrow|tommorow|tomorow|yesterday)\\b",
	[PAT_WEEKDAY] = "\\b(?:(this|next|coming)\\s+)?(monday|tuesday|wednesday|thursday|friday|"
			"saturday|sunday|mon|tues|tue|weds|wed|thurs|thur|thu|fri|sat|sun)\\b",
	[PAT_TIME_RANGE] = "(?:\\bfrom\\s+|\\bbetween\\s+)?\\b(\\d{1,2})(?::(\\d{2}))?\\s*(?:([ap])\\.?\\s?m\\b\\.?)?"
			   "\\s*(?:-|–|to|until|till|and)\\s*(\\d{1,2})(?::(\\d{2}))?\\s*" MERIDIEM,
	[PAT_CLOCK_MERIDIEM] = "\\b(\\d{1,2})(?::(\\d{2}))?\\s*" MERIDIEM,
	[PAT_CLOCK_24H] = "\\b([01]?\\d|2[0-3]):([0-5]\\d)\\b(?!\\s*[ap]\\.?\\s?m\\b)",
	[PAT_NOON] = "\\b(noon|midday|midnight)\\b",
	[PAT_BARE_HOUR] = "(?:\\bat|@)\\s*(\\d{1,2})\\b(?![:.]\\d)(?!\\s*[ap]\\.?\\s?m\\b)",
	[PAT_LOCATION] = "(?:\\b(?:on|via|over)[ \\t]+(Zoom|Google Meet|Teams|Skype|Webex|FaceTime|Hangouts)\\b|"
			 "(?:\\b(?:at|in)|@)[ \\t]+((?:the[ \\t]+)?(?!" NAMED_DAYS ")\\p{Lu}[\\w'’&-]*"
			 "(?:[ \\t]+(?:(?!" NAMED_DAYS ")\\p{Lu}[\\w'’&-]*|(?:of|de|la|des|du)\\b|"
			 "(?:office|room|hall|building|center|centre|campus|park|garden|station)\\b|"
			 "\\d+[A-Za-z]?\\b(?![ \\t]+" MONTH_NAMES ")(?![/:.]\\d)))*))",
	/* A lower-case word right after a matched place may still belong to
	 * it ("at Main St clinic"); words that start the next phrase do not. */
	[PAT_PLACE_TAIL] = "\\G[ \\t]+(?!(?:at|on|in|for|with|to|from|and|or|by|about|before|after|"
			   "until|till|tomorrow|today|tonight|this|next|every|each|then|re|"
			   "regarding|please|around|between)\\b)\\p{Ll}",
	[PAT_ATTENDEES] = "\\bwith[ \\t]+((?!" NAMED_DAYS ")\\p{Lu}\\w+(?:[ \\t]+(?!" NAMED_DAYS ")\\p{Lu}\\w+)?"
			  "(?:(?:[ \\t]*,[ \\t]*(?:and[ \\t]+)?|[ \\t]+and[ \\t]+|[ \\t]*&[ \\t]*)"
			  "(?!" NAMED_DAYS ")\\p{Lu}\\w+(?:[ \\t]+(?!" NAMED_DAYS ")\\p{Lu}\\w+)?)*)",
	[PAT_LEFTOVER] = "(?i)\\b(\\w*\\d\\w*|every|each|daily|weekly|monthly|yearly|until|till|through|"
			 "from|between|for|ago|later|week|weeks|month|months|year|years|day|days|hours?|"
			 "minutes?|mins?|morning|afternoon|evening|night|weekend|quarter|half|o'?clock|"
			 "last|next|first|second|third|fourth|end|eod|noon|midnight|christmas|"
			 "thanksgiving|easter|holiday|one|two|three|four|five|six|seven|eight|nine|"
			 "ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|[ap]\\.?m|tonight|"
			 "today|tomorrow|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
			 "tenth|eleventh|twelfth|\\w+teenth|twentieth|thirtieth|[A-Z]{2,4}T|ET|PT|"
			 "CT|MT|UTC|GMT|time|weekday|weekdays|now|this|\\w+ish|nxt|2nite|tonite|\\w+days?|"
			 "mon|tues?|weds?|thu|thurs?|fri|sat|sun|good|black|xmas|nye|eve|valentines?|halloween|"
			 "independence|memorial|labou?r|mothers?|fathers?|presidents?|eom|wknd|weekend|"
			 "fortnight|tmr|tmrw|tomorow|tommorow|eod|asap|pacific|eastern|central|mountain|"
			 "remind|reminder|" MONTHS ")\\b",
	[PAT_REQUEST] = "(?i)^\\s*(?:(?:please|pls|hey|hi|ok|so|can we|could we|can you|could you|"
			"let'?s|remind me to|remind me about|remind me|don'?t forget to|i need to|"
			"need to|we should|schedule|book|add|set up|set a reminder(?: to| for)?|"
			"reminder:?)\\s+)+",
};

/* Patterns matched with case folding; the location and attendee patterns
 * need capital letters to find names. */
static const bool caseless[PAT_COUNT] = {
	[PAT_ISO_DATE] = true, [PAT_NUMERIC_DATE] = true, [PAT_MONTH_DAY] = true,
	[PAT_DAY_MONTH] = true, [PAT_RELATIVE_DAY] = true, [PAT_WEEKDAY] = true,
	[PAT_TIME_RANGE] = true, [PAT_CLOCK_MERIDIEM] = true, [PAT_CLOCK_24H] = true,
	[PAT_NOON] = true, [PAT_BARE_HOUR] = true, [PAT_LEFTOVER] = true, [PAT_REQUEST] = true,
};

struct regex_state {
	pcre2_code *code[PAT_COUNT];
};

#define MAX_SPANS 64

struct span {
	size_t start;
	size_t end;
	struct mention m;
};

struct regex_scratch {
	pcre2_match_data *match;
	struct token_list tokens;
	struct grammar_item items[MAX_SPANS];
	bool used[MAX_SPANS];
	struct span spans[MAX_SPANS];
	size_t span_count;
};

static const char *regex_backend(const struct cascade_config *cfg)
{
	(void)cfg;
	return "pcre2";
}

static void regex_unload(void *state)
{
	struct regex_state *s = state;

	if (!s)
		return;
	for (int i = 0; i < PAT_COUNT; i++)
		pcre2_code_free(s->code[i]);
	free(s);
}

static int regex_load(const struct cascade_config *cfg, void **state, char *err, size_t err_size)
{
	struct regex_state *s = calloc(1, sizeof *s);

	(void)cfg;
	if (!s) {
		snprintf(err, err_size, "out of memory compiling the regex tier");
		return -1;
	}
	for (int i = 0; i < PAT_COUNT; i++) {
		int code;
		PCRE2_SIZE offset;
		uint32_t options = PCRE2_UTF | PCRE2_UCP | (caseless[i] ? PCRE2_CASELESS : 0);

		s->code[i] = pcre2_compile((PCRE2_SPTR)sources[i], PCRE2_ZERO_TERMINATED, options,
					   &code, &offset, NULL);
		if (!s->code[i]) {
			PCRE2_UCHAR message[160];

			pcre2_get_error_message(code, message, sizeof message);
			snprintf(err, err_size, "regex pattern %d does not compile at offset %zu: %s",
				 i, (size_t)offset, (const char *)message);
			regex_unload(s);
			return -1;
		}
		/* JIT is an optimisation: without it (an unsupported CPU) the
		 * interpreter gives the same matches. */
		pcre2_jit_compile(s->code[i], PCRE2_JIT_COMPLETE);
	}
	*state = s;
	return 0;
}

static void *regex_worker_new(void *state)
{
	struct regex_scratch *s = calloc(1, sizeof *s);

	(void)state;
	if (!s)
		return NULL;
	s->match = pcre2_match_data_create(16, NULL);
	if (!s->match || token_list_init(&s->tokens) < 0) {
		pcre2_match_data_free(s->match);
		free(s);
		return NULL;
	}
	return s;
}

static void regex_worker_free(void *scratch)
{
	struct regex_scratch *s = scratch;

	if (!s)
		return;
	pcre2_match_data_free(s->match);
	token_list_free(&s->tokens);
	free(s);
}

struct matcher {
	const struct regex_state *state;
	struct regex_scratch *scratch;
	const char *text;
	size_t len;
	struct cal_datetime ref;
	bool day_first;
	bool has_place_word;    /* at, in, @, on, from: a place may be unmatched */
	bool has_people_word;   /* with, meet: people may be unmatched */
	bool place_cut;         /* the place matched may end too early */
};

/* Runs one pattern from `offset`; returns the capture count, or 0 when
 * nothing matches. */
static int run(struct matcher *mt, enum pattern_id id, size_t offset)
{
	int rc = pcre2_match(mt->state->code[id], (PCRE2_SPTR)mt->text, mt->len, offset, 0,
			     mt->scratch->match, NULL);

	return rc > 0 ? rc : 0;
}

static PCRE2_SIZE *ovector(struct matcher *mt)
{
	return pcre2_get_ovector_pointer(mt->scratch->match);
}

/* Capture group g as a number, or -1 when it did not take part. */
static int group_number(struct matcher *mt, int rc, int g)
{
	PCRE2_SIZE *ov = ovector(mt);
	int v = 0;

	if (g >= rc || ov[2 * g] == PCRE2_UNSET)
		return -1;
	for (PCRE2_SIZE i = ov[2 * g]; i < ov[2 * g + 1]; i++) {
		if (mt->text[i] < '0' || mt->text[i] > '9')
			return -1;
		v = v * 10 + (mt->text[i] - '0');
	}
	return v;
}

static bool group_present(struct matcher *mt, int rc, int g)
{
	return g < rc && ovector(mt)[2 * g] != PCRE2_UNSET;
}

static char group_first_char(struct matcher *mt, int rc, int g)
{
	char c;

	if (!group_present(mt, rc, g))
		return 0;
	c = mt->text[ovector(mt)[2 * g]];
	return (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
}

static const struct lex_entry *group_word(struct matcher *mt, int rc, int g)
{
	PCRE2_SIZE *ov = ovector(mt);

	if (!group_present(mt, rc, g))
		return NULL;
	return lexicon_find_ci(mt->text + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

static bool overlaps(const struct regex_scratch *s, size_t start, size_t end)
{
	for (size_t i = 0; i < s->span_count; i++)
		if (start < s->spans[i].end && s->spans[i].start < end)
			return true;
	return false;
}

static struct mention *add_span(struct regex_scratch *s, size_t start, size_t end, float confidence)
{
	struct span *sp;

	if (s->span_count >= MAX_SPANS || overlaps(s, start, end))
		return NULL;
	sp = &s->spans[s->span_count++];
	memset(sp, 0, sizeof *sp);
	sp->start = start;
	sp->end = end;
	sp->m.kind = MENTION_POINT;
	sp->m.confidence = confidence;
	return &sp->m;
}

/* Scans one pattern over the whole text, calling `take` on each match. */
static void scan(struct matcher *mt, enum pattern_id id,
		 bool (*take)(struct matcher *mt, int rc, size_t start, size_t end))
{
	size_t offset = 0;

	while (offset < mt->len) {
		int rc = run(mt, id, offset);
		PCRE2_SIZE *ov;

		if (!rc)
			break;
		ov = ovector(mt);
		take(mt, rc, ov[0], ov[1]);
		offset = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
}

static bool set_clock(struct time_value *t, int hour, int minute, char meridiem)
{
	if (minute < 0)
		minute = 0;
	if (minute > 59)
		return false;
	t->kind = TIME_CLOCK;
	t->minute = minute;
	t->has_minute = true;
	if (meridiem) {
		if (hour < 1 || hour > 12)
			return false;
		t->meridiem = meridiem == 'p' ? MER_PM : MER_AM;
		t->hour = meridiem == 'p' ? (hour % 12) + 12 : hour % 12;
		t->fixed = true;
		return true;
	}
	if (hour > 23)
		return false;
	t->hour = hour;
	t->fixed = hour == 0 || hour >= 13;
	return true;
}

/* Whether the word after `end` (past blanks) is in one of the lexicon's
 * classes. */
static bool word_after_has(struct matcher *mt, size_t end, uint32_t classes)
{
	size_t i = end, start;
	const struct lex_entry *e;

	while (i < mt->len && (mt->text[i] == ' ' || mt->text[i] == '\t'))
		i++;
	start = i;
	while (i < mt->len && ((mt->text[i] | 0x20) >= 'a' && (mt->text[i] | 0x20) <= 'z'))
		i++;
	if (i == start)
		return false;
	e = lexicon_find_ci(mt->text + start, i - start);
	return e && (e->classes & classes);
}

static bool take_iso(struct matcher *mt, int rc, size_t start, size_t end)
{
	struct cal_date d = { group_number(mt, rc, 1), group_number(mt, rc, 2), group_number(mt, rc, 3) };
	struct mention *m;

	if (!cal_date_valid(d) || !(m = add_span(mt->scratch, start, end, 0.97f)))
		return false;
	m->date.kind = DATE_DAY;
	m->date.day = d;
	m->date.year_explicit = true;
	if (group_present(mt, rc, 4) && !set_clock(&m->time, group_number(mt, rc, 4), group_number(mt, rc, 5), 0))
		m->time.kind = TIME_NONE;
	return true;
}

static bool take_numeric(struct matcher *mt, int rc, size_t start, size_t end)
{
	int a = group_number(mt, rc, 1), b = group_number(mt, rc, 2);
	int year = group_number(mt, rc, 3);
	PCRE2_SIZE *ov = ovector(mt);
	int digits = group_present(mt, rc, 3) ? (int)(ov[7] - ov[6]) : 0;
	struct date_value d;
	struct mention *m;

	/* "24/7 support" and "3/4 cup" are not dates. */
	if (a == 24 && b == 7 && year < 0)
		return false;
	if (year < 0 && word_after_has(mt, end, LEX_MEASURE | LEX_UNIT))
		return false;
	if (!resolve_numeric_date(mt->ref.date, a, b, year, digits, mt->day_first, &d))
		return false;
	/* Month and day could swap: less certain unless the locale settles it. */
	m = add_span(mt->scratch, start, end, a <= 12 && b <= 12 && a != b ? 0.8f : 0.9f);
	if (!m)
		return false;
	m->date = d;
	return true;
}

/* "Feb 30": a day the month does not have. The assembler then gives no
 * date or time for the event. */
static bool mark_impossible(struct matcher *mt, int day, size_t start, size_t end)
{
	struct mention *m;

	if (day < 1 || day > 31 || !(m = add_span(mt->scratch, start, end, 0.3f)))
		return false;
	m->kind = MENTION_IMPOSSIBLE;
	return true;
}

/* A month name and a day, in either order, with an optional year. */
static bool take_named_date(struct matcher *mt, const struct lex_entry *month, int day, int year,
			    size_t start, size_t end)
{
	struct date_value d;
	struct mention *m;

	if (!month || !(month->classes & LEX_MONTH))
		return false;
	if (!resolve_explicit_date(mt->ref.date, year > 0 ? year : 0, month->month, day, &d))
		return mark_impossible(mt, day, start, end);
	m = add_span(mt->scratch, start, end, 0.95f);
	if (!m)
		return false;
	m->date = d;
	return true;
}

static bool take_month_day(struct matcher *mt, int rc, size_t start, size_t end)
{
	return take_named_date(mt, group_word(mt, rc, 1), group_number(mt, rc, 2),
			       group_number(mt, rc, 3), start, end);
}

static bool take_day_month(struct matcher *mt, int rc, size_t start, size_t end)
{
	return take_named_date(mt, group_word(mt, rc, 2), group_number(mt, rc, 1),
			       group_number(mt, rc, 3), start, end);
}

static bool take_relative_day(struct matcher *mt, int rc, size_t start, size_t end)
{
	const struct lex_entry *word = group_word(mt, rc, 1);
	struct mention *m = add_span(mt->scratch, start, end, 0.95f);

	if (!m)
		return false;
	if (!word) {
		/* "the day after tomorrow" */
		m->date.kind = DATE_DAY;
		m->date.day = cal_add_days(mt->ref.date, 2);
	} else if (word->classes & LEX_PART) {
		m->time.kind = TIME_PART;
		m->time.part = PART_TONIGHT;
	} else {
		m->date.kind = DATE_DAY;
		m->date.day = cal_add_days(mt->ref.date, word->number);
	}
	return true;
}

/* Weekday abbreviations that are English words. */
static bool is_word_too(const char *name)
{
	return strncasecmp(name, "sun", 3) == 0 || strncasecmp(name, "sat", 3) == 0 ||
	       strncasecmp(name, "wed", 3) == 0;
}

/* Whether a number (or "@") follows `end`, past blanks and a comma. */
static bool digit_after(struct matcher *mt, size_t end)
{
	size_t i = end;

	while (i < mt->len && (mt->text[i] == ' ' || mt->text[i] == '\t' || mt->text[i] == ','))
		i++;
	return i < mt->len && ((mt->text[i] >= '0' && mt->text[i] <= '9') || mt->text[i] == '@');
}

static bool take_weekday(struct matcher *mt, int rc, size_t start, size_t end)
{
	const struct lex_entry *wd = group_word(mt, rc, 2);
	char rel = group_first_char(mt, rc, 1);
	struct mention *m;

	if (!wd || !(wd->classes & LEX_WEEKDAY))
		return false;
	/* Short names ("sun", "wed") read as weekdays only when capitalised or
	 * after this/next; the rule tier judges the rest. */
	if ((wd->classes & LEX_ABBREV) && !rel && !(mt->text[ovector(mt)[4]] >= 'A' &&
						    mt->text[ovector(mt)[4]] <= 'Z'))
		return false;
	/* "Sun", "Sat" and "Wed" are also words ("Sun protection tips", "Sat
	 * down with Bob"): without a number after them, the word is left over
	 * and tier 2 judges. */
	if ((wd->classes & LEX_ABBREV) && !rel && is_word_too(mt->text + ovector(mt)[4]) &&
	    !digit_after(mt, end))
		return false;
	m = add_span(mt->scratch, start, end, rel == 'n' ? 0.85f : 0.9f);
	if (!m)
		return false;
	m->date.weekday = wd->weekday;
	m->date.weekday_named = true;
	if (rel == 'n') {
		m->date.kind = DATE_DAY;
		m->date.day = resolve_next_weekday(mt->ref.date, wd->weekday);
	} else {
		m->date.kind = DATE_WEEKDAY;
	}
	return true;
}

static bool take_time_range(struct matcher *mt, int rc, size_t start, size_t end)
{
	struct mention m = { .kind = MENTION_RANGE, .confidence = 0.9f };
	char start_meridiem = group_first_char(mt, rc, 3);
	char end_meridiem = group_first_char(mt, rc, 6);
	struct mention *slot;

	if (!set_clock(&m.time2, group_number(mt, rc, 4), group_number(mt, rc, 5), end_meridiem))
		return false;
	if (start_meridiem) {
		if (!set_clock(&m.time, group_number(mt, rc, 1), group_number(mt, rc, 2), start_meridiem))
			return false;
	} else {
		/* The end's meridiem carries to the start when that keeps it first. */
		if (!set_clock(&m.time, group_number(mt, rc, 1), group_number(mt, rc, 2), end_meridiem))
			return false;
		if (m.time.hour * 60 + m.time.minute >= m.time2.hour * 60 + m.time2.minute) {
			if (!set_clock(&m.time, group_number(mt, rc, 1), group_number(mt, rc, 2), 0))
				return false;
			m.confidence = 0.7f;
		}
	}
	slot = add_span(mt->scratch, start, end, m.confidence);
	if (!slot)
		return false;
	*slot = m;
	return true;
}

static bool take_clock_meridiem(struct matcher *mt, int rc, size_t start, size_t end)
{
	struct mention *m = add_span(mt->scratch, start, end, 0.95f);

	if (!m)
		return false;
	if (!set_clock(&m->time, group_number(mt, rc, 1), group_number(mt, rc, 2),
		       group_first_char(mt, rc, 3))) {
		mt->scratch->span_count--;
		return false;
	}
	m->time.has_minute = group_present(mt, rc, 2);
	return true;
}

static bool take_clock_24h(struct matcher *mt, int rc, size_t start, size_t end)
{
	struct mention *m = add_span(mt->scratch, start, end, 0.85f);

	if (!m)
		return false;
	set_clock(&m->time, group_number(mt, rc, 1), group_number(mt, rc, 2), 0);
	if (!m->time.fixed)
		m->confidence = 0.7f;
	return true;
}

static bool take_noon(struct matcher *mt, int rc, size_t start, size_t end)
{
	struct mention *m = add_span(mt->scratch, start, end, 0.95f);
	/* "midnight" against "midday" and "noon": the fourth letter. */
	bool midnight = end - start == 8 && (mt->text[start + 3] | 0x20) == 'n';

	(void)rc;
	if (!m)
		return false;
	m->time.kind = TIME_CLOCK;
	m->time.hour = midnight ? 0 : 12;
	m->time.fixed = true;
	m->time.part = midnight ? PART_MIDNIGHT : PART_NOON;
	return true;
}

static bool take_bare_hour(struct matcher *mt, int rc, size_t start, size_t end)
{
	struct mention *m;
	int hour = group_number(mt, rc, 1);

	if (hour < 1 || hour > 12)
		return false;
	m = add_span(mt->scratch, start, end, 0.55f);
	if (!m)
		return false;
	set_clock(&m->time, hour, 0, 0);
	m->time.has_minute = false;
	return true;
}

/* Blanks a connector word ("at", "on", "@", "by", "due") written right
 * before a used span, so the title does not keep it. */
static void blank_connector_before(const struct matcher *mt, bool *blank, size_t start)
{
	static const char *const words[] = { "at", "on", "@", "by", "from", "due", "this", "for", NULL };

	/* At most two: "due on 7/21". */
	for (int pass = 0; pass < 2; pass++) {
		size_t end = start, begin;
		bool found = false;

		while (end > 0 && (mt->text[end - 1] == ' ' || mt->text[end - 1] == '\t'))
			end--;
		begin = end;
		while (begin > 0 && mt->text[begin - 1] != ' ' && mt->text[begin - 1] != '\t' &&
		       mt->text[begin - 1] != '\n')
			begin--;
		for (int i = 0; words[i] && !found; i++) {
			if (strlen(words[i]) == end - begin &&
			    strncasecmp(words[i], mt->text + begin, end - begin) == 0) {
				for (size_t k = begin; k < end; k++)
					blank[k] = true;
				found = true;
			}
		}
		if (!found)
			return;
		start = begin;
	}
}

/* Maps byte spans to token indices so the assembler can report which
 * parts of the text it used. */
static void spans_to_items(struct regex_scratch *s)
{
	size_t t = 0;

	for (size_t i = 0; i < s->span_count; i++) {
		struct span *sp = &s->spans[i];
		struct grammar_item *it = &s->items[i];

		it->is_mention = true;
		it->mention = sp->m;
		it->first = -1;
		it->last = -1;
		for (t = 0; t < s->tokens.count; t++) {
			const struct token *tok = &s->tokens.tokens[t];

			if (tok->end <= sp->start || tok->start >= sp->end)
				continue;
			if (it->first < 0)
				it->first = (int)t;
			it->last = (int)t;
		}
		if (it->first < 0)
			it->first = it->last = 0;
	}
}

/* Order spans by position: the assembler prefers earlier mentions on ties. */
static int compare_spans(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static void copy_clean(char *dst, size_t size, const char *src, size_t len)
{
	size_t n = 0;
	bool space = false;

	for (size_t i = 0; i < len && n + 1 < size;) {
		size_t next = i;
		uint32_t cp = utf8_next(src, len, &next);

		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
			space = n > 0;
		} else if (!utf8_is_emoji(cp)) {
			if (space && n + 1 < size)
				dst[n++] = ' ';
			space = false;
			for (size_t k = i; k < next && n + 1 < size; k++)
				dst[n++] = src[k];
		}
		i = next;
	}
	dst[n] = '\0';
}

static bool is_edge_word(const char *w, size_t n, bool leading)
{
	static const char *const lead[] = { "the", "a", "an", "our", "my", "to", "at", "on", "@", NULL };
	static const char *const trail[] = { "on", "at", "in", "for", "from", "by", "to", "and",
					     "this", "next", "with", "the", "until", "@", NULL };
	const char *const *list = leading ? lead : trail;

	for (int i = 0; list[i]; i++)
		if (strlen(list[i]) == n && strncasecmp(list[i], w, n) == 0)
			return true;
	return false;
}

/* The title: the text with every matched span blanked out, request
 * wording and edge words removed. */
static void regex_title(struct matcher *mt, const bool *blank, struct event *ev)
{
	char buffer[EVENT_TITLE_MAX * 2];
	char *p;
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < mt->len && n + 1 < sizeof buffer; i++)
		buffer[n++] = blank[i] ? ' ' : mt->text[i];
	buffer[n] = '\0';
	copy_clean(buffer, sizeof buffer, buffer, n);
	n = strlen(buffer);

	rc = pcre2_match(mt->state->code[PAT_REQUEST], (PCRE2_SPTR)buffer, n, 0, 0, mt->scratch->match, NULL);
	p = buffer;
	if (rc > 0)
		p += ovector(mt)[1];

	for (;;) {
		size_t len = strlen(p), w = 0;
		char *last;

		while (*p == ' ' || *p == ',' || *p == '-' || *p == ':' || *p == '.' || *p == ';')
			p++;
		while (p[w] && p[w] != ' ')
			w++;
		if (w && is_edge_word(p, w, true)) {
			p += w;
			continue;
		}
		len = strlen(p);
		while (len && strchr(" ,-:.!?;", p[len - 1]))
			p[--len] = '\0';
		last = strrchr(p, ' ');
		last = last ? last + 1 : p;
		if (*last && last != p && is_edge_word(last, strlen(last), false)) {
			*last = '\0';
			continue;
		}
		break;
	}
	if (*p == '\0') {
		ev->confidence[FIELD_TITLE] = 0.5f;
		return;
	}
	event_copy_clean(ev->title, sizeof ev->title, p, strlen(p));
	event_set_has(ev, FIELD_TITLE, true);
	/* Request wording may wrap the task around the date ("remind me at 5
	 * to call Ana"), which only tier 2 takes apart. */
	ev->confidence[FIELD_TITLE] = rc > 0 ? 0.6f : 0.8f;
}

static void regex_location(struct matcher *mt, bool *blank, struct event *ev)
{
	int rc = run(mt, PAT_LOCATION, 0);
	PCRE2_SIZE *ov;
	size_t from, to, match_start, match_end;
	bool online;

	ev->confidence[FIELD_LOCATION] = mt->has_place_word ? 0.5f : 0.85f;
	if (!rc)
		return;
	ov = ovector(mt);
	/* Group 1 is an online place, group 2 a place after at/in/@. */
	online = ov[2] != PCRE2_UNSET;
	from = online ? ov[2] : ov[4];
	to = online ? ov[3] : ov[5];
	match_start = ov[0];
	match_end = ov[1];
	/* A lower-case "the" is not part of the place. */
	if (to - from > 4 && strncmp(mt->text + from, "the ", 4) == 0)
		from += 4;
	event_copy_clean(ev->location, sizeof ev->location, mt->text + from, to - from);
	event_set_has(ev, FIELD_LOCATION, true);
	ev->confidence[FIELD_LOCATION] = 0.85f;
	if (!online && run(mt, PAT_PLACE_TAIL, match_end)) {
		/* The place may go on: tier 2 reads lower-case place nouns. */
		ev->confidence[FIELD_LOCATION] = 0.6f;
		mt->place_cut = true;
	}
	for (size_t i = match_start; i < match_end; i++)
		blank[i] = true;
}

static void regex_attendees(struct matcher *mt, struct event *ev)
{
	int rc = run(mt, PAT_ATTENDEES, 0);
	PCRE2_SIZE *ov;
	size_t i, end;

	ev->confidence[FIELD_ATTENDEES] = mt->has_people_word ? 0.5f : 0.85f;
	if (!rc)
		return;
	ov = ovector(mt);
	i = ov[2];
	end = ov[3];
	while (i < end) {
		size_t j = i;

		while (j < end && mt->text[j] != ',' && mt->text[j] != '&' &&
		       !(j + 5 <= end && strncmp(mt->text + j, " and ", 5) == 0))
			j++;
		/* ", and Elena": skip the "and" after a comma. */
		if (j > i && i + 4 <= end && strncmp(mt->text + i, "and ", 4) == 0)
			i += 4;
		{
			size_t a = i, b = j;

			while (a < b && mt->text[a] == ' ')
				a++;
			while (b > a && mt->text[b - 1] == ' ')
				b--;
			if (b > a)
				event_add_attendee(ev, mt->text + a, b - a);
		}
		i = j + (j + 5 <= end && strncmp(mt->text + j, " and ", 5) == 0 ? 5 : 1);
	}
	if (ev->attendee_count > 0) {
		event_set_has(ev, FIELD_ATTENDEES, true);
		ev->confidence[FIELD_ATTENDEES] = 0.85f;
	}
}

static enum parse_status regex_extract(void *state, void *scratch, const struct parse_input *in,
				       const struct tier_request *request, struct tier_trace *trace)
{
	struct regex_scratch *s = scratch;
	struct event *out = &trace->answer;
	struct matcher mt;
	struct assemble_input assembly;
	bool blank[PARSE_TEXT_MAX];
	bool suspicious = false;
	size_t offset = 0;

	(void)request;
	if (!s) {
		snprintf(trace->error, sizeof trace->error, "out of memory for the regex tier's "
			 "scratch space");
		return PARSE_TIER_FAILED;
	}
	event_init(out);
	mt.state = state;
	mt.scratch = s;
	mt.text = in->text;
	mt.len = clean_focus_length(in->text, in->len);
	mt.ref = in->ref;
	mt.day_first = in->locale == LOCALE_EN_GB;
	s->span_count = 0;

	/* Longer forms first, so a range claims its times before they match alone. */
	scan(&mt, PAT_ISO_DATE, take_iso);
	scan(&mt, PAT_MONTH_DAY, take_month_day);
	scan(&mt, PAT_DAY_MONTH, take_day_month);
	scan(&mt, PAT_NUMERIC_DATE, take_numeric);
	scan(&mt, PAT_TIME_RANGE, take_time_range);
	scan(&mt, PAT_CLOCK_MERIDIEM, take_clock_meridiem);
	scan(&mt, PAT_CLOCK_24H, take_clock_24h);
	scan(&mt, PAT_NOON, take_noon);
	scan(&mt, PAT_RELATIVE_DAY, take_relative_day);
	scan(&mt, PAT_WEEKDAY, take_weekday);
	scan(&mt, PAT_BARE_HOUR, take_bare_hour);
	qsort(s->spans, s->span_count, sizeof s->spans[0], compare_spans);

	tokenize(in->text, mt.len, &s->tokens);
	spans_to_items(s);
	memset(s->used, 0, sizeof s->used);
	assembly.items = s->items;
	assembly.count = s->span_count;
	assembly.tokens = s->tokens.tokens;
	assembly.token_count = s->tokens.count;
	assembly.ref = in->ref;
	assembly.evening = false;
	mt.has_place_word = false;
	mt.place_cut = false;
	mt.has_people_word = false;
	for (size_t i = 0; i < s->tokens.count; i++) {
		const struct token *t = &s->tokens.tokens[i];

		if (token_is(t, "tonight") || token_is(t, "dinner") || token_is(t, "night") ||
		    token_is(t, "evening") || token_is(t, "supper"))
			assembly.evening = true;
		if (token_is(t, "with") || token_is(t, "meet"))
			mt.has_people_word = true;
	}
	assemble_event(&assembly, out, s->used);

	/* Blank out what the event used, then look for temporal words that no
	 * pattern explained. */
	memset(blank, 0, mt.len);
	for (size_t i = 0; i < s->span_count; i++) {
		if (!s->used[i])
			continue;
		for (size_t k = s->spans[i].start; k < s->spans[i].end; k++)
			blank[k] = true;
		blank_connector_before(&mt, blank, s->spans[i].start);
	}
	while (offset < mt.len && !suspicious) {
		int rc = pcre2_match(mt.state->code[PAT_LEFTOVER], (PCRE2_SPTR)mt.text, mt.len, offset, 0,
				     s->match, NULL);
		PCRE2_SIZE *ov;

		if (rc <= 0)
			break;
		ov = ovector(&mt);
		if (!blank[ov[0]])
			suspicious = true;
		offset = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	for (size_t i = 0; i < s->span_count; i++)
		if (!s->used[i] && s->items[i].mention.kind == MENTION_POINT)
			suspicious = true;

	/* A preposition or number outside the matched dates may start a place
	 * the location pattern cannot read (a lower-case one, an address). */
	for (size_t i = 0; i < s->tokens.count; i++) {
		const struct token *t = &s->tokens.tokens[i];
		const struct token *next = i + 1 < s->tokens.count ? &s->tokens.tokens[i + 1] : NULL;
		bool preposition = token_is(t, "at") || token_is(t, "in") || token_is_punct(t, '@') ||
				   token_is(t, "from");

		if (blank[t->start])
			continue;
		/* "at 3pm": the preposition belongs to the time. */
		if (preposition && next && blank[next->start])
			continue;
		if (preposition || token_is(t, "zoom") || token_is(t, "teams") || token_is(t, "booked") ||
		    token_is(t, "reserved") || t->kind == TOK_NUM)
			mt.has_place_word = true;
	}
	if (suspicious) {
		/* Something temporal is left unexplained: let tier 2 decide. */
		static const enum field temporal[] = {
			FIELD_START, FIELD_END, FIELD_DURATION, FIELD_ALL_DAY, FIELD_RECURRENCE
		};

		for (size_t i = 0; i < sizeof temporal / sizeof temporal[0]; i++)
			if (out->confidence[temporal[i]] > 0.5f)
				out->confidence[temporal[i]] = 0.5f;
	}

	regex_location(&mt, blank, out);
	regex_attendees(&mt, out);
	regex_title(&mt, blank, out);
	/* An unexplained place word ("on Zoom", "from the groomer") may still be
	 * sitting in the title. */
	if ((suspicious || mt.place_cut || (mt.has_place_word && !event_has(out, FIELD_LOCATION))) &&
	    out->confidence[FIELD_TITLE] > 0.6f)
		out->confidence[FIELD_TITLE] = 0.6f;
	return PARSE_OK;
}

const struct tier_ops tier_regex_ops = {
	TIER_REGEX, regex_backend, regex_load, regex_unload, regex_worker_new, regex_worker_free,
	regex_extract
};
