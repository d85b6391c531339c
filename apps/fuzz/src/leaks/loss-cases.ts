import {
  BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss, Linear, logSoftmax, MSELoss, NLLLoss, rand, randn,
  SmoothL1Loss, softmax, tensor, type Tensor,
} from 'tensorgrad';
import type { LayerSetup } from './layer-cases.js';

/** How one loss module class of `@tensorgrad/losses` gets a training step in the leak tests. */
export interface LossCase {
  /** The exported class, e.g. `'CrossEntropyLoss'`. */
  readonly loss: string;
  /** A `Linear(2, 3)` trained through the loss, with PyTorch's options that hold tensors (`weight`, `posWeight`) where it has them. */
  build(): LayerSetup;
}

type Criterion = { call(input: Tensor, target: Tensor): Tensor };

// a Linear(2, 3) whose [4, 3] output goes through `prepare` into the criterion against `target`
function lossCase(loss: string, make: (extra: Tensor[]) => Criterion, target: () => Tensor, prepare: (y: Tensor) => Tensor = (y) => y): LossCase {
  return {
    loss,
    build() {
      const module = new Linear(2, 3);
      const x = randn([4, 2]);
      const t = target();
      const extra: Tensor[] = [];
      const criterion = make(extra);
      return { module, inputs: [x, t, ...extra], forward: () => criterion.call(prepare(module.call(x)), t) };
    },
  };
}

// a tensor option of a criterion, freed with the set-up
const held = (extra: Tensor[], t: Tensor): Tensor => {
  extra.push(t);
  return t;
};

/**
 * One training-step case per loss module class of `@tensorgrad/losses` (the leak tests assert
 * that every exported `LossModule` subclass has one).
 *
 * @example
 * ```ts
 * import { LOSS_CASES } from '@tensorgrad/fuzz';
 * LOSS_CASES.map((c) => c.loss).includes('CrossEntropyLoss'); // true
 * ```
 */
export const LOSS_CASES: readonly LossCase[] = [
  lossCase('MSELoss', () => new MSELoss(), () => randn([4, 3])),
  lossCase('L1Loss', () => new L1Loss({ reduction: 'sum' }), () => randn([4, 3])),
  lossCase('SmoothL1Loss', () => new SmoothL1Loss({ beta: 0.5 }), () => randn([4, 3])),
  lossCase('HuberLoss', () => new HuberLoss({ delta: 0.5 }), () => randn([4, 3])),
  lossCase('BCELoss', (e) => new BCELoss({ weight: held(e, tensor([1, 2, 0.5])) }), () => rand([4, 3]), (y) => y.sigmoid()),
  lossCase('BCEWithLogitsLoss', (e) => new BCEWithLogitsLoss({ posWeight: held(e, tensor([2, 1, 3])) }), () => rand([4, 3])),
  lossCase(
    'CrossEntropyLoss',
    (e) => new CrossEntropyLoss({ weight: held(e, tensor([1, 2, 0.5])), labelSmoothing: 0.1, ignoreIndex: 2 }),
    () => tensor([0, 2, 1, 1], { dtype: 'int32' }),
  ),
  lossCase('NLLLoss', () => new NLLLoss({ ignoreIndex: 1 }), () => tensor([0, 2, 1, 0], { dtype: 'int32' }), (y) => logSoftmax(y, 1)),
  lossCase(
    'KLDivLoss',
    () => new KLDivLoss({ reduction: 'batchmean' }),
    () => {
      const r = randn([4, 3]);
      const p = softmax(r, 1);
      r.dispose();
      return p;
    },
    (y) => logSoftmax(y, 1),
  ),
];
