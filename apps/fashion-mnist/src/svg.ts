/** One point per epoch of the curves {@link curvesSvg} draws. */
export interface CurvePoint {
  /** The epoch (x axis). */
  epoch: number;
  /** Training loss. */
  trainLoss: number;
  /** Test loss. */
  testLoss: number;
  /** Training accuracy, 0–1. */
  trainAcc: number;
  /** Test accuracy, 0–1. */
  testAcc: number;
}

/**
 * Escapes text for XML content and attribute values.
 *
 * @example
 * ```ts
 * import { escapeXml } from '@tensorgrad/fashion-mnist';
 * escapeXml('a<b & "c"'); // 'a&lt;b &amp; &quot;c&quot;'
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * About `count` round tick values covering [min, max] (steps of 1, 2 or 5 times a power of ten).
 *
 * @example
 * ```ts
 * import { niceTicks } from '@tensorgrad/fashion-mnist';
 * niceTicks(0.23, 0.91, 4); // [0.2, 0.4, 0.6, 0.8, 1]
 * ```
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    [min, max] = [min - pad, max + pad];
  }
  const raw = (max - min) / Math.max(1, count);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const start = Math.floor(min / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start; v < max + step * (1 - 1e-9); v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const num = (v: number): string => String(Math.round(v * 100) / 100);

const COLORS = { train: '#1f77b4', test: '#d62728' };

interface Panel {
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  series: { name: string; color: string; values: number[] }[];
  epochs: number[];
  format: (v: number) => string;
  domain?: [number, number];
  /** Where the legend goes: away from where the curves end (top for falling losses, bottom for rising accuracies). */
  legend: 'top' | 'bottom';
}

function panel(p: Panel): string {
  const all = p.series.flatMap((s) => s.values).filter(Number.isFinite);
  const lo = p.domain ? p.domain[0] : Math.min(...all);
  const hi = p.domain ? p.domain[1] : Math.max(...all);
  const yTicks = niceTicks(all.length ? Math.min(lo, ...all) : 0, all.length ? Math.max(hi, ...all) : 1, 5);
  const [y0, y1] = [yTicks[0]!, yTicks[yTicks.length - 1]!];
  const e0 = Math.min(...p.epochs);
  const e1 = Math.max(...p.epochs);
  const xTicks = e1 - e0 <= 10 ? Array.from({ length: e1 - e0 + 1 }, (_, i) => e0 + i) : niceTicks(e0, e1, 8).filter((t) => Number.isInteger(t) && t >= e0 && t <= e1);
  const left = p.x + 56;
  const right = p.x + p.width - 12;
  const top = p.y + 30;
  const bottom = p.y + p.height - 40;
  const sx = (e: number): number => (e1 === e0 ? (left + right) / 2 : left + ((e - e0) / (e1 - e0)) * (right - left));
  const sy = (v: number): number => (y1 === y0 ? (top + bottom) / 2 : bottom - ((v - y0) / (y1 - y0)) * (bottom - top));
  const out: string[] = [];
  out.push(`<text x="${num((left + right) / 2)}" y="${p.y + 18}" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(p.title)}</text>`);
  for (const t of yTicks) {
    out.push(`<line x1="${left}" y1="${num(sy(t))}" x2="${right}" y2="${num(sy(t))}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${left - 6}" y="${num(sy(t) + 4)}" text-anchor="end" font-size="11">${escapeXml(p.format(t))}</text>`);
  }
  for (const e of xTicks) {
    out.push(`<line x1="${num(sx(e))}" y1="${bottom}" x2="${num(sx(e))}" y2="${bottom + 4}" stroke="#333"/>`);
    out.push(`<text x="${num(sx(e))}" y="${bottom + 17}" text-anchor="middle" font-size="11">${e}</text>`);
  }
  out.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#333"/>`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#333"/>`);
  out.push(`<text x="${num((left + right) / 2)}" y="${bottom + 34}" text-anchor="middle" font-size="12">epoch</text>`);
  p.series.forEach((s, k) => {
    const pts = s.values.map((v, i) => [sx(p.epochs[i]!), sy(v)] as const).filter(([, y]) => Number.isFinite(y));
    if (pts.length > 1) out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map(([x, y]) => `${num(x)},${num(y)}`).join(' ')}"/>`);
    for (const [x, y] of pts) out.push(`<circle cx="${num(x)}" cy="${num(y)}" r="3" fill="${s.color}"/>`);
    const ly = p.legend === 'top' ? top + 6 + k * 16 : bottom - 8 - (p.series.length - 1 - k) * 16;
    out.push(`<line x1="${right - 90}" y1="${ly}" x2="${right - 70}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`);
    out.push(`<text x="${right - 64}" y="${ly + 4}" font-size="12">${escapeXml(s.name)}</text>`);
  });
  return out.join('\n');
}

