// Everything the training worker does, as a class that takes `Request`s and posts `Event`s through
// a callback, so that Node tests drive it exactly as the page does (web/worker.ts only wires it to
// `self`). Training goes through the CLI's `fit` with the CLI's models and seeding, so the page and
// `fashion-mnist train` give the same weights for the same settings.
//
// Requests are handled concurrently: a run awaits between batches, and meanwhile pause, resume,
// stop, predict and save requests run. Predictions and saves are consistent mid-run because their
// tensor work is synchronous (one JavaScript task between two optimizer steps; a save copies the
// weights first).
/// <reference types="@webgpu/types" />
import '@tensorgrad/backend-webgpu';
import '@tensorgrad/backend-tfjs';
import {
  cpuThreads,
  cpuThreadsReady,
  FashionMNIST,
  findBackend,
  fromTypedArray,
  manualSeed,
  memory,
  noGrad,
  setBackend,
  setCpuThreads,
  softmax,
  tidy,
  type AnyOptimizer,
  type Sequential,
  type Tensor,
} from 'tensorgrad';
import { OPTIMIZER_KINDS, type ModelKind } from '../src/args.js';
import { modelFromSafetensors, modelSafetensors } from '../src/model-file.js';
import { buildModel, buildOptimizer, modelInputShape } from '../src/models.js';
import { fit, type LabelledImages } from '../src/train.js';
import { fetchFashionMnist, IMAGE_SIDE, splitTensors, type RawFashion, type RawSplit } from './data.js';
import type { BackendChoice, BackendInfo, Event as WorkerEvent, MemoryInfo, Request, SampleImage, TrainSettings } from './protocol.js';

/** How the trainer talks back and what it may use; everything but `post` has a browser default. */
export interface TrainerOptions {
  /** Sends an event to the page (`postMessage` in the worker), with buffers to transfer. */
  post: (event: WorkerEvent, transfer?: Transferable[]) => void;
  /** How the IDX files are fetched (default the global `fetch`). */
  fetch?: typeof fetch;
  /** The WebGPU entry point (default `navigator.gpu`; `null`: none). */
  gpu?: GPU | null;
  /** Whether the page is cross-origin isolated, which CPU threads need (default `crossOriginIsolated`). */
  isolated?: boolean;
}

/** The number of test images whose predictions the page's grid shows. */
export const SAMPLE_COUNT = 40;
/** Most `batch` events per second (the last batch of every epoch is always sent). */
const BATCH_EVENTS_PER_SECOND = 20;
const TFJS_BACKEND = 'tfjs-wasm';

interface Probe {
  readonly infos: readonly BackendInfo[];
  /** How the GPU adapter names itself, for the run's backend label. */
  readonly gpuDetail: string | null;
  /** Whether the adapter emulates a GPU in software. */
  readonly softwareGpu: boolean;
}

interface Run {
  readonly id: number;
  readonly stop: AbortController;
  paused: boolean;
  /** Resolves the pause in progress. */
  release: () => void;
  gate: Promise<void>;
}

interface Cached {
  readonly limit: number;
  readonly data: LabelledImages;
}

function disposeData(c: Cached | null): void {
  c?.data.images.dispose();
  c?.data.labels.dispose();
}

function isPositiveInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 1;
}

/** Runs the page's requests: data, training, prediction, model files. */
export class Trainer {
  readonly #post: TrainerOptions['post'];
  readonly #fetch: typeof fetch | undefined;
  readonly #gpu: GPU | null;
  readonly #isolated: boolean;
  #probe: Promise<Probe> | null = null;
  #raw: RawFashion | null = null;
  #loading = false;
  #samples: SampleImage[] = [];
  #train: Cached | null = null;
  #test: Cached | null = null;
  #model: Sequential | null = null;
  #kind: ModelKind | null = null;
  /** The tensorgrad backend the model is on. */
  #backend: string | null = null;
  #optimizer: AnyOptimizer | null = null;
  #optimizerOf: string | null = null;
  #epochsDone = 0;
  #run: Run | null = null;
  #modelLoading = false;

