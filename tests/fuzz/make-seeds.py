#!/usr/bin/env python3
# make-seeds.py IMAGE OUT - write a fuzz seed for fuzz-offline: the primary
# superblock and every tree block (found by the filesystem's fsid at offset
# 32 of nodesize-aligned blocks) of IMAGE, in the fuzzer's sparse format
# { le32 offset/4096, le16 blocks, data }.
import struct
import sys

img = open(sys.argv[1], "rb").read()
sb = img[65536:65536 + 4096]
fsid = sb[0x20:0x30]
incompat = struct.unpack_from("<Q", sb, 0xbc)[0]
if incompat & (1 << 10):
    fsid = sb[0x23b:0x24b]
nodesize = struct.unpack_from("<I", sb, 0x94)[0]
keep = [(65536, 4096)]
for off in range(0, len(img) - nodesize + 1, nodesize):
    if img[off + 32:off + 48] == fsid:
        keep.append((off, nodesize))
keep.sort()
runs = []
for off, ln in keep:
    if runs and runs[-1][0] + runs[-1][1] == off and runs[-1][1] + ln < 65536 * 4096:
        runs[-1][1] += ln
    else:
        runs.append([off, ln])
with open(sys.argv[2], "wb") as out:
    for off, ln in runs:
        out.write(struct.pack("<IH", off // 4096, ln // 4096))
        out.write(img[off:off + ln])
