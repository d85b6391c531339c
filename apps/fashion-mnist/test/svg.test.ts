import { describe, expect, it } from 'vitest';
import { confusionSvg, curvesSvg, escapeXml, niceTicks } from '@tensorgrad/fashion-mnist';
import { all, parseXml } from './xml.js';

describe('the XML checker itself', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<svg><g></svg>')).toThrow(/closes/);
    expect(() => parseXml('<svg a=1/>')).toThrow(/not quoted/);
    expect(() => parseXml('<svg>a & b</svg>')).toThrow(/raw &/);
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<svg/><svg/>')).toThrow(/after the root/);
    expect(parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<svg><text>&lt;ok&gt;</text></svg>\n').children[0]!.text).toBe('<ok>');
  });
});

describe('curvesSvg', () => {
  const history = [
    { epoch: 1, trainLoss: 0.52, testLoss: 0.41, trainAcc: 0.81, testAcc: 0.85 },
    { epoch: 2, trainLoss: 0.33, testLoss: 0.36, trainAcc: 0.88, testAcc: 0.87 },
    { epoch: 3, trainLoss: 0.28, testLoss: 0.33, trainAcc: 0.9, testAcc: 0.88 },
  ];

  it('is a well-formed standalone SVG with a train and a test line in each of the two charts', () => {
    const root = parseXml(curvesSvg(history, 'a <title> & more'));
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(all(root, 'polyline')).toHaveLength(4);
    expect(all(root, 'circle')).toHaveLength(4 * history.length);
    const texts = all(root, 'text').map((t) => t.text);
    expect(texts).toContain('a <title> & more');
    expect(texts).toContain('loss');
    expect(texts).toContain('accuracy');
    for (const poly of all(root, 'polyline')) {
      const pts = poly.attrs.points!.split(' ').map((p) => p.split(',').map(Number));
      expect(pts).toHaveLength(3);
      for (const [x, y] of pts) expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
      // epochs increase left to right
      expect(pts[0]![0]! < pts[1]![0]! && pts[1]![0]! < pts[2]![0]!).toBe(true);
    }
  });

  it('draws a single epoch as points', () => {
    const root = parseXml(curvesSvg(history.slice(0, 1)));
    expect(all(root, 'polyline')).toHaveLength(0);
    expect(all(root, 'circle')).toHaveLength(4);
  });

  it('puts higher values higher up', () => {
    const root = parseXml(curvesSvg(history));
    const trainLoss = all(root, 'polyline')[0]!.attrs.points!.split(' ').map((p) => Number(p.split(',')[1]));
    // the loss falls, so its y coordinate (downwards in SVG) grows
    expect(trainLoss[0]! < trainLoss[1]! && trainLoss[1]! < trainLoss[2]!).toBe(true);
  });
});

describe('confusionSvg', () => {
  it('is well-formed, with one shaded cell and one count per pair of classes', () => {
    const m = [
      [50, 3, 0],
      [7, 40, 1],
      [0, 0, 12],
    ];
    const classes = ['T-shirt/top', 'Dress & "Coat"', '<Bag>'];
    const root = parseXml(confusionSvg(m, classes));
    const cells = all(root, 'rect').filter((r) => r.children.some((c) => c.name === 'title'));
    expect(cells).toHaveLength(9);
    const texts = all(root, 'text').map((t) => t.text);
    for (const row of m) for (const v of row) expect(texts).toContain(String(v));
    for (const c of classes) expect(texts).toContain(c);
    // the diagonal of the first row is darker than its off-diagonal cells
    const shade = (k: number): number => Number(/rgb\((\d+)/.exec(cells[k]!.attrs.fill!)![1]);
    expect(shade(0)).toBeLessThan(shade(1));
    expect(() => confusionSvg([[1, 2]], ['a'])).toThrow(/square/);
  });
});

describe('helpers', () => {
  it('escapes the XML special characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });

  it('picks round ticks that cover the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.3, 2.31, 5)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    const flat = niceTicks(0.5, 0.5);
    expect(flat[0]! <= 0.5 && flat[flat.length - 1]! >= 0.5).toBe(true);
  });
});
