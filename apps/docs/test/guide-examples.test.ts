// The guides' code blocks, run the way the documentation site runs them: classifyExample decides
// which blocks get a Run button, runExample (the worker's code, without the worker) runs those on
// the cpu backend, and every value the page would show next to a line that promises one
// (`x.shape; // [2, 3]`) must match that promise. A block that cannot run must say so with its
// fence flag (`ts node`, `ts excerpt`), so that no block loses its Run button by accident.
// "Train in PyTorch, run here" is also checked end to end with the Python side run by Debian's
// PyTorch, where it is installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { __docCheck } from '../../../scripts/doc-examples-runtime.mjs';
import { isLiteral, loggedArgument, valueLines } from '../../../scripts/doc-example-lines.mjs';
import { classifyExample } from '../runtime/classify.js';
import { EXAMPLE_MODULES } from '../runtime/modules.js';
import { runExample } from '../runtime/run-example.js';
import type { RunResult } from '../runtime/types.js';

const docsDir = fileURLToPath(new URL('../../../docs/', import.meta.url));
const PYTHON = '/usr/bin/python3';

/** A fenced block of a guide: its file, the 1-based line of its opening fence, info string and code. */
interface Block {
  file: string;
  line: number;
  info: string;
  code: string;
}

/** Every fenced block of a Markdown text (fences of three or more backticks, at the line start). */
function fencedBlocks(file: string, text: string): Block[] {
  const out: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j]!.startsWith(fence) && lines[j]!.slice(fence.length).trim() === '')) body.push(lines[j++]!);
    if (j === lines.length) throw new Error(`${file}:${i + 1}: a code fence that is never closed`);
    out.push({ file, line: i + 1, info: open[2]!.trim(), code: body.join('\n') });
    i = j;
  }
  return out;
}

const guides = readdirSync(docsDir)
  .filter((f) => f.endsWith('.md'))
  .sort();
const allBlocks = guides.flatMap((f) => fencedBlocks(f, readFileSync(join(docsDir, f), 'utf8')));
const isExampleLanguage = (info: string): boolean => /^(ts|typescript|js|javascript)\b/i.test(info);
const examples = allBlocks.filter((b) => isExampleLanguage(b.info));

/**
 * The shown value (the runtime's text of it, as the page prints it) parsed back into a value, or
 * undefined when the text is not a plain literal (a tensor, an object): then it cannot match a
 * literal promise. isLiteral admits only numbers, quoted strings without escapes, true/false/null
 * and brackets, so evaluating the text runs no code.
 */
function shownValue(text: string): { value: unknown } | undefined {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!isLiteral(flat)) return undefined;
  return { value: new Function(`return (${flat});`)() as unknown };
}

/** Checks a finished run: no error, every promised value shown and equal to its promise. */
function expectPromisesKept(block: Block, r: RunResult): void {
  const where = `${block.file}:${block.line}`;
  expect(r.error, `${where}: the example threw (example line ${r.error?.line ?? '?'}): ${r.error?.message}`).toBeUndefined();
  expect(r.status).toBe('ok');
  const promised = valueLines(block.code.split('\n')).filter((v) => loggedArgument(v.expr) === null);
  for (const p of promised) {
    const line = p.index + 1;
    const shown = r.output.filter((o) => o.kind === 'value' && o.line === line);
    const at = `${where} + ${line}: ${p.expr} // ${p.literal}`;
    expect(shown.length, `${at}: the line never ran`).toBeGreaterThan(0);
    for (const s of shown) {
      const parsed = shownValue(s.text);
      if (!parsed) throw new Error(`${at}: the page shows ${s.text}, which is not the promised literal`);
      __docCheck(parsed.value, p.literal, at);
    }
  }
}

/**
 * Lines of `code` that look like a promise (`expr; // [0x50, 0x4b]`) but that valueLines does not
 * take as one, because the comment is not a plain literal: the page would show nothing for them
 * and no test would check them. Declarations and assignments are left alone (`const x = …; // [8, 1]`
 * describes x, it promises nothing).
 */
