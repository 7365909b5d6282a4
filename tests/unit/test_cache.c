/*
 * The L1 result cache: get and put, least-recently-used eviction, a
 * capacity of 0, key normalisation, and the cache as the cascade uses it
 * (a repeated text hits, another reference day or zone misses).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/cache.h"
#include "engine/cascade.h"

static struct event titled(const char *title)
{
	struct event ev;

	event_init(&ev);
	snprintf(ev.title, sizeof ev.title, "%s", title);
	event_set_has(&ev, FIELD_TITLE, true);
	return ev;
}

/* Whether key is cached. On a hit it also checks the stored title, and
 * the get refreshes the entry's recency. */
static bool cached(struct cache *cache, const char *key, const char *title)
{
	struct event out;

	event_init(&out);
	if (!cache_get(cache, key, &out))
		return false;
	assert_string_equal(out.title, title);
	return true;
}

static void test_cache_get_put(void **state)
{
	struct cache *cache = cache_new(4);
	struct event ev = titled("Lunch");
	struct event out;

	(void)state;
	assert_non_null(cache);
	assert_int_equal(cache_size(cache), 0);
	assert_false(cache_get(cache, "lunch", &out));

	cache_put(cache, "lunch", &ev);
	assert_int_equal(cache_size(cache), 1);
	event_init(&out);
	assert_true(cache_get(cache, "lunch", &out));
	assert_string_equal(out.title, "Lunch");
	assert_true(event_has(&out, FIELD_TITLE));
	assert_false(cache_get(cache, "Lunch", &out));
	assert_false(cache_get(cache, "lunc", &out));
	cache_free(cache);
}

static void test_cache_put_replaces(void **state)
{
	struct cache *cache = cache_new(4);
	struct event first = titled("First");
	struct event second = titled("Second");

	(void)state;
	cache_put(cache, "k", &first);
	cache_put(cache, "k", &second);
	assert_int_equal(cache_size(cache), 1);
	assert_true(cached(cache, "k", "Second"));
	cache_free(cache);
}

static void test_cache_put_copies(void **state)
{
	struct cache *cache = cache_new(2);
	struct event ev = titled("Before");

	(void)state;

	/* The cache keeps its own copy, so changing the caller's event after
	 * the put changes nothing. */
	cache_put(cache, "k", &ev);
	snprintf(ev.title, sizeof ev.title, "After");
	assert_true(cached(cache, "k", "Before"));
	cache_free(cache);
}

static void test_cache_lru_evicts_oldest(void **state)
{
	struct cache *cache = cache_new(3);
	struct event a = titled("A");
	struct event b = titled("B");
	struct event c = titled("C");
	struct event d = titled("D");

	(void)state;
	cache_put(cache, "a", &a);
	cache_put(cache, "b", &b);
	cache_put(cache, "c", &c);
	cache_put(cache, "d", &d);
	assert_int_equal(cache_size(cache), 3);
	assert_false(cached(cache, "a", "A"));
	assert_true(cached(cache, "b", "B"));
	assert_true(cached(cache, "c", "C"));
	assert_true(cached(cache, "d", "D"));
	cache_free(cache);
}

static void test_cache_lru_get_refreshes(void **state)
{
	struct cache *cache = cache_new(3);
	struct event a = titled("A");
	struct event b = titled("B");
	struct event c = titled("C");
	struct event d = titled("D");
	struct event e = titled("E");

	(void)state;
	cache_put(cache, "a", &a);
	cache_put(cache, "b", &b);
	cache_put(cache, "c", &c);

	/* Reading "a" makes "b" the least recently used. */
	assert_true(cached(cache, "a", "A"));
	cache_put(cache, "d", &d);
	assert_false(cached(cache, "b", "B"));

	/* Recency is now c, a, d from the oldest: "e" evicts "c". */
	cache_put(cache, "e", &e);
	assert_false(cached(cache, "c", "C"));
	assert_true(cached(cache, "a", "A"));
	assert_true(cached(cache, "d", "D"));
	assert_true(cached(cache, "e", "E"));
	cache_free(cache);
}

static void test_cache_lru_put_refreshes(void **state)
{
	struct cache *cache = cache_new(3);
	struct event a = titled("A");
	struct event b = titled("B");
	struct event c = titled("C");
	struct event d = titled("D");

	(void)state;
	cache_put(cache, "a", &a);
	cache_put(cache, "b", &b);
	cache_put(cache, "c", &c);

	/* Writing "a" again makes it the newest. */
	cache_put(cache, "a", &a);
	cache_put(cache, "d", &d);
	assert_false(cached(cache, "b", "B"));
	assert_true(cached(cache, "a", "A"));
	assert_true(cached(cache, "c", "C"));
	assert_true(cached(cache, "d", "D"));
	cache_free(cache);
}

