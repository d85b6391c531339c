// The runtime's printer against Node's own util.inspect (the reference readers know) for the long
// arrays that do not fit one line: Node groups short items into aligned rows.
import { inspect as nodeInspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { inspect } from '../runtime/format.js';

describe('inspect of long arrays', () => {
  const cases: [string, unknown][] = [
    ['a Uint8Array of 200 zeros (100 shown)', new Uint8Array(200)],
    ['an Int32Array of 40 numbers of mixed width', Int32Array.from({ length: 40 }, (_, i) => (i * 7919) % 100003)],
    ['an array of 30 integers', Array.from({ length: 30 }, (_, i) => i * i)],
    ['an array of 25 short strings', Array.from({ length: 25 }, (_, i) => `w${i}`)],
    ['a nested array of 20 numbers', { rows: [Array.from({ length: 20 }, (_, i) => 1000 + i * 37), 'x'] }],
  ];
  for (const [name, value] of cases) {
    it(`prints ${name} as Node does`, () => {
      expect(inspect(value)).toBe(nodeInspect(value, { breakLength: 80 }));
    });
  }

  // unlike Node, which breaks any array of more than 6 items into rows, one that fits stays on one line
  it('keeps a short array on one line', () => {
    expect(inspect([1, 2, 3, 4, 5, 6, 7, 8])).toBe('[1, 2, 3, 4, 5, 6, 7, 8]');
  });
});
