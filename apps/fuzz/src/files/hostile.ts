/**
 * The shared machinery of the hostile-file fuzzers (`files/*`): a seeded source of choices, the
 * byte-level mutations every format gets (truncation, flipped and random bytes, inserted, deleted
 * and repeated ranges, huge values written over length fields), and {@link judgeRead}, which runs
 * a reader on the mutated bytes and decides whether it behaved: a result consistent with the
 * bytes, or an `Error` that names the reader and says what is wrong — in bounded time, without
 * allocating more than the file (and the result) justify, and without leaking tensors.
 */
import { seededRng } from '@tensorgrad/conformance';
import { memory, setBackend } from '@tensorgrad/tensor';

/** A seeded source of the choices one case makes; the same `(target, seed)` makes the same choices. */
export interface Chooser {
  /** A float in `[0, 1)`. */
  next(): number;
  /** An integer in `[0, n)` (0 when `n <= 0`). */
  int(n: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** `true` with probability `p`. */
  chance(p: number): boolean;
}

/**
 * The chooser of case `seed` of the target `name`.
 *
 * @example
 * ```ts
 * import { chooser } from '@tensorgrad/fuzz';
 * const a = chooser('files/idx', 7);
 * const b = chooser('files/idx', 7);
 * a.int(1000) === b.int(1000); // true
 * ```
 */
export function chooser(name: string, seed: number): Chooser {
  const rng = seededRng(`${name}:${seed}`);
  const int = (n: number): number => (n <= 0 ? 0 : Math.floor(rng() * n));
  return {
    next: rng,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('chooser.pick: expected a non-empty array, got an empty one');
      return items[int(items.length)]!;
    },
    chance: (p) => rng() < p,
  };
}

/** A reader misbehaviour a fuzzer finds that is not fixed yet: which target, and why it stays. */
export interface FileKnownFailure {
  /** The target (`files/<reader>`). */
  target: string;
  /** What goes wrong, and why it is not fixed. */
  reason: string;
}

/**
 * The hostile-file findings left unfixed, each with its reason (the CI test and the CLI print
 * them and their count). Empty: every finding of the `files/*` fuzzers so far was fixed in its
 * reader, with a regression test there.
 *
 * @example
 * ```ts
 * import { FILE_KNOWN_FAILURES } from '@tensorgrad/fuzz';
 * FILE_KNOWN_FAILURES.length; // 0
 * ```
 */
export const FILE_KNOWN_FAILURES: readonly FileKnownFailure[] = [];

/** A mutation of a file: its bytes after the change, and what was done, for the case summary. */
export interface Mutated {
  /** The mutated bytes (a new array; the input is not changed). */
  bytes: Uint8Array;
  /** What was done, e.g. `truncated to 17 bytes`. */
  what: string;
}

/** 32-bit values that break length and size fields: 0, ±1 around the sign bit, the maximum. */
export const HUGE_U32 = [0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff, 0x0001_0000, 0x00ff_ffff] as const;

/** 64-bit values that break length and offset fields (beyond 2^53, 2^63, the maximum). */
export const HUGE_U64 = [0n, 2n ** 31n, 2n ** 32n, 2n ** 40n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n] as const;

/**
 * One byte-level mutation chosen by `c`: truncation at any byte, 1–8 flipped bits, 1–8 random
 * bytes, a random run inserted, a range deleted or repeated, or a huge 32-bit value written at a
 * random offset (either byte order).
 *
 * @example
 * ```ts
 * import { chooser, mutateBytes } from '@tensorgrad/fuzz';
 * const file = new Uint8Array(64).fill(7);
 * const { bytes, what } = mutateBytes(chooser('demo/bytes', 1), file);
 * bytes instanceof Uint8Array && typeof what === 'string'; // true
 * ```
 */
