import { add, cat, clamp, div, exp, isFloating, log, mul, stack, sub, Tensor, tidy } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../../args.js';

const NEW_BOX_CODER = signature('new BoxCoder', ['weights', 'bboxXformClip'], { required: 1 });

/** Options of {@link BoxCoder} (torchvision's keywords). */
export interface BoxCoderOptions {
  /** The weights `(wx, wy, ww, wh)` of the encoded `(dx, dy, dw, dh)`: Faster R-CNN's RPN uses `[1, 1, 1, 1]`, its box head `[10, 10, 5, 5]`. */
  weights: readonly [number, number, number, number] | readonly number[];
  /** The largest `dw`/`dh` decoded (before `exp`), default `log(1000 / 16)`. */
  bboxXformClip?: number;
}

function checkBoxList(op: string, name: string, v: unknown): Tensor[] {
  if (!Array.isArray(v) || v.some((b) => !(b instanceof Tensor))) {
    throw new TypeError(`${op}: expected ${name} to be an array of [N_i, 4] tensors (one per image), got ${v instanceof Tensor ? 'a Tensor; wrap it in an array' : typeof v}`);
  }
  for (const b of v as Tensor[]) {
    if (b.ndim !== 2 || b.shape[1] !== 4) throw new RangeError(`${op}: expected every tensor of ${name} to be [N_i, 4], got [${b.shape.join(', ')}]`);
  }
  return v as Tensor[];
}

function checkPairs(op: string, a: unknown, aName: string, b: unknown, bName: string): void {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError(`${op}: expected ${aName} and ${bName} to be tensors`);
  if (a.ndim !== 2 || a.shape[1] !== 4) throw new RangeError(`${op}: expected ${aName} of shape [N, 4], got [${a.shape.join(', ')}]`);
  if (b.ndim !== 2 || b.shape[0] !== a.shape[0]) throw new RangeError(`${op}: expected ${bName} with one row per box of ${aName} ([${a.shape[0]}, ...]), got [${b.shape.join(', ')}]`);
}

/**
 * torchvision's `models.detection._utils.BoxCoder`: encodes boxes as the regression targets of
 * Faster R-CNN (offsets of the centre relative to a reference box's size, log-ratios of the sizes,
 * each times its weight) and decodes predicted offsets back into `xyxy` boxes. Every method is a
 * composition of tensor ops: it runs on every backend and is differentiable.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { BoxCoder } from '@tensorgrad/vision';
 * const coder = new BoxCoder({ weights: [10, 10, 5, 5] });
 * const anchors = tensor([[0, 0, 10, 10]]);
 * const gt = tensor([[1, 1, 11, 11]]);
 * const codes = coder.encodeSingle(gt, anchors);
 * await codes.array(); // [[1, 1, 0, 0]]
 * await coder.decodeSingle(codes, anchors).array(); // [[1, 1, 11, 11]]
 * // torchvision's positional form
 * new BoxCoder([1, 1, 1, 1]).bboxXformClip; // 4.1351666
 * ```
 */
export class BoxCoder {
  /** The weights `(wx, wy, ww, wh)`. */
  readonly weights: readonly [number, number, number, number];
  /** The clamp of `dw`/`dh` before `exp` when decoding. */
  readonly bboxXformClip: number;

  constructor(options: BoxCoderOptions);
  constructor(weights: readonly number[], bboxXformClip?: number);
  constructor(...args: unknown[]) {
    const a = parseArgs(NEW_BOX_CODER, args);
    const w = a.weights;
    if (!Array.isArray(w) || w.length !== 4 || w.some((v) => typeof v !== 'number' || !Number.isFinite(v) || v === 0)) {
      throw new TypeError(`new BoxCoder: expected weights to be 4 finite non-zero numbers (wx, wy, ww, wh), got ${JSON.stringify(w)}; e.g. [10, 10, 5, 5]`);
    }
    const clip = a.bboxXformClip ?? Math.log(1000 / 16);
    if (typeof clip !== 'number' || Number.isNaN(clip)) throw new TypeError(`new BoxCoder: expected bboxXformClip to be a number, got ${String(clip)}`);
    this.weights = [...(w as number[])] as [number, number, number, number];
    this.bboxXformClip = clip;
  }

