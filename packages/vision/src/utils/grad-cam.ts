import { Tensor, enableGrad, interpolate, keep, noGrad, relu, tensor, tidy } from '@tensorgrad/tensor';
import { grad } from '@tensorgrad/autodiff';
import { Linear, Module, type AnyModule } from '@tensorgrad/layers';
import { parseArgs, signature } from '../args.js';

/** Options of {@link gradCam} and {@link cam}. */
export interface CamOptions {
  /**
   * The class to explain: one index for every image, one per image, or absent/`null` for each
   * image's highest-scoring class (pytorch-grad-cam's default).
   */
  classIndex?: number | readonly number[] | null;
}

/** A model: a module, or any function from the input batch to logits `[N, classes]`. */
export type CamModel = AnyModule | ((input: Tensor) => Tensor);

const GRAD_CAM = signature('gradCam', ['classIndex']);
const CAM = signature('cam', ['classIndex']);

function runModel(op: string, model: CamModel, x: Tensor): Tensor {
  const out = model instanceof Module ? (model as AnyModule).call(x) : (model as (x: Tensor) => Tensor)(x);
  if (!(out instanceof Tensor) || out.ndim !== 2 || out.shape[0] !== x.shape[0]) {
    const got = out instanceof Tensor ? `shape [${out.shape.join(', ')}]` : String(out);
    throw new RangeError(`${op}: expected the model to return logits [N, classes] for N = ${x.shape[0]} images, got ${got}`);
  }
  return out;
}

/** The class of each image as an int32 `[N, 1]` tensor (given, or the argmax of `logits`). */
function classes(op: string, logits: Tensor, classIndex: unknown): Tensor {
  const [n, k] = logits.shape as [number, number];
  if (classIndex === undefined || classIndex === null) return logits.argmax(1, true);
  const list = typeof classIndex === 'number' ? new Array<number>(n).fill(classIndex) : Array.isArray(classIndex) ? (classIndex as unknown[]) : null;
  if (list === null || list.length !== n || list.some((c) => !Number.isInteger(c) || (c as number) < 0 || (c as number) >= k)) {
    throw new RangeError(`${op}: expected classIndex to be a class in [0, ${k - 1}] or a list of ${n} of them (one per image), got ${JSON.stringify(classIndex)}`);
  }
  return tensor(list as number[], { dtype: 'int32', backend: logits.backend }).reshape([n, 1]);
}

function checkInput(op: string, input: unknown): asserts input is Tensor {
  if (!(input instanceof Tensor) || input.ndim !== 4) {
    const got = input instanceof Tensor ? `shape [${input.shape.join(', ')}]` : String(input);
    throw new RangeError(`${op}: expected an input batch [N, C, H, W], got ${got}; add the batch dim with .unsqueeze(0)`);
  }
}

/**
 * Runs `model` on `input` and captures the output of `layer` (a module called once in the
 * forward pass), through a forward hook that is removed afterwards.
 */
function capture<T>(op: string, layer: AnyModule, fn: (seen: () => Tensor) => T): T {
  if (!(layer instanceof Module)) throw new TypeError(`${op}: expected layer to be a Module of the model (e.g. model.features[28]), got ${String(layer)}`);
  let activation: Tensor | null = null;
  let calls = 0;
  const handle = layer.registerForwardHook((_m, _inputs, out) => {
    calls++;
    if (!(out instanceof Tensor) || out.ndim !== 4) {
      throw new RangeError(`${op}: expected the layer's output to be a feature map [N, K, h, w], got ${out instanceof Tensor ? `shape [${out.shape.join(', ')}]` : String(out)}`);
    }
    if (calls > 1) throw new RangeError(`${op}: the layer ran ${calls} times in one forward pass; choose a layer that runs once`);
    activation = out;
  });
  try {
    return fn(() => {
      if (activation === null) throw new RangeError(`${op}: the layer never ran during the model's forward pass; pass a module that is part of the model`);
      return activation;
    });
  } finally {
    handle.remove();
  }
}

/** ReLU, per-image min-max to [0, 1] (pytorch-grad-cam's `scale_cam_image`), bilinear to `size`. */
function finish(weighted: Tensor, size: [number, number]): Tensor {
  const [n, h, w] = weighted.shape as [number, number, number];
  const r = relu(weighted);
  const flat = r.reshape([n, h * w]);
  const shifted = r.sub(flat.min(1, true).values.reshape([n, 1, 1]));
  const scaled = shifted.div(shifted.reshape([n, h * w]).max(1, true).values.reshape([n, 1, 1]).add(1e-7));
  return interpolate(scaled.unsqueeze(1), { size, mode: 'bilinear', alignCorners: false }).squeeze(1);
}

