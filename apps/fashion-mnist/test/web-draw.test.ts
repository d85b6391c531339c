import { describe, expect, it } from 'vitest';
import { inkBox, resizeArea, toModelInput, type GreyImage } from '../web/ui/to-input.js';

/** A black `size`×`size` canvas with the given rectangles painted white (x0, y0 inclusive; x1, y1 exclusive). */
type Canvas = GreyImage & { pixels: Float32Array };

function canvas(size: number, ...rects: [number, number, number, number][]): Canvas {
  const pixels = new Float32Array(size * size);
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) pixels[y * size + x] = 1;
  return { pixels, width: size, height: size };
}

/** A round brush stroke from (ax, ay) to (bx, by), `radius` pixels thick on each side, as the page's canvas draws it. */
function stroke(image: Canvas, ax: number, ay: number, bx: number, by: number, radius: number): void {
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2 || 1)));
      if (Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= radius) image.pixels[y * image.width + x] = 1;
    }
  }
}

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0);

function centreOfMass(pixels: Float32Array, size = 28): [number, number] {
  let m = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = pixels[y * size + x]!;
      m += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  return [cx / m, cy / m];
}

function box28(pixels: Float32Array): { x0: number; y0: number; x1: number; y1: number } | null {
  return inkBox({ pixels, width: 28, height: 28 }, 0);
}

describe('resizeArea', () => {
  it('averages the area each output pixel covers', () => {
    const checker = { pixels: [1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1], width: 4, height: 4 };
    expect(Array.from(resizeArea(checker, 2, 2))).toEqual([0.5, 0.5, 0.5, 0.5]);
    // 3 → 2 pixels: the middle source pixel is split half and half
    const [left, right] = resizeArea({ pixels: [0, 1, 0], width: 3, height: 1 }, 2, 1);
    expect(left).toBeCloseTo(1 / 3, 6);
    expect(right).toBeCloseTo(1 / 3, 6);
  });

  it('keeps a one-pixel line that nearest-neighbour would drop, as a faint line', () => {
    const image = canvas(280, [0, 137, 280, 138]);
    const small = resizeArea(image, 28, 28);
    expect(small[13 * 28 + 5]).toBeCloseTo(0.1, 6);
    expect(sum(small) * 100).toBeCloseTo(sum(image.pixels), 2);
  });

  it('says what it expected of a bad size or pixel count', () => {
    expect(() => resizeArea(canvas(4), 0, 2)).toThrow('resizeArea: expected a positive integer width and height, got 0×2');
    expect(() => resizeArea({ pixels: [1, 2, 3], width: 2, height: 2 }, 1, 1)).toThrow('expected 2×2 = 4 pixels, got 3');
  });
});

const MNIST = { fit: 20, centre: 'mass' } as const;

describe('toModelInput', () => {
  it('gives all zeros for an empty drawing', () => {
    const out = toModelInput(canvas(280));
    expect(out.length).toBe(784);
    expect(sum(out)).toBe(0);
  });

  it("scales a small stroke in a corner up to 20 pixels and centres it by its centre of mass (MNIST's recipe)", () => {
    const image = canvas(280);
    stroke(image, 20, 30, 80, 30, 11); // a short thick horizontal stroke near the top left
    const out = toModelInput(image, MNIST);
    const box = box28(out)!;
    expect(box.x1 - box.x0).toBe(20);
    const [cx, cy] = centreOfMass(out);
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
  });

  it('gives the same input wherever and however large the same shape is drawn', () => {
    const a = canvas(280, [10, 10, 50, 90], [10, 80, 100, 90]); // an L, small, top left
    const b = canvas(280, [100, 40, 180, 200], [100, 180, 280, 200]); // the same L, twice as large, elsewhere
    const ia = toModelInput(a);
    const ib = toModelInput(b);
    expect(box28(ia)).toEqual({ x0: 0, y0: 2, x1: 28, y1: 27 }); // the longer side (the width) fills the frame
    let diff = 0;
    for (let i = 0; i < 784; i++) diff = Math.max(diff, Math.abs(ia[i]! - ib[i]!));
    expect(diff).toBeLessThan(1e-5);
  });

  it('places an L by its centre of mass, not by its box: the heavy corner pulls it off the box centre', () => {
    const out = toModelInput(canvas(280, [0, 0, 40, 200], [0, 160, 200, 200]), MNIST);
    const box = box28(out)!;
    const [cx, cy] = centreOfMass(out);
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    expect((box.x0 + box.x1) / 2).toBeGreaterThan(15); // the box sits right of the centre
  });

  it("fills the frame by the bounding box by default (Fashion-MNIST's recipe), leaving a centred 28×28 garment as it is", () => {
    const out = toModelInput(canvas(280, [70, 0, 210, 280]));
    expect(box28(out)).toEqual({ x0: 7, y0: 0, x1: 21, y1: 28 });
    expect(out[14 * 28 + 14]).toBe(1);
    const garment = canvas(28);
    stroke(garment, 8, 2, 19, 25, 3.5);
    garment.pixels.fill(0.5, 0, 28); // a grey top row makes the box the whole width
    expect(Array.from(toModelInput(garment))).toEqual(Array.from(garment.pixels));
  });

  it('ignores faint noise below the threshold when cropping', () => {
    const image = canvas(280, [100, 100, 180, 180]);
    image.pixels[0] = 0.02; // a speck in the corner
    expect(box28(toModelInput(image, { fit: 20, centre: 'box' }))).toEqual({ x0: 4, y0: 4, x1: 24, y1: 24 });
  });

  it('rejects a fit larger than the frame', () => {
    expect(() => toModelInput(canvas(28), { fit: 29 })).toThrow('toModelInput: expected fit to be an integer from 1 to 28, got 29');
  });
});
