/*
 * A one-line UTF-8 text editor for the Playground sentence and the search
 * prompts. The text lives in a fixed buffer inside the struct, so an
 * editor is a plain value with nothing to free. Typing past the capacity
 * is rejected (lineedit_key returns LINEEDIT_FULL) rather than cut.
 */
#ifndef CALTUNE_VIEWS_LINEEDIT_H
#define CALTUNE_VIEWS_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

#define LINEEDIT_MAX 1024   /* bytes of text, without the terminating NUL */

struct lineedit {
	char text[LINEEDIT_MAX + 1];
	size_t length;   /* bytes */
	size_t cursor;   /* byte offset, always on a character boundary */
};

enum lineedit_result {
	LINEEDIT_IGNORED,   /* not an editing key */
	LINEEDIT_MOVED,     /* the cursor moved, the text did not change */
	LINEEDIT_CHANGED,
	LINEEDIT_FULL       /* a character did not fit */
};

void lineedit_clear(struct lineedit *editor);
void lineedit_set(struct lineedit *editor, const char *text);

/* Applies a key: a character to insert or an editor-scope binding. */
enum lineedit_result lineedit_key(struct lineedit *editor, int key);

/* Whether needle occurs in haystack, ignoring the case of ASCII letters
 * (an empty needle always does); for the search prompts. */
bool lineedit_matches(const char *haystack, const char *needle);

/* Draws the text in width columns at (y, x), scrolled so that the cursor
 * shows, and places the terminal cursor when show_cursor is true. */
void lineedit_draw(const struct lineedit *editor, int y, int x, int width, bool show_cursor);

#endif
