/**
 * Runs one `layers.json` case: the layer class built from the case's constructor options, its
 * state dict loaded, one forward (train or eval mode), the output, the input and parameter
 * gradients, and the buffers a training-mode forward updates (BatchNorm), all on the backend
 * under test.
 */
import * as L from '@tensorgrad/layers';
import { isFloating, tidy, type DType, type Tensor } from '@tensorgrad/tensor';
import { assertClose, toleranceFor, type Tolerance } from './compare.js';
import { goldenToTensor, type GoldenTensor } from './golden.js';
import type { CheckContext } from './harness.js';

/** One case of `layers.json` (see fixtures/pytorch/README.md). */
export interface LayerGoldenCase {
  id: string;
  /** The layer class name (`BatchNorm2d`). */
  op: string;
  dtype: DType;
  /** One input tensor. */
  inputs: GoldenTensor[];
  /** The constructor options (camelCase). */
  attrs: Record<string, unknown>;
  /** The full state dict loaded before the forward (PyTorch key names). */
  params: Record<string, GoldenTensor>;
  /** Training mode (`true`) or eval mode. */
  train: boolean;
  output: GoldenTensor;
  gradOutput?: GoldenTensor;
  grads?: (GoldenTensor | null)[];
  paramGrads?: Record<string, GoldenTensor>;
  paramsAfter?: Record<string, GoldenTensor>;
}

/**
 * The tolerance of every `layers.json` comparison: ARCHITECTURE.md's (Numerics) tolerance for reductions in
 * float32 (a layer is a composite of ops, most of them accumulating: matmul, convolution,
 * normalisation), 1e-10 in float64.
 *
 * @example
 * ```ts
 * import { layerTolerance } from '@tensorgrad/conformance';
 * layerTolerance('float32'); // { rtol: 1e-4, atol: 1e-5 }
 * ```
 */
export function layerTolerance(dtype: DType): Tolerance {
  return toleranceFor(dtype, 'reduction');
}

type Ctor = new (...args: unknown[]) => L.AnyModule;

/**
 * Why the layer class `op` cannot be built here (it is not exported by `@tensorgrad/layers`), or
 * `undefined` when it can.
 *
 * @example
 * ```ts
 * import { layerMissing } from '@tensorgrad/conformance';
 * layerMissing('Linear'); // undefined
 * layerMissing('LSTM'); // "'LSTM' is not exported by @tensorgrad/layers yet"
 * ```
 */
export function layerMissing(op: string): string | undefined {
  return typeof (L as unknown as Record<string, unknown>)[op] === 'function' ? undefined : `'${op}' is not exported by @tensorgrad/layers yet`;
}

/**
 * Builds the layer of a `layers.json` case with tensorgrad's calling convention: the required
 * arguments positionally (PyTorch's order), the other constructor options in one object. The
 * parameters are created on the current backend.
 *
 * @example
 * ```ts
 * import { buildGoldenLayer } from '@tensorgrad/conformance';
 * import '@tensorgrad/backend-cpu';
 * const fc = buildGoldenLayer('Linear', { inFeatures: 3, outFeatures: 2, bias: false });
 * Object.keys(fc.stateDict()); // ['weight']
 * fc.dispose();
 * ```
 */
export function buildGoldenLayer(op: string, attrs: Record<string, unknown>): L.AnyModule {
  const a = { ...attrs };
  const take = <T>(k: string): T => {
    if (!(k in a)) throw new Error(`buildGoldenLayer: ${op} needs the constructor option '${k}', which the case does not give`);
    const v = a[k] as T;
    delete a[k];
    return v;
  };
  const missing = layerMissing(op);
  if (missing !== undefined) throw new Error(`buildGoldenLayer: ${missing}`);
  const C = (L as unknown as Record<string, Ctor>)[op]!;
  switch (op) {
    case 'Linear':
      return new C(take('inFeatures'), take('outFeatures'), a);
    case 'Conv2d':
    case 'ConvTranspose2d':
      return new C(take('inChannels'), take('outChannels'), take('kernelSize'), a);
    case 'BatchNorm1d':
    case 'BatchNorm2d':
      return new C(take('numFeatures'), a);
    case 'LayerNorm':
      return new C(take('normalizedShape'), a);
    case 'Embedding':
      return new C(take('numEmbeddings'), take('embeddingDim'), a);
    case 'MaxPool2d':
    case 'AvgPool2d':
      return new C(take('kernelSize'), a);
    case 'AdaptiveAvgPool2d':
      return new C(take('outputSize'));
    case 'Softmax':
    case 'LogSoftmax':
      return new C(take('dim'));
    case 'ReLU':
    case 'Sigmoid':
    case 'Tanh':
    case 'Identity':
      return new C();
    case 'Flatten':
    case 'Upsample':
    case 'LeakyReLU':
    case 'GELU':
    case 'Dropout':
      return new C(a);
    // vision layers (issue #13; cases in fixtures/generated/layers-vision.json)
    case 'InstanceNorm2d':
      return new C(take('numFeatures'), a);
    case 'GroupNorm':
      return new C(take('numGroups'), take('numChannels'), a);
    case 'ReflectionPad2d':
    case 'ReplicationPad2d':
    case 'ZeroPad2d':
      return new C(take('padding'));
    case 'ConstantPad2d':
      return new C(take('padding'), take('value'));
    case 'PixelShuffle':
      return new C(take('upscaleFactor'));
    case 'PixelUnshuffle':
      return new C(take('downscaleFactor'));
    case 'Dropout2d':
      return new C(a);
    // chapter 13 (cases in fixtures/generated/prelu.json)
    case 'PReLU':
      return new C(a);
    default:
      throw new Error(`buildGoldenLayer: no constructor convention for '${op}' yet; add it to packages/conformance/src/golden-layers.ts`);
  }
}

