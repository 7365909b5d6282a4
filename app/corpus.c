/*
 * The corpus loader. The file (up to CORPUS_FILE_MAX) is read in chunks,
 * hashed with SHA-256 as it goes, split into lines of at most
 * CORPUS_LINE_MAX bytes, and each line is decoded with jansson and checked
 * key by key. Every problem of a line is reported as "file:line: message"
 * and the line is skipped; only an unreadable file stops the load. A
 * longer line is reported with its length and skipped without being held
 * in memory.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/corpus.h"
#include "app/idmap.h"
#include "app/jsonfile.h"
#include "app/sha256.h"
#include "app/timeref.h"
#include "engine/utf8.h"

#define LINE_MESSAGE_MAX 512

struct loader {
	const char *path;
	corpus_error_fn on_error;
	void *context;
	struct corpus *corpus;
	size_t capacity;   /* cases allocated */
	struct idmap *ids;     /* id to the line that first used it */
	/* Zones already found in the tz database, so each distinct name costs
	 * one file read rather than one per case; keys are owned by zone_names. */
	struct idmap *zones;
	char **zone_names;
	size_t zone_count;
	int line;
};

static const char *const case_keys[] = {
	"id", "text", "ref", "tz", "locale", "expect", "tags", "source", NULL
};

__attribute__((format(printf, 2, 3)))
static void report(struct loader *ld, const char *fmt, ...)
{
	char message[LINE_MESSAGE_MAX];
	char line[LINE_MESSAGE_MAX + 1100];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	snprintf(line, sizeof line, "%s:%d: %s", ld->path, ld->line, message);
	ld->corpus->bad_lines++;
	if (ld->on_error)
		ld->on_error(ld->context, line);
}

bool corpus_parse_ref(const char *s, struct cal_datetime *out)
{
	struct when w;

	if (!when_parse(s, &w) || w.precision == WHEN_DATE || w.has_offset)
		return false;
	*out = w.t;
	return true;
}

static void free_case(struct corpus_case *c)
{
	free(c->id);
	free(c->text);
	free(c->tz);
	for (size_t i = 0; i < c->tag_count; i++)
		free(c->tags[i]);
	free(c->tags);
	free(c->source);
}

void corpus_free(struct corpus *corpus)
{
	if (!corpus)
		return;
	for (size_t i = 0; i < corpus->count; i++)
		free_case(&corpus->cases[i]);
	free(corpus->cases);
	free(corpus->path);
	free(corpus);
}

/* Copies an expected string into a fixed event buffer. A value that does
 * not fit is an error, because cutting it would change what is scored. */
static bool expect_text(struct loader *ld, const char *key, const json_t *v, char *dst,
			size_t size)
{
	size_t len;

	if (!json_is_string(v)) {
		report(ld, "expect.%s must be a string or null, found %s", key, jsonfile_type_name(v));
		return false;
	}
	len = json_string_length(v);
	if (len >= size) {
		report(ld, "expect.%s is %zu bytes, above the %zu-byte limit: shorten it", key, len,
		       size - 1);
		return false;
	}
	memcpy(dst, json_string_value(v), len + 1);
	return true;
}

static bool expect_when(struct loader *ld, const char *key, const json_t *v, struct when *out)
{
	if (!json_is_string(v)) {
		report(ld, "expect.%s must be a string or null, found %s", key, jsonfile_type_name(v));
		return false;
	}
	if (!when_parse(json_string_value(v), out)) {
		report(ld, "invalid expect.%s \"%.64s\": write a real date and time as YYYY-MM-DD, "
		       "YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS, with a UTC offset such as +02:00 "
		       "only where the text names a zone", key, json_string_value(v));
		return false;
	}
	return true;
}

