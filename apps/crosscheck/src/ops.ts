import { callGoldenOp, loadGolden, REDUCTION_OPS, type GoldenCase, type HostTensor, type Tolerance, type ToleranceKind } from '@tensorgrad/conformance';
import * as tg from 'tensorgrad';
import { allocArray, findBackend, isFloating, NotSupportedError, setBackend, tidy, type Backend, type DType, type Tensor } from 'tensorgrad';
import { fromArray } from '@tensorgrad/tensor/backend';
import { crossTolerance, discrepancy, fmt } from './compare.js';
import { goldenToHost, perturb, randomGradient, variantRng } from './perturb.js';

/** One variant of one golden case: the sample inputs (`variant` 0) or random inputs of the same shapes. */
export interface CaseInputs {
  /** The golden case. */
  case: GoldenCase;
  /** 0: the case's own inputs; 1…K: random variants. */
  variant: number;
  /** The positional inputs (`null` = an optional input not passed). */
  inputs: (HostTensor | null)[];
  /** The upstream gradient of the primary output, when the case is differentiated. */
  gradOutput: HostTensor | null;
}

/**
 * What one backend computed for one {@link CaseInputs}: named host tensors, or the error it threw
 * and whether that error says the backend cannot do it (see {@link isUnsupported}).
 */
export type CaseOutcome = { ok: true; tensors: Map<string, HostTensor> } | { ok: false; error: string; unsupported: boolean };

/** One compared tensor that went beyond its tolerance. */
export interface Disagreement {
  op: string;
  caseId: string;
  variant: number;
  /** Which tensor: `output`, `values`, `indices`, `grad of input 1`, `input 1 after the op`. */
  what: string;
  /** What differs (the first bad element, both values and the bound). */
  message: string;
  /** The inputs: shape, dtype and first values of each. */
  inputs: string[];
}

/** One row of the ops table. */
export interface OpRow {
  op: string;
  /** Golden cases run. */
  cases: number;
  /** Case variants run (cases × (1 + random)). */
  runs: number;
  /** The largest absolute difference over every compared float element. */
  maxAbs: number;
  /** The largest relative difference (elements with |a| > atol). */
  maxRel: number;
  /** The largest error over its tolerance (≤ 1 passes). */
  worstRatio: number;
  /** The case and variant of `worstRatio` (`conv2d/stride2/float32#r1`; `#s` = the sample inputs). */
  worstCase: string;
  /** Compared tensors beyond tolerance. */
  failures: number;
}

/** A case (or op) that was not compared, with the reason. */
export interface Skip {
  op: string;
  caseId: string;
  reason: string;
}

/** What {@link crossCheckOps} returns. */
export interface OpsReport {
  a: string;
  b: string;
  /** The dtypes compared (those both backends support). */
  dtypes: DType[];
  rows: OpRow[];
  skipped: Skip[];
  disagreements: Disagreement[];
  /** Whether every compared tensor is within tolerance. */
  ok: boolean;
}

/** Options of {@link crossCheckOps}. */
export interface CrossCheckOpsOptions {
  /** Golden cases per op (the first ones in file order); `null` or absent = all. */
  sample?: number | null;
  /** Random variants per case (default 2). */
  random?: number;
  /** Seed of the random variants and upstream gradients (default 0). */
  seed?: number;
  /** Only these ops (default all of ops.json). */
  ops?: readonly string[];
  /** Called after each op with its row. */
  onOp?: (row: OpRow) => void;
}

const BROADCAST_GRAD_OPS = new Set(['add', 'sub', 'mul', 'div', 'pow', 'where', 'maskedFill']);

/**
 * The kind of tolerance of one compared tensor: the op's (reduction for REDUCTION_OPS), and the
 * reduction tolerance for the gradient of a broadcast input of an element-wise op (a sum over the
 * broadcast dims), as the conformance suite judges the golden cases.
 *
 * @example
 * ```ts
 * import { toleranceKind } from '@tensorgrad/crosscheck';
 * toleranceKind('exp', 'output', true); // 'elementwise'
 * toleranceKind('add', 'grad of input 1', false); // 'reduction'
 * toleranceKind('conv2d', 'output', true); // 'reduction'
 * ```
 */
export function toleranceKind(op: string, what: string, sameShapeAsOutput: boolean): ToleranceKind {
  if (REDUCTION_OPS.has(op)) return 'reduction';
  if (what.startsWith('grad') && !sameShapeAsOutput && BROADCAST_GRAD_OPS.has(op)) return 'reduction';
  return 'elementwise';
}

