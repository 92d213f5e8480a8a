// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offline-super.c - verify and decode one btrfs superblock copy.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "btrfs-format.h"
#include "le.h"
#include "nls.h"
#include "offline-csum.h"
#include "offline-super.h"


#define SB16(b, f) BTRFS_LE16(b, struct qgtop_btrfs_super_block, f)
#define SB32(b, f) BTRFS_LE32(b, struct qgtop_btrfs_super_block, f)
#define SB64(b, f) BTRFS_LE64(b, struct qgtop_btrfs_super_block, f)
#define SBAT(b, f) BTRFS_AT(b, struct qgtop_btrfs_super_block, f)

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int offline_super_parse(const uint8_t *buf, uint64_t bytenr, bool verify_csum,
			struct offline_super *sb, char *why, size_t whylen)
{
	const uint8_t *dev = BTRFS_AT(buf, struct qgtop_btrfs_super_block, dev_item);

	memset(sb, 0, sizeof(*sb));
	if (SB64(buf, magic) != QGTOP_BTRFS_MAGIC) {
		snprintf(why, whylen, _("no btrfs magic"));
		return -EINVAL;
	}
	sb->csum_type = SB16(buf, csum_type);
	if (!offline_csum_size(sb->csum_type)) {
		snprintf(why, whylen, _("unknown checksum type %u"), sb->csum_type);
		return -EINVAL;
	}
	if (verify_csum) {
		int ok = offline_csum_init(sb->csum_type);

		if (ok) {
			snprintf(why, whylen, _("cannot compute %s checksums: libsodium did not initialise"),
				 offline_csum_name(sb->csum_type));
			return ok;
		}
		if (!offline_csum_verify(sb->csum_type, buf, OFFLINE_SUPER_SIZE)) {
			snprintf(why, whylen, _("superblock checksum mismatch"));
			return -EINVAL;
		}
	}
	memcpy(sb->fsid, SBAT(buf, fsid), sizeof(sb->fsid));
	sb->bytenr = SB64(buf, bytenr);
	sb->generation = SB64(buf, generation);
	sb->root = SB64(buf, root);
	sb->chunk_root = SB64(buf, chunk_root);
	sb->total_bytes = SB64(buf, total_bytes);
	sb->bytes_used = SB64(buf, bytes_used);
	sb->num_devices = SB64(buf, num_devices);
	sb->sectorsize = SB32(buf, sectorsize);
	sb->nodesize = SB32(buf, nodesize);
	sb->sys_chunk_array_size = SB32(buf, sys_chunk_array_size);
	sb->chunk_root_generation = SB64(buf, chunk_root_generation);
	sb->compat_ro_flags = SB64(buf, compat_ro_flags);
	sb->incompat_flags = SB64(buf, incompat_flags);
	sb->root_level = BTRFS_LE8(buf, struct qgtop_btrfs_super_block, root_level);
	sb->chunk_root_level = BTRFS_LE8(buf, struct qgtop_btrfs_super_block, chunk_root_level);
	sb->devid = BTRFS_LE64(dev, struct btrfs_dev_item, devid);
	memcpy(sb->dev_uuid, BTRFS_AT(dev, struct btrfs_dev_item, uuid), sizeof(sb->dev_uuid));
	memcpy(sb->label, SBAT(buf, label), QGTOP_BTRFS_LABEL_SIZE);
	sb->label[QGTOP_BTRFS_LABEL_SIZE] = 0;
	if (sb->incompat_flags & BTRFS_FEATURE_INCOMPAT_METADATA_UUID)
		memcpy(sb->metadata_uuid, SBAT(buf, metadata_uuid), sizeof(sb->metadata_uuid));
	else
		memcpy(sb->metadata_uuid, sb->fsid, sizeof(sb->metadata_uuid));

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
	if (sb->root_level >= QGTOP_BTRFS_MAX_LEVEL || sb->chunk_root_level >= QGTOP_BTRFS_MAX_LEVEL) {
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
	memcpy(sb->sys_chunk_array, SBAT(buf, sys_chunk_array), sb->sys_chunk_array_size);
	return 0;
}