static void test_cache_capacity_one(void **state)
{
	struct cache *cache = cache_new(1);
	struct event a = titled("A");
	struct event b = titled("B");

	(void)state;
	cache_put(cache, "a", &a);
	cache_put(cache, "b", &b);
	assert_int_equal(cache_size(cache), 1);
	assert_false(cached(cache, "a", "A"));
	assert_true(cached(cache, "b", "B"));
	cache_put(cache, "a", &a);
	assert_false(cached(cache, "b", "B"));
	assert_true(cached(cache, "a", "A"));
	cache_free(cache);
}

static void test_cache_many_keys(void **state)
{
	enum { CAPACITY = 50, KEYS = 500 };
	struct cache *cache = cache_new(CAPACITY);

	(void)state;

	/* Ten times the capacity: every eviction must unlink the entry from
	 * its hash bucket, or stale keys would still be found. */
	for (int i = 0; i < KEYS; i++) {
		char key[32];
		char title[32];
		struct event ev;

		snprintf(key, sizeof key, "key-%d", i);
		snprintf(title, sizeof title, "Title %d", i);
		ev = titled(title);
		cache_put(cache, key, &ev);
	}
	assert_int_equal(cache_size(cache), CAPACITY);
	for (int i = 0; i < KEYS; i++) {
		char key[32];
		char title[32];

		snprintf(key, sizeof key, "key-%d", i);
		snprintf(title, sizeof title, "Title %d", i);
		if (cached(cache, key, title) != (i >= KEYS - CAPACITY))
			fail_msg("%s: cached is %d, expected %d", key, !(i >= KEYS - CAPACITY),
				 i >= KEYS - CAPACITY);
	}
	cache_free(cache);
}

static void test_cache_capacity_zero(void **state)
{
	struct cache *cache = cache_new(0);
	struct event ev = titled("Lunch");
	struct event out;

	(void)state;
	assert_non_null(cache);
	cache_put(cache, "lunch", &ev);
	assert_false(cache_get(cache, "lunch", &out));
	assert_int_equal(cache_size(cache), 0);
	cache_free(cache);
}

static void test_cache_key_too_long(void **state)
{
	struct cache *cache = cache_new(2);
	struct event ev = titled("Long");
	char key[CACHE_KEY_MAX + 1];

	(void)state;

	/* A key of CACHE_KEY_MAX bytes does not fit with its terminator and is
	 * not stored, but one byte less is. */
	memset(key, 'k', sizeof key);
	key[CACHE_KEY_MAX] = '\0';
	cache_put(cache, key, &ev);
	assert_int_equal(cache_size(cache), 0);

	key[CACHE_KEY_MAX - 1] = '\0';
	cache_put(cache, key, &ev);
	assert_int_equal(cache_size(cache), 1);
	assert_true(cached(cache, key, "Long"));
	cache_free(cache);
}

static void test_cache_free_null(void **state)
{
	(void)state;
	cache_free(NULL);
}

/* Normalises text and checks the result and its length. */
#define assert_normalised(text, expected)                                          \
	do {                                                                       \
		char out_[128];                                                    \
		size_t n_ = cache_normalise_text(text, strlen(text), out_, sizeof out_); \
		assert_string_equal(out_, expected);                               \
		assert_int_equal(n_, strlen(expected));                            \
	} while (0)

static void test_cache_normalise_case_and_space(void **state)
{
	(void)state;
	assert_normalised("Lunch  With\tSARAH", "lunch with sarah");
	assert_normalised("  leading and trailing  ", "leading and trailing");
	assert_normalised("line one\r\nline two\n", "line one line two");
	assert_normalised(" \t\n\r\f\v", "");
	assert_normalised("", "");
}

static void test_cache_normalise_punctuation(void **state)
{
	(void)state;

	/* ':' '/' '-' are kept because they make times, dates and ranges. */
	assert_normalised("Meet @ 3:30, ok?", "meet 3:30 ok");
	assert_normalised("12/05/2026 2026-12-05 10:30-11:00", "12/05/2026 2026-12-05 10:30-11:00");
	assert_normalised("Dr. Smith's (office)!", "dr smiths office");
	assert_normalised("Lunch!!! Friday...", "lunch friday");
	assert_normalised("Q&A; \"sync\"", "qa sync");
}