function caseVariants(c: GoldenCase, random: number, seed: number): CaseInputs[] {
  const sample = c.inputs.map((g) => (g ? goldenToHost(g) : null));
  const differentiate = c.grads !== undefined && c.gradOutput !== undefined;
  const out: CaseInputs[] = [];
  for (let v = 0; v <= random; v++) {
    const rng = variantRng(seed, c.id, v);
    const inputs = v === 0 ? sample : sample.map((t) => (t ? perturb(t, rng) : null));
    let gradOutput: HostTensor | null = null;
    if (differentiate) {
      const g = c.gradOutput!;
      gradOutput = randomGradient(g.shape, g.dtype === 'float64' ? 'float64' : 'float32', rng);
    }
    out.push({ case: c, variant: v, inputs, gradOutput });
  }
  return out;
}

function typedCopy(h: HostTensor): tg.TypedArray {
  const out = allocArray(h.dtype, h.data.length);
  for (let i = 0; i < h.data.length; i++) out[i] = Number(h.data[i]);
  return out;
}

function primaryOf(out: unknown): Tensor {
  const vi = out as { values?: Tensor };
  return (vi.values ?? out) as Tensor;
}

/**
 * Runs one case variant on `backend`: the op forward, then (for a differentiated case) `backward`
 * with the upstream gradient; reads every output, every input gradient and every input the op
 * updates in place (batchNorm's running statistics), and frees everything. Scalar operands are
 * created on the current backend, so it makes `backend` current first.
 *
 * @example
 * ```ts
 * import { loadGolden } from '@tensorgrad/conformance';
 * import { findBackend } from 'tensorgrad';
 * import { goldenToHost, runCaseOn } from '@tensorgrad/crosscheck';
 * const c = loadGolden('ops.json').cases.find((k) => k.id === 'exp/basic/float32')!;
 * const r = await runCaseOn(await findBackend('cpu'), { case: c, variant: 0, inputs: c.inputs.map((g) => g && goldenToHost(g)), gradOutput: goldenToHost(c.gradOutput!) });
 * r.ok ? [...r.tensors.keys()] : r.error; // ['output', 'grad of input 0']
 * ```
 */
export async function runCaseOn(backend: Backend, v: CaseInputs): Promise<CaseOutcome> {
  await setBackend(backend.name);
  const c = v.case;
  const owned: Tensor[] = [];
  try {
    const inputs = v.inputs.map((h, i) => {
      if (!h) return null;
      const t = fromArray(backend, typedCopy(h), [...h.shape], h.dtype);
      owned.push(t);
      if (v.gradOutput && c.grads?.[i] != null && isFloating(t.dtype)) t.requiresGrad_();
      return t;
    });
    const gradOutput = v.gradOutput ? fromArray(backend, typedCopy(v.gradOutput), [...v.gradOutput.shape], v.gradOutput.dtype) : null;
    if (gradOutput) owned.push(gradOutput);
    const named: [string, Tensor][] = tidy(() => {
      const out = callGoldenOp(tg as unknown as Record<string, unknown>, c.op, inputs, c.attrs ?? {});
      if (gradOutput) primaryOf(out).backward(gradOutput);
      const vi = out as { values?: Tensor; indices?: Tensor };
      return vi.values && vi.indices ? [['values', vi.values] as [string, Tensor], ['indices', vi.indices] as [string, Tensor]] : [['output', out as Tensor] as [string, Tensor]];
    });
    for (const [, t] of named) owned.push(t);
    const tensors = new Map<string, HostTensor>();
    for (const [name, t] of named) tensors.set(name, { shape: t.shape, dtype: t.dtype, data: await t.data() });
    if (gradOutput) {
      for (const [i, t] of inputs.entries()) {
        if (!t || c.grads?.[i] == null) continue;
        const g = t.grad;
        if (!g) throw new Error(`backward() left the gradient of input ${i} null`);
        tensors.set(`grad of input ${i}`, { shape: g.shape, dtype: g.dtype, data: await g.data() });
      }
    }
    for (const [i, after] of (c.inputsAfter ?? []).entries()) {
      const t = inputs[i];
      if (after && t) tensors.set(`input ${i} after the op`, { shape: t.shape, dtype: t.dtype, data: await t.data() });
    }
    return { ok: true, tensors };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), unsupported: isUnsupported(e) };
  } finally {
    for (const t of owned) t.dispose();
  }
}

/**
 * Whether an error says that a backend cannot do something — tensorgrad's `NotSupportedError`: a
 * missing kernel, dtype or synchronous read — so that the case is skipped and listed, rather than
 * that it computed something wrong or rejected valid input.
 *
 * @example
 * ```ts
 * import { NotSupportedError } from 'tensorgrad';
 * import { isUnsupported } from '@tensorgrad/crosscheck';
 * isUnsupported(new NotSupportedError('conv2d', 'x', 'kernel', "conv2d: not supported yet on backend 'x'")); // true
 * isUnsupported(new RangeError('add: shapes [2] and [3] do not broadcast')); // false
 * ```
 */
export function isUnsupported(e: unknown): boolean {
  return e instanceof NotSupportedError;
}

