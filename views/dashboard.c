/*
 * The Dashboard: the settings being tuned, the shown run and its progress,
 * per-tier latency (p50, p95 and a sparkline over the last 1000 cases),
 * calls, hit and success rates, the cache, and accuracy overall and per
 * field. Each figure with a target shows it beside the figure with an
 * "ok" or "miss" verdict, coloured green or red.
 *
 * Accuracy has no fixed target, so it is shown against the previous
 * complete, not cancelled, run of the same corpus instead.
 *
 * The llm row also carries the tier's state (up, down, replay, idle, off),
 * its requests in flight and retries, and how its calls ended. For this
 * UI's own rerun they come from the cascade while it runs. For any other
 * run they come from the run's row, which its writer refreshes about once
 * a second, so a run in another process is followed live too.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/draw.h"
#include "views/format.h"
#include "views/session.h"
#include "views/targets.h"
#include "views/view.h"

#define DASHBOARD_BASELINE_REFRESH_MS 5000
#define DASHBOARD_WIDE 112   /* from this width a tier's sparkline shares its row */
#define DASHBOARD_HISTOGRAM_MAX 512   /* columns of a latency histogram */

static struct {
	int64_t baseline_for;      /* shown run the baseline was found for, 0 none */
	int64_t baseline_checked_ms;
	int64_t baseline_id;       /* 0 when there is none */
	double baseline_accuracy;
} dash;

/* Column starts of the tier table. */
struct tier_columns {
	int calls, hit, hit_target, success, success_target, p50, p95, p95_target, spark;
	bool spark_below;   /* the sparkline gets its own row under the tier */
	bool show_success;  /* room for the success rate and its target */
};

static struct tier_columns tier_columns_for(int width)
{
	struct tier_columns c = { 6, 13, 20, 30, 37, 47, 55, 63, 76, false, true };

	/* Below 76 columns the success rate goes, so latency keeps its
	 * target; the other columns move left by its 17 columns. */
	if (width < 76) {
		c.show_success = false;
		c.success = c.success_target = c.p50 = 30;
		c.p95 = 38;
		c.p95_target = 46;
	}
	if (width < DASHBOARD_WIDE) {
		c.spark = 8;
		c.spark_below = true;
	}
	return c;
}

static bool row_fits(struct draw_rect area, int y)
{
	return y >= area.y && y < area.y + area.height;
}

static void find_baseline(struct session *s)
{
	struct history *h = live_history(&s->live);
	const struct run_record *shown = &s->live.run;
	struct run_record *runs = NULL;
	size_t count = 0;
	char err[HISTORY_ERROR_MAX];

	dash.baseline_for = shown->id;
	dash.baseline_checked_ms = s->now_ms;
	dash.baseline_id = 0;
	if (!h || history_list_runs(h, 200, &runs, &count, err, sizeof err) != 0)
		return;
	for (size_t i = 0; i < count; i++) {
		const struct run_record *r = &runs[i];
		bool same_corpus = shown->corpus_sha256[0] ?
			strcmp(r->corpus_sha256, shown->corpus_sha256) == 0 :
			strcmp(r->corpus, shown->corpus) == 0;

		if (r->id < shown->id && r->state == RUN_COMPLETE && !r->cancelled && same_corpus &&
		    r->accuracy >= 0) {
			dash.baseline_id = r->id;
			dash.baseline_accuracy = r->accuracy;
			break;
		}
	}
	free(runs);
}

static int dashboard_init(struct session *s, char *err, size_t err_size)
{
	(void)s;
	(void)err;
	(void)err_size;
	memset(&dash, 0, sizeof dash);
	return 0;
}

static void dashboard_tick(struct session *s)
{
	if (!s->live.have_run)
		return;
	if (dash.baseline_for != s->live.run.id ||
	    s->now_ms - dash.baseline_checked_ms >= DASHBOARD_BASELINE_REFRESH_MS)
		find_baseline(s);
}

/* Draws "name value" parts one after another, two spaces apart, as many
 * whole parts as fit in width; a part never shows cut. Returns the
 * columns used. */
