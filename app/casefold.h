/*
 * A small Unicode case folding for scoring: maps a code point to the one
 * to three code points of its full case fold (Unicode CaseFolding.txt,
 * statuses C and F) for the scripts event texts use most.
 *
 * NOTE: covers ASCII, Latin-1, Latin Extended-A, the basic Greek and
 * Cyrillic letters (U+0386-U+03AB, U+03C2, U+0400-U+042F) and the sharp s
 * (U+00DF, U+1E9E to "ss"). Everything else folds to itself: Latin
 * Extended-B and Additional, Greek with dialytika and tonos (U+0390,
 * U+03B0), Cyrillic Supplement, Armenian, Georgian, Cherokee, full-width
 * forms. There is no normalisation either, so a precomposed "é" and "e"
 * with a combining acute accent stay different.
 */
#ifndef CALTUNE_CASEFOLD_H
#define CALTUNE_CASEFOLD_H

#include <stdint.h>

#define CASEFOLD_MAX 3   /* code points one code point can fold to */

/* Writes the fold of cp into out and returns how many code points it has
 * (1 when cp folds to itself). */
int casefold_codepoint(uint32_t cp, uint32_t out[CASEFOLD_MAX]);

#endif
