/*
 * The colour role table. Monochrome attributes are chosen so that each
 * pair of roles an operator must tell apart (met and missed, selected and
 * not) still differs without colour. The views also print a text mark
 * beside every coloured verdict, so nothing depends on colour alone.
 */
#include <stdlib.h>

#include "views/colors.h"

static const struct colors_style styles[COLORS_ROLE_COUNT] = {
	[COLORS_NORMAL] = { COLORS_INK_DEFAULT, COLORS_INK_DEFAULT, 0, 0 },
	[COLORS_TITLE] = { COLORS_INK_CYAN, COLORS_INK_DEFAULT, COLORS_ATTR_BOLD, COLORS_ATTR_BOLD },
	[COLORS_TAB] = { COLORS_INK_WHITE, COLORS_INK_BLUE, 0, COLORS_ATTR_REVERSE },
	[COLORS_TAB_ACTIVE] = { COLORS_INK_BLACK, COLORS_INK_CYAN, COLORS_ATTR_BOLD,
				COLORS_ATTR_BOLD },
	[COLORS_SELECTION] = { COLORS_INK_BLACK, COLORS_INK_CYAN, 0, COLORS_ATTR_REVERSE },
	[COLORS_MARK] = { COLORS_INK_YELLOW, COLORS_INK_DEFAULT, COLORS_ATTR_BOLD,
			  COLORS_ATTR_BOLD | COLORS_ATTR_UNDERLINE },
	[COLORS_OK] = { COLORS_INK_GREEN, COLORS_INK_DEFAULT, 0, 0 },
	[COLORS_BAD] = { COLORS_INK_RED, COLORS_INK_DEFAULT, COLORS_ATTR_BOLD, COLORS_ATTR_BOLD },
	[COLORS_WARN] = { COLORS_INK_YELLOW, COLORS_INK_DEFAULT, 0, COLORS_ATTR_UNDERLINE },
	[COLORS_DIM] = { COLORS_INK_DEFAULT, COLORS_INK_DEFAULT, COLORS_ATTR_DIM, COLORS_ATTR_DIM },
	[COLORS_ERROR] = { COLORS_INK_WHITE, COLORS_INK_RED, COLORS_ATTR_BOLD,
			   COLORS_ATTR_BOLD | COLORS_ATTR_REVERSE },
	[COLORS_INFO] = { COLORS_INK_DEFAULT, COLORS_INK_DEFAULT, 0, 0 },
	[COLORS_FKEY_NUMBER] = { COLORS_INK_DEFAULT, COLORS_INK_DEFAULT, COLORS_ATTR_BOLD,
				 COLORS_ATTR_BOLD },
	[COLORS_FKEY_LABEL] = { COLORS_INK_BLACK, COLORS_INK_CYAN, 0, COLORS_ATTR_REVERSE },
	[COLORS_GRAPH] = { COLORS_INK_CYAN, COLORS_INK_DEFAULT, 0, 0 },
	[COLORS_TIER_REGEX] = { COLORS_INK_CYAN, COLORS_INK_DEFAULT, COLORS_ATTR_BOLD, 0 },
	[COLORS_TIER_RULES] = { COLORS_INK_MAGENTA, COLORS_INK_DEFAULT, COLORS_ATTR_BOLD, 0 },
	[COLORS_TIER_LLM] = { COLORS_INK_YELLOW, COLORS_INK_DEFAULT, COLORS_ATTR_BOLD, 0 },
	[COLORS_TIER_CACHE] = { COLORS_INK_BLUE, COLORS_INK_DEFAULT, COLORS_ATTR_BOLD, 0 },
};

const struct colors_style *colors_style(enum colors_role role)
{
	if (role < 0 || role >= COLORS_ROLE_COUNT)
		role = COLORS_NORMAL;
	return &styles[role];
}

bool colors_wanted(bool no_color_flag)
{
	const char *env = getenv("NO_COLOR");

	if (no_color_flag)
		return false;
	return env == NULL || env[0] == '\0';
}

enum colors_role colors_tier_role(enum tier tier)
{
	switch (tier) {
	case TIER_REGEX:
		return COLORS_TIER_REGEX;
	case TIER_RULES:
		return COLORS_TIER_RULES;
	case TIER_LLM:
		return COLORS_TIER_LLM;
	default:
		return COLORS_DIM;
	}
}
