/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * metrics-prom.h - the Prometheus text exposition sink of qgroup models:
 * per filesystem the quota state, per qgroup its bytes, limits and
 * reservations, named and labelled as Prometheus documents it (base units,
 * HELP and TYPE lines, escaped label values), for node_exporter's textfile
 * collector or any scraper.
 */
#ifndef QGTOP_METRICS_PROM_H
#define QGTOP_METRICS_PROM_H

#include <stddef.h>
#include <stdio.h>

#include "qgroup-model.h"

/**
 * metrics_prom_write() - write the metrics of @nr filesystems
 * @out: stream
 * @models: one finished model per filesystem (live)
 * @nr: number of @models
 *
 * Each metric family is written once, with every filesystem's samples
 * under it. A model whose rescan has an estimate (m->rescan.percent >= 0)
 * gets a btrfs_quota_rescan_progress_ratio sample.
 * Return: 0, or -EIO when the stream failed.
 */
int metrics_prom_write(FILE *out, const struct qgroup_model *const *models, size_t nr);

/**
 * metrics_prom_label_value() - write @s as the inside of a label value:
 * backslash, double quote and newline escaped as the format requires,
 * invalid UTF-8 and other control characters replaced by U+FFFD
 */
void metrics_prom_label_value(FILE *out, const char *s);

#endif
