/*
 * A view is a struct of callbacks, and every view is listed once in the
 * table in ui.c. At least four times a second the main loop calls every
 * view's tick and then the shown view's draw. It calls the shown view's
 * key with each action the operator triggers. A view keeps its own state
 * in static storage inside its file (the UI shows one copy of each view)
 * and reads everything shared through the session.
 */
#ifndef CALTUNE_VIEWS_VIEW_H
#define CALTUNE_VIEWS_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "views/draw.h"
#include "views/keymap.h"

enum view_id {
	VIEW_DASHBOARD,
	VIEW_PRESETS,
	VIEW_THRESHOLDS,
	VIEW_HISTORY,
	VIEW_CASES,
	VIEW_PLAYGROUND,
	VIEW_COUNT
};

struct session;

struct view {
	enum view_id id;
	const char *name;      /* the tab title */
	const char *summary;   /* one line for the help screen */

	/* Prepares the view's state; called once before the first draw.
	 * Returns 0, or -1 with a message in err (the UI shows it and goes on). */
	int (*init)(struct session *session, char *err, size_t err_size);

	/* Draws the view inside area, which never includes the header, the
	 * message line or the function-key bar. */
	void (*draw)(struct session *session, struct draw_rect area);

	/* Handles an action. While editing() is true, keys that are not bound
	 * in the editor scope arrive first as raw keys with action KEYMAP_NONE.
	 * Returns true when the view consumed it; otherwise the UI applies its
	 * global meaning. */
	bool (*key)(struct session *session, enum keymap_action action, int key);

	/* Called on every turn of the main loop, shown or not, before draw. */
	void (*tick)(struct session *session);

	/* Releases the view's state; called once at exit. */
	void (*free)(void);

	/* Whether the view is taking typed text right now (NULL: never). */
	bool (*editing)(void);
};

extern const struct view view_dashboard;
extern const struct view view_presets;
extern const struct view view_thresholds;
extern const struct view view_history;
extern const struct view view_cases;
extern const struct view view_playground;

#endif
