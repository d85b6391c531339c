// The web page's worker logic (web/trainer.ts, web/data.ts) driven under Node on the cpu backend,
// as the page drives it: requests in, events out. The data is a tiny synthetic Fashion-MNIST
// served gzipped through a fake fetch; the numbers are checked against the CLI's own `fit`,
// model files and checkpoint (one code path).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeIdx, manualSeed, memory } from 'tensorgrad';
import { buildModel, buildOptimizer, fit, loadTrainedModel, modelInputShape, parseArgs, runTrain } from '@tensorgrad/fashion-mnist';
import { splitTensors, type RawSplit } from '../web/data.js';
import type { Event as WorkerEvent, Request, TrainSettings } from '../web/protocol.js';
import { Trainer } from '../web/trainer.js';

const SIDE = 784;
const SOURCE = 'http://fmnist.test/data/';

/** A learnable stand-in for Fashion-MNIST: class k lights up rows 2k and 2k+1, plus noise. */
function synthetic(count: number, salt: number): { pixels: Uint8Array; labels: Uint8Array } {
  const pixels = new Uint8Array(count * SIDE);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = (i * 7 + salt) % 10;
    labels[i] = label;
    for (let j = 0; j < SIDE; j++) {
      const row = Math.floor(j / 28);
      const noise = (i * 131 + j * 17 + salt) % 61;
      pixels[i * SIDE + j] = row === 2 * label || row === 2 * label + 1 ? 190 + noise : noise;
    }
  }
  return { pixels, labels };
}

const TRAIN = synthetic(96, 0);
const TEST = synthetic(48, 3);

function idxFiles(): Record<string, Uint8Array> {
  return {
    'train-images-idx3-ubyte': encodeIdx(TRAIN.pixels, [96, 28, 28]),
    'train-labels-idx1-ubyte': encodeIdx(TRAIN.labels, [96]),
    't10k-images-idx3-ubyte': encodeIdx(TEST.pixels, [48, 28, 28]),
    't10k-labels-idx1-ubyte': encodeIdx(TEST.labels, [48]),
  };
}

/** A fetch that serves `files` (by name in SOURCE) and records the URLs asked for. */
function fakeFetch(files: Record<string, Uint8Array>, asked: string[] = []): typeof fetch {
  return (async (input: string | URL | globalThis.Request) => {
    const url = String(input);
    asked.push(url);
    const name = url.startsWith(SOURCE) ? url.slice(SOURCE.length) : '';
    const bytes = files[name];
    if (!bytes) return new Response('not found', { status: 404, statusText: 'Not Found' });
    return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'content-length': String(bytes.length) } });
  }) as typeof fetch;
}

function gzipped(files: Record<string, Uint8Array>): Record<string, Uint8Array> {
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [`${name}.gz`, new Uint8Array(gzipSync(bytes))]));
}

/** A trainer with its events collected, and helpers to send a request and wait for its answer. */
function harness(files: Record<string, Uint8Array> = gzipped(idxFiles())) {
  const events: WorkerEvent[] = [];
  const asked: string[] = [];
  const trainer = makeTrainer({ post: (e) => void events.push(e), fetch: fakeFetch(files, asked), gpu: null, isolated: false });
  let nextId = 1;
  /** Sends a request with a fresh id and resolves with the first event answering it (`ok` or `error`). */
  const ask = async <T extends WorkerEvent['type']>(request: Record<string, unknown> & { type: Request['type'] }, answer: T): Promise<Extract<WorkerEvent, { type: T }> | Extract<WorkerEvent, { type: 'error' }>> => {
    const id = nextId++;
    const from = events.length;
    await trainer.handle({ ...request, id } as Request);
    const reply = events.slice(from).find((e) => 'id' in e && e.id === id && (e.type === answer || e.type === 'error'));
    if (!reply) throw new Error(`no ${answer} or error event for request ${id}: ${JSON.stringify(events.slice(from).map((e) => e.type))}`);
    return reply as never;
  };
  return { trainer, events, asked, ask };
}

