// Matrix-multiply throughput of the CPU backend: float32 and float64 square products at
// n = 128 … 1024, through the public `matmul` op (the built packages, as a user would run them).
// Prints a table and writes results/matmul-cpu.{md,json}. Timings are never asserted anywhere.
//
//   pnpm bench                  (builds the packages first)
//   node bench/matmul.mjs       (packages already built)
//   node bench/matmul.mjs 256 512   (only these sizes)
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { fromArray, getBackend, matmul } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';

const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
const sizes = SIZES.length ? SIZES : [128, 256, 512, 1024];
const dtypes = ['float32', 'float64'];
// each size runs for about this long after warm-up (at least MIN_RUNS runs)
const BUDGET_MS = 2000;
const MIN_RUNS = 5;

function randomTensor(n, dtype) {
  const arr = dtype === 'float32' ? new Float32Array(n * n) : new Float64Array(n * n);
  let s = 42;
  for (let i = 0; i < arr.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    arr[i] = (s >>> 8) / 2 ** 24 - 0.5;
  }
  return fromArray(getBackend(), arr, [n, n], dtype);
}

function timeOnce(a, b) {
  const t0 = performance.now();
  const c = matmul(a, b);
  const ms = performance.now() - t0;
  c.dispose();
  return ms;
}

function measure(n, dtype) {
  const a = randomTensor(n, dtype);
  const b = randomTensor(n, dtype);
  // warm-up: lets the JIT optimise the kernel and sizes the packing buffers
  const warm = timeOnce(a, b);
  for (let i = 0; i < 2 && warm < 200; i++) timeOnce(a, b);
  const runs = Math.max(MIN_RUNS, Math.min(200, Math.round(BUDGET_MS / Math.max(warm, 0.05))));
  const times = [];
  for (let i = 0; i < runs; i++) times.push(timeOnce(a, b));
  a.dispose();
  b.dispose();
  times.sort((x, y) => x - y);
  const flop = 2 * n ** 3;
  const gflops = (ms) => flop / (ms * 1e6);
  return {
    n,
    dtype,
    runs,
    medianMs: times[times.length >> 1],
    gflopsMedian: gflops(times[times.length >> 1]),
    gflopsMin: gflops(times[times.length - 1]),
    gflopsMax: gflops(times[0]),
  };
}

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  node: process.version,
};
const date = new Date().toISOString();
const results = [];
for (const dtype of dtypes) {
  for (const n of sizes) {
    const r = measure(n, dtype);
    results.push(r);
    console.log(`${dtype} n=${n}: ${r.gflopsMedian.toFixed(2)} GFLOP/s (median of ${r.runs})`);
  }
}

const f = (x) => x.toFixed(2);
const lines = [
  '# CPU matmul throughput',
  '',
  `${date} · ${machine.cpu} (${machine.cores} logical cores) · ${machine.platform} · Node ${machine.node}`,
  '',
  'Square `matmul(a, b)` on the `cpu` backend (single-threaded TypeScript), result allocation included.',
  'GFLOP/s = 2·n³ / time; median over the runs, with the range (slowest – fastest run).',
  '',
  '| dtype | n | runs | median ms | GFLOP/s (median) | GFLOP/s (min – max) |',
  '|---|---:|---:|---:|---:|---:|',
  ...results.map((r) => `| ${r.dtype} | ${r.n} | ${r.runs} | ${f(r.medianMs)} | ${f(r.gflopsMedian)} | ${f(r.gflopsMin)} – ${f(r.gflopsMax)} |`),
  '',
];
const table = lines.join('\n');
console.log(`\n${table}`);

const outDir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}matmul-cpu.md`, table);
writeFileSync(`${outDir}matmul-cpu.json`, `${JSON.stringify({ benchmark: 'matmul-cpu', date, machine, results }, null, 2)}\n`);
