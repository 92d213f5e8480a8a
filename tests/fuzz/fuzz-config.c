// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-config.c - libFuzzer target for the saved qgroup configuration
 * parser (qgroup_config_read): any input either loads or is refused with
 * a line number, and what loads writes back and reloads to the same
 * directives.
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
	fclose(f);
	if (ret == -EINVAL && (err.line == 0 || !err.why))
		abort();
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
