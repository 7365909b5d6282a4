/*
 * The "/" search shared by the list views.
 */
#include <stdio.h>

#include "views/listsearch.h"

void listsearch_init(struct listsearch *search, const char *noun,
		     bool (*matches)(const struct session *s, size_t position, const char *query))
{
	search->active = false;
	search->query[0] = '\0';
	search->noun = noun;
	search->matches = matches;
	lineedit_clear(&search->edit);
}

void listsearch_open(struct listsearch *search)
{
	search->active = true;
	lineedit_set(&search->edit, search->query);
}

void listsearch_find(struct listsearch *search, struct session *s, size_t *cursor, size_t count,
		     int direction, bool include_current)
{
	if (count == 0 || search->query[0] == '\0')
		return;
	for (size_t step = include_current ? 0 : 1; step <= count; step++) {
		size_t at = direction > 0 ? (*cursor + step) % count :
			    (*cursor + count - step % count) % count;

		if (search->matches(s, at, search->query)) {
			*cursor = at;
			return;
		}
	}
	session_message(s, SESSION_ERROR, "No %s matches \"%s\"", search->noun, search->query);
}

bool listsearch_key(struct listsearch *search, struct session *s, enum keymap_action action,
		    int key, size_t *cursor, size_t count)
{
	if (action == KEYMAP_OPEN) {
		search->active = false;
		snprintf(search->query, sizeof search->query, "%s", search->edit.text);
		listsearch_find(search, s, cursor, count, 1, true);
		return true;
	}
	if (action == KEYMAP_BACK) {
		search->active = false;
		return true;
	}
	if (action != KEYMAP_NONE)
		return false;
	if (lineedit_key(&search->edit, key) == LINEEDIT_FULL)
		session_message(s, SESSION_ERROR, "A search takes at most %d bytes", LINEEDIT_MAX);
	return true;
}
