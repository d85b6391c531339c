// Training-step time of chapter 4's Fashion-MNIST CNN (Conv2d(1,64,3)–MaxPool2d(2)–ReLU–
// Conv2d(64,128,3)–MaxPool2d(2)–ReLU–Flatten–Linear(3200,256)–ReLU–Linear(256,10), Adam lr 1e-3)
// on the WebGPU backend next to the CPU backend in the same run, at batch 32 and 256 (or the batch
// sizes given). A step is what the app's training loop does: zeroGrad, forward, cross-entropy,
// backward, Adam step. Inputs are seeded random images and labels (the data does not change the
// work).
//
//   eval "$(bash scripts/ensure-webgpu.sh)" && node bench/webgpu-cnn.mjs       (software driver)
//   node bench/webgpu-cnn.mjs 32 256                                          (on a real GPU)
//
// Needs the packages built (pnpm turbo run build). GPU: after two untimed steps (pipeline
// compilation), `reps` steps are recorded back to back and the time runs until the last step's
// loss is read, so it measures throughput rather than one step's submit-and-wait latency; CPU:
// the median of single steps. Prints a table and writes results/webgpu-cnn.{md,json}. Timings
// are never asserted anywhere.
import {
  Adam, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, crossEntropy, findBackend, fromArray, manualSeed, setBackend, tidy,
} from 'tensorgrad';
import '../packages/backend-webgpu/dist/index.js';
import { describeRun, writeResults } from './webgpu-env.mjs';

const BATCHES = process.argv.slice(2).map(Number).filter((n) => n > 0);
const batches = BATCHES.length ? BATCHES : [32, 256];
const BUDGET_MS = 4000;

function cnn() {
  return new Sequential(
    new Conv2d(1, 64, 3), new MaxPool2d(2), new ReLU(), new Conv2d(64, 128, 3), new MaxPool2d(2), new ReLU(),
    new Flatten(), new Linear(3200, 256), new ReLU(), new Linear(256, 10),
  );
}

function batchData(n) {
  const x = new Float32Array(n * 28 * 28);
  const y = new Int32Array(n);
  let s = 12345;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < x.length; i++) x[i] = (next() >>> 8) / 2 ** 24;
  for (let i = 0; i < n; i++) y[i] = next() % 10;
  return { x, y };
}

/** Milliseconds per training step on `name`. */
async function timeSteps(name, batch) {
  const backend = await setBackend(name);
  manualSeed(0);
  const model = cnn();
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const { x: xs, y: ys } = batchData(batch);
  const x = fromArray(backend, xs, [batch, 1, 28, 28], 'float32');
  const y = fromArray(backend, ys, [batch], 'int32');
  const step = () =>
    tidy(() => {
      opt.zeroGrad();
      const loss = crossEntropy(model.call(x), y);
      loss.backward();
      opt.step();
      return loss.detach();
    });
  const run = async (reps) => {
    const t0 = performance.now();
    let last = null;
    for (let r = 0; r < reps; r++) {
      last?.dispose();
      last = step();
    }
    await last.item();
    last.dispose();
    return (performance.now() - t0) / reps;
  };
  await run(2); // compiles pipelines, fills the buffer pool
  let ms;
  let reps;
  if (name === 'cpu') {
    const times = [];
    const start = performance.now();
    while (times.length < 3 || (performance.now() - start < BUDGET_MS && times.length < 20)) times.push(await run(1));
    times.sort((p, q) => p - q);
    ms = times[times.length >> 1];
    reps = times.length;
  } else {
    const once = await run(1);
    reps = Math.max(2, Math.min(100, Math.round(BUDGET_MS / Math.max(once, 0.01))));
    ms = await run(reps);
  }
  for (const t of [x, y, model, opt]) t.dispose();
  return { ms, reps };
}

const gpu = await findBackend('webgpu');
const run = describeRun(gpu);
const rows = [];
for (const batch of batches) {
  const g = await timeSteps('webgpu', batch);
  const c = await timeSteps('cpu', batch);
  const row = { batch, webgpuMs: g.ms, webgpuReps: g.reps, cpuMs: c.ms, cpuReps: c.reps, webgpuImagesPerS: (batch * 1000) / g.ms, cpuImagesPerS: (batch * 1000) / c.ms };
  rows.push(row);
  console.log(`batch ${batch}: webgpu ${g.ms.toFixed(1)} ms/step (${g.reps} steps), cpu ${c.ms.toFixed(1)} ms/step, webgpu is ${(c.ms / g.ms).toFixed(2)}× the cpu's speed`);
}
const md = [
  '# WebGPU training step: chapter 4 CNN',
  '',
  run.header,
  '',
  "Chapter 4's Fashion-MNIST CNN (896,522 parameters), one training step = zeroGrad, forward, cross-entropy, backward,",
  `Adam step. webgpu: ${gpu.softwareAdapter ? 'a software adapter (the CPU runs the shaders)' : 'a hardware adapter'}; steps recorded back to back, timed until the last loss is read.`,
  'cpu: the CPU backend in the same run (median of single steps).',
  '',
  '| batch | webgpu ms/step | webgpu images/s | cpu ms/step | cpu images/s | webgpu speed / cpu |',
  '|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.batch} | ${r.webgpuMs.toFixed(1)} | ${r.webgpuImagesPerS.toFixed(0)} | ${r.cpuMs.toFixed(1)} | ${r.cpuImagesPerS.toFixed(0)} | ${(r.cpuMs / r.webgpuMs).toFixed(2)}× |`,
  ),
  '',
].join('\n');
const { header: _header, ...meta } = run;
writeResults('webgpu-cnn', md, { ...meta, rows });
console.log(`\n${md}`);
gpu.dispose();
