// The fixtures are a copy of shared/golden/ (kept inside the package so it is self-contained);
// where the shared directory is present, a stale or edited copy fails here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const shared = fileURLToPath(new URL('../../../../shared/golden/', import.meta.url));
const copy = fileURLToPath(new URL('../fixtures/pytorch/', import.meta.url));
const present = existsSync(shared);

if (!present) console.log(`fixtures.test: skipped, ${shared} does not exist (the copy cannot be compared with its source here)`);

describe.skipIf(!present)('fixtures/pytorch is a byte-identical copy of shared/golden', () => {
  const files = present ? readdirSync(shared).filter((f) => f.endsWith('.json') || f === 'README.md').sort() : [];

  it('holds the same files', () => {
    const ours = readdirSync(copy).sort();
    expect(ours).toEqual(files);
  });

  for (const f of files) {
    it(`${f} is unchanged`, () => {
      const a = readFileSync(`${shared}${f}`);
      const b = readFileSync(`${copy}${f}`);
      expect(b.equals(a), `fixtures/pytorch/${f} differs from shared/golden/${f}: copy it again with cp`).toBe(true);
    });
  }
});
