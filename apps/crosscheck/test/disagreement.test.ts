// The cross-check must catch a real disagreement: a test-only CPU backend whose `sin` kernel is
// off by 0.1% makes the command fail naming `sin` (and `cos`, whose gradient is −sin), the case
// and its inputs, and nothing else; a backend that lacks
// a kernel gets its cases skipped and listed with the reason, not failed; a backend whose conv2d
// weight gradient loses one element (of 896,522 gradient values) fails the training check.
import { describe, expect, it } from 'vitest';
import { CpuBackend, registerBackend } from 'tensorgrad';
import type { KernelMap } from '@tensorgrad/tensor/backend';
import { crossCheckOps, crossCheckTraining, formatOpsReport, formatTrainingReport, main } from '@tensorgrad/crosscheck';
import { HAS_DATA } from './data.js';

class WrongSinBackend extends CpuBackend {
  override readonly kernels: Partial<KernelMap<CpuBackend>>;
  constructor(name: string) {
    super(name);
    const base = new CpuBackend(name).kernels;
    const sin = base.sin!;
    this.kernels = {
      ...base,
      sin: (ctx, x, attrs) => {
        const r = sin(ctx, x, attrs);
        const arr = (r.handle as { array: Float32Array | Float64Array }).array;
        for (let i = 0; i < arr.length; i++) arr[i] = arr[i]! * 1.001;
        return r;
      },
    };
  }
}

class NoSinBackend extends CpuBackend {
  override readonly kernels: Partial<KernelMap<CpuBackend>>;
  constructor(name: string) {
    super(name);
    const { sin: _dropped, ...rest } = new CpuBackend(name).kernels;
    this.kernels = rest;
  }
}

/** Zeroes element 100 of the first convolution's weight gradient ([64, 1, 3, 3]: 576 elements). */
class LostGradientBackend extends CpuBackend {
  override readonly kernels: Partial<KernelMap<CpuBackend>>;
  constructor(name: string) {
    super(name);
    const base = new CpuBackend(name).kernels;
    const wgrad = base.conv2dWeightGrad!;
    this.kernels = {
      ...base,
      conv2dWeightGrad: (ctx, x, g, attrs) => {
        const r = wgrad(ctx, x, g, attrs);
        const arr = (r.handle as { array: Float32Array }).array;
        if (arr.length === 576) arr[100] = 0;
        return r;
      },
    };
  }
}

registerBackend('cpu-lost-gradient', () => new LostGradientBackend('cpu-lost-gradient'), { priority: -100 });
registerBackend('cpu-wrong-sin', () => new WrongSinBackend('cpu-wrong-sin'), { priority: -100 });
registerBackend('cpu-no-sin', () => new NoSinBackend('cpu-no-sin'), { priority: -100 });

function capture(): { io: { stdout: { write: (s: string) => boolean }; stderr: { write: (s: string) => boolean } }; out: () => string } {
  let out = '';
  return { io: { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: () => true } }, out: () => out };
}

describe('a wrong kernel', () => {
  it('fails the op check, naming the op, the case, what differs and the inputs', async () => {
    const r = await crossCheckOps('cpu', 'cpu-wrong-sin', { sample: 1, random: 1 });
    expect(r.ok).toBe(false);
    expect(r.disagreements.map((d) => `${d.op} ${d.caseId} ${d.what}`)).toEqual([
      'sin sin/basic/float32 output',
      'sin sin/basic/float32 output',
      'cos cos/basic/float32 grad of input 0',
      'cos cos/basic/float32 grad of input 0',
    ]);
    const d = r.disagreements[0]!;
    expect(d.message).toMatch(/^element \d+ \[[\d, ]+\]: a -?[\d.e-]+, b -?[\d.e-]+, \|diff\|/);
    expect(d.inputs[0]).toMatch(/^float32 \[\d+(, \d+)*\] = \[-?\d/);
    const row = r.rows.find((x) => x.op === 'sin')!;
    expect(row.failures).toBeGreaterThan(0);
    expect(row.worstRatio).toBeGreaterThan(1);
    expect(r.rows.filter((x) => x.op !== 'sin' && x.op !== 'cos').every((x) => x.failures === 0)).toBe(true);
    const text = formatOpsReport(r);
    expect(text).toContain('DISAGREEMENTS:');
    expect(text).toMatch(/ {2}sin sin\/basic\/float32#(s|r1) output: element /);
    expect(text).toMatch(/ {6}input 0: float32 \[/);
  });

  it('makes the command exit 1', async () => {
    const c = capture();
    expect(await main(['--a', 'cpu', '--b', 'cpu-wrong-sin', '--sample', '1', '--random', '0', '--no-train'], c.io)).toBe(1);
    expect(c.out()).toMatch(/\nsin +1 +1 .* FAIL \(1\)\n/);
    expect(c.out()).toContain('crosscheck cpu-wrong-sin vs cpu: FAIL (2 op disagreement(s))');
  });
});

describe('a missing kernel', () => {
  it('skips and lists the op with the reason instead of failing', async () => {
    const r = await crossCheckOps('cpu', 'cpu-no-sin', { ops: ['sin', 'exp'], random: 0 });
    expect(r.ok).toBe(true);
    expect(r.rows.map((x) => x.op)).toEqual(['exp']);
    expect(r.skipped.length).toBe(4);
    expect(r.skipped[0]!.reason).toBe("backend 'cpu-no-sin': sin: not supported yet on backend 'cpu-no-sin' for dtype float32: the backend has no 'sin' kernel and the op has no decomposition");
    expect(formatOpsReport(r)).toContain("skipped: 4 case run(s)\n  2 × sin: backend 'cpu-no-sin': sin: not supported yet");
  });
});

describe('a wrong gradient element', () => {
  const title = 'fails the training check, though the losses agree';
  if (!HAS_DATA) {
    it.skip(`${title} [skipped: no Fashion-MNIST files]`, () => {});
    return;
  }
  it(title, { timeout: 60_000 }, async () => {
    const r = await crossCheckTraining('cpu', 'cpu-lost-gradient', { steps: 2 });
    expect(r.ok).toBe(false);
    expect(r.maxRelDiff).toBe(0); // the forward pass is the CPU backend's own
    expect(r.maxGradRelDiff).toBeGreaterThan(r.tolerance.grad);
    expect(r.worstGradParam).toBe('0.weight');
    expect(formatTrainingReport(r)).toMatch(/gradients [\d.e-]+ \(tolerance [\d.e-]+\) FAIL \(worst: '0\.weight'\).*: FAIL;/);
  });
});