/**
 * Describes a host tensor for a failure message: dtype, shape and its first values.
 *
 * @example
 * ```ts
 * import { describeHost } from '@tensorgrad/crosscheck';
 * describeHost({ shape: [2, 3], dtype: 'float32', data: [1, 2, 3, 4, 5, 6] }, 4); // 'float32 [2, 3] = [1, 2, 3, 4, …]'
 * ```
 */
export function describeHost(t: HostTensor | null, first = 6): string {
  if (!t) return 'null';
  const vals = Array.from({ length: Math.min(first, t.data.length) }, (_, i) => {
    const v = Number(t.data[i]);
    return Number.isInteger(v) ? String(v) : v.toPrecision(6);
  });
  return `${t.dtype} [${t.shape.join(', ')}] = [${vals.join(', ')}${t.data.length > first ? ', …' : ''}]`;
}

function variantTag(id: string, v: number): string {
  return `${id}#${v === 0 ? 's' : `r${v}`}`;
}

/**
 * Runs every op of the conformance suite — each case of `ops.json` with its own inputs and
 * `random` random variants of them — forward and backward on backends `a` and `b`, and compares
 * every output and input gradient of `b` with `a`'s at ARCHITECTURE.md's (Numerics) tolerances
 * ({@link crossTolerance}). Cases of a dtype either backend lacks are skipped (float32, int32 and
 * bool only when one lacks float64), and so are ops a backend lacks (it throws "not supported");
 * both are listed with the reason.
 *
 * @example
 * ```ts
 * import { registerBackend, CpuBackend } from 'tensorgrad';
 * import { crossCheckOps } from '@tensorgrad/crosscheck';
 * registerBackend('cpu-doc', () => new CpuBackend('cpu-doc'));
 * const r = await crossCheckOps('cpu', 'cpu-doc', { ops: ['exp', 'matmul'], sample: 1, random: 1 });
 * [r.ok, r.rows.map((row) => `${row.op}: ${row.runs}`)]; // [true, ['exp: 2', 'matmul: 2']]
 * ```
 */
export async function crossCheckOps(a: string, b: string, options: CrossCheckOpsOptions = {}): Promise<OpsReport> {
  const random = options.random ?? 2;
  const seed = options.seed ?? 0;
  const ba = await findBackend(a);
  const bb = await findBackend(b);
  const dtypes = ba.dtypes.filter((d) => bb.dtypes.includes(d));
  const skipped: Skip[] = [];
  const disagreements: Disagreement[] = [];
  const rows: OpRow[] = [];
  const only = options.ops ? new Set(options.ops) : null;
  const byOp = new Map<string, GoldenCase[]>();
  for (const c of loadGolden('ops.json').cases) {
    if (only && !only.has(c.op)) continue;
    if (!dtypes.includes(c.dtype)) {
      const lacking = [ba, bb].filter((x) => !x.dtypes.includes(c.dtype)).map((x) => `'${x.name}'`);
      skipped.push({ op: c.op, caseId: c.id, reason: `dtype ${c.dtype}: backend ${lacking.join(' and ')} does not support it` });
      continue;
    }
    const list = byOp.get(c.op) ?? [];
    byOp.set(c.op, list);
    if (options.sample == null || list.length < options.sample) list.push(c);
  }
  let previous: string | null = null;
  try {
    previous = tg.getBackend().name;
  } catch {
    previous = null;
  }
  try {
    for (const [op, cases] of byOp) {
      const row: OpRow = { op, cases: 0, runs: 0, maxAbs: 0, maxRel: 0, worstRatio: 0, worstCase: '', failures: 0 };
      for (const c of cases) {
        let ran = false;
        for (const v of caseVariants(c, random, seed)) {
          const tag = variantTag(c.id, v.variant);
          const ra = await runCaseOn(ba, v);
          const rb = await runCaseOn(bb, v);
          if (!ra.ok || !rb.ok) {
            const failed = !ra.ok ? { name: a, ...ra } : { name: b, ...(rb as Extract<CaseOutcome, { ok: false }>) };
            if (failed.unsupported) {
              skipped.push({ op, caseId: tag, reason: `backend '${failed.name}': ${failed.error}` });
              continue;
            }
            row.runs++;
            ran = true;
            row.failures++;
            row.worstRatio = Infinity;
            row.worstCase = tag;
            disagreements.push({
              op,
              caseId: c.id,
              variant: v.variant,
              what: 'the op',
              message: `backend '${failed.name}' threw: ${failed.error}`,
              inputs: v.inputs.map((t) => describeHost(t)),
            });
            continue;
          }
          row.runs++;
          ran = true;
          const primary = ra.tensors.get('values') ?? ra.tensors.get('output');
          for (const [what, ta] of ra.tensors) {
            const tb = rb.tensors.get(what);
            const sameShape = primary !== undefined && ta.shape.join(',') === primary.shape.join(',');
            const tol: Tolerance = crossTolerance(ta.dtype, toleranceKind(op, what, sameShape));
            const d = tb ? discrepancy(ta, tb, tol) : { maxAbs: Infinity, maxRel: Infinity, ratio: Infinity, bad: 1, message: `backend '${b}' did not produce it` };
            if (Number.isFinite(d.maxAbs)) row.maxAbs = Math.max(row.maxAbs, d.maxAbs);
            if (Number.isFinite(d.maxRel)) row.maxRel = Math.max(row.maxRel, d.maxRel);
            if (d.ratio > row.worstRatio || row.worstCase === '') {
              row.worstRatio = Math.max(row.worstRatio, d.ratio);
              row.worstCase = tag;
            }
            if (d.message !== null) {
              row.failures++;
              disagreements.push({ op, caseId: c.id, variant: v.variant, what, message: d.message, inputs: v.inputs.map((t) => describeHost(t)) });
            }
          }
        }
        if (ran) row.cases++;
      }
      if (row.runs > 0) {
        rows.push(row);
        options.onOp?.(row);
      }
    }
  } finally {
    if (previous !== null) await setBackend(previous);
  }
  return { a, b, dtypes, rows, skipped, disagreements, ok: disagreements.length === 0 };
}

