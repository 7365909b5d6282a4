/*
 * The L1 result cache: an in-process LRU of final events keyed by the
 * normalised text and everything that changes the answer (reference time,
 * zone, locale, mode, thresholds, engine version). The reference time is
 * part of the key to the second, so a cached "tomorrow" is never served on
 * another day.
 *
 * NOTE: texts that normalise alike ("Lunch with Sarah!" and "lunch with
 * sarah") share an entry, so a hit returns the title and location as the
 * first of them spelled it.
 *
 * Ownership: cache_new returns a cache freed with cache_free. cache_get
 * copies the stored event out; the cache keeps its own copies. All calls
 * are serialised by one mutex inside the cache.
 */
#ifndef CALTUNE_CACHE_H
#define CALTUNE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/event.h"

#define CACHE_KEY_MAX 512

struct cache;

/* A cache of at most `entries` events; 0 disables it (every get misses). */
struct cache *cache_new(size_t entries);
void cache_free(struct cache *cache);

bool cache_get(struct cache *cache, const char *key, struct event *out);
void cache_put(struct cache *cache, const char *key, const struct event *ev);
size_t cache_size(struct cache *cache);

/* Writes the normalised form of a text: lower case, runs of white space
 * collapsed to one space, punctuation other than ':' '/' '-' removed, and
 * "a.m."/"p.m." spelled "am"/"pm". Returns the length written. */
size_t cache_normalise_text(const char *text, size_t len, char *out, size_t size);

#endif
