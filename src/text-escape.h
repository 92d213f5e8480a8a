/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * text-escape.h - make untrusted text safe to print on a terminal.
 *
 * Subvolume names come from unprivileged users and, in images, from
 * anyone; labels and mount points too. Written raw to a terminal, a name
 * can move the cursor, rewrite the screen or set the window title. Every
 * place a name reaches a terminal passes it through here: control
 * characters (C0, DEL, C1), bytes that are not valid UTF-8 and the bidi
 * controls that reorder text become visible escapes, and a backslash is
 * doubled so an escape cannot be faked by a name.
 */
#ifndef QGTOP_TEXT_ESCAPE_H
#define QGTOP_TEXT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* room for the longest escape of one character, "\u{202e}" */
#define TEXT_ESCAPE_MAX 16

/**
 * text_utf8_decode() - decode one UTF-8 character strictly
 * @s: a NUL-terminated string
 * @cp: receives the code point
 * Return: its length in bytes, 0 when @s does not start with a valid,
 * shortest-form UTF-8 character (surrogates and values above U+10FFFF are
 * invalid).
 */
size_t text_utf8_decode(const char *s, uint32_t *cp);

/**
 * text_is_unsafe() - whether code point @cp must not reach a terminal as
 * it is: a C0 or C1 control, DEL, or a bidi control
 */
bool text_is_unsafe(uint32_t cp);

/**
 * text_escape_next() - the printable form of the character at @s
 * @s: a non-empty NUL-terminated string
 * @out: receives the bytes to print, NUL-terminated (at most
 *       TEXT_ESCAPE_MAX bytes plus the NUL)
 * @escaped: set true when @out is an escape (plain ASCII) rather than the
 *           character itself
 *
 * A valid UTF-8 character that is safe is copied as it is. A C0 control
 * or DEL becomes "\xNN", each byte of a C1 control or of an invalid
 * sequence "\xNN", a bidi control "\u{NNNN}", a backslash "\\".
 * Return: the number of bytes of @s consumed (>= 1).
 */
size_t text_escape_next(const char *s, char *out, bool *escaped);

/**
 * text_escape() - the printable form of all of @s
 * @s: string, NULL prints as ""
 * @buf: receives the result, cut at a character boundary when too small
 * @len: size of @buf (> 0)
 * Return: @buf.
 */
char *text_escape(const char *s, char *buf, size_t len);

/**
 * text_escape_dup() - text_escape() into a malloc'ed string
 * Return: the string, or NULL on out of memory.
 */
char *text_escape_dup(const char *s);

/**
 * text_is_safe() - whether @s prints as it is (nothing would be escaped)
 */
bool text_is_safe(const char *s);

#endif
