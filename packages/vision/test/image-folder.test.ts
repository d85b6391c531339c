import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromTypedArray, Tensor, tidy } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { Dataset } from '@tensorgrad/data';
import { encodeJpeg, encodePng, ImageFolder, IMG_EXTENSIONS } from '@tensorgrad/vision';

let root = '';
const png = async (v: number): Promise<Uint8Array> => encodePng(fromTypedArray(new Int32Array(12).fill(v), [1, 3, 4]));

// root/{cat,dog,Zebra,bird.png(file),empty-ish}: mixed case, nested folders, a link, non-images
const FILES: Record<string, number> = {
  'cat/b.png': 1,
  'cat/a.PNG': 2,
  'cat/sub/c.png': 3,
  'cat/sub-2/d.png': 4,
  'cat/notes.txt': 0,
  'dog/x.jpg': 5,
  'dog/y.png': 6,
  'Zebra/z.png': 7,
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tg-image-folder-'));
  for (const [rel, v] of Object.entries(FILES)) {
    const full = join(root, rel);
    await mkdir(join(full, '..'), { recursive: true });
    if (rel.endsWith('.txt')) await writeFile(full, 'not an image');
    else if (rel.endsWith('.jpg')) await writeFile(full, await encodeJpeg(fromTypedArray(new Int32Array(12).fill(v * 30), [1, 3, 4]), { quality: 100 }));
    else await writeFile(full, await png(v * 30));
  }
  await writeFile(join(root, 'bird.png'), await png(0)); // a file at the top: not a class
  await symlink(join(root, 'dog'), join(root, 'cat', 'linked-dog'));
});
afterAll(async () => {
  await rm(root, { recursive: true });
});

