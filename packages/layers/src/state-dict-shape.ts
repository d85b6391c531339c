import { Tensor } from '@tensorgrad/tensor';

function holdsTensors(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || v instanceof Tensor) return false;
  const values = v instanceof Map ? [...(v as Map<unknown, unknown>).values()] : Object.values(v);
  return values.some((x) => x instanceof Tensor);
}

/**
 * When `entries` is not a state dict but an object holding one (the `{ tensors, metadata }` of
 * `loadSafetensors`, the `{ model, optimizer, … }` of `loadCheckpoint`, a `{ state_dict }`
 * wrapper), what to pass instead; otherwise `null`. Only when no top-level key is one of the
 * module's, so a genuine partial state dict is never mistaken for a wrapper.
 * @internal
 */
export function wrappedStateDictHint(entries: ReadonlyMap<string, unknown>, own: ReadonlyMap<string, unknown>): string | null {
  if ([...entries.keys()].some((k) => own.has(k))) return null;
  const inner = [...entries.keys()].find((k) => holdsTensors(entries.get(k)));
  if (inner === undefined) return null;
  if (inner === 'tensors' && entries.has('metadata')) {
    return (
      'expected a state dict (name -> Tensor), got the result of loadSafetensors(), { tensors, metadata }; ' +
      'pass its tensors: model.loadStateDict((await loadSafetensors(path)).tensors)'
    );
  }
  if (inner === 'model') {
    return (
      "expected a state dict (name -> Tensor), got an object holding one under 'model' (as loadCheckpoint() returns); " +
      'pass it: model.loadStateDict((await loadCheckpoint(path)).model)'
    );
  }
  const access = /^[A-Za-z_$][\w$]*$/.test(inner) ? `.${inner}` : `[${JSON.stringify(inner)}]`;
  return `expected a state dict (name -> Tensor), got an object holding one under ${JSON.stringify(inner)}; pass that: model.loadStateDict(x${access})`;
}
