/*
 * Zone names and their daylight-saving rules. Abbreviations that name a
 * season (EST, EDT) are fixed offsets; generic names (ET, PT, "Berlin
 * time") follow the region's rule.
 *
 * Where an abbreviation is shared by several regions the most common
 * reading in English calendar text wins: CST is US Central, IST is India.
 */
#include <strings.h>

#include "engine/zone.h"

static const struct zone_info zones[] = {
	{ "utc", 0, ZONE_DST_NONE, false },
	{ "gmt", 0, ZONE_DST_NONE, false },
	{ "z", 0, ZONE_DST_NONE, false },
	{ "est", -300, ZONE_DST_NONE, false },
	{ "edt", -240, ZONE_DST_NONE, false },
	{ "et", -300, ZONE_DST_US, false },
	{ "eastern", -300, ZONE_DST_US, true },
	{ "cst", -360, ZONE_DST_NONE, false },
	{ "cdt", -300, ZONE_DST_NONE, false },
	{ "ct", -360, ZONE_DST_US, false },
	{ "central", -360, ZONE_DST_US, true },
	{ "mst", -420, ZONE_DST_NONE, false },
	{ "mdt", -360, ZONE_DST_NONE, false },
	{ "mt", -420, ZONE_DST_US, false },
	{ "mountain", -420, ZONE_DST_US, true },
	{ "pst", -480, ZONE_DST_NONE, false },
	{ "pdt", -420, ZONE_DST_NONE, false },
	{ "pt", -480, ZONE_DST_US, false },
	{ "pacific", -480, ZONE_DST_US, true },
	{ "akst", -540, ZONE_DST_NONE, false },
	{ "akdt", -480, ZONE_DST_NONE, false },
	{ "hst", -600, ZONE_DST_NONE, false },
	{ "bst", 60, ZONE_DST_NONE, false },
	{ "wet", 0, ZONE_DST_NONE, false },
	{ "west", 60, ZONE_DST_NONE, false },
	{ "cet", 60, ZONE_DST_NONE, false },
	{ "cest", 120, ZONE_DST_NONE, false },
	{ "eet", 120, ZONE_DST_NONE, false },
	{ "eest", 180, ZONE_DST_NONE, false },
	{ "msk", 180, ZONE_DST_NONE, false },
	{ "ist", 330, ZONE_DST_NONE, false },
	{ "pkt", 300, ZONE_DST_NONE, false },
	{ "sgt", 480, ZONE_DST_NONE, false },
	{ "hkt", 480, ZONE_DST_NONE, false },
	{ "jst", 540, ZONE_DST_NONE, false },
	{ "kst", 540, ZONE_DST_NONE, false },
	{ "awst", 480, ZONE_DST_NONE, false },
	{ "acst", 570, ZONE_DST_NONE, false },
	{ "acdt", 630, ZONE_DST_NONE, false },
	{ "aest", 600, ZONE_DST_NONE, false },
	{ "aedt", 660, ZONE_DST_NONE, false },
	{ "nzst", 720, ZONE_DST_NONE, false },
	{ "nzdt", 780, ZONE_DST_NONE, false },
	{ "brt", -180, ZONE_DST_NONE, false },
	/* Places, read only as "<place> time". */
	{ "uk", 0, ZONE_DST_EU, true },
	{ "london", 0, ZONE_DST_EU, true },
	{ "dublin", 0, ZONE_DST_EU, true },
	{ "lisbon", 0, ZONE_DST_EU, true },
	{ "berlin", 60, ZONE_DST_EU, true },
	{ "paris", 60, ZONE_DST_EU, true },
	{ "madrid", 60, ZONE_DST_EU, true },
	{ "rome", 60, ZONE_DST_EU, true },
	{ "amsterdam", 60, ZONE_DST_EU, true },
	{ "zurich", 60, ZONE_DST_EU, true },
	{ "stockholm", 60, ZONE_DST_EU, true },
	{ "vienna", 60, ZONE_DST_EU, true },
	{ "warsaw", 60, ZONE_DST_EU, true },
	{ "european", 60, ZONE_DST_EU, true },
	{ "athens", 120, ZONE_DST_EU, true },
	{ "helsinki", 120, ZONE_DST_EU, true },
	{ "moscow", 180, ZONE_DST_NONE, true },
	{ "dubai", 240, ZONE_DST_NONE, true },
	{ "india", 330, ZONE_DST_NONE, true },
	{ "singapore", 480, ZONE_DST_NONE, true },
	{ "beijing", 480, ZONE_DST_NONE, true },
	{ "shanghai", 480, ZONE_DST_NONE, true },
	{ "tokyo", 540, ZONE_DST_NONE, true },
	{ "japan", 540, ZONE_DST_NONE, true },
	{ "seoul", 540, ZONE_DST_NONE, true },
	{ "sydney", 600, ZONE_DST_AU, true },
	{ "melbourne", 600, ZONE_DST_AU, true },
	{ "brisbane", 600, ZONE_DST_NONE, true },
	{ "perth", 480, ZONE_DST_NONE, true },
	{ "auckland", 720, ZONE_DST_NZ, true },
	{ "new york", -300, ZONE_DST_US, true },
	{ "nyc", -300, ZONE_DST_US, true },
	{ "toronto", -300, ZONE_DST_US, true },
	{ "chicago", -360, ZONE_DST_US, true },
	{ "denver", -420, ZONE_DST_US, true },
	{ "phoenix", -420, ZONE_DST_NONE, true },
	{ "los angeles", -480, ZONE_DST_US, true },
	{ "la", -480, ZONE_DST_US, true },
	{ "seattle", -480, ZONE_DST_US, true },
	{ "vancouver", -480, ZONE_DST_US, true },
	{ "sf", -480, ZONE_DST_US, true },
	{ "san francisco", -480, ZONE_DST_US, true },
};

