// The libraries the suite compares, in column order. Each runs in its own child process.

export const LIBRARIES = [
  { id: 'tensorgrad', title: 'tensorgrad cpu', load: async () => (await import('./tensorgrad.mjs')).createLibrary() },
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
