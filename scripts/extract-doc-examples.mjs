#!/usr/bin/env node
// Turns every TSDoc `@example` of a package into a vitest case, so the documentation cannot drift
// from the code (ARCHITECTURE.md, Where each kind of test lives), and refuses to generate when an exported function or class has no
// example at all.
//
//   node scripts/extract-doc-examples.mjs <package dir>
//
// Writes <package dir>/test/.doc-examples/examples.test.ts (gitignored; vitest globs dot
// directories, tsc and the lint skip them). One `it('<file>:<symbol>')` per example. Import
// declarations are hoisted to the top of the file and merged per module; each example body runs in
// its own block so local names never collide. A line `expr; // <literal>` whose comment is a JSON-like
// literal (`// [1, 2]`, `// 10`, `// true`, `// 'float32'`) becomes an assertion, compared with a
// tolerance of one unit in the last printed digit.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { loggedArgument, valueLines } from './doc-example-lines.mjs';

const pkgDir = resolve(process.argv[2] ?? '.');
const srcDir = join(pkgDir, 'src');
const outDir = join(pkgDir, 'test', '.doc-examples');
const outFile = join(outDir, 'examples.test.ts');
const runtimePath = resolve(dirname(new URL(import.meta.url).pathname), 'doc-examples-runtime.mjs');

function walk(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && !name.startsWith('.')) walk(p, out);
    } else if (/\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name)) out.push(p);
  }
  return out;
}

/** Every JSDoc comment of a source file with its position and the declaration that follows it. */
function docComments(text) {
  const out = [];
  const re = /\/\*\*([\s\S]*?)\*\//g;
  let m;
  while ((m = re.exec(text))) {
    const body = m[1]
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n');
    const after = text.slice(re.lastIndex);
    const declLine = (after.match(/^\s*([^\n]*)/) ?? ['', ''])[1];
    const indented = /^[ \t]+\S/.test(after.replace(/^\s*\n/, ''));
    out.push({ start: m.index, end: re.lastIndex, body, declLine, indented });
  }
  return out;
}

