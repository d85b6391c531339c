/**
 * Reading strided views inside a program: turning the linear index of an output element into the
 * storage offset of the matching element of each view (stride 0 = broadcast). Dims are coalesced
 * first (adjacent dims that are contiguous in every view merge, size-1 dims vanish), so most
 * programs see rank 1 or 2, and each view is classed as contiguous (`c`: offset + i), scalar
 * (`s`: every stride 0) or general (`g`: offset + Σ coordᵈ·strideᵈ). The rank and the classes go
 * in the program key; sizes, strides and offsets go in the metadata.
 */
import type { Shape } from '@tensorgrad/tensor';

/** A view's layout: element strides (one per dim of the shared shape) and offset. */
export interface ViewLayout {
  readonly strides: readonly number[];
  readonly offset: number;
}

/** How a view is addressed in a program. */
export type ViewClass = 'c' | 's' | 'g';

/** The result of {@link linearIndexing}. */
export interface LinearIndexing {
  /** Rank after coalescing. */
  readonly rank: number;
  /** The class of each view. */
  readonly classes: readonly ViewClass[];
  /** The part of a program key this indexing determines (`r2:cg`). */
  readonly key: string;
  /** The metadata words: coalesced sizes, then per view its offset (and strides for class `g`). */
  readonly meta: readonly number[];
  /**
   * WGSL statements that declare `let <names[k]>: u32` = the storage offset of view `k` for the
   * linear index expression `index`, reading the metadata from word `base` on. `tag` makes the
   * temporaries' names unique when one function uses two indexings.
   */
  wgsl(base: number, names: readonly string[], index: string, tag?: string): string;
}

/**
 * Coalesces `shape` over `views` and describes how a program finds each view's element for a
 * linear (row-major) index into `shape`.
 *
 * @example
 * ```ts
 * import { linearIndexing } from '@tensorgrad/backend-webgpu';
 * // a contiguous [2, 3] view and a row broadcast over it
 * const ix = linearIndexing([2, 3], [{ strides: [3, 1], offset: 0 }, { strides: [0, 1], offset: 5 }]);
 * ix.key; // 'r2:cg'
 * ix.meta; // [2, 3, 0, 5, 0, 1]
 * ```
 */
export function linearIndexing(shape: Shape, views: readonly ViewLayout[]): LinearIndexing {
  // coalesce from the innermost dim outwards
  const sizes: number[] = [];
  const strides: number[][] = views.map(() => []);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    if (n === 1) continue;
    if (sizes.length > 0 && views.every((v, k) => v.strides[d] === strides[k]![0]! * sizes[0]!)) {
      sizes[0] = sizes[0]! * n;
      continue;
    }
    sizes.unshift(n);
    views.forEach((v, k) => strides[k]!.unshift(v.strides[d]!));
  }
  const rank = sizes.length;
  const classes: ViewClass[] = views.map((_, k) => {
    const st = strides[k]!;
    if (rank === 0) return 'c';
    if (st.every((s) => s === 0)) return 's';
    let expected = 1;
    for (let d = rank - 1; d >= 0; d--) {
      if (st[d] !== expected) return 'g';
      expected *= sizes[d]!;
    }
    return 'c';
  });
  const meta: number[] = [...sizes];
  const at: number[] = [];
  views.forEach((v, k) => {
    at.push(meta.length);
    meta.push(v.offset);
    if (classes[k] === 'g') meta.push(...strides[k]!);
  });
  return {
    rank,
    classes,
    key: `r${rank}:${classes.join('')}`,
    meta,
    wgsl(base, names, index, tag = '') {
      const lines: string[] = [];
      const rem = `rem${tag}_`;
      if (classes.includes('g')) {
        lines.push(`var ${rem} = ${index};`);
        for (let d = rank - 1; d >= 1; d--) {
          lines.push(`let c${d}${tag}_ = ${rem} % metaU(${base + d}u); ${rem} = ${rem} / metaU(${base + d}u);`);
        }
        lines.push(`let c0${tag}_ = ${rem};`);
      }
      names.forEach((name, k) => {
        const o = base + at[k]!;
        if (classes[k] === 'c') lines.push(`let ${name} = metaU(${o}u) + ${index};`);
        else if (classes[k] === 's') lines.push(`let ${name} = metaU(${o}u);`);
        else {
          const terms = Array.from({ length: rank }, (_, d) => `c${d}${tag}_ * metaU(${o + 1 + d}u)`);
          lines.push(`let ${name} = metaU(${o}u) + ${terms.join(' + ')};`);
        }
      });
      return lines.join('\n  ');
    },
  };
}