  constructor(options: TrainerOptions) {
    this.#post = options.post;
    this.#fetch = options.fetch;
    const nav = (globalThis as { navigator?: Navigator & { gpu?: GPU } }).navigator;
    this.#gpu = options.gpu !== undefined ? options.gpu : (nav?.gpu ?? null);
    this.#isolated = options.isolated ?? (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    // threads need SharedArrayBuffer, which a page has only when cross-origin isolated (as the
    // docs site's example worker does); elsewhere more than one would only be tried and given up
    setCpuThreads(this.#isolated ? Math.min(4, nav?.hardwareConcurrency || 1) : 1);
  }

  /** Handles one request; every failure becomes an `error` event (with the request's `id`). */
  async handle(request: Request): Promise<void> {
    const id = 'id' in request ? request.id : null;
    try {
      switch (request.type) {
        case 'hello':
          return await this.#hello(request.id);
        case 'load-data':
          return await this.#loadData(request.id, request.source);
        case 'train':
          return await this.#trainRun(request.id, request.settings, request.continue === true);
        case 'pause':
          return this.#pause();
        case 'resume':
          return this.#resume();
        case 'stop':
          return this.#stop();
        case 'predict':
          return await this.#predict(request.id, request.pixels);
        case 'save':
          return await this.#save(request.id);
        case 'load-model':
          return await this.#loadModel(request.id, request.bytes, request.name, request.backend);
        default:
          throw new Error(`unknown request ${JSON.stringify((request as { type?: unknown }).type)}; expected one of hello, load-data, train, pause, resume, stop, predict, save, load-model`);
      }
    } catch (e) {
      this.#post({ type: 'error', id, message: e instanceof Error ? e.message : String(e) });
    }
  }

  /**
   * Frees the model, its optimizer and the data's tensors (stopping a run first). The worker lives
   * as long as the page and never needs it; tests do, so that one trainer's tensors do not count in
   * the next one's memory checks.
   */
  dispose(): void {
    this.#stop();
    if (this.#run) throw new Error('Trainer.dispose: a run is in progress; await its handle() after stop, then dispose');
    this.#dropModel();
    disposeData(this.#train);
    disposeData(this.#test);
    this.#train = this.#test = null;
    this.#raw = null;
  }

  /** Memory of the backend the model is on (the cpu backend before there is a model). */
  memory(): MemoryInfo {
    const m = memory(this.#backend ?? 'cpu');
    return { tensors: m.numTensors, bytes: m.numBytes };
  }

  #probeBackends(): Promise<Probe> {
    this.#probe ??= (async (): Promise<Probe> => {
      const threads = cpuThreads();
      const cpu: BackendInfo = {
        name: 'cpu',
        available: true,
        detail: `${threads} thread${threads === 1 ? '' : 's'}${this.#isolated ? '' : ' (the page is not cross-origin isolated, so no threads)'}`,
      };
      let webgpu: BackendInfo;
      let gpuDetail: string | null = null;
      let software = false;
      if (!this.#gpu) {
        webgpu = { name: 'webgpu', available: false, detail: 'this browser has no WebGPU here (navigator.gpu is missing in the worker)' };
      } else {
        try {
          const adapter = await this.#gpu.requestAdapter();
          if (!adapter) {
            webgpu = { name: 'webgpu', available: false, detail: 'no WebGPU adapter: navigator.gpu.requestAdapter() gave none (no usable GPU, or WebGPU is switched off)' };
          } else {
            const info = adapter.info;
            gpuDetail = info?.description || [info?.vendor, info?.architecture].filter(Boolean).join(' ') || 'adapter';
            // a software adapter (SwiftShader, Chromium's stand-in without a GPU) emulates the GPU
            // on the CPU: measured ~10× slower here than the cpu backend, so auto does not pick it
            software = info?.isFallbackAdapter === true || /swiftshader/i.test(`${info?.vendor} ${info?.architecture} ${info?.description}`);
            webgpu = { name: 'webgpu', available: true, detail: software ? `${gpuDetail} (a software adapter, slower than cpu: auto picks cpu)` : gpuDetail };
          }
        } catch (e) {
          webgpu = { name: 'webgpu', available: false, detail: `requesting a WebGPU adapter failed: ${(e as Error).message}` };
        }
      }
      let tfjs: BackendInfo;
      try {
        await findBackend(TFJS_BACKEND);
        tfjs = { name: 'tfjs', available: true, detail: 'TensorFlow.js wasm engine' };
      } catch (e) {
        tfjs = { name: 'tfjs', available: false, detail: `the TensorFlow.js wasm engine did not start: ${(e as Error).message}` };
      }
      return { infos: [cpu, webgpu, tfjs], gpuDetail, softwareGpu: software };
    })();
    return this.#probe;
  }

  async #hello(id: number): Promise<void> {
    const probe = await this.#probeBackends();
    this.#post({ type: 'hello', id, backends: probe.infos, isolated: this.#isolated, threads: cpuThreads() });
  }

  /** The tensorgrad backend for a choice, and how the page shows it; throws when it is unavailable. */
  async #resolveBackend(choice: BackendChoice): Promise<{ name: string; label: string }> {
    const probe = await this.#probeBackends();
    const info = (n: BackendInfo['name']): BackendInfo => probe.infos.find((b) => b.name === n)!;
    const picked = choice === 'auto' ? (info('webgpu').available && !probe.softwareGpu ? 'webgpu' : 'cpu') : choice;
    if (picked !== 'cpu' && picked !== 'webgpu' && picked !== 'tfjs') {
      throw new Error(`backend: expected one of auto, cpu, webgpu, tfjs, got ${JSON.stringify(choice)}`);
    }
    const b = info(picked);
    if (!b.available) throw new Error(`the ${picked} backend is not available here: ${b.detail}; pick another backend`);
    if (picked === 'cpu') return { name: 'cpu', label: `cpu (${b.detail.replace(/ \(.*$/, '')})` };
    if (picked === 'webgpu') return { name: 'webgpu', label: `webgpu (${probe.gpuDetail})` };
    return { name: TFJS_BACKEND, label: 'tfjs (wasm)' };
  }

