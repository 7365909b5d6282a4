/*
 * The part of a text that holds the request. Messages pasted from mail
 * carry quoted replies, forwarded headers and signatures whose dates and
 * numbers ("Date: Monday, December 7th", "Phone 412-555-0134", "Suite
 * 12/3") are not the event; this finds where they begin.
 */
#ifndef CALTUNE_CLEAN_H
#define CALTUNE_CLEAN_H

#include <stddef.h>

/* Returns how many leading bytes of the text to parse: everything before
 * the first quoted-reply marker, forwarded header or signature line. */
size_t clean_focus_length(const char *text, size_t len);

#endif
