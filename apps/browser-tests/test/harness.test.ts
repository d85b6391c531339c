// The harness itself: bundling, the page server's headers, isolation on and off, arguments and
// results, console errors and a failing scenario.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserHarness, chromiumMissingReason } from '@tensorgrad/browser-tests';

const missing = chromiumMissingReason();
if (missing !== null) console.warn(`browser-tests: skipping the headless-Chromium tests: ${missing}`);

describe.skipIf(missing !== null)('the headless-Chromium harness', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await BrowserHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('runs a scenario in a cross-origin-isolated page and returns its value', async () => {
    const r = await harness.run<{ sum: number; crossOriginIsolated: boolean; sharedArrayBuffer: boolean }>('smoke', { args: { values: [0.5, 2, -1] } });
    expect(r.value.sum).toBe(1.5);
    expect(r.crossOriginIsolated).toBe(true);
    expect(r.value.crossOriginIsolated).toBe(true);
    expect(r.value.sharedArrayBuffer).toBe(true);
    expect(r.consoleErrors).toEqual([]);
    expect(r.pageErrors).toEqual([]);
  });

  it('serves the page without the COOP/COEP headers when asked (no SharedArrayBuffer then)', async () => {
    const r = await harness.run<{ sum: number; crossOriginIsolated: boolean; sharedArrayBuffer: boolean }>('smoke', { isolated: false });
    expect(r.value.sum).toBe(6);
    expect(r.crossOriginIsolated).toBe(false);
    expect(r.value.sharedArrayBuffer).toBe(false);
  });

  it("reports the console errors of the page and of its workers, once each", async () => {
    const r = await harness.run('smoke', { args: { error: 'something went wrong', workerError: 'a worker complains' } });
    expect(r.consoleErrors).toEqual(['something went wrong', 'a worker complains']);
  });

  it('gives up on a scenario that takes longer than timeoutMs', async () => {
    await expect(harness.run('smoke', { args: { delayMs: 5_000 }, timeoutMs: 300 })).rejects.toThrow(/scenario 'smoke' took longer than 300 ms/);
  });

  it('throws with the page-side error when the scenario throws', async () => {
    await expect(harness.run('smoke', { args: { values: 'not an array' } })).rejects.toThrow(/scenario 'smoke' failed in the page/);
  });
});
