/**
 * `@tensorgrad/vision`: torchvision's layout and names for tensorgrad — transforms, image IO,
 * datasets, models and utils (ARCHITECTURE.md).
 *
 * @packageDocumentation
 */
export { normalize, type NormalizeOptions } from './transforms/normalize.js';
// image IO (torchvision.io)
export { decodeImage, readImage, type DecodeImageOptions, type ImageReadMode } from './io/decode-image.js';
export { encodePng, writePng, encodeJpeg, writeJpeg, type EncodePngOptions, type EncodeJpegOptions } from './io/encode-image.js';
// utils (torchvision.utils)
export { makeGrid, type MakeGridOptions } from './utils/make-grid.js';
export { saveImage, type SaveImageOptions } from './utils/save-image.js';
export { drawBoundingBoxes, type DrawBoundingBoxesOptions, type Color } from './utils/draw-bounding-boxes.js';
// datasets (torchvision.datasets)
export { ImageFolder, IMG_EXTENSIONS, type ImageFolderOptions } from './datasets/image-folder.js';
