/**
 * The numbers the book's chapter 1–2 examples start from, so every example is self-contained.
 */

/**
 * The book's initial weights of the 2-3-1 network (chapter 1, "Implementing feedforward
 * propagation"), in the layout the book uses after its `.T`: `W0` [2, 3] (input → hidden),
 * `W1` [3] (hidden bias), `W2` [3, 1] (hidden → output), `W3` [1] (output bias).
 */
export const BOOK_WEIGHTS = {
  W0: [
    [-0.0053, -0.582, -0.2723],
    [0.3793, -0.5204, 0.1896],
  ],
  W1: [-0.014, 0.5607, -0.0628],
  W2: [[0.1528], [-0.1745], [-0.1135]],
  W3: [-0.5516],
} as const;

/** The book's single training example of chapter 1: `x = [[1, 1]]`, `y = [[0]]`. */
export const BOOK_XY = { x: [[1, 1]], y: [[0]] } as const;

/**
 * What the book prints after 100 epochs of finite-difference gradient descent (lr 0.01) in
 * chapter 1: the first-layer weights `W[0]` and the network's output on `x`.
 */
export const BOOK_PRINTED_FINITE_DIFFERENCE = {
  W0: [
    [0.01424004, -0.5907864, -0.27549535],
    [0.39883757, -0.52918637, 0.18640439],
  ],
  out: -0.0174781,
} as const;

/** A tensor as plain data: its shape and its row-major values. */
export interface PlainTensor {
  /** The size of each dimension. */
  readonly shape: readonly number[];
  /** The values in row-major order. */
  readonly data: readonly number[];
}

/**
 * The PyTorch-initialised state dict of chapter 2's intermediate-layer network after
 * `torch.manual_seed(10)` (recorded by PyTorch 1.13.1, so the example does not need PyTorch's
 * random number generator): `Linear(2, 8)` then `Linear(8, 1)`, weights `[out, in]`.
 */
export const INTERMEDIATE_SEED10_STATE: Readonly<Record<string, PlainTensor>> = {
  'input_to_hidden_layer.weight': {
    shape: [8, 2],
    data: [
      -0.05927726626396179, -0.02424446865916252, -0.26516738533973694, 0.16266517341136932, -0.4045396149158478,
      -0.12469659000635147, 0.2740660309791565, 0.6637026071548462, 0.16658802330493927, -0.23989875614643097,
      0.06780045479536057, -0.0792471170425415, 0.2886311411857605, 0.0809646025300026, 0.2769910991191864,
      0.6857926845550537,
    ],
  },
  'input_to_hidden_layer.bias': {
    shape: [8],
    data: [
      -0.2936279773712158, -0.02499055117368698, 0.16262412071228027, -0.004618788603693247, -0.06772324442863464,
      -0.6257651448249817, -0.609955906867981, -0.6362970471382141,
    ],
  },
  'hidden_to_output_layer.weight': {
    shape: [1, 8],
    data: [
      -0.3459474444389343, -0.3292817175388336, -0.26783856749534607, -0.31888270378112793, -0.3316567838191986,
      0.15498685836791992, 0.2168518602848053, 0.23890456557273865,
    ],
  },
  'hidden_to_output_layer.bias': { shape: [1], data: [0.19046632945537567] },
};

/** Chapter 2's toy regression data for the intermediate-layer network: `y = x0 + x1`. */
export const INTERMEDIATE_XY = {
  x: [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
  ],
  y: [[3], [7], [11], [15]],
} as const;
