/**
 * `@tensorgrad/data`: datasets and data loading, PyTorch's `torch.utils.data` and torchvision's
 * MNIST datasets: `Dataset`, `TensorDataset`, `Subset`, `DataLoader`, `randomSplit`,
 * `defaultCollate`, `MNIST`, `FashionMNIST`, and an IDX reader.
 *
 * @packageDocumentation
 */
export * from './collate.js';
export * from './dataset.js';
export * from './data-loader.js';
export * from './random-split.js';
export * from './idx.js';
export * from './mnist.js';
