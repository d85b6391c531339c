import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, main, parseCrossCheckArgs, UsageError } from '@tensorgrad/crosscheck';

function capture(): { io: { stdout: { write: (s: string) => boolean }; stderr: { write: (s: string) => boolean } }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((err += s), true) } },
    out: () => out,
    err: () => err,
  };
}

describe('parseCrossCheckArgs', () => {
  it('has the documented defaults', () => {
    expect(parseCrossCheckArgs([])).toEqual({ a: 'cpu', b: 'tfjs', sample: null, random: 2, seed: 0, steps: 20, json: null, train: true, dataRoot: null });
    expect(DEFAULT_OPTIONS.random).toBe(2);
  });

  it('reads every flag, with a separate value or after =', () => {
    expect(
      parseCrossCheckArgs(['--', '--a', 'tfjs', '--b=tfjs-wasm', '--sample', '3', '--random=0', '--seed', '7', '--steps', '5', '--json', 'out/r.json', '--no-train', '--data-root', '/d']),
    ).toEqual({ a: 'tfjs', b: 'tfjs-wasm', sample: 3, random: 0, seed: 7, steps: 5, json: 'out/r.json', train: false, dataRoot: '/d' });
    expect(parseCrossCheckArgs(['--help'])).toBe('help');
    expect(parseCrossCheckArgs(['-h'])).toBe('help');
  });

  it.each([
    [['--frobnicate'], 'unknown option "--frobnicate"'],
    [['--sample', '0'], '--sample: expected a positive integer, got "0"'],
    [['--sample', '1.5'], '--sample: expected a positive integer, got "1.5"'],
    [['--random', '-1'], '--random: expected a non-negative integer, got "-1"'],
    [['--random=-1'], '--random: expected a non-negative integer, got "-1"'],
    [['--steps', 'many'], '--steps: expected a positive integer, got "many"'],
    [['--seed'], '--seed: expected a value after it'],
    [['--b', 'a b'], '--b: expected a backend name such as cpu or tfjs, got "a b"'],
    [['--b', 'cpu'], '--a and --b name the same backend ("cpu")'],
    [['--no-train=yes'], '--no-train takes no value'],
    [['--json='], '--json: expected a file name'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCrossCheckArgs(argv)).toThrow(UsageError);
    expect(() => parseCrossCheckArgs(argv)).toThrow(message);
  });
});

describe('main', () => {
  it('exits 2 with the message and a hint on a usage error', async () => {
    const c = capture();
    expect(await main(['--sample', 'x'], c.io)).toBe(2);
    expect(c.err()).toBe('crosscheck: --sample: expected a positive integer, got "x"\nRun with --help for the usage.\n');
  });

  it('prints the usage for --help', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    for (const flag of ['--a', '--b', '--sample', '--random', '--seed', '--steps', '--json', '--no-train']) expect(c.out()).toContain(flag);
  });

  it('exits 1 naming the backend that is not registered', async () => {
    const c = capture();
    expect(await main(['--b', 'no-such-backend', '--no-train'], c.io)).toBe(1);
    expect(c.err()).toContain("--b no-such-backend: no backend 'no-such-backend' is registered; registered here: ");
  });
});
