/*
 * The History view: runs from the database, newest first, with accuracy
 * and p95 trends over the runs, and a comparison of two runs. Space marks
 * runs; c compares the two marked ones (one mark: with the selected run;
 * none: the selected run with the run before it). / searches the run ids,
 * presets, modes, states, start times and corpus names.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/compare.h"
#include "app/settings.h"
#include "views/format.h"
#include "views/lineedit.h"
#include "views/listsearch.h"
#include "views/session.h"
#include "views/view.h"

#define HISTORY_VIEW_LIMIT 1000
#define HISTORY_VIEW_REFRESH_MS 1000
#define HISTORY_VIEW_CHANGES_MAX 1000   /* changed cases listed in a comparison */

static struct {
	struct run_record *runs;   /* newest first, owned */
	size_t count;
	int64_t loaded_ms;
	char error[LIVE_ERROR_MAX];
	size_t cursor;
	size_t top;                /* first visible row */
	int64_t marked[2];         /* run ids, 0 when free */
	bool comparing;
	struct compare_result compare;
	int compare_scroll;
	int page_rows;             /* rows of the list or comparison last drawn */
	struct listsearch search;
} hist;

static bool run_at_matches(const struct session *s, size_t position, const char *query);

static int history_view_init(struct session *s, char *err, size_t err_size)
{
	(void)s;
	(void)err;
	(void)err_size;
	memset(&hist, 0, sizeof hist);
	listsearch_init(&hist.search, "run", run_at_matches);
	return 0;
}

static void history_view_free(void)
{
	free(hist.runs);
	if (hist.comparing)
		compare_result_free(&hist.compare);
	memset(&hist, 0, sizeof hist);
}

static void reload(struct session *s)
{
	struct history *h = live_history(&s->live);
	struct run_record *runs = NULL;
	size_t count = 0;
	int64_t selected = hist.cursor < hist.count ? hist.runs[hist.cursor].id : 0;

	hist.loaded_ms = s->now_ms;
	if (!h)
		return;
	if (history_list_runs(h, HISTORY_VIEW_LIMIT, &runs, &count, hist.error,
			      sizeof hist.error) != 0)
		return;
	hist.error[0] = '\0';
	free(hist.runs);
	hist.runs = runs;
	hist.count = count;

	/* On the newest run the cursor stays on top as new runs arrive;
	 * elsewhere it keeps to the run it was on. */
	if (hist.cursor == 0)
		return;
	hist.cursor = 0;
	for (size_t i = 0; i < count; i++)
		if (runs[i].id == selected)
			hist.cursor = i;
}

static void history_view_tick(struct session *s)
{
	if (s->now_ms - hist.loaded_ms >= HISTORY_VIEW_REFRESH_MS)
		reload(s);
}

static bool is_marked(int64_t id)
{
	return id != 0 && (hist.marked[0] == id || hist.marked[1] == id);
}

static void draw_trends(struct draw_rect area, int y)
{
	double accuracy[HISTORY_VIEW_LIMIT];
	double p95[HISTORY_VIEW_LIMIT];
	size_t n = hist.count;
	int half = (area.width - 30) / 2;

	/* Oldest first, so the trend reads left to right. */
	for (size_t i = 0; i < n; i++) {
		const struct run_record *r = &hist.runs[n - 1 - i];

		accuracy[i] = r->accuracy >= 0 ? r->accuracy : NAN;
		p95[i] = r->p95_us > 0 ? r->p95_us : NAN;
	}
	if (half < 8)
		half = 8;
	draw_text(y, area.x, 15, COLORS_DIM, "accuracy trend");
	draw_sparkline(y, area.x + 15, half, n > (size_t)half ? accuracy + n - (size_t)half :
		       accuracy, n > (size_t)half ? (size_t)half : n, 1.0, COLORS_OK);
	draw_text(y, area.x + 17 + half, 10, COLORS_DIM, "p95 trend");
	draw_sparkline(y, area.x + 27 + half, half, n > (size_t)half ? p95 + n - (size_t)half : p95,
		       n > (size_t)half ? (size_t)half : n, 0, COLORS_WARN);
}

/* Below this width the start time goes, so the corpus keeps room. */
#define HISTORY_VIEW_STARTED_WIDTH 100

static bool show_started(struct draw_rect area)
{
	return area.width >= HISTORY_VIEW_STARTED_WIDTH;
}

static int corpus_column(struct draw_rect area)
{
	return show_started(area) ? 88 : 70;
}

