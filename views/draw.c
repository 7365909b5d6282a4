/*
 * The draw layer over curses (ncursesw when built with it). Text goes out
 * one character at a time after mbrtowc and wcwidth have measured it, so
 * widths are right for accented letters, CJK and emoji, and anything that
 * is not printable becomes '?'.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700   /* wcwidth */
#endif
#include <curses.h>
#include <langinfo.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "views/draw.h"

static bool color_enabled;
static bool unicode_enabled;
static int cursor_y = -1;
static int cursor_x = -1;

static const char *const unicode_glyphs[DRAW_GLYPH_COUNT] = {
	"\u00b5", "\u2014", "\u2026", "\u2192", "\u2264", "\u2265", "\u2022"
};
static const char *const ascii_glyphs[DRAW_GLYPH_COUNT] = {
	"u", "-", "~", "->", "<=", ">=", "*"
};

/* Eight heights, lowest first. */
static const char *const unicode_levels[8] = {
	"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"
};
static const char ascii_levels[8] = { '_', '.', '-', ':', '=', '+', '*', '#' };

static attr_t attrs_from_bits(unsigned bits)
{
	attr_t a = A_NORMAL;

	if (bits & COLORS_ATTR_BOLD)
		a |= A_BOLD;
	if (bits & COLORS_ATTR_REVERSE)
		a |= A_REVERSE;
	if (bits & COLORS_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (bits & COLORS_ATTR_DIM)
		a |= A_DIM;
	return a;
}

static attr_t role_attr(enum colors_role role)
{
	const struct colors_style *s = colors_style(role);

	if (!color_enabled)
		return attrs_from_bits(s->mono_attrs);
	return COLOR_PAIR((int)role + 1) | attrs_from_bits(s->attrs);
}

void draw_init(bool color)
{
	const char *codeset = nl_langinfo(CODESET);

	unicode_enabled = codeset && strcmp(codeset, "UTF-8") == 0;
	color_enabled = false;
	if (!color || !has_colors() || start_color() == ERR)
		return;

	/* Without default-colour support, "default" falls back to white on
	 * black, which is what most terminals show anyway. */
	bool defaults = use_default_colors() == OK;

	for (int r = 0; r < COLORS_ROLE_COUNT; r++) {
		const struct colors_style *s = colors_style((enum colors_role)r);
		short fg = (short)s->fg;
		short bg = (short)s->bg;

		if (!defaults && fg < 0)
			fg = COLOR_WHITE;
		if (!defaults && bg < 0)
			bg = COLOR_BLACK;
		init_pair((short)(r + 1), fg, bg);
	}
	color_enabled = true;
}

bool draw_colors_enabled(void)
{
	return color_enabled;
}

bool draw_unicode(void)
{
	return unicode_enabled;
}

const char *draw_glyph(enum draw_glyph glyph)
{
	if (glyph < 0 || glyph >= DRAW_GLYPH_COUNT)
		return "?";
	return unicode_enabled ? unicode_glyphs[glyph] : ascii_glyphs[glyph];
}

void draw_size(int *height, int *width)
{
	*height = LINES;
	*width = COLS;
}

void draw_clear(void)
{
	erase();
	cursor_y = -1;
	cursor_x = -1;
}

void draw_present(void)
{
	if (cursor_y >= 0 && cursor_y < LINES && cursor_x >= 0 && cursor_x < COLS) {
		move(cursor_y, cursor_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
}

void draw_invalidate(void)
{
	clearok(curscr, TRUE);
}

void draw_cursor(int y, int x)
{
	cursor_y = y;
	cursor_x = x;
}

/*
 * Walks a UTF-8 string character by character. Returns the byte length of
 * the character at text[i] (at least 1) and its width in *columns, or -1
 * in *columns when it must be shown as '?'.
 */
static size_t next_char(const char *text, size_t len, size_t i, int *columns)
{
	mbstate_t state;
	wchar_t wc;
	size_t n;

	memset(&state, 0, sizeof state);
	n = mbrtowc(&wc, text + i, len - i, &state);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*columns = -1;
		return 1;
	}
	*columns = wcwidth(wc);
	return n;
}

/* Clamps a span to the screen; returns false when nothing of it shows. */
static bool clip_span(int y, int x, int *width)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS || *width <= 0)
		return false;
	if (*width > COLS - x)
		*width = COLS - x;
	return true;
}

