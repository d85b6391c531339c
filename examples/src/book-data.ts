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
