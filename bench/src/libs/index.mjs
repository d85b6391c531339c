// The libraries the suite compares, in column order. Each runs in its own child process.

export const LIBRARIES = [
  { id: 'tensorgrad', title: 'tensorgrad cpu', load: async () => (await import('./tensorgrad.mjs')).createLibrary(1) },
  // the same backend with its GEMM threads (issue #6 allows 2): a variant of the base, compared with it, not a peer
  { id: 'tensorgrad-2t', title: 'tensorgrad cpu 2 threads', variantOf: 'tensorgrad', load: async () => (await import('./tensorgrad.mjs')).createLibrary(2) },
  { id: 'tfjs-cpu', title: 'tfjs-cpu', load: async () => (await import('./tfjs.mjs')).createLibrary('cpu') },
  { id: 'tfjs-wasm', title: 'tfjs-wasm', load: async () => (await import('./tfjs.mjs')).createLibrary('wasm') },
  // an optional peer: measured when @jax-js/jax is installed
  { id: 'jax-wasm', title: 'jax-js wasm', optional: true, load: async () => (await import('./jax.mjs')).createLibrary() },
];

export function libraryById(id) {
  const lib = LIBRARIES.find((l) => l.id === id);
  if (!lib) throw new Error(`bench: unknown library '${id}': expected one of ${LIBRARIES.map((l) => l.id).join(', ')}`);
  return lib;
}
