import { describe, expect, it } from 'vitest';
import { seededRng, type HostTensor } from '@tensorgrad/conformance';
import { crossTolerance, describeHost, discrepancy, fmt, formatTrainingReport, keepsValues, perturb, randomGradient, toleranceKind, variantRng } from '@tensorgrad/crosscheck';

const f32 = (data: number[], shape = [data.length]): HostTensor => ({ shape, dtype: 'float32', data: Float32Array.from(data) });

describe('discrepancy', () => {
  const tol = { rtol: 1e-5, atol: 1e-6 };

  it('measures absolute, relative and tolerance-relative errors', () => {
    const d = discrepancy(f32([1, -2, 1e-8]), f32([1.000005, -2, 5e-7]), tol);
    expect(d.maxAbs).toBeCloseTo(5e-6, 7); // 1.000005 in float32
    expect(d.maxRel).toBeCloseTo(5e-6, 7); // the 1e-8 element is below atol: not in the relative error
    expect(d.ratio).toBeCloseTo((5e-7 - 1e-8) / 1e-6, 3); // the third element: within atol, the closest to its bound
    expect(d.message).toBeNull();
  });

  it('fails just past the bound and names the first bad element', () => {
    const d = discrepancy(f32([0, 0, 0, 10], [2, 2]), f32([0, 0, 0, 10.0003], [2, 2]), tol);
    expect(d.bad).toBe(1);
    expect(d.message).toMatch(/^element 3 \[1, 1\]: a 10, b 10\.0003\d*, \|diff\| 3\.00e-4 > 1\.01e-4 \(rtol 0\.00001, atol 0\.000001\); 1 of 4 elements differ$/);
  });

  it('needs NaN where the reference has NaN, exact infinities and exact integers', () => {
    expect(discrepancy(f32([NaN, Infinity]), f32([NaN, Infinity]), tol).message).toBeNull();
    expect(discrepancy(f32([NaN]), f32([0]), tol).ratio).toBe(Infinity);
    expect(discrepancy(f32([Infinity]), f32([3.4e38]), tol).message).toContain('element 0');
    const i = (data: number[]): HostTensor => ({ shape: [data.length], dtype: 'int32', data: Int32Array.from(data) });
    expect(discrepancy(i([1, 2]), i([1, 3]), tol)).toMatchObject({ maxAbs: 1, bad: 1, ratio: Infinity });
  });

  it('reports a shape or dtype mismatch', () => {
    expect(discrepancy(f32([1, 2]), f32([1, 2], [1, 2]), tol).message).toBe('shape is [1, 2], expected [2]');
    expect(discrepancy(f32([1]), { shape: [1], dtype: 'float64', data: [1] }, tol).message).toBe('dtype is float64, expected float32');
  });

  it('uses ARCHITECTURE.md, Numerics tolerances by op kind', () => {
    expect(crossTolerance('float32', toleranceKind('exp', 'output', true))).toEqual({ rtol: 1e-5, atol: 1e-6 });
    expect(crossTolerance('float32', toleranceKind('matmul', 'grad of input 0', true))).toEqual({ rtol: 1e-4, atol: 1e-5 });
    expect(toleranceKind('mul', 'grad of input 1', false)).toBe('reduction');
    expect(toleranceKind('mul', 'grad of input 0', true)).toBe('elementwise');
    expect(crossTolerance('float64', 'reduction')).toEqual({ rtol: 1e-10, atol: 1e-10 });
  });
});

