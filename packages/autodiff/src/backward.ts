import { Tensor, add, allocArray, formatShape, noGrad, shapesEqual, tidy, type BackwardOptions, type TensorHook } from '@tensorgrad/tensor';
import { GradNode, assertTensor, castUntracked, cloneUntracked, fromArray, type RecordedOpName } from '@tensorgrad/tensor/backend';
import { rules } from './rules/index.js';
import { NON_DIFFERENTIABLE, type GradRule, type RuleContext } from './rule.js';

/** Where leaf gradients go: accumulated into `.grad`, or captured for {@link grad}. */
type LeafSink = (leaf: Tensor, g: Tensor) => void;

function accumulateIntoGrad(leaf: Tensor, g: Tensor): void {
  if (leaf.isDisposed) {
    g.dispose();
    return;
  }
  if (leaf.grad === null) {
    // the gradient is owned by the leaf from now on: never share storage with another tensor
    leaf.grad = g._storage.refs > 1 || !g.isContiguous() ? ownCopy(g) : g;
    return;
  }
  const s = noGrad(() => add(leaf.grad!, g));
  g.dispose();
  leaf.grad = s;
}

/**
 * Runs the gradient hooks of one tensor (`registerHook`) on its gradient `g` (owned by the
 * engine), in registration order: a hook's tensor result replaces the gradient (an own copy, so
 * the hook's tensor stays the caller's), `undefined` keeps it.
 */
function applyHooks(hooks: ReadonlyMap<number, TensorHook> | null, g: Tensor): Tensor {
  if (!hooks || hooks.size === 0) return g;
  let cur = g;
  for (const hook of [...hooks.values()]) {
    const next = noGrad(() =>
      tidy(() => {
        const r: unknown = hook(cur);
        if (r === undefined || r === null) return undefined;
        if (!(r instanceof Tensor)) throw new TypeError(`backward: a gradient hook (registerHook) must return a Tensor or nothing, got ${typeof r}`);
        if (!shapesEqual(r.shape, cur.shape) || r.dtype !== cur.dtype) {
          throw new RangeError(
            `backward: a gradient hook (registerHook) returned shape ${formatShape(r.shape)} and dtype ${r.dtype}, expected the gradient's shape ${formatShape(cur.shape)} and dtype ${cur.dtype}`,
          );
        }
        return r === cur ? undefined : cloneUntracked(r);
      }),
    );
    if (next !== undefined) {
      cur.dispose();
      cur = next;
    }
  }
  return cur;
}

function ownCopy(g: Tensor): Tensor {
  const c = cloneUntracked(g);
  g.dispose();
  return c;
}

function seedGradient(root: Tensor, gradient: Tensor | undefined): Tensor {
  if (gradient === undefined) {
    if (root.numel() !== 1) {
      throw new Error(
        `backward: a gradient can be created implicitly only for a one-element output, got shape ${formatShape(root.shape)}; ` +
          "reduce it to a scalar first (loss.mean().backward() or loss.sum().backward(); a loss computed with reduction 'none' is per element), " +
          'or pass a gradient of the same shape: out.backward(onesLike(out))',
      );
    }
    const one = allocArray(root.dtype, 1);
    one[0] = 1;
    return fromArray(root.backendInstance, one, root.shape, root.dtype, true);
  }
  assertTensor('backward', gradient, 'gradient');
  if (!shapesEqual(gradient.shape, root.shape)) {
    throw new RangeError(
      `backward: gradient has shape ${formatShape(gradient.shape)}, expected the output's shape ${formatShape(root.shape)}`,
    );
  }
  if (gradient.backendInstance !== root.backendInstance) {
    throw new Error(`backward: gradient is on '${gradient.backend}' but the output is on '${root.backend}'; move it with .to('${root.backend}')`);
  }
  const cast = castUntracked('backward', gradient, root.dtype);
  return cast === gradient ? gradient._alias() : cast;
}