static void draw_run_row(struct session *s, struct draw_rect area, int y, size_t index)
{
	const struct run_record *r = &hist.runs[index];
	bool selected = index == hist.cursor;
	enum colors_role role = selected ? COLORS_SELECTION : COLORS_NORMAL;
	enum colors_role state_role = COLORS_BAD;
	char accuracy[32], p95[32], started[32], cases[48];
	bool shown = s->live.have_run && s->live.run.id == r->id;

	if (r->state == RUN_RUNNING || r->cancelled)
		state_role = COLORS_WARN;
	else if (r->state == RUN_COMPLETE)
		state_role = COLORS_OK;
	if (selected) {
		draw_fill(y, area.x, area.width, COLORS_SELECTION);
		state_role = COLORS_SELECTION;
	}
	format_count_pair(r->cases_done, r->cases_total, 11, cases, sizeof cases);
	draw_textf(y, area.x, 2, is_marked(r->id) ? COLORS_MARK : role, "%s",
		   is_marked(r->id) ? draw_glyph(DRAW_GLYPH_BULLET) : " ");
	draw_textf(y, area.x + 2, 7, role, "%5lld%s", (long long)r->id, shown ? "<" : " ");
	draw_text(y, area.x + 9, 11, state_role, format_run_state(r));
	draw_textf(y, area.x + 20, 12, role, "%s%s", r->preset,
		   settings_thresholds_custom(r->settings_json) ? "*" : "");
	draw_text(y, area.x + 32, 7, role, r->mode);
	draw_text(y, area.x + 39, 12, role, cases);
	draw_textf(y, area.x + 51, 8, role, "%7s", format_percent(r->accuracy, accuracy,
								   sizeof accuracy));
	draw_textf(y, area.x + 60, 9, role, "%8s", format_latency_us(r->p95_us > 0 ? r->p95_us : -1,
								    p95, sizeof p95));
	if (show_started(area))
		draw_text(y, area.x + 70, 17, role, format_time_ms(r->started_ms, started,
								     sizeof started));
	draw_text(y, area.x + corpus_column(area), area.width - corpus_column(area), role,
		  format_basename(r->corpus));
}

static void draw_list(struct session *s, struct draw_rect area)
{
	int y = area.y;
	int rows;

	if (!live_history(&s->live) && s->live.error[0]) {
		char text[LIVE_ERROR_MAX + 32];
		struct draw_rect box = { y, area.x, area.height, area.width };

		snprintf(text, sizeof text, "History not open: %s", s->live.error);
		draw_wrapped(box, COLORS_BAD, text, 0);
		return;
	}
	draw_textf(y++, area.x, area.width, COLORS_DIM, "%zu run%s in %s. Enter: show, Space: "
		   "mark, c: compare, f: follow newest", hist.count, hist.count == 1 ? "" : "s",
		   format_basename(s->db_path));
	if (hist.error[0])
		draw_textf(y - 1, area.x, area.width, COLORS_BAD, "History: %s", hist.error);
	draw_trends(area, y++);
	draw_text(y, area.x + 2, 7, COLORS_TITLE, "   id");
	draw_text(y, area.x + 9, 11, COLORS_TITLE, "state");
	draw_text(y, area.x + 20, 12, COLORS_TITLE, "preset");
	draw_text(y, area.x + 32, 7, COLORS_TITLE, "mode");
	draw_text(y, area.x + 39, 12, COLORS_TITLE, "cases");
	draw_text(y, area.x + 51, 8, COLORS_TITLE, "accuracy");
	draw_text(y, area.x + 60, 9, COLORS_TITLE, "     p95");
	if (show_started(area))
		draw_text(y, area.x + 70, 17, COLORS_TITLE, "started");
	draw_text(y, area.x + corpus_column(area), area.width - corpus_column(area), COLORS_TITLE,
		  "corpus");
	y++;

	rows = area.y + area.height - y - (hist.search.active ? 1 : 0);
	hist.page_rows = rows > 1 ? rows : 1;
	if (hist.search.active) {
		int prompt_y = area.y + area.height - 1;

		draw_text(prompt_y, area.x, 8, COLORS_TITLE, "Search: ");
		lineedit_draw(&hist.search.edit, prompt_y, area.x + 8, area.width - 8, true);
	}
	if (hist.count == 0) {
		draw_text(y, area.x, area.width, COLORS_DIM, s->live.db_missing ?
			  "No history database yet: runs appear here once one is recorded." :
			  "No runs yet.");
		return;
	}
	if (hist.cursor < hist.top)
		hist.top = hist.cursor;
	if (hist.cursor >= hist.top + (size_t)hist.page_rows)
		hist.top = hist.cursor - (size_t)hist.page_rows + 1;
	for (size_t i = hist.top; i < hist.count && i < hist.top + (size_t)hist.page_rows; i++, y++)
		draw_run_row(s, area, y, i);
}

