// Project lint: conventions tsc does not check (DESIGN.md §8): no default exports, no focused
// tests, kebab-case file names (op files may end in `_` for in-place ops).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';

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
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint: ok');
