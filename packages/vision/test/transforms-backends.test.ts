// The transforms are built from ops every backend has (matmul, indexSelect, narrow, pad,
// comparisons, where, …): a selection of the torchvision cases of transforms.json, run on the
// tfjs backend (its cpu engine) and on WebGPU where an adapter exists (otherwise one skipped test
// says why), against torchvision's values.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { goldenData, goldenToTensor, loadGenerated, type TransformCase } from '@tensorgrad/conformance';
import { findBackend, Generator, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/backend-tfjs';
import * as vision from '@tensorgrad/vision';

// the lavapipe driver scripts/ensure-webgpu.sh unpacks (in this checkout or the main one)
for (const root of ['../../../', '../../../../main/']) {
  const icd = fileURLToPath(new URL(`${root}.cache/webgpu/lavapipe/lvp_icd.json`, import.meta.url));
  if (!process.env.VK_ICD_FILENAMES && existsSync(icd)) process.env.VK_ICD_FILENAMES = icd;
}
await import('@tensorgrad/backend-webgpu');

const file = loadGenerated<TransformCase>('transforms');
const images = new Map(file.cases.filter((c) => c.image).map((c) => [c.id.slice('image/'.length), c.image!]));
const byId = new Map(file.cases.map((c) => [c.id, c]));
const SELECTED = [
  'resize/bilinear-aa/down-4x5',
  'resize/nearest/up-11x13',
  'resize/bicubic/batch-3x11',
  'centerCrop/larger',
  'pad/reflect',
  'hflip/batch',
  'rotate/bilinear/17-center-fill',
  'affine/nearest/all',
  'adjustHue/-0.2',
  'adjustContrast/batch',
  'rgbToGrayscale/3',
  'RandomResizedCrop/seed0',
  'ColorJitter/seed1',
];

async function run(c: TransformCase, backend: string): Promise<Tensor> {
  const x = goldenToTensor(images.get(c.input!)!, backend);
  if (c.fn) {
    const f = (vision as unknown as Record<string, (...a: unknown[]) => Tensor>)[c.fn]!;
    return f(x, ...c.args, ...(Object.keys(c.kwargs).length ? [c.kwargs] : []));
  }
  const ctor = (vision as unknown as Record<string, new (...a: unknown[]) => vision.Transform>)[c.cls!]!;
  return new ctor(...c.args, { ...c.kwargs, generator: new Generator(c.seed!) })(x);
}

for (const name of ['tfjs', 'webgpu']) {
  const backend = await findBackend(name).then(
    () => null,
    (e: Error) => e.message,
  );
  describe(`transforms on ${name}`, () => {
    if (backend !== null) {
      it.skip(`${name} unavailable: ${backend}`, () => {});
      return;
    }
    it.each(SELECTED)('%s', async (id) => {
      const c = byId.get(id)!;
      expect(c, id).toBeDefined();
      const y = await run(c, name);
      expect(y.backend).toBe(name);
      expect(y.shape).toEqual(c.output!.shape);
      const got = await y.data();
      const want = goldenData(c.output!);
      let err = 0;
      for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i]! - want[i]!));
      expect(err, `${id} on ${name}: max abs error`).toBeLessThanOrEqual(2e-5);
      y.dispose();
    });
  });
}
