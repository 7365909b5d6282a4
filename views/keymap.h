/*
 * The keymap as data: each binding ties keys to an action, in a scope,
 * with the words the help screen and the function-key bar show. Views
 * receive actions, not raw keys (except while editing text), so a key can
 * be rebound here without touching a view, and help never drifts from
 * what the keys do.
 *
 * Key codes are Unicode code points for characters and control codes
 * (Ctrl-L is 12), and KEYMAP_KEY_* above U+10FFFF for the keys that have
 * no character. ui.c translates curses key codes into these.
 */
#ifndef CALTUNE_VIEWS_KEYMAP_H
#define CALTUNE_VIEWS_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#define KEYMAP_CTRL(c) ((c) & 0x1f)

enum keymap_key {
	KEYMAP_KEY_UP = 0x110000,
	KEYMAP_KEY_DOWN,
	KEYMAP_KEY_LEFT,
	KEYMAP_KEY_RIGHT,
	KEYMAP_KEY_PAGE_UP,
	KEYMAP_KEY_PAGE_DOWN,
	KEYMAP_KEY_HOME,
	KEYMAP_KEY_END,
	KEYMAP_KEY_BACKSPACE,
	KEYMAP_KEY_DELETE,
	KEYMAP_KEY_ENTER,
	KEYMAP_KEY_ESCAPE,
	KEYMAP_KEY_TAB,
	KEYMAP_KEY_BACK_TAB,
	KEYMAP_KEY_RESIZE,
	KEYMAP_KEY_F1,      /* F1 .. F12 follow in order */
	KEYMAP_KEY_F12 = KEYMAP_KEY_F1 + 11
};

#define KEYMAP_KEY_F(n) (KEYMAP_KEY_F1 + (n) - 1)

enum keymap_action {
	KEYMAP_NONE,

	KEYMAP_QUIT,
	KEYMAP_HELP,
	KEYMAP_BACK,
	KEYMAP_NEXT_VIEW,
	KEYMAP_PREV_VIEW,
	KEYMAP_SHOW_DASHBOARD,
	KEYMAP_SHOW_PRESETS,
	KEYMAP_SHOW_THRESHOLDS,
	KEYMAP_SHOW_HISTORY,
	KEYMAP_SHOW_CASES,
	KEYMAP_SHOW_PLAYGROUND,
	KEYMAP_RERUN,
	KEYMAP_STOP_RUN,
	KEYMAP_REDRAW,
	KEYMAP_TOGGLE_BAR,
	KEYMAP_PRESET_PERFORMANCE,
	KEYMAP_PRESET_BALANCED,
	KEYMAP_PRESET_QUALITY,

	KEYMAP_UP,
	KEYMAP_DOWN,
	KEYMAP_PAGE_UP,
	KEYMAP_PAGE_DOWN,
	KEYMAP_TOP,
	KEYMAP_BOTTOM,
	KEYMAP_OPEN,
	KEYMAP_SEARCH,
	KEYMAP_SEARCH_NEXT,
	KEYMAP_SEARCH_PREV,

	KEYMAP_INCREASE,
	KEYMAP_DECREASE,
	KEYMAP_FILTER_FAILURES,
	KEYMAP_MARK,
	KEYMAP_COMPARE,
	KEYMAP_FOLLOW_NEWEST,

	KEYMAP_EDIT_LEFT,
	KEYMAP_EDIT_RIGHT,
	KEYMAP_EDIT_HOME,
	KEYMAP_EDIT_END,
	KEYMAP_EDIT_BACKSPACE,
	KEYMAP_EDIT_DELETE,
	KEYMAP_EDIT_CLEAR,
	KEYMAP_EDIT_DELETE_WORD,

	KEYMAP_ACTION_COUNT
};

/* Scopes other than a view's id (views are numbered from 0). */
#define KEYMAP_SCOPE_GLOBAL (-1)   /* everywhere, unless a view binds the key */
#define KEYMAP_SCOPE_LIST (-2)     /* moving and searching in any view with a list */
#define KEYMAP_SCOPE_EDITOR (-3)   /* while typing a sentence or a search */

#define KEYMAP_KEYS_MAX 4

struct keymap_binding {
	int scope;
	enum keymap_action action;
	int keys[KEYMAP_KEYS_MAX];   /* 0 ends the list early */
	const char *bar_label;       /* function-key bar label, NULL when absent */
	const char *description;     /* one line of help */
};

/* The action a key triggers in a view: the view's own bindings first, then
 * list movement, then the global ones. KEYMAP_NONE when unbound. */
enum keymap_action keymap_lookup(int view_id, int key);

/* The action of a key while editing text (KEYMAP_NONE when unbound). */
enum keymap_action keymap_lookup_editor(int key);

/* Bindings by index, NULL past the last one; for the help screen. */
const struct keymap_binding *keymap_binding_at(size_t index);

/* The global binding of an action, or NULL. */
const struct keymap_binding *keymap_global_binding(enum keymap_action action);

/* The global binding of function key n (1-10), or NULL. */
const struct keymap_binding *keymap_function_key(int n);

/* Writes a key's name ("q", "Ctrl-L", "PgDn", "F10") into buf. */
void keymap_key_name(int key, char *buf, size_t size);

/* Writes all keys of a binding, separated by spaces. */
void keymap_binding_keys(const struct keymap_binding *binding, char *buf, size_t size);

/* Whether a key is a character to insert when editing text. */
bool keymap_is_text(int key);

#endif
