import { sweepTarget } from './sweep/target.js';
import { LEAK_BACKENDS } from './leaks/backends.js';
import { leakTarget } from './leaks/target.js';
import { FILE_TARGETS } from './files/file-targets.js';
import type { FuzzTarget } from './target.js';

/**
 * Every fuzz target of this app, in the order `pnpm fuzz` runs them round-robin: the property
 * sweeps of the ops per backend (`ops/<backend>`), the leak probes per backend (`leaks/<backend>`)
 * and the hostile-file fuzzers of the readers (`files/<format>`). Each family joins here by one
 * line; targets that cannot run on this machine (no WebGPU adapter) say so through their
 * `unavailable()`.
 *
 * @example
 * ```ts
 * import { allTargets } from '@tensorgrad/fuzz';
 * allTargets().every((t) => /^[a-z0-9-]+\/[a-z0-9-]+$/.test(t.name)); // true
 * ```
 */
export function allTargets(): FuzzTarget[] {
  return [
    ...['cpu', 'tfjs', 'webgpu'].map(sweepTarget),
    ...LEAK_BACKENDS.map(leakTarget),
    ...FILE_TARGETS,
  ];
}

/**
 * The targets whose names start with one of `prefixes` (all of them for `null`), in registry
 * order, each once.
 *
 * @example
 * ```ts
 * import { selectTargets } from '@tensorgrad/fuzz';
 * const t = (name: string) => ({ name, run: async () => '' });
 * selectTargets([t('ops/cpu'), t('ops/webgpu'), t('files/idx')], ['ops/web', 'files']).map((x) => x.name); // ['ops/webgpu', 'files/idx']
 * ```
 */
export function selectTargets(targets: readonly FuzzTarget[], prefixes: readonly string[] | null): FuzzTarget[] {
  if (prefixes === null) return [...targets];
  return targets.filter((t) => prefixes.some((p) => t.name.startsWith(p)));
}
