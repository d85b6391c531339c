import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FashionMNIST, memory } from 'tensorgrad';
import { DEBIAN_PACKAGE, ensureFashionMNIST, loadFashionData, type EnsureDeps } from '@tensorgrad/fashion-mnist';
import { NO_DATA } from './with-data.js';

const SYSTEM = '/usr/share/datasets/fashion-mnist';
const notFound = (): Error => new Error('FashionMNIST: cannot find the test set (t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]). Tried, in order: ...');

/** A fake system: `load` fails until apt-get install succeeded; apt-get's exit codes are scripted. */
function fakeSystem(exitCodes: Record<string, number[]>, canInstall: true | string = true) {
  const calls: string[] = [];
  const log: string[] = [];
  let installed = false;
  let loads = 0;
  const deps: EnsureDeps = {
    canInstall: () => canInstall,
    aptGet: (args) => {
      const cmd = args.join(' ');
      calls.push(cmd);
      const code = exitCodes[cmd]?.shift() ?? 0;
      if (code === 0 && args[0] === 'install') installed = true;
      return code;
    },
    load: async () => {
      loads++;
      if (!installed) throw notFound();
      return { marker: 'loaded' } as unknown as FashionMNIST;
    },
  };
  return { deps, calls, log, loads: () => loads, logger: (l: string) => log.push(l) };
}

describe('ensureFashionMNIST', () => {
  const install = `install -y ${DEBIAN_PACKAGE}`;

  it('installs the Debian package without apt-get update when that works', async () => {
    const s = fakeSystem({});
    const ds = await ensureFashionMNIST({ train: false }, s.deps, s.logger);
    expect((ds as unknown as { marker: string }).marker).toBe('loaded');
    expect(s.calls).toEqual([install]);
    expect(s.loads()).toBe(2);
    expect(s.log[0]).toBe(`Fashion-MNIST is not installed; installing Debian's ${DEBIAN_PACKAGE}: apt-get install -y ${DEBIAN_PACKAGE}`);
  });

  it('runs apt-get update and installs again when the first install fails', async () => {
    const s = fakeSystem({ [install]: [100, 0] });
    await ensureFashionMNIST({ train: false }, s.deps, s.logger);
    expect(s.calls).toEqual([install, 'update', install]);
    expect(s.log.join('\n')).toContain('apt-get install failed (exit status 100); refreshing the package lists: apt-get update');
  });

  it('fails with the lookup error when the install fails twice', async () => {
    const s = fakeSystem({ [install]: [100, 100] });
    await expect(ensureFashionMNIST({ train: false }, s.deps, s.logger)).rejects.toThrow(
      /cannot find the test set[\s\S]*apt-get install -y dataset-fashion-mnist failed with exit status 100, also after apt-get update/,
    );
  });

  it('does not try to install where it may not, and says why in the lookup error', async () => {
    const s = fakeSystem({}, 'not running as root');
    await expect(ensureFashionMNIST({ train: false }, s.deps, s.logger)).rejects.toThrow(/cannot find the test set[\s\S]*\(not installing dataset-fashion-mnist automatically: not running as root\)/);
    expect(s.calls).toEqual([]);
  });

  it('rethrows other errors untouched', async () => {
    const deps: EnsureDeps = {
      canInstall: () => true,
      aptGet: () => {
        throw new Error('must not run');
      },
      load: async () => {
        throw new Error('t10k-images-idx3-ubyte.gz: expected uint8 images');
      },
    };
    await expect(ensureFashionMNIST({ train: false }, deps)).rejects.toThrow('t10k-images-idx3-ubyte.gz: expected uint8 images');
  });

});

describe.skipIf(NO_DATA)('ensureFashionMNIST on this machine', () => {
  it('finds the installed dataset', async () => {
    const ds = await ensureFashionMNIST({ train: false }, { canInstall: () => 'the test must not install' });
    expect(ds.length).toBe(10000);
    ds.dispose();
  });
});

/** The IDX file read here with node:zlib and DataView alone. */
function readIdx(file: string): { dims: number[]; data: Uint8Array } {
  const b = gunzipSync(readFileSync(file));
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ndim = b[3]!;
  const dims = Array.from({ length: ndim }, (_, i) => v.getUint32(4 + 4 * i));
  return { dims, data: new Uint8Array(b.buffer, b.byteOffset + 4 + 4 * ndim) };
}

describe.skipIf(NO_DATA)('loadFashionData', () => {
  it('scales the images once to float32 [N, 1, 28, 28] = pixel / 255, with int32 labels', async () => {
    const images = readIdx(`${SYSTEM}/t10k-images-idx3-ubyte.gz`);
    const labels = readIdx(`${SYSTEM}/t10k-labels-idx1-ubyte.gz`);
    expect(images.dims).toEqual([10000, 28, 28]);
    const before = memory().numTensors;
    const d = await loadFashionData({ train: false, limit: 50, install: false });
    expect(d.length).toBe(50);
    expect(d.images.shape).toEqual([50, 1, 28, 28]);
    expect(d.images.dtype).toBe('float32');
    expect(d.labels.dtype).toBe('int32');
    const got = (await d.images.data()) as Float32Array;
    for (let i = 0; i < 50 * 784; i++) expect(got[i]).toBe(Math.fround(images.data[i]! / 255));
    expect([...((await d.labels.data()) as Int32Array)]).toEqual([...labels.data.subarray(0, 50)]);
    expect(d.classes).toEqual(FashionMNIST.classes);
    d.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('rejects a limit larger than the split', async () => {
    await expect(loadFashionData({ train: false, limit: 10001, install: false })).rejects.toThrow('Fashion-MNIST: expected a limit from 1 to 10,000 (the test set has 10,000 images), got 10001');
  });
});
