// Decides, from a fenced block's info string and its code, whether the page offers a Run button.
// The site runs examples against the packages it bundles; anything else they import (node:fs, a
// relative file, the repository's examples) cannot resolve in a browser, so such blocks get a
// "Node only" badge naming the module instead of a button that would always fail.
import type { Classification } from './types.js';

/** The modules an example may import in the page: the public packages bundled with the site. */
export const BROWSER_MODULES: readonly string[] = [
  'tensorgrad',
  '@tensorgrad/tensor',
  '@tensorgrad/tensor/backend',
  '@tensorgrad/autodiff',
  '@tensorgrad/backend-cpu',
  '@tensorgrad/backend-webgpu',
  '@tensorgrad/backend-tfjs',
  '@tensorgrad/layers',
  '@tensorgrad/losses',
  '@tensorgrad/optimizers',
  '@tensorgrad/data',
  '@tensorgrad/io',
  '@tensorgrad/vision',
];

const EXAMPLE_LANGUAGES = new Set(['ts', 'typescript', 'js', 'javascript']);

/**
 * The code with comments blanked out (newlines kept), strings and template literals left intact,
 * so that an `import('x')` inside a comment does not count while `'x'` inside a string is seen.
 */
export function stripComments(code: string): string {
  let out = '';
  let i = 0;
  const n = code.length;
  while (i < n) {
    const c = code[i]!;
    const next = code[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && code[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += code.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < n && code[j] !== c) {
        if (code[j] === '\\') j++;
        else if (c !== '`' && code[j] === '\n') break; // unterminated: stop at the line end
        j++;
      }
      out += code.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

const IMPORT_PATTERNS: readonly RegExp[] = [
  // import x from 'm'; import { a, b } from 'm'; import * as m from 'm' (not `import type …`)
  /(?:^|[^\w$.])import\s+(?!type[\s{])[\w$\s{},*]*?\bfrom\s*(['"])([^'"\n]+)\1/g,
  // import 'm'
  /(?:^|[^\w$.])import\s*(['"])([^'"\n]+)\1/g,
  // export { a } from 'm'; export * from 'm'
  /(?:^|[^\w$.])export\s+(?!type[\s{])(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(['"])([^'"\n]+)\1/g,
  // import('m'), require('m')
  /(?:^|[^\w$.])(?:import|require)\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g,
];

/** Every module the code loads at run time (type-only imports excluded), in order of appearance. */
export function importedModules(code: string): string[] {
  const text = stripComments(code);
  const found: { at: number; module: string }[] = [];
  for (const re of IMPORT_PATTERNS) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) found.push({ at: m.index, module: m[2]! });
  }
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.module))];
}

// 'imports node:fs' or 'imports node:fs, node:path': the badge names what the browser lacks
function notInBrowser(modules: readonly string[]): string {
  return `imports ${modules.join(', ')}`;
}

// Node's globals that a browser lacks, by what the badge says
const NODE_GLOBALS: readonly (readonly [RegExp, string])[] = [
  [/(?:^|[^\w$.])process\.(?:env|argv|exit|cwd|pid|platform|stdout|stderr|memoryUsage|hrtime|versions)\b/, 'process'],
  [/(?:^|[^\w$.])Buffer\.(?:from|alloc|allocUnsafe|concat|isBuffer)\b/, 'Buffer'],
  [/(?:^|[^\w$.])__(?:dirname|filename)\b/, '__dirname'],
];

/** The Node-only globals the code uses (outside comments). */
export function nodeGlobals(code: string): string[] {
  const text = stripComments(code);
  return NODE_GLOBALS.filter(([re]) => re.test(text)).map(([, name]) => name);
}

/**
 * Whether the block whose fence info is `info` (`'ts'`, `'ts node'`, `'typescript excerpt'`) and
 * whose text is `code` can run in the page. Blocks in other languages are `other`; the `node` and
 * `excerpt` flags mark blocks their authors know cannot run alone; a block importing a module the
 * site does not bundle is `node`, and the reason names that module.
 */
export function classifyExample(code: string, info: string): Classification {
  const words = info.trim().split(/\s+/).filter(Boolean);
  // VitePress also allows `ts:line-numbers` and `ts{1,3}`: the language is the leading word
  const lang = (words[0] ?? '').toLowerCase().match(/^[a-z]*/)![0];
  if (!EXAMPLE_LANGUAGES.has(lang)) {
    return { runnable: false, kind: 'other', reason: lang ? `a ${lang} block, not a TypeScript example` : 'a block without a language' };
  }
  const flags = words.slice(1).map((w) => w.toLowerCase());
  const foreign = importedModules(code).filter((m) => !BROWSER_MODULES.includes(m));
  if (flags.includes('node')) {
    const reason = foreign.length ? notInBrowser(foreign) : 'needs Node (marked node by its author)';
    return { runnable: false, kind: 'node', reason };
  }
  if (flags.includes('excerpt')) {
    return { runnable: false, kind: 'excerpt', reason: 'an excerpt of a larger program, not runnable alone' };
  }
  if (foreign.length) return { runnable: false, kind: 'node', reason: notInBrowser(foreign) };
  const globals = nodeGlobals(code);
  if (globals.length) return { runnable: false, kind: 'node', reason: `uses Node's ${globals.join(', ')}` };
  if (!/\S/.test(stripComments(code))) return { runnable: false, kind: 'other', reason: 'no code to run' };
  return { runnable: true };
}
