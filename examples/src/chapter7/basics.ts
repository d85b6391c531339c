/**
 * The chapter's basics as one report: IoU, non-max suppression and mean average precision worked by
 * hand ({@link getIou}, {@link nmsByHand}, {@link averagePrecisionByHand}) next to the library's
 * `boxIou`, `nms` and `MeanAveragePrecision` on the same numbers.
 */
import { boxIou, nms, tensor, tidy } from 'tensorgrad';
import { meanAveragePrecision } from './experiment.js';
import { averagePrecisionByHand, getIou, nmsByHand, type Box, type NmsStep, type ToyDetection, type ToyObject } from './worked.js';

/** The two boxes of the IoU example: 4×4 squares overlapping in a 2×2 corner (IoU 4 / 28 = 1/7). */
export const IOU_BOXES: readonly [Box, Box] = [
  [0, 0, 4, 4],
  [2, 2, 6, 6],
];

/**
 * The NMS example: five boxes, two clusters. Box 1 overlaps box 0 with IoU 1444 / 1756 = 0.822,
 * box 4 overlaps box 2 the same; box 3 touches box 0 (IoU 400 / 2800 = 0.143) and box 2 (IoU
 * 100 / 3100 = 0.032). At IoU threshold 0.5, boxes 0, 2 and 3 survive.
 */
export const NMS_EXAMPLE: { boxes: readonly Box[]; scores: readonly number[]; iouThreshold: number } = {
  boxes: [
    [10, 10, 50, 50],
    [12, 12, 52, 52],
    [60, 60, 100, 100],
    [30, 30, 70, 70],
    [62, 58, 102, 98],
  ],
  scores: [0.9, 0.8, 0.7, 0.6, 0.5],
  iouThreshold: 0.5,
};

/**
 * The mAP example: two images and two classes. Class 1 has three objects (two in image 0, one in
 * image 1) and five detections: in score order a hit, a hit (IoU 81 / 119 = 0.68), a miss, a
 * duplicate of the first hit (a false positive) and a hit (IoU 0.68), so precision 1, 1, 2/3, 1/2,
 * 3/5 at recall 1/3, 2/3, 2/3, 2/3, 1: AP 13/15 = 0.8667 (all-point), 9.4/11 = 0.8545 (11-point),
 * 87.4/101 = 0.8653 (101-point). Class 2 has one object and one exact detection: AP 1. mAP@0.5 is
 * their mean: 0.9333, 0.9273, 0.9327.
 */
export const MAP_EXAMPLE: { objects: readonly (ToyObject & { label: number })[]; detections: readonly (ToyDetection & { label: number })[] } = {
  objects: [
    { image: 0, box: [0, 0, 10, 10], label: 1 },
    { image: 0, box: [21, 21, 31, 31], label: 1 },
    { image: 1, box: [0, 0, 10, 10], label: 1 },
    { image: 1, box: [40, 40, 60, 60], label: 2 },
  ],
  detections: [
    { image: 0, box: [0, 0, 10, 10], score: 0.9, label: 1 },
    { image: 0, box: [20, 20, 30, 30], score: 0.8, label: 1 },
    { image: 1, box: [50, 0, 60, 10], score: 0.7, label: 1 },
    { image: 0, box: [0, 0, 10, 10], score: 0.6, label: 1 },
    { image: 1, box: [1, 1, 11, 11], score: 0.5, label: 1 },
    { image: 1, box: [40, 40, 60, 60], score: 0.95, label: 2 },
  ],
};

/** What {@link runBasics} computed, by hand and with the library. */
export interface BasicsResult {
  /** `'basics'`. */
  name: 'basics';
  /** A one-line description. */
  title: string;
  /** IoU of {@link IOU_BOXES}: the book's `get_iou` (with its epsilon), and `boxIou`. */
  iou: { byHand: number; boxIou: number };
  /** NMS of {@link NMS_EXAMPLE}: the steps by hand, and the indices `nms` keeps. */
  nms: { steps: NmsStep[]; byHand: number[]; library: number[] };
  /** AP per class by hand (three interpolations), and `MeanAveragePrecision`'s mAP@0.5. */
  map: { perClass: { label: number; allPoint: number; elevenPoint: number; coco101: number }[]; byHand101: number; library: number };
}

/**
 * Works the three examples by hand and with the library.
 *
 * @example
 * ```ts
 * import { runBasics } from './basics.js';
 * const r = await runBasics();
 * r.nms.library; // [0, 2, 3]
 * r.iou.boxIou; // 0.1428571
 * ```
 */