  async #loadData(id: number, source: string): Promise<void> {
    if (this.#run) throw new Error('cannot load data while training; stop the run first');
    if (this.#loading) throw new Error('the data is already being loaded; wait for data-ready');
    this.#loading = true;
    try {
      const raw = await fetchFashionMnist(source, {
        ...(this.#fetch ? { fetch: this.#fetch } : {}),
        onProgress: (file, loaded, total) => this.#post({ type: 'data-progress', file, loaded, total }),
      });
      disposeData(this.#train);
      disposeData(this.#test);
      this.#train = this.#test = null;
      this.#raw = raw;
      const side = IMAGE_SIDE * IMAGE_SIDE;
      this.#samples = Array.from({ length: Math.min(SAMPLE_COUNT, raw.test.count) }, (_, index) => ({
        index,
        label: raw.test.labels[index]!,
        pixels: raw.test.pixels.slice(index * side, (index + 1) * side),
      }));
      this.#post({ type: 'data-ready', id, train: raw.train.count, test: raw.test.count, classes: FashionMNIST.classes, samples: this.#samples });
    } finally {
      this.#loading = false;
    }
  }

  #split(which: 'train' | 'test', split: RawSplit, limit: number): LabelledImages {
    const cached = which === 'train' ? this.#train : this.#test;
    if (cached?.limit === limit) return cached.data;
    disposeData(cached);
    const data = splitTensors(split, limit, which === 'train' ? 'limit' : 'testLimit');
    if (which === 'train') this.#train = { limit, data };
    else this.#test = { limit, data };
    return data;
  }

