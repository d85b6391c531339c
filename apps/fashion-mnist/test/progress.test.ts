import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressBar } from '@tensorgrad/fashion-mnist';

function fakeStream(isTTY: boolean, columns = 100): { stream: { write(s: string): boolean; isTTY: boolean; columns: number }; text: () => string } {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true), isTTY, columns }, text: () => text };
}

describe('ProgressBar', () => {
  it('on a terminal redraws one line with \\r, at most every 100 ms, and erases it when done', () => {
    let now = 0;
    const s = fakeStream(true);
    const bar = new ProgressBar({ total: 100, label: 'epoch 1/5', stream: s.stream, now: () => now });
    for (let i = 1; i <= 100; i++) {
      now += 25; // 4 batches per redraw interval
      bar.update(i, { loss: 1 / i, examples: 32 * i });
    }
    const frames = s.text().split('\r').filter(Boolean);
    expect(s.text()).not.toContain('\n');
    // the first update, one every 4 updates after it, and the last one
    expect(frames.length).toBe(26);
    // 49 of 100 batches after 1.225 s: 1280 ex/s, 1.275 s to go
    expect(frames[12]!.trimEnd()).toBe('epoch 1/5 [==============>               ] 49/100  loss 0.0204  1280.0 ex/s  ETA 1s');
    expect(frames[25]!.trimEnd()).toBe('epoch 1/5 [==============================] 100/100  loss 0.0100  1280.0 ex/s  3s');
    bar.finish();
    expect(s.text().endsWith(`\r${' '.repeat(frames[25]!.trimEnd().length)}\r`)).toBe(true);
  });

  it('elsewhere writes a line every 10%', () => {
    let now = 0;
    const s = fakeStream(false);
    const bar = new ProgressBar({ total: 1875, label: 'epoch 2/5', stream: s.stream, now: () => now });
    for (let i = 1; i <= 1875; i++) {
      now += 10;
      bar.update(i, { loss: 0.5, examples: 32 * i });
    }
    bar.finish();
    const lines = s.text().split('\n').filter(Boolean);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('epoch 2/5  188/1875  loss 0.5000  3200.0 ex/s  ETA 17s');
    expect(lines[9]).toBe('epoch 2/5  1875/1875  loss 0.5000  3200.0 ex/s  19s');
  });

  it('drops the bar on a narrow terminal', () => {
    const s = fakeStream(true, 30);
    const bar = new ProgressBar({ total: 10, label: 'epoch 1/1', stream: s.stream, now: () => 0 });
    bar.update(3);
    expect(s.text()).toBe('\repoch 1/1  3/10  ETA 0s');
  });
});

describe('formatDuration', () => {
  it('formats seconds, minutes and hours', () => {
    expect([formatDuration(0), formatDuration(59.4), formatDuration(60), formatDuration(3599), formatDuration(3600), formatDuration(NaN)]).toEqual(['0s', '59s', '1m00s', '59m59s', '1h00m', '?']);
  });
});
