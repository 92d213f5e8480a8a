/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offline-super.h - the btrfs superblock: read the primary and backup
 * copies from a device, verify them, and decode the fields the offline
 * engine needs.
 */
#ifndef QGTOP_OFFLINE_SUPER_H
#define QGTOP_OFFLINE_SUPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OFFLINE_SUPER_SIZE 4096
#define OFFLINE_SUPER_OFFSET 65536ULL
#define OFFLINE_SYS_CHUNK_ARRAY_MAX 2048

#define BTRFS_INCOMPAT_MIXED_GROUPS (1ULL << 2)
#define BTRFS_INCOMPAT_SKINNY_METADATA (1ULL << 8)
#define BTRFS_INCOMPAT_METADATA_UUID (1ULL << 10)
#define BTRFS_INCOMPAT_RAID1C34 (1ULL << 11)
#define BTRFS_INCOMPAT_SIMPLE_QUOTA (1ULL << 16)
#define BTRFS_COMPAT_RO_BLOCK_GROUP_TREE (1ULL << 3)

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
	char label[257];
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
 * Return: 0, or -EINVAL when it is not a valid btrfs superblock.
 */
int offline_super_parse(const uint8_t *buf, uint64_t bytenr, bool verify_csum,
			struct offline_super *sb, char *why, size_t whylen);

/**
 * offline_super_read() - read the best superblock of device @fd
 *
 * The primary copy is used when valid, else the valid backup with the
 * highest generation.
 * Return: 0, -EINVAL (no valid copy, reason in @why) or -EIO.
 */
int offline_super_read(int fd, bool verify_csum, struct offline_super *sb, char *why,
		       size_t whylen);

#endif
