/*
 * The key bindings. Order matters twice: lookup takes the first binding
 * of a key in the narrowest scope, and the help screen lists bindings in
 * table order.
 */
#include <stdio.h>
#include <string.h>

#include "engine/utf8.h"
#include "views/keymap.h"
#include "views/view.h"

#define CTRL KEYMAP_CTRL
#define F KEYMAP_KEY_F

static const struct keymap_binding bindings[] = {
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_HELP, { '?', F(1) }, "Help", "Show this help" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_SHOW_DASHBOARD, { F(2) }, "Dash",
	  "Show the Dashboard" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_SHOW_PRESETS, { F(3) }, "Preset",
	  "Show the Presets view" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_SHOW_THRESHOLDS, { F(4) }, "Thresh",
	  "Show the Thresholds view" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_SHOW_HISTORY, { F(5) }, "Hist",
	  "Show the History view" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_SHOW_CASES, { F(6) }, "Cases",
	  "Show the Cases view" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_SHOW_PLAYGROUND, { F(7) }, "Play",
	  "Show the Playground" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_RERUN, { 'r', F(8) }, "Rerun",
	  "Rerun the corpus with the current settings" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_STOP_RUN, { 'x', F(9) }, "Stop",
	  "Stop the rerun this UI started" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_QUIT, { 'q', F(10) }, "Quit",
	  "Quit (asks first while a rerun is going)" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_NEXT_VIEW, { KEYMAP_KEY_TAB }, NULL, "Next view" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_PREV_VIEW, { KEYMAP_KEY_BACK_TAB }, NULL, "Previous view" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_BACK, { KEYMAP_KEY_ESCAPE }, NULL,
	  "Close the detail, search or help; else go to the Dashboard" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_PRESET_PERFORMANCE, { '1' }, NULL,
	  "Switch to the performance preset and rerun" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_PRESET_BALANCED, { '2' }, NULL,
	  "Switch to the balanced preset and rerun" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_PRESET_QUALITY, { '3' }, NULL,
	  "Switch to the quality preset and rerun" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_REDRAW, { CTRL('L') }, NULL, "Redraw the screen" },
	{ KEYMAP_SCOPE_GLOBAL, KEYMAP_TOGGLE_BAR, { CTRL('F') }, NULL,
	  "Hide or show the function-key bar" },

	{ KEYMAP_SCOPE_LIST, KEYMAP_UP, { KEYMAP_KEY_UP, 'k' }, NULL, "Move up" },
	{ KEYMAP_SCOPE_LIST, KEYMAP_DOWN, { KEYMAP_KEY_DOWN, 'j' }, NULL, "Move down" },
	{ KEYMAP_SCOPE_LIST, KEYMAP_PAGE_UP, { KEYMAP_KEY_PAGE_UP }, NULL, "Page up" },
	{ KEYMAP_SCOPE_LIST, KEYMAP_PAGE_DOWN, { KEYMAP_KEY_PAGE_DOWN }, NULL, "Page down" },
	{ KEYMAP_SCOPE_LIST, KEYMAP_TOP, { 'g', KEYMAP_KEY_HOME }, NULL, "Go to the first line" },
	{ KEYMAP_SCOPE_LIST, KEYMAP_BOTTOM, { 'G', KEYMAP_KEY_END }, NULL, "Go to the last line" },
	{ KEYMAP_SCOPE_LIST, KEYMAP_OPEN, { KEYMAP_KEY_ENTER }, NULL, "Open the selected line" },
	{ KEYMAP_SCOPE_LIST, KEYMAP_SEARCH, { '/' }, NULL, "Search (Enter to confirm, Esc to cancel)" },
	{ KEYMAP_SCOPE_LIST, KEYMAP_SEARCH_NEXT, { 'n' }, NULL, "Next match" },
	{ KEYMAP_SCOPE_LIST, KEYMAP_SEARCH_PREV, { 'N' }, NULL, "Previous match" },

	{ VIEW_DASHBOARD, KEYMAP_FOLLOW_NEWEST, { 'f' }, NULL,
	  "Follow the newest run (after showing an older one)" },

	{ VIEW_PRESETS, KEYMAP_OPEN, { KEYMAP_KEY_ENTER }, NULL,
	  "Switch to the selected preset and rerun" },

	{ VIEW_THRESHOLDS, KEYMAP_INCREASE, { '+', '=', KEYMAP_KEY_RIGHT, 'l' }, NULL,
	  "Raise the threshold by 0.05, rerun after a pause" },
	{ VIEW_THRESHOLDS, KEYMAP_DECREASE, { '-', KEYMAP_KEY_LEFT, 'h' }, NULL,
	  "Lower the threshold by 0.05, rerun after a pause" },
	{ VIEW_THRESHOLDS, KEYMAP_RERUN, { KEYMAP_KEY_ENTER }, NULL, "Rerun now" },

	{ VIEW_HISTORY, KEYMAP_OPEN, { KEYMAP_KEY_ENTER }, NULL,
	  "Show the run on the Dashboard and in Cases" },
	{ VIEW_HISTORY, KEYMAP_MARK, { ' ' }, NULL, "Mark or unmark the run for comparison" },
	{ VIEW_HISTORY, KEYMAP_COMPARE, { 'c' }, NULL,
	  "Compare the marked runs (or with the selected one)" },
	{ VIEW_HISTORY, KEYMAP_FOLLOW_NEWEST, { 'f' }, NULL,
	  "Follow the newest run on the Dashboard" },

	{ VIEW_CASES, KEYMAP_OPEN, { KEYMAP_KEY_ENTER }, NULL,
	  "Open the case: its recorded result and a new trace" },
	{ VIEW_CASES, KEYMAP_FILTER_FAILURES, { 'f' }, NULL,
	  "Show only failing cases, or all again" },

	{ KEYMAP_SCOPE_EDITOR, KEYMAP_EDIT_LEFT, { KEYMAP_KEY_LEFT, CTRL('B') }, NULL,
	  "Cursor left" },
	{ KEYMAP_SCOPE_EDITOR, KEYMAP_EDIT_RIGHT, { KEYMAP_KEY_RIGHT }, NULL, "Cursor right" },
	{ KEYMAP_SCOPE_EDITOR, KEYMAP_EDIT_HOME, { KEYMAP_KEY_HOME, CTRL('A') }, NULL,
	  "Cursor to the start" },
	{ KEYMAP_SCOPE_EDITOR, KEYMAP_EDIT_END, { KEYMAP_KEY_END, CTRL('E') }, NULL,
	  "Cursor to the end" },
	{ KEYMAP_SCOPE_EDITOR, KEYMAP_EDIT_BACKSPACE, { KEYMAP_KEY_BACKSPACE }, NULL,
	  "Delete the character before the cursor" },
	{ KEYMAP_SCOPE_EDITOR, KEYMAP_EDIT_DELETE, { KEYMAP_KEY_DELETE, CTRL('D') }, NULL,
	  "Delete the character under the cursor" },
	{ KEYMAP_SCOPE_EDITOR, KEYMAP_EDIT_CLEAR, { CTRL('U') }, NULL, "Clear the text" },
	{ KEYMAP_SCOPE_EDITOR, KEYMAP_EDIT_DELETE_WORD, { CTRL('W') }, NULL,
	  "Delete the word before the cursor" },
};

