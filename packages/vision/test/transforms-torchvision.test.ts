// The transforms against torchvision 0.14.1 (conformance's fixtures/generated/transforms.json,
// written by scripts/fixtures/generate.sh transforms): every functional case compared value by
// value, and every random class case run with a Generator seeded as torch.manual_seed was —
// the draws are PyTorch's, so the parameters must be torchvision's exactly and the outputs equal.
import { describe, expect, it } from 'vitest';
import { goldenData, goldenToTensor, loadGenerated, type GoldenTensor, type TransformCase } from '@tensorgrad/conformance';
import { Generator, memory, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import * as vision from '@tensorgrad/vision';

const file = loadGenerated<TransformCase>('transforms');
const images = new Map(file.cases.filter((c) => c.image).map((c) => [c.id.slice('image/'.length), c.image!]));
const cases = file.cases.filter((c) => !c.image);

/** Interpolating ops differ from PyTorch by float32 rounding of weights and sums only. */
function tolerance(c: TransformCase): number {
  const what = c.fn ?? c.cls ?? '';
  return /resize|Resized|rotate|affine|Rotation|Affine|adjust|Jitter|Grayscale|rgbTo/i.test(what) ? 1e-5 : 0;
}

async function expectClose(got: Tensor, want: GoldenTensor, atol: number, what: string): Promise<void> {
  expect(got.shape, `${what}: shape`).toEqual(want.shape);
  const g = await got.data();
  const w = goldenData(want);
  let worst = -1;
  let err = 0;
  for (let i = 0; i < w.length; i++) {
    const e = Math.abs(g[i]! - w[i]!);
    if (!(e <= err)) {
      err = e;
      worst = i;
    }
  }
  expect(err <= atol ? 'ok' : `max error ${err} at ${worst}: got ${g[worst]}, torchvision ${w[worst]}`, what).toBe('ok');
}

const FUNCTIONS: Record<string, (...a: unknown[]) => Tensor> = {
  resize: vision.resize as never,
  crop: vision.crop as never,
  centerCrop: vision.centerCrop as never,
  resizedCrop: vision.resizedCrop as never,
  hflip: vision.hflip as never,
  vflip: vision.vflip as never,
  pad: vision.pad as never,
  rotate: vision.rotate as never,
  affine: vision.affine as never,
  adjustBrightness: vision.adjustBrightness as never,
  adjustContrast: vision.adjustContrast as never,
  adjustSaturation: vision.adjustSaturation as never,
  adjustHue: vision.adjustHue as never,
  rgbToGrayscale: vision.rgbToGrayscale as never,
};

type Ctor = new (...a: unknown[]) => vision.Transform;

function build(name: string, args: unknown[], kwargs: Record<string, unknown>, generator: Generator): vision.Transform {
  const ctor = (vision as unknown as Record<string, Ctor>)[name]!;
  if (name === 'RandomApply') {
    const inner = (args[0] as [string, unknown[], Record<string, unknown>][]).map(([n, a, k]) => build(n, a, k, generator));
    return new ctor(inner, ...args.slice(1), { ...kwargs, generator });
  }
  return new ctor(...args, { ...kwargs, generator });
}

describe('transforms against torchvision 0.14.1', () => {
  it('has the images and cases it expects', () => {
    expect([...images.keys()]).toEqual(['img', 'tall', 'batch', 'big', 'gray']);
    expect(cases.length).toBeGreaterThan(100);
  });

  describe('functionals', () => {
    it.each(cases.filter((c) => c.fn).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
      const x = goldenToTensor(images.get(c.input!)!, 'cpu');
      const before = memory().numTensors;
      const y = FUNCTIONS[c.fn!]!(x, ...c.args, ...(Object.keys(c.kwargs).length ? [c.kwargs] : []));
      await expectClose(y, c.output!, tolerance(c), c.code!);
      y.dispose();
      expect(memory().numTensors, 'no tensor leaked').toBe(before);
      x.dispose();
    });
  });

  describe('random classes, seeded like torch.manual_seed', () => {
    it.each(cases.filter((c) => c.cls).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
      const x = goldenToTensor(images.get(c.input!)!, 'cpu');
      const t = build(c.cls!, c.args, c.kwargs, new Generator(c.seed!));
      const before = memory().numTensors;
      // torchvision's repr, except where Python's spelling cannot be told from the arguments
      // (1.0 vs 1 in RandomApply) or 0.14's RandomResizedCrop repr (a stray ')', antialias=None)
      if (!['RandomApply', 'RandomResizedCrop'].includes(c.cls!)) expect(String(t), `${c.id}: toString`).toBe(c.repr);
      const y = t(x);
      await expectClose(y, c.output!, tolerance(c), `${c.id}: ${c.code}`);
      y.dispose();
      expect(memory().numTensors, 'no tensor leaked').toBe(before);
      if (c.params !== undefined) {
        const g = new Generator(c.seed!);
        const got = (() => {
          switch (c.cls) {
            case 'RandomCrop': {
              const rc = t as vision.RandomCrop;
              const padded = rc.padding === null ? x : vision.pad(x, rc.padding);
              const p = vision.RandomCrop.getParams(padded, rc.size, g);
              if (padded !== x) padded.dispose();
              return p;
            }
            case 'RandomResizedCrop': {
              const r = t as vision.RandomResizedCrop;
              return vision.RandomResizedCrop.getParams(x, r.scale, r.ratio, g);
            }
            case 'RandomRotation':
              return vision.RandomRotation.getParams((t as vision.RandomRotation).degrees, g);
            case 'RandomAffine': {
              const a = t as vision.RandomAffine;
              const p = vision.RandomAffine.getParams(a.degrees, a.translate, a.scale, a.shear, [x.shape.at(-1)!, x.shape.at(-2)!], g);
              return [p.angle, p.translate, p.scale, p.shear];
            }
            case 'ColorJitter': {
              const j = t as vision.ColorJitter;
              const p = vision.ColorJitter.getParams(j.brightness, j.contrast, j.saturation, j.hue, g);
              return [p.order, p.brightness, p.contrast, p.saturation, p.hue];
            }
            default:
              throw new Error(`no getParams check for ${c.cls}`);
          }
        })();
        expect(got, `${c.id}: getParams`).toEqual(c.params);
      }
      x.dispose();
    });
  });
});
