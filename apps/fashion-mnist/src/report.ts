import type { EpochMetrics } from './train.js';

const COLUMNS = ['epoch', 'train loss', 'train acc', 'test loss', 'test acc', 'seconds'] as const;

/**
 * The header of the per-epoch table (two lines: names and a rule).
 *
 * @example
 * ```ts
 * import { metricsHeader } from '@tensorgrad/fashion-mnist';
 * metricsHeader().split('\n')[0]; // 'epoch | train loss | train acc | test loss | test acc | seconds'
 * ```
 */
export function metricsHeader(): string {
  return `${COLUMNS.join(' | ')}\n${COLUMNS.map((c) => '-'.repeat(c.length)).join('-|-')}`;
}

/**
 * One row of the per-epoch table, aligned under {@link metricsHeader}.
 *
 * @example
 * ```ts
 * import { metricsRow } from '@tensorgrad/fashion-mnist';
 * const m = { epoch: 1, trainLoss: 0.45123, trainAcc: 0.8392, testLoss: 0.3821, testAcc: 0.861, seconds: 812.34, batchLosses: [] };
 * metricsRow(m); // '    1 |     0.4512 |    83.92% |    0.3821 |   86.10% |   812.3'
 * ```
 */
export function metricsRow(m: EpochMetrics): string {
  const cells = [String(m.epoch), m.trainLoss.toFixed(4), `${(m.trainAcc * 100).toFixed(2)}%`, m.testLoss.toFixed(4), `${(m.testAcc * 100).toFixed(2)}%`, m.seconds.toFixed(1)];
  return cells.map((c, i) => c.padStart(COLUMNS[i]!.length)).join(' | ');
}

/**
 * A confusion matrix as a text table: one row per true class, one column per predicted class
 * (headed by the class index), and each row's recall at the end.
 *
 * @example
 * ```ts
 * import { confusionTable } from '@tensorgrad/fashion-mnist';
 * const text = confusionTable([[3, 1], [0, 4]], ['cat', 'dog']);
 * text.split('\n')[2]!.trim().split(/ +/); // ['0', 'cat', '3', '1', '75.0%']
 * ```
 */
export function confusionTable(matrix: readonly (readonly number[])[], classes: readonly string[]): string {
  const k = matrix.length;
  const name = Math.max(...classes.map((c, i) => `${i} ${c}`.length), 'true \\ predicted'.length);
  const width = Math.max(2, ...matrix.flat().map((v) => String(v).length));
  const head = `${'true \\ predicted'.padEnd(name)} ${Array.from({ length: k }, (_, i) => String(i).padStart(width)).join(' ')}  recall`;
  const rows = matrix.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    const recall = total > 0 ? `${((row[t]! / total) * 100).toFixed(1)}%` : '-';
    return `${`${t} ${classes[t] ?? ''}`.padEnd(name)} ${row.map((v) => String(v).padStart(width)).join(' ')}  ${recall.padStart(6)}`;
  });
  return [head, '-'.repeat(head.length), ...rows].join('\n');
}
