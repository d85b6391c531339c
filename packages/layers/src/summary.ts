import { checkOptionKeys, isOptionsObject } from './args.js';
import { noGrad, Tensor, tidy, zeros, type DType } from '@tensorgrad/tensor';
import { formatCount, formatSummaryTable, Module, type AnyModule } from './module.js';

/** Options of {@link summary}. */
export interface SummaryOptions {
  /** Dtype of the zero inputs built from shapes (default `'float32'`). */
  dtype?: DType;
}

/** One row of a {@link ModelSummary}: a leaf layer, once per call, in call order. */
export interface SummaryLayer {
  /** `Conv2d-1`, `ReLU-2`, …: the class name and the row's position in call order. */
  name: string;
  /** The layer itself. */
  module: AnyModule;
  /**
   * The output shape with `-1` for the batch dimension (`[-1, 64, 26, 26]`), one shape per
   * tensor for a layer that returns an array of tensors, or `null` when the output holds no tensor.
   */
  outputShape: number[] | number[][] | null;
  /** The number of elements of the layer's own parameters (0 for ReLU, pooling, …). */
  params: number;
}

/** What {@link summary} returns: the torchsummary text and the numbers behind it. */
export interface ModelSummary {
  /** The leaf layers, once per call, in call order. */
  layers: SummaryLayer[];
  /** Elements of every parameter of the model (each shared parameter once). */
  totalParams: number;
  /** Elements of the parameters with `requiresGrad`. */
  trainableParams: number;
  /** `totalParams - trainableParams`. */
  nonTrainableParams: number;
  /** One input sample in MiB, at 4 bytes an element (torchsummary's "Input size (MB)"). */
  inputSizeMB: number;
  /** Twice the layers' outputs for one sample, at 4 bytes an element ("Forward/backward pass size (MB)"). */
  forwardBackwardSizeMB: number;
  /** The parameters at 4 bytes an element ("Params size (MB)"). */
  paramsSizeMB: number;
  /** The sum of the three sizes ("Estimated Total Size (MB)"). */
  estimatedTotalSizeMB: number;
  /** The table as torchsummary prints it. */
  text: string;
  /** `text`, so that `console.log(summary(…))` and `${summary(…)}` print the table. */
  toString(): string;
}

/** A shape of one sample, a list of them (several inputs), a tensor or a list of tensors. */
export type SummaryInput = readonly number[] | readonly (readonly number[])[] | Tensor | readonly Tensor[];

const MB = 1024 ** 2;
const BATCH = 2;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (v instanceof Tensor) return `a Tensor of shape [${v.shape.join(', ')}]`;
  if (v instanceof Module) return `a ${v.constructor.name} module`;
  if (Array.isArray(v)) return JSON.stringify(v, (_k, x: unknown) => (x instanceof Tensor ? `Tensor[${x.shape.join(', ')}]` : x));
  if (typeof v === 'object') return `an object with keys { ${Object.keys(v).join(', ')} }`;
  return `${typeof v} ${String(v)}`;
}

const isShape = (v: unknown): v is readonly number[] => Array.isArray(v) && v.every((d) => typeof d === 'number');

function checkShape(s: readonly number[], given: unknown): void {
  const bad = s.find((d) => !Number.isInteger(d) || d < 1);
  if (bad !== undefined) {
    throw new RangeError(`summary: expected every size of inputSize to be a positive integer, got ${describe(given)}; e.g. summary(model, [1, 28, 28])`);
  }
}

