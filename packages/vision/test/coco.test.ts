import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromTypedArray, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { DataLoader } from '@tensorgrad/data';
import { CocoDetection, cocoDetectionTarget, cocoSegmentationToMask, detectionCollate, writeJpeg, writePng, type CocoAnnotation, type CocoDetectionTarget } from '@tensorgrad/vision';

/** pycocotools' rleToString, written here from its C source as an independent encoder. */
function rleToString(counts: number[]): string {
  let s = '';
  counts.forEach((c, i) => {
    let x = i > 2 ? c - counts[i - 2]! : c;
    let more = true;
    while (more) {
      let ch = x & 0x1f;
      x = Math.floor(x / 32); // arithmetic shift
      more = ch & 0x10 ? x !== -1 : x !== 0;
      if (more) ch |= 0x20;
      s += String.fromCharCode(ch + 48);
    }
  });
  return s;
}

/** A row-major 0/1 mask → column-major RLE counts starting with zeros. */
function rleCounts(mask: number[], h: number, w: number): number[] {
  const counts: number[] = [];
  let value = 0;
  let run = 0;
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      const v = mask[y * w + x]!;
      if (v !== value) {
        counts.push(run);
        run = 0;
        value = v;
      }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

// pycocotools 2.0.11's answers (pip wheel, run once by hand: mask.decode(mask.merge(mask.frPyObjects(polygons, 20, 24))),
// written as column-major runs; and mask.encode of a random 20×24 mask): [segmentation, runs]
const PYCOCOTOOLS_POLYGONS: [number[][], number[]][] = [
  [[[0, 0, 10, 0, 0, 10]], [0, 9, 11, 8, 12, 7, 13, 6, 14, 5, 15, 4, 16, 3, 17, 2, 18, 1, 319]],
  [[[2.3, 1.7, 15.2, 3.1, 18.9, 14.4, 7.5, 17.8, 1.1, 9.9]], [28, 2, 12, 9, 11, 11, 9, 12, 8, 13, 7, 14, 6, 16, 4, 16, 5, 14, 6, 14, 6, 14, 6, 13, 7, 13, 7, 13, 8, 11, 12, 8, 15, 5, 18, 2, 105]],
  [[[5, 5, 9, 5, 9, 9, 5, 9], [7, 7, 12, 7, 12, 12]], [105, 4, 16, 4, 16, 4, 16, 4, 18, 2, 18, 3, 17, 4, 249]],
  [[[-2, -3, 30, 4, 10, 25]], [0, 3, 17, 5, 15, 7, 13, 10, 10, 12, 8, 14, 6, 17, 3, 19, 1, 120, 1, 19, 1, 18, 2, 17, 3, 16, 5, 14, 6, 13, 7, 12, 8, 11, 9, 10, 11, 8, 9]],
  [[[23.5, 0, 23.9, 19.6, 0.2, 19.9]], [39, 1, 18, 2, 17, 3, 16, 4, 15, 5, 15, 5, 14, 6, 13, 7, 12, 8, 11, 9, 10, 10, 9, 11, 9, 11, 8, 12, 7, 13, 6, 14, 5, 15, 4, 16, 3, 17, 3, 17, 2, 18, 1, 39]],
];
const PYCOCOTOOLS_STRING: [string, number[]] = [
  '31121O20M10N10O01100OO00120N20N000O021OO70I0O00011OO111O11NO<0D010N00010O11OO010O00041LO106122GN10OO0030M00010000000O010120O0O10N30MO0021N00O30N0O212OL1002OO00040K0310OM16OJ31MO0011O11N30N0N014OL11O0041KO04002LO2O00N1040O0M0O052KN121OOOO0110O0',
  [3, 1, 1, 3, 2, 2, 4, 2, 1, 3, 1, 1, 2, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 2, 3, 2, 1, 4, 1, 2, 1, 2, 1, 1, 1, 3, 2, 2, 1, 9, 1, 2, 1, 1, 1, 1, 1, 2, 2, 1, 1, 2, 2, 3, 1, 4, 2, 2, 1, 14, 1, 2, 1, 3, 1, 1, 1, 1, 1, 2, 1, 1, 2, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 5, 2, 1, 1, 2, 1, 8, 2, 10, 4, 1, 2, 2, 2, 1, 1, 1, 1, 4, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1, 2, 1, 3, 3, 3, 2, 3, 1, 4, 1, 2, 4, 2, 1, 1, 1, 1, 3, 2, 1, 2, 1, 1, 4, 1, 2, 1, 1, 3, 2, 5, 1, 1, 2, 1, 2, 3, 1, 2, 1, 2, 1, 6, 1, 1, 1, 4, 2, 4, 1, 1, 2, 7, 1, 1, 4, 2, 1, 1, 1, 1, 2, 2, 1, 3, 2, 1, 5, 1, 3, 1, 1, 1, 2, 5, 1, 1, 2, 2, 1, 2, 1, 6, 2, 1, 1, 1, 5, 1, 5, 3, 1, 2, 3, 1, 3, 1, 1, 2, 1, 6, 1, 5, 1, 2, 1, 1, 1, 6, 3, 1, 1, 2, 3, 3, 2, 2, 1, 1, 1, 2, 2, 2, 1, 2],
];

/** Column-major runs (starting with zeros) → a row-major 0/1 mask. */
function fromRuns(runs: number[], hh: number, ww: number): number[] {
  const m = new Array<number>(hh * ww).fill(0);
  let p = 0;
  runs.forEach((r, i) => {
    for (let q = p; q < p + r; q++) if (i % 2 === 1) m[(q % hh) * ww + Math.floor(q / hh)] = 1;
    p += r;
  });
  return m;
}

let root = '';
const h = 12;
const w = 16;
// an irregular mask: a blob and a diagonal line
const MASK = Array.from({ length: h * w }, (_, p) => {
  const y = Math.floor(p / w);
  const x = p % w;
  return (x - 10) ** 2 + (y - 5) ** 2 < 10 || x === y ? 1 : 0;
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tg-coco-'));
  await writePng(fromTypedArray(new Int32Array(3 * h * w).fill(30), [3, h, w]), join(root, 'b.png'));
  await writeJpeg(fromTypedArray(new Int32Array(3 * 8 * 8).fill(60), [3, 8, 8]), join(root, 'a.jpg'));
  const counts = rleCounts(MASK, h, w);
  await writeFile(
    join(root, 'instances.json'),
    JSON.stringify({
      info: {},
      images: [
        { id: 42, file_name: 'b.png', width: w, height: h },
        { id: 3, file_name: 'a.jpg', width: 8, height: 8 },
        { id: 9, file_name: 'missing.png', width: 8, height: 8 },
      ],
      annotations: [
        { id: 1, image_id: 42, category_id: 18, bbox: [2, 3, 4, 5], area: 20, iscrowd: 0, segmentation: [[2, 3, 6, 3, 6, 8, 2, 8]] },
        { id: 2, image_id: 42, category_id: 1, bbox: [0, 0, 16, 12], area: 27, iscrowd: 0, segmentation: { counts: rleToString(counts), size: [h, w] } },
        { id: 3, image_id: 42, category_id: 1, bbox: [0, 0, 16, 12], area: 27, iscrowd: 1, segmentation: { counts, size: [h, w] } },
        { id: 4, image_id: 3, category_id: 5, bbox: [7.5, 5, 0, 3], area: 0, iscrowd: 0, segmentation: [] },
      ],
      categories: [
        { id: 1, name: 'person' },
        { id: 5, name: 'airplane' },
        { id: 18, name: 'dog' },
      ],
    }),
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('COCO segmentations (pycocotools semantics)', () => {
  it('decodes compressed and uncompressed RLE back to the mask they were encoded from', async () => {
    const counts = rleCounts(MASK, h, w);
    const expected = Array.from({ length: h }, (_, y) => MASK.slice(y * w, y * w + w).map((v) => v === 1));
    expect(await cocoSegmentationToMask({ counts, size: [h, w] }, h, w).array()).toEqual(expected);
    expect(await cocoSegmentationToMask({ counts: rleToString(counts), size: [h, w] }, { height: h, width: w }).array()).toEqual(expected);
    // large counts and negative deltas in the compressed form
    const big = [5000, 3, 2, 1, 30000 - 5006];
    const m = await cocoSegmentationToMask({ counts: rleToString(big), size: [100, 300] }, 100, 300).data();
    const ones: number[] = [];
    m.forEach((v, p) => v && ones.push(p));
    // column-major positions 5000..5002 and 5005: (row, col) = (0, 50), (1, 50), (2, 50), (5, 50)
    expect(ones).toEqual([50, 350, 650, 1550]);
  });

  it('rasterises polygons as pycocotools: axis-aligned rectangles exactly, other shapes close to their area', async () => {
    const rect = await cocoSegmentationToMask([[2, 3, 6, 3, 6, 8, 2, 8]], h, w).array();
    const want = Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => x >= 2 && x < 6 && y >= 3 && y < 8));
    expect(rect).toEqual(want);
    // four numbers: a box [x, y, width, height], as pycocotools' frPyObjects
    expect(await cocoSegmentationToMask([[2, 3, 4, 5]], h, w).array()).toEqual(want);
    // a right triangle of area 50 on a 20×20 image: pixels whose centres are inside ≈ 45–55
    const tri = await cocoSegmentationToMask([[0, 0, 10, 0, 0, 10]], 20, 20).data();
    let n = 0;
    let outside = 0;
    tri.forEach((v, p) => {
      if (!v) return;
      n++;
      const x = p % 20;
      const y = Math.floor(p / 20);
      if (x + y > 10) outside++;
    });
    expect(n).toBeGreaterThanOrEqual(45);
    expect(n).toBeLessThanOrEqual(60);
    expect(outside).toBe(0);
    // two polygons are united
    const two = await cocoSegmentationToMask([[0, 0, 2, 0, 2, 2, 0, 2], [1, 1, 3, 1, 3, 3, 1, 3]], 4, 4).data();
    expect(Array.from(two).reduce((s: number, v) => s + Number(v), 0)).toBe(7);
  });

  it('gives pycocotools\' masks for polygons and compressed RLE (pixel-exact)', async () => {
    for (const [k, [polygons, runs]] of PYCOCOTOOLS_POLYGONS.entries()) {
      const got = Array.from(await cocoSegmentationToMask(polygons, 20, 24).data(), Number);
      expect(got, `polygons ${k}`).toEqual(fromRuns(runs, 20, 24));
    }
    const [counts, runs] = PYCOCOTOOLS_STRING;
    expect(Array.from(await cocoSegmentationToMask({ counts, size: [20, 24] }, 20, 24).data(), Number)).toEqual(fromRuns(runs, 20, 24));
    expect(rleToString(runs)).toBe(counts); // the test's own encoder agrees with pycocotools
  });

  it('refuses malformed segmentations', () => {
    expect(() => cocoSegmentationToMask({ counts: [1, 2], size: [3, 2] }, 3, 2)).toThrow(/add up to 3 pixels, but the mask is 3×2 = 6/);
    expect(() => cocoSegmentationToMask({ counts: [6], size: [2, 3] }, 3, 2)).toThrow(/RLE size is \[2, 3\] but the image is 3×2/);
    expect(() => cocoSegmentationToMask({ counts: 'o', size: [3, 2] }, 3, 2)).toThrow(/ends in the middle of a number; is it truncated/);
    expect(() => cocoSegmentationToMask({ counts: '6~', size: [3, 2] }, 3, 2)).toThrow(/has the character "~" at 1/);
    expect(() => cocoSegmentationToMask([[1, 2, 3]], 3, 2)).toThrow(/polygon 0 is \[1,2,3\]; expected \[x1, y1, x2, y2, …\]/);
    expect(() => cocoSegmentationToMask({ counts: [6] } as never, 3, 2)).toThrow(/expected a segmentation as polygons/);
    expect(() => cocoSegmentationToMask([], 0, 2)).toThrow(/height and width to be positive integers/);
    // a corrupt size: a clear error, not V8's "Invalid typed array length"
    expect(() => cocoSegmentationToMask({ counts: [1e12], size: [1e6, 1e6] }, 1e6, 1e6)).toThrow(/a 1000000×1000000 mask has 1000000000000 pixels, more than the 1073741824 one mask may hold; expected the image's real height and width/);
  });

  it('refuses a polygon far outside the image at once (it crashed the process) and keeps one that sticks out', async () => {
    const t0 = Date.now();
    expect(() => cocoSegmentationToMask([[0, 0, 1e9, 0, 1e9, 1e9]], 10, 10)).toThrow(/polygon 0: the polygon's boundary spans \d+ points .*vertex \(1000000000, 1000000000\) lies far outside the 10×10 image/);
    expect(Date.now() - t0).toBeLessThan(1000);
    // pycocotools drops the boundary outside the image: the same mask as the polygon clipped to it
    const out = Array.from(await cocoSegmentationToMask([[-5, -5, 2, -5, 2, 2, -5, 2]], 4, 3).data(), Number);
    const clipped = Array.from(await cocoSegmentationToMask([[0, 0, 2, 0, 2, 2, 0, 2]], 4, 3).data(), Number);
    expect(out).toEqual(clipped);
    expect(out.filter((v) => v === 1).length).toBe(4);
  });
});

describe('CocoDetection', () => {
  it('reads images and their annotations as torchvision (ids sorted, annotations in file order)', async () => {
    const coco = new CocoDetection(root, join(root, 'instances.json'));
    expect(coco.length).toBe(3);
    expect(coco.ids).toEqual([3, 9, 42]);
    expect(coco.cats[18]!.name).toBe('dog');
    const [image, anns] = await coco.get(2);
    expect(image.shape).toEqual([3, h, w]);
    expect(anns.map((a) => a.id)).toEqual([1, 2, 3]);
    const [small, none] = await coco.get(0);
    expect(small.shape).toEqual([3, 8, 8]);
    expect(none.map((a) => a.id)).toEqual([4]);
    await expect(coco.get(1)).rejects.toThrow(/cannot read '.*missing.png'/);
  });

  it('converts to torchvision detection targets (ConvertCocoPolysToMask): crowd and empty boxes dropped, masks decoded', async () => {
    const coco = new CocoDetection(root, join(root, 'instances.json'), {
      transforms: (image: Tensor, anns: CocoAnnotation[]) => [image, cocoDetectionTarget(anns, { height: image.shape[1]!, width: image.shape[2]! })] as [Tensor, CocoDetectionTarget],
    });
    const [, t] = await coco.get(2);
    expect(await t.boxes.array()).toEqual([[2, 3, 6, 8], [0, 0, 16, 12]]);
    expect(await t.labels.array()).toEqual([18, 1]);
    expect(await t.area.array()).toEqual([20, 27]);
    expect(await t.iscrowd.array()).toEqual([0, 0]);
    expect(t.imageId).toBe(42);
    const masks = await t.masks.data();
    expect(Array.from(masks.slice(h * w), Number)).toEqual(MASK);
    expect(Array.from(masks.slice(0, h * w)).reduce((s, v) => s + Number(v), 0)).toBe(20);
    // the zero-width box of image 3 is dropped
    const [, t3] = await coco.get(0);
    expect(t3.boxes.shape).toEqual([0, 4]);
    expect(t3.masks.shape).toEqual([0, 8, 8]);
    const loader = new DataLoader(coco, { batchSize: 3, collateFn: detectionCollate<Tensor, CocoDetectionTarget> });
    await expect((async () => {
      for await (const _ of loader) void _;
    })()).rejects.toThrow(/dataset.get\(1\) failed.*missing.png/);
  });

  it('refuses missing and malformed annotation files with errors that name the entry', async () => {
    const bad = async (name: string, content: unknown): Promise<string> => {
      const file = join(root, name);
      await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
      return file;
    };
    const img = { id: 1, file_name: 'a.jpg', width: 8, height: 8 };
    const ann = { id: 11, image_id: 1, category_id: 1, bbox: [1, 1, 2, 2] };
    expect(() => new CocoDetection(root, join(root, 'nope.json'))).toThrow(/cannot read the annotation file '.*nope.json'/);
    const t1 = await bad('t1.json', '{"images": [}');
    expect(() => new CocoDetection(root, t1)).toThrow(/t1.json' is not valid JSON/);
    const t2 = await bad('t2.json', { annotations: [] });
    expect(() => new CocoDetection(root, t2)).toThrow(/has no "images" list/);
    const t3 = await bad('t3.json', { images: [{ id: 1 }] });
    expect(() => new CocoDetection(root, t3)).toThrow(/images\[0\] of '.*t3.json' is \{"id":1\}; expected \{ id: number, file_name: string/);
    const t4 = await bad('t4.json', { images: [img, img] });
    expect(() => new CocoDetection(root, t4)).toThrow(/repeats the image id 1/);
    const t5 = await bad('t5.json', { images: [img], annotations: [{ ...ann, image_id: 2 }] });
    expect(() => new CocoDetection(root, t5)).toThrow(/annotations\[0\] \(id 11\) of '.*t5.json' has the image_id 2, which is not the id of any image/);
    const t6 = await bad('t6.json', { images: [img], annotations: [{ ...ann, bbox: [1, 1, -2, 2] }] });
    expect(() => new CocoDetection(root, t6)).toThrow(/bbox \[1,1,-2,2\]; expected \[x, y, width, height\] with finite numbers and width, height ≥ 0/);
    // a box sticking out of its image is kept, as pycocotools keeps it (cocoDetectionTarget clamps it)
    const t7 = await bad('t7.json', { images: [img], annotations: [{ ...ann, bbox: [5, 5, 10, 2] }] });
    expect(new CocoDetection(root, t7).length).toBe(1);
    const t8 = await bad('t8.json', { images: [img], annotations: [{ ...ann, category_id: 'cat' }] });
    expect(() => new CocoDetection(root, t8)).toThrow(/category_id "cat"; expected an integer/);
    const t9 = await bad('t9.json', { images: [img], annotations: [{ ...ann, bbox: [1, 1, 'x', 2] }] });
    expect(() => new CocoDetection(root, t9)).toThrow(/has the bbox/);
    expect(() => new CocoDetection(root, join(root, 'instances.json'), { transform: (x) => x, transforms: (x, y) => [x, y] })).toThrow(/either transforms or transform\/targetTransform/);
    expect(() => new CocoDetection(root, join(root, 'instances.json'), { annfile: 'x' } as never)).toThrow(/annFile|transform/);
    expect(() => Reflect.construct(CocoDetection, [root])).toThrow(/annFile/);
    expect(() => cocoDetectionTarget([{ image_id: 1, category_id: 1, bbox: [0, 0, 2, 2], segmentation: { counts: [3], size: [2, 2] } }], 2, 2)).toThrow(/annotation 0: the RLE counts add up to 3 pixels/);
  });
});