function declName(line) {
  let m =
    line.match(/^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?function\*?\s+([A-Za-z_$][\w$]*)/) ??
    line.match(/^export\s+(?:declare\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/) ??
    line.match(/^export\s+(?:declare\s+)?(?:const|let|var|interface|type|enum)\s+([A-Za-z_$][\w$]*)/) ??
    line.match(/^(?:async\s+)?function\*?\s+([A-Za-z_$][\w$]*)/) ??
    line.match(/^(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/) ??
    line.match(/^(?:const|let|var|interface|type)\s+([A-Za-z_$][\w$]*)/);
  if (m) return m[1];
  // class or interface members: `static async foo(`, `get bar()`, `readonly baz:`, `[Symbol.dispose]()`
  m = line.match(
    /^(?:(?:public|private|protected|static|readonly|abstract|override|declare|async|get|set)\s+)*(\[[^\]]+\]|[A-Za-z_$#][\w$]*)\s*[?!]?\s*[(<:=;]/,
  );
  return m ? m[1] : null;
}

/** The class/interface a member comment at `pos` belongs to: the last one opened before it. */
function ownerAt(text, pos) {
  const re = /^(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:class|interface)\s+([A-Za-z_$][\w$]*)/gm;
  let owner = null;
  let m;
  while ((m = re.exec(text)) && m.index < pos) owner = m[1];
  return owner;
}

function examplesOf(body) {
  const out = [];
  const parts = body.split(/^@example\b/m).slice(1);
  for (const part of parts) {
    const section = part.split(/^@[a-zA-Z]+/m)[0];
    const fence = section.match(/```(?:ts|typescript|js|javascript)\s*\n([\s\S]*?)```/);
    if (fence) out.push(fence[1].replace(/\s+$/, ''));
  }
  return out;
}

// ---- imports -----------------------------------------------------------------------------------

const importRe = /^[ \t]*import\s+(type\s+)?([^;'"]*?)\s*from\s*(['"])([^'"]+)\3\s*;?[ \t]*$|^[ \t]*import\s*(['"])([^'"]+)\5\s*;?[ \t]*$/gm;

/** Splits an example into its import declarations and the rest. */
function splitImports(code) {
  const imports = [];
  const body = code.replace(importRe, (_all, typeOnly, clause, _q, mod, _q2, sideMod) => {
    if (sideMod) imports.push({ module: sideMod, sideEffect: true });
    else imports.push({ module: mod, typeOnly: Boolean(typeOnly), ...parseClause(clause) });
    return '';
  });
  return { imports, body };
}

function parseClause(clause) {
  const res = { defaultName: null, namespace: null, named: [] };
  let rest = clause.trim();
  const ns = rest.match(/^(?:([A-Za-z_$][\w$]*)\s*,\s*)?\*\s+as\s+([A-Za-z_$][\w$]*)$/);
  if (ns) {
    res.defaultName = ns[1] ?? null;
    res.namespace = ns[2];
    return res;
  }
  const braces = rest.match(/\{([\s\S]*)\}/);
  const head = rest.replace(/\{[\s\S]*\}/, '').replace(/,/g, '').trim();
  if (head) res.defaultName = head;
  if (braces) {
    for (const spec of braces[1].split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = spec.match(/^(type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/);
      if (!m) throw new Error(`cannot parse import specifier '${spec}'`);
      res.named.push({ type: Boolean(m[1]), imported: m[2], local: m[3] ?? m[2] });
    }
  }
  return res;
}

/** Merges the imports of all examples; returns the hoisted header and per-example fallbacks. */
function hoist(examples) {
  const modules = new Map(); // module -> { sideEffect, named: Map<local, {imported,type}>, defaults:Set, namespaces:Set }
  // local name -> `${module}:${imported}`; the generated file's own imports are taken
  const locals = new Map([
    ['describe', 'vitest:describe'],
    ['it', 'vitest:it'],
    ['__docCheck', 'runtime:__docCheck'],
  ]);
  const fallbacks = examples.map(() => []);
  const mod = (name) => {
    if (!modules.has(name)) modules.set(name, { sideEffect: false, named: new Map(), defaults: new Set(), namespaces: new Set() });
    return modules.get(name);
  };
  examples.forEach((ex, i) => {
    for (const imp of ex.imports) {
      const entry = mod(imp.module);
      if (imp.sideEffect) {
        entry.sideEffect = true;
        continue;
      }
      const claim = (local, key, onConflict) => {
        const prev = locals.get(local);
        if (prev === undefined || prev === key) {
          locals.set(local, key);
          return true;
        }
        fallbacks[i].push(onConflict);
        return false;
      };
      const q = JSON.stringify(imp.module);
      if (imp.defaultName && claim(imp.defaultName, `${imp.module}:default`, `const ${imp.defaultName} = (await import(${q})).default;`))
        entry.defaults.add(imp.defaultName);
      if (imp.namespace && claim(imp.namespace, `${imp.module}:*`, `const ${imp.namespace} = await import(${q});`))
        entry.namespaces.add(imp.namespace);
      for (const s of imp.named) {
        const type = imp.typeOnly || s.type;
        // a type-only name that collides is simply dropped: types are erased and examples are not type-checked
        if (claim(s.local, `${imp.module}:${s.imported}`, type ? '' : `const { ${s.imported}: ${s.local} } = await import(${q});`)) {
          const prev = entry.named.get(s.local);
          entry.named.set(s.local, { imported: s.imported, type: type && (prev ? prev.type : true) });
        }
      }
    }
  });
  const lines = [];
  for (const [name, e] of modules) {
    const q = JSON.stringify(name);
    const specs = [...e.named].map(([local, s]) => `${s.type ? 'type ' : ''}${s.imported === local ? local : `${s.imported} as ${local}`}`);
    const defaults = [...e.defaults];
    let emitted = false;
    if (specs.length || defaults.length) {
      const parts = [];
      if (defaults.length) parts.push(defaults[0]);
      if (specs.length) parts.push(`{ ${specs.join(', ')} }`);
      lines.push(`import ${parts.join(', ')} from ${q};`);
      for (const d of defaults.slice(1)) lines.push(`import ${d} from ${q};`);
      emitted = true;
    }
    for (const ns of e.namespaces) {
      lines.push(`import * as ${ns} from ${q};`);
      emitted = true;
    }
    if (!emitted && e.sideEffect) lines.push(`import ${q};`);
  }
  return { header: lines, fallbacks: fallbacks.map((f) => f.filter(Boolean)) };
}

// ---- result comments -> assertions -------------------------------------------------------------

function withAssertions(body, where) {
  const lines = body.split('\n');
  for (const { index, indent, expr, literal } of valueLines(lines)) {
    const line = lines[index];
    const args = `${JSON.stringify(literal)}, ${JSON.stringify(`${where}: ${line.trim()}`)}`;
    const logged = loggedArgument(expr);
    // `console.log(x); // v` checks x and still prints it
    lines[index] = logged !== null ? `${indent}console.log(__docCheck(${logged}, ${args}));` : `${indent}__docCheck(${expr}, ${args});`;
  }
  return lines.join('\n');
}

// ---- exported functions and classes must have an example ---------------------------------------

function resolveModule(fromFile, spec) {
  if (!spec.startsWith('.')) return null; // another package: checked there
  const base = resolve(dirname(fromFile), spec).replace(/\.js$/, '');
  for (const cand of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(cand)) return cand;
  return undefined;
}

function missingExamples(indexFile) {
  const missing = [];
  const unresolved = [];
  const checked = new Set();
  const fileCache = new Map();
  const read = (f) => {
    if (!fileCache.has(f)) fileCache.set(f, readFileSync(f, 'utf8'));
    return fileCache.get(f);
  };
  // a declaration is documented with an example when the JSDoc right before one of its
  // declarations (overloads count) has an `@example`; `@internal` ones are not public
  const status = (file, name) => {
    const text = read(file);
    const declRe = new RegExp(
      `^(?:export\\s+)?(?:declare\\s+)?(?:async\\s+)?(?:abstract\\s+)?(function\\*?|class)\\s+${name.replace(/\$/g, '\\$')}\\b`,
      'gm',
    );
    let m;
    let kind = null;
    let hasExample = false;
    let internal = false;
    while ((m = declRe.exec(text))) {
      kind = m[1].startsWith('function') ? 'function' : 'class';
      const before = text.slice(0, m.index).replace(/\s+$/, '');
      if (before.endsWith('*/')) {
        const start = before.lastIndexOf('/**');
        const doc = before.slice(start);
        if (/@example\b/.test(doc)) hasExample = true;
        if (/@internal\b/.test(doc)) internal = true;
      }
    }
    return { kind, hasExample, internal };
  };
  const visit = (file, names /* null = all */, seen = new Set()) => {
    const key = `${file}|${names ? [...names].sort().join(',') : '*'}`;
    if (seen.has(key)) return;
    seen.add(key);
    const text = read(file);
    const rel = relative(pkgDir, file).split(sep).join('/');
    const check = (name) => {
      const id = `${rel}:${name}`;
      if (checked.has(id)) return;
      checked.add(id);
      const s = status(file, name);
      if (s.kind && !s.internal && !s.hasExample) missing.push(`${rel}: ${s.kind} ${name}`);
    };
    const own = /^export\s+(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class)\s+([A-Za-z_$][\w$]*)/gm;
    let m;
    while ((m = own.exec(text))) if (!names || names.has(m[1])) check(m[1]);
    const star = /^export\s+\*\s+from\s+['"]([^'"]+)['"]/gm;
    while ((m = star.exec(text))) {
      const target = resolveModule(file, m[1]);
      if (target === undefined) unresolved.push(`${rel}: ${m[1]}`);
      else if (target) visit(target, names, seen);
    }
    const braces = /^export\s+(type\s+)?\{([^}]*)\}\s*(?:from\s+['"]([^'"]+)['"])?/gm;
    while ((m = braces.exec(text))) {
      if (m[1]) continue;
      const specs = m[2]
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s && !s.startsWith('type '))
        .map((s) => s.split(/\s+as\s+/));
      const wanted = specs.filter(([orig, as]) => !names || names.has(as ?? orig));
      if (!wanted.length) continue;
      if (m[3]) {
        const target = resolveModule(file, m[3]);
        if (target === undefined) unresolved.push(`${rel}: ${m[3]}`);
        else if (target) visit(target, new Set(wanted.map(([orig]) => orig)), seen);
      } else {
        for (const [orig] of wanted) check(orig);
      }
    }
  };
  if (existsSync(indexFile)) visit(indexFile, null);
  return { missing, unresolved };
}

// ---- main ----------------------------------------------------------------------------------------

/**
 * An example's relative import (`./models.js`, written from its source file's point of view, as
 * users of a private package write it) rewritten for the generated test file, pointing at the `.ts`
 * source. Package imports are left alone.
 */
function fromGenerated(sourceFile, spec) {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return spec;
  let target = resolve(dirname(sourceFile), spec);
  if (target.endsWith('.js') && existsSync(target.slice(0, -3) + '.ts')) target = target.slice(0, -3) + '.ts';
  const rel = relative(outDir, target).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

const files = existsSync(srcDir) ? walk(srcDir) : [];
const examples = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const rel = relative(srcDir, file).split(sep).join('/');
  for (const c of docComments(text)) {
    const codes = examplesOf(c.body);
    if (!codes.length) continue;
    let symbol = declName(c.declLine.trim()) ?? `line ${text.slice(0, c.start).split('\n').length}`;
    if (c.indented) {
      const owner = ownerAt(text, c.start);
      if (owner) symbol = `${owner}.${symbol}`;
    }
    codes.forEach((code, k) => {
      const title = `${rel}:${symbol}${codes.length > 1 ? ` #${k + 1}` : ''}`;
      const { imports, body } = splitImports(code);
      for (const imp of imports) imp.module = fromGenerated(file, imp.module);
      examples.push({ title, imports, body: withAssertions(body, title) });
    });
  }
}

// the umbrella package also runs the ```ts blocks of the root README and of the porting guide,
// so neither can drift
const pkgName = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).name;
for (const doc of ['README.md', 'docs/moving-from-pytorch.md']) {
  const path = join(pkgDir, '..', '..', doc);
  if (pkgName !== 'tensorgrad' || !existsSync(path)) continue;
  const blocks = [...readFileSync(path, 'utf8').matchAll(/^```ts\s*\n([\s\S]*?)^```/gm)];
  blocks.forEach((b, k) => {
    const title = `${doc}:block ${k + 1}`;
    const { imports, body } = splitImports(b[1].replace(/\s+$/, ''));
    examples.push({ title, imports, body: withAssertions(body, title) });
  });
}

// titles must be unique for vitest reports to be readable
const seenTitles = new Map();
for (const ex of examples) {
  const n = (seenTitles.get(ex.title) ?? 0) + 1;
  seenTitles.set(ex.title, n);
  if (n > 1) ex.title = `${ex.title} (${n})`;
}

const { header, fallbacks } = hoist(examples);
const runtime = relative(outDir, runtimePath).split(sep).join('/');
const indent = (s, pad) =>
  s
    .split('\n')
    .map((l) => (l.trim() ? pad + l : ''))
    .join('\n');
const out = [
  '// Generated by scripts/extract-doc-examples.mjs from the @example blocks in src/. Do not edit.',
  '/* eslint-disable */',
  `import { describe, it } from 'vitest';`,
  `import { __docCheck } from ${JSON.stringify(runtime.startsWith('.') ? runtime : `./${runtime}`)};`,
  ...header,
  '',
  `describe('doc examples', () => {`,
];
examples.forEach((ex, i) => {
  out.push(`  it(${JSON.stringify(ex.title)}, async () => {`);
  const body = [...fallbacks[i], ex.body.replace(/^\s*\n/, '')].join('\n');
  out.push(indent(`{\n${indent(body, '  ')}\n}`, '    '));
  out.push('  });');
});
out.push('});', '');

const relOut = relative(process.cwd(), outFile) || outFile;
if (examples.length) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(outFile, out.join('\n'));
  console.log(`doc examples: ${examples.length} from ${files.length} source files -> ${relOut}`);
} else {
  // no empty placeholder test: it would only inflate the skipped count
  rmSync(outDir, { recursive: true, force: true });
  console.log(`doc examples: none in ${files.length} source files`);
}

// every entry point of the package (`exports` in package.json: `.` and subpaths such as
// `@tensorgrad/tensor/backend`), each checked for exported symbols without an example
const pkgJson = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const entries = new Set([join(srcDir, 'index.ts')]);
for (const target of Object.values(pkgJson.exports ?? {})) {
  const source = typeof target === 'object' && target !== null ? target.source : null;
  if (typeof source === 'string' && source.endsWith('.ts')) entries.add(resolve(pkgDir, source));
}
const missing = [];
const unresolved = [];
for (const entry of entries) {
  const r = missingExamples(entry);
  for (const m of r.missing) if (!missing.includes(m)) missing.push(m);
  for (const u of r.unresolved) if (!unresolved.includes(u)) unresolved.push(u);
}
if (unresolved.length) console.warn(`doc examples: could not resolve (not checked):\n  ${unresolved.join('\n  ')}`);
if (missing.length) {
  console.error(
    `doc examples: ${missing.length} exported function(s)/class(es) have no @example ` +
      '(add a TSDoc `@example` with a ```ts block that runs, or mark the symbol `@internal`):\n  ' +
      missing.join('\n  '),
  );
  process.exit(1);
}
