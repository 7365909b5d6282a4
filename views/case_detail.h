/*
 * One corpus case opened from the Cases view: its text and labels, the
 * result recorded in the shown run, and a fresh cascade trace of the text
 * under the current settings (each tier's answer, confidence and time per
 * field), since the history keeps only the final event.
 *
 * The detail keeps a pointer to the corpus case, which the session's
 * corpus owns for the whole UI session.
 */
#ifndef CALTUNE_VIEWS_CASE_DETAIL_H
#define CALTUNE_VIEWS_CASE_DETAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/corpus.h"
#include "views/draw.h"
#include "views/keymap.h"
#include "views/session.h"

/* Creates the trace thread. Returns 0, or -1 with a message in err. */
int case_detail_init(struct session *session, char *err, size_t err_size);
void case_detail_free(void);

/* Opens a case: corpus_case may be NULL when no corpus is loaded (then
 * only the recorded result shows); case_id and seq name the row of the
 * shown run, seq < 0 when the run has none. */
void case_detail_open(struct session *session, const struct corpus_case *corpus_case,
		      const char *case_id, int64_t seq);
void case_detail_close(void);
bool case_detail_is_open(void);

void case_detail_tick(struct session *session);
void case_detail_draw(struct session *session, struct draw_rect area);

/* Scrolls or closes; returns whether it used the action. */
bool case_detail_key(struct session *session, enum keymap_action action);

#endif
