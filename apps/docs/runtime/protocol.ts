// The messages between the page (client.ts) and the example worker (worker.ts). Each request
// carries an id that its reply repeats, so a reply from a worker that was replaced after a
// timeout can never be taken for the answer to a later run.
import type { BackendName, RunResult } from './types.js';

export type WorkerRequest = { type: 'run'; id: number; code: string; backend: BackendName } | { type: 'backends'; id: number };

export type WorkerReply = { type: 'result'; id: number; result: RunResult } | { type: 'backends'; id: number; backends: BackendName[] };
