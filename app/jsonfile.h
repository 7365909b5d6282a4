/*
 * Helpers for the commands that read JSON input files (the corpus loader
 * and the importers): reading a regular file whole, with a size limit, and
 * naming a JSON value's type in error messages.
 *
 * Ownership: jsonfile_read returns a buffer the caller frees with free().
 */
#ifndef CALTUNE_JSONFILE_H
#define CALTUNE_JSONFILE_H

#include <jansson.h>
#include <stddef.h>

/* Reads the regular file at path whole, NUL-terminated, into a new buffer
 * and sets *size. A folder, a device or a file above max_bytes is refused.
 * `what` names the file in messages ("corpus", "input"), or is "". Returns
 * NULL with a message in err. */
char *jsonfile_read(const char *path, const char *what, size_t max_bytes, size_t *size,
		    char *err, size_t err_size);

/* The type of a JSON value as a noun phrase for messages: "an object",
 * "an array", "a string", "a number", "a boolean" or "null". */
const char *jsonfile_type_name(const json_t *value);

#endif
