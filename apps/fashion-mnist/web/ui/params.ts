// The page's settings come from two places, the URL (scripted runs, shared links) and the form the
// user edits; both are read through `readSettings`, so a value the URL may not give cannot be typed
// in either, and the messages are the same. Kept free of the DOM so that Node tests can cover it.
// The lists of models and optimizers are spelt out again instead of imported from src/args.ts:
// args.ts pulls in the whole library (for `listBackends`), which belongs in the worker, not in the
// page's bundle. The records below are typed by args.ts's unions, so a model or optimizer added
// there fails to compile here until the page offers it too.
import type { ModelKind, OptimizerKind } from '../../src/args.js';
import type { BackendChoice, TrainSettings } from '../protocol.js';

/** The page's backend choices, in the order the picker lists them. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'cpu', 'webgpu', 'tfjs'];
const MODELS: Record<ModelKind, { readonly name: string; readonly chapter: number }> = { cnn: { name: 'CNN', chapter: 4 }, mlp: { name: 'MLP', chapter: 3 } };
const OPTIMIZERS: Record<OptimizerKind, true> = { adam: true, sgd: true, adamw: true, rmsprop: true, adagrad: true };
/** The models the picker offers (src/args.ts's MODEL_KINDS). */
export const PAGE_MODEL_KINDS = Object.keys(MODELS) as readonly ModelKind[];
/** The optimizers the picker offers (src/args.ts's OPTIMIZER_KINDS). */
export const PAGE_OPTIMIZER_KINDS = Object.keys(OPTIMIZERS) as readonly OptimizerKind[];

/** The book's name and chapter of a model, for the picker and the page's headline. */
export function modelInfo(kind: ModelKind): { readonly name: string; readonly chapter: number } {
  return MODELS[kind];
}

/** The defaults of the page: the CLI's, with every training and test image. */
export const DEFAULT_SETTINGS: TrainSettings = {
  model: 'cnn',
  backend: 'auto',
  epochs: 5,
  batchSize: 32,
  lr: 1e-3,
  optimizer: 'adam',
  limit: 60000,
  testLimit: 10000,
  seed: 0,
};

/** The folder the IDX files are fetched from when the URL names none (next to the page). */
export const DEFAULT_DATA = './data/';

/** Every URL parameter the page reads. */
export const URL_PARAMETERS: readonly string[] = ['backend', 'model', 'epochs', 'batchSize', 'lr', 'optimizer', 'limit', 'testLimit', 'seed', 'data', 'autostart'];

/** What the page starts from: settings, the data folder and whether to train at once. */
export interface PageParams {
  readonly settings: TrainSettings;
  /** Absolute folder URL of the IDX files, ending with `/`. */
  readonly data: string;
  readonly autostart: boolean;
}

/** What {@link parsePageParams} gives: the parameters (defaults where a value was bad) and the first problem. */
export interface ParsedPageParams {
  readonly params: PageParams;
  /** `null` when every parameter was good, else what was expected and what was given. */
  readonly error: string | null;
}

type Parser<T> = (name: string, raw: string) => T;

const integer =
  (min: number): Parser<number> =>
  (name, raw) => {
    const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!Number.isSafeInteger(n) || n < min) {
      throw new RangeError(`${name} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer, got ${JSON.stringify(raw)}`);
    }
    return n;
  };

const positiveNumber: Parser<number> = (name, raw) => {
  const n = /^\+?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`${name} must be a positive number such as 0.001 or 1e-3, got ${JSON.stringify(raw)}`);
  return n;
};

const choice =
  <T extends string>(allowed: readonly T[]): Parser<T> =>
  (name, raw) => {
    if (!(allowed as readonly string[]).includes(raw)) throw new RangeError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
    return raw as T;
  };

const PARSERS: { readonly [K in keyof TrainSettings]: Parser<TrainSettings[K]> } = {
  backend: choice(BACKEND_CHOICES),
  model: choice(PAGE_MODEL_KINDS),
  epochs: integer(1),
  batchSize: integer(1),
  lr: positiveNumber,
  optimizer: choice(PAGE_OPTIMIZER_KINDS),
  limit: integer(1),
  testLimit: integer(1),
  seed: integer(0),
};

/**
 * Reads the training settings through `get` (a URL's `searchParams.get`, or the form's value of
 * that name): a value that is absent (`null`) takes its default; a bad one throws a `RangeError`
 * saying what the setting must be and what was given, e.g. `epochs must be a positive integer,
 * got "abc"`.
 */
export function readSettings(get: (name: keyof TrainSettings) => string | null): TrainSettings {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(PARSERS) as (keyof TrainSettings)[]) {
    const raw = get(key);
    out[key] = raw === null ? DEFAULT_SETTINGS[key] : (PARSERS[key] as Parser<unknown>)(key, raw);
  }
  return out as unknown as TrainSettings;
}

/**
 * Resolves the `data` parameter (a folder URL, relative to the page or absolute) to an absolute
 * URL ending with `/`, as the worker's `load-data` wants it.
 */
export function resolveDataFolder(raw: string, pageUrl: string): string {
  if (raw.trim() === '') throw new RangeError(`data must be the URL of a folder holding the Fashion-MNIST IDX files (e.g. ./data/), got ""`);
  let url: URL;
  try {
    url = new URL(raw, pageUrl);
  } catch {
    throw new RangeError(`data must be the URL of a folder holding the Fashion-MNIST IDX files (e.g. ./data/), got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`data must be an http or https URL (the page fetches the files), got ${JSON.stringify(raw)}`);
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/**
 * The page's parameters from its URL. Unknown parameters are an error too (a misspelt `epoch=1`
 * would otherwise train for the default 5 epochs without a word). Every good parameter is kept;
 * a bad one takes its default, `autostart` is then off, and `error` says what was wrong.
 */
export function parsePageParams(pageUrl: string): ParsedPageParams {
  const url = new URL(pageUrl);
  const query = url.searchParams;
  const problems: string[] = [];
  for (const name of new Set(query.keys())) {
    if (!URL_PARAMETERS.includes(name)) problems.push(`unknown URL parameter ${JSON.stringify(name)}; expected one of ${URL_PARAMETERS.join(', ')}`);
    else if (query.getAll(name).length > 1) problems.push(`${name} is given ${query.getAll(name).length} times in the URL; give it once`);
  }
  const settings = readSettings((name) => {
    const raw = query.get(name);
    if (raw === null) return null;
    try {
      PARSERS[name](name, raw);
      return raw;
    } catch (e) {
      problems.push((e as Error).message);
      return null;
    }
  });
  let data = resolveDataFolder(DEFAULT_DATA, pageUrl);
  const rawData = query.get('data');
  if (rawData !== null) {
    try {
      data = resolveDataFolder(rawData, pageUrl);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  const rawAutostart = query.get('autostart');
  if (rawAutostart !== null && rawAutostart !== '1' && rawAutostart !== '0') problems.push(`autostart must be 1 (train at once) or 0, got ${JSON.stringify(rawAutostart)}`);
  const error = problems.length === 0 ? null : problems.join('; ');
  return { params: { settings, data, autostart: rawAutostart === '1' && error === null }, error };
}