static void comparison_line(struct draw_rows *page, const char *label, const char *a,
			 const char *b, const char *change, enum colors_role change_role)
{
	int y = draw_rows_next(page);
	int x = page->area.x;

	if (y < 0)
		return;
	draw_text(y, x, 16, COLORS_NORMAL, label);
	draw_textf(y, x + 16, 10, COLORS_NORMAL, "%9s", a);
	draw_textf(y, x + 26, 10, COLORS_NORMAL, "%9s", b);
	draw_text(y, x + 38, page->area.width - 38, change_role, change);
}

static void comparison_accuracy(struct draw_rows *page, const char *label, double a, double b)
{
	char text_a[32], text_b[32], change[48];
	enum colors_role role = COLORS_DIM;

	format_percent(a, text_a, sizeof text_a);
	format_percent(b, text_b, sizeof text_b);
	change[0] = '\0';
	if (a >= 0 && b >= 0) {
		double delta = (b - a) * 100;

		snprintf(change, sizeof change, "%+.1f pts", delta);
		if (delta > 0.05)
			role = COLORS_OK;
		else if (delta < -0.05)
			role = COLORS_BAD;
	}
	comparison_line(page, label, text_a, text_b, change, role);
}

static void comparison_latency(struct draw_rows *page, const char *label, double a, double b)
{
	char text_a[32], text_b[32], change[48];
	enum colors_role role = COLORS_DIM;

	format_latency_us(a, text_a, sizeof text_a);
	format_latency_us(b, text_b, sizeof text_b);
	change[0] = '\0';
	if (a > 0 && b >= 0) {
		double percent = (b - a) / a * 100;

		snprintf(change, sizeof change, "%+.0f%%", percent);
		if (percent < -5)
			role = COLORS_OK;
		else if (percent > 5)
			role = COLORS_BAD;
	}
	comparison_line(page, label, text_a, text_b, change, role);
}

static void heading(struct draw_rows *page, const char *a, const char *b, const char *title)
{
	int y = draw_rows_next(page);

	if (y < 0)
		return;
	draw_text(y, page->area.x, 16, COLORS_TITLE, title);
	draw_textf(y, page->area.x + 16, 10, COLORS_TITLE, "%9s", a);
	draw_textf(y, page->area.x + 26, 10, COLORS_TITLE, "%9s", b);
	draw_text(y, page->area.x + 38, 12, COLORS_TITLE, "change");
}

static void draw_change(struct draw_rows *page, const struct case_change *c)
{
	int y = draw_rows_next(page);
	int x = page->area.x + 2;
	enum colors_role role = c->kind == CHANGE_FIXED ? COLORS_OK :
				c->kind == CHANGE_BROKEN ? COLORS_BAD : COLORS_WARN;

	if (y < 0)
		return;
	x += draw_textf(y, x, 20, COLORS_NORMAL, "%-19s", c->case_id);
	x += draw_textf(y, x, 9, role, "%-8s", compare_kind_name(c->kind));

	/* Each field whose value changed: "start 2026-12-05T12:00 -> 2026-12-05" */
	for (int f = 0; f < FIELD_COUNT && x < page->area.x + page->area.width; f++) {
		if (!((c->fields >> f) & 1u))
			continue;
		x += draw_textf(y, x, page->area.width - (x - page->area.x), COLORS_DIM, " %s ",
				field_name((enum field)f));
		x += draw_textf(y, x, page->area.width - (x - page->area.x), COLORS_NORMAL, "%s %s %s;",
				c->before[f][0] ? c->before[f] : draw_glyph(DRAW_GLYPH_NONE),
				draw_glyph(DRAW_GLYPH_ARROW),
				c->after[f][0] ? c->after[f] : draw_glyph(DRAW_GLYPH_NONE));
	}
}

/* Lays out the comparison page; with a zero-height area it only counts
 * the page's rows. Returns the row count. */
