// The WebGPU backend in headless Chromium (the "webgpu" scenario): a sample of ops on webgpu agrees
// with the cpu backend in the same page, and five SGD steps of a 784-64-10 MLP give the cpu
// backend's losses (relative 1e-3), decreasing. Without a GPU, Chromium's bundled SwiftShader
// provides the adapter (a fallback adapter) with the harness's flags (`--enable-unsafe-webgpu`);
// `--enable-unsafe-swiftshader` keeps the software path allowed should Chromium restrict it. With
// these flags an adapter is required: a null adapter FAILS the test (CI must exercise WebGPU).
// Only a missing Chromium skips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserHarness, chromiumMissingReason } from '@tensorgrad/browser-tests';
import type { WebgpuResult } from '../src/scenarios/webgpu.js';

/** The flags added to the harness's own for the WebGPU scenario. */
const WEBGPU_FLAGS = ['--enable-unsafe-swiftshader'];

const missing = chromiumMissingReason();
if (missing !== null) console.warn(`browser-tests: skipping the WebGPU tests: ${missing}`);

describe.skipIf(missing !== null)('the WebGPU backend in headless Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await BrowserHarness.start({ extraArgs: WEBGPU_FLAGS });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('gets an adapter; ops match the cpu backend; the MLP trains to the cpu losses', async () => {
    const t0 = performance.now();
    const run = await harness.run<WebgpuResult>('webgpu', { args: { steps: 5 } });
    const r = run.value;
    expect(run.pageErrors).toEqual([]);
    expect(run.consoleErrors).toEqual([]);
    if (r.skipped !== undefined) {
      throw new Error(
        `the page got no WebGPU adapter (${r.skipped}) with Chromium flags ${['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', ...WEBGPU_FLAGS].join(' ')}; ` +
          'these flags give a SwiftShader adapter on a machine without a GPU, so CI must have one: check that the chromium package ships ' +
          '/usr/lib/chromium/libvk_swiftshader.so and vk_swiftshader_icd.json',
      );
    }
    expect(r.adapter.architecture.length + r.adapter.vendor.length, 'adapter info').toBeGreaterThan(0);

    // the sample: every check ran or was skipped for a missing kernel, and the core ops are there
    expect(r.ops.length + r.skippedChecks.length).toBeGreaterThanOrEqual(20);
    for (const name of ['add broadcast', 'mul broadcast', 'matmul [33,47]·[47,29]', 'ᵀ (transposed right operand)', 'relu [', 'sum all']) {
      expect(r.ops.some((o) => o.name.includes(name)), `${name} was compared (skipped: ${JSON.stringify(r.skippedChecks)})`).toBe(true);
    }
    for (const op of r.ops) {
      expect(op.sameShape, `${op.name}: shape`).toBe(true);
      expect(op.violations, `${op.name}: elements outside rtol ${op.rtol} / atol ${op.atol} (max abs err ${op.maxAbsErr}, max rel err ${op.maxRelErr})`).toBe(0);
    }
    for (const s of r.skippedChecks) console.warn(`browser-tests webgpu: skipped '${s.name}': ${s.reason}`);

    // training: the same losses as on cpu from the same initial weights, decreasing
    if ('skipped' in r.training) {
      console.warn(`browser-tests webgpu: skipped the MLP training: ${r.training.skipped.reason}`);
    } else {
      const t = r.training;
      if (t.lossFallback) console.warn(`browser-tests webgpu: trained with ${t.loss}: ${t.lossFallback}`);
      expect(t.sameInitialWeights).toBe(true);
      expect(t.webgpu).toHaveLength(5);
      expect(t.cpu).toHaveLength(5);
      for (let i = 0; i < 5; i++) {
        expect(Number.isFinite(t.webgpu[i]), `webgpu loss ${i + 1}`).toBe(true);
        expect(Math.abs(t.webgpu[i]! - t.cpu[i]!), `loss ${i + 1}: webgpu ${t.webgpu.join(', ')} vs cpu ${t.cpu.join(', ')}`).toBeLessThanOrEqual(1e-3 * Math.abs(t.cpu[i]!));
        if (i > 0) expect(t.webgpu[i], `webgpu loss after step ${i + 1}: ${t.webgpu.join(', ')}`).toBeLessThan(t.webgpu[i - 1]!);
      }
    }

    for (const op of r.ops) console.log(`  webgpu vs cpu: ${op.name}: max abs err ${op.maxAbsErr.toExponential(2)}, max rel err ${op.maxRelErr.toExponential(2)} (${op.size} elements)`);
    const worst = r.ops.reduce((w, o) => (o.maxRelErr > w.maxRelErr ? o : w), r.ops[0]!);
    console.log(
      `browser webgpu scenario: ${run.ms.toFixed(0)} ms in the page (${(performance.now() - t0).toFixed(0)} ms with bundling and page load); ` +
        `adapter ${r.adapter.vendor}/${r.adapter.architecture} (fallback ${r.adapter.isFallbackAdapter}); setBackend ${r.ms.setBackend.toFixed(0)} ms; ` +
        `${r.ops.length} ops compared in ${r.ms.ops.toFixed(0)} ms (largest rel err ${worst.maxRelErr.toExponential(2)} in '${worst.name}'), ${r.skippedChecks.length} skipped; ` +
        ('skipped' in r.training
          ? 'training skipped'
          : `${r.training.loss} losses cpu [${r.training.cpu.map((l) => l.toFixed(5)).join(', ')}] webgpu [${r.training.webgpu.map((l) => l.toFixed(5)).join(', ')}] ` +
            `(max rel diff ${r.training.maxRelDiff.toExponential(2)}; ${r.training.msPerStep.cpu.toFixed(0)} vs ${r.training.msPerStep.webgpu.toFixed(0)} ms/step)`),
    );
  });
});
