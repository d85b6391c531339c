/**
 * `@tensorgrad/vision`: torchvision's layout and names for tensorgrad — transforms, image IO,
 * datasets, models and utils (ARCHITECTURE.md).
 *
 * @packageDocumentation
 */
export { normalize, type NormalizeOptions } from './transforms/normalize.js';
// models (issue 13, item 7)
export {
  VGG,
  makeLayers,
  vggConfigs,
  vgg11,
  vgg11Bn,
  vgg13,
  vgg13Bn,
  vgg16,
  vgg16Bn,
  vgg19,
  vgg19Bn,
  type VGGConfigEntry,
  type VGGOptions,
  type VGGBuilderOptions,
  type MakeLayersOptions,
} from './models/vgg.js';
export {
  ResNet,
  BasicBlock,
  Bottleneck,
  resnet18,
  resnet34,
  resnet50,
  resnet101,
  resnet152,
  type BlockOptions,
  type NormLayer,
  type ResNetBlock,
  type ResNetOptions,
  type ResNetBuilderOptions,
} from './models/resnet.js';
