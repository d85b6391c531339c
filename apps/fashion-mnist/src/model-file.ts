// Model files as bytes, without Node: the CLI reads and writes them on disk, the web page gets them
// from a file picker and hands them to a download link, and both must agree on the format (one
// model.safetensors loads in either, and in PyTorch). So the byte-level half lives here, free of
// node:fs, and the CLI's file functions wrap it.
import { loadCheckpoint, loadSafetensors, saveSafetensors, tidy, Tensor } from 'tensorgrad';
import type { ModelKind } from './args.js';
import { buildModel, inferModelKind } from './models.js';

/** The `__metadata__` key of model.safetensors that names the architecture. */
export const MODEL_METADATA_KEY = 'tensorgrad.fashion-mnist.model';

/** A model rebuilt from a file by {@link modelFromSafetensors}. */
export interface LoadedModel {
  /** The architecture. */
  kind: ModelKind;
  /** The model with the file's weights, on the current backend. */
  model: ReturnType<typeof buildModel>;
}

function disposeAll(value: unknown): void {
  if (value instanceof Tensor) {
    if (!value.isDisposed) value.dispose();
  } else if (Array.isArray(value)) value.forEach(disposeAll);
  else if (value !== null && typeof value === 'object') Object.values(value).forEach(disposeAll);
}

/**
 * Rebuilds a trained model from the bytes of a safetensors file: a checkpoint
 * (`checkpoint.safetensors`, `saveCheckpoint`'s format, whose settings name the model) or a plain
 * state dict (the CLI's `model.safetensors`, whose metadata names it, or one saved by PyTorch with
 * PyTorch's keys). The architecture comes from that name, else from the shapes, else from
 * `fallback`; `name` (the file's path or name) goes into the error messages. The model is built
 * on the current backend.
 *
 * @example
 * ```ts
 * import { buildModel, modelFromSafetensors, modelSafetensors } from '@tensorgrad/fashion-mnist';
 * const mlp = buildModel('mlp');
 * const bytes = await modelSafetensors(mlp, 'mlp');
 * const { kind, model } = await modelFromSafetensors(bytes, 'model.safetensors');
 * kind; // 'mlp'
 * const [a, b] = [model.stateDict()['2.bias']!, mlp.stateDict()['2.bias']!];
 * JSON.stringify(await a.array()) === JSON.stringify(await b.array()); // true
 * a.dispose();
 * b.dispose();
 * model.dispose();
 * mlp.dispose();
 * ```
 */
export async function modelFromSafetensors(bytes: Uint8Array, name: string, fallback: ModelKind | null = null): Promise<LoadedModel> {
  let tensors: Record<string, Tensor>;
  let declared: unknown = null;
  let loaded: unknown;
  try {
    const ckpt = await loadCheckpoint(bytes);
    loaded = ckpt;
    tensors = ckpt.model;
    declared = (ckpt.settings as { model?: unknown } | undefined)?.model ?? null;
  } catch (e) {
    if (!/plain safetensors file/.test((e as Error).message)) throw new Error(`${name}: ${(e as Error).message}`);
    const plain = await loadSafetensors(bytes).catch((err: unknown) => {
      throw new Error(`${name}: not a safetensors file: ${(err as Error).message}`);
    });
    loaded = plain.tensors;
    tensors = plain.tensors;
    declared = plain.metadata[MODEL_METADATA_KEY] ?? null;
  }
  try {
    const inferred = inferModelKind(tensors);
    const kind = declared === 'cnn' || declared === 'mlp' ? declared : (inferred ?? fallback);
    if (kind === null) {
      throw new Error(`${name}: cannot tell the architecture (no "${MODEL_METADATA_KEY}" metadata, and '0.weight' is not the cnn's [64, 1, 3, 3] or the mlp's [1000, 784]); pass --model cnn|mlp`);
    }
    const model = buildModel(kind);
    try {
      model.loadStateDict(tensors);
    } catch (e) {
      model.dispose();
      throw new Error(`${name}: the weights do not fit the ${kind} architecture: ${(e as Error).message}`);
    }
    return { kind, model };
  } finally {
    disposeAll(loaded);
  }
}

/**
 * The bytes of `model.safetensors` for a model of architecture `kind`: its state dict under
 * PyTorch's keys, with the metadata PyTorch's loader expects (`format: 'pt'`) and the
 * architecture's name (read back by {@link modelFromSafetensors}).
 *
 * @example
 * ```ts
 * import { readSafetensorsHeader } from 'tensorgrad';
 * import { buildModel, MODEL_METADATA_KEY, modelSafetensors } from '@tensorgrad/fashion-mnist';
 * const mlp = buildModel('mlp');
 * const header = readSafetensorsHeader(await modelSafetensors(mlp, 'mlp'));
 * header.metadata[MODEL_METADATA_KEY]; // 'mlp'
 * Object.keys(header.tensors).sort(); // ['0.bias', '0.weight', '2.bias', '2.weight']
 * mlp.dispose();
 * ```
 */
export async function modelSafetensors(model: { stateDict(): Record<string, Tensor> }, kind: ModelKind): Promise<Uint8Array> {
  // copies taken now, synchronously: the page saves while training runs, and an optimizer step
  // during the asynchronous reads below must not mix two versions of the weights into one file
  const snapshot = tidy(() => {
    const copies: Record<string, Tensor> = {};
    for (const [key, t] of Object.entries(model.stateDict())) copies[key] = t.clone();
    return copies;
  });
  try {
    return await saveSafetensors(snapshot, undefined, modelFileOptions(kind));
  } finally {
    disposeAll(snapshot);
  }
}

/**
 * The `saveSafetensors` options of model.safetensors for architecture `kind` (shared by the CLI,
 * which writes the file, and {@link modelSafetensors}).
 *
 * @example
 * ```ts
 * import { modelFileOptions } from '@tensorgrad/fashion-mnist';
 * modelFileOptions('cnn').metadata.format; // 'pt'
 * ```
 */
export function modelFileOptions(kind: ModelKind): { metadata: Record<string, string> } {
  return { metadata: { format: 'pt', [MODEL_METADATA_KEY]: kind } };
}
