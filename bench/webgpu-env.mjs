// What the WebGPU benchmarks record about the run: the adapter, the Vulkan driver, the host and the
// date (bench/webgpu.mjs, bench/webgpu-cnn.mjs).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/** The adapter, driver, host and time of this run, for the results' header. */
export function describeRun(gpu) {
  const info = gpu.adapter.info ?? {};
  const device = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown adapter';
  const host = `${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} logical cores) · ${os.platform()} ${os.release()} · Node ${process.version}`;
  const driver = process.env.VK_ICD_FILENAMES ? `VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}` : 'the system Vulkan drivers';
  const when = new Date().toISOString();
  return { when, device, environment: gpu.environment, driver, host, header: `${when} · adapter: ${device} (${gpu.environment}, ${driver}) · host: ${host}` };
}

/** Writes results/<name>.md and results/<name>.json. */
export function writeResults(name, md, json) {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}${name}.md`, md);
  writeFileSync(`${dir}${name}.json`, JSON.stringify(json, null, 2));
}