static bool expect_attendees(struct loader *ld, const json_t *v, struct event *ev)
{
	size_t i;
	json_t *name;

	if (!json_is_array(v)) {
		report(ld, "expect.attendees must be an array of strings or null, found %s",
		       jsonfile_type_name(v));
		return false;
	}
	if (json_array_size(v) > EVENT_ATTENDEES_MAX) {
		report(ld, "expect.attendees has %zu names, above the limit of %d", json_array_size(v),
		       EVENT_ATTENDEES_MAX);
		return false;
	}
	json_array_foreach(v, i, name) {
		if (!json_is_string(name) || json_string_length(name) == 0) {
			report(ld, "expect.attendees[%zu] must be a non-empty string, found %s", i,
			       json_is_string(name) ? "an empty string" : jsonfile_type_name(name));
			return false;
		}
		if (json_string_length(name) >= EVENT_NAME_MAX) {
			report(ld, "expect.attendees[%zu] is %zu bytes, above the %d-byte limit", i,
			       json_string_length(name), EVENT_NAME_MAX - 1);
			return false;
		}
		event_add_attendee(ev, json_string_value(name), json_string_length(name));
	}
	return true;
}

/* Decodes one expected value into the case's event. */
static bool expect_field(struct loader *ld, enum field f, const json_t *v, struct event *ev)
{
	const char *key = field_name(f);

	switch (f) {
	case FIELD_TITLE:
		return expect_text(ld, key, v, ev->title, sizeof ev->title);
	case FIELD_LOCATION:
		return expect_text(ld, key, v, ev->location, sizeof ev->location);
	case FIELD_RECURRENCE:
		return expect_text(ld, key, v, ev->recurrence, sizeof ev->recurrence);
	case FIELD_START:
		return expect_when(ld, key, v, &ev->start);
	case FIELD_END:
		return expect_when(ld, key, v, &ev->end);
	case FIELD_DURATION:
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 1000000000) {
			report(ld, "expect.duration_min must be a whole number of minutes from 0 to "
			       "1000000000, or null");
			return false;
		}
		ev->duration_min = (int)json_integer_value(v);
		return true;
	case FIELD_ALL_DAY:
		if (!json_is_boolean(v)) {
			report(ld, "expect.all_day must be true, false or null, found %s",
			       jsonfile_type_name(v));
			return false;
		}
		ev->all_day = json_is_true(v);
		return true;
	case FIELD_ATTENDEES:
		return expect_attendees(ld, v, ev);
	case FIELD_COUNT:
		break;
	}
	return false;
}

static bool load_expect(struct loader *ld, const json_t *expect, struct corpus_case *c)
{
	const char *key;
	json_t *v;

	if (!json_is_object(expect)) {
		report(ld, "\"expect\" must be an object, found %s", jsonfile_type_name(expect));
		return false;
	}
	event_init(&c->expect);
	json_object_foreach((json_t *)expect, key, v) {
		int f = field_from_name(key);

		if (f < 0) {
			report(ld, "unknown key \"%.64s\" in expect: use title, start, end, "
			       "duration_min, all_day, location, attendees or recurrence", key);
			return false;
		}
		c->expected |= 1u << f;
		if (json_is_null(v)) {
			c->expect_null |= 1u << f;
			continue;
		}
		if (!expect_field(ld, (enum field)f, v, &c->expect))
			return false;
		event_set_has(&c->expect, (enum field)f, true);
	}
	return true;
}

static bool load_tags(struct loader *ld, const json_t *tags, struct corpus_case *c)
{
	size_t i;
	json_t *tag;

	if (!json_is_array(tags)) {
		report(ld, "\"tags\" must be an array of strings, found %s", jsonfile_type_name(tags));
		return false;
	}
	json_array_foreach(tags, i, tag) {
		if (!json_is_string(tag) || json_string_length(tag) == 0) {
			report(ld, "tags[%zu] must be a non-empty string, found %s", i,
			       json_is_string(tag) ? "an empty string" : jsonfile_type_name(tag));
			return false;
		}
	}
	c->tags = calloc(json_array_size(tags) ? json_array_size(tags) : 1, sizeof *c->tags);
	if (!c->tags)
		return false;
	json_array_foreach(tags, i, tag) {
		c->tags[i] = strdup(json_string_value(tag));
		if (!c->tags[i])
			return false;
		c->tag_count++;
	}
	return true;
}

