/*
 * The Thresholds view: regex_only and deterministic_backup as sliders
 * moved in steps of 0.05. Each step reruns the corpus after a short pause,
 * so a few quick steps cost one rerun; Enter reruns at once.
 * llm_enhancement is shown but fixed, since the cascade takes the llm
 * tier's value whenever the llm returns one.
 */
#include <stdio.h>
#include <string.h>

#include "views/session.h"
#include "views/view.h"

static struct {
	int cursor;   /* enum session_threshold */
} thresholds;

static int thresholds_init(struct session *s, char *err, size_t err_size)
{
	(void)s;
	(void)err;
	(void)err_size;
	thresholds.cursor = SESSION_REGEX_ONLY;
	return 0;
}

static void draw_slider(int y, struct draw_rect area, bool selected, const char *name,
			double value, double preset_value, const char *meaning)
{
	enum colors_role role = selected ? COLORS_SELECTION : COLORS_NORMAL;
	int slider_width = area.width >= 100 ? 40 : 20;

	if (selected)
		draw_fill(y, area.x, area.width, COLORS_SELECTION);
	draw_textf(y, area.x, 24, role, "%s %s", selected ? ">" : " ", name);
	draw_textf(y, area.x + 24, 6, role, "%.2f", value);
	draw_bar(y, area.x + 30, slider_width, value, COLORS_GRAPH);
	draw_textf(y, area.x + 31 + slider_width, area.width - 31 - slider_width,
		   value != preset_value ? COLORS_WARN : role, "preset %.2f%s", preset_value,
		   value != preset_value ? " (changed)" : "");
	draw_text(y + 1, area.x + 4, area.width - 4, COLORS_DIM, meaning);
}

static void thresholds_draw(struct session *s, struct draw_rect area)
{
	struct cascade_config preset;
	char err[128];
	int y = area.y;
	int bottom = area.y + area.height;

	area.x += 1;
	area.width -= 2;
	if (config_preset(&preset, s->cfg.preset, err, sizeof err) != 0)
		preset = s->cfg;
	draw_textf(y++, area.x, area.width, COLORS_DIM, "Preset %s. Up/Down select, +/- move "
		   "by %.2f, Enter reruns now.", s->cfg.preset, SESSION_THRESHOLD_STEP);
	y++;
	draw_slider(y, area, thresholds.cursor == SESSION_REGEX_ONLY, "regex_only",
		    s->cfg.regex_only, preset.regex_only,
		    "A field is taken from tier 1 (regex) at or above this confidence.");
	y += 3;
	if (y < bottom)
		draw_slider(y, area, thresholds.cursor == SESSION_DETERMINISTIC_BACKUP,
			    "deterministic_backup", s->cfg.deterministic_backup,
			    preset.deterministic_backup,
			    "Fields below regex_only are taken from tier 2 (rules) at or above this.");
	y += 3;
	if (y < bottom) {
		draw_textf(y, area.x, area.width, COLORS_DIM, "  llm_enhancement       %.2f  "
			   "fixed: the llm's answer is taken when it answers", s->cfg.llm_enhancement);
		y += 2;
	}
	if (y >= bottom)
		return;
	if (s->readonly) {
		draw_text(y, area.x, area.width, COLORS_WARN,
			  "Read-only: changes apply to the Playground only; reruns are off.");
	} else if (s->rerun_due_ms) {
		draw_textf(y, area.x, area.width, COLORS_WARN, "Rerun in %.1f s (Enter: now)",
			   (double)(s->rerun_due_ms - s->now_ms) / 1000.0);
	} else if (session_run_going(s)) {
		struct runner_progress p;

		session_run_progress(s, &p);
		draw_textf(y, area.x, area.width, COLORS_WARN, "Rerun going: %zu of %zu cases",
			   p.done, p.total);
	}
}

static bool thresholds_key(struct session *s, enum keymap_action action, int key)
{
	(void)key;
	switch (action) {
	case KEYMAP_UP:
	case KEYMAP_TOP:
		thresholds.cursor = SESSION_REGEX_ONLY;
		return true;
	case KEYMAP_DOWN:
	case KEYMAP_BOTTOM:
		thresholds.cursor = SESSION_DETERMINISTIC_BACKUP;
		return true;
	case KEYMAP_INCREASE:
		session_step_threshold(s, (enum session_threshold)thresholds.cursor, 1);
		return true;
	case KEYMAP_DECREASE:
		session_step_threshold(s, (enum session_threshold)thresholds.cursor, -1);
		return true;
	default:
		return false;
	}
}

const struct view view_thresholds = {
	.id = VIEW_THRESHOLDS,
	.name = "Thresholds",
	.summary = "Move regex_only and deterministic_backup by 0.05 and rerun.",
	.init = thresholds_init,
	.draw = thresholds_draw,
	.key = thresholds_key,
	.tick = NULL,
	.free = NULL,
	.editing = NULL,
};
