import { Tensor } from '@tensorgrad/tensor';
import { jsonDepth, setOwn } from './json.js';
import { loadSafetensors, saveSafetensors, type LoadSafetensorsOptions, type StateDict } from './safetensors.js';

/** What {@link saveCheckpoint} stores: a model state dict plus any JSON-like training state. */
export interface Checkpoint {
  /** The model's state dict (`model.stateDict()`); its tensors are stored as `model.<name>`. */
  model: StateDict;
  /** Optimizer state (`optimizer.stateDict()`): plain data with tensors inside, stored as `optimizer.<path>`. */
  optimizer?: unknown;
  /** The epoch the checkpoint was taken after. */
  epoch?: number;
  /** Anything else (scheduler state, RNG seed, history…): plain data, possibly holding tensors. */
  [key: string]: unknown;
}

/** What {@link loadCheckpoint} returns: the saved object with every tensor restored. */
export interface LoadedCheckpoint {
  /** The model's state dict. */
  model: Record<string, Tensor>;
  /** The optimizer state, as saved. */
  optimizer?: unknown;
  /** The epoch, as saved. */
  epoch?: number;
  /** Every other saved entry. */
  [key: string]: unknown;
}

/** The `__metadata__` key holding the JSON of a checkpoint's non-tensor parts. */
export const CHECKPOINT_METADATA_KEY = 'tensorgrad.checkpoint';

const FORMAT = 'tensorgrad.checkpoint';
const MARKERS = ['$tensor', '$map', '$number', '$object'];

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  // a layers Module is a callable function object whose prototype is its class's
  if (typeof v === 'function' && Object.getPrototypeOf(v) !== Function.prototype) return (v as object).constructor?.name ?? 'function';
  return typeof v;
}

/** Replaces every tensor in `value` by `{ $tensor: name }` (name = dotted path), collecting them. */
function encode(value: unknown, path: string[], tensors: Map<string, Tensor>, seen: Set<object>): unknown {
  const where = path.length ? `'${path.join('.')}'` : 'the checkpoint';
  if (value instanceof Tensor) {
    const name = path.join('.');
    if (tensors.has(name)) {
      throw new Error(
        `saveCheckpoint: two tensors would both be stored as '${name}' (keys containing '.' collide with nesting); rename one of them`,
      );
    }
    tensors.set(name, value);
    return { $tensor: name };
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $number: String(value) };
  if (typeof value !== 'object') {
    throw new TypeError(
      `saveCheckpoint: ${where} is a ${kindOf(value)}; expected plain data (numbers, strings, booleans, null, arrays, plain objects, Maps) or tensors`,
    );
  }
  if (seen.has(value)) throw new TypeError(`saveCheckpoint: ${where} refers back to one of its parents; expected data without cycles`);
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v, i) => (v === undefined ? null : encode(v, [...path, String(i)], tensors, seen)));
    if (value instanceof Map) {
      return { $map: [...value].map(([k, v]) => [encode(k, [...path, 'key'], new Map(), seen), encode(v, [...path, String(k)], tensors, seen)]) };
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(
        `saveCheckpoint: ${where} is a ${kindOf(value)}; expected plain data (numbers, strings, booleans, null, arrays, plain objects, Maps) or tensors; store its state (e.g. stateDict()) instead`,
      );
    }
    const out: Record<string, unknown> = {};
    let marked = false;
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      if (MARKERS.includes(k)) marked = true;
      out[k] = encode(v, [...path, k], tensors, seen);
    }
    return marked ? { $object: out } : out;
  } finally {
    seen.delete(value);
  }
}

/** How deep a checkpoint's content may nest (optimizer states nest a few levels). */
const MAX_DEPTH = 1000;

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/**
 * Rebuilds the saved value from its JSON: `{ $tensor: name }` becomes the file's tensor `name`,
 * `$number` a non-finite number, `$map` a Map, `$object` an object whose keys are markers. Every
 * marker is checked (a malformed one is an error naming its path), keys are set as own properties
 * (a key `__proto__` stays a key) and the depth is bounded.
 */
