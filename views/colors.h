/*
 * Semantic colour roles: every coloured thing on screen names what it
 * means (a met target, a missed one, a selection, a tier), never a colour.
 * Each role has a colour pair and a monochrome attribute, so the UI stays
 * readable with NO_COLOR, --no-color or on a terminal without colours.
 *
 * This file contains data only and never calls curses. draw.c turns the
 * table into colour pairs. Ink numbers are the eight ANSI colours, which is also
 * how curses numbers COLOR_BLACK .. COLOR_WHITE.
 */
#ifndef CALTUNE_VIEWS_COLORS_H
#define CALTUNE_VIEWS_COLORS_H

#include <stdbool.h>

#include "engine/event.h"

enum colors_role {
	COLORS_NORMAL,
	COLORS_TITLE,        /* header line and table headings */
	COLORS_TAB,          /* an inactive view name in the header */
	COLORS_TAB_ACTIVE,
	COLORS_SELECTION,    /* the cursor row of a list */
	COLORS_MARK,         /* a row picked for comparison */
	COLORS_OK,           /* a figure that meets its target, a passing case */
	COLORS_BAD,          /* a figure that misses its target, a failing case */
	COLORS_WARN,         /* a run in progress, a pending change */
	COLORS_DIM,          /* labels, units, absent values */
	COLORS_ERROR,        /* the message line when it reports an error */
	COLORS_INFO,         /* the message line otherwise */
	COLORS_FKEY_NUMBER,  /* "F1" in the function-key bar */
	COLORS_FKEY_LABEL,   /* "Help" in the function-key bar */
	COLORS_GRAPH,        /* sparklines and progress bars */
	COLORS_TIER_REGEX,
	COLORS_TIER_RULES,
	COLORS_TIER_LLM,
	COLORS_TIER_CACHE,
	COLORS_ROLE_COUNT
};

/* -1 is the terminal's default colour; 0-7 are the ANSI colours. */
enum colors_ink {
	COLORS_INK_DEFAULT = -1,
	COLORS_INK_BLACK,
	COLORS_INK_RED,
	COLORS_INK_GREEN,
	COLORS_INK_YELLOW,
	COLORS_INK_BLUE,
	COLORS_INK_MAGENTA,
	COLORS_INK_CYAN,
	COLORS_INK_WHITE
};

/* Attribute bits; draw.c maps them to curses attributes. */
#define COLORS_ATTR_BOLD 0x1u
#define COLORS_ATTR_REVERSE 0x2u
#define COLORS_ATTR_UNDERLINE 0x4u
#define COLORS_ATTR_DIM 0x8u

struct colors_style {
	enum colors_ink fg;
	enum colors_ink bg;
	unsigned attrs;        /* added to the pair when colours are on */
	unsigned mono_attrs;   /* used alone when colours are off */
};

const struct colors_style *colors_style(enum colors_role role);

/* Whether to use colour: false when the operator passed --no-color
 * (no_color_flag) or NO_COLOR is set to a non-empty value, as no-color.org
 * defines it. The terminal's own ability is checked by draw.c. */
bool colors_wanted(bool no_color_flag);

/* The role of a tier's name and bars; COLORS_DIM for TIER_NONE. */
enum colors_role colors_tier_role(enum tier tier);

#endif
