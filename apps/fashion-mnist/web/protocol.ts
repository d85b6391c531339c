// The messages between the page (web/main.ts) and the training worker (web/worker.ts, whose logic
// lives in web/trainer.ts so that Node tests can drive it without a browser). Everything here
// survives structured cloning. The page sends `Request`s; the worker answers with `Event`s.
// Requests that expect one answer carry an `id`, echoed by that answer (`ok`, `error`, …).
import type { ModelKind, OptimizerKind } from '../src/args.js';

/** The backends the page offers. `auto` = webgpu when a hardware adapter is found, else cpu (a software adapter such as SwiftShader is ~10× slower than cpu). */
export type BackendChoice = 'auto' | 'cpu' | 'webgpu' | 'tfjs';

/** What the worker found out about one backend. */
export interface BackendInfo {
  readonly name: 'cpu' | 'webgpu' | 'tfjs';
  /** Whether it can be used in this page. */
  readonly available: boolean;
  /** Why not (when `available` is false), or a detail such as `2 threads` / the GPU adapter's name. */
  readonly detail: string;
}

/** The settings of one training run (the CLI's options of the same names, same defaults). */
export interface TrainSettings {
  readonly model: ModelKind; // default 'cnn'
  readonly backend: BackendChoice; // default 'auto'
  readonly epochs: number; // default 5
  readonly batchSize: number; // default 32
  readonly lr: number; // default 1e-3
  readonly optimizer: OptimizerKind; // default 'adam'
  /** Train on the first `limit` training images (default 60,000: all). */
  readonly limit: number;
  /** Evaluate on the first `testLimit` test images (default 10,000: all). */
  readonly testLimit: number;
  /** Seed of the weights and the shuffles (default 0), as in the CLI. */
  readonly seed: number;
}

/** Page → worker. */
export type Request =
  /** First message: which backends exist here. Answered by `hello`. */
  | { readonly type: 'hello'; readonly id: number }
  /**
   * Fetch the four IDX files (`train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`,
   * `t10k-images-idx3-ubyte[.gz]`, `t10k-labels-idx1-ubyte[.gz]`; the `.gz` name is tried first)
   * from the folder URL `source` (absolute, ends with `/`). Sends `data-progress` events, then
   * `data-ready`, or `error` (with `id`) naming the file, the URL and the HTTP status or the reason.
   */
  | { readonly type: 'load-data'; readonly id: number; readonly source: string }
  /** Train a fresh model (or, with `continue: true`, the current one) with `settings`. Events: `run-start`, `batch`, `evaluate-progress`, `epoch`, then `run-end` (also after `stop`) or `error`. */
  | { readonly type: 'train'; readonly id: number; readonly settings: TrainSettings; readonly continue?: boolean }
  /** Pause after the current batch / resume. Answered by `state`. */
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  /** Stop after the current batch (of training or of the evaluation, which a stop also ends); the model keeps what it learned (then `run-end` with `stopped: true`). */
  | { readonly type: 'stop' }
  /** Classify one 28×28 image: `pixels` float32 [784] in [0, 1], row-major, light garment on black. Answered by `prediction` (also during training, between batches). */
  | { readonly type: 'predict'; readonly id: number; readonly pixels: Float32Array }
  /** The current model as safetensors bytes (PyTorch keys, metadata `format: 'pt'` and the model kind, as the CLI's model.safetensors). Answered by `saved`. */
  | { readonly type: 'save'; readonly id: number }
  /** Replace the model by one from a safetensors file (the CLI's model.safetensors or checkpoint.safetensors, or PyTorch's). Answered by `model-loaded` or `error`. */
  | { readonly type: 'load-model'; readonly id: number; readonly bytes: Uint8Array; readonly name: string; readonly backend: BackendChoice };

/** One of the test images shown in the page's grid. */
export interface SampleImage {
  /** Index in the test set. */
  readonly index: number;
  readonly label: number;
  /** uint8 [784], row-major, as in the IDX file. */
  readonly pixels: Uint8Array;
}

/** Memory of the backend the model is on (its `memory()`). */
export interface MemoryInfo {
  readonly tensors: number;
  readonly bytes: number;
}

/** Worker → page. */
export type Event =
  | { readonly type: 'hello'; readonly id: number; readonly backends: readonly BackendInfo[]; readonly isolated: boolean; readonly threads: number }
  | { readonly type: 'data-progress'; readonly file: string; readonly loaded: number; readonly total: number | null }
  | {
      readonly type: 'data-ready';
      readonly id: number;
      readonly train: number;
      readonly test: number;
      readonly classes: readonly string[];
      /** The first 40 test images, for the grid. */
      readonly samples: readonly SampleImage[];
    }
  | { readonly type: 'run-start'; readonly id: number; readonly settings: TrainSettings; readonly backend: string; readonly parameters: number; readonly batchesPerEpoch: number }
  | {
      readonly type: 'batch';
      readonly epoch: number;
      readonly batch: number;
      readonly batches: number;
      readonly loss: number;
      /** Accuracy of this batch (before its update). */
      readonly accuracy: number;
      /** Training images per second over the last ~second. */
      readonly imagesPerSecond: number;
      readonly memory: MemoryInfo;
    }
  | { readonly type: 'evaluate-progress'; readonly epoch: number; readonly done: number; readonly total: number }
  | {
      readonly type: 'epoch';
      readonly epoch: number;
      readonly trainLoss: number;
      readonly trainAcc: number;
      readonly testLoss: number;
      readonly testAcc: number;
      readonly seconds: number;
      /** `confusion[true][predicted]` on the evaluated test images. */
      readonly confusion: readonly (readonly number[])[];
      /** The predicted class of each `samples` image, in order. */
      readonly samplePredictions: readonly number[];
      readonly memory: MemoryInfo;
    }
  | { readonly type: 'state'; readonly state: 'training' | 'paused' }
  /** `epochs`: the run's epochs whose training finished (after a stop during an evaluation, that epoch counts but has no `epoch` event). */
  | { readonly type: 'run-end'; readonly id: number; readonly stopped: boolean; readonly epochs: number }
  | { readonly type: 'prediction'; readonly id: number; readonly top: readonly { readonly label: number; readonly name: string; readonly probability: number }[] }
  | { readonly type: 'saved'; readonly id: number; readonly bytes: Uint8Array; readonly filename: string }
  | { readonly type: 'model-loaded'; readonly id: number; readonly model: ModelKind; readonly backend: string; readonly parameters: number }
  /** A request failed (`id` when it had one) or the run failed; `message` says what and how to fix it. */
  | { readonly type: 'error'; readonly id: number | null; readonly message: string };
