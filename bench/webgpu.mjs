// Matrix-multiply throughput of the WebGPU backend (the tiled WGSL GEMM) next to the CPU backend in
// the same run: square float32 products, plus Aᵀ·B (a transposed view read in place). On a machine
// without a GPU it runs on whatever Vulkan driver Dawn finds — export the software driver first:
//
//   eval "$(bash scripts/ensure-webgpu.sh)" && node bench/webgpu.mjs            (n = 256, 512)
//   node bench/webgpu.mjs 1024 2048 4096                                         (on a real GPU)
//
// Needs the packages built (pnpm turbo run build). Each GPU timing records `reps` products and
// waits for the last one's data (dispatches are batched, so this measures GPU throughput, not
// submit latency); the first run of each size compiles the pipeline and is not timed. Prints a
// table and writes results/webgpu-matmul.{md,json}. Timings are never asserted anywhere.
import { findBackend, findBackendSync, fromArray, matmul } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
// the bench package does not depend on the WebGPU backend; its built output is imported directly
import '../packages/backend-webgpu/dist/index.js';
import { describeRun, writeResults } from './webgpu-env.mjs';

const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
const sizes = SIZES.length ? SIZES : [256, 512];
const BUDGET_MS = 1500;

function data(n, seed) {
  const arr = new Float32Array(n * n);
  let s = seed;
  for (let i = 0; i < arr.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    arr[i] = (s >>> 8) / 2 ** 24 - 0.5;
  }
  return arr;
}

async function timeGpu(gpu, n, transposed) {
  const a = fromArray(gpu, data(n, 1), [n, n], 'float32');
  const b = fromArray(gpu, data(n, 2), [n, n], 'float32');
  const lhs = transposed ? a.transpose(0, 1) : a;
  const warm = matmul(lhs, b);
  await warm.data(); // compiles the pipeline
  warm.dispose();
  // one timed rep to size the batch
  let t0 = performance.now();
  let c = matmul(lhs, b);
  await c.data();
  c.dispose();
  const once = performance.now() - t0;
  const reps = Math.max(2, Math.min(200, Math.round(BUDGET_MS / Math.max(once, 0.01))));
  t0 = performance.now();
  const outs = [];
  for (let r = 0; r < reps; r++) outs.push(matmul(lhs, b));
  await outs[outs.length - 1].data();
  const ms = (performance.now() - t0) / reps;
  outs.forEach((t) => t.dispose());
  if (lhs !== a) lhs.dispose();
  a.dispose();
  b.dispose();
  return { ms, reps };
}

function timeCpu(n, transposed) {
  const cpu = findBackendSync('cpu');
  const a = fromArray(cpu, data(n, 1), [n, n], 'float32');
  const b = fromArray(cpu, data(n, 2), [n, n], 'float32');
  const lhs = transposed ? a.transpose(0, 1) : a;
  matmul(lhs, b).dispose();
  const times = [];
  const start = performance.now();
  while (times.length < 3 || (performance.now() - start < BUDGET_MS && times.length < 50)) {
    const t0 = performance.now();
    matmul(lhs, b).dispose();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  a.dispose();
  b.dispose();
  return times[times.length >> 1];
}

const gpu = await findBackend('webgpu');
const run = describeRun(gpu);
const rows = [];
for (const n of sizes) {
  for (const transposed of [false, true]) {
    const label = `float32 ${transposed ? 'Aᵀ·B' : 'A·B'} n=${n}`;
    const flop = 2 * n ** 3;
    const g = await timeGpu(gpu, n, transposed);
    const cpuMs = n <= 2048 ? timeCpu(n, transposed) : null;
    const row = {
      case: label,
      webgpuGflops: flop / g.ms / 1e6,
      webgpuMs: g.ms,
      reps: g.reps,
      cpuGflops: cpuMs === null ? null : flop / cpuMs / 1e6,
    };
    rows.push(row);
    console.log(
      `${label}: webgpu ${row.webgpuGflops.toFixed(2)} GFLOP/s (${g.ms.toFixed(2)} ms, ${g.reps} reps)` +
        (row.cpuGflops === null ? '' : `, cpu ${row.cpuGflops.toFixed(2)} GFLOP/s, ratio ${(row.webgpuGflops / row.cpuGflops).toFixed(2)}×`),
    );
  }
}

const md = [
  '# WebGPU matmul throughput',
  '',
  run.header,
  '',
  `The tiled WGSL GEMM of \`@tensorgrad/backend-webgpu\` (64×64 tiles, 4×4 per thread; ${
    gpu.softwareAdapter ? 'software adapter: the direct-load variant' : 'operands staged in workgroup memory'
  }); GFLOP/s = 2n³ / time per`,
  'product, averaged over a batch of products ending in one read-back. `cpu` = the CPU backend in the same',
  'run (median of single products). Aᵀ·B reads a `transpose(0, 1)` view in place.',
  '',
  '| case | webgpu GFLOP/s | webgpu ms | cpu GFLOP/s | webgpu / cpu |',
  '|---|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.case} | ${r.webgpuGflops.toFixed(2)} | ${r.webgpuMs.toFixed(2)} | ${r.cpuGflops === null ? '–' : r.cpuGflops.toFixed(2)} | ${
        r.cpuGflops === null ? '–' : `${(r.webgpuGflops / r.cpuGflops).toFixed(2)}×`
      } |`,
  ),
  '',
].join('\n');
const { header: _header, ...meta } = run;
writeResults('webgpu-matmul', md, { ...meta, rows });
console.log(`\n${md}`);
gpu.dispose();
