/**
 * Shared argument checks and helpers of the box ops (torchvision.ops.boxes); internal to the
 * package.
 * @internal
 */
import { isFloating, Tensor } from '@tensorgrad/tensor';
import { nearestKey } from '@tensorgrad/tensor/backend';

/** The box formats of `boxConvert`. */
export const BOX_FORMATS = ['xyxy', 'xywh', 'cxcywh'] as const;

/** Throws a TypeError unless `t` is a tensor. @internal */
export function checkTensor(op: string, name: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) {
    throw new TypeError(`${op}: expected ${name} to be a Tensor, got ${t === null ? 'null' : Array.isArray(t) ? 'an array' : typeof t}; wrap numbers with tensor([...])`);
  }
}

/**
 * Checks that `t` is a box tensor: `[N, 4]` when `batched` is false, `[..., 4]` otherwise, of a
 * numeric (not bool) dtype.
 * @internal
 */
export function checkBoxes(op: string, name: string, t: unknown, anyLeading = false): asserts t is Tensor {
  checkTensor(op, name, t);
  const ok = anyLeading ? t.ndim >= 1 && t.shape[t.ndim - 1] === 4 : t.ndim === 2 && t.shape[1] === 4;
  if (!ok) {
    throw new RangeError(
      `${op}: expected ${name} of shape ${anyLeading ? '[..., 4]' : '[N, 4]'} (x1, y1, x2, y2 per row), got [${t.shape.join(', ')}]` +
        (t.ndim === 1 && t.shape[0] === 4 && !anyLeading ? '; add a leading dimension with unsqueeze(0)' : ''),
    );
  }
  if (t.dtype === 'bool') throw new TypeError(`${op}: expected ${name} to hold numbers (a float or int dtype), got bool`);
}

/** Validates a box format name, suggesting the nearest valid one. @internal */
export function checkFormat(op: string, name: string, v: unknown): (typeof BOX_FORMATS)[number] {
  if (typeof v === 'string' && (BOX_FORMATS as readonly string[]).includes(v)) return v as (typeof BOX_FORMATS)[number];
  const sorted = (x: string) => [...x.toLowerCase()].sort().join('');
  // the nearest spelling, or the format with the same letters in another order ('xyhw' → 'xywh')
  const near = typeof v === 'string' ? (nearestKey(v.toLowerCase(), BOX_FORMATS) ?? BOX_FORMATS.find((f) => sorted(f) === sorted(v)) ?? null) : null;
  throw new RangeError(
    `${op}: unsupported ${name} ${JSON.stringify(v)}; expected one of ${BOX_FORMATS.map((f) => `'${f}'`).join(', ')}` + (near ? ` (did you mean '${near}'?)` : ''),
  );
}

/** Integer boxes as float32 (torchvision's IoU divides them as floats); float boxes unchanged. @internal */
export function floatBoxes(t: Tensor): Tensor {
  return isFloating(t.dtype) ? t : t.to('float32');
}

/** The four coordinate columns `[x1, y1, x2, y2]` of `[..., 4]` boxes (views). @internal */
export function unbindBoxes(t: Tensor): [Tensor, Tensor, Tensor, Tensor] {
  return [t.select(-1, 0), t.select(-1, 1), t.select(-1, 2), t.select(-1, 3)];
}
