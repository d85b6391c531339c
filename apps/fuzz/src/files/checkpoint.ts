/**
 * `files/checkpoint`: hostile training checkpoints for `loadCheckpoint` (`@tensorgrad/io`). Each
 * case writes a small checkpoint with `saveCheckpoint` (model tensors, optimizer state with
 * tensors, an epoch, `Infinity`, a `Map`), then mutates it: the safetensors mutations (bytes and
 * header) plus the checkpoint JSON's own — `$tensor` naming a missing tensor or `__proto__` /
 * `constructor`, malformed `$map` / `$number` / `$object` markers, content nested 10^5 deep,
 * keys named `__proto__`, a wrong format or version, metadata that is not JSON.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_METADATA_KEY, loadCheckpoint, saveCheckpoint, type LoadedCheckpoint } from '@tensorgrad/io';
import { Tensor, tensor, tidy } from '@tensorgrad/tensor';
import type { FuzzTarget } from '../target.js';
import { chooser, judgeRead, mutateBytes, mutateSome, type Chooser, type Mutated } from './hostile.js';
import { mutateSafetensorsHeader, safetensorsFile, splitSafetensors, tensorBytes } from './safetensors.js';

/** Rewrites the checkpoint JSON inside the file's `__metadata__` (the tensors stay as they are). */
function mutateCheckpointJson(c: Chooser, file: Uint8Array): Mutated {
  const parts = splitSafetensors(file);
  const meta = parts?.header.__metadata__ as Record<string, unknown> | undefined;
  const json = meta?.[CHECKPOINT_METADATA_KEY];
  if (!parts || typeof json !== 'string') return mutateBytes(c, file);
  let doc: { content: Record<string, unknown> } & Record<string, unknown>;
  try {
    doc = JSON.parse(json) as typeof doc;
    JSON.stringify(doc);
  } catch {
    return mutateBytes(c, file); // not JSON, or too deep to re-serialize: an earlier mutation's work
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return mutateBytes(c, file);
  const content = doc.content !== null && typeof doc.content === 'object' ? doc.content : (doc.content = {});
  let text: string | undefined;
  let what: string;
  switch (c.int(9)) {
    case 0: {
      const name = c.pick(['__proto__', 'constructor', 'toString', 'missing.tensor', '', 5, null, { a: 1 }]);
      content[c.pick(['extra', 'epoch', 'model'])] = { $tensor: name };
      what = `a $tensor naming ${JSON.stringify(name)}`;
      break;
    }
    case 1: {
      const v = c.pick<unknown>(['x', 5, null, { a: 1 }, [1, 2], [[1]], [[1, 2, 3]], [null], [[{ $tensor: 'nope' }, 1]]]);
      content.history = { $map: v };
      what = `$map set to ${JSON.stringify(v)}`;
      break;
    }
    case 2: {
      const v = c.pick<unknown>([{ a: 1 }, null, [1], 'NaN', '1e999', 'x', 7]);
      content.best = { $number: v };
      what = `$number set to ${JSON.stringify(v)}`;
      break;
    }
    case 3: {
      const v = c.pick<unknown>([null, [1, 2], 'x', 5, { __proto__x: 1 }]);
      content.opts = { $object: v };
      what = `$object set to ${JSON.stringify(v)}`;
      break;
    }
    case 4: {
      const depth = c.pick([100, 1000, 10_000, 100_000]);
      const open = c.chance(0.5) ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      doc.content.deep = 0;
      const base = JSON.stringify(doc);
      text = base.replace('"deep":0', `"deep":${open.repeat(depth)}0${close.repeat(depth)}`);
      what = `content nested ${depth} deep (${open === '[' ? 'arrays' : 'objects'})`;
      break;
    }
    case 5: {
      const base = JSON.stringify(doc);
      const key = c.pick(['__proto__', 'constructor', 'prototype']);
      text = base.replace('"epoch":', `"${key}":{"polluted":1},"epoch":`);
      what = `a content key named ${key}`;
      break;
    }
    case 6: {
      const v = c.pick<[string, unknown]>([['format', 'other'], ['version', 2], ['content', null], ['content', 5], ['content', []]]);
      doc[v[0]] = v[1];
      what = `${v[0]} set to ${JSON.stringify(v[1])}`;
      break;
    }
    case 7:
      text = c.pick(['', '{', 'null', '[]', '"x"', json.slice(0, json.length >> 1)]);
      what = `the checkpoint entry replaced by ${JSON.stringify(text.slice(0, 20))}`;
      break;
    default: {
      // the model entry made a non-dict, or a model tensor moved out of it
      const v = c.pick<unknown>([null, 5, 'x', [], [{ $tensor: 'model.w' }]]);
      content.model = v;
      what = `model set to ${JSON.stringify(v)}`;
    }
  }
  text ??= JSON.stringify(doc);
  const header = { ...parts.header, __metadata__: { ...meta, [CHECKPOINT_METADATA_KEY]: text } };
  let headerText: string;
  try {
    headerText = JSON.stringify(header);
  } catch {
    return mutateBytes(c, file);
  }
  return { bytes: safetensorsFile(headerText, parts.data), what };
}

let dir: string | undefined;

/** A small checkpoint written by `saveCheckpoint` (through a temporary file, the only way it writes). */
async function validCheckpoint(c: Chooser): Promise<{ bytes: Uint8Array; what: string }> {
  dir ??= mkdtempSync(join(tmpdir(), 'tensorgrad-fuzz-ckpt-'));
  const made: Tensor[] = [];
  const t = (v: number[], shape: number[]): Tensor => {
    const x = tidy(() => tensor(v).reshape(shape));
    made.push(x);
    return x;
  };
  const n = 1 + c.int(3);
  const model: Record<string, Tensor> = {};
  for (let i = 0; i < n; i++) {
    const k = 1 + c.int(4);
    model[c.pick(['w', 'b', '0.weight', '__proto__x', 'fc.bias']) + i] = t(Array.from({ length: k }, () => c.next()), [k]);
  }
  const file = join(dir, `case-${process.pid}.safetensors`);
  try {
    await saveCheckpoint(file, {
      model,
      optimizer: c.chance(0.6) ? { state: { 0: { step: t([c.int(9)], [1]), exp_avg: t([c.next()], [1]) } }, lr: 1e-3 } : undefined,
      epoch: c.int(100),
      best: c.pick([Infinity, -Infinity, NaN, 0.5]),
      history: new Map<unknown, unknown>([[1, 'a'], ['k', [1, 2]]]),
      marker: { $tensor: 'user-data' },
    });
    return { bytes: new Uint8Array(readFileSync(file)), what: `${n} model tensors` };
  } finally {
    for (const x of made) x.dispose();
    rmSync(file, { force: true });
  }
}

/** Every tensor in a loaded checkpoint, and the first value that is not plain data (or null). */
function walk(v: unknown, tensors: Set<Tensor>, path: string, depth = 0): string | null {
  if (depth > 1100) return `${path} nests more than 1100 levels (the reader's limit is 1000)`;
  if (v instanceof Tensor) {
    if (v.isDisposed) return `${path} is a disposed tensor`;
    tensors.add(v);
    return null;
  }
  if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) return null;
  if (typeof v !== 'object') return `${path} is a ${typeof v}, not data`;
  if (v instanceof Map) {
    for (const [k, x] of v) {
      const bad = walk(k, tensors, `${path}.key`, depth + 1) ?? walk(x, tensors, `${path}.get(${String(k)})`, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return `${path} has the prototype ${String((proto as object)?.constructor?.name)}, not a plain object's`;
  for (const k of Object.keys(v)) {
    const bad = walk((v as Record<string, unknown>)[k], tensors, `${path}.${k}`, depth + 1);
    if (bad) return bad;
  }
  return null;
}

function tensorsOf(r: LoadedCheckpoint): Set<Tensor> {
  const s = new Set<Tensor>();
  walk(r, s, 'checkpoint');
  return s;
}

/**
 * The checkpoint fuzzer (`files/checkpoint`).
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { checkpointFileTarget } from '@tensorgrad/fuzz';
 * (await checkpointFileTarget.run(1)).length > 0; // true
 * ```
 */
export const checkpointFileTarget: FuzzTarget = {
  name: 'files/checkpoint',
  async run(seed) {
    const c = chooser(this.name, seed);
    const base = await validCheckpoint(c);
    const m = mutateSome(c, base.bytes, [mutateBytes, mutateSafetensorsHeader, mutateCheckpointJson, mutateCheckpointJson, mutateCheckpointJson]);
    return judgeRead<LoadedCheckpoint>({
      id: `${this.name}:${seed}`,
      what: `${m.what} (of a checkpoint with ${base.what})`,
      bytes: m.bytes,
      read: (b) => loadCheckpoint(b, { backend: 'cpu' }),
      check: (r) => walk(r, new Set(), 'checkpoint'),
      resultBytes: (r) => tensorBytes(tensorsOf(r)),
      dispose: (r) => {
        for (const t of tensorsOf(r)) t.dispose();
      },
      errorNames: /^(loadCheckpoint|loadSafetensors|readSafetensorsHeader): /,
    });
  },
};