export function mutateBytes(c: Chooser, file: Uint8Array): Mutated {
  const n = file.length;
  switch (n === 0 ? 3 : c.int(7)) {
    case 0: {
      const at = c.int(n);
      return { bytes: file.slice(0, at), what: `truncated to ${at} of ${n} bytes` };
    }
    case 1: {
      const out = file.slice();
      const k = 1 + c.int(8);
      const at: number[] = [];
      for (let i = 0; i < k && n > 0; i++) {
        const p = c.int(n);
        out[p] = out[p]! ^ (1 << c.int(8));
        at.push(p);
      }
      return { bytes: out, what: `flipped a bit at byte${at.length > 1 ? 's' : ''} ${at.join(', ')}` };
    }
    case 2: {
      const out = file.slice();
      const k = 1 + c.int(8);
      const at: number[] = [];
      for (let i = 0; i < k && n > 0; i++) {
        const p = c.int(n);
        out[p] = c.int(256);
        at.push(p);
      }
      return { bytes: out, what: `random byte${at.length > 1 ? 's' : ''} at ${at.join(', ')}` };
    }
    case 3: {
      const at = c.int(n + 1);
      const run = Uint8Array.from({ length: 1 + c.int(16) }, () => (c.chance(0.3) ? 0xff : c.int(256)));
      const out = new Uint8Array(n + run.length);
      out.set(file.subarray(0, at));
      out.set(run, at);
      out.set(file.subarray(at), at + run.length);
      return { bytes: out, what: `inserted ${run.length} bytes at ${at}` };
    }
    case 4: {
      const at = c.int(n);
      const len = 1 + c.int(Math.min(32, n - at));
      const out = new Uint8Array(n - len);
      out.set(file.subarray(0, at));
      out.set(file.subarray(at + len), at);
      return { bytes: out, what: `deleted bytes [${at}, ${at + len})` };
    }
    case 5: {
      const at = c.int(n);
      const len = 1 + c.int(Math.min(64, n - at));
      const out = new Uint8Array(n + len);
      out.set(file.subarray(0, at + len));
      out.set(file.subarray(at, at + len), at + len);
      out.set(file.subarray(at + len), at + 2 * len);
      return { bytes: out, what: `repeated bytes [${at}, ${at + len})` };
    }
    default: {
      if (n < 4) return { bytes: file.slice(0, Math.max(0, n - 1)), what: `truncated to ${Math.max(0, n - 1)} bytes` };
      const at = c.int(n - 3);
      const v = c.pick(HUGE_U32);
      const little = c.chance(0.5);
      const out = file.slice();
      new DataView(out.buffer).setUint32(at, v, little);
      return { bytes: out, what: `wrote 0x${v.toString(16)} (${little ? 'LE' : 'BE'}) at byte ${at}` };
    }
  }
}

/** What {@link judgeRead} needs to know about one reader. */
export interface ReadSpec<T> {
  /** The case, as printed in a failure: `<target>:<seed>`. */
  id: string;
  /** The mutations applied, for the summary and the failure message. */
  what: string;
  /** The (mutated) file. */
  bytes: Uint8Array;
  /** Reads the file. */
  read(bytes: Uint8Array): T | Promise<T>;
  /**
   * Checks a successful result against the bytes, independently of the reader where it can;
   * returns a description of the inconsistency, or `null`. Must not dispose the result.
   */
  check(result: T, bytes: Uint8Array): string | null | Promise<string | null>;
  /** The bytes the result legitimately holds (its tensors' or arrays' data). */
  resultBytes(result: T): number;
  /** Frees the result (disposes its tensors); default: nothing to free. */
  dispose?(result: T): void;
  /** What every error of this reader starts with or contains (the reader's name / the file's name). */
  errorNames: RegExp;
  /** When set, an error must also match it (e.g. a forbidden global must be named). */
  errorMust?: RegExp;
  /** The CPU time limit of one case in milliseconds (default 2000), plus 100 ms per MiB of result. */
  timeLimitMs?: number;
}

/**
 * Messages of errors that escaped from the engine instead of the reader's validation: a reader
 * must check sizes, offsets and nesting before V8 (or a WebAssembly codec) trips over them.
 */
