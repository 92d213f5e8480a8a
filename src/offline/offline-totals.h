/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-totals.h - qgroup numbers from the root sets of a finished
 * offline scan, the way the kernel's full rescan counts: a qgroup
 * references every byte reached by any subvolume below it, and holds it
 * exclusively when no subvolume outside it reaches it.
 */
#ifndef QGTOP_OFFLINE_TOTALS_H
#define QGTOP_OFFLINE_TOTALS_H

#include <stddef.h>
#include <stdint.h>

#include "offline-scan.h"
#include "qgroup-model.h"

/**
 * offline_totals_account() - set rfer/excl (and the _cmpr copies: the
 * offline reader counts on-disk bytes) of every qgroup of @m from @s
 * Return: 0 or -ENOMEM.
 */
int offline_totals_account(const struct offline_scan *s, struct qgroup_model *m);

/**
 * offline_totals_freed() - bytes reached only by the @nr subvolumes
 * @subvol_ids (what deleting all of them would free)
 * Return: 0 or -ENOMEM.
 */
int offline_totals_freed(const struct offline_scan *s, const uint64_t *subvol_ids, size_t nr,
			 uint64_t *bytes);

#endif