function topoOrder(root: GradNode): GradNode[] {
  const order: GradNode[] = [];
  const visited = new Set<GradNode>();
  const stack: [GradNode, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const [node, i] = top;
    if (i < node.next.length) {
      top[1]++;
      const n = node.next[i];
      if (n && !visited.has(n)) {
        visited.add(n);
        stack.push([n, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order.reverse();
}

/**
 * Runs reverse-mode differentiation from `root`, sending leaf gradients to `sink`.
 * @internal
 */
export function runBackward(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions, sink: LeafSink, retain = false): void {
  root._check('backward');
  if (!root.requiresGrad) {
    throw new Error(
      'backward: this tensor does not require grad and has no gradFn: nothing to differentiate. ' +
        'Create the leaves with { requiresGrad: true } (or call requiresGrad_()) and compute outside noGrad()',
    );
  }
  const seed = seedGradient(root, gradient);
  if (root.isLeaf) {
    sink(root, applyHooks(root._hooks, seed));
    return;
  }
  const order = topoOrder(root.gradFn!);
  const pending = new Map<GradNode, Tensor>([[root.gradFn!, seed]]);
  // leaves with hooks: their gradients are summed first and the hooks run once on the sum, as
  // PyTorch runs a leaf's hooks before its AccumulateGrad (leaves without hooks sink directly)
  const hooked = new Map<Tensor, Tensor>();
  try {
    for (const node of order) {
      const incoming = pending.get(node);
      if (!incoming) continue;
      pending.delete(node);
      if (node.released) {
        incoming.dispose();
        throw new Error(
          `backward: trying to backward through the graph a second time (through ${node.displayName}), but its saved tensors were freed; ` +
            'pass { retainGraph: true } to the first backward() call',
        );
      }
      // the gradient of the tensor this node produced: its hooks, then retainGrad()
      const g = applyHooks(node.tensorHooks, incoming);
      const owner = node.retainedBy;
      if (retain && owner && !owner.isDisposed) accumulateIntoGrad(owner, cloneUntracked(g));
      const entry = rules[node.name as RecordedOpName];
      if (entry === NON_DIFFERENTIABLE) throw new Error(`backward: ${node.name} is not differentiable`);
      const rule = entry as GradRule<RecordedOpName>;
      const ctx: RuleContext<RecordedOpName> = {
        attrs: node.attrs,
        inputs: node.inputs,
        saved: node.savedInputs,
        outputs: node.savedOutputs,
        needsGrad: node.inputs.map((m) => m?.requiresGrad ?? false),
      };
      const grads = noGrad(() => tidy(() => rule.backward(ctx, g)));
      const owned = new Set<Tensor>([g, ...grads.filter((t): t is Tensor => t !== null)]);
      const take = (t: Tensor): Tensor => {
        if (owned.delete(t)) return t;
        return cloneUntracked(t);
      };
      node.inputs.forEach((meta, i) => {
        const gi = grads[i];
        if (!meta?.requiresGrad || !gi) return;
        let mine = take(gi);
        if (mine.dtype !== meta.dtype) {
          const c = castUntracked('backward', mine, meta.dtype);
          mine.dispose();
          mine = c;
        }
        if (!shapesEqual(mine.shape, meta.shape)) {
          mine.dispose();
          throw new Error(
            `backward: the gradient rule of '${node.name}' returned shape ${formatShape(mine.shape)} for input ${i}, expected ${formatShape(meta.shape)}`,
          );
        }
        const next = node.next[i];
        if (next) {
          const prev = pending.get(next);
          if (prev) {
            pending.set(next, noGrad(() => add(prev, mine)));
            prev.dispose();
            mine.dispose();
          } else pending.set(next, mine);
        } else {
          const leaf = node.leaves[i];
          if (!leaf) mine.dispose();
          else if (!leaf._hooks || leaf._hooks.size === 0) sink(leaf, mine);
          else {
            const prev = hooked.get(leaf);
            if (prev) {
              hooked.set(leaf, noGrad(() => add(prev, mine)));
              prev.dispose();
              mine.dispose();
            } else hooked.set(leaf, mine);
          }
        }
      });
      for (const t of owned) t.dispose();
      if (!options.retainGraph) node.releaseSaved();
    }
    for (const [leaf, g] of hooked) {
      hooked.delete(leaf);
      sink(leaf, applyHooks(leaf._hooks, g));
    }
  } finally {
    for (const t of pending.values()) t.dispose();
    for (const t of hooked.values()) t.dispose();
  }
}

/** @internal The `backward()` installed into `Tensor`. */
export function backwardIntoGrad(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void {
  runBackward(root, gradient, options, accumulateIntoGrad, true);
}

/** What each op's rule saves (`null` for non-differentiable ops). */
export function saveSpecOf(name: RecordedOpName): { inputs: boolean | readonly number[]; outputs: boolean } | null {
  const entry = rules[name];
  if (entry === NON_DIFFERENTIABLE) return null;
  return (entry as GradRule<RecordedOpName>).save ?? { inputs: true, outputs: false };
}
