/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json-writer.h - a small streaming JSON emitter: objects, arrays,
 * strings with proper escaping, integers, doubles, booleans and null.
 * Commas are inserted automatically; nesting is tracked up to 32 deep.
 */
#ifndef QGTOP_JSON_WRITER_H
#define QGTOP_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_WRITER_DEPTH 32

struct json_writer {
	FILE *out;
	int depth;
	bool need_comma[JSON_WRITER_DEPTH];
	bool after_key;
	bool pretty;
};

void json_writer_init(struct json_writer *w, FILE *out, bool pretty);
void json_object_begin(struct json_writer *w);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w);
void json_array_end(struct json_writer *w);
/* a key inside an object; the next value call writes its value */
void json_key(struct json_writer *w, const char *key);
void json_string(struct json_writer *w, const char *s);
void json_u64(struct json_writer *w, uint64_t v);
/* non-finite doubles are written as null */
void json_double(struct json_writer *w, double v, int decimals);
void json_bool(struct json_writer *w, bool v);
void json_null(struct json_writer *w);
/* ends the top-level value with a newline */
void json_writer_finish(struct json_writer *w);

#endif
