// The built documentation site in real headless Chromium (Debian's chromium via playwright-core):
// serves apps/docs/dist/ cross-origin isolated (scripts/serve.mjs), opens every page of the site,
// clicks every Run button on the cpu backend and waits for each run's `data-status`, then runs a
// sample again on webgpu (Chromium's software adapter) through the backend picker, and follows the
// top bar's "Example app" link to the embedded Fashion-MNIST page (/app/). It fails on any
// uncaught page error or console error, and when fewer than 99 % of the runs end `ok` (on webgpu: a
// run that fails other than with NotSupportedError); every failed run is printed with its page,
// example and message. Screenshots of an API page and a guide page
// after a Run go to apps/docs/test-results/.
//
// Speed matters (CI has 2 cores): the site is loaded once and every other page is reached by
// client-side navigation (`window.__tgDocs.router.go`, the theme's test hook), so the library bundle
// and the runner's worker load once; the clicks happen inside the page, one page per round trip.
//
// The DOM it relies on is the contract of issue #16 between the site and this test: runnable
// examples are `.tg-example[data-runnable="true"]` holding a button named "Run" and an element
// `[data-testid="example-output"]` whose `data-status` becomes "running", then "ok" or "error";
// the backend picker is `select[data-testid="backend-picker"]`.
//
// TENSORGRAD_DOCS_DIST serves another folder; TENSORGRAD_DOCS_PAGES=<substring> opens only the
// pages whose path contains it (for working on a few pages; the 99 % check still applies).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumMissingReason, chromiumPath } from '@tensorgrad/browser-tests';
import { DIST_DIR, startSiteServer, type SiteServer } from '../scripts/serve.mjs';

/** The share of runs that must end `ok` on cpu (issue #16: "≥ 99 % end ok"). */
const MIN_OK_SHARE = 0.99;
/** How many examples run again on webgpu (those of the WebGPU backend's pages first). */
const WEBGPU_SAMPLE = 20;
/** Examples slower than this on cpu (ms, on the loaded test machine) are not sampled for webgpu. */
const WEBGPU_MAX_CPU_MS = 250;
/** The share of the webgpu sample that must end ok; the rest may only be NotSupportedError refusals. */
const WEBGPU_MIN_OK_SHARE = 0.75;
/** How long one run may take before the test records it as timed out (the runner's own limit is lower). */
const RUN_TIMEOUT_MS = 60_000;
/** Tabs visiting pages at the same time (TENSORGRAD_DOCS_TABS, default 1: a second tab gained 4 % on 2 loaded cores). */
const TABS = Math.max(1, Number(process.env.TENSORGRAD_DOCS_TABS ?? 1) || 1);
/** Flags added to the harness's: keep the SwiftShader WebGPU adapter allowed (as apps/browser-tests does). */
const EXTRA_CHROMIUM_ARGS = ['--enable-unsafe-swiftshader'];

const dist = process.env.TENSORGRAD_DOCS_DIST?.trim() || DIST_DIR;
const pageFilter = process.env.TENSORGRAD_DOCS_PAGES?.trim() || '';
const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));

/** One example as the page reported it after its run. */
interface ExampleRun {
  readonly page: string;
  /** 0-based among the page's runnable examples */
  readonly index: number;
  /** the nearest heading above the example */
  readonly heading: string;
  /** the first non-empty line of its code */
  readonly firstLine: string;
  /** its code (as the page shows it) */
  readonly code: string;
  readonly status: 'ok' | 'error' | 'timeout' | 'no-run-button';
  /** the output element's text (shortened) */
  readonly output: string;
  /** wall time from the click to the status, in ms */
  readonly ms: number;
}

/** What the page said about one page of the site. */
interface PageVisit {
  readonly path: string;
  readonly notFound: boolean;
  /** examples in the page's static HTML that never appeared in the hydrated page (a problem when > 0) */
  readonly missingExamples: number;
  /** ms from the navigation to the page's examples being in the DOM */
  readonly navMs: number;
  readonly runnable: number;
  readonly notRunnable: { readonly reason: string; readonly firstLine: string }[];
  readonly runs: ExampleRun[];
}

