// Matrix-multiply throughput of the CPU backend, WebAssembly SIMD kernels against the plain
// TypeScript ones (switched with `setCpuSimd`), through the public ops (the built packages, as a
// user would run them): square float32 and float64 products at n = 128 … 1024, Aᵀ·B and A·Bᵀ at
// 512 (transposed views, no copies), and a conv2d forward. Prints a table and writes
// results/matmul-cpu.{md,json}. Timings are never asserted anywhere.
//
//   pnpm --filter @tensorgrad/bench bench:matmul   (builds the packages first; `pnpm bench` runs the whole suite)
//   node bench/matmul.mjs       (packages already built)
//   node bench/matmul.mjs 256 512   (only these square sizes)
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { conv2d, fromArray, getBackend, matmul } from '@tensorgrad/tensor';
import { cpuSimdEnabled, setCpuSimd } from '@tensorgrad/backend-cpu';

const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
const sizes = SIZES.length ? SIZES : [128, 256, 512, 1024];
// each case runs for about this long after warm-up (at least MIN_RUNS runs)
const BUDGET_MS = 1000;
const MIN_RUNS = 3;

function randomTensor(shape, dtype, seed = 42) {
  const size = shape.reduce((x, y) => x * y, 1);
  const arr = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  let s = seed;
  for (let i = 0; i < arr.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    arr[i] = (s >>> 8) / 2 ** 24 - 0.5;
  }
  return fromArray(getBackend(), arr, shape, dtype);
}

// A case: its label, its flop count and a factory of the operands and the timed op.
function squareCase(n, dtype) {
  return {
    label: `${dtype} A·B n=${n}`,
    flop: 2 * n ** 3,
    make: () => {
      const a = randomTensor([n, n], dtype, 1);
      const b = randomTensor([n, n], dtype, 2);
      return { run: () => matmul(a, b), operands: [a, b] };
    },
  };
}

function transposedCase(n, which) {
  return {
    label: `float32 ${which} n=${n}`,
    flop: 2 * n ** 3,
    make: () => {
      const a = randomTensor([n, n], 'float32', 1);
      const b = randomTensor([n, n], 'float32', 2);
      const at = a.transpose(0, 1);
      const bt = b.transpose(0, 1);
      const run = which === 'Aᵀ·B' ? () => matmul(at, b) : () => matmul(a, bt);
      return { run, operands: [a, b, at, bt] };
    },
  };
}

// the second convolution of the chapter 4 CNN at batch 32: 64 → 128 channels, 13×13, 3×3 kernel
function convCase() {
  const [n, cin, cout, hw, kk] = [32, 64, 128, 13, 3];
  const out = hw - kk + 1;
  return {
    label: `float32 conv2d N=${n} ${cin}→${cout} ${hw}×${hw} k${kk}`,
    flop: 2 * n * cout * out * out * cin * kk * kk,
    make: () => {
      const x = randomTensor([n, cin, hw, hw], 'float32', 1);
      const w = randomTensor([cout, cin, kk, kk], 'float32', 2);
      const bias = randomTensor([cout], 'float32', 3);
      return { run: () => conv2d(x, w, bias), operands: [x, w, bias] };
    },
  };
}

function timeOnce(run) {
  const t0 = performance.now();
  const c = run();
  const ms = performance.now() - t0;
  c.dispose();
  return ms;
}

function measure(kase) {
  const { run, operands } = kase.make();
  // warm-up: lets the JIT (and the wasm tier-up) optimise the kernels and sizes the buffers
  const warm = timeOnce(run);
  for (let i = 0; i < 2 && warm < 200; i++) timeOnce(run);
  const runs = Math.max(MIN_RUNS, Math.min(200, Math.round(BUDGET_MS / Math.max(warm, 0.05))));
  const times = [];
  for (let i = 0; i < runs; i++) times.push(timeOnce(run));
  for (const t of operands) t.dispose();
  times.sort((x, y) => x - y);
  const gflops = (ms) => kase.flop / (ms * 1e6);
  return {
    runs,
    medianMs: times[times.length >> 1],
    gflopsMedian: gflops(times[times.length >> 1]),
    gflopsMin: gflops(times[times.length - 1]),
    gflopsMax: gflops(times[0]),
  };
}

const cases = [
  ...sizes.map((n) => squareCase(n, 'float32')),
  transposedCase(512, 'Aᵀ·B'),
  transposedCase(512, 'A·Bᵀ'),
  convCase(),
  ...sizes.map((n) => squareCase(n, 'float64')),
];

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  node: process.version,
};
const date = new Date().toISOString();
const simdAvailable = setCpuSimd(true);
if (!simdAvailable) console.log('WebAssembly SIMD is not available here: both columns run the TypeScript kernels');
const results = [];
for (const kase of cases) {
  const row = { case: kase.label, flop: kase.flop };
  for (const path of ['plain', 'simd']) {
    setCpuSimd(path === 'simd');
    row[path] = { ...measure(kase), simd: cpuSimdEnabled() };
  }
  setCpuSimd(true);
  results.push(row);
  console.log(`${kase.label}: plain ${row.plain.gflopsMedian.toFixed(2)}, simd ${row.simd.gflopsMedian.toFixed(2)} GFLOP/s`);
}

const f = (x) => x.toFixed(2);
const lines = [
  '# CPU matmul throughput',
  '',
  `${date} · ${machine.cpu} (${machine.cores} logical cores) · ${machine.platform} · Node ${machine.node}`,
  '',
  'Single-threaded `cpu` backend, result allocation included: `plain` = the TypeScript kernels',
  '(`setCpuSimd(false)`), `simd` = the WebAssembly SIMD128 kernels (the default). Transposed operands',
  'are `transpose(0, 1)` views. GFLOP/s = flop / time; median over the runs, range = slowest – fastest.',
  '',
  '| case | plain GFLOP/s | simd GFLOP/s | simd range | speed-up | simd median ms |',
  '|---|---:|---:|---:|---:|---:|',
  ...results.map(
    (r) =>
      `| ${r.case} | ${f(r.plain.gflopsMedian)} | ${f(r.simd.gflopsMedian)} | ${f(r.simd.gflopsMin)} – ${f(r.simd.gflopsMax)} | ` +
      `${f(r.simd.gflopsMedian / r.plain.gflopsMedian)}× | ${f(r.simd.medianMs)} |`,
  ),
  '',
];
const table = lines.join('\n');
console.log(`\n${table}`);

const outDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}matmul-cpu.md`, table);
writeFileSync(`${outDir}matmul-cpu.json`, `${JSON.stringify({ benchmark: 'matmul-cpu', date, machine, simdAvailable, results }, null, 2)}\n`);