static int draw_parts(int y, int x, int width, enum colors_role role, const char *const *parts,
		      int count)
{
	int used = 0;

	for (int i = 0; i < count; i++) {
		int w = draw_width(parts[i]) + (used ? 2 : 0);

		if (used + w > width)
			break;
		used += draw_textf(y, x + used, width - used, role, "%s%s", used ? "  " : "",
				   parts[i]);
	}
	return used;
}

static int draw_settings(struct session *s, struct draw_rect area, int y)
{
	const struct cascade_config *cfg = &s->cfg;
	char regex[48], rules[48], llm[48], mode[48];
	const char *parts[] = { regex, rules, llm, mode };
	int x = area.x;

	snprintf(regex, sizeof regex, "regex_only %.2f", cfg->regex_only);
	snprintf(rules, sizeof rules, "deterministic_backup %.2f", cfg->deterministic_backup);
	snprintf(llm, sizeof llm, "llm_enhancement %.2f", cfg->llm_enhancement);
	snprintf(mode, sizeof mode, "mode %s", config_mode_name(cfg->mode));
	x += draw_textf(y, x, area.width, COLORS_TITLE, "Preset %s  ", cfg->preset);
	draw_parts(y, x, area.width - (x - area.x), COLORS_NORMAL, parts, 4);
	return y + 1;
}

static const char *follow_label(struct session *s)
{
	bool newer = s->live.newest_run > s->live.run.id;

	if (s->live.pinned_run == 0)
		return "newest";
	if (s->live.pinned_run == s->own_run_id)
		return newer ? "started here; a newer run exists, f follows the newest" : "started here";
	return "picked in History, f follows the newest";
}

/* "History not open: why", wrapped on up to four rows so the fix at its
 * end shows; returns the rows used. */
static int draw_history_error(struct session *s, struct draw_rect area, int y)
{
	char text[PATH_MAX + LIVE_ERROR_MAX];
	struct draw_rect box = { y, area.x, area.y + area.height - y, area.width };

	if (box.height > 4)
		box.height = 4;
	snprintf(text, sizeof text, "History not open: %s",
		 s->live.error[0] ? s->live.error : s->db_path);
	return draw_wrapped(box, COLORS_BAD, text, 0);
}

static int draw_run_line(struct session *s, struct draw_rect area, int y)
{
	const struct live *live = &s->live;
	const struct run_record *run = &live->run;
	char started[32];

	if (!live->have_run) {
		if (live->db_missing || live->history)
			draw_textf(y, area.x, area.width, COLORS_DIM, "No runs in %s yet. %s", s->db_path,
				   s->readonly ? "Read-only: start one with caltune run." :
				   s->corpus_path[0] ? "Press r to run the corpus." :
				   "Start caltune with --corpus FILE to run one.");
		else
			return y + draw_history_error(s, area, y);
		return y + 1;
	}
	format_time_ms(run->started_ms, started, sizeof started);
	draw_textf(y, area.x, area.width, COLORS_NORMAL, "Run %lld (%s): %s, mode %s, %s, %s",
		   (long long)run->id, follow_label(s), run->preset, run->mode,
		   format_basename(run->corpus), started);
	y++;
	if (live->settings.known && row_fits(area, y)) {
		char regex[48], rules[48], llm[48];
		const char *parts[] = { regex, rules, llm };
		int x = area.x + draw_text(y, area.x, area.width, COLORS_DIM, "  run settings: ");

		snprintf(regex, sizeof regex, "regex_only %.2f", live->settings.regex_only);
		snprintf(rules, sizeof rules, "deterministic_backup %.2f",
			 live->settings.deterministic_backup);
		snprintf(llm, sizeof llm, "llm_enhancement %.2f", live->settings.llm_enhancement);
		draw_parts(y, x, area.width - (x - area.x), COLORS_DIM, parts, 3);
		y++;
	}
	return y;
}

