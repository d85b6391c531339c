import { dropout2d, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from './args.js';
import { refuseInplace } from './common.js';
import { Module } from './module.js';
import type { DropoutLayerOptions } from './misc.js';

const DROPOUT2D = signature('new Dropout2d', ['p', 'inplace']);

/**
 * Channel dropout (PyTorch's `nn.Dropout2d`): in training mode zeroes whole channels of an
 * `[N, C, H, W]` input with probability `p` and scales the kept ones by `1 / (1 - p)`; the
 * identity in eval mode. The mask comes from the global generator (`manualSeed`), drawn as
 * PyTorch's CPU `Dropout2d` draws it.
 *
 * @example
 * ```ts
 * import { Dropout2d } from '@tensorgrad/layers';
 * import { ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const drop = new Dropout2d(0.5);
 * const y = await drop.call(ones([1, 2, 1, 2])).array();
 * y[0].every((ch: number[][]) => ch[0][0] === ch[0][1] && (ch[0][0] === 0 || ch[0][0] === 2)); // true
 * await drop.eval().call(ones([1, 1, 1, 2])).array(); // [[[[1, 1]]]]
 * ```
 */
export class Dropout2d extends Module {
  /** Drop probability of a channel. */
  readonly p: number;
  /** PyTorch's `Dropout2d(p=0.5, inplace=False)`, positionally… */
  constructor(p?: number, inplace?: false, options?: DropoutLayerOptions);
  /** …or by name. */
  constructor(options?: DropoutLayerOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(DROPOUT2D, args);
    refuseInplace('Dropout2d', a.inplace);
    const v = a.p ?? 0.5;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new RangeError(`Dropout2d: expected probability p to be between 0 and 1, got ${String(v)}`);
    this.p = v;
  }
  override forward(input: Tensor): Tensor {
    return dropout2d(input, { p: this.p, training: this.training });
  }
}
