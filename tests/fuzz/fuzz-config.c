// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-config.c - libFuzzer target for the saved qgroup configuration
 * parser (qgroup_config_read): any input either loads or is refused with
 * a line number, never reading past the line it names by more than a
 * line's worth (so an endless line or /dev/zero fails at once), and what
 * loads writes back and reloads to the same directives. Seeds in
 * tests/fuzz/config-corpus.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qgroup-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qgroup_config_error err;
	struct qgroup_model m, again;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	qgroup_model_init(&m);
	ret = qgroup_config_read(f, &m, &err);
	if (ret == -EINVAL && (err.line == 0 || !err.why))
		abort();
	/* a relation listed twice is found once every line is read (the
	 * relations are sorted at the end): the whole file was read */
	if (ret == -EINVAL && strcmp(err.why, "relation listed twice")) {
		/* the failing line starts after err.line - 1 newlines */
		size_t start = 0;
		unsigned nl = 0;

		while (start < size && nl + 1 < err.line)
			nl += data[start++] == '\n';
		if ((size_t)ftell(f) > start + QGROUP_CONFIG_MAX_LINE + 1)
			abort();
	}
	fclose(f);
	if (ret == 0) {
		f = open_memstream(&text, &len);
		if (!f || qgroup_config_write(&m, f, 0))
			abort();
		fclose(f);
		f = fmemopen(text, len, "r");
		qgroup_model_init(&again);
		if (!f || qgroup_config_read(f, &again, &err))
			abort();
		fclose(f);
		if (again.nr_qgroups != m.nr_qgroups)
			abort();
		qgroup_model_free(&again);
		free(text);
	}
	qgroup_model_free(&m);
	return 0;
}
