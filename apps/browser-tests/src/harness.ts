// Runs scenario pages in headless Chromium: bundles the scenario (vite), serves it (with or without
// the cross-origin isolation headers), loads it in a fresh browser context, calls its `run` export
// and returns what it resolved to, with what the page logged.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type ConsoleMessage } from 'playwright-core';
import { bundleScenario, ENTRY_FILE, type Bundle } from './bundle.js';
import { chromiumMissingReason, chromiumPath } from './chromium.js';
import { startPageServer, type PageServer } from './server.js';

/** The flags the harness starts Chromium with (headless, no sandbox as root, WebGPU allowed). */
export const CHROMIUM_ARGS: readonly string[] = ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu'];

/** Options of {@link BrowserHarness.start}. */
export interface HarnessOptions {
  /** More Chromium flags, after {@link CHROMIUM_ARGS} (e.g. WebGPU feature switches). */
  readonly extraArgs?: readonly string[];
}

/** Options of {@link BrowserHarness.run}. */
export interface RunOptions {
  /** Serve the page with the COOP/COEP headers, making it `crossOriginIsolated` (default true). */
  readonly isolated?: boolean;
  /** Passed to the scenario's `run` (must survive structured cloning: JSON-like values). */
  readonly args?: unknown;
  /** How long the scenario may take, in ms (default 120 000). */
  readonly timeoutMs?: number;
}

/** What a scenario run gave back. */
export interface ScenarioResult<T = unknown> {
  /** What the scenario's `run` resolved to. */
  readonly value: T;
  /** Whether the page was cross-origin isolated. */
  readonly crossOriginIsolated: boolean;
  /** `console.error` messages of the page and its workers. */
  readonly consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections of the page. */
  readonly pageErrors: string[];
  /** Every console message, as `type: text` (for debugging a failure). */
  readonly console: string[];
  /** Wall time of the scenario's `run`, in ms (the page load and bundling excluded). */
  readonly ms: number;
}

// The page-side code of a run, as source text: a function handed to page.evaluate would be
// transformed by vitest, whose rewrite of `import()` does not exist in the page.
function pageScript(url: string, args: unknown): string {
  return `(async () => {
  try {
    const mod = await import(${JSON.stringify(url)});
    if (typeof mod.run !== 'function') return { ok: false, error: 'the scenario module exports no run function (exports: ' + Object.keys(mod).join(', ') + ')' };
    return { ok: true, value: await mod.run(${args === undefined ? 'undefined' : JSON.stringify(args)}) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
})()`;
}

/**
 * The file of a scenario shipped with this package: `src/scenarios/<name>.ts`.
 *
 * @example
 * ```ts
 * import { scenarioEntry } from '@tensorgrad/browser-tests';
 * scenarioEntry('cpu').endsWith('/src/scenarios/cpu.ts'); // true
 * ```
 */
export function scenarioEntry(name: string): string {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`scenarioEntry: expected a scenario name in kebab-case (a file of src/scenarios/), got '${name}'`);
  const file = fileURLToPath(new URL(`./scenarios/${name}.ts`, import.meta.url));
  if (!existsSync(file)) throw new Error(`scenarioEntry: no scenario '${name}' (${file} does not exist); add the file, or pass a path to BrowserHarness.run`);
  return file;
}

/**
 * One headless Chromium and one page server, shared by any number of scenario runs; each run gets a
 * fresh browser context (no state carried between runs). A scenario is a module exporting
 * `async function run(args)` that resolves to a JSON-like value; give {@link BrowserHarness.run}
 * its name (a file of `src/scenarios/`) or its path. Bundles are built once per harness.
 *
 * @example
 * ```ts
 * import { BrowserHarness, chromiumPath } from '@tensorgrad/browser-tests';
 * if (chromiumPath() !== null) {
 *   const harness = await BrowserHarness.start();
 *   try {
 *     const { value, crossOriginIsolated } = await harness.run<{ sum: number }>('smoke', { args: { values: [1, 2, 3] } });
 *     value.sum; // 6
 *     crossOriginIsolated; // true
 *   } finally {
 *     await harness.close();
 *   }
 * }
 * ```
 */
export class BrowserHarness {
  private readonly bundles = new Map<string, Promise<string>>();

  private constructor(
    private readonly browser: Browser,
    private readonly server: PageServer,
  ) {}

