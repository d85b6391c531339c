// The sweep engine catches what it is for: a wrong kernel (forward), a wrong gradient, and a
// missing kernel reported as unsupported rather than passed; and a seed always draws the same case.
// Imported by sweep-cpu.test.ts (one vitest file: each file costs seconds of start-up in CI).
import { describe, expect, it } from 'vitest';
import { CpuBackend, exp, registerBackend, sub } from 'tensorgrad';
import { runSweepCase, SweepFailure, sweepTarget, type SweepCase } from '../src/index.js';

type Kernels = CpuBackend['kernels'];

/** A CPU backend whose kernels are the CPU backend's with `change` applied. */
function cpuWith(name: string, change: (k: Kernels) => Kernels): void {
  class Patched extends CpuBackend {
    override readonly kernels: Kernels = change({ ...new CpuBackend(name).kernels });
  }
  registerBackend(name, () => new Patched(name), { priority: -100 });
}

cpuWith('cpu-wrong-exp', (k) => ({ ...k, exp: k.sin }));
cpuWith('cpu-wrong-neg', (k) => ({ ...k, neg: k.abs }));
cpuWith('cpu-no-exp', (k) => {
  const { exp: _, ...rest } = k;
  return rest;
});

const expCase: SweepCase = {
  op: 'exp',
  inputs: [{ shape: [2, 3], dtype: 'float32', layout: 'permuted', values: 'normal', grad: true }],
  call: ([x]) => exp(x!),
  tolerance: 'elementwise',
  grad: true,
  describe: 'exp',
};

describe('runSweepCase', () => {
  it('passes a correct backend (the CPU backend itself, with gradcheck)', async () => {
    const r = await runSweepCase('cpu', expCase, 7);
    expect(r.status).toBe('pass');
    expect(r.summary).toContain('forward, grad, gradcheck ok');
  });

  it('fails a wrong forward kernel, naming op, backend, shapes, layout, the first bad element and the seed', async () => {
    const e = await runSweepCase('cpu-wrong-exp', expCase, 7).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(SweepFailure);
    const f = e as SweepFailure;
    expect(f.key).toBe('cpu-wrong-exp:exp:forward');
    expect(f.message).toMatch(/^exp on 'cpu-wrong-exp' \(float32; exp\); inputs #0 float32 \[2, 3\] permuted normal \(grad\)/);
    expect(f.message).toMatch(/seed 7 \(replay: ops\/cpu-wrong-exp:7\): output: element 0 \[0, 0\]: a [-\d.e]+, b [-\d.e]+/);
  });

  it("fails a wrong gradient when the forward is right (sub's backward negates with the wrong kernel)", async () => {
    const c: SweepCase = {
      op: 'sub',
      inputs: [
        { shape: [3], dtype: 'float32', values: 'normal', grad: true },
        { shape: [2, 1], dtype: 'float32', values: 'normal', grad: true },
      ],
      call: ([a, b]) => sub(a!, b!),
      tolerance: 'elementwise',
      grad: true,
      describe: 'sub',
    };
    const e = await runSweepCase('cpu-wrong-neg', c, 3).then(
      () => null,
      (err: unknown) => err as SweepFailure,
    );
    expect(e?.key).toBe('cpu-wrong-neg:sub:grad');
    expect(e?.message).toContain("grad of input 1: element 0 [0, 0]");
    expect(e?.message).toContain("(a = the CPU backend's gradient, b = 'cpu-wrong-neg')");
  });

  it('reports a missing kernel as unsupported with the NotSupportedError, not as a pass', async () => {
    const r = await runSweepCase('cpu-no-exp', expCase, 1);
    expect(r.status).toBe('unsupported');
    expect(r.status === 'unsupported' && r.reason).toMatch(/exp: not supported yet on backend 'cpu-no-exp'/);
  });
});

describe('sweepTarget', () => {
  it('draws the same case from the same seed, and counts what it ran', async () => {
    const t = sweepTarget('cpu');
    const a = await t.caseFor(12345);
    const b = await t.caseFor(12345);
    expect(a.case.describe).toBe(b.case.describe);
    expect(a.case.inputs).toEqual(b.case.inputs);
    const summary = await t.run(12345);
    expect(summary).toContain(a.case.op);
    expect([t.stats.tried, t.stats.passed + t.stats.unsupported.size]).toEqual([1, 1]);
  });
});
