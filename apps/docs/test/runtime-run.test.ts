import { describe, expect, it } from 'vitest';
import { EXAMPLE_MODULES } from '../runtime/modules.js';
import { MAX_LINE_CHARS, MAX_OUTPUT_LINES, runExample } from '../runtime/run-example.js';

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

  it('says so when the picked backend cannot start', async () => {
    // the library as bundled, except that starting a backend fails as it does without a GPU adapter
    const tensor = EXAMPLE_MODULES['@tensorgrad/tensor']!;
    const failing = async (name: string) => {
      throw new Error(`requestAdapter() returned null (${name})`);
    };
    const modules = { ...EXAMPLE_MODULES, '@tensorgrad/tensor': { ...tensor, setBackend: failing } };
    const r = await runExample('1;', { backend: 'webgpu' }, modules);
    expect(r.status).toBe('error');
    expect(r.error).toEqual({ name: 'BackendError', message: "the 'webgpu' backend could not start here: requestAdapter() returned null (webgpu)" });
    expect(r.backend).toBe('webgpu');
  });

  it('reports a syntax error with its line', async () => {
    const r = await run('const a = 1;\nconst b = ;\n');
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ name: 'SyntaxError', line: 2 });
    expect(r.memory.tensorsAfter).toBe(r.memory.tensorsBefore);
    expect(r.memory.freed).toBe(0);
  });
});

describe('runExample on the picked backend', () => {
  it("runs on the picked backend even when the example imports '@tensorgrad/backend-cpu', and frees its tensors there", async () => {
    const code = ["import { tensor, memory } from 'tensorgrad';", "import '@tensorgrad/backend-cpu';", 'const t = tensor([1, 2]).add(1);', 't.backend;', 'await t.array(); // [2, 3]'].join('\n');
    const r = await runExample(code.replace('t.backend;', "t.backend; // 'tfjs'"), { backend: 'tfjs' }, EXAMPLE_MODULES);
    expect(r.error).toBeUndefined();
    expect(r.output).toEqual([
      { kind: 'value', text: "'tfjs'", line: 4 },
      { kind: 'value', text: '[2, 3]', line: 5 },
    ]);
    expect(r.backend).toBe('tfjs');
    expect(r.memory.tensorsAfter).toBe(r.memory.tensorsBefore);
    // and back on cpu for the next run
    expect((await run(code.replace('t.backend;', "t.backend; // 'cpu'"))).output[0]).toEqual({ kind: 'value', text: "'cpu'", line: 4 });
  });
});

describe('runExample frees what the library keeps out of tidy', () => {
  it('disposes modules the example constructs or gets from a factory, and tensors passed to keep()', async () => {
    const code = [
      "import { Linear, Sequential, ReLU } from '@tensorgrad/layers';",
      "import { keep, randn, tensor } from '@tensorgrad/tensor';",
      "import { makeLayers } from '@tensorgrad/vision';",
      'const net = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));',
      'net(randn([5, 4])).shape; // [5, 2]',
      "const features = makeLayers([4, 'M', 8]);",
      'features.parameters().length; // 4',
      'const kept = keep(tensor([1, 2, 3]));',
      'net.parameters().length; // 4',
    ].join('\n');
    const r = await run(code);
    expect(r.error).toBeUndefined();
    expect(r.output.filter((o) => o.kind === 'warn')).toEqual([]);
    expect(r.memory.tensorsAfter).toBe(r.memory.tensorsBefore);
    // 4 + 4 parameters and the kept tensor, on top of what the tidy scope freed
    expect(r.memory.freed).toBeGreaterThanOrEqual(9);
  });

  it('does not dispose a backend the example looked up, and a later run still works', async () => {
    const first = await run("import { findBackend } from '@tensorgrad/tensor';\n(await findBackend('cpu')).name; // 'cpu'");
    expect(first.output).toEqual([{ kind: 'value', text: "'cpu'", line: 2 }]);
    const second = await run("import { tensor } from 'tensorgrad';\nawait tensor([2]).mul(3).array(); // [6]");
    expect(second.output).toEqual([{ kind: 'value', text: '[6]', line: 2 }]);
  });

  it('says how many tensors it could not free when they were made where the runner cannot see', async () => {
    // the class reached through an instance is the library's own, not the tracked one the import gave
    const code = [
      "import { tensor } from '@tensorgrad/tensor';",
      "import { Parameter } from '@tensorgrad/layers';",
      'const Untracked = new Parameter(tensor([1])).constructor as typeof Parameter;',
      'new Untracked(tensor([2, 3]));',
    ].join('\n');
    const r = await run(code);
    expect(r.status).toBe('ok');
    expect(r.memory.tensorsAfter - r.memory.tensorsBefore).toBe(1);
    expect(r.output).toHaveLength(1);
    expect(r.output[0]!.kind).toBe('warn');
    expect(r.output[0]!.text).toMatch(/^1 tensor this run created could not be freed/);
  });
});