  /**
   * Launches Chromium (see {@link chromiumPath}) and the page server. Throws, saying how to install
   * it, when there is no Chromium. See the class's example.
   */
  static async start(options: HarnessOptions = {}): Promise<BrowserHarness> {
    const executablePath = chromiumPath();
    if (executablePath === null) throw new Error(`BrowserHarness.start: ${chromiumMissingReason()}`);
    const server = await startPageServer();
    try {
      const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])] });
      return new BrowserHarness(browser, server);
    } catch (e) {
      await server.close();
      throw e;
    }
  }

  /** The page server's origin, `http://127.0.0.1:<port>`. */
  get origin(): string {
    return this.server.origin;
  }

  /**
   * Runs a scenario (a name of `src/scenarios/`, or a path to an entry module) in a fresh page and
   * returns what its `run(args)` resolved to, with the page's console errors. Throws when the
   * scenario throws (with its stack and the page's console), or takes longer than `timeoutMs`.
   * See the class's example.
   */
  async run<T = unknown>(scenario: string, options: RunOptions = {}): Promise<ScenarioResult<T>> {
    const { isolated = true, args, timeoutMs = 120_000 } = options;
    const base = await this.bundle(scenario.includes('/') ? scenario : scenarioEntry(scenario));
    const prefix = isolated ? '' : '/plain';
    const context = await this.browser.newContext();
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const messages: string[] = [];
    try {
      const page = await context.newPage();
      const onConsole = (msg: ConsoleMessage): void => {
        messages.push(`${msg.type()}: ${msg.text()}`);
        if (msg.type() === 'error') consoleErrors.push(msg.text());
      };
      // Chromium reports the console of the page's dedicated workers here too
      page.on('console', onConsole);
      page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
      await page.goto(`${this.server.origin}${prefix}/index.html`);
      const crossOriginIsolated = await page.evaluate(() => globalThis.crossOriginIsolated === true);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`BrowserHarness.run: scenario '${scenario}' took longer than ${timeoutMs} ms; console:\n${messages.join('\n')}`)), timeoutMs);
      });
      const t0 = performance.now();
      const evaluation = page.evaluate(pageScript(`${prefix}${base}${ENTRY_FILE}`, args)) as Promise<{ ok: true; value: T } | { ok: false; error: string }>;
      // after a timeout, closing the context rejects the evaluation: nobody waits for it then
      evaluation.catch(() => undefined);
      let outcome: { ok: true; value: T } | { ok: false; error: string };
      try {
        outcome = await Promise.race([evaluation, timeout]);
      } finally {
        clearTimeout(timer);
      }
      const ms = performance.now() - t0;
      if (!outcome.ok) throw new Error(`BrowserHarness.run: scenario '${scenario}' failed in the page: ${outcome.error}\nconsole:\n${messages.join('\n')}`);
      return { value: outcome.value, crossOriginIsolated, consoleErrors, pageErrors, console: messages, ms };
    } finally {
      await context.close();
    }
  }

  /** Closes the browser and the page server. */
  async close(): Promise<void> {
    await this.browser.close();
    await this.server.close();
  }

  // bundles an entry once; resolves to the path it is served under
  private bundle(entry: string): Promise<string> {
    let served = this.bundles.get(entry);
    if (served === undefined) {
      const id = `s${this.bundles.size}`;
      served = bundleScenario(entry).then((b: Bundle) => this.server.add(id, b));
      this.bundles.set(entry, served);
    }
    return served;
  }
}

/**
 * Starts a {@link BrowserHarness}, runs one scenario and closes it again (for a single run; share a
 * harness between runs to save the browser start-up).
 *
 * @example
 * ```ts
 * import { chromiumPath, runScenario } from '@tensorgrad/browser-tests';
 * if (chromiumPath() !== null) {
 *   const { value } = await runScenario<{ sum: number }>('smoke', { args: { values: [0.5, 0.25] } });
 *   value.sum; // 0.75
 * }
 * ```
 */
export async function runScenario<T = unknown>(scenario: string, options: RunOptions & HarnessOptions = {}): Promise<ScenarioResult<T>> {
  const harness = await BrowserHarness.start(options);
  try {
    return await harness.run<T>(scenario, options);
  } finally {
    await harness.close();
  }
}
