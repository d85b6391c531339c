import { pad, type PadMode, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from './args.js';
import { num } from './common.js';
import { Module } from './module.js';

/** The padding of the 2-D padding layers: one size for all four sides, or `[left, right, top, bottom]`. */
export type Padding2d = number | readonly [number, number, number, number];

function quadruple(layer: string, v: unknown): [number, number, number, number] {
  if (typeof v === 'number' && Number.isInteger(v)) return [v, v, v, v];
  if (Array.isArray(v) && v.length === 4 && v.every((x) => Number.isInteger(x))) return [...v] as [number, number, number, number];
  throw new TypeError(`${layer}: expected padding to be an integer or [left, right, top, bottom] (4 integers), got ${JSON.stringify(v)}`);
}

abstract class Pad2dBase extends Module {
  /** The padding as `[left, right, top, bottom]` (PyTorch's `self.padding`). */
  readonly padding: [number, number, number, number];
  readonly #mode: PadMode;
  readonly #fill: number;

  constructor(layer: string, padding: unknown, mode: PadMode, fill = 0) {
    super();
    this.padding = quadruple(layer, padding);
    this.#mode = mode;
    this.#fill = fill;
  }

  override forward(input: Tensor): Tensor {
    return this.#mode === 'constant' ? pad(input, this.padding, { value: this.#fill }) : pad(input, this.padding, { mode: this.#mode });
  }
}

const REFLECTION = signature('new ReflectionPad2d', ['padding'], { required: 1 });
const REPLICATION = signature('new ReplicationPad2d', ['padding'], { required: 1 });
const ZERO = signature('new ZeroPad2d', ['padding'], { required: 1 });
const CONSTANT = signature('new ConstantPad2d', ['padding', 'value'], { required: 2 });

/**
 * Pads the last two dims of a `[C, H, W]` or `[N, C, H, W]` input with their reflection at the
 * edges, the edge itself not repeated (PyTorch's `nn.ReflectionPad2d`); each padding must be
 * smaller than the padded dim.
 *
 * @example
 * ```ts
 * import { ReflectionPad2d } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[[0, 1, 2], [3, 4, 5]]]); // [1, 2, 3]
 * await new ReflectionPad2d([2, 0, 1, 0]).call(x).array(); // [[[5, 4, 3, 4, 5], [2, 1, 0, 1, 2], [5, 4, 3, 4, 5]]]
 * new ReflectionPad2d(1).padding; // [1, 1, 1, 1]
 * ```
 */
export class ReflectionPad2d extends Pad2dBase {
  /** One size for all sides, or `[left, right, top, bottom]`. */
  constructor(padding: Padding2d);
  /** By name. */
  constructor(options: { padding: Padding2d });
  constructor(...args: unknown[]) {
    super('ReflectionPad2d', parseArgs(REFLECTION, args).padding, 'reflect');
  }
}

/**
 * Pads the last two dims of a `[C, H, W]` or `[N, C, H, W]` input by repeating the edge values
 * (PyTorch's `nn.ReplicationPad2d`).
 *
 * @example
 * ```ts
 * import { ReplicationPad2d } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new ReplicationPad2d([1, 2, 0, 0]).call(tensor([[[1, 2]]])).array(); // [[[1, 1, 2, 2, 2]]]
 * ```
 */
export class ReplicationPad2d extends Pad2dBase {
  /** One size for all sides, or `[left, right, top, bottom]`. */
  constructor(padding: Padding2d);
  /** By name. */
  constructor(options: { padding: Padding2d });
  constructor(...args: unknown[]) {
    super('ReplicationPad2d', parseArgs(REPLICATION, args).padding, 'replicate');
  }
}

/**
 * Pads the last two dims with zeros (PyTorch's `nn.ZeroPad2d`); negative padding crops.
 *
 * @example
 * ```ts
 * import { ZeroPad2d } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new ZeroPad2d([1, 0, 0, 1]).call(tensor([[[1, 2]]])).array(); // [[[0, 1, 2], [0, 0, 0]]]
 * ```
 */
export class ZeroPad2d extends Pad2dBase {
  /** One size for all sides, or `[left, right, top, bottom]`. */
  constructor(padding: Padding2d);
  /** By name. */
  constructor(options: { padding: Padding2d });
  constructor(...args: unknown[]) {
    super('ZeroPad2d', parseArgs(ZERO, args).padding, 'constant');
  }
}

/**
 * Pads the last two dims with a constant `value` (PyTorch's `nn.ConstantPad2d`); negative
 * padding crops.
 *
 * @example
 * ```ts
 * import { ConstantPad2d } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new ConstantPad2d([1, 1, 0, 0], 3.5).call(tensor([[[1, 2]]])).array(); // [[[3.5, 1, 2, 3.5]]]
 * new ConstantPad2d({ padding: 1, value: -1 }).value; // -1
 * ```
 */
export class ConstantPad2d extends Pad2dBase {
  /** The fill value. */
  readonly value: number;
  /** PyTorch's `ConstantPad2d(padding, value)`, positionally… */
  constructor(padding: Padding2d, value: number);
  /** …or by name. */
  constructor(options: { padding: Padding2d; value: number });
  constructor(...args: unknown[]) {
    const a = parseArgs(CONSTANT, args);
    const value = num('ConstantPad2d', 'value', a.value, 0);
    super('ConstantPad2d', a.padding, 'constant', value);
    this.value = value;
  }
}
