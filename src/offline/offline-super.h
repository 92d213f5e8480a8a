/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-super.h - the btrfs superblock: verify one copy and decode the
 * fields the offline reader needs (offline-dev.c chooses among the copies).
 */
#ifndef QGTOP_OFFLINE_SUPER_H
#define QGTOP_OFFLINE_SUPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btrfs-format.h"

#define OFFLINE_SUPER_SIZE 4096
#define OFFLINE_SUPER_OFFSET 65536ULL
#define OFFLINE_SYS_CHUNK_ARRAY_MAX QGTOP_BTRFS_SYSTEM_CHUNK_ARRAY_SIZE


struct offline_super {
	uint8_t fsid[16];
	uint8_t metadata_uuid[16];	/* = fsid unless METADATA_UUID */
	uint64_t bytenr, generation, root, chunk_root, total_bytes, bytes_used;
	uint64_t num_devices, chunk_root_generation;
	uint64_t compat_ro_flags, incompat_flags;
	uint32_t sectorsize, nodesize, sys_chunk_array_size;
	uint16_t csum_type;
	uint8_t root_level, chunk_root_level;
	uint64_t devid;
	uint8_t dev_uuid[16];
	char label[QGTOP_BTRFS_LABEL_SIZE + 1];
	uint8_t sys_chunk_array[OFFLINE_SYS_CHUNK_ARRAY_MAX];
};

/**
 * offline_super_parse() - verify and decode one superblock copy
 * @buf: OFFLINE_SUPER_SIZE bytes as read from the device
 * @bytenr: the offset it was read from (must match its bytenr field)
 * @verify_csum: check the checksum (off only for fuzzing)
 * @sb: result
 * @why: receives a short reason on failure
 *
 * Return: 0, -EINVAL when it is not a valid btrfs superblock, or -ENOSYS
 * when its checksum type needs a library that failed to initialise.
 */
int offline_super_parse(const uint8_t *buf, uint64_t bytenr, bool verify_csum,
			struct offline_super *sb, char *why, size_t whylen);

#endif
