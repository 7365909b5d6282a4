/*
 * UTF-8 validation and decoding (RFC 3629).
 */
#include "engine/utf8.h"

/* Length of the sequence a lead byte starts, or 0 for a byte that cannot
 * start one. */
static int sequence_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

uint32_t utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t left = len - *i;
	int n = sequence_length(p[0]);
	uint32_t cp;

	if (n == 0 || (size_t)n > left) {
		(*i)++;
		return 0xFFFD;
	}
	if (n == 1) {
		(*i)++;
		return p[0];
	}
	cp = p[0] & (0xFF >> (n + 1));
	for (int k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80) {
			(*i)++;
			return 0xFFFD;
		}
		cp = (cp << 6) | (p[k] & 0x3F);
	}
	/* Reject overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF)) {
		(*i)++;
		return 0xFFFD;
	}
	*i += (size_t)n;
	return cp;
}

bool utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
	size_t i = 0;

	while (i < len) {
		size_t at = i;
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		if (utf8_next(s, len, &i) == 0xFFFD && !(i - at == 3 &&
		    (unsigned char)s[at] == 0xEF && (unsigned char)s[at + 1] == 0xBF &&
		    (unsigned char)s[at + 2] == 0xBD)) {
			if (bad_offset)
				*bad_offset = at;
			return false;
		}
	}
	return true;
}

bool utf8_is_emoji(uint32_t cp)
{
	return (cp >= 0x1F000 && cp <= 0x1FAFF) ||   /* pictographs, emoticons, transport */
	       (cp >= 0x2600 && cp <= 0x27BF) ||     /* miscellaneous symbols, dingbats */
	       (cp >= 0x2B00 && cp <= 0x2BFF) ||     /* arrows and stars used as emoji */
	       (cp >= 0x1F1E6 && cp <= 0x1F1FF) ||   /* regional indicators (flags) */
	       cp == 0x200D || cp == 0xFE0F || cp == 0x20E3 ||
	       (cp >= 0xE0020 && cp <= 0xE007F);    /* tag characters */
}

size_t utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}