static void test_cache_normalise_meridiem(void **state)
{
	(void)state;
	assert_normalised("9 a.m. tomorrow", "9 am tomorrow");
	assert_normalised("9 P.M.", "9 pm");
	assert_normalised("9a.m. sharp", "9am sharp");
	assert_normalised("9 a.m tomorrow", "9 am tomorrow");
	assert_normalised("a.m. meeting", "am meeting");
	assert_normalised("at 5 p.m., then", "at 5 pm then");
}

static void test_cache_normalise_utf8_kept(void **state)
{
	(void)state;

	/* Bytes of non-ASCII characters pass through unchanged. */
	assert_normalised("Caf\xC3\xA9 Rio", "caf\xC3\xA9 rio");
	assert_normalised("Party \xF0\x9F\x8E\x89 tonight", "party \xF0\x9F\x8E\x89 tonight");
}

static void test_cache_normalise_bounds(void **state)
{
	char out[8];

	(void)state;

	/* len bounds the input, size the output. */
	assert_int_equal(cache_normalise_text("Lunch tomorrow", 5, out, sizeof out), 5);
	assert_string_equal(out, "lunch");
	assert_int_equal(cache_normalise_text("Lunch with Sarah", 16, out, 6), 5);
	assert_string_equal(out, "lunch");
	assert_int_equal(cache_normalise_text("Lunch with Sarah", 16, out, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(cache_normalise_text("Lunch", 5, out, 0), 0);
}

/* A cascade with the balanced preset and a cache of `entries` events,
 * with the results of up to two parses. Teardown frees everything, also
 * after a failed assert. */
struct fixture {
	int entries;
	struct cascade *cascade;
	struct cascade_worker *worker;
	struct parse_result *first;
	struct parse_result *second;
};

static int fixture_setup(void **state)
{
	static const int default_entries = 500;
	const int *entries = *state ? *state : &default_entries;
	struct fixture *f = calloc(1, sizeof *f);
	struct cascade_config cfg;
	char err[256] = "";

	if (!f)
		return -1;
	*state = f;
	f->entries = *entries;
	if (config_preset(&cfg, "balanced", err, sizeof err) != 0)
		return -1;
	cfg.llm_backend = LLM_OFF;
	cfg.cache_l1_entries = f->entries;
	f->cascade = cascade_new(&cfg, err, sizeof err);
	if (!f->cascade)
		return -1;
	f->worker = cascade_worker_new(f->cascade, err, sizeof err);
	f->first = malloc(sizeof *f->first);
	f->second = malloc(sizeof *f->second);
	return f->worker && f->first && f->second ? 0 : -1;
}

static int fixture_teardown(void **state)
{
	struct fixture *f = *state;

	free(f->first);
	free(f->second);
	cascade_worker_free(f->worker);
	cascade_free(f->cascade);
	free(f);
	return 0;
}

static void parse_at(struct fixture *f, const char *text, struct cal_datetime ref,
		     const char *tz, struct parse_result *out)
{
	struct parse_input in = { text, strlen(text), ref, tz, LOCALE_EN_US };

	assert_int_equal(cascade_parse(f->worker, &in, out), PARSE_OK);
}

static const struct cal_datetime friday_10am = { { 2026, 12, 4 }, 10, 0, 0 };
static const struct cal_datetime saturday_10am = { { 2026, 12, 5 }, 10, 0, 0 };

static void assert_same_event(const struct event *a, const struct event *b)
{
	assert_int_equal(a->has, b->has);
	for (int f = 0; f < FIELD_COUNT; f++) {
		char x[512];
		char y[512];

		event_format_field(a, (enum field)f, x, sizeof x);
		event_format_field(b, (enum field)f, y, sizeof y);
		assert_string_equal(x, y);
		assert_true(a->confidence[f] == b->confidence[f]);
		assert_int_equal(a->tier[f], b->tier[f]);
	}
}

static void test_cache_cascade_repeat_hits(void **state)
{
	struct fixture *f = *state;
	const char *text = "Lunch with Sarah next Friday at noon at Cafe Rio";

	parse_at(f, text, friday_10am, NULL, f->first);
	parse_at(f, text, friday_10am, NULL, f->second);
	assert_false(f->first->cache_hit);
	assert_true(f->second->cache_hit);
	assert_same_event(&f->first->event, &f->second->event);
}

static void test_cache_cascade_normalised_hit(void **state)
{
	struct fixture *f = *state;

	parse_at(f, "Dentist tomorrow at 3 p.m.", friday_10am, NULL, f->first);
	parse_at(f, "  dentist TOMORROW at 3 pm!", friday_10am, NULL, f->second);
	assert_false(f->first->cache_hit);
	assert_true(f->second->cache_hit);
}

static void test_cache_cascade_other_day_misses(void **state)
{
	struct fixture *f = *state;
	char start[64];

	parse_at(f, "Dentist tomorrow 3pm", friday_10am, NULL, f->first);
	parse_at(f, "Dentist tomorrow 3pm", saturday_10am, NULL, f->second);
	assert_false(f->second->cache_hit);

	/* "tomorrow" follows the reference day. */
	event_format_field(&f->first->event, FIELD_START, start, sizeof start);
	assert_string_equal(start, "2026-12-05T15:00");
	event_format_field(&f->second->event, FIELD_START, start, sizeof start);
	assert_string_equal(start, "2026-12-06T15:00");
}

static void test_cache_cascade_other_zone_misses(void **state)
{
	struct fixture *f = *state;

	parse_at(f, "Dentist tomorrow 3pm", friday_10am, NULL, f->first);
	parse_at(f, "Dentist tomorrow 3pm", friday_10am, "America/New_York", f->second);
	assert_false(f->first->cache_hit);
	assert_false(f->second->cache_hit);
}

static void test_cache_cascade_disabled(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->entries, 0);
	parse_at(f, "Dentist tomorrow 3pm", friday_10am, NULL, f->first);
	parse_at(f, "Dentist tomorrow 3pm", friday_10am, NULL, f->second);
	assert_false(f->first->cache_hit);
	assert_false(f->second->cache_hit);
	assert_same_event(&f->first->event, &f->second->event);
}

static void test_cache_cascade_evicts(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->entries, 1);
	parse_at(f, "Dentist tomorrow 3pm", friday_10am, NULL, f->first);
	parse_at(f, "Lunch on Monday at noon", friday_10am, NULL, f->first);
	parse_at(f, "Dentist tomorrow 3pm", friday_10am, NULL, f->second);
	assert_false(f->second->cache_hit);
}

