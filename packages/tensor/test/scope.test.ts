import { afterEach, describe, expect, it } from 'vitest';
import { keep, memory, noGrad, registerBackend, removeBackend, setDebugMode, tensor, tidy, toAsync, type Backend, type Tensor } from '@tensorgrad/tensor';
import { CpuBackend } from '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('async tidy', () => {
  it('keeps the scope open across awaits and frees everything but the resolved tensors', async () => {
    const before = memory();
    const out = await tidy(async () => {
      const a = tensor([1, 2, 3]);
      await tick();
      const b = a.mul(2);
      const s = await b.sum().item();
      await tick();
      return { b, list: [b.add(Number(s))], s };
    });
    expect(out.s).toBe(12);
    expect(out.b.isDisposed).toBe(false);
    expect(await out.list[0]!.array()).toEqual([14, 16, 18]);
    expect(memory().numTensors - before.numTensors).toBe(2);
    out.b.dispose();
    out.list[0]!.dispose();
    expect(memory()).toEqual(before);
  });

  it('keep() inside an async tidy survives it; tensors made before the first await are freed too', async () => {
    const before = memory().numTensors;
    let kept: Tensor | undefined;
    let early: Tensor | undefined;
    await tidy(async () => {
      early = tensor([1]);
      await tick();
      kept = keep(tensor([2]));
    });
    expect(early!.isDisposed).toBe(true);
    expect(kept!.isDisposed).toBe(false);
    kept!.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('frees everything and rejects with the original error when the function rejects', async () => {
    const before = memory();
    const err = await tidy(async () => {
      tensor([1, 2]);
      await tick();
      tensor([3]);
      throw new Error('boom');
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('boom');
    expect(memory()).toEqual(before);
  });

  it('nests: sync and async scopes inside an async one hand their results outward', async () => {
    const before = memory().numTensors;
    const r = await tidy(async () => {
      const a = tidy(() => tensor([1]).add(1));
      const b = await tidy(async () => {
        await tick();
        return a.mul(3);
      });
      await tick();
      return b.add(a);
    });
    expect(await r.array()).toEqual([8]);
    r.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('supports the training-loop pattern without leaking (for await + await loss.item())', async () => {
    const w = tensor([0.5, -0.5], { requiresGrad: true });
    const batches: [Tensor, Tensor][] = [0, 1, 2].map((i) => [tensor([[1, i]]), tensor([i])]);
    const start = memory();
    const losses: number[] = [];
    async function* loader(): AsyncGenerator<[Tensor, Tensor]> {
      for (const b of batches) {
        await tick();
        yield b;
      }
    }
    for await (const [x, y] of loader()) {
      await tidy(async () => {
        const loss = x.matmul(w).sub(y).square().mean();
        loss.backward();
        losses.push(Number(await loss.item()));
        noGrad(() => tidy(() => w.sub_(w.grad!.mul(0.1))));
        w.grad = null;
      });
      expect(memory()).toEqual(start);
    }
    expect(losses.length).toBe(3);
    expect(losses[0]).toBeCloseTo(0.25, 6);
    for (const [x, y] of batches) (x.dispose(), y.dispose());
    w.dispose();
  });

  it('works with toAsync and data() inside (a sync function returning a promise is an async scope)', async () => {
    const before = memory().numTensors;
    const moved = await tidy(async () => toAsync(tensor([1, 2]).mul(2), 'float64'));
    expect(await moved.array()).toEqual([2, 4]);
    moved.dispose();
    const data = await tidy(() => tensor([1, 2]).add(1).data());
    expect(Array.from(data)).toEqual([2, 3]);
    expect(memory().numTensors).toBe(before);
  });

  it('attributes tensors created by other code during its awaits to the open scope (documented), and says so on use', async () => {
    const before = memory().numTensors;
    let other: Tensor | undefined;
    const timer = setTimeout(() => {
      other = tensor([7]); // runs while the tidy awaits: JavaScript cannot tell it is not the tidy's
    }, 0);
    await tidy(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    clearTimeout(timer);
    expect(other!.isDisposed).toBe(true);
    expect(() => other!.add(1)).toThrow(/disposed when the async tidy\(\) opened at .*scope\.test\.ts.* finished: an async tidy owns every tensor created until its promise settles/);
    expect(memory().numTensors).toBe(before);
  });

  it('two async scopes that do not nest (Promise.all) both fail with an error naming both', async () => {
    const before = memory();
    const a = tidy(async () => {
      const t = tensor([1]);
      await new Promise((r) => setTimeout(r, 5));
      return t.add(1);
    });
    const b = tidy(async () => {
      const t = tensor([2]);
      await new Promise((r) => setTimeout(r, 30));
      return t.add(1);
    });
    const [ra, rb] = await Promise.allSettled([a, b]);
    expect(ra.status).toBe('rejected');
    expect(rb.status).toBe('rejected');
    const ea = (ra as PromiseRejectedResult).reason as Error;
    const eb = (rb as PromiseRejectedResult).reason as Error;
    expect(ea.message).toMatch(/^tidy: the async tidy\(\) opened at .*scope\.test\.ts.* finished while an async tidy\(\) opened after it \(at .*scope\.test\.ts.*\) was still running\. Async tidy scopes must nest/);
    expect(ea.message).toMatch(/Await each async tidy before starting the next/);
    expect(ea.message).not.toMatch(/\bat at\b/);
    expect(eb.message).toMatch(/was still running when an async tidy\(\) opened before it \(at .*\) finished/);
    expect(memory()).toEqual(before);
    // the scope stack is clean again
    const ok = await tidy(async () => tensor([3]).add(1));
    expect(await ok.item()).toBe(4);
    ok.dispose();
  });

  it('a synchronous tidy that returns while an async tidy it started still runs throws', async () => {
    const before = memory().numTensors;
    let inner: Promise<unknown> | undefined;
    expect(() =>
      tidy(() => {
        tensor([1]);
        inner = tidy(async () => {
          await tick();
          return 1;
        });
        return 0;
      }),
    ).toThrow(/^tidy: a synchronous tidy\(\) returned while an async tidy\(\) it started \(at .*\) was still running; a synchronous tidy cannot wait for it\. Make the outer function async and await the inner one/);
    // the async tidy it left running still completes on its own
    expect(await inner!).toBe(1);
    expect(memory().numTensors).toBe(before);
  });
});

describe('memory() and the garbage collector', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  afterEach(() => setDebugMode(false));

  async function collect(until: () => boolean, tries = 20): Promise<void> {
    for (let i = 0; i < tries && !until(); i++) {
      gc!();
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  // a backend of their own, so that tensors other tests left to the collector do not count here
  registerBackend('gc-cpu', () => new CpuBackend('gc-cpu'));
  const on = { backend: 'gc-cpu' };

  it('runs with --expose-gc (vitest.config.ts)', () => {
    expect(gc).toBeTypeOf('function');
  });

  it('on cpu (reclaimable), tensors collected without dispose() stop counting, views and saved tensors included', async () => {
    const before = memory('gc-cpu');
    (() => {
      const keepAlive: Tensor[] = [];
      for (let i = 0; i < 50; i++) {
        const t = tensor([1, 2, 3, 4], { ...on, requiresGrad: true });
        const v = t.view(2, 2); // shares t's storage
        const y = v.mul(v).sum(); // saves tensors for backward
        keepAlive.push(t, v, y);
      }
      expect(memory('gc-cpu').numTensors - before.numTensors).toBeGreaterThan(150);
    })();
    await collect(() => memory('gc-cpu').numTensors === before.numTensors);
    expect(memory('gc-cpu')).toEqual(before);
  });

  it('tensors that leave a tidy undisposed (returned from the outermost one, or keep()) are watched too', async () => {
    const before = memory('gc-cpu');
    (() => {
      for (let i = 0; i < 20; i++) {
        tidy(() => [tensor([i], on).add(1), tidy(() => tensor([i], on).mul(2))]);
        tidy(() => void keep(tensor([i, i], on)));
      }
      void tidy(async () => tensor([1], on).add(1));
    })();
    await tick();
    expect(memory('gc-cpu').numTensors - before.numTensors).toBe(61);
    await collect(() => memory('gc-cpu').numTensors === before.numTensors);
    expect(memory('gc-cpu')).toEqual(before);
  });

  it('internal tensors made inside a tidy (gradients, tensors saved for backward) are watched once it closes', async () => {
    const before = memory('gc-cpu');
    (() => {
      for (let i = 0; i < 10; i++) {
        const w = tensor([1, 2, 3], { ...on, requiresGrad: true });
        // the graph escapes undisposed: its saved tensors stay alive with it
        const y = tidy(() => {
          const z = w.mul(w).sum();
          tidy(() => z.mul(1).backward(undefined, { retainGraph: true }));
          return z;
        });
        expect(w.grad).not.toBeNull();
        void y;
      }
    })();
    await collect(() => memory('gc-cpu').numTensors === before.numTensors);
    expect(memory('gc-cpu')).toEqual(before);
  });

  it('a view collected before its base releases one reference only (no early or double free)', async () => {
    const before = memory('gc-cpu');
    const base = tensor([1, 2, 3, 4], on);
    (() => {
      for (let i = 0; i < 20; i++) base.view(2, 2);
    })();
    await collect(() => memory('gc-cpu').numTensors === before.numTensors + 1);
    expect(memory('gc-cpu').numTensors - before.numTensors).toBe(1);
    expect(memory('gc-cpu').numBuffers - before.numBuffers).toBe(1);
    expect(await base.array()).toEqual([1, 2, 3, 4]);
    base.dispose();
    expect(memory('gc-cpu')).toEqual(before);
  });

  it('disposed tensors are not released again when collected', async () => {
    const before = memory('gc-cpu');
    const base = tensor([1, 2], on);
    (() => {
      for (let i = 0; i < 20; i++) base.view(2, 1).dispose();
    })();
    gc!();
    await collect(() => false, 3);
    expect(memory('gc-cpu').numTensors - before.numTensors).toBe(1);
    expect(await base.array()).toEqual([1, 2]);
    base.dispose();
    expect(memory('gc-cpu')).toEqual(before);
  });

  it('on a backend that is not reclaimable, a collected tensor stays counted and debug mode names where it was made', async () => {
    class Unreclaimable extends CpuBackend {
      override reclaimable = false;
    }
    registerBackend('unreclaimable', () => new Unreclaimable('unreclaimable'));
    try {
      const warnings: string[] = [];
      const orig = console.warn;
      console.warn = (m: string) => void warnings.push(m);
      try {
        const before = memory('unreclaimable');
        setDebugMode(true);
        (function makeLeakyTensor() {
          tensor([1, 2, 3], { backend: 'unreclaimable' });
        })();
        setDebugMode(false);
        await collect(() => warnings.length > 0);
        expect(memory('unreclaimable').numTensors - before.numTensors).toBe(1);
        expect(memory('unreclaimable').numBytes - before.numBytes).toBe(12);
        const w = warnings.find((m) => m.includes("on 'unreclaimable'"));
        expect(w).toMatch(/garbage-collected without dispose\(\): shape \[3\], float32, on 'unreclaimable', created at .*makeLeakyTensor/);
        // one "at": the stack frames lose V8's own prefix
        expect(w).toMatch(/created at (?!at )/);
        expect(w).toMatch(/is not reclaimable: its buffer stays allocated and counted in memory\(\)/);
      } finally {
        console.warn = orig;
      }
    } finally {
      removeBackend('unreclaimable');
    }
  });

  it('without debug mode no stack is captured when tensors are made (the hot path stays cheap)', () => {
    let stacks = 0;
    const Orig = Error;
    const backend: Backend = new CpuBackend('plain');
    expect(backend.reclaimable).toBe(true);
    const spy = new Proxy(Orig, {
      construct(target, args) {
        stacks++;
        return Reflect.construct(target, args) as object;
      },
    });
    (globalThis as { Error: ErrorConstructor }).Error = spy;
    try {
      tidy(() => {
        for (let i = 0; i < 10; i++) tensor([i]).add(1);
      });
    } finally {
      (globalThis as { Error: ErrorConstructor }).Error = Orig;
    }
    expect(stacks).toBe(0);
  });
});
