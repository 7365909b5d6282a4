/*
 * A map from string keys to non-negative integers, by open addressing,
 * for looking up case ids among tens of thousands of cases.
 *
 * The map does not copy its keys: each key must stay valid and unchanged
 * while the map lives. idmap_new returns a map freed with idmap_free.
 */
#ifndef CALTUNE_IDMAP_H
#define CALTUNE_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct idmap;

struct idmap *idmap_new(void);
void idmap_free(struct idmap *map);

/* Adds or replaces key's value. Returns 0, or -1 when out of memory. */
int idmap_put(struct idmap *map, const char *key, int64_t value);

/* Returns key's value, or -1 when the key is absent. */
int64_t idmap_get(const struct idmap *map, const char *key);

#endif
