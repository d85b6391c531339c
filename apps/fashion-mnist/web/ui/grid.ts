// The 40 sample test images with their labels and, after each epoch, the model's predictions:
// wrong ones get a red border and the predicted name, so the kind of mistake (shirt vs T-shirt)
// is visible at a glance. Each image is its uint8 pixels on a 28×28 canvas scaled up by CSS.
import type { SampleImage } from '../protocol.js';

/** Paints `pixels` (uint8 or [0, 1] floats, row-major, `size`×`size`) as grey onto `canvas`. */
export function paintGrey(canvas: HTMLCanvasElement, pixels: ArrayLike<number>, size = 28, scale = 1): void {
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('paintGrey: the canvas gave no 2d context');
  const image = ctx.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const v = Math.max(0, Math.min(255, Math.round(pixels[i]! * scale)));
    image.data[i * 4] = v;
    image.data[i * 4 + 1] = v;
    image.data[i * 4 + 2] = v;
    image.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/** The grid of sample images inside `container` (`[data-testid=test-grid]`). */
export class SampleGrid {
  #items: HTMLElement[] = [];
  #samples: readonly SampleImage[] = [];
  #classes: readonly string[] = [];

  constructor(readonly container: HTMLElement) {}

  /** Shows `samples` with their true labels (a new data set). */
  show(samples: readonly SampleImage[], classes: readonly string[]): void {
    this.#samples = samples;
    this.#classes = classes;
    this.container.replaceChildren();
    this.#items = samples.map((s) => {
      const item = document.createElement('figure');
      item.className = 'grid-item';
      item.dataset['testid'] = 'grid-item';
      item.dataset['label'] = String(s.label);
      const canvas = document.createElement('canvas');
      paintGrey(canvas, s.pixels);
      const caption = document.createElement('figcaption');
      caption.textContent = classes[s.label] ?? String(s.label);
      item.title = `test image ${s.index}: ${caption.textContent}`;
      item.append(canvas, caption);
      this.container.append(item);
      return item;
    });
  }

  /** Marks each image with the model's prediction (`predictions[i]` for `samples[i]`). */
  predict(predictions: readonly number[]): void {
    if (predictions.length !== this.#items.length) {
      throw new RangeError(`SampleGrid.predict: expected one prediction per sample image (${this.#items.length}), got ${predictions.length}`);
    }
    this.#items.forEach((item, i) => {
      const sample = this.#samples[i]!;
      const predicted = predictions[i]!;
      const correct = predicted === sample.label;
      const name = (c: number): string => this.#classes[c] ?? String(c);
      item.dataset['predicted'] = String(predicted);
      item.dataset['correct'] = String(correct);
      item.classList.toggle('wrong', !correct);
      let mark = item.querySelector<HTMLElement>('.predicted');
      if (mark === null) {
        mark = document.createElement('span');
        mark.className = 'predicted';
        item.append(mark);
      }
      mark.textContent = correct ? '' : `→ ${name(predicted)}`;
      item.title = `test image ${sample.index}: ${name(sample.label)}, predicted ${name(predicted)}`;
    });
  }
}
