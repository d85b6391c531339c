import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzzMain, parseFuzzArgs, runCase, runFuzz, selectTargets, type FuzzTarget } from '@tensorgrad/fuzz';
import { UsageError } from '@tensorgrad/crosscheck';

function capture(): { io: { stdout: { write: (s: string) => boolean }; stderr: { write: (s: string) => boolean } }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((err += s), true) } },
    out: () => out,
    err: () => err,
  };
}

/** A fake target that records the seeds it ran and fails on the ones in `bad`, hangs on those in `hang`. */
function fake(name: string, opts: { bad?: number[]; hang?: number[]; unavailable?: string } = {}): FuzzTarget & { seeds: number[] } {
  const seeds: number[] = [];
  return {
    name,
    seeds,
    ...(opts.unavailable ? { unavailable: async () => opts.unavailable! } : {}),
    async run(seed: number) {
      seeds.push(seed);
      if (opts.bad?.includes(seed)) throw new Error(`seed ${seed}: expected 0, got 1`);
      if (opts.hang?.includes(seed)) await new Promise(() => undefined); // never settles
      return `seed ${seed} fine`;
    },
  };
}

/** A clock that advances `step` ms per reading. */
function clock(step: number): () => number {
  let t = 0;
  return () => (t += step);
}

describe('runFuzz', () => {
  it('runs seeds base, base+1, … round-robin over the targets until the time is up', async () => {
    const a = fake('ops/a');
    const b = fake('files/b');
    const c = capture();
    // deadline at 10 + 1000; the clock is read once per case: 9 cases start (at 20 … 100 × 10 ms steps)
    const r = await runFuzz([a, b], c.io, { seconds: 1, baseSeed: 40, caseTimeoutMs: 1000, now: clock(100) });
    expect(a.seeds).toEqual([40, 41, 42, 43, 44]);
    expect(b.seeds).toEqual([40, 41, 42, 43]);
    expect(r.ok).toBe(true);
    expect(r.targets.map((t) => [t.name, t.cases, t.failures, t.hangs])).toEqual([
      ['ops/a', 5, 0, 0],
      ['files/b', 4, 0, 0],
    ]);
    expect(c.out()).toMatch(/ops\/a\s+5\s+0\s+0\s+/);
    expect(c.out()).toContain('every case passed');
  });

  it('prints a failing seed with its message and replay line, and goes on', async () => {
    const a = fake('ops/a', { bad: [2] });
    const c = capture();
    const r = await runFuzz([a], c.io, { seconds: 1, baseSeed: 0, caseTimeoutMs: 1000, now: clock(200) });
    expect(a.seeds).toEqual([0, 1, 2, 3]);
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([{ target: 'ops/a', seed: 2, kind: 'fail', message: 'seed 2: expected 0, got 1' }]);
    expect(c.out()).toContain('FAIL ops/a:2  seed 2: expected 0, got 1\n  replay: pnpm fuzz -- --replay ops/a:2\n');
  });

  it('reports a hang after the case time limit and the loop goes on', async () => {
    const a = fake('ops/a', { hang: [1] });
    const c = capture();
    const t0 = performance.now();
    const r = await runFuzz([a], c.io, { seconds: 1, baseSeed: 0, caseTimeoutMs: 50, now: clock(300) });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(a.seeds).toEqual([0, 1, 2]);
    expect(r.targets[0]).toMatchObject({ cases: 3, failures: 0, hangs: 1 });
    expect(r.failed[0]).toMatchObject({ seed: 1, kind: 'hang' });
    expect(c.out()).toContain('HANG ops/a:1  no result after 50 ms');
    expect(c.out()).toContain('replay: pnpm fuzz -- --replay ops/a:1');
  });

  it('prints the reason of an unavailable target and runs the others', async () => {
    const a = fake('ops/gpu', { unavailable: 'no WebGPU adapter' });
    const b = fake('ops/cpu');
    const c = capture();
    const r = await runFuzz([a, b], c.io, { seconds: 1, baseSeed: 0, caseTimeoutMs: 1000, now: clock(400) });
    expect(a.seeds).toEqual([]);
    expect(b.seeds).toEqual([0, 1]);
    expect(c.out()).toContain('SKIP ops/gpu  no WebGPU adapter');
    expect(c.out()).toContain('not run: no WebGPU adapter');
    expect(r.ok).toBe(true);
  });
});

describe('runCase', () => {
  it('turns a synchronous throw, a non-Error and a non-string result into failures', async () => {
    const sync: FuzzTarget = {
      name: 'x/sync',
      run: ((seed: number) => {
        throw new RangeError(`bad ${seed}`);
      }) as FuzzTarget['run'],
    };
    expect(await runCase(sync, 3, 100)).toMatchObject({ kind: 'fail', message: 'bad 3' });
    const str: FuzzTarget = { name: 'x/str', run: () => Promise.reject('boom') };
    expect(await runCase(str, 0, 100)).toMatchObject({ kind: 'fail', message: 'threw a non-Error: boom' });
    const num: FuzzTarget = { name: 'x/num', run: () => Promise.resolve(7 as unknown as string) };
    expect(await runCase(num, 0, 100)).toMatchObject({ kind: 'fail' });
  });
});

