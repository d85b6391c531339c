import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { memory, zeros, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import { DataLoader, encodeIdx, FashionMNIST, MNIST, Subset, TensorDataset } from '@tensorgrad/data';

/** Writes a split of `n` 28×28 images whose pixels are `(k + p) % 256` (sample k, pixel p). */
function writeSplit(dir: string, prefix: 'train' | 't10k', labels: number[], gz: boolean, offset = 0): void {
  mkdirSync(dir, { recursive: true });
  const n = labels.length;
  const px = new Uint8Array(n * 784);
  for (let k = 0; k < n; k++) for (let p = 0; p < 784; p++) px[k * 784 + p] = (k + p + offset) % 256;
  const enc = (b: Uint8Array): Uint8Array => (gz ? gzipSync(b) : b);
  const ext = gz ? '.gz' : '';
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte${ext}`), enc(encodeIdx(px, [n, 28, 28])));
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte${ext}`), enc(encodeIdx(Uint8Array.from(labels), [n])));
}

const savedEnv = process.env.TENSORGRAD_DATA;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.TENSORGRAD_DATA;
  else process.env.TENSORGRAD_DATA = savedEnv;
});

describe('MNIST / FashionMNIST', () => {
  it('loads plain and gzipped IDX files with exact values, without leaks', async () => {
    delete process.env.TENSORGRAD_DATA;
    const before = memory().numTensors;
    for (const gz of [false, true]) {
      const root = mkdtempSync(join(tmpdir(), 'tg-mnist-'));
      writeSplit(join(root, 'MNIST', 'raw'), 't10k', [7, 2, 1], gz);
      const ds = await MNIST.load({ root, train: false });
      expect(ds.length).toBe(3);
      expect(ds.data.shape).toEqual([3, 28, 28]);
      expect(ds.data.dtype).toBe('int32');
      expect(await ds.targets.array()).toEqual([7, 2, 1]);
      expect(ds.classes[2]).toBe('2 - two');
      const [img, label] = ds.get(1);
      expect(label).toBe(2);
      const row0 = ((await img.array()) as number[][])[0]!;
      expect(row0).toEqual(Array.from({ length: 28 }, (_, p) => (1 + p) % 256));
      img.dispose();
      ds.dispose();
    }
    expect(memory().numTensors).toBe(before);
  });

  it('float32 data, transforms and the DataLoader fast path', async () => {
    const before = memory().numTensors;
    const root = mkdtempSync(join(tmpdir(), 'tg-fm-'));
    writeSplit(root, 'train', [9, 0, 3, 5, 1], true);
    const ds = await FashionMNIST.load({ root, dtype: 'float32' });
    expect(ds.data.dtype).toBe('float32');
    expect(ds.classes).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    const seen: number[] = [];
    for await (const [x, y] of new DataLoader(ds, { batchSize: 2, shuffle: true, seed: 3 })) {
      expect(x.shape.slice(1)).toEqual([28, 28]);
      seen.push(...((await y.array()) as number[]));
      x.dispose();
      y.dispose();
    }
    expect(seen.sort()).toEqual([0, 1, 3, 5, 9]);
    const scaled = await FashionMNIST.load({ root, transform: (img: Tensor) => img.div(255), targetTransform: (t) => t + 100 });
    const [x, y] = [...new DataLoader(scaled, { batchSize: 5 })][0]!;
    expect(await y.array()).toEqual([109, 100, 103, 105, 101]);
    expect(((await x.array()) as number[][][])[4]![0]![0]).toBeCloseTo(4 / 255, 6);
    x.dispose();
    y.dispose();
    scaled.dispose();
    ds.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('looks in root first, then $TENSORGRAD_DATA', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tg-root-'));
    const env = mkdtempSync(join(tmpdir(), 'tg-env-'));
    writeSplit(join(env, 'mnist'), 'train', [4], false);
    process.env.TENSORGRAD_DATA = env;
    const fromEnv = await MNIST.load({ root });
    expect(await fromEnv.targets.array()).toEqual([4]);
    fromEnv.dispose();
    writeSplit(root, 'train', [8], false);
    const fromRoot = await MNIST.load({ root });
    expect(await fromRoot.targets.array()).toEqual([8]);
    fromRoot.dispose();
  });

  it('fails with a message listing every place tried', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tg-none-'));
    const env = mkdtempSync(join(tmpdir(), 'tg-none-env-'));
    process.env.TENSORGRAD_DATA = env;
    const err = await MNIST.load({ root, train: false }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    for (const place of [join(root, 'MNIST', 'raw'), join(root, 'MNIST'), join(env, 'MNIST', 'raw'), env, '/usr/share/datasets/mnist']) {
      expect(msg).toContain(`${place} (`);
    }
    expect(msg).toMatch(/t10k-images-idx3-ubyte\[\.gz\]/);
    expect(msg).toMatch(/download: not attempted .*pass \{ download: true \}/);
    expect(msg.indexOf(root)).toBeLessThan(msg.indexOf(env));
    expect(msg.indexOf(env)).toBeLessThan(msg.indexOf('/usr/share/datasets/mnist'));
  });

  it('download: true fetches into root/<Name>/raw, and reports the URLs that failed', async () => {
    delete process.env.TENSORGRAD_DATA;
    const src = mkdtempSync(join(tmpdir(), 'tg-srv-'));
    writeSplit(src, 'train', [1, 2], true);
    const server = createServer((req, res) => {
      const f = join(src, (req.url ?? '/').slice(1));
      if (existsSync(f)) res.end(readFileSync(f));
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      const root = mkdtempSync(join(tmpdir(), 'tg-dl-'));
      const ds = await MNIST.load({ root, download: true, mirrors: [`http://127.0.0.1:${port}/missing/`, `http://127.0.0.1:${port}/`] });
      expect(await ds.targets.array()).toEqual([1, 2]);
      ds.dispose();
      expect(existsSync(join(root, 'MNIST', 'raw', 'train-labels-idx1-ubyte.gz'))).toBe(true);
      const root2 = mkdtempSync(join(tmpdir(), 'tg-dl2-'));
      const err = await MNIST.load({ root: root2, train: false, download: true, mirrors: [`http://127.0.0.1:${port}/`] }).catch((e: Error) => e);
      expect((err as Error).message).toMatch(/download http:\/\/127\.0\.0\.1:\d+\/t10k-images-idx3-ubyte\.gz .*HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('rejects a truncated data file naming it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tg-trunc-'));
    writeSplit(root, 'train', [1, 2], false);
    const bytes = encodeIdx(new Uint8Array(2 * 784), [2, 28, 28]);
    writeFileSync(join(root, 'train-images-idx3-ubyte'), bytes.subarray(0, bytes.length - 100));
    await expect(MNIST.load({ root })).rejects.toThrow(/train-images-idx3-ubyte: not a valid IDX file.*truncated/);
    writeSplit(root, 'train', [1, 2, 3], false);
    writeFileSync(join(root, 'train-labels-idx1-ubyte'), encodeIdx(new Uint8Array([1, 2]), [2]));
    await expect(MNIST.load({ root })).rejects.toThrow(/3 images but .* has 2 labels/);
  });

  const system = '/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz';
  const hasSystem = existsSync(system);
  if (!hasSystem) console.log(`skipping the real Fashion-MNIST test: ${system} is absent (apt-get install dataset-fashion-mnist)`);
  it.skipIf(!hasSystem)("loads the real Fashion-MNIST from Debian's dataset-fashion-mnist package", async () => {
    delete process.env.TENSORGRAD_DATA;
    const before = memory().numTensors;
    const train = await FashionMNIST.load();
    expect(train.length).toBe(60000);
    expect(train.data.shape).toEqual([60000, 28, 28]);
    const counts = new Array(10).fill(0);
    for (const t of train.targets.dataSync()) counts[t]++;
    expect(counts).toEqual(new Array(10).fill(6000));
    train.dispose();
    const test = await FashionMNIST.load({ train: false });
    expect(test.length).toBe(10000);
    test.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

describe('constructors called as a PyTorch user would: clear errors saying what to write', () => {
  it('new FashionMNIST({ train: false }) points to await FashionMNIST.load({ train: false })', () => {
    expect(() => new FashionMNIST({ train: false } as unknown as Tensor, undefined as unknown as Tensor)).toThrow(
      "FashionMNIST: the constructor expects already loaded tensors (data: [N, H, W] images, targets: int32 [N] labels), got an object with keys { train } as data; to load the dataset (torchvision's FashionMNIST(root, train=…)), use `await FashionMNIST.load({ train: false })`: loading reads or downloads files, which a constructor cannot wait for",
    );
  });
  it("new MNIST('./data', { train: false, download: true }) becomes load({ root: './data', train: false, download: true })", () => {
    expect(() => new MNIST('./data' as unknown as Tensor, { train: false, download: true } as unknown as Tensor)).toThrow(
      'use `await MNIST.load({ root: "./data", train: false, download: true })`',
    );
  });
  it('new MNIST() and new MNIST(42) say what the constructor takes', () => {
    expect(() => new (MNIST as unknown as new () => unknown)()).toThrow(
      'MNIST: the constructor expects already loaded tensors (data: [N, H, W] images, targets: int32 [N] labels), got undefined as data; pass the images tensor and the labels tensor, or load the files with `await MNIST.load({ root, train })`',
    );
    expect(() => new MNIST(42 as unknown as Tensor, 42 as unknown as Tensor)).toThrow('got number 42 as data');
  });
  it('images without labels', () => {
    const images = zeros([2, 28, 28], { dtype: 'int32' });
    expect(() => new FashionMNIST(images, [1, 2] as unknown as Tensor)).toThrow(
      'FashionMNIST: expected targets to be an int32 [2] Tensor of labels, got an array; pass new FashionMNIST(images, labels, { train })',
    );
    images.dispose();
  });
  it("DataLoader(ds, 64) is PyTorch's batch size; TensorDataset([1, 2]) and Subset(ds, tensor) say how to fix them", () => {
    const ds = new TensorDataset(zeros([4]));
    expect(new DataLoader(ds, 64).batchSize).toBe(64);
    expect(() => new DataLoader(undefined as never)).toThrow('DataLoader: expected a dataset (an object with a length and a get(i) method, e.g. a TensorDataset), got undefined');
    expect(() => new TensorDataset([1, 2] as unknown as Tensor)).toThrow(
      'TensorDataset: expected every argument to be a Tensor, got an array as argument 0; convert data with tensor(...) first (new TensorDataset(tensor(xs), tensor(ys)))',
    );
    expect(() => new Subset(ds, zeros([2]) as never)).toThrow(
      'Subset: expected an array of integer indices as the second argument, got object; pass e.g. new Subset(dataset, [0, 1, 2]) (convert a tensor with await t.array())',
    );
    ds.tensors[0].dispose();
  });
});
