// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * text-escape.c - terminal-safe forms of untrusted text (see
 * text-escape.h). The UTF-8 decoder is strict: overlong forms, surrogates
 * and code points above U+10FFFF are invalid, so they are escaped byte by
 * byte like any other invalid sequence.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text-escape.h"

size_t text_utf8_decode(const char *str, uint32_t *cp)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	const unsigned char *s = (const unsigned char *)str;
	size_t n;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		/* the NUL terminator fails this test too: no read past the end */
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* bidi controls: they reorder what follows and can disguise a name */
static bool is_bidi_control(uint32_t c)
{
	return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

bool text_is_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp);
}

size_t text_escape_next(const char *s, char *out, bool *escaped)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t n = text_utf8_decode(s, &cp);

	*escaped = true;
	if (!n || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
		/* one byte at a time: a C1 control is two bytes, \xc2\x9b */
		snprintf(out, TEXT_ESCAPE_MAX + 1, "\\x%02x", u[0]);
		return 1;
	}
	if (cp == '\\') {
		strcpy(out, "\\\\");
		return 1;
	}
	if (is_bidi_control(cp)) {
		snprintf(out, TEXT_ESCAPE_MAX + 1, "\\u{%04x}", (unsigned)cp);
		return n;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	*escaped = false;
	return n;
}

char *text_escape(const char *s, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	if (!s)
		return buf;
	while (*s) {
		char one[TEXT_ESCAPE_MAX + 1];
		bool esc;
		size_t n = text_escape_next(s, one, &esc), m = strlen(one);

		if (used + m + 1 > len)
			break;
		memcpy(buf + used, one, m + 1);
		used += m;
		s += n;
	}
	return buf;
}

char *text_escape_dup(const char *s)
{
	/* every byte escapes to at most 4 bytes ("\xNN"); a bidi control
	 * (3 bytes) to 8 */
	size_t len = (s ? strlen(s) : 0) * 4 + 1;
	char *buf = malloc(len);

	return buf ? text_escape(s, buf, len) : NULL;
}

bool text_is_safe(const char *s)
{
	char one[TEXT_ESCAPE_MAX + 1];
	bool esc;

	while (s && *s) {
		s += text_escape_next(s, one, &esc);
		if (esc)
			return false;
	}
	return true;
}