/* Returns the member `key` when it is a string, else reports and returns
 * NULL. `required` reports a missing key; an optional one returns NULL
 * without a report, with *missing set. */
static const json_t *get_string(struct loader *ld, const json_t *obj, const char *key,
				bool required, bool *missing)
{
	const json_t *v = json_object_get(obj, key);

	*missing = v == NULL;
	if (!v) {
		if (required)
			report(ld, "missing required key \"%s\"", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		report(ld, "\"%s\" must be a string, found %s", key, jsonfile_type_name(v));
		return NULL;
	}
	return v;
}

static bool check_keys(struct loader *ld, const json_t *obj)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		bool known = false;

		for (int i = 0; case_keys[i] && !known; i++)
			known = strcmp(case_keys[i], key) == 0;
		if (!known) {
			report(ld, "unknown key \"%.64s\": a case accepts id, text, ref, tz, locale, "
			       "expect, tags and source", key);
			return false;
		}
	}
	return true;
}

static bool load_identity(struct loader *ld, const json_t *obj, struct corpus_case *c)
{
	bool missing;
	const json_t *id = get_string(ld, obj, "id", true, &missing);
	const json_t *text;
	const json_t *ref;
	int first;

	if (!id)
		return false;
	if (json_string_length(id) == 0 || json_string_length(id) >= CORPUS_ID_MAX) {
		report(ld, "\"id\" must be 1 to %d bytes long, found %zu", CORPUS_ID_MAX - 1,
		       json_string_length(id));
		return false;
	}
	first = (int)idmap_get(ld->ids, json_string_value(id));
	if (first > 0) {
		report(ld, "duplicate id \"%s\" (first used on line %d): give each case its own id",
		       json_string_value(id), first);
		return false;
	}

	text = get_string(ld, obj, "text", true, &missing);
	if (!text)
		return false;
	if (!utf8_valid(json_string_value(text), json_string_length(text), NULL)) {
		report(ld, "\"text\" is not valid UTF-8: re-encode the file as UTF-8");
		return false;
	}

	ref = get_string(ld, obj, "ref", true, &missing);
	if (!ref)
		return false;
	if (!corpus_parse_ref(json_string_value(ref), &c->ref)) {
		report(ld, "invalid ref \"%.64s\": write a real local date and time as "
		       "YYYY-MM-DDTHH:MM:SS, without a UTC offset", json_string_value(ref));
		return false;
	}

	c->id = strdup(json_string_value(id));
	c->text_len = json_string_length(text);
	c->text = malloc(c->text_len + 1);
	if (c->text)
		memcpy(c->text, json_string_value(text), c->text_len + 1);
	return c->id && c->text;
}

static bool zone_known(struct loader *ld, const char *zone, char *message, size_t size)
{
	char **names;

	if (idmap_get(ld->zones, zone) >= 0)
		return true;
	if (!timeref_zone_valid(zone, message, size))
		return false;
	names = realloc(ld->zone_names, (ld->zone_count + 1) * sizeof *names);
	if (!names)
		return true;
	ld->zone_names = names;
	names[ld->zone_count] = strdup(zone);
	if (names[ld->zone_count] && idmap_put(ld->zones, names[ld->zone_count], 1) == 0)
		ld->zone_count++;
	else
		free(names[ld->zone_count]);
	return true;
}

static bool load_options(struct loader *ld, const json_t *obj, struct corpus_case *c)
{
	bool missing;
	const json_t *tz = get_string(ld, obj, "tz", false, &missing);
	const json_t *locale;
	const json_t *source;
	const json_t *tags;
	char message[256];

	if (!tz && !missing)
		return false;
	if (tz && !zone_known(ld, json_string_value(tz), message, sizeof message)) {
		report(ld, "%s", message);
		return false;
	}
	c->tz = strdup(tz ? json_string_value(tz) : "UTC");

	c->locale = LOCALE_EN_US;
	locale = get_string(ld, obj, "locale", false, &missing);
	if (!locale && !missing)
		return false;
	if (locale) {
		if (strcmp(json_string_value(locale), "en-GB") == 0) {
			c->locale = LOCALE_EN_GB;
		} else if (strcmp(json_string_value(locale), "en-US") != 0) {
			report(ld, "invalid locale \"%.32s\": use en-US (month first) or en-GB "
			       "(day first)", json_string_value(locale));
			return false;
		}
	}

	source = get_string(ld, obj, "source", false, &missing);
	if (!source && !missing)
		return false;
	if (source)
		c->source = strdup(json_string_value(source));

	tags = json_object_get(obj, "tags");
	if (tags && !load_tags(ld, tags, c))
		return false;
	return c->tz && (!source || c->source);
}

