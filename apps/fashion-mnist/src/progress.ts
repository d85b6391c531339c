/** Where a {@link ProgressBar} writes: `process.stdout`, or anything with `write` (tests). */
export interface ProgressStream {
  write(text: string): unknown;
  /** A terminal gets one line redrawn with `\r`; anything else a line every ~10%. */
  isTTY?: boolean;
  /** Terminal width (the bar shrinks to fit). */
  columns?: number;
}

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** The number of steps (batches) in total. */
  total: number;
  /** Shown before the bar, e.g. `'epoch 1/5'`. */
  label: string;
  /** Where to write (default `process.stdout`). */
  stream?: ProgressStream;
  /** Force the terminal or the line-per-10% style (default `stream.isTTY`). */
  tty?: boolean;
  /** Clock in milliseconds (default `performance.now`; tests pass a fake). */
  now?: () => number;
  /** Minimum milliseconds between two redraws on a terminal (default 100). */
  redrawMs?: number;
}

/** What {@link ProgressBar.update} shows besides the count. */
export interface ProgressInfo {
  /** The running mean loss. */
  loss?: number;
  /** Examples processed since the start (for examples/s). */
  examples?: number;
}

/**
 * Formats seconds as `42s`, `3m07s` or `1h02m`.
 *
 * @example
 * ```ts
 * import { formatDuration } from '@tensorgrad/fashion-mnist';
 * formatDuration(42.4); // '42s'
 * formatDuration(187); // '3m07s'
 * formatDuration(3720); // '1h02m'
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * A progress bar for one pass over the batches: on a terminal one line redrawn in place with
 * `\r` (at most every 100 ms), elsewhere (a log file, CI) one line each time another ~10% is done.
 * Shows batches done, the running loss, examples per second and the estimated time left.
 *
 * @example
 * ```ts
 * import { ProgressBar } from '@tensorgrad/fashion-mnist';
 * let out = '';
 * const bar = new ProgressBar({ total: 4, label: 'epoch 1/1', stream: { write: (s: string) => (out += s) }, tty: false });
 * for (let i = 1; i <= 4; i++) bar.update(i, { loss: 0.5, examples: 32 * i });
 * bar.finish();
 * out.split('\n').filter(Boolean).length; // 4
 * out.includes('4/4'); // true
 * ```
 */
export class ProgressBar {
  private readonly total: number;
  private readonly label: string;
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly redrawMs: number;
  private readonly started: number;
  private lastDraw = -Infinity;
  private lastDecile = 0;
  private lastLine = '';
  private done = 0;
  private info: ProgressInfo = {};
  private finished = false;

  constructor(options: ProgressBarOptions) {
    if (!Number.isSafeInteger(options.total) || options.total < 1) throw new RangeError(`ProgressBar: expected a positive integer total, got ${options.total}`);
    this.total = options.total;
    this.label = options.label;
    this.stream = options.stream ?? process.stdout;
    this.tty = options.tty ?? Boolean(this.stream.isTTY);
    this.now = options.now ?? (() => performance.now());
    this.redrawMs = options.redrawMs ?? 100;
    this.started = this.now();
  }

  /** The line for `done` steps (without `\r` or newline). */
  render(done = this.done, info: ProgressInfo = this.info): string {
    const elapsed = (this.now() - this.started) / 1000;
    const parts = [`${done}/${this.total}`];
    if (info.loss !== undefined) parts.push(`loss ${info.loss.toFixed(4)}`);
    if (info.examples !== undefined && elapsed > 0) parts.push(`${(info.examples / elapsed).toFixed(1)} ex/s`);
    if (done >= this.total) parts.push(`${formatDuration(elapsed)}`);
    else if (done > 0) parts.push(`ETA ${formatDuration((elapsed / done) * (this.total - done))}`);
    const text = parts.join('  ');
    // a pseudo-terminal may report 0 columns
    const columns = this.stream.columns || 100;
    const room = columns - this.label.length - text.length - 6;
    if (!this.tty || room < 10) return `${this.label}  ${text}`;
    const width = Math.min(30, room);
    const filled = Math.floor((done / this.total) * width);
    const bar = done >= this.total ? '='.repeat(width) : `${'='.repeat(filled)}>${' '.repeat(width - filled - 1)}`;
    return `${this.label} [${bar}] ${text}`;
  }

  /** Records that `done` steps are complete and redraws when due. */
  update(done: number, info: ProgressInfo = {}): void {
    this.done = Math.min(done, this.total);
    this.info = info;
    if (this.tty) {
      const t = this.now();
      if (this.done < this.total && t - this.lastDraw < this.redrawMs) return;
      this.lastDraw = t;
      const line = this.render();
      const pad = Math.max(0, this.lastLine.length - line.length);
      this.stream.write(`\r${line}${' '.repeat(pad)}`);
      this.lastLine = line;
      return;
    }
    const decile = Math.floor((this.done / this.total) * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${this.render()}\n`);
    }
  }

  /** Ends the bar: on a terminal the line is erased (so a table row can take its place). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.tty && this.lastLine) this.stream.write(`\r${' '.repeat(this.lastLine.length)}\r`);
  }
}
