/*
 * The case detail page. The recorded row is read once when the case
 * opens. The trace is requested then, and again whenever the settings
 * change; it appears when the trace thread delivers it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/caserows.h"
#include "views/format.h"
#include "views/case_detail.h"
#include "views/tracer.h"
#include "views/tracetable.h"

static struct {
	bool open;
	const struct corpus_case *corpus_case;   /* NULL without a corpus */
	char case_id[CORPUS_ID_MAX];
	int64_t run_id;                          /* run the recorded row came from, 0 none */
	bool have_record;
	struct case_record *record;              /* heap, about 2 KB */
	char record_error[HISTORY_ERROR_MAX];
	struct tracer *tracer;
	char tracer_error[256];
	uint64_t requested;                      /* generation of the newest trace request */
	uint64_t seen;                           /* version of `trace` */
	struct tracer_result *trace;             /* heap, several KB */
	bool have_trace;
	uint64_t cfg_generation;
	int scroll;
	int page_rows;
} detail;

int case_detail_init(struct session *s, char *err, size_t err_size)
{
	memset(&detail, 0, sizeof detail);
	detail.record = calloc(1, sizeof *detail.record);
	detail.trace = calloc(1, sizeof *detail.trace);
	if (!detail.record || !detail.trace) {
		snprintf(err, err_size, "out of memory for the case detail");
		return -1;
	}
	detail.tracer = tracer_new(&s->cfg, session_llm_recorder(s), detail.tracer_error,
				   sizeof detail.tracer_error);
	detail.cfg_generation = s->cfg_generation;
	if (!detail.tracer) {
		snprintf(err, err_size, "%s", detail.tracer_error);
		return -1;
	}
	return 0;
}

void case_detail_free(void)
{
	tracer_free(detail.tracer);
	free(detail.record);
	free(detail.trace);
	memset(&detail, 0, sizeof detail);
}

static void request_trace(void)
{
	const struct corpus_case *c = detail.corpus_case;
	struct tracer_request *request;

	if (!detail.tracer || !c)
		return;
	request = calloc(1, sizeof *request);
	if (!request)
		return;
	event_copy_text(request->text, sizeof request->text, c->text, c->text_len);
	request->ref = c->ref;
	snprintf(request->tz, sizeof request->tz, "%s", c->tz ? c->tz : "UTC");
	request->locale = c->locale;
	detail.requested = tracer_request(detail.tracer, request);
	free(request);
}

void case_detail_open(struct session *s, const struct corpus_case *corpus_case,
		      const char *case_id, int64_t seq)
{
	struct history *h = live_history(&s->live);
	int rc;

	detail.open = true;
	detail.corpus_case = corpus_case;
	snprintf(detail.case_id, sizeof detail.case_id, "%s", case_id);
	detail.scroll = 0;
	detail.have_trace = false;
	detail.have_record = false;
	detail.record_error[0] = '\0';
	detail.run_id = s->live.have_run ? s->live.run.id : 0;

	if (detail.run_id && seq >= 0 && h) {
		rc = caserows_read_record(h, detail.run_id, seq, detail.record, detail.record_error,
					  sizeof detail.record_error);
		detail.have_record = rc == 0;
		if (rc == 1)
			snprintf(detail.record_error, sizeof detail.record_error,
				 "run %lld has no row %lld", (long long)detail.run_id, (long long)seq);
	}
	if (detail.cfg_generation != s->cfg_generation && detail.tracer) {
		detail.cfg_generation = s->cfg_generation;
		tracer_set_config(detail.tracer, &s->cfg);
	}
	request_trace();
}

void case_detail_close(void)
{
	detail.open = false;
}

bool case_detail_is_open(void)
{
	return detail.open;
}

void case_detail_tick(struct session *s)
{
	if (!detail.tracer)
		return;
	if (detail.cfg_generation != s->cfg_generation) {
		detail.cfg_generation = s->cfg_generation;
		tracer_set_config(detail.tracer, &s->cfg);
		if (detail.open)
			request_trace();
	}
	if (tracer_poll(detail.tracer, &detail.seen, detail.trace) &&
	    detail.trace->generation == detail.requested)
		detail.have_trace = true;
}

static void expected_text(const struct corpus_case *c, enum field f, char *buf, size_t size)
{
	if (!c) {
		snprintf(buf, size, "?");
	} else if (!(c->expected & (1u << f))) {
		snprintf(buf, size, "not labelled");
	} else if (c->expect_null & (1u << f)) {
		snprintf(buf, size, "none");
	} else if (event_format_field(&c->expect, f, buf, size) == 0) {
		snprintf(buf, size, "%s", draw_glyph(DRAW_GLYPH_NONE));
	}
}

/* The recorded LLM call: its outcome, token counts, attempts, the fields
 * it lost and its message. */
