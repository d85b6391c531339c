// The book's chapter 1–2 worked examples against PyTorch's numbers (book.json, computed by
// PyTorch 1.13.1 in float32) and against the numbers printed in the book.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memory } from 'tensorgrad';
import { BOOK_PRINTED_FINITE_DIFFERENCE, type PlainTensor } from '../src/book-data.js';
import { runFiniteDifference } from '../src/ch1-feed-forward-finite-difference.js';
import { feedForwardGrads, gradientDescent, intermediateLayer, powSumGrad, yEquals3x } from '../src/ch2-autograd.js';

interface Golden extends PlainTensor {
  readonly dtype: string;
}
type Case = Record<string, unknown> & { id: string };

const fixture = JSON.parse(
  readFileSync(new URL('../../packages/conformance/fixtures/pytorch/book.json', import.meta.url), 'utf8'),
) as { cases: Case[] };
const cases = new Map(fixture.cases.map((c) => [c.id, c]));
function golden(id: string): Case {
  const c = cases.get(id);
  if (!c) throw new Error(`book.json has no case '${id}'`);
  return c;
}

// ARCHITECTURE.md, Numerics: float32 elementwise rtol 1e-5 / atol 1e-6; matmul and reductions rtol 1e-4
const ELEMENTWISE = { rtol: 1e-5, atol: 1e-6 };
const REDUCTION = { rtol: 1e-4, atol: 1e-6 };

type Nested = number | readonly Nested[];
function flat(v: Nested): number[] {
  return typeof v === 'number' ? [v] : v.flatMap(flat);
}

/** Checks `actual` against `expected` element by element: |a - e| <= atol + rtol * |e|. */
function expectClose(actual: Nested, expected: Golden | Nested, tol: { rtol: number; atol: number }, what: string): void {
  const want = typeof expected === 'object' && 'data' in expected ? [...expected.data] : flat(expected as Nested);
  const got = flat(actual);
  expect(got.length, `${what}: number of elements`).toBe(want.length);
  got.forEach((a, i) => {
    const e = want[i]!;
    const ok = Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
    expect(ok, `${what}[${i}]: got ${a}, expected ${e} (rtol ${tol.rtol}, atol ${tol.atol})`).toBe(true);
  });
}

/** Runs `fn` and checks it leaves no tensor alive. */
function noLeaks<T>(fn: () => T): T {
  const before = memory().numTensors;
  const result = fn();
  expect(memory().numTensors, 'live tensors after the example').toBe(before);
  return result;
}

const WEIGHTS = ['W0', 'W1', 'W2', 'W3'] as const;

