/**
 * Chapter 1: a 2-3-1 network written from scratch and trained with gradients estimated by
 * finite differences, exactly as the book's numpy `feed_forward` / `update_weights` do.
 *
 * Run it: `node dist/ch1-feed-forward-finite-difference.js` (after `pnpm build`).
 *
 * Precision: the book's weights are float32 arrays but its `x = np.array([[1, 1]])` is an int64
 * array, so numpy promotes `np.dot(x, W[0])` and everything after it to float64. The weights stay
 * float32 (`+= 0.0001` and `-= grad * lr` store back into float32 arrays). This example does the
 * same: float32 weights, a float64 forward pass, float64 gradients and updates rounded to
 * float32. That reproduces every digit the book prints; a pure float32 forward pass drifts by
 * up to 8e-6 in `W[0]` after 100 epochs.
 */
import { div, noGrad, tensor, tidy, type Tensor } from 'tensorgrad';
import { BOOK_PRINTED_FINITE_DIFFERENCE, BOOK_WEIGHTS, BOOK_XY } from './book-data.js';
import { fmt, fmt32, isMain } from './run-main.js';

/** The four weight tensors of the book's network: `[W0 [2,3], W1 [3], W2 [3,1], W3 [1]]`. */
export type Weights = [Tensor, Tensor, Tensor, Tensor];

/** The step the book adds to one weight to estimate its gradient. */
export const FINITE_DIFFERENCE_STEP = 0.0001;

/**
 * The book's initial weights as float32 tensors (the book's `np.array(..., dtype=np.float32)`).
 *
 * @example
 * ```ts
 * import { bookWeights } from './ch1-feed-forward-finite-difference.js';
 * bookWeights().map((w) => w.shape); // [[2, 3], [3], [3, 1], [1]]
 * ```
 */
export function bookWeights(): Weights {
  return [tensor(BOOK_WEIGHTS.W0), tensor(BOOK_WEIGHTS.W1), tensor(BOOK_WEIGHTS.W2), tensor(BOOK_WEIGHTS.W3)];
}

/**
 * The network's output: `sigmoid(x @ W0 + W1) @ W2 + W3`, written like the book's numpy code
 * (`1 / (1 + exp(-pre_hidden))`), computed in float64 like numpy does for the book's int64 `x`.
 */
export function predict(x: Tensor, weights: readonly Tensor[]): Tensor {
  return tidy(() => {
    const [w0, w1, w2, w3] = weights.map((w) => w.to('float64')) as Weights;
    const preHidden = x.to('float64').matmul(w0).add(w1);
    const hidden = div(1, preHidden.neg().exp().add(1));
    return hidden.matmul(w2).add(w3);
  });
}

/** The book's `feed_forward`: the mean squared error of the network on `(x, y)`, a 0-d float64 tensor. */
export function feedForward(x: Tensor, y: Tensor, weights: readonly Tensor[]): Tensor {
  return tidy(() => predict(x, weights).sub(y.to('float64')).square().mean());
}

/**
 * The book's `update_weights`: for every weight, perturb a copy of the weights by
 * {@link FINITE_DIFFERENCE_STEP}, recompute the loss, take `(loss_plus - original_loss) / step`
 * as the gradient and subtract `lr * grad` from that weight. Returns the new weights (the inputs
 * are left untouched) and the loss before the update.
 */
export function updateWeights(x: Tensor, y: Tensor, weights: Weights, lr: number): { weights: Weights; loss: number } {
  return noGrad(() =>
    tidy(() => {
      const originalLoss = feedForward(x, y, weights).itemSync() as number;
      const updated = weights.map((w) => w.clone()) as Weights;
      weights.forEach((layer, i) => {
        for (let index = 0; index < layer.numel(); index++) {
          tidy(() => {
            // temp_weights = deepcopy(weights); temp_weights[i][index] += 0.0001
            const temp = weights.map((w) => w.clone());
            temp[i]!.view(-1).narrow(0, index, 1).add_(FINITE_DIFFERENCE_STEP);
            const lossPlus = feedForward(x, y, temp).itemSync() as number;
            const grad = (lossPlus - originalLoss) / FINITE_DIFFERENCE_STEP;
            // updated_weights[i][index] -= grad * lr: numpy subtracts the float64 `grad * lr` from
            // the float32 weight in float64 and stores the result back as float32
            const slot = updated[i].view(-1).narrow(0, index, 1);
            slot.copy_(slot.double().sub(grad * lr));
          });
        }
      });
      return { weights: updated, loss: originalLoss };
    }),
  );
}

/** What {@link runFiniteDifference} returns (plain numbers, nothing to dispose). */
export interface FiniteDifferenceResult {
  /** The loss before each epoch's update. */
  readonly losses: number[];
  /** The weights after the last epoch: `W0` [2][3], `W1` [3], `W2` [3][1], `W3` [1]. */
  readonly finalW: { W0: number[][]; W1: number[]; W2: number[][]; W3: number[] };
  /** The network's output on `x` after training (the book prints -0.0174781). */
  readonly finalOut: number;
}

/**
 * Trains the book's network for `epochs` epochs of finite-difference gradient descent at
 * learning rate `lr` (the book: 100 epochs at 0.01) and returns the losses, the final weights
 * and the final output. Frees every tensor it creates.
 *
 * @example
 * ```ts
 * import { runFiniteDifference } from './ch1-feed-forward-finite-difference.js';
 * const { finalOut } = runFiniteDifference();
 * finalOut; // -0.0174781
 * ```
 */
export function runFiniteDifference(options: { epochs?: number; lr?: number } = {}): FiniteDifferenceResult {
  const epochs = options.epochs ?? 100;
  const lr = options.lr ?? 0.01;
  return tidy(() => {
    const x = tensor(BOOK_XY.x);
    const y = tensor(BOOK_XY.y);
    let weights = bookWeights();
    const losses: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const step = updateWeights(x, y, weights, lr);
      for (const w of weights) w.dispose();
      weights = step.weights;
      losses.push(step.loss);
    }
    const out = predict(x, weights);
    const [w0, w1, w2, w3] = weights.map((w) => w.arraySync());
    return {
      losses,
      finalW: { W0: w0 as number[][], W1: w1 as number[], W2: w2 as number[][], W3: w3 as number[] },
      finalOut: out.dataSync()[0] as number,
    };
  });
}

/** Prints the chapter 1 report: losses, final weights and output next to the book's numbers. */
export function printFiniteDifference(result: FiniteDifferenceResult = runFiniteDifference()): void {
  const { losses, finalW, finalOut } = result;
  console.log('Chapter 1: 2-3-1 network, gradients by finite differences (lr 0.01, 100 epochs)');
  console.log(`  loss: epoch 1 ${fmt(losses[0]!)}, epoch ${losses.length} ${fmt(losses[losses.length - 1]!)}`);
  console.log(`  W[0] after training   ${fmt32(finalW.W0)}`);
  console.log(`  the book prints       ${fmt32(BOOK_PRINTED_FINITE_DIFFERENCE.W0 as unknown as number[][])}`);
  console.log(`  output after training ${fmt(finalOut)} (the book prints ${BOOK_PRINTED_FINITE_DIFFERENCE.out})`);
}

if (isMain(import.meta.url)) printFiniteDifference();
