import { expect, it } from 'vitest';
import { divergedNote, formatAccuracy, formatBytes, formatMemory, formatPercent, formatRate } from '../web/ui/format.js';

it('formats the texts the page test hooks read', () => {
  expect(formatAccuracy(0.73421)).toBe('0.7342');
  expect(Number(formatAccuracy(1))).toBe(1);
  expect(formatPercent(0.8734)).toBe('87.3 %');
  expect(formatMemory({ tensors: 12, bytes: 3_400_000 })).toBe('12 tensors, 3.4 MB');
  expect(formatMemory({ tensors: 1, bytes: 999 })).toBe('1 tensor, 999 B');
  expect(formatBytes(45_600)).toBe('46 kB'); // whole units from 10 up
  expect(formatBytes(123_000_000)).toBe('123 MB');
  expect(formatBytes(2.5e12)).toBe('2.5 TB');
  expect(formatRate(412.34)).toBe('412');
  expect(formatRate(5.46)).toBe('5.5');
});

it('says what to do when the loss is no longer finite', () => {
  expect(divergedNote(Number.NaN, 1, 3, 1e30, 'sgd')).toBe(
    'the training loss is NaN at epoch 1, batch 3: the model diverged, and its weights and predictions are no longer numbers; stop the run and start again with a smaller learning rate than 1e+30 for sgd',
  );
});
