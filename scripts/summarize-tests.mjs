#!/usr/bin/env node
// Adds up the vitest JSON reports (`test-results.json`, written by the reporters in
// vitest.shared.ts) of every workspace package and prints, alone on the last line,
//   tests: N passed, N failed, N skipped
// Exits non-zero when a test failed, a test file could not run, or a package that has a `test`
// script left no report (its tests never ran, e.g. because its build failed).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(new URL('..', import.meta.url).pathname);

function workspaceDirs() {
  const dirs = [];
  for (const group of ['packages', 'apps']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base, { withFileTypes: true })) if (name.isDirectory()) dirs.push(join(base, name.name));
  }
  for (const single of ['examples', 'bench', 'scripts']) if (existsSync(join(root, single, 'package.json'))) dirs.push(join(root, single));
  return dirs.filter((d) => existsSync(join(d, 'package.json')));
}

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = 0;
const notes = [];
const rows = [];

for (const dir of workspaceDirs()) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const name = pkg.name ?? relative(root, dir);
  const reportPath = join(dir, 'test-results.json');
  if (!existsSync(reportPath)) {
    if (pkg.scripts?.test) {
      notes.push(`${name}: no test report (${relative(root, reportPath)}): its tests did not run`);
      broken++;
    }
    continue;
  }
  let report;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch (e) {
    notes.push(`${name}: unreadable test report: ${e.message}`);
    broken++;
    continue;
  }
  const p = report.numPassedTests ?? 0;
  const f = report.numFailedTests ?? 0;
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // a test file that fails to load (syntax error, missing module) has no failing test in it
  let fileErrors = 0;
  for (const file of report.testResults ?? []) {
    const hasFailingTest = (file.assertionResults ?? []).some((a) => a.status === 'failed');
    if (file.status === 'failed' && !hasFailingTest) {
      fileErrors++;
      const msg = String(file.message ?? '').split('\n')[0];
      notes.push(`${name}: ${relative(dir, file.name)} did not run${msg ? `: ${msg}` : ''}`);
    }
  }
  passed += p;
  failed += f;
  skipped += s;
  broken += fileErrors;
  rows.push({ name, p, f, s, fileErrors });
}

const width = Math.max(8, ...rows.map((r) => r.name.length));
console.log(`${'package'.padEnd(width)}  passed  failed  skipped`);
for (const r of rows) {
  const extra = r.fileErrors ? `  (+${r.fileErrors} test file(s) that did not run)` : '';
  console.log(`${r.name.padEnd(width)}  ${String(r.p).padStart(6)}  ${String(r.f).padStart(6)}  ${String(r.s).padStart(7)}${extra}`);
}
for (const n of notes) console.log(`! ${n}`);
// files and packages that never ran count as failures, so the total cannot look green by omission
console.log(`tests: ${passed} passed, ${failed + broken} failed, ${skipped} skipped`);
process.exit(failed + broken > 0 ? 1 : 0);
