import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserHarness, chromiumMissingReason } from '@tensorgrad/browser-tests';
import type { WorkerScenarioResult } from './worker-scenario.js';

const missing = chromiumMissingReason();
if (missing !== null) console.warn(`docs runtime: skipping the example worker's Chromium test: ${missing}`);

describe.skipIf(missing !== null)('the example worker in headless Chromium', () => {
  let harness: BrowserHarness;
  let result: WorkerScenarioResult;
  let pageErrors: string[];
  beforeAll(async () => {
    harness = await BrowserHarness.start();
    const r = await harness.run<WorkerScenarioResult>(new URL('./worker-scenario.ts', import.meta.url).pathname, { timeoutMs: 120_000 });
    result = r.value;
    pageErrors = r.pageErrors;
  }, 180_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('runs an example in the worker on cpu: its value, its log, and every tensor freed', () => {
    expect(pageErrors).toEqual([]);
    const r = result.first;
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('ok');
    expect(r.output).toEqual([
      { kind: 'value', text: '[[7, 10], [15, 22]]', line: 4 },
      { kind: 'log', text: '[2, 3]', line: 6 },
      { kind: 'log', text: 'tensor([[2., 4.],\n        [6., 8.]])', line: 7 },
    ]);
    expect(r.memory.tensorsAfter).toBe(r.memory.tensorsBefore);
    expect(result.backends).toContain('cpu');
    expect(result.backends).toContain('tfjs');
  });

  it("reports an error with the example's line", () => {
    expect(result.failing.status).toBe('error');
    expect(result.failing.error?.line).toBe(3);
  });

  it('fails a run whose promise rejects unawaited, with the error in its output', () => {
    const r = result.unawaited;
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ name: 'TypeError', message: 'nobody waits', line: 2 });
    expect(r.output).toEqual([
      { kind: 'log', text: 'start', line: 1 },
      { kind: 'error', text: 'Uncaught TypeError: nobody waits', line: 2 },
    ]);
  });

  it('stops a run that never ends, and a fresh worker serves the next run', () => {
    expect(result.stuck.error?.name).toBe('TimeoutError');
    expect(result.afterRestart.status).toBe('ok');
    expect(result.afterRestart.output).toEqual(result.first.output);
  });

  it('runs the same example on tfjs (and on webgpu where the browser offers an adapter)', () => {
    // the same lines, the tensor printed with its device (on webgpu read back asynchronously)
    const onDevice = (device: string) =>
      result.first.output.map((o) => (o.line === 7 ? { ...o, text: o.text.replace(/\)$/, `, device='${device}')`) } : o));
    expect(result.tfjs.error).toBeUndefined();
    expect(result.tfjs.output).toEqual(onDevice('tfjs'));
    expect(result.tfjs.memory.tensorsAfter).toBe(result.tfjs.memory.tensorsBefore);
    if (result.webgpu) {
      expect(result.webgpu.error).toBeUndefined();
      expect(result.webgpu.output).toEqual(onDevice('webgpu'));
      expect(result.webgpu.memory.tensorsAfter).toBe(result.webgpu.memory.tensorsBefore);
    } else console.warn('docs runtime: this Chromium offers no WebGPU adapter; the webgpu run was skipped');
  });
});
