import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { memory, tensor, tidy, type Tensor, type DType } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import * as optim from '@tensorgrad/optimizers';

const dir = fileURLToPath(new URL('../../conformance/fixtures/pytorch/', import.meta.url));
interface J { shape: number[]; dtype: DType; data: number[] }
const load = (f: string) => JSON.parse(readFileSync(dir + f, 'utf8')) as { cases: Array<Record<string, any>> };
const fromJ = (j: J) => tidy(() => tensor(Float64Array.from(j.data) as never, { dtype: j.dtype }).reshape(j.shape).clone());

function close(actual: ArrayLike<number>, expected: number[], rtol: number, atol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) throw new Error(`${what}[${i}]: got ${a}, expected ${e}`);
  }
}

const ctors: Record<string, new (p: Tensor[], o: any) => optim.Optimizer<object>> = {
  SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop, Adagrad: optim.Adagrad,
};

describe('optimizers.json', () => {
  for (const c of load('optimizers.json').cases) {
    it(c.id, () => {
      const before = memory().numTensors;
      const [rtol, atol] = c.dtype === 'float32' ? [1e-4, 1e-6] : [1e-10, 1e-12];
      const names = ['weight', 'bias'];
      const params = names.map((n) => fromJ(c.initial[n]));
      for (const p of params) p.requiresGrad = true;
      const targets = names.map((n) => fromJ(c.loss.target[n]));
      const cs = names.map((n) => fromJ(c.loss.c[n]));
      const opt = new ctors[c.optimizer]!(params, c.options);
      const ids = params.map((p) => p);
      for (let s = 0; s < 5; s++) {
        opt.zeroGrad();
        const loss = tidy(() => {
          let l: Tensor | null = null;
          params.forEach((p, k) => {
            const d = p.sub(targets[k]!);
            const term = cs[k]!.mul(d).mul(d).sum().add(p.sin().sum());
            l = l === null ? term : l.add(term);
          });
          l!.backward();
          return l!.itemSync() as number;
        });
        close([loss], [c.losses[s]], rtol, atol, `${c.id} loss ${s}`);
        opt.step();
        names.forEach((n, k) => close(params[k]!.dataSync() as never, c.steps[s][n].data, rtol, atol, `${c.id} step ${s + 1} ${n}`));
      }
      expect(params[0]).toBe(ids[0]);
      opt.dispose();
      for (const t of [...params, ...targets, ...cs]) t.dispose();
      expect(memory().numTensors).toBe(before);
    });
  }
});

describe('schedulers.json', () => {
  for (const c of load('schedulers.json').cases) {
    it(c.id, () => {
      const w = tensor([1], { requiresGrad: true });
      const opt = new optim.SGD([w], c.optimizer.options);
      const o = { ...c.options };
      if (typeof o.lrLambda === 'string') o.lrLambda = new Function(`return (${o.lrLambda});`)();
      const Ctor = (optim as any)[c.scheduler];
      const sched = new Ctor(opt, o);
      const lrs: number[] = [];
      const moms: number[] = [];
      for (let i = 0; i < c.epochs; i++) {
        lrs.push(opt.paramGroups[0]!.lr as number);
        moms.push(opt.paramGroups[0]!.momentum as number);
        opt.step();
        if (c.scheduler === 'ReduceLROnPlateau') sched.step(c.metrics[i]);
        else sched.step();
      }
      close(lrs, c.lrs, 1e-12, 1e-15, `${c.id} lrs`);
      if (c.momentums) close(moms, c.momentums, 1e-12, 1e-15, `${c.id} momentums`);
      opt.dispose();
      w.dispose();
    });
  }
});
