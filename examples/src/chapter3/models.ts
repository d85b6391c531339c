/**
 * The network most of chapter 3 trains: `Linear(784, 1000) → ReLU → Linear(1000, 10)`.
 */
import { Linear, ReLU, Sequential } from 'tensorgrad';

/**
 * The book's `get_model()` network: `nn.Sequential(nn.Linear(28 * 28, 1000), nn.ReLU(),
 * nn.Linear(1000, 10))`, with PyTorch's default initialisation (seed it with `manualSeed` first
 * for reproducible weights).
 *
 * @example
 * ```ts
 * import { randn } from 'tensorgrad';
 * import { bookMlp } from './models.js';
 * const model = bookMlp();
 * model(randn([2, 784])).shape; // [2, 10]
 * model.parameters().length; // 4
 * model.dispose();
 * ```
 */
export function bookMlp(): Sequential {
  return new Sequential(new Linear(28 * 28, 1000), new ReLU(), new Linear(1000, 10));
}
