// Leak tests of what surrounds a training step: DataLoader epochs, loadStateDict, checkpoint and
// state-dict files (@tensorgrad/io), backend moves (module.to, tensor.to), and error paths (an op
// that throws in the middle of a tidy, a failing load, an LBFGS closure that throws), on cpu, tfjs
// and webgpu. In apps/fuzz because they need data, io, layers, optimizers and all three backends.
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Adam, BatchNorm1d, DataLoader, Dataset, findBackendSync, LBFGS, Linear, loadCheckpoint, loadSafetensors, loadTorch, manualSeed, randn, ReLU,
  saveCheckpoint, saveSafetensors, saveTorch, Sequential, setBackend, stack, tensor, TensorDataset, tidy, toAsync, type Tensor,
  batchNorm, cat, conv2d, crossEntropy, ones, where, zeros,
} from 'tensorgrad';
import { collectTensors, expectNoLeak, LEAK_BACKENDS, LEAK_OPTIMIZERS, leakBackendUnavailable, lossOf, trainingStep } from '../src/index.js';
import { KNOWN_LEAKS } from './known-leaks.js';

const dir = await mkdtemp(join(tmpdir(), 'tensorgrad-leaks-'));
afterAll(async () => {
  const known = Object.entries(KNOWN_LEAKS);
  console.log(`${known.length} known leak(s) or failure(s) of the leak tests:${known.map(([k, v]) => `\n  - ${k}: ${v}`).join('')}`);
  await rm(dir, { recursive: true, force: true });
  await setBackend('cpu');
});

const disposeAll = (value: unknown): void => {
  for (const t of collectTensors(value)) t.dispose();
};
const mlp = (): Sequential => new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 2));

// a dataset whose samples arrive asynchronously (as decoded images do), fresh tensors each time
class AsyncSquares extends Dataset<Promise<[Tensor, Tensor]>> {
  constructor(private readonly failAt = -1) {
    super();
  }
  get length(): number {
    return 7;
  }
  async get(i: number): Promise<[Tensor, Tensor]> {
    await Promise.resolve();
    if (i === this.failAt) throw new Error(`sample ${i} cannot be read`);
    return [tensor([i, i * i]), tensor(i % 2, { dtype: 'int32' })];
  }
}

describe('the probe catches a leak on each counter it watches', () => {
  it('a tensor kept per run (tensors, bytes, buffers), a tfjs tensor no storage owns (tfjsUnowned)', async () => {
    const kept: Tensor[] = [];
    await expect(expectNoLeak('a kept tensor', 'cpu', () => kept.push(tensor([1, 2, 3])))).rejects.toThrow(
      /^leak in 'a kept tensor' on 'cpu': .*tensors \d+ → \d+ \(\+1 per run\), bytes \d+ → \d+ \(\+12 per run\), buffers \d+ → \d+ \(\+1 per run\)/,
    );
    for (const t of kept) t.dispose();
    const raw: tf.Tensor[] = [];
    await setBackend('tfjs');
    await expect(expectNoLeak('a raw tfjs tensor', 'tfjs', () => raw.push(tf.ones([2])))).rejects.toThrow(/tfjsUnowned \d+ → \d+ \(\+1 per run\)/);
    for (const t of raw) t.dispose();
    await setBackend('cpu');
  });

  it('a GPU buffer taken from the webgpu pool and never given back (gpuBuffers), when there is an adapter', async (ctx) => {
    if ((await leakBackendUnavailable('webgpu')) !== null) return ctx.skip();
    const gpu = findBackendSync('webgpu') as unknown as { pool: { acquire(bytes: number, usage: number): { buffer: { destroy(): void } } } };
    const lost: { destroy(): void }[] = [];
    await expect(expectNoLeak('a lost buffer', 'webgpu', () => lost.push(gpu.pool.acquire(64, 0x0080 | 0x0004 | 0x0008).buffer))).rejects.toThrow(
      /gpuBuffers \d+ → \d+ \(\+1 per run\)/,
    );
    for (const b of lost) b.destroy();
  });
});

