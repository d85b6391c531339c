/**
 * Chapter 2: the same computations with tensorgrad's autodiff instead of finite differences —
 * `backward()` on a tiny expression, the 2-3-1 network's gradients, 100 epochs of gradient
 * descent, chapter 1's `y = 3x` learning-rate experiment, and the intermediate-layer network
 * (`Linear(2, 8) → ReLU → Linear(8, 1)`) trained with SGD.
 *
 * The layers package comes later, so the linear layers here are raw tensors and `matmul`, and
 * the optimizer step is a manual update under `noGrad` — what `nn.Linear` and `optim.SGD` do.
 *
 * Run it: `node dist/ch2-autograd.js` (after `pnpm build`).
 */
import { Linear, div, manualSeed, noGrad, tensor, tidy, type Tensor } from 'tensorgrad';
import { bookWeights, type Weights } from './ch1-feed-forward-finite-difference.js';
import { BOOK_XY, INTERMEDIATE_XY, type PlainTensor } from './book-data.js';
import { fmt32, isMain } from './run-main.js';

type Nested = number | Nested[];

/** Reads a tensor into nested arrays (a number for a 0-d tensor). */
function read(t: Tensor): Nested {
  return t.arraySync() as Nested;
}


// ---- x.pow(2).sum().backward() ----------------------------------------------------------------

/** What {@link powSumGrad} returns. */
export interface PowSumGradResult {
  /** `x.pow(2).sum()` (7 for the book's `x`). */
  readonly out: number;
  /** `x.grad` = `2x`. */
  readonly xGrad: number[][];
}

/**
 * The book's first autograd example: `x = [[2, -1], [1, 1]]`, `out = x.pow(2).sum()`,
 * `out.backward()`, then `x.grad` is `2x`.
 *
 * @example
 * ```ts
 * import { powSumGrad } from './ch2-autograd.js';
 * powSumGrad().xGrad; // [[4, -2], [2, 2]]
 * ```
 */
export function powSumGrad(): PowSumGradResult {
  return tidy(() => {
    const x = tensor([[2, -1], [1, 1]], { requiresGrad: true });
    const out = x.pow(2).sum();
    out.backward();
    const result = { out: out.itemSync() as number, xGrad: read(x.grad!) as number[][] };
    x.dispose(); // frees x.grad with it
    return result;
  });
}

// ---- the 2-3-1 network with autodiff -----------------------------------------------------------

/** The forward pass of the book's network in float32: every intermediate, for printing and tests. */
export function feedForward(x: Tensor, y: Tensor, W: readonly Tensor[]): { preHidden: Tensor; hidden: Tensor; out: Tensor; loss: Tensor } {
  const [w0, w1, w2, w3] = W as Weights;
  const preHidden = x.matmul(w0).add(w1);
  // the book writes the sigmoid out: 1 / (1 + exp(-pre_hidden))
  const hidden = div(1, preHidden.neg().exp().add(1));
  const out = hidden.matmul(w2).add(w3);
  const loss = out.sub(y).pow(2).mean();
  return { preHidden, hidden, out, loss };
}

/** The book's weights as float32 leaves that require grad. */
function trainableBookWeights(): Weights {
  return bookWeights().map((w) => w.requiresGrad_()) as Weights;
}

type WeightValues = { W0: number[][]; W1: number[]; W2: number[][]; W3: number[] };

function weightValues(W: readonly Tensor[]): WeightValues {
  const [W0, W1, W2, W3] = W.map(read);
  return { W0: W0 as number[][], W1: W1 as number[], W2: W2 as number[][], W3: W3 as number[] };
}

/** What {@link feedForwardGrads} returns. */
export interface FeedForwardGradsResult {
  readonly preHidden: number[][];
  readonly hidden: number[][];
  readonly out: number[][];
  readonly loss: number;
  /** `dloss/dW` for each weight. */
  readonly grads: WeightValues;
  /** `W - grad` (the notebook's `[w - w.grad for w in W]`). */
  readonly updatedW: WeightValues;
}

/**
 * One forward and backward pass of the book's 2-3-1 network on `x = [[1, 1]]`, `y = [[0]]`:
 * the intermediates, the loss, every weight's gradient, and `W - grad`.
 *
 * @example
 * ```ts
 * import { feedForwardGrads } from './ch2-autograd.js';
 * feedForwardGrads().loss; // 0.33455008
 * ```
 */
export function feedForwardGrads(): FeedForwardGradsResult {
  return tidy(() => {
    const x = tensor(BOOK_XY.x);
    const y = tensor(BOOK_XY.y);
    const W = trainableBookWeights();
    const { preHidden, hidden, out, loss } = feedForward(x, y, W);
    loss.backward();
    const grads = weightValues(W.map((w) => w.grad!));
    const updatedW = weightValues(noGrad(() => W.map((w) => w.sub(w.grad!))));
    const result = {
      preHidden: read(preHidden) as number[][],
      hidden: read(hidden) as number[][],
      out: read(out) as number[][],
      loss: loss.itemSync() as number,
      grads,
      updatedW,
    };
    for (const w of W) w.dispose();
    return result;
  });
}