/**
 * Runs `layers.json` case `c` in `ctx` (which disposes what it creates; the module is disposed
 * here); throws on the first mismatch.
 *
 * @example
 * ```ts
 * import * as tg from '@tensorgrad/tensor';
 * import { loadGolden, runChecked, runLayerGoldenCase, seededRng, type LayerGoldenCase } from '@tensorgrad/conformance';
 * import '@tensorgrad/backend-cpu';
 * import '@tensorgrad/autodiff';
 * const c = loadGolden<LayerGoldenCase>('layers.json').cases[0]; // a Linear case
 * await runChecked(tg.getBackend(), c.dtype, seededRng(c.id), tg, (ctx) => runLayerGoldenCase(ctx, c));
 * ```
 */
export async function runLayerGoldenCase(ctx: CheckContext, c: LayerGoldenCase): Promise<void> {
  const tol = layerTolerance(c.dtype);
  const model = buildGoldenLayer(c.op, c.attrs);
  try {
    if (c.dtype === 'float64') model.to('float64');
    const sd = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, ctx.track(goldenToTensor(v, ctx.backend))]));
    const loaded = model.loadStateDict(sd);
    if (loaded.missingKeys.length || loaded.unexpectedKeys.length) {
      throw new Error(`${c.id}: the state dict did not match: missing ${JSON.stringify(loaded.missingKeys)}, unexpected ${JSON.stringify(loaded.unexpectedKeys)}`);
    }
    model.train(c.train);
    const input = c.inputs[0];
    if (!input) throw new Error(`${c.id}: the case has no input`);
    const x = ctx.track(goldenToTensor(input, ctx.backend));
    if (isFloating(x.dtype)) x.requiresGrad_();
    const gradOutput = c.gradOutput ? ctx.track(goldenToTensor(c.gradOutput, ctx.backend)) : null;
    // the forward's intermediates are freed by tidy; the output is kept (and tracked)
    const y = ctx.track(
      tidy(() => {
        const out = model.call(x) as Tensor;
        if (gradOutput) out.backward(gradOutput);
        return out;
      }),
    );
    await assertClose(y, c.output, tol, `${c.id} output`);
    if (gradOutput) {
      const g0 = c.grads?.[0];
      if (g0) {
        if (!x.grad) throw new Error(`${c.id} input grad: backward() left .grad null`);
        await assertClose(x.grad, g0, tol, `${c.id} input grad`);
      }
      const named = new Map(model.namedParameters());
      for (const [k, e] of Object.entries(c.paramGrads ?? {})) {
        const g = named.get(k)?.grad;
        if (!g) throw new Error(`${c.id} grad of ${k}: ${named.has(k) ? 'backward() left .grad null' : `the module has no parameter '${k}'`}`);
        await assertClose(g, e, tol, `${c.id} grad of ${k}`);
      }
    }
    if (c.paramsAfter) {
      const after = ctx.track(model.stateDict());
      for (const [k, e] of Object.entries(c.paramsAfter)) {
        const t = after[k];
        if (!t) throw new Error(`${c.id} after ${k}: the module's state dict has no '${k}'`);
        await assertClose(t, e, tol, `${c.id} after ${k}`);
      }
    }
  } finally {
    model.dispose();
  }
}