  /**
   * Encodes `referenceBoxes[i]` (the targets, e.g. matched ground truth) relative to
   * `proposals[i]` (e.g. anchors) for every image `i` → one `[N_i, 4]` tensor per image.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { BoxCoder } from '@tensorgrad/vision';
   * const coder = new BoxCoder([1, 1, 1, 1]);
   * const [a, b] = coder.encode([tensor([[0, 0, 2, 2]]), tensor([[0, 0, 4, 4]])], [tensor([[0, 0, 2, 2]]), tensor([[0, 0, 2, 2]])]);
   * await a!.array(); // [[0, 0, 0, 0]]
   * await b!.array(); // [[0.5, 0.5, 0.6931472, 0.6931472]]
   * ```
   */
  encode(referenceBoxes: readonly Tensor[], proposals: readonly Tensor[]): Tensor[] {
    const ref = checkBoxList('BoxCoder.encode', 'referenceBoxes', referenceBoxes);
    const props = checkBoxList('BoxCoder.encode', 'proposals', proposals);
    if (ref.length !== props.length) throw new RangeError(`BoxCoder.encode: expected as many proposal tensors as reference tensors (one per image), got ${props.length} and ${ref.length}`);
    const sizes = ref.map((b) => b.shape[0]!);
    return tidy(() => {
      const targets = this.encodeSingle(cat(ref, 0), cat(props, 0));
      let start = 0;
      return sizes.map((n) => {
        const part = targets.narrow(0, start, n);
        start += n;
        return part;
      });
    });
  }

  /**
   * Encodes `referenceBoxes` (`[N, 4]`, `xyxy`) relative to `proposals` (`[N, 4]`) →
   * `[N, 4]` codes `(wx·dx, wy·dy, ww·log(w/wp), wh·log(h/hp))` with `dx = (cx - cxp) / wp`.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { BoxCoder } from '@tensorgrad/vision';
   * await new BoxCoder([1, 1, 1, 1]).encodeSingle(tensor([[2, 0, 6, 2]]), tensor([[0, 0, 4, 2]])).array(); // [[0.5, 0, 0, 0]]
   * ```
   */
  encodeSingle(referenceBoxes: Tensor, proposals: Tensor): Tensor {
    checkPairs('BoxCoder.encodeSingle', referenceBoxes, 'referenceBoxes', proposals, 'proposals');
    if (proposals.shape[1] !== 4) throw new RangeError(`BoxCoder.encodeSingle: expected proposals of shape [N, 4], got [${proposals.shape.join(', ')}]`);
    const [wx, wy, ww, wh] = this.weights;
    return tidy(() => {
      const col = (t: Tensor, i: number) => t.select(1, i).unsqueeze(1);
      const px1 = col(proposals, 0);
      const py1 = col(proposals, 1);
      const exW = sub(col(proposals, 2), px1);
      const exH = sub(col(proposals, 3), py1);
      const exCx = add(px1, mul(exW, 0.5));
      const exCy = add(py1, mul(exH, 0.5));
      const gx1 = col(referenceBoxes, 0);
      const gy1 = col(referenceBoxes, 1);
      const gtW = sub(col(referenceBoxes, 2), gx1);
      const gtH = sub(col(referenceBoxes, 3), gy1);
      const gtCx = add(gx1, mul(gtW, 0.5));
      const gtCy = add(gy1, mul(gtH, 0.5));
      const dx = div(mul(sub(gtCx, exCx), wx), exW);
      const dy = div(mul(sub(gtCy, exCy), wy), exH);
      const dw = mul(log(div(gtW, exW)), ww);
      const dh = mul(log(div(gtH, exH)), wh);
      return cat([dx, dy, dw, dh], 1);
    });
  }

