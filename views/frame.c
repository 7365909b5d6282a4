/*
 * Header, message line, function-key bar and the covering screens.
 */
#include <stdio.h>
#include <string.h>

#include "views/format.h"
#include "views/frame.h"
#include "views/keymap.h"

/* "run 12 running 340/1000", "run 12 complete", or "no runs yet". */
static void describe_shown_run(struct session *s, char *buf, size_t size)
{
	const struct live *live = &s->live;

	if (!live->have_run) {
		snprintf(buf, size, "%s", live->history || live->db_missing ? "no runs yet" :
			 "history not open");
		return;
	}
	if (live->run.state == RUN_RUNNING)
		snprintf(buf, size, "run %lld running %lld/%lld", (long long)live->run.id,
			 (long long)live->run.cases_done, (long long)live->run.cases_total);
	else
		snprintf(buf, size, "run %lld %s", (long long)live->run.id,
			 format_run_state(&live->run));
}

void frame_draw_header(struct session *s, const struct view *const *views, int current,
		       int width)
{
	char status[128];
	char right[192];
	int x = 0;
	int status_width;

	draw_fill(0, 0, width, COLORS_TAB);
	describe_shown_run(s, status, sizeof status);

	/* Every tab when they fit beside the status; else only the current
	 * view's name, so the header never wraps. */
	int tabs_width = 0;

	for (int v = 0; v < VIEW_COUNT; v++)
		tabs_width += draw_width(views[v]->name) + 2;
	if (tabs_width <= width) {
		for (int v = 0; v < VIEW_COUNT; v++) {
			enum colors_role role = v == current ? COLORS_TAB_ACTIVE : COLORS_TAB;

			x += draw_textf(0, x, width - x, role, " %s ", views[v]->name);
		}
	} else {
		x += draw_textf(0, 0, width, COLORS_TAB_ACTIVE, " %s ", views[current]->name);
	}

	/* The most detailed status that fits beside the tabs: with the
	 * preset, then without it, then the read-only mark alone. */
	for (int form = 0; form < 3; form++) {
		if (form == 0)
			snprintf(right, sizeof right, " %s%s | %s ", s->readonly ? "read-only | " : "",
				 s->cfg.preset, status);
		else if (form == 1)
			snprintf(right, sizeof right, " %s%s ", s->readonly ? "read-only | " : "", status);
		else
			snprintf(right, sizeof right, " %s", s->readonly ? "read-only " : "");
		status_width = draw_width(right);
		if (x + status_width <= width) {
			draw_text(0, width - status_width, status_width, COLORS_TAB, right);
			break;
		}
	}
}

/* The error on the message line as shown: whole when it fits in
 * FRAME_MESSAGE_ROWS_MAX rows, else its start cut with an ellipsis and
 * its end kept, because an error ends with what to do about it. */
static void fit_error(const char *message, int width, char *out, size_t size)
{
	const char *tail = strrchr(message, ':');
	int room = FRAME_MESSAGE_ROWS_MAX * width - 2;
	size_t head;

	snprintf(out, size, "%s", message);
	if (width <= 1 || draw_wrapped_rows(out, width - 1) <= FRAME_MESSAGE_ROWS_MAX)
		return;
	/* The last clause after a colon is the fix; a few columns of slack
	 * cover the word wrapping. */
	if (!tail || draw_width(tail) > room / 2)
		tail = message + draw_fit(message, room / 2);
	head = draw_fit(message, room - draw_width(tail) - 2 - width / 2);
	snprintf(out, size, "%.*s%s%s", (int)head, message, draw_glyph(DRAW_GLYPH_ELLIPSIS), tail);
}

int frame_message_rows(const struct session *s, int width)
{
	char text[SESSION_MESSAGE_MAX + 8];
	int rows;

	if (s->message[0] == '\0' || s->message_level != SESSION_ERROR || width <= 1)
		return 1;
	fit_error(s->message, width, text, sizeof text);
	rows = draw_wrapped_rows(text, width - 1);
	if (rows < 1)
		return 1;
	return rows > FRAME_MESSAGE_ROWS_MAX ? FRAME_MESSAGE_ROWS_MAX : rows;
}

/* " ? help  Tab next view  r rerun  q quit", from the keymap. While a view
 * takes typed text its printable keys are text, so each action shows its
 * first key that is not a character, and Esc (back) is added. */
