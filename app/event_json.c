#include <math.h>

#include "app/event_json.h"

json_t *event_json_real(double value, int decimals)
{
	double scale = pow(10.0, decimals);

	return json_real(round(value * scale) / scale);
}

json_t *event_json_field(const struct event *ev, enum field f)
{
	char when[48];
	json_t *list;

	if (!event_has(ev, f))
		return json_null();
	switch (f) {
	case FIELD_TITLE:
		return json_string(ev->title);
	case FIELD_START:
		when_format(&ev->start, when, sizeof when);
		return json_string(when);
	case FIELD_END:
		when_format(&ev->end, when, sizeof when);
		return json_string(when);
	case FIELD_DURATION:
		return json_integer(ev->duration_min);
	case FIELD_ALL_DAY:
		return json_boolean(ev->all_day);
	case FIELD_LOCATION:
		return json_string(ev->location);
	case FIELD_ATTENDEES:
		list = json_array();
		for (int i = 0; i < ev->attendee_count; i++)
			json_array_append_new(list, json_string(ev->attendees[i]));
		return list;
	case FIELD_RECURRENCE:
		return json_string(ev->recurrence);
	case FIELD_COUNT:
		break;
	}
	return json_null();
}

json_t *event_json_new(const struct event *ev)
{
	json_t *obj = json_object();

	for (int f = 0; f < FIELD_COUNT; f++)
		json_object_set_new(obj, field_name((enum field)f), event_json_field(ev, (enum field)f));
	return obj;
}

json_t *event_json_tiers(const struct event *ev)
{
	json_t *obj = json_object();

	for (int f = 0; f < FIELD_COUNT; f++)
		if (ev->tier[f] != TIER_NONE)
			json_object_set_new(obj, field_name((enum field)f),
					    json_string(tier_name(ev->tier[f])));
	return obj;
}
