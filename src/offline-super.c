// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-super.c - read, verify and decode btrfs superblocks (primary at
 * 64 KiB, backups at 64 MiB and 256 GiB).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "le.h"
#include "nls.h"
#include "offline-csum.h"
#include "offline-super.h"

#define BTRFS_MAGIC 0x4d5f53665248425fULL	/* "_BHRfS_M" */

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int offline_super_parse(const uint8_t *buf, uint64_t bytenr, bool verify_csum,
			struct offline_super *sb, char *why, size_t whylen)
{
	const uint8_t *dev = buf + 0xc9;

	memset(sb, 0, sizeof(*sb));
	if (get_le64(buf + 0x40) != BTRFS_MAGIC) {
		snprintf(why, whylen, _("no btrfs magic"));
		return -EINVAL;
	}
	sb->csum_type = get_le16(buf + 0xc4);
	if (!offline_csum_size(sb->csum_type)) {
		snprintf(why, whylen, _("unknown checksum type %u"), sb->csum_type);
		return -EINVAL;
	}
	if (verify_csum && !offline_csum_verify(sb->csum_type, buf, OFFLINE_SUPER_SIZE)) {
		snprintf(why, whylen, _("superblock checksum mismatch"));
		return -EINVAL;
	}
	memcpy(sb->fsid, buf + 0x20, 16);
	sb->bytenr = get_le64(buf + 0x30);
	sb->generation = get_le64(buf + 0x48);
	sb->root = get_le64(buf + 0x50);
	sb->chunk_root = get_le64(buf + 0x58);
	sb->total_bytes = get_le64(buf + 0x70);
	sb->bytes_used = get_le64(buf + 0x78);
	sb->num_devices = get_le64(buf + 0x88);
	sb->sectorsize = get_le32(buf + 0x90);
	sb->nodesize = get_le32(buf + 0x94);
	sb->sys_chunk_array_size = get_le32(buf + 0xa0);
	sb->chunk_root_generation = get_le64(buf + 0xa4);
	sb->compat_ro_flags = get_le64(buf + 0xb4);
	sb->incompat_flags = get_le64(buf + 0xbc);
	sb->root_level = buf[0xc6];
	sb->chunk_root_level = buf[0xc7];
	sb->devid = get_le64(dev);
	memcpy(sb->dev_uuid, dev + 66, 16);
	memcpy(sb->label, buf + 0x12b, 256);
	sb->label[256] = 0;
	if (sb->incompat_flags & BTRFS_INCOMPAT_METADATA_UUID)
		memcpy(sb->metadata_uuid, buf + 0x23b, 16);
	else
		memcpy(sb->metadata_uuid, sb->fsid, 16);

	if (sb->bytenr != bytenr) {
		snprintf(why, whylen, _("superblock at %llu claims bytenr %llu"),
			 (unsigned long long)bytenr, (unsigned long long)sb->bytenr);
		return -EINVAL;
	}
	if (!is_pow2(sb->sectorsize) || sb->sectorsize < 4096 || sb->sectorsize > 65536 ||
	    !is_pow2(sb->nodesize) || sb->nodesize < sb->sectorsize || sb->nodesize > 65536) {
		snprintf(why, whylen, _("bad sector size %u or node size %u"), sb->sectorsize,
			 sb->nodesize);
		return -EINVAL;
	}
	if (sb->sys_chunk_array_size > OFFLINE_SYS_CHUNK_ARRAY_MAX) {
		snprintf(why, whylen, _("system chunk array size %u too large"),
			 sb->sys_chunk_array_size);
		return -EINVAL;
	}
	if (sb->root_level >= 8 || sb->chunk_root_level >= 8) {
		snprintf(why, whylen, _("bad tree root level"));
		return -EINVAL;
	}
	if (!sb->num_devices || sb->num_devices > 1024) {
		snprintf(why, whylen, _("bad number of devices %llu"),
			 (unsigned long long)sb->num_devices);
		return -EINVAL;
	}
	if (sb->root % sb->sectorsize || sb->chunk_root % sb->sectorsize) {
		snprintf(why, whylen, _("unaligned tree root"));
		return -EINVAL;
	}
	memcpy(sb->sys_chunk_array, buf + 0x32b, sb->sys_chunk_array_size);
	return 0;
}

int offline_super_read(int fd, bool verify_csum, struct offline_super *sb, char *why,
		       size_t whylen)
{
	static const uint64_t offs[] = { OFFLINE_SUPER_OFFSET, 64ULL << 20, 256ULL << 30 };
	uint8_t buf[OFFLINE_SUPER_SIZE];
	struct offline_super cand;
	char first_why[160] = "";
	bool found = false;

	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		char w[160];
		ssize_t n = pread(fd, buf, sizeof(buf), (off_t)offs[i]);

		if (n < 0)
			return -errno;
		if (n != (ssize_t)sizeof(buf)) {
			if (i == 0)
				snprintf(first_why, sizeof(first_why), _("too small for a btrfs superblock"));
			break;
		}
		if (offline_super_parse(buf, offs[i], verify_csum, &cand, w, sizeof(w))) {
			if (i == 0)
				snprintf(first_why, sizeof(first_why), "%s", w);
			continue;
		}
		if (i == 0) {
			*sb = cand;
			return 0;
		}
		if (!found || cand.generation > sb->generation)
			*sb = cand;
		found = true;
	}
	if (found)
		return 0;
	snprintf(why, whylen, "%s", first_why[0] ? first_why : _("no valid superblock"));
	return -EINVAL;
}