// every page of the built site, as the path the router is given (`/`, `/guide/x.html`), with the
// number of examples its prerendered HTML holds (the hydrated page must show as many); /app/ is the
// embedded Fashion-MNIST page, not a VitePress page (its own test is below)
function sitePages(root: string): { path: string; examples: number }[] {
  const pages: { path: string; examples: number }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'assets' && path !== join(root, 'app')) walk(path);
      } else if (entry.name.endsWith('.html') && path !== join(root, '404.html')) {
        const rel = relative(root, path).split(sep).join('/');
        const examples = readFileSync(path, 'utf8').match(/class="tg-example"/g)?.length ?? 0;
        pages.push({ path: rel === 'index.html' ? '/' : `/${rel.replace(/(^|\/)index\.html$/, '$1')}`, examples });
      }
    }
  };
  walk(root);
  return pages.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// Runs in the page: navigates client-side to `path`, then clicks the Run button of the chosen
// runnable examples (all when `only` is null) one after another, waiting for each output's
// data-status to pass through a change and end at ok/error. Kept free of imports and helpers: the
// function's source is what crosses into the page.
async function visitInPage(args: { path: string; examples: number; only: number[] | null; timeoutMs: number; navigate: boolean }): Promise<PageVisit> {
  const hooks = (window as unknown as { __tgDocs?: { router: { go(href: string): Promise<void>; route: { path: string; data: { isNotFound?: boolean } } } } }).__tgDocs;
  if (hooks === undefined) throw new Error('window.__tgDocs is not set: the theme did not hydrate, or it does not expose the test hooks of issue #16');
  const n0 = performance.now();
  if (args.navigate) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`router.go('${args.path}') did not finish within ${args.timeoutMs} ms`)), args.timeoutMs);
    });
    await Promise.race([hooks.router.go(args.path), stuck]).finally(() => clearTimeout(timer));
  }
  // the route's component renders on the next ticks and the examples mount with it: wait until the
  // page shows as many examples as its prerendered HTML (bounded; a shortfall is reported)
  // the router's path is the clean URL when the site sets cleanUrls (`/guide/x`, not `/guide/x.html`)
  const clean = (p: string): string => p.replace(/(^|\/)index(\.html)?$/, '$1').replace(/\.html$/, '');
  const settled = (): boolean => clean(hooks.router.route.path) === clean(args.path) && document.querySelectorAll('.tg-example').length >= args.examples;
  await new Promise((r) => setTimeout(r, 0));
  for (let waited = 0; !settled() && waited < 5_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  const navMs = Math.round(performance.now() - n0);
  const notFound = hooks.router.route.data.isNotFound === true;
  const firstLine = (el: Element): string =>
    ((el.querySelector('pre code') ?? el.querySelector('pre') ?? el).textContent ?? '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0 && !l.startsWith('import ')) ?? '';
  const headingOf = (el: Element): string => {
    const heads = [...document.querySelectorAll('.vp-doc h1, .vp-doc h2, .vp-doc h3, .vp-doc h4')];
    let best = '';
    for (const h of heads) if (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) best = (h.textContent ?? '').replace(/\s+/g, ' ').replace(/\u200b/g, '').trim();
    return best;
  };
  const examples = [...document.querySelectorAll('.tg-example')];
  const runnable = examples.filter((e) => e.getAttribute('data-runnable') === 'true');
  const notRunnable = examples
    .filter((e) => e.getAttribute('data-runnable') !== 'true')
    .map((e) => ({ reason: e.getAttribute('data-reason') ?? '(no data-reason)', firstLine: firstLine(e) }));
  const runs: ExampleRun[] = [];
  for (let index = 0; index < runnable.length; index++) {
    if (args.only !== null && !args.only.includes(index)) continue;
    const ex = runnable[index]!;
    const code = (ex.querySelector('pre code') ?? ex.querySelector('pre'))?.textContent ?? '';
    const base = { page: args.path, index, heading: headingOf(ex), firstLine: firstLine(ex), code: code.length > 2000 ? `${code.slice(0, 2000)}…` : code };
    const button = [...ex.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === 'Run');
    const out = ex.querySelector('[data-testid="example-output"]');
    if (button === undefined || out === null) {
      runs.push({ ...base, status: 'no-run-button', output: `missing ${button === undefined ? 'a button named Run' : 'the [data-testid="example-output"] element'}`, ms: 0 });
      continue;
    }
    const t0 = performance.now();
    const status = await new Promise<'ok' | 'error' | 'timeout'>((resolve) => {
      const done = (s: 'ok' | 'error' | 'timeout'): void => {
        observer.disconnect();
        clearTimeout(timer);
        resolve(s);
      };
      // a status counts once it has changed after the click (a re-run starts from the last status)
      const observer = new MutationObserver(() => {
        const s = out.getAttribute('data-status');
        if (s === 'ok' || s === 'error') done(s);
      });
      observer.observe(out, { attributes: true, attributeFilter: ['data-status'] });
      const timer = setTimeout(() => done('timeout'), args.timeoutMs);
      button.click();
    });
    const text = (out.textContent ?? '').replace(/\s+/g, ' ').trim();
    runs.push({ ...base, status, output: text.length > 400 ? `${text.slice(0, 400)}…` : text, ms: Math.round(performance.now() - t0) });
  }
  return { path: args.path, notFound, missingExamples: Math.max(0, args.examples - examples.length), navMs, runnable: runnable.length, notRunnable, runs };
}

function describeRun(r: ExampleRun): string {
  return `${r.page} #${r.index + 1}${r.heading ? ` (${r.heading})` : ''} \`${r.firstLine.slice(0, 80)}\`: ${r.status}: ${r.output || '(no output)'}`;
}

// A missing site or Chromium fails where the run must be complete and is a skip, with its reason
// printed, elsewhere (`npx vitest run` in apps/docs before a build; a machine without Chromium):
// - the site: `npm test` (scripts/test.sh, CI) sets TENSORGRAD_REQUIRE_DOCS_SITE=1, and its docs task,
//   which this test depends on, builds it; CI=true requires it too;
// - Chromium: CI=true requires it; under `npm test`, scripts/ensure-chromium.sh already fails where
//   the machine could install it and did not (the rule of apps/browser-tests).
const ci = /^(1|true)$/i.test(process.env.CI ?? '');
const requireSite = ci || process.env.TENSORGRAD_REQUIRE_DOCS_SITE === '1';
const built = existsSync(join(dist, 'index.html'));
const missing = chromiumMissingReason();
const buildHint = `build it first with \`pnpm --filter @tensorgrad/docs docs\` (npm test runs it before this test)`;
const skipReason = !built ? `no built site at ${join(dist, 'index.html')}: ${buildHint}` : missing;
if (skipReason !== null) console.warn(`docs: skipping the site test in headless Chromium: ${skipReason}`);

it.runIf(requireSite)('the site is built (apps/docs/dist/, by the docs task this test depends on)', () => {
  expect(built, `expected ${join(dist, 'index.html')}: ${buildHint}`).toBe(true);
});
it.runIf(ci)('Chromium is there (CI=true)', () => {
  expect(missing, 'the reason Chromium is missing').toBeNull();
});

describe.skipIf(skipReason !== null)('the built site in headless Chromium', () => {
  let server: SiteServer;
  let browser: Browser;
  let page: Page;
  // every uncaught error and console error of the page and its workers, tagged with the page open then
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  // the page each tab is on, for tagging its errors
  const current = new Map<Page, string>();
  const visits: PageVisit[] = [];

  // the errors logged since `mark` (each test checks its own)
  const errorsSince = (mark: { page: number; console: number }): { pageErrors: string[]; consoleErrors: string[] } => ({
    pageErrors: pageErrors.slice(mark.page),
    consoleErrors: consoleErrors.slice(mark.console),
  });
  const mark = (): { page: number; console: number } => ({ page: pageErrors.length, console: consoleErrors.length });
  const go = (path: string): Promise<void> => page.evaluate((p) => (window as unknown as { __tgDocs: { router: { go(h: string): Promise<void> } } }).__tgDocs.router.go(p), path);

  beforeAll(async () => {
    mkdirSync(resultsDir, { recursive: true });
    server = await startSiteServer({ root: dist });
    browser = await chromium.launch({ executablePath: chromiumPath()!, args: [...CHROMIUM_ARGS, ...EXTRA_CHROMIUM_ARGS] });
    page = await openTab();
  });

  // a tab on the site's home page, hydrated, its errors recorded
  async function openTab(): Promise<Page> {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    current.set(tab, '/');
    tab.on('pageerror', (e) => pageErrors.push(`${current.get(tab)}: ${e.stack ?? e.message}`));
    // Chromium reports the console of the page's dedicated workers here too
    tab.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${current.get(tab)}: ${m.text()}${m.location().url ? ` (${m.location().url}:${m.location().lineNumber})` : ''}`);
    });
    await tab.goto(`${server.origin}/`);
    await tab.waitForFunction(() => '__tgDocs' in window, undefined, { timeout: 30_000 });
    return tab;
  }
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens every page, clicks every Run on cpu: ≥ 99 % end ok, no page errors', async () => {
    // from the first page load on (in beforeAll)
    const since = { page: 0, console: 0 };
    const t0 = performance.now();
    const pages = sitePages(dist).filter((p) => p.path.includes(pageFilter));
    expect(pages.length, `pages of ${dist}${pageFilter ? ` containing '${pageFilter}'` : ''}`).toBeGreaterThan(0);
    expect(await page.evaluate(() => crossOriginIsolated), 'the site is cross-origin isolated (COOP/COEP from scripts/serve.mjs)').toBe(true);
    // every example runs on cpu, whatever an earlier visit left in localStorage
    await page.selectOption('select[data-testid="backend-picker"]', 'cpu');
    const tabs = [page];
    while (tabs.length < TABS) tabs.push(await openTab());
    const loaded = performance.now();
    // each tab takes the next page not yet visited: one tab's worker runs examples while another navigates
    let next = 0;
    const byPath = new Map<string, PageVisit>();
    await Promise.all(
      tabs.map(async (tab) => {
        while (next < pages.length) {
          const { path, examples } = pages[next++]!;
          current.set(tab, path);
          byPath.set(path, await tab.evaluate(visitInPage, { path, examples, only: null, timeoutMs: RUN_TIMEOUT_MS, navigate: true }));
        }
      }),
    );
    for (const tab of tabs.slice(1)) await tab.close();
    visits.push(...pages.map((p) => byPath.get(p.path)!));
    const ms = performance.now() - t0;

    const runs = visits.flatMap((v) => v.runs);
    const ok = runs.filter((r) => r.status === 'ok');
    const failed = runs.filter((r) => r.status !== 'ok');
    const notFound = visits.filter((v) => v.notFound).map((v) => v.path);
    const unhydrated = visits.filter((v) => v.missingExamples > 0).map((v) => `${v.path}: ${v.missingExamples} of the prerendered examples never appeared`);
    const notRunnable = visits.flatMap((v) => v.notRunnable.map((n) => ({ page: v.path, ...n })));
    const reasons = new Map<string, number>();
    for (const n of notRunnable) reasons.set(n.reason, (reasons.get(n.reason) ?? 0) + 1);
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    writeFileSync(join(resultsDir, 'site-runs.json'), `${JSON.stringify({ pages: visits }, null, 1)}\n`);
    console.log(
      [
        `docs site (cpu, ${TABS} tab${TABS > 1 ? 's' : ''}): ${pages.length} pages opened, ${runs.length} Runs clicked: ${ok.length} ok, ${failed.length} not ok ` +
          `(${runs.length ? ((100 * ok.length) / runs.length).toFixed(1) : '—'} % ok); ${notRunnable.length} examples not runnable; ` +
          `${(ms / 1000).toFixed(1)} s (first load ${((loaded - t0) / 1000).toFixed(1)} s, navigation ${(sum(visits.map((v) => v.navMs)) / 1000).toFixed(1)} s, ` +
          `runs ${(sum(runs.map((r) => r.ms)) / 1000).toFixed(1)} s: median ${median(runs.map((r) => r.ms))} ms, max ${Math.max(0, ...runs.map((r) => r.ms))} ms)`,
        ...[...reasons].map(([reason, n]) => `  not runnable ×${n}: ${reason}`),
        ...failed.map((r) => `  FAILED ${describeRun(r)}`),
        ...notFound.map((p) => `  NOT FOUND ${p}`),
        ...unhydrated.map((u) => `  NOT HYDRATED ${u}`),
      ].join('\n'),
    );

    const errors = errorsSince(since);
    expect(notFound, 'pages that the router could not load').toEqual([]);
    expect(unhydrated, 'pages whose examples did not all mount').toEqual([]);
    expect(errors.pageErrors, 'uncaught errors in the page').toEqual([]);
    expect(errors.consoleErrors, 'console errors of the page and its workers').toEqual([]);
    expect(runs.length, 'Run buttons on the site (none means the examples lost their Run buttons)').toBeGreaterThan(0);
    expect(ok.length / runs.length, `share of runs that ended ok; failures:\n${failed.map(describeRun).join('\n')}`).toBeGreaterThanOrEqual(MIN_OK_SHARE);
    // within the 1 %, a whole engine once failed unnoticed: tfjs-wasm, whose .wasm files the site must serve beside the worker
    const tfjsFailed = failed.filter((r) => r.page.includes('/backend-tfjs/'));
    expect(tfjsFailed.map(describeRun), 'examples of @tensorgrad/backend-tfjs that failed (its wasm engine starts in the page)').toEqual([]);
  }, 900_000);

  it(`runs a sample of ${WEBGPU_SAMPLE} examples on webgpu (software adapter) through the backend picker`, async () => {
    const since = mark();
    const okOnCpu = visits.flatMap((v) => v.runs).filter((r) => r.status === 'ok');
    expect(okOnCpu.length, 'examples that ran ok on cpu (the previous test)').toBeGreaterThan(0);
    const options = await page.$$eval('select[data-testid="backend-picker"] option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options, 'the backend picker offers webgpu: Chromium with these flags has a SwiftShader adapter, so the site must detect it').toContain('webgpu');
    const t0 = performance.now();
    await page.selectOption('select[data-testid="backend-picker"]', 'webgpu');
    const sample = pickSample(okOnCpu, WEBGPU_SAMPLE);
    const byPage = new Map<string, number[]>();
    for (const r of sample) byPage.set(r.page, [...(byPage.get(r.page) ?? []), r.index]);
    const examplesOf = new Map(visits.map((v) => [v.path, v.runnable + v.notRunnable.length]));
    const runs: ExampleRun[] = [];
    for (const [path, only] of byPage) {
      current.set(page, path);
      // leave the page first, so that its examples mount afresh on the new backend
      await go(path === '/' ? '/api/' : '/');
      runs.push(...(await page.evaluate(visitInPage, { path, examples: examplesOf.get(path) ?? 0, only, timeoutMs: RUN_TIMEOUT_MS, navigate: true })).runs);
    }
    // A run that ended ok, but on cpu, would mean the picker's choice was ignored: the output names
    // the backend. A NotSupportedError is the library saying clearly what webgpu cannot do (reading a
    // value synchronously, float64): listed, not failed, as long as most of the sample runs.
    const okOnWebgpu = runs.filter((r) => r.status === 'ok' && /\bwebgpu\b/.test(r.output));
    const refused = runs.filter((r) => r.status === 'error' && /NotSupportedError/.test(r.output));
    const failed = runs.filter((r) => !okOnWebgpu.includes(r) && !refused.includes(r));
    console.log(
      [
        `docs site (webgpu): ${runs.length} Runs on ${byPage.size} pages: ${okOnWebgpu.length} ok on webgpu, ${refused.length} refused (NotSupportedError), ` +
          `${failed.length} failed; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        ...refused.map((r) => `  REFUSED ${describeRun(r)}`),
        ...failed.map((r) => `  FAILED ${describeRun(r)}`),
      ].join('\n'),
    );
    writeFileSync(join(resultsDir, 'site-runs-webgpu.json'), `${JSON.stringify({ runs }, null, 1)}\n`);
    // back to cpu for what follows (the choice persists in localStorage)
    await page.selectOption('select[data-testid="backend-picker"]', 'cpu');
    const errors = errorsSince(since);
    expect(errors.pageErrors, 'uncaught errors in the page').toEqual([]);
    expect(errors.consoleErrors, 'console errors of the page and its workers').toEqual([]);
    expect(runs.length, 'runs of the webgpu sample').toBe(sample.length);
    expect(failed.map(describeRun), 'examples that ran ok on cpu but failed on webgpu (other than NotSupportedError)').toEqual([]);
    expect(okOnWebgpu.length, `runs of the sample that ended ok on webgpu; refused:\n${refused.map(describeRun).join('\n')}`).toBeGreaterThanOrEqual(Math.ceil(WEBGPU_MIN_OK_SHARE * sample.length));
  }, 300_000);

  it("the top bar's Example app opens the Fashion-MNIST page (/app/): cross-origin isolated, its worker started, idle", async () => {
    const since = mark();
    await go('/');
    current.set(page, '/app/');
    // a real click: the link must leave the VitePress router (a full page load of another page)
    await page.getByRole('link', { name: 'Example app' }).first().click();
    await page.waitForURL(`${server.origin}/app/`);
    // Start is enabled once the page's training worker has said hello (the static HTML says idle too)
    await page.waitForFunction(() => (document.querySelector('[data-testid="start"]') as HTMLButtonElement | null)?.disabled === false, undefined, { timeout: 30_000 });
    expect(await page.textContent('[data-testid="status"]')).toBe('idle');
    expect(await page.evaluate(() => crossOriginIsolated), 'the embedded page is cross-origin isolated').toBe(true);
    const errors = errorsSince(since);
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
    // back to the site, hydrated, for what follows
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => '__tgDocs' in window, undefined, { timeout: 30_000 });
    current.set(page, '/');
  }, 60_000);

  it('screenshots an API page and a guide page after a Run (test-results/)', async () => {
    const since = mark();
    const pages = sitePages(dist).map((p) => p.path);
    const api = pages.find((p) => /\/api\/.*\bLinear(\.html)?$/.test(p)) ?? pages.find((p) => /\/api\/.*conv2d/i.test(p)) ?? pages.find((p) => p.startsWith('/api/'));
    const guide = pages.find((p) => /\/guide\/getting-started/.test(p)) ?? pages.find((p) => p.startsWith('/guide/'));
    const shots: [string, string | undefined][] = [
      ['api-page.png', api],
      ['guide-page.png', guide],
    ];
    for (const [file, path] of shots) {
      expect(path, `a page for ${file} among ${pages.length} pages`).toBeDefined();
      current.set(page, path!);
      await go(path!);
      // a real pointer click through playwright (visibility, hit testing), found by the button's accessible name
      const example = page.locator('.tg-example[data-runnable="true"]').first();
      await example.getByRole('button', { name: 'Run', exact: true }).click();
      const out = example.locator('[data-testid="example-output"]');
      await expect.poll(() => out.getAttribute('data-status'), { timeout: RUN_TIMEOUT_MS }).toMatch(/^(ok|error)$/);
      expect(await out.getAttribute('data-status'), `${path}: the first example's run (${await out.textContent()})`).toBe('ok');
      await example.scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollBy(0, -200));
      await page.screenshot({ path: join(resultsDir, file) });
      console.log(`docs site: screenshot of ${path} after a Run: ${join(resultsDir, file)}`);
    }
    const errors = errorsSince(since);
    expect(errors.pageErrors).toEqual([]);
    expect(errors.consoleErrors).toEqual([]);
  }, 120_000);
});

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// The WebGPU backend's own pages first, then examples spread evenly over the rest of the site.
// Examples that ask for float64 are left out: the webgpu backend has no float64 by design
// (WGSL has no f64), and refusing it with NotSupportedError is the documented behaviour. So are
// examples that took more than WEBGPU_MAX_CPU_MS on cpu: SwiftShader, a CPU emulation of a GPU, ran
// resnet18's example past the runner's 30 s limit.
function pickSample(runs: ExampleRun[], n: number): ExampleRun[] {
  const eligible = runs.filter((r) => !/float64|Float64Array/.test(r.code) && r.ms <= WEBGPU_MAX_CPU_MS);
  const webgpu = eligible.filter((r) => /webgpu/i.test(r.page)).slice(0, Math.ceil(n / 2));
  const rest = eligible.filter((r) => !webgpu.includes(r));
  const picked = [...webgpu];
  const want = Math.min(n - picked.length, rest.length);
  for (let i = 0; i < want; i++) picked.push(rest[Math.floor((i * rest.length) / want)]!);
  return picked;
}