static void draw_recorded_llm(int y, struct draw_rect area, const struct case_record *r)
{
	char text[HISTORY_LLM_ERROR_MAX + 160];
	size_t n = 0;
	bool good = strcmp(r->llm_status, "ok") == 0 || strcmp(r->llm_status, "replayed") == 0;

	if (!r->llm_status[0]) {
		draw_text(y, area.x, area.width, COLORS_DIM, "Recorded llm call: none");
		return;
	}
	n += (size_t)snprintf(text, sizeof text, "Recorded llm call: %s, %d attempt%s", r->llm_status,
			      r->llm_attempts, r->llm_attempts == 1 ? "" : "s");
	if (n < sizeof text && (r->llm_prompt_tokens >= 0 || r->llm_completion_tokens >= 0))
		n += (size_t)snprintf(text + n, sizeof text - n, ", %d+%d tokens", r->llm_prompt_tokens,
				      r->llm_completion_tokens);
	if (n < sizeof text && r->tier_ns[TIER_LLM] >= 0) {
		char latency[32];

		n += (size_t)snprintf(text + n, sizeof text - n, ", %s",
				      format_latency_us((double)r->tier_ns[TIER_LLM] / 1000.0, latency,
							sizeof latency));
	}
	for (int f = 0, first = 1; f < FIELD_COUNT && n < sizeof text; f++) {
		if (!((r->llm_lost >> f) & 1u))
			continue;
		n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", first ? ", lost " : " ",
				      field_name((enum field)f));
		first = 0;
	}
	if (n < sizeof text && r->llm_error[0])
		snprintf(text + n, sizeof text - n, ": %s", r->llm_error);
	draw_text(y, area.x, area.width, good ? COLORS_TIER_LLM : COLORS_BAD, text);
}

static void draw_recorded(struct draw_rows *page)
{
	const struct case_record *r = detail.record;
	const struct corpus_case *c = detail.corpus_case;
	struct draw_rect area = page->area;
	char value[EVENT_TITLE_MAX + 64], expected[EVENT_TITLE_MAX + 64], total[32];
	int value_width = area.width >= 120 ? 34 : 20;
	int y;

	const char *verdict = r->all_correct ? "PASS" : "FAIL";

	if (r->error[0])
		verdict = "ERROR";
	y = draw_rows_next(page);
	if (y >= 0) {
		if (!detail.run_id)
			draw_text(y, area.x, area.width, COLORS_DIM, "No run shown: nothing recorded.");
		else if (!detail.have_record)
			draw_textf(y, area.x, area.width, COLORS_DIM, "Not in run %lld%s%s",
				   (long long)detail.run_id, detail.record_error[0] ? ": " : "",
				   detail.record_error);
		else
			draw_textf(y, area.x, area.width, r->all_correct ? COLORS_OK : COLORS_BAD,
				   "Recorded in run %lld: %s, %d of %d labelled fields right, %s, "
				   "cache %s%s%s", (long long)detail.run_id,
				   verdict,
				   __builtin_popcount(r->correct), __builtin_popcount(r->expected),
				   format_latency_us((double)r->total_ns / 1000.0, total, sizeof total),
				   r->cache_hit ? "hit" : "miss", r->error[0] ? ", error: " : "",
				   r->error);
	}
	if (!detail.have_record && !c)
		return;

	y = draw_rows_next(page);
	if (y >= 0) {
		draw_text(y, area.x, 13, COLORS_TITLE, "field");
		draw_text(y, area.x + 13, value_width, COLORS_TITLE, "expected");
		draw_text(y, area.x + 13 + value_width, value_width, COLORS_TITLE, "recorded");
		draw_text(y, area.x + 13 + 2 * value_width, 20, COLORS_TITLE, "from  conf");
	}
	for (int f = 0; f < FIELD_COUNT; f++) {
		bool labelled = c ? (c->expected >> f) & 1u : (r->expected >> f) & 1u;
		bool right = (r->correct >> f) & 1u;
		int x = area.x + 13 + 2 * value_width;

		y = draw_rows_next(page);
		if (y < 0)
			continue;
		draw_text(y, area.x, 13, COLORS_NORMAL, field_name((enum field)f));
		expected_text(c, (enum field)f, expected, sizeof expected);
		draw_text(y, area.x + 13, value_width - 1, labelled ? COLORS_NORMAL : COLORS_DIM,
			  expected);
		if (!detail.have_record)
			continue;
		if (event_format_field(&r->prediction, (enum field)f, value, sizeof value) == 0)
			snprintf(value, sizeof value, "%s", draw_glyph(DRAW_GLYPH_NONE));
		draw_text(y, area.x + 13 + value_width, value_width - 1, COLORS_NORMAL, value);
		x += draw_textf(y, x, 6, colors_tier_role(r->prediction.tier[f]), "%-6s",
				tier_name(r->prediction.tier[f]));
		x += draw_textf(y, x, 6, COLORS_DIM, "%.2f  ", r->prediction.confidence[f]);
		if (labelled)
			draw_text(y, x, area.width - (x - area.x), right ? COLORS_OK : COLORS_BAD,
				  right ? "ok" : "miss");
	}
	if (detail.have_record) {
		y = draw_rows_next(page);
		if (y >= 0)
			draw_textf(y, area.x, area.width, COLORS_DIM, "Recorded rules tier: %s",
				   r->rules_backend[0] ? r->rules_backend : "not called");
		y = draw_rows_next(page);
		if (y >= 0)
			draw_recorded_llm(y, area, r);
	}
}

