// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-offline.c - libFuzzer target over the offline engine's image reader
 * and accounting. The input is a sparse device image: records of
 * { le32 offset in 4 KiB units, le16 count of 4 KiB blocks, the blocks }
 * (the last record may be short), zeros elsewhere, 256 MiB in all.
 * Checksums are not verified (so mutations reach deep code) unless
 * FUZZ_VERIFY_CSUM=1 is set. Seeds: tests/fuzz/corpus (make-seeds.py).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "offline/offline-engine.h"
#include "offline/offline-fs.h"
#include "qgroup-model.h"

#define FUZZ_DEV_SIZE (256ULL << 20)
#define FUZZ_MAX_SEGS 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct offline_seg segs[FUZZ_MAX_SEGS];
	static int verify = -1;
	struct offline_engine *e;
	struct qgroup_model m;
	size_t pos = 0, nr = 0;
	char err[512];

	if (verify < 0) {
		const char *v = getenv("FUZZ_VERIFY_CSUM");

		verify = v && *v == '1';
	}
	while (pos + 6 <= size && nr < FUZZ_MAX_SEGS) {
		uint64_t off = ((uint64_t)data[pos] | (uint64_t)data[pos + 1] << 8 |
				(uint64_t)data[pos + 2] << 16 | (uint64_t)data[pos + 3] << 24) * 4096;
		size_t len = ((size_t)data[pos + 4] | (size_t)data[pos + 5] << 8) * 4096;

		pos += 6;
		if (len > size - pos)
			len = size - pos;
		if (off < FUZZ_DEV_SIZE && len <= FUZZ_DEV_SIZE - off && len) {
			segs[nr].off = off;
			segs[nr].len = (uint32_t)len;
			segs[nr].data = data + pos;
			nr++;
		}
		pos += len;
	}
	if (offline_engine_open_sparse(segs, nr, FUZZ_DEV_SIZE, verify, &e, err, sizeof(err)))
		return 0;
	qgroup_model_init(&m);
	if (offline_engine_scan(e, &m, NULL, NULL, NULL, NULL) == 0) {
		uint64_t ids[2] = { 5, 256 }, bytes;

		offline_engine_freed(e, ids, 2, &bytes);
	}
	qgroup_model_free(&m);
	offline_engine_close(e);
	return 0;
}