// every trainer a test makes, freed after it: their tensors would otherwise count in later
// tests' memory checks (and stop counting whenever the garbage collector takes them)
const trainers: Trainer[] = [];
afterEach(() => {
  for (const t of trainers.splice(0)) t.dispose();
});

function makeTrainer(options: ConstructorParameters<typeof Trainer>[0]): Trainer {
  const t = new Trainer(options);
  trainers.push(t);
  return t;
}

const SETTINGS: TrainSettings = { model: 'mlp', backend: 'cpu', epochs: 2, batchSize: 16, lr: 1e-3, optimizer: 'adam', limit: 64, testLimit: 48, seed: 3 };

function rawSplit(d: { pixels: Uint8Array; labels: Uint8Array }, count: number): RawSplit {
  return { count, pixels: d.pixels, labels: d.labels };
}

describe('web trainer', () => {
  it('says hello with the backends: cpu always, webgpu without navigator.gpu not, each with a reason', async () => {
    const { ask } = harness();
    const hello = await ask({ type: 'hello' }, 'hello');
    expect(hello.type).toBe('hello');
    if (hello.type !== 'hello') return;
    expect(hello.isolated).toBe(false);
    expect(hello.threads).toBe(1);
    const byName = Object.fromEntries(hello.backends.map((b) => [b.name, b]));
    expect(byName.cpu).toEqual({ name: 'cpu', available: true, detail: '1 thread (the page is not cross-origin isolated, so no threads)' });
    expect(byName.webgpu!.available).toBe(false);
    expect(byName.webgpu!.detail).toMatch(/navigator\.gpu is missing/);
    expect(byName.tfjs!.available).toBe(true);
  });

  it('offers a software WebGPU adapter but lets auto pick cpu; no adapter is unavailable with the reason', async () => {
    const answering = (adapter: unknown): GPU => ({ requestAdapter: async () => adapter }) as unknown as GPU;
    const events: WorkerEvent[] = [];
    const swiftshader = { info: { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: false } };
    const soft = makeTrainer({ post: (e) => void events.push(e), fetch: fakeFetch(gzipped(idxFiles())), gpu: answering(swiftshader), isolated: false });
    await soft.handle({ type: 'hello', id: 1 });
    const hello = events.at(-1) as Extract<WorkerEvent, { type: 'hello' }>;
    expect(hello.backends.find((b) => b.name === 'webgpu')).toEqual({ name: 'webgpu', available: true, detail: 'google swiftshader (a software adapter, slower than cpu: auto picks cpu)' });
    await soft.handle({ type: 'load-data', id: 2, source: SOURCE });
    await soft.handle({ type: 'train', id: 3, settings: { ...SETTINGS, backend: 'auto', epochs: 1, limit: 16 } });
    expect(events.find((e) => e.type === 'run-start')).toMatchObject({ backend: 'cpu (1 thread)' });
    expect(events.at(-1)).toMatchObject({ type: 'run-end', id: 3 });

    const none = makeTrainer({ post: (e) => void events.push(e), gpu: answering(null), isolated: false });
    await none.handle({ type: 'hello', id: 4 });
    const noAdapter = (events.at(-1) as Extract<WorkerEvent, { type: 'hello' }>).backends.find((b) => b.name === 'webgpu')!;
    expect(noAdapter.available).toBe(false);
    expect(noAdapter.detail).toMatch(/^no WebGPU adapter: navigator\.gpu\.requestAdapter\(\) gave none/);
  });

  it('loads the data (.gz first), reporting progress per file, and sends the first test images', async () => {
    const { ask, events, asked } = harness();
    const ready = await ask({ type: 'load-data', source: SOURCE }, 'data-ready');
    expect(ready.type).toBe('data-ready');
    if (ready.type !== 'data-ready') return;
    expect([ready.train, ready.test]).toEqual([96, 48]);
    expect(ready.classes[9]).toBe('Ankle boot');
    expect(ready.samples).toHaveLength(40);
    expect(ready.samples[5]!.label).toBe(TEST.labels[5]);
    expect([...ready.samples[5]!.pixels]).toEqual([...TEST.pixels.subarray(5 * SIDE, 6 * SIDE)]);
    expect(asked).toEqual(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map((f) => `${SOURCE}${f}.gz`));
    const progress = events.filter((e) => e.type === 'data-progress');
    const last = progress.filter((e) => e.file === 'train-images-idx3-ubyte.gz').at(-1)!;
    expect(last.loaded).toBe(gzipped(idxFiles())['train-images-idx3-ubyte.gz']!.length);
    expect(last.total).toBe(last.loaded);
    // plain files are found after the .gz names answer 404
    const plain = harness(idxFiles());
    expect((await plain.ask({ type: 'load-data', source: SOURCE }, 'data-ready')).type).toBe('data-ready');
    expect(plain.asked.slice(0, 2)).toEqual([`${SOURCE}train-images-idx3-ubyte.gz`, `${SOURCE}train-images-idx3-ubyte`]);
  });

  it('explains missing, truncated and inconsistent files', async () => {
    const files = gzipped(idxFiles());
    delete files['t10k-labels-idx1-ubyte.gz'];
    const missing = await harness(files).ask({ type: 'load-data', source: SOURCE }, 'data-ready');
    expect(missing.type).toBe('error');
    if (missing.type === 'error') {
      expect(missing.message).toContain(`cannot fetch t10k-labels-idx1-ubyte: tried ${SOURCE}t10k-labels-idx1-ubyte.gz (HTTP 404 Not Found) and ${SOURCE}t10k-labels-idx1-ubyte (HTTP 404 Not Found)`);
      expect(missing.message).toContain('npm run web');
      expect(missing.message).toContain('?data=');
    }

    const truncated = idxFiles();
    truncated['train-images-idx3-ubyte'] = truncated['train-images-idx3-ubyte']!.subarray(0, 5000);
    const t = await harness(truncated).ask({ type: 'load-data', source: SOURCE }, 'data-ready');
    expect(t.type === 'error' && t.message).toMatch(/train-images-idx3-ubyte: not a valid IDX file: .* it is truncated/);
    const badGzip = gzipped(idxFiles());
    badGzip['train-labels-idx1-ubyte.gz'] = badGzip['train-labels-idx1-ubyte.gz']!.subarray(0, 30);
    // Chromium's Response reports a failing body stream as "Failed to fetch" (measured): the
    // decompressor's own reason must come through instead
    class ChromiumResponse extends Response {
      override async arrayBuffer(): Promise<ArrayBuffer> {
        return super.arrayBuffer().catch(() => {
          throw new TypeError('Failed to fetch');
        });
      }
    }
    vi.stubGlobal('Response', ChromiumResponse);
    let g: WorkerEvent;
    try {
      g = await harness(badGzip).ask({ type: 'load-data', source: SOURCE }, 'data-ready');
    } finally {
      vi.unstubAllGlobals();
    }
    expect(g.type === 'error' && g.message).toMatch(/train-labels-idx1-ubyte\.gz is not a valid gzip file \(unexpected end of file\)/);

    const fewLabels = idxFiles();
    fewLabels['t10k-labels-idx1-ubyte'] = encodeIdx(TEST.labels.subarray(0, 47), [47]);
    const l = await harness(fewLabels).ask({ type: 'load-data', source: SOURCE }, 'data-ready');
    expect(l.type === 'error' && l.message).toBe(
      'Fashion-MNIST: the test set has 48 images in t10k-images-idx3-ubyte but 47 labels in t10k-labels-idx1-ubyte; expected one label per image. The two files do not belong together: replace them',
    );

    const events: WorkerEvent[] = [];
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const network = makeTrainer({ post: (e) => void events.push(e), fetch: offline, gpu: null, isolated: false });
    await network.handle({ type: 'load-data', id: 1, source: SOURCE });
    expect(events.at(-1)).toMatchObject({ type: 'error', id: 1 });
    expect((events.at(-1) as { message: string }).message).toContain(`tried ${SOURCE}train-images-idx3-ubyte.gz (network error: Failed to fetch)`);
  });

  it("trains with the CLI's fit: same losses for the same data and seed, events in order", async () => {
    const { ask, events } = harness();
    await ask({ type: 'load-data', source: SOURCE }, 'data-ready');
    const from = events.length;
    const end = await ask({ type: 'train', settings: SETTINGS }, 'run-end');
    expect(end).toMatchObject({ type: 'run-end', stopped: false, epochs: 2 });
    const run = events.slice(from);
    expect(run[0]).toMatchObject({ type: 'run-start', backend: 'cpu (1 thread)', parameters: 795010, batchesPerEpoch: 4, settings: SETTINGS });
    // the order: per epoch its batches, then evaluation progress, then the epoch
    const kinds = run.map((e) => (e.type === 'batch' ? `b${e.epoch}` : e.type === 'epoch' ? `e${e.epoch}` : e.type === 'evaluate-progress' ? `v${e.epoch}` : e.type));
    const squeezed = kinds.filter((k, i) => k !== kinds[i - 1]);
    expect(squeezed).toEqual(['run-start', 'b1', 'v1', 'e1', 'b2', 'v2', 'e2', 'run-end']);
    const batches = run.filter((e) => e.type === 'batch');
    // the last batch of every epoch is always sent
    expect(batches.filter((b) => b.batch === 4).map((b) => b.epoch)).toEqual([1, 2]);
    expect(batches.every((b) => b.memory.tensors > 0 && b.imagesPerSecond >= 0 && b.accuracy >= 0 && b.accuracy <= 1)).toBe(true);

    // the same run through fit directly
    const train = splitTensors(rawSplit(TRAIN, 96), 64, 'limit');
    const test = splitTensors(rawSplit(TEST, 48), 48, 'testLimit');
    manualSeed(3);
    const model = buildModel('mlp');
    const opt = buildOptimizer('adam', model.parameters(), 1e-3);
    const history = await fit(model, opt, train, test, { epochs: 2, batchSize: 16, seed: 3, inputShape: modelInputShape('mlp') });
    const epochs = run.filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => [e.trainLoss, e.testLoss, e.testAcc])).toEqual(history.map((h) => [h.trainLoss, h.testLoss, h.testAcc]));
    for (const b of batches) expect(b.loss).toBe(history[b.epoch - 1]!.batchLosses[b.batch - 1]);
    // the confusion matrix counts the 48 test images; the grid's predictions are the first 40
    expect(epochs[1]!.confusion.flat().reduce((a, b) => a + b)).toBe(48);
    expect(epochs[1]!.samplePredictions).toHaveLength(40);
    // train accuracy well above chance on this easy data
    expect(epochs[1]!.testAcc).toBeGreaterThan(0.5);
    // one epoch, then `continue` for another: the second epoch is the 2-epoch run's (same shuffle
    // of epoch 2, the optimizer's state kept)
    await ask({ type: 'train', settings: { ...SETTINGS, epochs: 1 } }, 'run-end');
    const at = events.length;
    expect(await ask({ type: 'train', settings: { ...SETTINGS, epochs: 1 }, continue: true }, 'run-end')).toMatchObject({ type: 'run-end', epochs: 1 });
    const continued = events.slice(at).filter((e) => e.type === 'epoch');
    expect(continued.map((e) => [e.epoch, e.trainLoss, e.testAcc])).toEqual([[2, history[1]!.trainLoss, history[1]!.testAcc]]);
    for (const t of [train.images, train.labels, test.images, test.labels]) t.dispose();
    opt.dispose();
    model.dispose();
  });

  it('trains on the tfjs backend (the TensorFlow.js wasm engine) through the same loop', async () => {
    const { ask, events } = harness();
    await ask({ type: 'load-data', source: SOURCE }, 'data-ready');
    const end = await ask({ type: 'train', settings: { ...SETTINGS, backend: 'tfjs', epochs: 1, limit: 32, testLimit: 40 } }, 'run-end');
    expect(end).toMatchObject({ type: 'run-end', stopped: false, epochs: 1 });
    expect(events.find((e) => e.type === 'run-start')).toMatchObject({ backend: 'tfjs (wasm)' });
    const epoch = events.find((e) => e.type === 'epoch')!;
    expect(Number.isFinite(epoch.trainLoss) && epoch.memory.tensors > 0).toBe(true);
    expect(await ask({ type: 'predict', pixels: new Float32Array(784) }, 'prediction')).toMatchObject({ type: 'prediction' });
  });

  it('refuses what cannot run now, saying why', async () => {
    const { ask, trainer, events } = harness();
    expect(await ask({ type: 'train', settings: SETTINGS }, 'run-end')).toMatchObject({ type: 'error', message: expect.stringMatching(/no data to train on; send load-data first/) });
    expect(await ask({ type: 'predict', pixels: new Float32Array(784) }, 'prediction')).toMatchObject({ type: 'error', message: expect.stringMatching(/no model to predict with/) });
    expect(await ask({ type: 'save' }, 'saved')).toMatchObject({ type: 'error', message: expect.stringMatching(/no model to save/) });
    await ask({ type: 'load-data', source: SOURCE }, 'data-ready');
    expect(await ask({ type: 'train', settings: { ...SETTINGS, limit: 97, batchSize: 0 } }, 'run-end')).toMatchObject({
      type: 'error',
      message: 'bad training settings: batchSize: expected a positive integer, got 0; limit: expected at most 96 (the training set\'s size), got 97',
    });
    expect(await ask({ type: 'train', settings: { ...SETTINGS, backend: 'webgpu' } }, 'run-end')).toMatchObject({ type: 'error', message: expect.stringMatching(/^the webgpu backend is not available here: .*pick another backend$/) });
    // a second train while one runs
    const first = trainer.handle({ type: 'train', id: 100, settings: { ...SETTINGS, epochs: 1 } });
    await trainer.handle({ type: 'train', id: 101, settings: SETTINGS });
    expect(events.find((e) => e.type === 'error' && e.id === 101)).toMatchObject({ message: expect.stringMatching(/a run is already in progress/) });
    await first;
    expect(events.at(-1)).toMatchObject({ type: 'run-end', id: 100 });
  });

  it('pauses between batches, resumes, and stops keeping what was learned', async () => {
    const { ask, trainer, events } = harness();
    await ask({ type: 'load-data', source: SOURCE }, 'data-ready');
    const image = Float32Array.from(TEST.pixels.subarray(0, SIDE), (p) => p / 255);
    const probabilities = async (): Promise<number[]> => {
      const p = await ask({ type: 'predict', pixels: image }, 'prediction');
      if (p.type !== 'prediction') throw new Error(p.message);
      return p.top.map((t) => t.probability);
    };
    const run = trainer.handle({ type: 'train', id: 7, settings: { ...SETTINGS, epochs: 3, batchSize: 8 } });
    // wait for the first batch, then pause
    while (!events.some((e) => e.type === 'batch')) await new Promise((r) => setTimeout(r, 1));
    await trainer.handle({ type: 'pause' });
    expect(events.at(-1)).toEqual({ type: 'state', state: 'paused' });
    await new Promise((r) => setTimeout(r, 30));
    const count = events.filter((e) => e.type === 'batch').length;
    // predictions work while paused, and nothing trains meanwhile
    const during = await probabilities();
    await new Promise((r) => setTimeout(r, 60));
    expect(events.filter((e) => e.type === 'batch').length).toBe(count);
    expect(await probabilities()).toEqual(during);
    await trainer.handle({ type: 'resume' });
    expect(events.at(-1)).toEqual({ type: 'state', state: 'training' });
    while (events.filter((e) => e.type === 'batch').length <= count) await new Promise((r) => setTimeout(r, 1));
    await trainer.handle({ type: 'stop' });
    await run;
    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'run-end', id: 7, stopped: true });
    expect((end as { epochs: number }).epochs).toBeLessThan(3);
    // the stopped model is the trained one: its predictions stay as they were at the stop
    const after = await probabilities();
    expect(after).toEqual(await probabilities());
    expect(after).not.toEqual(during);
  });

  it('stops during evaluation after its batch in progress: the epoch counts as trained, unreported, and continue goes on after it', async () => {
    // 1,200 test images: three evaluation batches of 500
    const files = gzipped({ ...idxFiles(), 't10k-images-idx3-ubyte': encodeIdx(synthetic(1200, 3).pixels, [1200, 28, 28]), 't10k-labels-idx1-ubyte': encodeIdx(synthetic(1200, 3).labels, [1200]) });
    const { ask, trainer, events } = harness(files);
    await ask({ type: 'load-data', source: SOURCE }, 'data-ready');
    const run = trainer.handle({ type: 'train', id: 9, settings: { ...SETTINGS, epochs: 3, testLimit: 1200 } });
    while (!events.some((e) => e.type === 'evaluate-progress')) await new Promise((r) => setTimeout(r, 1));
    await trainer.handle({ type: 'stop' });
    await run;
    const progress = events.filter((e) => e.type === 'evaluate-progress');
    expect(progress.map((e) => [e.epoch, e.done])).toEqual([[1, 500]]);
    expect(events.some((e) => e.type === 'epoch')).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'run-end', id: 9, stopped: true, epochs: 1 });
    // the stopped epoch's shuffle is used up: continue trains epoch 2
    await ask({ type: 'train', settings: { ...SETTINGS, epochs: 1, testLimit: 48 }, continue: true }, 'run-end');
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.epoch)).toEqual([2]);
  });

  it('refuses an unknown optimizer before touching the model', async () => {
    const { ask } = harness();
    await ask({ type: 'load-data', source: SOURCE }, 'data-ready');
    await ask({ type: 'train', settings: { ...SETTINGS, epochs: 1 } }, 'run-end');
    const image = new Float32Array(SIDE).fill(0.5);
    const before = await ask({ type: 'predict', pixels: image }, 'prediction');
    const refused = await ask({ type: 'train', settings: { ...SETTINGS, optimizer: 'lbfgs' as TrainSettings['optimizer'] } }, 'run-end');
    expect(refused).toMatchObject({ type: 'error', message: 'bad training settings: optimizer: expected one of adam, sgd, adamw, rmsprop, adagrad, got "lbfgs"' });
    // the trained model is still there
    expect(await ask({ type: 'predict', pixels: image }, 'prediction')).toEqual({ ...before, id: expect.any(Number) });
  });

  it('saves and loads a model (identical predictions), loads the CLI checkpoint, and leaks no tensors', async () => {
    const start = memory('cpu').numTensors;
    const { ask, trainer } = harness();
    await ask({ type: 'load-data', source: SOURCE }, 'data-ready');
    // testLimit below the 40 samples: their predictions come from a separate forward pass
    const end = await ask({ type: 'train', settings: { ...SETTINGS, epochs: 1, testLimit: 20 } }, 'run-end');
    expect(end.type).toBe('run-end');
    const image = new Float32Array(SIDE).map((_, i) => TEST.pixels[SIDE + i]! / 255);
    const predict = async (): Promise<unknown> => ask({ type: 'predict', pixels: image }, 'prediction');
    const trained = await predict();
    const baseline = memory('cpu').numTensors;

    const saved = await ask({ type: 'save' }, 'saved');
    if (saved.type !== 'saved') throw new Error(saved.message);
    expect(saved.filename).toBe('fashion-mnist-mlp.safetensors');
    expect(memory('cpu').numTensors).toBe(baseline);
    // the CLI reads the downloaded file
    const dir = mkdtempSync(join(tmpdir(), 'fmnist-web-'));
    writeFileSync(join(dir, 'model.safetensors'), saved.bytes);
    const cli = await loadTrainedModel(join(dir, 'model.safetensors'));
    expect(cli.kind).toBe('mlp');
    cli.model.dispose();

    const loaded = await ask({ type: 'load-model', bytes: saved.bytes, name: 'fashion-mnist-mlp.safetensors', backend: 'cpu' }, 'model-loaded');
    expect(loaded).toMatchObject({ type: 'model-loaded', model: 'mlp', backend: 'cpu (1 thread)', parameters: 795010 });
    expect(await predict()).toMatchObject({ top: (trained as { top: unknown }).top });
    // the optimizer's state went with the old model; another load keeps the count flat
    const afterLoad = memory('cpu').numTensors;
    await ask({ type: 'load-model', bytes: saved.bytes, name: 'again.safetensors', backend: 'cpu' }, 'model-loaded');
    await predict();
    expect(memory('cpu').numTensors).toBe(afterLoad);
    // a run and another identical one leave the same number of tensors behind
    await ask({ type: 'train', settings: { ...SETTINGS, epochs: 1 } }, 'run-end');
    const afterRun = memory('cpu').numTensors;
    await ask({ type: 'train', settings: { ...SETTINGS, epochs: 1 } }, 'run-end');
    expect(memory('cpu').numTensors).toBe(afterRun);

    // a checkpoint written by the CLI
    const root = join(dir, 'data');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(root);
    for (const [name, bytes] of Object.entries(idxFiles())) writeFileSync(join(root, name), bytes);
    const cmd = parseArgs(['--model', 'mlp', '--epochs', '1', '--batch-size', '32', '--limit', '64', '--test-limit', '16', '--data-root', root, '--out', join(dir, 'run')]);
    if (cmd.command !== 'train') throw new Error('expected a train command');
    await runTrain(cmd.options, { stdout: { write: () => true }, stderr: { write: () => true } });
    const ckpt = await ask({ type: 'load-model', bytes: new Uint8Array(readFileSync(join(dir, 'run', 'checkpoint.safetensors'))), name: 'checkpoint.safetensors', backend: 'auto' }, 'model-loaded');
    expect(ckpt).toMatchObject({ type: 'model-loaded', model: 'mlp', backend: 'cpu (1 thread)' });
    const web = await predict();
    const fromCli = await loadTrainedModel(join(dir, 'run', 'model.safetensors'));
    const sameAsCli = await (async () => {
      const model = fromCli.model;
      model.eval();
      const { fromTypedArray, softmax, noGrad, tidy } = await import('tensorgrad');
      const p = tidy(() => noGrad(() => softmax(model.call(fromTypedArray(image, [1, 784])), 1)));
      const values = Array.from((await p.data()) as Float32Array);
      p.dispose();
      return values;
    })();
    fromCli.model.dispose();
    const top = (web as { top: { label: number; probability: number }[] }).top;
    for (const t of top) expect(t.probability).toBe(sameAsCli[t.label]);

    const junk = await ask({ type: 'load-model', bytes: new Uint8Array([1, 2, 3]), name: 'junk.bin', backend: 'cpu' }, 'model-loaded');
    expect(junk).toMatchObject({ type: 'error', message: expect.stringMatching(/^junk\.bin: /) });
    // everything the trainer made is accounted for: freeing its model and data frees all
    trainer.dispose();
    expect(memory('cpu').numTensors).toBe(start);
  });
});
