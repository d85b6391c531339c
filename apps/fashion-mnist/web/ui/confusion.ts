// The confusion matrix after each epoch, on a canvas (uPlot has no heatmap, and 100 cells do not
// need a library). Cells are shaded by the share of their true class (their row), so a class with
// few test images is as readable as one with many; the count is written in every cell, white on
// dark cells. Colours come from the page's CSS variables, so dark mode needs nothing here.

const CELL = 34;
const LABEL = 84;
const AXIS = 18;

/** Draws `matrix[true][predicted]` with the class names on `canvas`, at the screen's pixel density. */
export function drawConfusion(canvas: HTMLCanvasElement, matrix: readonly (readonly number[])[], classes: readonly string[]): void {
  const k = matrix.length;
  if (k === 0 || classes.length !== k || matrix.some((row) => row.length !== k)) {
    throw new RangeError(`drawConfusion: expected a square matrix with one class name per row, got ${k} rows of lengths ${matrix.map((r) => r.length).join(', ')} and ${classes.length} names`);
  }
  const style = getComputedStyle(canvas);
  const ink = style.getPropertyValue('--fg').trim() || '#222';
  const accent = style.getPropertyValue('--heat').trim() || '8, 48, 107';
  const line = style.getPropertyValue('--line').trim() || '#ccc';
  const left = AXIS + LABEL;
  const top = AXIS;
  const width = left + k * CELL + 4;
  const height = top + k * CELL + LABEL + AXIS;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  // its natural size, shrunk (aspect kept, by the CSS max-width) where the panel is narrower, as on a
  // phone: all ten columns in view rather than three of them behind a horizontal scroll
  canvas.style.width = `${width}px`;
  canvas.style.height = 'auto';
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('drawConfusion: the canvas gave no 2d context (is it already used for WebGL?)');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  matrix.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    ctx.fillStyle = ink;
    ctx.textAlign = 'right';
    ctx.fillText(classes[t]!, left - 4, top + t * CELL + CELL / 2);
    row.forEach((count, p) => {
      const share = total > 0 ? count / total : 0;
      const x = left + p * CELL;
      const y = top + t * CELL;
      ctx.fillStyle = `rgba(${accent}, ${0.06 + 0.94 * share})`;
      ctx.fillRect(x, y, CELL, CELL);
      ctx.strokeStyle = line;
      ctx.strokeRect(x + 0.5, y + 0.5, CELL - 1, CELL - 1);
      if (t === p) {
        ctx.strokeStyle = ink;
        ctx.strokeRect(x + 1.5, y + 1.5, CELL - 3, CELL - 3);
      }
      ctx.fillStyle = share > 0.45 ? '#fff' : ink;
      ctx.textAlign = 'center';
      ctx.fillText(String(count), x + CELL / 2, y + CELL / 2);
    });
  });
  // predicted class names, slanted under the columns
  classes.forEach((name, p) => {
    ctx.save();
    ctx.translate(left + p * CELL + CELL / 2, top + k * CELL + 6);
    ctx.rotate(-Math.PI / 3);
    ctx.fillStyle = ink;
    ctx.textAlign = 'right';
    ctx.fillText(name, 0, 0);
    ctx.restore();
  });
  ctx.fillStyle = ink;
  ctx.textAlign = 'center';
  ctx.fillText('predicted class', left + (k * CELL) / 2, height - AXIS / 2);
  ctx.save();
  ctx.translate(AXIS / 2, top + (k * CELL) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('true class', 0, 0);
  ctx.restore();
}