static int draw_progress(struct session *s, struct draw_rect area, int y)
{
	const struct live *live = &s->live;
	const struct run_record *run = &live->run;
	char text[160], eta[32];
	struct runner_progress own;
	double fraction, rate;
	int bar_width;

	if (!live->have_run || live->run.id != s->own_run_id) {
		if (session_run_progress(s, &own) && own.run_id == 0) {
			draw_text(y, area.x, area.width, COLORS_WARN, "Starting the rerun...");
			return y + 1;
		}
	}
	if (!live->have_run)
		return y;
	if (run->state == RUN_COMPLETE && run->cancelled) {
		draw_textf(y, area.x, area.width, COLORS_WARN, "Stopped on request: %lld of %lld "
			   "cases in %.0f ms, %lld errors", (long long)run->cases_done,
			   (long long)run->cases_total, run->wall_ms, (long long)run->errors);
		return y + 1;
	}
	if (run->state == RUN_COMPLETE && live->loading) {
		draw_textf(y, area.x, area.width, COLORS_WARN, "Complete: %lld cases in %.0f ms; "
			   "reading cases (%zu so far), the figures below are partial",
			   (long long)run->cases_done, run->wall_ms, live->rows.count);
		return y + 1;
	}
	if (run->state == RUN_COMPLETE) {
		draw_textf(y, area.x, area.width, COLORS_OK, "Complete: %lld cases in %.0f ms, "
			   "%lld errors", (long long)run->cases_done, run->wall_ms,
			   (long long)run->errors);
		return y + 1;
	}
	if (run->state == RUN_INCOMPLETE) {
		draw_textf(y, area.x, area.width, COLORS_BAD, "Incomplete: %lld of %lld cases "
			   "recorded before its process stopped", (long long)run->cases_done,
			   (long long)run->cases_total);
		return y + 1;
	}

	fraction = run->cases_total > 0 ? (double)run->cases_done / (double)run->cases_total : 0;
	rate = live_rate(live);
	format_duration_s(rate > 0 ? (double)(run->cases_total - run->cases_done) / rate : -1,
			  eta, sizeof eta);
	if (rate >= 0)
		snprintf(text, sizeof text, " %lld/%lld %.0f%%  %.0f cases/s  ETA %s",
			 (long long)run->cases_done, (long long)run->cases_total, fraction * 100,
			 rate, eta);
	else
		snprintf(text, sizeof text, " %lld/%lld %.0f%%  rate and ETA after a second",
			 (long long)run->cases_done, (long long)run->cases_total, fraction * 100);
	draw_text(y, area.x, 9, COLORS_WARN, "Running");
	bar_width = area.width - 9 - draw_width(text);
	if (bar_width > 60)
		bar_width = 60;
	if (bar_width < 5)
		bar_width = 5;
	draw_bar(y, area.x + 9, bar_width, fraction, COLORS_GRAPH);
	draw_text(y, area.x + 9 + bar_width, area.width - 9 - bar_width, COLORS_NORMAL, text);
	return y + 1;
}

/* Writes "≥95% ok": the target dimmed, the verdict in its colour. */
static void draw_target(int y, int x, int width, const char *target, bool have, bool met)
{
	const char *word;
	enum colors_role role = format_verdict(have, met, &word);
	int used = draw_text(y, x, width, COLORS_DIM, target);

	draw_text(y, x + used + 1, width - used - 1, role, word);
}

static void draw_tier_header(struct draw_rect area, int y, const struct tier_columns *c)
{
	int x = area.x;

	draw_text(y, x, c->calls, COLORS_TITLE, "tier");
	draw_text_right(y, x + c->calls, c->hit - c->calls - 1, COLORS_TITLE, "calls");
	draw_text(y, x + c->hit, c->hit_target - c->hit, COLORS_TITLE, "  hit");
	if (c->show_success)
		draw_text(y, x + c->success, c->success_target - c->success, COLORS_TITLE, "succ.");
	draw_text(y, x + c->p50, c->p95 - c->p50, COLORS_TITLE, "p50");
	draw_text(y, x + c->p95, c->p95_target - c->p95, COLORS_TITLE, "p95");
	if (!c->spark_below)
		draw_text(y, x + c->spark, area.width - c->spark, COLORS_TITLE,
			  "latency, last 1000 cases");
}