#define BINDING_COUNT (sizeof bindings / sizeof bindings[0])

static bool binding_has_key(const struct keymap_binding *b, int key)
{
	for (int i = 0; i < KEYMAP_KEYS_MAX && b->keys[i] != 0; i++)
		if (b->keys[i] == key)
			return true;
	return false;
}

static enum keymap_action lookup_in_scope(int scope, int key)
{
	for (size_t i = 0; i < BINDING_COUNT; i++)
		if (bindings[i].scope == scope && binding_has_key(&bindings[i], key))
			return bindings[i].action;
	return KEYMAP_NONE;
}

enum keymap_action keymap_lookup(int view_id, int key)
{
	enum keymap_action action = lookup_in_scope(view_id, key);

	if (action == KEYMAP_NONE)
		action = lookup_in_scope(KEYMAP_SCOPE_LIST, key);
	if (action == KEYMAP_NONE)
		action = lookup_in_scope(KEYMAP_SCOPE_GLOBAL, key);
	return action;
}

enum keymap_action keymap_lookup_editor(int key)
{
	return lookup_in_scope(KEYMAP_SCOPE_EDITOR, key);
}

const struct keymap_binding *keymap_binding_at(size_t index)
{
	return index < BINDING_COUNT ? &bindings[index] : NULL;
}

