// tensorgrad's `cpu` backend against TF.js (`cpu` and `wasm` backends) and jax-js (`wasm`, when
// installed) on the cases of issue #6: matmul (A·B, Aᵀ·B, A·Bᵀ at n = 128 … 1024), relu(x·a+b) on
// 1e6 and 1e7 floats, the chapter 4 CNN's second conv2d forward and backward, the chapter 3 MLP
// and chapter 4 CNN train steps, and a Fashion-MNIST epoch of each model.
//
// Each library runs in its own child process (src/child.mjs), one after another, never two at once;
// each case gets warm-up runs, then timed runs: median and min–max. Prints one table per case group
// with peer/tensorgrad ratios (> 1: tensorgrad is faster) and writes results/suite.{md,json}
// (results/suite-quick.* with --quick). Timings are never asserted anywhere.
//
//   pnpm bench                      (builds the packages first; about 20–30 minutes)
//   pnpm bench -- --quick           (about a minute or two: fewer runs, epochs extrapolated)
//   node bench/suite.mjs --only=matmul,conv2d-fwd --libs=tensorgrad,tfjs-wasm
//   node bench/suite.mjs --epoch-max-s=120   (epochs longer than this are extrapolated)
import { fork, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { caseList, GROUPS } from './src/cases.mjs';
import { LIBRARIES } from './src/libs/index.mjs';
import { MODES } from './src/measure.mjs';
import { QUICK_SLOW_CONV_MS } from './src/run-library.mjs';
import { groupTables, markdownTable, textTable } from './src/report.mjs';

const USAGE = `usage: node suite.mjs [--quick] [--only=IDS] [--libs=IDS] [--epoch-max-s=N] [--out=NAME]
  --quick          a short run: fewer timed runs, epochs extrapolated from the step time, and
                   conv2d backward and the CNN step skipped for a library whose conv2d forward
                   alone takes over ${QUICK_SLOW_CONV_MS} ms (tfjs-cpu, jax-js: tens of seconds per run)
  --only=IDS       comma-separated case groups (${GROUPS.map((g) => g.id).join(', ')}) or case ids / id prefixes
  --libs=IDS       comma-separated libraries (${LIBRARIES.map((l) => l.id).join(', ')})
  --epoch-max-s=N  run an epoch for real only when step time × 1875 is at most N seconds (default 600)
  --out=NAME       write results/NAME.{md,json} (default suite, suite-quick, or *-partial with --only/--libs)`;

function parseArgs(argv) {
  const opts = { quick: false, only: null, libs: null, epochMaxSeconds: 600, out: null };
  for (const arg of argv) {
    if (arg === '--') continue;
    const [key, value] = arg.split('=', 2);
    if (key === '--quick') opts.quick = true;
    else if (key === '--only' && value) opts.only = value.split(',').filter(Boolean);
    else if (key === '--libs' && value) opts.libs = value.split(',').filter(Boolean);
    else if (key === '--epoch-max-s' && Number(value) >= 0) opts.epochMaxSeconds = Number(value);
    else if (key === '--out' && /^[\w.-]+$/.test(value ?? '')) opts.out = value;
    else if (key === '--help' || key === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`suite.mjs: unknown or malformed argument '${arg}'\n${USAGE}`);
      process.exit(2);
    }
  }
  return opts;
}