static void draw_hints(int y, int width, bool editing)
{
	static const enum keymap_action actions[] = { KEYMAP_HELP, KEYMAP_NEXT_VIEW, KEYMAP_BACK,
						      KEYMAP_RERUN, KEYMAP_QUIT };
	static const char *const words[] = { "help", "next view", "back", "rerun",
					     "quit" };
	char line[256] = "";
	size_t used = 0;

	for (size_t a = 0; a < sizeof actions / sizeof actions[0]; a++) {
		const struct keymap_binding *b = keymap_global_binding(actions[a]);
		char name[32] = "";

		if (!b || (actions[a] == KEYMAP_BACK && !editing))
			continue;
		for (int k = 0; k < KEYMAP_KEYS_MAX && b->keys[k] != 0 && !name[0]; k++)
			if (!editing || !keymap_is_text(b->keys[k]))
				keymap_key_name(b->keys[k], name, sizeof name);
		if (name[0] && used < sizeof line)
			used += (size_t)snprintf(line + used, sizeof line - used, " %s %s ", name,
						 words[a]);
	}
	draw_text(y, 0, width, COLORS_DIM, line);
}

void frame_draw_message(struct session *s, int y, int rows, int width, bool editing)
{
	char text[SESSION_MESSAGE_MAX + 8];

	if (s->message[0] == '\0') {
		draw_hints(y, width, editing);
		return;
	}
	if (s->message_level == SESSION_ERROR) {
		struct draw_rect box = { y, 1, rows, width - 1 };

		for (int r = 0; r < rows; r++)
			draw_fill(y + r, 0, width, COLORS_ERROR);
		fit_error(s->message, width, text, sizeof text);
		draw_wrapped(box, COLORS_ERROR, text, 0);
	} else {
		draw_textf(y, 0, width, COLORS_INFO, " %s", s->message);
	}
}

void frame_draw_function_bar(int y, int width)
{
	int x = 0;

	for (int n = 1; n <= 10 && x < width; n++) {
		const struct keymap_binding *b = keymap_function_key(n);
		char number[16];

		if (!b || !b->bar_label)
			continue;
		snprintf(number, sizeof number, "F%d", n);
		x += draw_text(y, x, width - x, COLORS_FKEY_NUMBER, number);
		x += draw_textf(y, x, width - x, COLORS_FKEY_LABEL, "%s ", b->bar_label);
	}
	if (x < width)
		draw_fill(y, x, width - x, COLORS_FKEY_LABEL);
}

/* The help text is laid out twice: once to count its rows, once to draw
 * the visible ones. `row` counts every line; only rows inside the window
 * [*scroll, *scroll + area.height) reach the screen. */
struct help_writer {
	struct draw_rect area;
	int scroll;
	int row;
};

static void help_line(struct help_writer *w, enum colors_role role, const char *keys,
		      const char *text)
{
	int y = w->area.y + w->row - w->scroll;
	int key_width = 16;

	if (w->row >= w->scroll && w->row < w->scroll + w->area.height) {
		if (keys) {
			draw_text(y, w->area.x + 2, key_width - 2, COLORS_TITLE, keys);
			draw_text(y, w->area.x + key_width, w->area.width - key_width, role, text);
		} else {
			draw_text(y, w->area.x, w->area.width, role, text);
		}
	}
	w->row++;
}

static void help_section(struct help_writer *w, int scope, const char *heading)
{
	char keys[96];

	if (heading)
		help_line(w, COLORS_TITLE, NULL, heading);
	for (size_t i = 0;; i++) {
		const struct keymap_binding *b = keymap_binding_at(i);

		if (!b)
			break;
		if (b->scope != scope)
			continue;
		keymap_binding_keys(b, keys, sizeof keys);
		help_line(w, COLORS_NORMAL, keys, b->description);
	}
	help_line(w, COLORS_NORMAL, NULL, "");
}

static int help_write(struct draw_rect area, const struct view *view, int scroll)
{
	struct help_writer w = { area, scroll, 0 };
	char heading[96];

	help_line(&w, COLORS_DIM, NULL, "Help (Esc, q or ? closes; arrows, PgUp and PgDn scroll)");
	help_line(&w, COLORS_NORMAL, NULL, "");
	snprintf(heading, sizeof heading, "%s view", view->name);
	help_line(&w, COLORS_TITLE, NULL, heading);
	help_line(&w, COLORS_NORMAL, "", view->summary);
	help_section(&w, view->id, NULL);
	help_section(&w, KEYMAP_SCOPE_GLOBAL, "Everywhere");
	help_section(&w, KEYMAP_SCOPE_LIST, "Lists");
	help_section(&w, KEYMAP_SCOPE_EDITOR, "Typing text (Playground, search)");
	help_line(&w, COLORS_DIM, NULL, "While typing, printable keys insert text; function keys, "
		  "Tab, Esc and Ctrl-L keep their meaning.");
	return w.row;
}

