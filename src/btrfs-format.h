/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * btrfs-format.h - the on-disk formats qgtop reads, by name: the kernel's
 * uapi layouts from <linux/btrfs_tree.h>, and packed mirrors of those the
 * installed headers lack (the tree block header, items and key pointers,
 * the superblock, the simple-quota additions of 6.7), checked by static
 * asserts against the byte offsets btrfs defines. qgtop-only names start
 * with QGTOP_BTRFS_ / struct qgtop_btrfs_.
 *
 * Fields are read in place with BTRFS_LE64(p, struct, field): a
 * little-endian load at offsetof(), safe on unaligned buffers; length
 * checks compare with sizeof() or QGTOP_BTRFS_END(struct, field).
 */
#ifndef QGTOP_BTRFS_FORMAT_H
#define QGTOP_BTRFS_FORMAT_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>

#include "le.h"

/* the end of @field in @type: the shortest item that has it */
#define QGTOP_BTRFS_END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

#define BTRFS_LE8(p, type, field) (((const uint8_t *)(p))[offsetof(type, field)])
#define BTRFS_LE16(p, type, field) get_le16((const uint8_t *)(p) + offsetof(type, field))
#define BTRFS_LE32(p, type, field) get_le32((const uint8_t *)(p) + offsetof(type, field))
#define BTRFS_LE64(p, type, field) get_le64((const uint8_t *)(p) + offsetof(type, field))
#define BTRFS_AT(p, type, field) ((const uint8_t *)(p) + offsetof(type, field))

/* ---- what the 6.1 uapi headers lack ---- */

/* "_BHRfS_M", the superblock's magic */
#define QGTOP_BTRFS_MAGIC 0x4d5f53665248425fULL

/* an extent's owner (simple quotas, 6.7): inline ref type and its body */
#define QGTOP_BTRFS_EXTENT_OWNER_REF_KEY 172
/* the status flag of simple quotas (6.7) */
#define QGTOP_BTRFS_QGROUP_STATUS_FLAG_SIMPLE_MODE (1ULL << 3)

struct qgtop_btrfs_qgroup_status_item {
	__le64 version;
	__le64 generation;
	__le64 flags;
	__le64 rescan;
	__le64 enable_gen;	/* 6.7; only meaningful with SIMPLE_MODE */
} __attribute__((__packed__));

struct qgtop_btrfs_header {
	__u8 csum[BTRFS_CSUM_SIZE];
	__u8 fsid[BTRFS_FSID_SIZE];
	__le64 bytenr;
	__le64 flags;
	__u8 chunk_tree_uuid[BTRFS_UUID_SIZE];
	__le64 generation;
	__le64 owner;
	__le32 nritems;
	__u8 level;
} __attribute__((__packed__));

struct qgtop_btrfs_item {
	struct btrfs_disk_key key;
	__le32 offset;		/* of the data, from the end of the header */
	__le32 size;
} __attribute__((__packed__));

struct qgtop_btrfs_key_ptr {
	struct btrfs_disk_key key;
	__le64 blockptr;
	__le64 generation;
} __attribute__((__packed__));

/* the kernel's BTRFS_MAX_LEVEL: tree levels 0 (leaves) to 7 */
#define QGTOP_BTRFS_MAX_LEVEL 8

#define QGTOP_BTRFS_SYSTEM_CHUNK_ARRAY_SIZE 2048
#define QGTOP_BTRFS_LABEL_SIZE 256

/* the superblock up to its system chunk array (what qgtop reads) */
struct qgtop_btrfs_super_block {
	__u8 csum[BTRFS_CSUM_SIZE];
	__u8 fsid[BTRFS_FSID_SIZE];
	__le64 bytenr;
	__le64 flags;
	__le64 magic;
	__le64 generation;
	__le64 root;
	__le64 chunk_root;
	__le64 log_root;
	__le64 unused_log_root_transid;
	__le64 total_bytes;
	__le64 bytes_used;
	__le64 root_dir_objectid;
	__le64 num_devices;
	__le32 sectorsize;
	__le32 nodesize;
	__le32 unused_leafsize;
	__le32 stripesize;
	__le32 sys_chunk_array_size;
	__le64 chunk_root_generation;
	__le64 compat_flags;
	__le64 compat_ro_flags;
	__le64 incompat_flags;
	__le16 csum_type;
	__u8 root_level;
	__u8 chunk_root_level;
	__u8 log_root_level;
	struct btrfs_dev_item dev_item;
	char label[QGTOP_BTRFS_LABEL_SIZE];
	__le64 cache_generation;
	__le64 uuid_tree_generation;
	__u8 metadata_uuid[BTRFS_FSID_SIZE];
	__le64 nr_global_roots;
	__le64 reserved[27];
	__u8 sys_chunk_array[QGTOP_BTRFS_SYSTEM_CHUNK_ARRAY_SIZE];
} __attribute__((__packed__));

/* the layouts btrfs defines, byte for byte */
static_assert(sizeof(struct qgtop_btrfs_header) == 101, "btrfs_header");
static_assert(sizeof(struct qgtop_btrfs_item) == 25, "btrfs_item");
static_assert(sizeof(struct qgtop_btrfs_key_ptr) == 33, "btrfs_key_ptr");
static_assert(offsetof(struct qgtop_btrfs_header, nritems) == 96, "btrfs_header.nritems");
static_assert(offsetof(struct qgtop_btrfs_super_block, magic) == 0x40, "super.magic");
static_assert(offsetof(struct qgtop_btrfs_super_block, csum_type) == 0xc4, "super.csum_type");
static_assert(offsetof(struct qgtop_btrfs_super_block, dev_item) == 0xc9, "super.dev_item");
static_assert(offsetof(struct qgtop_btrfs_super_block, label) == 0x12b, "super.label");
static_assert(offsetof(struct qgtop_btrfs_super_block, metadata_uuid) == 0x23b, "super.metadata_uuid");
static_assert(offsetof(struct qgtop_btrfs_super_block, sys_chunk_array) == 0x32b, "super.sys_chunk_array");
static_assert(sizeof(struct btrfs_disk_key) == 17, "btrfs_disk_key");
static_assert(offsetof(struct btrfs_dev_item, uuid) == 66, "btrfs_dev_item.uuid");
static_assert(offsetof(struct btrfs_root_item, level) == 238, "btrfs_root_item.level");
static_assert(sizeof(struct btrfs_chunk) == 80, "btrfs_chunk with one stripe");
static_assert(sizeof(struct btrfs_stripe) == 32, "btrfs_stripe");
static_assert(offsetof(struct btrfs_file_extent_item, disk_bytenr) == 21, "file_extent.disk_bytenr");
static_assert(sizeof(struct qgtop_btrfs_qgroup_status_item) == 40, "qgroup_status_item");

#endif
