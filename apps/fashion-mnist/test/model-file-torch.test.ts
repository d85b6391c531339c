// The model file the web page downloads (and the CLI writes as model.safetensors) is PyTorch's: the
// safetensors bytes of `modelSafetensors` are read by /usr/bin/python3 with torch (the header parsed
// with json + struct, since Debian has no `safetensors` Python package), loaded with
// `load_state_dict(strict=True)` into the book's nn.Sequential, and its logits on fixed inputs must
// equal tensorgrad's. Skipped with the reason when Python cannot import torch
// (scripts/ensure-torch.sh installs it for `npm test`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromTypedArray, manualSeed, noGrad, type Tensor } from 'tensorgrad';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelKind } from '../src/args.js';
import { modelSafetensors } from '../src/model-file.js';
import { buildModel, modelInputShape } from '../src/models.js';

const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
const noTorch = probe.status === 0 ? null : `${PYTHON} cannot import torch (${(probe.stderr || String(probe.error)).trim().split('\n').pop()}); scripts/ensure-torch.sh installs it`;

const SCRIPT = String.raw`
import json, struct, sys
import torch
from torch import nn
path, kind, inputs, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
raw = open(path, 'rb').read()
(length,) = struct.unpack('<Q', raw[:8])
header = json.loads(raw[8:8 + length])
meta = header.pop('__metadata__', {})
assert meta.get('format') == 'pt', meta
state = {}
for key, info in header.items():
    assert info['dtype'] == 'F32', (key, info['dtype'])
    start, end = info['data_offsets']
    t = torch.frombuffer(bytearray(raw[8 + length + start:8 + length + end]), dtype=torch.float32)
    state[key] = t.reshape(info['shape'])
if kind == 'cnn':
    model = nn.Sequential(nn.Conv2d(1, 64, 3), nn.MaxPool2d(2), nn.ReLU(), nn.Conv2d(64, 128, 3), nn.MaxPool2d(2), nn.ReLU(),
                          nn.Flatten(), nn.Linear(3200, 256), nn.ReLU(), nn.Linear(256, 10))
    shape = (n, 1, 28, 28)
else:
    model = nn.Sequential(nn.Linear(784, 1000), nn.ReLU(), nn.Linear(1000, 10))
    shape = (n, 784)
model.load_state_dict(state, strict=True)
x = torch.frombuffer(bytearray(open(inputs, 'rb').read()), dtype=torch.float32).reshape(shape)
with torch.no_grad():
    print(json.dumps({'meta': meta, 'logits': model.eval()(x).flatten().tolist()}))
`;

const dir = mkdtempSync(join(tmpdir(), 'fmnist-torch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(noTorch !== null)('the downloaded model file in PyTorch', () => {
  for (const kind of ['cnn', 'mlp'] as const satisfies readonly ModelKind[]) {
    it(`${kind}: PyTorch loads it strictly and computes tensorgrad's logits`, async () => {
      manualSeed(3);
      const model = buildModel(kind);
      const n = 3;
      // fixed inputs in [0, 1], independent of the generator
      const pixels = Float32Array.from({ length: n * 784 }, (_, i) => ((i * 7919) % 256) / 255);
      let ours: Float32Array;
      try {
        const file = join(dir, `${kind}.safetensors`);
        writeFileSync(file, await modelSafetensors(model, kind));
        const inputs = join(dir, `${kind}.f32`);
        writeFileSync(inputs, new Uint8Array(pixels.buffer));
        const logits = noGrad(() => {
          model.eval();
          return model.call(fromTypedArray(pixels, [n, ...modelInputShape(kind)])) as Tensor;
        });
        ours = (await logits.data()) as Float32Array;
        logits.dispose();
        const r = spawnSync(PYTHON, ['-c', SCRIPT, file, kind, inputs, String(n)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
        expect(r.status, `python failed: ${r.stderr}`).toBe(0);
        const torchOut = JSON.parse(r.stdout) as { meta: Record<string, string>; logits: number[] };
        expect(torchOut.logits.length).toBe(n * 10);
        expect(Object.values(torchOut.meta)).toContain(kind);
        const worst = Math.max(...torchOut.logits.map((v, i) => Math.abs(v - ours[i]!)));
        expect(worst).toBeLessThan(1e-4);
      } finally {
        model.dispose();
      }
    }, 60_000);
  }
});

it.runIf(noTorch !== null)('PyTorch is missing, so the cross-check is skipped', () => {
  console.warn(`skipping the PyTorch check of the model file: ${noTorch}`);
});
