/*
 * The Playground: the operator types a sentence and the cascade trace
 * follows each keystroke. Parsing runs on the tracer's threads, so a slow
 * LLM never holds up typing. After each key the view waits a few
 * milliseconds at most for the new text's quick trace (tiers 1 and 2), and
 * the LLM's answer fills in when it comes. A trace of an older text is
 * never shown for the new one: until the new text's first trace arrives
 * the view shows "Parsing...".
 *
 * The reference time is now: local wall-clock time in $TZ when TZ names a
 * zone, else UTC, so the zone and the time always agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "views/format.h"
#include "views/lineedit.h"
#include "views/session.h"
#include "views/tracer.h"
#include "views/tracetable.h"
#include "views/view.h"

/* How long a key waits for the quick trace of its text. Tiers 1 and 2
 * take microseconds, so this bound is only reached on a stalled machine. */
#define PLAYGROUND_QUICK_WAIT_MS 30

static struct {
	struct lineedit editor;
	struct tracer *tracer;
	uint64_t requested;            /* generation of the newest request */
	uint64_t seen;                 /* version of `result` */
	struct tracer_result *result;  /* heap: a parse_result is several KB */
	bool have_result;
	uint64_t cfg_generation;       /* of the configuration sent to the tracer */
	char tracer_error[256];
} play;

static void reference_now(struct cal_datetime *ref, char *tz, size_t tz_size)
{
	const char *zone = getenv("TZ");
	time_t now = time(NULL);
	struct tm parts;

	if (zone && zone[0] == ':')
		zone++;
	if (zone && zone[0]) {
		localtime_r(&now, &parts);
		snprintf(tz, tz_size, "%s", zone);
	} else {
		gmtime_r(&now, &parts);
		snprintf(tz, tz_size, "UTC");
	}
	ref->date.year = parts.tm_year + 1900;
	ref->date.month = parts.tm_mon + 1;
	ref->date.day = parts.tm_mday;
	ref->hour = parts.tm_hour;
	ref->minute = parts.tm_min;
	ref->second = parts.tm_sec;
}

static void poll_trace(void)
{
	if (tracer_poll(play.tracer, &play.seen, play.result))
		play.have_result = true;
}

/* Whether the trace on hand belongs to the text in the editor. */
static bool trace_current(void)
{
	return play.have_result && play.result->generation == play.requested;
}

static void request_trace(void)
{
	struct tracer_request *request;

	if (!play.tracer || play.editor.length == 0)
		return;
	request = calloc(1, sizeof *request);
	if (!request)
		return;
	event_copy_text(request->text, sizeof request->text, play.editor.text, play.editor.length);
	reference_now(&request->ref, request->tz, sizeof request->tz);
	request->locale = LOCALE_EN_US;
	play.requested = tracer_request(play.tracer, request);
	free(request);
	tracer_wait_first(play.tracer, play.requested, PLAYGROUND_QUICK_WAIT_MS);
	poll_trace();
}

static int playground_init(struct session *s, char *err, size_t err_size)
{
	memset(&play, 0, sizeof play);
	lineedit_clear(&play.editor);
	play.result = calloc(1, sizeof *play.result);
	if (!play.result) {
		snprintf(err, err_size, "out of memory for the trace");
		return -1;
	}
	play.tracer = tracer_new(&s->cfg, session_llm_recorder(s), play.tracer_error,
				 sizeof play.tracer_error);
	play.cfg_generation = s->cfg_generation;
	if (!play.tracer) {
		snprintf(err, err_size, "%s", play.tracer_error);
		return -1;
	}
	return 0;
}

static void playground_free(void)
{
	tracer_free(play.tracer);
	free(play.result);
	memset(&play, 0, sizeof play);
}

static void playground_tick(struct session *s)
{
	if (!play.tracer)
		return;
	if (play.cfg_generation != s->cfg_generation) {
		play.cfg_generation = s->cfg_generation;
		tracer_set_config(play.tracer, &s->cfg);
		request_trace();
	}
	poll_trace();
}

static void draw_status(struct draw_rect area, int y)
{
	const struct tracer_result *r = play.result;
	const struct parse_result *p = &r->parse;
	const struct cal_datetime *ref = &r->request.ref;
	char total[32];
	int x = area.x;

	if (play.editor.length == 0) {
		draw_text(y, x, area.width, COLORS_DIM,
			  "Type an event, for example: Lunch with Sarah next Friday at noon at Cafe Rio");
		return;
	}
	if (!trace_current()) {
		draw_text(y, x, area.width, COLORS_DIM, "Parsing...");
		return;
	}
	if (r->config_error[0]) {
		draw_textf(y, x, area.width, COLORS_BAD, "Cannot parse with these settings: %s",
			   r->config_error);
		return;
	}
	x += draw_textf(y, x, area.width, COLORS_DIM,
			"ref %04d-%02d-%02dT%02d:%02d:%02d %s, preset %s (%.2f/%.2f), ",
			ref->date.year, ref->date.month, ref->date.day, ref->hour, ref->minute,
			ref->second, r->request.tz, r->preset, r->regex_only, r->deterministic_backup);
	if (p->status != PARSE_OK && p->status != PARSE_TIER_FAILED)
		draw_textf(y, x, area.width - (x - area.x), COLORS_BAD, "%s", p->error);
	else
		draw_textf(y, x, area.width - (x - area.x),
			   p->status == PARSE_OK ? COLORS_NORMAL : COLORS_BAD, "total %s%s%s%s",
			   format_latency_us((double)p->total_ns / 1000.0, total, sizeof total),
			   p->error[0] ? ", " : "", p->error,
			   r->llm_pending ? " (llm answer pending)" : "");
}

static void playground_draw(struct session *s, struct draw_rect area)
{
	const char *prompt = "Event> ";
	int prompt_width = draw_width(prompt);
	int y = area.y;

	(void)s;
	area.x += 1;
	area.width -= 2;
	draw_text(y, area.x, prompt_width, COLORS_TITLE, prompt);
	lineedit_draw(&play.editor, y, area.x + prompt_width, area.width - prompt_width, true);
	y += 1;
	if (!play.tracer) {
		draw_textf(y, area.x, area.width, COLORS_BAD, "No traces: %s", play.tracer_error);
		return;
	}
	draw_status(area, y);
	y += 2;
	if (play.editor.length == 0 || !trace_current() || play.result->config_error[0])
		return;
	area.height -= y - area.y;
	area.y = y;
	tracetable_draw(area, y, play.result);
}

static bool playground_key(struct session *s, enum keymap_action action, int key)
{
	enum lineedit_result edited;

	if (action != KEYMAP_NONE)
		return false;
	edited = lineedit_key(&play.editor, key);
	if (edited == LINEEDIT_FULL) {
		session_message(s, SESSION_ERROR, "The Playground takes at most %d bytes of text",
				LINEEDIT_MAX);
		return true;
	}
	if (edited == LINEEDIT_CHANGED) {
		if (play.editor.length == 0)
			play.have_result = false;
		request_trace();
	}
	return edited != LINEEDIT_IGNORED;
}

static bool playground_editing(void)
{
	return true;
}

const struct view view_playground = {
	.id = VIEW_PLAYGROUND,
	.name = "Playground",
	.summary = "Type a sentence: the trace follows each key. Printable keys are text here.",
	.init = playground_init,
	.draw = playground_draw,
	.key = playground_key,
	.tick = playground_tick,
	.free = playground_free,
	.editing = playground_editing,
};