/* The success rate (calls without failure / calls) and its target. */
static void draw_success(int y, int x, const struct tier_columns *c, enum targets_stage stage,
			 const struct runstats_stage *st)
{
	const struct targets_stage_target *target = targets_stage(stage);
	double success = runstats_success_rate(st);
	char value[32], goal[32];

	snprintf(goal, sizeof goal, "%s%.0f%%", draw_glyph(DRAW_GLYPH_GE), target->success_rate * 100);
	draw_textf(y, x + c->success, c->success_target - c->success, COLORS_NORMAL, "%6s",
		   format_percent(success, value, sizeof value));
	draw_target(y, x + c->success_target, c->p50 - c->success_target - 1, goal, success >= 0,
		    targets_at_least(success, target->success_rate));
}

/* Appends ", part" to buf when it still fits in max_width columns. */
static void append_part(char *buf, size_t size, int max_width, const char *part)
{
	size_t n = strlen(buf);

	if ((int)n + 2 + draw_width(part) > max_width)
		return;
	snprintf(buf + n, size - n, ", %s", part);
}

/* Writes the LLM tier's state, requests in flight and retries, then how
 * its calls ended as far as max_width allows; returns the colour role.
 * The text is empty for a run recorded before the state was. */
static enum colors_role llm_state_text(struct session *s, char *buf, size_t size, int max_width)
{
	const struct run_record *run = &s->live.run;
	const struct runstats_llm *llm = &s->live.stats.llm;
	struct cascade_llm_stats own;
	const char *state = run->llm_state;
	int in_flight = run->llm_in_flight;
	long long retries = (long long)run->llm_retries;
	char part[64];

	buf[0] = '\0';
	if (session_run_llm(s, &own)) {
		state = cascade_llm_state_name(own.state);
		in_flight = own.in_flight;
		retries = (long long)own.retries;
	}
	if (!state[0])
		return COLORS_DIM;
	snprintf(buf, size, "%s", state);
	if (strcmp(state, "off") == 0)
		return COLORS_DIM;
	if (strcmp(state, "replay") != 0) {
		snprintf(part, sizeof part, "%d in flight", in_flight);
		append_part(buf, size, max_width, part);
		snprintf(part, sizeof part, "%lld retries", retries);
		append_part(buf, size, max_width, part);
	}
	if (llm->replayed) {
		snprintf(part, sizeof part, "%llu replayed", (unsigned long long)llm->replayed);
		append_part(buf, size, max_width, part);
	}
	if (llm->down) {
		snprintf(part, sizeof part, "%llu unreachable", (unsigned long long)llm->down);
		append_part(buf, size, max_width, part);
	}
	if (llm->lost_fields) {
		snprintf(part, sizeof part, "%llu fields lost", (unsigned long long)llm->lost_fields);
		append_part(buf, size, max_width, part);
	}
	if (strcmp(state, "up") == 0)
		return COLORS_OK;
	if (strcmp(state, "down") == 0)
		return COLORS_BAD;
	return strcmp(state, "replay") == 0 ? COLORS_TIER_LLM : COLORS_DIM;
}

/* The sparkline area of a stage: the sparkline, or a word when there are
 * no calls; for the llm row, its state after them. */
static void draw_stage_trend(struct session *s, struct draw_rect area, int y,
			     const struct tier_columns *c, enum targets_stage stage,
			     enum colors_role name_role)
{
	const struct runstats_stage *st = &s->live.stats.stages[stage];
	int x = area.x + c->spark;
	int width = area.width - c->spark - 1;
	char state[160] = "";
	enum colors_role state_role = COLORS_DIM;
	int state_width = 0;

	if (stage == TARGETS_LLM) {
		state_role = llm_state_text(s, state, sizeof state, width);
		state_width = draw_width(state);
		/* Keep ten columns of sparkline; past that the state wins. */
		if (state_width > 0 && state_width + 11 <= width)
			width -= state_width + 1;
		else if (state_width > 0)
			width = 0;
	}
	if (width > 0 && st->window_calls == 0)
		draw_text(y, x, width, COLORS_DIM, stage == TARGETS_LLM ? "not called" : "no calls yet");
	else if (width > 0)
		draw_sparkline(y, x, width, st->recent_us, st->recent_count, 0, name_role);
	if (state_width > 0)
		draw_text(y, width > 0 ? x + width + 1 : x, area.width - c->spark - 1 -
			  (width > 0 ? width + 1 : 0), state_role, state);
}

