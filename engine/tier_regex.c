/* Placeholder while the tier is written; replaced before the first commit. */
#include <string.h>
#include "engine/tier.h"

static const char *backend(const struct cascade_config *cfg) { (void)cfg; return "builtin"; }
static int load(const struct cascade_config *cfg, void **state, char *err, size_t n)
{ (void)cfg; (void)err; (void)n; *state = NULL; return 0; }
static void unload(void *state) { (void)state; }
static void *worker_new(void *state) { (void)state; static int x; return &x; }
static void worker_free(void *s) { (void)s; }
static enum parse_status extract(void *state, void *scratch, const struct parse_input *in,
	struct event *out, char *err, size_t n)
{ (void)state; (void)scratch; (void)in; (void)err; (void)n; event_init(out); return PARSE_OK; }

const struct tier_ops tier_regex_ops = { TIER_REGEX, backend, load, unload, worker_new, worker_free, extract };