describe('random variants', () => {
  it('keep each input in its domain', () => {
    const x = f32([3, -0.25, 0, 1e-6, -7.5, 0.125, 2.5, -1.5]);
    for (let s = 0; s < 50; s++) {
      const y = perturb(x, seededRng(`p${s}`));
      expect(y.shape).toEqual(x.shape);
      for (let i = 0; i < x.data.length; i++) {
        const v = x.data[i]!;
        const w = y.data[i]!;
        expect(Math.sign(w)).toBe(Math.sign(v));
        expect(Math.abs(w)).toBeGreaterThanOrEqual(Math.abs(v) * 0.5 - 1e-3 * 2);
        expect(Math.abs(w)).toBeLessThanOrEqual(Math.abs(v) * 1.5 + 1e-3 * 2);
        expect(Math.fround(w)).toBe(w);
      }
    }
    expect(Array.from(perturb(x, seededRng('a')).data)).not.toEqual(Array.from(x.data));
  });

  it('leave integer, bool, all-integer and special-value inputs unchanged', () => {
    const cases: HostTensor[] = [
      { shape: [3], dtype: 'int32', data: Int32Array.of(0, 2, 1) },
      { shape: [2], dtype: 'bool', data: Uint8Array.of(1, 0) },
      f32([2, 0, 1, 1]),
      f32([0.5, -Infinity, 1.25]),
      f32([0.5, NaN]),
    ];
    for (const t of cases) {
      expect(keepsValues(t)).toBe(true);
      expect(perturb(t, seededRng('x'))).toBe(t);
    }
  });

  it('are reproducible from the seed', () => {
    const x = f32([1.5, -2.25, 0.75]);
    expect(Array.from(perturb(x, variantRng(3, 'exp/basic/float32', 1)).data)).toEqual(Array.from(perturb(x, variantRng(3, 'exp/basic/float32', 1)).data));
    expect(Array.from(perturb(x, variantRng(3, 'exp/basic/float32', 1)).data)).not.toEqual(Array.from(perturb(x, variantRng(4, 'exp/basic/float32', 1)).data));
    const g = randomGradient([4, 5], 'float32', seededRng('g'));
    expect(g.data.length).toBe(20);
    expect(Math.max(...Array.from(g.data))).toBeLessThanOrEqual(1);
    expect(Math.min(...Array.from(g.data))).toBeGreaterThanOrEqual(-1);
  });
});

describe('formatting', () => {
  it('fmt and describeHost', () => {
    expect([fmt(0), fmt(1.23456e-7), fmt(0.5), fmt(-Infinity), fmt(NaN), fmt(123456)]).toEqual(['0', '1.23e-7', '0.500', '-inf', 'nan', '1.23e5']);
    expect(describeHost(f32([0.1, 2, 3], [3]))).toBe('float32 [3] = [0.100000, 2, 3]');
    expect(describeHost(null)).toBe('null');
  });
});

describe('the training report', () => {
  it('shows both losses and the differences per step, and fails beyond a tolerance', () => {
    const text = formatTrainingReport({
      a: 'cpu',
      b: 'gpu',
      steps: 2,
      seed: 0,
      lossesA: [2.3, 2.1],
      lossesB: [2.3, 2.2],
      relDiffs: [0, 0.1 / 2.1],
      gradRelDiffs: [1e-6, 0.5],
      updateRelDiffs: [2e-5, 0.25],
      worstGradParam: '3.weight',
      maxRelDiff: 0.1 / 2.1,
      maxGradRelDiff: 0.5,
      maxUpdateRelDiff: 2e-5,
      tolerance: { loss: 1e-5, grad: 1e-4, update: 1e-3 },
      secondsA: 1,
      secondsB: 2,
      ok: false,
    });
    expect(text.split('\n').slice(1, 5)).toEqual([
      'step  loss (cpu)  loss (gpu)  loss rel diff  grad rel diff  update rel diff',
      '----  ----------  ----------  -------------  -------------  ---------------',
      '   1   2.3000000   2.3000000              0        1.00e-6          2.00e-5',
      '   2   2.1000000   2.2000000         0.0476          0.500            0.250',
    ]);
    expect(text).toContain(
      "largest relative differences: losses 0.0476 (tolerance 1.00e-5) FAIL, gradients 0.500 (tolerance 1.00e-4) FAIL (worst: '3.weight'), updates 2.00e-5 (tolerance 0.00100): FAIL;",
    );
  });
});