static int comparison_page(struct draw_rect area, int scroll)
{
	const struct compare_result *c = &hist.compare;
	const struct run_figures *fa = &c->a;
	const struct run_figures *fb = &c->b;
	struct draw_rows page = { area, scroll, 0 };
	char a[32], b[32];
	int y;

	snprintf(a, sizeof a, "run %lld", (long long)fa->run.id);
	snprintf(b, sizeof b, "run %lld", (long long)fb->run.id);
	y = draw_rows_next(&page);
	if (y >= 0)
		draw_textf(y, area.x, area.width, COLORS_TITLE, "Esc: back. Run %lld (A, %s, %s) "
			   "against run %lld (B, %s, %s)", (long long)fa->run.id, fa->run.preset,
			   format_run_state(&fa->run), (long long)fb->run.id, fb->run.preset,
			   format_run_state(&fb->run));
	draw_rows_next(&page);
	heading(&page, a, b, "accuracy");
	comparison_accuracy(&page, "all fields", compare_accuracy(fa), compare_accuracy(fb));
	for (int f = 0; f < FIELD_COUNT; f++)
		comparison_accuracy(&page, field_name((enum field)f),
				      compare_field_accuracy(fa, (enum field)f),
				      compare_field_accuracy(fb, (enum field)f));
	draw_rows_next(&page);
	heading(&page, a, b, "p95 latency");
	for (int t = 0; t < TIER_COUNT; t++)
		comparison_latency(&page, tier_name((enum tier)t),
				fa->tier_calls[t] ? fa->tier_p95_us[t] : -1,
				fb->tier_calls[t] ? fb->tier_p95_us[t] : -1);
	comparison_latency(&page, "parse", fa->parse_p95_us, fb->parse_p95_us);
	draw_rows_next(&page);
	y = draw_rows_next(&page);
	if (y >= 0)
		draw_textf(y, area.x, area.width, COLORS_TITLE, "Cases whose result changed: %zu "
			   "(fixed %zu, broken %zu; only in A: %zu, only in B: %zu)%s", c->changed,
			   c->fixed, c->broken, c->only_in_a, c->only_in_b,
			   c->change_count < c->changed ? ", the first ones listed" : "");
	for (size_t i = 0; i < c->change_count; i++)
		draw_change(&page, &c->changes[i]);
	return page.row;
}

static void draw_comparison(struct draw_rect area)
{
	struct draw_rect counting = { area.y, area.x, 0, area.width };
	int rows = comparison_page(counting, 0);
	int max_scroll = rows > area.height ? rows - area.height : 0;

	hist.page_rows = area.height > 1 ? area.height : 1;
	if (hist.compare_scroll > max_scroll)
		hist.compare_scroll = max_scroll;
	comparison_page(area, hist.compare_scroll);
}

static void history_view_draw(struct session *s, struct draw_rect area)
{
	area.x += 1;
	area.width -= 2;
	if (hist.comparing)
		draw_comparison(area);
	else
		draw_list(s, area);
}

static void toggle_mark(struct session *s)
{
	int64_t id;

	if (hist.cursor >= hist.count)
		return;
	id = hist.runs[hist.cursor].id;
	if (hist.marked[0] == id) {
		hist.marked[0] = hist.marked[1];
		hist.marked[1] = 0;
	} else if (hist.marked[1] == id) {
		hist.marked[1] = 0;
	} else if (!hist.marked[0]) {
		hist.marked[0] = id;
	} else if (!hist.marked[1]) {
		hist.marked[1] = id;
	} else {
		session_message(s, SESSION_ERROR, "Two runs are marked already: unmark one with "
				"Space first");
		return;
	}
	if (hist.cursor + 1 < hist.count)
		hist.cursor++;
}

static void start_compare(struct session *s)
{
	struct history *h = live_history(&s->live);
	char err[HISTORY_ERROR_MAX];
	int64_t a, b;

	if (!h || hist.count == 0) {
		session_message(s, SESSION_ERROR, "No runs to compare yet");
		return;
	}
	if (hist.marked[0] && hist.marked[1]) {
		a = hist.marked[0];
		b = hist.marked[1];
	} else if (hist.marked[0]) {
		a = hist.marked[0];
		b = hist.runs[hist.cursor].id;
	} else if (hist.cursor + 1 < hist.count) {
		a = hist.runs[hist.cursor + 1].id;
		b = hist.runs[hist.cursor].id;
	} else {
		session_message(s, SESSION_ERROR, "Mark two runs with Space, then press c");
		return;
	}
	if (a == b) {
		session_message(s, SESSION_ERROR, "Pick two different runs: mark one with Space, "
				"select the other, press c");
		return;
	}
	if (a > b) {
		int64_t older = b;

		b = a;
		a = older;
	}
	if (hist.comparing)
		compare_result_free(&hist.compare);
	hist.comparing = false;
	if (compare_runs(h, a, b, HISTORY_VIEW_CHANGES_MAX, &hist.compare, err, sizeof err) != 0) {
		session_message(s, SESSION_ERROR, "Cannot compare runs %lld and %lld: %s",
				(long long)a, (long long)b, err);
		return;
	}
	hist.comparing = true;
	hist.compare_scroll = 0;
	session_message(s, SESSION_INFO, "Comparing run %lld (A) with run %lld (B): %zu cases "
			"changed", (long long)a, (long long)b, hist.compare.changed);
}

