// The subset of the ZIP format that PyTorch checkpoints use: STORED (uncompressed) entries, data
// aligned to 64 bytes (PyTorch's writer pads the local header's extra field), ZIP64 records for
// large archives. Hand-written rather than a dependency: it is small, no npm ZIP library both
// reads and writes this exact layout (aligned STORED entries, ZIP64) without inflating or
// copying the data, and reading must stay bounded and defensive on hostile input (every offset
// and size is checked against the file before it is used).

/** @internal One entry of a ZIP archive's central directory. */
export interface ZipEntry {
  /** The entry's name (path inside the archive). */
  readonly name: string;
  /** The entry's data, a view into the archive's bytes (no copy). */
  readonly data: Uint8Array;
  /** The CRC-32 the central directory records for the data. */
  readonly crc32: number;
}

let CRC_TABLE: Uint32Array | null = null;

/** @internal CRC-32 (ISO-HDLC, the ZIP checksum) of `bytes`, continuing from `crc`. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  const table = CRC_TABLE;
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;

function u64(view: DataView, at: number, op: string, what: string): number {
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`${op}: the ZIP ${what} is ${v}, larger than any file this reader can hold; the archive is corrupt`);
  }
  return Number(v);
}

/**
 * @internal Reads the central directory of a ZIP archive held in `bytes`: every entry must be
 * STORED (PyTorch never compresses) and lie inside the file. Throws an error naming what is wrong
 * on malformed input; never allocates more than the file's size.
 */
export function readZip(op: string, bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  const corrupt = (what: string): Error =>
    new Error(`${op}: ${what}; the ZIP archive is truncated or corrupt (expected a file written by torch.save)`);
  if (len < 22) throw corrupt(`the file has ${len} bytes, fewer than a ZIP end-of-central-directory record (22)`);
  // the end-of-central-directory record: 22 bytes plus a comment of at most 65535 bytes
  let eocd = -1;
  for (let at = len - 22; at >= Math.max(0, len - 22 - 65535); at--) {
    if (view.getUint32(at, true) === SIG_EOCD && at + 22 + view.getUint16(at + 20, true) === len) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw corrupt('found no end-of-central-directory record at the end of the file');
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0) {
    throw new Error(`${op}: the ZIP archive spans several disks, which is not supported; expected a single-file archive`);
  }
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  let cdEnd = eocd;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff || (eocd >= 20 && view.getUint32(eocd - 20, true) === SIG_LOCATOR64)) {
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== SIG_LOCATOR64) throw corrupt('the ZIP64 end-of-central-directory locator is missing');
    const at = u64(view, loc + 8, op, 'ZIP64 record offset');
    if (at + 56 > loc) throw corrupt(`the ZIP64 end-of-central-directory record at byte ${at} is outside the file`);
    if (view.getUint32(at, true) !== SIG_EOCD64) throw corrupt(`no ZIP64 end-of-central-directory record at byte ${at}`);
    count = u64(view, at + 32, op, 'entry count');
    cdSize = u64(view, at + 40, op, 'central directory size');
    cdOffset = u64(view, at + 48, op, 'central directory offset');
    cdEnd = at;
  }
  if (cdOffset + cdSize > cdEnd) {
    throw corrupt(`the central directory [${cdOffset}, ${cdOffset + cdSize}) reaches past its end record at byte ${cdEnd}`);
  }
  if (count * 46 > cdSize) throw corrupt(`the central directory declares ${count} entries but has only ${cdSize} bytes`);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  const end = cdOffset + cdSize;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || view.getUint32(p, true) !== SIG_CENTRAL) throw corrupt(`central directory entry ${i} (at byte ${p}) is malformed`);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let csize = view.getUint32(p + 20, true);
    let usize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let local = view.getUint32(p + 42, true);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > end) throw corrupt(`central directory entry ${i} runs past the central directory`);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // ZIP64 extended information: the 64-bit values of the fields that are 0xFFFFFFFF, in order
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen; ) {
      const id = view.getUint16(e, true);
      const size = view.getUint16(e + 2, true);
      if (e + 4 + size > p + 46 + nameLen + extraLen) throw corrupt(`the extra field of entry '${name}' is malformed`);
      if (id === 0x0001) {
        let q = e + 4;
        const take = (field: string): number => {
          if (q + 8 > e + 4 + size) throw corrupt(`the ZIP64 field of entry '${name}' lacks its ${field}`);
          const v = u64(view, q, op, `${field} of entry '${name}'`);
          q += 8;
          return v;
        };
        if (usize === 0xffffffff) usize = take('size');
        if (csize === 0xffffffff) csize = take('compressed size');
        if (local === 0xffffffff) local = take('header offset');
      }
      e += 4 + size;
    }
    if (flags & 1) throw new Error(`${op}: entry '${name}' of the ZIP archive is encrypted; expected an unencrypted torch.save file`);
    if (method !== 0) {
      throw new Error(
        `${op}: entry '${name}' of the ZIP archive is compressed (method ${method}); expected STORED entries as torch.save writes them ` +
          '(re-save the file with torch.save, or unzip and re-zip it with `zip -0`)',
      );
    }
    if (csize !== usize) throw corrupt(`entry '${name}' is STORED but its sizes differ (${csize} vs ${usize})`);
    if (local + 30 > cdOffset || view.getUint32(local, true) !== SIG_LOCAL) {
      throw corrupt(`entry '${name}' points to a local header at byte ${local}, which is not one (or is outside the data area)`);
    }
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + usize > cdOffset) {
      throw corrupt(`the data of entry '${name}' ([${start}, ${start + usize})) reaches past the data area, which ends at byte ${cdOffset}`);
    }
    if (entries.has(name)) throw corrupt(`the archive has two entries named '${name}'`);
    entries.set(name, { name, data: bytes.subarray(start, start + usize), crc32: crc });
    p = next;
  }
  return entries;
}

