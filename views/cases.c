/*
 * The Cases view: every corpus case with its result in the shown run
 * (PASS, FAIL, ERR, or "-" when the run has no row for it), the share of
 * labelled fields right, which tier set each field, and the text. f keeps
 * only failures; / searches ids and texts; Enter opens the case detail.
 *
 * Without a loaded corpus, or when the shown run scored another corpus
 * file, the list comes from the shown run's rows, with ids but no texts,
 * under a note naming both files. Corpus cases and run rows are matched by
 * case id.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/case_detail.h"
#include "views/format.h"
#include "views/lineedit.h"
#include "views/listsearch.h"
#include "views/session.h"
#include "views/view.h"

static struct {
	/* Shown rows: indices into the corpus cases, or into the run's rows
	 * when no corpus is loaded. */
	size_t *visible;
	size_t visible_count;
	size_t visible_capacity;
	size_t cursor;
	size_t top;
	int page_rows;
	bool failures_only;

	/* The run's rows sorted by case id, rebuilt when they change. */
	const struct caserow **by_id;
	size_t by_id_count;
	int64_t by_id_run;

	/* The loaded corpus while the shown run scored it (see corpus_of_run),
	 * else NULL: then the list is the run's own rows. */
	const struct corpus *corpus;

	/* The inputs `visible` was built from, to rebuild only on change. */
	int64_t built_run;
	size_t built_rows;
	bool built_failures_only;
	bool built_once;

	struct listsearch search;
} cases;

static int compare_rows_by_id(const void *a, const void *b)
{
	const struct caserow *const *ra = a;
	const struct caserow *const *rb = b;

	return strcmp((*ra)->case_id, (*rb)->case_id);
}

static void index_rows(const struct live *live)
{
	const struct caserows *rows = &live->rows;
	const struct caserow **grown;

	if (cases.by_id_run == live->run.id && cases.by_id_count == rows->count)
		return;
	grown = realloc(cases.by_id, (rows->count ? rows->count : 1) * sizeof *grown);
	if (!grown)
		return;
	cases.by_id = grown;
	for (size_t i = 0; i < rows->count; i++)
		cases.by_id[i] = &rows->rows[i];
	qsort(cases.by_id, rows->count, sizeof *cases.by_id, compare_rows_by_id);
	cases.by_id_count = rows->count;
	cases.by_id_run = live->run.id;
}

/* Whether two corpus paths name one file. */
static bool same_file(const char *a, const char *b)
{
	char real_a[PATH_MAX], real_b[PATH_MAX];

	if (strcmp(a, b) == 0)
		return true;
	return realpath(a, real_a) && realpath(b, real_b) && strcmp(real_a, real_b) == 0;
}

/* The loaded corpus when the shown run scored that file, else NULL: a run
 * of another file is listed from its own rows, since matching its ids
 * against this corpus would show no result at all. */
static const struct corpus *corpus_of_run(const struct session *s)
{
	const struct run_record *run = &s->live.run;

	if (!s->corpus || !s->live.have_run)
		return s->corpus;
	if (run->corpus_sha256[0] && strcmp(run->corpus_sha256, s->corpus->sha256) == 0)
		return s->corpus;
	return same_file(run->corpus, s->corpus_path) ? s->corpus : NULL;
}