  /**
   * Decodes `relCodes` (`[sum N_i, 4·K]` or any shape with `sum N_i · 4·K` elements) relative
   * to the boxes of every image (`boxes[i]` `[N_i, 4]`) → `[sum N_i, K, 4]`, as torchvision (one
   * box per class when `K > 1`).
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { BoxCoder } from '@tensorgrad/vision';
   * const out = new BoxCoder([1, 1, 1, 1]).decode(tensor([[0, 0, 0, 0], [0.5, 0, 0, 0]]), [tensor([[0, 0, 4, 2], [0, 0, 4, 2]])]);
   * out.shape; // [2, 1, 4]
   * await out.array(); // [[[0, 0, 4, 2]], [[2, 0, 6, 2]]]
   * ```
   */
  decode(relCodes: Tensor, boxes: readonly Tensor[]): Tensor {
    const list = checkBoxList('BoxCoder.decode', 'boxes', boxes);
    if (!(relCodes instanceof Tensor)) throw new TypeError('BoxCoder.decode: expected relCodes to be a Tensor');
    const total = list.reduce((s, b) => s + b.shape[0]!, 0);
    return tidy(() => {
      const concat = list.length === 1 ? list[0]! : cat(list, 0);
      const codes = total > 0 ? relCodes.reshape(total, -1) : relCodes;
      const pred = this.decodeSingle(codes, concat);
      return total > 0 ? pred.reshape(total, -1, 4) : pred;
    });
  }

  /**
   * Decodes `relCodes` (`[N, 4·K]`: `K` groups of `(dx, dy, dw, dh)`) relative to `boxes`
   * (`[N, 4]`, `xyxy`, cast to the codes' dtype) → `[N, 4·K]` `xyxy` boxes; `dw`/`dh` are first
   * divided by their weights and clamped at `bboxXformClip` so `exp` cannot overflow.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { BoxCoder } from '@tensorgrad/vision';
   * const coder = new BoxCoder([1, 1, 1, 1]);
   * await coder.decodeSingle(tensor([[0, 0, Math.log(2), 0]]), tensor([[0, 0, 4, 2]])).array(); // [[-2, 0, 6, 2]]
   * ```
   */
  decodeSingle(relCodes: Tensor, boxes: Tensor): Tensor {
    checkPairs('BoxCoder.decodeSingle', boxes, 'boxes', relCodes, 'relCodes');
    if (relCodes.shape[1]! % 4 !== 0) throw new RangeError(`BoxCoder.decodeSingle: expected relCodes of shape [N, 4·K], got [${relCodes.shape.join(', ')}]`);
    if (!isFloating(relCodes.dtype)) throw new TypeError(`BoxCoder.decodeSingle: expected float relCodes, got ${relCodes.dtype}`);
    const [wx, wy, ww, wh] = this.weights;
    return tidy(() => {
      const b = boxes.dtype === relCodes.dtype ? boxes : boxes.to(relCodes.dtype);
      const widths = sub(b.select(1, 2), b.select(1, 0)).unsqueeze(1);
      const heights = sub(b.select(1, 3), b.select(1, 1)).unsqueeze(1);
      const ctrX = add(b.select(1, 0).unsqueeze(1), mul(widths, 0.5));
      const ctrY = add(b.select(1, 1).unsqueeze(1), mul(heights, 0.5));
      const dx = div(relCodes.slice(1, 0, null, 4), wx);
      const dy = div(relCodes.slice(1, 1, null, 4), wy);
      const dw = clamp(div(relCodes.slice(1, 2, null, 4), ww), { max: this.bboxXformClip });
      const dh = clamp(div(relCodes.slice(1, 3, null, 4), wh), { max: this.bboxXformClip });
      const predCtrX = add(mul(dx, widths), ctrX);
      const predCtrY = add(mul(dy, heights), ctrY);
      const halfW = mul(mul(exp(dw), widths), 0.5);
      const halfH = mul(mul(exp(dh), heights), 0.5);
      return stack([sub(predCtrX, halfW), sub(predCtrY, halfH), add(predCtrX, halfW), add(predCtrY, halfH)], 2).flatten(1);
    });
  }
}
