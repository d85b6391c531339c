/**
 * `files/jpeg`: hostile JPEG files for `decodeImage` (`@tensorgrad/vision`, which wraps
 * libjpeg-turbo compiled to WebAssembly). Each case encodes a small random gray or colour image
 * with `encodeJpeg`, then mutates it: the generic byte mutations plus the markers' own fields —
 * frame size up to 65535 × 65535 and 0, component counts, sampling factors and table selectors
 * out of range, the frame type switched (progressive, lossless, arithmetic, hierarchical),
 * quantisation and Huffman tables malformed, segment lengths beyond the file, restart markers
 * and EOI inserted into or removed from the entropy-coded data. After a case the untouched image
 * is decoded again and must give the same pixels as before: a codec left broken by a hostile
 * file fails the case.
 */
import { tensor, tidy, type Tensor } from '@tensorgrad/tensor';
import { decodeImage, encodeJpeg, type ImageReadMode } from '@tensorgrad/vision';
import type { FuzzTarget } from '../target.js';
import { chooser, judgeRead, mutateBytes, mutateSome, type Chooser, type Mutated } from './hostile.js';

const MODES: readonly ImageReadMode[] = ['unchanged', 'gray', 'rgb', 'rgb_alpha'];
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** A marker segment: the marker byte, where its length field starts, and its length. */
interface Segment {
  marker: number;
  at: number;
  length: number;
}

/** The marker segments before the first scan's data (and the SOS itself), or [] when the layout is broken. */
function segments(file: Uint8Array): Segment[] {
  const out: Segment[] = [];
  let p = 2;
  while (p + 4 <= file.length && file[p] === 0xff) {
    while (p + 1 < file.length && file[p + 1] === 0xff) p++; // fill bytes
    if (p + 4 > file.length) break;
    const marker = file[p + 1]!;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2; // TEM, RSTn: no length
      continue;
    }
    const length = (file[p + 2]! << 8) | file[p + 3]!;
    out.push({ marker, at: p + 2, length });
    if (marker === 0xda || length < 2) break;
    p += 2 + length;
  }
  return out;
}

/** Mutations of the marker segments' fields (the bytes stay where they are). */
function mutateMarkers(c: Chooser, file: Uint8Array): Mutated {
  const segs = segments(file);
  if (!segs.length) return mutateBytes(c, file);
  const out = file.slice();
  const set16 = (at: number, v: number): void => {
    out[at] = (v >> 8) & 0xff;
    out[at + 1] = v & 0xff;
  };
  const sof = segs.find((s) => SOF.has(s.marker));
  const pick = (marker: number): Segment | undefined => {
    const all = segs.filter((s) => s.marker === marker);
    return all.length ? c.pick(all) : undefined;
  };
  switch (c.int(9)) {
    case 0: {
      if (!sof) return mutateBytes(c, file);
      const h = c.pick([0, 1, 8, 65535, 65500, 30000, 16384]);
      const w = c.pick([0, 1, 8, 65535, 65500, 30000, 16384]);
      set16(sof.at + 3, h);
      set16(sof.at + 5, w);
      return { bytes: out, what: `SOF size set to ${w}×${h}` };
    }
    case 1: {
      if (!sof) return mutateBytes(c, file);
      const n = c.pick([0, 2, 4, 5, 255]);
      out[sof.at + 7] = n;
      return { bytes: out, what: `SOF component count set to ${n}` };
    }
    case 2: {
      if (!sof || sof.length < 11) return mutateBytes(c, file);
      const k = c.int(Math.max(1, out[sof.at + 7]!));
      const field = c.int(3);
      const v = field === 1 ? c.pick([0x00, 0x55, 0xff, 0x41, 0x14, 0x44]) : c.pick([0, 3, 4, 9, 255]);
      if (sof.at + 8 + 3 * k + field < out.length) out[sof.at + 8 + 3 * k + field] = v;
      return { bytes: out, what: `SOF component ${k} ${['id', 'sampling factors', 'quantisation table'][field]} set to 0x${v.toString(16)}` };
    }
    case 3: {
      if (!sof) return mutateBytes(c, file);
      const m = c.pick([0xc1, 0xc2, 0xc3, 0xc5, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xcf]);
      out[sof.at - 1] = m;
      if (c.chance(0.3)) out[sof.at + 2] = c.pick([12, 16, 2, 0]); // sample precision
      return { bytes: out, what: `frame marker set to FF ${m.toString(16).toUpperCase()}` };
    }
    case 4: {
      const dqt = pick(0xdb);
      if (!dqt) return mutateBytes(c, file);
      const v = c.pick([0x10, 0x04, 0x1f, 0xf0, 0x13]);
      out[dqt.at + 2] = v;
      return { bytes: out, what: `DQT precision/id byte set to 0x${v.toString(16)}` };
    }
    case 5: {
      const dht = pick(0xc4);
      if (!dht) return mutateBytes(c, file);
      if (c.chance(0.5)) {
        out[dht.at + 2] = c.pick([0x02, 0x20, 0x14, 0xff]);
        return { bytes: out, what: `DHT class/id byte set to 0x${out[dht.at + 2]!.toString(16)}` };
      }
      const i = c.int(16);
      out[dht.at + 3 + i] = c.pick([0xff, 0x80, 0, 17]);
      return { bytes: out, what: `DHT count of ${i + 1}-bit codes set to ${out[dht.at + 3 + i]}` };
    }
    case 6: {
      const sos = pick(0xda);
      if (!sos) return mutateBytes(c, file);
      const at = sos.at + 2 + c.int(Math.max(1, sos.length - 2));
      const v = c.pick([0, 1, 4, 0x3f, 0x40, 0xff, 0x11, 0x44]);
      out[at] = v;
      return { bytes: out, what: `SOS byte ${at - sos.at} set to 0x${v.toString(16)}` };
    }
    case 7: {
      const s = c.pick(segs);
      const v = c.pick([0, 1, 2, 3, 0xffff, s.length + 1, s.length - 1, s.length + 64]);
      set16(s.at, v);
      return { bytes: out, what: `length of segment FF ${s.marker.toString(16).toUpperCase()} set to ${v}` };
    }
    default: {
      // the entropy-coded data: restart markers, an early EOI, a missing EOI
      const sos = segs.find((s) => s.marker === 0xda);
      if (!sos) return mutateBytes(c, file);
      const start = sos.at + sos.length;
      if (start >= file.length - 2) return mutateBytes(c, file);
      const at = start + c.int(Math.max(1, file.length - 2 - start));
      const kind = c.int(3);
      if (kind === 2) return { bytes: file.slice(0, file.length - 2), what: 'EOI removed' };
      const ins = kind === 0 ? [0xff, 0xd0 + c.int(8)] : [0xff, 0xd9];
      const res = new Uint8Array(file.length + 2);
      res.set(file.subarray(0, at));
      res.set(ins, at);
      res.set(file.subarray(at), at + 2);
      return { bytes: res, what: `${kind === 0 ? 'a restart marker' : 'an EOI'} inserted into the scan data at ${at}` };
    }
  }
}