/**
 * A standalone SVG with two line charts side by side: training and test loss per epoch, and
 * training and test accuracy per epoch.
 *
 * @example
 * ```ts
 * import { curvesSvg } from '@tensorgrad/fashion-mnist';
 * const svg = curvesSvg([
 *   { epoch: 1, trainLoss: 0.5, testLoss: 0.4, trainAcc: 0.82, testAcc: 0.85 },
 *   { epoch: 2, trainLoss: 0.3, testLoss: 0.35, trainAcc: 0.89, testAcc: 0.87 },
 * ]);
 * svg.startsWith('<?xml'); // true
 * svg.includes('<polyline'); // true
 * ```
 */
export function curvesSvg(history: readonly CurvePoint[], title = 'Fashion-MNIST training'): string {
  if (history.length === 0) throw new RangeError('curvesSvg: expected at least one epoch of history, got none');
  const width = 960;
  const height = 400;
  const epochs = history.map((h) => h.epoch);
  const pct = (v: number): string => `${Number((v * 100).toFixed(1))}%`;
  const body = [
    panel({
      x: 0,
      y: 30,
      width: width / 2,
      height: height - 30,
      title: 'loss',
      legend: 'top',
      epochs,
      format: (v) => String(Number(v.toPrecision(3))),
      series: [
        { name: 'train', color: COLORS.train, values: history.map((h) => h.trainLoss) },
        { name: 'test', color: COLORS.test, values: history.map((h) => h.testLoss) },
      ],
    }),
    panel({
      x: width / 2,
      y: 30,
      width: width / 2,
      height: height - 30,
      title: 'accuracy',
      legend: 'bottom',
      epochs,
      format: pct,
      series: [
        { name: 'train', color: COLORS.train, values: history.map((h) => h.trainAcc) },
        { name: 'test', color: COLORS.test, values: history.map((h) => h.testAcc) },
      ],
    }),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="17">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/**
 * A standalone SVG heatmap of a confusion matrix (`matrix[true][predicted]`): each cell shows
 * its count, shaded by the fraction of its true class (its row) that it holds.
 *
 * @example
 * ```ts
 * import { confusionSvg } from '@tensorgrad/fashion-mnist';
 * const svg = confusionSvg([[5, 1], [2, 7]], ['cat', 'dog']);
 * svg.includes('>7</text>'); // true
 * ```
 */
export function confusionSvg(matrix: readonly (readonly number[])[], classes: readonly string[], title = 'Confusion matrix'): string {
  const k = matrix.length;
  if (k === 0 || matrix.some((row) => row.length !== k)) throw new RangeError(`confusionSvg: expected a square matrix, got ${k} rows of lengths ${matrix.map((r) => r.length).join(', ')}`);
  if (classes.length !== k) throw new RangeError(`confusionSvg: expected ${k} class names, got ${classes.length}`);
  const cell = 52;
  const labelW = 110;
  const top = 60;
  const left = labelW + 30;
  const gridH = k * cell;
  // wide enough for the title (about 7.5 px per character at 15 px)
  const width = Math.max(left + k * cell + 20, Math.ceil(title.length * 7.5) + 40);
  const height = top + gridH + labelW + 20;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
    `<text x="16" y="${top + gridH / 2}" text-anchor="middle" font-size="13" transform="rotate(-90 16 ${top + gridH / 2})">true class</text>`,
    `<text x="${left + (k * cell) / 2}" y="${height - 6}" text-anchor="middle" font-size="13">predicted class</text>`,
  ];
  matrix.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    out.push(`<text x="${left - 6}" y="${top + t * cell + cell / 2 + 4}" text-anchor="end" font-size="12">${escapeXml(classes[t]!)}</text>`);
    row.forEach((count, p) => {
      const frac = total > 0 ? count / total : 0;
      // white to dark blue
      const shade = (c0: number, c1: number): number => Math.round(c0 + (c1 - c0) * frac);
      const fill = `rgb(${shade(255, 8)},${shade(255, 48)},${shade(255, 107)})`;
      const x = left + p * cell;
      const y = top + t * cell;
      out.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#ccc"><title>${escapeXml(`${classes[t]} predicted as ${classes[p]}: ${count} (${(frac * 100).toFixed(1)}%)`)}</title></rect>`);
      out.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" font-size="12" fill="${frac > 0.5 ? 'white' : 'black'}">${count}</text>`);
    });
  });
  classes.forEach((name, p) => {
    const x = left + p * cell + cell / 2;
    const y = top + gridH + 8;
    out.push(`<text x="${x}" y="${y}" text-anchor="end" font-size="12" transform="rotate(-60 ${x} ${y})">${escapeXml(name)}</text>`);
  });
  out.push('</svg>', '');
  return out.join('\n');
}
