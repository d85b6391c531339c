/**
 * torchvision's `transforms.functional` as one namespace, for `import { functional as F } from
 * 'tensorgrad'` → `F.pad(img, 4)`, `F.resize(img, 256)`: the umbrella package's top-level `pad`
 * is `torch.nn.functional.pad` (`@tensorgrad/tensor`), so the image `pad` is reached here (or
 * from `@tensorgrad/vision` directly).
 *
 * @module
 */
export { normalize } from './normalize.js';
export { toTensor } from './to-tensor.js';
export { resize } from './resize.js';
export { crop, centerCrop, resizedCrop } from './crop.js';
export { hflip, vflip } from './flip.js';
export { pad } from './pad.js';
export { rotate, affine } from './affine.js';
export { adjustBrightness, adjustContrast, adjustSaturation, adjustHue, rgbToGrayscale } from './color.js';