static void move_cursor(long delta)
{
	long target = (long)hist.cursor + delta;

	if (target < 0)
		target = 0;
	if (hist.count == 0)
		target = 0;
	else if ((size_t)target >= hist.count)
		target = (long)hist.count - 1;
	hist.cursor = (size_t)target;
}

/* Keys while the comparison covers the list: it scrolls, Esc closes it,
 * and every other key of the view or of a list is used up here, so none
 * reaches the list underneath. Global keys (views, help, quit) pass. */
static bool comparison_key(enum keymap_action action)
{
	switch (action) {
	case KEYMAP_BACK:
		compare_result_free(&hist.compare);
		hist.comparing = false;
		return true;
	case KEYMAP_UP:
		if (hist.compare_scroll > 0)
			hist.compare_scroll--;
		return true;
	case KEYMAP_DOWN:
		hist.compare_scroll++;
		return true;
	case KEYMAP_PAGE_UP:
		hist.compare_scroll -= hist.page_rows;
		if (hist.compare_scroll < 0)
			hist.compare_scroll = 0;
		return true;
	case KEYMAP_PAGE_DOWN:
		hist.compare_scroll += hist.page_rows;
		return true;
	case KEYMAP_TOP:
		hist.compare_scroll = 0;
		return true;
	case KEYMAP_BOTTOM:
		hist.compare_scroll = 1 << 30;
		return true;
	default:
		return keymap_global_binding(action) == NULL;
	}
}

static bool run_matches(const struct run_record *r, const char *query)
{
	char id[32], started[32];

	snprintf(id, sizeof id, "%lld", (long long)r->id);
	format_time_ms(r->started_ms, started, sizeof started);
	return strcmp(id, query) == 0 || lineedit_matches(r->preset, query) ||
	       lineedit_matches(r->mode, query) || lineedit_matches(format_run_state(r), query) ||
	       lineedit_matches(started, query) ||
	       lineedit_matches(format_basename(r->corpus), query);
}

/* Whether the run at a position of the list matches a search. */
static bool run_at_matches(const struct session *s, size_t position, const char *query)
{
	(void)s;
	return run_matches(&hist.runs[position], query);
}

static bool history_view_key(struct session *s, enum keymap_action action, int key)
{
	if (hist.search.active)
		return listsearch_key(&hist.search, s, action, key, &hist.cursor, hist.count);
	if (hist.comparing)
		return comparison_key(action);
	switch (action) {
	case KEYMAP_SEARCH:
		if (hist.comparing)
			return false;
		listsearch_open(&hist.search);
		return true;
	case KEYMAP_SEARCH_NEXT:
		listsearch_find(&hist.search, s, &hist.cursor, hist.count, 1, false);
		return true;
	case KEYMAP_SEARCH_PREV:
		listsearch_find(&hist.search, s, &hist.cursor, hist.count, -1, false);
		return true;
	case KEYMAP_UP:
		move_cursor(-1);
		return true;
	case KEYMAP_DOWN:
		move_cursor(1);
		return true;
	case KEYMAP_PAGE_UP:
		move_cursor(-hist.page_rows);
		return true;
	case KEYMAP_PAGE_DOWN:
		move_cursor(hist.page_rows);
		return true;
	case KEYMAP_TOP:
		hist.cursor = 0;
		return true;
	case KEYMAP_BOTTOM:
		move_cursor((long)hist.count);
		return true;
	case KEYMAP_MARK:
		toggle_mark(s);
		return true;
	case KEYMAP_COMPARE:
		start_compare(s);
		return true;
	case KEYMAP_OPEN:
		if (hist.cursor < hist.count) {
			live_pin(&s->live, hist.runs[hist.cursor].id);
			session_message(s, SESSION_INFO, "Showing run %lld; f on the Dashboard or in "
					"History follows the newest run again",
					(long long)hist.runs[hist.cursor].id);
			session_show_view(s, VIEW_DASHBOARD);
		}
		return true;
	case KEYMAP_FOLLOW_NEWEST:
		live_pin(&s->live, 0);
		session_message(s, SESSION_INFO, "Following the newest run");
		return true;
	default:
		return false;
	}
}

static bool history_view_editing(void)
{
	return hist.search.active;
}

const struct view view_history = {
	.id = VIEW_HISTORY,
	.name = "History",
	.summary = "Recorded runs, newest first, with trends; compare two runs.",
	.init = history_view_init,
	.draw = history_view_draw,
	.key = history_view_key,
	.tick = history_view_tick,
	.free = history_view_free,
	.editing = history_view_editing,
};
