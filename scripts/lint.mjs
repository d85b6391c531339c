// Project lint: conventions tsc does not check (ARCHITECTURE.md, CONTRIBUTING.md): no default
// exports, no focused tests, kebab-case file names (op files may end in `_` for in-place ops), no
// run-time import cycle among the files of `src/`, and — in a backend — nothing but kernels in
// `src/kernels/`, none of which imports its backend module at run time.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, basename, dirname, resolve } from 'node:path';

const problems = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'node_modules' && name !== 'dist' && !name.startsWith('.')) walk(p);
      continue;
    }
    if (!/\.(ts|mts)$/.test(name)) continue;
    const text = readFileSync(p, 'utf8');
    if (/^export default /m.test(text) && !/vitest\.config|vite\.config/.test(name)) problems.push(`${p}: default export (use named exports)`);
    if (/\b(it|test|describe)\.only\(/.test(text)) problems.push(`${p}: focused test (.only)`);
    const stem = basename(name).replace(/(\.test|\.d)?\.m?ts$/, '');
    if (!/^[a-z0-9]+(-[a-z0-9]+)*_?$/.test(stem)) problems.push(`${p}: file name is not kebab-case`);
  }
}
for (const d of ['src', 'test']) {
  try {
    walk(d);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
}
// Run-time import cycles among src/ files: relative imports only; `import type`/`export type`
// vanish at run time and do not count. Tarjan's strongly connected components.
function importCycles(root) {
  const files = [];
  const collect = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) collect(p);
      else if (/\.ts$/.test(name) && !/\.d\.ts$/.test(name)) files.push(resolve(p));
    }
  };
  collect(root);
  const known = new Set(files);
  const edges = new Map();
  for (const f of files) {
    const deps = [];
    for (const m of readFileSync(f, 'utf8').matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)) {
      const target = resolve(dirname(f), m[1]).replace(/\.js$/, '.ts');
      const hit = [target, target.replace(/\.ts$/, '/index.ts')].find((c) => known.has(c));
      if (hit) deps.push(hit);
    }
    edges.set(f, deps);
  }
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) cycles.push(scc);
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}
if (existsSync('src')) {
  for (const cycle of importCycles('src')) {
    problems.push(`run-time import cycle of ${cycle.length} files: ${cycle.map((f) => f.slice(process.cwd().length + 1)).join(' -> ')} (make one import type-only or move the shared code out)`);
  }
}
// A backend's kernels/ folder lists its kernels and nothing else; kernels reach their backend
// through ctx.backend, never by importing the backend module.
if (existsSync('src/kernels') && existsSync('src/backend.ts')) {
  for (const name of readdirSync('src/kernels')) {
    const text = readFileSync(join('src/kernels', name), 'utf8');
    if (!/^export const [A-Za-z0-9_]+: Kernel</m.test(text)) problems.push(`src/kernels/${name}: not a kernel (only kernels live in kernels/; move helpers beside the folder)`);
    if (/^\s*import\s+(?!type\b)[^;]*from\s+'\.\.\/backend\.js'/m.test(text)) problems.push(`src/kernels/${name}: imports its backend module at run time (use ctx.backend)`);
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint: ok');
