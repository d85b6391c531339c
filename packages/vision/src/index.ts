/**
 * `@tensorgrad/vision`: torchvision's layout and names for tensorgrad — transforms, image IO,
 * datasets, models and utils (ARCHITECTURE.md).
 *
 * @packageDocumentation
 */
export { normalize, type NormalizeOptions } from './transforms/normalize.js';
// utils: Grad-CAM / CAM (ops-max)
export { gradCam, cam, type CamOptions, type CamModel } from './utils/grad-cam.js';
