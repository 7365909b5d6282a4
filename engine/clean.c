/*
 * Line-based detection of where the request ends in a pasted message.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "engine/clean.h"

static bool starts_with_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && strncasecmp(s, prefix, n) == 0;
}

static bool contains_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return true;
	return false;
}

/* How many of the line's leading bytes are '-', '_' or '='; the line is
 * not NUL-terminated, so strspn cannot be used. */
static size_t separator_run(const char *line, size_t len)
{
	size_t n = 0;

	while (n < len && (line[n] == '-' || line[n] == '_' || line[n] == '='))
		n++;
	return n;
}

/* A sign-off line ("Cheers,", "Best regards,", "Thanks!"): what follows
 * is a signature. */
static bool is_closing(const char *line, size_t len)
{
	static const char *const closings[] = {
		"cheers", "best", "best regards", "kind regards", "regards", "thanks", "thank you",
		"many thanks", "sincerely", "all the best", "warm regards", "talk soon", "see you",
		"yours", "br", "thx", NULL
	};

	while (len > 0 && (line[len - 1] == ',' || line[len - 1] == '!' || line[len - 1] == '.'))
		len--;
	for (int i = 0; closings[i]; i++)
		if (strlen(closings[i]) == len && strncasecmp(closings[i], line, len) == 0)
			return true;
	return false;
}

/* Whether a line (without its newline) starts the part to cut. */
static bool is_cut_line(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	line += i;
	len -= i;
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	if (len == 0)
		return false;
	if (line[0] == '>')
		return true;
	/* A signature separator: "--" or "-- " alone on its line. */
	if (len == 2 && line[0] == '-' && line[1] == '-')
		return true;
	if (len >= 5 && separator_run(line, len) >= 5)
		return true;
	if (contains_ci(line, len, "original message") || contains_ci(line, len, "forwarded message"))
		return true;
	if (starts_with_ci(line, len, "from:") || starts_with_ci(line, len, "sent from my") ||
	    starts_with_ci(line, len, "get outlook for"))
		return true;
	if (starts_with_ci(line, len, "on ") && len > 8 && line[len - 1] == ':' &&
	    contains_ci(line, len, "wrote"))
		return true;
	return is_closing(line, len);
}

size_t clean_focus_length(const char *text, size_t len)
{
	size_t line_start = 0;
	bool first_line = true;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		/* The first line is the request itself, whatever it looks like. */
		if (!first_line && is_cut_line(text + line_start, i - line_start))
			return line_start;
		if (i > line_start)
			first_line = false;
		line_start = i + 1;
	}
	return len;
}
