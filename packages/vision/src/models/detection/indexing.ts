// Small host-side index helpers of the detection models (internal)
import { fromTypedArray, type Tensor, type TypedArray } from '@tensorgrad/tensor';

/** An int32 index tensor from host indices. @internal */
export function intTensor(values: Int32Array | readonly number[]): Tensor {
  const a = values instanceof Int32Array ? values : Int32Array.from(values);
  return fromTypedArray(a, [a.length]);
}

/** The positions `i` where `pred(values[i])` holds, as an int32 tensor (torchvision's `torch.where(cond)[0]`). @internal */
export function indicesWhere(values: TypedArray, pred: (v: number) => boolean): Tensor {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (pred(Number(values[i]))) out.push(i);
  return intTensor(out);
}

/** Rows `idx` of `t` (`t[idx]`). @internal */
export function indexRows(t: Tensor, idx: Tensor): Tensor {
  return t.indexSelect(0, idx);
}