/* Decodes one non-blank line into a new case; reports and returns false
 * when the line is bad. */
static bool load_line(struct loader *ld, const char *line, size_t len)
{
	struct corpus *corpus = ld->corpus;
	struct corpus_case c;
	json_error_t jerr;
	json_t *obj;
	size_t bad = 0;
	bool ok;

	if (!utf8_valid(line, len, &bad)) {
		report(ld, "the line is not valid UTF-8 (byte 0x%02X at column %zu): re-encode the "
		       "file as UTF-8", (unsigned char)line[bad], bad + 1);
		return false;
	}
	obj = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!obj) {
		report(ld, "invalid JSON at column %d: %s", jerr.column, jerr.text);
		return false;
	}
	if (!json_is_object(obj)) {
		report(ld, "a case must be a JSON object, found %s", jsonfile_type_name(obj));
		json_decref(obj);
		return false;
	}

	memset(&c, 0, sizeof c);
	c.line = ld->line;
	ok = check_keys(ld, obj) && load_identity(ld, obj, &c);
	if (ok && !json_object_get(obj, "expect")) {
		report(ld, "missing required key \"expect\"");
		ok = false;
	}
	ok = ok && load_expect(ld, json_object_get(obj, "expect"), &c) &&
	     load_options(ld, obj, &c);
	json_decref(obj);
	if (!ok) {
		free_case(&c);
		return false;
	}

	if (corpus->count == ld->capacity) {
		size_t capacity = ld->capacity ? ld->capacity * 2 : 256;
		struct corpus_case *cases = realloc(corpus->cases, capacity * sizeof *cases);

		if (!cases) {
			report(ld, "out of memory after %zu cases", corpus->count);
			free_case(&c);
			return false;
		}
		corpus->cases = cases;
		ld->capacity = capacity;
	}
	/* The map keeps a pointer to the case's own copy of the id. */
	if (idmap_put(ld->ids, c.id, c.line) < 0) {
		report(ld, "out of memory after %zu cases", corpus->count);
		free_case(&c);
		return false;
	}
	corpus->cases[corpus->count++] = c;
	return true;
}

/* Reads a corpus file in chunks, hashing every byte, and hands it out line
 * by line, so memory stays bounded by the chunk and CORPUS_LINE_MAX
 * whatever the lines are. */
struct line_reader {
	FILE *f;
	struct sha256_ctx sha;
	size_t pos, end;           /* unread bytes of chunk */
	char chunk[1 << 16];
};

/* Reads the next line without its '\n'. Its first `max` bytes go to buf,
 * *kept is how many, *total how long the line really is. Returns 1 for a
 * line, 0 at the end of the file, -1 on a read error (errno set). */
static int next_line(struct line_reader *r, char *buf, size_t max, size_t *kept, size_t *total)
{
	*kept = 0;
	*total = 0;
	for (;;) {
		const char *start, *nl;
		size_t n;

		if (r->pos == r->end) {
			n = fread(r->chunk, 1, sizeof r->chunk, r->f);
			if (n == 0 && ferror(r->f))
				return -1;
			if (n == 0)
				return *total > 0 ? 1 : 0;
			sha256_update(&r->sha, r->chunk, n);
			r->pos = 0;
			r->end = n;
		}
		start = r->chunk + r->pos;
		nl = memchr(start, '\n', r->end - r->pos);
		n = nl ? (size_t)(nl - start) : r->end - r->pos;
		if (*kept < max) {
			size_t copy = n < max - *kept ? n : max - *kept;

			memcpy(buf + *kept, start, copy);
			*kept += copy;
		}
		*total += n;
		r->pos += n;
		if (nl) {
			r->pos++;
			return 1;
		}
	}
}