describe('fuzzMain', () => {
  it('--replay runs exactly one case and exits 1 when it fails, 0 when it passes', async () => {
    const a = fake('ops/a', { bad: [7] });
    const b = fake('ops/b');
    let c = capture();
    expect(await fuzzMain(['--', '--replay', 'ops/a:7'], c.io, [a, b])).toBe(1);
    expect(a.seeds).toEqual([7]);
    expect(b.seeds).toEqual([]);
    expect(c.out()).toContain('FAIL ops/a:7  seed 7: expected 0, got 1');
    c = capture();
    expect(await fuzzMain(['--replay=ops/a:8'], c.io, [a, b])).toBe(0);
    expect(a.seeds).toEqual([7, 8]);
    expect(c.out()).toContain('PASS ops/a:8');
  });

  it('--json writes the report: counts per target and every failed case', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fuzz-json-'));
    try {
      const file = join(dir, 'report.json');
      const a = fake('ops/a', { bad: [3] });
      expect(await fuzzMain(['--replay', 'ops/a:3', '--json', file], capture().io, [a])).toBe(1);
      const r = JSON.parse(readFileSync(file, 'utf8'));
      expect(r.ok).toBe(false);
      expect(r.targets).toEqual([{ name: 'ops/a', unavailable: null, cases: 1, failures: 1, hangs: 0, seconds: expect.any(Number) }]);
      expect(r.failed).toEqual([{ target: 'ops/a', seed: 3, kind: 'fail', message: 'seed 3: expected 0, got 1' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a timed run prints the base seed first and selects targets by prefix', async () => {
    const a = fake('ops/cpu');
    const b = fake('files/idx');
    const c = capture();
    expect(await fuzzMain(['--seconds', '1', '--targets', 'files', '--seed', '100'], c.io, [a, b])).toBe(0);
    expect(c.out().split('\n')[0]).toMatch(/^fuzz: base seed 100; 1 target\(s\)/);
    expect(a.seeds).toEqual([]);
    expect(b.seeds.slice(0, 3)).toEqual([100, 101, 102]);
  });

  it('without --seed takes the base seed from the clock and prints it', async () => {
    const a = fake('ops/cpu');
    const c = capture();
    expect(await fuzzMain(['--seconds=1'], c.io, [a])).toBe(0);
    const m = /^fuzz: base seed (\d+) \(from the clock; pass --seed \1 to repeat this run\)/.exec(c.out());
    expect(m).not.toBeNull();
    expect(a.seeds[0]).toBe(Number(m![1]));
  });

  it.each([
    [['--frobnicate'], 'unknown option "--frobnicate"'],
    [['--seconds', '0'], '--seconds: expected a whole number of seconds from 1 to 604800, got "0"'],
    [['--seconds', '1.5'], '--seconds: expected a whole number of seconds from 1 to 604800, got "1.5"'],
    [['--seconds'], '--seconds: expected a value after it'],
    [['--seconds', '--verbose'], '--seconds: expected a value after it'],
    [['--seed', '-3'], '--seed: expected a seed from 0 to 2147483647, got "-3"'],
    [['--seed', '2147483648'], '--seed: expected a seed from 0 to 2147483647, got "2147483648"'],
    [['--case-timeout-ms', 'x'], '--case-timeout-ms: expected a positive number of milliseconds, got "x"'],
    [['--replay', 'ops/a'], '--replay: expected <target>:<seed>'],
    [['--replay', 'ops/a:x'], '--replay: expected a seed from 0 to 2147483647'],
    [['--replay', 'ops/a:1', '--seconds', '3'], '--replay runs exactly one case'],
    [['--targets', 'ops,,files'], '--targets: expected comma-separated name prefixes'],
    [['--verbose=yes'], '--verbose takes no value'],
    [['60'], 'unexpected argument "60"'],
  ])('exits 2 on the usage error %j', async (argv, message) => {
    expect(() => parseFuzzArgs(argv)).toThrow(UsageError);
    const c = capture();
    expect(await fuzzMain(argv, c.io, [fake('ops/a')])).toBe(2);
    expect(c.err()).toContain(`fuzz: ${message}`);
    expect(c.err()).toContain('Run with --help for the usage.');
  });

  it('exits 2 when --targets or --replay names no target', async () => {
    const c = capture();
    expect(await fuzzMain(['--targets', 'ops/tpu'], c.io, [fake('ops/cpu')])).toBe(2);
    expect(c.err()).toContain('--targets: no target name starts with "ops/tpu"; expected prefixes of ops/cpu');
    expect(await fuzzMain(['--replay', 'ops/tpu:1'], c.io, [fake('ops/cpu')])).toBe(2);
    expect(c.err()).toContain('--replay: no target named "ops/tpu"; expected one of ops/cpu');
  });

  it('prints the usage for --help', async () => {
    const c = capture();
    expect(await fuzzMain(['-h'], c.io, [])).toBe(0);
    expect(c.out()).toContain('Usage: pnpm fuzz');
    expect(selectTargets([fake('a/b')], null).map((t) => t.name)).toEqual(['a/b']);
  });
});