function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function gitState() {
  try {
    const cwd = fileURLToPath(new URL('.', import.meta.url));
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

/** Runs one library's child process; resolves with its info and results, whatever happens to it. */
function runChild(lib, caseIds, options, onResult) {
  return new Promise((resolve) => {
    const out = { info: null, results: {}, unavailable: null, failure: null };
    const child = fork(fileURLToPath(new URL('./src/child.mjs', import.meta.url)), [lib.id, JSON.stringify({ ...options, caseIds })], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // the libraries' own console output (TF.js's Node banner, warnings): kept for a crash report
    let log = '';
    const keep = (chunk) => {
      log = (log + chunk).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('message', (msg) => {
      if (msg.type === 'info') out.info = msg.info;
      else if (msg.type === 'unavailable') out.unavailable = msg.message;
      else if (msg.type === 'fatal') out.failure = msg.message;
      else if (msg.type === 'result') {
        out.results[msg.id] = msg.result;
        onResult(msg.id, msg.result);
      }
    });
    child.on('exit', (code, signal) => {
      if (code !== 0 && !out.failure) out.failure = `child process exited with ${signal ?? `code ${code}`}: ${log.trim().split('\n').slice(-5).join(' / ')}`;
      resolve(out);
    });
  });
}

const opts = parseArgs(process.argv.slice(2));
const modeName = opts.quick ? 'quick' : 'full';
const allCases = caseList('full');
const matched = opts.only
  ? allCases.filter((k) =>
      // an exact case id selects only that case (elementwise-1000000 is a prefix of elementwise-10000000)
      opts.only.some((sel) => (allCases.some((c) => c.id === sel) ? k.id === sel : k.group === sel || k.id.startsWith(sel))),
    )
  : allCases;
if (!matched.length) {
  console.error(`suite.mjs: --only=${opts.only.join(',')} matches no case; case ids: ${allCases.map((k) => k.id).join(', ')}`);
  process.exit(2);
}
// the cases others depend on: an epoch is extrapolated from its step's time, and --quick decides
// from the conv2d forward's time whether conv2d backward is too slow to run
const wanted = new Set(matched.map((k) => k.id));
for (const k of matched) {
  if (k.step) wanted.add(k.step);
}
if (opts.quick && ['conv2d-fwdbwd', 'cnn-step'].some((id) => wanted.has(id))) wanted.add('conv2d-fwd');
const selected = allCases.filter((k) => wanted.has(k.id));
const unknownLibs = (opts.libs ?? []).filter((id) => !LIBRARIES.some((l) => l.id === id));
if (unknownLibs.length) {
  console.error(`suite.mjs: unknown libraries ${unknownLibs.join(', ')}; expected some of ${LIBRARIES.map((l) => l.id).join(', ')}`);
  process.exit(2);
}
const libraries = opts.libs ? LIBRARIES.filter((l) => opts.libs.includes(l.id)) : LIBRARIES;

const machine = {
  cpu: cpuModel(),
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  node: process.version,
  loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
};
const date = new Date().toISOString();
console.log(`tensorgrad bench suite (${modeName}) · ${date} · ${machine.cpu}, ${machine.cores} cores · Node ${machine.node}`);
console.log(`load average ${machine.loadAverageAtStart.join(' ')}; libraries run one after another, each in its own process\n`);

const childOptions = { mode: modeName, epochMaxSeconds: opts.epochMaxSeconds };
const runs = {};
const started = performance.now();
for (const lib of libraries) {
  console.log(`${lib.title}:`);
  runs[lib.id] = await runChild(lib, selected.map((k) => k.id), childOptions, (id, r) => {
    const k = selected.find((c) => c.id === id);
    const text = r.ok
      ? `${r.estimated ? '≈' : ''}${r.medianMs.toFixed(2)} ms${r.estimated ? ` (${r.note})` : ` (${r.minMs.toFixed(2)}–${r.maxMs.toFixed(2)}, ${r.runs} run${r.runs === 1 ? '' : 's'})`}${r.leakPerRun ? `, leaks ${r.leakPerRun} tensors/run` : ''}`
      : `${r.status}: ${r.message}`;
    console.log(`  ${k.group.padEnd(11)} ${k.label.padEnd(42)} ${text}`);
  });
  const run = runs[lib.id];
  if (run.unavailable) console.log(`  not measured: ${run.unavailable}`);
  if (run.failure) console.log(`  FAILED: ${run.failure}`);
}
machine.loadAverageAtEnd = os.loadavg().map((x) => Number(x.toFixed(2)));
const seconds = (performance.now() - started) / 1000;

const measured = libraries.filter((l) => !runs[l.id].unavailable);
const cases = selected.map((k) => ({
  ...k,
  results: Object.fromEntries(
    measured.map((l) => [l.id, runs[l.id].results[k.id] ?? { ok: false, status: 'error', message: runs[l.id].failure ? 'not run: the process failed' : 'not run' }]),
  ),
}));
const tables = groupTables(cases, measured);

const notes = [
  `Mode: ${modeName} (${JSON.stringify(MODES[modeName])}): warm-up runs, then timed runs filling the budget; median and (min–max) in ms. ` +
    'A first run slower than singleRunMs is the only run, marked "(1 run)". Ratios are peer median / tensorgrad median: above 1 means tensorgrad is faster.',
  `Machine load average ${machine.loadAverageAtStart.join(' ')} at the start and ${machine.loadAverageAtEnd.join(' ')} at the end (${machine.cores} cores): ` +
    'other work on the machine slows every library, unevenly.',
  'tensorgrad: the built `tensorgrad` umbrella package, `cpu` backend, WebAssembly SIMD kernels on, one thread (the "2 threads" column: `setCpuThreads(2)`, products with m·n·k ≥ 2²¹ split over 2 threads; its last column is its speed-up over one thread); NCHW; transposed matmul operands are `transpose(0, 1)` views; ' +
    'conv2d backward = `grad()` of conv2d with an upstream gradient (input, weight and bias gradients); train steps = `Sequential` of the layers, `crossEntropy`, `backward()`, `SGD`/`Adam`, inside `tidy`, loss read with `itemSync()`.',
  'TF.js 4.22: NHWC; `tf.matMul(a, b, transposeA, transposeB)`; fused ops as tf.layers uses them (`tf.fused.conv2d` with bias, `tf.fused.matMul` with bias and relu); ' +
    'conv2d backward = `tf.grads` with an upstream gradient; train steps = `optimizer.minimize` of `tf.losses.softmaxCrossEntropy` (Adam epsilon 1e-8 as in PyTorch), loss read with `dataSync()`. ' +
    '`@tensorflow/tfjs` is imported because it registers the gradients (tfjs-core alone has none in Node). The wasm backend runs single-threaded with SIMD in Node.',
  "Epochs: 1875 steps of batch 32 gathered (`indexSelect` / `tf.gather` / `slice`) in a shuffled order from 60,000 random images of Fashion-MNIST's shape and random labels. " +
    (modeName === 'quick'
      ? `In --quick every epoch is extrapolated from the step time (≈, est.), and a library whose conv2d forward takes over ${QUICK_SLOW_CONV_MS} ms skips conv2d backward and the CNN step.`
      : `An epoch runs once for real unless step time × 1875 exceeds ${opts.epochMaxSeconds} s, in which case it is extrapolated (≈, est.).`),
];
notes.push(
  'For scale, issue #6 quotes reference medians on this machine kind (not measured in this run): PyTorch 1 thread matmul 1024 270 GFLOP/s, TF.js wasm 47, TF.js cpu 1.07; ' +
    'MLP step batch 32 SGD torch 0.78 ms, tfjs-wasm 19.2 ms, tfjs-cpu 97.7 ms; CNN step batch 32 Adam torch 24.6 ms, tfjs-cpu 33.5 s (forward 548 ms), tfjs-wasm forward alone 18.9 ms; ' +
    'conv2d forward N=32 64→128 12×12 k3 torch 225 GFLOP/s, tfjs-wasm 49.',
);
const jax = LIBRARIES.find((l) => l.id === 'jax-wasm');
if (libraries.includes(jax)) {
  notes.push(
    runs['jax-wasm'].unavailable
      ? `jax-js was not measured: ${runs['jax-wasm'].unavailable}`
      : 'jax-js (`@jax-js/jax`, an optional peer): the `wasm` device (its `cpu` device is a reference interpreter, seconds per matmul, not measured); NCHW; ' +
          'matmul, element-wise and conv2d run eagerly and are awaited with `blockUntilReady`; conv2d backward = `vjp`; train steps are `jit`-compiled around `valueAndGrad` ' +
          '(as in jax-js\'s MNIST demo) with SGD and Adam written out (@jax-js/optax is not on npm); jax-js reports no live-array count, so it has no leak check.',
  );
}
const problems = [];
for (const l of measured) {
  if (runs[l.id].failure) problems.push(`${l.title}: ${runs[l.id].failure}`);
  for (const k of cases) {
    const r = k.results[l.id];
    if (r.ok && r.leakPerRun) problems.push(`${l.title}, ${k.label}: ${r.leakPerRun} live tensors more per run (a leak)`);
  }
}
notes.push(...problems.map((p) => `Problem: ${p}`));
// the errors of cases that could not run, once per library and message
for (const l of measured) {
  const byMessage = new Map();
  for (const k of cases) {
    const r = k.results[l.id];
    if (!r.ok && r.status === 'error' && !r.message.startsWith('not run')) byMessage.set(r.message, [...(byMessage.get(r.message) ?? []), k.id]);
  }
  for (const [message, ids] of byMessage) notes.push(`${l.title} failed on ${ids.join(', ')}: ${message}`);
}

const versions = Object.fromEntries(measured.map((l) => [l.id, runs[l.id].info]));
const title = `# tensorgrad vs TF.js${versions['jax-wasm'] ? ' and jax-js' : ''}: CPU benchmark suite${modeName === 'quick' ? ' (--quick)' : ''}`;
const md = [
  title,
  '',
  `${date} · ${machine.cpu} (${machine.cores} logical cores, ${machine.memoryGiB} GiB) · ${machine.platform} · Node ${machine.node} · ${seconds.toFixed(0)} s`,
  '',
  'Libraries: ' +
    measured
      .map((l) => {
        const i = runs[l.id].info;
        return i ? `${l.title} = ${i.library} ${i.version}${i.core ? ` (tfjs-core ${i.core})` : ''}, settings ${JSON.stringify(i.settings)}` : `${l.title} (failed to start)`;
      })
      .join('; ') +
    '.',
  '',
  ...tables.flatMap((t) => [`## ${t.group.title}`, '', markdownTable(t), '']),
  '## Notes',
  '',
  ...notes.map((n) => (n ? `- ${n}` : '')).filter(Boolean),
  '',
].join('\n');

console.log('');
for (const t of tables) console.log(`${t.group.title}\n${textTable(t)}\n`);
for (const n of notes.filter((x) => x.startsWith('Problem'))) console.log(n);

const outName = opts.out ?? `suite${modeName === 'quick' ? '-quick' : ''}${opts.only || opts.libs ? '-partial' : ''}`;
const outDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}${outName}.md`, md);
const json = { benchmark: 'suite', mode: modeName, date, seconds: Number(seconds.toFixed(1)), machine, git: gitState(), libraries: versions, settings: childOptions, notes, cases };
writeFileSync(`${outDir}${outName}.json`, `${JSON.stringify(json, null, 2)}\n`);
console.log(`wrote bench/results/${outName}.md and .json (${seconds.toFixed(0)} s)`);
