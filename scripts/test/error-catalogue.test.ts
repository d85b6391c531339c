// docs/errors.md against the code: its generated catalogue must be what
// scripts/error-catalogue.mjs makes of packages/*/src today, and every error class the library
// constructs must have its hand-written "when / fix" section. The extractor itself is checked on
// small sources whose throw sites are written out by hand, and its count against a plain line scan.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { END, errorSites, messageTemplate, PAGE, REPO, renderCatalogue, START, stripComments, withCatalogue } from '../error-catalogue.mjs';

const page = readFileSync(join(REPO, PAGE), 'utf8');
const sites = errorSites();

describe('docs/errors.md', () => {
  it('holds the catalogue the code gives today', () => {
    const fresh = withCatalogue(page, renderCatalogue(sites));
    // a stale page fails with the first line that differs, and the fix
    const [a, b] = [page.split('\n'), fresh.split('\n')];
    const at = a.findIndex((line, i) => line !== b[i]);
    expect(fresh === page, `${PAGE} is out of date with the code at line ${at + 1}:\n  page: ${a[at]}\n  code: ${b[at]}\nrun \`node scripts/error-catalogue.mjs\` and commit ${PAGE}`).toBe(true);
  });

  it('says when and how to fix, by hand, for every error class the library throws', () => {
    const handWritten = page.slice(0, page.indexOf(START));
    const classes = [...new Set(sites.map((s) => s.cls))].sort();
    expect(classes).toEqual(expect.arrayContaining(['Error', 'NotSupportedError', 'RangeError', 'TypeError']));
    for (const cls of classes) {
      const at = handWritten.indexOf(`\n### \`${cls}\`\n`);
      expect(at, `${PAGE} has no section "### \`${cls}\`" for the ${sites.filter((s) => s.cls === cls).length} place(s) that throw ${cls}; write one (**When.** … **Fix.** …) under "## The classes"`).toBeGreaterThanOrEqual(0);
      const next = handWritten.indexOf('\n### ', at + 1);
      const section = handWritten.slice(at, next < 0 ? undefined : next);
      expect(section, `the ${cls} section of ${PAGE} needs a **When.** and a **Fix.** paragraph`).toMatch(/\*\*When\.\*\*[\s\S]+\*\*Fix\.\*\*/);
    }
  });

  it('finds as many sites as a plain line scan of the sources', () => {
    // independent of the extractor's parser: lines with `new …Error(` that are not comment lines
    let scanned = 0;
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
          for (const line of readFileSync(p, 'utf8').split('\n')) {
            if (/^\s*(\*|\/\/|\/\*)/.test(line)) continue;
            scanned += (line.match(/\bnew\s+(?:[A-Z][A-Za-z0-9_]*)?Error\s*\(/g) ?? []).length;
          }
        }
      }
    };
    for (const pkg of readdirSync(join(REPO, 'packages'))) {
      try {
        walk(join(REPO, 'packages', pkg, 'src'));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    // the two errors made only for their stack trace (tidy's creation site and origin) are not thrown
    expect(sites.length).toBe(scanned - 2);
    expect(sites.length).toBeGreaterThan(1000);
  });
});

describe('the extractor', () => {
  const root = mkdtempSync(join(tmpdir(), 'error-catalogue-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('takes every thrown or returned error outside comments, with its message template', () => {
    mkdirSync(join(root, 'packages', 'demo', 'src', 'ops'), { recursive: true });
    writeFileSync(join(root, 'packages', 'demo', 'package.json'), '{ "name": "@demo/pkg" }');
    writeFileSync(
      join(root, 'packages', 'demo', 'src', 'ops', 'thing.ts'),
      [
        '/**',
        ' * @example',
        ' * throw new Error("in a comment: not a site");',
        ' */',
        'export function thing(x: number, op = "thing"): number {',
        '  // throw new TypeError("also a comment")',
        '  if (x < 0) throw new RangeError(`${op}: expected x >= 0, got ${x}; pass { x: 1 }`);',
        "  if (x > 9) throw new TypeError('a ' + String(x) + \" b\\n c\");",
        '  const re = /\\/\\*/; // a regular expression that looks like a comment opener',
        '  if (re.test(String(x))) throw new NotSupportedError(op, "mine", "kernel", `${op}: no kernel on ${"mine"}`);',
        '  if (x === 5) throw new Error(x > 4 ? `${op}: big` : `${op}: small`, { cause: x });',
        '  const origin = { stack: new Error().stack };',
        '  return x;',
        '}',
        'const bad = (what: string) => new Error(`corrupt: ${what.slice(0, 3)}`);',
      ].join('\n'),
    );
    const found = errorSites(root);
    expect(found).toEqual([
      { cls: 'RangeError', pkg: '@demo/pkg', file: 'packages/demo/src/ops/thing.ts', line: 7, message: '‹op›: expected x >= 0, got ‹x›; pass { x: 1 }' },
      { cls: 'TypeError', pkg: '@demo/pkg', file: 'packages/demo/src/ops/thing.ts', line: 8, message: 'a ‹String(x)› b ⏎ c' },
      { cls: 'NotSupportedError', pkg: '@demo/pkg', file: 'packages/demo/src/ops/thing.ts', line: 10, message: '‹op›: no kernel on ‹"mine"›' },
      { cls: 'Error', pkg: '@demo/pkg', file: 'packages/demo/src/ops/thing.ts', line: 11, message: '‹op›: big ‖ ‹op›: small' },
      { cls: 'Error', pkg: '@demo/pkg', file: 'packages/demo/src/ops/thing.ts', line: 15, message: 'corrupt: ‹what.slice(0, 3)›' },
    ]);
    // rendered: one table row per distinct message, HTML-escaped (no Markdown or Vue syntax leaks)
    const md = renderCatalogue(found);
    expect(md.startsWith(START) && md.endsWith(END)).toBe(true);
    expect(md).toContain('| `RangeError` | <code>‹op›: expected x &gt;= 0, got ‹x›; pass &#123; x: 1 &#125;</code> | ops/thing.ts |');
    expect(md).toContain('5 places in 1 packages construct an error');
  });

  it('blanks comments but keeps strings, template literals and regular expressions', () => {
    const src = 'a = "//x"; /* c */ b = `/*${1}*/`; // d\nc = /\\/\\//;';
    expect(stripComments(src)).toBe('a = "//x";         b = `/*${1}*/`;     \nc = /\\/\\//;');
    expect(messageTemplate("`${a}: ${someVeryLongExpressionThatGoesOn(a, b, c)}`")).toBe('‹a›: ‹…›');
  });

  it('refuses a page without its markers', () => {
    expect(() => withCatalogue('# no markers', 'x')).toThrow(/expected docs\/errors.md to hold the markers/);
  });
});
