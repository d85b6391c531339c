/** A deterministic 48×48 test image for selective search: a gradient, three shapes and LCG noise (int32 0–255, planar). */
export function syntheticImage(channels: 1 | 3, seed: number): Int32Array {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const n = 48;
  const out = new Int32Array(channels * n * n);
  const colours = [
    [200, 40, 40],
    [40, 180, 60],
    [230, 230, 90],
  ];
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        let v = 30 + x + (c === 2 ? y : 0);
        if (x >= 5 && x < 20 && y >= 6 && y < 18) v = colours[0]![c]!;
        if ((x - 32) ** 2 + (y - 30) ** 2 < 80) v = colours[1]![c]!;
        if (x >= 10 && x < 26 && y >= 34 && y < 40) v = colours[2]![c]!;
        out[c * n * n + y * n + x] = Math.max(0, Math.min(255, Math.round(v + (rand() - 0.5) * 40)));
      }
    }
  }
  return out;
}
