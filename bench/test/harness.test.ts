// The suite's harness on minuscule sizes: every library runs every case, the training steps
// really train, and the tables come out. Timings are never asserted.
import { describe, expect, it } from 'vitest';
import { caseList } from '../src/cases.mjs';
import { LIBRARIES, libraryById } from '../src/libs/index.mjs';
import { measure, MODES, stats } from '../src/measure.mjs';
import { cell, groupTables, markdownTable, ratio, textTable } from '../src/report.mjs';
import { runLibrary } from '../src/run-library.mjs';

type Result = { ok: boolean; status?: string; message?: string; medianMs?: number; runs?: number; estimated?: boolean };
type Kase = { id: string; group: string; kind: string; label: string; flop?: number };

const tiny = caseList('tiny') as Kase[];

async function runTiny(libraryId: string, mode = 'tiny') {
  const events: { type: string; id?: string; result?: Result; message?: string }[] = [];
  await runLibrary(libraryId, tiny, { mode, epochMaxSeconds: 60 }, (e: (typeof events)[number]) => events.push(e));
  const results: Record<string, Result> = {};
  for (const e of events) if (e.type === 'result') results[e.id!] = e.result!;
  return { events, results };
}

describe('stats', () => {
  it('takes the median and the range', () => {
    expect(stats([5, 1, 3])).toEqual({ medianMs: 3, minMs: 1, maxMs: 5, runs: 3 });
    expect(stats([4, 1, 3, 2]).medianMs).toBe(2.5);
  });
});

describe('measure', () => {
  it('runs warm-up plus at least minRuns timed runs and reports a growing live count', async () => {
    let calls = 0;
    let live = 0;
    const r = await measure(() => void (calls++, live++), { ...MODES.tiny, minRuns: 3, maxRuns: 3 }, () => live);
    expect(r.runs).toBe(3);
    expect(calls).toBe(4);
    expect(r.leakPerRun).toBe(1);
  });
});

describe.each(LIBRARIES.map((l) => l.id))('%s', (libraryId) => {
  it('runs every case at tiny sizes', async () => {
    const { events, results } = await runTiny(libraryId);
    expect(events.some((e) => e.type === 'unavailable')).toBe(false);
    expect(Object.keys(results)).toEqual(tiny.map((k) => k.id));
    for (const k of tiny) {
      const r = results[k.id]!;
      // TF.js's wasm backend has no Conv2DBackpropFilter kernel: it cannot run conv2d backward
      if (libraryId === 'tfjs-wasm' && ['conv2d-fwdbwd', 'cnn-step', 'cnn-epoch'].includes(k.id)) {
        expect(r).toMatchObject({ ok: false, status: 'error' });
        expect(r.message).toContain('Conv2DBackpropFilter');
        continue;
      }
      expect(r, `${libraryId} ${k.id}: ${r.message}`).toMatchObject({ ok: true });
      expect(r.medianMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('lowers the loss when it repeats a training step on one batch', async () => {
    const lib = await libraryById(libraryId).load();
    for (const id of ['mlp-step', 'cnn-step']) {
      if (libraryId === 'tfjs-wasm' && id === 'cnn-step') continue;
      const c = lib.make(tiny.find((k) => k.id === id)!);
      const losses: number[] = [];
      for (let i = 0; i < 8; i++) losses.push(await c.run());
      c.dispose();
      expect(losses.every(Number.isFinite), `${id}: ${losses}`).toBe(true);
      expect(losses[7]!, `${id}: ${losses}`).toBeLessThan(losses[0]!);
    }
  });
});

describe('quick mode', () => {
  it('extrapolates epochs from the step time', async () => {
    const { results } = await runTiny('tensorgrad', 'quick');
    expect(results['mlp-epoch']).toMatchObject({ ok: true, estimated: true });
    expect(results['mlp-epoch']!.medianMs).toBeCloseTo(results['mlp-step']!.medianMs! * 3, 6);
  });
});

describe('report', () => {
  it('formats cells, ratios and tables', () => {
    expect(cell({ ok: true, medianMs: 12.345, minMs: 12, maxMs: 13, runs: 5 })).toBe('12.3 ms (12.0–13.0)');
    expect(cell({ ok: true, medianMs: 30_000, minMs: 30_000, maxMs: 30_000, runs: 1, single: true })).toBe('30.0 s (1 run)');
    expect(cell({ ok: false, status: 'error', message: 'cannot train: x' })).toBe('cannot train: x');
    expect(ratio({ ok: true, medianMs: 30 }, { ok: true, medianMs: 10 })).toBe(3);
    expect(ratio({ ok: false }, { ok: true, medianMs: 10 })).toBeNull();
    const k = { ...tiny[0]!, results: { tensorgrad: { ok: true, medianMs: 1, minMs: 1, maxMs: 1, runs: 3 }, 'tfjs-cpu': { ok: true, medianMs: 2, minMs: 2, maxMs: 2, runs: 3 } } };
    const libs = LIBRARIES.filter((l) => l.id === 'tensorgrad' || l.id === 'tfjs-cpu');
    const [times, gflops] = groupTables([k], libs);
    expect(times!.header).toEqual(['case', 'tensorgrad cpu', 'tfjs-cpu', 'tfjs-cpu / tensorgrad']);
    expect(times!.rows[0]).toEqual([k.label, '1.00 ms', '2.00 ms', '2.00×']);
    expect(gflops!.rows[0]).toEqual([k.label, (k.flop! / 1e6).toFixed(2), (k.flop! / 2e6).toFixed(2)]);
    expect(markdownTable(times!).split('\n')[1]).toBe('| --- | ---: | ---: | ---: |');
    expect(textTable(times!).split('\n')).toHaveLength(3);
  });

  it('gives a variant of tensorgrad (2 threads) a speed-up column instead of a peer ratio', () => {
    const r = (ms: number) => ({ ok: true, medianMs: ms, minMs: ms, maxMs: ms, runs: 3 });
    const k = { ...tiny[0]!, results: { tensorgrad: r(4), 'tensorgrad-2t': r(2), 'tfjs-wasm': r(8) } };
    const libs = LIBRARIES.filter((l) => ['tensorgrad', 'tensorgrad-2t', 'tfjs-wasm'].includes(l.id));
    const [times] = groupTables([k], libs);
    expect(times!.header).toEqual([
      'case',
      'tensorgrad cpu',
      'tensorgrad cpu 2 threads',
      'tfjs-wasm',
      'tfjs-wasm / tensorgrad',
      'tensorgrad / tensorgrad cpu 2 threads',
    ]);
    expect(times!.rows[0]).toEqual([k.label, '4.00 ms', '2.00 ms', '8.00 ms', '2.00×', '2.00×']);
  });
});