int draw_text(int y, int x, int width, enum colors_role role, const char *text)
{
	size_t len = text ? strlen(text) : 0;
	size_t i = 0;
	int used = 0;
	attr_t attr = role_attr(role);
	bool cut;

	if (!clip_span(y, x, &width))
		return 0;
	/* A text that does not fit ends in an ellipsis (one column in both
	 * glyph sets), so a cut value never passes for a whole one. */
	cut = draw_width(text) > width;
	if (cut)
		width--;
	move(y, x);
	attron(attr);
	while (i < len) {
		int columns;
		size_t n = next_char(text, len, i, &columns);

		if (columns < 0) {
			if (used + 1 > width)
				break;
			addch(text[i] == '\t' ? ' ' : '?');
			used++;
		} else {
			if (used + columns > width)
				break;
			addnstr(text + i, (int)n);
			used += columns;
		}
		i += n;
	}
	if (cut) {
		addstr(draw_glyph(DRAW_GLYPH_ELLIPSIS));
		used++;
	}
	attroff(attr);
	return used;
}

int draw_textf(int y, int x, int width, enum colors_role role, const char *format, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, format);
	vsnprintf(buf, sizeof buf, format, ap);
	va_end(ap);
	return draw_text(y, x, width, role, buf);
}

void draw_text_right(int y, int x, int width, enum colors_role role, const char *text)
{
	int w = draw_width(text);

	if (w >= width)
		draw_text(y, x, width, role, text);
	else
		draw_text(y, x + width - w, w, role, text);
}

void draw_fill(int y, int x, int width, enum colors_role role)
{
	attr_t attr = role_attr(role);

	if (!clip_span(y, x, &width))
		return;
	attron(attr);
	mvhline(y, x, ' ', width);
	attroff(attr);
}

void draw_field(int y, int x, int label_width, int width, const char *label,
		enum colors_role value_role, const char *value)
{
	if (label_width > width)
		label_width = width;
	draw_text(y, x, label_width, COLORS_DIM, label);
	draw_text(y, x + label_width, width - label_width, value_role, value);
}

void draw_hline(int y, int x, int width, enum colors_role role)
{
	attr_t attr = role_attr(role);

	if (!clip_span(y, x, &width))
		return;
	attron(attr);
	mvhline(y, x, ACS_HLINE, width);
	attroff(attr);
}

void draw_box(struct draw_rect r, enum colors_role role, const char *title)
{
	attr_t attr = role_attr(role);
	int bottom = r.y + r.height - 1;
	int right = r.x + r.width - 1;

	if (r.height < 2 || r.width < 2)
		return;
	attron(attr);
	for (int y = r.y + 1; y < bottom; y++) {
		if (y >= 0 && y < LINES && r.x >= 0 && r.x < COLS)
			mvaddch(y, r.x, ACS_VLINE);
		if (y >= 0 && y < LINES && right >= 0 && right < COLS)
			mvaddch(y, right, ACS_VLINE);
	}
	attroff(attr);
	draw_hline(r.y, r.x + 1, r.width - 2, role);
	draw_hline(bottom, r.x + 1, r.width - 2, role);
	attron(attr);
	if (r.y >= 0 && r.y < LINES && r.x >= 0 && r.x < COLS)
		mvaddch(r.y, r.x, ACS_ULCORNER);
	if (r.y >= 0 && r.y < LINES && right >= 0 && right < COLS)
		mvaddch(r.y, right, ACS_URCORNER);
	if (bottom >= 0 && bottom < LINES && r.x >= 0 && r.x < COLS)
		mvaddch(bottom, r.x, ACS_LLCORNER);
	if (bottom >= 0 && bottom < LINES && right >= 0 && right < COLS)
		mvaddch(bottom, right, ACS_LRCORNER);
	attroff(attr);
	if (title && title[0] && r.width > 4)
		draw_textf(r.y, r.x + 2, r.width - 4, COLORS_TITLE, " %s ", title);
}

static void put_level(int y, int x, int level, attr_t attr)
{
	attron(attr);
	if (unicode_enabled)
		mvaddstr(y, x, unicode_levels[level]);
	else
		mvaddch(y, x, (chtype)ascii_levels[level]);
	attroff(attr);
}

