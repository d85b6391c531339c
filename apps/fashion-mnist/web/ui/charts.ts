// Loss and accuracy curves with uPlot (canvas, ~20 KB, made for streaming `setData`). One chart
// shows both time scales: a thin line per training batch, and per-epoch points joined by lines
// (train and test), all on an x axis in epochs so that an epoch's point sits at the end of its
// batches. uPlot wants every series aligned on one x array, so the epoch series are `null` except
// at epoch ends and `spanGaps` joins them.
import uPlot from 'uplot';

/** One curve of a {@link TrainingChart}. */
export interface CurveSpec {
  readonly label: string;
  readonly colour: string;
  /** `batch`: one value per training step, a thin line; `epoch`: one per epoch, points joined. */
  readonly kind: 'batch' | 'epoch';
}

/** Options of {@link TrainingChart}. */
export interface TrainingChartOptions {
  readonly title: string;
  readonly curves: readonly CurveSpec[];
  /** A fixed y range (accuracy: [0, 1]); else it follows the data. */
  readonly yRange?: readonly [number, number];
  readonly height?: number;
}

/** A uPlot chart that takes values as training produces them and redraws at most once a frame. */
export class TrainingChart {
  readonly #plot: uPlot;
  readonly #curves: readonly CurveSpec[];
  #x: number[] = [];
  #y: (number | null)[][];
  #pending = false;
  /** The run's length in epochs: the x axis spans it from the first batch, so curves grow left to right instead of rescaling. */
  #epochs: number | null = null;

  constructor(target: HTMLElement, options: TrainingChartOptions) {
    this.#curves = options.curves;
    this.#y = options.curves.map(() => []);
    const text = getComputedStyle(target).color || '#444';
    const grid = { stroke: 'rgba(128, 128, 128, 0.2)', width: 1 };
    const axis = { stroke: text, grid, ticks: grid };
    this.#plot = new uPlot(
      {
        title: options.title,
        width: Math.max(200, target.clientWidth),
        height: options.height ?? 240,
        scales: {
          // before the first value uPlot has no range and draws no axes: an empty chart with its axes
          // reads as "waiting for data" rather than as a broken panel
          x: { time: false, range: (_u, min, max) => [0, this.#epochs ?? (max === null || min === null || max <= 0 ? 1 : max)] },
          y: options.yRange
            ? { range: [options.yRange[0], options.yRange[1]] }
            : { range: (_u, min, max) => (min === null || max === null ? [0, 1] : uPlot.rangeNum(min, max, 0.1, true)) },
        },
        axes: [{ ...axis, label: 'epoch' }, { ...axis, size: 56 }],
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
        series: [
          { label: 'epoch', value: (_u, v) => (v === null ? '–' : v.toFixed(2)) },
          ...options.curves.map((c): uPlot.Series =>
            c.kind === 'batch'
              ? { label: c.label, stroke: c.colour, width: 1, points: { show: false }, value: (_u, v) => (v === null ? '–' : v.toFixed(4)) }
              : { label: c.label, stroke: c.colour, width: 2, spanGaps: true, points: { show: true, size: 7, fill: c.colour }, value: (_u, v) => (v === null ? '–' : v.toFixed(4)) },
          ),
        ],
      },
      [[], ...options.curves.map(() => [])],
      target,
    );
    new ResizeObserver(() => this.#plot.setSize({ width: Math.max(200, target.clientWidth), height: options.height ?? 240 })).observe(target);
  }

  /** Forgets every value (a new run of `epochs` epochs, the x axis's length; `null`: follow the data). */
  reset(epochs: number | null = null): void {
    this.#epochs = epochs;
    this.#x = [];
    this.#y = this.#curves.map(() => []);
    this.#schedule();
  }

  /** A point at `x` (in epochs); `values` holds one value per curve, `null` where that curve has none here. */
  add(x: number, values: readonly (number | null)[]): void {
    const last = this.#x.length - 1;
    if (last >= 0 && this.#x[last] === x) {
      // an epoch's values land on the x of its last batch
      values.forEach((v, i) => {
        if (v !== null) this.#y[i]![last] = v;
      });
    } else {
      this.#x.push(x);
      this.#curves.forEach((_, i) => this.#y[i]!.push(values[i] ?? null));
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#pending) return;
    this.#pending = true;
    requestAnimationFrame(() => {
      this.#pending = false;
      this.#plot.setData([this.#x, ...this.#y] as uPlot.AlignedData);
    });
  }
}

/** An exponential moving average with bias correction (TensorBoard's smoothing), for noisy per-batch accuracy. */
export class Smoother {
  #value = 0;
  #weight = 0;
  constructor(readonly factor = 0.9) {}

  /** Adds a value and gives the smoothed one. */
  next(v: number): number {
    this.#value = this.factor * this.#value + (1 - this.factor) * v;
    this.#weight = this.factor * this.#weight + (1 - this.factor);
    return this.#value / this.#weight;
  }

  reset(): void {
    this.#value = 0;
    this.#weight = 0;
  }
}
