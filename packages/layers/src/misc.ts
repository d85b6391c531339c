import { dropout, flatten, interpolate, type InterpolateOptions, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, refuseUnsupported, signature } from './args.js';
import { refuseInplace } from './common.js';
import { Module } from './module.js';

const DROPOUT = signature('new Dropout', ['p', 'inplace']);
const FLATTEN = signature('new Flatten', ['startDim', 'endDim']);
const IDENTITY = signature('new Identity', []);
const UPSAMPLE = signature('new Upsample', ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor']);

/** Options of {@link Dropout}. */
export interface DropoutLayerOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** PyTorch's `inplace`: only `false` (the default) is supported. */
  inplace?: false;
}

/**
 * Dropout (PyTorch's `nn.Dropout`): in training mode zeroes elements with probability `p` and
 * scales the rest by `1 / (1 - p)`; the identity in eval mode. `new Dropout(0.25)` or
 * `new Dropout({ p: 0.25 })`.
 *
 * @example
 * ```ts
 * import { Dropout } from '@tensorgrad/layers';
 * import { ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const drop = new Dropout(0.25);
 * await drop.eval().call(ones([3])).array(); // [1, 1, 1]
 * new Dropout({ p: 0.1 }).p; // 0.1
 * new Dropout(0.1, false).p; // 0.1
 * ```
 */
export class Dropout extends Module {
  /** Drop probability. */
  readonly p: number;
  /** PyTorch's `Dropout(p=0.5, inplace=False)`, positionally… */
  constructor(p?: number, inplace?: false, options?: DropoutLayerOptions);
  /** …or by name. */
  constructor(options?: DropoutLayerOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(DROPOUT, args);
    refuseInplace('Dropout', a.inplace);
    const v = a.p ?? 0.5;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new RangeError(`Dropout: expected probability p to be between 0 and 1, got ${String(v)}`);
    this.p = v;
  }
  override forward(input: Tensor): Tensor {
    return dropout(input, { p: this.p, training: this.training });
  }
}

/** Options of {@link Flatten}. */
export interface FlattenLayerOptions {
  /** First dim to flatten (default 1: keeps the batch dim). */
  startDim?: number;
  /** Last dim to flatten (default -1). */
  endDim?: number;
}

/**
 * Flattens dims `startDim..endDim` (PyTorch's `nn.Flatten`, default from dim 1).
 *
 * @example
 * ```ts
 * import { Flatten } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * new Flatten().call(zeros([2, 3, 4, 4])).shape; // [2, 48]
 * new Flatten(0).call(zeros([2, 3, 4, 4])).shape; // [96]
 * new Flatten(1, 2).call(zeros([2, 3, 4, 4])).shape; // [2, 12, 4]
 * ```
 */
export class Flatten extends Module {
  /** First flattened dim. */
  readonly startDim: number;
  /** Last flattened dim. */
  readonly endDim: number;
  /** PyTorch's `Flatten(start_dim=1, end_dim=-1)`, positionally… */
  constructor(startDim?: number, endDim?: number, options?: FlattenLayerOptions);
  /** …or by name. */
  constructor(options?: FlattenLayerOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(FLATTEN, args);
    for (const k of ['startDim', 'endDim'] as const) {
      if (a[k] !== undefined && !Number.isInteger(a[k])) throw new TypeError(`Flatten: expected ${k} to be an integer, got ${String(a[k])}`);
    }
    this.startDim = (a.startDim as number | undefined) ?? 1;
    this.endDim = (a.endDim as number | undefined) ?? -1;
  }
  override forward(input: Tensor): Tensor {
    return flatten(input, this.startDim, this.endDim);
  }
}

/**
 * Returns its input unchanged (PyTorch's `nn.Identity`). PyTorch's `Identity(*args, **kwargs)`
 * ignores its arguments; tensorgrad takes none and refuses any, so that nothing is silently
 * ignored: drop them when porting.
 *
 * @example
 * ```ts
 * import { Identity } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([1, 2]);
 * new Identity().call(x) === x; // true
 * ```
 */
export class Identity extends Module {
  /** Takes no arguments. */
  constructor(...args: []) {
    super();
    parseArgs(IDENTITY, args);
  }
  override forward(input: Tensor): Tensor {
    return input;
  }
}

/** Options of {@link Upsample} (PyTorch's keywords). */
export interface UpsampleOptions extends InterpolateOptions {
  /** PyTorch's `recompute_scale_factor`: only `false`/`null` (the default) is supported. */
  recomputeScaleFactor?: false | null;
}

/**
 * Up-sampling by `scaleFactor` or to `size` (PyTorch's `nn.Upsample(size=None,
 * scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None)`; `mode`
 * `'nearest'` (default), `'linear'` or `'bilinear'`; `recomputeScaleFactor` only as `false`/`null`).
 *
 * @example
 * ```ts
 * import { Upsample } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * new Upsample({ scaleFactor: 2 }).call(zeros([1, 3, 4, 4])).shape; // [1, 3, 8, 8]
 * new Upsample(null, 2, 'bilinear').call(zeros([1, 3, 4, 4])).shape; // [1, 3, 8, 8]
 * new Upsample([6, 5]).call(zeros([1, 3, 4, 4])).shape; // [1, 3, 6, 5]
 * ```
 */
export class Upsample extends Module {
  /** The options passed to `interpolate`. */
  readonly options: Readonly<InterpolateOptions>;
  /** PyTorch's arguments positionally (`new Upsample(null, 2, 'bilinear')`)… */
  constructor(
    size?: number | readonly number[] | null,
    scaleFactor?: number | readonly number[] | null,
    mode?: InterpolateOptions['mode'],
    alignCorners?: boolean | null,
    recomputeScaleFactor?: false | null,
    options?: UpsampleOptions,
  );
  /** …or by name (`new Upsample({ scaleFactor: 2 })`). */
  constructor(options?: UpsampleOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(UPSAMPLE, args);
    refuseUnsupported('Upsample', 'recomputeScaleFactor', a.recomputeScaleFactor, [null, false], 'the output size is always floor(input * scaleFactor) and the given scaleFactor is used for the interpolation');
    const options: InterpolateOptions = {};
    if (a.size !== undefined && a.size !== null) options.size = a.size as InterpolateOptions['size'];
    if (a.scaleFactor !== undefined && a.scaleFactor !== null) options.scaleFactor = a.scaleFactor as InterpolateOptions['scaleFactor'];
    if (a.mode !== undefined && a.mode !== null) options.mode = a.mode as InterpolateOptions['mode'];
    if (a.alignCorners !== undefined && a.alignCorners !== null) options.alignCorners = a.alignCorners as boolean;
    if (options.size === undefined && options.scaleFactor === undefined) {
      throw new TypeError('Upsample: expected either size or scaleFactor, got neither; e.g. new Upsample({ scaleFactor: 2 })');
    }
    this.options = options;
  }
  override forward(input: Tensor): Tensor {
    return interpolate(input, this.options);
  }
}
