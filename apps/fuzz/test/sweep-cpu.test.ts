// The property sweeps on the CPU backend (float32, int32, bool) against its own float64 run,
// the independent references of @tensorgrad/conformance and gradcheck: a fixed seed list. And the
// op coverage: every front-end op of packages/tensor/src/ops/ is swept by a generator or listed in
// NOT_SWEPT with its reason.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NOT_SWEPT, opOfFile, sweepCoverage } from '../src/index.js';
import { ciSeeds, registerSweepTests } from './sweep-ci.js';
import './engine-cases.js';

await registerSweepTests('cpu', ciSeeds(4));

describe('op coverage', () => {
  const dir = fileURLToPath(new URL('../../../packages/tensor/src/ops/', import.meta.url));
  const ops = readdirSync(dir).filter((f) => f.endsWith('.ts')).map(opOfFile).sort();

  it('every op of packages/tensor/src/ops is swept or listed with a reason', () => {
    const c = sweepCoverage(ops);
    console.log(`sweep coverage: ${ops.length} op files, ${c.swept.length} swept, ${c.notSwept.length} listed as not swept`);
    for (const op of c.notSwept) console.log(`  not swept: ${op}: ${NOT_SWEPT[op]}`);
    expect(ops.length).toBeGreaterThan(90);
    expect(c.missing, 'ops neither swept by a generator nor listed in NOT_SWEPT').toEqual([]);
    expect(c.unknown, 'generator ops with no file in packages/tensor/src/ops').toEqual([]);
  });

  it('NOT_SWEPT lists only ops that exist', () => {
    expect(Object.keys(NOT_SWEPT).filter((op) => !ops.includes(op))).toEqual([]);
  });
});
