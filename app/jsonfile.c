/*
 * Reading JSON input files whole, and naming JSON types for messages.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/jsonfile.h"

char *jsonfile_read(const char *path, const char *what, size_t max_bytes, size_t *size,
		    char *err, size_t err_size)
{
	const char *space = what[0] ? " " : "";
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *data;

	if (!f) {
		snprintf(err, err_size, "cannot open %s%s%s: %s", what, space, path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, err_size, "cannot read %s%s%s: it is %s, not a file", what, space, path,
			 S_ISDIR(st.st_mode) ? "a folder" : "not a regular file");
		fclose(f);
		return NULL;
	}
	if ((uint64_t)st.st_size > max_bytes) {
		snprintf(err, err_size, "%s%s%s is %lld bytes, above the %zu-byte limit: split it",
			 what, space, path, (long long)st.st_size, max_bytes);
		fclose(f);
		return NULL;
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		snprintf(err, err_size, "out of memory reading %s%s%s", what, space, path);
		fclose(f);
		return NULL;
	}
	*size = fread(data, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		snprintf(err, err_size, "cannot read %s%s%s: %s", what, space, path, strerror(errno));
		free(data);
		fclose(f);
		return NULL;
	}
	fclose(f);
	data[*size] = '\0';
	return data;
}

const char *jsonfile_type_name(const json_t *value)
{
	switch (json_typeof(value)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "an unknown value";
}