describe('ImageFolder', () => {
  const rel = (ds: ImageFolder<unknown, unknown>): [string, number][] => ds.samples.map(([p, c]) => [p.slice(root.length + 1), c]);
  const expected: [string, number][] = [
    ['Zebra/z.png', 0],
    ['cat/a.PNG', 1],
    ['cat/b.png', 1],
    ['cat/linked-dog/x.jpg', 1],
    ['cat/linked-dog/y.png', 1],
    ['cat/sub/c.png', 1], // os.walk's folders sorted by path: 'cat/sub' < 'cat/sub-2'
    ['cat/sub-2/d.png', 1],
    ['dog/x.jpg', 2],
    ['dog/y.png', 2],
  ];

  it("lists classes and samples in torchvision's order (classes, folder paths, file names; links followed)", () => {
    const ds = new ImageFolder(root);
    expect(ds).toBeInstanceOf(Dataset);
    expect(ds.classes).toEqual(['Zebra', 'cat', 'dog']);
    expect(ds.classToIdx).toEqual({ Zebra: 0, cat: 1, dog: 2 });
    expect(rel(ds)).toEqual(expected);
    expect(ds.targets).toEqual(expected.map(([, c]) => c));
    expect(ds.length).toBe(9);
    expect(ds.imgs).toBe(ds.samples);
  });

  it("matches torchvision.datasets.ImageFolder on the same folder (Debian's python3-torchvision)", () => {
    const py = spawnSync('/usr/bin/python3', ['-c', `
import json, sys
from torchvision.datasets import ImageFolder
ds = ImageFolder(sys.argv[1], loader=lambda p: p)
print(json.dumps({"classes": ds.classes, "samples": [[p[len(sys.argv[1]) + 1:], c] for p, c in ds.samples]}))
`, root], { encoding: 'utf8' });
    if (py.status !== 0) {
      // python3-torchvision is installed by scripts/ensure-torch.sh; without it the order above is the check
      expect(py.stderr).toMatch(/No module named|not found|ENOENT/);
      return;
    }
    const tv = JSON.parse(py.stdout) as { classes: string[]; samples: [string, number][] };
    const ds = new ImageFolder(root);
    expect(ds.classes).toEqual(tv.classes);
    expect(rel(ds)).toEqual(tv.samples);
  });

  it('get(i) loads RGB int32 images, applies transform/targetTransform and frees the loaded image', async () => {
    const ds = new ImageFolder(root);
    const [img, target] = await ds.get(2); // cat/b.png, value 30
    expect(img).toBeInstanceOf(Tensor);
    expect([img.shape, img.dtype, target]).toEqual([[3, 3, 4], 'int32', 1]);
    expect(new Set(await img.data())).toEqual(new Set([30]));
    const [jpg] = await ds.get(7); // dog/x.jpg (gray JPEG, value 150)
    expect(jpg.shape).toEqual([3, 3, 4]);
    img.dispose();
    jpg.dispose();
    let loaded: Tensor | undefined;
    const t = new ImageFolder(root, {
      loader: async (p) => (loaded = await ds.loader(p)),
      transform: (x) => tidy(() => x.float().div(255)),
      targetTransform: (c) => `class ${c}`,
    });
    const [f, name] = await t.get(0);
    expect(await f.max().item()).toBeCloseTo(210 / 255, 6);
    expect(name).toBe('class 0');
    expect(loaded!.isDisposed).toBe(true); // the transform made a new tensor
    f.dispose();
    const kept = new ImageFolder(root, { loader: async (p) => (loaded = await ds.loader(p)), transform: (x) => x });
    const [same] = await kept.get(0);
    expect(same).toBe(loaded);
    expect(same.isDisposed).toBe(false);
    same.dispose();
    await expect(ds.get(9)).rejects.toThrow(/index 9 is out of range for a dataset of length 9/);
    // a negative index counts from the end, as samples[-1] does in Python
    const [last, lastTarget] = await ds.get(-1);
    expect(lastTarget).toBe(ds.targets[8]);
    (last as { dispose(): void }).dispose();
  });

  it('takes a loader, isValidFile, extensions and the positional form', async () => {
    expect(() => new ImageFolder(root, { extensions: ['.jpg'] })).toThrow(/found no valid file for the classes Zebra in .*; supported extensions are: .jpg/);
    expect(rel(new ImageFolder(root, { extensions: ['.JPG', '.png'] }))).toEqual(expected); // case-insensitive
    await expect(async () => new ImageFolder(join(root, 'cat'), { extensions: '.jpg' })).rejects.toThrow(/found no valid file for the classes sub, sub-2 in .*; supported extensions are: .jpg/);
    const valid = new ImageFolder(join(root, 'cat'), { isValidFile: (p) => p.endsWith('c.png') || p.endsWith('d.png') || p.endsWith('y.png') });
    expect(valid.classes).toEqual(['linked-dog', 'sub', 'sub-2']);
    expect(valid.length).toBe(3);
    const paths = new ImageFolder(root, null, null, (p) => fromTypedArray(new Int32Array([p.length]), [1]));
    expect((await (await paths.get(0))[0].array())).toEqual([join(root, 'Zebra/z.png').length]);
    expect(IMG_EXTENSIONS).toContain('.webp');
  });

  it('refuses a missing root, a root without class folders, both extensions and isValidFile, unknown keys; an undecodable listed file fails in get', async () => {
    expect(() => new ImageFolder(join(root, 'nope'))).toThrow(/cannot list '.*nope'.*one sub-folder per class/);
    expect(() => new ImageFolder(join(root, 'Zebra'))).toThrow(/couldn't find any class folder in/);
    expect(() => new ImageFolder(root, { extensions: ['.png'], isValidFile: () => true })).toThrow(/either extensions or isValidFile, not both/);
    expect(() => new ImageFolder(root, { transfrom: (x: Tensor) => x } as never)).toThrow(/transfrom/);
    expect(() => new ImageFolder(root, { transform: 3 } as never)).toThrow(/transform to be a function/);
    const dir = await mkdtemp(join(tmpdir(), 'tg-image-folder-bmp-'));
    try {
      await mkdir(join(dir, 'a'));
      await writeFile(join(dir, 'a', 'x.bmp'), new Uint8Array([0x42, 0x4d, 0, 0, 0, 0, 0, 0]));
      const ds = new ImageFolder(dir);
      expect(ds.length).toBe(1);
      await expect(ds.get(0)).rejects.toThrow(/looks like BMP, a format tensorgrad cannot decode.*x.bmp/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