/** The inputs of the forward pass (`owned`: made here, freed by the tidy) and the per-sample shapes. */
function parseInput(input: unknown, dtype: DType): { make: () => Tensor[]; samples: number[][] } {
  const usage =
    'expected inputSize to be the shape of one input sample without the batch dimension (torchsummary\'s convention), e.g. summary(model, [1, 28, 28]), ' +
    'a list of such shapes for a model with several inputs, e.g. [[1, 16, 16], [1, 28, 28]], or the input itself as a Tensor (batch dimension included)';
  if (input instanceof Tensor || (Array.isArray(input) && input.length > 0 && input.every((t) => t instanceof Tensor))) {
    const ts = input instanceof Tensor ? [input] : (input as Tensor[]);
    for (const t of ts) {
      t._check('summary');
      if (t.ndim === 0) throw new RangeError(`summary: an input tensor needs a batch dimension, got a 0-D tensor; ${usage}`);
    }
    return { make: () => ts, samples: ts.map((t) => [...t.shape.slice(1)]) };
  }
  let shapes: (readonly number[])[] | null = null;
  if (isShape(input)) shapes = [input];
  else if (Array.isArray(input) && input.length > 0 && input.every(isShape)) shapes = input as (readonly number[])[];
  if (!shapes) throw new TypeError(`summary: ${usage}; got ${describe(input)}`);
  for (const s of shapes) checkShape(s, input);
  return { make: () => shapes.map((s) => zeros([BATCH, ...s], { dtype })), samples: shapes.map((s) => [...s]) };
}

function outputShapeOf(out: unknown): number[] | number[][] | null {
  const batched = (t: Tensor): number[] => (t.ndim === 0 ? [] : [-1, ...t.shape.slice(1)]);
  if (out instanceof Tensor) return batched(out);
  if (Array.isArray(out) && out.length > 0 && out.every((t) => t instanceof Tensor)) return (out as Tensor[]).map(batched);
  return null;
}

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * Math.abs(b), 1);

/**
 * A torchsummary-style summary of `model`: one row per leaf layer and call (`Conv2d-1`, `ReLU-2`,
 * … numbered in call order) with its output shape (`-1` for the batch) and its parameter count
 * (`--` for none), the total, trainable and non-trainable parameter counts, and torchsummary's size
 * estimates in MB (input, forward/backward pass, parameters, total; 4 bytes an element).
 *
 * `inputSize` is the shape of **one sample, without the batch dimension**, as in torchsummary
 * (`[1, 28, 28]`; a list of shapes for several inputs), or the input itself as a tensor (batch
 * included). It runs one forward pass — on zeros with a batch of 2 for shapes — with forward
 * hooks on the leaf layers, in eval mode and under `noGrad`, and then restores the modes and frees
 * every tensor it made: the model is left as it was (BatchNorm statistics included).
 *
 * Returns the text (`.text`, also `toString()`, so `console.log(summary(model, [1, 28, 28]))`
 * prints the table) and the numbers behind it.
 *
 * @example
 * ```ts
 * import { summary, Sequential, Conv2d, MaxPool2d, ReLU, Flatten, Linear } from '@tensorgrad/layers';
 * import '@tensorgrad/backend-cpu';
 * const model = new Sequential(
 *   new Conv2d(1, 64, 3), new MaxPool2d(2), new ReLU(),
 *   new Conv2d(64, 128, 3), new MaxPool2d(2), new ReLU(),
 *   new Flatten(), new Linear(3200, 256), new ReLU(), new Linear(256, 10),
 * );
 * const s = summary(model, [1, 28, 28]);
 * s.totalParams; // 896522
 * s.layers[0]!.name; // 'Conv2d-1'
 * s.layers[0]!.outputShape; // [-1, 64, 26, 26]
 * s.text.includes('Estimated Total Size (MB): 4.11'); // true
 * model.dispose();
 * ```
 */
