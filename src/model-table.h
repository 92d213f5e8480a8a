/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model-table.h - the text table sink of a qgroup_model, laid out like
 * `btrfs qgroup show -pcre`, with sorting and filtering.
 */
#ifndef QGTOP_MODEL_TABLE_H
#define QGTOP_MODEL_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "qgroup-model.h"
#include "units.h"

enum model_sort_key {
	MODEL_SORT_QGROUPID = 0,
	MODEL_SORT_RFER,
	MODEL_SORT_EXCL,
	MODEL_SORT_MAX_RFER,
	MODEL_SORT_MAX_EXCL,
	MODEL_SORT_PATH,
};

#define MODEL_SORT_MAX_KEYS 6

struct model_sort {
	enum model_sort_key key[MODEL_SORT_MAX_KEYS];
	bool descending[MODEL_SORT_MAX_KEYS];
	int nr;
};

struct model_table_opts {
	struct units units;
	bool show_parents, show_children, show_max_rfer, show_max_excl, show_path;
	bool show_stored;	/* offline: stored numbers and a diff mark */
	int level;		/* only this level, -1 for all */
	uint64_t *only;		/* only these ids (and, if set, nothing else) */
	size_t nr_only;
	struct model_sort sort;
};

/**
 * model_sort_parse() - parse a btrfs-progs style sort list such as
 * "-rfer,+qgroupid" (fields qgroupid, rfer, excl, max_rfer, max_excl, path)
 * Return: 0 or -EINVAL.
 */
int model_sort_parse(const char *s, struct model_sort *out);

/**
 * model_sorted_index() - indices of the qgroups of @m that pass the filter
 * of @o, in the order of @o->sort
 * @nr: number of indices returned
 * Return: malloc'ed array (NULL with *nr == 0 when empty or out of memory).
 */
size_t *model_sorted_index(const struct qgroup_model *m, const struct model_table_opts *o,
			   size_t *nr);

/**
 * model_table_write() - print the table
 * Return: 0 or -ENOMEM.
 */
int model_table_write(const struct qgroup_model *m, const struct model_table_opts *o, FILE *out);

void model_table_opts_default(struct model_table_opts *o);

#endif
