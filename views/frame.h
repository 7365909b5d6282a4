/*
 * The frame around the views: the header with the view tabs and the run
 * status, the message line, the function-key bar, and the screens that
 * cover a view (help, the quit question, the too-small notice). The help
 * screen and the function-key bar are generated from the keymap.
 */
#ifndef CALTUNE_VIEWS_FRAME_H
#define CALTUNE_VIEWS_FRAME_H

#include "views/draw.h"
#include "views/session.h"
#include "views/view.h"

/* Below this size the views are replaced by the too-small notice. */
#define FRAME_MIN_WIDTH 60
#define FRAME_MIN_HEIGHT 15

void frame_draw_header(struct session *session, const struct view *const *views, int current,
		       int width);
/* Rows an error may take on the message line, which grows up over the
 * view for a long one. */
#define FRAME_MESSAGE_ROWS_MAX 3

/* Rows the message line needs now: more than one only for a long error. */
int frame_message_rows(const struct session *session, int width);

/* Draws the message line in `rows` rows from y, or with no message the
 * keys that work in the shown view. `editing` is true while the view
 * takes typed text. */
void frame_draw_message(struct session *session, int y, int rows, int width, bool editing);
void frame_draw_function_bar(int y, int width);

/* The help for a view and the global keys, scrolled by *scroll rows
 * (clamped here to what the text needs). */
void frame_draw_help(struct draw_rect area, const struct view *view, int *scroll);

/* Asks whether to quit while this UI's rerun is going. */
void frame_draw_quit_question(struct session *session, int height, int width);

/* A notice on an otherwise blank screen while the UI loads the corpus
 * (NULL or "": none) before its first frame. */
void frame_draw_loading(const char *corpus_path);

/* The notice shown instead of the views on a small terminal, with the
 * shown run's state when there is room. */
void frame_draw_too_small(struct session *session, int height, int width);

#endif
