/*
 * Editing on UTF-8 bytes: the cursor steps over whole characters by
 * skipping continuation bytes (10xxxxxx), which is enough because the
 * editor only ever inserts well-formed UTF-8.
 */
#include <ctype.h>
#include <string.h>

#include "views/draw.h"
#include "views/keymap.h"
#include "views/lineedit.h"

void lineedit_clear(struct lineedit *e)
{
	e->text[0] = '\0';
	e->length = 0;
	e->cursor = 0;
}

void lineedit_set(struct lineedit *e, const char *text)
{
	size_t n = strlen(text);

	if (n > LINEEDIT_MAX) {
		n = LINEEDIT_MAX;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(e->text, text, n);
	e->text[n] = '\0';
	e->length = n;
	e->cursor = n;
}

static bool is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

static size_t previous_boundary(const struct lineedit *e, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && is_continuation(e->text[at]))
		at--;
	return at;
}

static size_t next_boundary(const struct lineedit *e, size_t at)
{
	if (at >= e->length)
		return e->length;
	at++;
	while (at < e->length && is_continuation(e->text[at]))
		at++;
	return at;
}

static void delete_range(struct lineedit *e, size_t from, size_t to)
{
	memmove(e->text + from, e->text + to, e->length - to + 1);
	e->length -= to - from;
	e->cursor = from;
}

static enum lineedit_result insert_code_point(struct lineedit *e, int cp)
{
	char bytes[4];
	size_t n;

	if (cp < 0x80) {
		bytes[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		bytes[0] = (char)(0xC0 | (cp >> 6));
		bytes[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return LINEEDIT_IGNORED;
		bytes[0] = (char)(0xE0 | (cp >> 12));
		bytes[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		bytes[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		bytes[0] = (char)(0xF0 | (cp >> 18));
		bytes[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		bytes[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		bytes[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (e->length + n > LINEEDIT_MAX)
		return LINEEDIT_FULL;
	memmove(e->text + e->cursor + n, e->text + e->cursor, e->length - e->cursor + 1);
	memcpy(e->text + e->cursor, bytes, n);
	e->length += n;
	e->cursor += n;
	return LINEEDIT_CHANGED;
}

enum lineedit_result lineedit_key(struct lineedit *e, int key)
{
	size_t at;

	switch (keymap_lookup_editor(key)) {
	case KEYMAP_EDIT_LEFT:
		e->cursor = previous_boundary(e, e->cursor);
		return LINEEDIT_MOVED;
	case KEYMAP_EDIT_RIGHT:
		e->cursor = next_boundary(e, e->cursor);
		return LINEEDIT_MOVED;
	case KEYMAP_EDIT_HOME:
		e->cursor = 0;
		return LINEEDIT_MOVED;
	case KEYMAP_EDIT_END:
		e->cursor = e->length;
		return LINEEDIT_MOVED;
	case KEYMAP_EDIT_BACKSPACE:
		if (e->cursor == 0)
			return LINEEDIT_MOVED;
		delete_range(e, previous_boundary(e, e->cursor), e->cursor);
		return LINEEDIT_CHANGED;
	case KEYMAP_EDIT_DELETE:
		if (e->cursor >= e->length)
			return LINEEDIT_MOVED;
		delete_range(e, e->cursor, next_boundary(e, e->cursor));
		return LINEEDIT_CHANGED;
	case KEYMAP_EDIT_CLEAR:
		lineedit_clear(e);
		return LINEEDIT_CHANGED;
	case KEYMAP_EDIT_DELETE_WORD:
		/* Spaces before the cursor, then the word before them. */
		at = e->cursor;
		while (at > 0 && e->text[at - 1] == ' ')
			at--;
		while (at > 0 && e->text[at - 1] != ' ')
			at--;
		if (at == e->cursor)
			return LINEEDIT_MOVED;
		delete_range(e, at, e->cursor);
		return LINEEDIT_CHANGED;
	default:
		break;
	}
	if (keymap_is_text(key))
		return insert_code_point(e, key);
	return LINEEDIT_IGNORED;
}

bool lineedit_matches(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return true;
	for (const char *p = haystack; *p; p++) {
		size_t i = 0;

		while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

void lineedit_draw(const struct lineedit *e, int y, int x, int width, bool show_cursor)
{
	char before[LINEEDIT_MAX + 1];
	size_t skip = 0;
	int cursor_column;

	if (width <= 0)
		return;

	/* Drop characters from the left until the text before the cursor
	 * leaves one column for the cursor itself. */
	memcpy(before, e->text, e->cursor);
	before[e->cursor] = '\0';
	while (skip < e->cursor && draw_width(before + skip) > width - 1) {
		skip++;
		while (skip < e->cursor && is_continuation(before[skip]))
			skip++;
	}
	cursor_column = draw_width(before + skip);
	draw_text(y, x, width, COLORS_NORMAL, e->text + skip);
	if (show_cursor)
		draw_cursor(y, x + cursor_column);
}