/* Two texts of more than CACHE_KEY_MAX bytes that differ only at the end. */
static void test_cache_cascade_long_texts_differ(void **state)
{
	static const char padding[] = "please bring the quarterly report and the budget figures. ";
	struct fixture *f = *state;
	char monday[1024] = "Notes: ";
	char friday[1024];
	char start[64];

	for (int i = 0; i < 9; i++)
		strcat(monday, padding);
	strcpy(friday, monday);
	strcat(monday, "Meeting on Monday at 3pm");
	strcat(friday, "Meeting on Friday at 3pm");

	parse_at(f, monday, friday_10am, NULL, f->first);
	parse_at(f, friday, friday_10am, NULL, f->second);
	event_format_field(&f->first->event, FIELD_START, start, sizeof start);
	assert_string_equal(start, "2026-12-07T15:00");

	/* The key hashes the whole text, so the Friday text misses the cache.
	 * Said on Friday at 10:00, a bare "Friday at 3pm" is today. */
	assert_false(f->second->cache_hit);
	event_format_field(&f->second->event, FIELD_START, start, sizeof start);
	assert_string_equal(start, "2026-12-04T15:00");
}

int main(void)
{
	static const int no_entries = 0;
	static const int one_entry = 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_get_put),
		cmocka_unit_test(test_cache_put_replaces),
		cmocka_unit_test(test_cache_put_copies),
		cmocka_unit_test(test_cache_lru_evicts_oldest),
		cmocka_unit_test(test_cache_lru_get_refreshes),
		cmocka_unit_test(test_cache_lru_put_refreshes),
		cmocka_unit_test(test_cache_capacity_one),
		cmocka_unit_test(test_cache_many_keys),
		cmocka_unit_test(test_cache_capacity_zero),
		cmocka_unit_test(test_cache_key_too_long),
		cmocka_unit_test(test_cache_free_null),
		cmocka_unit_test(test_cache_normalise_case_and_space),
		cmocka_unit_test(test_cache_normalise_punctuation),
		cmocka_unit_test(test_cache_normalise_meridiem),
		cmocka_unit_test(test_cache_normalise_utf8_kept),
		cmocka_unit_test(test_cache_normalise_bounds),
		cmocka_unit_test_setup_teardown(test_cache_cascade_repeat_hits, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cache_cascade_normalised_hit, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cache_cascade_other_day_misses, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cache_cascade_other_zone_misses, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_prestate_setup_teardown(test_cache_cascade_disabled, fixture_setup,
							 fixture_teardown, (void *)&no_entries),
		cmocka_unit_test_prestate_setup_teardown(test_cache_cascade_evicts, fixture_setup,
							 fixture_teardown, (void *)&one_entry),
		cmocka_unit_test_setup_teardown(test_cache_cascade_long_texts_differ, fixture_setup,
						fixture_teardown),
	};

	return cmocka_run_group_tests_name("cache", tests, NULL, NULL);
}