const struct keymap_binding *keymap_global_binding(enum keymap_action action)
{
	for (size_t i = 0; i < BINDING_COUNT; i++)
		if (bindings[i].scope == KEYMAP_SCOPE_GLOBAL && bindings[i].action == action)
			return &bindings[i];
	return NULL;
}

const struct keymap_binding *keymap_function_key(int n)
{
	for (size_t i = 0; i < BINDING_COUNT; i++)
		if (bindings[i].scope == KEYMAP_SCOPE_GLOBAL && binding_has_key(&bindings[i], F(n)))
			return &bindings[i];
	return NULL;
}

static const char *const special_names[] = {
	[KEYMAP_KEY_UP - KEYMAP_KEY_UP] = "Up",
	[KEYMAP_KEY_DOWN - KEYMAP_KEY_UP] = "Down",
	[KEYMAP_KEY_LEFT - KEYMAP_KEY_UP] = "Left",
	[KEYMAP_KEY_RIGHT - KEYMAP_KEY_UP] = "Right",
	[KEYMAP_KEY_PAGE_UP - KEYMAP_KEY_UP] = "PgUp",
	[KEYMAP_KEY_PAGE_DOWN - KEYMAP_KEY_UP] = "PgDn",
	[KEYMAP_KEY_HOME - KEYMAP_KEY_UP] = "Home",
	[KEYMAP_KEY_END - KEYMAP_KEY_UP] = "End",
	[KEYMAP_KEY_BACKSPACE - KEYMAP_KEY_UP] = "Backspace",
	[KEYMAP_KEY_DELETE - KEYMAP_KEY_UP] = "Delete",
	[KEYMAP_KEY_ENTER - KEYMAP_KEY_UP] = "Enter",
	[KEYMAP_KEY_ESCAPE - KEYMAP_KEY_UP] = "Esc",
	[KEYMAP_KEY_TAB - KEYMAP_KEY_UP] = "Tab",
	[KEYMAP_KEY_BACK_TAB - KEYMAP_KEY_UP] = "Shift-Tab",
	[KEYMAP_KEY_RESIZE - KEYMAP_KEY_UP] = "Resize",
};

void keymap_key_name(int key, char *buf, size_t size)
{
	char utf8[5];

	if (size == 0)
		return;
	if (key >= KEYMAP_KEY_F1 && key <= KEYMAP_KEY_F12) {
		snprintf(buf, size, "F%d", key - KEYMAP_KEY_F1 + 1);
	} else if (key >= KEYMAP_KEY_UP && key <= KEYMAP_KEY_RESIZE) {
		snprintf(buf, size, "%s", special_names[key - KEYMAP_KEY_UP]);
	} else if (key == ' ') {
		snprintf(buf, size, "Space");
	} else if (key > 0 && key < 0x20) {
		snprintf(buf, size, "Ctrl-%c", key + '@');
	} else if (key >= 0x20 && key < 0x110000 && key != 0x7F) {
		utf8[utf8_encode((uint32_t)key, utf8)] = '\0';
		snprintf(buf, size, "%s", utf8);
	} else {
		snprintf(buf, size, "key %d", key);
	}
}

void keymap_binding_keys(const struct keymap_binding *binding, char *buf, size_t size)
{
	size_t used = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (int i = 0; i < KEYMAP_KEYS_MAX && binding->keys[i] != 0; i++) {
		char name[32];
		int n;

		keymap_key_name(binding->keys[i], name, sizeof name);
		n = snprintf(buf + used, size - used, "%s%s", i > 0 ? " " : "", name);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

bool keymap_is_text(int key)
{
	return key >= 0x20 && key != 0x7F && key < 0x110000;
}
