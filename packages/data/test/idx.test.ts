import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx, readIdxFile } from '@tensorgrad/data';

/** A hand-written IDX file: magic 0 0 0x08 2, dims 2 and 3 big-endian, then 6 bytes. */
const HAND = new Uint8Array([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 10, 20, 30, 40, 250, 255]);

describe('parseIdx', () => {
  it('parses a hand-built uint8 file exactly', () => {
    const r = parseIdx(HAND);
    expect(r.dtype).toBe('uint8');
    expect(r.shape).toEqual([2, 3]);
    expect(Array.from(r.data)).toEqual([10, 20, 30, 40, 250, 255]);
  });

  it('parses big-endian int32 and float32 payloads', () => {
    const i32 = new Uint8Array([0, 0, 0x0c, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xfe, 0, 0, 1, 0]);
    expect(Array.from(parseIdx(i32).data)).toEqual([-2, 256]);
    const f32 = new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]); // 1.5
    expect(Array.from(parseIdx(f32).data)).toEqual([1.5]);
  });

  it('encodeIdx writes the same bytes as the hand-built file', () => {
    expect(Array.from(encodeIdx(new Uint8Array([10, 20, 30, 40, 250, 255]), [2, 3]))).toEqual(Array.from(HAND));
  });

  it('rejects a bad magic number, type byte, truncated header, truncated or overlong payload', () => {
    const bad = (b: number[], re: RegExp): void => expect(() => parseIdx(new Uint8Array(b), 'f.idx')).toThrow(re);
    bad([1, 0, 8, 1, 0, 0, 0, 1, 5], /f\.idx: not a valid IDX file: the magic number starts with 0x01 0x00/);
    bad([0, 0, 0x07, 1, 0, 0, 0, 1, 5], /f\.idx.*unknown type byte 0x07/);
    bad([0, 0, 8, 3, 0, 0, 0, 1], /f\.idx.*declares 3 dimensions \(16 bytes\) but the file has only 8/);
    bad(Array.from(HAND.slice(0, HAND.length - 1)), /f\.idx.*truncated/);
    bad([...HAND, 0], /f\.idx.*trailing bytes/);
    bad([0, 0], /f\.idx.*fewer than the 4-byte magic/);
    bad([0x1f, 0x8b, 8, 0], /gzip-compressed/);
  });
});

describe('readIdxFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-idx-'));

  it('reads plain and gzipped files to the same values', async () => {
    writeFileSync(join(dir, 'a-idx2-ubyte'), HAND);
    writeFileSync(join(dir, 'a-idx2-ubyte.gz'), gzipSync(HAND));
    for (const f of ['a-idx2-ubyte', 'a-idx2-ubyte.gz']) {
      const r = await readIdxFile(join(dir, f));
      expect(r.shape).toEqual([2, 3]);
      expect(Array.from(r.data)).toEqual([10, 20, 30, 40, 250, 255]);
    }
  });

  it('names the file when the gzip stream or the payload is truncated', async () => {
    const gz = gzipSync(HAND);
    const cut = join(dir, 'cut.gz');
    writeFileSync(cut, gz.subarray(0, gz.length - 10));
    await expect(readIdxFile(cut)).rejects.toThrow(new RegExp(`${cut.replace(/[.]/g, '\\.')}: the gzip data is corrupt or truncated`));
    const short = join(dir, 'short.gz');
    writeFileSync(short, gzipSync(HAND.subarray(0, 15)));
    await expect(readIdxFile(short)).rejects.toThrow(/short\.gz: not a valid IDX file.*truncated/);
    await expect(readIdxFile(join(dir, 'nope'))).rejects.toThrow(/cannot read .*nope/);
  });
});