/* Opens a regular file of at most CORPUS_FILE_MAX bytes for reading.
 * Returns NULL with a message in err. */
static FILE *open_corpus(const char *path, char *err, size_t err_size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	if (!f) {
		snprintf(err, err_size, "cannot open corpus %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			snprintf(err, err_size, "cannot read corpus %s: it is a folder, not a JSON Lines "
				 "file: pass --corpus with a file such as corpora/events.jsonl", path);
		else
			snprintf(err, err_size, "cannot read corpus %s: it is not a regular file", path);
		fclose(f);
		return NULL;
	}
	if ((uint64_t)st.st_size > CORPUS_FILE_MAX) {
		snprintf(err, err_size, "corpus %s is %lld bytes, above the %zu-byte limit: split it",
			 path, (long long)st.st_size, CORPUS_FILE_MAX);
		fclose(f);
		return NULL;
	}
	return f;
}

static bool is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* Loads every line of the reader; returns 0, or -1 on a read error. */
static int load_lines(struct loader *ld, struct line_reader *reader, char *line)
{
	size_t kept, total;
	int rc;

	while ((rc = next_line(reader, line, CORPUS_LINE_MAX, &kept, &total)) == 1) {
		const char *p = line;

		ld->line++;
		if (total > CORPUS_LINE_MAX) {
			report(ld, "the line is %zu bytes, above the %zu-byte limit of a corpus line: "
			       "shorten its text (the parser takes at most %d bytes) or split the line",
			       total, CORPUS_LINE_MAX, PARSE_TEXT_MAX);
			continue;
		}
		/* A byte order mark at the start is allowed and skipped. */
		if (ld->line == 1 && kept >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
			p += 3;
			kept -= 3;
		}
		if (kept > 0 && p[kept - 1] == '\r')
			kept--;
		if (!is_blank(p, kept))
			load_line(ld, p, kept);
	}
	return rc;
}

struct corpus *corpus_load(const char *path, corpus_error_fn on_error, void *context,
			   char *err, size_t err_size)
{
	struct loader ld;
	struct line_reader *reader = NULL;
	char *line = NULL;
	uint8_t digest[SHA256_DIGEST_SIZE];
	FILE *f = open_corpus(path, err, err_size);
	int rc;

	if (!f)
		return NULL;
	memset(&ld, 0, sizeof ld);
	ld.path = path;
	ld.on_error = on_error;
	ld.context = context;
	ld.corpus = calloc(1, sizeof *ld.corpus);
	ld.ids = idmap_new();
	ld.zones = idmap_new();
	reader = malloc(sizeof *reader);
	line = malloc(CORPUS_LINE_MAX + 1);
	if (!ld.corpus || !ld.ids || !ld.zones || !reader || !line ||
	    !(ld.corpus->path = strdup(path))) {
		snprintf(err, err_size, "out of memory loading corpus %s", path);
		if (ld.corpus)
			free(ld.corpus->path);
		free(ld.corpus);
		ld.corpus = NULL;
		goto out;
	}
	reader->f = f;
	reader->pos = reader->end = 0;
	sha256_init(&reader->sha);

	rc = load_lines(&ld, reader, line);
	if (rc < 0) {
		snprintf(err, err_size, "cannot read corpus %s: %s", path, strerror(errno));
		corpus_free(ld.corpus);
		ld.corpus = NULL;
		goto out;
	}
	sha256_final(&reader->sha, digest);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(ld.corpus->sha256 + 2 * i, 3, "%02x", digest[i]);
out:
	fclose(f);
	free(reader);
	free(line);
	idmap_free(ld.ids);
	idmap_free(ld.zones);
	for (size_t i = 0; i < ld.zone_count; i++)
		free(ld.zone_names[i]);
	free(ld.zone_names);
	return ld.corpus;
}
