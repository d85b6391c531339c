import { describe, expect, it } from 'vitest';
import { EXAMPLE_MODULES } from '../runtime/modules.js';
import { runExample } from '../runtime/run-example.js';

const run = (code: string) => runExample(code, { backend: 'cpu' }, EXAMPLE_MODULES);

describe('runExample on cpu', () => {
  it('prints console output and promised values with their lines, and frees every tensor', async () => {
    const code = [
      "import { tensor, memory } from 'tensorgrad';",
      "import '@tensorgrad/backend-cpu';",
      'const x = tensor([[1, 2], [3, 4]]);',
      'x.shape; // [2, 2]',
      'const y = x.mul(0.1);',
      'await y.array(); // [[0.1, 0.2], [0.3, 0.4]]',
      "console.log('sum', x.sum());",
      'console.warn(x.dtype);',
    ].join('\n');
    const r = await run(code);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('ok');
    expect(r.output).toEqual([
      { kind: 'value', text: '[2, 2]', line: 4 },
      { kind: 'value', text: '[[0.1, 0.2], [0.3, 0.4]]', line: 6 },
      { kind: 'log', text: 'sum tensor(10.)', line: 7 },
      { kind: 'warn', text: 'float32', line: 8 },
    ]);
    expect(r.memory.tensorsAfter).toBe(r.memory.tensorsBefore);
    expect(r.memory.freed).toBeGreaterThanOrEqual(3);
    expect(r.backend).toBe('cpu');
    expect(r.ms).toBeGreaterThan(0);
  });

  it('reports a thrown error with its line in the example and still frees the tensors', async () => {
    const code = ["import { tensor } from 'tensorgrad';", 'const a = tensor([1, 2, 3]);', '', 'a.reshape(2, 2);'].join('\n');
    const r = await run(code);
    expect(r.status).toBe('error');
    expect(r.error?.line).toBe(4);
    expect(r.error?.message).toMatch(/shape|reshape|size/i);
    expect(r.memory.tensorsAfter).toBe(r.memory.tensorsBefore);
  });

  it('reports a syntax error with its line', async () => {
    const r = await run('const a = 1;\nconst b = ;\n');
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ name: 'SyntaxError', line: 2 });
  });
});
