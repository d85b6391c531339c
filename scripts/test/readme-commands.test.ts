// The README's root commands as a newcomer runs them: Node 20 and npm, no pnpm on PATH. turbo
// looks the package manager's binary up on PATH before it runs any task (even a cached one; a run
// of zero tasks and `--dry` skip the lookup), so each command must go through
// scripts/with-pnpm.sh (or start.sh/test.sh, which source it). Kept cheap for CI:
// - `npm run lint` runs exactly as the README shows (fast, and read-only);
// - `npm run typecheck` runs as shown plus `--filter=@tensorgrad/tensor` (one tsc --noEmit of a
//   package without dependencies: a real task, so a real lookup, and nothing written);
// - `npm run build` and `npm run docs` (minutes, and they write dist/ while `npm test`'s own turbo
//   run may be building the same packages) run as shown plus `--dry=json`: the command line and
//   the wrapper are exercised, the lookup is proven by the two runs above, which use the same
//   wrapper in front of the same turbo;
// - `npm run bench`, `crosscheck`, `examples`, `experiments` and `web` build and run for minutes: the
//   test checks that their scripts reach turbo and pnpm through the wrapper (or start.sh), and
//   runs the wrapper's `pnpm` with no pnpm on PATH;
// - `npm start` and `npm test` are what CI runs (test.sh; start.sh sources the same wrapper).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

// A PATH like the original one without pnpm: every executable of its directories, linked into one
// directory, except pnpm/pnpx (installed globally here, next to node) and corepack (which can
// provide pnpm).
const HIDDEN = new Set(['pnpm', 'pnpx', 'pnpm.cmd', 'corepack']);
const bare = mkdtempSync(join(tmpdir(), 'tg-no-pnpm-'));
for (const dir of (process.env.PATH ?? '').split(delimiter)) {
  if (!dir || !existsSync(dir) || dir.includes('node_modules')) continue;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    continue;
  }
  for (const name of names) {
    if (HIDDEN.has(name) || existsSync(join(bare, name))) continue;
    symlinkSync(join(dir, name), join(bare, name));
  }
}
afterAll(() => rmSync(bare, { recursive: true, force: true }));

// npm adds node_modules/.bin directories itself, as for a newcomer
const env = { ...process.env, PATH: bare, npm_config_update_notifier: 'false' };
for (const k of Object.keys(env)) if (k.startsWith('npm_') && k !== 'npm_config_update_notifier') delete env[k];
delete env.PNPM_HOME;

function sh(command: string): { code: number | null; out: string } {
  // maxBuffer: turbo's --dry=json lists every input file's hash (megabytes in this repo); spawnSync's
  // 1 MiB default would kill the command and report a null exit code
  const r = spawnSync('bash', ['-c', command], { cwd: root, env, encoding: 'utf8', timeout: 170_000, maxBuffer: 256 * 1024 * 1024 });
  const why = r.error ? `\n(${r.error.message})` : r.signal ? `\n(killed by ${r.signal})` : '';
  return { code: r.status, out: `${r.stdout}\n${r.stderr}${why}` };
}

const LOOKUP_FAILURE = 'Unable to find package manager binary';

/** Every `npm …` command in the README's code blocks, as written (comments dropped). */
function readmeNpmCommands(): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.split('\n')).map((l) => l.replace(/#.*$/, '').trim()).filter((l) => /^npm /.test(l));
}

describe('README commands without pnpm on PATH', () => {
  it('the test PATH really has no pnpm, and a bare turbo run fails on it', () => {
    expect(sh('command -v pnpm || echo none').out.trim()).toBe('none');
    expect(sh('command -v node npm npx >/dev/null && echo ok').out.trim()).toBe('ok');
    const control = sh('node_modules/.bin/turbo run typecheck --filter=@tensorgrad/tensor');
    expect(control.code).not.toBe(0);
    expect(control.out).toContain(LOOKUP_FAILURE);
  });

  it('the README shows only commands of root scripts, and every root script except start/test/changeset goes through the wrapper', () => {
    const commands = readmeNpmCommands();
    expect(commands.length).toBeGreaterThan(5);
    for (const c of commands) {
      const name = /^npm (?:run )?([\w:-]+)/.exec(c)![1]!;
      expect(scripts[name], `${c}: no root script '${name}'`).toBeDefined();
    }
    for (const [name, script] of Object.entries(scripts)) {
      if (['start', 'test', 'changeset', 'examples', 'experiments', 'web'].includes(name)) continue;
      expect(script, `root script '${name}' must run turbo/pnpm through scripts/with-pnpm.sh`).toMatch(/bash scripts\/with-pnpm\.sh (turbo|pnpm) /);
    }
    for (const name of ['start', 'examples', 'experiments', 'web']) expect(scripts[name]).toMatch(/^bash scripts\/start\.sh\b/);
    expect(scripts.test).toBe('bash scripts/test.sh');
    for (const f of ['start.sh', 'test.sh']) expect(readFileSync(join(root, 'scripts', f), 'utf8')).toMatch(/^source scripts\/with-pnpm\.sh$/m);
  });

  it('npm run lint (exactly as in the README)', () => {
    const r = sh('npm run lint');
    expect(r.out).not.toContain(LOOKUP_FAILURE);
    expect(r.code, r.out).toBe(0);
  });

  it('npm run typecheck passes the package-manager lookup (one package)', () => {
    const r = sh('npm run typecheck -- --filter=@tensorgrad/tensor');
    expect(r.out).not.toContain(LOOKUP_FAILURE);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/1 successful, 1 total/);
  });

  for (const name of ['build', 'docs']) {
    it(`npm run ${name} reaches turbo through the wrapper (dry run)`, () => {
      const r = sh(`npm run ${name} -- --dry=json`);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain(`"${name}"`);
    });
  }

  it("the wrapper provides pnpm (what bench, crosscheck, examples and experiments use) and removes its shim", () => {
    const r = sh('bash scripts/with-pnpm.sh pnpm --version && command -v pnpm || echo gone');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^10\.\d+\.\d+$/m);
    expect(r.out).toMatch(/pnpm not found: using npx pnpm@10/);
    expect(r.out).toMatch(/^gone$/m);
    expect(sh('bash scripts/with-pnpm.sh false').code).toBe(1);
  });
});
