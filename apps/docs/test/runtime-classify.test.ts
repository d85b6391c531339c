import { describe, expect, it } from 'vitest';
import { classifyExample, importedModules, stripComments } from '../runtime/classify.js';

describe('classifyExample', () => {
  it('runs a TypeScript example that imports only the bundled packages', () => {
    const code = "import { tensor } from 'tensorgrad';\nimport '@tensorgrad/backend-cpu';\ntensor([1]).shape; // [1]";
    expect(classifyExample(code, 'ts')).toEqual({ runnable: true });
    expect(classifyExample(code, 'typescript')).toEqual({ runnable: true });
    expect(classifyExample("import { add } from '@tensorgrad/tensor/backend';", 'js')).toEqual({ runnable: true });
  });

  it('marks a block importing node:fs as Node only and names the module', () => {
    const code = "import { readFileSync } from 'node:fs';\nimport { tensor } from 'tensorgrad';";
    expect(classifyExample(code, 'ts')).toEqual({ runnable: false, kind: 'node', reason: 'imports node:fs' });
  });

  it('names every foreign module: relative files, other packages, dynamic imports and require', () => {
    const code = [
      "import { train } from './train.js';",
      "import * as ex from '@tensorgrad/examples';",
      "const path = await import('node:path');",
      "const fs = require('fs');",
      "export { x } from '../x.js';",
    ].join('\n');
    expect(importedModules(code)).toEqual(['./train.js', '@tensorgrad/examples', 'node:path', 'fs', '../x.js']);
    expect(classifyExample(code, 'ts')).toEqual({
      runnable: false,
      kind: 'node',
      reason: 'imports ./train.js, @tensorgrad/examples, node:path, fs, ../x.js',
    });
  });

  it('ignores type-only imports, imports in comments and look-alikes in strings', () => {
    const code = [
      "import type { Dataset } from '@tensorgrad/examples';",
      "import { type Tensor, tensor } from 'tensorgrad';",
      "// import { readFileSync } from 'node:fs';",
      "/* const p = await import('node:path'); */",
      "console.log('this would import x from y');",
      'model.import(3);',
    ].join('\n');
    expect(importedModules(code)).toEqual(['tensorgrad']);
    expect(classifyExample(code, 'ts')).toEqual({ runnable: true });
  });

  it('honours the node and excerpt flags of the fence info', () => {
    const plain = "import { tensor } from 'tensorgrad';";
    expect(classifyExample(plain, 'ts node')).toEqual({ runnable: false, kind: 'node', reason: 'needs Node (marked node by its author)' });
    expect(classifyExample("import { readFile } from 'node:fs/promises';", 'ts node')).toEqual({
      runnable: false,
      kind: 'node',
      reason: 'imports node:fs/promises',
    });
    const excerpt = classifyExample('model.train();', 'ts excerpt');
    expect(excerpt.runnable).toBe(false);
    expect(excerpt.runnable === false && excerpt.kind).toBe('excerpt');
  });

  it('never runs other languages, and reads VitePress info strings such as ts:line-numbers and ts{1,3}', () => {
    for (const info of ['py', 'python', 'sh', 'text', '', 'json']) {
      const c = classifyExample('print(1)', info);
      expect(c.runnable === false && c.kind, info).toBe('other');
    }
    expect(classifyExample('1 + 1;', 'ts:line-numbers')).toEqual({ runnable: true });
    expect(classifyExample('1 + 1;', 'ts{1,3}')).toEqual({ runnable: true });
    expect(classifyExample('// only a comment\n', 'ts')).toMatchObject({ runnable: false, kind: 'other' });
  });
});

describe('Node globals', () => {
  it("marks code using process, Buffer or __dirname as Node only, but not a variable of that name", () => {
    expect(classifyExample("const home = process.env.HOME;", 'ts')).toEqual({ runnable: false, kind: 'node', reason: "uses Node's process" });
    expect(classifyExample("Buffer.from('x'); console.log(__dirname);", 'ts')).toEqual({
      runnable: false,
      kind: 'node',
      reason: "uses Node's Buffer, __dirname",
    });
    expect(classifyExample('const process = { env: 1 };\nprocess; // comment: process.env', 'ts')).toEqual({ runnable: true });
    expect(classifyExample('// process.exit(1)\nmodel.process.env;', 'ts')).toEqual({ runnable: true });
  });
});

describe('stripComments', () => {
  it('blanks comments but keeps strings (also ones containing //) and line numbers', () => {
    const code = "const url = 'http://x'; // note\n/* a\nb */ const y = `a // b`;";
    const out = stripComments(code);
    expect(out.split('\n')).toHaveLength(3);
    expect(out).toContain("'http://x'");
    expect(out).toContain('`a // b`');
    expect(out).not.toContain('note');
  });
});