static int draw_stage(struct session *s, struct draw_rect area, int y,
		      const struct tier_columns *c, enum targets_stage stage)
{
	const struct runstats *stats = &s->live.stats;
	const struct runstats_stage *st = &stats->stages[stage];
	const struct targets_stage_target *target = targets_stage(stage);
	enum colors_role name_role = stage == TARGETS_CACHE ? COLORS_TIER_CACHE :
				     colors_tier_role((enum tier)stage);
	char value[32], goal[32];
	double hit = runstats_hit_rate(stats, stage);
	int x = area.x;

	draw_text(y, x, c->calls, name_role, target->name);
	draw_textf(y, x + c->calls, c->hit - c->calls - 1, COLORS_NORMAL, "%*llu",
		   c->hit - c->calls - 1, (unsigned long long)st->calls);
	draw_textf(y, x + c->hit, c->hit_target - c->hit, COLORS_NORMAL, "%6s",
		   format_percent(hit, value, sizeof value));
	if (stage == TARGETS_CACHE) {
		snprintf(goal, sizeof goal, "%s%.0f%%", draw_glyph(DRAW_GLYPH_GE),
			 TARGETS_CACHE_HIT_RATE * 100);
		draw_target(y, x + c->hit_target, c->success - c->hit_target - 1, goal, hit >= 0,
			    targets_at_least(hit, TARGETS_CACHE_HIT_RATE));
	}
	if (c->show_success)
		draw_success(y, x, c, stage, st);
	draw_text(y, x + c->p50, c->p95 - c->p50, COLORS_NORMAL,
		  format_latency_us(st->p50_us, value, sizeof value));
	draw_text(y, x + c->p95, c->p95_target - c->p95, COLORS_NORMAL,
		  format_latency_us(st->p95_us, value, sizeof value));
	snprintf(goal, sizeof goal, "%s", draw_glyph(DRAW_GLYPH_LE));
	format_latency_us(target->p95_us, goal + strlen(goal), sizeof goal - strlen(goal));
	/* When every call failed (a refused connection returns at once), the
	 * latency measures the failures, so it gets no verdict. */
	draw_target(y, x + c->p95_target, 12, goal,
		    st->p95_us >= 0 && !(st->calls > 0 && st->failures >= st->calls),
		    targets_at_most(st->p95_us, target->p95_us));

	if (c->spark_below) {
		y++;
		if (!row_fits(area, y))
			return y;
	}
	draw_stage_trend(s, area, y, c, stage, name_role);
	return y + 1;
}

static int draw_parse_line(struct session *s, struct draw_rect area, int y)
{
	const struct runstats *stats = &s->live.stats;
	char p50[32], p95[32], goal[32], rate[32];
	double error_rate = stats->cases ? (double)stats->errors / (double)stats->cases : -1;
	int x = area.x;

	format_latency_us(stats->parse_p50_us, p50, sizeof p50);
	format_latency_us(stats->parse_p95_us, p95, sizeof p95);
	x += draw_textf(y, x, area.width, COLORS_NORMAL, "parse p50 %s  p95 %s ", p50, p95);
	snprintf(goal, sizeof goal, "%s3s", draw_glyph(DRAW_GLYPH_LE));
	draw_target(y, x, 10, goal, stats->parse_p95_us >= 0,
		    targets_at_most(stats->parse_p95_us, TARGETS_PARSE_P95_US));
	x += 10;
	x += draw_textf(y, x, area.width - (x - area.x), COLORS_NORMAL, "   errors %zu (%s) ",
			stats->errors, format_percent(error_rate, rate, sizeof rate));
	snprintf(goal, sizeof goal, "%s%.0f%%", draw_glyph(DRAW_GLYPH_LE),
		 TARGETS_ERROR_RATE * 100);
	draw_target(y, x, area.width - (x - area.x), goal, error_rate >= 0,
		    targets_at_most(error_rate, TARGETS_ERROR_RATE));
	return y + 1;
}