function decode(value: unknown, tensors: Record<string, Tensor>, used: Set<string>, path: string, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) throw new Error(`${path} nests more than ${MAX_DEPTH} levels deep; expected a checkpoint's state (a few levels)`);
  if (Array.isArray(value)) return value.map((v, i) => decode(v, tensors, used, `${path}[${i}]`, depth + 1));
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const [k] = keys as [string];
    const v = obj[k];
    if (k === '$tensor') {
      if (typeof v !== 'string') throw new Error(`${path} is { $tensor: ${show(v)} }; expected the name of a tensor (a string)`);
      if (!Object.hasOwn(tensors, v)) throw new Error(`${path} refers to tensor '${v}', which the file does not contain; the file is corrupt`);
      used.add(v);
      return tensors[v];
    }
    if (k === '$number') {
      if (v !== 'NaN' && v !== 'Infinity' && v !== '-Infinity') throw new Error(`${path} is { $number: ${show(v)} }; expected "NaN", "Infinity" or "-Infinity"`);
      return Number(v);
    }
    if (k === '$map') {
      if (!Array.isArray(v) || !v.every((pair) => Array.isArray(pair) && pair.length === 2)) {
        throw new Error(`${path} is { $map: ${show(v)} }; expected an array of [key, value] pairs`);
      }
      return new Map(
        (v as Array<[unknown, unknown]>).map(([a, b], i) => [
          decode(a, tensors, used, `${path}.$map[${i}][0]`, depth + 1),
          decode(b, tensors, used, `${path}.$map[${i}][1]`, depth + 1),
        ]),
      );
    }
    if (k === '$object') {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${path} is { $object: ${show(v)} }; expected an object`);
      return decodeObject(v as Record<string, unknown>, tensors, used, path, depth);
    }
  }
  return decodeObject(obj, tensors, used, path, depth);
}

function decodeObject(obj: Record<string, unknown>, tensors: Record<string, Tensor>, used: Set<string>, path: string, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) setOwn(out, k, decode(v, tensors, used, `${path}.${k}`, depth + 1));
  return out;
}

/**
 * Saves a training checkpoint (model state dict, optimizer state, epoch, anything else) as ONE
 * safetensors file: every tensor is stored under its dotted path (`model.0.weight`,
 * `optimizer.state.0.exp_avg`, …) and the non-tensor parts as JSON in the
 * `__metadata__` entry `"tensorgrad.checkpoint"`. The write is atomic (temporary file in the same
 * directory, fsync, rename): if it fails or the process dies midway, the previous checkpoint at
 * `path` is left intact and no temporary file stays behind (on failure). Non-finite numbers and
 * `Map`s survive the round trip; class instances other than tensors are rejected.
 *
 * @example
 * ```ts
 * import { loadCheckpoint, saveCheckpoint } from '@tensorgrad/io';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { rm } from 'node:fs/promises';
 * const file = join(tmpdir(), `tensorgrad-doc-${process.pid}.safetensors`);
 * const weight = tensor([[1, 2]]);
 * const step = tensor(3);
 * await saveCheckpoint(file, { model: { weight }, optimizer: { state: { 0: { step } }, lr: 1e-3 }, epoch: 4 });
 * weight.dispose();
 * step.dispose();
 * const ckpt = await loadCheckpoint(file);
 * ckpt.epoch; // 4
 * await ckpt.model.weight!.array(); // [[1, 2]]
 * (ckpt.optimizer as { lr: number }).lr; // 0.001
 * ckpt.model.weight!.dispose();
 * (ckpt.optimizer as { state: { 0: { step: { dispose(): void } } } }).state[0].step.dispose();
 * await rm(file);
 * ```
 */
export async function saveCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  if (typeof path !== 'string') throw new TypeError(`saveCheckpoint: expected a file path (string), got ${kindOf(path)}`);
  if (checkpoint === null || typeof checkpoint !== 'object' || Array.isArray(checkpoint)) {
    throw new TypeError(`saveCheckpoint: expected an object { model, optimizer?, epoch?, ... }, got ${kindOf(checkpoint)}`);
  }
  const model = checkpoint.model;
  if (model === null || typeof model !== 'object') {
    throw new TypeError(`saveCheckpoint: expected checkpoint.model to be a state dict (record or Map of name -> Tensor), got ${kindOf(model)}${typeof model === 'function' ? ' (for a module, store model.stateDict())' : ''}`);
  }
  for (const [k, v] of model instanceof Map ? model.entries() : Object.entries(model)) {
    if (!(v instanceof Tensor)) {
      throw new TypeError(`saveCheckpoint: expected checkpoint.model[${JSON.stringify(k)}] to be a Tensor, got ${kindOf(v)}`);
    }
  }
  const tensors = new Map<string, Tensor>();
  const content: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(checkpoint)) {
    if (v === undefined) continue;
    content[k] = k === 'model' && v instanceof Map ? encode(Object.fromEntries(v), [k], tensors, new Set()) : encode(v, [k], tensors, new Set());
  }
  const metadata = { [CHECKPOINT_METADATA_KEY]: JSON.stringify({ format: FORMAT, version: 1, content }) };
  await saveSafetensors(tensors, path, { metadata });
}

/**
 * Loads a checkpoint written by {@link saveCheckpoint} from a file path or from the file's bytes
 * (in a browser, e.g. a file the user picked): the same object with every tensor restored (on
 * `options.backend`, default the current one). The caller owns the tensors.
 *
 * @example
 * ```ts
 * import { loadCheckpoint, saveCheckpoint } from '@tensorgrad/io';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { rm } from 'node:fs/promises';
 * const file = join(tmpdir(), `tensorgrad-doc-load-${process.pid}.safetensors`);
 * const bias = tensor([0.5, -0.5]);
 * await saveCheckpoint(file, { model: { bias }, epoch: 1, best: Infinity });
 * bias.dispose();
 * const { model, epoch, best } = await loadCheckpoint(file);
 * epoch; // 1
 * best === Infinity; // true
 * await model.bias!.array(); // [0.5, -0.5]
 * model.bias!.dispose();
 * await rm(file);
 * ```
 */
export async function loadCheckpoint(pathOrBytes: string | Uint8Array, options: LoadSafetensorsOptions = {}): Promise<LoadedCheckpoint> {
  const { tensors, metadata } = await loadSafetensors(pathOrBytes, options);
  const what = typeof pathOrBytes === 'string' ? `'${pathOrBytes}'` : 'the given bytes';
  const dispose = (): void => {
    for (const t of Object.values(tensors)) t.dispose();
  };
  const json = metadata[CHECKPOINT_METADATA_KEY];
  if (json === undefined) {
    dispose();
    throw new Error(
      `loadCheckpoint: ${what} ${typeof pathOrBytes === 'string' ? 'has' : 'have'} no "${CHECKPOINT_METADATA_KEY}" metadata, so it is a plain safetensors file, not a checkpoint; ` +
        'load it with loadSafetensors instead',
    );
  }
  try {
    if (jsonDepth(json, MAX_DEPTH) > MAX_DEPTH) throw new Error(`its JSON nests more than ${MAX_DEPTH} levels deep; expected a checkpoint's state (a few levels)`);
    let parsed: { format?: unknown; version?: unknown; content?: unknown };
    try {
      parsed = JSON.parse(json) as typeof parsed;
    } catch (e) {
      throw new Error(`it is not valid JSON (${(e as Error).message}); expected the JSON that saveCheckpoint writes`);
    }
    if (parsed === null || typeof parsed !== 'object' || parsed.format !== FORMAT || parsed.version !== 1 || parsed.content === null || typeof parsed.content !== 'object' || Array.isArray(parsed.content)) {
      throw new Error(
        `expected { format: '${FORMAT}', version: 1, content: { … } }, got ${parsed === null || typeof parsed !== 'object' ? show(parsed) : `format ${show(parsed.format)}, version ${show(parsed.version)}, content ${show(parsed.content)}`}`,
      );
    }
    const used = new Set<string>();
    const out = decode(parsed.content, tensors, used, 'content', 0) as LoadedCheckpoint;
    if (out.model === undefined) out.model = {};
    else if (out.model === null || typeof out.model !== 'object' || Array.isArray(out.model) || !Object.values(out.model).every((t) => t instanceof Tensor)) {
      throw new Error(`content.model is ${show(parsed.content && (parsed.content as Record<string, unknown>).model)}; expected the model's state dict (an object of tensors)`);
    }
    for (const [name, t] of Object.entries(tensors)) if (!used.has(name)) t.dispose();
    return out;
  } catch (e) {
    dispose();
    throw new Error(`loadCheckpoint: ${what} ${typeof pathOrBytes === 'string' ? 'has' : 'have'} a malformed "${CHECKPOINT_METADATA_KEY}" entry: ${(e as Error).message}`);
  }
}
