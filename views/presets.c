/*
 * The Presets view: the three presets with their values, which one is in
 * use, and what the newest complete run with each preset measured, so the
 * operator sees what each setting buys before and after switching.
 * Switching reruns the corpus on the rerun thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/settings.h"
#include "views/format.h"
#include "views/session.h"
#include "views/view.h"

#define PRESET_COUNT 3
#define PRESETS_REFRESH_MS 2000

static const char *const preset_names[PRESET_COUNT] = { "performance", "balanced", "quality" };

static struct {
	int cursor;
	int64_t checked_ms;
	/* The newest complete run of each preset, 0 when none. */
	int64_t run_id[PRESET_COUNT];
	double accuracy[PRESET_COUNT];
	double p95_us[PRESET_COUNT];
} presets;

static int presets_init(struct session *s, char *err, size_t err_size)
{
	(void)err;
	(void)err_size;
	memset(&presets, 0, sizeof presets);
	presets.cursor = 1;
	for (int i = 0; i < PRESET_COUNT; i++)
		if (strcmp(s->cfg.preset, preset_names[i]) == 0)
			presets.cursor = i;
	return 0;
}

/* Whether a run measures its preset as this view compares them: complete,
 * on the session's corpus, in the cascade, with the preset's thresholds. */
static bool measures_preset(const struct session *s, const struct run_record *run)
{
	return run->state == RUN_COMPLETE && !run->cancelled && strcmp(run->mode, "hybrid") == 0 &&
	       (!s->corpus || strcmp(run->corpus_sha256, s->corpus->sha256) == 0) &&
	       !settings_thresholds_custom(run->settings_json);
}

static void presets_tick(struct session *s)
{
	struct history *h = live_history(&s->live);
	struct run_record *runs = NULL;
	size_t count = 0;
	char err[HISTORY_ERROR_MAX];

	if (!h || s->now_ms - presets.checked_ms < PRESETS_REFRESH_MS)
		return;
	presets.checked_ms = s->now_ms;
	if (history_list_runs(h, 500, &runs, &count, err, sizeof err) != 0)
		return;
	memset(presets.run_id, 0, sizeof presets.run_id);
	for (size_t r = 0; r < count; r++) {
		if (!measures_preset(s, &runs[r]))
			continue;
		for (int i = 0; i < PRESET_COUNT; i++)
			if (!presets.run_id[i] && strcmp(runs[r].preset, preset_names[i]) == 0) {
				presets.run_id[i] = runs[r].id;
				presets.accuracy[i] = runs[r].accuracy;
				presets.p95_us[i] = runs[r].p95_us;
			}
	}
	free(runs);
}

static void presets_draw(struct session *s, struct draw_rect area)
{
	bool wide = area.width >= 120;
	int y = area.y;
	int x;

	area.x += 1;
	area.width -= 2;
	draw_text(y++, area.x, area.width, COLORS_DIM, s->readonly ?
		  "Read-only: switching changes the Playground's settings only, no rerun." :
		  "1, 2, 3 or Enter: switch preset and rerun the corpus.");
	y++;
	x = area.x;
	draw_text(y, x + 2, 14, COLORS_TITLE, "preset");
	draw_text(y, x + 17, 7, COLORS_TITLE, "regex");
	draw_text(y, x + 24, 7, COLORS_TITLE, "rules");
	draw_text(y, x + 31, 14, COLORS_TITLE, "llm model");
	if (wide)
		draw_text(y, x + 45, 40, COLORS_TITLE, "temp  tokens  timeout  retries  context");
	draw_text(y, x + (wide ? 86 : 45), 34, COLORS_TITLE, "newest run: accuracy, p95");
	y++;

	for (int i = 0; i < PRESET_COUNT && y < area.y + area.height; i++, y++) {
		struct cascade_config p;
		char err[128], accuracy[32], p95[32];
		bool current = strcmp(s->cfg.preset, preset_names[i]) == 0;
		enum colors_role role = i == presets.cursor ? COLORS_SELECTION : COLORS_NORMAL;

		if (config_preset(&p, preset_names[i], err, sizeof err) != 0)
			continue;
		if (i == presets.cursor)
			draw_fill(y, area.x, area.width, COLORS_SELECTION);
		draw_textf(y, x, 17, role, "%d %s%s", i + 1, p.preset, current ? " *" : "");
		draw_textf(y, x + 17, 7, role, "%.2f", p.regex_only);
		draw_textf(y, x + 24, 7, role, "%.2f", p.deterministic_backup);
		draw_textf(y, x + 31, 14, role, "%s", p.llm_model);
		if (wide)
			draw_textf(y, x + 45, 40, role, "%4.1f  %6d  %6.1fs  %7d  %7d",
				   p.llm_temperature, p.llm_max_tokens, p.llm_timeout_s,
				   p.llm_max_retries, p.llm_context_limit);
		if (presets.run_id[i])
			draw_textf(y, x + (wide ? 86 : 45), area.width - (wide ? 86 : 45), role,
				   "run %lld: %s, p95 %s", (long long)presets.run_id[i],
				   format_percent(presets.accuracy[i], accuracy, sizeof accuracy),
				   format_latency_us(presets.p95_us[i], p95, sizeof p95));
		else
			draw_text(y, x + (wide ? 86 : 45), area.width - (wide ? 86 : 45),
				  i == presets.cursor ? role : COLORS_DIM, "none yet");
	}
	y++;
	if (y < area.y + area.height)
		draw_textf(y++, area.x, area.width, COLORS_NORMAL, "In use: %s, regex_only %.2f, "
			   "deterministic_backup %.2f, llm %s", s->cfg.preset,
			   s->cfg.regex_only, s->cfg.deterministic_backup,
			   config_llm_backend_name(s->cfg.llm_backend));
	if (y < area.y + area.height)
		draw_text(y++, area.x, area.width, COLORS_DIM, "regex: regex_only, the tier 1 "
			  "threshold; rules: deterministic_backup, tier 2.");
}

static bool presets_key(struct session *s, enum keymap_action action, int key)
{
	(void)key;
	switch (action) {
	case KEYMAP_UP:
		if (presets.cursor > 0)
			presets.cursor--;
		return true;
	case KEYMAP_DOWN:
		if (presets.cursor < PRESET_COUNT - 1)
			presets.cursor++;
		return true;
	case KEYMAP_TOP:
		presets.cursor = 0;
		return true;
	case KEYMAP_BOTTOM:
		presets.cursor = PRESET_COUNT - 1;
		return true;
	case KEYMAP_OPEN:
		session_apply_preset(s, preset_names[presets.cursor]);
		return true;
	case KEYMAP_PRESET_PERFORMANCE:
	case KEYMAP_PRESET_BALANCED:
	case KEYMAP_PRESET_QUALITY:
		/* Let the global action switch, and keep the cursor on it. */
		presets.cursor = (int)(action - KEYMAP_PRESET_PERFORMANCE);
		return false;
	default:
		return false;
	}
}

const struct view view_presets = {
	.id = VIEW_PRESETS,
	.name = "Presets",
	.summary = "The three presets; switching one reruns the corpus.",
	.init = presets_init,
	.draw = presets_draw,
	.key = presets_key,
	.tick = presets_tick,
	.free = NULL,
	.editing = NULL,
};