/** @internal An entry to write: its name and data. */
export interface ZipInput {
  readonly name: string;
  readonly data: Uint8Array;
}

/**
 * @internal Writes a ZIP archive of STORED entries laid out as PyTorch's writer does: the data
 * of every entry starts at a multiple of `align` bytes (the local header's extra field is padded
 * with an `FB` record of `Z`s), ZIP64 records where a size or offset needs them (or always, with
 * `forceZip64`). `write` receives the archive in order, in chunks (the data is not copied).
 */
export async function writeZip(
  entries: readonly ZipInput[],
  write: (chunk: Uint8Array) => Promise<void>,
  options: { align?: number; forceZip64?: boolean } = {},
): Promise<void> {
  const align = options.align ?? 64;
  const force = options.forceZip64 ?? false;
  const enc = new TextEncoder();
  const central: Uint8Array[] = [];
  let offset = 0;
  const emit = async (chunk: Uint8Array): Promise<void> => {
    await write(chunk);
    offset += chunk.length;
  };
  const MAX32 = 0xffffffff;
  for (const entry of entries) {
    const name = enc.encode(entry.name);
    const size = entry.data.length;
    const crc = crc32(entry.data);
    const big = force || size >= MAX32;
    const local64 = big ? 20 : 0; // id, length, size, compressed size
    const before = offset + 30 + name.length + local64 + 4;
    const pad = (align - (before % align)) % align;
    const header = new Uint8Array(30 + name.length + local64 + 4 + pad);
    const h = new DataView(header.buffer);
    h.setUint32(0, SIG_LOCAL, true);
    h.setUint16(4, big ? 45 : 20, true);
    h.setUint16(6, 0x0800, true); // names are UTF-8
    h.setUint16(8, 0, true); // STORED
    h.setUint16(10, 0, true); // time 00:00:00
    h.setUint16(12, 0x21, true); // date 1980-01-01
    h.setUint32(14, crc, true);
    h.setUint32(18, big ? MAX32 : size, true);
    h.setUint32(22, big ? MAX32 : size, true);
    h.setUint16(26, name.length, true);
    h.setUint16(28, local64 + 4 + pad, true);
    header.set(name, 30);
    let e = 30 + name.length;
    if (big) {
      h.setUint16(e, 0x0001, true);
      h.setUint16(e + 2, 16, true);
      h.setBigUint64(e + 4, BigInt(size), true);
      h.setBigUint64(e + 12, BigInt(size), true);
      e += 20;
    }
    h.setUint16(e, 0x4246, true); // 'FB', PyTorch's padding record
    h.setUint16(e + 2, pad, true);
    header.fill(0x5a, e + 4); // 'Z'
    const localOffset = offset;
    await emit(header);
    if (size > 0) await emit(entry.data);
    // the central directory record
    const offBig = force || localOffset >= MAX32;
    const fields = (big ? 2 : 0) + (offBig ? 1 : 0);
    const extra = fields ? 4 + 8 * fields : 0;
    const c = new Uint8Array(46 + name.length + extra);
    const v = new DataView(c.buffer);
    v.setUint32(0, SIG_CENTRAL, true);
    v.setUint16(4, (3 << 8) | 45, true); // made by: Unix, ZIP 4.5
    v.setUint16(6, big || offBig ? 45 : 20, true);
    v.setUint16(8, 0x0800, true);
    v.setUint16(10, 0, true);
    v.setUint16(12, 0, true);
    v.setUint16(14, 0x21, true);
    v.setUint32(16, crc, true);
    v.setUint32(20, big ? MAX32 : size, true);
    v.setUint32(24, big ? MAX32 : size, true);
    v.setUint16(28, name.length, true);
    v.setUint16(30, extra, true);
    v.setUint32(42, offBig ? MAX32 : localOffset, true);
    c.set(name, 46);
    if (fields) {
      let q = 46 + name.length;
      v.setUint16(q, 0x0001, true);
      v.setUint16(q + 2, 8 * fields, true);
      q += 4;
      if (big) {
        v.setBigUint64(q, BigInt(size), true);
        v.setBigUint64(q + 8, BigInt(size), true);
        q += 16;
      }
      if (offBig) v.setBigUint64(q, BigInt(localOffset), true);
    }
    central.push(c);
  }
  const cdOffset = offset;
  for (const c of central) await emit(c);
  const cdSize = offset - cdOffset;
  const count = entries.length;
  const zip64 = force || count >= 0xffff || cdOffset >= MAX32 || cdSize >= MAX32;
  const tail = new Uint8Array((zip64 ? 56 + 20 : 0) + 22);
  const t = new DataView(tail.buffer);
  let q = 0;
  if (zip64) {
    t.setUint32(0, SIG_EOCD64, true);
    t.setBigUint64(4, 44n, true);
    t.setUint16(12, (3 << 8) | 45, true);
    t.setUint16(14, 45, true);
    t.setBigUint64(24, BigInt(count), true);
    t.setBigUint64(32, BigInt(count), true);
    t.setBigUint64(40, BigInt(cdSize), true);
    t.setBigUint64(48, BigInt(cdOffset), true);
    t.setUint32(56, SIG_LOCATOR64, true);
    t.setBigUint64(64, BigInt(offset), true); // where the ZIP64 record starts
    t.setUint32(72, 1, true);
    q = 76;
  }
  t.setUint32(q, SIG_EOCD, true);
  t.setUint16(q + 8, zip64 ? 0xffff : count, true);
  t.setUint16(q + 10, zip64 ? 0xffff : count, true);
  t.setUint32(q + 12, zip64 ? MAX32 : cdSize, true);
  t.setUint32(q + 16, zip64 ? MAX32 : cdOffset, true);
  await emit(tail);
}
