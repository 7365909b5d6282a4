/*
 * The draw layer: the only drawing interface the views use. Everything
 * here clips to the screen and to the width it is given, and counts widths
 * in terminal columns (not bytes). Control characters and invalid UTF-8
 * show as '?', so text from a corpus or the operator cannot move the
 * cursor or break the layout.
 *
 * Curses is called only here and in ui.c. Coordinates are screen rows and
 * columns from the top left. Nothing here allocates memory that outlives
 * a call.
 */
#ifndef CALTUNE_VIEWS_DRAW_H
#define CALTUNE_VIEWS_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include "views/colors.h"

struct draw_rect {
	int y, x;
	int height, width;
};

/* Lays out a scrollable page row by row: the page's rows are numbered
 * from 0, and only rows scroll .. scroll + area.height - 1 are on screen. */
struct draw_rows {
	struct draw_rect area;
	int scroll;
	int row;    /* the next page row */
};

/* Glyphs with an ASCII stand-in for terminals whose locale is not UTF-8. */
enum draw_glyph {
	DRAW_GLYPH_MICRO,     /* "µ" or "u", as in µs */
	DRAW_GLYPH_NONE,      /* an absent value: "—" or "-" */
	DRAW_GLYPH_ELLIPSIS,  /* "…" or "~" */
	DRAW_GLYPH_ARROW,     /* "→" or "->" */
	DRAW_GLYPH_LE,        /* "≤" or "<=" */
	DRAW_GLYPH_GE,        /* "≥" or ">=" */
	DRAW_GLYPH_BULLET,    /* "•" or "*", a marked row */
	DRAW_GLYPH_COUNT
};

/* Sets up colour pairs (when color is true and the terminal has colours)
 * and picks Unicode or ASCII glyphs from the locale. Call after the
 * screen is initialised. */
void draw_init(bool color);

bool draw_colors_enabled(void);
bool draw_unicode(void);
const char *draw_glyph(enum draw_glyph glyph);

void draw_size(int *height, int *width);
void draw_clear(void);

/* Sends the frame to the terminal. Places the cursor where draw_cursor
 * asked during this frame, or hides it. */
void draw_present(void);

/* Forgets what the terminal shows so the next draw_present repaints every
 * cell (Ctrl-L). */
void draw_invalidate(void);

/* Shows the cursor at (y, x) in this frame. */
void draw_cursor(int y, int x);

/* Writes text in at most `width` columns; returns the columns used. A
 * text that does not fit is cut and ends in the ellipsis glyph. */
int draw_text(int y, int x, int width, enum colors_role role, const char *text);
int draw_textf(int y, int x, int width, enum colors_role role, const char *format, ...)
	__attribute__((format(printf, 5, 6)));

/* Writes text right-aligned so that it ends at column x + width - 1. */
void draw_text_right(int y, int x, int width, enum colors_role role, const char *text);

/* Paints `width` blank columns in a role's background. */
void draw_fill(int y, int x, int width, enum colors_role role);

/* Writes "label value": the label dimmed in label_width columns, then the
 * value in its role in what is left of width. */
void draw_field(int y, int x, int label_width, int width, const char *label,
		enum colors_role value_role, const char *value);

void draw_hline(int y, int x, int width, enum colors_role role);

/* A frame around rect with an optional title in its top edge. */
void draw_box(struct draw_rect rect, enum colors_role role, const char *title);

/* A one-row chart of values (negative or NaN values are gaps). With more
 * values than columns, each column shows the mean of its group's values.
 * ceiling <= 0 scales to the largest column. */
void draw_sparkline(int y, int x, int width, const double *values, size_t count,
		    double ceiling, enum colors_role role);

/* A progress bar filled to fraction (clamped to [0, 1]). */
void draw_bar(int y, int x, int width, double fraction, enum colors_role role);

/* Writes text word-wrapped inside rect, breaking long words where they
 * must; returns the rows used. With skip_rows > 0 the first wrapped rows
 * are not shown (scrolling). */
int draw_wrapped(struct draw_rect rect, enum colors_role role, const char *text, int skip_rows);

/* Rows that draw_wrapped needs for text at this width. */
int draw_wrapped_rows(const char *text, int width);

/* Takes the next page row; returns its screen row, or -1 when it is
 * scrolled out of view (draw nothing then). */
int draw_rows_next(struct draw_rows *rows);

/* Display columns of a UTF-8 string, counting '?' for each bad byte. */
int draw_width(const char *text);

/* Bytes of text that fit in width columns, whole characters only. */
size_t draw_fit(const char *text, int width);

#endif
