/*
 * Case folding by ranges. Within Latin Extended-A the upper-case letter of
 * each pair is the even code point in U+0100-U+0137 and U+014A-U+0177 and
 * the odd one in U+0139-U+0148 and U+0179-U+017E.
 */
#include "app/casefold.h"

static uint32_t fold_simple(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 0x20;
	if (cp < 0x80)
		return cp;

	/* Latin-1: U+00C0-U+00DE except the multiplication sign U+00D7. */
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 0x20;
	if (cp == 0xB5)
		return 0x3BC;    /* micro sign to Greek small mu */

	/* Latin Extended-A. */
	if ((cp >= 0x100 && cp <= 0x12F) || (cp >= 0x132 && cp <= 0x137) ||
	    (cp >= 0x14A && cp <= 0x177))
		return cp % 2 == 0 ? cp + 1 : cp;
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
		return cp % 2 == 1 ? cp + 1 : cp;
	if (cp == 0x178)
		return 0xFF;     /* Y with diaeresis */
	if (cp == 0x17F)
		return 's';      /* long s */

	/* Greek. */
	if (cp == 0x386)
		return 0x3AC;
	if (cp >= 0x388 && cp <= 0x38A)
		return cp + 0x25;
	if (cp == 0x38C)
		return 0x3CC;
	if (cp == 0x38E || cp == 0x38F)
		return cp + 0x3F;
	if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
		return cp + 0x20;
	if (cp == 0x3C2)
		return 0x3C3;    /* final sigma folds to sigma */

	/* Cyrillic. */
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 0x20;
	return cp;
}

int casefold_codepoint(uint32_t cp, uint32_t out[CASEFOLD_MAX])
{
	switch (cp) {
	case 0xDF:           /* sharp s */
	case 0x1E9E:         /* capital sharp s */
		out[0] = 's';
		out[1] = 's';
		return 2;
	case 0x130:          /* I with dot above: i and a combining dot above */
		out[0] = 'i';
		out[1] = 0x307;
		return 2;
	case 0x149:          /* n preceded by apostrophe */
		out[0] = 0x2BC;
		out[1] = 'n';
		return 2;
	default:
		out[0] = fold_simple(cp);
		return 1;
	}
}
