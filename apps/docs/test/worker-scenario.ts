// A page for the Chromium test of the real example worker (runtime-worker.test.ts): bundled by
// @tensorgrad/browser-tests' harness with the runtime's client, which starts runtime/worker.ts as a
// module worker. Returns what the runs gave; the test compares with values it knows independently.
import { createExampleRunner } from '../runtime/client.js';
import type { BackendName, RunResult } from '../runtime/types.js';

export interface WorkerScenarioResult {
  backends: BackendName[];
  first: RunResult;
  failing: RunResult;
  stuck: RunResult;
  afterRestart: RunResult;
  webgpu: RunResult | null;
  tfjs: RunResult;
  unawaited: RunResult;
}

const EXAMPLE = [
  "import { tensor, Linear } from 'tensorgrad';",
  "import '@tensorgrad/backend-cpu';",
  'const x = tensor([[1, 2], [3, 4]]);',
  'await x.matmul(x).array(); // [[7, 10], [15, 22]]',
  'const fc = new Linear(2, 3);',
  'console.log(fc(x).shape);',
  'console.log(x.mul(2));',
].join('\n');

export async function run(): Promise<WorkerScenarioResult> {
  const runner = createExampleRunner();
  try {
    const backends = await runner.availableBackends();
    const first = await runner.run(EXAMPLE, { backend: 'cpu' });
    const failing = await runner.run("import { tensor } from 'tensorgrad';\n\ntensor([1, 2, 3]).reshape(2, 2);", { backend: 'cpu' });
    const stuck = await runner.run('for (;;) {}', { backend: 'cpu', timeoutMs: 300 });
    const afterRestart = await runner.run(EXAMPLE, { backend: 'cpu' });
    const webgpu = backends.includes('webgpu') ? await runner.run(EXAMPLE, { backend: 'webgpu', timeoutMs: 60_000 }) : null;
    const tfjs = await runner.run(EXAMPLE, { backend: 'tfjs' });
    const unawaited = await runner.run(
      "console.log('start');\nvoid Promise.reject(new TypeError('nobody waits'));\nawait new Promise((r) => setTimeout(r, 20));",
      { backend: 'cpu' },
    );
    return { backends, first, failing, stuck, afterRestart, webgpu, tfjs, unawaited };
  } finally {
    runner.dispose();
  }
}