/**
 * The ops table: op, cases, runs, the largest absolute and relative differences, the worst
 * error over its tolerance and the case it came from; then the tolerances, the skipped cases
 * grouped by reason, and every disagreement with its inputs.
 *
 * @example
 * ```ts
 * import { formatOpsReport } from '@tensorgrad/crosscheck';
 * const text = formatOpsReport({ a: 'cpu', b: 'x', dtypes: ['float32'], ok: true, skipped: [], disagreements: [],
 *   rows: [{ op: 'exp', cases: 1, runs: 3, maxAbs: 1e-7, maxRel: 2e-8, worstRatio: 0.01, worstCase: 'exp/basic/float32#r1', failures: 0 }] });
 * text.split('\n')[2].trim().startsWith('exp'); // true
 * ```
 */
export function formatOpsReport(r: OpsReport): string {
  const header = ['op', 'cases', 'runs', 'max abs err', 'max rel err', 'err/tol', 'worst case', 'result'];
  const body = r.rows.map((x) => [x.op, String(x.cases), String(x.runs), fmt(x.maxAbs), fmt(x.maxRel), fmt(x.worstRatio), x.worstCase, x.failures ? `FAIL (${x.failures})` : 'ok']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 1 || i === 2 || (i >= 3 && i <= 5) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  const runs = r.rows.reduce((n, x) => n + x.runs, 0);
  const tensorsBad = r.disagreements.length;
  out.push(
    '',
    `backend '${r.b}' against '${r.a}' (the reference): ${r.rows.length} ops, ${runs} runs (forward and backward), dtypes ${r.dtypes.join(', ')}; ` +
      `${tensorsBad === 0 ? 'every output and gradient within tolerance' : `${tensorsBad} tensor(s) beyond tolerance`}.`,
    'tolerances (ARCHITECTURE.md, Numerics), |b - a| <= atol + rtol*|a|: float32 element-wise rtol 1e-5 atol 1e-6; float32 reductions, matmul, convolutions, softmax,',
    '  normalisation, average pooling, interpolation and broadcast-input gradients rtol 1e-4 atol 1e-5; float64 1e-10; int32/bool exact; NaN = NaN.',
    'max rel err counts elements with |a| > atol; err/tol is the largest |b - a| / (atol + rtol*|a|) (<= 1 passes); #s = the sample inputs, #rK = random variant K.',
  );
  if (r.skipped.length) {
    const groups = new Map<string, Skip[]>();
    for (const s of r.skipped) {
      const key = s.reason.startsWith('dtype ') ? s.reason : `${s.op}: ${s.reason}`;
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    out.push('', `skipped: ${r.skipped.length} case run(s)`);
    for (const [reason, list] of groups) {
      const ops = [...new Set(list.map((s) => s.op))];
      out.push(reason.startsWith('dtype ') ? `  ${list.length} × ${reason} (ops: ${ops.length > 8 ? `${ops.slice(0, 8).join(', ')}, … ${ops.length} in all` : ops.join(', ')})` : `  ${list.length} × ${reason}`);
    }
  }
  if (r.disagreements.length) {
    out.push('', 'DISAGREEMENTS:');
    for (const d of r.disagreements) {
      out.push(`  ${d.op} ${variantTag(d.caseId, d.variant)} ${d.what}: ${d.message}`);
      for (const [i, s] of d.inputs.entries()) out.push(`      input ${i}: ${s}`);
    }
  }
  return out.join('\n');
}