/**
 * Grad-CAM (Selvaraju et al. 2017), as the pytorch-grad-cam package and the book's chapter 6
 * compute it: a heatmap `[N, H, W]` in `[0, 1]` at the input's size, of where `layer`'s feature
 * map `A` `[N, K, h, w]` drives the score of class `classIndex`. The weight of each channel is the
 * spatial mean of the score's gradient with respect to it; the map is `ReLU(Σₖ wₖ·Aₖ)`, scaled per
 * image to `[0, 1]` (`(m − min) / (max − min + 1e-7)`) and resized bilinearly (`alignCorners:
 * false`, as `cv2.resize`). `layer` is a module that runs once in `model`'s forward pass (the
 * last convolutional block, typically); its output is captured with `registerForwardHook` and
 * its gradient with `registerHook`. The gradient is computed with `grad()`, so no parameter's
 * `.grad` changes, and frozen models work. Put the model in eval mode first (`model.eval()`), as
 * pytorch-grad-cam does, so that dropout and batch norm behave as in inference.
 *
 * @example
 * ```ts
 * import { Conv2d, Flatten, Linear, ReLU, Sequential, AdaptiveAvgPool2d } from '@tensorgrad/layers';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { gradCam } from '@tensorgrad/vision';
 * const conv = new Conv2d(3, 4, 3, { padding: 1 });
 * const model = new Sequential(conv, new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(4, 2)).eval();
 * const heatmap = gradCam(model, conv, randn([2, 3, 8, 8]), { classIndex: 1 });
 * heatmap.shape; // [2, 8, 8]
 * (await heatmap.max().item()) <= 1; // true
 * ```
 */
export function gradCam(model: CamModel, layer: AnyModule, input: Tensor, options?: CamOptions): Tensor;
export function gradCam(model: CamModel, layer: AnyModule, input: Tensor, ...args: unknown[]): Tensor {
  const op = 'gradCam';
  const { classIndex } = parseArgs(GRAD_CAM, args);
  checkInput(op, input);
  const size: [number, number] = [input.shape[2]!, input.shape[3]!];
  return capture(op, layer, (activation) => {
    let acts: Tensor | null = null;
    let grads: Tensor | null = null;
    try {
      // the gradient of the summed class scores with respect to the layer's output, caught by a
      // tensor hook; grad() differentiates with respect to the input only, so no .grad changes
      grad(
        (x) => {
          const logits = enableGrad(() => runModel(op, model, x));
          const a = activation();
          acts = keep(a.detach());
          a.registerHook((g) => {
            grads = keep(g.clone());
          });
          return logits.gather(classes(op, logits, classIndex), 1).sum();
        },
        [input],
      ).forEach((t) => t.dispose());
      if (grads === null) throw new RangeError(`${op}: the class scores do not depend on the layer's output; pick a layer before the classifier head`);
      const [a, g] = [acts!, grads as Tensor];
      return noGrad(() => tidy(() => finish(g.mean([2, 3], true).mul(a).sum(1), size)));
    } finally {
      (acts as Tensor | null)?.dispose();
      (grads as Tensor | null)?.dispose();
    }
  });
}

/**
 * Class activation mapping (CAM, Zhou et al. 2016) for models whose head is global average
 * pooling followed by one linear layer `fc` (ResNet's `avgpool` + `fc`): the feature map `A` of
 * `layer` (the input of the pooling) weighted by `fc`'s row of class `classIndex`, `ReLU(Σₖ
 * W[c, k]·Aₖ)`, then scaled and resized like {@link gradCam}. For such a model it gives the same
 * heatmap as Grad-CAM (whose weights are then `W[c, k] / (h·w)`), without a backward pass.
 *
 * @example
 * ```ts
 * import { Conv2d, Flatten, Linear, ReLU, Sequential, AdaptiveAvgPool2d } from '@tensorgrad/layers';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { cam } from '@tensorgrad/vision';
 * const features = new Sequential(new Conv2d(3, 4, 3, { padding: 1 }), new ReLU());
 * const fc = new Linear(4, 2);
 * const model = new Sequential(features, new AdaptiveAvgPool2d(1), new Flatten(), fc).eval();
 * cam(model, features, fc, randn([1, 3, 8, 8])).shape; // [1, 8, 8]
 * ```
 */
export function cam(model: CamModel, layer: AnyModule, fc: Linear, input: Tensor, options?: CamOptions): Tensor;
export function cam(model: CamModel, layer: AnyModule, fc: Linear, input: Tensor, ...args: unknown[]): Tensor {
  const op = 'cam';
  const { classIndex } = parseArgs(CAM, args);
  checkInput(op, input);
  if (!(fc instanceof Linear)) throw new TypeError(`${op}: expected fc to be the model's final Linear layer, got ${String(fc)}`);
  const size: [number, number] = [input.shape[2]!, input.shape[3]!];
  return capture(op, layer, (activation) =>
    noGrad(() =>
      tidy(() => {
        const logits = runModel(op, model, input);
        const a = activation();
        if (a.shape[1] !== fc.weight.shape[1]) {
          throw new RangeError(`${op}: the layer has ${a.shape[1]} channels but fc takes ${fc.weight.shape[1]} features; pass the feature map right before the global average pooling`);
        }
        // W[c_n, :] for each image n: [N, K, 1, 1]
        const w = fc.weight.indexSelect(0, classes(op, logits, classIndex).reshape([-1]));
        return finish(w.reshape([a.shape[0]!, a.shape[1]!, 1, 1]).mul(a).sum(1), size);
      }),
    ),
  );
}