const struct zone_info *zone_lookup(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		const char *z = zones[i].name;

		if (strncasecmp(z, name, len) == 0 && z[len] == '\0')
			return &zones[i];
	}
	return NULL;
}

/* Minutes since 1970-01-01T00:00 of a wall-clock value, for comparing it
 * with a transition written in the same frame. */
static long minute_of(struct cal_datetime t)
{
	return cal_datetime_seconds(t) / 60;
}

static long transition(int year, int month, int weekday, int n, int hour)
{
	struct cal_datetime t = { { year, month, 1 }, hour, 0, 0 };

	cal_nth_weekday(year, month, weekday, n, &t.date);
	return minute_of(t);
}

static bool in_dst(const struct zone_info *zone, struct cal_datetime local)
{
	int y = local.date.year;
	long now = minute_of(local);
	long start, end;

	switch (zone->rule) {
	case ZONE_DST_US:
		start = transition(y, 3, CAL_SUNDAY, 2, 2);
		end = transition(y, 11, CAL_SUNDAY, 1, 2);
		return now >= start && now < end;
	case ZONE_DST_EU:
		/* 01:00 UTC, written in the zone's standard time. */
		start = transition(y, 3, CAL_SUNDAY, -1, 1) + zone->standard_offset_min;
		end = transition(y, 10, CAL_SUNDAY, -1, 1) + zone->standard_offset_min;
		return now >= start && now < end;
	case ZONE_DST_AU:
		start = transition(y, 10, CAL_SUNDAY, 1, 2);
		end = transition(y, 4, CAL_SUNDAY, 1, 3);
		return now >= start || now < end;
	case ZONE_DST_NZ:
		start = transition(y, 9, CAL_SUNDAY, -1, 2);
		end = transition(y, 4, CAL_SUNDAY, 1, 3);
		return now >= start || now < end;
	case ZONE_DST_NONE:
		break;
	}
	return false;
}

int zone_offset_at(const struct zone_info *zone, struct cal_datetime local)
{
	return zone->standard_offset_min + (in_dst(zone, local) ? 60 : 0);
}
