import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';

const EDGE = 3;
const THRESHOLD = 1000;

function formatterFor(values: ArrayLike<number>, dtype: DType): (v: number) => string {
  if (dtype === 'bool') return (v) => (v ? 'True' : 'False');
  if (dtype === 'int32') return (v) => String(v);
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) finite.push(Math.abs(v));
  }
  const special = (v: number): string | null =>
    Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null;
  if (finite.length === 0) return (v) => special(v) ?? String(v);
  const intMode = finite.every((v) => Number.isInteger(v));
  const nonzero = finite.filter((v) => v !== 0);
  const max = Math.max(...finite);
  const min = nonzero.length ? Math.min(...nonzero) : 0;
  if (intMode) {
    if (max > 1e8) return (v) => special(v) ?? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
    return (v) => special(v) ?? `${v.toFixed(0)}.`;
  }
  const sci = max / (min || 1) > 1000 || max > 1e8 || (min !== 0 && min < 1e-4);
  if (sci) return (v) => special(v) ?? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
  return (v) => special(v) ?? v.toFixed(4);
}

/**
 * Formats tensor values like PyTorch's `print(tensor)`: 4 decimals for floats (`1.` when all
 * values are integral, scientific when the range is wide), summarised with `...` above 1000
 * elements, `dtype=` for non-default dtypes, and the given extra fields (`requires_grad=True`).
 *
 * @example
 * ```ts
 * import { formatTensor } from '@tensorgrad/tensor';
 * formatTensor(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32');
 * // 'tensor([[1., 2.],\n        [3., 4.]])'
 * ```
 */
export function formatTensor(values: TypedArray, shape: Shape, dtype: DType, extra: readonly string[] = []): string {
  const n = values.length;
  const summarize = n > THRESHOLD;
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  const shown: number[] = [];
  const walk = (d: number, base: number): void => {
    if (d === shape.length) {
      shown.push(values[base]!);
      return;
    }
    const len = shape[d]!;
    for (let i = 0; i < len; i++) {
      if (summarize && len > 2 * EDGE && i === EDGE) i = len - EDGE;
      walk(d + 1, base + i * strides[d]!);
    }
  };
  walk(0, 0);
  const fmt = formatterFor(shown, dtype);
  const width = Math.max(0, ...shown.map((v) => fmt(v).length));
  const pad = (v: number): string => fmt(v).padStart(width);
  const prefix = 'tensor(';
  const render = (d: number, base: number, indent: number): string => {
    if (d === shape.length) return pad(values[base]!);
    const len = shape[d]!;
    const parts: string[] = [];
    for (let i = 0; i < len; i++) {
      if (summarize && len > 2 * EDGE && i === EDGE) {
        parts.push('...');
        i = len - EDGE;
      }
      parts.push(render(d + 1, base + i * strides[d]!, indent + 1));
    }
    if (d === shape.length - 1) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(shape.length - d - 1) + ' '.repeat(indent + 1);
    return `[${parts.join(sep)}]`;
  };
  let body: string;
  if (shape.length === 0) body = fmt(values[0]!);
  else if (n === 0) body = '[]';
  else body = render(0, 0, prefix.length);
  const fields: string[] = [];
  if (n === 0 && shape.length > 1) fields.push(`size=(${shape.join(', ')})`);
  if (dtype === 'float64' || dtype === 'int32') fields.push(`dtype=torch.${dtype}`);
  fields.push(...extra);
  return `${prefix}${body}${fields.length ? ', ' + fields.join(', ') : ''})`;
}