static int draw_accuracy(struct session *s, struct draw_rect area, int y)
{
	const struct runstats *stats = &s->live.stats;
	char value[32];
	int x = area.x;
	int columns = area.width >= 150 ? 1 : 2;
	int column_width = columns == 1 ? 100 : area.width / 2;
	int rows = (FIELD_COUNT + columns - 1) / columns;

	x += draw_textf(y, x, area.width, COLORS_TITLE, "Accuracy %s",
			format_percent(stats->accuracy, value, sizeof value));
	x += draw_textf(y, x, area.width - (x - area.x), COLORS_DIM, " (%zu of %zu cases)",
			stats->correct, stats->cases);
	/* A stopped run covers part of the corpus, so it is not set against a
	 * baseline that covers all of it. */
	if (dash.baseline_id && stats->accuracy >= 0 && s->live.run.state != RUN_RUNNING &&
	    !s->live.run.cancelled) {
		double delta = (stats->accuracy - dash.baseline_accuracy) * 100;

		draw_textf(y, x, area.width - (x - area.x), delta >= 0 ? COLORS_OK : COLORS_BAD,
			   "  %+.1f pts vs run %lld %s", delta, (long long)dash.baseline_id,
			   delta >= 0 ? "ok" : "miss");
	} else if (!dash.baseline_id && s->live.have_run) {
		draw_text(y, x, area.width - (x - area.x), COLORS_DIM,
			  "  first run of this corpus");
	}
	y++;

	for (int f = 0; f < FIELD_COUNT; f++) {
		int row = f % rows;
		int col = f / rows;
		int fy = y + row;
		int fx = area.x + col * column_width;
		double acc = runstats_field_accuracy(stats, (enum field)f);
		/* "  duration_min 100.0% ████ 45/45": name 15, share 7, bar, count. */
		int bar_width = column_width - 36;
		int count_x = fx + 23;

		if (!row_fits(area, fy))
			continue;
		draw_textf(fy, fx, 15, COLORS_NORMAL, "  %s", field_name((enum field)f));
		draw_textf(fy, fx + 15, 7, acc >= 0 ? COLORS_NORMAL : COLORS_DIM, "%6s",
			   format_percent(acc, value, sizeof value));
		if (bar_width > 40)
			bar_width = 40;
		if (bar_width >= 3) {
			if (acc >= 0)
				draw_bar(fy, fx + 22, bar_width, acc, COLORS_GRAPH);
			count_x += bar_width;
		}
		draw_textf(fy, count_x, column_width - (count_x - fx), COLORS_DIM, "%zu/%zu",
			   stats->field_correct[f], stats->field_expected[f]);
	}
	return y + rows;
}

/* Lowest and highest positive latency of the window over every stage. */
static bool latency_range(const struct runstats *stats, double *lowest, double *highest)
{
	*lowest = 0;
	*highest = 0;
	for (int stage = 0; stage < TARGETS_STAGE_COUNT; stage++) {
		const struct runstats_stage *st = &stats->stages[stage];

		for (size_t i = 0; i < st->recent_count; i++) {
			double v = st->recent_us[i];

			if (isnan(v) || v <= 0)
				continue;
			if (*lowest == 0 || v < *lowest)
				*lowest = v;
			if (v > *highest)
				*highest = v;
		}
	}
	return *highest > 0;
}

/*
 * Latency histograms of the window, one row per stage, on one log scale
 * shared by all stages (whole decades from the fastest call to the
 * slowest), with the decades marked on an axis row below.
 */
