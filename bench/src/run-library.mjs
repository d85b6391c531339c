// Runs the cases of one library, one after another, reporting each result through `emit`.
// suite.mjs calls this in a child process per library (src/child.mjs); the test calls it in-process.
import { measure, MODES } from './measure.mjs';
import { libraryById } from './libs/index.mjs';

/**
 * In --quick mode, a library whose conv2d forward (the CNN's second layer) takes longer than this
 * skips the cases that need conv2d backward: with plain-loop kernels (tfjs-cpu, jax-js) they take
 * tens of seconds per run, longer than the whole quick run.
 */
export const QUICK_SLOW_CONV_MS = 500;
const NEEDS_CONV_BACKWARD = new Set(['conv2d-fwdbwd', 'cnn-step']);

const TRAINING = new Set(['mlp-step', 'cnn-step', 'mlp-epoch', 'cnn-epoch']);

function failure(kase, err) {
  const message = String(err?.message ?? err).split('\n')[0];
  return { ok: false, status: 'error', message: TRAINING.has(kase.kind) ? `cannot train: ${message}` : message };
}

/**
 * `options`: { mode: 'full' | 'quick' | 'tiny', epochMaxSeconds } — an epoch runs for real only in
 * the full (and tiny) mode and only when its step time × steps is at most epochMaxSeconds;
 * otherwise it is extrapolated from the step's median and marked `estimated`.
 */
export async function runLibrary(libraryId, cases, options, emit) {
  const mode = MODES[options.mode];
  if (!mode) throw new Error(`bench: unknown mode '${options.mode}': expected full, quick or tiny`);
  const entry = libraryById(libraryId);
  let lib;
  try {
    lib = await entry.load();
  } catch (err) {
    const missing = err?.code === 'ERR_MODULE_NOT_FOUND';
    const message = missing && entry.optional ? `not installed (${String(err.message).split('\n')[0]})` : String(err?.stack ?? err);
    emit({ type: 'unavailable', library: libraryId, message });
    return;
  }
  emit({ type: 'info', library: libraryId, info: lib.info });
  const results = {};
  for (const kase of cases) {
    let result;
    const conv = results['conv2d-fwd'];
    if (options.mode === 'quick' && NEEDS_CONV_BACKWARD.has(kase.id) && conv?.ok && conv.medianMs > QUICK_SLOW_CONV_MS) {
      result = { ok: false, status: 'skipped', message: `skipped in --quick (conv2d forward alone takes ${Math.round(conv.medianMs)} ms)` };
    } else if (kase.group === 'epoch') {
      result = await runEpoch(lib, kase, results[kase.step], options);
    } else {
      result = await runCase(lib, kase, mode);
    }
    results[kase.id] = result;
    emit({ type: 'result', library: libraryId, id: kase.id, result });
  }
  emit({ type: 'done', library: libraryId });
}

// Builds a case, runs `body` on it and disposes it; a failure anywhere becomes a failed result.
async function withCase(lib, kase, body) {
  let c;
  try {
    c = lib.make(kase);
  } catch (err) {
    return failure(kase, err);
  }
  try {
    return await body(c);
  } catch (err) {
    return failure(kase, err);
  } finally {
    try {
      c.dispose();
    } catch {
      // a case that failed half-way may hold tensors that are gone already
    }
  }
}

function runCase(lib, kase, mode) {
  return withCase(lib, kase, async (c) => ({ ok: true, ...(await measure(c.run, mode, lib.liveTensors)) }));
}

async function runEpoch(lib, kase, stepResult, options) {
  const estimate = (why) => {
    if (!stepResult) return { ok: false, status: 'skipped', message: `${why}; no step time to extrapolate from (run the ${kase.step} case too)` };
    if (!stepResult.ok) return { ...stepResult };
    const f = kase.steps;
    return {
      ok: true,
      estimated: true,
      note: `${why}: ${f} × the step's time`,
      medianMs: stepResult.medianMs * f,
      minMs: stepResult.minMs * f,
      maxMs: stepResult.maxMs * f,
      runs: 0,
    };
  };
  if (options.mode === 'quick') return estimate('extrapolated in --quick');
  if (stepResult && !stepResult.ok) return { ...stepResult };
  if (stepResult && (stepResult.medianMs * kase.steps) / 1000 > options.epochMaxSeconds) {
    return estimate(`extrapolated (a real epoch would take over ${options.epochMaxSeconds} s)`);
  }
  return withCase(lib, kase, async (c) => {
    const t0 = performance.now();
    await c.run();
    const ms = performance.now() - t0;
    return { ok: true, medianMs: ms, minMs: ms, maxMs: ms, runs: 1, single: true };
  });
}
