/*
 * The holiday table. Computed holidays are rules on weekdays of a month
 * (n-th or last) or offsets from Easter Sunday.
 */
#include <string.h>

#include "engine/holiday.h"

enum holiday_kind { FIXED, NTH_WEEKDAY, EASTER_OFFSET };

struct holiday {
	const char *key;
	enum holiday_kind kind;
	int month;        /* FIXED, NTH_WEEKDAY */
	int day;          /* FIXED: day; NTH_WEEKDAY: n (-1 last); EASTER_OFFSET: days */
	int weekday;      /* NTH_WEEKDAY */
	int extra_days;   /* added after an NTH_WEEKDAY rule (Black Friday) */
};

static const struct holiday holidays[] = {
	{ "christmas", FIXED, 12, 25, 0, 0 },
	{ "christmas day", FIXED, 12, 25, 0, 0 },
	{ "christmas eve", FIXED, 12, 24, 0, 0 },
	{ "boxing day", FIXED, 12, 26, 0, 0 },
	{ "new year", FIXED, 1, 1, 0, 0 },
	{ "new years", FIXED, 1, 1, 0, 0 },
	{ "new year day", FIXED, 1, 1, 0, 0 },
	{ "new years day", FIXED, 1, 1, 0, 0 },
	{ "new years eve", FIXED, 12, 31, 0, 0 },
	{ "new year eve", FIXED, 12, 31, 0, 0 },
	{ "nye", FIXED, 12, 31, 0, 0 },
	{ "valentines day", FIXED, 2, 14, 0, 0 },
	{ "valentines", FIXED, 2, 14, 0, 0 },
	{ "st patricks day", FIXED, 3, 17, 0, 0 },
	{ "saint patricks day", FIXED, 3, 17, 0, 0 },
	{ "groundhog day", FIXED, 2, 2, 0, 0 },
	{ "earth day", FIXED, 4, 22, 0, 0 },
	{ "juneteenth", FIXED, 6, 19, 0, 0 },
	{ "canada day", FIXED, 7, 1, 0, 0 },
	{ "independence day", FIXED, 7, 4, 0, 0 },
	{ "halloween", FIXED, 10, 31, 0, 0 },
	{ "veterans day", FIXED, 11, 11, 0, 0 },
	{ "remembrance day", FIXED, 11, 11, 0, 0 },
	{ "mlk day", NTH_WEEKDAY, 1, 3, CAL_MONDAY, 0 },
	{ "martin luther king day", NTH_WEEKDAY, 1, 3, CAL_MONDAY, 0 },
	{ "martin luther king jr day", NTH_WEEKDAY, 1, 3, CAL_MONDAY, 0 },
	{ "presidents day", NTH_WEEKDAY, 2, 3, CAL_MONDAY, 0 },
	{ "mothers day", NTH_WEEKDAY, 5, 2, CAL_SUNDAY, 0 },
	{ "memorial day", NTH_WEEKDAY, 5, -1, CAL_MONDAY, 0 },
	{ "fathers day", NTH_WEEKDAY, 6, 3, CAL_SUNDAY, 0 },
	{ "labor day", NTH_WEEKDAY, 9, 1, CAL_MONDAY, 0 },
	{ "labour day", NTH_WEEKDAY, 9, 1, CAL_MONDAY, 0 },
	{ "columbus day", NTH_WEEKDAY, 10, 2, CAL_MONDAY, 0 },
	{ "thanksgiving", NTH_WEEKDAY, 11, 4, CAL_THURSDAY, 0 },
	{ "thanksgiving day", NTH_WEEKDAY, 11, 4, CAL_THURSDAY, 0 },
	{ "black friday", NTH_WEEKDAY, 11, 4, CAL_THURSDAY, 1 },
	{ "cyber monday", NTH_WEEKDAY, 11, 4, CAL_THURSDAY, 4 },
	{ "easter", EASTER_OFFSET, 0, 0, 0, 0 },
	{ "easter sunday", EASTER_OFFSET, 0, 0, 0, 0 },
	{ "easter monday", EASTER_OFFSET, 0, 1, 0, 0 },
	{ "good friday", EASTER_OFFSET, 0, -2, 0, 0 },
	{ "holy thursday", EASTER_OFFSET, 0, -3, 0, 0 },
	{ "maundy thursday", EASTER_OFFSET, 0, -3, 0, 0 },
	{ "palm sunday", EASTER_OFFSET, 0, -7, 0, 0 },
	{ "ash wednesday", EASTER_OFFSET, 0, -46, 0, 0 },
	{ "pentecost", EASTER_OFFSET, 0, 49, 0, 0 },
	{ "whit sunday", EASTER_OFFSET, 0, 49, 0, 0 },
};

bool holiday_date(const char *key, int year, struct cal_date *out)
{
	for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++) {
		const struct holiday *h = &holidays[i];

		if (strcmp(h->key, key) != 0)
			continue;
		switch (h->kind) {
		case FIXED:
			*out = (struct cal_date){ year, h->month, h->day };
			return true;
		case NTH_WEEKDAY:
			if (!cal_nth_weekday(year, h->month, h->weekday, h->day, out))
				return false;
			*out = cal_add_days(*out, h->extra_days);
			return true;
		case EASTER_OFFSET:
			*out = cal_add_days(cal_easter(year), h->day);
			return true;
		}
	}
	return false;
}

bool holiday_first_word(const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++) {
		const char *k = holidays[i].key;

		if (strncmp(k, word, n) == 0 && (k[n] == ' ' || k[n] == '\0'))
			return true;
	}
	return false;
}
