// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json-writer.c - see json-writer.h. Output is RFC 8259 JSON; strings are
 * written as UTF-8 with control characters escaped, so subvolume names with
 * odd bytes still produce valid JSON (invalid UTF-8 bytes become U+FFFD).
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "json-writer.h"

void json_writer_init(struct json_writer *w, FILE *out, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
}

static void indent(struct json_writer *w)
{
	if (!w->pretty)
		return;
	fputc('\n', w->out);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->out);
}

/* called before every value or key */
static void before_item(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (w->need_comma[w->depth])
			fputc(',', w->out);
		w->need_comma[w->depth] = true;
		indent(w);
	}
}

static void open_container(struct json_writer *w, char c)
{
	before_item(w);
	fputc(c, w->out);
	if (w->depth + 1 < JSON_WRITER_DEPTH)
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void close_container(struct json_writer *w, char c)
{
	bool had_items = w->need_comma[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (had_items)
		indent(w);
	fputc(c, w->out);
}

void json_object_begin(struct json_writer *w)
{
	open_container(w, '{');
}

void json_object_end(struct json_writer *w)
{
	close_container(w, '}');
}

void json_array_begin(struct json_writer *w)
{
	open_container(w, '[');
}

void json_array_end(struct json_writer *w)
{
	close_container(w, ']');
}

/* length of a valid UTF-8 sequence at @s, 0 if invalid */
static int utf8_len(const unsigned char *s)
{
	int n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void write_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', out);
	while (*s) {
		int n;

		switch (*s) {
		case '"': fputs("\\\"", out); s++; continue;
		case '\\': fputs("\\\\", out); s++; continue;
		case '\n': fputs("\\n", out); s++; continue;
		case '\r': fputs("\\r", out); s++; continue;
		case '\t': fputs("\\t", out); s++; continue;
		default: break;
		}
		if (*s < 0x20) {
			fprintf(out, "\\u%04x", *s);
			s++;
			continue;
		}
		n = utf8_len(s);
		if (n == 0) {
			fputs("\\ufffd", out);
			s++;
			continue;
		}
		fwrite(s, 1, (size_t)n, out);
		s += n;
	}
	fputc('"', out);
}

void json_key(struct json_writer *w, const char *key)
{
	before_item(w);
	write_string(w->out, key);
	fputs(w->pretty ? ": " : ":", w->out);
	w->after_key = true;
}

void json_string(struct json_writer *w, const char *s)
{
	before_item(w);
	if (s)
		write_string(w->out, s);
	else
		fputs("null", w->out);
}

void json_u64(struct json_writer *w, uint64_t v)
{
	before_item(w);
	fprintf(w->out, "%" PRIu64, v);
}

void json_i64(struct json_writer *w, int64_t v)
{
	before_item(w);
	fprintf(w->out, "%" PRId64, v);
}

void json_double(struct json_writer *w, double v, int decimals)
{
	before_item(w);
	if (!isfinite(v))
		fputs("null", w->out);
	else
		fprintf(w->out, "%.*f", decimals, v);
}

void json_bool(struct json_writer *w, bool v)
{
	before_item(w);
	fputs(v ? "true" : "false", w->out);
}

void json_null(struct json_writer *w)
{
	before_item(w);
	fputs("null", w->out);
}

void json_writer_finish(struct json_writer *w)
{
	fputc('\n', w->out);
	fflush(w->out);
}
