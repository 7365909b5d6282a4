/*
 * Linear probing over a power-of-two table kept at most half full, with
 * 64-bit FNV-1a hashes of the keys.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "app/idmap.h"

struct idmap {
	const char **keys;     /* NULL marks an empty slot */
	int64_t *values;
	size_t capacity;
	size_t count;
};

static uint64_t hash_key(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3u;
	return h;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t find_slot(const struct idmap *map, const char *key)
{
	size_t mask = map->capacity - 1;
	size_t i = hash_key(key) & mask;

	while (map->keys[i] && strcmp(map->keys[i], key) != 0)
		i = (i + 1) & mask;
	return i;
}

static int grow(struct idmap *map)
{
	struct idmap bigger = { .capacity = map->capacity ? map->capacity * 2 : 1024 };

	bigger.keys = calloc(bigger.capacity, sizeof *bigger.keys);
	bigger.values = calloc(bigger.capacity, sizeof *bigger.values);
	if (!bigger.keys || !bigger.values) {
		free(bigger.keys);
		free(bigger.values);
		return -1;
	}
	for (size_t k = 0; k < map->capacity; k++) {
		size_t i;

		if (!map->keys[k])
			continue;
		i = find_slot(&bigger, map->keys[k]);
		bigger.keys[i] = map->keys[k];
		bigger.values[i] = map->values[k];
	}
	free(map->keys);
	free(map->values);
	bigger.count = map->count;
	*map = bigger;
	return 0;
}

struct idmap *idmap_new(void)
{
	struct idmap *map = calloc(1, sizeof *map);

	if (map && grow(map) < 0) {
		free(map);
		return NULL;
	}
	return map;
}

void idmap_free(struct idmap *map)
{
	if (!map)
		return;
	free(map->keys);
	free(map->values);
	free(map);
}

int idmap_put(struct idmap *map, const char *key, int64_t value)
{
	size_t i;

	if ((map->count + 1) * 2 > map->capacity && grow(map) < 0)
		return -1;
	i = find_slot(map, key);
	if (!map->keys[i]) {
		map->keys[i] = key;
		map->count++;
	}
	map->values[i] = value;
	return 0;
}

int64_t idmap_get(const struct idmap *map, const char *key)
{
	size_t i = find_slot(map, key);

	return map->keys[i] ? map->values[i] : -1;
}
