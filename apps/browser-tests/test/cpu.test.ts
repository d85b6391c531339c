// The CPU backend in headless Chromium (the "cpu" scenario): ops against independent values,
// chapter 3's MLP training, and the threaded GEMM on Web Workers: several threads in a
// cross-origin-isolated page with results bit-equal to one thread, one thread in a page served
// without the COOP/COEP headers. TENSORGRAD_BROWSER_BENCH=1 also prints 1024³ matmul GFLOP/s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserHarness, chromiumMissingReason, type ScenarioResult } from '@tensorgrad/browser-tests';
import type { CpuResult, ThreadedProduct } from '../src/scenarios/cpu.js';

const missing = chromiumMissingReason();
if (missing !== null) console.warn(`browser-tests: skipping the headless-Chromium tests: ${missing}`);
const bench = process.env.TENSORGRAD_BROWSER_BENCH === '1';

// each element within the classic bound of a k-term float sum, relative to Σ|a·b|
const EPS = { float32: 2 ** -24, float64: 2 ** -53 };
function expectAccurate(p: ThreadedProduct): void {
  const [, dtype, m, k] = /matmul (float32|float64) (\d+)×(\d+)/.exec(p.name) ?? [];
  expect(m, p.name).toBeDefined();
  expect(p.maxRelErr, p.name).toBeLessThanOrEqual((Number(k) + 2) * EPS[dtype as keyof typeof EPS]);
}

function expectDecreasing(losses: number[]): void {
  expect(losses).toHaveLength(5);
  for (let i = 1; i < losses.length; i++) expect(losses[i], `loss after step ${i + 1}: ${losses.join(', ')}`).toBeLessThan(losses[i - 1]!);
}

describe.skipIf(missing !== null)('the CPU backend in headless Chromium', () => {
  let harness: BrowserHarness;
  let isolated: ScenarioResult<CpuResult>;
  beforeAll(async () => {
    harness = await BrowserHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('cross-origin isolated: ops match independent values, the MLP trains, products use Web Workers with the bits of one thread', async () => {
    isolated = await harness.run<CpuResult>('cpu', { args: { bench } });
    const r = isolated.value;
    expect(isolated.consoleErrors).toEqual([]);
    expect(isolated.pageErrors).toEqual([]);
    expect(r.env.crossOriginIsolated).toBe(true);
    expect(r.env.sharedArrayBuffer).toBe(true);
    expect(r.env.simd).toBe(true);
    // the default: min(navigator.hardwareConcurrency, 4)
    expect(r.env.defaultThreads).toBe(Math.max(1, Math.min(r.env.hardwareConcurrency, 4)));
    for (const op of r.ops) expect(op.maxErr, op.name).toBeLessThanOrEqual(op.tol);

    const many = Math.max(2, r.env.defaultThreads);
    expect(r.threadsSet).toBe(many);
    // a product issued before the workers started ran without them (no deadlock), with the same bits
    if (r.readyAtOnce === 1) expect(r.beforeStart.threadedRuns).toBe(0);
    expect(r.beforeStart.mismatches).toBe(0);
    expectAccurate(r.beforeStart);
    expect(r.readyLater).toBe(many);
    expect(r.products.map((p) => p.threads)).toEqual([many, many, many + 1]);
    for (const p of r.products) {
      expect(p.threadedRuns, `${p.name}: ran on the threaded path`).toBe(1);
      expect(p.mismatches, `${p.name}: elements whose bits differ from one thread`).toBe(0);
      expectAccurate(p);
    }

    const { single, threaded } = r.training;
    expect(single.threads).toBe(1);
    expect(single.threadedRuns).toBe(0);
    expectDecreasing(single.losses);
    expect(threaded.threads).toBe(many);
    expect(threaded.threadedRuns).toBeGreaterThan(0);
    // bit-identical products make bit-identical training
    expect(threaded.losses).toEqual(single.losses);
    console.log(
      `browser cpu scenario (isolated): ${isolated.ms.toFixed(0)} ms; MLP step ${single.msPerStep.toFixed(0)} ms on 1 thread, ${threaded.msPerStep.toFixed(0)} ms on ${many}` +
        (r.bench ? `; ${r.bench.size}³ matmul ${r.bench.gflops.map((g) => `${g.gflops.toFixed(1)} GFLOP/s on ${g.threads} thread(s)`).join(', ')}` : ''),
    );
  });

  it('served without COOP/COEP: one thread, the same results', async () => {
    const plain = await harness.run<CpuResult>('cpu', { isolated: false });
    const r = plain.value;
    expect(plain.consoleErrors).toEqual([]);
    expect(plain.pageErrors).toEqual([]);
    expect(r.env.crossOriginIsolated).toBe(false);
    expect(r.env.sharedArrayBuffer).toBe(false);
    expect(r.env.defaultThreads).toBe(1);
    expect(r.threadsSet).toBe(1);
    expect(r.readyLater).toBe(1);
    for (const op of r.ops) expect(op.maxErr, op.name).toBeLessThanOrEqual(op.tol);
    for (const p of [r.beforeStart, ...r.products]) {
      expect(p.threads, p.name).toBe(1);
      expect(p.threadedRuns, p.name).toBe(0);
      expectAccurate(p);
    }
    expect(r.training.threaded.threads).toBe(1);
    expectDecreasing(r.training.threaded.losses);
    // the same code on the same seed as the isolated page's one-thread run
    if (isolated !== undefined) expect(r.training.threaded.losses).toEqual(isolated.value.training.single.losses);
  });
});
