/**
 * `@tensorgrad/fashion-mnist`: the example app's CLI (`fashion-mnist train|predict`) and the
 * pieces it is built from, exported for tests and other code: argument parsing, the book's models,
 * dataset loading, the training loop, progress bars, charts, image input.
 *
 * @packageDocumentation
 */
export * from './args.js';
export * from './models.js';
export * from './model-file.js';
export * from './dataset.js';
export * from './train.js';
export * from './progress.js';
export * from './report.js';
export * from './svg.js';
export * from './image-input.js';
export * from './run-train.js';
export * from './run-predict.js';
export { main } from './cli.js';
