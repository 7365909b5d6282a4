/*
 * LRU cache: a hash table of chained entries plus a doubly linked recency
 * list, all entries allocated once at creation so a put never allocates.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cache.h"

struct cache_entry {
	char key[CACHE_KEY_MAX];
	uint64_t hash;
	struct event ev;
	struct cache_entry *chain;   /* next entry in the same bucket */
	struct cache_entry *newer;
	struct cache_entry *older;
	bool used;
};

struct cache {
	pthread_mutex_t lock;
	size_t capacity;
	size_t used;
	size_t bucket_count;
	struct cache_entry **buckets;
	struct cache_entry *entries;
	struct cache_entry *newest;
	struct cache_entry *oldest;
};

static uint64_t hash_key(const char *key)
{
	/* FNV-1a, 64-bit. */
	uint64_t h = 14695981039346656037ull;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return h;
}

struct cache *cache_new(size_t entries)
{
	struct cache *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	c->capacity = entries;
	if (entries > 0) {
		c->bucket_count = entries * 2 + 1;
		c->buckets = calloc(c->bucket_count, sizeof *c->buckets);
		c->entries = calloc(entries, sizeof *c->entries);
		if (!c->buckets || !c->entries) {
			cache_free(c);
			return NULL;
		}
	}
	return c;
}

void cache_free(struct cache *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c->buckets);
	free(c->entries);
	free(c);
}

static void unlink_recency(struct cache *c, struct cache_entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void push_newest(struct cache *c, struct cache_entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest)
		c->newest->newer = e;
	c->newest = e;
	if (!c->oldest)
		c->oldest = e;
}

static struct cache_entry *find(struct cache *c, const char *key, uint64_t h)
{
	for (struct cache_entry *e = c->buckets[h % c->bucket_count]; e; e = e->chain)
		if (e->hash == h && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

static void unlink_bucket(struct cache *c, struct cache_entry *e)
{
	struct cache_entry **p = &c->buckets[e->hash % c->bucket_count];

	while (*p && *p != e)
		p = &(*p)->chain;
	if (*p)
		*p = e->chain;
	e->chain = NULL;
}

bool cache_get(struct cache *c, const char *key, struct event *out)
{
	uint64_t h;
	struct cache_entry *e;

	if (!c || c->capacity == 0)
		return false;
	h = hash_key(key);
	pthread_mutex_lock(&c->lock);
	e = find(c, key, h);
	if (e) {
		*out = e->ev;
		unlink_recency(c, e);
		push_newest(c, e);
	}
	pthread_mutex_unlock(&c->lock);
	return e != NULL;
}

void cache_put(struct cache *c, const char *key, const struct event *ev)
{
	uint64_t h;
	struct cache_entry *e;

	if (!c || c->capacity == 0 || strlen(key) >= CACHE_KEY_MAX)
		return;
	h = hash_key(key);
	pthread_mutex_lock(&c->lock);
	e = find(c, key, h);
	if (e) {
		unlink_recency(c, e);
	} else if (c->used < c->capacity) {
		e = &c->entries[c->used++];
	} else {
		/* Evict the least recently used entry and reuse its slot. */
		e = c->oldest;
		unlink_recency(c, e);
		unlink_bucket(c, e);
	}
	if (!e->used || e->hash != h || strcmp(e->key, key) != 0) {
		strcpy(e->key, key);
		e->hash = h;
		e->used = true;
		e->chain = c->buckets[h % c->bucket_count];
		c->buckets[h % c->bucket_count] = e;
	}
	e->ev = *ev;
	push_newest(c, e);
	pthread_mutex_unlock(&c->lock);
}

size_t cache_size(struct cache *c)
{
	size_t n;

	pthread_mutex_lock(&c->lock);
	n = c->used;
	pthread_mutex_unlock(&c->lock);
	return n;
}

size_t cache_normalise_text(const char *text, size_t len, char *out, size_t size)
{
	size_t n = 0;
	bool space = false;

	if (size == 0)
		return 0;
	for (size_t i = 0; i < len && n + 1 < size; i++) {
		unsigned char c = (unsigned char)text[i];

		/* "a.m." and "p.m." become "am" and "pm". */
		if ((c == 'a' || c == 'A' || c == 'p' || c == 'P') && i + 3 < len + 1 &&
		    i + 2 < len && text[i + 1] == '.' && (text[i + 2] == 'm' || text[i + 2] == 'M')) {
			if (space && n > 0 && n + 1 < size)
				out[n++] = ' ';
			space = false;
			if (n + 2 < size) {
				out[n++] = (char)(c | 0x20);
				out[n++] = 'm';
			}
			i += 2;
			if (i + 1 < len && text[i + 1] == '.')
				i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			space = true;
			continue;
		}
		if (c < 0x80 && !(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
		    c != ':' && c != '/' && c != '-')
			continue;
		if (space && n > 0)
			out[n++] = ' ';
		space = false;
		if (n + 1 < size)
			out[n++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
	}
	out[n] = '\0';
	return n;
}