describe('runExample output', () => {
  it('prints tensors with the library formatter, float32 values with their shortest digits, and strings quoted in values', async () => {
    const code = [
      "import { tensor } from 'tensorgrad';",
      'const t = tensor([[1.5, 2], [3, 4]]);',
      'console.log(t);',
      "console.log('%s has %d rows', 'x', 2, { a: [1, 2] });",
      "t.dtype; // 'float32'",
      '(await t.mul(0.1).data())[0]; // 0.15',
      "new Map([['k', 1]]);",
      'console.log(await t.array());',
    ].join('\n');
    const r = await run(code);
    expect(r.output).toEqual([
      { kind: 'log', text: 'tensor([[1.5000, 2.0000],\n        [3.0000, 4.0000]])', line: 3 },
      { kind: 'log', text: 'x has 2 rows { a: [1, 2] }', line: 4 },
      { kind: 'value', text: "'float32'", line: 5 },
      { kind: 'value', text: '0.15', line: 6 },
      { kind: 'log', text: '[[1.5, 2], [3, 4]]', line: 8 },
    ]);
  });

  it('says when a value differs from what its comment promises, beyond the last printed digit', async () => {
    const code = ["import { tensor } from 'tensorgrad';", 'const t = tensor([0.5, 1.25]);', 'await t.array(); // [0.5, 1.3]', 'await t.array(); // [0.5, 1.5]', 't.shape; // [3]'].join('\n');
    const r = await run(code);
    expect(r.status).toBe('ok');
    expect(r.output).toEqual([
      { kind: 'value', text: '[0.5, 1.25]', line: 3 },
      { kind: 'value', text: '[0.5, 1.25]', line: 4 },
      { kind: 'warn', text: 'differs from the comment // [0.5, 1.5]: value[1]: expected 1.5 (±0.1), got 1.25', line: 4 },
      { kind: 'value', text: '[2]', line: 5 },
      { kind: 'warn', text: 'differs from the comment // [3]: value[0]: expected 3 (±0.000031), got 2', line: 5 },
    ]);
  });

  it('names a tensor that stands where its comment promises plain values, instead of dumping its fields', async () => {
    const r = await run("import { tensor } from 'tensorgrad';\ntensor([[1, 2], [3, 4]]).mean(); // 2.5");
    expect(r.status).toBe('ok');
    expect(r.output[1]).toEqual({
      kind: 'warn',
      text: 'differs from the comment // 2.5: value: expected a number, got a Tensor (shape [], float32); the comment shows values: read them with await t.array() or await t.item()',
      line: 2,
    });
  });

  it("supports console's counters, assertions and timers as Node prints them", async () => {
    const code = ["console.count('x');", "console.count('x');", "console.assert(1 > 2, 'math');", "console.time('t');", "console.timeEnd('t');"].join('\n');
    const r = await run(code);
    expect(r.output.slice(0, 3)).toEqual([
      { kind: 'log', text: 'x: 1', line: 1 },
      { kind: 'log', text: 'x: 2', line: 2 },
      { kind: 'error', text: 'Assertion failed: math', line: 3 },
    ]);
    expect(r.output[3]!.text).toMatch(/^t: \d+\.\d{3}ms$/);
    expect(r.output[3]!.line).toBe(5);
  });

  it('prints a module (a callable object) through its own inspect hook, as Node does', async () => {
    const r = await run("import { Linear } from 'tensorgrad';\nconsole.log(new Linear(2, 3));");
    const text = r.output[0]!.text;
    expect(text).not.toMatch(/^\[Function/);
    expect(text).toMatch(/Linear/);
    expect(text).toMatch(/9/); // 2·3 weights + 3 biases
  });

  it('runs top-level await and for await, and names a module the page cannot import', async () => {
    const ok = await run("const xs: number[] = [];\nfor await (const x of [1, 2]) xs.push(x);\nxs; // [1, 2]");
    expect(ok.output).toEqual([{ kind: 'value', text: '[1, 2]', line: 3 }]);
    const bad = await run("const a = 1;\nimport { readFileSync } from 'node:fs';\nreadFileSync('x');");
    expect(bad.status).toBe('error');
    expect(bad.error?.message).toContain("cannot import 'node:fs' in the page");
  });

  it('reports an error thrown inside a function with the line of the example that threw', async () => {
    const code = ['function check(n: number) {', "  if (n > 1) throw new RangeError('too big: ' + n);", '}', 'check(1);', 'check(2);'].join('\n');
    const r = await run(code);
    expect(r.error).toEqual({ name: 'RangeError', message: 'too big: 2', line: 2 });
  });

  it('lets an example declare module, console and exports of its own, with lines unchanged', async () => {
    const code = [
      "import { Linear, tensor } from 'tensorgrad';",
      'const module = new Linear(2, 3);',
      'module(tensor([[1, 2]])).shape; // [1, 3]',
      'const exports = { a: 1 };',
      'exports.a; // 1',
      'throw new Error(module.weight.shape.join());',
    ].join('\n');
    const r = await run(code);
    expect(r.output).toEqual([
      { kind: 'value', text: '[1, 3]', line: 3 },
      { kind: 'value', text: '1', line: 5 },
    ]);
    expect(r.error).toEqual({ name: 'Error', message: '3,2', line: 6 });
    expect(r.memory.tensorsAfter).toBe(r.memory.tensorsBefore);
    // a console of its own takes the output with it: nothing reaches the page
    const own = await run("const console = { log: (..._a: unknown[]) => {} };\nconsole.log('hidden');\n1 + 1; // 2");
    expect(own.status).toBe('ok');
    expect(own.output).toEqual([{ kind: 'value', text: '2', line: 3 }]);
  });

  it('keeps the first lines of a long output and says how many it left out; clips a very long line', async () => {
    const r = await run(`for (let i = 0; i < ${MAX_OUTPUT_LINES + 250}; i++) console.log('line ' + i);\nconsole.log('x'.repeat(${MAX_LINE_CHARS + 5}));`);
    expect(r.status).toBe('ok');
    expect(r.output).toHaveLength(MAX_OUTPUT_LINES + 1);
    expect(r.output[MAX_OUTPUT_LINES - 1]).toEqual({ kind: 'log', text: `line ${MAX_OUTPUT_LINES - 1}`, line: 1 });
    expect(r.output[MAX_OUTPUT_LINES]).toEqual({ kind: 'warn', text: `… and 251 more lines of output, not shown (the page keeps the first ${MAX_OUTPUT_LINES})` });
    const long = await run(`console.log('x'.repeat(${MAX_LINE_CHARS + 5}));`);
    expect(long.output).toEqual([{ kind: 'log', text: `${'x'.repeat(MAX_LINE_CHARS)}… (5 more characters)`, line: 1 }]);
  });

  it('describes a value that is not what the comment promises in a few words, not by serialising it', async () => {
    // the Promise on the last line makes no tensors: an unawaited item() would finish after the run
    // and leave its read-back to the next test
    const code = ["import { tensor, getBackend } from 'tensorgrad';", 'tensor([1, 2]); // [1, 2]', "getBackend(); // 'cpu'", 'Promise.resolve(3); // 3'].join('\n');
    const r = await run(code);
    const warnings = r.output.filter((o) => o.kind === 'warn');
    expect(warnings).toEqual([
      { kind: 'warn', text: 'differs from the comment // [1, 2]: value: expected an array, got a Tensor (shape [2], float32); the comment shows values: read them with await t.array() or await t.item()', line: 2 },
      { kind: 'warn', text: expect.stringMatching(/^differs from the comment \/\/ 'cpu': value: expected 'cpu', got \{.{190,210}… \(\d+ characters\)$/), line: 3 },
      { kind: 'warn', text: 'differs from the comment // 3: value: expected a number, got a Promise (the line needs `await`)', line: 4 },
    ]);
  });

  it('stops the timers an example leaves running, so that nothing of it runs into later runs', async () => {
    const code = [
      "import { tensor, memory } from 'tensorgrad';",
      "const id = setInterval(() => { tensor([1, 2]); console.log('tick'); }, 1);",
      'await new Promise((resolve) => setTimeout(resolve, 30));',
      "setTimeout(() => console.log('too late'), 60_000);",
      "clearTimeout(setTimeout(() => console.log('cleared'), 0));",
    ].join('\n');
    const r = await run(code);
    expect(r.status).toBe('ok');
    const ticks = r.output.filter((o) => o.text === 'tick');
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks[0]!.line).toBe(2);
    expect(r.output.at(-1)).toEqual({
      kind: 'warn',
      text: 'after the run: stopped 2 timers (setTimeout/setInterval) the example left running; await what should finish within the run',
    });
    // counts, not equalities: the tensor an earlier test could not free may be garbage-collected
    // (and so uncounted) at any moment; what matters is that no tick adds one, now or later
    expect(r.output.some((o) => /could not be freed/.test(o.text))).toBe(false);
    expect(r.memory.tensorsAfter).toBeLessThanOrEqual(r.memory.tensorsBefore);
    const lib = EXAMPLE_MODULES['@tensorgrad/tensor'] as typeof import('@tensorgrad/tensor');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(lib.memory().numTensors).toBeLessThanOrEqual(r.memory.tensorsAfter);
    const quiet = await run("await new Promise((resolve) => setTimeout(resolve, 1));\nclearInterval(setInterval(() => {}, 1));");
    expect(quiet.output).toEqual([]);
  });
});
