import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromTypedArray, tidy, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { DataLoader } from '@tensorgrad/data';
import { detectionCollate, VOCDetection, vocDetectionTarget, writeJpeg, type VOCDetectionTarget, type VOCTarget } from '@tensorgrad/vision';
import { runPython, torchMissingReason } from './torchvision.js';
import { parseVocXml } from '../src/datasets/voc.js';

let root = '';
let base = '';

const XML_A = `<?xml version="1.0" encoding="utf-8"?>
<annotation verified="yes">
  <folder>VOC2007</folder>
  <filename>000001.jpg</filename>
  <source><database>The VOC2007 Database</database></source>
  <size><width>8</width><height>6</height><depth>3</depth></size>
  <segmented>0</segmented>
  <!-- a comment -->
  <object>
    <name>dog</name><pose>Left</pose><truncated>1</truncated><difficult>0</difficult>
    <bndbox><xmin>1</xmin><ymin>2</ymin><xmax>5</xmax><ymax>6</ymax></bndbox>
  </object>
  <object>
    <name>person</name><pose>Unspecified</pose><truncated>0</truncated><difficult>1</difficult>
    <bndbox><xmin> 2 </xmin><ymin>1</ymin><xmax>8</xmax><ymax>4.5</ymax></bndbox>
    <part><name>head</name><bndbox><xmin>2</xmin><ymin>1</ymin><xmax>3</xmax><ymax>2</ymax></bndbox></part>
    <part><name>hand</name><bndbox><xmin>6</xmin><ymin>3</ymin><xmax>7</xmax><ymax>4</ymax></bndbox></part>
  </object>
</annotation>`;
const XML_B = `<annotation><filename>000002.jpg</filename><size><width>4</width><height>3</height></size><empty/></annotation>`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tg-voc-'));
  base = join(root, 'VOCdevkit', 'VOC2007');
  for (const d of ['Annotations', 'JPEGImages', 'ImageSets/Main']) await mkdir(join(base, d), { recursive: true });
  await writeFile(join(base, 'ImageSets/Main/train.txt'), '000001\n000002\r\n\n');
  await writeFile(join(base, 'ImageSets/Main/val.txt'), '000003\n000004\n000005\n');
  await writeFile(join(base, 'ImageSets/Main/dog_train.txt'), '000001  1\n');
  await writeFile(join(base, 'Annotations/000001.xml'), XML_A);
  await writeFile(join(base, 'Annotations/000002.xml'), XML_B);
  await writeFile(join(base, 'Annotations/000003.xml'), '<annotation><object><name>dog</name></annotation>');
  await writeFile(join(base, 'Annotations/000004.xml'), '<notvoc/>');
  const img = (h: number, w: number, v: number) => fromTypedArray(new Int32Array(3 * h * w).fill(v), [3, h, w]);
  await writeJpeg(img(6, 8, 100), join(base, 'JPEGImages/000001.jpg'));
  await writeJpeg(img(3, 4, 200), join(base, 'JPEGImages/000002.jpg'));
  await writeJpeg(img(3, 4, 50), join(base, 'JPEGImages/000003.jpg'));
  await writeJpeg(img(3, 4, 50), join(base, 'JPEGImages/000004.jpg'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('VOCDetection', () => {
  it('reads the set and parses annotations into torchvision\'s dict', async () => {
    const voc = new VOCDetection(root, { year: '2007', imageSet: 'train' });
    expect(voc.length).toBe(2);
    expect(voc.ids).toEqual(['000001', '000002']);
    const [image, target] = await voc.get(0);
    expect(image.shape).toEqual([3, 6, 8]);
    expect(image.dtype).toBe('int32');
    // what torchvision's VOCDetection.parse_voc_xml gives for XML_A (written out by hand)
    expect(target).toEqual({
      annotation: {
        folder: 'VOC2007',
        filename: '000001.jpg',
        source: { database: 'The VOC2007 Database' },
        size: { width: '8', height: '6', depth: '3' },
        segmented: '0',
        object: [
          { name: 'dog', pose: 'Left', truncated: '1', difficult: '0', bndbox: { xmin: '1', ymin: '2', xmax: '5', ymax: '6' } },
          {
            name: 'person',
            pose: 'Unspecified',
            truncated: '0',
            difficult: '1',
            bndbox: { xmin: '2', ymin: '1', xmax: '8', ymax: '4.5' },
            part: [
              { name: 'head', bndbox: { xmin: '2', ymin: '1', xmax: '3', ymax: '2' } },
              { name: 'hand', bndbox: { xmin: '6', ymin: '3', xmax: '7', ymax: '4' } },
            ],
          },
        ],
      },
    });
    // no objects: an empty list; an empty element disappears (torchvision: node.text is None)
    const [, t2] = await voc.get(-1);
    expect(t2).toEqual({ annotation: { filename: '000002.jpg', size: { width: '4', height: '3' }, object: [] } });
  });

  it.skipIf(torchMissingReason() !== null)('parses as torchvision\'s VOCDetection.parse_voc_xml does (run at test time)', async () => {
    const xmls = [XML_A, XML_B, '<annotation><a><b>1</b><b>2</b><b><c>3</c></b></a><t>  x  </t><e></e></annotation>', '<annotation><object><name>one</name></object></annotation>'];
    const dir = await mkdtemp(join(tmpdir(), 'tg-vocx-'));
    try {
      await writeFile(join(dir, 'x.json'), JSON.stringify(xmls));
      const out = runPython(
        `
import json, sys
import xml.etree.ElementTree as ET
from torchvision.datasets import VOCDetection
print(json.dumps([VOCDetection.parse_voc_xml(ET.fromstring(x.encode())) for x in json.load(open(sys.argv[1]))]))
`,
        [join(dir, 'x.json')],
      );
      const want = JSON.parse(out) as unknown[];
      for (let k = 0; k < xmls.length; k++) {
        await writeFile(join(base, 'Annotations/000002.xml'), xmls[k]!);
        const [, t] = await new VOCDetection(root, { year: '2007' }).get(1);
        expect(t, `xml ${k}`).toEqual(want[k]);
      }
    } finally {
      await writeFile(join(base, 'Annotations/000002.xml'), XML_B);
      await rm(dir, { recursive: true });
    }
  }, 60_000);

  it('converts targets to detection tensors, with difficult flags and custom classes', async () => {
    const voc = new VOCDetection(root, '2007', 'train', false, null, (t: VOCTarget) => vocDetectionTarget(t));
    const [, t] = await voc.get(0);
    expect(await t.boxes.array()).toEqual([[1, 2, 5, 6], [2, 1, 8, 4.5]]);
    expect(await t.labels.array()).toEqual([12, 15]);
    expect(await t.difficult.array()).toEqual([false, true]);
    const [, raw] = await new VOCDetection(root, { year: '2007' }).get(0);
    const easy = vocDetectionTarget(raw, { keepDifficult: false, classes: ['bg', 'person', 'dog'] });
    expect(await easy.labels.array()).toEqual([2]);
    const [, empty] = await new VOCDetection(root, { year: '2007' }).get(1);
    expect(vocDetectionTarget(empty).boxes.shape).toEqual([0, 4]);
  });

  it('works with transforms and a DataLoader with detectionCollate', async () => {
    const voc = new VOCDetection(root, { year: '2007', transforms: (image, target) => [tidy(() => image.float().div(255)), vocDetectionTarget(target)] as const });
    const batches = [];
    for await (const [images, targets] of new DataLoader(voc, { batchSize: 2, collateFn: detectionCollate<Tensor, VOCDetectionTarget> })) batches.push([images.map((i) => i.shape), targets.map((t) => t.labels.shape)]);
    expect(batches).toEqual([[[[3, 6, 8], [3, 3, 4]], [[2], [0]]]]);
  });

  it('refuses missing folders, sets, files and malformed XML with errors that name them', async () => {
    expect(() => new VOCDetection(root)).toThrow(/cannot find '.*VOCdevkit\/VOC2012'; expected Pascal VOC's layout/);
    expect(() => new VOCDetection(root, { year: '2007', imageSet: 'test' })).toThrow(/cannot read the image set '.*ImageSets\/Main\/test.txt'.*the image sets there are: train, val/);
    expect(() => new VOCDetection(root, { year: '2007', download: true })).toThrow(/download is not supported/);
    expect(() => new VOCDetection(root, { year: '2007', image_set: 'val' } as never)).toThrow(/imageSet/);
    expect(() => new VOCDetection(root, { year: 2007 as never })).toThrow(/year to be a string such as '2012'/);
    expect(() => new VOCDetection(root, { year: '2007', transform: (x) => x, transforms: (x, y) => [x, y] })).toThrow(/either transforms or transform\/targetTransform/);
    const val = new VOCDetection(root, { year: '2007', imageSet: 'val' });
    await expect(val.get(0)).rejects.toThrow(/000003.xml' is not well-formed XML \(line 1, column \d+: .*\)/);
    await expect(val.get(1)).rejects.toThrow(/000004.xml' has the root element <notvoc>; expected a Pascal VOC annotation/);
    await expect(val.get(2)).rejects.toThrow(/cannot read '.*000005.xml'/);
    await expect(val.get(3)).rejects.toThrow(/index 3 is out of range/);
  });

  it('refuses hostile XML (nesting deeper than the parser allows) with an error naming the file', () => {
    const deep = '<annotation>' + '<a>'.repeat(5000) + 'x' + '</a>'.repeat(5000) + '</annotation>';
    expect(() => parseVocXml(deep, 'deep.xml')).toThrow(/^VOCDetection: cannot parse 'deep.xml' \(.*nested.*\); expected a Pascal VOC annotation/);
  });

  it('vocDetectionTarget refuses unknown classes and bad boxes', () => {
    const t = (name: string, bb: Record<string, string>): VOCTarget => ({ annotation: { filename: 'x.jpg', size: { width: '10', height: '10' }, object: [{ name, bndbox: bb }] } });
    const ok = { xmin: '1', ymin: '1', xmax: '5', ymax: '5' };
    expect(() => vocDetectionTarget(t('unicorn', ok))).toThrow(/object 0 of 'x.jpg' has the class "unicorn", which is not one of the classes \(__background__, aeroplane/);
    expect(() => vocDetectionTarget(t('dog', { ...ok, xmax: 'abc' }))).toThrow(/<xmax>abc<\/xmax>; expected a number/);
    expect(() => vocDetectionTarget(t('dog', { ...ok, ymax: '' }))).toThrow(/<ymax><\/ymax>; expected a number/);
    expect(() => vocDetectionTarget(t('dog', { ...ok, xmin: '7' }))).toThrow(/\[7, 1, 5, 5\] with xmax < xmin/);
    expect(() => vocDetectionTarget(t('dog', { ...ok, xmax: '40' }))).toThrow(/\[1, 1, 40, 5\], outside the 10×10 image/);
    expect(() => vocDetectionTarget({ annotation: { object: [{ name: 'dog' }] } } as never)).toThrow(/has no <bndbox>/);
    expect(() => vocDetectionTarget(null as never)).toThrow(TypeError);
  });
});