static int layout(struct session *s, struct draw_rect area, int scroll)
{
	const struct corpus_case *c = detail.corpus_case;
	struct draw_rows page = { area, scroll, 0 };
	int y;

	y = draw_rows_next(&page);
	if (y >= 0 && c)
		draw_textf(y, area.x, area.width, COLORS_TITLE, "Case %s, line %d of %s. Esc: back",
			   detail.case_id, c->line, format_basename(s->corpus_path));
	else if (y >= 0)
		draw_textf(y, area.x, area.width, COLORS_TITLE, "Case %s (no corpus loaded, so no "
			   "text). Esc: back", detail.case_id);
	if (c) {
		int rows = draw_wrapped_rows(c->text, area.width - 6);

		for (int i = 0; i < rows; i++) {
			y = draw_rows_next(&page);
			if (y < 0)
				continue;
			if (i == 0)
				draw_text(y, area.x, 6, COLORS_DIM, "Text");
			draw_wrapped((struct draw_rect){ y, area.x + 6, 1, area.width - 6 },
				     COLORS_NORMAL, c->text, i);
		}
		y = draw_rows_next(&page);
		if (y >= 0) {
			char tags[256] = "";
			size_t used = 0;

			for (size_t t = 0; t < c->tag_count && used < sizeof tags; t++) {
				int n = snprintf(tags + used, sizeof tags - used, "%s%s",
						 t ? ", " : "", c->tags[t]);

				if (n < 0)
					break;
				used += (size_t)n;
			}
			draw_textf(y, area.x, area.width, COLORS_DIM,
				   "ref %04d-%02d-%02dT%02d:%02d:%02d %s, %s%s%s",
				   c->ref.date.year, c->ref.date.month, c->ref.date.day, c->ref.hour,
				   c->ref.minute, c->ref.second, c->tz ? c->tz : "UTC",
				   c->locale == LOCALE_EN_GB ? "en-GB" : "en-US",
				   c->tag_count ? ", tags " : "", tags);
		}
	}
	draw_rows_next(&page);
	draw_recorded(&page);
	draw_rows_next(&page);

	y = draw_rows_next(&page);
	if (!c) {
		if (y >= 0)
			draw_text(y, area.x, area.width, COLORS_DIM, "No trace: the text comes from "
				  "the corpus, start caltune with --corpus FILE.");
		return page.row;
	}
	if (!detail.tracer) {
		if (y >= 0)
			draw_textf(y, area.x, area.width, COLORS_BAD, "No trace: %s",
				   detail.tracer_error);
		return page.row;
	}
	if (!detail.have_trace) {
		if (y >= 0)
			draw_text(y, area.x, area.width, COLORS_DIM, "Tracing...");
		return page.row;
	}
	if (detail.trace->config_error[0]) {
		if (y >= 0)
			draw_textf(y, area.x, area.width, COLORS_BAD, "No trace with these settings: %s",
				   detail.trace->config_error);
		return page.row;
	}
	if (y >= 0)
		draw_textf(y, area.x, area.width, COLORS_TITLE, "Trace now, preset %s (regex_only "
			   "%.2f, deterministic_backup %.2f)%s%s%s", detail.trace->preset,
			   detail.trace->regex_only, detail.trace->deterministic_backup,
			   detail.trace->llm_pending ? ", llm answer pending" : "",
			   detail.trace->parse.error[0] ? ": " : "", detail.trace->parse.error);

	/* The table draws itself row by row; give it the page position. */
	int table_y = area.y + page.row - page.scroll;

	tracetable_draw(area, table_y, detail.trace);
	page.row += TRACETABLE_ROWS;
	return page.row;
}

void case_detail_draw(struct session *s, struct draw_rect area)
{
	struct draw_rect counting = { area.y, area.x, 0, area.width };
	int rows;
	int max_scroll;

	rows = layout(s, counting, 0);
	max_scroll = rows > area.height ? rows - area.height : 0;
	if (detail.scroll > max_scroll)
		detail.scroll = max_scroll;
	detail.page_rows = area.height > 1 ? area.height : 1;
	layout(s, area, detail.scroll);
}

bool case_detail_key(struct session *s, enum keymap_action action)
{
	(void)s;
	switch (action) {
	case KEYMAP_BACK:
		detail.open = false;
		return true;
	case KEYMAP_UP:
		if (detail.scroll > 0)
			detail.scroll--;
		return true;
	case KEYMAP_DOWN:
		detail.scroll++;
		return true;
	case KEYMAP_PAGE_UP:
		detail.scroll -= detail.page_rows;
		if (detail.scroll < 0)
			detail.scroll = 0;
		return true;
	case KEYMAP_PAGE_DOWN:
		detail.scroll += detail.page_rows;
		return true;
	case KEYMAP_TOP:
		detail.scroll = 0;
		return true;
	case KEYMAP_BOTTOM:
		detail.scroll = 1 << 30;
		return true;
	default:
		return false;
	}
}