static int draw_histograms(struct session *s, struct draw_rect area, int y)
{
	const struct runstats *stats = &s->live.stats;
	int label_width = 8;
	int columns = area.width - label_width - 1;
	double lowest, highest, counts[DASHBOARD_HISTOGRAM_MAX];
	int low_decade, high_decade;

	if (columns > DASHBOARD_HISTOGRAM_MAX)
		columns = DASHBOARD_HISTOGRAM_MAX;
	if (columns < 20 || !latency_range(stats, &lowest, &highest))
		return y;
	low_decade = (int)floor(log10(lowest));
	high_decade = (int)ceil(log10(highest));
	if (high_decade <= low_decade)
		high_decade = low_decade + 1;

	draw_text(y++, area.x, area.width, COLORS_TITLE,
		  "Latency distribution, last 1000 cases (calls per bucket, log scale)");
	for (int stage = 0; stage < TARGETS_STAGE_COUNT; stage++) {
		const struct runstats_stage *st = &stats->stages[stage];
		enum colors_role role = stage == TARGETS_CACHE ? COLORS_TIER_CACHE :
					colors_tier_role((enum tier)stage);

		draw_text(y, area.x, label_width, role, targets_stage((enum targets_stage)stage)->name);
		for (int c = 0; c < columns; c++)
			counts[c] = 0;
		for (size_t i = 0; i < st->recent_count; i++) {
			double v = st->recent_us[i];
			int c;

			if (isnan(v) || v <= 0)
				continue;
			c = (int)((log10(v) - low_decade) / (high_decade - low_decade) * columns);
			if (c < 0)
				c = 0;
			if (c >= columns)
				c = columns - 1;
			counts[c] += 1;
		}
		for (int c = 0; c < columns; c++)
			if (counts[c] == 0)
				counts[c] = -1;   /* an empty bucket is a gap, not a low bar */
		if (st->window_calls == 0)
			draw_text(y, area.x + label_width, columns, COLORS_DIM, "no calls");
		else
			draw_sparkline(y, area.x + label_width, columns, counts, (size_t)columns, 0,
				       role);
		y++;
	}

	/* The axis: each decade's latency under its column. */
	for (int d = low_decade; d <= high_decade; d++) {
		char label[32];
		int c = (int)((double)(d - low_decade) / (high_decade - low_decade) * columns);
		int w;

		format_latency_us(pow(10.0, d), label, sizeof label);
		w = draw_width(label);
		if (c + w > columns)
			c = columns - w;
		draw_text(y, area.x + label_width + c, w, COLORS_DIM, label);
	}
	return y + 1;
}

static void dashboard_draw(struct session *s, struct draw_rect area)
{
	struct tier_columns columns = tier_columns_for(area.width - 2);
	char problem[SESSION_MESSAGE_MAX];
	int y = area.y;
	int bottom = area.y + area.height;

	area.x += 1;
	area.width -= 2;
	y = draw_settings(s, area, y);
	session_corpus_problem(s, problem, sizeof problem);
	if (y < bottom && problem[0])
		draw_text(y++, area.x, area.width, COLORS_BAD, problem);
	if (y < bottom)
		y = draw_run_line(s, area, y);
	if (y < bottom)
		y = draw_progress(s, area, y);
	if (!s->live.have_run)
		return;
	y++;
	if (y < bottom)
		draw_tier_header(area, y++, &columns);
	for (int stage = 0; stage < TARGETS_STAGE_COUNT && y < bottom; stage++)
		y = draw_stage(s, area, y, &columns, (enum targets_stage)stage);
	if (y < bottom)
		y = draw_parse_line(s, area, y);
	y++;
	if (y < bottom)
		y = draw_accuracy(s, area, y);

	/* The histograms only where they fit whole: a heading, four stages
	 * and the axis, after a blank row. */
	if (bottom - y >= 8)
		draw_histograms(s, area, y + 1);
}

static bool dashboard_key(struct session *s, enum keymap_action action, int key)
{
	(void)key;
	if (action == KEYMAP_FOLLOW_NEWEST) {
		live_pin(&s->live, 0);
		session_message(s, SESSION_INFO, "Following the newest run");
		return true;
	}
	return false;
}

const struct view view_dashboard = {
	.id = VIEW_DASHBOARD,
	.name = "Dashboard",
	.summary = "The shown run's figures against their targets, refreshed live.",
	.init = dashboard_init,
	.draw = dashboard_draw,
	.key = dashboard_key,
	.tick = dashboard_tick,
	.free = NULL,
	.editing = NULL,
};
