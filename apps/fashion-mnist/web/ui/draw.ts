// The drawing pad: 280×280 pixels, light strokes on black like the training images, drawn with
// pointer events (mouse, pen, touch). Each change is turned into the model's 28×28 input with
// toModelInput and handed on at most every ~60 ms while drawing, so predictions follow the pen
// without queueing one request per pointer event. A dropped PNG or JPEG replaces the drawing.
import { paintGrey } from './grid.js';
import { toModelInput } from './to-input.js';

const SIZE = 280;
// a drawing that fills about two thirds of the pad is scaled by ~28/190, so a 22 px brush becomes
// a ~3 px line at 28×28: thick enough to survive the shrinking as solid strokes, not grey haze
const BRUSH = 22;
const THROTTLE_MS = 60;

/** What the pad reports: the 28×28 input and whether anything is drawn. */
export interface PadChange {
  readonly input: Float32Array;
  readonly empty: boolean;
}

/** The drawing canvas, its 28×28 preview and the note about dropped images. */
export class DrawingPad {
  readonly #ctx: CanvasRenderingContext2D;
  #last: { x: number; y: number } | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #current: PadChange = { input: new Float32Array(784), empty: true };

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly preview: HTMLCanvasElement,
    readonly note: HTMLElement,
    readonly onChange: (change: PadChange) => void,
    readonly onError: (message: string) => void,
  ) {
    canvas.width = SIZE;
    canvas.height = SIZE;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx === null) throw new Error('DrawingPad: the canvas gave no 2d context');
    this.#ctx = ctx;
    this.#blank();
    paintGrey(preview, this.#current.input, 28, 255);
    canvas.addEventListener('pointerdown', (e) => this.#down(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture'] as const) canvas.addEventListener(type, () => (this.#last = null));
    canvas.addEventListener('dragover', (e) => {
      e.preventDefault();
      canvas.classList.add('drop-target');
    });
    canvas.addEventListener('dragleave', () => canvas.classList.remove('drop-target'));
    canvas.addEventListener('drop', (e) => {
      e.preventDefault();
      canvas.classList.remove('drop-target');
      const file = e.dataTransfer?.files[0];
      if (file) void this.drop(file);
    });
  }

  /** The last input handed on. */
  get current(): PadChange {
    return this.#current;
  }

  /** Wipes the pad. */
  clear(): void {
    this.#blank();
    this.note.textContent = '';
    this.#changed(true);
  }

  /**
   * Replaces the drawing by an image file, scaled to fit, in grey; inverted when its background
   * (the border pixels) is light, since the model knows light garments on black only.
   */
  async drop(file: Blob & { name?: string }): Promise<void> {
    const what = file.name ? JSON.stringify(file.name) : 'the dropped file';
    if (file.type !== 'image/png' && file.type !== 'image/jpeg') {
      this.onError(`expected a PNG or JPEG image to classify, got ${what} of type ${JSON.stringify(file.type || 'unknown')}`);
      return;
    }
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (e) {
      this.onError(`could not decode ${what} as ${file.type}: ${(e as Error).message}; is the file damaged?`);
      return;
    }
    const scale = Math.min(SIZE / bitmap.width, SIZE / bitmap.height);
    const w = bitmap.width * scale;
    const h = bitmap.height * scale;
    const ctx = this.#ctx;
    // transparent parts count as the image's background: paint white under it, decide on inverting after
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, SIZE, SIZE);
    ctx.drawImage(bitmap, (SIZE - w) / 2, (SIZE - h) / 2, w, h);
    bitmap.close();
    const image = ctx.getImageData(0, 0, SIZE, SIZE);
    const grey = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < grey.length; i++) grey[i] = (0.299 * image.data[i * 4]! + 0.587 * image.data[i * 4 + 1]! + 0.114 * image.data[i * 4 + 2]!) / 255;
    let border = 0;
    let n = 0;
    const x0 = Math.floor((SIZE - w) / 2);
    const y0 = Math.floor((SIZE - h) / 2);
    const x1 = Math.ceil((SIZE + w) / 2) - 1;
    const y1 = Math.ceil((SIZE + h) / 2) - 1;
    for (let x = x0; x <= x1; x++) {
      border += grey[y0 * SIZE + x]! + grey[y1 * SIZE + x]!;
      n += 2;
    }
    for (let y = y0; y <= y1; y++) {
      border += grey[y * SIZE + x0]! + grey[y * SIZE + x1]!;
      n += 2;
    }
    const invert = border / n > 0.5;
    for (let i = 0; i < grey.length; i++) {
      // outside the fitted image is background too: black after inverting or not
      const x = i % SIZE;
      const y = Math.floor(i / SIZE);
      const inside = x >= x0 && x <= x1 && y >= y0 && y <= y1;
      const v = inside ? (invert ? 1 - grey[i]! : grey[i]!) : 0;
      const b = Math.round(v * 255);
      image.data[i * 4] = b;
      image.data[i * 4 + 1] = b;
      image.data[i * 4 + 2] = b;
      image.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    this.note.textContent = invert
      ? `${what}: light background, so the grey levels were inverted (the model knows light garments on black)`
      : `${what}: dark background, used as it is`;
    this.#changed(true);
  }

  #blank(): void {
    this.#ctx.fillStyle = '#000';
    this.#ctx.fillRect(0, 0, SIZE, SIZE);
  }

  #point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * SIZE) / r.width, y: ((e.clientY - r.top) * SIZE) / r.height };
  }

  #down(e: PointerEvent): void {
    if (e.button !== 0) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.#last = this.#point(e);
    this.#stroke(this.#last, this.#last);
  }

  #move(e: PointerEvent): void {
    if (this.#last === null) return;
    const p = this.#point(e);
    this.#stroke(this.#last, p);
    this.#last = p;
  }

  #stroke(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const ctx = this.#ctx;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = BRUSH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    this.#changed(false);
  }

  // at most one update per THROTTLE_MS while drawing, and always one after the last change
  #changed(now: boolean): void {
    if (now) {
      if (this.#timer !== null) clearTimeout(this.#timer);
      this.#timer = null;
      this.#emit();
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      this.#emit();
    }, THROTTLE_MS);
  }

  #emit(): void {
    const data = this.#ctx.getImageData(0, 0, SIZE, SIZE).data;
    const grey = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < grey.length; i++) grey[i] = data[i * 4]! / 255;
    const input = toModelInput({ pixels: grey, width: SIZE, height: SIZE });
    this.#current = { input, empty: !input.some((v) => v > 0) };
    paintGrey(this.preview, input, 28, 255);
    this.onChange(this.#current);
  }
}