export const INTERNAL_ERRORS =
  /Invalid (typed )?array length|Array buffer allocation failed|Maximum call stack|out of memory|Offset is outside the bounds|is not a function|Cannot read propert|Cannot set propert|is not iterable|undefined is not|null is not|memory access out of bounds|unreachable|Aborted\(|RuntimeError|Invalid string length|Cannot mix BigInt|to a BigInt|Cannot convert|Start offset .* is outside|start offset of .* should be|length of .* should be|Invalid DataView|Illegal invocation/i;

/** Slack (bytes) of the allocation bound: the engine's own churn during one case. */
const ALLOCATION_SLACK = 48 * 2 ** 20;
/** The allocation bound's factor on the file's bytes plus the result's bytes. */
const ALLOCATION_FACTOR = 64;

/** Extra slack of the resident-memory check (the garbage collector's own growth). */
const RSS_SLACK = 128 * 2 ** 20;

function allocated(): number {
  const m = process.memoryUsage();
  return m.arrayBuffers + m.heapUsed;
}

/**
 * Runs one case: reads `spec.bytes` and judges the outcome. Resolves with a one-line summary when
 * the reader returned a result that `spec.check` finds consistent with the bytes or threw a clear
 * `Error`; rejects with an `Error` saying what went wrong otherwise: a throw that is not an
 * `Error`, an engine error that leaked out (see {@link INTERNAL_ERRORS}), a message that does not
 * name the reader, more time than the limit, more memory than 64 × (file + result) + 48 MiB (JavaScript
 * heap and array buffers; resident memory, which includes WebAssembly memory, may grow 128 MiB
 * more), or live tensors left behind.
 *
 * @example
 * ```ts
 * import { judgeRead } from '@tensorgrad/fuzz';
 * const read = (b: Uint8Array): number => {
 *   if (b.length !== 4) throw new Error(`demo: expected 4 bytes, got ${b.length}`);
 *   return b[0]!;
 * };
 * const spec = { id: 'demo/u8:0', what: 'truncated', read, check: () => null, resultBytes: () => 0, errorNames: /^demo: / };
 * await judgeRead({ ...spec, bytes: new Uint8Array(3) }); // 'truncated → rejected: demo: expected 4 bytes, got 3'
 * ```
 */
export async function judgeRead<T>(spec: ReadSpec<T>): Promise<string> {
  const fail = (why: string): Error =>
    new Error(`${spec.id}: ${spec.what} (${spec.bytes.length}-byte file): ${why}. Replay with \`pnpm fuzz -- --replay ${spec.id}\``);
  const limit = spec.timeLimitMs ?? 2000;
  // the readers make their tensors on the current backend, which another target of the same run
  // may have left on webgpu (no float64): files are read on cpu, whatever ran before
  await setBackend('cpu');
  const tensorsBefore = memory().numTensors;
  const memBefore = allocated();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let result: T | undefined;
  let error: unknown;
  let threw = false;
  try {
    result = await spec.read(spec.bytes);
  } catch (e) {
    threw = true;
    error = e;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const grown = allocated() - memBefore;
  // WebAssembly memory (the JPEG codec's) is not in arrayBuffers; what the codec writes is resident
  const rssGrown = process.memoryUsage().rss - rssBefore;
  const held = threw ? 0 : spec.resultBytes(result as T);
  const bound = ALLOCATION_FACTOR * (spec.bytes.length + held) + ALLOCATION_SLACK;
  let outcome: string;
  try {
    // CPU time, not wall time (a loaded machine must not make a case fail), with 100 ms more per
    // MiB of result: decoding a huge image that the file really holds is work, not a hang
    const timeBudget = limit + (100 * held) / 2 ** 20;
    if (cpuMs > timeBudget) {
      throw fail(`the reader used ${cpuMs.toFixed(0)} ms of CPU (${ms.toFixed(0)} ms wall), more than its ${timeBudget.toFixed(0)} ms budget (${limit} ms + 100 ms per MiB of result): a hang on hostile input`);
    }
    if (grown > bound) {
      throw fail(
        `memory grew by ${(grown / 2 ** 20).toFixed(1)} MiB while reading, more than ${(bound / 2 ** 20).toFixed(1)} MiB ` +
          `(64 × (file + result) + 48 MiB): the reader allocated a declared size before validating it`,
      );
    }
    if (rssGrown > bound + RSS_SLACK) {
      throw fail(
        `resident memory grew by ${(rssGrown / 2 ** 20).toFixed(1)} MiB while reading, more than ${((bound + RSS_SLACK) / 2 ** 20).toFixed(1)} MiB ` +
          '(a codec\'s WebAssembly memory or native buffers sized by the file\'s declared size)',
      );
    }
    if (threw) {
      if (!(error instanceof Error)) throw fail(`the reader threw a non-Error: ${typeof error} ${String(error).slice(0, 120)}`);
      const msg = error.message;
      if (INTERNAL_ERRORS.test(msg)) {
        throw fail(`an engine error leaked out of the reader instead of a clear message: ${error.name}: ${msg.slice(0, 300)}`);
      }
      if (!spec.errorNames.test(msg)) throw fail(`the error does not name the reader or file (expected ${spec.errorNames}): ${msg.slice(0, 300)}`);
      if (spec.errorMust && !spec.errorMust.test(msg)) throw fail(`the error does not say what it must (${spec.errorMust}): ${msg.slice(0, 300)}`);
      outcome = `rejected: ${msg.slice(0, 100)}`;
    } else {
      const bad = await spec.check(result as T, spec.bytes);
      if (bad !== null) throw fail(`the reader returned a result inconsistent with the bytes: ${bad}`);
      if (spec.errorMust) throw fail(`the reader accepted a file it must refuse (expected an error matching ${spec.errorMust})`);
      outcome = 'read';
    }
  } finally {
    if (!threw) spec.dispose?.(result as T);
  }
  const leaked = memory().numTensors - tensorsBefore;
  if (leaked !== 0) throw fail(`${leaked} tensor(s) stayed alive after the ${threw ? 'failed read' : 'result was disposed'} (a leak)`);
  return `${spec.what} → ${outcome}`;
}

/**
 * Applies 1–3 mutations to `file`, each chosen by `c` among `mutators` (each a function of the
 * chooser and the bytes), and joins their descriptions.
 *
 * @example
 * ```ts
 * import { chooser, mutateBytes, mutateSome } from '@tensorgrad/fuzz';
 * const m = mutateSome(chooser('demo/some', 3), new Uint8Array(16), [mutateBytes]);
 * m.what.length > 0; // true
 * ```
 */
export function mutateSome(c: Chooser, file: Uint8Array, mutators: ReadonlyArray<(c: Chooser, b: Uint8Array) => Mutated>): Mutated {
  const count = c.chance(0.6) ? 1 : 2 + c.int(2);
  let bytes = file;
  const what: string[] = [];
  for (let i = 0; i < count; i++) {
    const m = c.pick(mutators)(c, bytes);
    bytes = m.bytes;
    what.push(m.what);
  }
  return { bytes, what: what.join('; ') };
}
