// The CI run of the cross-check: one golden case per op plus one random variant for cpu against
// tfjs and tfjs-wasm, and the Fashion-MNIST CNN's first training steps for cpu against tfjs-wasm
// (3 steps: a step of tfjs's pure-JavaScript cpu engine takes tens of seconds, too long for CI;
// `pnpm crosscheck` runs the full 20 steps on any pair). Every comparison must pass.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBackend } from 'tensorgrad';
import '@tensorgrad/backend-tfjs';
import { DEFAULT_OPTIONS, registerCrossCheckBackends, runCrossCheck } from '@tensorgrad/crosscheck';
import { HAS_DATA } from './data.js';

registerCrossCheckBackends();


describe.each([
  ['tfjs', 0],
  ['tfjs-wasm', 3],
])('cpu against %s', (b, steps) => {
  it(`agrees on every op (1 case per op + 1 random variant)${steps ? ` and over ${steps} training steps` : ''}`, { timeout: 180_000 }, async () => {
    let out = '';
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } };
    const train = steps > 0 && HAS_DATA;
    const r = await runCrossCheck({ ...DEFAULT_OPTIONS, a: 'cpu', b, sample: 1, random: 1, steps: Math.max(1, steps), train }, io);
    console.log(out);
    expect(r.ops.disagreements).toEqual([]);
    expect(r.ops.rows.length).toBeGreaterThanOrEqual(60);
    expect(r.ops.rows.every((row) => row.runs === 2 * row.cases)).toBe(true);
    expect(r.ops.skipped.every((s) => s.reason === `dtype float64: backend '${b}' does not support it`)).toBe(true);
    if (train) {
      expect(r.training!.lossesA.length).toBe(steps);
      expect(r.training!.lossesB.length).toBe(steps);
      expect(r.training!.ok).toBe(true);
    }
    expect(r.ok).toBe(true);
    expect(out).toContain(`crosscheck ${b} vs cpu: PASS`);
  });
});

// WebGPU (issue #5): on CI's software Vulkan driver (scripts/ensure-webgpu.sh). Without an adapter
// the check is skipped with the reason, unless scripts/test.sh set a driver up
// (TENSORGRAD_REQUIRE_WEBGPU=1), where that is a failure.
const lavapipe = join(import.meta.dirname, '../../../.cache/webgpu/lavapipe/lvp_icd.json');
if (!process.env.VK_ICD_FILENAMES && existsSync(lavapipe)) process.env.VK_ICD_FILENAMES = lavapipe;
await import('@tensorgrad/backend-webgpu');
const webgpu = await findBackend('webgpu').then(
  () => null,
  (e: unknown) => (e instanceof Error ? e.message : String(e)),
);
if (webgpu !== null && process.env.TENSORGRAD_REQUIRE_WEBGPU === '1') throw new Error(`TENSORGRAD_REQUIRE_WEBGPU=1 but no WebGPU adapter: ${webgpu}`);

describe('cpu against webgpu', () => {
  const title = 'agrees on every op (1 case per op + 1 random variant) and over 3 training steps';
  if (webgpu !== null) {
    it.skip(`${title} [skipped: no WebGPU adapter: ${webgpu}]`, () => {});
    return;
  }
  it(title, { timeout: 180_000 }, async () => {
    let out = '';
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } };
    const r = await runCrossCheck({ ...DEFAULT_OPTIONS, a: 'cpu', b: 'webgpu', sample: 1, random: 1, steps: 3, train: HAS_DATA }, io);
    console.log(out);
    expect(r.ops.disagreements).toEqual([]);
    expect(r.ops.rows.length).toBeGreaterThanOrEqual(60);
    expect(r.ops.skipped.every((s) => s.reason === "dtype float64: backend 'webgpu' does not support it")).toBe(true);
    if (HAS_DATA) expect(r.training!.ok).toBe(true);
    expect(r.ok).toBe(true);
    expect(out).toContain('crosscheck webgpu vs cpu: PASS');
  });
});
