/*
 * UTF-8 checks, decoding and encoding for text that comes from outside:
 * corpus files, the command line, the playground.
 */
#ifndef CALTUNE_UTF8_H
#define CALTUNE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns true when the bytes are well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF); otherwise stores the offset of the
 * first bad byte in *bad_offset when it is not NULL. */
bool utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Decodes one code point at s[*i] and advances *i; an invalid byte decodes
 * as U+FFFD and advances by one. */
uint32_t utf8_next(const char *s, size_t len, size_t *i);

/* Encodes a code point (at most U+10FFFF) into out, which has room for 4
 * bytes; returns the bytes written. */
size_t utf8_encode(uint32_t cp, char *out);

/* Whether a code point is an emoji or a pictograph (or a joiner or
 * variation selector used inside one), which never belongs in a title. */
bool utf8_is_emoji(uint32_t cp);

#endif
