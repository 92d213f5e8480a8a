/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model-json.h - the JSON sink of a qgroup_model (schema: doc/json-schema.md)
 */
#ifndef QGTOP_MODEL_JSON_H
#define QGTOP_MODEL_JSON_H

#include <stdio.h>

#include "json-writer.h"
#include "qgroup-model.h"

/**
 * model_json_write() - write @m as one JSON object to @out
 * Qgroups with stored numbers (offline engine) also get
 * stored_referenced, stored_exclusive and mismatch.
 */
void model_json_write(const struct qgroup_model *m, FILE *out, bool pretty);

/**
 * model_json_qgroup() - write one qgroup object through @w
 */
void model_json_qgroup(struct json_writer *w, const struct qgroup *q);

#endif
