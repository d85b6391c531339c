/**
 * Reading the fixtures that `scripts/fixtures/generate.sh` computes with PyTorch
 * (`fixtures/generated/*.json`): the same tensor format as the golden files (decode them with
 * `goldenData`/`goldenToTensor`), each case with an `id` and fields of its own file's schema.
 */
import { readFixtureJson } from './fixture-files.js';
import type { GoldenTensor } from './golden.js';

/** A generated fixture file: the generator line (module and library versions), what it holds, its cases. */
export interface GeneratedFile<C = GeneratedCase> {
  /** `tensorgrad scripts/fixtures (<module>); PyTorch … CPU, torchvision …, numpy …, single-threaded`. */
  generator: string;
  /** What the file holds and how its cases are laid out. */
  description: string;
  cases: C[];
}

/** The fields every generated case has; each file adds its own (see its generator module). */
export interface GeneratedCase {
  id: string;
}

/**
 * A case of `random.json`: `torch.manual_seed(seed)` then the draws of `code`, each recorded under
 * `values` in drawing order (a module's parameters under their state-dict names, prefixed by the
 * module's position for several modules: `0.weight`, `0.bias`, `1.weight`, …).
 */
export interface RandomStreamCase extends GeneratedCase {
  seed: number;
  code: string;
  values: Record<string, GoldenTensor>;
}

/**
 * A case of `transforms.json` (torchvision's tensor transforms): either an input image
 * (`image/<name>`, the tensor under `image`), or a transform applied to the image named by
 * `input` — a functional (`fn`, with `args` and camelCase `kwargs`) or a class (`cls`, with
 * `args`, `kwargs`, and `seed` for `torch.manual_seed`; `params` = its `get_params` for that
 * seed, `repr` = torchvision's repr) — with torchvision's `output`.
 */
export interface TransformCase extends GeneratedCase {
  image?: GoldenTensor;
  fn?: string;
  cls?: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  seed?: number;
  code?: string;
  repr?: string;
  input?: string;
  output?: GoldenTensor;
  params?: unknown;
}

/**
 * Loads (and caches) a file of `fixtures/generated/` by name, with or without `.json`: the values
 * `scripts/fixtures/generate.sh` computed with PyTorch (decode tensors with `goldenData` or
 * `goldenToTensor`).
 *
 * @example
 * ```ts
 * import { loadGenerated, goldenData, type RandomStreamCase } from '@tensorgrad/conformance';
 * const random = loadGenerated<RandomStreamCase>('random');
 * const c = random.cases.find((k) => k.id === 'rand/seed0/5')!;
 * c.code; // 'torch.manual_seed(0); torch.rand(5)'
 * goldenData(c.values.out!).length; // 5
 * ```
 */
export function loadGenerated<C extends GeneratedCase = GeneratedCase>(file: string): GeneratedFile<C> {
  return readFixtureJson(
    'generated',
    file,
    'loadGenerated',
    'a file written by `bash scripts/fixtures/generate.sh` (one per module of scripts/fixtures/tgfixtures/registry.py)',
  ) as GeneratedFile<C>;
}
