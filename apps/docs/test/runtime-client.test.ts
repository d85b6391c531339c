import { describe, expect, it } from 'vitest';
import { createExampleRunner } from '../runtime/client.js';
import type { WorkerReply, WorkerRequest } from '../runtime/protocol.js';
import type { RunResult } from '../runtime/types.js';

// A stand-in for the example worker: answers a run after the delay its code names
// (`wait 20`), never when the code says `hang`, and records what it was asked and whether it was
// terminated. The client's queueing, timeout and restart logic is what these tests check.
class FakeWorker {
  static made: FakeWorker[] = [];
  onmessage: ((e: MessageEvent<WorkerReply>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  readonly seen: string[] = [];
  constructor() {
    FakeWorker.made.push(this);
  }
  postMessage(req: WorkerRequest): void {
    if (req.type === 'backends') {
      setTimeout(() => this.reply({ type: 'backends', id: req.id, backends: ['cpu', 'tfjs'] }), 1);
      return;
    }
    this.seen.push(req.code);
    if (req.code === 'hang') return;
    const wait = Number(/wait (\d+)/.exec(req.code)?.[1] ?? 0);
    const result: RunResult = {
      status: 'ok',
      output: [{ kind: 'log', text: req.code }],
      ms: wait,
      backend: req.backend,
      memory: { tensorsBefore: 0, tensorsAfter: 0, bytesAfter: 0, freed: 0 },
    };
    setTimeout(() => this.reply({ type: 'result', id: req.id, result }), wait);
  }
  private reply(r: WorkerReply): void {
    if (!this.terminated) this.onmessage?.({ data: r } as MessageEvent<WorkerReply>);
  }
  terminate(): void {
    this.terminated = true;
  }
}

function runner() {
  FakeWorker.made = [];
  return createExampleRunner({ createWorker: () => new FakeWorker() as unknown as Worker });
}

describe('createExampleRunner', () => {
  it('starts one worker lazily and answers runs in the order they were asked, one at a time', async () => {
    const r = runner();
    expect(FakeWorker.made).toHaveLength(0);
    const order: string[] = [];
    const runs = ['a wait 30', 'b wait 1', 'c wait 10'].map((code) => r.run(code, { backend: 'cpu' }).then((res) => order.push(res.output[0]!.text)));
    await Promise.all(runs);
    expect(order).toEqual(['a wait 30', 'b wait 1', 'c wait 10']);
    expect(FakeWorker.made).toHaveLength(1);
    expect(await r.availableBackends()).toEqual(['cpu', 'tfjs']);
  });

  it('stops a run that exceeds its timeout, terminates the worker and serves the next run with a fresh one', async () => {
    const r = runner();
    const stuck = await r.run('hang', { backend: 'tfjs', timeoutMs: 50 });
    expect(stuck.status).toBe('error');
    expect(stuck.backend).toBe('tfjs');
    expect(stuck.error?.name).toBe('TimeoutError');
    expect(stuck.error?.message).toContain('50 ms');
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    const next = await r.run('after', { backend: 'cpu' });
    expect(next.status).toBe('ok');
    expect(FakeWorker.made).toHaveLength(2);
    expect(FakeWorker.made[1]!.seen).toEqual(['after']);
  });

  it('after dispose, terminates the worker and answers runs with an error', async () => {
    const r = runner();
    await r.run('x', { backend: 'cpu' });
    r.dispose();
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    const res = await r.run('y', { backend: 'cpu' });
    expect(res.status).toBe('error');
    expect(res.error?.message).toMatch(/disposed/);
  });

  it('answers the pending run with an error when the worker fails, and starts a new worker after', async () => {
    const r = runner();
    const pending = r.run('hang', { backend: 'cpu' });
    await new Promise((done) => setTimeout(done, 5));
    FakeWorker.made[0]!.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
    const res = await pending;
    expect(res.error).toMatchObject({ name: 'WorkerError' });
    expect(res.error?.message).toContain('boom');
    expect((await r.run('again', { backend: 'cpu' })).status).toBe('ok');
    expect(FakeWorker.made).toHaveLength(2);
  });
});