for (const backend of LEAK_BACKENDS) {
  const reason = await leakBackendUnavailable(backend);
  if (reason !== null) {
    describe.skip(`leaks on ${backend} around training [skipped: ${reason}]`, () => it('runs', () => undefined));
    continue;
  }
  describe(`leaks on ${backend} around training`, () => {
    const setup = async (): Promise<void> => {
      await setBackend(backend);
      manualSeed(0);
    };

    it('DataLoader: an epoch over a TensorDataset, plain, shuffled with dropLast, and with a collateFn', async () => {
      await setup();
      const x = randn([8, 3]);
      const y = tensor([0, 1, 0, 1, 1, 0, 1, 0], { dtype: 'int32' });
      const ds = new TensorDataset(x, y);
      const model = mlp();
      const loaders = [
        new DataLoader(ds, { batchSize: 3 }),
        new DataLoader(ds, { batchSize: 3, shuffle: true, dropLast: true, seed: 1 }),
        new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 2, collateFn: (rows: Tensor[][]) => [stack(rows.map((r) => r[0]!)), stack(rows.map((r) => r[1]!))] }),
      ];
      try {
        for (const [i, loader] of loaders.entries()) {
          await expectNoLeak(`DataLoader #${i} epoch`, backend, async () => {
            for await (const [xb, yb] of loader as unknown as AsyncIterable<Tensor[]>) {
              tidy(() => void model.call(xb!).sum().add(yb!.float().sum()));
              xb!.dispose();
              yb!.dispose();
            }
          });
        }
      } finally {
        model.dispose();
        x.dispose();
        y.dispose();
      }
    });

    it('DataLoader: an async dataset with prefetch, a loop left early, and a sample that fails to load', async () => {
      await setup();
      const loader = new DataLoader(new AsyncSquares(), { batchSize: 2, shuffle: true, seed: 3 });
      await expectNoLeak('an async DataLoader epoch', backend, async () => {
        for await (const [xb, yb] of loader) {
          xb.dispose();
          yb.dispose();
        }
      });
      await expectNoLeak('an async DataLoader loop left after its first batch', backend, async () => {
        for await (const [xb, yb] of loader) {
          xb.dispose();
          yb.dispose();
          break;
        }
      });
      const failing = new DataLoader(new AsyncSquares(4), { batchSize: 2 });
      await expectNoLeak('an async DataLoader epoch whose sample 4 fails', backend, async () => {
        const seen: number[] = [];
        await expect(
          (async () => {
            for await (const [xb, yb] of failing) {
              seen.push(xb.shape[0]!);
              xb.dispose();
              yb.dispose();
            }
          })(),
        ).rejects.toThrow(/sample 4 cannot be read/);
        expect(seen).toEqual([2, 2]); // batches [0, 1] and [2, 3] arrived; [4, 5] failed
      });
    });

    it('loadStateDict: loading another model\'s state, and a strict load that fails on a shape', async () => {
      await setup();
      const src = mlp();
      const dst = mlp();
      const wrong = new Sequential(new Linear(3, 5), new BatchNorm1d(5), new ReLU(), new Linear(5, 2));
      try {
        await expectNoLeak('loadStateDict', backend, () => tidy(() => void dst.loadStateDict(src.stateDict())));
        // (the assertions below return nothing from their tidy: tidy searches what it returns for tensors)
        expect(await dst.stateDict()['0.weight']!.array()).toEqual(await src.stateDict()['0.weight']!.array());
        await expectNoLeak('a loadStateDict that fails on a shape', backend, () =>
          tidy(() => void expect(() => dst.loadStateDict(wrong.stateDict())).toThrow(/shape/)),
        );
      } finally {
        for (const m of [src, dst, wrong]) m.dispose();
      }
    });

    it('optimizer state dicts: every optimizer loads its own state dict and a twin\'s, memory flat', async () => {
      await setup();
      for (const o of LEAK_OPTIMIZERS) {
        const known = KNOWN_LEAKS[`${backend}/${o.name}.loadStateDict`];
        const model = mlp();
        const x = randn([4, 3]);
        const opt = o.make(model.parameters());
        const twin = o.make(model.parameters());
        try {
          const step = new Sequential(); // an empty module: trainingStep's eval/train switches are no-ops on it
          await trainingStep({ module: step, inputs: [x], forward: () => model.call(x) }, opt);
          // a tidy frees what stateDict() made (LBFGS returns copies; the others their state tensors, which no tidy owns)
          const run = (): void => tidy(() => {
            opt.loadStateDict(opt.stateDict());
            twin.loadStateDict(opt.stateDict());
          });
          if (known) {
            expect(run, `known failure ${backend}/${o.name}.loadStateDict: ${known}`).toThrow();
            continue;
          }
          await expectNoLeak(`${o.name}: loadStateDict(stateDict())`, backend, run);
        } finally {
          opt.dispose();
          twin.dispose();
          model.dispose();
          x.dispose();
        }
      }
    });

    it('checkpoints: saveCheckpoint/loadCheckpoint with optimizer state, safetensors and .pth round trips, a truncated file', async () => {
      await setup();
      const model = mlp();
      const opt = new Adam(model.parameters(), { lr: 0.01 });
      const x = randn([4, 3]);
      const file = join(dir, `ckpt-${backend}.safetensors`);
      try {
        tidy(() => {
          lossOf(model.call(x))!.backward();
          opt.step();
          opt.zeroGrad();
        });
        let epoch = 0;
        await expectNoLeak('saveCheckpoint + loadCheckpoint + loadStateDict', backend, async () => {
          await tidy(async () => saveCheckpoint(file, { model: model.stateDict(), optimizer: opt.stateDict(), epoch: ++epoch }));
          const ckpt = await loadCheckpoint(file);
          try {
            model.loadStateDict(ckpt.model);
            opt.loadStateDict(ckpt.optimizer as Parameters<typeof opt.loadStateDict>[0]);
            expect(ckpt.epoch).toBe(epoch);
          } finally {
            disposeAll(ckpt);
          }
        });
        await expectNoLeak('saveSafetensors + loadSafetensors', backend, async () => {
          const bytes = await tidy(async () => saveSafetensors(model.stateDict()));
          const { tensors } = await loadSafetensors(bytes);
          tidy(() => void model.loadStateDict(tensors));
          disposeAll(tensors);
        });
        await expectNoLeak('saveTorch + loadTorch', backend, async () => {
          const bytes = await tidy(async () => saveTorch(model.stateDict()));
          const sd = await loadTorch(bytes);
          tidy(() => void model.loadStateDict(sd));
          disposeAll(sd);
        });
        const whole = await tidy(async () => saveSafetensors(model.stateDict()));
        const truncated = join(dir, `truncated-${backend}.safetensors`);
        await writeFile(truncated, whole.subarray(0, whole.length - 7));
        await expectNoLeak('loadCheckpoint of a truncated file', backend, async () => {
          await expect(loadCheckpoint(truncated)).rejects.toThrow();
          await expect(loadSafetensors(whole.subarray(0, whole.length - 7))).rejects.toThrow();
        });
      } finally {
        opt.dispose();
        model.dispose();
        x.dispose();
      }
    });

    it('backend moves: module.to and tensor.to, there and back where the backend reads synchronously', async () => {
      await setup();
      // webgpu cannot read synchronously: module.to() moves onto it only (tensors leave it with toAsync)
      const other = backend === 'cpu' ? 'tfjs' : 'cpu';
      const model = mlp();
      const x = randn([2, 3]);
      try {
        await expectNoLeak(`module.to and tensor.to between '${backend}' and '${other}'`, [backend, other], async () => {
          await setBackend(other);
          const visitor = mlp().to(backend);
          await setBackend(backend);
          tidy(() => void visitor.call(x));
          visitor.dispose();
          if (backend !== 'webgpu') model.to(other).to(backend);
          const away = await toAsync(x, other);
          const back = away.to(backend);
          expect(await back.array()).toEqual(await x.array());
          away.dispose();
          back.dispose();
        });
      } finally {
        await setBackend(backend);
        model.dispose();
        x.dispose();
      }
    });

    it('error paths outside any tidy: an op that rejects its arguments frees what it made before throwing', async () => {
      await setup();
      // non-contiguous inputs, so that an op copying them before it checks shapes would leak the copies
      const a = randn([3, 4]).transpose(0, 1); // [4, 3]
      const b = randn([5, 2]).transpose(0, 1); // [2, 5]
      const img = randn([1, 2, 4, 4]).permute(0, 1, 3, 2);
      const w = randn([3, 3, 3, 3]);
      const g = tensor([1, 2], { requiresGrad: true });
      const target = tensor([0, 1], { dtype: 'int32' });
      const [mean, variance] = [zeros([3]), ones([3])];
      const [maskA, maskB] = [a.gt(0), b.gt(0)];
      const made = [a, b, img, w, g, target, mean, variance, maskA, maskB];
      const rejects: [string, () => unknown][] = [
        ['matmul', () => a.matmul(b)],
        ['add (broadcast)', () => a.add(b)],
        ['cat', () => cat([a, b], 0)],
        ['stack', () => stack([a, b])],
        ['conv2d', () => conv2d(img, w)],
        ['view of a non-contiguous tensor', () => a.view([12])],
        ['crossEntropy', () => crossEntropy(a, target)],
        ['batchNorm', () => batchNorm(img, mean, variance)],
        ['where', () => where(maskA, a, b)],
        ['maskedFill', () => a.maskedFill(maskB, 1)],
        ['softmax (dim)', () => a.softmax(5)],
        ['backward of a non-scalar', () => g.backward()],
      ];
      try {
        for (const [name, call] of rejects) await expectNoLeak(`${name} that throws`, backend, () => expect(call).toThrow(), { warmup: 1, repeats: 2 });
      } finally {
        for (const t of made) t.dispose();
      }
    });

    it('error paths: a shape error mid-forward, a failing backward, an async tidy that rejects, an LBFGS closure that throws', async () => {
      await setup();
      const bad = new Sequential(new Linear(3, 4), new ReLU(), new Linear(5, 2)); // 4 features into a Linear(5, 2)
      const x = randn([2, 3]);
      const good = new Linear(3, 1);
      const lbfgs = new LBFGS(good.parameters(), { maxIter: 3 });
      try {
        await expectNoLeak('a shape error in the middle of a forward pass', backend, () =>
          expect(() => tidy(() => lossOf(bad.call(x))!.backward())).toThrow(/shape|size|features/i),
        );
        await expectNoLeak('a backward that throws (a non-scalar loss without a gradient)', backend, () =>
          expect(() => tidy(() => good.call(x).backward())).toThrow(),
        );
        await expectNoLeak('an async tidy that rejects after an await', backend, () =>
          expect(
            tidy(async () => {
              const h = good.call(x).relu();
              await h.data();
              h.matmul(x); // [2, 1] @ [2, 3]: a shape error
            }),
          ).rejects.toThrow(),
        );
        let calls = 0;
        await expectNoLeak('an LBFGS step whose closure throws on its second call', backend, () =>
          expect(
            tidy(async () =>
              lbfgs.step(() => {
                if (++calls % 2 === 0) throw new Error('closure failed');
                lbfgs.zeroGrad();
                const loss = good.call(x).square().mean();
                loss.backward();
                return loss;
              }),
            ),
          ).rejects.toThrow(/closure failed/),
        );
      } finally {
        lbfgs.dispose();
        for (const m of [bad, good]) m.dispose();
        x.dispose();
      }
    });
  });
}
