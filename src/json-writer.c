// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json-writer.c - see json-writer.h. Output is RFC 8259 JSON; strings are
 * written as UTF-8 with control characters (C0, DEL, C1, bidi controls)
 * escaped as \uXXXX, so subvolume names with odd bytes still produce valid
 * JSON that is safe on a terminal (invalid UTF-8 bytes become U+FFFD).
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "json-writer.h"
#include "text-escape.h"

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

static void write_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', out);
	while (*s) {
		uint32_t cp;
		size_t n;

		switch (*s) {
		case '"': fputs("\\\"", out); s++; continue;
		case '\\': fputs("\\\\", out); s++; continue;
		case '\n': fputs("\\n", out); s++; continue;
		case '\r': fputs("\\r", out); s++; continue;
		case '\t': fputs("\\t", out); s++; continue;
		default: break;
		}
		n = text_utf8_decode((const char *)s, &cp);
		if (n == 0) {
			fputs("\\ufffd", out);
			s++;
			continue;
		}
		/* valid JSON either way; escaped, no control reaches a terminal */
		if (text_is_unsafe(cp)) {
			fprintf(out, "\\u%04x", (unsigned)cp);
			s += n;
			continue;
		}
		fwrite(s, 1, n, out);
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