void frame_draw_help(struct draw_rect area, const struct view *view, int *scroll)
{
	struct draw_rect offscreen = { -1000, 0, 0, area.width };
	int rows = help_write(offscreen, view, 0);
	int max_scroll = rows > area.height ? rows - area.height : 0;

	if (*scroll > max_scroll)
		*scroll = max_scroll;
	if (*scroll < 0)
		*scroll = 0;
	help_write(area, view, *scroll);
}

void frame_draw_quit_question(struct session *s, int height, int width)
{
	struct runner_progress progress;
	char line[160];
	int box_width = width < 64 ? width : 64;
	struct draw_rect box = { height / 2 - 3, (width - box_width) / 2, 6, box_width };

	memset(&progress, 0, sizeof progress);
	session_run_progress(s, &progress);
	if (progress.run_id)
		snprintf(line, sizeof line, "Run %lld is going (%zu of %zu cases).",
			 (long long)progress.run_id, progress.done, progress.total);
	else
		snprintf(line, sizeof line, "A rerun is starting.");
	for (int y = box.y; y < box.y + box.height; y++)
		draw_fill(y, box.x, box.width, COLORS_NORMAL);
	draw_box(box, COLORS_WARN, "Quit?");
	draw_text(box.y + 2, box.x + 2, box.width - 4, COLORS_NORMAL, line);
	draw_text(box.y + 3, box.x + 2, box.width - 4, COLORS_NORMAL,
		  "Stop it and quit? y: yes, n or Esc: no");
}

void frame_draw_too_small(struct session *s, int height, int width)
{
	char text[512];
	char status[128];
	struct draw_rect area = { 0, 1, height, width - 2 };
	int used;

	if (width < 3)
		area = (struct draw_rect){ 0, 0, height, width };
	describe_shown_run(s, status, sizeof status);
	snprintf(text, sizeof text, "Terminal too small (%dx%d): caltune needs at least %dx%d. "
		 "Enlarge the window, or press q to quit.", width, height, FRAME_MIN_WIDTH,
		 FRAME_MIN_HEIGHT);
	/* A tiny window gets the short form, so the way out still shows. */
	if (draw_wrapped_rows(text, area.width) > height)
		snprintf(text, sizeof text, "Too small (%dx%d): needs %dx%d. q quits.", width,
			 height, FRAME_MIN_WIDTH, FRAME_MIN_HEIGHT);
	used = draw_wrapped(area, COLORS_WARN, text, 0);
	if (used + 2 > height)
		return;
	area.y += used + 1;
	area.height -= used + 1;
	if (s->live.have_run && s->live.stats.accuracy >= 0)
		snprintf(text, sizeof text, "%s, accuracy %.1f%%", status,
			 s->live.stats.accuracy * 100);
	else
		snprintf(text, sizeof text, "%s", status);
	used = draw_wrapped(area, COLORS_NORMAL, text, 0);
	if (s->message[0] && used + 1 < area.height) {
		area.y += used + 1;
		area.height -= used + 1;
		draw_wrapped(area, s->message_level == SESSION_ERROR ? COLORS_BAD : COLORS_DIM,
			     s->message, 0);
	}
}

void frame_draw_loading(const char *corpus_path)
{
	int height, width;
	char text[PATH_MAX + 64];
	struct draw_rect area;

	draw_size(&height, &width);
	area = (struct draw_rect){ height / 2, 1, height - height / 2, width - 2 };
	draw_clear();
	if (corpus_path && corpus_path[0])
		snprintf(text, sizeof text, "caltune: loading corpus %s %s", corpus_path,
			 draw_glyph(DRAW_GLYPH_ELLIPSIS));
	else
		snprintf(text, sizeof text, "caltune: opening the history %s",
			 draw_glyph(DRAW_GLYPH_ELLIPSIS));
	draw_wrapped(area, COLORS_DIM, text, 0);
	draw_present();
}