export function summary(model: AnyModule, inputSize: SummaryInput, options: SummaryOptions = {}): ModelSummary {
  if (isOptionsObject(options)) checkOptionKeys('summary', options, ['dtype']);
  if (!(model instanceof Module)) {
    throw new TypeError(`summary: expected a Module as the first argument, got ${describe(model)}; call it as summary(model, [1, 28, 28])`);
  }
  const { make, samples } = parseInput(inputSize, options.dtype ?? 'float32');
  const all = model.modules();
  const leaves = all.filter((m) => m.children().length === 0);
  const saved = all.map((m) => [m, m.training, m._lastOutputShape] as const);
  const layers: SummaryLayer[] = [];
  const handles = leaves.map((m) =>
    m.registerForwardHook((mod, _inputs, out) => {
      layers.push({
        name: `${mod.typeName}-${layers.length + 1}`,
        module: mod,
        outputShape: outputShapeOf(out),
        params: mod.parameters(false).reduce((s, p) => s + p.numel(), 0),
      });
    }),
  );
  model.eval();
  try {
    tidy(() =>
      noGrad(() => {
        const inputs = make();
        try {
          model.call(...inputs);
        } catch (e) {
          const given = inputs.map((t) => `[${t.shape.join(', ')}]`).join(', ');
          throw new Error(
            `summary: the forward pass of ${model.constructor.name} on input(s) of shape ${given} failed: ${(e as Error).message}\n` +
              (inputSize instanceof Tensor || (Array.isArray(inputSize) && inputSize[0] instanceof Tensor)
                ? 'The tensor is passed to the model as it is (batch dimension included).'
                : `inputSize is the shape of one sample without the batch dimension (torchsummary's convention; a batch of ${BATCH} is added), ` +
                  'e.g. [1, 28, 28] for 28×28 grey images; to give the batch yourself, pass a tensor: summary(model, zeros([1, 1, 28, 28]))'),
            { cause: e },
          );
        }
      }),
    );
  } finally {
    for (const h of handles) h.remove();
    for (const [m, training, shape] of saved) {
      m.training = training;
      m._lastOutputShape = shape;
    }
  }
  const params = model.parameters();
  const totalParams = params.reduce((s, p) => s + p.numel(), 0);
  const trainableParams = params.filter((p) => p.requiresGrad).reduce((s, p) => s + p.numel(), 0);
  const outputElements = layers.reduce((s, l) => {
    const o = l.outputShape;
    if (!o) return s;
    return s + (o.length > 0 && Array.isArray(o[0]) ? (o as number[][]).reduce((a, x) => a + prod(x), 0) : prod(o as number[]));
  }, 0);
  const inputSizeMB = (samples.reduce((s, x) => s + prod(x), 0) * 4) / MB;
  const forwardBackwardSizeMB = (2 * outputElements * 4) / MB;
  const paramsSizeMB = (totalParams * 4) / MB;
  const estimatedTotalSizeMB = inputSizeMB + forwardBackwardSizeMB + paramsSizeMB;
  const shapeText = (o: SummaryLayer['outputShape']): string =>
    o === null ? '-' : o.length > 0 && Array.isArray(o[0]) ? `[${(o as number[][]).map((x) => `[${x.join(', ')}]`).join(', ')}]` : `[${(o as number[]).join(', ')}]`;
  const line = '-'.repeat(64);
  const text = [
    ...formatSummaryTable(
      layers.map((l) => [l.name, shapeText(l.outputShape), formatCount(l.params, true)] as const),
      totalParams,
      trainableParams,
    ),
    `Input size (MB): ${inputSizeMB.toFixed(2)}`,
    `Forward/backward pass size (MB): ${forwardBackwardSizeMB.toFixed(2)}`,
    `Params size (MB): ${paramsSizeMB.toFixed(2)}`,
    `Estimated Total Size (MB): ${estimatedTotalSizeMB.toFixed(2)}`,
    line,
  ].join('\n');
  const result: ModelSummary = {
    layers,
    totalParams,
    trainableParams,
    nonTrainableParams: totalParams - trainableParams,
    inputSizeMB,
    forwardBackwardSizeMB,
    paramsSizeMB,
    estimatedTotalSizeMB,
    text,
    toString: () => text,
  };
  Object.defineProperty(result, 'toString', { enumerable: false });
  Object.defineProperty(result, Symbol.for('nodejs.util.inspect.custom'), { value: () => text, enumerable: false });
  return result;
}