void draw_sparkline(int y, int x, int width, const double *values, size_t count,
		    double ceiling, enum colors_role role)
{
	attr_t attr = role_attr(role);
	double column_values[1024];
	size_t columns;
	double top = ceiling;

	if (!clip_span(y, x, &width) || count == 0)
		return;
	columns = count < (size_t)width ? count : (size_t)width;
	if (columns > sizeof column_values / sizeof column_values[0])
		columns = sizeof column_values / sizeof column_values[0];

	/* Values [first, last) fall in column c; a column with no value is
	 * a gap (-1). */
	for (size_t c = 0; c < columns; c++) {
		size_t first = c * count / columns;
		size_t last = (c + 1) * count / columns;
		double sum = 0;
		size_t n = 0;

		for (size_t i = first; i < last; i++) {
			if (isnan(values[i]) || values[i] < 0)
				continue;
			sum += values[i];
			n++;
		}
		column_values[c] = n ? sum / (double)n : -1;
	}
	if (top <= 0) {
		top = 0;
		for (size_t c = 0; c < columns; c++)
			if (column_values[c] > top)
				top = column_values[c];
	}
	for (size_t c = 0; c < columns; c++) {
		int level;

		if (column_values[c] < 0)
			continue;
		level = top > 0 ? (int)(column_values[c] / top * 7.0 + 0.5) : 0;
		if (level > 7)
			level = 7;
		put_level(y, x + (int)c, level, attr);
	}
}

void draw_bar(int y, int x, int width, double fraction, enum colors_role role)
{
	attr_t attr = role_attr(role);
	int filled;

	if (!clip_span(y, x, &width))
		return;
	if (!(fraction >= 0))
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	filled = (int)(fraction * width + 0.5);
	for (int i = 0; i < width; i++) {
		if (i < filled) {
			attron(attr);
			if (unicode_enabled)
				mvaddstr(y, x + i, "\u2588");
			else
				mvaddch(y, x + i, '#');
			attroff(attr);
		} else {
			attron(role_attr(COLORS_DIM));
			if (unicode_enabled)
				mvaddstr(y, x + i, "\u2591");
			else
				mvaddch(y, x + i, '.');
			attroff(role_attr(COLORS_DIM));
		}
	}
}

/*
 * Lays out one wrapped row starting at text: returns the bytes that fit in
 * width columns, ending after the last space that fits when there is one,
 * and stores in *next where the following row starts.
 */
static size_t wrap_row(const char *text, int width, size_t *next)
{
	size_t fit = draw_fit(text, width);
	size_t cut = fit;

	if (text[fit] == '\0') {
		*next = fit;
		return fit;
	}
	while (cut > 0 && text[cut] != ' ')
		cut--;
	if (cut == 0) {
		/* A word longer than the row: break it, keeping progress. */
		cut = fit > 0 ? fit : 1;
		*next = cut;
		return cut;
	}
	*next = cut + 1;
	return cut;
}

int draw_wrapped(struct draw_rect rect, enum colors_role role, const char *text, int skip_rows)
{
	char row[1024];
	size_t at = 0;
	size_t len = strlen(text);
	int rows = 0;

	if (rect.width <= 0)
		return 0;
	while (at < len && rows - skip_rows < rect.height) {
		size_t next;
		size_t n = wrap_row(text + at, rect.width, &next);

		if (n >= sizeof row)
			n = sizeof row - 1;
		if (rows >= skip_rows) {
			memcpy(row, text + at, n);
			row[n] = '\0';
			draw_text(rect.y + rows - skip_rows, rect.x, rect.width, role, row);
		}
		rows++;
		at += next;
	}
	return rows - skip_rows > 0 ? rows - skip_rows : 0;
}

int draw_wrapped_rows(const char *text, int width)
{
	size_t at = 0;
	size_t len = strlen(text);
	int rows = 0;

	if (width <= 0)
		return 0;
	while (at < len) {
		size_t next;

		wrap_row(text + at, width, &next);
		at += next;
		rows++;
	}
	return rows;
}

int draw_rows_next(struct draw_rows *rows)
{
	int row = rows->row++;

	if (row < rows->scroll || row >= rows->scroll + rows->area.height)
		return -1;
	return rows->area.y + row - rows->scroll;
}

int draw_width(const char *text)
{
	size_t len = text ? strlen(text) : 0;
	size_t i = 0;
	int total = 0;

	while (i < len) {
		int columns;

		i += next_char(text, len, i, &columns);
		total += columns < 0 ? 1 : columns;
	}
	return total;
}

size_t draw_fit(const char *text, int width)
{
	size_t len = text ? strlen(text) : 0;
	size_t i = 0;
	int used = 0;

	while (i < len) {
		int columns;
		size_t n = next_char(text, len, i, &columns);

		if (columns < 0)
			columns = 1;
		if (used + columns > width)
			break;
		used += columns;
		i += n;
	}
	return i;
}