function unrecognisedPromises(code: string): string[] {
  const lines = code.split('\n');
  const recognised = new Set(valueLines(lines).map((v) => v.index));
  const looksLikeValue = /^(?:[[\d'"]|-\d|(?:true|false|null|NaN|Infinity)\b)/;
  const out: string[] = [];
  lines.forEach((line, i) => {
    const m = /^\s*(.*?);\s*\/\/\s*(.+?)\s*$/.exec(line);
    if (!m || recognised.has(i) || !looksLikeValue.test(m[2]!)) return;
    const expr = m[1]!.trim();
    const declares = /^(?:const|let|var|using|import|export|return|if|for|while|throw|class|function|async|await\s+using)\b/.test(expr);
    const assigns = /^[A-Za-z_$][\w$.[\]'"]*\s*[-+*/]?=(?!=)/.test(expr);
    if (!declares && !assigns) out.push(`line ${i + 1}: ${line.trim()}`);
  });
  return out;
}

describe('guide examples on cpu, as the page runs them', () => {
  const runnable = examples.filter((b) => classifyExample(b.code, b.info).runnable);

  it('finds the guides and their runnable blocks', () => {
    expect(guides).toContain('getting-started.md');
    expect(runnable.length).toBeGreaterThan(30);
  });

  it('promises only plain literals, so that every promise is shown and checked', () => {
    const bad = runnable.flatMap((b) => unrecognisedPromises(b.code).map((l) => `${b.file}:${b.line} ${l}`));
    expect(bad, 'write the value as a literal the page can compare (numbers in decimal, quoted strings, arrays)').toEqual([]);
  });

  for (const block of runnable) {
    it(`${block.file}:${block.line}`, async () => {
      const r = await runExample(block.code, { backend: 'cpu' }, EXAMPLE_MODULES);
      expectPromisesKept(block, r);
      // the page runs every example in one worker: a run must leave nothing behind (the runtime
      // frees what the example made, models and kept tensors included) and warn about nothing
      expect(r.memory.tensorsAfter - r.memory.tensorsBefore, `${block.file}:${block.line} leaves tensors alive`).toBe(0);
      expect(r.output.filter((o) => o.kind === 'warn' || o.kind === 'error')).toEqual([]);
    });
  }
});

describe('guide blocks that cannot run in the page', () => {
  it('are marked `ts node` or `ts excerpt` by their authors, and every block has a language', () => {
    const unmarked: string[] = [];
    const byKind = new Map<string, number>();
    for (const b of examples) {
      const c = classifyExample(b.code, b.info);
      if (c.runnable) continue;
      byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
      if (!/\s(node|excerpt)\b/.test(b.info)) unmarked.push(`${b.file}:${b.line} (${c.kind}: ${c.reason})`);
    }
    const bare = allBlocks.filter((b) => b.info === '').map((b) => `${b.file}:${b.line}`);
    expect(unmarked, 'blocks without a Run button whose fence does not say why').toEqual([]);
    expect(bare, 'code blocks without a language (use text, sh, python, ts …)').toEqual([]);
    // Node-only blocks read or write files: two of train-in-pytorch.md run below (with PyTorch);
    // the others need ImageNet weights and photos the test machine does not have, `node
    // --expose-gc` (memory-management.md's debug mode), the Fashion-MNIST IDX files (chapter 3's
    // data, chapter 7's scenes: about 4 s, over this file's time budget of 20 s), or files that
    // another program writes first (chapter 5's backbone.safetensors, a model.safetensors)
    const nodeOnly = examples.filter((b) => /\snode\b/.test(b.info)).map((b) => `${b.file}:${b.line}`);
    console.log(
      `guides: ${guides.length} files, ${examples.length} TypeScript blocks: ` +
        `${examples.length - [...byKind.values()].reduce((a, b) => a + b, 0)} runnable, ` +
        [...byKind].map(([k, n]) => `${n} ${k}`).join(', ') +
        `; Node-only (no Run button): ${nodeOnly.join(', ')}`,
    );
  });
});

// ---- train-in-pytorch.md, both directions, with PyTorch itself ----------------------------------

const torchCheck = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
const torchMissing = torchCheck.status === 0 ? '' : `${PYTHON} cannot import torch (${(torchCheck.stderr || String(torchCheck.error)).trim().split('\n').pop()})`;
if (torchMissing) console.warn(`guide-examples: skipping the PyTorch round trip of train-in-pytorch.md: ${torchMissing}; run scripts/ensure-torch.sh`);

describe.skipIf(torchMissing !== '')('train-in-pytorch.md with PyTorch', () => {
  const blocks = allBlocks.filter((b) => b.file === 'train-in-pytorch.md');
  const find = (lang: RegExp, marker: string): Block => {
    const b = blocks.find((x) => lang.test(x.info) && x.code.includes(marker));
    if (!b) throw new Error(`train-in-pytorch.md: no ${lang} block containing ${JSON.stringify(marker)}; update this test with the guide`);
    return b;
  };
  const python = (dir: string, block: Block): string => {
    const r = spawnSync(PYTHON, ['-c', block.code], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`train-in-pytorch.md:${block.line}: python failed (${r.status}):\n${r.stderr}`);
    return r.stdout;
  };
  // the guide's Node blocks read and write files relative to the working directory
  const inDir = async <T>(dir: string, fn: () => Promise<T>): Promise<T> => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      return await fn();
    } finally {
      process.chdir(cwd);
    }
  };

  it('PyTorch → .pth → tensorgrad gives PyTorch outputs, and tensorgrad → .pth → PyTorch gives back the same weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-train-in-pytorch-'));
    try {
      python(dir, find(/^python/, "torch.save(model.state_dict(), 'model.pth')"));
      const load = find(/^ts node/, "loadTorch('check.pth')");
      const loaded = await inDir(dir, () => runExample(load.code, { backend: 'cpu' }, EXAMPLE_MODULES));
      expectPromisesKept(load, loaded);
      const save = find(/^ts node/, "saveTorch(model.stateDict(), 'from-tensorgrad.pth')");
      expectPromisesKept(save, await inDir(dir, () => runExample(save.code, { backend: 'cpu' }, EXAMPLE_MODULES)));
      const back = python(dir, find(/^python/, "torch.load('from-tensorgrad.pth')"));
      expect(Number(back.trim())).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