/* The shown run's row for a corpus case, or NULL. */
static const struct caserow *row_for_case(const struct session *s, size_t index)
{
	const struct caserows *rows = &s->live.rows;
	const char *id = cases.corpus->cases[index].id;
	size_t low = 0, high = cases.by_id_count;

	if (!s->live.have_run)
		return NULL;

	/* A run of this same corpus records case i as seq i. */
	if (index < rows->count && rows->rows[index].seq == (int64_t)index &&
	    strcmp(rows->rows[index].case_id, id) == 0)
		return &rows->rows[index];
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		int c = strcmp(cases.by_id[mid]->case_id, id);

		if (c == 0)
			return cases.by_id[mid];
		if (c < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return NULL;
}

static const struct caserow *row_at(const struct session *s, size_t item)
{
	if (cases.corpus)
		return row_for_case(s, item);
	return item < s->live.rows.count ? &s->live.rows.rows[item] : NULL;
}

static bool item_matches(const struct session *s, size_t item, const char *query)
{
	if (cases.corpus) {
		const struct corpus_case *c = &cases.corpus->cases[item];

		return lineedit_matches(c->id, query) || lineedit_matches(c->text, query);
	}
	return lineedit_matches(s->live.rows.rows[item].case_id, query);
}

/* Whether the case at a position of the visible list matches a search. */
static bool visible_matches(const struct session *s, size_t position, const char *query)
{
	return item_matches(s, cases.visible[position], query);
}

static size_t item_count(const struct session *s)
{
	return cases.corpus ? cases.corpus->count : s->live.rows.count;
}

static void rebuild(struct session *s)
{
	const struct corpus *corpus = corpus_of_run(s);
	size_t selected_item = cases.cursor < cases.visible_count ? cases.visible[cases.cursor] :
			       (size_t)-1;
	size_t total;

	if (cases.built_once && cases.built_run == s->live.run.id &&
	    cases.built_rows == s->live.rows.count &&
	    cases.built_failures_only == cases.failures_only && cases.corpus == corpus)
		return;
	if (cases.corpus != corpus)
		selected_item = (size_t)-1;
	cases.corpus = corpus;
	total = item_count(s);
	if (total > cases.visible_capacity) {
		size_t *grown = realloc(cases.visible, total * sizeof *grown);

		if (!grown) {
			session_message(s, SESSION_ERROR, "Out of memory listing %zu cases", total);
			return;
		}
		cases.visible = grown;
		cases.visible_capacity = total;
	}
	if (s->live.have_run)
		index_rows(&s->live);
	cases.visible_count = 0;
	for (size_t i = 0; i < total; i++) {
		const struct caserow *row = row_at(s, i);

		if (cases.failures_only && !(row && (!row->all_correct || row->failed)))
			continue;
		cases.visible[cases.visible_count++] = i;
	}

	/* Keep the cursor on the same case when it is still listed. */
	cases.cursor = 0;
	for (size_t v = 0; v < cases.visible_count; v++)
		if (cases.visible[v] == selected_item)
			cases.cursor = v;
	cases.built_once = true;
	cases.built_run = s->live.run.id;
	cases.built_rows = s->live.rows.count;
	cases.built_failures_only = cases.failures_only;
}

static int cases_init(struct session *s, char *err, size_t err_size)
{
	memset(&cases, 0, sizeof cases);
	listsearch_init(&cases.search, "case", visible_matches);
	return case_detail_init(s, err, err_size);
}

static void cases_free(void)
{
	case_detail_free();
	free(cases.visible);
	free(cases.by_id);
	memset(&cases, 0, sizeof cases);
}

static void cases_tick(struct session *s)
{
	rebuild(s);
	case_detail_tick(s);
}

/* "12.1...." : the tier number (1 regex, 2 rules, 3 llm) that set each
 * field, '.' where no tier did. */
static void tier_digits(const struct caserow *row, char *buf)
{
	for (int f = 0; f < FIELD_COUNT; f++)
		buf[f] = row->field_tier[f] >= 0 && row->field_tier[f] < TIER_COUNT ?
			 (char)('1' + row->field_tier[f]) : '.';
	buf[FIELD_COUNT] = '\0';
}

static void draw_item(struct session *s, struct draw_rect area, int y, size_t v)
{
	size_t item = cases.visible[v];
	const struct caserow *row = row_at(s, item);
	bool selected = v == cases.cursor;
	enum colors_role role = selected ? COLORS_SELECTION : COLORS_NORMAL;
	const char *verdict = draw_glyph(DRAW_GLYPH_NONE);
	enum colors_role verdict_role = COLORS_DIM;
	char fields[16] = "", tiers[FIELD_COUNT + 1] = "";
	const char *id;

	if (!cases.corpus && !row)
		return;
	id = cases.corpus ? cases.corpus->cases[item].id : row->case_id;
	if (selected)
		draw_fill(y, area.x, area.width, COLORS_SELECTION);
	if (row) {
		if (row->failed)
			verdict = "ERR";
		else
			verdict = row->all_correct ? "PASS" : "FAIL";
		verdict_role = row->all_correct && !row->failed ? COLORS_OK : COLORS_BAD;
		snprintf(fields, sizeof fields, "%d/%d", __builtin_popcount(row->correct),
			 __builtin_popcount(row->expected));
		tier_digits(row, tiers);
	}
	draw_text(y, area.x, 6, selected ? role : verdict_role, verdict);
	draw_text(y, area.x + 6, 17, role, id);
	draw_text(y, area.x + 23, 6, role, fields);
	draw_text(y, area.x + 29, 10, role, tiers);
	if (cases.corpus)
		draw_text(y, area.x + 39, area.width - 39, role, cases.corpus->cases[item].text);
}

static void draw_list(struct session *s, struct draw_rect area)
{
	int y = area.y;
	int bottom = area.y + area.height - (cases.search.active ? 1 : 0);
	char run[64];

	if (s->live.have_run)
		snprintf(run, sizeof run, "run %lld", (long long)s->live.run.id);
	else
		snprintf(run, sizeof run, "no run");
	if (cases.corpus && s->live.have_run && s->live.run.corpus_sha256[0] &&
	    strcmp(s->live.run.corpus_sha256, cases.corpus->sha256) != 0)
		draw_textf(y++, area.x, area.width, COLORS_WARN, "Run %lld scored other contents of "
			   "%s (its SHA-256 differs): results are matched by case id",
			   (long long)s->live.run.id, format_basename(s->corpus_path));
	if (cases.corpus)
		draw_textf(y++, area.x, area.width, COLORS_DIM, "%zu of %zu cases of %s, results of "
			   "%s%s%s%s. f: failures, /: search, Enter: open", cases.visible_count,
			   cases.corpus->count, format_basename(s->corpus_path), run,
			   cases.failures_only ? ", failures only" : "",
			   cases.search.query[0] ? ", search: " : "", cases.search.query);
	else if (s->corpus && s->live.have_run)
		draw_textf(y++, area.x, area.width, COLORS_WARN, "%zu cases of %s, which scored %s, "
			   "not the loaded %s: ids and results only, no texts. f: failures, /: search",
			   cases.visible_count, run, format_basename(s->live.run.corpus),
			   format_basename(s->corpus_path));
	else
		draw_textf(y++, area.x, area.width, COLORS_DIM, "%zu cases of %s (%s). "
			   "f: failures, /: search, Enter: open", cases.visible_count, run,
			   s->corpus_error[0] ? s->corpus_error : "no corpus loaded, so no texts");
	draw_text(y, area.x, 6, COLORS_TITLE, "result");
	draw_text(y, area.x + 6, 17, COLORS_TITLE, " id");
	draw_text(y, area.x + 23, 6, COLORS_TITLE, "right");
	draw_text(y, area.x + 29, 10, COLORS_TITLE, "tiers");
	draw_text(y, area.x + 39, area.width - 39, COLORS_TITLE, "text (tiers: 1 regex, 2 rules, "
		  "3 llm, . none)");
	y++;

	cases.page_rows = bottom - y > 1 ? bottom - y : 1;
	if (cases.visible_count == 0)
		draw_text(y, area.x, area.width, COLORS_DIM, cases.failures_only ?
			  "No failing cases in the shown run (f: show all)." :
			  "No cases: load a corpus with --corpus FILE or run one.");
	if (cases.cursor < cases.top)
		cases.top = cases.cursor;
	if (cases.cursor >= cases.top + (size_t)cases.page_rows)
		cases.top = cases.cursor - (size_t)cases.page_rows + 1;
	for (size_t v = cases.top; v < cases.visible_count && y < bottom; v++, y++)
		draw_item(s, area, y, v);
	if (cases.search.active) {
		draw_text(bottom, area.x, 8, COLORS_TITLE, "Search: ");
		lineedit_draw(&cases.search.edit, bottom, area.x + 8, area.width - 8, true);
	}
}

static void cases_draw(struct session *s, struct draw_rect area)
{
	area.x += 1;
	area.width -= 2;
	if (case_detail_is_open())
		case_detail_draw(s, area);
	else
		draw_list(s, area);
}

static void move_cursor(long delta)
{
	long target = (long)cases.cursor + delta;

	if (target < 0 || cases.visible_count == 0)
		target = 0;
	else if ((size_t)target >= cases.visible_count)
		target = (long)cases.visible_count - 1;
	cases.cursor = (size_t)target;
}

static void open_selected(struct session *s)
{
	size_t item;
	const struct caserow *row;

	if (cases.cursor >= cases.visible_count)
		return;
	item = cases.visible[cases.cursor];
	row = row_at(s, item);
	if (cases.corpus)
		case_detail_open(s, &cases.corpus->cases[item], cases.corpus->cases[item].id,
				 row ? row->seq : -1);
	else if (row)
		case_detail_open(s, NULL, row->case_id, row->seq);
}

static bool cases_key(struct session *s, enum keymap_action action, int key)
{
	if (cases.search.active)
		return listsearch_key(&cases.search, s, action, key, &cases.cursor,
				      cases.visible_count);
	if (case_detail_is_open())
		return case_detail_key(s, action);
	switch (action) {
	case KEYMAP_UP:
		move_cursor(-1);
		return true;
	case KEYMAP_DOWN:
		move_cursor(1);
		return true;
	case KEYMAP_PAGE_UP:
		move_cursor(-cases.page_rows);
		return true;
	case KEYMAP_PAGE_DOWN:
		move_cursor(cases.page_rows);
		return true;
	case KEYMAP_TOP:
		cases.cursor = 0;
		return true;
	case KEYMAP_BOTTOM:
		move_cursor((long)cases.visible_count);
		return true;
	case KEYMAP_OPEN:
		open_selected(s);
		return true;
	case KEYMAP_FILTER_FAILURES:
		cases.failures_only = !cases.failures_only;
		rebuild(s);
		return true;
	case KEYMAP_SEARCH:
		listsearch_open(&cases.search);
		return true;
	case KEYMAP_SEARCH_NEXT:
		listsearch_find(&cases.search, s, &cases.cursor, cases.visible_count, 1, false);
		return true;
	case KEYMAP_SEARCH_PREV:
		listsearch_find(&cases.search, s, &cases.cursor, cases.visible_count, -1, false);
		return true;
	default:
		return false;
	}
}

static bool cases_editing(void)
{
	return cases.search.active;
}

const struct view view_cases = {
	.id = VIEW_CASES,
	.name = "Cases",
	.summary = "Corpus cases with pass or fail in the shown run; open one for its trace.",
	.init = cases_init,
	.draw = cases_draw,
	.key = cases_key,
	.tick = cases_tick,
	.free = cases_free,
	.editing = cases_editing,
};
