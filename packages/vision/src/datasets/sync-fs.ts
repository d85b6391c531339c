/** @internal Synchronous `node:fs` and `node:path` for dataset constructors (torchvision reads its index files there). */
type NodeFs = typeof import('node:fs');
type NodePath = typeof import('node:path');

/** @internal `node:fs` and `node:path` through `process.getBuiltinModule` (Node ≥ 20.16), or an error naming `op`. */
export function syncNodeModules(op: string): { fs: NodeFs; path: NodePath } {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; version?: string } }).process;
  const fs = p?.getBuiltinModule?.('node:fs') as NodeFs | undefined;
  const path = p?.getBuiltinModule?.('node:path') as NodePath | undefined;
  if (fs === undefined || path === undefined) {
    throw new Error(
      `${op}: reading a data set from files needs Node's 'node:fs' through process.getBuiltinModule (Node ≥ 20.16), ` +
        `which is not available here (${p?.version ? `Node ${p.version}` : 'not Node'})`,
    );
  }
  return { fs, path };
}