async function check(img: Tensor, bytes: Uint8Array, mode: ImageReadMode): Promise<string | null> {
  const sof = segments(bytes).find((s) => SOF.has(s.marker));
  if (!sof) return 'it decoded a file without a frame header';
  const h = (bytes[sof.at + 3]! << 8) | bytes[sof.at + 4]!;
  const w = (bytes[sof.at + 5]! << 8) | bytes[sof.at + 6]!;
  const comps = bytes[sof.at + 7]!;
  const channels = mode === 'unchanged' ? (comps === 1 ? 1 : 3) : { gray: 1, gray_alpha: 2, rgb: 3, rgb_alpha: 4 }[mode];
  if (JSON.stringify(img.shape) !== JSON.stringify([channels, h, w])) return `shape [${img.shape.join(', ')}], the frame header says [${channels}, ${h}, ${w}]`;
  const data = await img.data();
  for (let i = 0; i < data.length; i++) if (!(data[i]! >= 0 && data[i]! <= 255)) return `pixel value ${data[i]} at ${i}, outside 0–255`;
  return null;
}

/**
 * The JPEG fuzzer (`files/jpeg`).
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { jpegFileTarget } from '@tensorgrad/fuzz';
 * (await jpegFileTarget.run(1)).length > 0; // true
 * ```
 */
export const jpegFileTarget: FuzzTarget = {
  name: 'files/jpeg',
  async run(seed) {
    const c = chooser(this.name, seed);
    const [ch, h, w] = [c.pick([1, 3]), 1 + c.int(20), 1 + c.int(20)];
    const values = Array.from({ length: ch * h * w }, () => c.int(256));
    const img = tidy(() => tensor(values, { dtype: 'int32' }).reshape([ch, h, w]));
    let base: Uint8Array;
    try {
      base = await encodeJpeg(img, { quality: 1 + c.int(100) });
    } finally {
      img.dispose();
    }
    // decoded first: the reference pixels, and the decoder is loaded before the case's clock starts
    const first = await decodeImage(base);
    const reference = Array.from(await first.data());
    first.dispose();
    const m = mutateSome(c, base, [mutateBytes, mutateMarkers, mutateMarkers, mutateMarkers]);
    const mode = c.pick(MODES);
    const id = `${this.name}:${seed}`;
    const what = `${m.what} (of a ${w}×${h} ${ch === 1 ? 'gray' : 'colour'} JPEG, mode '${mode}')`;
    const summary = await judgeRead<Tensor>({
      id,
      what,
      bytes: m.bytes,
      read: (b) => decodeImage(b, { mode }),
      check: (t, b) => check(t, b, mode),
      resultBytes: (t) => 4 * t.shape.reduce((a, b) => a * b, 1),
      dispose: (t) => t.dispose(),
      errorNames: /^decodeImage: /,
    });
    // the codec must still decode the untouched file after whatever the hostile one did to it
    const again = await decodeImage(base).catch((e: unknown) => e);
    if (!(again instanceof Object && 'shape' in again)) {
      throw new Error(`${id}: ${what}: afterwards the untouched ${base.length}-byte JPEG no longer decodes (${String((again as Error)?.message ?? again)}): the hostile file left the codec broken`);
    }
    const pixels = Array.from(await (again as Tensor).data());
    (again as Tensor).dispose();
    if (pixels.length !== reference.length || pixels.some((v, i) => v !== reference[i])) {
      throw new Error(`${id}: ${what}: afterwards the untouched JPEG decodes to other pixels than before: the hostile file left the codec broken`);
    }
    return summary;
  },
};