describe('book chapter 2: autograd (book.json)', () => {
  it('ch2/pow-sum-grad: x.pow(2).sum().backward()', () => {
    const c = golden('ch2/pow-sum-grad');
    const r = noLeaks(powSumGrad);
    expectClose(r.out, c.out as Golden, REDUCTION, 'out');
    expectClose(r.xGrad, c.xGrad as Golden, ELEMENTWISE, 'x.grad');
  });

  it('ch2/feed-forward-grads: forward intermediates, gradients and W - grad', () => {
    const c = golden('ch2/feed-forward-grads');
    const r = noLeaks(feedForwardGrads);
    expectClose(r.preHidden, c.preHidden as Golden, REDUCTION, 'preHidden');
    expectClose(r.hidden, c.hidden as Golden, REDUCTION, 'hidden');
    expectClose(r.out, c.out as Golden, REDUCTION, 'out');
    expectClose(r.loss, c.loss as Golden, REDUCTION, 'loss');
    const grads = c.grads as Record<string, Golden>;
    const updated = c.updatedW as Record<string, Golden>;
    for (const k of WEIGHTS) {
      expectClose(r.grads[k], grads[k]!, REDUCTION, `grad ${k}`);
      expectClose(r.updatedW[k], updated[k]!, REDUCTION, `updated ${k}`);
    }
  });

  it('ch2/gradient-descent-lr0.01-100epochs: every loss of the trajectory and the final state', () => {
    const c = golden('ch2/gradient-descent-lr0.01-100epochs');
    const r = noLeaks(() => gradientDescent({ lr: c.lr as number, epochs: c.epochs as number }));
    expectClose(r.losses, c.losses as number[], REDUCTION, 'losses');
    const finalW = c.finalW as Record<string, Golden>;
    for (const k of WEIGHTS) expectClose(r.finalW[k], finalW[k]!, REDUCTION, `final ${k}`);
    expectClose(r.finalOut, c.finalOut as Golden, REDUCTION, 'final out');
    expectClose(r.finalLoss, c.finalLoss as Golden, REDUCTION, 'final loss');
  });

  it.each(['lr0.01', 'lr0.1', 'lr1.0'])('ch1/y-equals-3x/%s: weights and loss after every epoch', (variant) => {
    const c = golden(`ch1/y-equals-3x/${variant}`);
    const r = noLeaks(() => yEquals3x(c.lr as number, c.epochs as number));
    expectClose(r.losses, c.losses as number[], REDUCTION, 'losses');
    const weights = c.weights as { w: number; b: number }[];
    expect(r.weights).toHaveLength(weights.length);
    expectClose(r.weights.map((p) => p.w), weights.map((p) => p.w), REDUCTION, 'w');
    expectClose(r.weights.map((p) => p.b), weights.map((p) => p.b), REDUCTION, 'b');
  });

  it("ch2/intermediate-layer-seed10: manualSeed(10) and tensorgrad's own initialisation give PyTorch's initial state and the book's losses", () => {
    const c = golden('ch2/intermediate-layer-seed10');
    const r = noLeaks(() => intermediateLayer({ steps: c.steps as number, lr: c.lr as number }));
    expect(r.losses[0]!).toBeCloseTo(102.1545, 4); // what the book prints, from the seeded init
    expectClose(r.losses, c.losses as number[], REDUCTION, 'losses');
    expectClose(r.hiddenAfter, c.hiddenAfter as Golden, REDUCTION, 'hiddenAfter');
  });

  it('ch2/intermediate-layer-seed10: 50 SGD steps, every loss, hidden layer and prediction', () => {
    const c = golden('ch2/intermediate-layer-seed10');
    const r = noLeaks(() =>
      intermediateLayer({
        initialState: c.initialState as Record<string, Golden>,
        steps: c.steps as number,
        lr: c.lr as number,
      }),
    );
    expect(r.losses[0]!).toBeCloseTo(102.1545, 4); // what the book prints
    expectClose(r.losses, c.losses as number[], REDUCTION, 'losses');
    expectClose(r.hiddenAfter, c.hiddenAfter as Golden, REDUCTION, 'hiddenAfter');
    expectClose(r.predAfter, c.predAfter as Golden, REDUCTION, 'predAfter');
  });

  it('covers every case of book.json', () => {
    expect([...cases.keys()].sort()).toEqual(
      [
        'ch1/y-equals-3x/lr0.01',
        'ch1/y-equals-3x/lr0.1',
        'ch1/y-equals-3x/lr1.0',
        'ch2/feed-forward-grads',
        'ch2/gradient-descent-lr0.01-100epochs',
        'ch2/intermediate-layer-seed10',
        'ch2/pow-sum-grad',
      ].sort(),
    );
  });
});

describe('book chapter 1: finite differences', () => {
  it("reproduces the book's printed weights and output after 100 epochs (1e-5)", () => {
    const r = noLeaks(() => runFiniteDifference());
    const printed = { rtol: 0, atol: 1e-5 };
    expectClose(r.finalW.W0, BOOK_PRINTED_FINITE_DIFFERENCE.W0 as unknown as Nested, printed, 'W[0]');
    expectClose(r.finalOut, BOOK_PRINTED_FINITE_DIFFERENCE.out, printed, 'output');
    // the first loss is the untrained network's, the same one autograd sees (book.json)
    const loss = golden('ch2/feed-forward-grads').loss as Golden;
    expectClose(r.losses[0]!, loss, REDUCTION, 'loss before training');
    expect(r.losses).toHaveLength(100);
  });

  it('agrees with the autograd trajectory: finite differences approximate the same gradients', () => {
    const c = golden('ch2/gradient-descent-lr0.01-100epochs');
    const r = runFiniteDifference();
    // forward differences with step 1e-4 have O(1e-4) relative error in the gradient
    expectClose(r.losses, c.losses as number[], { rtol: 1e-2, atol: 1e-6 }, 'losses');
    expectClose(r.finalW.W0, (c.finalW as Record<string, Golden>).W0!, { rtol: 0, atol: 1e-4 }, 'W0');
  });
});