/** What {@link gradientDescent} returns. */
export interface GradientDescentResult {
  /** The loss before each update. */
  readonly losses: number[];
  readonly finalW: WeightValues;
  readonly finalOut: number;
  readonly finalLoss: number;
}

/**
 * Chapter 2's training loop: `epochs` times, compute the loss, `backward()`, and
 * `W -= lr * W.grad` under `noGrad` (then clear the gradients, as `optimizer.zero_grad()` would).
 *
 * @example
 * ```ts
 * import { gradientDescent } from './ch2-autograd.js';
 * gradientDescent().losses.length; // 100
 * ```
 */
export function gradientDescent(options: { lr?: number; epochs?: number } = {}): GradientDescentResult {
  const lr = options.lr ?? 0.01;
  const epochs = options.epochs ?? 100;
  return tidy(() => {
    const x = tensor(BOOK_XY.x);
    const y = tensor(BOOK_XY.y);
    const W = trainableBookWeights();
    const losses: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      tidy(() => {
        const { loss } = feedForward(x, y, W);
        loss.backward();
        losses.push(loss.itemSync() as number);
        noGrad(() => {
          for (const w of W) {
            w.sub_(w.grad!.mul(lr));
            w.grad = null;
          }
        });
      });
    }
    const final = noGrad(() => feedForward(x, y, W));
    const result = {
      losses,
      finalW: weightValues(W),
      finalOut: final.out.itemSync() as number,
      finalLoss: final.loss.itemSync() as number,
    };
    for (const w of W) w.dispose();
    return result;
  });
}

// ---- chapter 1's y = 3x learning-rate experiment ------------------------------------------------

/** What {@link yEquals3x} returns. */
export interface YEquals3xResult {
  readonly lr: number;
  /** The loss before each epoch's update. */
  readonly losses: number[];
  /** `w` and `b` after each epoch. */
  readonly weights: { w: number; b: number }[];
}

/**
 * The learning-rate notebook: fit `y = 3x` on `x = 1…4` with `out = x @ w + b` from `w = b = 0`
 * for `epochs` epochs (default 10) of gradient descent at `lr`. At 0.01 it creeps toward 3, at
 * 0.1 it oscillates and settles, at 1.0 it diverges.
 *
 * @example
 * ```ts
 * import { yEquals3x } from './ch2-autograd.js';
 * yEquals3x(0.1).weights[0]; // { w: 4.5, b: 1.5 }
 * ```
 */
export function yEquals3x(lr: number, epochs = 10): YEquals3xResult {
  return tidy(() => {
    const x = tensor([[1], [2], [3], [4]]);
    const y = tensor([[3], [6], [9], [12]]);
    const w = tensor([[0]], { requiresGrad: true });
    const b = tensor([[0]], { requiresGrad: true });
    const losses: number[] = [];
    const weights: { w: number; b: number }[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      tidy(() => {
        const loss = x.matmul(w).add(b).sub(y).pow(2).mean();
        loss.backward();
        losses.push(loss.itemSync() as number);
        noGrad(() => {
          for (const p of [w, b]) {
            p.sub_(p.grad!.mul(lr));
            p.grad = null;
          }
        });
        weights.push({ w: w.itemSync() as number, b: b.itemSync() as number });
      });
    }
    w.dispose();
    b.dispose();
    return { lr, losses, weights };
  });
}

// ---- the intermediate-layer network ------------------------------------------------------------

/** What {@link intermediateLayer} returns. */
export interface IntermediateLayerResult {
  /** The loss before each SGD step (the book prints `losses[0]` = 102.1545). */
  readonly losses: number[];
  /** `input_to_hidden_layer(X)` after training (the book prints it). */
  readonly hiddenAfter: number[][];
  /** The whole network's prediction on `X` after training. */
  readonly predAfter: number[][];
}

/**
 * The notebook's `torch.manual_seed(seed)` followed by `nn.Linear(2, 8)` and `nn.Linear(8, 1)`:
 * tensorgrad's own default initialisation after `manualSeed`, as a plain state dict.
 */
function seededState(seed: number): Record<string, PlainTensor> {
  manualSeed(seed);
  const hidden = new Linear(2, 8);
  const output = new Linear(8, 1);
  const plain = (t: Tensor): PlainTensor => ({ shape: [...t.shape], data: Array.from(t.dataSync() as Float32Array) });
  const state = {
    'input_to_hidden_layer.weight': plain(hidden.weight),
    'input_to_hidden_layer.bias': plain(hidden.bias!),
    'hidden_to_output_layer.weight': plain(output.weight),
    'hidden_to_output_layer.bias': plain(output.bias!),
  };
  hidden.dispose();
  output.dispose();
  return state;
}

/** `nn.Linear`'s forward: `x @ weight.T + bias` with PyTorch's `[out, in]` weight layout. */
function linear(x: Tensor, weight: Tensor, bias: Tensor): Tensor {
  return x.matmul(weight.transpose(0, 1)).add(bias);
}