  #checkSettings(s: TrainSettings, raw: RawFashion): void {
    const problems: string[] = [];
    if (s.model !== 'cnn' && s.model !== 'mlp') problems.push(`model: expected cnn or mlp, got ${JSON.stringify(s.model)}`);
    for (const key of ['epochs', 'batchSize', 'limit', 'testLimit'] as const) {
      if (!isPositiveInteger(s[key])) problems.push(`${key}: expected a positive integer, got ${JSON.stringify(s[key])}`);
    }
    if (!OPTIMIZER_KINDS.includes(s.optimizer)) problems.push(`optimizer: expected one of ${OPTIMIZER_KINDS.join(', ')}, got ${JSON.stringify(s.optimizer)}`);
    if (!(typeof s.lr === 'number' && s.lr > 0 && Number.isFinite(s.lr))) problems.push(`lr: expected a positive number, got ${JSON.stringify(s.lr)}`);
    if (!(typeof s.seed === 'number' && Number.isSafeInteger(s.seed) && s.seed >= 0)) problems.push(`seed: expected a non-negative integer, got ${JSON.stringify(s.seed)}`);
    if (isPositiveInteger(s.limit) && s.limit > raw.train.count) problems.push(`limit: expected at most ${raw.train.count} (the training set's size), got ${s.limit}`);
    if (isPositiveInteger(s.testLimit) && s.testLimit > raw.test.count) problems.push(`testLimit: expected at most ${raw.test.count} (the test set's size), got ${s.testLimit}`);
    if (problems.length) throw new Error(`bad training settings: ${problems.join('; ')}`);
  }

  async #trainRun(id: number, settings: TrainSettings, continuing: boolean): Promise<void> {
    if (this.#run) throw new Error('a run is already in progress; stop it (or wait for run-end) before starting another');
    if (this.#loading) throw new Error('the data is still loading; train after data-ready');
    if (this.#modelLoading) throw new Error('a model file is being loaded; train after model-loaded');
    const raw = this.#raw;
    if (!raw) throw new Error('there is no data to train on; send load-data first (and wait for data-ready)');
    this.#checkSettings(settings, raw);
    // taken before the first await, so that a second train request finds this run in progress
    const run: Run = { id, stop: new AbortController(), paused: false, release: () => {}, gate: Promise.resolve() };
    this.#run = run;
    try {
      const { name: backend, label } = await this.#resolveBackend(settings.backend);
      if (continuing) {
        if (!this.#model) throw new Error('there is no model to continue training; train a fresh one (continue: false) or load one first');
        if (this.#kind !== settings.model) throw new Error(`continue: the current model is a ${this.#kind}, the settings say ${settings.model}; pick ${this.#kind} or start a fresh run`);
        if (this.#backend !== backend) throw new Error(`continue: the current model is on ${this.#backend}, the settings pick ${backend}; pick ${this.#backend} or start a fresh run`);
      }
      const train = this.#split('train', raw.train, settings.limit);
      const test = this.#split('test', raw.test, settings.testLimit);
      await setBackend(backend);
      if (backend === 'cpu') await cpuThreadsReady();
      const optimizerKey = `${settings.optimizer} ${settings.lr}`;
      if (!continuing) {
        this.#dropModel();
        // as the CLI: the seed fixes the initial weights and, with the epoch, every shuffle
        manualSeed(settings.seed);
        this.#model = buildModel(settings.model);
        this.#kind = settings.model;
        this.#backend = backend;
        this.#epochsDone = 0;
      }
      const model = this.#model!;
      if (!this.#optimizer || this.#optimizerOf !== optimizerKey) {
        this.#optimizer?.dispose();
        this.#optimizer = buildOptimizer(settings.optimizer, model.parameters(), settings.lr);
        this.#optimizerOf = optimizerKey;
      }
      const batchesPerEpoch = Math.ceil(settings.limit / settings.batchSize);
      this.#post({ type: 'run-start', id, settings, backend: label, parameters: parameterCount(model), batchesPerEpoch });

      const rate = new Throughput();
      let lastPost = -Infinity;
      let evalPost = -Infinity;
      const first = this.#epochsDone + 1;
      await fit(model, this.#optimizer, train, test, {
        epochs: this.#epochsDone + settings.epochs,
        startEpoch: first,
        batchSize: settings.batchSize,
        seed: settings.seed,
        inputShape: modelInputShape(settings.model),
        signal: run.stop.signal,
        onEpochStart: () => rate.reset(),
        onBatch: async (b) => {
          // the epoch counts as done once trained: a stop during its evaluation leaves it trained
          // but unreported, and a later `continue` must start after it (its shuffle is used up)
          if (b.batch === b.batches) this.#epochsDone = b.epoch;
          rate.add(b.size);
          const now = performance.now();
          if (now - lastPost >= 1000 / BATCH_EVENTS_PER_SECOND || b.batch === b.batches) {
            lastPost = now;
            this.#post({
              type: 'batch',
              epoch: b.epoch,
              batch: b.batch,
              batches: b.batches,
              loss: b.loss,
              accuracy: b.correct / b.size,
              imagesPerSecond: rate.perSecond(),
              memory: this.memory(),
            });
          }
          await this.#pauseGate(run);
        },
        onEvaluateBatch: async (done, total) => {
          const now = performance.now();
          if (now - evalPost >= 1000 / BATCH_EVENTS_PER_SECOND || done === total) {
            evalPost = now;
            this.#post({ type: 'evaluate-progress', epoch: this.#epochsDone, done, total });
          }
          await this.#pauseGate(run);
        },
        onEpoch: async (metrics, evaluation) => {
          const samplePredictions =
            evaluation.predictions.length >= this.#samples.length
              ? Array.from(evaluation.predictions.subarray(0, this.#samples.length))
              : await this.#classifySamples();
          this.#post({
            type: 'epoch',
            epoch: metrics.epoch,
            trainLoss: metrics.trainLoss,
            trainAcc: metrics.trainAcc,
            testLoss: metrics.testLoss,
            testAcc: metrics.testAcc,
            seconds: metrics.seconds,
            confusion: evaluation.confusion,
            samplePredictions,
            memory: this.memory(),
          });
        },
      });
      this.#post({ type: 'run-end', id, stopped: run.stop.signal.aborted, epochs: this.#epochsDone - first + 1 });
    } finally {
      run.release();
      this.#run = null;
    }
  }

  /** Holds the run while it is paused (and not stopped). */
  async #pauseGate(run: Run): Promise<void> {
    while (run.paused && !run.stop.signal.aborted) await run.gate;
  }

  #pause(): void {
    const run = this.#run;
    // nothing runs: nothing to pause (the page may send it just as a run ends)
    if (!run || run.stop.signal.aborted) return;
    if (!run.paused) {
      run.paused = true;
      run.gate = new Promise((resolve) => (run.release = resolve));
    }
    this.#post({ type: 'state', state: 'paused' });
  }

  #resume(): void {
    const run = this.#run;
    if (!run || run.stop.signal.aborted) return;
    run.paused = false;
    run.release();
    this.#post({ type: 'state', state: 'training' });
  }

  #stop(): void {
    const run = this.#run;
    if (!run) return;
    run.stop.abort();
    // a paused run must get to its next check of the signal
    run.release();
  }

  #dropModel(): void {
    this.#optimizer?.dispose();
    this.#optimizer = null;
    this.#optimizerOf = null;
    this.#model?.dispose();
    this.#model = null;
    this.#kind = null;
    this.#backend = null;
    this.#epochsDone = 0;
  }

  /**
   * Softmax probabilities of a batch of images (float32 in [0, 1], `count` × 784), by the model in
   * eval mode without gradients. Synchronous up to the read-back, so that it fits between two
   * training steps.
   */
  async #probabilities(pixels: Float32Array, count: number): Promise<Float32Array> {
    const model = this.#model!;
    const kind = this.#kind!;
    const probs = tidy(() =>
      noGrad(() => {
        const wasTraining = model.training;
        model.eval();
        try {
          const x = fromTypedArray(pixels, [count, ...modelInputShape(kind)], { backend: this.#backend! });
          return softmax(model.call(x) as Tensor, 1);
        } finally {
          model.train(wasTraining);
        }
      }),
    );
    try {
      return (await probs.data()) as Float32Array;
    } finally {
      probs.dispose();
    }
  }

  async #classifySamples(): Promise<number[]> {
    const n = this.#samples.length;
    if (n === 0 || !this.#model) return [];
    const side = IMAGE_SIDE * IMAGE_SIDE;
    const pixels = new Float32Array(n * side);
    this.#samples.forEach((s, i) => s.pixels.forEach((p, j) => (pixels[i * side + j] = p / 255)));
    const p = await this.#probabilities(pixels, n);
    return Array.from({ length: n }, (_, i) => {
      const row = p.subarray(i * 10, i * 10 + 10);
      return row.indexOf(Math.max(...row));
    });
  }

  async #predict(id: number, pixels: Float32Array): Promise<void> {
    if (!this.#model) throw new Error('there is no model to predict with; train one or load one first');
    const side = IMAGE_SIDE * IMAGE_SIDE;
    if (!(pixels instanceof Float32Array) || pixels.length !== side) {
      const got = pixels instanceof Float32Array ? `${pixels.length} values` : typeof pixels;
      throw new Error(`predict: expected a Float32Array of ${side} pixels (28×28, row-major, in [0, 1]), got ${got}`);
    }
    const p = await this.#probabilities(pixels, 1);
    const classes = FashionMNIST.classes;
    const top = Array.from(p, (probability, label) => ({ label, name: classes[label]!, probability }))
      .sort((a, b) => b.probability - a.probability || a.label - b.label)
      .slice(0, 3);
    this.#post({ type: 'prediction', id, top });
  }

  async #save(id: number): Promise<void> {
    if (!this.#model || !this.#kind) throw new Error('there is no model to save; train one or load one first');
    const bytes = await modelSafetensors(this.#model, this.#kind);
    this.#post({ type: 'saved', id, bytes, filename: `fashion-mnist-${this.#kind}.safetensors` }, [bytes.buffer]);
  }

  async #loadModel(id: number, bytes: Uint8Array, name: string, choice: BackendChoice): Promise<void> {
    if (this.#run) throw new Error(`cannot load ${name} while training; stop the run first`);
    if (!(bytes instanceof Uint8Array)) throw new Error(`load-model: expected the file's bytes as a Uint8Array, got ${typeof bytes}`);
    if (this.#modelLoading) throw new Error(`cannot load ${name}: another model file is being loaded; wait for its model-loaded`);
    this.#modelLoading = true;
    try {
      const { name: backend, label } = await this.#resolveBackend(choice);
      await setBackend(backend);
      const { kind, model } = await modelFromSafetensors(bytes, name);
      this.#dropModel();
      this.#model = model;
      this.#kind = kind;
      this.#backend = backend;
      this.#post({ type: 'model-loaded', id, model: kind, backend: label, parameters: parameterCount(model) });
    } finally {
      this.#modelLoading = false;
    }
  }
}

function parameterCount(model: Sequential): number {
  return model.parameters().reduce((n, p) => n + p.numel(), 0);
}

/** Images per second over about the last second. */
class Throughput {
  #marks: { t: number; n: number }[] = [];

  reset(): void {
    this.#marks = [{ t: performance.now(), n: 0 }];
  }

  add(n: number): void {
    const t = performance.now();
    this.#marks.push({ t, n });
    // keep one mark older than a second as the window's start
    while (this.#marks.length > 2 && t - this.#marks[1]!.t > 1000) this.#marks.shift();
  }

  perSecond(): number {
    const m = this.#marks;
    if (m.length < 2) return 0;
    const seconds = (m[m.length - 1]!.t - m[0]!.t) / 1000;
    const images = m.slice(1).reduce((s, x) => s + x.n, 0);
    return seconds > 0 ? images / seconds : 0;
  }
}
