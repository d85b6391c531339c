// Runs Debian's PyTorch/torchvision (/usr/bin/python3; scripts/ensure-torch.sh installs them in CI)
// at test time to write reference state dicts, inputs and outputs as safetensors files.
import { spawnSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';

/** Why the PyTorch cross-checks cannot run here, or null when they can. */
export function torchMissingReason(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} cannot run (${r.error.message}); install Debian's python3-torch and python3-torchvision (scripts/ensure-torch.sh)`;
  if (r.status !== 0) return `${PYTHON} cannot import torch and torchvision; install Debian's python3-torch and python3-torchvision (scripts/ensure-torch.sh)`;
  return null;
}

/**
 * A Python helper `save(path, tensors: dict)` writing a safetensors file by hand (8-byte
 * little-endian header length, JSON header, raw little-endian data), so no safetensors package is
 * needed.
 */
export const PY_SAVE_SAFETENSORS = `
import json, struct, torch
def save(path, tensors):
    names = {torch.float32: 'F32', torch.float64: 'F64', torch.int64: 'I64', torch.int32: 'I32'}
    header, blobs, offset = {}, [], 0
    for k, t in tensors.items():
        t = t.detach().contiguous().cpu()
        b = t.numpy().tobytes()
        header[k] = {'dtype': names[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
`;

/** Runs `script` (after {@link PY_SAVE_SAFETENSORS}) with `args` as `sys.argv[1:]`; throws with Python's stderr on failure. */
export function runPython(script: string, args: string[], timeoutMs = 120_000): string {
  const r = spawnSync(PYTHON, ['-c', PY_SAVE_SAFETENSORS + script, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}