export async function runBasics(): Promise<BasicsResult> {
  const [a, b] = IOU_BOXES;
  const byHandIou = getIou(a, b);
  const libraryIou = tidy(() => boxIou(tensor([[...a]]), tensor([[...b]])).itemSync() as number);
  const { keep, steps } = nmsByHand(NMS_EXAMPLE.boxes, NMS_EXAMPLE.scores, NMS_EXAMPLE.iouThreshold);
  const kept = await tidy(
    async () => (await nms(tensor(NMS_EXAMPLE.boxes.map((x) => [...x])), tensor([...NMS_EXAMPLE.scores]), { iouThreshold: NMS_EXAMPLE.iouThreshold }).array()) as number[],
  );
  const labels = [...new Set(MAP_EXAMPLE.objects.map((o) => o.label))].sort((x, y) => x - y);
  const perClass = labels.map((label) => {
    const dets = MAP_EXAMPLE.detections.filter((d) => d.label === label);
    const objs = MAP_EXAMPLE.objects.filter((o) => o.label === label);
    return {
      label,
      allPoint: averagePrecisionByHand(dets, objs).ap,
      elevenPoint: averagePrecisionByHand(dets, objs, { interpolation: '11-point' }).ap,
      coco101: averagePrecisionByHand(dets, objs, { interpolation: '101-point' }).ap,
    };
  });
  const images = [0, 1];
  const scenesOf = images.map((i) => ({
    image: tensor([0]),
    boxes: MAP_EXAMPLE.objects.filter((o) => o.image === i).map((o) => o.box),
    labels: MAP_EXAMPLE.objects.filter((o) => o.image === i).map((o) => o.label),
  }));
  const predictions = images.map((i) => {
    const d = MAP_EXAMPLE.detections.filter((x) => x.image === i);
    return { boxes: d.map((x) => x.box), scores: d.map((x) => x.score), labels: d.map((x) => x.label) };
  });
  const { map50 } = await meanAveragePrecision(predictions, scenesOf);
  for (const s of scenesOf) s.image.dispose();
  return {
    name: 'basics',
    title: 'IoU, NMS and mAP worked by hand and with boxIou, nms, MeanAveragePrecision',
    iou: { byHand: byHandIou, boxIou: libraryIou },
    nms: { steps, byHand: keep, library: kept },
    map: { perClass, byHand101: perClass.reduce((t, c) => t + c.coco101, 0) / perClass.length, library: map50 },
  };
}

/**
 * The basics as the lines the program prints.
 *
 * @example
 * ```ts
 * import { formatBasics, runBasics } from './basics.js';
 * formatBasics(await runBasics()).split('\n')[0]; // 'basics: IoU, NMS and mAP worked by hand and with boxIou, nms, MeanAveragePrecision'
 * ```
 */
export function formatBasics(r: BasicsResult): string {
  const f = (x: number): string => x.toFixed(4);
  return [
    `basics: ${r.title}`,
    `IoU of [${IOU_BOXES[0].join(', ')}] and [${IOU_BOXES[1].join(', ')}]: by hand (get_iou) ${r.iou.byHand.toFixed(7)}, boxIou ${r.iou.boxIou.toFixed(7)} (4 / 28 = 1/7)`,
    `NMS at IoU ${NMS_EXAMPLE.iouThreshold} over ${NMS_EXAMPLE.boxes.length} boxes:`,
    ...r.nms.steps.map(
      (s, i) =>
        `  step ${i + 1}: keep box ${s.kept} (score ${NMS_EXAMPLE.scores[s.kept]})` +
        (s.suppressed.length === 0 ? ', nothing suppressed' : `, suppress ${s.suppressed.map((x) => `box ${x.index} (IoU ${f(x.iou)})`).join(', ')}`),
    ),
    `  kept by hand [${r.nms.byHand.join(', ')}], by nms [${r.nms.library.join(', ')}]`,
    'average precision at IoU 0.5 by hand:',
    ...r.map.perClass.map((c) => `  class ${c.label}: all-point ${f(c.allPoint)}, 11-point ${f(c.elevenPoint)}, 101-point (COCO) ${f(c.coco101)}`),
    `  mAP@0.5 (101-point) by hand ${f(r.map.byHand101)}, MeanAveragePrecision map50 ${f(r.map.library)}`,
  ].join('\n');
}