/**
 * Chapter 2's `MyNeuralNet` with `torch.manual_seed(10)`: `Linear(2, 8) → ReLU → Linear(8, 1)`
 * on `X = [[1, 2], [3, 4], [5, 6], [7, 8]]`, `Y = X0 + X1`, trained for `steps` SGD steps
 * (lr 0.001) on the mean squared error. As in the notebook, the layers are created after
 * `manualSeed(10)` with their default initialisation, which is PyTorch's, value for value (so the
 * first loss is the book's 102.1545); `initialState` replaces it with a given state dict.
 *
 * @example
 * ```ts
 * import { intermediateLayer } from './ch2-autograd.js';
 * intermediateLayer().losses[0]; // 102.1545
 * ```
 */
export function intermediateLayer(
  options: { initialState?: Readonly<Record<string, PlainTensor>>; steps?: number; lr?: number } = {},
): IntermediateLayerResult {
  const steps = options.steps ?? 50;
  const lr = options.lr ?? 0.001;
  return tidy(() => {
    const state = options.initialState ?? seededState(10);
    const param = (name: string): Tensor => {
      const p = state[name];
      if (!p) throw new Error(`intermediateLayer: initialState has no '${name}'`);
      return tensor(Float32Array.from(p.data)).reshape([...p.shape]).requiresGrad_();
    };
    const w1 = param('input_to_hidden_layer.weight');
    const b1 = param('input_to_hidden_layer.bias');
    const w2 = param('hidden_to_output_layer.weight');
    const b2 = param('hidden_to_output_layer.bias');
    const params = [w1, b1, w2, b2];
    const x = tensor(INTERMEDIATE_XY.x);
    const y = tensor(INTERMEDIATE_XY.y);
    const forward = (input: Tensor): Tensor => linear(linear(input, w1, b1).relu(), w2, b2);
    const losses: number[] = [];
    for (let step = 0; step < steps; step++) {
      tidy(() => {
        // opt.zero_grad(); loss = loss_func(mynet(X), Y); loss.backward(); opt.step()
        for (const p of params) p.grad = null;
        const loss = forward(x).sub(y).pow(2).mean();
        loss.backward();
        losses.push(loss.itemSync() as number);
        noGrad(() => {
          for (const p of params) p.sub_(p.grad!.mul(lr));
        });
      });
    }
    const result = noGrad(() => ({
      losses,
      hiddenAfter: read(linear(x, w1, b1)) as number[][],
      predAfter: read(forward(x)) as number[][],
    }));
    for (const p of params) p.dispose();
    return result;
  });
}

// ---- report ------------------------------------------------------------------------------------

/** Prints every chapter 2 example with its results. */
export function printAutograd(): void {
  const ps = powSumGrad();
  console.log('Chapter 2: autograd');
  console.log(`  x = [[2, -1], [1, 1]]; x.pow(2).sum() = ${fmt32(ps.out)}; x.grad = ${fmt32(ps.xGrad)}`);

  const ff = feedForwardGrads();
  console.log('Chapter 2: gradients of the 2-3-1 network by backward()');
  console.log(`  loss ${fmt32(ff.loss)}, output ${fmt32(ff.out)}`);
  for (const k of ['W0', 'W1', 'W2', 'W3'] as const) console.log(`  d loss / d ${k} = ${fmt32(ff.grads[k])}`);

  const gd = gradientDescent();
  console.log('Chapter 2: 100 epochs of gradient descent with autograd (lr 0.01)');
  console.log(`  loss: epoch 1 ${fmt32(gd.losses[0]!)}, epoch 100 ${fmt32(gd.losses[99]!)}, after training ${fmt32(gd.finalLoss)}`);
  console.log(`  W[0] after training ${fmt32(gd.finalW.W0)}; output ${fmt32(gd.finalOut)}`);

  console.log('Chapter 1: fitting y = 3x (w = b = 0, 10 epochs) at three learning rates');
  for (const lr of [0.01, 0.1, 1.0]) {
    const r = yEquals3x(lr);
    const last = r.weights[r.weights.length - 1]!;
    console.log(`  lr ${String(lr).padEnd(4)} w ${fmt32(last.w).padEnd(14)} b ${fmt32(last.b).padEnd(14)} loss before epoch 10 ${fmt32(r.losses[9]!)}`);
  }

  const il = intermediateLayer();
  console.log('Chapter 2: Linear(2, 8) -> ReLU -> Linear(8, 1), seed 10, SGD lr 0.001, 50 steps');
  console.log(`  loss: step 1 ${fmt32(il.losses[0]!)} (the book prints 102.1545), step 50 ${fmt32(il.losses[49]!)}`);
  console.log(`  prediction after training ${fmt32(il.predAfter.map((r) => r[0]!))} (targets [3, 7, 11, 15])`);
}

if (isMain(import.meta.url)) printAutograd();
