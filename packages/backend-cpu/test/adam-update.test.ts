import { describe, expect, it } from 'vitest';
import { adamUpdate_, getBackend, manualSeed, randn, tensor, zerosLike, type AdamUpdateOptions, type Tensor } from '@tensorgrad/tensor';
import { CpuBackend } from '../src/index.js';

// The fused CPU kernel against the op-by-op update (the front-end's fallback), which the optimizer
// golden tests check against PyTorch: both must give the same bits, step after step.
function run(dtype: 'float32' | 'float64', opts: Partial<AdamUpdateOptions>, amsgrad: boolean, fused: boolean): number[][] {
  manualSeed(7);
  const p = randn([5, 7], { dtype });
  const m = zerosLike(p);
  const v = zerosLike(p);
  const mx = amsgrad ? zerosLike(p) : null;
  const kernels = getBackend().kernels;
  const saved = kernels.adamUpdate_;
  if (!fused) delete kernels.adamUpdate_;
  try {
    for (let step = 1; step <= 4; step++) {
      const g = randn([5, 7], { dtype }).mul(step % 2 ? 1 : 1e-3);
      adamUpdate_(p, g, m, v, mx, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, maximize: false, ...opts, step });
      g.dispose();
    }
  } finally {
    kernels.adamUpdate_ = saved;
  }
  const out = [p, m, v, ...(mx ? [mx] : [])].map((t: Tensor) => Array.from(t.dataSync() as Float32Array));
  for (const t of [p, m, v, mx]) t?.dispose();
  return out;
}

describe('adamUpdate_ (fused CPU kernel)', () => {
  const variants: [string, Partial<AdamUpdateOptions>, boolean][] = [
    ['plain', {}, false],
    ['L2 weight decay', { weightDecay: 0.1 }, false],
    ['decoupled (AdamW)', { weightDecay: 0.01, decoupled: true }, false],
    ['amsgrad', {}, true],
    ['maximize', { maximize: true, lr: 0.1 }, false],
    ['L2 + amsgrad + maximize', { weightDecay: 0.1, maximize: true }, true],
    ['AdamW + amsgrad', { weightDecay: 0.01, decoupled: true }, true],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [name, opts, amsgrad] of variants) {
      it(`${dtype} ${name}: bit-identical to the op-by-op update`, () => {
        const fused = run(dtype, opts, amsgrad, true);
        const ops = run(dtype, opts, amsgrad, false);
        expect(fused).toEqual(ops);
        expect(fused[0]!.every(Number.isFinite)).toBe(true);
      });
      it(`${dtype} ${name}: the loop without code generation gives the same bits`, () => {
        const cpu = getBackend();
        if (!(cpu instanceof CpuBackend)) throw new Error('expected the CPU backend');
        cpu.codegen = false;
        try {
          expect(run(dtype, opts, amsgrad, true)).toEqual(run(dtype, opts, amsgrad, false));
        } finally {
          cpu.codegen = true;
        }
      });
    }
  }

  it('rejects state of the wrong shape or dtype with a clear error', () => {
    const p = tensor([1, 2]);
    const opts = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1, maximize: false };
    expect(() => adamUpdate_(p, tensor([1, 2, 3]), zerosLike(p), zerosLike(p), null, opts)).toThrow(/grad must have the parameter's shape \[2\]/);
    expect(() => adamUpdate_(p, tensor([1, 2], { dtype: 'float64' }), zerosLike(p), zerosLike(p), null, opts)).toThrow(/dtype float32/);
    expect(() => adamUpdate_(p, tensor([1, 2]), zerosLike(p), zerosLike(p), null, { ...opts, step: 0 })).toThrow(/positive integer/);
  });
});
