/*
 * The "/" search of a list view (Cases, History): a prompt that edits the
 * query, and a search that moves the list's cursor to the next item that
 * matches the confirmed query, wrapping around.
 */
#ifndef CALTUNE_VIEWS_LISTSEARCH_H
#define CALTUNE_VIEWS_LISTSEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "views/keymap.h"
#include "views/lineedit.h"
#include "views/session.h"

struct listsearch {
	bool active;                       /* the prompt is open */
	struct lineedit edit;
	char query[LINEEDIT_MAX + 1];      /* the confirmed query */
	const char *noun;                  /* "case", "run": for "No case matches" */
	/* Whether the item at a cursor position matches a query. */
	bool (*matches)(const struct session *s, size_t position, const char *query);
};

/* Clears the query and closes the prompt. */
void listsearch_init(struct listsearch *search, const char *noun,
		     bool (*matches)(const struct session *s, size_t position, const char *query));

/* Opens the prompt on the confirmed query. */
void listsearch_open(struct listsearch *search);

/* Moves *cursor to the next (direction 1) or previous (-1) of `count`
 * positions that matches the confirmed query, starting at the cursor
 * itself when include_current is set. When none matches, a message line
 * reports it. */
void listsearch_find(struct listsearch *search, struct session *s, size_t *cursor, size_t count,
		     int direction, bool include_current);

/* Handles a key while the prompt is open: Enter confirms the query and
 * finds from the cursor, Esc closes the prompt, other keys edit. Returns
 * false for a key the prompt leaves to the view. */
bool listsearch_key(struct listsearch *search, struct session *s, enum keymap_action action,
		    int key, size_t *cursor, size_t count);

#endif
